"""Syndicated copies (issue 20): copies of one story found among the cleaned articles and shown
once; different reporting on the same topic kept apart. Copies are generated (tests/storygen.py):
other junk, other script, truncated, lightly edited."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

import storygen
from conftest import ROOT, write_site
from digest import stories
from digest.config import load_settings
from digest.errors import Report
from digest.model import Article
from digest.pipeline import build_site


def art(rel: str, body: str, lang: str = "zh-Hans", day: int = 1, **kw) -> Article:
    values = dict(rel=rel, slug=rel.rsplit(".", 1)[0], url=f"posts/{rel.rsplit('.', 1)[0]}/", id=rel, title=rel,
                  title_found=True, date=datetime(2026, 3, day, tzinfo=timezone.utc), updated=None, author=None,
                  source=rel.split("-")[0], source_url=None, tags=(), lang=lang, summary="", draft=False,
                  body_md=body, body_html="", text_chars=len(body), reading_minutes=1, digest="d-" + rel)
    values.update(kw)
    return Article(**values)


def grouped(stories_: list) -> dict[str, str]:
    return {m.rel: s.canonical for s in stories_ for m in s.members}


# ---------------------------------------------------------------- the evaluation set


def test_precision_and_recall_on_the_generated_evaluation_set():
    """≥ 200 copy pairs (junk, Traditional, truncated, edited) and ≥ 200 same-topic non-copy
    pairs (same names, a quoted statement in common): both precision and recall ≥ 0.98."""
    bodies, copies, others = storygen.evaluation_set()
    assert len(copies) >= 200 and len(others) >= 200
    arts = [art(name, body, "en" if int(name[1:4]) % 2 else "zh-Hans") for name, body in bodies.items()]
    found = grouped(stories.find_stories(arts, Report(), use_parallel=False))

    def same(x, y):
        return x in found and found[x] == found.get(y)

    tp = sum(same(x, y) for x, y in copies)
    fp = sum(same(x, y) for x, y in others)
    precision, recall = tp / max(1, tp + fp), tp / len(copies)
    print(f"copy pairs {len(copies)}, non-copy pairs {len(others)}: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


@pytest.mark.parametrize("kind", storygen.KINDS)
def test_each_kind_of_copy_is_found(kind):
    r = random.Random(kind)
    topic = storygen.ZH_TOPICS[0]
    original = storygen.story(r, True, topic)
    copy = storygen.copy_of(r, original, True, topic, kind)
    other = storygen.story(r, True, topic)
    arts = [art("a.md", "\n\n".join(original)), art("b.md", "\n\n".join(copy), day=2),
            art("c.md", "\n\n".join(other), day=3)]
    found = stories.find_stories(arts, Report(), use_parallel=False)
    assert [[m.rel for m in s.members] for s in found] == [["a.md", "b.md"]]


def test_same_event_different_reporting_stays_apart():
    """Two reports of one event, with the same names, numbers and the statement both quote."""
    r = random.Random(5)
    topic = storygen.EN_TOPICS[0]
    q = storygen.quote(r, False, topic)
    arts = [art(f"r{k}.md", "\n\n".join(storygen.story(r, False, topic, quote=q)), "en") for k in range(6)]
    assert stories.find_stories(arts, Report(), use_parallel=False) == []


def test_grouping_does_not_depend_on_the_order_of_the_files():
    bodies, _, _ = storygen.evaluation_set(seed=7, topics=8)
    arts = [art(name, body) for name, body in bodies.items()]
    first = stories.find_stories(arts, Report(), use_parallel=False)
    for seed in range(3):
        random.Random(seed).shuffle(arts)
        assert stories.find_stories(arts, Report(), use_parallel=False) == first
    assert len(first) == 8


def test_traditional_folds_to_simplified_and_digits_and_punctuation_are_normalised():
    k, ids = stories.tokens("美國擴大晶片出口管制，2026年")
    k2, ids2 = stories.tokens("美国扩大晶片出口管制, 1999年")
    assert k == k2 == stories.HAN_K and ids.tolist() == ids2.tolist()
    k, ids = stories.tokens("The U.S. said 3.5% on Tuesday")
    k2, ids2 = stories.tokens("the U.S. said: 7,2% on Tuesday!")
    assert k == k2 == stories.WORD_K and ids.tolist() == ids2.tolist() and len(ids) == 8


# ---------------------------------------------------------------- curator keys


def test_canonical_same_as_and_not_same_as():
    r = random.Random(3)
    topic = storygen.ZH_TOPICS[1]
    text = "\n\n".join(storygen.story(r, True, topic))
    other = "\n\n".join(storygen.story(r, True, topic))
    base = [art("a.md", text, day=1), art("b.md", text, day=2), art("c.md", other, day=3)]
    # earliest dated is canonical
    assert [s.canonical for s in stories.find_stories(base, Report(), use_parallel=False)] == ["a.md"]
    marked = [base[0], art("b.md", text, day=2, canonical=True), base[2]]
    assert [s.canonical for s in stories.find_stories(marked, Report(), use_parallel=False)] == ["b.md"]
    forced = [base[0], base[1], art("c.md", other, day=3, same_as=("a.md",))]
    got = stories.find_stories(forced, Report(), use_parallel=False)
    assert [[m.rel for m in s.members] for s in got] == [["a.md", "b.md", "c.md"]]
    assert "same_as" in got[0].members[2].notes
    split = [base[0], art("b.md", text, day=2, not_same_as=("a",)), base[2]]
    assert stories.find_stories(split, Report(), use_parallel=False) == []


def test_a_curator_key_naming_no_article_is_an_error_naming_the_file():
    rep = Report()
    stories.find_stories([art("a.md", "一二三"), art("b.md", "四五六", same_as=("nope.txt",))], rep,
                         use_parallel=False)
    assert len(rep.errors) == 1 and rep.errors[0].path == "b.md" and "nope.txt" in str(rep.errors[0])


@pytest.mark.parametrize("front, message", [("canonical: yes please", "canonical: expected true or false"),
                                            ("same_as: {a: 1}", "same_as: expected a list of strings"),
                                            ("not_same_as: [../etc/passwd]", "is not a file in content/")])
def test_bad_curator_keys_fail_the_build_naming_the_file(tmp_path, front, message):
    site = write_site(tmp_path / "s", f"-- content/a.md --\n---\ntitle: A\n{front}\n---\nSome text here.\n")
    result = build_site(load_settings(site), parallel=False)
    assert not result.ok
    assert result.report.errors[0].path == "a.md" and message in str(result.report.errors[0])


# ---------------------------------------------------------------- the site


def four_copies() -> str:
    """One story saved from four portals (one Traditional, one truncated, one with other junk
    and light edits) and an unrelated article on the same topic."""
    r = random.Random(20)
    topic = storygen.ZH_TOPICS[0]
    paras = storygen.story(r, True, topic, paragraphs=8)
    other = storygen.story(r, True, topic, paragraphs=6)
    trad = storygen.traditional(paras)
    short = storygen.truncated(random.Random(1), paras, True)
    edited = storygen.edited(random.Random(2), paras, True, topic)

    def page(name, title, date, source, body, url=None, lines=("首页 > 科技 > 正文",)):
        head = f"---\ntitle: {title}\ndate: {date}\nsource: {source}\ntags: [芯片]\n"
        head += f"source_url: {url}\n" if url else ""
        return f"-- content/{name} --\n{head}---\n" + "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"

    return (page("xinhua.txt", "美国扩大芯片出口管制", "2026-03-05T09:00:00+08:00", "新华网", paras,
                 "https://news.example.cn/1.html")
            + page("netease.txt", "美国扩大芯片出口管制", "2026-03-05T10:00:00+08:00", "网易号", edited,
                   lines=("网易首页 > 科技", "打开网易新闻 查看精彩图片"))
            + page("udn.txt", "美國擴大晶片出口管制", "2026-03-05T11:00:00+08:00", "聯合新聞網", trad,
                   "https://udn.example.tw/2")
            + page("sina.txt", "美国扩大芯片出口管制", "2026-03-05T12:00:00+08:00", "新浪科技", short)
            + page("other.txt", "芯片管制的另一面", "2026-03-06T09:00:00+08:00", "财新网", other))


def test_four_copies_make_one_story_page_one_feed_entry_and_three_redirects(tmp_path):
    site = write_site(tmp_path / "s", four_copies())
    result = build_site(load_settings(site))
    assert result.ok, result.report.errors
    out = site / "output"
    assert sorted(a.rel for a in result.articles) == ["other.txt", "xinhua.txt"]
    page = (out / "posts/xinhua/index.html").read_text()
    listed = page[page.index('class="copies"'):]
    order = [listed.index(name) for name in ("新华网", "网易号", "聯合新聞網", "新浪科技")]  # canonical, then by date
    assert order == sorted(order)
    filters = re.findall(r'data-pagefind-filter="source">([^<]*)<', page)  # search filters by every source too
    assert sorted(filters) == sorted(["新华网", "网易号", "聯合新聞網", "新浪科技"])
    assert "https://udn.example.tw/2" in page and "https://news.example.cn/1.html" in page
    atom = (out / "atom.xml").read_text()
    assert atom.count("<entry") == 2 and atom.count("posts/xinhua/") >= 1 and "posts/sina/" not in atom
    for name in ("netease", "udn", "sina"):
        redirect = (out / f"posts/{name}/index.html").read_text()
        assert 'rel="canonical" href="https://example.org/sub/posts/xinhua/"' in redirect
        assert 'http-equiv="refresh"' in redirect
    index = (out / "index.html").read_text()
    assert index.count('href="posts/xinhua/"') == 1 and "posts/netease/" not in index
    sitemap = (out / "sitemap.xml").read_text()
    assert "posts/udn/" not in sitemap
    # the unrelated article on the same topic stays separate
    assert (out / "posts/other/index.html").read_text().count("刊载本文的来源") == 0
    # source pages still list every source that ran it
    listed = sorted(p.parent.name for p in (out / "sources").rglob("index.html") if "posts/xinhua/" in p.read_text())
    assert listed == ["lian-he-xin-wen-wang", "wang-yi-hao", "xin-hua-wang", "xin-lang-ke-ji"]
    infos = [str(i) for i in result.report.infos if "copies of" in str(i)]
    assert len(infos) == 1 and "4 copies of '美国扩大芯片出口管制'" in infos[0]
    assert "(Traditional)" in infos[0] and "(truncated)" in infos[0]


def test_build_and_inspect_say_what_was_grouped(tmp_path):
    site = write_site(tmp_path / "s", four_copies())
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site)], capture_output=True,
                         text=True, cwd=site)
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stderr.splitlines() if "copies of" in x)
    assert re.search(r"4 copies of '美国扩大芯片出口管制': 新华网 \(canonical, xinhua.txt\), .*聯合新聞網 [01]\.\d\d "
                     r"\(Traditional", line), line
    assert re.search(r"新浪科技 [01]\.\d\d \(truncated", line), line
    got = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "inspect",
                          str(site / "content/sina.txt"), "--json"], capture_output=True, text=True, cwd=site)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["story"].startswith("4 copies of '美国扩大芯片出口管制'")
    got = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "inspect",
                          str(site / "content/other.txt")], capture_output=True, text=True, cwd=site)
    assert "story:   no other copy found" in got.stdout


def test_the_cleaning_report_lists_the_story(tmp_path):
    site = write_site(tmp_path / "s", four_copies(), pyproject=(
        "[tool.digest]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\nsearch = false\npublish_report = true\n"))
    assert build_site(load_settings(site)).ok
    report = (site / "output/report/index.html").read_text()
    for rel in ("netease.txt", "udn.txt", "sina.txt"):
        assert rel in report
    assert "truncated" in report and "(canonical)" in report


def test_an_incremental_search_finds_what_a_cold_one_finds():
    """With the last build's state, only the changed article is signed and looked up (its band
    keys against all): the stories equal those of a search from nothing, after an edit that
    makes a copy, one that unmakes it, and a deletion."""
    from dataclasses import replace

    bodies, _, _ = storygen.evaluation_set(seed=11, topics=10)
    arts = [art(name, body) for name, body in bodies.items()]
    from digest.state import BuildState

    state = BuildState(salt="")
    stories.find_stories(arts, Report(), state, use_parallel=False)
    assert stories.STATS["signed"] == len(arts)
    loner = next(i for i, a in enumerate(arts) if a.rel == "t004-other1.md")
    target = next(a for a in arts if a.rel == "t007-a.md")
    steps = [replace(arts[loner], body_md=target.body_md, digest="edited"),  # becomes a copy of t007
             replace(arts[loner], body_md=arts[loner].body_md + "\n\n新的一段。", digest="edited-2")]
    for changed in steps:
        arts[loner] = changed
        warm = stories.find_stories(arts, Report(), state, use_parallel=False)
        assert stories.STATS["signed"] == 1 and stories.STATS["articles"] > 8
        cold = stories.find_stories(arts, Report(), use_parallel=False)
        assert warm == cold
        assert ("t004-other1.md" in grouped(warm)) == (changed.digest == "edited")
    del arts[3]
    assert stories.find_stories(arts, Report(), state, use_parallel=False) == \
        stories.find_stories(arts, Report(), use_parallel=False)
