"""General line features: length, end punctuation, timestamps, repetition, prose shape.

No knowledge of any one site lives here: only measurements of a line and its neighbours.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import islice

from .. import dates as _dates
from ..nfkc import nfkc

HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))  # CJK extension A and unified, compatibility
_HAN_CLASS = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES) + "]"
HAN = re.compile(_HAN_CLASS)
_HAN_RUNS = re.compile(_HAN_CLASS + "+")


def han_count(text: str) -> int:
    """Han characters in text (removing runs of them is ~3x faster than finding each one)."""
    return len(text) - len(_HAN_RUNS.sub("", text))


SENTENCE_END = tuple("。！？!?…") + (".", "”", "\"", "」", "』", "）", ")")

# Timestamps: the date grammar lives in digest/dates.py, shared with metadata, so a line removed
# here as a date is one whose date and zone meta can read (is_timestamp below).


def visible_len(text: str) -> int:
    """Length that weighs a Han character like a short English word (≈ 2.5 letters)."""
    return len(text) if text.isascii() else _visible_len(text)


@lru_cache(maxsize=1 << 16)
def _visible_len(text: str) -> int:
    han = han_count(text)
    return int(han * 2.5) + len(text) - han


def han_ratio(text: str) -> float:
    if text.isascii():
        return 0.0  # (no Han character: the count below would say so, slowly)
    letters = sum(n for c, n in Counter(text).items() if c.isalpha())
    return han_count(text) / letters if letters else 0.0


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    return t.endswith(SENTENCE_END)


def is_timestamp(text: str) -> bool:
    """A date or time line (dates.is_stamp_line): "2026-03-05 10:12", "发布于 … IP 属地北京",
    "3小时前", "Published 4:15 PM EST, March 3, 2026", "2026-03-05 10:12 来源：新华社"."""
    return len(text) <= 100 and _dates.is_stamp_line(text)  # a long line is no timestamp: no cache for it


SOURCE_TIME = re.compile(r"^\s*(?P<source>\S.{0,20}?)\s+(?P<time>\S.*)$")


def is_source_time(text: str) -> bool:
    """'凤凰网科技 2小时前', 'Reuters 3 hours ago': a list item's source and time."""
    return len(text) <= 60 and _is_source_time(text)


@lru_cache(maxsize=1 << 16)
def _is_source_time(text: str) -> bool:
    m = SOURCE_TIME.match(text)
    return bool(m) and is_timestamp(m["time"]) and not is_timestamp(m["source"])


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@lru_cache(maxsize=1 << 16)
def link_text(text: str) -> str:
    """A Markdown line as a reader sees it: links become their text, images go, heading marks
    and emphasis around the whole line go."""
    plain = text
    if "](" in plain:
        plain = _LINK.sub(r"\1", _IMAGE.sub("", plain)).strip()
    if plain.startswith(("#", "**", "__")):
        plain = plain.lstrip("#").strip().strip("*_").strip()
    return plain


MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|https?://\S+|[\[\]*_`#>]")
# what MARKUP can remove starts so: one of these characters, or "http://" or "https://" (written
# to start with a set, so re skips the positions no match starts at; "[…]|https?://" was tried at
# every position: ~1.8 → ~0.5 µs a line)
_MAY_HAVE_MARKUP = re.compile(r"[\[\]*_`#>h](?:(?<=h)ttps?://|(?<!h))")
_TRAILING_PAREN = re.compile(r"\s*[(（][^()（）]*[)）]$")
_CLAUSE_MARK = re.compile(r"[，,。；;：:、！？!?]|\.\s")


@lru_cache(maxsize=1 << 16)
def is_prose(text: str) -> bool:
    """A line that reads like a paragraph: long enough and shaped like sentences (links,
    images and URLs do not count: a line of links is not a paragraph)."""
    t = MARKUP.sub("", text).strip() if _MAY_HAVE_MARKUP.search(text) else text.strip()
    n = visible_len(t)
    if n < 40:
        return False
    if t.endswith((")", "）")) and not re.search(r"[.。!?！？]\s*[)）]$", t):
        head = _TRAILING_PAREN.sub("", t)
        if head != t and not ends_sentence(head):
            return n >= 200 and is_prose(head)  # "Connected Papers (What is Connected Papers?)": a link
    if ends_sentence(t) and _CLAUSE_MARK.search(t):
        return True  # a sentence with at least one clause mark inside
    # a long paragraph that lost its final full stop: three clause marks or more
    return n >= 200 and next(islice(_CLAUSE_MARK.finditer(t), 2, None), None) is not None


SECTION_WORDS = frozenset(
    "home news world us u.s. uk europe asia china business companies markets economy tech technology science "
    "climate opinion politics sport sports culture arts life lifestyle style travel food health video videos "
    "podcasts newsletters games books film music fashion investing personal finance real estate lex work careers "
    "weather latest trending subscribe sections menu search more donate create account log in sign register "
    "login logout help contact about shop store jobs events".split())


_CLAUSE = re.compile(r"[,.;:!?]\s")
_PUNCT = re.compile(r"[，。！？、：；,.!?:;]")
_BAR = re.compile(r"\s[|｜]\s")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # (asked of every line no rule took, and again by the title stage)
def is_menu(text: str) -> bool:
    """A channel menu, not a sentence: four or more short Chinese words separated by spaces
    (Chinese prose does not put spaces between words), or a line made mostly of section names."""
    if len(text.split(None, 2)) < 3:
        return False  # every test below needs three words or more (most Chinese prose has one)
    if text.lstrip().startswith("|") or text.count("\t") >= 2:
        return False  # a table row (Markdown or tab-separated)
    if "|" not in text and "｜" not in text and _CLAUSE.search(text):
        return False  # a sentence: a word ends in punctuation, so no test below can pass
    tokens = [t for t in text.split() if t not in ("|", "｜", "·", "/", "•", "-")]
    if 2 * sum(1 for t in tokens if len(t) == 1 and HAN.match(t)) >= len(tokens):
        return False  # letter-spaced words, as a document sets a signature ("审  判  长    王  静"): no menu
    if len(tokens) == 3 and all(HAN.search(t) and len(t) <= 4 and not _PUNCT.search(t)
                                for t in tokens):
        return True  # "消息 私信 创作中心"
    if len(tokens) < 4:
        return False
    if all(HAN.search(t) and len(t) <= 12 and not _PUNCT.search(t) for t in tokens):
        return True  # a channel menu, or a row of topic tags
    if "|" in text or "｜" in text:
        parts = [p.strip() for p in _BAR.split(text)]
        if len(parts) >= 4 and not text.strip().startswith("|") and all(0 < len(p) <= 24 for p in parts):
            return True  # "Hacker News new | past | comments | ask | show | jobs"
    if _CLAUSE.search(text):
        return False  # punctuation between words: a sentence (checked first: it is cheap)
    words = [t.strip("&|·").lower() for t in tokens if t.strip("&|·")]
    known = sum(1 for w in words if w in SECTION_WORDS)
    return known >= 4 and known >= 0.5 * len(words)


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Comparison key: NFKC, no whitespace, case-folded."""
    return _SPACES.sub("", nfkc(text)).casefold()  # nfkc: unicodedata's NFKC, faster (speed layer)


def is_short_label(text: str) -> bool:
    """A short line with no sentence shape: a name, a source, a menu item."""
    t = text.strip()
    return 0 < visible_len(t) <= 40 and not ends_sentence(t)


# Interface words (digest/data/interface-words.txt): what buttons, widgets and account boxes say.
# A feature, never a rule: interface_share() is how much of a line they make up.
def _interface_words() -> tuple[frozenset[str], frozenset[str], int]:
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / "interface-words.txt"
    words = [w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines()]
    words = [w for w in words if w and not w.startswith("#")]
    han = frozenset(w for w in words if HAN.search(w))
    latin = frozenset(w for w in words if not HAN.search(w))
    return han, latin, max(len(w) for w in han)


_UI_HAN, _UI_LATIN, _UI_LONGEST = _interface_words()
_UI_HAN_RE = re.compile("|".join(map(re.escape, sorted(_UI_HAN, key=len, reverse=True))))
_UI_PARTS = frozenset(w for phrase in _UI_LATIN for w in phrase.split())


def _ui_lemma(word: str) -> str:
    """'signed' → 'sign', 'replies' → 'reply', 'shares' → 'share': a word's lexicon form."""
    if word in _UI_PARTS:
        return word
    for cut, add in (("ies", "y"), ("s", ""), ("ed", ""), ("d", ""), ("ing", "")):
        if word.endswith(cut) and word[: -len(cut)] + add in _UI_PARTS:
            return word[: -len(cut)] + add
    return word
_UI_TOKENS = re.compile(_HAN_CLASS + "+|[A-Za-z][A-Za-z'’-]*")


@lru_cache(maxsize=1 << 14)
def interface_share(text: str) -> float:
    """The share of a line's letters (Han characters and Latin words, digits and punctuation
    left out) that are interface words: 1.0 for "分享 收藏 举报" or "Sign in to reply", 0 for
    prose. Han runs are matched greedily, longest word first; Latin words one, two or three at a
    time ("skip to main content")."""
    covered = total = 0
    latin: list[str] = []
    for tok in _UI_TOKENS.findall(text):
        if HAN.match(tok):
            total += len(tok)
            covered += sum(len(m) for m in _UI_HAN_RE.findall(tok))  # (longest word first at each place)
        else:
            latin.append(_ui_lemma(tok.casefold()))
    i = 0
    while i < len(latin):
        for k in (3, 2, 1):
            if i + k <= len(latin) and " ".join(latin[i:i + k]) in _UI_LATIN:
                covered += k
                i += k
                break
        else:
            i += 1
    total += len(latin)
    return covered / total if total else 0.0
