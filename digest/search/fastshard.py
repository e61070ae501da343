"""Speed layer: what build_shard() reads from each article page, the same answer for less.

build_shard() costs ~1.3 ms an article page in a cold build (10,000 articles: ~13 s of CPU, a
fifth of the build). Two of its parts are made cheaper here, each the same answer as the plain
code it stands for:

* extract() is search.extract() with the page parsed by lxml's plain HTML parser (lxml.html's
  parser is the same parser with a Python class lookup for every element it hands out: ~35
  elements a page, ~1 µs each), two XPath searches a page instead of four (each ~20-30 µs,
  compiled once here): the meta and filter elements found by one of them (document order, as
  each of the two found them) and the title's language read from those. The tree, the walk (search._walk) and every string are
  the plain way's; text_content() is lxml.html's own XPath "string()". An input the plain
  parser rejects (or any surprise) goes to search.extract, which raises its error.
* coded() is fastterms.terms() with each Chinese term's positions written as build_shard()
  writes them into its postings, [count, first position, gaps…], by numpy (one array for the
  page, one tolist()), and without ordering the terms by first position (build_shard sorts the
  terms of a shard anyway). build_shard's loop then appends the document number and this list,
  instead of walking every position of every term in Python.

tests/test_speed_layer.py compares extract() with search.extract() on the site's pages and on
random and hostile ones, coded() with text.terms() (positions re-coded), and whole shards built
both ways, byte for byte.
"""

from __future__ import annotations

import numpy as np
from lxml import etree

from . import fastterms
from . import text as plain

_BODY = etree.XPath("//*[@data-pagefind-body]")
_MARKED = etree.XPath(".//*[@data-pagefind-meta or @data-pagefind-filter]")
_TEXT = etree.XPath("string()", smart_strings=False)  # lxml.html's text_content()
_PARSER = etree.HTMLParser()  # lxml.html.HTMLParser() without its element class lookup


def extract(html: bytes, path: str) -> dict:
    """search.extract(html, path), the same record."""
    from . import _walk, extract as plain_extract

    try:
        root = etree.fromstring(html, _PARSER)
    except Exception:  # the plain way raises its own error (or gives its own answer)
        return plain_extract(html, path)
    if root is None:
        return plain_extract(html, path)
    url = path[: -len("index.html")] if path.endswith("index.html") else path
    body = _BODY(root)
    scope = body[0] if body else (root.find("body") if root.find("body") is not None else root)
    meta, filters, titled = {}, {}, None
    for el in _MARKED(scope):  # document order, as the plain way's two searches
        name = el.get("data-pagefind-meta")
        if name is not None:
            if name not in meta:
                meta[name] = " ".join(_TEXT(el).split())
            if titled is None and name == "title" and el.get("lang") is not None:
                titled = el
        kind = el.get("data-pagefind-filter")
        if kind is not None:
            value = " ".join(_TEXT(el).split())
            if value:
                filters.setdefault(kind, []).append(value)
    parts: list[str] = []
    _walk(scope, parts)
    text = " ".join("".join(parts).split())
    title = meta.get("title") or " ".join((root.findtext(".//title") or "").split())
    lang = titled.get("lang") if titled is not None else (root.get("lang") or "")
    return {"url": url, "title": title, "date": meta.get("date", ""), "lang": lang, "text": text,
            "source": (filters.get("source") or [""])[0], "tags": filters.get("tag", [])}


def coded(text: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """({cjk term: [count, first position, gaps…]}, {word stem: count}) of a text: text.terms()
    with each term's positions p as [len(p), p[0], p[1] - p[0], …]. The words' dict is
    text.terms()'s, in its order; the terms' order is not (build_shard sorts them)."""
    found = fastterms.sorted_pairs(text)
    if found is None:  # what numpy cannot take: the plain way
        return _recode(plain.terms(text))
    ft, skeys, spos, starts = found
    cjk: dict[str, list[int]] = {}
    if len(starts):
        counts = np.diff(np.append(starts, len(spos)))
        gaps = np.empty_like(spos)
        gaps[0] = spos[0]
        np.subtract(spos[1:], spos[:-1], out=gaps[1:])
        first = spos[starts]
        gaps[starts] = first  # a term's first position as it is, the others as gaps
        flat = np.insert(gaps, starts, counts).tolist()  # [count, first, gaps…] term after term
        bounds = (starts + np.arange(len(starts))).tolist()
        bounds.append(len(flat))
        width = fastterms.term_widths(skeys, starts)
        cjk = {ft[p:p + w]: flat[a:b]
               for p, w, a, b in zip(first.tolist(), width, bounds, bounds[1:])}
    return cjk, fastterms.count_words(ft)


def _recode(found: tuple[dict[str, list[int]], dict[str, int]]) -> tuple[dict, dict]:
    c, w = found
    return {t: [len(p), p[0], *(b - a for a, b in zip(p, p[1:]))] for t, p in c.items()}, w
