"""build_site(settings): the whole pipeline, top to bottom.

content/ ─load─▶ Source ─clean+meta─▶ Article ─render─▶ {path: bytes} ─write─▶ output/
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .article import build_article, with_slug
from .cache import ArticleCache
from .config import Settings
from .errors import ContentError, Problem, Report
from .feed import build_feeds, feed_updated
from .load import discover, load_file
from .model import Article
from .pages import PageStore
from .parallel import ordered_map
from .render import Theme
from .search import build_search
from .site import SiteRenderer


@dataclass
class BuildResult:
    report: Report
    articles: list[Article] = field(default_factory=list)
    drafts: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    written: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.report.errors


def load_articles(settings: Settings, report: Report, cache: ArticleCache | None = None,
                  progress=None) -> list[Article]:
    content = settings.content_path
    if not content.is_dir():
        report.error(Problem(settings.content_dir, None, "content folder not found",
                             "create it and put .txt or .md articles in it"))
        return []
    outcomes: list = []  # per file, in path order: (article, warnings) or a Problem
    misses: list = []  # (index, cache key, rel, data) of files to clean and parse
    for path in discover(content):
        rel = path.relative_to(content).as_posix()
        try:
            data = path.read_bytes()
        except OSError as e:
            outcomes.append(Problem(rel, None, f"cannot read the file: {e.strerror}"))
            continue
        key = cache.key(rel, data) if cache else None
        hit = cache.get(key) if cache else None
        if hit is None:
            misses.append((len(outcomes), key, rel, data))
        outcomes.append(hit)
    built = ordered_map(partial(_build_safe, settings), [(rel, data) for _, _, rel, data in misses], progress)
    for (i, key, _, _), value in zip(misses, built):
        outcomes[i] = value
        if cache and not isinstance(value, Problem):
            cache.put(key, value)
    articles = []
    for value in outcomes:
        if isinstance(value, Problem):
            report.error(value)
            continue
        article, warnings = value
        report.warnings.extend(warnings)
        articles.append(article)
    return articles


def _build_safe(settings: Settings, item: tuple[str, bytes]):
    """(article, warnings), or the Problem that stops this one file (in a worker process)."""
    rel, data = item
    try:
        return _build_one(rel, data, settings)
    except ContentError as e:
        return e.problem
    except Exception as e:  # a bug in digest must still name the file, never cost the build
        return Problem(rel, None, f"internal error while processing this file: {type(e).__name__}: {e}",
                       "please report it with this file")


def _build_one(rel: str, data: bytes, settings: Settings) -> tuple[Article, list[Problem]]:
    from .load import load_bytes

    src = load_bytes(data, rel)
    article = build_article(src, settings)
    warnings = list(src.warnings) + [Problem(rel, None, f"cleaning: {r}") for r in article.risky]
    return article, warnings


def resolve_slugs(articles: list[Article], report: Report) -> list[Article]:
    """Two articles never share a URL: later files (by path) get -2, -3 … and a warning."""
    seen: dict[str, str] = {}
    out = []
    for a in sorted(articles, key=lambda a: a.rel):
        slug, k = a.slug, 2
        while slug in seen:
            slug, k = f"{a.slug}-{k}", k + 1
        if slug != a.slug:
            report.warn(a.rel, f"slug {a.slug!r} is taken by {seen[a.slug]}; using {slug!r}",
                        hint="set a distinct 'slug' in front matter")
            a = with_slug(a, slug)
        seen[slug] = a.rel
        out.append(a)
    return out


def render_site(settings: Settings, theme: Theme, articles: list[Article],
                store: PageStore | None = None) -> dict[str, bytes]:
    r = SiteRenderer(settings, theme, articles)
    r.store = store
    files: dict[str, bytes] = {}
    files.update(r.article_pages())
    files.update(r.list_pages())
    files.update(r.extra_pages(r.articles))
    feeds = [(r.articles, "", settings.title)] + [
        (list(t.articles), f"tags/{t.slug}/", f"{settings.title}: {t.name}") for t in r.tags]
    for items, path, title in feeds:
        make = partial(build_feeds, settings, items, path, title)
        if store is None:
            files.update(make())
        else:  # a feed shows its first feed_size entries and the newest date of all
            files.update(store.cached(("feed", path, title, items[:settings.feed_size], feed_updated(items)), make))
    for rel, path in theme.static_files().items():
        files[rel] = path.read_bytes()
    files.update(build_search(settings, theme, r, files))  # pagefind/ and search/: off with search = false
    files.update(r.sitemap(list(files)))
    return dict(sorted(files.items()))


def build_site(settings: Settings, *, drafts: bool = False, keep_going: bool = False, strict: bool = False,
               write: bool = True, progress=None) -> BuildResult:
    from .write import write_site

    start = time.perf_counter()
    report = Report()
    theme = Theme(settings.root, settings.theme)
    cache = ArticleCache(settings, theme)
    articles = load_articles(settings, report, cache, progress)
    cache.save()
    result = BuildResult(report)
    result.drafts = sum(1 for a in articles if a.draft)
    if not drafts:
        articles = [a for a in articles if not a.draft]
    articles = resolve_slugs(articles, report)
    result.articles = articles
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if failed and not keep_going:
        result.seconds = time.perf_counter() - start
        return result
    store = PageStore(settings, theme)
    result.files = render_site(settings, theme, articles, store)
    store.save()
    if write:
        result.written = write_site(result.files, settings.output_path)
    result.seconds = time.perf_counter() - start
    return result
