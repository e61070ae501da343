"""Dates as pages print them → instants with their zones. The one date grammar of digest.

The cleaner asks `is_stamp_line` which lines are date lines (it removes them: they become page
metadata); metadata asks `find` and `dateline` what those lines say. Both read the same
expressions below, so a line removed as a date is a line whose date (and zone) can be read.

What is read
  full dates     2026-03-05, 2026/3/5, 2026.03.05, 2026年3月5日, March 5, 2026, Mar 5 2026,
                 5 March 2026, Thu, 5 Mar 2026 (RFC 2822), 3/5/2026 (US order; a first number
                 over 12 means day/month), 05.03.2026 (day.month.year), 26-3-5 10:12 (a
                 microblog's short year: only with a time, 20yy)
  times          10:12, 10:12:33, 06.00, 4:15 PM, 4:15 p.m., 4 PM, 下午4:15, 10时12分, before
                 or after the date ("4:15 PM EST, March 3, 2026"); ISO 8601 (2026-03-21T08:15:00Z)
  zones          offsets: Z, +0800, -04:00, GMT+8, UTC+08:00; names: 北京时间, 台北時間,
                 香港時間, 东京时间, 美东时间 … (before the date or after the time); abbreviations
                 (ZONES below)
  relative       3小时前, 昨天 10:00, 2 hours ago, just now: recognised as time lines, but they
                 give no date (the day they count from is unknown)
  yearless       03-05 10:12, 3/3: time lines of list items and comments; no date either

Zones, and the ambiguous cases (decided here, documented in the README)
  * The site's `timezone` applies only when the text names no zone.
  * Generic names follow daylight saving by the date: ET, CT, MT, PT, 美东时间 … are
    America/New_York etc. through zoneinfo (ET on 5 July 2026 is -04:00, on 5 March -05:00).
  * Season-specific abbreviations mean what they say, as in RFC 2822: EST is always -05:00 and
    EDT -04:00 (a page printing "EST" in July is taken at its word), likewise CST/CDT, MST/MDT,
    PST/PDT; GMT is +00:00 and BST +01:00.
  * CST: China Standard Time (+08:00) when the line or the article has Chinese text or the
    site's zone is in China, Hong Kong, Macau or Taiwan; otherwise US Central Standard Time
    (-06:00).
  * IST is read as India (+05:30), the common use in English news; not Irish or Israeli time.
  * 3/5/2026 is US month/day; 05.03.2026 (dots) is day.month; 13/5/2026 is day/month.
  * A masthead's "today" date, a print edition's date, an "updated" date and the dates of
    comments and related items are read, but metadata prefers the article's own date (meta.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


# Abbreviation → zone. A ZoneInfo follows daylight saving by date; a fixed offset does not.
ZONES: dict[str, tzinfo] = {
    "Z": timezone.utc, "UTC": timezone.utc, "UT": timezone.utc, "GMT": timezone.utc,
    "ET": ZoneInfo("America/New_York"), "EST": _fixed(-5), "EDT": _fixed(-4),
    "CT": ZoneInfo("America/Chicago"), "CST": _fixed(-6), "CDT": _fixed(-5),  # CST: see _zone
    "MT": ZoneInfo("America/Denver"), "MST": _fixed(-7), "MDT": _fixed(-6),
    "PT": ZoneInfo("America/Los_Angeles"), "PST": _fixed(-8), "PDT": _fixed(-7),
    "AKST": _fixed(-9), "AKDT": _fixed(-8), "HST": _fixed(-10),
    "BST": _fixed(1), "WET": _fixed(0), "WEST": _fixed(1), "CET": _fixed(1), "CEST": _fixed(2),
    "EET": _fixed(2), "EEST": _fixed(3), "MSK": _fixed(3), "IST": _fixed(5.5),
    "ICT": _fixed(7), "WIB": _fixed(7), "HKT": _fixed(8), "SGT": _fixed(8), "PHT": _fixed(8),
    "AWST": _fixed(8), "BJT": _fixed(8), "JST": _fixed(9), "KST": _fixed(9),
    "AEST": _fixed(10), "AEDT": _fixed(11), "NZST": _fixed(12), "NZDT": _fixed(13),
}
CHINA_CST, US_CST = _fixed(8), _fixed(-6)
CHINA_ZONES = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau",
               "Asia/Taipei", "PRC", "ROC", "Hongkong"}

# Zones named in words → IANA names.
NAMED = {
    "Asia/Shanghai": "北京时间 北京時間 中国时间 中國時間 Beijing time",
    "Asia/Taipei": "台北时间 台北時間 臺北時間 台湾时间 台灣時間 臺灣時間 Taipei time",
    "Asia/Hong_Kong": "香港时间 香港時間 Hong Kong time",
    "Asia/Tokyo": "东京时间 東京時間 日本时间 日本時間 Tokyo time",
    "Asia/Seoul": "首尔时间 首爾時間 韩国时间 韓國時間 Seoul time",
    "Asia/Singapore": "新加坡时间 新加坡時間 Singapore time",
    "America/New_York": "美东时间 美東時間 美国东部时间 美國東部時間 美东 美東 纽约时间 紐約時間 华盛顿时间 華盛頓時間 "
                        "Eastern time Washington time New York time",
    "America/Los_Angeles": "美西时间 美西時間 美国西部时间 美國西部時間 太平洋时间 太平洋時間 Pacific time",
    "Europe/London": "伦敦时间 倫敦時間 英国时间 英國時間 London time",
    "UTC": "格林尼治时间 格林威治时间 格林威治時間 格林尼治時間 世界协调时间",
}
_NAMED = {name.lower(): zone for zone, names in NAMED.items()
          for name in re.findall(r"[A-Za-z]+ [A-Za-z]+ time|[A-Za-z]+ time|\S+", names)}
_NAMED_RX = "|".join(sorted((re.escape(n) for n in _NAMED), key=len, reverse=True))

# ---- the building blocks (named groups; each form below is one regex) -------------------------

_WD_EN = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday)?\.?"
_WD_ZH = r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]"
_WD = rf"(?:{_WD_EN},?\s*|[（(]?\s*{_WD_ZH}\s*[)）]?\s*)"
_MON = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|"
        r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?![A-Za-z])")
_Y = r"(?P<y>(?:19|20)\d{2})"
FORMS = {
    "ymd": rf"(?<![\d.])(?P<y>(?:19|20)\d{{2}})\s*(?:年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日?"
           rf"|(?P<sep>[-/.])\s*(?P<m2>\d{{1,2}})\s*(?P=sep)\s*(?P<d2>\d{{1,2}})(?!\d))",
    "short": r"(?<![\d.\-/:])(?P<yy>[0-3]\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d\-])",
    "us": rf"(?<![\d/.])(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_Y}(?![\d/])",
    # a two-digit year, US order, only with its clock after it ("12/03/26 6:41 PM ET": The Hill's bylines)
    "us2": r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<yy>[0-3]\d)(?![\d/])",
    "dmy.": rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_Y}(?![\d.])",
    # the Republic of China's calendar (Taiwan): year 1 is 1912 — 中華民國115年3月11日, 115-03-05
    "roc": r"(?:中華民國|中华民国|民國|民国)\s*(?P<ry>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"
           r"|(?<![\w.\-/])(?P<ry2>1[01]\d)(?P<rsep>[-/])(?P<m2>[01]?\d)(?P=rsep)(?P<d2>[0-3]?\d)(?![\d\-/.])",
    "mdy": rf"(?<![A-Za-z])(?:{_WD_EN},?\s*)?{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?:{_WD_EN}\s+)?{_Y}(?!\d)",
    # (PIXNET prints the weekday between the day and the year: "Mar 12 Thu 2026 22:08")
    "dmy": rf"(?<![\w])(?:{_WD_EN},?\s*)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{_MON},?\s+{_Y}(?!\d)",
    # (an order's or a deed's "this 22nd day of October 2026")
    # C's asctime and Unix date(1): "Mon Nov 30 23:58:02 2026", "Wed Dec  2 21:47:30 PST 2026" (a BBS's
    # 发信站 line, a mailing-list archive): the clock and the zone stand between the day and the year
    "ctime": rf"(?<![A-Za-z])(?:{_WD_EN}\s+)?{_MON}\s+(?P<d>\d{{1,2}})\s+(?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
             rf"(?:\s+(?P<abbr>(?-i:[A-Z]{{3,4}})))?\s+{_Y}(?!\d)",
}
_AMPM = r"[AaPp]\.?\s?[Mm]\.?(?![A-Za-z])"
TIME = (r"(?P<half>上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|晚间|晚間)?\s*(?P<H>[01]?\d|2[0-4])"
        r"(?:[:：](?P<M>[0-5]\d)(?:[:：](?P<S>[0-5]\d)(?:[.,]\d{1,6})?)?"
        r"|\.(?P<Md>[0-5]\d)(?![\d.])"
        r"|[时時点點](?:(?P<Mc>[0-5]?\d)分)?"
        rf"|(?=\s*{_AMPM}))"
        rf"(?:\s*(?P<ap>{_AMPM}))?")
ZONE = (r"(?:[(（]\s*)?(?:"
        r"(?P<off>(?:GMT|UTC)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|(?<=\d)(?-i:Z)(?![A-Za-z])"
        r"|(?<=\d)[+\-](?:0\d|1[0-4])(?::?[0-5]\d)?(?!\d)|(?<=\s)[+\-](?:0\d|1[0-4]):?[0-5]\d(?!\d))"
        rf"|(?P<abbr>(?-i:{'|'.join(sorted((z for z in ZONES if z != 'Z'), key=len, reverse=True))}))(?![A-Za-z])"
        rf"|(?P<named>{_NAMED_RX}))"
        r"(?:\s*[)）])?(?:\s*\((?:[A-Z]{2,5})\))?")
_JOIN = r"(?:\s*(?:,|，|T|·|-|–|—|\||@)?\s*(?:at|um|à|on)?\s*)"
AFTER = re.compile(rf"(?:{_JOIN}(?:{_WD})?{TIME})?(?:\s*{ZONE})?", re.I)
BEFORE = re.compile(rf"{TIME}(?:\s*{ZONE})?\s*(?:,|，|·|•|\||on)?\s*(?:on\s+)?$", re.I)
PREFIX_ZONE = re.compile(rf"[(（]?(?P<named>{_NAMED_RX})[)）]?\s*$", re.I)
BARE_TIME = re.compile(rf"{TIME}(?:\s*{ZONE})?", re.I)
_FORMS = [(k, re.compile(v, re.I)) for k, v in FORMS.items()]
YEARLESS = re.compile(r"(?<![\d/.\-])\d{1,2}[-/]\d{1,2}(?![\d/\-])|(?<!\d)\d{1,2}月\d{1,2}日")
RELATIVE = re.compile(
    r"\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月)前|刚刚|剛剛|昨天|前天|今天|昨日|"
    r"\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|yesterday|just now",
    re.I)


@dataclass(frozen=True)
class Stamp:
    """One date expression in a line: where it is, and the instant (None: no year, relative)."""

    start: int
    end: int
    when: datetime | None
    has_time: bool = False
    zoned: bool = False  # the text named the zone


def _offset(text: str) -> tzinfo:
    t = text.upper().replace("−", "-").replace("GMT", "").replace("UTC", "").replace(" ", "")
    if t in ("Z", ""):
        return timezone.utc
    sign = -1 if t[0] == "-" else 1
    digits = t[1:].replace(":", "")
    h, m = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    return timezone(sign * timedelta(hours=h, minutes=m))


def _zone(g: dict, china: bool) -> tzinfo | None:
    if g.get("off"):
        return _offset(g["off"])
    if g.get("abbr"):
        a = g["abbr"].upper()
        if a == "CST":
            return CHINA_CST if china else US_CST
        return ZONES[a]
    if g.get("named"):
        return ZoneInfo(_NAMED[" ".join(g["named"].lower().split())])
    return None


def _clock(g: dict) -> tuple[int, int, int] | None:
    if g.get("H") is None:
        return None
    h = int(g["H"])
    minute = int(g.get("M") or g.get("Md") or g.get("Mc") or 0)
    sec = int(g.get("S") or 0)
    ap = (g.get("ap") or "").lower()
    half = g.get("half") or ""
    if ap.startswith("p") or (half in ("下午", "晚上", "傍晚", "晚间", "晚間") and h < 12) or (half == "中午" and h < 11):
        h = h % 12 + 12
    elif ap.startswith("a") and h == 12:
        h = 0
    if h > 23:
        return None
    return h, minute, sec


_HAS_DATE = re.compile(r"(?:19|20)\d\d|\d-\d{1,2}-\d|民國|民国|1[01]\d/\d|\d/\d{1,2}/[0-3]\d")
_HAS_RELATIVE = re.compile(r"前|刚刚|剛剛|昨|今天|ago|yesterday|just now", re.I)
_HAS_YEARLESS = re.compile(r"\d[-/月]\d")
_HAS_TIME = re.compile(r"\d\s*(?:[:：时時点點]|\.\d\d|[AaPp]\.?\s?[Mm])")


# What each form needs in a line before it can match there (its own separator, or a month's
# first three letters, folded as the forms fold them): a form's search costs 1-13 µs a line, most
# lines hold a year-like number and none of these (tests/test_clean_shortcuts.py checks _scan
# with and without them)
_HAS_MONTH = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)
_MONTHS3 = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FOLDS_TO_ASCII = "İKſıÅẞ"  # (non-ASCII letters IGNORECASE equates with ASCII ones, or whose lower case is not one letter)


def _has_month(text: str) -> bool:
    """_HAS_MONTH.search(text), ~10x faster: `in` on the lower-cased line (an IGNORECASE
    alternation is tried at every letter), unless the line holds a letter that folds otherwise."""
    if text.isascii() or not any(map(text.__contains__, _FOLDS_TO_ASCII)):
        low = text.lower()
        return any(map(low.__contains__, _MONTHS3))
    return _HAS_MONTH.search(text) is not None


_FORM_NEEDS = {"ymd": ("年", "-", "/", "."), "short": ("-",), "us": ("/",), "us2": ("/",), "dmy.": (".",), "roc": ("民", "-", "/"),
               "mdy": _HAS_MONTH, "dmy": _HAS_MONTH, "ctime": _HAS_MONTH}


@lru_cache(maxsize=1 << 14)
def _scan(text: str) -> tuple:
    """Every full date expression in text: ((start, end, y, m, d, clock or None, zone groups,
    prefix zone groups), ...), in order, none overlapping."""
    if not _HAS_DATE.search(text):
        return ()  # no year, no short-year stamp: no full date (most lines: checked once, cheaply)
    hits = []
    month = None
    for kind, rx in _FORMS:
        need = _FORM_NEEDS.get(kind)  # (a form is looked for only where what it needs is)
        if need is _HAS_MONTH:
            if month is None:
                month = _has_month(text)
            if not month:
                continue
        elif need is not None and not any(map(text.__contains__, need)):
            continue
        for m in rx.finditer(text):
            hits.append((m.start(), -m.end(), kind, m))
    hits.sort(key=lambda h: (h[0], h[1]))
    out, last = [], 0
    for start, neg_end, kind, m in hits:
        if start < last:
            continue
        g = m.groupdict()
        try:
            if kind == "ymd":
                y, mo, d = int(g["y"]), int(g["m"] or g["m2"]), int(g["d"] or g["d2"])
            elif kind == "short":
                y, mo, d = 2000 + int(g["yy"]), int(g["m"]), int(g["d"])
            elif kind in ("us", "us2"):
                a, b = int(g["a"]), int(g["b"])
                mo, d = (b, a) if a > 12 else (a, b)
                y = int(g["y"]) if kind == "us" else 2000 + int(g["yy"])
            elif kind == "roc":
                y, mo, d = 1911 + int(g["ry"] or g["ry2"]), int(g["m"] or g["m2"]), int(g["d"] or g["d2"])
            elif kind in ("mdy", "dmy", "ctime"):
                y, mo, d = int(g["y"]), MONTHS[g["mon"][:3].casefold()], int(g["d"])  # (IGNORECASE reads "ſept" as Sept)
            else:
                y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        except (TypeError, ValueError):
            continue
        end = -neg_end
        after = AFTER.match(text, end)
        tg: dict = {}
        if kind == "ctime":
            tg = {k: g[k] for k in ("H", "M", "S") if g[k]}
            if g["abbr"] in ZONES:
                tg["abbr"] = g["abbr"]
        elif after and after.group(0).strip():
            tg = after.groupdict()
            end = after.end()
        elif kind != "short":
            before = BEFORE.search(text, last, start)
            if before and before.start() >= last:
                tg = before.groupdict()
                start = before.start()
        if kind in ("short", "us2") and tg.get("H") is None:
            continue  # "26-3-5" alone is too likely something else
        pre = PREFIX_ZONE.search(text, last, start)
        if pre and not (tg.get("off") or tg.get("abbr") or tg.get("named")):
            tg = {**tg, "named": pre["named"]}
            start = pre.start()
        out.append((start, end, y, mo, d, _clock(tg), tg))
        last = end
    return tuple(out)


def _china(text: str, tz) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", text)) or str(getattr(tz, "key", "")) in CHINA_ZONES


def find(text: str, tz: tzinfo, china: bool | None = None) -> list[Stamp]:
    """Every full date in text, as Stamps with aware datetimes: the zone the text names, else
    `tz` (the site's). china: does CST mean China (None: if text has Chinese, or tz is China's)."""
    out = []
    for start, end, y, mo, d, clock, g in _scan(text):
        zone = _zone(g, _china(text, tz) if china is None else china) if g else None
        h, mi, s = clock or (0, 0, 0)
        try:
            when = datetime(y, mo, d, h, mi, s, tzinfo=zone or tz)
        except ValueError:
            continue  # 2026-02-30 is not a date
        out.append(Stamp(start, end, when, clock is not None, zone is not None))
    return out


def find_dates(text: str, tz: tzinfo, china: bool | None = None) -> list[datetime]:
    """Every full date in text, as aware datetimes (see find)."""
    return [s.when for s in find(text, tz, china)]


# ---- date lines and datelines --------------------------------------------------------------

LABEL = (r"(?:This page was last edited on|Last edited on|Published|First published|Originally published|Updated|Last updated|Last modified|Last edited|"
         r"Modified|Posted|Date|Time|Dated|发布时间|發布時間|發佈時間|发布日期|發布日期|發佈日期|发表时间|發表時間|"
         r"发布于|發佈於|發布於|发表于|發表於|更新于|更新於|更新时间|更新時間|最后更新|最後更新|最後更新日期|"
         r"最后修改|修改于|修改於|修改时间|編輯於|编辑于|时间|時間|日期|发布|發佈|發布|更新|出版时间|出版時間)")
PUBLISHED = re.compile(r"(?:Published|First published|Originally published|Posted|发布|發佈|發布|发表|發表|出版)", re.I)
UPDATED = re.compile(r"(?:Updated|Last updated|Last modified|Last edited|Modified|更新|修改|最后更新|最後更新|last edited)",
                     re.I)
FIELD = (r"(?P<label>来源|來源|稿源|出处|出處|Source|作者|撰文|撰稿|文字|Author|Written by|Words by|Posted by|"
         r"Reporting by|By|责任编辑|責任編輯|责编|責編|编辑|編輯|Editor|Edited by|记者|記者|文|原创|原創)")
_FIELD_AT = re.compile(rf"(?:(?<=\s)|(?<=^)|(?<=[|｜丨·•・]))(?={FIELD}\s*[:：/／｜|]|(?:By|Posted by|记者|記者|原创|原創)\s)"
                       r"|(?<=\x00 )(?=by [A-Z])")  # ("February 11, 2026 by Rachel Tan": a blog's date and author)
_SEGMENT_SPLIT = re.compile(r"\s*[|｜丨·•・]\s*|\s{2,}|\u3000+|\s+[–—]\s+")
_FIELD_SEG = re.compile(rf"^{FIELD}\s*(?:[:：/／｜|]\s*|\s+)(?P<value>\S.{{0,40}})$", re.I)
_STAMP_SEG = re.compile(
    rf"^(?:\d+\s*min(?:ute)?s?\s+read\s*)?(?:{LABEL}\s*(?:on\s+)?[:：/]?\s*)?(?:{_WD})?(?:\x00\s*(?:,|，|and|at)?\s*(?:{_WD})?)+"
    r"(?:(?:发布于|發佈於|发布|發佈|發布)\s*[:：]?\s*\S{0,12}|(?:来自|來自)\s*.{0,30}|(?:IP\s*属地|IP\s*屬地)\S{0,12})?\.?$",
    re.I)
_TAIL_SEG = re.compile(r"^(?:(?:IP\s*属地|IP\s*屬地|发布于|發佈於|發布於)\s*[:：]?\s*\S{0,12}|(?:来自|來自)\s*.{0,30}"
                       r"|(?:Updated|更新)\s*[:：]?\s*.{0,30}|\d+\s*min(?:ute)?s?\s+read)$", re.I)


def _marked(text: str) -> tuple[str, int]:
    """text with each date, time and relative expression replaced by \\x00; and their count."""
    parts, last, n = [], 0, 0
    spans = [(s[0], s[1]) for s in _scan(text)]
    for rx in (RELATIVE, YEARLESS, BARE_TIME):
        if not (_HAS_TIME if rx is BARE_TIME else _HAS_RELATIVE if rx is RELATIVE else _HAS_YEARLESS).search(text):
            continue  # cheap answers first
        taken = list(spans)
        for m in rx.finditer(text):
            if m.group(0).strip() and m.group(0) != "" and not any(a < m.end() and m.start() < b for a, b in taken):
                if rx is BARE_TIME and m["H"] is None:
                    continue
                if rx is BARE_TIME and not (m["M"] or m["Md"] or m["Mc"] or m["ap"] or "时" in m.group(0)
                                            or "時" in m.group(0) or "点" in m.group(0) or "點" in m.group(0)):
                    continue
                spans.append((m.start(), m.end()))
        spans.sort()
    for a, b in spans:
        parts.append(text[last:a])
        parts.append("\x00")
        last, n = b, n + 1
    parts.append(text[last:])
    return "".join(parts), n


@dataclass(frozen=True)
class Dateline:
    """What a date line or dateline says: its stamps and the fields printed beside them."""

    stamps: tuple = ()  # Stamps
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    whole: bool = False  # every part of the line is a date or a field: the line is metadata


_LABEL_BAR = re.compile(rf"(?:(?<=[\s\x01|｜丨·•・])|^)(?P<l>来源|來源|作者|文|撰文|编辑|編輯|记者|記者)\s*[｜|丨]\s*")


def _segments(text: str) -> list[str]:
    text = _LABEL_BAR.sub(lambda m: m["l"] + "：", _FIELD_AT.sub("\x01", text))  # 文｜张三: a label, not a separator
    out = []
    for part in text.split("\x01"):
        out.extend(p.strip() for p in _SEGMENT_SPLIT.split(part))
    return [p for p in out if p]


# The commonest date lines, a numeric date, a time, or both and nothing else ("2026-03-05 10:12",
# "2026年3月5日09:12", "10:12"), are date lines by the grammar: is_stamp_line answers them without
# it (a grammar pass took ~25 µs a line; tests/test_clean_shortcuts.py checks the shortcut
# against the grammar). Anything else this does not match goes through the grammar as before.
_PLAIN_STAMP = re.compile(r"(?:19|20)\d\d(?:(?P<sep>[-/.])\d\d(?P=sep)\d\d|年\d{1,2}月\d{1,2}日)"
                          r"(?:(?<=日) ?(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?| (?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?"
                          r"|(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?")


# (compiled once: re.search(pattern, t, re.I) looked the pattern up on every line it was asked of)
_MAY_STAMP = re.compile(r"\d|刚刚|剛剛|昨天|前天|今天|昨日|yesterday|just now", re.I)


@lru_cache(maxsize=1 << 16)
def is_stamp_line(text: str) -> bool:
    """A line that is a date or time and nothing else but labels ("Published", "发布于",
    "IP 属地"…), or a dateline: dates beside labelled fields (来源：…, 作者：…, By …, Editor: …)."""
    t = text.strip()
    if _PLAIN_STAMP.fullmatch(t):
        return True  # (the shortcut above: what the grammar answers for these)
    if not t or len(t) > 100 or _NOT_STAMP.search(t) or t.count(" ") > 16 \
            or not _MAY_STAMP.search(t):
        return False  # (cheap answers first: most lines are sentences)
    if _parse_segments(t)[0]:
        return True
    m = _WHERE.match(t)  # "编辑于 2025-12-21 浙江": a post's date and the province it was sent from
    if m and (m["where"] in PROVINCES or _is_place(m["where"])) and _parse_segments(m["when"])[0]:
        return True
    m = _EN_WHERE.match(t)  # "Hong Kong, 12 February 2026": where and when a statement was signed
    return bool(m) and _parse_segments(m["when"])[0]


# Where a post was sent from, printed after its date (小红书, 微博, 知乎: the IP's province or country)
PROVINCES = frozenset("北京 天津 上海 重庆 重慶 河北 山西 辽宁 遼寧 吉林 黑龙江 黑龍江 江苏 江蘇 浙江 安徽 福建 江西 山东 山東 河南 湖北 湖南 "
                      "广东 廣東 海南 四川 贵州 貴州 云南 雲南 陕西 陝西 甘肃 甘肅 青海 台湾 臺灣 台灣 内蒙古 內蒙古 广西 廣西 西藏 宁夏 寧夏 "
                      "新疆 香港 澳门 澳門 美国 美國 日本 韩国 韓國 新加坡 英国 英國 德国 德國 法国 法國 加拿大 澳大利亚 澳大利亞".split())
_WHERE = re.compile(r"^(?P<when>.*\d.*?)\s+(?P<where>[\u4e00-\u9fff]{2,5})$")
_EN_WHERE = re.compile(r"^(?P<where>[A-Z][a-z.'-]+(?: [A-Z][a-z.'-]+){0,2}),\s+(?P<when>\S.*\d.*)$")


_NOT_STAMP = re.compile(r"[。！？；!?;]|，.*，|[a-z]{2,}\. [A-Z]")  # sentence punctuation: prose


_NAMED_SEG = re.compile(r"^\x00\s+(?P<name>(?=[^\s]*[\u4e00-\u9fff])(?![^\s]*(?:出刊|出版|刊出|发布|發佈|發布|更新|报道|報導|发行|發行)$)"
                        r"[^\s\d|｜/／:：,，。;；!?！？()（）]{2,12})$")
_WECHAT_SEG = re.compile(r"^(?:原创|原創)\s+(?P<a>[^\s\x00]{2,20})\s+(?P<s>[^\s\x00]{2,24})\s+\x00(?:\s+\S{2,6})?$")
_PLACES_RX = None
_NAME_SEG = re.compile(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}$")


_CAPS_PLACE = re.compile(r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2}$")


def _is_place(name: str) -> bool:
    global _PLACES_RX
    if _PLACES_RX is None:
        _PLACES_RX = re.compile(rf"^(?:{PLACES}|[\u4e00-\u9fff]{{2,3}}[市省县縣区區])$")
    return bool(_PLACES_RX.match(name))


@lru_cache(maxsize=1 << 14)
def _parse_segments(t: str) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """(whole line is metadata, [(field label, value)]). An unlabelled Chinese name right after
    a date (2026年3月5日 09:12 新浪科技) is the source, unless it is a place."""
    if not (_HAS_DATE.search(t) or _HAS_TIME.search(t) or _HAS_RELATIVE.search(t) or _HAS_YEARLESS.search(t)):
        return False, ()
    marked, n = _marked(t)
    if not n:
        return False, ()
    fields, whole, stamped = [], True, False
    segs = []
    for seg in _segments(marked):
        if "\x00" in seg and _FIELD_SEG.match(seg) and not _WECHAT_SEG.match(seg):
            segs.extend(p for p in re.split(r"\s+(?=\x00)|(?<=\x00)\s+", seg) if p)  # 文｜林子墨 2026-01-30
        else:
            segs.append(seg)
    for k, seg in enumerate(segs):
        if _STAMP_SEG.match(seg):
            stamped = True
            continue
        m = _NAMED_SEG.match(seg) if stamped or seg.startswith("\x00") else None
        if m:
            stamped = True
            if not _is_place(m["name"]) and m["name"].upper() not in ZONES and m["name"].lower() not in _NAMED:
                fields.append(("来源", m["name"]))
            continue
        m = _WECHAT_SEG.match(seg)
        if m:
            stamped = True
            fields += [("作者", m["a"]), ("来源", m["s"])]
            continue
        if stamped and (_CAPS_PLACE.match(seg) or seg.isdigit() and len(seg) <= 6):
            continue  # "Mar 5th 2026 | SHENZHEN": a dateline's place in capitals; "… 9:14 pm | 142": its comment count
        if "\x00" not in seg:
            m = _FIELD_SEG.match(seg)
            if m:
                fields.append((m["label"], re.sub(r"\s+(?:on|at)$|[\s,，]+$", "", m["value"].strip())))
                continue
            if _TAIL_SEG.match(seg):
                continue
            if _NAME_SEG.match(seg) and k + 1 < len(segs) and _STAMP_SEG.match(segs[k + 1]):
                continue  # "Ellis Marchetti – Mar 5, 2026 9:14 pm": the byline's name before its date
        whole = False
    return whole and stamped, tuple(fields)


_WIRES = re.compile(r"^(?:Reuters|AP|AFP|Associated Press|Agence France-Presse|Bloomberg(?: News)?|Xinhua|CNN|BBC|"
                    r"Kyodo|Yonhap|Nikkei|Dow Jones|NPR|CNBC|Axios|Politico|.*\b(?:News|Times|Post|Journal|Press|"
                    r"Agency|Media|Daily|Review|Wire|Herald|Tribune|Magazine|Weekly)\b.*)$")
_NAME_TAIL = re.compile(r"\s*(?:[（(][^）)]*[）)]?|\S{0,6}(?:报道|報導|报导)|/.*|／.*)$")


def split_by(value: str) -> tuple[str | None, str | None]:
    """"Jane Doe, Reuters" → (author, source): a last comma part that is a wire or a
    publication is the source."""
    value = value.strip(" ,;|")
    parts = [p.strip() for p in value.split(",")]
    if len(parts) > 1:
        role = _ROLE.match(parts[-1])  # "Kenji Watanabe, Nikkei staff writer"
        if role:
            return ", ".join(parts[:-1]) or None, role["pub"]
        if _WIRES.match(parts[-1]):
            return ", ".join(parts[:-1]) or None, parts[-1]
    return value or None, None


_ROLE = re.compile(r"^(?P<pub>.+?)\s+(?:staff writer|staff reporter|correspondent|reporter|senior writer|"
                   r"columnist|contributor|contributing writer|editor|bureau chief)$", re.I)


def clean_name(value: str) -> str | None:
    v = _NAME_TAIL.sub("", value.strip()).strip(" ,，;；:：|｜")
    v = re.split(r"\s{2,}|\u3000", v)[0]
    return v or None


def dateline(text: str, tz: tzinfo, china: bool | None = None) -> Dateline:
    """A date line read whole: its dates, and the source, author and editor printed with them."""
    t = text.strip()
    whole, fields = _parse_segments(t) if len(t) <= 160 else (False, ())
    source = author = editor = None
    for label, value in fields:
        lab = label.lower()
        if lab in ("来源", "來源", "稿源", "出处", "出處", "source"):
            source = source or clean_name(value)
        elif lab in ("责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "editor", "edited by"):
            editor = editor or clean_name(value)
        elif lab in ("by", "posted by", "written by", "words by", "reporting by"):
            a, s = split_by(value)
            author = author or a
            source = source or s
        elif lab in ("原创", "原創"):
            continue
        else:
            author = author or clean_name(value)
    return Dateline(tuple(find(t, tz, china)), source, author, editor, whole)


def kind(text: str, stamp: Stamp) -> str:
    """How a line labels one of its dates: "published", "updated", "print", "other" (an account's
    or a group's own date: created, joined) or ""."""
    before = text[:stamp.start]
    seg = re.split(r"[|｜丨·•・]|\s{2,}|\u3000", before)[-1]
    if re.search(r"edition|in print|print version|出刊|版次|第\s*\d+\s*版|刊於|刊于|\d期", text, re.I):
        return "print"
    if SAVED.search(seg):
        return "print"  # the day a copy was made (exported, clipped, printed, retrieved): not the article's
    if UPDATED.search(seg):
        return "updated"
    if OTHER_THING.search(seg):
        return "other"
    if PUBLISHED.search(seg) and LABEL_END.search(seg) or re.search(r"^\s*(?:发布|發佈|發布|发表|發表)\s*$", text[stamp.end:]):
        return "published"
    return ""  # (a headline that says 發布 before its own date in a list labels nothing: 发布 is a
    #            headline's verb as often as a label; "updated" is nearly always a label)


SAVED = re.compile(r"(?:导出|導出|导出于|導出於|剪藏|收藏于|收藏於|保存|打印|列印|访问|訪問|截取|抓取|Exported|Export(?:ed)? date|Saved|"
                   r"Clipped|Captured|Printed|Retrieved|Accessed|Downloaded|Archived)\s*(?:时间|時間|日期|于|於|on|at)?\s*[:：]?\s*$", re.I)
OTHER_THING = re.compile(r"(?:成立于|成立於|注册于|註冊於|注册|註冊|注册时间|註冊時間|加入于|加入於|入驻|入駐|Joined|Member since|Cake day)\s*[:：]?\s*$", re.I)
# (not "创建于 / Created": a document's creation date is its date as often as a group's is not)
# The label right before the date: "发布时间：", "Published", "Updated: ", "更新於", "Posted on"
LABEL_END = re.compile(r"(?:Published|published|Posted|posted|Updated|updated|Modified|modified|edited|发布|發佈|發布|发表|發表|"
                       r"出版|更新|修改)\s*(?:时间|時間|日期|於|于|on|at|in)?\s*[:：/／@]?\s*$")


def masthead(text: str) -> bool:
    """A page's "today" line: a date with its weekday and no time (2026年3月5日 星期四)."""
    stamps = _scan(text)
    return (len(stamps) == 1 and stamps[0][5] is None and bool(re.search(_WD_EN + r"|" + _WD_ZH, text, re.I))
            and len(text.strip()) <= 40)


# ---- bylines without a date ----------------------------------------------------------------

PLACES = ("台北|臺北|新北|桃園|桃园|新竹|台中|臺中|台南|臺南|高雄|北京|上海|天津|重庆|重慶|深圳|广州|廣州|杭州|南京|武汉|武漢|"
          "成都|西安|合肥|苏州|蘇州|香港|澳门|澳門|华盛顿|華盛頓|纽约|紐約|旧金山|舊金山|洛杉矶|洛杉磯|硅谷|矽谷|东京|東京|"
          "首尔|首爾|新加坡|伦敦|倫敦|巴黎|柏林|布鲁塞尔|布魯塞爾|日内瓦|日內瓦|莫斯科|联合国|聯合國")
_WIRE_LEAD = re.compile(
    rf"^[【〔\[（(]?\s*(?P<src>新华社|新華社|中新社|中新网|中新網|中央社|人民网|人民網|央视网|央視網|[\u4e00-\u9fff]{{2,6}}?(?:社|网|網|报|報))"
    rf"(?:(?:记者|記者)\s*(?P<a1>[\u4e00-\u9fff]{{2,3}}))?\s*(?:{PLACES}|[\u4e00-\u9fff]{{2,4}}?)\s*(?:\d{{1,2}}\s*月\s*)?\d{{1,2}}\s*日\s*[电電]"
    r"(?:\s*[（(]\s*(?:记者|記者)\s*(?P<a2>[^）)]{2,30})[）)])?")
_REPORTED = re.compile(
    rf"^[【〔\[（(]?\s*(?:(?P<src>[^\s／/〔【\[（(]{{2,10}}?)\s*[／/]\s*)?(?:(?:记者|記者)\s*)?"
    rf"(?P<a>[\u4e00-\u9fff]{{2,4}}(?:[、，,\s]+[\u4e00-\u9fff]{{2,4}})*)\s*[／/]\s*(?:{PLACES}|[\u4e00-\u9fff]{{2,6}})?"
    r"(?:即時|即时|綜合|综合|連線|连线)?(?:報導|报道|报导|報道)\s*[】〕\]）)]?")


def byline(text: str) -> tuple[str | None, str | None]:
    """(author, source) from a wire lead or a 'reported from' byline: 新华社北京3月5日电（记者张三）,
    中央社記者王五台北5日電, 〔記者王郁婷／台北報導〕, 經濟日報／記者陳怡君／台北即時報導."""
    t = text.strip()
    m = _WIRE_LEAD.match(t)
    if m:
        a = m["a2"] or m["a1"]
        return (re.sub(r"\s+", " ", a).strip(" 、，,") if a else None), m["src"]
    m = _REPORTED.match(t)
    if m:
        return m["a"].strip(), (m["src"].strip() if m["src"] else None)
    return None, None
