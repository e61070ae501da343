"""One story, many portals: syndicated copies found among the cleaned articles, shown once.

A wire report reposted by a dozen portals, a self-media repost, the Traditional-script edition
of a mainland story, a truncated "read more" copy: each is a copy of one story. This step runs
after the articles are cleaned and their slugs settled (pipeline.build_site), and before any
page is planned:

1. **Text to shingles.** The cleaned body (Markdown) without link targets and images,
   full-width forms as ASCII, lower case, Traditional folded to Simplified (OpenCC `t2s`),
   digit runs as `0`, punctuation and spaces dropped. A text mostly in Han is cut into
   shingles of HAN_K characters, any other into shingles of WORD_K words (a Han character
   counts as a word). Each shingle is a 32-bit hash.
2. **Signatures.** Two datasketch MinHashes per article: one of its shingles (a sample, the
   same in every text: 1 in SAMPLE by hash), one of its head (the shingles of its first
   HEAD_TOKENS tokens — a truncated copy is the head of its story, so it shares the head even
   when it holds a tenth of the text). Kept in the build state (`BuildState.stories`) by the
   article's path and digest (its bytes and evidence; the state belongs to one salt): an
   incremental build computes signatures only for new or edited articles.
3. **Candidates.** LSH banding over both signature sets (numpy: a sort per band; rebuilding
   datasketch's MinHashLSH for 10,000 articles took 0.42 s and unpickling it 0.40 s, over the
   whole budget of an edit), then a MinHash estimate (Jaccard, head Jaccard, containment) drops
   pairs that are plainly different.
4. **Verification.** Each remaining pair is measured exactly on the two shingle sets:
   containment (shared shingles over the smaller set — a truncated copy is wholly contained)
   and Jaccard. A pair is a copy when containment ≥ COPY_CONTAINMENT. The copies are kept in the
   build state by the pair of (path, digest): an edit looks for and measures its own pairs only.
5. **Stories.** Pairs join stories strongest first, and two groups join only if most pairs
   across them are copies (so a round-up quoting two different articles does not make them one
   story). `same_as:` joins whatever the text says, `not_same_as:` keeps two files apart.
   The canonical copy is the one marked `canonical: true`, else the earliest dated (undated
   last, ties by path). Everything is ordered by path and score: the result does not depend
   on the order of the files.

The canonical article carries `copies` (every copy: source, date, link to its original) and
the union of the copies' tags; the other copies leave the list of articles and their URLs
(and their own aliases) become its aliases, so site.py writes them as redirect pages with
rel=canonical. Feeds, index, tags, archive and search then carry the story once; source pages
list it under every source that ran it (story_sources).
"""

from __future__ import annotations

import hashlib
import re
import time
import zlib
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import lru_cache
from operator import attrgetter

from .errors import Problem, Report
from .model import Article
from .nfkc import narrow

VERSION = 2  # of the shingles, signatures and the state entry: a new one recomputes them
NUM_PERM = 128
HEAD_TOKENS = 60  # a truncated copy keeps at least the story's first lines
# shingle length in tokens: Han characters, other words. Long enough that two texts made of
# the same stock phrases (bench/sitegen.py's articles share ~0.4 of their 5-character shingles)
# share few: a copy shares whole sentences.
HAN_K, WORD_K = 10, 6
# LSH bands (bands, rows): P(candidate) is 1 - (1 - J**rows)**bands: ~0.99 at J = 0.5, 0.02 at 0.1
WHOLE_BANDS = (32, 4)
HEAD_BANDS = (32, 4)
# MinHash estimates below all of these: plainly not a copy, no exact check
EST_JACCARD, EST_HEAD, EST_CONTAINMENT = 0.35, 0.6, 0.45
COPY_CONTAINMENT = 0.45  # exact: shared shingles over the smaller set
MIN_SHARED = 8  # shingles two copies share at least (two one-line notes are not a story)
TRUNCATED = 0.8  # a copy with under this share of the canonical's shingles is "truncated"
SEED = 20
SAMPLE = 2  # a text's whole MinHash is made from 1 in SAMPLE of its shingles (by hash)

_HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN_RANGE}]|[^\W_{_HAN_RANGE}]+")
_WORDS = re.compile(rf"[^\W_{_HAN_RANGE}]+")  # words of other scripts
_NONWORD = re.compile(r"[\W_]+")
_FULL = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>\n]{1,200}>|https?://\S+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Copy:
    """One copy of a story, as the story's page lists it."""

    rel: str
    url: str  # its own URL (a redirect page to the story, unless it is the canonical copy)
    source: str | None
    date: datetime | None
    source_url: str | None
    lang: str
    score: float  # similarity to the canonical copy (1.0 for the canonical itself)
    notes: tuple = ()  # ("Traditional", "truncated", "edited", "same_as") as the build says them
    canonical: bool = False


# ---------------------------------------------------------------- text to shingles


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def tokens(text: str):
    """(k, token ids): the text Simplified, full-width forms as ASCII, lower case, digit runs as 0, without
    punctuation, spaces, markup or link targets. A text mostly in Han is its characters (ids:
    code points, shingles of HAN_K); any other is its words (Han characters one by one; ids:
    CRC-32, shingles of WORD_K). ids is a numpy uint64 array."""
    import numpy as np

    text = _MARKUP.sub(" ", text)
    if not text.isascii():  # full-width letters, digits and spaces as ASCII (NFKC's share that matters here)
        text = narrow(text)  # = text.translate(_FULL), without a dict lookup per character (speed layer)
    text = text.lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = int(((codes >= 0x4E00) & (codes <= 0x9FFF)).sum() + ((codes >= 0x3400) & (codes <= 0x4DBF)).sum()
              + ((codes >= 0xF900) & (codes <= 0xFAFF)).sum())
    if han:
        text = _t2s().convert(text)
    text = _DIGITS.sub("0", text)
    if han and han >= len(_WORDS.findall(text)):
        chars = _NONWORD.sub("", text)
        return HAN_K, np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    ids = [ord(t) if len(t) == 1 else zlib.crc32(t.encode()) | 0x100000000 for t in _TOKEN.findall(text)]
    return WORD_K, np.array(ids, dtype=np.uint64)


_MULT = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


def shingles(tok):
    """Sorted unique 32-bit hashes of the shingles of tokens(text) (numpy uint32 array)."""
    import numpy as np

    k, ids = tok
    n = len(ids)
    if not n:
        return np.zeros(0, dtype=np.uint32)
    k = min(k, n)
    m = n - k + 1
    h = np.zeros(m, dtype=np.uint64)
    mult = np.uint64(_MULT[0])
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * mult + ids[j:j + m]
        h ^= h >> np.uint64(31)
        h *= np.uint64(_MULT[1])
        h ^= h >> np.uint64(29)
    return sorted_unique((h >> np.uint64(32)).astype(np.uint32))


def sorted_unique(values):
    """np.unique(values) of a 1-d array, the same array; values is sorted in place (speed layer: numpy 2's np.unique finds
    the distinct values by hashing and then sorts them, ~110 µs for ~1,100 shingles; a sort in
    place and a mask of the values unlike their predecessor take ~16 µs. Two calls an article for its
    signature, one more for an article an exact check reads: 10,000 articles ~1-2 s of CPU less.
    tests/test_speed_layer.py compares it with np.unique on random arrays)."""
    import numpy as np

    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


@lru_cache(maxsize=1)
def _minhash_class():
    """datasketch's MinHash, without the rest of datasketch when it is not loaded yet: the
    package imports every sketch it has and scipy (0.6 s, twice an edit's budget), its
    minhash module needs numpy only. The package's own __init__ still runs for whoever
    imports datasketch later (the submodules loaded here are reused)."""
    import sys

    if "datasketch" in sys.modules:
        from datasketch import MinHash

        return MinHash
    import importlib.util
    import types

    spec = importlib.util.find_spec("datasketch")
    stub = types.ModuleType("datasketch")
    stub.__path__ = list(spec.submodule_search_locations or ())
    sys.modules["datasketch"] = stub
    try:
        from datasketch.minhash import MinHash
    finally:
        if sys.modules.get("datasketch") is stub:
            del sys.modules["datasketch"]
    return MinHash


@lru_cache(maxsize=1)
def _permutations():
    return _minhash_class()(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def minhash(values):
    """A datasketch MinHash (scheme affine32) of these 32-bit shingle hashes."""
    m = _minhash_class()(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme="affine32")
    if len(values):
        m.update_batch(values.tolist())
    return m


@lru_cache(maxsize=1)
def _affine():
    """(a, b, the empty MinHash) of minhash()'s permutations, shaped for hashvalues()."""
    import numpy as np

    a, b = _permutations()
    return a.reshape(-1, 1), b.reshape(-1, 1), np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def hashvalues(values):
    """minhash(values).hashvalues, the same numbers (speed layer: datasketch's update_batch turns
    the array into a list of ints and back, and takes each permutation's minimum across rows;
    here the array stays one, is mixed in place (its MurmurHash3 finalizer, _fmix of 32 bits)
    and each permutation's minimum is taken along a row: ~0.05 ms instead of ~0.25 ms, twice an
    article. tests/test_speed_layer.py compares the two on random sets)."""
    import numpy as np

    a, b, empty = _affine()
    if not len(values):
        return empty.copy()
    hv = values.astype(np.uint32)  # a copy: mixed in place below
    with np.errstate(over="ignore"):
        hv ^= hv >> np.uint32(16)
        hv *= np.uint32(0x85EBCA6B)
        hv ^= hv >> np.uint32(13)
        hv *= np.uint32(0xC2B2AE35)
        hv ^= hv >> np.uint32(16)
        phv = np.multiply(a, hv)  # (permutations, values): a * h + b, wrapping at 2**32
        phv += b
    return np.minimum(empty, phv.min(axis=1))


def signature(text: str) -> tuple[bytes, bytes, int]:
    """(whole MinHash, head MinHash, shingle count) of a body: what the build state keeps."""
    k, ids = tokens(text)
    whole = shingles((k, ids))
    head = shingles((k, ids[:HEAD_TOKENS]))
    # the whole text's MinHash of a sample of its shingles, the same sample in every text (hash
    # mod SAMPLE): the sample's Jaccard estimates the whole's, at 1/SAMPLE of the cost
    sample = whole[whole % SAMPLE == 0]
    return hashvalues(sample).tobytes(), hashvalues(head).tobytes(), int(len(whole))


STATS: dict = {}  # the last find_stories(): counts and seconds of its steps (bench/stories.py prints them)
_TODO: list = []  # the articles whose signatures a build computes (forked workers inherit it)


def _signature_of(i: int) -> tuple[bytes, bytes, int]:
    return signature(_TODO[i].body_md)  # by index: an Article sent to a worker would be pickled whole


# ---------------------------------------------------------------- candidates and verdicts


def _band_keys(sigs, bands: tuple[int, int]):
    """One 64-bit key per article and band (N x bands): two articles that agree on every row of
    a band share its key."""
    import numpy as np

    n = sigs.shape[0]
    b, r = bands
    keys = np.zeros((n, b), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in range(r):
            keys = keys * np.uint64(_MULT[2]) + sigs[:, c:b * r:r].astype(np.uint64) + np.uint64(c + 1)
    return keys


def _pairs_of(sigs, bands: tuple[int, int], rows: list, fresh) -> set:
    """Pairs of rows[i] (i < j) whose signatures agree on every value of some band, with at
    least one of them in `fresh` (positions; None: all, found by a sort of each band's keys,
    then checked value by value; else each fresh row compared with all rows at once)."""
    import numpy as np

    out: set = set()
    n = len(rows)
    b, r = bands
    if fresh is None:
        keys = _band_keys(sigs, bands)
        for band in range(b):
            k = keys[:, band]
            order = np.argsort(k, kind="stable")
            ks = k[order]
            eq = np.concatenate(([False], ks[1:] == ks[:-1], [False]))
            starts = np.flatnonzero(~eq[:-1] & eq[1:])
            ends = np.flatnonzero(eq[:-1] & ~eq[1:])
            for s_, e in zip(starts.tolist(), ends.tolist()):
                same: dict = {}  # (a 64-bit key can collide: the band's values decide)
                for x in order[s_:e + 1].tolist():
                    same.setdefault(sigs[x, band * r:(band + 1) * r].tobytes(), []).append(rows[x])
                for members in same.values():
                    members.sort()
                    out.update((members[p], members[q]) for p in range(len(members)) for q in range(p + 1, len(members)))
    else:
        banded = sigs[:, :b * r].reshape(n, b, r)
        for i in fresh:
            for j in np.flatnonzero((banded == banded[i]).all(axis=2).any(axis=1)).tolist():
                if j != i:
                    x, y = rows[i], rows[j]
                    out.add((x, y) if x < y else (y, x))
    return out


PAIR_BLOCK = 8192  # candidate pairs whose estimates are computed at once (~8 MB of signature rows)


def candidate_pairs(whole, head, counts, fresh=None) -> list[tuple[int, int]]:
    """Pairs of article indexes worth an exact check, sorted: LSH on both signatures (only
    pairs with an article of `fresh`, when given), then the MinHash estimates (Jaccard, head
    Jaccard, containment from Jaccard and the set sizes). Articles with fewer than MIN_SHARED
    shingles are in no pair."""
    import numpy as np

    rows = np.flatnonzero(counts >= MIN_SHARED)
    if len(rows) < 2:
        return []
    index = {r: k for k, r in enumerate(rows.tolist())}
    sub = None if fresh is None else [index[i] for i in fresh if i in index]
    if sub is not None and not sub:
        return []
    rl = rows.tolist()
    pairs = _pairs_of(whole[rows], WHOLE_BANDS, rl, sub) | _pairs_of(head[rows], HEAD_BANDS, rl, sub)
    if not pairs:
        return []
    pairs = np.array(sorted(pairs), dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    # speed layer (memory): the estimates PAIR_BLOCK pairs at a time, the same numbers (each a
    # count of equal values over NUM_PERM); all at once, the pairs' signature rows were copied
    # whole (a cold build at 10,000 articles: ~130,000 pairs, +150 MB, the build's peak)
    jac, hj = np.empty(len(pairs)), np.empty(len(pairs))
    for s_ in range(0, len(pairs), PAIR_BLOCK):
        a, b = i[s_:s_ + PAIR_BLOCK], j[s_:s_ + PAIR_BLOCK]
        jac[s_:s_ + PAIR_BLOCK] = (whole[a] == whole[b]).mean(axis=1)
        hj[s_:s_ + PAIR_BLOCK] = (head[a] == head[b]).mean(axis=1)
    ci, cj = counts[i].astype(float), counts[j].astype(float)
    shared = jac / (1 + jac) * (ci + cj)
    cont = shared / np.maximum(1.0, np.minimum(ci, cj))
    keep = (jac >= EST_JACCARD) | (hj >= EST_HEAD) | (cont >= EST_CONTAINMENT)
    return list(zip(i[keep].tolist(), j[keep].tolist()))


def measure(a_shingles, b_shingles) -> tuple[float, float, int]:
    """(containment, Jaccard, shared shingles) of two shingle sets, exactly."""
    import numpy as np

    na, nb = len(a_shingles), len(b_shingles)
    if not na or not nb:
        return 0.0, 0.0, 0
    shared = len(np.intersect1d(a_shingles, b_shingles, assume_unique=True))
    return shared / min(na, nb), shared / (na + nb - shared), shared


def is_copy(verdict: tuple[float, float, int]) -> bool:
    return verdict[0] >= COPY_CONTAINMENT and verdict[2] >= MIN_SHARED


# ---------------------------------------------------------------- the build step


@dataclass
class Story:
    canonical: str  # rel
    members: tuple  # Copy, canonical first, then by date (undated last) and path


class _Texts:
    """Shingle sets of articles, made once per build when an exact check needs them."""

    def __init__(self, by_rel: dict):
        self.by_rel, self.memo = by_rel, {}

    def __call__(self, rel: str):
        got = self.memo.get(rel)
        if got is None:
            got = self.memo[rel] = shingles(tokens(self.by_rel[rel].body_md))
        return got


def _node(a: Article) -> str:
    return a.rel + "\0" + a.digest


def find_stories(articles: list[Article], report: Report, state=None,
                 known: set | None = None, use_parallel: bool = True) -> list[Story]:
    """The stories of more than one copy among these articles (any order in, the same out).
    state: the build state; its `stories` keeps signatures and the copies found (by path
    and digest) by the last build, so that only pairs with a new or edited
    article are looked for and measured. known: every article file of the site (drafts too):
    a curator key naming one that is not built (a draft) is no error."""
    import numpy as np

    from .parallel import ordered_map

    t0 = time.perf_counter()
    arts = sorted(articles, key=attrgetter("rel"))
    by_rel = {a.rel: a for a in arts}
    saved = getattr(state, "stories", None) or {}
    if saved.get("version") != VERSION or saved.get("perm") != NUM_PERM:
        saved = {}
    old_pairs = saved.get("pairs", {})
    old_row = {n: i for i, n in enumerate(saved.get("nodes", ()))}
    nodes = [_node(a) for a in arts]
    fresh = [i for i, n in enumerate(nodes) if n not in old_row]
    if fresh:  # loaded before workers fork, not once in each
        _permutations(), _t2s()
    global _TODO
    _TODO = [arts[i] for i in fresh]
    try:
        made = ordered_map(_signature_of, list(range(len(fresh))), None, use_parallel)
    finally:
        _TODO = []
    t1 = time.perf_counter()
    # the signatures: one row per article, from the last build's rows or just made
    whole = np.zeros((len(arts), NUM_PERM), dtype=np.uint32)
    head = np.zeros((len(arts), NUM_PERM), dtype=np.uint32)
    counts = np.zeros(len(arts), dtype=np.int64)
    kept = [i for i, n in enumerate(nodes) if n in old_row]
    if kept:
        rows = np.array([old_row[nodes[i]] for i in kept], dtype=np.int64)
        whole[kept] = np.frombuffer(saved["whole"], dtype=np.uint32).reshape(-1, NUM_PERM)[rows]
        head[kept] = np.frombuffer(saved["head"], dtype=np.uint32).reshape(-1, NUM_PERM)[rows]
        counts[kept] = np.frombuffer(saved["counts"], dtype=np.int64)[rows]
    for i, (w, h, c) in zip(fresh, made):
        whole[i] = np.frombuffer(w, dtype=np.uint32)
        head[i] = np.frombuffer(h, dtype=np.uint32)
        counts[i] = c
    size = dict(zip((a.rel for a in arts), counts.tolist()))
    texts = _Texts(by_rel)
    live = set(nodes)
    # verdicts of the last build between articles still here, unchanged: a pair of them was
    # looked for then exactly as it would be now
    # (only copies are kept: the verdict of any other pair of unchanged articles is needed again
    # only when two groups may join, and is measured again then)
    found: dict = {k: v for k, v in old_pairs.items() if k[0] in live and k[1] in live}
    pairs: dict = dict(found)

    def verdict(x: Article, y: Article) -> tuple[float, float, int]:
        nx, ny = _node(x), _node(y)
        key = (nx, ny) if nx <= ny else (ny, nx)
        v = pairs.get(key)
        if v is None:
            v = pairs[key] = measure(texts(x.rel), texts(y.rel))
        return v

    candidates = []
    if len(arts) > 1 and fresh:
        # a cold build (or one with many changes) sorts every band; an edit looks up its own keys
        candidates = candidate_pairs(whole, head, counts, None if len(fresh) * 8 > len(arts) else fresh)
    t2 = time.perf_counter()
    for i, j in candidates:
        v = verdict(arts[i], arts[j])
        if is_copy(v):  # a copy the LSH proposed: an edge
            found[(nodes[i], nodes[j]) if nodes[i] <= nodes[j] else (nodes[j], nodes[i])] = v
    STATS.update(articles=len(arts), signed=len(fresh), candidates=len(candidates), measured=len(texts.memo),
                 sign_s=t1 - t0, lsh_s=t2 - t1, verify_s=time.perf_counter() - t2)
    edges: list = []  # (-containment, -jaccard, rel a, rel b, forced)
    node_rel = dict(zip(nodes, (a.rel for a in arts)))
    for (x, y), v in found.items():
        edges.append((-v[0], -v[1], node_rel[x], node_rel[y], False))
    forced, apart = _curator_links(arts, report, known)
    for x, y in sorted(forced):
        edges.append((2.0, 2.0, x, y, True))  # after the text's own pairs: joins whole stories
    edges.sort()
    comp = {a.rel: (a.rel,) for a in arts}
    for _, _, x, y, force in edges:
        cx, cy = comp[x], comp[y]
        if cx is cy:
            continue
        clash = next(((p, q) for p in cx for q in cy if (p, q) in apart or (q, p) in apart), None)
        if clash:
            if force:
                report.error(Problem(x, None, f"front matter: same_as and not_same_as contradict: {x} and {y} "
                                              f"would be one story, but {clash[0]} is not_same_as {clash[1]}",
                                     "remove one of the two keys"))
            continue
        if not force:
            across = [_linked(p, q, forced) or is_copy(verdict(by_rel[p], by_rel[q])) for p in cx for q in cy]
            if sum(across) * 2 <= len(across):
                continue  # most pairs across are no copies: two stories quoted in one round-up stay two
        merged = tuple(sorted(cx + cy))
        for rel in merged:
            comp[rel] = merged
    stories = []
    for group in sorted({c for c in comp.values() if len(c) > 1}):
        members = [by_rel[r] for r in group]
        marked = [a for a in members if a.canonical]
        if len(marked) > 1:
            report.warn(marked[1].rel, f"canonical: true is also set on {marked[0].rel}, a copy of the same story; "
                                       f"{_earliest(marked).rel} is the story's page",
                        hint="set canonical: true on one copy only")
        canon = _earliest(marked or members)
        out = [_copy(canon, canon, (1.0, 1.0, 0), size, forced, canonical=True)]
        for a in sorted(members, key=_date_order):  # then by date, as they ran
            if a is not canon:
                out.append(_copy(a, canon, verdict(a, canon), size, forced))
        stories.append(Story(canon.rel, tuple(out)))
    if state is not None:  # only what this build's articles use: deleted and edited ones drop out
        state.stories = {"version": VERSION, "perm": NUM_PERM, "nodes": nodes, "whole": whole.tobytes(),
                         "head": head.tobytes(), "counts": counts.tobytes(), "pairs": found}
    return stories


def _linked(p: str, q: str, forced: set) -> bool:
    return (p, q) in forced or (q, p) in forced


def _date_order(a: Article) -> tuple:
    return a.date is None, a.date.timestamp() if a.date else 0.0, a.rel


def _earliest(arts: list[Article]) -> Article:
    return min(arts, key=_date_order)


def _copy(a: Article, canon: Article, v: tuple, size: dict, forced: set, canonical: bool = False) -> Copy:
    notes = []
    if not canonical:
        if a.lang != canon.lang and "zh-Hant" in (a.lang, canon.lang):
            notes.append("Traditional" if a.lang == "zh-Hant" else "Simplified")
        truncated = size[a.rel] < TRUNCATED * size[canon.rel]
        if truncated:
            notes.append("truncated")
        elif v[1] < 0.9 and is_copy(v):
            notes.append("edited")
        if _linked(a.rel, canon.rel, forced) or not is_copy(v):
            notes.append("same_as")
        score = v[0] if truncated else v[1]
    else:
        score = 1.0
    return Copy(rel=a.rel, url=a.url, source=a.source, date=a.date, source_url=a.source_url, lang=a.lang,
                score=round(score, 2), notes=tuple(notes), canonical=canonical)


def _curator_links(arts: list[Article], report: Report, known: set | None) -> tuple[set, set]:
    """(same_as pairs, not_same_as pairs) of rels; a name that is no article is an error."""
    if not any(a.same_as or a.not_same_as for a in arts):
        return set(), set()
    names: dict[str, str] = {}
    for a in arts:
        stem = a.rel.rsplit(".", 1)[0] if "." in a.rel.rsplit("/", 1)[-1] else a.rel
        for name in (a.rel, stem, a.slug):
            names.setdefault(name, a.rel)
    others = {n.rsplit(".", 1)[0] for n in (known or ())} | set(known or ())
    forced, apart = set(), set()
    for a in arts:
        for key, out in (("same_as", forced), ("not_same_as", apart)):
            for name in getattr(a, key):
                target = names.get(name.removeprefix("./").removeprefix("content/"))
                if target is None:
                    if name in others:  # a draft (not built): nothing to group with
                        continue
                    report.error(Problem(a.rel, None, f"front matter: {key}: {name!r} is not an article in content/",
                                         "name the other copy's file as it lies in content/, e.g. "
                                         f"{key}: [sina-copy.txt]"))
                elif target == a.rel:
                    report.error(Problem(a.rel, None, f"front matter: {key}: {name!r} is this file itself",
                                         "name the other copy's file"))
                else:
                    out.add((a.rel, target) if a.rel < target else (target, a.rel))
    for pair in sorted(forced & apart):
        report.error(Problem(pair[0], None, f"front matter: {pair[0]} and {pair[1]} are marked both same_as and "
                                            "not_same_as", "keep one of the two keys"))
    return forced - apart, apart


def describe(story: Story, title: str) -> str:
    """'4 copies of 'X': 新华网 (canonical), 网易号 0.97, 搜狐 0.93 (Traditional), 新浪 0.88 (truncated)'."""
    parts = []
    for c in story.members:
        name = c.source or c.rel
        if c.canonical:
            parts.append(f"{name} (canonical, {c.rel})")
        else:
            notes = f" ({', '.join(c.notes)})" if c.notes else ""
            parts.append(f"{name} {c.score:.2f}{notes} {c.rel}")
    return f"{len(story.members)} copies of {title!r}: " + ", ".join(parts)


def merge_copies(articles: list[Article], report: Report, state=None,
                 known: set | None = None, use_parallel: bool = True) -> list[Article]:
    """The articles with each story once: its canonical copy carrying `copies`, the tags of
    all copies, and the other copies' URLs and aliases as its aliases (redirect pages). An info
    line per story says what was grouped and how similar (the build prints it)."""
    stories = find_stories(articles, report, state, known, use_parallel)
    by_rel = {a.rel: a for a in articles}
    if state is not None and state.stories:  # for `inspect`: what this build grouped
        state.stories["groups"] = {c.rel: describe(s, by_rel[s.canonical].title)
                                   for s in stories for c in s.members}
    if not stories:
        return articles
    gone: set[str] = set()
    merged: dict[str, Article] = {}
    for s in stories:
        canon = by_rel[s.canonical]
        others = [by_rel[c.rel] for c in s.members if not c.canonical]
        gone.update(a.rel for a in others)
        tags = tuple(dict.fromkeys(t for a in [canon] + others for t in a.tags))
        aliases = tuple(dict.fromkeys(list(canon.aliases) + [x for a in others for x in (a.url,) + tuple(a.aliases)]))
        digest = hashlib.sha256(repr((canon.digest, s.members, tags, aliases)).encode()).hexdigest()
        merged[canon.rel] = _with(canon, copies=s.members, tags=tags, aliases=aliases, digest=digest)
        report.note([Problem(canon.rel, None, describe(s, canon.title) + "; the other copies redirect to it",
                             level="info")])
    return [merged.get(a.rel, a) for a in articles if a.rel not in gone]


def _with(a: Article, **changes) -> Article:
    """a with these fields changed; a cached StoredArticle stays lazy (its body is read from the
    store only when a page shows it)."""
    from .cache import StoredArticle

    if isinstance(a, StoredArticle):
        d = a.__dict__
        light = {f.name: d[f.name] for f in fields(Article) if f.name in d}
        return StoredArticle.make({**light, **changes}, d["_store"], d["_key"])
    return replace(a, **changes)


def story_sources(a: Article) -> list[str]:
    """Every source that ran this article's story (its own first): the source pages list it
    under each."""
    names = [a.source] if a.source else []
    names += [c.source for c in a.copies if c.source]
    return list(dict.fromkeys(names))


def last_build_story(settings, rel: str) -> list[str] | None:
    """What the last build grouped with this file, for `inspect`: its story's line, or [] when
    it was no copy; None when there is no build state to tell."""
    from . import state as st
    from .cache import _code_fingerprint

    salt = hashlib.sha256((settings.fingerprint() + _code_fingerprint()).encode()).hexdigest()  # (the article salt)
    try:
        saved = st.load_state(settings, salt)
    except Exception:  # no state, another salt: nothing to tell
        return None
    groups = (saved.stories or {}).get("groups")
    if groups is None:
        return None
    line = groups.get(rel)
    return [line] if line else []
