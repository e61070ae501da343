"""build_site(settings): the whole pipeline, top to bottom.

content/ ─load─▶ Source ─clean+meta─▶ Article ─render─▶ {path: bytes} ─write─▶ output/
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .article import build_article, with_slug
from .cache import ArticleCache
from .config import Settings
from .errors import ContentError, Problem, Report
from .feed import build_feeds
from .load import discover, load_file
from .model import Article
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
    paths = discover(content)
    articles = []
    for i, path in enumerate(paths):
        rel = path.relative_to(content).as_posix()
        try:
            data = path.read_bytes()
        except OSError as e:
            report.error(Problem(rel, None, f"cannot read the file: {e.strerror}"))
            continue
        try:
            article, warnings = cache.get_or_build(rel, data) if cache else _build_one(rel, data, settings)
        except ContentError as e:
            report.error(e.problem)
            continue
        except Exception as e:  # a bug in digest must still name the file, never cost the build
            report.error(Problem(rel, None, f"internal error while processing this file: {type(e).__name__}: {e}",
                                 "please report it with this file"))
            continue
        report.warnings.extend(warnings)
        articles.append(article)
        if progress:
            progress(i + 1, len(paths))
    return articles


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


def render_site(settings: Settings, theme: Theme, articles: list[Article]) -> dict[str, bytes]:
    r = SiteRenderer(settings, theme, articles)
    files: dict[str, bytes] = {}
    files.update(r.article_pages())
    files.update(r.list_pages())
    files.update(r.extra_pages(r.articles))
    files.update(build_feeds(settings, r.articles, "", settings.title))
    for t in r.tags:
        files.update(build_feeds(settings, list(t.articles), f"tags/{t.slug}/", f"{settings.title}: {t.name}"))
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
    result.files = render_site(settings, theme, articles)
    if write:
        result.written = write_site(result.files, settings.output_path)
    result.seconds = time.perf_counter() - start
    return result
