"""The cache can make a build faster, never make it fail: issue 16's sequence, and every cache
file missing, truncated or overwritten with garbage, each healed by the next build (the same
output as a cold build, at most one info line, never a traceback)."""

from __future__ import annotations

import pickle
import sqlite3

import pytest

from conftest import damage, write_site
from digest import pipeline
from digest.config import load_settings
from digest.pipeline import build_site
from test_incremental import PYPROJECT, SITE, assert_same_as_cold, build, edit, theme_template

CACHE = ".digest-cache"


@pytest.fixture
def site(tmp_path):
    root = write_site(tmp_path / "site", SITE, PYPROJECT)
    build(root)
    return root


def tweak_template(site, mark: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/article.html").write_text(theme_template("article.html").replace(
        "<footer data-pagefind-ignore>", f"<footer data-pagefind-ignore><!-- {mark} -->"), encoding="utf-8")


def test_issue_16_broken_template_and_edit_then_undo(site, tmp_path):
    """build; break a template and edit an article (fails); undo both (succeeds); then changes
    that re-render pages: every build after that succeeds, the same as a cold one."""
    (site / "templates").mkdir()
    art = site / "templates/article.html"
    art.write_text(theme_template("article.html").replace("{% block main %}", "{% block main %}{% if %}"),
                   encoding="utf-8")
    edit(site / "content/models.md", "narrowed the gap", "closed the gap")
    result = build_site(load_settings(site))
    assert not result.ok and "templates/article.html" in str(result.report.errors[0])
    art.unlink()
    edit(site / "content/models.md", "closed the gap", "narrowed the gap")
    build(site)
    tweak_template(site, "tweak")
    assert_same_as_cold(site, tmp_path)
    edit(site / "content/power.md", "regulators are worried", "regulators worry")
    assert_same_as_cold(site, tmp_path)
    (site / "content/talent.md").unlink()
    assert_same_as_cold(site, tmp_path)


@pytest.mark.parametrize("crash", [RuntimeError("a bug"), KeyboardInterrupt()])
def test_a_build_that_dies_after_cleaning_leaves_a_cache_the_next_builds_trust(site, tmp_path, monkeypatch, crash):
    """The sequence of issue 16 as it first happened (a template error escaped as an exception):
    a build that dies after cleaning an edited article but before saving its state. The undone
    article's old key is still in the saved state; its row must not be gone from the store."""
    edit(site / "content/models.md", "narrowed the gap", "closed the gap")

    def dies(*a, **k):
        raise crash

    with monkeypatch.context() as m:
        m.setattr(pipeline, "render_site", dies)
        with pytest.raises(type(crash)):
            build_site(load_settings(site))
    edit(site / "content/models.md", "closed the gap", "narrowed the gap")
    build(site)
    tweak_template(site, "tweak")  # every article page is rendered again: each reads its body
    assert_same_as_cold(site, tmp_path)
    tweak_template(site, "again")
    assert_same_as_cold(site, tmp_path)


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage"])
@pytest.mark.parametrize("name", ["state.pickle", "stamp.pickle", "articles-v2.sqlite"])
def test_a_damaged_cache_file_is_healed(site, tmp_path, name, how):
    damage(site / CACHE / name, how)
    tweak_template(site, "after damage")
    assert_same_as_cold(site, tmp_path)
    assert_same_as_cold(site, tmp_path)  # and the cache it wrote serves the next build


@pytest.mark.parametrize("name", ["state.pickle", "stamp.pickle", "articles-v2.sqlite"])
def test_a_damaged_cache_file_before_a_noop_build(site, tmp_path, name):
    damage(site / CACHE / name, "garbage")
    assert_same_as_cold(site, tmp_path)


def test_rows_lost_from_the_article_store_are_cleaned_again(site, tmp_path):
    """The state lists articles the store no longer has (the store of another build, a crash):
    they are cleaned again from their files, with one info line, never an error."""
    with sqlite3.connect(site / CACHE / "articles-v2.sqlite") as db:
        db.execute("DELETE FROM articles")
    tweak_template(site, "lost rows")
    result = build(site)
    assert [i.message for i in result.report.infos if "cache" in i.message]  # said once
    assert len([i for i in result.report.infos if "cache" in i.message]) == 1
    assert_same_as_cold(site, tmp_path)


def test_garbage_rows_in_the_article_store_are_cleaned_again(site, tmp_path):
    with sqlite3.connect(site / CACHE / "articles-v2.sqlite") as db:
        db.execute("UPDATE articles SET value = ?", (b"not a pickle",))
    tweak_template(site, "garbage rows")
    assert_same_as_cold(site, tmp_path)
    tweak_template(site, "garbage rows again")
    assert_same_as_cold(site, tmp_path)


def test_a_state_that_is_a_pickle_of_something_else(site, tmp_path):
    (site / CACHE / "state.pickle").write_bytes(pickle.dumps(["not", "a", "state"]))
    (site / CACHE / "stamp.pickle").write_bytes(pickle.dumps({"inputs": None}))
    tweak_template(site, "odd state")
    assert_same_as_cold(site, tmp_path)


def test_page_records_that_lie_are_not_trusted(site, tmp_path):
    """Output files deleted or rewritten behind the build's back: it notices and writes them."""
    (site / "output/index.html").unlink()
    (site / "output/posts/models/index.html").write_text("hand edit", encoding="utf-8")
    (site / CACHE / "stamp.pickle").unlink()
    assert_same_as_cold(site, tmp_path)
