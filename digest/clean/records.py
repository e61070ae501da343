"""Repeated records: a comment thread told by its shape, not its words.

A comment thread, a forum's replies or a list of answers is a run of *records*, each a small
header (a name, a time, a like count, a reply or vote button) and a short text. An article is
paragraphs, with at most a sub-heading between them. So each line gets a class:

  T  a time: a date, a clock time with a date, "2mo", "3 hours ago", "3小时前"
  M  a name and a time on one line: "88 points by brinewater 6 hours ago | parent | next"
  U  interface: a button or widget ("Reply", "回复", "[-]", "▲"), by the interface lexicon
  C  a count: digits and symbols only ("18", "👍 12", "+3")
  N  a short line without a sentence end: a name, a handle, a label
  P  text: a sentence or a paragraph

and each run of P lines gets the signature of the non-P lines above it (consecutive repeats
folded: "[-] / Daniel Voss / 2mo / 18" is U N T C). Records of one thread share a signature;
a signature that holds a name with a time, a button or a count (or a name-and-time line with a
button or a count) is a record's header, not a
sub-heading. Two or more such records in a row, each with a few lines of text at most,, after the article has begun, are a thread; it
ends where the signature changes. A thread whose records are headed by the name printed above
the post (its author's own posts) is the article's and is not touched; the first record by
someone else starts the thread. Records whose headers hold a headline of their own are a live
page's updates (time, headline, reporter, text, share buttons), not comments.

Transcripts keep their shape apart: a clock offset ("00:19:40") or a speaker label ("MODERATOR:")
is neither a time nor a name here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timezone
from functools import lru_cache

from .. import dates as _dates
from . import signals as sg

RELATIVE = re.compile(r"^\s*(\d+\s*(s|m|h|d|w|mo|y|min|mins|hr|hrs|sec|secs|minutes?|hours?|days?|weeks?|months?|years?)"
                      r"(\s+ago)?|\d+\s*(秒|分钟|分鐘|小时|小時|天|周|週|个月|個月|年)前|刚刚|剛剛|昨天|前天|just now|yesterday)"
                      r"(\s*[·•|]\s*.{0,30})?\s*$", re.IGNORECASE)
NAME_TIME = re.compile(r"^\s*\S.{0,40}?\s*[·•|–—-]?\s*(\d+\s*(s|m|h|d|w|mo|y|min|hr|minutes?|hours?|days?|weeks?|months?|years?)"
                       r"\s+ago|\d+\s*(分钟|分鐘|小时|小時|天)前)\b.{0,40}$", re.IGNORECASE)
CLOCK = re.compile(r"^\s*\[?\(?\d{1,2}:\d{2}(:\d{2})?\)?\]?\s*$")  # a transcript's offset: no time of day
COUNT = re.compile(r"^[\W\d_]*\d[\W\d_]*[KkMm万萬千亿億]?[\W_]*$|^[\W_]{1,3}$")
YEARLESS = re.compile(r"^\s*((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+"
                      r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*|\d{1,2}月\d{1,2}日|\d{1,2}-\d{1,2})"
                      r"(\s*'\d{2})?(\s+\d{1,2}:\d{2})?(\s*[·•|]\s*.{0,20})?\s*$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_NO_DIGIT_TIME = re.compile(r"^\s*(刚刚|剛剛|昨天|前天|just now|yesterday)\b", re.IGNORECASE)
MAX_HEADER_LINES = 5  # a record of another shape joins a thread when its header is as small as a record's
REPLY = re.compile(r"^\s*(@\S|回复|回覆|Re:|Replying to)", re.I)  # (the author answering someone: a reply, not more post)
LEAD = 0.25  # a thread starts after a quarter of the page's text at least: the article comes first
MAX_TEXT_LINES = 4  # a record's text is a few lines (and under a third of the page's text); more is an article's
SPEAKER = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30}:\s*$|^\s*\S{1,12}[:：]\s*$")


_DECOR = re.compile(r"^[•·▪●◦‣|｜–—]+\s*")  # a separator dot before a record's date: "• Nov 18 '25"
_SENTENCE_MARK = re.compile(r"[。！？；!?;]|[a-z]{2}\.(\s|$)")
MAX_HEADER = 110  # "by Tailhook ( 98486 ) on Thursday March 05, 2026 @09:07PM (#65218832)"


@lru_cache(maxsize=1 << 15)
def line_class(text: str) -> str:
    t = _DECOR.sub("", text.strip()) or text.strip()
    if len(t) > 60:  # (a record's header line is short: a long line is its text, but for a name with a full date)
        return "M" if len(t) <= MAX_HEADER and _DIGIT.search(t) and _named_date(t) else "P"
    if SPEAKER.match(t):
        return "X"  # a transcript's speaker: not a record's header
    if _DIGIT.search(t):  # (times, counts and offsets all hold a digit: most labels skip these tests)
        if CLOCK.match(t):
            return "X"  # a transcript's offset
        if NAME_TIME.match(t) and not RELATIVE.match(t):
            return "M"  # a name and a time on one line: "88 points by brinewater 6 hours ago | next"
        if RELATIVE.match(t) or YEARLESS.match(t) or sg.is_timestamp(t):
            return "T"
        if _named_date(t):
            return "M"  # a name and a date: "kzhou-maint commented on Mar 5, 2026"
        if len(t) <= 14 and COUNT.match(t):
            return "C"
    elif _NO_DIGIT_TIME.match(t):
        return "T"  # 刚刚, yesterday, just now
    elif len(t) <= 3 and COUNT.match(t):
        return "C"  # "[-]", "▲"
    if sg.visible_len(t) <= 40 and sg.interface_share(t) >= 0.5:
        return "U"
    core = sg._TRAILING_PAREN.sub("", t) or t  # (a label's own bracket is no sentence end, nor its length:
    if sg.visible_len(core) <= 40 and not sg.ends_sentence(core):  # "Whack-a-mole (Score:5, Insightful)")
        return "N"
    return "P"


def _named_date(t: str) -> bool:
    """A few words around one full date (day, month and year), no sentence: a record's "who and
    when" ("kzhou-maint commented on Mar 5, 2026", "by Tailhook ( 98486 ) on Thursday March 05,
    2026 @09:07PM (#65218832)")."""
    if _SENTENCE_MARK.search(t) or t.endswith((".", "。", "!", "?", "！", "？")):
        return False
    stamps = _dates.find(t, timezone.utc)
    if len(stamps) != 1:
        return False
    rest = (t[:stamps[0].start] + " " + t[stamps[0].end:]).split()
    return 1 <= len(rest) <= 8 and sum(map(len, rest)) <= 50


def _core(sig: tuple[str, ...]) -> tuple[str, ...]:
    """A header's "who and when" (names and times), without its buttons and counts: a reply's
    header has a reaction count or a role button more or less than the next one's."""
    return _fold([c for c in sig if c in "NMT"])


def _fold(classes: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return tuple(out)


def _record_header(sig: tuple[str, ...]) -> bool:
    """A record's header, not a sub-heading or an advertisement label between paragraphs: a name
    with a time, a button or a count."""
    if "X" in sig:
        return False
    if "N" in sig and ("T" in sig or "U" in sig or "M" in sig or "C" in sig[sig.index("N"):]):
        return True  # (a count above a heading is a section number, "01 / 第一部分"; a like count follows a name)
    return "M" in sig and ("U" in sig or "C" in sig)


def threads(texts: list[str], start: int, author: set[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans [a, b) of `texts` (indexes) that are comment threads, looking from `start` on (the
    article's first paragraph). `author` holds the normalised name lines printed above the
    post: records headed by them are the author's own, not the thread's."""
    classes = ["P" if len(t) > MAX_HEADER else line_class(t) for t in texts]  # (a long line is text: no call for it)
    runs: list[tuple[int, int, tuple[str, ...], int]] = []  # (first P, last P, header signature, header start)
    i, head = start, start
    while i < len(texts):
        if classes[i] != "P":
            i += 1
            continue
        j = i
        while j + 1 < len(texts) and classes[j + 1] == "P":
            j += 1
        runs.append((i, j, _fold(classes[head:i]), head))
        head = i = j + 1
    volume = [sum(map(sg.visible_len, texts[a:b + 1])) for a, b, _, _ in runs]
    total = sum(volume)  # (a record holding a third of the page's text is the article, not a comment)
    out: list[tuple[int, int]] = []
    def short(r: int) -> bool:  # a record's text: a few lines, under a third of the page's text
        return runs[r][1] - runs[r][0] < MAX_TEXT_LINES and volume[r] < 0.3 * total

    k = 1  # the first run is the article's opening: no thread starts there
    while k < len(runs):
        sig = runs[k][2]
        m = k
        while m + 1 < len(runs) and short(m + 1) and (runs[m + 1][2] == sig or _record_header(sig)
                                                      and _record_header(runs[m + 1][2])
                                                      and runs[m + 1][0] - runs[m + 1][3] <= MAX_HEADER_LINES):
            m += 1  # (records of one thread may differ a little: a reply with no date, no title, a button more)
        if m > k and len({runs[r][2] for r in range(k, m + 1)}) > 1 and (
                max(Counter(_core(runs[r][2]) for r in range(k, m + 1)).values()) < 2
                or runs[k][0] - runs[k][3] > MAX_HEADER_LINES):
            m = k  # (headers of mixed shapes: a thread only when one "who and when" recurs, from a record's small header)
        if not short(k):
            k += 1
            continue
        if m > k and (_record_header(sig) or sig == ("M",) and m - k >= 2):  # two records or more with one
            #  header shape (three or more when the header is a name-and-date line alone: "hillside 发表评论于 2026-02-18 10:11:30")
            prev = runs[k - 1][2]
            lead = 0
            while lead < len(sig) - 2 and sig[lead] in "UC":
                lead += 1
            core = sig[lead:]  # (the first record's header lacks the buttons and counts that end the record
            same = prev[-len(core):] == core  # before ("Upvote", "12 (13 / -1)", "Reply"); its header may follow
            first = k - 1 if k >= 2 and same and short(k - 1) else k  # the thread's title and count)
            first = _after_author(texts, runs, first, m, author)
            if first is not None and 2 * sum(1 for r in range(first, m + 1) if "M" not in runs[r][2]
                                             and _titled(texts, classes, runs[r])) >= m + 1 - first:
                first = None  # posts with headlines of their own: a live page's updates, not comments (a comment's
                #              title sits over "by NAME on DATE", an update's under its time)
            if first is not None and sum(volume[:first]) >= LEAD * total:
                a, b = runs[first][0], runs[m][1] + 1
                while a > runs[first][3] and len(_fold(classes[a - 1:runs[first][0]])) <= len(sig):
                    a -= 1  # the first record's own header: no more lines above it than its shape has
                while b < len(texts) and classes[b] in "UCTM":  # the last record's buttons and counts
                    b += 1
                own = [r for r in range(first + 1, m + 1) if author and not REPLY.match(texts[runs[r][0]])
                       and {sg.norm(t) for t in texts[runs[r][3]:runs[r][0]]} & author]
                for r in own:  # the author's own later posts in the thread (a forum's OP on floor 5): their text stays
                    out.append((a, runs[r][0]))
                    a = runs[r][1] + 1
                out.append((a, b))
        k = m + 1
    return out


def _titled(texts: list[str], classes: list[str], run: tuple) -> bool:
    """Does this record's header hold a headline (a label of four words, or three with a word in
    lower case — a name has none —, or eight Chinese characters) under its time, as a live page's
    update does ("Beijing responds: 'firm countermeasures'", "How we got here")? Above the time, a
    name's line may hold the member's rank ("Smack-Fu Master, in training")."""
    first_p, _, _, head = run
    when = next((i for i in range(head, first_p) if classes[i] == "T"), None)
    for i in range(head if when is None else when + 1, first_p):  # (over the time: a member's rank, "Wise, Aged
        #                                                            Ars Veteran"; under it: the update's headline)
        t = texts[i]
        words = t.split()
        if classes[i] == "N" and (sg.han_count(t) >= 8 or len(words) >= 4 and sg.visible_len(t) >= 12
                                  or len(words) == 3 and any(w[:1].islower() for w in words)):
            return True
    return False


def _after_author(texts: list[str], runs: list, first: int, last: int, author: set[str]) -> int | None:
    """The first record of runs[first..last] not headed by the post's author."""
    if not author:
        return first
    for r in range(first, last + 1):
        _, _, _, head = runs[r]
        names = {sg.norm(t) for t in texts[head:runs[r][0]]}
        if not names & author:
            return r
    return None
