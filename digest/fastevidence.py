"""Cross-article evidence for a whole site at once, fast: clean.furniture.evidence() with numpy.

A speed trick beneath the pipeline (docs/ARCHITECTURE.md, "The speed layer"): the answer is
exactly furniture.evidence()'s — the same {shape: count} for every page, in the same order —
and tests/test_properties.py checks it against that function on random sites.

Why: an incremental build at 10,000 articles made the evidence of every page again for one
edited or added file (the pipeline needs every file's fingerprint to know which articles it
moved), ~0.5-1 s of a ~2 s build. Of a site's ~300,000 (page, shape) pairs, ~95% of the shapes
stand on one page only; furniture.evidence() puts every one of them in a dict of holders. Here
the pairs are one array sorted by (shape, page), the shapes held by one page are dropped with a
comparison, and only the few thousand shared ones go on — the same pairing along each shape's
sorted holders, the same union-find of sites and stories (the smaller name leads), the same
count of other stories of the page's site, capped.

evidence(pages) falls back on furniture.evidence() itself for small sites (numpy's import costs
more than the work there), so only a site of SMALL pages or more takes this path.
"""

from __future__ import annotations

import hashlib
import struct

SMALL = 500  # pages: below this, furniture.evidence() itself (numpy's import is ~0.1 s)


def evidence_of(shapes: dict, fast: bool | None = None) -> dict[str, tuple[dict, str]]:
    """{rel: (evidence, fingerprint)} of the pages that have any evidence, from every page's
    (short shapes, long shapes): what pipeline.evidence_of returns. fast: None decides by size."""
    if fast is None:
        fast = len(shapes) >= SMALL
    if fast:
        return evidence(shapes, with_fingerprints=True)
    return {rel: (e, fingerprint(e)) for rel, e in _plain(shapes).items() if e}


def fingerprint(ev: dict) -> str:
    """A page's evidence in 24 hex digits (keys its article: pipeline.keyed): sha256 of its
    (shape, count) pairs sorted by shape, as little-endian 64- and 32-bit numbers."""
    return hashlib.sha256(b"".join(_PAIR.pack(h, c) for h, c in sorted(ev.items()))).hexdigest()[:24]


_PAIR = struct.Struct("<QI")


def _plain(shapes: dict) -> dict[str, dict[int, int]]:
    from .clean.furniture import evidence

    return evidence(shapes)


def evidence(pages: dict, with_fingerprints: bool = False, record: dict | None = None) -> dict:
    """furniture.evidence(pages), for pages with evidence only (the plain way also lists pages
    with {}); each page's dict in the plain way's order (its shapes by first appearance, names
    sorted, a page's short shapes before its long ones). with_fingerprints: {rel: (evidence,
    fingerprint(evidence))}, the fingerprints hashed from the arrays. record: a dict given by
    warmevidence.py (the preview), filled with what the answer was made from (every shape held,
    sorted; the pages' sizes; the pairs of pages and their counts) once the pairs are counted."""
    import numpy as np

    from .clean.furniture import CAP, COPY_SHARE, SITE_SHARE, SITE_SHARED

    names = sorted(pages)
    n = len(names)
    if n < 2:
        return {}
    counts = [(len(pages[m][0]), len(pages[m][1])) for m in names]
    flat: list[int] = []
    for m in names:
        s, lg = pages[m]
        flat += s
        flat += lg
    total = len(flat)
    if not total:
        return {}
    shape = np.array(flat, dtype=np.uint64)
    nshort = np.array([c[0] for c in counts], dtype=np.int64)
    nlong = np.array([c[1] for c in counts], dtype=np.int64)
    per = nshort + nlong
    page = np.repeat(np.arange(n, dtype=np.int64), per)
    starts = np.concatenate(([0], np.cumsum(per)[:-1]))
    # a pair is short when it comes from the page's short shapes (its position within the page)
    within = np.arange(total, dtype=np.int64) - np.repeat(starts, per)
    short = within < np.repeat(nshort, per)
    # sorted by shape, then by position (= page order, short before long): holders in name order
    order = np.argsort(shape, kind="stable")  # (a stable sort keeps equal shapes in position order)
    s_shape, s_page, s_short, s_pos = shape[order], page[order], short[order], order
    held = s_shape  # (record: every shape held, sorted, for warmevidence.py)
    new = np.empty(total, dtype=bool)
    new[0] = True
    np.not_equal(s_shape[1:], s_shape[:-1], out=new[1:])
    gstart = np.flatnonzero(new)
    gsize = np.diff(np.append(gstart, total))
    shared = gsize >= 2
    if not shared.any():  # (no shape on two pages: no pairs, no evidence)
        if record is not None:
            record.update(names=names, held=held, nshort=nshort, nlong=nlong, tables=[])
        return {}
    # keep the shapes held twice or more (a page may hold a shape twice: short and long)
    keep = np.repeat(shared, gsize)
    s_shape, s_page, s_short, s_pos = s_shape[keep], s_page[keep], s_short[keep], s_pos[keep]
    gstart = np.flatnonzero(np.append(True, s_shape[1:] != s_shape[:-1]))
    gsize = np.diff(np.append(gstart, len(s_shape)))
    ngroups = len(gstart)
    group = np.repeat(np.arange(ngroups), gsize)
    g_short = np.logical_or.reduceat(s_short, gstart)  # is_short: short on any page
    g_first = np.minimum.reduceat(s_pos, gstart)  # first appearance (the plain way's dict order)
    # neighbours along each shape's holders, counted per pair of pages, short and long apart
    nxt = np.flatnonzero(group[1:] == group[:-1])
    a, b = s_page[nxt], s_page[nxt + 1]
    pair_short = g_short[group[nxt]]
    sites = _Groups(n)
    stories = _Groups(n)
    tables = []  # (record) per kind of pair: long or short, the pairs, their counts, need, share, joined
    for table, size, need, share, uf in ((pair_short, nshort, SITE_SHARED, SITE_SHARE, sites),
                                         (~pair_short, nlong, 2, COPY_SHARE, stories)):
        code = a[table] * n + b[table]
        if not len(code):
            continue
        uniq, cnt = np.unique(code, return_counts=True)
        pa, pb = uniq // n, uniq % n
        smaller = np.minimum(size[pa], size[pb])
        ok = (cnt >= need) & (cnt >= share * smaller)
        tables.append((size is nlong, pa, pb, cnt, need, share, ok))
        for x, y in zip(pa[ok].tolist(), pb[ok].tolist()):
            uf.join(x, y)
    if record is not None:  # (the early returns above leave it empty: warmevidence.py then makes it again)
        record.update(names=names, held=held, nshort=nshort, nlong=nlong, tables=tables)
    site = sites.roots()
    story = stories.roots()
    # per (shape, site): how many distinct stories hold the shape
    h_site, h_story = site[s_page], story[s_page]
    trip = np.lexsort((h_story, h_site, group))
    tg, ts, tt = group[trip], h_site[trip], h_story[trip]
    first_trip = np.append(True, (tg[1:] != tg[:-1]) | (ts[1:] != ts[:-1]) | (tt[1:] != tt[:-1]))
    gs_new = np.append(True, (tg[1:] != tg[:-1]) | (ts[1:] != ts[:-1]))
    gs_id = np.cumsum(gs_new) - 1  # one id per (shape, site), along trip
    distinct = np.bincount(gs_id, weights=first_trip).astype(np.int64)
    others = np.empty(len(trip), dtype=np.int64)
    others[trip] = distinct[gs_id] - 1  # per holder (in s_ order): other stories of its site
    has = others > 0
    if not has.any():
        return {}
    e_page, e_group, e_val = s_page[has], group[has], np.minimum(others[has], CAP)
    # one entry per (page, shape), in the plain way's order: pages by name, shapes by first appearance
    e_first = g_first[e_group]
    o = np.lexsort((e_first, e_page))
    e_page, e_group, e_val, e_first = e_page[o], e_group[o], e_val[o], e_first[o]
    dup = np.append(False, (e_page[1:] == e_page[:-1]) & (e_group[1:] == e_group[:-1]))
    e_page, e_group, e_val = e_page[~dup], e_group[~dup], e_val[~dup]
    g_shape = s_shape[gstart]
    keys = g_shape[e_group].tolist()
    vals = e_val.tolist()
    bounds = np.flatnonzero(np.append(True, e_page[1:] != e_page[:-1])).tolist() + [len(vals)]
    who = e_page.tolist()
    out = {}
    for i, j in zip(bounds, bounds[1:]):
        out[names[who[i]]] = dict(zip(keys[i:j], vals[i:j]))
    if not with_fingerprints:
        return out
    # the same entries sorted by (page, shape): each page's bytes as fingerprint() packs them
    e_shape = g_shape[e_group]
    o = np.lexsort((e_shape, e_page))
    rec = np.empty(len(o), dtype=np.dtype([("h", "<u8"), ("c", "<u4")], align=False))
    rec["h"], rec["c"] = e_shape[o], e_val[o]
    buf, size = rec.tobytes(), rec.dtype.itemsize
    sha = hashlib.sha256
    return {names[who[i]]: (out[names[who[i]]], sha(buf[i * size:j * size]).hexdigest()[:24])
            for i, j in zip(bounds, bounds[1:])}


class _Groups:
    """Union-find over page numbers (numbers follow sorted names: the smaller number leads)."""

    def __init__(self, n: int):
        self.up: dict[int, int] = {}
        self.n = n

    def find(self, x: int) -> int:
        up = self.up
        while up.get(x, x) != x:
            nx = up[x]
            up[x] = up.get(nx, nx)
            x = nx
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)

    def roots(self):
        import numpy as np

        out = np.arange(self.n, dtype=np.int64)
        for x in self.up:
            out[x] = self.find(x)
        return out
