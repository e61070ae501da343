"""The cleaning report is the curator's: never in output/ unless published; `digest report`
writes it elsewhere; the preview has it. Nothing removed from an article reaches output/."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys

from conftest import ROOT

SCRAPE = """\
-- content/chips.txt --
US widens chip export controls

March 5, 2026

The US Commerce Department on Tuesday widened export controls on advanced computing chips and chipmaking equipment, officials said.

Analysts said the measures would ripple through the global semiconductor supply chain for years to come.

The rules take effect in thirty days, and companies may apply for licences in the meantime.

To: newsletter-reader@example.com
Subscribe to our newsletter for more stories like this.

Comments (2)

Zhang Weiqiang 3 hours ago
Like 12 Reply
"""

PYPROJECT = """[tool.digest]
title = "Test Digest"
base_url = "https://example.org/sub/"
strip_patterns = ["^To: "]
"""
SECRETS = (b"Zhang Weiqiang", b"newsletter-reader@example.com")


def digest(root, *args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


def every_byte(folder) -> dict:
    """Each file's bytes, the search index's gzipped files decompressed (they are searchable text)."""
    out = {}
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            out[p.relative_to(folder).as_posix()] = data
    return out


def test_nothing_removed_reaches_output(make_site):
    """A commenter's name and a newsletter's address, both removed, are nowhere in output/ —
    not in a page, a feed, the search index or a report — but the curator's report has them."""
    root = make_site(SCRAPE, pyproject=PYPROJECT)  # search on: the index is checked too
    r = digest(root)
    assert r.returncode == 0, r.stderr
    files = every_byte(root / "output")
    assert any(p.startswith("search/data/") for p in files) and "posts/chips/index.html" in files
    leaks = [(p, s) for p, data in files.items() for s in SECRETS if s in data]
    assert leaks == []
    assert not (root / "output/report").exists()
    assert b"report" not in files["robots.txt"] and b"report" not in files["sitemap.xml"]
    assert b"report/" not in files["index.html"]  # and nothing links to one

    r = digest(root, "report")
    assert r.returncode == 0, r.stderr
    assert ".digest-cache/report/index.html" in r.stdout
    page = (root / ".digest-cache/report/index.html").read_bytes()
    assert all(s in page for s in SECRETS)
    assert b'href="static/style.css"' in page and (root / ".digest-cache/report/static/style.css").is_file()
    assert b'href="https://example.org/sub/posts/chips/"' in page  # the article, where it is published
    assert re.search(rb'<p class="share">removed \d\d% of the text \(7 removed lines\)', page)  # the share


def test_report_speaks_the_site_language_and_flags_risks(make_site):
    root = make_site("-- content/short.txt --\n短文。\n", pyproject=PYPROJECT.replace(
        'strip_patterns = ["^To: "]', 'language = "zh-Hans"\nsearch = false'))
    r = digest(root, "report", "--out", str(root / "private"))
    assert r.returncode == 0, r.stderr
    page = (root / "private/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page and "清理报告" in page and "删除了" in page
    assert "⚠ no title found" in page  # the article's risk flags


def test_report_refuses_the_deployable_folder_and_foreign_folders(make_site):
    root = make_site(SCRAPE, pyproject=PYPROJECT + "search = false\n")
    r = digest(root, "report", "--out", str(root / "output/report"))
    assert r.returncode == 2 and "the folder you deploy" in r.stderr
    (root / "notes").mkdir()
    (root / "notes/todo.txt").write_text("mine", encoding="utf-8")
    r = digest(root, "report", "--out", str(root / "notes"))
    assert r.returncode == 2 and "not a report digest wrote" in r.stderr
    assert (root / "notes/todo.txt").read_text(encoding="utf-8") == "mine"
    assert digest(root, "report", "--out", str(root / "rep")).returncode == 0
    assert digest(root, "report", "--out", str(root / "rep")).returncode == 0  # its own folder: replaced


def test_publish_report_puts_it_in_output_for_those_who_want_it(make_site):
    root = make_site(SCRAPE, pyproject=PYPROJECT + "search = false\npublish_report = true\n")
    assert digest(root).returncode == 0
    out = root / "output"
    report = (out / "report/index.html").read_bytes()
    assert all(s in report for s in SECRETS) and b'content="noindex"' in report
    assert b"Disallow: /sub/report/" in (out / "robots.txt").read_bytes()
    assert b"report" not in (out / "sitemap.xml").read_bytes()
    assert b'href="report/"' in (out / "index.html").read_bytes()  # the footer links it


def test_the_preview_has_the_report(make_site):
    from digest.config import load_settings
    from digest.pipeline import build_site
    from digest.serve import preview_settings

    root = make_site(SCRAPE, pyproject=PYPROJECT + "search = false\n")
    settings = preview_settings(load_settings(root), "127.0.0.1", 8000)
    assert settings.publish_report and settings.output_path != load_settings(root).output_path
    assert build_site(settings, parallel=False).ok
    assert (settings.output_path / "report/index.html").is_file()
    assert b'href="report/"' in (settings.output_path / "index.html").read_bytes()
