"""Atom 1.0 (and RSS 2.0 beside it) with feedgen, deterministic to the byte.

feedgen stamps <updated> with the clock, writes its own version into <generator>, prepends
entries and drops rel/type on entry links unless told: all four are set explicitly here.
Entries carry xml:lang (the articles mix Chinese and English), added after feedgen renders.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

from . import __version__
from .config import Settings
from .model import Article

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def feed_updated(articles: list[Article]) -> datetime:
    stamps = [d for a in articles for d in (a.updated, a.date) if d]
    return max(stamps) if stamps else EPOCH


def build_feeds(s: Settings, articles: list[Article], path: str, title: str) -> dict[str, bytes]:
    """atom.xml and rss.xml for `articles` (newest first), at folder `path` ('' or 'tags/x/').
    Undated articles are left out: an entry's date is never invented."""
    from feedgen.feed import FeedGenerator  # with lxml and dateutil ~40 ms: only when a feed changed
    from lxml import etree

    articles = [a for a in articles if a.date]
    entries = articles[: s.feed_size]
    updated = feed_updated(articles)
    fg = FeedGenerator()
    fg.id(s.abs_url(path))
    fg.title(title)
    fg.subtitle(s.description)
    fg.description(s.description)
    fg.author({"name": s.author})
    fg.link(href=s.abs_url(path), rel="alternate", type="text/html")
    fg.link(href=s.abs_url(path + "atom.xml"), rel="self", type="application/atom+xml")
    fg.language(s.language)
    fg.generator("digest", version=__version__, uri="https://pypi.org/project/digest/")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for a in entries:
        fe = fg.add_entry(order="append")
        fe.id(a.id)
        fe.guid(a.id, permalink=False)
        fe.title(a.title)
        fe.link(href=s.abs_url(a.url), rel="alternate", type="text/html")
        fe.published(a.date)
        fe.updated(a.updated if a.updated and a.updated > a.date else a.date)
        fe.author({"name": a.author or a.source or s.author})
        fe.summary(html.escape(a.summary, quote=False), type="html")  # RSS readers read it as HTML
        body = a.body_html
        for name, _ in a.assets:  # a saved page's own images sit next to its page: absolute in a feed
            body = body.replace(f'src="{name}"', f'src="{s.abs_url(a.url + name)}"')
        fe.content(body, type="html")
        for t in a.tags:
            fe.category(term=t)
    atom = etree.fromstring(fg.atom_str(pretty=True))
    for entry, a in zip(atom.findall(f"{{{ATOM_NS}}}entry"), entries):
        entry.set(XML_LANG, a.lang)
    atom_bytes = etree.tostring(atom, pretty_print=True, encoding="UTF-8", xml_declaration=True)
    # RSS: its own self link, and the site (feedgen takes the last link) as the channel link.
    fg.link(href=s.abs_url(path + "rss.xml"), rel="self", type="application/rss+xml", replace=True)
    fg.link(href=s.abs_url(path), rel="alternate", type="text/html")
    return {path + "atom.xml": atom_bytes, path + "rss.xml": fg.rss_str(pretty=True)}
