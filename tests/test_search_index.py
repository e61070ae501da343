"""The search index (issue 17): the browser splits text as the build does, shards are rebuilt only
when their articles change, and the index is the same bytes however it was built."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import damage, write_site
from digest.config import load_settings
from digest.pipeline import build_site
from digest.search import text as stext
from digest.search.fold import table

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "themes" / "default" / "static" / "search.js"

SAMPLES = [
    "华为公司 為什麼 DeepSeek's chips, regulating 美国。",
    "臺積電赴美設廠進度：亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片。",
    "高带宽内存（HBM）供不应求；SK海力士、三星和美光的产能已售罄到2026年。GPU集群 H100s",
    "Ｆｕｌｌｗｉｄｔｈ ＡＩ 和 caresses ponies feed agreed plastered motoring sing conflated troubled sized "
    "hopping tanned falling hissing fizzed failing filing happy sky controls trainers'",
    "日本語のテキストとカタカナ、ひらがな。𠀀𠀁 Ελληνικά Русский 한국어 텍스트 naïve café résumé",
    "中华为什么 a 我 b 你 ０１２ 1,000 e-mail x86-64 〇〇七 々",
    "",
]


def _node():
    from conftest import tool_or_skip

    return tool_or_skip(shutil.which("node") or shutil.which("nodejs"),
                        "NODE IS MISSING: the search text test runs static/search.js in Node (apt-get install nodejs)")


def _run_js(tmp_path: Path, calls: dict) -> dict:
    """static/search.js's exported functions in Node: {name: [args …]} -> {name: [results …]}."""
    module = tmp_path / "search.mjs"  # the page's own file, as an ES module
    shutil.copy(SEARCH_JS, module)
    pairs = "".join(t + s for t, s in sorted(table().items()))
    (tmp_path / "in.json").write_text(json.dumps({"fold": pairs, "calls": calls}, ensure_ascii=False),
                                      encoding="utf-8")
    script = """
import * as s from "./search.mjs";
import { readFileSync, writeFileSync } from "node:fs";
const input = JSON.parse(readFileSync("in.json", "utf8"));
s.setFold(input.fold);
const out = {};
for (const [name, args] of Object.entries(input.calls)) out[name] = args.map((a) => s[name](...a));
writeFileSync("out.json", JSON.stringify(out));
"""
    (tmp_path / "run.mjs").write_text(script, encoding="utf-8")
    r = subprocess.run([_node(), "run.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def _corpus() -> list[str]:
    r = random.Random(5)
    chars = "华为开源高带宽内存英伟达智算机器人大模型数据中心臺積電發展為 ，。、chipsmodel ed ing 1 Ａ"
    return SAMPLES + ["".join(r.choice(chars) for _ in range(r.randint(1, 80))) for _ in range(200)]


def test_browser_splits_text_as_the_index_does(tmp_path):
    texts = _corpus()
    words = sorted({m.group(2).lower() for t in texts for m in stext.TOKEN.finditer(t) if m.group(2)}
                   | set((ROOT / "README.md").read_text(encoding="utf-8").lower().split()))
    terms = sorted({t for x in texts for t in stext.terms(x)[0]} | {w for x in texts for w in stext.terms(x)[1]})
    js = _run_js(tmp_path, {
        "terms": [[t] for t in texts],
        "stem": [[w] for w in words],
        "fold": [[t] for t in texts],
        "bucketOf": [[t, n] for t in terms for n in (1, 7, 32)],
    })
    for t, got in zip(texts, js["terms"]):
        cjk, w = stext.terms(t)
        assert got == {"cjk": cjk, "words": w}, t
    assert js["stem"] == [stext.stem(w) for w in words]
    assert js["fold"] == [stext.fold(t) for t in texts]
    from digest.search import bucket_of

    assert js["bucketOf"] == [bucket_of(t, n) for t in terms for n in (1, 7, 32)]


def test_chinese_is_split_in_pairs_with_positions_and_folded():
    cjk, words = stext.terms("華為發布，中华 为什么 chips")
    assert cjk["华为"] == [0] and cjk["为发"] == [1] and cjk["布"] == [3]  # folded to Simplified
    assert "华为" in cjk and cjk["中华"] == [5] and "华为" not in {k for k, v in cjk.items() if 5 in v}
    assert cjk["华"] == [6] and cjk["为什"] == [8]  # 中华 / 为什么: no pair 华为 across the space
    assert words == {"chip": 1}
    assert len(stext.fold("臺灣發展")) == 4 and stext.fold("臺灣發展") == "台湾发展"


def test_fold_table_is_opencc_s_character_table():
    opencc = pytest.importorskip("opencc", reason="opencc is a test dependency (pip install -e '.[test]')")
    from digest.search.fold import generate

    assert generate() == (ROOT / "digest" / "data" / "t2s.txt").read_text(encoding="utf-8")
    conv = opencc.OpenCC("t2s")
    assert all(conv.convert(t) == s or table().get(conv.convert(t)) == s for t, s in table().items())
    assert table()["臺"] == "台" and table()["為"] == "为" and table()["爲"] == "为"


# --- shards ---------------------------------------------------------------------------------------

PYPROJECT = """[tool.digest]
title = "Shard Digest"
base_url = "https://example.org/"
timezone = "Asia/Shanghai"
"""


def _articles(n: int, start: int = 0) -> str:
    out = []
    for i in range(start, start + n):
        month = 1 + i % 6
        year = 2025 if i % 2 else 2026
        own = "".join(chr(0x4E00 + (i * 7919 + k * 104729) % 20000) for k in range(24))  # (its own words: not
        out.append(f"-- content/a{i:03d}.md --\n---\ntitle: 第{i}篇 芯片 article\ndate: {year}-{month:02d}-{1 + i % 27:02d}\n"
                   f"---\n华为第{i}次发布新的芯片，数据中心需求上升。{own}。Chips number {i}.\n")  # copies of one story)
    return "\n".join(out)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _shards(root: Path) -> dict[str, str]:
    entry = json.loads((root / "output" / "search" / "data" / "entry.json").read_bytes())
    return {s["dir"].rsplit("-", 1)[0]: s["dir"] for s in entry["shards"]}


def _build(root: Path, **kw):
    result = build_site(load_settings(root), **kw)
    assert result.ok, [str(e) for e in result.report.errors]
    return result


@pytest.fixture
def small_shards(monkeypatch):
    import digest.search as search

    monkeypatch.setattr(search, "SHARD_MAX", 12)
    return search


def test_an_edit_or_a_new_article_rebuilds_one_shard(tmp_path, small_shards):
    root = write_site(tmp_path / "site", _articles(60), PYPROJECT)
    _build(root)
    before = _shards(root)
    assert {"2025", "2026"} & set(before) == set() and "2026-01" in before  # 30 a year: month shards
    tree = _tree(root / "output" / "search" / "data")
    # an edit: a2-month shard of 2026 changes (a002 is dated 2026-03-03), no other
    p = root / "content" / "a002.md"
    p.write_text(p.read_text(encoding="utf-8").replace("数据中心", "光刻机"), encoding="utf-8")
    _build(root)
    after = _shards(root)
    assert small_shards.last_built == 1
    assert {k for k in before if before[k] != after[k]} == {"2026-03"}
    new_tree = _tree(root / "output" / "search" / "data")
    for sid, d in before.items():
        if sid != "2026-03":  # unchanged shards: the same files, byte for byte
            assert {k: v for k, v in new_tree.items() if k.startswith(d + "/")} == \
                   {k: v for k, v in tree.items() if k.startswith(d + "/")}
    assert not any(k.startswith(before["2026-03"] + "/") for k in new_tree)  # the old one is gone
    # a new article: its month's shard only. The page of its neighbour (the next newer article,
    # in 2026-01: no article in 2025-07 … 12) now links to it, but what is indexed is the same.
    neighbour = {p: p.read_bytes() for p in (root / "output" / "posts").glob("*/index.html")}
    (root / "content" / "new.md").write_text("---\ntitle: 新文章\ndate: 2025-06-30\n---\n昇腾芯片。\n",
                                             encoding="utf-8")
    _build(root)
    changed = [p for p, data in neighbour.items() if p.read_bytes() != data]
    assert len(changed) >= 1 and "新文章" in changed[0].read_text(encoding="utf-8")  # a neighbour's link
    assert small_shards.last_built == 1
    assert {k for k in after if _shards(root).get(k) != after[k]} == {"2025-06"}


def test_same_bytes_serial_parallel_and_after_damage(tmp_path, small_shards):
    spec = _articles(60)
    a = write_site(tmp_path / "a", spec, PYPROJECT)
    b = write_site(tmp_path / "b", spec, PYPROJECT)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(small_shards, "PARALLEL_MIN", 0)
        forked = small_shards.forked
        _build(a)  # forked workers build the shards
        assert small_shards.forked == forked + 1
    _build(b, parallel=False)
    assert _tree(a / "output" / "search") == _tree(b / "output" / "search")
    # a damaged cache costs time only
    caches = sorted(p for p in (b / ".digest-cache" / "search").rglob("*.pickle")
                    if p.name != "pages.pickle" and p.parent.name != "records")
    assert len(caches) == len(_shards(b))
    for how, p in zip(("deleted", "truncated", "garbage"), caches):
        damage(p, how)
    damage(next((b / ".digest-cache" / "search").rglob("pages.pickle")), "garbage")  # every page read again
    p = b / "content" / "a001.md"
    p.write_text(p.read_text(encoding="utf-8") + "\n更多。\n", encoding="utf-8")
    _build(b)
    assert 3 <= small_shards.last_built <= 4
    p.write_text(p.read_text(encoding="utf-8").replace("\n更多。\n", ""), encoding="utf-8")
    _build(b)
    assert _tree(a / "output" / "search") == _tree(b / "output" / "search")


# --- the preview ----------------------------------------------------------------------------------

def test_the_preview_never_waits_for_the_index(tmp_path, monkeypatch):
    """A preview build returns with its pages written while the index is still being built (in a
    child process, held here until the test lets it go); the index arrives in the preview folder
    after, and a save meanwhile supersedes it."""
    import gzip

    import digest.search as search
    from digest.search import background
    from digest.serve import PREVIEW_DIR, preview_settings

    assert search.PREVIEW_DIR == PREVIEW_DIR
    root = write_site(tmp_path / "site", _articles(8), PYPROJECT)
    settings = preview_settings(load_settings(root), "127.0.0.1", 8000)
    out = settings.output_path
    hold = tmp_path / "go"
    monkeypatch.setenv(background.HOLD, str(hold))
    result = build_site(settings, parallel=False, defer_save=True, trust_output=True)
    assert result.ok
    result.finish()
    # the build is done and its pages are there; the index is not, it is held
    assert (out / "search" / "index.html").is_file() and (out / "posts" / "a001" / "index.html").is_file()
    assert not (out / "search" / "data").exists()
    assert not any(p.startswith("search/data/") for p in json.loads((out / ".digest-manifest.json").read_bytes()))
    # a save while the index is held: built at once as well
    p = root / "content" / "a001.md"
    p.write_text(p.read_text(encoding="utf-8").replace("数据中心", "光刻机"), encoding="utf-8")
    result = build_site(settings, parallel=False, defer_save=True, trust_output=True)
    assert result.ok
    result.finish()
    assert "光刻机" in (out / "posts" / "a001" / "index.html").read_text(encoding="utf-8")
    assert not (out / "search" / "data").exists()
    hold.write_text("go")
    assert background.wait(60)
    entry = json.loads((out / "search" / "data" / "entry.json").read_bytes())
    docs = json.loads(gzip.decompress((out / "search" / "data" / entry["docs"]).read_bytes()))
    assert sum(len(d) for d in docs) == 8
    texts = [t for f in sorted((out / "search" / "data").glob("*/t*.dat")) for t in json.loads(gzip.decompress(f.read_bytes()))]
    assert any("光刻机" in t for t in texts)  # the newest save's text, not the first build's
    # only the shards listed are left, and the commit of the next build leaves the index alone
    listed = {s["dir"] for s in entry["shards"]} | {s["pack"] for s in entry["shards"] if "pack" in s}
    assert {d.name for d in (out / "search" / "data").iterdir() if d.is_dir()} == listed
    (root / "content" / "b.md").write_text("---\ntitle: B\ndate: 2026-02-02\n---\n华为。\n", encoding="utf-8")
    result = build_site(settings, parallel=False, defer_save=True, trust_output=True)
    result.finish()
    assert (out / "search" / "data" / "entry.json").is_file()
    assert background.wait(60)
    entry = json.loads((out / "search" / "data" / "entry.json").read_bytes())
    assert sum(s["docs"] for s in entry["shards"]) == 9
    assert all(stat_mode(f) == 0o644 for f in (out / "search" / "data").rglob("*") if f.is_file())


def stat_mode(p: Path) -> int:
    import stat

    return stat.S_IMODE(p.stat().st_mode)


def _state(pid: int) -> str | None:
    """A process's state letter (T: stopped), None once it is gone (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def _nice(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    except (OSError, ValueError, IndexError):
        return None


def _until(check, timeout: float = 30.0) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads process states from /proc (Linux)")
def test_a_save_pauses_the_preview_index_until_its_rebuild_is_over(tmp_path, monkeypatch):
    """The preview stops the running index (its process group) while a save is rebuilt
    (background.pause) and lets it go on after (resume); an index started meanwhile starts
    stopped; a newer build ends a stopped index (no stopped child is left waiting, no thread
    blocked on it) and the index that arrives is the newest build's."""
    import gzip

    from digest.search import background
    from digest.serve import preview_settings

    root = write_site(tmp_path / "site", _articles(8), PYPROJECT)
    settings = preview_settings(load_settings(root), "127.0.0.1", 8000)
    out = settings.output_path
    hold = tmp_path / "go"
    monkeypatch.setenv(background.HOLD, str(hold))  # each child waits (running) until this file exists
    entry = out / "search" / "data" / "entry.json"

    a001 = root / "content" / "a001.md"
    plain = a001.read_text(encoding="utf-8")

    def build(word: str | None = None):
        if word:
            a001.write_text(plain.replace("数据中心", word), encoding="utf-8")
        result = build_site(settings, parallel=False, defer_save=True, trust_output=True)
        assert result.ok
        result.finish()

    def child():
        with background._lock:
            return background._child

    try:
        # 1. a running index is stopped by pause() and goes on after resume()
        build()
        assert _until(lambda: child() is not None and _state(child().pid) not in (None, "T"))
        first = child()
        assert _until(lambda: _nice(first.pid) == background.NICE)  # a low priority
        background.pause()
        assert _until(lambda: _state(first.pid) == "T"), "pause() did not stop the index"
        hold.write_text("go")
        import time

        time.sleep(0.5)
        assert _state(first.pid) == "T" and not entry.exists()  # stopped: it does not index meanwhile
        background.resume()
        assert _until(lambda: _state(first.pid) != "T")
        assert background.wait(60) and entry.is_file()

        # 2. paused: the index a build queues starts stopped; a newer build ends it for its own
        hold.unlink()
        background.pause()
        build("光刻机")
        assert _until(lambda: child() is not None)
        second = child()
        assert _until(lambda: _state(second.pid) == "T"), "an index started during a rebuild ran"
        build("先进封装")  # a newer save's build: the stopped index is out of date
        assert _until(lambda: child() is not None and child() is not second)
        assert second.wait(10) == -15  # ended (SIGTERM reached the stopped group)
        third = child()
        assert _until(lambda: _state(third.pid) == "T")
        background.resume()
        hold.write_text("go")
        assert background.wait(60)
        texts = [t for f in sorted((out / "search" / "data").glob("*/t*.dat"))
                 for t in json.loads(gzip.decompress(f.read_bytes()))]
        assert any("先进封装" in t for t in texts) and not any("光刻机" in t for t in texts)

        # 3. the preview ending while a rebuild paused the index: the index goes on (exit handler)
        hold.unlink()
        background.pause()
        build("数据中心")
        assert _until(lambda: child() is not None and _state(child().pid) == "T")
        fourth = child()
        background._go_on_at_exit()
        assert _until(lambda: _state(fourth.pid) != "T")
    finally:
        background.resume()
        hold.write_text("go")
        assert background.wait(60)
    assert not background.paused()
