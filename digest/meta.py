"""Metadata from the text: title, date, source, author and language. Front matter wins.

Reads the cleaner's view of the page (which lines are header, list items, comments) and never
invents: where the text gives no title or date, the value is None and the build warns.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from .clean import signals as sg
from .model import Cleaned

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
ZONES = {"ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
         "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
         "GMT": "UTC", "UTC": "UTC", "BST": "Europe/London", "HKT": "Asia/Hong_Kong",
         "JST": "Asia/Tokyo", "CST": "Asia/Shanghai"}
_TIME = r"(?:(?:[ T,]|\sat\s)*\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<tz>ET|EST|EDT|PT|PST|PDT|GMT|UTC|BST|HKT|JST)?)?"
DATE_PATTERNS = [
    # 05/21/2025 (US order; a first number over 12 means day/month)
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])" + _TIME),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)日?" + _TIME),
    re.compile(r"\b(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I),
    re.compile(r"\b(?P<d>\d{1,2})\s+(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I),
]
AUTHOR_PREFIX = re.compile(
    r"^[【\[（(]?\s*(?:(?P<src>\S{2,12}?)(?:记者|記者)|文|作者|撰文|撰稿|记者|記者|文字|本报记者|本報記者|特约记者|特約記者|"
    r"通讯员|通訊員|編譯|编译|By|Written by|Words by|Author:)\s*[:：｜|丨/，,]?\s*(?P<rest>.+?)[】\]）)]?\s*$", re.I)
SOURCE_LINE = re.compile(r"^[【\[（(]?\s*(?:来源|來源|出处|出處|来自|來自|转自|轉自|转载自|轉載自|原文来源|本文来源|本文來源|"
                         r"文章来源|文章來源|稿源|Source)\s*[:：｜|丨]\s*(?P<s>[^】\]）)]{1,40})", re.I)
PLATFORM = re.compile(r"(?:自媒体平台|自媒體平臺|自媒体平臺)\s*[“\"「『](?P<s>[^”\"」』]{1,20})[”\"」』]")
WIRE = re.compile(r"\((?P<s>Reuters|AP|AFP|Bloomberg|Xinhua|新华社|中央社)\)|^\s*©\s*\d{4}\s+(?P<c>[A-Z][\w.&' ]{1,40}?)[.,]")


def find_dates(text: str, tz) -> list[datetime]:
    """Every full date (with a year) in a line, as datetimes; zone from the text or `tz`."""
    from zoneinfo import ZoneInfo

    out = []
    for pat in DATE_PATTERNS:
        for m in pat.finditer(text):
            g = m.groupdict()
            if g.get("a"):
                a, b = int(g["a"]), int(g["b"])
                g["m"], g["d"] = (str(b), str(a)) if a > 12 else (str(a), str(b))
            month = int(g["m"]) if g.get("m") else MONTHS[g["mon"][:3].lower()]
            hour, minute, sec = int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0)
            if g.get("ampm"):
                pm = g["ampm"].lower().startswith("p")
                hour = hour % 12 + (12 if pm else 0)
            zone = ZoneInfo(ZONES[g["tz"].upper()]) if g.get("tz") else tz
            try:
                out.append(datetime(int(g["y"]), month, int(g["d"]), hour, minute, sec, tzinfo=zone))
            except ValueError:
                continue  # 2026-02-30 is not a date
    return out


def find_date(cleaned: Cleaned, tz) -> datetime | None:
    """The article's own date: from the header, else a lone timestamp that is not a list
    item's or a comment's. Relative times ("3小时前") give no date."""
    first = cleaned.first_line or 10**9
    header, lone = [], []
    for n, text, role in cleaned.stamps:
        if role in ("item", "comment"):
            continue
        dates = find_dates(text, tz)
        if not dates:
            continue
        if PUBLISHED.match(text):
            return dates[0]  # "发布时间 …", "Published …": the page says which date is the article's
        if n < first:
            header.append(dates[0])
        elif sg.is_timestamp(text):
            lone.append(dates[0])
    pick = header or lone
    return pick[0] if pick else None


BRACKET_BYLINE = re.compile(r"^[【〔\[（(]\s*(?:文\s*[/／｜|]\s*(?P<src>[^\s】〕\]）)]+)\s+(?P<a>[^】〕\]）)\s]{2,12})"
                            r"|(?:記者|记者)\s*(?P<a2>[^／/】〕\]）)\s]{2,4}))")
PUBLISHED = re.compile(r"^\s*(发布时间|發布時間|發佈時間|发布于|發佈於|发表于|發表於|Published|Posted)\b", re.I)
EN_NAME = re.compile(r"^(?:By\s+)?[A-Z][a-z\x27’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-z\x27’-]+){1,2}$")
HOLDER_TAIL = re.compile(r"[\s,]+(?:LLC|Inc\.?|Ltd\.?|Limited|Company|Co\.|Corporation|PLC|GmbH)\b.*$")


def _near_stamp(cleaned: Cleaned, n: int) -> bool:
    return any(sg.is_timestamp(t) for m, t, _ in cleaned.stamps if 0 < m - n <= 3 or 0 < n - m <= 2)


def _bylines(cleaned: Cleaned, prefix: str) -> list[str]:
    return [r.text for r in cleaned.removed if r.rule.startswith(prefix)]


def find_author(cleaned: Cleaned) -> str | None:
    """From a byline the cleaner removed; else an English name standing beside the date."""
    for text in _bylines(cleaned, "byline.author"):
        m = AUTHOR_PREFIX.match(text)
        if m:
            rest = re.split(r"\s{2,}|\u3000|[／/|｜]|(?<!\d)(?:19|20)\d{2}\s*[-/.年]", m["rest"])[0]
            rest = rest.strip(" ,，;；|〕】)）")
            if rest:
                return rest
    for _, text in cleaned.kept[:3]:  # 【文/观察者网 沈怡然】… or 〔記者王郁婷／台北報導〕… opening a paragraph
        m = BRACKET_BYLINE.match(text)
        if m:
            return m["a"] or m["a2"]
    first = cleaned.first_line or 10**9
    for n, text, role in cleaned.stamps:
        if n < first and not role and EN_NAME.match(text) and _near_stamp(cleaned, n):
            return re.sub(r"^By\s+", "", text)
    return None


def find_source(cleaned: Cleaned, title_line: int | None) -> str | None:
    """Publisher or platform: a 来源/Source line, a 'X记者' byline, a wire dateline, a platform
    notice, a copyright holder, or a site name standing alone above the article."""
    for text in _bylines(cleaned, "byline.source"):
        m = SOURCE_LINE.match(text)
        if m:
            return m["s"].strip()
    for text in _bylines(cleaned, "byline.author"):
        m = AUTHOR_PREFIX.match(text)
        if m and m["src"]:
            return m["src"]
        m = re.search(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?P<pub>[^\s\d，,。]{2,12})$", text)
        if m:
            return m["pub"]  # "作者：X　　2025年5月5日纽约时报": the publisher after the date
    for _, text in cleaned.kept[:3]:
        m = BRACKET_BYLINE.match(text)
        if m and m["src"]:
            return m["src"]
    lines = sorted([(r.line, r.text) for r in cleaned.removed] + list(cleaned.kept))
    for _, text in lines:
        m = WIRE.search(text)
        if m and m["s"]:
            return m["s"]
    for _, text in lines:
        m = PLATFORM.search(text)
        if m:
            return m["s"]
    first = cleaned.first_line or 10**9
    for n, text in lines:  # a site name standing alone above the article
        if n < first and n != title_line and 2 <= len(text) <= 20 and " " not in text \
                and re.search(r"..(网|網|新闻|新聞|日报|日報|时报|時報|资讯|資訊|News|Times|Post)$", text):
            return text
    for _, text in lines:
        m = WIRE.search(text)
        if m and m["c"]:
            holder = HOLDER_TAIL.sub("", m["c"]).strip(" .,")
            if holder:
                return holder
    return None


@lru_cache(maxsize=1)
def _script_sets() -> tuple[frozenset, frozenset]:
    simp, trad = set(), set()
    for line in (Path(__file__).parent / "data" / "hanzi_pairs.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            s, t = line.split()
            simp.add(s)
            trad.add(t)
    return frozenset(simp - trad), frozenset(trad - simp)


@lru_cache(maxsize=1)
def _script_classes() -> tuple[re.Pattern, re.Pattern]:
    """Regexes for one character of _script_sets(): findall counts them without a census of
    every character (a Counter of a 3,000-character article costs ~150 µs, these ~60 µs)."""
    return tuple(re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") for chars in _script_sets())


@lru_cache(maxsize=1)
def _han_not_letters() -> re.Pattern:
    """The characters signals.HAN counts that are not letters (hexagram symbols, unassigned)."""
    chars = [chr(c) for lo, hi in sg.HAN_RANGES for c in range(lo, hi + 1)]
    return re.compile("[" + "".join(re.escape(c) for c in chars if not c.isalpha()) + "]")


@lru_cache(maxsize=4)
def han_count(text: str) -> int:
    """Han characters in an article's text (for its language and its reading time)."""
    return sg.han_count(text)


def detect_lang(text: str) -> str:
    """zh-Hans, zh-Hant or en, by the article's script: en when under a fifth of the letters are
    Han characters (as signals.han_ratio), else whichever script's own characters are more common."""
    han = han_count(text)
    if not han:
        return "en"  # counting letters cannot change that (the common case of an English article)
    # Han letters a fifth of the characters or more are a fifth of the letters or more: no census
    if han * 5 < len(text) or _han_not_letters().search(text):
        letters = sum(n for c, n in Counter(text).items() if c.isalpha())
        if not letters or han / letters < 0.2:  # (U+4DC0..4DFF are symbols, not letters)
            return "en"
    simp, trad = _script_classes()
    return "zh-Hant" if len(trad.findall(text)) > len(simp.findall(text)) else "zh-Hans"
