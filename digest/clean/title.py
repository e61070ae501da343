"""The title stage: which header line is the article's title, and what it says.

The title comes after the site's navigation, is shaped like a headline (no full stop, not a
date, not a kicker or a button, not an account name above its time stamp), and loses a site
suffix ("… - 新浪科技 - 新浪网"). A title with a truncated preview of the body gives the part
before the first space. Nothing is invented: no candidate means no title.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

from . import signals as sg

SITE_NAME = re.compile(r"(网|網|新闻|新聞|日报|日報|时报|時報|晚报|晚報|周刊|週刊|资讯|資訊|头条|頭條|号|號|客户端|客戶端|App|APP|"
                       r"News|Times|Post|Journal|Daily|Weekly|Review|Insider|Wire)$", re.IGNORECASE)
ORG_HEAD = re.compile(r"^(The\s+)?([A-Z][\w&.\x27-]*\s+){0,3}(Center|Centre|Institute|Council|Foundation|School|Program|"
                      r"Programme|Committee|Subcommittee|Department|Ministry|Office|Bureau|Agency)\s+(for|of|on)\s")
ORG_NAME = re.compile(r"^(The\s+)?[A-Z][\w&.\x27-]*(\s+(of|for|and|on|&|[A-Z][\w&.\x27-]*)){0,7}\s+"
                      r"(Studies|Institute|Center|Centre|Council|Foundation|Association|University|Review|"
                      r"Magazine|Journal)$")
ORG_NAME_ZH = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}(办公室|辦公室|委员会|委員會|人民政府|研究院|研究所|研究中心|有限公司|集团|集團|"
                         r"协会|協會|大学|大學|学院|學院|领导小组|領導小組)$")  # an issuer's name over its document
COURT = re.compile(r"^(IN THE\s+)?(UNITED STATES|U\.S\.)\s+(DISTRICT COURT|COURT OF APPEALS|BANKRUPTCY COURT|COURT OF "
                   r"INTERNATIONAL TRADE|COURT OF FEDERAL CLAIMS)|^FOR THE\s+([A-Z]+\s+)?DISTRICT OF\s", re.I)  # a caption's court
STATUS_MARK = re.compile(r"\b(DRAFT|DO NOT CITE|NOT FOR (CITATION|DISTRIBUTION|ATTRIBUTION)|CONFIDENTIAL|FOR OFFICIAL USE ONLY|"
                         r"INTERNAL USE ONLY|EMBARGOED)\b|草稿|草案稿|僅供內部|仅供内部|內部資料|内部资料|請勿引用|请勿引用|"
                         r"建議模式|建议模式|征求意见稿|徵求意見稿|机密|機密", re.I)  # a draft's or a classification's mark
NAV = {"chrome.breadcrumb", "chrome.channel-menu", "signal.menu", "chrome.newsletter"}
DOMAIN_NOTE = re.compile(r"\s+(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\s*·\s*\d+\s*(?:min|分钟|分鐘)\w*$")
SITE_PREFIX = re.compile(r"^[^:]{2,30}\s::\s(?P<title>\S.+)$")
DOT_SUFFIX = re.compile(r"^(?P<title>.+?)(?:\s·\s[^·]{1,40}){2,}$")
TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)(?:\s*(?:\s[-|–—]\s|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|｜)\s*[^-|_｜]{1,20})+$")


def stamp(text: str) -> bool:
    return sg.is_timestamp(text) or sg.is_source_time(text)


def headline_shaped(text: str) -> bool:
    """Short, and no full stop anywhere: a headline (it may end with ? ! or a closing quote).
    An English line in Title Case may hold full stops ("Prices Fell Again. Labs Notice.")."""
    t = text.strip()
    return sg.visible_len(t) <= 90 and not re.search(r"[。；;…]|\.(\s|$|[”」\"])", t) or title_case(t)


def title_case(text: str, least: int = 4) -> bool:
    """English in Title Case, 4 (`least`) to 25 words: most words of four letters or more capitalised."""
    if sg.HAN.search(text):
        return False
    words = text.split()
    long = [w.strip("“‘\"'(") for w in words if len(w.strip("“‘\"'(.,:;?!")) >= 4]
    return least <= len(words) <= 25 and len(long) >= min(3, least) and sum(1 for w in long if w[:1].isupper()) >= 0.8 * len(long)


def _title_like(text: str) -> bool:
    t = text.strip().lstrip("#").strip()
    han = len(sg.HAN.findall(t))
    words = len(t.split())
    if sg.is_timestamp(t) or t.endswith(("。", "；", ";", "：", ":", "，", ",")) or \
            re.search(r"[^A-Z]\.$", t) and not title_case(t):
        return False
    if han >= 6 or (han == 0 and 3 <= words <= 22):
        return sg.visible_len(t) <= 200  # longer than any headline: a tagline or a paragraph
    return False


def strip_suffix(text: str) -> str:
    """Without a site suffix ('… - 新浪科技 - 新浪网', '… | Reuters') or a link aggregator's
    domain note ('… (example.com)')."""
    text = re.sub(r"\s+\((?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\)$", "", text.strip())
    m = LINK_NOTE.search(text)  # "… A quick read of the paper arxiv.org/abs/2602.11873": the link it shares
    if m and m.start() >= 15:
        text = text[:m.start()]
    text = TRAILING_TAGS.sub("", text) or text  # "… 三分钟讲清楚 #人工智能 #AI芯片": a post's hashtags
    m = TRAILING_BUTTON.search(text)
    if m and sg.interface_share(m[1]) >= 0.5:
        text = text[:m.start()].rstrip()  # "… [复制链接]": a button printed after the title
    text = DOMAIN_NOTE.sub("", text)  # "… meridianreview.com · 9 min" (a read-later app's card)
    m = SITE_PREFIX.match(text)  # "Federal Register :: Export Administration Regulations: …"
    if m and sg.visible_len(m["title"]) >= 15:
        text = m["title"]
    m = DOT_SUFFIX.match(text)  # "Proposal: … · Issue #1482 · org/repo · GitHub"
    if m and sg.visible_len(m["title"]) >= 15:
        text = m["title"]
    text = ISSUE_NUMBER.sub("", text)  # "[Hardware] Add FP8 KV-cache path for Ascend NPU backend #4821"
    m = TITLE_SUFFIX.match(text)
    if m and sg.visible_len(m["title"]) >= 15 and all(map(_site_like, SUFFIX_SPLIT.split(text[m.end("title"):]))):
        return m["title"].strip()
    return text.strip()


ISSUE_NUMBER = re.compile(r"(?<=\S{12})\s+[#!]\d{1,7}$")  # an issue's or a merge request's number after its title
SUFFIX_SPLIT = re.compile(r"\s[-|–—]\s|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|｜")


def _site_like(seg: str) -> bool:
    """Could this end of a title be a site's or a section's name ("新浪科技", "Reuters", "The
    Verge")? Not a question, not a clause in lower case ("notes and caveats"), not a Chinese
    phrase with a space in it ("內地模型進駐 美國晶片受限下港企點揀？")."""
    t = seg.strip()
    if not t:
        return True
    if t.endswith(("?", "？", "!", "！")):
        return False
    if sg.HAN.search(t):
        return " " not in t and sg.han_count(t) <= 12
    return t[:1].isupper() or t[:1].isdigit() or not t[:1].isalpha()


LINK_NOTE = re.compile(r"\s+(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*$")
TRAILING_TAGS = re.compile(r"(?:\s+#[^\s#]{1,30})+$")
TRAILING_BUTTON = re.compile(r"\s*[\[【]([^\]】]{1,12})[\]】]$")
CUT_CLAUSE = re.compile(r"\s(the|a|an|of|to|and|with|by|from|that)$|[的和与與]$")
DRAFT_FIRST = re.compile(r"^[（(]?(草稿|草案稿|征求意见稿|徵求意見稿)")
BRACKETED = re.compile(r"[（(][^（）()]{4,}[）)]")


def _status_line(text: str) -> bool:
    """A copy's status line: a status mark in a line of capitals, at its start, or most of it."""
    if not STATUS_MARK.search(text):
        return False
    rest = STATUS_MARK.sub("", text).strip(" —–-|｜（）()·:：")
    return text.upper() == text and not sg.HAN.search(text) or bool(DRAFT_FIRST.match(text)) \
        or sg.visible_len(rest) < 0.6 * sg.visible_len(text)


SHI_DE = re.compile(r"是.{1,24}的$|[来來去到]的$")  # "…是怎么“拼”起来的": the 是…的 of a headline, no cut clause
BREADCRUMB = re.compile(r"\s[»›>/]\s.*\s[»›>/]\s")
LABELLED = re.compile(r"^\s*(?:Subject|Title|Re|主\s*题|主\s*題|标\s*题|標\s*題|題\s*名|题\s*名|主\s*旨)\s*(?:[:：]|\t)\s*(?P<t>\S.{2,200})$",
                      re.IGNORECASE)  # (a BBS letter-spaces its labels: "标  题: …")
REPLY_PREFIX = re.compile(r"^(?:(?:Re|RE|Fwd|FWD|Fw|FW|回复|回覆|答复|转发|轉寄|轉發)\s*[:：]\s*)+")
TAG_PREFIX = re.compile(r"^(?:[【\[][^】\]]{1,30}[】\]]\s*)+(?=\S)")
NUMERIC = re.compile(r"[\d.,%+\-−▲▼]+")
ACCOUNT_STATS = re.compile(r"\d[\d.,]*\s*[KkMm万萬]?\+?\s*(?:followers|following|subscribers|posts|karma|粉丝|粉絲|关注者|關注者|帖子|篇文章)\b"
                           r"|\bPage \d+ of \d+\b|第\s*\d+\s*/\s*\d+\s*页|共\s*\d+\s*页", re.IGNORECASE)
BUTTON_CELL = re.compile(r"[\[【][^\]】]{1,12}[\]】]")  # "[ 回复 ] [ 转寄 ] [ 收藏 ]": a row of buttons
PHOTO_CREDIT = re.compile(r"\((?:[^()]*/\s*(?:Getty|Reuters|AFP|AP|Bloomberg|Shutterstock|Xinhua|EPA|Pool)[^()]*|"
                          r"(?:Photo|Image|Picture|File photo)[:：][^()]*)\)$", re.IGNORECASE)  # a caption's credit
CONTENTS_ENTRY = re.compile(r"(?:[.．·…]\s*){4,}.{0,12}\d{1,4}\s*$")
ISSUE = re.compile(r"^\S.{0,60}?\s[—–|-]\s(?:Issue|No\.)\s*#?\d{1,4}\s*[:：]\s+(?=\S)")  # a newsletter's name and issue
WORDY = re.compile(r"[A-Za-z]{4,}|[\u4e00-\u9fff]{2,}")


def find_title(lines: list, first: int, given: str | None) -> tuple[int | None, str | None]:
    """The title line among the lines above the article's first paragraph (`first`), and its
    text without a site suffix. A line that names itself the title ("Subject: …", "Title:…",
    "主题：…") wins. Otherwise every headline-shaped line is a candidate, scored by features that
    do not depend on a site's wording (see _score): what stands under it (a byline or a date),
    how close it stands to the text, whether other pages of the site carry it, how much of it
    is interface words, whether it is name-sized. The best candidate wins; none means no title."""
    if given:
        return None, None
    lines = _Page(lines)  # (the same line objects, with a memo of their candidates: the scores ask again)
    for i in range(first):
        m = LABELLED.match(lines[i].text)
        if m and not lines[i].keep and WORDY.search(m["t"]):  # ("Re: Dkt. No. 47" is a docket reference)
            text = REPLY_PREFIX.sub("", m["t"].strip()) or m["t"].strip()  # "回复: 回复: …", "FW: …": the thread's subject
            text = TAG_PREFIX.sub("", text).strip() or text  # 【周刊·第112期】, [EXTERNAL]: a tag on the subject
            text = REPLY_PREFIX.sub("", text) or text
            issue = ISSUE.match(text)
            if issue and _title_like(text[issue.end():]):
                text = text[issue.end():]  # "The Export Control Weekly — Issue 88: The diffusion rule…": the issue's own title
            own = _headline_above(lines, i, first, text)
            return own if own is not None else (i, strip_suffix(text))
    found = [(score, -i, i, text) for i in range(first) if (text := _candidate(lines, i, first)) is not None
             and not _joined_above(lines, i, first) if (score := _score(lines, i, first, text)) > MIN_SCORE]
    # Below the first paragraph only a headline with its byline or date under it: a chat or a
    # forum page quotes the article after some talk ("pasting the whole piece: …").
    found = found or [(score, -i, i, text) for i in range(first, min(len(lines) // 2, first + 40))
              if (_below(lines, i, _byline) or _meta_after(lines, i, first)) and (text := _candidate(lines, i, len(lines))) is not None
              if (score := _score(lines, i, first, text)) > MIN_SCORE]
    if not found:
        return None, None
    _, _, i, text = max(found)
    if i + 1 < len(lines) and text != _candidate_text(lines[i].text):
        lines[i + 1].drop("title", "the title's second line")  # (a title broken over two lines)
    if first < len(lines):
        body0 = sg.norm(lines[first].text)
        if len(sg.norm(text)) >= 15 and body0.startswith(sg.norm(text)):
            # a title followed by a truncated preview: the title is the part before the space
            head = re.split(r"\s+", text, maxsplit=1)[0]
            lines[i].tag, lines[i].why = "signal.preview", "title with a truncated preview of the article"
            return None, head if head != text and _title_like(head) else None
    return i, strip_suffix(text)


def _load_weights() -> tuple[dict[str, float], float]:
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "title-weights.json").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["weights"].items()}, float(data["threshold"])


WEIGHTS, MIN_SCORE = _load_weights()
CREDIT = re.compile(r"^\s*(图片来源|圖片來源|图源|圖源|题图|題圖|头图|頭圖|封面图|封面圖|图片|圖片|摄影|攝影|Photo(graph)?|Image|Illustration|"
                    r"Credit|Picture|Cover image)\s*([:：@/|｜]|(by|for|via|credit)\b|来自|來自)", re.I)
FIELD_LINE = re.compile(r"^[^：:\s]{2,8}\s*[：:]\s*\S[^：:，。,?？!！「」“”]{0,9}$")
STATS = re.compile(r"\d[\d.,]*\s*\S{0,3}.*[·•|｜].*\d")
COLUMNS = re.compile(r"\t|\S {3,}\S|\S\u3000{2,}\S|\S  \S.*\S  \S")
DATED = re.compile(r"(?<!\d)(19|20)\d\d(?!\d).*\d{1,2}:\d{2}|(?<!\d)\d{1,2}:\d{2}(?!\d).*(?<!\d)(19|20)\d\d(?!\d)|"  # (a year
                   # beside a Chinese character has no word boundary: "发布于2025-09-26 22:13")
                   r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, (19|20)\d\d|"
                   r"(19|20)\d\d年\d{1,2}月\d{1,2}日")
ORG_END = re.compile(r"(网站|網站|文件|会期|會期|大学|大學|研究院|研究所|研究中心|委员会|委員會|协会|協會|学院|學院|公司|集团|集團|"
                     r"研究员|研究員|教授|主任|主办|主辦|Committee|Subcommittee|Program|Department|Dept\.?|Ministry|"
                     r"Limited|Ltd\.?|Inc\.?|Corporation|Corp\.?|Holdings|PLC|plc|LLC)\*?$")
# Lines another stage removed that may still be the title: the page header, items of a list the
# title stands in (a 相关 list around it), lines a sister page also carries, a wrapped copy's
# running header (a report's title is often its running header too).
ADMISSIBLE = {"signal.header", "section", "signal.repeats", "signal.list-item", "signal.page-furniture",
              "signal.link-list", "signal.footer"}
PROMO = re.compile(r"[→›»▶▸➜➤👉📌🔥⭐️✨🎁📢]|^\W")
BY = re.compile(r"^\s*((By|From|Posted by|Written by|Prepared by|Reporting by|Source)\s*[:|]?\s+[A-Z@]|"
                r"(作者|文|撰文|记者|記者|编辑|編輯|责编|責編|来源|來源|出品)\s*[:：/／|｜．・\s]\s*\S)", re.IGNORECASE)


def _candidate_text(text: str) -> str | None:
    text = sg.link_text(text).strip()
    if text.startswith("#"):
        text = text.lstrip("#").strip()
    m = re.fullmatch(r"【(.+)】|《([^《》]+)》", text)
    return (m[1] or m[2]) if m else text  # a flash-news headline in 【】 brackets, a book's title in 《》


class _Page(list):
    """A page's lines while find_title looks at them, with the candidates worked out so far."""

    def __init__(self, lines: list):
        super().__init__(lines)
        self.memo: dict = {}


def _candidate(lines: list, i: int, first: int) -> str | None:
    """The title line i would give, or None when it cannot be a title (remembered on a _Page:
    the scores ask about the lines around each candidate)."""
    memo = getattr(lines, "memo", None)
    if memo is None:
        return _candidate_uncached(lines, i, first)
    if (i, first) not in memo:
        memo[i, first] = _candidate_uncached(lines, i, first)
    return memo[i, first]


def _candidate_uncached(lines: list, i: int, first: int) -> str | None:
    ln = lines[i]
    if ln.keep or ln.removed and ln.tag not in ADMISSIBLE:
        return None
    text = _candidate_text(ln.text)
    if text.endswith((":", "：")) or _open_quote(text):  # "Closing the Distance:" / 「因應美中…之
        nxt = next((l for l in lines[i + 1:first] if l.text), None)
        if nxt is not None and not nxt.keep and (not nxt.removed or nxt.tag in ADMISSIBLE):
            rest = _candidate_text(nxt.text)
            joined = (text + " " + rest) if text.endswith(":") else text + rest
            if _title_like(joined):
                text = joined
    elif i + 1 < first and lines[i + 1].text and not lines[i + 1].keep and \
            (_printed_whole(lines, i, text) or _issuer_above(text, lines[i + 1].text)):
        text = _join(text, _candidate_text(lines[i + 1].text))  # a cover's title over two lines
    if sg.visible_len(text) > (110 if sg.han_count(text) >= 20 and not DOC_TITLE.search(text) else 200):
        return None  # a paragraph: a post's opening, not its headline (Chinese headlines stay under ~40 characters)
    if not (_title_like(text) or _entry_name(lines, first, text) or over_meta(lines, i) and text == ln.text.strip()
            or _short_han_title(lines, i, first, text)) \
            or sg.is_timestamp(text) or sg.is_menu(text) or _menu_shaped(text) or _meta_like(ln) or COLUMNS.search(text) \
            or ln.text.startswith(">") or DATED.search(text) and not _dated_headline(text, _dated_below(lines, i)):
        return None  # (a date, a byline, a menu, a table row in columns, a quotation, a line with its date)
    bare = CN_DATE.sub("", text, count=1) if DATED.search(text) else text  # (a dated headline's day is no count)
    if len("".join(NUMERIC.findall(bare))) * 3 > len(bare.replace(" ", "")):
        return None  # a ticker or a row of counts ("道指 43,120.55 -0.42%"), not a headline
    if len(sg.HAN.findall(text)) <= 8 and SITE_NAME.search(text) and " " not in text:
        return None  # a site or account name standing alone
    if ACCOUNT_STATS.search(text) or CONTENTS_ENTRY.search(text) or len(BUTTON_CELL.findall(text)) >= 3 or PHOTO_CREDIT.search(text):
        return None  # "Pro Trader · 14.8K followers", "11 posts • Page 1 of 1", "… ……… 本刊评论员 4": an account's
        #              counts, a pager, a contents entry with its page
    if BREADCRUMB.search(text):
        return None  # "Chiphell » 论坛 › 显卡 › …": the navigation down to the page, not its headline
    if sg.han_count(text) >= 25 and not sg.ends_sentence(text) and i + 1 < len(lines) and not lines[i + 1].gap \
            and sg.ends_sentence(lines[i + 1].text) and sg.han_count(lines[i + 1].text) >= 10 \
            and sg.visible_len(lines[i + 1].text) <= sg.visible_len(text) + 2:
        return None  # a wrapped paragraph's first line, its sentence ending on the next, no longer (a deck runs longer)
    if CUT_CLAUSE.search(text) and not SHI_DE.search(text):
        return None  # a paragraph's first line, cut by a link or a line break: "… introduced the"
    if not sg.HAN.search(text) and len(text.split()) > 16 and len(text) > 100 and re.search(r"[a-z]{2,}[.!?] [A-Z]", text) \
            and not title_case(text):
        return None  # sentences of a paragraph, not a headline
    if sg.HAN.search(text) and re.search(r"。.", text):
        return None  # two sentences: a caption ("美國國會山莊。資料圖片") or a paragraph, not a Chinese headline
    if QUOTED.match(text) and i + 1 < len(lines) and EPIGRAPH_BY.match(lines[i + 1].text) \
            or EPIGRAPH_BY.match(text) and i > 0 and QUOTED.match(lines[i - 1].text):
        return None  # an epigraph ("Whoever controls the chips …" — A Commerce Department official) and its source
    if CREDIT.match(text):
        return None  # "图片来源@视觉中国", "Photo: Getty Images": a picture's credit
    if FIELD_LINE.match(text) or " = " in text:
        return None  # "课题组负责人：周文涛", "報告機關：數位發展部": a field; "V2EX = way to explore": a slogan
    if _status_line(text):
        return None  # "WORKING PAPER — DRAFT FOR COMMENT — DO NOT CITE", "（草稿）— 建議模式已開啟…": the copy's status
    if BRACKETED.fullmatch(text):
        return None  # "（編輯註：預計刊於3月號…）": a note in brackets, an aside
    if ORG_NAME_ZH.match(text) or COURT.match(text):
        return None  # "…领导小组办公室" over its minutes, "IN THE UNITED STATES DISTRICT COURT" over the order
    if ORG_NAME.match(text) or BY.match(text):
        return None  # "Center for Strategic and International Studies", "MIT Technology Review", a byline
    return text


SHORT_HAN = re.compile(r"^[\u4e00-\u9fff]{3,5}$")


def _short_han_title(lines: list, i: int, first: int, text: str) -> bool:
    """A short Chinese title (three to five characters: 算力的围城, 民事判决书) is a candidate when a
    longer line that is no sentence stands right under it (its subtitle) or the page's byline or
    date does; a lone short word elsewhere is a menu's or a section's."""
    if not SHORT_HAN.match(text) or i + 1 >= first:
        return False
    nxt = next((l for l in lines[i + 1:min(first, i + 3)] if l.text), None)
    return nxt is not None and not nxt.gap and (_meta_like(nxt) or _title_like(nxt.text) and not sg.ends_sentence(nxt.text))


EPIGRAPH_BY = re.compile(r"^\s*(?:—|―|–|--)\s*\S")
QUOTED = re.compile(r"^\s*[\"“「『].+[\"”」』]\s*$")
DOC_TITLE = re.compile(r"关于.{4,}(公告|通知|决定|決定|意见|意見|办法|辦法|报告|報告|批复|批覆|通报|通報|函|纪要|紀要)$")  # an official
# document's title may run to 60 characters and more


CN_DATE = re.compile(r"(19|20)\d\d年\d{1,2}月\d{1,2}日")


def _dated_below(lines: list, i: int) -> bool:
    """The next line with text is the page's date or its fields ("发布时间：… 来源：…")."""
    nxt = next((l for l in lines[i + 1:i + 3] if l.text), None)
    return nxt is not None and _meta_like(nxt)


def _dated_headline(text: str, over_date: bool = False) -> bool:
    """A headline that opens with the day it reports ("2026年3月12日外交部发言人毛宁主持例行记者会"): a
    Chinese date and, besides it, a headline's worth of words and no clock time or field; over the
    page's date line a programme's or a series' shorter name will do ("2026年3月18日新闻联播文字稿")."""
    m = CN_DATE.search(text)
    if m is None or DATED.search(CN_DATE.sub("", text, count=1)):
        return False
    rest = (text[:m.start()] + text[m.end():]).strip()
    return not text.startswith(("—", "-", "（", "(")) and sg.han_count(rest) >= (5 if over_date else 10) \
        and not re.search(r"[:：|｜]|\d{1,2}:\d\d|星期|週|周[一二三四五六日天]|农历|農曆", rest)


def over_meta(lines: list, i: int) -> bool:
    """A headline written as a sentence or two ("The diffusion rule is dead. Long live the diffusion
    rule.", "Huawei wants to be China's Nvidia. Can it?") standing over the page's date or byline:
    short, two sentences at most, under the navigation or a section label (not under a headline:
    then it is the deck), and within the next few lines (a deck may stand between) a date or
    byline before any long paragraph."""
    text = lines[i].text.strip()
    if not 20 <= sg.visible_len(text) <= 100 or text.endswith(("。", "：", ":", "，", ",")) \
            or len(re.findall(r"[.!?。！？](\s|$)", text)) > 2:
        return False
    above = next((l for l in reversed(lines[:i]) if l.text), None)
    if above is not None and not above.removed and _title_like(above.text) and not _is_kicker(above.text):
        return False  # the deck under a headline
    below = next((l for l in lines[i + 1:] if l.text), None)
    if below is not None and not _meta_like(below) and not _byline(below) and headline_shaped(below.text) \
            and _title_like(below.text):
        return False  # a note over the headline ("Crossposted from …. May contain …")
    for ln in lines[i + 1:i + 5]:
        if ln.tag == "signal.timestamp" or ln.rule is not None and ln.rule.action == "meta" or _byline(ln):
            return True
        if ln.text and not ln.removed and sg.visible_len(ln.text) > 100:
            return False
    return False


def _entry_name(lines: list, first: int, text: str) -> bool:
    """A short name that the article's first paragraph opens with ("天衡X200是…", "Mingjing-R1-14B
    is a dense reasoning model…"): an encyclopedia entry's, a model card's or a product page's
    title, too short to be shaped like a headline."""
    body = lines[first].text.strip() if first < len(lines) else ""
    name = text.strip()
    if not 2 <= sg.visible_len(name) <= 40 or sg.ends_sentence(name) or not body.startswith(name):
        return False
    rest = body[len(name):len(name) + 12]
    return bool(re.match(r"\s*([（(][^)）]{0,60}[)）])?\s*(是|為|为|係|is\b|was\b|are\b|,|，)", rest))


ISSUER = re.compile(r"(公司|集团|集團|委员会|委員會|部|局|院|厅|廳|办公室|辦公室|政府|银行|銀行|协会|協會)$")
ABOUT = re.compile(r"^(关于|關於).{4,80}(公告|通知|决定|決定|意见|意見|办法|辦法|报告|報告|批复|批覆|通报|通報|函|提示)$")


def _issuer_above(text: str, nxt: str) -> bool:
    """A Chinese official document's title set as its issuer over "关于…的公告" (寒芯科技股份有限公司 /
    关于…的公告; 国务院办公厅 / 关于…的通知): one title."""
    return len(text) <= 24 and bool(ISSUER.search(text)) and bool(ABOUT.match(nxt.strip()))


def _join(a: str, b: str) -> str:
    return a + b if sg.HAN.search(a[-1:]) and sg.HAN.search(b[:1]) else a + " " + b


def _printed_whole(lines: list, i: int, text: str) -> bool:
    """Is line i the first half of a title broken over two lines (a report's cover: "MEASURING
    NATIONAL AI" / "COMPUTE CAPACITY"), which the page prints whole elsewhere (its running
    header, its abstract page, a breadcrumb)? Both halves are short and neither ends a sentence."""
    nxt = _candidate_text(lines[i + 1].text)
    if sg.ends_sentence(text) or sg.ends_sentence(nxt) or not 2 <= sg.visible_len(nxt) <= 60 \
            or sg.visible_len(text) < 16:  # ("Published in" / "Compute & Country" is a label and a name)
        return False
    whole = sg.norm(_join(text, nxt)).replace(" ", "")
    if len(whole) < 12:
        return False
    return any(whole in sg.norm(l.text).replace(" ", "") for k, l in enumerate(lines) if k not in (i, i + 1) and l.text)


def _menu_shaped(text: str) -> bool:
    """Five or more short words or names side by side, without a clause mark: a menu."""
    cells = [c.strip() for c in re.split(r"\s[|｜]\s", text)]
    if len(cells) >= 3 and all(0 < len(c) <= (8 if sg.HAN.search(c) else 20) and not re.search(r"[，。,;；:：!?！？]", c) for c in cells):
        return True  # "列印 | 回上頁 | 相關標案查詢", "Home | News | Contact": three short cells or more between bars
    tokens = [t for t in text.split() if t not in ("|", "｜", "·", "/", "•", "-")]
    return len(tokens) >= 5 and not re.search(r"[，。,;；:：!?！？]", text) and \
        sum(1 for t in tokens if (len(t) <= 4 if sg.HAN.search(t) else len(t) <= 12)) >= 0.8 * len(tokens) and \
        sum(1 for t in tokens if sg.HAN.search(t)) >= len(tokens) / 2


def _headline_above(lines: list, i: int, first: int, topic: str) -> tuple[int, str] | None:
    """A labelled line ("主题：介绍…有关情况") among a document's fields, under the page's own
    headline on the same matter ("国新办举行“…”新闻发布会"): that headline is the title. The same
    matter: a quoted name, or ten characters or more, shared by both."""
    quoted = re.findall(r"[“「\"]([^”」\"]{4,})[”」\"]", topic)
    best = None
    for k in range(i):
        text = _candidate(lines, k, first)
        if text is None or LABELLED.match(lines[k].text) or (score := _score(lines, k, first, text)) <= MIN_SCORE:
            continue
        same = any(q in text for q in quoted) or _common_run(sg.norm(text), sg.norm(topic)) >= 10
        if same and sg.norm(topic) not in sg.norm(text) and (best is None or score > best[0]):
            best = (score, k, text)
    return (best[1], strip_suffix(best[2])) if best else None


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of characters a and b share."""
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def _joined_above(lines: list, i: int, first: int) -> bool:
    """Is line i the second half of a title broken over two lines (the line above ends with a
    colon or leaves a quote open)?"""
    k = i - 1
    while k >= 0 and not lines[k].text:
        k -= 1
    if k < 0:
        return False
    above = _candidate_text(lines[k].text)
    joined = _candidate(lines, k, first)
    return joined is not None and joined != above and joined.endswith(_candidate_text(lines[i].text)) \
        and joined.startswith(above)


def _open_quote(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in ("「」", "“”", "《》", "（）", "()"))


def _meta_like(ln) -> bool:
    t = ln.text
    return bool(stamp(t) or BY.match(t) or ln.rule is not None and ln.rule.action == "meta"
                or ln.tag == "signal.timestamp")


def _byline(ln) -> bool:
    """A byline: By …, 作者：…, or a line a byline rule took."""
    return bool(BY.match(ln.text)) or ln.rule is not None and ln.rule.id.startswith("byline.")


def _meta_after(lines: list, i: int, first: int) -> bool:
    """A question's or a thread's title after the page's banner sentence: its date or "asked …"
    line within two lines under it, no more than two paragraphs above it (below the text, a
    headline over its date is another article's), and it is no comment ("数码小王子：写得挺客观的…",
    "Scoop: …")."""
    t = lines[i].text
    if re.match(r"^[^\s:：]{1,12}[:：]", t) or t.rstrip().endswith((":", "：")):
        return False  # (a comment, or a list's heading: "More Brevio:")
    return sum(1 for l in lines[first:i] if not l.removed and sg.is_prose(l.text)) <= 2 and _below(lines, i, _meta_like)


def _below(lines: list, i: int, test) -> bool:
    """Does one of the two lines under line i pass test (a deck may stand between)?"""
    return any(test(l) for l in lines[i + 1:i + 3])


NAME_WORD = re.compile(r"^(Dr\.?|Prof\.?|Mr\.?|Ms\.?|[A-Z][^\W\d_A-Z]+(?:-[^\W\d_][^\W\d_A-Z]+)?|[A-Z]\.|and|&|,)$")


def _names(text: str) -> bool:
    """People's names: capitalised words joined by 'and' or commas, no other word."""
    words = text.replace(",", " , ").split()
    caps = [w for w in words if w not in ("and", "&", ",")]
    return 2 <= len(caps) <= 9 and all(NAME_WORD.match(w) for w in words) and \
        (len(caps) <= 3 or "and" in words or "," in words)


def _score(lines: list, i: int, first: int, text: str) -> float:
    """How much line i looks like this article's title: its features (_features) weighed by
    the weights learned from the labelled pages (digest/data/title-weights.json, written by
    tools/train_title.py). Above MIN_SCORE it may be the title."""
    w = WEIGHTS
    return sum(w.get(k, 0.0) * v for k, v in _features(lines, i, first, text).items())


def _features(lines: list, i: int, first: int, text: str) -> dict[str, float]:
    """What can be said of line i as the title, in general terms (no site's wording): what
    stands under it, where it stands, its shape and how much of it is interface words."""
    ln = lines[i]
    han = len(sg.HAN.findall(text))
    words = len(text.split())
    below = [l for l in lines[i + 1:i + 6] if l.text][:4]
    f: dict[str, float] = {}
    f["meta_below"] = float(any(_meta_like(l) for l in below))  # a byline, a source or a date under it
    navs = [k for k in range(i) if lines[k].tag == "signal.menu" or lines[k].rule is not None and lines[k].rule.id in NAV]
    cands = [k for k in range((navs[-1] + 1) if navs else 0, first) if _candidate(lines, k, first) is not None]
    earlier = sum(1 for k in cands if k < i)
    f["first_after_nav"] = float(earlier == 0)  # the first headline-shaped line below the navigation
    f["second_after_nav"] = float(earlier == 1)  # (a kicker or the site's name may stand above)
    f["last_candidate"] = float(not any(k > i for k in cands))  # the headline nearest the text
    f["kept"] = float(not ln.removed)  # kept by every other stage: maybe the article's own first heading
    f["md_h1"] = float(ln.text.lstrip().startswith("# "))
    f["headline_length"] = float(han >= 10 or not han and words >= 5)
    name_sized = han <= 7 if han else words <= 2
    f["name_sized"] = float(name_sized)
    f["names"] = float(not han and _names(text))  # "Marcus Feld and Ji-woo Han": people
    f["deck_then_byline"] = float(_deck_under(lines, i, first, text) is not None)
    rep = bool(getattr(ln, "repeats", 0))
    f["repeats_short"] = float(rep and sg.visible_len(text) < 30)  # the site's own words
    f["repeats_long"] = float(rep and sg.visible_len(text) >= 30)  # a sister page's list
    f["interface"] = sg.interface_share(text)
    f["promo"] = float(bool(PROMO.search(text)))  # arrows, pins, fire
    f["caps"] = float(not han and words >= 3 and text.upper() == text)  # AN ORGANISATION IN CAPITALS
    f["site_suffix"] = float(bool(re.search(r"\s[|｜·•]\s", text) and not re.search(r"\s[|｜·•]\s", strip_suffix(text))))
    f["name_above_stamp"] = float(name_sized and any(stamp(l.text) for l in below[:2]))
    f["organisation"] = float(bool(ORG_END.search(text.split("\u3000")[0].split("  ")[0].strip()) or
                                   ORG_END.search(text) or ORG_HEAD.match(text)))
    f["stats"] = float(bool(STATS.search(text)))  # "8.2萬人追蹤 · 今日 126 篇新文章"
    tokens = text.split()
    f["short_tokens"] = float(len(tokens) >= 2 and all(sg.HAN.search(t) and len(t) <= 5 for t in tokens))
    f["kicker"] = float(_is_kicker(text))  # a section label or a button above the headline
    f["enumeration"] = float(len(re.findall(r"[、|｜/·•]", text)) >= 2)  # "搜索小组、话题、日记、成员": a menu in a line
    f["question"] = float(text.rstrip().endswith(("?", "？")))
    f["bracket_tag"] = float(bool(re.match(r"[【\[]", text)))  # 【长文】, [D]: a forum's tag on a post's title
    near = sum(1 for l in lines[i + 1:first] if l.text)
    f["distance"] = min(near, 10) / 10  # how many lines stand between it and the text
    f["longest"] = float(all(sg.visible_len(_candidate(lines, k, first) or "") <= sg.visible_len(text) for k in cands))
    nxt_c = next((k for k in range(i + 1, first) if lines[k].text), None)
    f["caps_continued"] = float(f["caps"] > 0 and nxt_c is not None and lines[nxt_c].text.upper() == lines[nxt_c].text
                                and _candidate(lines, nxt_c, first) is not None)  # a cover's title over two lines
    above = next((k for k in range(i - 1, -1, -1) if lines[k].text), None)
    f["under_candidate"] = float(above is not None and (t := _candidate(lines, above, first)) is not None
                                 and _deck_under(lines, above, first, t) == i)  # this is the deck under a headline
    f["meta_next"] = float(bool(below) and _meta_like(below[0]))  # the byline or the date right under it
    f["entry_name"] = float(_entry_name(lines, first, text))  # the name the first paragraph opens with
    inside = [t for k in cands if k != i and (t := _candidate(lines, k, first))]
    f["inside_other"] = float(any(len(text) >= 8 and text in t and text != t for t in inside))  # "View all X debates" holds X
    f["follow_near"] = float(any(FOLLOW.match(l.text.strip("\u200b ")) for l in lines[i + 1:i + 4] if l.text))  # an account box: name, bio, follow button
    up = next((l for l in reversed(lines[:i]) if l.text.strip("\u200b ")), None)
    f["under_name"] = float(up is not None and not up.keep and up.rule is None and _name_sized(up.text))  # an account's name above it
    f["echoed"] = float(_echoed(lines, i, text))  # printed again on the page (a breadcrumb, a running header)
    f["label_colon"] = float(bool(re.match(r"^[^\s:：]{1,12}(\s[^\s:：]{1,12})?\s*[:：]\s", text)))  # "To: …", "In this issue: …"
    for tag in ("signal.list-item", "signal.page-furniture"):  # (the other admissible tags never mark a candidate)
        f["tag:" + tag] = float(ln.removed and ln.tag == tag)
    return f


FOLLOW = re.compile(r"^[+＋]?\s*(?:关注|關注|加关注|加關注|Follow|Subscribe|订阅|訂閱)(?:\s|$|他|她|TA|作者)", re.IGNORECASE)


def _name_sized(text: str) -> bool:
    """A name's size: one to three words, or two to eight Chinese characters, and no clause mark."""
    t = text.strip("\u200b ")
    if re.search(r"[，。,.:：;；!！?？|｜·•]", t):
        return False
    han = sg.han_count(t)
    return 2 <= han <= 8 and len(t) <= 12 if han else 1 <= len(t.split()) <= 3 and len(t) <= 30


def _echoed(lines: list, i: int, text: str) -> bool:
    """Does another line of the page hold this candidate's text (ten characters or more)?"""
    key = sg.norm(text)
    if len(key) < 10:
        return False
    memo = getattr(lines, "memo", None)
    norms = memo.get("norms") if memo is not None else None
    if norms is None:
        norms = [sg.norm(l.text) for l in lines]
        if memo is not None:
            memo["norms"] = norms
    return any(key in n for k, n in enumerate(norms) if k != i and n)


def _deck_under(lines: list, i: int, first: int, text: str) -> int | None:
    """The line under headline i that is its deck (longer, not a sentence of the text, the byline
    or the date under it), or None."""
    nxt = next((l for l in lines[i + 1:i + 3] if l.text), None)
    if nxt is None or _section_label(text) or title_case(nxt.text) and not title_case(text, 2) or \
            _meta_like(nxt) or sg.is_prose(nxt.text) and sg.ends_sentence(nxt.text) or sg.visible_len(nxt.text) <= sg.visible_len(text):
        return None
    j = lines.index(nxt, i + 1)
    return j if _candidate(lines, j, first) and _below(lines, j, _meta_like) else None


def _section_label(text: str) -> bool:
    """Kicker-shaped and surely not a short English headline: Chinese, one or two words, or a
    section with its rubric ("China | Chips with everything")."""
    return _is_kicker(text) and (bool(sg.HAN.search(text)) or len(text.split()) <= 2 or bool(re.search(r"\s[|｜]\s", text)))


def _is_kicker(text: str) -> bool:
    """A section label such as 'Artificial intelligence (AI)', 'TECH' or 'China | Chips with
    everything' (a section and a rubric): a few words at most before any bar."""
    head = re.split(r"\s[|｜]\s", text, maxsplit=1)[0]
    if head != text and len(head.split()) <= 2 and len(sg.HAN.findall(head)) <= 4:
        return True
    return len(sg.HAN.findall(text)) <= 6 and len(text.split()) <= 4 and sg.visible_len(text) <= 32
