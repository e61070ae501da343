"""How search splits text into terms — the same rules as static/search.js, character for character.

* Chinese and Japanese (runs of Han and kana) are folded from Traditional to Simplified
  (fold.py) and indexed as overlapping character pairs (bigrams) with their positions, plus the
  last character of each run alone. A query of two or more characters matches where all its
  pairs stand one after another (a phrase): 华为 is found in 华为公司 but not in 中华 为什么;
  a query of one character matches any pair that starts with it, or a run's last character.
  There is no dictionary, so the index and the browser cannot disagree about word boundaries.
* Other words (Latin, Greek, Cyrillic, Hangul letters and digits) are lowercased and stemmed
  (Porter's steps 1a–1c: plurals, -ed, -ing, -y), so "chip" finds "chips".

tests/test_search_text.py runs static/search.js's functions in Node on the same texts and holds
them to these.
"""

from __future__ import annotations

import re

from .fold import translation

HAN = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
LETTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\uac00-\ud7af"
TOKEN = re.compile(f"([{HAN}{KANA}]+)|([{LETTERS}]+)")
CJK = re.compile(f"[{HAN}{KANA}]")


def fold(text: str) -> str:
    """Traditional → Simplified, character by character (the length never changes)."""
    return text.translate(translation())


def is_cjk(term: str) -> bool:
    return bool(CJK.match(term))


def tokens(text: str):
    """(kind, folded token, offset): kind "c" for a CJK run, "w" for a word. Offsets in code points."""
    for m in TOKEN.finditer(text):
        if m.group(1):
            yield "c", fold(m.group(1)), m.start()
        else:
            yield "w", stem(m.group(2).lower()), m.start()


def terms(text: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """({cjk term: [positions]}, {word stem: count}) of a text."""
    cjk: dict[str, list[int]] = {}
    words: dict[str, int] = {}
    get = cjk.get
    for m in TOKEN.finditer(fold(text)):  # folding never changes a length or a character's class
        run = m.group(1)
        if run is None:
            w = m.group(2).lower()
            s = _stems.get(w)
            if s is None:
                s = _stems[w] = stem(w)
            words[s] = words.get(s, 0) + 1
            continue
        at = m.start()
        for i in range(len(run) - 1):
            pair = run[i:i + 2]
            pos = get(pair)
            if pos is None:
                cjk[pair] = [at + i]
            else:
                pos.append(at + i)
        last = run[-1]  # the run's last character alone: a one-character query finds it too
        at += len(run) - 1
        pos = get(last)
        if pos is None:
            cjk[last] = [at]
        else:
            pos.append(at)
    if len(_stems) > 100_000:
        _stems.clear()
    return cjk, words


_stems: dict[str, str] = {}


# --- Porter's stemmer, steps 1a, 1b and 1c (M. F. Porter, 1980) -----------------------------------

_VOWELS = "aeiou"


def _cons(w: str, i: int) -> bool:
    c = w[i]
    if c in _VOWELS:
        return False
    if c == "y":
        return i == 0 or not _cons(w, i - 1)
    return True


def _measure(w: str) -> int:
    """m in [C](VC)^m[V]."""
    m, i, n = 0, 0, len(w)
    while i < n and _cons(w, i):
        i += 1
    while i < n:
        while i < n and not _cons(w, i):
            i += 1
        if i >= n:
            break
        m += 1
        while i < n and _cons(w, i):
            i += 1
    return m


def _has_vowel(w: str) -> bool:
    return any(not _cons(w, i) for i in range(len(w)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    n = len(w)
    return (n >= 3 and _cons(w, n - 3) and not _cons(w, n - 2) and _cons(w, n - 1)
            and w[-1] not in "wxy")


def stem(w: str) -> str:
    if len(w) <= 2 or not w.isascii() or not w.isalpha():
        return w
    # 1a
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("ss"):
        pass
    elif w.endswith("s"):
        w = w[:-1]
    # 1b
    second = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, second = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, second = w[:-3], True
    if second:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    return w
