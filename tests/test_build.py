"""End to end: build a fixture site and check links, feeds, sitemap, lang, safety of output/."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from conftest import ROOT

SITE = """\
-- content/chips.md --
---
title: 美国扩大芯片出口管制
date: 2026-03-05T09:12:00+08:00
author: 张三
source: 新浪科技
source_url: https://example.com/chips
tags: [芯片, 出口管制]
---
美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。

分析人士认为，这一措施将影响全球半导体供应链。
-- content/deepseek-en.md --
---
title: DeepSeek's new model narrows the gap
date: 2026-03-04
tags: [models, 芯片]
source: Reuters
---
DeepSeek released a new model on Tuesday, and analysts said it narrowed the gap with US labs.

The company did not disclose how many chips it used to train it.
-- content/taiwan.txt --
台積電赴美設廠進度

2026年3月3日 10:00

台積電周一表示，亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片。

分析師認為，這將有助於緩解美國對晶片供應的擔憂，但成本仍然是主要挑戰。
-- content/draft.md --
---
title: Not ready
date: 2026-03-06
draft: true
---
This is a draft and must not be published.
"""


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.lang, self.h1 = [], None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        for key in ("href", "src"):
            if tag in ("a", "link", "script", "img") and a.get(key):
                self.links.append(a[key])


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site(make_site):
    root = make_site(SITE)
    r = build(root)
    assert r.returncode == 0, r.stderr
    return root


def test_build_writes_every_page_kind(site):
    out = site / "output"
    for rel in ["index.html", "404.html", "atom.xml", "rss.xml", "sitemap.xml", "robots.txt",
                "archive/index.html", "tags/index.html", "sources/index.html",
                "static/style.css", "posts/chips/index.html", "posts/deepseek-en/index.html",
                "posts/taiwan/index.html", "tags/xin-pian/index.html", "tags/xin-pian/atom.xml"]:
        assert (out / rel).is_file(), rel
    assert not (out / "posts/draft").exists()
    assert not (out / "report").exists()  # the cleaning report is the curator's (tests/test_report.py)


def test_every_internal_link_resolves_to_a_file(site):
    out = site / "output"
    base = "https://example.org/sub/"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        rel = page.relative_to(out).as_posix()
        page_url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for link in parse(page).links:
            target = urljoin(page_url, link)
            if not target.startswith(base):
                assert urlsplit(target).netloc != "example.org", f"{rel}: {link} escapes the sub-path"
                continue
            path = urlsplit(target).path[len("/sub/"):]
            path = path + "index.html" if path.endswith("/") or path == "" else path
            assert (out / path).is_file(), f"{rel}: broken link {link} → {path}"


def test_pages_carry_the_article_language_and_one_h1(site):
    out = site / "output"
    assert parse(out / "posts/chips/index.html").lang == "zh-Hans"
    assert parse(out / "posts/taiwan/index.html").lang == "zh-Hant"
    assert parse(out / "posts/deepseek-en/index.html").lang == "en"
    for page in out.rglob("*.html"):
        assert parse(page).h1 == 1, page


def test_atom_feed_is_read_by_a_real_feed_client(site):
    d = feedparser.parse((site / "output/atom.xml").read_bytes())
    assert d.bozo == 0, d.get("bozo_exception")
    assert d.version == "atom10"
    titles = [e.title for e in d.entries]
    assert titles == ["美国扩大芯片出口管制", "DeepSeek's new model narrows the gap", "台積電赴美設廠進度"]
    e = d.entries[0]
    assert e.link == "https://example.org/sub/posts/chips/"
    assert e.id.startswith("urn:uuid:")
    assert e.published == "2026-03-05T09:12:00+08:00"
    assert e.updated_parsed is not None
    assert "出口管制" in e.content[0].value
    assert d.entries[2].published.startswith("2026-03-03T10:00:00+08:00")
    self_links = [l.href for l in d.feed.links if l.rel == "self"]
    assert self_links == ["https://example.org/sub/atom.xml"]
    assert 'xml:lang="zh-Hant"' in (site / "output/atom.xml").read_text()


def test_rss_feed_is_valid_too(site):
    d = feedparser.parse((site / "output/rss.xml").read_bytes())
    assert d.bozo == 0 and d.version == "rss20"
    assert len(d.entries) == 3
    assert d.feed.link == "https://example.org/sub/"
    assert [l.href for l in d.feed.links if l.rel == "self"] == ["https://example.org/sub/rss.xml"]
    assert d.entries[0].link == "https://example.org/sub/posts/chips/"
    assert d.entries[0].published == "Thu, 05 Mar 2026 09:12:00 +0800"


def test_feed_ids_do_not_depend_on_the_title(make_site, tmp_path):
    a = make_site(SITE, name="a")
    b = make_site(SITE.replace("title: 美国扩大芯片出口管制", "title: 新标题"), name="b")
    for root in (a, b):
        assert build(root).returncode == 0
    ida = feedparser.parse((a / "output/atom.xml").read_bytes()).entries
    idb = feedparser.parse((b / "output/atom.xml").read_bytes()).entries
    assert {e.id for e in ida} == {e.id for e in idb}


def test_sitemap_lists_every_article_and_not_the_report(site):
    xml = (site / "output/sitemap.xml").read_text()
    for slug in ("chips", "deepseek-en", "taiwan"):
        assert f"<loc>https://example.org/sub/posts/{slug}/</loc>" in xml
    assert "report" not in xml and "draft" not in xml


def test_every_page_announces_the_feed(site):
    for page in (site / "output").rglob("*.html"):
        assert 'rel="alternate" type="application/atom+xml"' in page.read_text(), page


def test_same_input_gives_the_same_bytes_even_in_another_folder(make_site):
    a, b = make_site(SITE, name="one"), make_site(SITE, name="two")
    assert build(a).returncode == 0 and build(b).returncode == 0 and build(b).returncode == 0
    fa = {p.relative_to(a / "output"): p.read_bytes() for p in (a / "output").rglob("*") if p.is_file()}
    fb = {p.relative_to(b / "output"): p.read_bytes() for p in (b / "output").rglob("*") if p.is_file()}
    assert fa.keys() == fb.keys()
    assert [k for k in fa if fa[k] != fb[k]] == []


def test_a_failed_build_leaves_the_previous_output_untouched(site):
    out = site / "output"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "content/bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (site / "content/worse.md").write_text("---\ndate: 2026-02-30\n---\nbody\n", encoding="utf-8")
    r = build(site)
    assert r.returncode == 1
    assert "bad.md:2" in r.stderr and "worse.md:2" in r.stderr  # every failure, with its line
    assert "Traceback" not in r.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_keep_going_builds_the_rest_and_still_fails(site):
    (site / "content/bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (site / "content/new.md").write_text("---\ntitle: Fresh\ndate: 2026-03-07\n---\nA new article.\n",
                                         encoding="utf-8")
    r = build(site, "--keep-going")
    assert r.returncode == 1
    assert (site / "output/posts/new/index.html").is_file()


def test_drafts_are_built_only_when_asked(site):
    assert build(site, "--drafts").returncode == 0
    assert (site / "output/posts/draft/index.html").is_file()


def test_summary_line_reports_counts(site):
    r = build(site)
    assert re.search(r"Built 3 articles \(1 draft skipped\)", r.stdout)
    assert re.search(r", 0 warnings, 0 errors in ", r.stdout)


def test_counts_are_spelled_in_the_singular_for_one():
    from digest.errors import plural

    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert plural(1, "draft") + " skipped" == "1 draft skipped"


def test_unknown_setting_is_a_clear_error(make_site):
    root = make_site(SITE, pyproject='[tool.digest]\ntitel = "x"\nper_page = "ten"\n')
    r = build(root)
    assert r.returncode == 2
    assert "did you mean 'title'" in r.stderr and "per_page" in r.stderr
    assert "Traceback" not in r.stderr


def test_site_templates_override_the_theme(make_site):
    root = make_site(SITE + "-- templates/404.html --\n<!DOCTYPE html><html lang=\"en\"><head></head>"
                     "<body><h1>Custom missing page</h1></body></html>\n")
    assert build(root).returncode == 0
    assert "Custom missing page" in (root / "output/404.html").read_text()


def _broken_article_template(root: Path, line12: str) -> None:
    theme = (ROOT / "themes/default/templates/article.html").read_text(encoding="utf-8").split("\n")
    theme[11] = line12  # line 12
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/article.html").write_text("\n".join(theme), encoding="utf-8")


@pytest.mark.parametrize("line12, message", [
    ("{{ article.title | shout }}", "templates/article.html:12: No filter named 'shout'"),  # compiling
    ("{{ article.no_such_field }}", "templates/article.html:12: "),  # rendering
    ('{% include "missing.html" %}', "templates/article.html:12: no template named 'missing.html'"),
])
def test_a_template_error_names_the_file_and_line_without_a_traceback(site, line12, message):
    before = (site / "output/index.html").read_bytes()
    _broken_article_template(site, line12)
    r = build(site)
    assert r.returncode == 1
    assert f"error: {message}" in r.stderr and "the site's own template" in r.stderr
    assert "Traceback" not in r.stderr and "File \"" not in r.stderr
    assert (site / "output/index.html").read_bytes() == before  # output/ left as it was


def test_a_template_error_in_a_forked_worker_is_reported_the_same(make_site, monkeypatch):
    from digest import parallel
    from digest.config import load_settings
    from digest.pipeline import build_site

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # render in worker processes even for a few pages
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    root = make_site(SITE)
    _broken_article_template(root, "{{ article.title | shout }}")
    result = build_site(load_settings(root))
    assert [str(e) for e in result.report.errors] == [
        "templates/article.html:12: No filter named 'shout' — in the site's own template: fix it and build again"]


def test_slugs_never_collide(make_site):
    root = make_site("-- content/a.md --\n---\ntitle: A\nslug: same\ndate: 2026-01-01\n---\nOne.\n"
                     "-- content/b.md --\n---\ntitle: B\nslug: same\ndate: 2026-01-02\n---\nTwo.\n")
    r = build(root)
    assert r.returncode == 0
    assert (root / "output/posts/same/index.html").is_file()
    assert (root / "output/posts/same-2/index.html").is_file()
    assert "same-2" in r.stderr


def test_many_files_with_the_same_warning_are_grouped(make_site):
    spec = "".join(f"-- content/u{i}.txt --\n美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，影响深远。第{i}篇。\n"
                   for i in range(8))
    root = make_site(spec)
    r = build(root)
    assert r.returncode == 0
    assert "warning: 8 files: cleaning: no date found" in r.stderr
    assert r.stderr.count("no date found") == 1
    assert build(root, "--verbose").stderr.count("no date found") == 8


def test_progress_counts_articles_then_pages(make_site):
    """A long build reports progress (the command line shows it only on a terminal): every
    article cleaned, then every page made, each count ending at its total."""
    from digest.config import load_settings
    from digest.pipeline import build_site

    spec = "".join(f"-- content/a{i}.md --\n---\ntitle: Article {i}\ndate: 2025-01-{i + 1:02d}\n---\n\n"
                   f"Paragraph {i} about export controls on advanced chips, and what they mean.\n"
                   for i in range(5))
    root = make_site(spec)
    calls = []
    result = build_site(load_settings(root), progress=lambda done, total, what="articles": calls.append((what, done, total)))
    assert result.ok
    arts = [c for c in calls if c[0] == "articles"]
    pages = [c for c in calls if c[0] == "pages"]
    assert arts[-1] == ("articles", 5, 5) and [c[1] for c in arts] == [1, 2, 3, 4, 5]
    assert pages and pages[-1][1] == pages[-1][2] >= 5  # at least the five article pages
    assert calls.index(arts[-1]) < calls.index(pages[0])  # cleaning first, then pages


def test_a_large_archive_has_a_page_per_year(make_site, monkeypatch):
    """Past site.ARCHIVE_SPLIT articles, archive/ lists the years and months, each year has its
    own page with every article of that year, and every link on them resolves."""
    from digest import site as site_mod
    from digest.config import load_settings
    from digest.pipeline import build_site

    monkeypatch.setattr(site_mod, "ARCHIVE_SPLIT", 2)
    spec = "".join(f"-- content/a{i}.md --\n---\ntitle: Article {i}\ndate: {2023 + i % 3}-0{i % 9 + 1}-10\n---\n\n"
                   f"Paragraph {i} about chips.\n" for i in range(6))
    spec += "-- content/undated.md --\n---\ntitle: No date at all\n---\n\nA note without a date.\n"
    root = make_site(spec)
    assert build_site(load_settings(root)).ok
    out = root / "output"
    index = (out / "archive/index.html").read_text(encoding="utf-8")
    for year in ("2023", "2024", "2025"):
        assert f'href="{year}/"' in index
        page = (out / f"archive/{year}/index.html").read_text(encoding="utf-8")
        titles = [f"Article {i}" for i in range(6) if 2023 + i % 3 == int(year)]
        assert titles and all(t in page for t in titles)
    assert "No date at all" in (out / "archive/undated/index.html").read_text(encoding="utf-8")
    assert "Article 0" not in index  # the index lists months, not every title
    for page in out.rglob("archive/**/*.html"):
        rel = page.relative_to(out).as_posix()
        page_url = "https://example.org/digest/" + rel[: -len("index.html")]
        for link in parse(page).links:
            target = urljoin(page_url, link)
            if target.startswith("https://example.org/digest/"):
                path = urlsplit(target).path[len("/digest/"):]
                path = path + "index.html" if path.endswith("/") or path == "" else path
                assert (out / path).is_file(), f"{rel}: broken link {link}"


@pytest.mark.parametrize("umask, file_mode, dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_output_gets_the_modes_the_umask_gives(make_site, umask, file_mode, dir_mode):
    """A web server running as another user must read output/ (tempfile's 0700/0600 broke it)."""
    import os
    import stat

    root = make_site(SITE)

    def run():
        r = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root)], capture_output=True,
                           text=True, timeout=120, preexec_fn=lambda: os.umask(umask))
        assert r.returncode == 0, r.stderr

    def modes():
        out = root / "output"
        found = {(p.relative_to(root).as_posix(), stat.S_IMODE(p.stat().st_mode), p.is_dir())
                 for p in [out, *out.rglob("*")]}
        wrong = [(rel, oct(m)) for rel, m, is_dir in found if m != (dir_mode if is_dir else file_mode)]
        assert not wrong, wrong

    run()  # a first build renames its staging folder into place
    modes()
    (root / "content/new.md").write_text("---\ntitle: New\ndate: 2026-03-08\n---\nA new one.\n", encoding="utf-8")
    run()  # a later build moves files in and rewrites the manifest
    modes()


def test_the_preview_banner_names_the_site_template_and_line(make_site):
    from digest.config import load_settings
    from digest.preview_http import error_banner
    from digest.serve import Preview

    root = make_site(SITE)
    preview = Preview(load_settings(root), "127.0.0.1", 8000, drafts=False)
    errors, _, _ = preview.build()
    assert errors == []
    _broken_article_template(root, "{{ article.title | shout }}")
    errors, _, _ = preview.build()
    banner = error_banner(errors).decode()
    assert "templates/article.html:12: No filter named &#x27;shout&#x27; — in the site&#x27;s own template" in banner
    assert "internal error" not in banner


def test_files_that_are_not_articles_are_reported_not_skipped_in_silence(site):
    (site / "content/page.docx").write_bytes(b"PK\x03\x04 a word document")
    (site / "content/sub").mkdir()
    (site / "content/sub/paper.pdf").write_bytes(b"%PDF-1.7\n")
    (site / "content/_notes.html").write_text("private, unread", encoding="utf-8")  # _names: unread by design
    r = build(site)
    assert r.returncode == 0
    assert ("warning: page.docx: not read: a .docx file — articles are .txt, .md, .markdown or saved web pages "
            "(.html, .htm, .mhtml)") in r.stderr
    assert "warning: sub/paper.pdf: not read: a .pdf file" in r.stderr and "_notes" not in r.stderr
    assert build(site).stderr == r.stderr  # a no-op build says it again
    assert build(site, "--strict").returncode == 1
    (site / "content/page.docx").unlink()
    (site / "content/sub/paper.pdf").unlink()
    r = build(site)
    assert "not read" not in r.stderr


def test_the_shipped_sample_site_passes_strict(tmp_path):
    """A fresh clone's `python build.py --strict` succeeds: the sample's front matter supplies what
    its raw scrapes do not say (the check itself is unchanged)."""
    import shutil

    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    r = build(tmp_path, "--strict")
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr
