"""Metadata from the text: title, date, source, author and language. Front matter wins.

Reads the cleaner's view of the page (which lines are header, list items, comments) and never
invents: where the text gives no title or date, the value is None and the build warns.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from . import dates as D
from .clean import signals as sg
from .model import Cleaned

AUTHOR_PREFIX = re.compile(
    r"^[【\[（(]?\s*(?:(?P<src>\S{2,12}?)(?:记者|記者)|文|作者|撰文|撰稿|记者|記者|文字|本报记者|本報記者|特约记者|特約記者|"
    r"通讯员|通訊員|編譯|编译|By|Written by|Words by|Author:)\s*[:：｜|丨/，,]?\s*(?P<rest>.+?)[】\]）)]?\s*$", re.I)
SOURCE_LINE = re.compile(r"^[【\[（(]?\s*(?:来源|來源|出处|出處|来自|來自|转自|轉自|转载自|轉載自|原文来源|本文来源|本文來源|"
                         r"文章来源|文章來源|稿源|Source)\s*[:：｜|丨]\s*(?P<s>[^】\]）)]{1,40})", re.I)
PLATFORM = re.compile(r"(?:自媒体平台|自媒體平臺|自媒体平臺)\s*[“\"「『](?P<s>[^”\"」』]{1,20})[”\"」』]")
WIRE = re.compile(r"\((?P<s>Reuters|AP|AFP|Bloomberg|Xinhua|新华社|中央社)\)|^\s*©\s*\d{4}\s+(?P<c>[A-Z][\w.&' ]{1,40}?)[.,]")


def find_dates(text: str, tz, china: bool | None = None) -> list[datetime]:
    """Every full date (with a year) in a line, as aware datetimes: the zone the text names,
    else `tz` (the grammar is digest/dates.py, shared with the cleaner)."""
    return D.find_dates(text, tz, china)


def _china(cleaned: Cleaned, tz) -> bool:
    """Does CST mean China here? Yes beside Chinese text, or on a site kept in China's zone."""
    return any(sg.HAN.search(t) for _, t in cleaned.kept[:8]) or str(getattr(tz, "key", "")) in D.CHINA_ZONES


def _meta_lines(cleaned: Cleaned) -> list[tuple[int, str, str]]:
    """(line, text, role) of the short lines that may carry a date, in file order: the cleaner's
    stamps, and removed lines that are neither list items nor comments."""
    seen = {n for n, _, _ in cleaned.stamps}
    extra = [(r.line, r.text, "") for r in cleaned.removed if r.line not in seen and len(r.text) <= 160
             and r.rule not in ("section", "signal.list-item", "signal.comments")]
    first = cleaned.first_line or 0  # (a byline read as a sentence above the text: "Posted by X on
    lead = [(n, t, "lead") for n, t in cleaned.kept if (n < first or n == first and _POSTED.match(t))
            and n not in seen and len(t) <= 200]  # March 5, 2026 @09:00PM from the … dept.")
    return sorted(list(cleaned.stamps) + extra + lead)


_POSTED = re.compile(r"^(?:Posted|Published|Submitted|文章来源|文章來源|发布时间|發布時間|發佈時間)\b", re.I)
FORWARDED = re.compile(r"^\s*(?:(?:Subject|主题|主題|主旨)\s*[:：]\s*(?:FW|Fwd|转发|轉發|轉寄)\s*[:：]|-+\s*Forwarded message|"
                       r"Begin forwarded message|-+\s*(?:转发的邮件|轉寄的郵件))", re.I)  # a forwarded e-mail's marks
MAIL_DATE = re.compile(r"^\s*(?:Date|Sent|发送时间|發送時間|寄件日期|发件时间)\s*[:：]", re.I)  # an e-mail header's date
RELATED_DATE = re.compile(r"推荐|推薦|相关|相關|related|recommended|引用日期|retrieved|accessed", re.I)


def find_times(cleaned: Cleaned, tz) -> tuple[datetime | None, datetime | None]:
    """(date, updated): the article's own date, and the date it was last updated if the page
    shows one. The article's date wins over a masthead's "today" date (a date with its weekday
    at the very top), a print edition's date, an "updated" date, and the dates of comments and
    related items; those stand in only when the page has no other. Relative times give none."""
    first = cleaned.first_line or 10**9
    top = min(cleaned.title_line or first, first)
    china = _china(cleaned, tz)
    ranked, updated = [], []
    meta_lines = _meta_lines(cleaned)
    running = {r.line for r in cleaned.removed if r.rule == "signal.page-furniture"}
    twice = Counter(r.text for r in cleaned.removed if len(r.text) <= 200)  # a line printed on each page of a
    running |= {r.line for r in cleaned.removed if twice[r.text] >= 2  # printed copy: the day it was printed
                and (running or not sg.is_timestamp(r.text))}  # (a bare date twice on a web page: its own and a list's)
    head = cleaned.title_line or 0
    for n, text, role in meta_lines:
        own = role == "item" and head < n < first and n - head <= 6  # (the deck, author and date under the
        if role in ("item", "comment") and not own or RELATED_DATE.search(text):  # title, read as a list item)
            continue
        for s in D.find(text, tz, china):
            k = D.kind(text, s)
            if role == "lead" and not (s.has_time or k == "published" or _POSTED.match(text)):
                continue  # (a sentence above the text gives its date only with a clock time or a label)
            if role == "lead" and _POSTED.match(text):
                rank = 0.5  # "Posted by BeauHD on Thursday March 05, 2026 @09:00PM from the … dept."
            elif k == "updated":
                updated.append(s.when)
                rank = 1.5 if n < first else 3  # Reuters prints only "Updated 5 March 2026" above the text
            elif k == "other":
                continue  # an account's or a group's date: "创建于 2023-04-12", "Created Jan 12, 2019"
            elif k == "print" or n in running:
                rank = 4  # (a printed page's running header carries the day it was printed)
            elif n < top and D.masthead(text):
                rank = 5  # the page's "today", not the article's date
            elif k == "published":
                rank = 0
            elif n < first:
                rank = 1
            elif sg.is_timestamp(text) or MAIL_DATE.match(text):
                rank = 2  # a lone date line below the first paragraph (or a forwarded message's header)
            else:
                continue  # a date inside a sentence is not the article's
            ranked.append((rank, n, s.when))
    if not ranked:
        return None, None
    heads = [n for n, text, _ in meta_lines if MAIL_DATE.match(text)]  # (in file order)
    if len(heads) >= 2 and any(FORWARDED.match(t) for _, t, _ in meta_lines):  # a forwarded message: the outer headers' dates are when it
        #  was passed on (a reply chain's first message is the one the curator kept: its date stays)
        ranked = [(r + 1.5 if n in heads[:-1] else r, n, w) for r, n, w in ranked]
    date = min(ranked, key=lambda r: (r[0], r[1]))[2]
    later = [u for u in updated if u > date]
    return date, (later[0] if later else None)


def find_date(cleaned: Cleaned, tz) -> datetime | None:
    """The article's own date (see find_times)."""
    return find_times(cleaned, tz)[0]


def datelines(cleaned: Cleaned, tz) -> list[D.Dateline]:
    """The page's datelines above the article or removed as dates, read whole."""
    first = cleaned.first_line or 10**9
    tz = tz or timezone.utc
    out = []
    for n, text, role in _meta_lines(cleaned):
        if role in ("item", "comment", "lead") or RELATED_DATE.search(text):
            continue
        if n < first or sg.is_timestamp(text):
            d = D.dateline(text, tz, china=True)
            if d.source or d.author:
                out.append(d)
    return out


WECHAT = re.compile(r"^(?:原创|原創)\s+(?P<a>\S{2,20})\s+(?P<s>\S{2,24})\s+(?:19|20)\d{2}年")
TRAILING_SOURCE = re.compile(r"^(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s+"
                             r"(?P<s>(?=\S*[\u4e00-\u9fff])[^\s\d|｜/／:：]{2,12})$")


BRACKET_BYLINE = re.compile(r"^[【〔\[（(]\s*(?:文\s*[/／｜|]\s*(?P<src>[^\s】〕\]）)]+)\s+(?P<a>[^】〕\]）)\s]{2,12})"
                            r"|(?:記者|记者)\s*(?P<a2>[^／/】〕\]）)\s]{2,4}))")
EN_NAME = re.compile(r"^(?:By\s+)?[A-Z][a-z\x27’-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-z\x27’-]+){1,2}$")
HOLDER_TAIL = re.compile(r"[\s,]+(?:LLC|Inc\.?|Ltd\.?|Limited|Company|Co\.|Corporation|PLC|GmbH)\b.*$")


def _near_stamp(cleaned: Cleaned, n: int) -> bool:
    return any(sg.is_timestamp(t) for m, t, _ in cleaned.stamps if 0 < m - n <= 3 or 0 < n - m <= 2)


def _bylines(cleaned: Cleaned, prefix: str) -> list[str]:
    return [r.text for r in cleaned.removed if r.rule.startswith(prefix)]


def find_author(cleaned: Cleaned, tz=None) -> str | None:
    """From a byline the cleaner removed, a dateline (作者：…, By …), a wire or 'reported from'
    byline opening the text; else an English name standing beside the date."""
    for text in _bylines(cleaned, "byline.author"):
        a, _ = D.byline(text)
        if a:
            return a
        m = AUTHOR_PREFIX.match(text)
        if m:
            rest = re.split(r"\s{2,}|\u3000|[／/|｜]|(?<!\d)(?:19|20)\d{2}\s*[-/.年]", m["rest"])[0]
            rest = D.clean_name(rest.strip(" ,，;；|〕】)）"))
            if rest:
                return rest
    for d in datelines(cleaned, tz):  # "发布时间：… 来源：X 作者：Y", "By Jane Doe, Reuters | March 3 …"
        if d.author:
            return d.author
    first = cleaned.first_line or 10**9
    for n, text, role in cleaned.stamps:
        m = WECHAT.match(text)
        if m and n < first:
            return m["a"]
    for _, text in cleaned.kept[:3]:  # 【文/观察者网 沈怡然】… or 〔記者王郁婷／台北報導〕… opening a paragraph
        m = BRACKET_BYLINE.match(text)
        if m:
            return m["a"] or m["a2"]
        a, _ = D.byline(text)  # 新华社北京3月5日电（记者张三）…
        if a:
            return a
    for n, text, role in cleaned.stamps:
        if n < first and not role and EN_NAME.match(text) and _near_stamp(cleaned, n):
            return re.sub(r"^By\s+", "", text)
    return None


def find_source(cleaned: Cleaned, title_line: int | None, tz=None) -> str | None:
    """Publisher or platform: a 来源/Source line, a 'X记者' byline, a wire dateline, a platform
    notice, a copyright holder, or a site name standing alone above the article."""
    for text in _bylines(cleaned, "byline.source"):
        m = SOURCE_LINE.match(text)
        if m:
            return m["s"].strip()
    for d in datelines(cleaned, tz):  # "2026年06月05日 10:12  来源：东方科技报", "By X, Reuters | …"
        if d.source:
            return d.source
    first = cleaned.first_line or 10**9
    for n, text, role in cleaned.stamps:
        m = WECHAT.match(text) or TRAILING_SOURCE.match(text)  # "2026年3月5日 09:12 新浪科技"
        if m and n < first and not role:
            return m["s"]
    for text in _bylines(cleaned, "byline.author"):
        _, s = D.byline(text)
        if s:
            return s
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
        _, s = D.byline(text)
        if s:
            return s
    lines = sorted([(r.line, r.text) for r in cleaned.removed] + list(cleaned.kept))
    for _, text in lines:
        m = WIRE.search(text)
        if m and m["s"]:
            return m["s"]
    for _, text in lines:
        m = PLATFORM.search(text)
        if m:
            return m["s"]
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


ORIGINAL_LABEL = re.compile(
    r"^\s*[【\[（(]?\s*(?:原文链接|原文鏈接|原文連結|原文地址|原文網址|原文网址|原文|本文链接|本文鏈接|本文連結|文章链接|文章連結|"
    r"阅读原文|閱讀原文|原始链接|原始連結|來源網址|来源网址|Original(?:\s+(?:article|story|link|URL|post))?|"
    r"Source\s+(?:URL|link)|Link(?:\s+to\s+(?:the\s+)?original)?|Read\s+(?:the\s+)?original(?:\s+article)?|Permalink|"
    r"Canonical(?:\s+URL)?)\s*[】\]）)]?\s*[:：]\s*[<(（]?(?P<u>https?://\S+)\s*$", re.I)
BARE_URL = re.compile(r"^\s*[<(（]?(?P<u>https?://\S+?)[>)）]?\s*$")
_NOT_PAGE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|mp4|mp3|pdf)(?:[?#]|$)", re.I)


def _url(u: str) -> str | None:
    """u as a page address (trailing punctuation of the sentence dropped), or None."""
    from urllib.parse import urlsplit

    u = u.rstrip(".,;:!?。，；：！？、）)】」』\"'”’>")
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or _NOT_PAGE.search(parts.path) \
            or re.search(r"[\s<>\"\x00-\x1f]", u):
        return None
    return u


def find_source_url(cleaned: Cleaned) -> str | None:
    """The original article's address where the page gives it: a labelled line anywhere in the
    text (原文链接：…, 本文連結：…, Original: …, Source URL: …), else a line holding nothing but a
    URL between the title and the first paragraph (the address a clipper or a reader pasted
    under the byline). Never made up: a URL inside a sentence, in a comment, a related list or
    an image is not the article's."""
    first = cleaned.first_line or 10**9
    lines = sorted([(r.line, r.text) for r in cleaned.removed
                    if r.rule not in ("section", "signal.list-item", "signal.comments")] + list(cleaned.kept))
    for _, text in lines:
        m = ORIGINAL_LABEL.match(text)
        if m and _url(m["u"]):
            return _url(m["u"])
    kept = [n for n, _ in cleaned.kept]
    top = (cleaned.title_line or 0)
    for n, text in lines:
        if n <= top:
            continue
        if n > first and (not kept or n > kept[0]):
            break
        m = BARE_URL.match(text)
        if m and _url(m["u"]) and (n < first or n == kept[0]):
            return _url(m["u"])
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


def _translation_pairs(text: str) -> str | None:
    """The original's lines when the text is a translation paste: each line followed by its
    translation in the other script (English and Chinese alternating for most of the text, three
    pairs at least), the original being the script that comes first in the pairs; else None."""
    han = han_count(text)
    if not han <= len(text.encode("ascii", "ignore")) <= 10 * han:
        return None  # (a paste of both is about as much Latin as Han: most articles are far from it, and stop here)
    lines = [t for t in text.split("\n") if t.strip() and sg.visible_len(t) >= 8]
    if len(lines) < 6:
        return None
    kinds = [sg.han_ratio(t) >= 0.2 for t in lines]
    if all(kinds) or not any(kinds):
        return None
    firsts, i = [], 0
    while i + 1 < len(lines):
        if kinds[i] != kinds[i + 1]:
            firsts.append(i)
            i += 2
        else:
            i += 1
    if len(firsts) < 3 or 2 * len(firsts) < 0.7 * len(lines):
        return None
    han_first = sum(kinds[i] for i in firsts)
    if 2 * han_first == len(firsts):
        return None
    lead = han_first * 2 > len(firsts)
    return "\n".join(lines[i] for i in firsts if kinds[i] == lead)


def detect_lang(text: str) -> str:
    """zh-Hans, zh-Hant or en, by the article's script: en when under a fifth of the letters are
    Han characters (as signals.han_ratio), else whichever script's own characters are more common."""
    han = han_count(text)
    if not han:
        return "en"  # counting letters cannot change that (the common case of an English article)
    if (lead := _translation_pairs(text)) is not None:
        return detect_lang(lead)  # a translation pasted beside its original, line by line: the original's language
    # Han letters a fifth of the characters or more are a fifth of the letters or more: no census
    if han * 5 < len(text) or _han_not_letters().search(text):
        letters = sum(n for c, n in Counter(text).items() if c.isalpha())
        if not letters or han / letters < 0.2:  # (U+4DC0..4DFF are symbols, not letters)
            return "en"
    simp, trad = _script_classes()
    return "zh-Hant" if len(trad.findall(text)) > len(simp.findall(text)) else "zh-Hans"
