"""Site-wide pages from the finished articles: article pages, index, tags, sources, archive,
the cleaning report, 404, sitemap and robots. Returns {path: bytes}; writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from .article import slugify
from .config import Settings
from .model import Article
from . import parallel
from .render import Theme, relurl

LABELS = {  # the theme's own words, by site language
    "en": {"home": "Home", "tags": "Tags", "sources": "Sources", "archive": "Archive", "feed": "Feed",
           "newer": "Newer", "older": "Older", "prev": "Previous", "next": "Next", "min": "min read",
           "original": "Original article", "by": "By", "tag": "Tag", "source": "Source", "undated": "undated",
           "report": "Cleaning report", "skip": "Skip to content", "page": "Page", "search": "Search",
           "notfound": "Page not found", "articles": "articles", "removed": "removed lines",
           "search_hint": "Search needs JavaScript; browse the archive instead."},
    "zh-Hans": {"home": "首页", "tags": "标签", "sources": "来源", "archive": "归档", "feed": "订阅",
                "newer": "较新", "older": "较早", "prev": "上一篇", "next": "下一篇", "min": "分钟阅读",
                "original": "原文", "by": "作者", "tag": "标签", "source": "来源", "undated": "日期不详",
                "report": "清理报告", "skip": "跳到正文", "page": "第", "search": "搜索",
                "notfound": "找不到页面", "articles": "篇", "removed": "删除的行",
                "search_hint": "搜索需要 JavaScript；请浏览归档。"},
}


@dataclass(frozen=True)
class Taxonomy:
    name: str
    slug: str
    articles: tuple


def unique_slugs(names: list[str], fallback: str) -> dict[str, str]:
    """Give each name a slug; names that collide get -2, -3 … in sorted order."""
    out, used = {}, set()
    for name in sorted(set(names)):
        base = slugify(name, fallback)
        slug, k = base, 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        out[name] = slug
    return out


def group(articles: list[Article], key) -> list[Taxonomy]:
    buckets: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        for name in key(a):
            buckets[name].append(a)
    slugs = unique_slugs(list(buckets), "x")
    return sorted((Taxonomy(n, slugs[n], tuple(v)) for n, v in buckets.items()),
                  key=lambda t: (-len(t.articles), t.slug))


def paginate(items: tuple, per_page: int, base: str) -> list[tuple[str, tuple, dict]]:
    """[(path, items on the page, pager)], page 1 at `base`, then base/page/2/ …"""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    paths = [base] + [f"{base}page/{n}/" for n in range(2, len(chunks) + 1)]
    pages = []
    for i, chunk in enumerate(chunks):
        pager = {"number": i + 1, "count": len(chunks),
                 "newer": paths[i - 1] if i > 0 else None, "older": paths[i + 1] if i + 1 < len(chunks) else None}
        pages.append((paths[i], chunk, pager))
    return pages


def out_path(page: str) -> str:
    return page + "index.html" if page.endswith("/") or page == "" else page


class SiteRenderer:
    def __init__(self, settings: Settings, theme: Theme, articles: list[Article]):
        self.s, self.theme = settings, theme
        self.articles = sorted(articles, key=lambda a: a.sort_key)
        self.tags = group(self.articles, lambda a: a.tags)
        self.sources = group(self.articles, lambda a: [a.source] if a.source else [])
        self.tag_slug = {t.name: t.slug for t in self.tags}
        self.source_slug = {t.name: t.slug for t in self.sources}
        self.labels = LABELS.get(settings.language, LABELS["en"])
        self.store = None  # a pages.PageStore: pages whose inputs did not change are not rendered again
        self.site_key = repr((sorted(self.tag_slug.items()), sorted(self.source_slug.items())))

    def render(self, template: str, page: str, **extra) -> bytes:
        """The page `page` from `template`, from the page store when its inputs are unchanged."""
        make = lambda: self.theme.render(template, **self.ctx(page, **extra))  # noqa: E731
        if self.store is None:
            return make()
        return self.store.cached(("page", template, page, self.site_key, extra), make)

    def ctx(self, page: str, **extra) -> dict:
        absolute = page == "404.html"  # served at any missing path: links from the root
        url = (lambda t: self.s.base_path + t) if absolute else (lambda t: relurl(t, page))
        return {"site": self.s, "page_path": page, "url": url, "L": self.labels, "tag_slug": self.tag_slug,
                "source_slug": self.source_slug, "abs_url": self.s.abs_url, "noindex": False,
                "lang": self.s.language, "feed_path": "atom.xml", "has_search": self.s.search, **extra}

    def article_page(self, i: int) -> tuple[str, dict]:
        """(page path, template values) of the i-th article's page."""
        arts, a = self.articles, self.articles[i]
        newer = arts[i - 1] if i > 0 else None
        older = arts[i + 1] if i + 1 < len(arts) else None
        return a.url, dict(article=a, newer=newer, older=older, lang=a.lang, title=a.title, description=a.summary)

    def render_article(self, i: int) -> bytes:
        page, extra = self.article_page(i)
        return self.theme.render("article.html", **self.ctx(page, **extra))

    def article_pages(self, only: set[str] | None = None) -> dict[str, bytes]:
        """Every article's page; those not in the page store are rendered on every core."""
        out, todo = {}, []
        for i, a in enumerate(self.articles):
            if only is not None and a.slug not in only:
                continue
            page, extra = self.article_page(i)
            key, html = self.store.get(("page", "article.html", page, self.site_key, extra)) \
                if self.store else (None, None)
            out[out_path(page)] = html
            if html is None:
                todo.append((i, key))
        if len(todo) < parallel.MIN_ITEMS:
            pages = [self.render_article(i) for i, _ in todo]
        else:
            global _active
            _active = self  # forked workers find the renderer here
            try:
                pages = parallel.ordered_map(_render_article, [i for i, _ in todo])
            finally:
                _active = None
        for (i, key), html in zip(todo, pages):
            out[out_path(self.articles[i].url)] = html
            if self.store:
                self.store.put(key, html)
        return out

    def list_pages(self) -> dict[str, bytes]:
        out = {}
        s = self.s
        for path, chunk, pager in paginate(tuple(self.articles), s.per_page, ""):
            out[out_path(path)] = self.render(
                "list.html", path, items=chunk, pager=pager, heading=None, title=s.title, description=s.description)
        for kind, groups, label in (("tags", self.tags, self.labels["tag"]),
                                    ("sources", self.sources, self.labels["source"])):
            out[f"{kind}/index.html"] = self.render(
                "terms.html", f"{kind}/", terms=groups, kind=kind, title=self.labels[kind], description=s.description)
            for t in groups:
                base = f"{kind}/{t.slug}/"
                for path, chunk, pager in paginate(t.articles, s.per_page, base):
                    out[out_path(path)] = self.render(
                        "list.html", path, items=chunk, pager=pager, heading=f"{label}: {t.name}", title=f"{t.name}",
                        description=s.description, feed_path=f"{base}atom.xml" if kind == "tags" else "atom.xml")
        months: dict[str, list[Article]] = defaultdict(list)
        for a in self.articles:
            months[a.date.strftime("%Y-%m") if a.date else ""].append(a)
        out["archive/index.html"] = self.render(
            "archive.html", "archive/", months=_month_order(months), title=self.labels["archive"],
            description=s.description)
        return out

    def extra_pages(self, report: list[Article]) -> dict[str, bytes]:
        out = {"404.html": self.render("404.html", "404.html", title=self.labels["notfound"],
                                       description=self.s.description, noindex=True)}
        out["report/index.html"] = self.render(
            "report.html", "report/", reports=report, title=self.labels["report"], description=self.s.description,
            noindex=True)
        return out

    def sitemap(self, paths: list[str]) -> dict[str, bytes]:
        rows = []
        for p in sorted(paths):
            if not p.endswith(".html") or p in ("404.html",) or p.startswith("report/"):
                continue
            url = p[: -len("index.html")] if p.endswith("index.html") else p
            rows.append(f"  <url><loc>{xml_escape(self.s.abs_url(url))}</loc></url>")
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
        robots = (f"User-agent: *\nDisallow: {self.s.base_path}report/\n"
                  f"Sitemap: {self.s.abs_url('sitemap.xml')}\n")
        return {"sitemap.xml": xml.encode(), "robots.txt": robots.encode()}


_active: SiteRenderer | None = None


def _render_article(i: int) -> bytes:
    return _active.render_article(i)


def _month_order(months: dict) -> list:
    """Newest month first; undated articles last."""
    dated = sorted((k, v) for k, v in months.items() if k)
    return dated[::-1] + ([("", months[""])] if "" in months else [])
