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
REUSE_MIN = SMALL  # pages: below this, reuse() keeps the evidence only when no page's shapes changed


def evidence_of(shapes: dict, fast: bool | None = None) -> dict[str, tuple[dict, str]]:
    """{rel: (evidence, fingerprint)} of the pages that have any evidence, from every page's
    (short shapes, long shapes): what pipeline.evidence_of returns. fast: None decides by size."""
    if fast is None:
        fast = len(shapes) >= SMALL
    if fast:
        return evidence(shapes, with_fingerprints=True)
    return {rel: (e, fingerprint(e)) for rel, e in _plain(shapes).items() if e}


def evidence_packed(shapes: dict, flat: tuple | None = None, fast: bool | None = None) -> dict[str, tuple[dict, str, bytes]]:
    """evidence_of(shapes) with each page's evidence packed too: {rel: (evidence, fingerprint,
    pack_evidence(evidence))}. flat: the shapes flattened already (reuse)."""
    if fast is None:
        fast = len(shapes) >= SMALL
    if fast:
        return evidence(shapes, with_fingerprints="packed", flat=flat)
    return {rel: (e, fingerprint(e), pack_evidence(e)) for rel, e in _plain(shapes).items() if e}


def pack_evidence(ev: dict) -> bytes:
    """A page's evidence as bytes, its (shape, count) pairs in the dict's order ('<QI' each)."""
    return b"".join(_PAIR.pack(h, c) for h, c in ev.items())


def unpack_evidence(data: bytes) -> dict:
    return {h: c for h, c in _PAIR.iter_unpack(data)}


def reuse(shapes: dict, old_shapes: dict, old: dict | None) -> tuple[dict | None, tuple | None]:
    """Speed layer: (the last build's evidence, {rel: (fingerprint, pack_evidence(evidence))} of
    old_shapes, when it is this build's too, else None; the flattened shapes it made on the way,
    for evidence(flat=) to start from, or None). It is this build's when no page's shapes changed,
    or when one page's did (an edit, a new page, a deleted one) and:
    - every shape that page gained or lost, short or long, is held by no other page (a new
      paragraph of its own): every other shape's holders, and whether it is short anywhere, are
      as they were;
    - so every pair count along the holders is as it was, and the site and story edges can move
      only where the page's own size (its numbers of short and long shapes) is a threshold:
      each edge between it and another page is compared at its old and new size, and all must
      hold or fail alike.
    Then the sites and stories are the same, so is every page's evidence, and its dict order
    (shapes by first appearance: the pages after it shift alike). A site under SMALL pages is
    not looked at (its plain evidence is cheap). tests/test_speed_layer.py compares it with the
    evidence made again on random sites and changes."""
    if old is None:
        return None, None
    changed = [rel for rel in shapes.keys() | old_shapes.keys() if shapes.get(rel) != old_shapes.get(rel)]
    if not changed:
        return old, None
    if len(changed) != 1 or len(shapes) < REUSE_MIN:
        return None, None
    page = changed[0]
    new_s, new_l = unpack(shapes[page]) if page in shapes else ((), ())
    old_s, old_l = unpack(old_shapes[page]) if page in old_shapes else ((), ())
    moved = (set(new_s) ^ set(old_s)) | (set(new_l) ^ set(old_l))
    import numpy as np

    names = sorted(shapes)
    flat, counts = _flatten(shapes, names, np)
    made = (flat, counts)
    if len(moved) > 64:
        return None, made
    mine_all = new_s + new_l
    for v in moved:  # held by another page: more than the page's own times in the flat array
        if int(np.count_nonzero(flat == np.uint64(v))) > mine_all.count(v):
            return None, made
    if page not in shapes or page not in old_shapes:  # new or gone: all its shapes are its own, no edge
        return old, made
    if (len(new_s), len(new_l)) == (len(old_s), len(old_l)):
        return old, made  # (the same sizes: every edge as it was)
    from .clean.furniture import COPY_SHARE, SITE_SHARE, SITE_SHARED

    mine = sorted(set(mine_all) - moved)  # its shapes other pages may hold too
    if not mine:
        return old, made
    me = names.index(page)
    ncount = np.array([c[0] + c[1] for c in counts], dtype=np.int64)
    pos = np.flatnonzero(np.isin(flat, np.array(mine, dtype=np.uint64)))
    owner = np.repeat(np.arange(len(names), dtype=np.int64), ncount)[pos]
    starts = np.concatenate(([0], np.cumsum(ncount)[:-1]))
    short_at = (pos - starts[owner]) < np.array([c[0] for c in counts], dtype=np.int64)[owner]
    at: dict[int, list] = {}  # shape -> [(page number, short there)] in position order (the holders' order)
    for v, o, sh in zip(flat[pos].tolist(), owner.tolist(), short_at.tolist()):
        at.setdefault(v, []).append((o, sh))
    pairs: dict[tuple[int, bool], int] = {}
    for holders in at.values():
        is_short = any(sh for _, sh in holders)
        for (a, _), (b, _) in zip(holders, holders[1:]):
            if (a == me) != (b == me):
                q = b if a == me else a
                pairs[(q, is_short)] = pairs.get((q, is_short), 0) + 1
    for (q, is_short), cnt in pairs.items():
        qs, ql = counts[q]
        if is_short:
            before = cnt >= SITE_SHARED and cnt >= SITE_SHARE * min(len(old_s), qs)
            after = cnt >= SITE_SHARED and cnt >= SITE_SHARE * min(len(new_s), qs)
        else:
            before = cnt >= 2 and cnt >= COPY_SHARE * min(len(old_l), ql)
            after = cnt >= 2 and cnt >= COPY_SHARE * min(len(new_l), ql)
        if before != after:
            return None, made
    return old, made


def fingerprint(ev: dict) -> str:
    """A page's evidence in 24 hex digits (keys its article: pipeline.keyed): sha256 of its
    (shape, count) pairs sorted by shape, as little-endian 64- and 32-bit numbers."""
    return hashlib.sha256(b"".join(_PAIR.pack(h, c) for h, c in sorted(ev.items()))).hexdigest()[:24]


_PAIR = struct.Struct("<QI")


def _plain(shapes: dict) -> dict[str, dict[int, int]]:
    from .clean.furniture import evidence

    return evidence({rel: unpack(v) for rel, v in shapes.items()})


# Speed layer: a page's shapes packed as bytes (the build state keeps them so: pipeline._shapes_of).
# 10,000 pages hold ~300,000 shapes; as tuples of ints the build state pickled and unpickled
# them one by one (~0.035 s each way, every edit and add), and evidence() copied them into one
# list before numpy (~0.015 s). Packed, a page's (short, long) shapes are two bytes objects of
# native unsigned 64-bit numbers, in page_shapes' order: pickled as two strings, joined into
# one array at once. unpack() gives page_shapes' tuples back (the plain way, small sites).
def pack(shapes: tuple) -> tuple[bytes, bytes]:
    """page_shapes' (short, long) tuples as (bytes, bytes); packed ones as they are."""
    from array import array

    short, long_ = shapes
    if isinstance(short, bytes):
        return short, long_
    return array("Q", short).tobytes(), array("Q", long_).tobytes()


def unpack(shapes: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """pack()'s bytes back as page_shapes' tuples; tuples as they are."""
    from array import array

    short, long_ = shapes
    if not isinstance(short, bytes):
        return tuple(short), tuple(long_)
    return tuple(array("Q", short)), tuple(array("Q", long_))


def _flatten(pages: dict, names: list, np):
    """(every page's short then long shapes, pages in name order, as one uint64 array;
    [(shorts, longs)] per page), from packed or plain pages."""
    if all(isinstance(pages[m][0], bytes) and isinstance(pages[m][1], bytes) for m in names):
        parts = [x for m in names for x in pages[m]]
        counts = [(len(pages[m][0]) // 8, len(pages[m][1]) // 8) for m in names]
        return np.frombuffer(b"".join(parts), dtype=np.uint64), counts
    counts = [(len(pages[m][0]) // 8 if isinstance(pages[m][0], bytes) else len(pages[m][0]),
               len(pages[m][1]) // 8 if isinstance(pages[m][1], bytes) else len(pages[m][1])) for m in names]
    flat: list[int] = []
    for m in names:
        s, lg = unpack(pages[m])
        flat += s
        flat += lg
    return np.array(flat, dtype=np.uint64), counts


def evidence(pages: dict, with_fingerprints: bool | str = False, flat: tuple | None = None,
             record: dict | None = None) -> dict:
    """furniture.evidence(pages), for pages with evidence only (the plain way also lists pages
    with {}); each page's dict in the plain way's order (its shapes by first appearance, names
    sorted, a page's short shapes before its long ones). with_fingerprints: {rel: (evidence,
    fingerprint(evidence))}, the fingerprints hashed from the arrays ("packed": with
    pack_evidence's bytes too). flat: _flatten(pages) made already (reuse). record: a dict given
    by warmevidence.py (the preview), filled with what the answer was made from (every shape
    held, sorted; the pages' sizes; the pairs of pages and their counts) once the pairs are counted."""
    import numpy as np

    from .clean.furniture import CAP, COPY_SHARE, SITE_SHARE, SITE_SHARED

    names = sorted(pages)
    n = len(names)
    if n < 2:
        return {}
    shape, counts = flat if flat is not None else _flatten(pages, names, np)
    total = len(shape)
    if not total:
        return {}
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
    if with_fingerprints != "packed":
        return {names[who[i]]: (out[names[who[i]]], sha(buf[i * size:j * size]).hexdigest()[:24])
                for i, j in zip(bounds, bounds[1:])}
    # and each page's evidence packed in its dict order (pack_evidence), for the next build (reuse)
    recd = np.empty(len(vals), dtype=rec.dtype)
    recd["h"], recd["c"] = e_shape, e_val
    bufd = recd.tobytes()
    return {names[who[i]]: (out[names[who[i]]], sha(buf[i * size:j * size]).hexdigest()[:24],
                            bufd[i * size:j * size]) for i, j in zip(bounds, bounds[1:])}


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
