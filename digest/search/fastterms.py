"""Speed layer: text.terms() with numpy, the same answer (dict items in the same order).

text.terms() is the plain way and the reference (static/search.js mirrors it). It walks every
Chinese character pair of a text in Python: ~0.6 ms of the ~1.4 ms an article page costs the
search index (10,000 articles: ~6 s of CPU in a cold build). Here the pairs are found at once:

* the text as an array of code points, folded through a lookup table made from fold.py's;
* which code points are CJK (text.HAN and text.KANA, read from the same strings text.TOKEN is
  made of), so where a pair stands (two CJK in a row) and where a run ends (its last character);
* each pair's key (first code point << 21 | second; a character alone is its code point, below
  2**21), sorted with its position: each term's positions come out grouped and ascending;
* terms inserted in the order of their first position, which is the order text.terms() meets
  them (it scans the text left to right and inserts each term where it first stands).

Words (runs of text.LETTERS) are counted by a regular expression and a Counter, then stemmed
once per distinct word, in the order they first appear (text.terms()'s order too).

tests/test_speed_layer.py compares terms() here with text.terms() on random texts (Han,
Traditional, kana, astral Han, Latin, Greek, Hangul, digits, punctuation), items and order.
A text numpy cannot take as it is (a lone surrogate, tens of millions of characters) goes to
text.terms().
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from . import text as plain

WORD = re.compile(f"[{plain.LETTERS}]+")
PAIR = 1 << 21  # above every code point: a pair's key is first << 21 | second
POS_BITS = 24  # a position packed beside its key for one sort (texts up to 16 M characters)


def _ranges(spec: str) -> list[tuple[int, int]]:
    """[(first, last)] code points of a character class body such as text.HAN ("a-bcd-e")."""
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            out.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return out


@lru_cache(maxsize=1)
def _tables():
    """(fold: code point → folded code point, up to the table's last; is_cjk over every code point)."""
    import numpy as np

    table = plain.translation()
    fold = np.arange(max(table, default=0) + 1, dtype=np.uint32)
    for t, s in table.items():
        fold[t] = s
    cjk = np.zeros(0x110000, dtype=bool)
    for lo, hi in _ranges(plain.HAN + plain.KANA):
        cjk[lo:hi + 1] = True
    return fold, cjk


def sorted_pairs(text: str):
    """(folded text, terms' keys, positions, where each term's run starts) of a text, the terms'
    occurrences sorted by key and then position (numpy arrays; positions as int64), or None when
    numpy cannot take the text (a lone surrogate, 16 M characters): the plain way's then. The
    keys and starts are empty when the text has no CJK. terms() and fastshard.coded() read it."""
    import numpy as np

    try:
        raw = text.encode("utf-32-le")
    except UnicodeEncodeError:  # a lone surrogate: the plain way
        return None
    if len(text) >= 1 << POS_BITS:
        return None
    fold, is_cjk = _tables()
    codes = np.frombuffer(raw, dtype=np.uint32)
    top = len(fold) - 1
    folded = np.where(codes <= top, fold[np.minimum(codes, top)], codes)
    ft = folded.tobytes().decode("utf-32-le") if len(codes) else ""
    m = is_cjk[folded]
    if not m.any():
        empty = np.zeros(0, dtype=np.int64)
        return ft, empty.astype(np.uint64), empty, empty
    nxt = np.zeros(len(m), dtype=bool)
    nxt[:-1] = m[1:]
    pair_at = np.flatnonzero(m & nxt)
    last_at = np.flatnonzero(m & ~nxt)
    f64 = folded.astype(np.uint64)
    keys = np.concatenate(((f64[pair_at] << np.uint64(21)) | f64[pair_at + 1], f64[last_at]))
    pos = np.concatenate((pair_at, last_at)).astype(np.uint64)
    packed = np.sort((keys << np.uint64(POS_BITS)) | pos)
    skeys = packed >> np.uint64(POS_BITS)
    spos = (packed & np.uint64((1 << POS_BITS) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], skeys[1:] != skeys[:-1])))
    return ft, skeys, spos, starts


def term_widths(skeys, starts) -> list[int]:
    """Each term's length in characters (2: a pair, 1: a run's last character alone)."""
    import numpy as np

    return np.where(skeys[starts] >= PAIR, 2, 1).tolist()


def count_words(ft: str) -> dict[str, int]:
    """{stem: count} of a folded text's words, in the order they first appear (text.terms')."""
    words: dict[str, int] = {}
    stems = plain._stems
    for w, n in Counter(map(str.lower, WORD.findall(ft))).items():
        s = stems.get(w)
        if s is None:
            s = stems[w] = plain.stem(w)
        words[s] = words.get(s, 0) + n
    if len(stems) > 100_000:
        stems.clear()
    return words


def terms(text: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """text.terms(text), the same dicts in the same order."""
    found = sorted_pairs(text)
    if found is None:
        return plain.terms(text)
    ft, skeys, spos_arr, starts = found
    cjk: dict[str, list[int]] = {}
    if len(starts):
        spos = spos_arr.tolist()
        ends = starts[1:].tolist() + [len(spos)]
        first = [spos[s] for s in starts.tolist()]
        width = term_widths(skeys, starts)
        st = starts.tolist()
        for j in sorted(range(len(st)), key=first.__getitem__):
            p = first[j]
            cjk[ft[p:p + width[j]]] = spos[st[j]:ends[j]]
    return cjk, count_words(ft)
