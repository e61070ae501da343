"""Incremental builds equal cold builds, byte for byte, after every kind of change.

Each test builds a site (filling .digest-cache/ and output/), changes it, builds again, and compares
the whole output tree with a cold build of a copy of the changed site. A cache that serves a stale
page fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEFAULT_PYPROJECT, assert_same_tree, write_site
from digest import parallel
from digest.config import load_settings
from digest.pipeline import build_site

# publish_report: the report pages are built with the article pages they list (one job), and
# incremental builds must keep both right
PYPROJECT = DEFAULT_PYPROJECT + "per_page = 2\nfeed_size = 3\npublish_report = true\n"

SITE = """\
-- content/chips.md --
---
title: 美国扩大芯片出口管制
date: 2026-03-05T09:12:00+08:00
source: 新浪科技
tags: [芯片, 出口管制]
---
美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。

分析人士认为，这一措施将影响全球半导体供应链。
-- content/models.md --
---
title: DeepSeek's new model narrows the gap
date: 2026-03-04
tags: [models, 芯片]
source: Reuters
---
DeepSeek released a new model on Tuesday, and analysts said it narrowed the gap with US labs.

The company did not disclose how many chips it used to train it.
-- content/power.md --
---
title: Data centers strain the grid
date: 2026-02-20
tags: [energy]
source: Reuters
summary: Power is the new bottleneck.
---
Utilities say demand from data centers has doubled in two years, and regulators are worried.
-- content/talent.md --
---
title: The race for AI talent
date: 2026-01-11
tags: [talent, models]
source: Wired
---
Labs in both countries are offering record salaries to a small pool of researchers.
-- content/undated.md --
---
title: An undated note
tags: [models]
---
A short note without a date, which sorts after every dated article in the lists.
-- content/raw/scrape.txt --
首页 > 科技 > 人工智能

算力竞赛进入新阶段

2026-03-01 10:00
来源：澎湃新闻
分享到：微信 微博 QQ空间

多家云服务商宣布扩建数据中心，业内人士认为，算力需求将在未来几年持续增长，电力供应成为新的瓶颈。

分析人士指出，芯片出口管制使得国内企业更加重视自主研发，相关投资明显增加。

特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。
"""


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def build(root: Path, **kw):
    result = build_site(load_settings(root), **kw)
    assert result.ok, [str(e) for e in result.report.errors]
    return result


def assert_same_as_cold(site: Path, tmp_path: Path, renamed: bool = False, **kw) -> None:
    incremental = build(site, **kw)
    if renamed:  # only a build that saw the old name can tell the curator about the rename
        notes = [w for w in incremental.report.warnings if "renamed" in w.message]
        assert len(notes) == 1
        incremental.report.warnings.remove(notes[0])
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("output", ".digest-cache"))
    fresh = build(cold, **kw)
    assert [str(w) for w in incremental.report.warnings] == [str(w) for w in fresh.report.warnings]
    assert_same_tree(tree(site / "output"), tree(cold / "output"), "incremental", "cold")


@pytest.fixture
def site(tmp_path):
    root = write_site(tmp_path / "site", SITE, PYPROJECT)
    build(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def theme_template(name: str) -> str:
    return (Path(__file__).resolve().parent.parent / "themes/default/templates" / name).read_text(encoding="utf-8")


def test_noop_rebuild_writes_nothing(site, tmp_path):
    result = build(site)
    assert result.written["written"] == 0 and result.written["deleted"] == 0
    assert_same_as_cold(site, tmp_path)


def test_edit_body_and_title(site, tmp_path):
    edit(site / "content/models.md", "narrows the gap", "closes the gap")
    edit(site / "content/models.md", "on Tuesday", "on Wednesday")
    assert_same_as_cold(site, tmp_path)


def test_edit_raw_scrape(site, tmp_path):
    edit(site / "content/raw/scrape.txt", "算力竞赛进入新阶段", "算力竞赛进入白热化阶段")
    assert_same_as_cold(site, tmp_path)


def test_add_article(site, tmp_path):
    (site / "content/new.md").write_text(
        "---\ntitle: A new article in the middle\ndate: 2026-02-25\ntags: [energy, brand-new]\nsource: FT\n---\n"
        "Something happened between two other articles, so both neighbours change.\n", encoding="utf-8")
    assert_same_as_cold(site, tmp_path)


def test_delete_article(site, tmp_path):
    (site / "content/power.md").unlink()  # the only article tagged 'energy'
    assert_same_as_cold(site, tmp_path)


def test_rename_file(site, tmp_path):
    (site / "content/talent.md").rename(site / "content/ai-talent.md")
    assert_same_as_cold(site, tmp_path, renamed=True)


def test_tag_and_source_change(site, tmp_path):
    edit(site / "content/talent.md", "tags: [talent, models]", "tags: [talent, 芯片, policy]")
    edit(site / "content/power.md", "source: Reuters", "source: Bloomberg")
    assert_same_as_cold(site, tmp_path)


def test_date_change_reorders(site, tmp_path):
    edit(site / "content/talent.md", "date: 2026-01-11", "date: 2026-03-06")
    assert_same_as_cold(site, tmp_path)


def test_draft_toggle(site, tmp_path):
    edit(site / "content/power.md", "summary:", "draft: true\nsummary:")
    assert_same_as_cold(site, tmp_path)
    assert_same_as_cold(site, tmp_path, drafts=True)


def test_site_template_override(site, tmp_path):
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(theme_template("article.html").replace(
        "{% block main %}", "{% block main %}\n<p class=\"override\">overridden</p>", 1), encoding="utf-8")
    assert_same_as_cold(site, tmp_path)
    (site / "templates/article.html").unlink()  # back to the theme's own template
    assert_same_as_cold(site, tmp_path)


def test_template_showing_a_neighbour_field(site, tmp_path):
    """A template may show anything of the articles it is given: a neighbour's summary too."""
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(theme_template("article.html").replace(
        "{% block main %}", "{% block main %}\n{% if older %}<p>{{ older.summary }}</p>{% endif %}", 1),
        encoding="utf-8")
    build(site)
    edit(site / "content/power.md", "Power is the new bottleneck.", "Electricity is the bottleneck.")
    assert_same_as_cold(site, tmp_path)


def test_static_override(site, tmp_path):
    (site / "static").mkdir()
    (site / "static/style.css").write_text("body { color: red }\n", encoding="utf-8")
    assert_same_as_cold(site, tmp_path)


@pytest.mark.parametrize("change", ['title = "Renamed Digest"', "per_page = 3", "feed_size = 1",
                                   'base_url = "https://example.org/other/"', 'language = "zh-Hans"',
                                   'timezone = "UTC"', 'strip_patterns = ["^分析人士"]'])
def test_settings_change(site, tmp_path, change):
    key = change.split(" = ")[0]
    lines = [l for l in PYPROJECT.splitlines() if not l.startswith(key + " ")]
    (site / "pyproject.toml").write_text("\n".join(lines + [change]) + "\n", encoding="utf-8")
    assert_same_as_cold(site, tmp_path)


def test_parallel_build_equals_serial(tmp_path, monkeypatch):
    """Forked workers give the same site, in the same order, as one process."""
    serial = write_site(tmp_path / "serial", SITE, PYPROJECT)
    build(serial)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    forked = write_site(tmp_path / "forked", SITE, PYPROJECT)
    result = build(forked)
    assert [a.rel for a in result.articles] == [a.rel for a in build(serial).articles]
    assert tree(serial / "output") == tree(forked / "output")


def test_forked_renderers_read_cached_articles_from_the_store(site, tmp_path, monkeypatch):
    """A template change re-renders every article page from the cache: forked workers read the
    bodies from SQLite through their own read-only connection, and the site equals a cold one."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(theme_template("article.html").replace(
        "<footer data-pagefind-ignore>", "<footer data-pagefind-ignore><!-- changed -->"), encoding="utf-8")
    assert_same_as_cold(site, tmp_path)


def test_articles_kept_in_memory_stay_within_their_budget(tmp_path, monkeypatch):
    """A build keeps the articles it cleaned in memory for its renderers up to KEEP_BYTES; past
    that they are read back from SQLite, and the site is the same."""
    from digest import cache

    roomy = write_site(tmp_path / "roomy", SITE, PYPROJECT)
    build(roomy)
    seen = []
    real_put = cache.ArticleStore.put_raw

    def put_raw(self, key, raw):
        real_put(self, key, raw)
        seen.append(self.kept_bytes)

    monkeypatch.setattr(cache.ArticleStore, "put_raw", put_raw)
    monkeypatch.setattr(cache, "KEEP_BYTES", 1500)
    tight = write_site(tmp_path / "tight", SITE, PYPROJECT)
    build(tight)
    assert seen and max(seen) <= 1500 and len(set(seen)) < len(seen)  # it stopped keeping
    assert tree(roomy / "output") == tree(tight / "output")


def test_article_pages_reuse_what_their_report_page_read(tmp_path, monkeypatch):
    """A report page and the article pages of the articles it lists are one job: each article is
    read from the store (a whole unpickled article) once for both. With room for 3 recent reads
    and 2 articles a report page, an article page then reads nothing itself; the pages are the
    same as with the usual sizes (but the report's)."""
    from digest import cache, site

    assert cache.RECENT > site.REPORT_PER_PAGE  # else the article pages of a report page read again
    usual = write_site(tmp_path / "usual", SITE, PYPROJECT)
    build(usual, parallel=False)
    monkeypatch.setattr(site, "REPORT_PER_PAGE", 2)
    monkeypatch.setattr(cache, "RECENT", 3)
    reads, inside = [], []
    real_load, real_article = cache.ArticleStore.load, site.SiteRenderer.render_article

    def load(self, key):
        if key not in self._recent:
            reads.append((key, bool(inside)))
        return real_load(self, key)

    def render_article(self, i):
        inside.append(i)
        try:
            return real_article(self, i)
        finally:
            inside.pop()

    monkeypatch.setattr(cache.ArticleStore, "load", load)
    monkeypatch.setattr(site.SiteRenderer, "render_article", render_article)
    small = write_site(tmp_path / "small", SITE, PYPROJECT)
    result = build(small, parallel=False)
    assert len(result.articles) == 6 and reads
    assert [key for key, in_article_page in reads if in_article_page] == []
    pages = [tree(root / "output") for root in (usual, small)]  # but the report and its list of files
    assert [{p: d for p, d in t.items() if not p.startswith(("report/", ".digest-manifest"))} for t in pages] == [
        {p: d for p, d in pages[0].items() if not p.startswith(("report/", ".digest-manifest"))}] * 2


def test_parallel_build_reports_bad_files_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    root = write_site(tmp_path / "bad", SITE + "-- content/a-empty.md --\n\n-- content/z-broken.md --\n"
                      "---\ntitle: [unclosed\n---\nbody\n", PYPROJECT)
    result = build_site(load_settings(root))
    assert [e.path for e in result.report.errors] == ["a-empty.md", "z-broken.md"]


# -- the no-op stamp: a build stops early only when nothing it reads has changed -------------------

def age(site: Path, seconds: int = 60) -> None:
    """Date every content file back: a file changed less than 2 s before a build is never trusted
    by its mtime (state.RACY_NS), so a no-op right after writing the files is a real build."""
    import os
    import time

    past = time.time_ns() - seconds * 1_000_000_000
    for p in (site / "content").rglob("*"):
        os.utime(p, ns=(past, past))

def test_noop_build_uses_the_stamp_and_keeps_the_report(site, tmp_path):
    age(site)
    first = build(site)
    again = build(site)
    assert again.noop and again.written["written"] == 0
    assert [str(w) for w in again.report.warnings] == [str(w) for w in first.report.warnings]
    assert [a.rel for a in again.articles] == [a.rel for a in first.articles]
    assert again.files == first.files


def _rewrite_same_size(path: Path, old: str, new: str) -> None:
    """Change bytes, keep the size and the mtime: only a hash can tell."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    edit(path, old, new)
    import os
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_stamp_sees_a_same_size_rewrite_in_the_same_tick(site, tmp_path):
    build(site)  # the content files were written just now: racy, never trusted by their stat
    assert not build(site).noop
    _rewrite_same_size(site / "content/models.md", "narrows the gap", "widens the gap!")
    result = build(site)
    assert not result.noop
    assert_same_as_cold(site, tmp_path)


@pytest.mark.parametrize("change", ["content", "settings", "template", "static", "rules", "deleted output",
                                    "changed output", "new file", "deleted file"])
def test_stamp_notices(site, tmp_path, change):
    age(site)
    build(site)
    assert build(site).noop
    if change == "content":
        edit(site / "content/power.md", "doubled in two years", "tripled in two years")
    elif change == "settings":
        (site / "pyproject.toml").write_text(PYPROJECT.replace("per_page = 2", "per_page = 3"), encoding="utf-8")
    elif change == "template":
        (site / "templates").mkdir()
        (site / "templates/list.html").write_text(theme_template("list.html") + "<!-- x -->\n", encoding="utf-8")
    elif change == "static":
        (site / "static").mkdir()
        (site / "static/extra.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    elif change == "rules":
        (site / "rules").mkdir()
        (site / "rules/site.toml").write_text("", encoding="utf-8")
    elif change == "deleted output":
        (site / "output/tags/index.html").unlink()
    elif change == "changed output":
        (site / "output/index.html").write_text("tampered", encoding="utf-8")
    elif change == "new file":
        (site / "content/late.md").write_text("---\ntitle: Late\ndate: 2026-01-02\n---\nLate news.\n", encoding="utf-8")
    elif change == "deleted file":
        (site / "content/undated.md").unlink()
    result = build(site)
    assert not result.noop
    assert_same_as_cold(site, tmp_path)


def test_stamp_notices_a_code_change(site, tmp_path, monkeypatch):
    from digest import cache

    age(site)
    build(site)
    assert build(site).noop
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "a new digest")
    assert not build(site).noop


def test_stamp_notices_the_drafts_option(site, tmp_path):
    edit(site / "content/power.md", "summary:", "draft: true\nsummary:")
    age(site)
    build(site)
    assert build(site).noop
    assert not build(site, drafts=True).noop
    assert_same_as_cold(site, tmp_path, drafts=True)


def test_lost_build_state_rebuilds_the_same(site, tmp_path):
    (site / ".digest-cache/state.pickle").unlink()
    (site / ".digest-cache/stamp.pickle").unlink()
    edit(site / "content/talent.md", "record salaries", "huge salaries")
    assert_same_as_cold(site, tmp_path)


def test_serial_build_without_fork(tmp_path, monkeypatch):
    """parallel=False (the live preview) never starts a process pool, and builds the same site."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    import concurrent.futures

    def no_pool(*a, **k):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    serial = write_site(tmp_path / "serial", SITE, PYPROJECT)
    result = build_site(load_settings(serial), parallel=False)
    assert result.ok
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", concurrent.futures.ProcessPoolExecutor)
    forked = write_site(tmp_path / "forked", SITE, PYPROJECT)
    build(forked)
    assert tree(serial / "output") == tree(forked / "output")


def test_report_is_paginated(tmp_path, monkeypatch):
    from digest import site as site_mod

    monkeypatch.setattr(site_mod, "REPORT_PER_PAGE", 2)
    root = write_site(tmp_path / "site", SITE, PYPROJECT)
    build(root)
    assert (root / "output/report/page/3/index.html").is_file()
    edit(root / "content/raw/scrape.txt", "算力竞赛进入新阶段", "算力竞赛进入白热化阶段")
    assert_same_as_cold(root, tmp_path)


def test_a_damaged_article_cache_is_started_again(site, tmp_path):
    """The article store is a cache written without fsync: if a crash damages it, the next
    build starts it again (same output), and the build after that uses it."""
    store = site / ".digest-cache" / "articles-v2.sqlite"
    store.write_bytes(b"this is not an SQLite database" * 100)
    (site / ".digest-cache" / "state.pickle").unlink()  # as after a crash mid-build
    assert_same_as_cold(site, tmp_path)
    edit(site / "content/models.md", "narrows the gap", "closes the gap")
    assert_same_as_cold(site, tmp_path)
    import sqlite3

    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 6


def test_articles_of_a_noop_build_come_from_the_state_without_building(site, monkeypatch):
    """result.articles after a no-op build: the same articles as the build that made the site,
    read from its build state; nothing is loaded, cleaned or rendered again."""
    from digest import pipeline

    edit(site / "content/power.md", "doubled", "tripled")
    age(site)
    full = build(site)
    assert not full.noop
    want = [(a.rel, a.slug, a.url, a.title, a.date, a.tags, a.body_html) for a in full.articles]

    def no_build(*a, **k):
        raise AssertionError("the no-op build's articles were built again")

    monkeypatch.setattr(pipeline, "load_articles", no_build)
    monkeypatch.setattr(pipeline, "build_site", no_build)
    noop = build_site(load_settings(site))
    assert noop.noop and noop.count == len(want)
    assert [(a.rel, a.slug, a.url, a.title, a.date, a.tags, a.body_html) for a in noop.articles] == want


def test_a_build_hashes_digest_code_once(site, monkeypatch):
    from digest import cache

    calls = []
    real = cache._code_fingerprint
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: calls.append(1) or real())
    edit(site / "content/power.md", "doubled", "tripled")
    age(site)
    assert not build(site).noop
    assert len(calls) == 1
    calls.clear()
    assert build(site).noop and len(calls) == 1


def test_the_preview_keeps_its_own_cache(site, tmp_path):
    """A preview build (other base_url) leaves the build's state, stamp and article store alone:
    the next `digest build` is still a no-op."""
    from digest.serve import preview_settings

    age(site)
    build(site)
    cache_dir = site / ".digest-cache"
    before = {p.name: p.read_bytes() for p in cache_dir.iterdir() if p.is_file()}
    preview = preview_settings(load_settings(site), "127.0.0.1", 8000)
    assert preview.cache_path != load_settings(site).cache_path
    result = build_site(preview)
    assert result.ok and not result.noop
    assert {p.name: p.read_bytes() for p in cache_dir.iterdir() if p.is_file()} == before
    assert (preview.cache_path / "state.pickle").is_file()
    assert build(site).noop
    assert_same_as_cold(site, tmp_path)


def test_articles_of_a_noop_build_survive_a_lost_store(site):
    """A no-op build's articles read their bodies from the store; a store lost since is healed
    by cleaning the file again, never an error."""
    age(site)
    want = {a.rel: a.body_html for a in build(site).articles}
    noop = build(site)
    assert noop.noop
    (site / ".digest-cache" / "articles-v2.sqlite").unlink()
    assert {a.rel: a.body_html for a in noop.articles} == want


def test_plain_page_values_skip_the_identity_walk_with_the_same_key(tmp_path, monkeypatch):
    """SiteRenderer.flat() reduces a page's values to plain data that identity() leaves as it
    is: page_key's plain shortcut gives the very key the walk would."""
    from digest import pages

    seen = []
    real = pages.PageSet.need_flat

    def need_flat(self, path, parts):
        if type(parts) is not str:
            seen.append(path)
            assert pages.page_key(self.salt, parts, plain=True) == pages.page_key(self.salt, parts), path
        return real(self, path, parts)

    monkeypatch.setattr(pages.PageSet, "need_flat", need_flat)
    build(write_site(tmp_path / "site", SITE, PYPROJECT))
    assert "index.html" in seen and "tags/index.html" in seen and "archive/index.html" in seen


def test_a_rebuild_that_cleans_nothing_reuses_the_evidence_fingerprints(site, tmp_path, monkeypatch):
    """No file's line shapes changed (a template change): the evidence is not made again, the
    fingerprints the last build recorded key the articles, and the site equals a cold build.
    An edit of a line no other page holds keeps the last build's evidence (fastevidence.reuse);
    one that brings a line another page holds makes it again."""
    from digest import fastevidence, pipeline

    monkeypatch.setattr(fastevidence, "REUSE_MIN", 0)  # (the kept evidence looked at on a small site too)
    calls = []
    real = pipeline.evidence_packed
    monkeypatch.setattr(pipeline, "evidence_packed", lambda shapes, *a: calls.append(1) or real(shapes, *a))
    age(site)
    build(site)
    calls.clear()
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "article.html").write_text(theme_template("article.html").replace(
        "<footer data-pagefind-ignore>", "<footer data-pagefind-ignore><!-- t -->"), encoding="utf-8")
    result = build(site)
    assert not result.noop and result.written["written"] > 0 and calls == []
    assert_same_as_cold(site, tmp_path)
    calls.clear()
    edit(site / "content/power.md", "regulators are worried", "regulators are alarmed")
    build(site)
    assert calls == []
    assert_same_as_cold(site, tmp_path)
    calls.clear()  # (the cold copy made its own)
    edit(site / "content/power.md", "regulators are alarmed.",
         "regulators are alarmed.\n\nThe company did not disclose how many chips it used to train it.")
    build(site)
    assert calls == [1]
    assert_same_as_cold(site, tmp_path)


# ---- issue 20: syndicated copies (stories.py): a story's pages, feeds and redirects after an
# incremental build equal a cold build's when a copy is added, edited or deleted


@pytest.fixture
def story_site(tmp_path):
    from test_stories import four_copies

    spec = four_copies()
    parts = spec.split("-- content/sina.txt --\n")  # the truncated copy arrives later
    root = write_site(tmp_path / "site", SITE + parts[0] + "-- content/other.txt --\n" + parts[1].split(
        "-- content/other.txt --\n")[1], PYPROJECT)
    (tmp_path / "sina.txt").write_text(parts[1].split("-- content/other.txt --\n")[0], encoding="utf-8")
    build(root)
    return root


def test_add_a_copy(story_site, tmp_path):
    (story_site / "content/sina.txt").write_bytes((tmp_path / "sina.txt").read_bytes())
    assert_same_as_cold(story_site, tmp_path)
    assert (story_site / "output/posts/sina/index.html").read_text().count('http-equiv="refresh"') == 1


def test_add_an_earlier_copy_moves_the_story_page(story_site, tmp_path):
    text = (tmp_path / "sina.txt").read_text(encoding="utf-8").replace("2026-03-05T12:00", "2026-03-04T12:00")
    (story_site / "content/sina.txt").write_text(text, encoding="utf-8")
    assert_same_as_cold(story_site, tmp_path)
    assert 'http-equiv="refresh"' in (story_site / "output/posts/xinhua/index.html").read_text()


def test_edit_a_copy_lightly_and_then_into_another_story(story_site, tmp_path):
    page = story_site / "content/netease.txt"
    text = page.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    first = next(line for line in body.splitlines() if len(line) > 40)
    edit(page, first, first[:20] + "据悉" + first[20:])
    assert_same_as_cold(story_site, tmp_path)
    edit(page, first[:20] + "据悉" + first[20:], "另一篇报道的第一段。")
    page.write_text("\n".join(line for line in page.read_text(encoding="utf-8").splitlines()
                              if len(line) < 40) + "\n另有报道称，多家企业正在评估新规对其业务的影响，具体细节尚未公布。\n",
                    encoding="utf-8")
    assert_same_as_cold(story_site, tmp_path)
    assert "http-equiv" not in (story_site / "output/posts/netease/index.html").read_text()


def test_delete_a_copy_and_the_canonical_copy(story_site, tmp_path):
    (story_site / "content/udn.txt").unlink()
    assert_same_as_cold(story_site, tmp_path)
    (story_site / "content/xinhua.txt").unlink()  # netease, the next earliest, is the story's page
    assert_same_as_cold(story_site, tmp_path)
    assert "http-equiv" not in (story_site / "output/posts/netease/index.html").read_text()


def test_curator_marks_a_canonical_copy(story_site, tmp_path):
    edit(story_site / "content/udn.txt", "source: 聯合新聞網\n", "source: 聯合新聞網\ncanonical: true\n")
    assert_same_as_cold(story_site, tmp_path)
    assert 'http-equiv="refresh"' in (story_site / "output/posts/xinhua/index.html").read_text()
