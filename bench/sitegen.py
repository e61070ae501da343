"""A synthetic digest site for benchmarks: deterministic (seeded), scraped-style .txt articles
with page boilerplate, and .md articles with YAML front matter; Chinese and English.

    generate(Path("bench/sites/1000"), 1000)
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

TAGS_ZH = ["人工智能", "芯片", "出口管制", "大模型", "开源", "机器人", "半导体", "算力", "数据中心", "监管",
           "投资", "人才", "自动驾驶", "云计算", "台积电", "英伟达", "华为", "深度求索", "美国", "中国"]
TAGS_EN = ["AI", "chips", "export controls", "LLMs", "open source", "robotics", "semiconductors", "compute",
           "data centers", "regulation", "venture capital", "talent", "autonomy", "cloud", "TSMC", "Nvidia",
           "Huawei", "DeepSeek", "policy", "geopolitics"]
SOURCES_ZH = ["新华网", "澎湃新闻", "财新网", "第一财经", "界面新闻", "36氪", "虎嗅网", "钛媒体", "南方周末",
              "经济观察网", "中国日报", "环球时报", "联合早报", "央视新闻", "科技日报", "每日经济新闻"]
SOURCES_EN = ["Reuters", "Bloomberg", "Financial Times", "The Economist", "Wired", "The Verge", "TechCrunch",
              "South China Morning Post", "Nikkei Asia", "The Information", "MIT Technology Review",
              "Foreign Policy", "The Atlantic", "Politico", "Axios", "Rest of World"]
ZH_SUBJ = ["美国商务部", "中国科技企业", "英伟达", "华为", "多家初创公司", "研究人员", "分析人士", "监管机构",
           "投资者", "开发者社区", "地方政府", "芯片制造商", "云服务商", "高校实验室", "行业协会"]
ZH_VERB = ["表示", "宣布", "正在评估", "加快推进", "重新审视", "大幅增加了", "公开讨论了", "试图限制", "积极布局",
           "持续投入", "低估了", "重新定义了"]
ZH_OBJ = ["先进芯片的出口", "大模型的训练成本", "算力基础设施", "开源模型的影响力", "人才的流动", "数据中心的电力需求",
          "人工智能的商业化", "半导体供应链", "技术标准的制定", "监管框架", "自动驾驶的落地", "机器人量产计划"]
ZH_TAIL = ["，这引发了业内的广泛关注", "，但前景仍不明朗", "，相关影响可能持续数年", "，市场对此反应不一",
           "，不过具体细节尚未公布", "，专家认为这一趋势难以逆转", "", "", ""]
EN_SUBJ = ["The Commerce Department", "Chinese labs", "Nvidia", "Huawei", "Several start-ups", "Researchers",
           "Analysts", "Regulators", "Investors", "Open-source developers", "Chipmakers", "Cloud providers"]
EN_VERB = ["announced new limits on", "are racing to expand", "have underestimated", "quietly shifted",
           "are spending heavily on", "warned about", "pushed back against", "are rethinking", "doubled down on"]
EN_OBJ = ["advanced chip exports", "the cost of training frontier models", "data-center capacity",
          "open-weight models", "the flow of engineering talent", "power demand from AI", "humanoid robots",
          "semiconductor supply chains", "technical standards", "the regulatory framework", "self-driving fleets"]
EN_TAIL = [", according to people familiar with the matter", ", though the details remain unclear",
           ", a shift that could last for years", ", and markets reacted nervously", "", "", ""]


def _zh_sentence(r: random.Random) -> str:
    return f"{r.choice(ZH_SUBJ)}{r.choice(ZH_VERB)}{r.choice(ZH_OBJ)}{r.choice(ZH_TAIL)}。"


def _en_sentence(r: random.Random) -> str:
    return f"{r.choice(EN_SUBJ)} {r.choice(EN_VERB)} {r.choice(EN_OBJ)}{r.choice(EN_TAIL)}."


def _paragraphs(r: random.Random, zh: bool, chars: int) -> list[str]:
    out, total = [], 0
    while total < chars:
        n = r.randint(3, 6)
        p = ("" if zh else " ").join((_zh_sentence if zh else _en_sentence)(r) for _ in range(n))
        out.append(p)
        total += len(p)
    return out


def _title(r: random.Random, zh: bool, i: int) -> str:
    if zh:
        return f"{r.choice(ZH_SUBJ)}{r.choice(ZH_VERB)}{r.choice(ZH_OBJ)}（{i}）"
    return f"{r.choice(EN_SUBJ)} {r.choice(EN_VERB)} {r.choice(EN_OBJ)} ({i})"


def _stamp(r: random.Random, start: datetime) -> datetime:
    return start + timedelta(minutes=r.randint(0, 3 * 365 * 24 * 60))


def _related(r: random.Random, zh: bool, when: datetime) -> list[str]:
    lines = ["相关推荐" if zh else "Related"]
    for k in range(r.randint(3, 6)):
        lines += [_title(r, zh, r.randint(1, 99999)), r.choice(SOURCES_ZH if zh else SOURCES_EN),
                  (when - timedelta(hours=k + 1)).strftime("%Y-%m-%d %H:%M")]
    return lines


def _comments(r: random.Random, zh: bool) -> list[str]:
    lines = ["评论列表" if zh else "Comments"]
    for _ in range(r.randint(2, 5)):
        lines += [f"{r.choice(['网友', '用户', 'reader', 'guest'])}{r.randint(100, 9999)} {r.randint(0, 999)}",
                  _zh_sentence(r) if zh else _en_sentence(r)]
    return lines


def txt_article(r: random.Random, i: int, start: datetime) -> str:
    zh = r.random() < 0.6
    when = _stamp(r, start)
    title = _title(r, zh, i)
    source = r.choice(SOURCES_ZH if zh else SOURCES_EN)
    tags = r.sample(TAGS_ZH if zh else TAGS_EN, r.randint(1, 4))
    head = ["---", f"tags: [{', '.join(tags)}]"]
    if r.random() < 0.3:
        head.append(f"date: {when.strftime('%Y-%m-%dT%H:%M:%S')}")
    head.append("---")
    crumbs = "首页 > 科技 > 人工智能" if zh else "Home › Technology › AI"
    share = "分享到：微信 微博 QQ空间" if zh else "Share this article"
    dated = r.random() < 0.85
    stamp = when.strftime("%Y-%m-%d %H:%M") if zh else when.strftime("%B %d, %Y")
    byline = ([stamp] if dated else []) + [f"来源：{source}" if zh else f"Source: {source}"]
    body = _paragraphs(r, zh, r.randint(1100, 3000))
    notice = ("特别声明：以上内容（如有图片或视频亦包括在内）为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。"
              if zh else "Notice: The content above is uploaded and posted by a user of the platform.")
    lines = head + [crumbs, "", title, *byline, share, f"阅读 {r.randint(1, 99)}万" if zh else f"{r.randint(1, 999)} comments", ""]
    lines += [p + "\n" for p in body]
    lines += [notice, ""] + _related(r, zh, when) + [""] + _comments(r, zh)
    return "\n".join(lines) + "\n"


def md_article(r: random.Random, i: int, start: datetime) -> str:
    zh = r.random() < 0.5
    when = _stamp(r, start)
    title = _title(r, zh, i)
    tags = r.sample(TAGS_ZH if zh else TAGS_EN, r.randint(1, 4))
    fm = ["---", f'title: "{title}"']
    if r.random() < 0.9:
        fm.append(f"date: {when.isoformat()}")
    fm += [f"source: {r.choice(SOURCES_ZH if zh else SOURCES_EN)}", f"tags: [{', '.join(tags)}]"]
    if r.random() < 0.3:
        fm.append(f"source_url: https://example.com/{i}")
    fm.append("---")
    body = _paragraphs(r, zh, r.randint(1300, 3600))
    if len(body) > 3:
        body.insert(2, "## " + (r.choice(ZH_OBJ) if zh else r.choice(EN_OBJ).capitalize()))
        body.insert(4, "- " + "\n- ".join(r.choice(ZH_OBJ if zh else EN_OBJ) for _ in range(3)))
    return "\n".join(fm) + "\n\n" + "\n\n".join(body) + "\n"


def article(i: int, seed: int = 7) -> tuple[str, str]:
    """(relative path, text) of article i; the same i always gives the same file."""
    r = random.Random(seed * 1_000_003 + i)
    start = datetime(2023, 1, 1)
    folder = f"{2023 + i % 3}"
    if r.random() < 0.55:
        return f"{folder}/a{i:05d}.txt", txt_article(r, i, start)
    return f"{folder}/a{i:05d}.md", md_article(r, i, start)


PYPROJECT = """[tool.digest]
title = "Benchmark Digest"
description = "A synthetic digest for benchmarks."
base_url = "https://example.org/digest/"
language = "en"
timezone = "Asia/Shanghai"
per_page = 20
feed_size = 50
search = false
"""


def generate(site: Path, n: int, search: bool = False) -> Path:
    """Write a fresh site with n articles into `site` (removing what was there); search: the
    site as shipped (search = true), else without the search index."""
    if site.exists():
        shutil.rmtree(site)
    content = site / "content"
    for i in range(n):
        rel, text = article(i)
        p = content / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (site / "pyproject.toml").write_text(PYPROJECT.replace("search = false", f"search = {str(search).lower()}"),
                                         encoding="utf-8")
    return site
