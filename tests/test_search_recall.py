"""Search finds what is there (issue 17): recall and precision through the search page in Chromium.

A generated site (seeded: the same every run) of Chinese articles in Simplified, Traditional
(OpenCC's s2t and s2tw) and English, with known truth: for each query, the articles whose
title or body holds it — for a Chinese query its Simplified form or any Traditional spelling of it;
for an English one any of the word forms listed with it. Sentences that hold a term's characters
apart (华夏…为了, 开放源代码, 智能计算, 机器和人 …) are everywhere, so a search that matches
characters rather than the word would fail the precision check.

For each query, through the page: the results must reach >= 98% of the articles holding it, and
>= 90% of the first page of results must hold it. The index is built with small shards here
(SHARD_MAX = 40), so the page merges a year's shard, month shards and parts of a month.
"""

from __future__ import annotations

import functools
import random
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import chromium_or_skip

opencc = pytest.importorskip("opencc", reason="the recall test writes Traditional articles with OpenCC "
                                              "(a test dependency: pip install -e '.[test]')")

from digest.config import load_settings  # noqa: E402
from digest.pipeline import build_site  # noqa: E402

PYPROJECT = """[tool.digest]
title = "Recall Digest"
base_url = "https://example.org/sub/"
timezone = "Asia/Shanghai"
"""

# term: (share of Chinese articles holding it, sentences holding it)
ZH_TERMS = {
    "华为": (0.5, ["华为发布了新的手机芯片", "分析人士认为华为的进展超出预期"]),
    "开源": (0.6, ["多家公司宣布开源其模型权重", "开源社区的贡献者数量持续增长"]),
    "高带宽内存": (0.4, ["高带宽内存的供应依然紧张", "厂商正在扩大高带宽内存的产能"]),
    "英伟达": (0.03, ["英伟达的新一代加速卡开始出货"]),
    "智算": (0.03, ["多地建设智算中心以满足需求"]),
    "机器人": (0.05, ["人形机器人进入工厂试用阶段"]),
    "大模型": (0.55, ["大模型的训练成本正在下降", "国内大模型厂商加快迭代"]),
    "数据中心": (0.6, ["新的数据中心选址靠近水电站", "数据中心的电力需求快速上升"]),
    "出口管制": (0.25, ["美国进一步收紧出口管制措施", "出口管制的范围扩大到更多设备"]),
    "算力": (0.35, ["算力紧缺推高了租赁价格", "企业纷纷采购算力"]),
    "昇腾": (0.08, ["昇腾芯片的生态逐步完善"]),
    "光刻机": (0.1, ["先进光刻机的交付被推迟"]),
    "台积电": (0.2, ["台积电表示先进制程需求强劲"]),
    "自动驾驶": (0.15, ["自动驾驶出租车在更多城市上路"]),
    "GPU": (0.2, ["GPU集群的规模不断扩大", "新一代GPU的功耗更高"]),
}
ZH_APART = [  # characters of the terms, never the terms
    "华夏大地为了发展而努力", "开放源代码的许可证各不相同", "高速网络的带宽和内存都很重要", "英国的伟大发达时代已经过去",
    "智能计算正在改变行业", "机器和人之间的协作更加紧密", "大型模型需要更多数据", "数据和中心城市的关系很复杂",
    "进出口数据显示管制效果有限", "计算能力与力学研究", "腾讯公布了季度业绩", "光线照到刻度尺和机身上",
    "台湾的积累与电力供应", "自动化生产线驾驶舱改造",
]
ZH_FILLER = ["业内人士对此看法不一", "市场对此反应平淡", "相关细节尚未公布", "专家认为这一趋势难以逆转",
             "这一变化引发了广泛讨论", "投资者密切关注后续进展"]

# query: (share of English articles, sentences, word forms that hold it)
EN_TERMS = {
    "chip": (0.5, ["Chips remain scarce.", "The new chip ships in May."], r"chips?"),
    "Nvidia": (0.1, ["Nvidia reported record sales."], r"nvidia"),
    "export": (0.3, ["Exports of tools fell sharply.", "The rules restrict exporting advanced parts."],
               r"export(?:s|ed|ing)?"),
    "model": (0.6, ["Open models are catching up.", "The model was released on Monday."], r"models?"),
    "training": (0.3, ["Training costs keep falling.", "They trained it on public data."],
                 r"train(?:s|ed|ing)?"),
    "semiconductor": (0.2, ["Semiconductor stocks rose."], r"semiconductors?"),
    "regulation": (0.15, ["New regulations take effect next year."], r"regulations?"),
    "Huawei": (0.1, ["Huawei unveiled a new accelerator."], r"huawei"),
}
EN_APART = ["The chipset maker and the exporter met on a chipper morning.",
            "A modeler spoke about trainers and regulators.", "Semi-finals of the conductor contest ended."]
EN_FILLER = ["Analysts were divided.", "Details remain unclear.", "Markets reacted calmly.",
             "The announcement surprised investors."]

N_ZH, N_EN = 210, 70


def _zh_article(r: random.Random) -> str:
    sentences = [r.choice(ZH_FILLER) for _ in range(r.randint(2, 4))] + r.sample(ZH_APART, 3)
    for term, (share, held) in ZH_TERMS.items():
        if r.random() < share:
            sentences.append(r.choice(held))
    r.shuffle(sentences)
    return "。".join(sentences) + "。"


def _en_article(r: random.Random) -> str:
    sentences = [r.choice(EN_FILLER) for _ in range(r.randint(2, 4))] + r.sample(EN_APART, 2)
    for term, (share, held, _) in EN_TERMS.items():
        if r.random() < share:
            sentences.append(r.choice(held))
    r.shuffle(sentences)
    return " ".join(sentences)


def generate(content: Path) -> dict[str, str]:
    """Write the articles; return {url: title + body as written} (the truth is read from it)."""
    r = random.Random(17)
    s2t, s2tw = _converter("s2t"), _converter("s2tw")
    texts = {}
    for i in range(N_ZH + N_EN):
        zh = i < N_ZH
        body = [_zh_article(r) if zh else _en_article(r) for _ in range(r.randint(1, 3))]
        title = (_zh_article(r).split("。")[0] + f"（{i}）") if zh else f"Report {i}: " + _en_article(r).split(".")[0]
        lang = "en"
        if zh:
            kind = r.random()
            conv = s2t if kind < 0.2 else s2tw if kind < 0.35 else None
            lang = "zh-Hans" if conv is None else "zh-Hant"
            if conv is not None:
                title, body = conv.convert(title), [conv.convert(p) for p in body]
        # 2025: under 40 a month (month shards); March 2026: more than 40 (two parts); some undated
        if i % 40 == 39:
            date = None
        elif i % 3 == 0:
            date = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        else:
            date = f"2026-0{1 + i % 3}-{1 + i % 28:02d}"
        front = [f"title: '{title}'", f"lang: {lang}"] + ([f"date: {date}"] if date else [])
        (content / f"a{i:03d}.md").write_text("---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(body) + "\n",
                                             encoding="utf-8")
        texts[f"posts/a{i:03d}/"] = title + "\n" + "\n".join(body)
    return texts


@functools.lru_cache(maxsize=None)
def _converter(config: str):
    return opencc.OpenCC(config)


def _zh_forms(term: str) -> set[str]:
    return {term, _converter("s2t").convert(term), _converter("s2tw").convert(term)}


def truth(texts: dict[str, str], query: str) -> set[str]:
    """The articles holding every part of the query (a Chinese term in any script; English word forms)."""
    held = set(texts)
    for part in query.split():
        if part in EN_TERMS:
            pattern = re.compile(rf"\b{EN_TERMS[part][2]}\b", re.I)
            held &= {u for u, t in texts.items() if pattern.search(t)}
        else:
            base = next((t for t in ZH_TERMS if part in _zh_forms(t)), part)  # the Simplified term asked
            forms = _zh_forms(base) | _zh_forms(_converter("t2s").convert(part)) | {part}
            held &= {u for u, t in texts.items() if any(f in t for f in forms)}
    return held


def queries() -> list[str]:
    tw = _converter("s2tw")
    zh = list(ZH_TERMS)
    return (zh + [tw.convert(t) for t in zh if tw.convert(t) != t] + list(EN_TERMS)
            + ["昇", "GPU 华为", "數據中心 大模型"])


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import digest.search as search

    root = tmp_path_factory.mktemp("recall") / "site"
    (root / "content").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    texts = generate(root / "content")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "SHARD_MAX", 40)
        result = build_site(load_settings(root))
    assert result.ok, [str(e) for e in result.report.errors]
    # A story carried twice (an article and its Traditional twin, as the generator can make them)
    # is shown once (issue 20): its other copy is a redirect, so the truth is the live pages.
    live = {a.url for a in result.articles}
    texts = {u: t for u, t in texts.items() if u in live}
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(root / "output", www / "sub")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, texts, f"http://127.0.0.1:{server.server_address[1]}/sub/"
    server.shutdown()
    server.server_close()


def test_the_site_has_many_shards_and_traps(site):
    import json

    root, texts, _ = site
    entry = json.loads((root / "output" / "search" / "data" / "entry.json").read_bytes())
    ids = [s["dir"].rsplit("-", 1)[0] for s in entry["shards"]]
    assert "undated" in ids and "2025-01" in ids and "2026-03.0" in ids and "2026-03.1" in ids, ids
    # the page loads shards both from packs of bucket files and alone (search.pack_buckets)
    assert any("pack" in s for s in entry["shards"]) and any("pack" not in s for s in entry["shards"]), entry
    assert sum(s["docs"] for s in entry["shards"]) == len(texts) >= N_ZH + N_EN - 10  # (a few copies shown once)
    # the traps are there: pages holding 华 and 为, or 智 and 算, that do not hold the word
    apart = [u for u, t in texts.items() if "华" in t and "为" in t and u not in truth(texts, "华为")]
    assert len(apart) >= 8
    assert len(truth(texts, "英伟达")) >= 3 and len(truth(texts, "数据中心")) > 100


def _all_results(pg, query: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Every result's URL (clicking "More results" to the end), the first page's, and its marks."""
    pg.fill("#search-q", query)
    pg.press("#search-q", "Enter")
    pg.wait_for_function("() => /\\d|No results/.test(document.getElementById('search-status').textContent)",
                         timeout=15000)
    first = pg.eval_on_selector_all("#search-results li", """els => els.map(li => [
        li.querySelector('h2 a').getAttribute('href'), [...li.querySelectorAll('mark')].map(m => m.textContent)])""")
    urls = pg.evaluate("""async () => {
        const more = document.getElementById('search-more');
        const list = document.getElementById('search-results');
        while (!more.hidden) {
            const n = list.children.length;
            more.click();
            while (list.children.length === n) await new Promise(r => setTimeout(r, 5));
        }
        return [...list.querySelectorAll('h2 a')].map(a => a.getAttribute('href'));
    }""")
    return urls, [u for u, _ in first], [m for _, m in first]


def test_recall_and_first_page_precision(site):
    root, texts, base = site
    exe = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    qs = queries()
    assert len(qs) >= 30
    report = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        pg = browser.new_page()
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(base + "search/")
        pg.wait_for_selector("#search:not([hidden])")
        for q in qs:
            want = truth(texts, q)
            assert want, q  # every query has articles holding it
            urls, first, marks = _all_results(pg, q)
            got = {u.removeprefix("/sub/") for u in urls}
            assert len(got) == len(urls), q  # no article twice
            recall = len(got & want) / len(want)
            precision = sum(u.removeprefix("/sub/") in want for u in first) / max(1, len(first))
            report.append((q, len(want), len(got), recall, precision))
            # highlights mark the term, not one of its characters
            cjk = [part for part in q.split() if not part.isascii()]
            for m in marks:
                assert m, (q, first)
                if cjk and len(q.split()) == 1:
                    assert all(len(x) == len(q) for x in m), (q, m)
        browser.close()
    assert not errors, errors
    print("\n[search recall] " + "; ".join(f"{q} {n}/{g} {r:.0%}/{pr:.0%}" for q, n, g, r, pr in report))
    bad = [row for row in report if row[3] < 0.98 or row[4] < 0.9]
    assert not bad, "\n".join(f"{q}: {n} hold it, {g} found, recall {r:.0%}, first page {pr:.0%}"
                              for q, n, g, r, pr in bad)
