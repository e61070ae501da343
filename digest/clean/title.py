"""The title stage: which header line is the article's title, and what it says.

The title comes after the site's navigation, is shaped like a headline (no full stop, not a
date, not a kicker or a button, not an account name above its time stamp), and loses a site
suffix ("… - 新浪科技 - 新浪网"). A title with a truncated preview of the body gives the part
before the first space. Nothing is invented: no candidate means no title.
"""

from __future__ import annotations

import re

from . import signals as sg

SITE_NAME = re.compile(r"(网|網|新闻|新聞|日报|日報|时报|時報|晚报|晚報|周刊|週刊|资讯|資訊|头条|頭條|号|號|客户端|客戶端|App|APP|"
                       r"News|Times|Post|Journal|Daily|Weekly|Review|Insider|Wire)$", re.IGNORECASE)
ORG_NAME = re.compile(r"^(The\s+)?[A-Z][\w&.\x27-]*(\s+(of|for|and|on|&|[A-Z][\w&.\x27-]*)){0,7}\s+"
                      r"(Studies|Institute|Center|Centre|Council|Foundation|Association|University|Review|"
                      r"Magazine|Journal)$")
NAV = {"chrome.breadcrumb", "chrome.channel-menu", "signal.menu", "chrome.newsletter"}
TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)(?:\s*(?:\s[-|–—]\s|_|｜)\s*[^-|_｜]{1,20})+$")


def stamp(text: str) -> bool:
    return sg.is_timestamp(text) or sg.is_source_time(text)


def headline_shaped(text: str) -> bool:
    """Short, and no full stop anywhere: a headline (it may end with ? ! or a closing quote)."""
    t = text.strip()
    return sg.visible_len(t) <= 90 and not re.search(r"[。；;…]|\.(\s|$|[”」\"])", t)


def _title_like(text: str) -> bool:
    t = text.strip().lstrip("#").strip()
    han = len(sg.HAN.findall(t))
    words = len(t.split())
    if sg.is_timestamp(t) or t.endswith(("。", "；", ";", "：", ":", "，", ",")) or re.search(r"[^A-Z]\.$", t):
        return False
    if han >= 6 or (han == 0 and 3 <= words <= 22):
        return sg.visible_len(t) <= 200  # longer than any headline: a tagline or a paragraph
    return False


def strip_suffix(text: str) -> str:
    """Without a site suffix ('… - 新浪科技 - 新浪网', '… | Reuters') or a link aggregator's
    domain note ('… (example.com)')."""
    text = re.sub(r"\s+\((?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\)$", "", text.strip())
    m = TITLE_SUFFIX.match(text)
    if m and sg.visible_len(m["title"]) >= 15:
        return m["title"].strip()
    return text.strip()


LABELLED = re.compile(r"^\s*(?:Subject|Title|Re|主题|主題|标题|標題|題名|题名)\s*[:：]\s*(?P<t>\S.{2,200})$", re.IGNORECASE)
TAG_PREFIX = re.compile(r"^(?:[【\[][^】\]]{1,30}[】\]]\s*)+(?=\S)")
NUMERIC = re.compile(r"[\d.,%+\-−▲▼]+")


def find_title(lines: list, first: int, given: str | None) -> tuple[int | None, str | None]:
    """The title line among the header lines, and its text (without a site suffix). A line
    that names itself the title ("Subject: …", "Title:…", "主题：…") wins; then the first
    headline-shaped line below the site's navigation, preferring lines that other pages of
    the site do not also carry (those are the site's own words, or its lists)."""
    if given:
        return None, None
    for i in range(first):
        m = LABELLED.match(lines[i].text)
        if m and not lines[i].keep:
            text = TAG_PREFIX.sub("", m["t"]).strip() or m["t"].strip()  # 【周刊·第112期】 is an issue tag
            return i, strip_suffix(text)
    # The title comes after the site's navigation: start looking below the last nav line.
    navs = [i for i in range(first) if (lines[i].rule and lines[i].rule.id in NAV) or lines[i].tag == "signal.menu"]
    start = navs[-1] + 1 if navs else 0
    for own in (True, False):
        found = _scan_title(lines, start, first, own)
        if found == (None, None) and navs:
            found = _scan_title(lines, 0, first, own)
        if found != (None, None):
            return found
    return None, None


def _scan_title(lines: list, start: int, first: int, own: bool = False) -> tuple[int | None, str | None]:
    for i in range(start, first):
        ln = lines[i]
        if ln.removed and ln.tag != "signal.header" or own and getattr(ln, "repeats", 0) and sg.visible_len(ln.text) < 30:
            continue  # (a short line the site's other pages carry is its slogan or a promo; a long one
            #          may be this very headline, listed on a sister page)
        text = sg.link_text(ln.text)  # a linked logo is no title; a linked headline is its text
        if text.startswith("#"):
            text = text.lstrip("#").strip()
        m = re.fullmatch(r"【(.+)】", text)
        if m:
            text = m[1]  # a flash-news headline in 【】 brackets
        if not _title_like(text):
            continue
        if len("".join(NUMERIC.findall(text))) * 3 > len(text.replace(" ", "")):
            continue  # a ticker or a row of counts ("道指 43,120.55 -0.42%"), not a headline
        if len(sg.HAN.findall(text)) <= 8 and SITE_NAME.search(text) and " " not in text:
            continue  # a site or account name standing alone
        if ORG_NAME.match(text):
            continue  # "Center for Strategic and International Studies", "MIT Technology Review"
        han = len(sg.HAN.findall(text))
        name_sized = han <= 7 if han else len(text.split()) <= 3
        if name_sized and any(stamp(l.text) for l in lines[i + 1:i + 4]):
            continue  # an account or author name above its time stamp
        if first < len(lines):
            body0 = sg.norm(lines[first].text)
            if len(sg.norm(text)) >= 15 and body0.startswith(sg.norm(text)):
                # a title followed by a truncated preview: the title is the part before the space
                head = re.split(r"\s+", text, maxsplit=1)[0]
                if head != text and _title_like(head):
                    ln.tag, ln.why = "signal.preview", "title with a truncated preview of the article"
                    return None, head
                continue
        if _is_kicker(text):
            # a section label above the headline, or a button: a headline says more than four words
            return _scan_title(lines, i + 1, first, own)
        return i, strip_suffix(text)
    return None, None


def _is_kicker(text: str) -> bool:
    """A section label such as 'Artificial intelligence (AI)', 'TECH' or 'China | Chips with
    everything' (a section and a rubric): a few words at most before any bar."""
    head = re.split(r"\s[|｜]\s", text, maxsplit=1)[0]
    if head != text and len(head.split()) <= 2 and len(sg.HAN.findall(head)) <= 4:
        return True
    return len(sg.HAN.findall(text)) <= 6 and len(text.split()) <= 4 and sg.visible_len(text) <= 32
