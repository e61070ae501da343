"""Hard-wrapped text back into paragraphs, before any cleaning decision.

A PDF copy, a plain-text e-mail or a terminal dump breaks every paragraph into lines of about
the same width (72 columns of English; Chinese every 34 characters, or every ~68 display
columns, a Han character taking two). Cleaned line by line, those
pieces look like short header and footer lines, and article text is lost. So the cleaner first
asks, from the shape of the whole text alone, whether it is wrapped:

  - width: many of the longer lines end close to one width W, and almost none run past it
    (found per script: English lines in characters, Chinese in characters or else in columns);
  - a line that reaches W continues on the next line unless that line opens a block of its
    own (a bullet, a number, a heading mark, a quote or a table row); so does, whatever the
    width, a long English line that ends mid-clause before a line starting in lower case;
  - a line that repeats across the text (digits aside) and a bare page number are the PDF's
    running header and footer: they are set apart, and a sentence broken by them is still
    joined across them.

Each logical line keeps the number of its first and last raw line, so `inspect` and the
cleaning report still cite the file's own lines. Text that is not wrapped passes through
unchanged (one logical line per raw line).
"""

from __future__ import annotations

import re
from collections import Counter
from bisect import bisect_right
from itertools import accumulate
from operator import sub
from dataclasses import dataclass

from . import signals as sg

# An e-mail's header fields (a message's header block; each field a line of its own).
MAIL_FIELDS = r"From|To|Cc|Bcc|Date|Sent|Subject|Reply-To|发件人|發件人|收件人|抄送|日期|主题|主題|发送时间|發送時間|寄件者|收件者|副本|主旨"

# A line that opens a block of its own: it never continues the line above it.
# a place and a date on a line of their own ("Évian-les-Bains, 16 June 2026"): a dateline, never a
# paragraph's continuation
DATELINE = re.compile(r"^(?:[A-ZÀ-Þ][\w.'’-]+(?:[ -][\w.'’-]+){0,3},\s+)?(?:\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+\.? \d{1,2}, \d{4})$")
BLOCK_START = re.compile(
    r"^(?:[•·●▪◦‣⁃■□◆◇※*+>|#-]|\d{1,3}[.)、．](?!\d)\s*\S|\(\d{1,3}\)|（\d{1,3}）|[一二三四五六七八九十]+[、.．]"
    r"|（[一二三四五六七八九十]+）|第[一二三四五六七八九十\d]+[章节節条條部分]|[A-Z][.)]\s|\[\d+\]\s"
    r"|(?:" + MAIL_FIELDS + r")\s*[:：])")
# A printed story's jump to or from another page: "（下转A07版）", "(Continued on Page A7)".
JUMP = re.compile(r"^\s*[（(]?\s*(?:下转|上接|转|接|续|下轉|轉|續)\s*(?:第\s*)?[A-Z]?\d{1,3}\s*版\s*[）)]?\s*$|"
                  r"^\s*\(?\s*(?:continued|cont(?:'d|\.)?)\s+(?:on|from)\s+(?:page|p\.)\s*[A-Z]?\d{1,3}\s*\)?\s*$", re.IGNORECASE)
PAGE_CODE = re.compile(r"^\s*[A-Z]\d{1,2}\s*$")
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—―]\s*\d{1,4}\s*[-–—―]|\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|第\s*\d{1,4}\s*頁(?:\s*[,，/]?\s*共\s*\d{1,4}\s*頁)?)\s*$",
    re.IGNORECASE)
PAGED = re.compile(r"^\s*(?:page\s*\d{1,4}\s*(?:of|/)\s*\d{1,4}|第\s*\d{1,4}\s*[页頁]\s*[,，/]?\s*共\s*\d{1,4}\s*[页頁]"
                   r"|[-–—―]\s*\d{1,4}\s*[-–—―]|[·•]\s*\d{1,4}\s*[·•])\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
HYPHEN_BREAK = re.compile(r"[a-z]-$")
EN_WORDS = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]+\W+[A-Za-z]{2,}")  # three words in a row
_CJK_CLAUSE = re.compile(r"[，。、；：！？「」（）,;:]")


@dataclass(slots=True)
class Logical:
    n: int  # first raw line
    end: int  # last raw line
    text: str
    gap: bool  # a blank line comes before it
    furniture: bool = False  # a running header or page number of a wrapped copy


def is_cjk(text: str) -> bool:
    """Mostly wide (Chinese) characters: counted by their UTF-8 length (a Han character or a
    full-width mark takes three bytes, so two extra; an accent or a curly quote here and there
    in English does not tip a line), which is several times faster than matching them."""
    if text.isascii():
        return False
    return (len(text.encode()) - len(text)) // 2 * 3 > len(text)


def cols(text: str) -> int:
    """Display columns of a Chinese line: a Han character or a full-width mark takes two (a PDF
    or a mail client wraps by columns, so a line with digits or Latin in it holds more
    characters), counted by UTF-8 length as is_cjk does."""
    return len(text) + (len(text.encode()) - len(text)) // 2


def _width(lengths: list[int], lo: int, hi: int, tol: int, share: float) -> int | None:
    """The wrap width of these line lengths, or None when they are not hard-wrapped: at least
    `share` of the lines longer than half the width end within `tol` of it, and hardly any
    line runs past it."""
    if len(lengths) < 4:
        return None
    # Two answers known before the search (most texts are not wrapped): every window tried lies in
    # (lo - tol, hi], and fewer than 4 lines there fill none; and the last test refuses a text
    # where over 12% of the lines longer than half the width run past it, which holds for every
    # width when that many of those longer than half the narrowest run past the widest.
    ordered, count = sorted(lengths), len(lengths)
    if bisect_right(ordered, hi) - bisect_right(ordered, lo - tol) < 4 \
            or count - bisect_right(ordered, hi + 3) > 0.12 * (count - bisect_right(ordered, lo // 2)):
        return None
    lengths = [n if n <= hi + 8 else hi + 8 for n in lengths]  # (past every width, a length only counts as over)
    top = max(lengths)
    counts = [0] * (top + 1)
    for n in lengths:
        counts[n] += 1
    upto = list(accumulate(counts))  # upto[k]: lines of length <= k
    at_most = lambda k: upto[min(k, top)] if k >= 0 else 0  # noqa: E731
    end = min(hi, top) + 1  # near[k]: lines within tol of width lo + k (one map in C, not a loop)
    near = list(map(sub, upto[lo:end], upto[lo - tol:end - tol])) if end > lo else []
    best_near = max(near, default=0)
    if best_near < 4:
        return None
    best = lo + near.index(best_near)  # (the narrowest width with the most lines near it)
    w = max(n for n in range(best - tol + 1, best + 1) if counts[n])  # the widest line that still fits
    if w < lo or tol > 4 and sum(1 for n in range(w - tol + 1, w + 1) if counts[n]) < 3:
        return None  # English wraps at word ends: its full lines differ in length (a column of
        #              timestamps of one length is no wrapped text)
    longer = len(lengths) - at_most(w // 2)
    # Chinese line breaking keeps punctuation off a line's start, so a few lines run 1-3 over
    over = len(lengths) - at_most(w + (3 if tol <= 4 else 2))
    if best_near < share * longer or over > 0.12 * longer:
        return None
    return w


def widths(texts: list[str]) -> tuple[int | None, int | None, object]:
    """(English width, Chinese width, how a Chinese line is measured) of a text's lines; a width
    is None where that script is not wrapped. Chinese is tried in characters (an editor that
    counts every character as one), then in display columns (a PDF or a mail client: a Han
    character takes two, so a line with digits or Latin in it holds more characters)."""
    en, zh = [], []
    for t in texts:
        if "](" not in t and "://" not in t:  # a URL is never wrapped
            # (a line past every width only needs its script roughly: its first 120 characters)
            (en if t.isascii() or not is_cjk(t if len(t) <= 120 else t[:120]) else zh).append(t)
    # English wraps at word ends (lines within ~14 columns of the width); Chinese is cut at
    # the width itself (within 2 characters, 4 columns), so a few full lines among many short
    # ones already tell
    w_zh, measure = _width(list(map(len, zh)), 14, 60, 2, 0.25), len
    if w_zh is None:
        # (a line of more than 128 characters is wider than 128 columns, which _width counts as 128 anyway)
        w_zh, measure = _width([cols(t) if len(t) <= 128 else len(t) for t in zh], 28, 120, 4, 0.25), cols
    return _width(list(map(len, en)), 30, 110, 14, 0.5), w_zh, measure


_ENDS = frozenset("。！？!?”」』）)\"")


def two_widths(texts: list[str]) -> tuple[int | None, int | None, object]:
    """(narrow width, wide width, measure) of a Chinese text wrapped at two widths, or Nones: a
    report's body column beside a sidebar, with its disclaimer across the whole page. Each width
    must hold as widths() holds one: the lines up to the narrow one are wrapped at it, and the
    lines past it are wrapped at the wide one."""
    if sum(1 for t in texts if len(t) >= 14 and t[-1] not in _ENDS and "，" in t) < 6:
        return None, None, len  # (a wrapped text has many lines cut mid-sentence, after a comma)
    zh = [t for t in texts if "](" not in t and "://" not in t and not t.isascii() and is_cjk(t[:120])]
    for measure, lo, hi, tol in ((len, 14, 60, 2), (cols, 28, 120, 4)):
        lengths = [measure(t) if len(t) <= 128 else len(t) for t in zh]
        if len(lengths) < 8:
            break
        ordered = sorted(lengths)
        near = [bisect_right(ordered, w) - bisect_right(ordered, w - tol) for w in range(lo, hi + 1)]
        if max(near) < 4:
            continue
        narrow = lo + near.index(max(near))
        cut = narrow + 3  # (a few lines run 1-3 over, as in _width)
        over = [n for n in lengths if n > cut]
        wide = _width(over, cut + tol, hi, tol, 0.25) if len(over) >= 4 else None
        if wide is not None:
            w = _width([n for n in lengths if n <= cut], lo, hi, tol, 0.25)
            if w is not None:
                return w, wide, measure
    return None, None, len


def _furniture(texts: list[str], numbered_only: bool = False) -> set[int]:
    """Indexes of running headers and footers: a bare page number, or a short line that
    recurs: three times, or twice with a number in it (a table of contents repeats each
    heading once, a running header carries the page number or recurs on every page).
    `numbered_only` (a text that is not a wrapped copy): only a line that recurs three times
    or more with a number that changes ("Center for … | 3"), no bare number (a like count)."""
    if numbered_only:  # (only short lines with a number are compared: most lines are not looked at)
        keys = [_DIGITS.sub("#", "".join(t.split())) if len(t) <= 120 and not sg.ends_sentence(t) and _DIGITS.search(t)
                else None for t in texts]
    else:
        keys = [_DIGITS.sub("#", sg.norm(t)) for t in texts]
    where: dict[str | None, list[int]] = {}
    for i, k in enumerate(keys):
        if k is not None:
            where.setdefault(k, []).append(i)
    out: set[int] = set()
    if numbered_only:
        out = _paged(texts)  # a copy not wrapped whose pages still show their numbers, and the header beside each
        if not any(len(v) >= 3 for v in where.values()):
            return out
    # a running header recurs a page apart; the same shape on neighbouring lines is a list or a table
    counts = {k: len(v) if all(b - a >= 5 for a, b in zip(v, v[1:])) else 0 for k, v in where.items()}
    for k, v in where.items():  # twice with a number: a page number changes, a heading listed twice does not
        if counts[k] == 2 and sg.norm(texts[v[0]]) == sg.norm(texts[v[1]]):  # (a contents line in other case)
            counts[k] = 0
    jumps = None  # (asked only where a line is a page code: does the page jump to another?)
    for i, t in enumerate(texts):
        k = keys[i]
        if numbered_only:
            if k is not None and counts[k] >= 3 and len(k) >= 6 and not SPEAKER.match(t) \
                    and _page_counter(texts[j] for j in where[k]):
                out.add(i)
            continue
        if PAGE_CODE.match(t) and jumps is None:
            jumps = any(JUMP.match(x) for x in texts)
        if PAGE_NUMBER.match(t) or JUMP.match(t) or jumps and PAGE_CODE.match(t):
            out.add(i)  # (a newspaper's page code, "A06", on a page that jumps to another)
        elif SPEAKER.match(t):
            continue  # "Daniel Okonkwo — Chief Executive Officer": a transcript's speaker recurs too
        elif (counts[k] >= 3 or counts[k] == 2 and "#" in k) and len(k) >= 4 and not t.endswith((":", "：")) \
                and (not sg.ends_sentence(t) or " | " in t or t.upper() == t) and sg.visible_len(t) <= 120:
            # ("MODERATOR:" introduces text; "INSTITUTE | OPEN WEIGHTS, CLOSED DOORS?" is a running header)
            out.add(i)
    return out


def _paged(texts: list[str]) -> set[int]:
    """A copy's page numbers (_page_numbers) and the line printed beside three or more of them."""
    pages = _page_numbers(texts)
    if not pages:
        return pages
    beside = Counter(sg.norm(texts[j]) for i in pages for j in (i - 1, i + 1) if 0 <= j < len(texts) and j not in pages)
    heads = {t for t, c in beside.items() if c >= 3 and not sg.ends_sentence(t) and sg.visible_len(t) <= 120}
    return pages | {i for i, t in enumerate(texts) if heads and sg.norm(t) in heads}


def _page_numbers(texts: list[str]) -> set[int]:
    """Bare numbers on lines of their own that count up one by one (2, 3, 4 …), three or more,
    each a page's worth of lines (five or more) after the last: a pasted document's page numbers.
    A like count or a vote tally does not count up by one a page apart."""
    # (isdecimal, not isdigit: '²' is a digit int() cannot read — the line crashed the cleaner; every line
    # int() reads is decimal, so nothing else changes)
    nums = [(i, int(t)) for i, t in enumerate(texts) if len(t) <= 3 and t.isdecimal()]
    if len(nums) < 3:
        return set()
    run = [nums[0]]
    best: list = []
    for i, v in nums[1:]:
        if v == run[-1][1] + 1 and i - run[-1][0] >= 5:
            run.append((i, v))
        else:
            best = max(best, run, key=len)
            run = [(i, v)]
    best = max(best, run, key=len)
    return {i for i, _ in best} if len(best) >= 3 else set()


def _page_counter(texts) -> bool:
    """Do these lines differ in one number only, and in three values or more (a page number)?
    Dates under notes ("2026/01/22发表想法", "2026/02/03…") change in more places."""
    runs = [re.findall(r"\d+", t) for t in texts]
    if len({len(r) for r in runs}) != 1 or not runs[0]:
        return False
    moving = [{r[p] for r in runs} for p in range(len(runs[0]))]
    changed = [v for v in moving if len(v) > 1]
    return len(changed) == 1 and len(changed[0]) >= 3


def _full(text: str, nxt: str, w_en: int | None, w_zh: int | None, measure=len, w_wide: int | None = None) -> bool:
    """Does `text` reach the wrap width (or a second, wider one), so that it continues on the next line?"""
    if is_cjk(text):  # (a line of prose that long holds a clause mark; a menu or headline does not)
        slack = 2 if measure is len else 4
        if w_zh is None or not _CJK_CLAUSE.search(text + nxt):
            return False
        n = measure(text)
        if w_wide is None:
            return n >= w_zh - slack
        return w_zh - slack <= n <= w_zh + 3 or n >= w_wide - slack  # (between the widths: a paragraph's end)
    if w_en is None or not text.isascii() and not EN_WORDS.search(text):
        return False  # (a line of Chinese with digits is not English: "发布于2025-09-26 22:13 · 来自雪球 · 广东")
    word = len(nxt.split(None, 1)[0]) if nxt.strip() else 0
    return len(text) >= 0.55 * w_en and len(text) + 1 + word > w_en - 3


SPEAKER = re.compile(r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s+[—–]\s+\S.{0,60}$")
COUNT_ONLY = re.compile(r"^\d[\d,]*$|^\d+(\.\d)?[KkMm万萬]$")
LEADER = re.compile(r"[.…·．‧]{4,}\s*\d{1,4}\s*$")
_CELL_GAP = re.compile(r"\t|\u3000|\S\s{2,}\S")


def _cells(text: str) -> bool:
    """A table row pasted as text: cells apart by tabs, ideographic spaces or runs of spaces."""
    return len(_CELL_GAP.findall(text)) >= 2


BYLINE = re.compile(r"^by\s+[A-Z][\w.’'-]*(\s+[A-Z][\w.’'-]*){0,3}(\s*(,|and|&|\|)\s*[A-Z][\w.’'-]*(\s+[A-Z][\w.’'-]*){0,3})*\s*$"
                    # (or a byline with its time: "by AFP 10:12, 3 April 2026")
                    r"|^by\s+(?:(?:[A-Z][\w.’'&-]*|and)\s*){1,7}(?:,\s*[a-z][a-z ]{0,40}?)?\s*[,|·•–—-]?\s*\d.{0,40}$")


def _continues(text: str, nxt: str) -> bool:
    """An English clause broken mid-way: a long line ending in a word, a comma or a hyphen, and
    a next line that starts in lower case (whatever the width, a sentence does not end so)."""
    return (len(text) >= 50 and text[-1:].isalpha() or text.endswith((",", "-"))) and nxt[:1].islower() \
        and not is_cjk(text[-10:]) and len(text) >= 50 and not BYLINE.match(nxt)


_CLAUSE_END = frozenset(".,;:!?)\"'”’。，；：！？）")


def _join(a: str, b: str) -> str:
    if a.endswith("-") and len(a) > 1 and a[-2].isalnum() and b[:1].isalnum():
        word = a.rsplit(None, 1)[-1][:-1]
        if HYPHEN_BREAK.search(a) and b[:1].islower() and "-" not in word:
            return a[:-1] + b  # a word hyphenated at the line break: "big-" "ger"
        return a + b  # a compound broken at its own hyphen: "US-" "led", "state-of-the-" "art"
    if is_cjk(a[-8:]) or is_cjk(b[:8]):
        return a + b  # Chinese is cut anywhere: no space was lost
    return a + " " + b


def unwrap(lines: list[tuple[int, str, bool]]) -> list[Logical]:
    """lines: (raw line number, stripped text, blank line before) for the non-empty lines."""
    out = [Logical(n, n, t, g) for n, t, g in lines]
    texts = [t for _, t, _ in lines]
    w_en, w_zh, measure = widths(texts)
    w_wide = None
    if w_zh is None:  # (a report's body column and its page-wide disclaimer: two widths)
        w_zh, w_wide, measure = two_widths(texts)
    paged = sum(1 for t in texts if PAGED.match(t)) >= 2 or any(JUMP.match(t) for t in texts)  # "Page 2 of 5"
    #       twice, or a newspaper's "（下转A07版）": a paginated copy
    wrapped = w_en is not None or w_zh is not None or paged
    for i in _furniture(texts, numbered_only=not wrapped):  # (a PDF pasted unwrapped still has its running lines)
        out[i].furniture = True
    if not wrapped and not any(_continues(a, b) for a, b in zip(texts, texts[1:]) if b[:1].islower()):  # (as _continues asks)
        return out
    merged: list[Logical] = []
    open_para: Logical | None = None  # the paragraph that may still continue
    last_piece = ""  # its last raw piece (fullness is a property of one raw line)
    skipped_gap = False
    for i, ln in enumerate(out):
        if ln.furniture:
            merged.append(ln)
            skipped_gap = skipped_gap or ln.gap
            continue
        across = i > 0 and out[i - 1].furniture  # a page break: a sentence may run across it
        if across and sg.ends_sentence(last_piece) and ln.text[:1].isupper():
            across = False  # ... but this one ended on the page before
        gap = ln.gap and not (skipped_gap and across)
        if (open_para is not None and not gap and not BLOCK_START.match(ln.text)
                and not _cells(ln.text) and not _cells(last_piece)  # a table row stands alone
                and not LEADER.search(last_piece)  # and so does a contents line with its page number,
                and not COUNT_ONLY.match(ln.text)  # and a count under a post ("1,204"), and a dateline, and a short
                and not DATELINE.match(ln.text)
                # Chinese line ending in a character, no mark (a heading: a paragraph's last piece ends in one)
                and not (w_zh and is_cjk(ln.text) and measure(ln.text) < w_zh // 2 and ln.text[-1:].isalnum())
                and (_full(last_piece, ln.text, w_en, w_zh, measure, w_wide) or _continues(last_piece, ln.text)
                     and (wrapped or len(ln.text) >= 40 or ln.text[-1:] in _CLAUSE_END))):  # (unwrapped, a short
                # lower-case line without an end is a headline's tags ("ai hardware performance"), not its clause's end
            open_para.text = _join(open_para.text, ln.text)
            open_para.end = ln.end
        else:
            merged.append(ln)
            open_para = ln
        last_piece = ln.text
        skipped_gap = False
    return merged
