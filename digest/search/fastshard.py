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
  instead of walking every position of every term in Python. build_shard reads it as
  flat_coded() gives it (the terms, and their lists one after another in one int32 array),
  and keeps it so in the page's record: the tuple of terms and the array's bytes pickle and
  unpickle for a fraction of a dict of lists of ints.

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
    terms, flat, words = flat_coded(text)
    return dict(zip(terms, runs(flat.tolist()))), words


def flat_coded(text: str) -> tuple[tuple[str, ...], np.ndarray, dict[str, int]]:
    """coded(text) as build_shard and its records keep it: (the cjk terms, their coded lists
    [count, first position, gaps…] one after another as one int32 array (a position or a count
    would need a text of 2**31 characters to overflow it), the words). A term's list is its count and count more ints
    (runs()). Kept as a tuple of strings and the array's bytes, a page's record pickles in
    ~0.01 ms instead of ~0.14 ms for a dict of ~200 lists of ~1,400 ints (and unpickles in
    less than a quarter of the time)."""
    found = fastterms.sorted_pairs(text)
    if found is None:  # what numpy cannot take: the plain way
        c, w = _recode(plain.terms(text))
        return tuple(c), np.array([x for v in c.values() for x in v], dtype=np.int32), w
    ft, skeys, spos, starts = found
    if not len(starts):
        return (), np.zeros(0, dtype=np.int32), fastterms.count_words(ft)
    counts = np.diff(np.append(starts, len(spos)))
    gaps = np.empty_like(spos)
    gaps[0] = spos[0]
    np.subtract(spos[1:], spos[:-1], out=gaps[1:])
    first = spos[starts]
    gaps[starts] = first  # a term's first position as it is, the others as gaps
    flat = np.insert(gaps, starts, counts).astype(np.int32)  # [count, first, gaps…] term after term
    width = fastterms.term_widths(skeys, starts)
    terms = tuple(ft[p:p + w] for p, w in zip(first.tolist(), width))
    return terms, flat, fastterms.count_words(ft)


def runs(flat: list[int]):
    """Each term's coded list of flat_coded()'s ints, in order: [count, first, gaps…]."""
    a, n = 0, len(flat)
    while a < n:
        b = a + flat[a] + 1
        yield flat[a:b]
        a = b


def _recode(found: tuple[dict[str, list[int]], dict[str, int]]) -> tuple[dict, dict]:
    c, w = found
    return {t: [len(p), p[0], *(b - a for a, b in zip(p, p[1:]))] for t, p in c.items()}, w
