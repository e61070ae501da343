"""Site-wide pages from the finished articles: article pages, index, tags, sources, archive,
404, sitemap and robots, and the cleaning report (REPORT_PER_PAGE articles a page) when the
settings publish it (the preview always does; `digest report` writes it elsewhere). Each page
goes through a pages.PageSet: rendered only when its inputs changed, written into the staging
folder.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from html import escape as _escape

from markupsafe import Markup, escape

from .config import Settings
from . import listkeys
from . import fastentries
from .listitems import ListItems, plain_item
from .model import Article
from .pages import SKIP, PageSet, Uncacheable, article_id, identity
from .render import Theme, url_from
from .stories import story_sources

REPORT_PER_PAGE = 100  # articles on one page of the cleaning report
ARCHIVE_SPLIT = 1000  # above this many articles the archive has a page per year

LABELS = {  # the theme's own words, by site language
    "en": {"home": "Home", "tags": "Tags", "sources": "Sources", "archive": "Archive", "feed": "Feed",
           "newer": "Newer", "older": "Older", "prev": "Previous", "next": "Next", "min": "min read",
           "original": "Read the original", "by": "By", "tag": "Tag", "source": "Source", "undated": "undated",
           "report": "Cleaning report", "skip": "Skip to content", "page": "Page", "search": "Search",
           "notfound": "Page not found", "articles": "articles", "removed": "removed lines",
           "search_hint": "Search needs JavaScript; browse the archive instead.",
           "report_intro": "What the cleaner removed from each article, and why. This page is for the curator: "
                           "it is not in the index, the feeds, the search or the sitemap.",
           "removed_share": "removed", "of_text": "of the text", "nothing_removed": "Nothing removed.",
           "line": "line", "text": "text", "reason": "reason", "risks": "Check this article",
           "pages": "Pages", "page_n": "page {n}", "updated": "Updated", "published": "Published",
           "tag_feed": "Follow this tag", "tag_feed_note": "(summaries and links)",
           "notfound_text": "Nothing is at this address. Search the articles, or browse the archive.",
           "search_label": "Search the articles", "colon": ": ",
           "copies": "This story ran in"},
    "zh-Hans": {"home": "首页", "tags": "标签", "sources": "来源", "archive": "归档", "feed": "订阅",
                "newer": "较新", "older": "较早", "prev": "上一篇", "next": "下一篇", "min": "分钟阅读",
                "original": "阅读原文", "by": "作者", "tag": "标签", "source": "来源", "undated": "日期不详",
                "report": "清理报告", "skip": "跳到正文", "page": "第", "search": "搜索",
                "notfound": "找不到页面", "articles": "篇", "removed": "删除的行",
                "search_hint": "搜索需要 JavaScript；请浏览归档。",
                "report_intro": "清理程序从每篇文章中删除了什么，以及原因。此页面仅供编辑查看："
                                "不在索引、订阅、搜索和网站地图中。",
                "removed_share": "删除了", "of_text": "的文字", "nothing_removed": "没有删除任何内容。",
                "line": "行", "text": "内容", "reason": "原因", "risks": "请检查这篇文章",
                "pages": "分页", "page_n": "第 {n} 页", "updated": "更新于", "published": "发布于",
                "tag_feed": "订阅此标签", "tag_feed_note": "（摘要和链接）",
                "notfound_text": "这个地址没有内容。可以搜索文章，或浏览归档。",
                "search_label": "搜索文章", "colon": "：",
                "copies": "刊载本文的来源"},
    "zh-Hant": {"home": "首頁", "tags": "標籤", "sources": "來源", "archive": "彙整", "feed": "訂閱",
                "newer": "較新", "older": "較舊", "prev": "上一篇", "next": "下一篇", "min": "分鐘閱讀",
                "original": "閱讀原文", "by": "作者", "tag": "標籤", "source": "來源", "undated": "日期不詳",
                "report": "清理報告", "skip": "跳到正文", "page": "第", "search": "搜尋",
                "notfound": "找不到頁面", "articles": "篇", "removed": "刪除的行",
                "search_hint": "搜尋需要 JavaScript；請瀏覽彙整。",
                "report_intro": "清理程式從每篇文章中刪除了什麼，以及原因。此頁面僅供編輯查看："
                                "不在索引、訂閱、搜尋和網站地圖中。",
                "removed_share": "刪除了", "of_text": "的文字", "nothing_removed": "沒有刪除任何內容。",
                "line": "行", "text": "內容", "reason": "原因", "risks": "請檢查這篇文章",
                "pages": "分頁", "page_n": "第 {n} 頁", "updated": "更新於", "published": "發布於",
                "tag_feed": "訂閱此標籤", "tag_feed_note": "（摘要和連結）",
                "notfound_text": "這個網址沒有內容。可以搜尋文章，或瀏覽彙整。",
                "search_label": "搜尋文章", "colon": "：",
                "copies": "刊載本文的來源"},
}


@dataclass(frozen=True)
class Taxonomy:
    name: str
    slug: str
    articles: tuple


_PLAIN_TYPES = (str, int, float, bool, type(None))


def unique_slugs(names: list[str], fallback: str, known: dict | None = None) -> dict[str, str]:
    """Give each name a slug; names that collide get -2, -3 … in sorted order. known:
    {(name, fallback): slug} of names slugged before (slugify() is pure; the build state keeps
    it, since a Chinese name goes through pypinyin), filled in with the new ones."""
    known = {} if known is None else known
    out, used = {}, set()
    for name in sorted(set(names)):
        base = known.get((name, fallback))
        if base is None:
            base = known[name, fallback] = slugify(name, fallback)
        slug, k = base, 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        out[name] = slug
    return out


def slugify(text: str, fallback: str) -> str:
    from .article import slugify  # imports pypinyin: only when a new name needs a slug

    return slugify(text, fallback)


def group(articles: list[Article], key, known: dict | None = None) -> list[Taxonomy]:
    buckets: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        for name in key(a):
            buckets[name].append(a)
    slugs = unique_slugs(list(buckets), "x", known)
    return sorted((Taxonomy(n, slugs[n], tuple(v)) for n, v in buckets.items()),
                  key=lambda t: (-len(t.articles), t.slug))


class Pager(dict):
    """A page's pager as paginate() makes it: plain values (number, count, newer, older, links)
    that are all functions of the first page's path, this page's number and the page count, so
    SiteRenderer.flat() keys it by those three (ident) instead of walking its links (speed layer:
    ~2,300 list pages are keyed on every build)."""

    __slots__ = ("ident",)


def paginate(items: tuple, per_page: int, base: str) -> list[tuple[str, tuple, dict]]:
    """[(path, items on the page, pager)], page 1 at `base`, then base/page/2/ …"""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    paths = page_paths(base, len(chunks))
    return [(paths[i], chunk, pager_of(i, paths)) for i, chunk in enumerate(chunks)]


def page_paths(base: str, count: int) -> list[str]:
    """The paths of a list's `count` pages: page 1 at `base`, then base/page/2/ …"""
    return [base] + [f"{base}page/{n}/" for n in range(2, count + 1)]


def pager_of(i: int, paths: list[str]) -> Pager:
    """The pager of page i + 1 of the list whose pages are at `paths` (paginate)."""
    count = len(paths)
    pager = Pager(number=i + 1, count=count, newer=paths[i - 1] if i > 0 else None,
                  older=paths[i + 1] if i + 1 < count else None, links=page_links(i + 1, paths))
    pager.ident = ("Pg", paths[0], i + 1, count)
    return pager


def page_links(number: int, paths: list[str], near: int = 2) -> tuple:
    """The numbered links of page `number` of len(paths): the first and last pages, `near` on
    each side of this one, and None for each gap ("…"), as ((n, path) | None, …). A gap of one
    page shows that page instead: "1 2 3", never "1 … 3"."""
    count = len(paths)
    shown = sorted({1, count} | set(range(max(1, number - near), min(count, number + near) + 1)))
    out: list = []
    for n in shown:
        if out and n - out[-1][0] == 2:
            out.append((n - 1, paths[n - 2]))
        elif out and n - out[-1][0] > 2:
            out.append(None)
        out.append((n, paths[n - 1]))
    return tuple(out)


def out_path(page: str) -> str:
    return page + "index.html" if page.endswith("/") or page == "" else page


class SiteRenderer:
    """The site's pages planned from its articles; queued into a PageSet (self.pages) by
    many_pages() and list_pages(), rendered by the PageSet's flush(). slugs: {(name,
    fallback): slug} known from the last build, filled in with new tag and source names."""

    interrupt = None  # speed layer (interrupt.py): the preview's newer save, asked before each list

    def __init__(self, settings: Settings, theme: Theme, articles: list[Article], slugs: dict | None = None):
        self.s, self.theme = settings, theme
        self.slugs = {} if slugs is None else slugs
        self.articles = sorted(articles, key=lambda a: a.sort_key)
        # flat(): each article's identity as one string, made once (pages.article_id)
        self._ids = {id(a): article_id(a) for a in self.articles}
        self.tags = group(self.articles, lambda a: a.tags, self.slugs)
        self.sources = group(self.articles, story_sources, self.slugs)  # every source that ran the story
        self.tag_slug = {t.name: t.slug for t in self.tags}
        self.source_slug = {t.name: t.slug for t in self.sources}
        self.labels = LABELS.get(settings.language, LABELS["en"])
        self.with_report = settings.publish_report  # the report's pages are part of the site
        self.pages: PageSet | None = None  # set by the pipeline before rendering
        self._report: list = []  # report_pages(), once many_pages() ran
        self.items: ListItems | None = None  # list entries kept across builds (listitems.py), set by list_pages()
        self.name_langs = name_langs(self.articles, self.tags, self.sources)
        self.lastmod: dict[str, datetime] = {}  # page path -> newest date it shows (list_pages(): the sitemap's lastmod)
        self.site_key = hashlib.sha256(repr((sorted(self.tag_slug.items()), sorted(self.source_slug.items()),
                                             sorted(self.name_langs.items()))).encode()).hexdigest()

    def article_paths(self) -> list[str]:
        """The output files that are article pages, in the site's order (search indexes these)."""
        return [out_path(a.url) for a in self.articles]

    def feed_pages(self) -> None:
        """Queue the site's feed and each tag's (atom.xml and rss.xml), unless unchanged. Undated
        articles stay out of the feeds: a feed entry needs a date, and an invented one (the
        build's, the newest article's) would move and show the entry again (the build warns)."""
        from .feed import build_feeds, feed_updated

        s = self.s
        feeds = [([a for a in self.articles if a.date], "", s.title)] + [
            ([a for a in t.articles if a.date], f"tags/{t.slug}/", f"{s.title}: {t.name}") for t in self.tags]
        updated = self.feed_updated(feed_updated)
        for items, path, title in feeds:  # a feed shows its first feed_size entries and the newest date of all
            self.pages.emit_many([path + "atom.xml", path + "rss.xml"],
                                 ("feed", path, title, items[:s.feed_size], updated(items)),
                                 partial(build_feeds, s, items, path, title))

    def feed_updated(self, plain):
        """plain (feed.feed_updated) for lists of the site's dated articles, from each article's
        own answer found once: 41 feeds at 10,000 articles read ~35,000 articles' two dates.
        The same datetime: max() keeps the first of equal instants, article by article."""
        stamps = {id(a): plain((a,)) for a in self.articles if a.date}

        def updated(items):
            try:
                return max([stamps[id(a)] for a in items]) if items else plain(items)
            except KeyError:  # not the site's dated articles
                return plain(items)
        return updated

    def render(self, template: str, page: str, listing: tuple[str, bool] | None = None, **extra) -> None:
        """Queue the page `page` from `template`, unless its inputs are unchanged. listing: (base
        folder, first page?) of a list page, whose entries may be kept (listitems.py)."""
        make = partial(self._render_page, template, page, extra, listing)
        try:
            parts = ("page", template, page, self.site_key, self.flat(extra))
        except Uncacheable:
            self.pages.emit(out_path(page), ("page", template, page, self.site_key, extra), make)
            return
        self.pages.emit_flat(out_path(page), parts, make)

    def _render_page(self, template: str, page: str, extra: dict, listing=None) -> bytes:
        items = self.items
        if listing is None or items is None or items.off:
            return self.theme.render(template, **self.ctx(page, **extra))
        ctx = self.ctx(page, **extra)  # speed layer: the page's entries kept by article and folder
        ctx["list_item"], ctx["url"] = items.bind(*listing, lambda a: self._ids.get(id(a)), ctx["url"])
        out = self.theme.render(template, **ctx)
        items.flush()
        return out

    def flat(self, v):
        """pages.identity() of a page's values, fast for what list pages hold: an Article as
        (file, file hash, slug, url), tuples of them, taxonomies, dicts of plain values."""
        t = type(v)
        if t in _PLAIN_TYPES:
            return v
        if t is tuple or t is list:
            ids = self._ids
            if v and id(v[0]) in ids:  # the site's articles (a live object's id is its own)
                try:  # hashed: repr() of the ~3 KB join, quotes escaped, cost 3x more in page_key
                    joined = "".join([ids[id(x)] for x in v])
                    return ("L", hashlib.sha256(joined.encode()).hexdigest())  # a tuple: never equal to a plain string
                except KeyError:
                    pass
            return ("T",) + tuple([self.flat(x) for x in v])
        if t is dict:
            return ("M",) + tuple(sorted((k, self.flat(x)) for k, x in v.items()))
        if t is Pager:
            return v.ident
        if t is Taxonomy:
            return ("Tx", v.name, v.slug, self.flat(v.articles))
        found = self._ids.get(id(v))
        if found is not None:
            return ("A", found)
        return identity(v)

    def url_for(self, page: str):
        """The page's url(target): a link from page `page` to the site-relative `target`."""
        if page == "404.html":  # served at any missing path: links from the root
            return lambda t: self.s.base_path + t
        return url_from(page)

    def ctx(self, page: str, **extra) -> dict:
        """A page's template values. `lang` is the page's <html lang> (an article's own language on
        its page, where Pagefind reads it), `ui` the language of the interface words; `name_lang`
        says which language a tag, source or author name is in, so a template can mark it."""
        return {"site": self.s, "page_path": page, "url": self.url_for(page), "L": self.labels,
                "tag_slug": self.tag_slug, "source_slug": self.source_slug, "abs_url": self.s.abs_url,
                "noindex": False, "lang": self.s.language, "ui": self.s.language, "feed_path": "atom.xml",
                "feed_title": self.s.title, "has_search": self.s.search, "has_report": self.with_report,
                "canonical": self.s.abs_url(page), "og_type": "website", "name_lang": self.name_lang,
                "name_html": self.name_html, "list_item": plain_item,
                "site_image": site_image(self.s), "og_locale": OG_LOCALE.get(self.s.language, "en_US"),
                "page_number": 1, **extra}

    def name_lang(self, name: str) -> str:
        """The language a tag, source or author name is written in (see name_langs)."""
        return self.name_langs.get(name) or name_lang(name, ())

    def name_html(self, text, ui: str) -> Markup:
        """The theme's name() macro (_meta.html) in Python, the same bytes: byline() and tags()
        call it for every name of every list item, ~70 times a list page, and a Jinja macro call
        costs ~5x this (speed layer; tests/test_speed_layer.py compares it with the macro)."""
        lang = self.name_lang(text)
        if lang != ui:
            return Markup('<span lang="%s">%s</span>') % (lang, text)
        return escape(text)

    def article_page(self, i: int) -> tuple[str, dict]:
        """(page path, template values) of the i-th article's page."""
        arts, a = self.articles, self.articles[i]
        newer = arts[i - 1] if i > 0 else None
        older = arts[i + 1] if i + 1 < len(arts) else None
        return a.url, dict(article=a, newer=newer, older=older, lang=a.lang, title=a.title, description=a.summary,
                           og_type="article", og_locale=OG_LOCALE.get(a.lang, "en_US"), ld=news_article(a, self.s))

    def render_article(self, i: int) -> bytes:
        page, extra = self.article_page(i)
        return self.theme.render("article.html", **self.ctx(page, **extra))

    def report_pages(self) -> list[tuple[str, dict]]:
        """[(page path, template values)] of the cleaning report, in article order."""
        pages = paginate(tuple(self.articles), REPORT_PER_PAGE, "report/")
        return [(path, dict(reports=chunk, pager=pager, title=self.labels["report"], page_number=pager["number"],
                            description=self.s.description, noindex=True)) for path, chunk, pager in pages]

    def render_report(self, n: int) -> bytes:
        page, extra = self._report[n]
        return self.theme.render("report.html", **self.ctx(page, **extra))

    def many_pages(self) -> None:
        """Queue the report pages and article pages whose inputs changed. A report page and the
        article pages of the articles it lists (the same articles, in the same order) make one
        job: the job reads each article from the store once for both pages (each read unpickles
        a whole article: ~40 µs). Costly jobs go first: workers take jobs in queue order, so the
        cheap list pages even out the end."""
        arts, pages = self.articles, self.pages
        self._report = self.report_pages() if self.with_report else []
        ids = [self._ids[id(a)] for a in arts]
        last = len(arts) - 1
        for n in range(max(1, -(-len(arts) // REPORT_PER_PAGE))):  # without the report: jobs of the same size
            report = SKIP
            if self.with_report:
                page, extra = self._report[n]
                report = pages.need_flat(out_path(page), ("page", "report.html", page, self.site_key,
                                                          self.flat(extra)))
            todo = []
            for i in range(n * REPORT_PER_PAGE, min(len(arts), (n + 1) * REPORT_PER_PAGE)):
                # an article page's values are all functions of its article and neighbours: key by those
                parts = "|".join(("article.html", self.site_key, ids[i], ids[i - 1] if i else "-",
                                  ids[i + 1] if i < last else "-"))
                if pages.need_flat(out_path(arts[i].url), parts) is not SKIP:
                    todo.append(i)
            if report is not SKIP or todo:
                pages.queue(partial(self.render_group, n if report is not SKIP else None, todo))

    def render_group(self, report: int | None, todo: list[int]) -> dict[str, bytes]:
        """Report page number `report` (None: it is current) and the article pages todo."""
        out = {}
        if report is not None:
            out[out_path(self._report[report][0])] = self.render_report(report)
        for i in todo:
            out[out_path(self.articles[i].url)] = self.render_article(i)
        return out

    def list_pages(self) -> None:
        s = self.s
        self.archive_pages()  # first: a year's archive page costs ~20 ms, the other list pages ~0.6 ms
        newest = self.newest(self.articles)
        generation = hashlib.sha256(f"{self.pages.salt}|{self.site_key}".encode()).hexdigest()
        self.items = ListItems(s.cache_path / "list-items.sqlite", generation)  # speed layer: listitems.py
        self.items.start()
        if fastentries.applies(self.theme):  # speed layer (fastentries.py): each entry rendered once, joined
            self.items.entries = fastentries.Entries()
        queued: list[tuple[str, bool, tuple]] = []  # list pages to render: their entries are fetched at once
        # speed layer (listkeys.py): a list page's key and newest date, kept by what decides them
        memo = None if listkeys.OFF else listkeys.ListKeys(s.cache_path, generation)
        self._list(queued, memo, "", tuple(self.articles), heading=None, term=None, title=s.title,
                   description=s.description)
        for kind, groups, label in (("tags", self.tags, self.labels["tag"]),
                                    ("sources", self.sources, self.labels["source"])):
            self.lastmod[f"{kind}/"] = newest
            self.render(
                "terms.html", f"{kind}/", terms=groups, kind=kind, title=self.labels[kind], description=s.description)
            for t in groups:
                base = f"{kind}/{t.slug}/"
                feed = {"feed_path": f"{base}atom.xml", "feed_title": f"{s.title}: {label} {t.name}"} \
                    if kind == "tags" else {}
                self._list(queued, memo, base, t.articles, heading=f"{label}: {t.name}",
                           term={"kind": kind, "label": label, "name": t.name}, title=f"{label}: {t.name}",
                           description=s.description, **feed)
        if memo is not None:
            memo.save()
        self._fetch_items(queued)
        self.lastmod["search/"] = newest
        self.render("404.html", "404.html", title=self.labels["notfound"], description=s.description, noindex=True)

    def _list(self, queued: list, memo, base: str, articles: tuple, **values) -> None:
        """Queue the pages of one list (list.html: the index, a tag's, a source's) that changed,
        and note their newest dates (the sitemap's lastmod). memo: listkeys.ListKeys, or None
        (the plain way: paginate, then each page's values keyed)."""
        if self.interrupt is not None:  # speed layer (interrupt.py): a newer save in the preview
            from .interrupt import check

            check(self.interrupt)
        per_page = self.s.per_page
        if memo is None:
            for path, chunk, pager in paginate(articles, per_page, base):
                self.lastmod[path] = self.newest(chunk)
                self._list_page(queued, base, chunk, path, items=chunk, pager=pager, page_number=pager["number"],
                                **values)
            return
        count = max(1, -(-len(articles) // per_page))
        paths = page_paths(base, count)
        const, ids, pages = memo.const(base, values), self._ids, self.pages
        for i, path in enumerate(paths):
            chunk = articles[i * per_page:(i + 1) * per_page]
            sig = memo.signature(const, i + 1, count, [ids[id(a)] for a in chunk])
            hit = memo.get(path, sig)
            if hit is not None and pages.keep_if_current(out_path(path), hit[0]):
                self.lastmod[path] = hit[1]
                continue
            pager = pager_of(i, paths)
            self.lastmod[path] = self.newest(chunk)
            self._list_page(queued, base, chunk, path, items=chunk, pager=pager, page_number=i + 1, **values)
            memo.put(path, sig, pages.keys.get(out_path(path)), self.lastmod[path])

    def _list_page(self, queued: list, base: str, chunk: tuple, path: str, **extra) -> None:
        """Queue a page of a list (list.html), noting it in queued if it is to be rendered."""
        before = len(self.pages.jobs)
        listing = (base, extra["pager"]["number"] == 1)
        self.render("list.html", path, listing=listing, **extra)
        if len(self.pages.jobs) > before:
            queued.append((*listing, chunk))

    def _fetch_items(self, queued: list) -> None:
        """The kept entries of the list pages to render, read at once; a page whose entries are
        all kept is a light job (PageSet.flush forks for many heavy jobs only)."""
        items = self.items
        items.complete = True  # get() need not ask the file: what it could give is fetched here (or, cold, nothing)
        if not queued or self.pages.output.cold or items.off:
            return
        ids = self._ids
        keys = [[items.key(ids[id(a)], base, first) for a in chunk] for base, first, chunk in queued]
        items.prefetch(k for ks in keys for k in ks)
        found = items.found
        self.pages.light += sum(1 for ks in keys if all(k in found for k in ks))

    def stamps(self) -> dict[int, datetime | None]:
        """{id(article): newest_date((article,))} of the site's articles, made once (list pages,
        the archive, the feeds' dates and the sitemap read it)."""
        stamps = self.__dict__.get("_stamps")
        if stamps is None:
            stamps = self._stamps = {id(a): newest_date((a,)) for a in self.articles}
        return stamps

    def newest(self, chunk) -> datetime | None:
        """newest_date(chunk) for a page of the site's articles, from each article's newest date
        found once (12,000 list pages at 10,000 articles: each date was read ~5 times)."""
        stamps = self.stamps()
        try:
            found = [d for d in [stamps[id(a)] for a in chunk] if d is not None]
        except KeyError:  # not one of the site's articles
            return newest_date(chunk)
        return max(found) if found else None

    def archive_pages(self) -> None:
        """archive/: every article by month. Past ARCHIVE_SPLIT articles (a 10,000-link page is
        heavy to load and to render again after each edit) archive/ lists the years and their
        months, and each year has its page, archive/YYYY/ (undated articles: archive/undated/)."""
        s, label = self.s, self.labels["archive"]
        months: dict[str, list[Article]] = defaultdict(list)
        for a in self.articles:
            months[a.date.strftime("%Y-%m") if a.date else ""].append(a)
        ordered = _month_order(months)
        self.lastmod["archive/"] = self.newest(self.articles)
        if len(self.articles) <= ARCHIVE_SPLIT:
            self.render("archive.html", "archive/", months=ordered, title=label, description=s.description)
            return
        years: dict[str, list] = defaultdict(list)
        for month, items in ordered:
            years[month[:4] or "undated"].append((month, tuple(items)))
        index = [(year, f"archive/{year}/", [(m, len(items)) for m, items in ms]) for year, ms in years.items()]
        self.render("archive_years.html", "archive/", years=index, title=label, description=s.description)
        for year, ms in years.items():
            name = self.labels["undated"] if year == "undated" else year
            self.lastmod[f"archive/{year}/"] = self.newest([a for _, items in ms for a in items])
            self.render("archive.html", f"archive/{year}/", months=ms, title=f"{label}: {name}",
                        description=s.description)

    def alias_pages(self) -> list[tuple[str, bytes]]:
        """A redirect page at each old URL an article lists in `aliases:` (as Hugo writes them):
        a meta refresh to the article by a relative link (so it works under any sub-path and
        from a copy of the folder), rel=canonical to its absolute URL, and a plain link."""
        out = []
        for a in self.articles:
            for alias in a.aliases:
                target = _escape(url_from(alias)(a.url))
                canon = _escape(self.s.abs_url(a.url))
                title = _escape(a.title, quote=False)
                html = (f'<!DOCTYPE html>\n<html lang="{_escape(a.lang)}">\n<head>\n<meta charset="utf-8">\n'
                        f"<title>{title}</title>\n"
                        f'<link rel="canonical" href="{canon}">\n<meta name="robots" content="noindex">\n'
                        f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
                        f'<p><a href="{target}">{title}</a></p>\n</body>\n</html>\n')
                out.append((out_path(alias), html.encode()))
        return out

    def sitemap(self, paths: list[str]) -> dict[str, bytes]:
        """sitemap.xml (each page with its lastmod: an article's updated or published date, a list
        page's newest entry's; none for a page of undated articles) and robots.txt."""
        rows = []
        aliases = {out_path(x) for a in self.articles for x in a.aliases}
        stamps = self.stamps()
        lastmod = {**self.lastmod, **{a.url: stamps[id(a)] for a in self.articles}}
        for p in sorted(paths):
            if not p.endswith(".html") or p in ("404.html",) or p.startswith("report/") or p in aliases:
                continue
            url = p[: -len("index.html")] if p.endswith("index.html") else p
            when = lastmod.get(url)
            mod = f"<lastmod>{when.isoformat(timespec='seconds')}</lastmod>" if when else ""
            rows.append(f"  <url><loc>{_escape(self.s.abs_url(url), quote=False)}</loc>{mod}</url>")
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
        # The report is in output/ only when the curator publishes it; even then not for crawlers.
        hide = f"Disallow: {self.s.base_path}report/\n" if self.with_report else "Disallow:\n"  # (nothing)
        robots = f"User-agent: *\n{hide}Sitemap: {self.s.abs_url('sitemap.xml')}\n"
        return {"sitemap.xml": xml.encode(), "robots.txt": robots.encode()}


def news_article(a: Article, s: Settings) -> dict:
    """schema.org NewsArticle of an article page (JSON-LD): only what the article says — no
    author, date, image or original address is made up where it has none."""
    url = s.abs_url(a.url)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "description": a.summary,
          "url": url, "mainEntityOfPage": url, "inLanguage": a.lang}
    if a.date:
        ld["datePublished"] = a.date
        ld["dateModified"] = a.updated if a.updated and a.updated > a.date else a.date
    if a.author:
        ld["author"] = {"@type": "Person", "name": a.author}
    elif a.source:
        ld["author"] = {"@type": "Organization", "name": a.source}
    if a.source:
        ld["sourceOrganization"] = {"@type": "Organization", "name": a.source}
    ld["publisher"] = {"@type": "Organization", "name": s.title, "url": s.abs_url("")}
    if a.source_url:
        ld["isBasedOn"] = a.source_url
    if a.tags:
        ld["keywords"] = list(a.tags)
    image = site_image(s)
    if image:
        ld["image"] = image
    return ld


def newest_date(articles) -> datetime | None:
    """The newest date (published or updated) among these articles; None when all are undated."""
    stamps = [d for a in articles for d in (a.date, a.updated) if d]
    return max(stamps) if stamps else None


OG_LOCALE = {"en": "en_US", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}  # OpenGraph spells locales language_TERRITORY


def site_image(s: Settings) -> str | None:
    """The absolute URL of the site's card image (settings `image`: a URL, or a path in the
    site such as static/card.png), or None: a card shows no image rather than an invented one."""
    if not s.image:
        return None
    return s.image if s.image.startswith(("https://", "http://")) else s.abs_url(s.image)


def name_lang(name: str, langs) -> str:
    """The language a name (tag, source, author) is written in: "en" when it has no Han
    character; else the script its own characters show (Traditional or Simplified), and when
    they show neither, the Chinese most of the articles it names are in (`langs`), else zh-Hans."""
    from .clean.signals import HAN
    from .meta import _script_classes

    if not HAN.search(name):
        return "en"
    simp, trad = _script_classes()
    t, k = len(trad.findall(name)), len(simp.findall(name))
    if t != k:
        return "zh-Hant" if t > k else "zh-Hans"
    zh = [l for l in langs if l.startswith("zh")]
    return max(sorted(set(zh)), key=zh.count) if zh else "zh-Hans"


def name_langs(articles, tags, sources) -> dict[str, str]:
    """name_lang() of every tag, source and author name of the site."""
    out = {}
    for t in list(tags) + list(sources):  # (the languages read only when the name's script is unclear)
        out[t.name] = name_lang(t.name, (a.lang for a in t.articles))
    authors: dict[str, list] = defaultdict(list)
    for a in articles:
        if a.author:
            authors[a.author].append(a.lang)
    for name, langs in authors.items():
        out.setdefault(name, name_lang(name, langs))
    return out


def _month_order(months: dict) -> list:
    """Newest month first; undated articles last."""
    dated = sorted((k, v) for k, v in months.items() if k)
    return dated[::-1] + ([("", months[""])] if "" in months else [])
