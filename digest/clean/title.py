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
ORG_HEAD = re.compile(r"^(The\s+)?([A-Z][\w&.\x27-]*\s+){0,3}(Center|Centre|Institute|Council|Foundation|School|Program|"
                      r"Programme|Committee|Subcommittee|Department|Ministry|Office|Bureau|Agency)\s+(for|of|on)\s")
ORG_NAME = re.compile(r"^(The\s+)?[A-Z][\w&.\x27-]*(\s+(of|for|and|on|&|[A-Z][\w&.\x27-]*)){0,7}\s+"
                      r"(Studies|Institute|Center|Centre|Council|Foundation|Association|University|Review|"
                      r"Magazine|Journal)$")
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
    text = DOMAIN_NOTE.sub("", text)  # "… meridianreview.com · 9 min" (a read-later app's card)
    m = SITE_PREFIX.match(text)  # "Federal Register :: Export Administration Regulations: …"
    if m and sg.visible_len(m["title"]) >= 15:
        text = m["title"]
    m = DOT_SUFFIX.match(text)  # "Proposal: … · Issue #1482 · org/repo · GitHub"
    if m and sg.visible_len(m["title"]) >= 15:
        text = m["title"]
    m = TITLE_SUFFIX.match(text)
    if m and sg.visible_len(m["title"]) >= 15:
        return m["title"].strip()
    return text.strip()


LABELLED = re.compile(r"^\s*(?:Subject|Title|Re|主题|主題|标题|標題|題名|题名)\s*[:：]\s*(?P<t>\S.{2,200})$", re.IGNORECASE)
TAG_PREFIX = re.compile(r"^(?:[【\[][^】\]]{1,30}[】\]]\s*)+(?=\S)")
NUMERIC = re.compile(r"[\d.,%+\-−▲▼]+")


def find_title(lines: list, first: int, given: str | None) -> tuple[int | None, str | None]:
    """The title line among the lines above the article's first paragraph (`first`), and its
    text without a site suffix. A line that names itself the title ("Subject: …", "Title:…",
    "主题：…") wins. Otherwise every headline-shaped line is a candidate, scored by features that
    do not depend on a site's wording (see _score): what stands under it (a byline or a date),
    how close it stands to the text, whether other pages of the site carry it, how much of it
    is interface words, whether it is name-sized. The best candidate wins; none means no title."""
    if given:
        return None, None
    for i in range(first):
        m = LABELLED.match(lines[i].text)
        if m and not lines[i].keep:
            text = TAG_PREFIX.sub("", m["t"]).strip() or m["t"].strip()  # 【周刊·第112期】 is an issue tag
            return i, strip_suffix(text)
    lines = _Page(lines)  # (the same line objects, with a memo of their candidates: the scores ask again)
    found = [(score, -i, i, text) for i in range(first) if (text := _candidate(lines, i, first)) is not None
             and not _joined_above(lines, i, first) if (score := _score(lines, i, first, text)) > MIN_SCORE]
    # Below the first paragraph only a headline with its byline or date under it: a chat or a
    # forum page quotes the article after some talk ("pasting the whole piece: …").
    found = found or [(score, -i, i, text) for i in range(first, min(len(lines) // 2, first + 40))
              if _below(lines, i, _byline) and (text := _candidate(lines, i, len(lines))) is not None
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


MIN_SCORE = 0
FIELD_LINE = re.compile(r"^[^：:\s]{2,8}\s*[：:]\s*\S[^：:，。,?？!！「」“”]{0,9}$")
STATS = re.compile(r"\d[\d.,]*\s*\S{0,3}.*[·•|｜].*\d")
COLUMNS = re.compile(r"\t|\S {3,}\S|\S\u3000{2,}\S|\S  \S.*\S  \S")
DATED = re.compile(r"\b(19|20)\d\d\b.*\d{1,2}:\d{2}|\b\d{1,2}:\d{2}\b.*\b(19|20)\d\d\b|"
                   r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, (19|20)\d\d|"
                   r"(19|20)\d\d年\d{1,2}月\d{1,2}日")
ORG_END = re.compile(r"(网站|網站|文件|会期|會期|大学|大學|研究院|研究所|研究中心|委员会|委員會|协会|協會|学院|學院|公司|集团|集團|"
                     r"研究员|研究員|教授|主任|Committee|Subcommittee|Program|Department|Dept\.?|Ministry)$")
# Lines another stage removed that may still be the title: the page header, items of a list the
# title stands in (a 相关 list around it), lines a sister page also carries, a wrapped copy's
# running header (a report's title is often its running header too).
ADMISSIBLE = {"signal.header", "section", "signal.repeats", "signal.list-item", "signal.page-furniture",
              "signal.link-list", "signal.footer"}
PROMO = re.compile(r"[→›»▶▸➜➤👉📌🔥⭐️✨🎁📢]|^\W")
BY = re.compile(r"^\s*((By|From|Posted by|Written by|Prepared by|Reporting by|Source)\s*[:|]?\s+[A-Z@]|"
                r"(作者|文|撰文|记者|記者|编辑|編輯|责编|責編|来源|來源|出品)\s*[:：/／|｜\s]\s*\S)", re.IGNORECASE)


def _candidate_text(text: str) -> str | None:
    text = sg.link_text(text).strip()
    if text.startswith("#"):
        text = text.lstrip("#").strip()
    m = re.fullmatch(r"【(.+)】", text)
    return m[1] if m else text  # a flash-news headline in 【】 brackets


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
    if sg.visible_len(text) > (110 if sg.han_count(text) >= 20 else 200):
        return None  # a paragraph: a post's opening, not its headline (Chinese headlines stay under ~40 characters)
    if not _title_like(text) or sg.is_timestamp(text) or sg.is_menu(text) or _menu_shaped(text) or _meta_like(ln) or COLUMNS.search(text) \
            or ln.text.startswith(">") or DATED.search(text):
        return None  # (a date, a byline, a menu, a table row in columns, a quotation, a line with its date)
    if len("".join(NUMERIC.findall(text))) * 3 > len(text.replace(" ", "")):
        return None  # a ticker or a row of counts ("道指 43,120.55 -0.42%"), not a headline
    if len(sg.HAN.findall(text)) <= 8 and SITE_NAME.search(text) and " " not in text:
        return None  # a site or account name standing alone
    if FIELD_LINE.match(text) or " = " in text:
        return None  # "课题组负责人：周文涛", "報告機關：數位發展部": a field; "V2EX = way to explore": a slogan
    if ORG_NAME.match(text) or BY.match(text):
        return None  # "Center for Strategic and International Studies", "MIT Technology Review", a byline
    return text


def _menu_shaped(text: str) -> bool:
    """Five or more short words or names side by side, without a clause mark: a menu."""
    tokens = [t for t in text.split() if t not in ("|", "｜", "·", "/", "•", "-")]
    return len(tokens) >= 5 and not re.search(r"[，。,;；:：!?！？]", text) and \
        sum(1 for t in tokens if (len(t) <= 4 if sg.HAN.search(t) else len(t) <= 12)) >= 0.8 * len(tokens) and \
        sum(1 for t in tokens if sg.HAN.search(t)) >= len(tokens) / 2


def _joined_above(lines: list, i: int, first: int) -> bool:
    """Is line i the second half of a title broken over two lines (the line above ends with a
    colon or leaves a quote open)?"""
    k = i - 1
    while k >= 0 and not lines[k].text:
        k -= 1
    if k < 0:
        return False
    above = _candidate_text(lines[k].text)
    return (above.endswith((":", "：")) or _open_quote(above)) and _candidate(lines, k, first) is not None \
        and _candidate(lines, k, first) != above


def _open_quote(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in ("「」", "“”", "《》", "（）", "()"))


def _meta_like(ln) -> bool:
    t = ln.text
    return bool(stamp(t) or BY.match(t) or ln.rule is not None and ln.rule.action == "meta"
                or ln.tag == "signal.timestamp")


def _byline(ln) -> bool:
    """A byline: By …, 作者：…, or a line a byline rule took."""
    return bool(BY.match(ln.text)) or ln.rule is not None and ln.rule.id.startswith("byline.")


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
    """How much line i looks like this article's title (0 is neutral)."""
    ln = lines[i]
    han = len(sg.HAN.findall(text))
    words = len(text.split())
    below = [l for l in lines[i + 1:i + 6] if l.text][:4]
    score = 0.0
    if any(_meta_like(l) for l in below):
        score += 3  # a byline, a source or a date under it
    navs = [k for k in range(i) if lines[k].tag == "signal.menu" or lines[k].rule is not None and lines[k].rule.id in NAV]
    earlier = sum(1 for k in range((navs[-1] + 1) if navs else 0, i) if _candidate(lines, k, first) is not None)
    if earlier == 0:
        score += 1.5  # the first headline-shaped line below the site's navigation
    elif earlier == 1:
        score += 0.5  # (a kicker or the site's name may stand above)
    if not ln.removed:
        score -= 1  # kept by every other stage: maybe the article's own first heading
    if ln.text.lstrip().startswith("# "):
        score += 2  # a first-level Markdown heading
    if han >= 10 or not han and words >= 5:
        score += 1  # a headline's length
    name_sized = han <= 7 if han else words <= 2
    if name_sized:
        score -= 2
    if not han and _names(text):
        score -= 3  # "Marcus Feld and Ji-woo Han": people, not a headline
    nxt = next((l for l in lines[i + 1:i + 3] if l.text), None)
    kicker = _is_kicker(text) and (han > 0 or words <= 2 or bool(re.search(r"\s[|｜]\s", text)))
    if nxt is not None and not kicker and not (title_case(nxt.text) and not title_case(text, 2)) and \
            not _meta_like(nxt) and not sg.is_prose(nxt.text) and \
            sg.visible_len(nxt.text) > sg.visible_len(text) and _candidate(lines, (j := lines.index(nxt, i + 1)), first) \
            and _below(lines, j, _meta_like):
        score += 2  # a headline with its longer deck under it, then the byline
    if getattr(ln, "repeats", 0):
        score -= 3 if sg.visible_len(text) < 30 else 1  # the site's own words, or a sister page's list
    score -= 5 * sg.interface_share(text)
    if PROMO.search(text):
        score -= 2  # a promotion: arrows, pins, fire
    if not han and words >= 3 and text.upper() == text:
        score -= 1.5  # AN ORGANISATION IN CAPITALS on a cover
    if re.search(r"\s[|｜·•]\s", text) and not re.search(r"\s[|｜·•]\s", strip_suffix(text)):
        score += 0.5  # a document title with the site's name after it
    if name_sized and any(stamp(l.text) for l in below[:2]):
        score -= 2  # an account or author name above its time stamp
    if ORG_END.search(text.split("\u3000")[0].split("  ")[0].strip()) or ORG_END.search(text) or ORG_HEAD.match(text):
        score -= 2  # an organisation, or a person's position, on a cover or in an author box
    if STATS.search(text):
        score -= 2  # a row of statistics: "8.2萬人追蹤 · 今日 126 篇新文章"
    tokens = text.split()
    if len(tokens) >= 2 and all(sg.HAN.search(t) and len(t) <= 5 for t in tokens):
        score -= 2  # a row of names or labels ("原创 沈蔚 硅基观察室", "内部资料　注意保存")
    if _is_kicker(text):
        score -= 2  # a section label or a button above the headline
    return score


def _is_kicker(text: str) -> bool:
    """A section label such as 'Artificial intelligence (AI)', 'TECH' or 'China | Chips with
    everything' (a section and a rubric): a few words at most before any bar."""
    head = re.split(r"\s[|｜]\s", text, maxsplit=1)[0]
    if head != text and len(head.split()) <= 2 and len(sg.HAN.findall(head)) <= 4:
        return True
    return len(sg.HAN.findall(text)) <= 6 and len(text.split()) <= 4 and sg.visible_len(text) <= 32
