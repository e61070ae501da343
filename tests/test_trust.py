"""Metadata a curator can trust: undated articles out of the feeds, renames noticed, aliases
redirecting, the interface language checked, inspect --json complete, summaries plain text."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from digest.config import load_settings
from digest.errors import SettingsError
from digest.pipeline import build_site

PARA = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，分析人士认为这将深刻影响全球半导体供应链。"
SITE = f"""\
-- content/dated.txt --
中美芯片竞争进入新阶段
2026-03-05 10:12 来源：东方科技报

{PARA}

{PARA}
-- content/undated.txt --
没有日期的文章标题

{PARA}

{PARA}
-- content/md.md --
---
title: Markdown article
date: 2026-03-04
tags: [chips]
---
**The U.S. Commerce Department** said on Tuesday that [new rules](https://example.com) would follow. Dr. Smith of Acme Inc. agreed with the plan and said it was overdue by years.
"""


def build(root, **kw):
    return build_site(load_settings(root), parallel=False, **kw)


def test_undated_articles_stay_out_of_the_feeds_with_a_warning(make_site):
    root = make_site(SITE)
    result = build(root)
    atom = (root / "output/atom.xml").read_text(encoding="utf-8")
    assert "没有日期的文章标题" not in atom and "中美芯片竞争进入新阶段" in atom
    assert any("left out of the feeds" in w.message and w.path == "content/undated.txt" or
               "left out of the feeds" in w.message for w in result.report.warnings)
    first = (root / "output/atom.xml").read_bytes()
    other = "多家云服务商宣布扩建数据中心，业内人士认为，算力需求将在未来几年持续增长，电力供应成为新的瓶颈。"
    # (its own text: a copy of dated.txt's would be the same story, shown once: stories.py)
    (root / "content/newer.txt").write_text(f"更新的文章\n2026-03-09 10:12\n\n{other}\n\n{other[::-1]}\n", encoding="utf-8")
    build(root)
    assert "没有日期的文章标题" not in (root / "output/atom.xml").read_text(encoding="utf-8")
    assert first != (root / "output/atom.xml").read_bytes()  # the new article is in


def test_summaries_and_descriptions_are_plain_text(make_site):
    root = make_site(SITE)
    build(root)
    page = (root / "output/posts/md/index.html").read_text(encoding="utf-8")
    index = (root / "output/index.html").read_text(encoding="utf-8")
    desc = page.split('<meta name="description" content="')[1].split('"')[0]
    assert "**" not in desc and "](" not in desc and desc.startswith("The U.S. Commerce Department said")
    assert "**" not in index.split('class="summary"')[1].split("</p>")[0]
    assert "**" not in (root / "output/rss.xml").read_text(encoding="utf-8").split("<description>", 2)[2][:300]


def test_a_dateline_with_its_source_is_not_the_summary(make_site):
    root = make_site(SITE)
    build(root)
    index = (root / "output/index.html").read_text(encoding="utf-8")
    assert "来源：东方科技报" not in index and "东方科技报" in index


def test_a_renamed_file_is_noticed_and_aliases_redirect(make_site):
    root = make_site(SITE)
    build(root)
    text = (root / "content/dated.txt").read_text(encoding="utf-8")
    (root / "content/dated.txt").unlink()
    (root / "content/renamed.txt").write_text(text, encoding="utf-8")
    result = build(root)
    notes = [w for w in result.report.warnings if "renamed" in w.message]
    assert len(notes) == 1 and notes[0].path == "renamed.txt"
    assert "dated.txt" in notes[0].message and "aliases: [posts/dated/]" in notes[0].hint and "id: urn:uuid:" in notes[0].hint
    old_id = notes[0].hint.split("'id: ")[1].split("'")[0]
    (root / "content/renamed.txt").write_text(f"---\naliases: [posts/dated/]\nid: {old_id}\n---\n{text}", encoding="utf-8")
    result = build(root)
    assert not [w for w in result.report.warnings if "renamed" in w.message]
    redirect = (root / "output/posts/dated/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../renamed/">' in redirect
    assert '<link rel="canonical" href="https://example.org/sub/posts/renamed/">' in redirect
    assert "posts/dated/" not in (root / "output/sitemap.xml").read_text(encoding="utf-8")
    assert old_id in (root / "output/atom.xml").read_text(encoding="utf-8")


def test_an_alias_never_replaces_a_page(make_site):
    root = make_site(SITE + "-- content/other.md --\n---\ntitle: Other\ndate: 2026-03-01\naliases: [posts/md/, tags/]\n---\nText.\n")
    result = build(root)
    assert sum("no redirect written" in w.message for w in result.report.warnings) == 2
    assert "Markdown article" in (root / "output/posts/md/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("value,words", [
    ("zh-CN", ["did you mean 'zh-Hans'"]),
    ("zh-TW", ["did you mean 'zh-Hant'"]),
    ("fr", ["'en', 'zh-Hans', 'zh-Hant'"]),
])
def test_language_is_checked_with_a_helpful_message(make_site, value, words):
    root = make_site("", pyproject=f'[tool.digest]\nlanguage = "{value}"\nsearch = false\n')
    with pytest.raises(SettingsError) as e:
        load_settings(root)
    assert all(w in str(e.value) for w in words)


def test_a_zh_hant_interface(make_site):
    root = make_site(SITE, pyproject='[tool.digest]\nlanguage = "zh-Hant"\nsearch = false\ntimezone = "Asia/Taipei"\n')
    build(root)
    page = (root / "output/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in page and "標籤" in page and "來源" in page


def test_inspect_json_carries_warnings_tags_summary_and_url(make_site):
    root = make_site(SITE)
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "inspect", "content/md.md", "--json"],
                       capture_output=True, text=True, cwd=root)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["tags"] == ["chips"] and obj["url"] == "https://example.org/sub/posts/md/"
    assert obj["summary"].startswith("The U.S. Commerce Department said") and "**" not in obj["summary"]
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "inspect", "content/undated.txt", "--json"],
                       capture_output=True, text=True, cwd=root)
    obj = json.loads(r.stdout)
    assert obj["date"] is None and any("no date found" in w for w in obj["warnings"])
    assert obj["source"] is None
