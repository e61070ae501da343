"""The cleaner: raw body lines → kept lines + removed lines, each removal with a reason.

Stages, in order (each a general signal, none knows any one site):
  0. unwrap     hard-wrapped text back into paragraphs; running headers and page numbers go
                (unwrap.py)
  1. rules      patterns kept as data (rules/*.toml) and the curator's own strip/keep patterns;
                tables by aligned cells first (structure.py)
  2. signals    lone timestamps, repeated headline/source/time groups, name-and-likes comments
  3. sections   a marker (相关推荐, Related, 评论列表 …) opens a block removed until prose resumes;
                a comment section ends where its records do; a thread no marker announces goes
                by the shape of its records (records.py, _threads); chapter lists (_chapters)
  4. regions    (_regions) the article is its dense run of prose (structure._main_run); around
                it, short lines without sentence shape are page header and footer, lines other
                pages of the same site carry are furniture (furniture.py), buttons go by
                interface words; inside it, the author's structure stays
  5. title      (_regions → title.find_title, _mark_title) the best-scored headline leaves the
                body as the page's title, and so does a line repeating the front matter title
A guard keeps the original text when cleaning would leave nothing, and guard rails name
removals that look like article text (structure._guard_rails).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Cleaned, Removal
from . import signals as sg
from .matcher import _matcher
from .rules import Rule, builtin_rules
from .furniture import shape
from .structure import (CLAUSE_MARK, _aligned_tables, _numbered_sections, _cells, _enum, _guard_rails, _has_subheadings, _heading_shaped, _main_run,
                        _page_mark, _restore_numbered, _restore_section_numbers, _running_text)
from .unwrap import MAIL_FIELDS, unwrap
from .records import line_class, threads
from .title import find_title, headline_shaped, over_meta, stamp as _stamp, strip_suffix

NAME_LIKES = re.compile(r"^(?P<name>\S.{0,30}?)\s+(?P<n>\d{1,6})$")
LINK_ONLY = re.compile(r"^\s*([*+-]\s+)?!?\[[^\]]*\]\([^)]*\)(\s*!?\[[^\]]*\]\([^)]*\))*\s*$")
MD_BLOCK = re.compile(r"^(#{2,6}\s|[-*+]\s|>|\||\d+[.)]\s|!\[[^\]]*\]\(\S+\)|<\w)")
GREETING = re.compile(r"^.{1,30}[,，]$")
SIGNOFF = re.compile(r"^(--|—|–|-)\s*(?!(END|完|全文完)\b)[^\s\-—–][^—–]{0,27}$", re.IGNORECASE)
LEAD_END = ("。", "！", "？", "!", "?", ".", "…", "”", "」", "』", "\"")
COMMENT_BITS = re.compile(r"^\s*(回复|回覆|Reply|Replies|赞|讚|Like|举报|舉報|Report|Award|Share|\d+\s*(replies|回复|条回复))\s*\d*\s*$",
                          re.IGNORECASE)
COMMENT_HEAD = re.compile(r"^\s*[\w./-]{2,30}\s+([•·|]\s*)?(\d+\s*(minutes?|hours?|days?|weeks?|months?|years?|h|m|d|w|mo|y|hr|min)\s+ago"
                          r"|\d+\s*(分钟|分鐘|小时|小時|天)前)\b.{0,60}$", re.IGNORECASE)
ITEM_TIME = re.compile(r"\s(\d{1,2}-\d{1,2}|\d{4}-\d{1,2}-\d{1,2})\s+\d{1,2}:\d{2}$|\s\d+\s*(分钟|小时|天)前$|"
                       r"\s\d+\s*(minutes?|hours?|days?)\s+ago$")
TOC_HEAD = re.compile(r"^\s*#*\s*(目录|目錄|文章目录|文章目錄|Contents|Table of contents|In this issue|本期导读|本期導讀|"
                      r"今日导读|今日導讀|本期目录|本期目錄)\s*$", re.IGNORECASE)
TOC_ENTRY = re.compile(r"^\s*([*+-]\s+)?(\(?Top\)?|hide|显示|隱藏|隐藏|(\d+(\.\d+)*\.?|[一二三四五六七八九十]+、)\s*(?P<name>\S.{0,40}))\s*$",
                       re.IGNORECASE)
LEADER_ENTRY = re.compile(r"^\s*(?P<entry>\S.*?)\s*(?:[.．·…]\s*){4,}\d{1,4}\s*$")
TABLE_ROW = re.compile(r"^\|.*\|$")
FENCE = re.compile(r"^\s*(```|~~~)")
SIGNED = re.compile(r"(?:^|\s)/s/\s*\S")  # an electronic signature ("/s/ Laura M. Whitfield")
_MONTHS = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
BARE_DATE = re.compile(r"^\s*((?:中華民國|中华民国|民國|民国)?\s*\d{2,4}年\d{1,2}月\d{1,2}日|"
                       r"(?:(?:Dated|Date|Signed)\s*:?\s+)?"  # ("Dated: November 30, 2026" under an order)
                       r"(?:[A-Z][a-z.'-]+(?: [A-Z][a-z.'-]+){0,2},\s+)?"  # (a signing place: "Hong Kong, 12 February 2026")
                       rf"(?:{_MONTHS} \d{{1,2}}, \d{{4}}|\d{{1,2}} {_MONTHS} \d{{4}})|"
                       r"[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
                       r"[一二三四五六七八九十]{1,3}日)\.?$")  # (a judgment signs in Chinese numerals: 二〇二六年一月九日)


@dataclass(slots=True)
class _Line:
    n: int  # line number in the file
    text: str  # stripped text
    rule: Rule | None = None  # removal rule, if removed
    why: str = ""  # removal reason (overrides rule.reason)
    tag: str = ""  # signal id for removals not made by a rule
    keep: bool = False  # protected by a keep pattern or a code block
    role: str = ""  # "comment" or "item" for lines inside comments or lists
    struct: bool = False  # Markdown block structure (heading, list, quote, table): not page chrome
    gap: bool = False  # a blank line comes before this one
    end: int = 0  # last raw line, when unwrapping joined several raw lines into this one
    repeats: int = 0  # other pages of the same site that carry this line (cross-article evidence)

    @property
    def removed(self) -> bool:
        return self.rule is not None or self.tag != ""  # (asked ~15 times a line: no bool() call)

    def drop(self, tag: str, why: str) -> None:
        if not self.keep and not self.removed:
            self.tag, self.why = tag, why


def _apply_rules(lines: list[_Line], rules: list[Rule], keeps: list[re.Pattern]) -> list[int]:
    """Mark rule removals; return the indexes of section markers."""
    markers, blocks, tocs = [], [], []
    in_fence = False
    first = _matcher(rules)
    for i, ln in enumerate(lines):
        if FENCE.match(ln.text):
            in_fence = not in_fence
            ln.keep = True
            continue
        if in_fence or keeps and any(k.search(ln.text) for k in keeps):
            ln.keep = True
            continue
        plain = sg.link_text(ln.text)  # rules read a Markdown link by its text
        rule = first(ln.text) or (first(plain) if plain and plain != ln.text else None)
        if rule is not None and ln.struct and "\t" in ln.text and rule.action == "drop" and rule.id.startswith("chrome."):
            rule = None  # a row of a table the author set ("Mistral系列\t法国\tApache 2.0 / 商业许可"): no page chrome
        if rule is None:
            if sg.is_menu(ln.text) and not ln.struct:
                ln.drop("signal.menu", "channel menu (short words separated by spaces)")
        elif rule.action == "keep":
            ln.keep = True
        else:
            if rule.action.startswith("section"):
                markers.append(i)
            ln.rule = rule
            if rule.action == "drop-next" and i + 1 < len(lines):
                lines[i + 1].drop(rule.id, f"{rule.reason} (marked on line {ln.n})")
            if rule.action == "drop-block":
                blocks.append(i)
            if rule.id == "chrome.toc-edit":
                tocs.append(i)
    for i in tocs:  # a table of contents: its numbered entries go with its heading
        ln = lines[i]
        if TOC_HEAD.match(ln.text):
            seen: set[str] = set()
            for nxt in lines[i + 1:i + 40]:
                text = sg.link_text(nxt.text) if not nxt.text.startswith("#") else ""
                if (dots := LEADER_ENTRY.match(text)) is not None:
                    text = dots["entry"]  # "一、摘要 ........ 2": an entry with its leader dots and page
                elif nxt.removed:
                    continue
                m = TOC_ENTRY.match(text)
                name = sg.norm(m["name"] or text) if m else sg.norm(text) if dots else ""
                if not (m or dots) or name in seen:
                    break  # the article's first heading repeats the first entry: the contents end
                seen.add(name)
                if not nxt.removed:
                    nxt.drop("signal.toc", f"entry of the table of contents on line {ln.n}")
    for i in blocks:  # a marked block: short lines, or one paragraph; it ends at a blank line,
        for k, nxt in enumerate(lines[i + 1:i + 6]):  # other page furniture, or after 5 lines
            if (k and nxt.gap) or nxt.removed or nxt.keep or sg.is_timestamp(nxt.text) or sg.visible_len(nxt.text) > 300:
                break
            nxt.drop(lines[i].rule.id, f"{lines[i].rule.reason} (marked on line {lines[i].n})")
            if sg.visible_len(nxt.text) >= 100:
                break  # a summary paragraph: the article starts after it
    return markers


def _list_groups(lines: list[_Line]) -> None:
    """Headline / source / time groups repeated down the page are a list of other articles."""
    groups: list[tuple[int, ...]] = []
    for i, ln in enumerate(lines):
        if i < 1 or ln.keep or len(ln.text) > 100:
            continue  # (no source-and-time line or timestamp runs past 100 characters)
        head = lines[i - 1]
        if sg.is_source_time(ln.text) and not _stamp(head.text) and sg.visible_len(head.text) < 160 \
                and not _sentence(head.text) and not (("。" in head.text or head.text.rstrip().endswith("."))
                                                      and not _DAY.search(ln.text)):
            # (a sentence over a name and a clock without a day, "张蔚 00:27:05", is a transcript's turn;
            # with a day, "[7]xiaoluo  2026-1-28 23:40", a comment's record: both not the article's list)
            groups.append((i - 1, i))  # headline, then "source time" on one line
        elif i >= 2 and sg.is_timestamp(ln.text):
            src, head = lines[i - 1], lines[i - 2]
            if (sg.is_short_label(src.text) and sg.visible_len(src.text) <= 30 and not sg.is_timestamp(src.text)
                    and not sg.is_timestamp(head.text) and sg.visible_len(head.text) < 160 and not _sentence(head.text)):
                groups.append((i - 2, i - 1, i))
    # Only groups that follow one another closely form a list.
    ends = [g[-1] for g in groups]
    for k, g in enumerate(groups):
        if not ((k > 0 and g[-1] - ends[k - 1] <= 5) or (k + 1 < len(groups) and ends[k + 1] - g[-1] <= 5)):
            continue
        members = list(g)
        before = g[0] - 1  # the same headline is often printed twice (link text and image alt)
        if before >= 0 and sg.norm(lines[before].text) == sg.norm(lines[g[0]].text):
            members.append(before)
        for j in members:
            lines[j].role = "item"
            lines[j].drop("signal.list-item", "related-article list item (headline, source, time)")


_DAY = re.compile(r"\d[-/.月]\d|(?:19|20)\d\d|[A-Z][a-z]{2} \d|前|ago|yesterday|昨天|今天", re.IGNORECASE)


def _sentence(text: str) -> bool:
    """A paragraph's sentence, not a headline: long, and ending in a full stop (a headline has none)."""
    t = text.rstrip()  # (a flash item opens with its headline in brackets: "【…】财联社7月9日电，…。")
    return t.endswith((".", "。")) and sg.visible_len(t) >= 60 and not t.endswith("..") and not t.startswith(("【", "["))


def _comment_start(lines: list[_Line]) -> int | None:
    """A name line followed by the same name with a like count opens a comment section; so does
    a run of 'user 3 hours ago' headers each followed, within a few lines, by a reply button."""
    heads = [i for i, l in enumerate(lines) if ("前" in l.text or "ago" in l.text.lower())  # (what a header's time says)
             and COMMENT_HEAD.match(l.text) and any(COMMENT_BITS.match(x.text) for x in lines[i + 1:i + 4])]
    if len(heads) >= 2:
        return heads[0]
    # name-and-likes lines, found once (a like count ends the line: most lines fail that at once)
    likes = [i for i, l in enumerate(lines) if l.text[-1:].isdigit() and NAME_LIKES.match(l.text)]
    for k, i in enumerate(likes):
        if i == 0:
            continue
        m = NAME_LIKES.match(lines[i].text)
        if m["name"].strip() == lines[i - 1].text and sg.visible_len(lines[i - 1].text) <= 40:
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            if sg.is_timestamp(nxt) or k + 1 < len(likes) and likes[k + 1] < i + 8:
                return i - 1
    return None


def _resumes(lines: list[_Line], j: int) -> bool:
    """Does real article prose resume at line j (ending a related block)?"""
    t = lines[j].text
    if lines[j].removed or lines[j].keep:
        return lines[j].keep
    if TABLE_ROW.match(t) or lines[j].struct and ("|" in t or "｜" in t) and _cells(t) >= 3:
        return True  # a table with bars is the article's: no list of links is drawn as one
    calm_end = t.endswith(("。", ".", "”", "\"", "」", "』", "：", ":", "；", ";"))
    if t.endswith(("”", "\"", "」", "』")) and sg.visible_len(t) < 80 and not re.search(r"[。！？.!?]", t):
        calm_end = False  # a headline ending on a quoted name (…做AI時代的「隱形冠軍」), not a quotation's sentence
    # (an English headline can end with a full stop; the Q&A test is asked only of a headline-shaped line)
    if (not calm_end or sg.visible_len(t) < (30 if sg.han_ratio(t) >= 0.2 else 90) or sg.is_timestamp(t)) \
            and not _talk(lines, j):
        # headlines end with ?/! or nothing; a long paragraph may end with them too
        if not ((sg.is_prose(t) or sg.visible_len(t) >= 160) and sg.visible_len(t) >= 80
                and len(re.findall(r"[。！？!?]|\.\s", t)) >= 2):
            return False  # (a post may end with an emoji: a long run of sentences is prose all the same)
    # Prose followed straight away and mostly by short page furniture is the site's footer.
    after = [l for l in lines[j + 1:j + 8] if not l.removed]
    furniture = sum(1 for l in after if sg.is_short_label(l.text))
    if (after and sg.is_short_label(after[0].text) and furniture >= 3
            and furniture > 2 * sum(1 for l in after if sg.is_prose(l.text))):
        return False
    dated = j > 0 and TIMELINE_DATE.match(lines[j - 1].text) and ":" not in lines[j - 1].text \
        and t.endswith(("。", "."))  # (a timeline's entry: a sentence with its date above it)
    for k in (j + 1, j + 2):  # a headline is followed by its twin, its source or its time
        if k < len(lines) and (sg.norm(lines[k].text) == sg.norm(t) or _stamp(lines[k].text)
                               and sg.visible_len(t) < 160 and not dated):  # (no headline runs to three sentences)
            return False
    return not (j > 0 and sg.norm(lines[j - 1].text) == sg.norm(t))


def _talk(lines: list[_Line], j: int) -> bool:
    """Three sentences in a row from line j, one of them a statement, and a short reply: a Q&A."""
    near = [l for l in lines[j:j + 6] if not l.removed][:3]
    return len(near) == 3 and all(sg.ends_sentence(l.text) and not _stamp(l.text) for l in near) \
        and any(l.text.endswith(("。", ".")) and not l.text.endswith("..") for l in near) \
        and min(sg.visible_len(l.text) for l in near) < 40


def _restore_subheading(lines: list[_Line], marker: int, j: int) -> None:
    """Short lines right above resumed prose (one or two: a heading and its second line), much
    shorter than the list items above them or set apart from them by an ad label or a blank
    line, are the article's next sub-heading (中國市場的兩難), not more headlines of the list."""
    while j - 1 > marker and not lines[j - 1].removed:
        j -= 1  # (above the lead-ins already given back: a question before its answer)
    heads = []
    for k in (j - 1, j - 2):
        if k <= marker + 1 or lines[k].tag != "section" or sg.ends_sentence(lines[k].text) \
                or not 4 <= sg.visible_len(lines[k].text) <= 40 or heads and lines[heads[0]].gap:
            break  # (a heading's second line follows its first without a blank line)
        heads.insert(0, k)
    if not heads:
        return
    k0 = heads[0]
    block = [l for l in lines[marker + 1:k0] if l.tag == "section"]
    items = sorted(sg.visible_len(l.text) for l in block)
    size = max(sg.visible_len(lines[k].text) for k in heads)
    apart = any(l.rule is not None for l in lines[marker + 1:k0][-2:]) or lines[k0].gap \
        and not any(l.gap for l in block[1:])  # (set apart from a list without blank lines of its own)
    if items and (items[len(items) // 2] >= 2 * size or apart):
        for k in heads:
            lines[k].tag = lines[k].why = ""


def _restore_lead_ins(lines: list[_Line], marker: int, j: int) -> None:
    """Prose resumed at j: sentence-shaped lines just above it that are not list items
    (no source or time under them) belong to the article, e.g. a question before its answer."""
    for k in range(j - 1, marker, -1):
        ln, below = lines[k], lines[k + 1]
        if ln.tag != "section" or _stamp(ln.text) or _stamp(below.text) or sg.visible_len(ln.text) < 16:
            return
        if not ln.text.rstrip().endswith(("。", "？", "?", "！", "!", "：", ":", "；", ";", "…", ".", "”", "」")):
            return
        ln.tag = ln.why = ""


def _sections(lines: list[_Line], markers: list[int], comments_at: int | None) -> None:
    first_prose = next((i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)), None)
    starts = sorted(set(markers) | ({comments_at} if comments_at is not None else set()))
    for i in starts:
        ln = lines[i]
        to_end = i == comments_at or (ln.rule is not None and ln.rule.action == "section-end")
        if to_end and (first_prose is None or i < first_prose):
            continue  # a "comments" button above the article is not the comment section
        if _numbered_heading(lines, i):
            _restore(ln)  # "3 Discussion" after "2 Data": a paper's section, not a comment count
            continue
        if not to_end and (_menu_item(lines, i) or first_prose is not None and i < first_prose and _in_menu_run(lines, i)):
            continue  # "排行榜" between "分类" and "听书": an item of the site's menu opens no list
        if i == comments_at and not ln.removed:
            ln.drop("signal.comments", "comment section (names with like counts and times)")
        if not to_end and i + 1 < len(lines) and _resumes(lines, i + 1) and sg.visible_len(lines[i + 1].text) >= 100:
            _restore(ln)  # "相关阅读" or "Related" directly above a paragraph is a sub-heading
            continue
        if to_end and (not _comment_shaped(lines[i + 1:i + 13]) or _paragraphs_follow(lines, i)):
            near = lines[max(0, i - 2):i] + lines[i + 1:i + 3]
            if not any(l.rule is not None and l.rule.id == "chrome.share" for l in near):
                _restore(ln)  # a "Comments" sub-heading above more of the article is not a thread
            continue  # (beside share and save buttons it is a button: it stays removed)
        label = ln.rule.reason if ln.rule else "comment section"
        why = f"inside the {label} that begins on line {ln.n}"
        timed = 0  # list items that end with their own time ("标题 03-10 21:15")
        begin, stop = _comments_span(lines, i, set(starts), first_prose) if to_end else (i + 1, len(lines))
        if to_end and _holds_the_article(lines, i, begin, stop):
            continue  # a "Comment" button under the headline: the article follows it, not a thread
        for j in range(begin, stop):
            if not to_end and _resumes(lines, j):
                _restore_lead_ins(lines, i, j)
                _restore_subheading(lines, i, j)
                break
            if not to_end and not lines[j].removed:
                if ITEM_TIME.search(lines[j].text):
                    timed += 1
                elif timed >= 2 and j - i - 1 == timed and not _stamp(lines[j].text):
                    break  # every item so far ended with a time and this line does not: the list is over
            if to_end:
                lines[j].role = "comment"
            lines[j].drop("section", why)


MENU_TAKEN = ("chrome.channel-menu", "chrome.app-prompt", "chrome.newsletter", "chrome.breadcrumb")


def _menu_item(lines: list[_Line], i: int) -> bool:
    """Is marker line i one item of a menu: short, with short neighbours right above and below
    it, two or more of the three lines on each side together taken as the site's menu?"""
    short = lambda l: 0 < sg.visible_len(l.text) <= 8  # noqa: E731
    near = lines[max(0, i - 3):i] + lines[i + 1:i + 4]
    if not short(lines[i]) or i == 0 or i + 1 >= len(lines) or not short(lines[i - 1]) or not short(lines[i + 1]):
        return False
    return sum(1 for l in near if short(l) and (l.tag == "signal.menu" or l.rule is not None and l.rule.id in MENU_TAKEN)) >= 2


def _in_menu_run(lines: list[_Line], i: int) -> bool:
    """Above the article's first paragraph, is marker line i one of a run of menu words: it and
    the two lines on each side all a few words ("Top Stocks", "Latest News", "Retirement")?"""
    def word(l: _Line) -> bool:
        t = l.text.strip()
        return 0 < sg.visible_len(t) <= (8 if sg.HAN.search(t) else 24) and len(t.split()) <= 3 \
            and not sg.ends_sentence(t)
    near = lines[i - 2:i] + lines[i:i + 3]
    return i >= 2 and len(near) == 5 and all(word(l) for l in near) and not any(l.gap for l in lines[i - 1:i + 3])


def _holds_the_article(lines: list[_Line], i: int, begin: int, stop: int) -> bool:
    """Would a comment section from line i take the article itself? Three or more long
    paragraphs (200 characters and more) after it, and four times the prose kept above it: the
    marker was a button under the headline ("Comment 1,206"), and the text below is the story."""
    prose = lambda a, b: [sg.visible_len(l.text) for l in lines[a:b] if not l.removed and sg.is_prose(l.text)]  # noqa: E731
    after = prose(begin, stop)
    return sum(1 for n in after if n >= 200) >= 3 and 4 * sum(prose(0, i)) < sum(after)


NUMBERED = re.compile(r"^\s*#*\s*(\d{1,2})(\.\d{1,2})*\.?\s+[A-Z\u4e00-\u9fff]")


def _numbered_heading(lines: list[_Line], i: int) -> bool:
    """Is line i a numbered section heading ("3 Discussion"), the one before it ("2 …") standing
    above it as a short line of its own?"""
    m = NUMBERED.match(lines[i].text)
    if not m or int(m[1]) < 2:
        return False
    prev = re.compile(rf"^\s*#*\s*{int(m[1]) - 1}(\.\d{{1,2}})*\.?\s+[A-Z\u4e00-\u9fff]")
    return any(prev.match(l.text) and sg.visible_len(l.text) <= 80 and not sg.ends_sentence(l.text) for l in lines[:i])


VIDEO_CUE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")  # a transcript's cue, not a comment's time


def _comment_bit(ln: _Line) -> bool:
    """A line that only a comment record carries: its author's handle or time, a reply or like
    button, a like count."""
    t = ln.text
    if VIDEO_CUE.match(t):
        return False
    return bool(COMMENT_BITS.match(t) or COMMENT_HEAD.match(t) or NAME_LIKES.match(t) or _stamp(t)
                or (t.startswith("@") and len(t) <= 40 and " " not in t)
                or (ln.rule is not None and ln.rule.id.startswith(("comments.", "chrome.counter", "chrome.share"))))


def _name_line(lines: list[_Line], k: int) -> bool:
    """A record's header: a short name with a handle or a time right under it."""
    t = lines[k].text
    return (0 < sg.visible_len(t) <= 40 and not sg.ends_sentence(t) and not _comment_bit(lines[k])
            and any(l.text.startswith("@") or _stamp(l.text) for l in lines[k + 1:k + 4]))


def _comments_span(lines: list[_Line], i: int, markers: set[int], first_prose: int | None) -> tuple[int, int]:
    """The lines a comment section that is marked at line i really covers: (first, past last).
    Two things can follow a marker such as "Read 88 replies" that are not comments: the
    author's own thread (records headed by the name or handle printed above the post, before
    anyone else's), and text that resumes after the last record (a transcript under a video's
    comments): a stretch with no comment bit at all, to the end or the next section, holding
    three lines of running text or more."""
    begin = i + 1
    if first_prose is not None:  # the author's name and handle, right above the post
        author = _names_above(lines, first_prose)
        heads = [k for k in range(i + 1, min(len(lines), i + 12)) if sg.norm(lines[k].text) in author]
        if author and heads and not any(_name_line(lines, k) for k in range(i + 1, heads[0])):
            k, new_record = heads[0], True  # records run from a header to their buttons and counts
            while k < len(lines):
                ln, mine = lines[k], sg.norm(lines[k].text) in author
                if mine and not ln.removed:
                    ln.drop("signal.thread-author", "the author's name above one post of the thread")
                if new_record and not mine and not ln.removed and not _comment_bit(ln):
                    break  # someone else's record: the replies begin
                if mine:
                    new_record = False  # (a post quoted inside the author's record is the author's)
                elif not new_record and (COMMENT_BITS.match(ln.text) or ln.rule is not None and ln.rule.id in
                                         ("chrome.counter", "chrome.share", "comments.reply")):
                    new_record = True
                k += 1
            begin = k
    end = len(lines)
    last_bit = begin - 1
    for j in range(begin, end):
        if j in markers:
            end = j
            break
        if _comment_bit(lines[j]):
            last_bit = j
    if sum(1 for l in lines[last_bit + 1:end] if not l.removed and _running_text(l.text)) >= 3:
        end = last_bit + 1
    return begin, end


def _button(ln: _Line, share: float) -> bool:
    """A kept short line without a sentence end, `share` or more of it interface words."""
    return not ln.removed and not ln.keep and not ln.struct and sg.visible_len(ln.text) <= 40 \
        and not sg.ends_sentence(ln.text) and sg.interface_share(ln.text) >= share


def _names_above(lines: list[_Line], i: int) -> set[str]:
    """The post's author as printed right above its text (name, handle): the short lines among
    the four above line i, normalised; a thread's records headed by them are the author's."""
    return {sg.norm(l.text) for l in lines[max(0, i - 4):i] if 0 < sg.visible_len(l.text) <= 40 and not _stamp(l.text)
            and line_class(l.text) in ("N", "M")}  # (no time, count or button: "2d" heads every record of the thread)


def _threads(lines: list[_Line]) -> None:
    """Comment threads told by the shape of their records (records.py), wherever no marker
    announced them: each record's lines leave the body."""
    start = next((i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)), None)
    if start is None:
        return
    for a, b in threads([l.text for l in lines], start, _names_above(lines, start)):
        why = f"comment records (name, time, text, buttons) from line {lines[a].n}"
        for ln in lines[a:b]:
            if not ln.struct:
                ln.drop("signal.thread", why)
                ln.role = ln.role or "comment"


CHAPTER = re.compile(r"^[(\[]?\d{1,2}:\d{2}(:\d{2})?[)\]]?\s+(?P<name>\S.*)$")


def _chapters(lines: list[_Line]) -> None:
    """Three or more lines in a row that are a time offset and a short name without a sentence
    end are a video's or podcast's chapter list (its table of contents), not its transcript."""
    if sum(1 for ln in lines if CHAPTER.match(ln.text)) < 3:
        return  # (fewer than three lines shaped like a chapter: no list, and no need for the walk below)
    run: list[_Line] = []
    for k, ln in enumerate(lines + [None]):
        m = CHAPTER.match(ln.text) if ln is not None and (not ln.removed or ln.tag == "signal.timestamp") \
            and not ln.struct else None  # (an entry the date stage took is still the list's)
        if m and sg.visible_len(m["name"]) <= 60 and not sg.ends_sentence(m["name"]):
            run.append(ln)
            continue
        if len(run) >= 3:
            for r in run:
                r.tag = r.why = ""  # (the date stage's mark gives way: a list's entry)
                r.drop("signal.chapters", "a chapter list (time offsets and names)")
            head = lines[k - len(run) - 1] if k - len(run) >= 1 else None
            if head is not None and not head.removed and not head.keep and sg.visible_len(head.text) <= 12 \
                    and not sg.ends_sentence(head.text) and not head.text.endswith(("：", ":")):
                head.drop("signal.chapters", "the heading of a chapter list")  # ("Chapters", "时间轴")
        run = []


HEADLINE_NOT = re.compile(r"^[(（■●•▪*\-—–]|^.{1,8}[：:]|@|#\d|\d{3,}-\d|[=]")


LOWER_OPENING = re.compile(r"[a-z]{2,}\s")  # an English line opening on a word all in lower case


def _headline_item(ln: _Line) -> bool:
    return (not ln.keep and not ln.struct and 20 <= sg.visible_len(ln.text) <= 90
            and headline_shaped(ln.text) and not ln.text.endswith(("。", ".", "：", ":", "；", ";", "，", ","))
            and not HEADLINE_NOT.search(ln.text) and not BARE_DATE.match(ln.text)
            and not LOWER_OPENING.match(ln.text))  # (a caption's or a sentence's middle: headlines open in capitals)


def _headline_tail(lines: list[_Line], first: int, last: int) -> int:
    """Where a list of other articles' headlines at the end of the article's run begins (a
    headline may read like a short sentence without its full stop, so the run took it in): the
    lines after the text's last other line, when they are all removed furniture or headlines and
    the text's own paragraphs end their sentences. last + 1 when there is none."""
    k = last
    while k > first and (lines[k].removed or _headline_item(lines[k])):
        k -= 1
    if k == last or sum(1 for l in lines[k + 1:last + 1] if not l.removed) < 3:
        return last + 1
    paragraphs = [l for l in lines[first:k + 1] if not l.removed and sg.is_prose(l.text)]
    if len(paragraphs) < 3 or sum(1 for l in paragraphs if sg.ends_sentence(l.text) or l.text.endswith(("”", '"', "」"))) \
            < 0.7 * len(paragraphs):
        return last + 1
    return k + 1


def _headline_runs(lines: list[_Line], start: int) -> None:
    """After the article, three or more headlines (a line of 20 to 90 columns with no full stop:
    a question or a quotation may end it; not a field, a bullet, a note in brackets, a handle)
    with nothing but removed lines between them are a list of other articles, unless a line
    above introduces them (ends with a colon)."""
    run: list[_Line] = []
    at = start  # where the run begins
    apart = False  # (the lines right under the article's last paragraph, before any furniture, are its own)
    head = None  # a short line right above the run: the list's heading ("Also worth reading")
    if 0 < start <= len(lines) and not lines[start - 1].removed and _list_heading(lines[start - 1]):
        head = lines[start - 1]  # (the article's run may end on it)
    for k, ln in enumerate(lines[start:] + [None], start=start):
        if ln is not None and ln.removed:
            apart = True
            continue
        item = ln is not None and (apart or head is not None and not POINT.match(ln.text) and "：" not in ln.text
                                   and not _spaced(ln.text)) and _headline_item(ln)  # (under a heading only: no bullet, field or signature)
        if item:
            at = at if run else k
            run.append(ln)
            continue
        if len(run) >= 3:
            above = next((l for l in reversed(lines[:at]) if not l.removed), None)
            if above is None or not above.text.endswith(("：", ":")):
                for r in run:
                    r.drop("signal.headlines", "a list of other articles' headlines after the article")
                if head is not None and above is head:
                    head.drop("signal.headlines", "the heading of a list of other articles' headlines")
        run = []
        head = ln if ln is not None and _list_heading(ln) else None


def _list_heading(ln: _Line) -> bool:
    """A short line that may head a list: a few words, no sentence, no colon, no date."""
    t = ln.text
    return not ln.keep and not ln.struct and 4 <= sg.visible_len(t) <= 24 and not sg.ends_sentence(t) \
        and not t.endswith(("：", ":")) and not re.search(r"\d", t) and not t.startswith(("#", "-", "*", ">", "|")) \
        and not BARE_DATE.match(t) and not _spaced(t)


TIMELINE_DATE = re.compile(r"^(\d{4}年(\d{1,2}月(\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}|\d{4}|"
                           r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(, \d{4})?)$")


POINT = re.compile(r"^([•●▪◦‣⁃·\-–*]|\d{1,2}[.、．]|[(（]\d{1,2}[)）])\s*(?![\[(])\S")


def _listed_point(text: str) -> bool:
    """A bulleted point that says something ("• Installed AI compute: US ahead by roughly 4–5x"),
    not a bulleted link ("• [Share on X]", "• About")."""
    return bool(POINT.match(text)) and sg.visible_len(text) >= 30 and bool(re.search(r"[:：,，;；]", text)) \
        and not re.search(r"(19|20)\d\d[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?$|》$", text)  # (a listed report, dated)


def _timeline(lines: list[_Line], first: int, last: int) -> None:
    """Three or more bare dates or clock times inside the article, each with its entry under it,
    are a timeline's or a live page's own marks ("10月7日", "2024年", "17:42"), not page dates."""
    marks = [i for i in range(first, last + 1) if lines[i].tag == "signal.timestamp" and TIMELINE_DATE.match(lines[i].text)
             and i + 1 < len(lines) and not lines[i + 1].removed]
    if len(marks) >= 3:
        for i in marks:
            lines[i].tag = lines[i].why = ""


def _signs(lines: list[_Line], i: int) -> bool:
    """Is line i an issuer's signature over its signing date ("国家互联网信息办公室" / "2026年12月5日"):
    short, no sentence, the next line a bare date? An issuer signs each of its notices alike, so
    the site's other pages carry the same line, yet it is the document's own."""
    return i + 1 < len(lines) and sg.visible_len(lines[i].text) <= 30 and not sg.ends_sentence(lines[i].text) \
        and bool(BARE_DATE.match(lines[i + 1].text))


CTA = re.compile(r"立即|马上|馬上|免费|免費|限时|限時|了解更多|点击|點擊|报名|報名|下载|下載|优惠|優惠|特惠|到手价|咨询|諮詢|"
                 r"\b(?:Try \w+|Learn more|Get started|Book a demo|Sign up|Start your|Download)\b|\bfree trial\b|[→›>]\s*$")


def _ad_copy(lines: list[_Line]) -> None:
    """Under an ad marker ("广告", "Advertisement", "Sponsored"), its copy: the next line or two,
    short, with a call to action in them ("限时免费体验", "立即下载", "Try it free", "→"). The
    article's own sentence under a marker has none, and stays."""
    for i, ln in enumerate(lines):
        if ln.rule is None or ln.rule.id != "chrome.ad":
            continue
        for nxt in lines[i + 1:i + 3]:
            if nxt.gap and nxt is not lines[i + 1] or nxt.removed or nxt.keep or nxt.struct \
                    or sg.visible_len(nxt.text) > 120 or not CTA.search(nxt.text):
                break
            nxt.drop("chrome.ad", "an advertisement's copy under its marker (a call to action)")


_RUN_RULES = ("chrome.share", "chrome.channel-menu")


def _holes(lines: list[_Line]) -> None:
    """A short word between two lines the share-button or the menu rule took, the one above
    and the one below each a short word too ("WhatsApp" / "Telegram" / "Facebook"): one more
    button of the row, which the rule's word list lacks."""
    for i in range(1, len(lines) - 1):
        ln, a, b = lines[i], lines[i - 1], lines[i + 1]
        if ln.removed or ln.keep or ln.struct or not 2 <= sg.visible_len(ln.text) <= 20 or sg.ends_sentence(ln.text) \
                or len(ln.text.split()) > 2:
            continue
        if a.rule is not None and b.rule is not None and a.rule.id == b.rule.id and a.rule.id in _RUN_RULES \
                and sg.visible_len(a.text) <= 20 and sg.visible_len(b.text) <= 20:
            ln.drop(a.rule.id, a.rule.reason + " (between two such lines)")


def _own_note(lines: list[_Line]) -> None:
    """The author's own closing note ("声明：本文只是个人学习笔记，观点不代表任何机构。", "（本文数据均来自
    公开财报，不构成投资建议。）") that a notice rule took: a sentence right under the article's last
    line and right over the post's own date, found on no other page of the site. A platform's
    notice stands below the post's date and repeats on the site's other pages."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if not lines[i].removed and sg.is_prose(lines[i].text)), None)
    if last is None:
        return
    k = last + 1
    if k + 1 < len(lines) and lines[k].rule is not None and lines[k].rule.id.startswith("notice.") \
            and not lines[k].repeats and sg.ends_sentence(lines[k].text) and lines[k + 1].tag == "signal.timestamp":
        _restore(lines[k])


def _restore(ln: _Line) -> None:
    ln.rule, ln.tag, ln.why = None, "", ""


FIELD = re.compile(r"^\S{1,12}(?:\s{1,6}\S{1,6})?\s*[:：]\s*\S|^\d{1,2}[.、．]\s*\S{2,20}$")
NUMBERED_ENTRY = re.compile(r"^\d{1,2}[.、．]\s*\S")
_QUIET = ("signal.header", "signal.footer", "signal.repeats", "signal.link-list")


def _cn_number(text: str) -> int | None:
    """The number of a document's part ("三、"), by the Chinese enumerators structure reads."""
    e = _enum(text)
    return e[1] if e is not None and e[0] == 2 else None


def _outline(lines: list[_Line], first: int, last: int) -> None:
    """A document told in a numbered outline (一、… 九、, a 公告's): when the article's text holds
    part of the sequence, the parts before it, counted from 一、, and the fields and numbered
    entries under its last part ("1.采购人信息", "名称：…") are the document's too — the region
    heuristics had taken them for the page's header and footer."""
    marks = [(i, n) for i, ln in enumerate(lines) if (n := _cn_number(ln.text)) is not None]
    inside = [(i, n) for i, n in marks if first <= i <= last and not lines[i].removed]
    if not inside:
        return
    before = [(i, n) for i, n in marks if i < first]
    k0, n0 = inside[0]
    if before and before[0][1] == 1 and [n for _, n in before] + [n0] == list(range(1, n0 + 1)):
        for ln in lines[before[0][0]:first]:
            if ln.removed and ln.rule is None and ln.tag in _QUIET:
                _restore(ln)  # (a rule's removal stays: a button or a byline between the parts)
    seq = [(i, n) for i, n in marks if first <= i <= last]
    if len(inside) >= 3 and [n for _, n in seq] == list(range(seq[0][1], seq[0][1] + len(seq))):
        for i, _ in seq:  # (a part of the sequence, and the fields under it, are no list of other articles)
            j = i
            while j <= last and (j == i or FIELD.match(lines[j].text) and _cn_number(lines[j].text) is None):
                if lines[j].removed and (lines[j].rule is None and lines[j].tag in ("signal.list-item", "signal.timestamp")
                                         or lines[j].rule is not None and lines[j].rule.id == "byline.doc-meta"):
                    _restore(lines[j])  # (a part's own "名称：…" is no field of the page's metadata table)
                j += 1
    k1, n1 = inside[-1]
    later = [(i, n) for i, n in marks if i > k1]
    if [n for _, n in later] != list(range(n1 + 1, n1 + 1 + len(later))):
        return  # (the numbering does not go on in order below: no more of this document's parts)
    heads = {i for i, _ in later}
    at = next((j for j in range(last + 1, len(lines)) if lines[j].text), None)
    if at is None or not (NUMBERED_ENTRY.match(lines[at].text) or at in heads):
        return
    for j in range(last + 1, len(lines)):  # (the outline's last parts go on in numbered entries and their fields)
        ln = lines[j]
        if j in heads:  # the next part's heading ("九、凡对本次公告内容提出询问…")
            if ln.removed and (ln.rule is not None or ln.tag not in _QUIET):
                break
            _restore(ln)
            continue
        if ln.removed and (ln.rule is not None or ln.tag not in _QUIET):
            if ln.rule is not None and not (ln.rule.action == "meta" and FIELD.match(ln.text)):
                break  # (a field a metadata rule took, "名称：…", is the part's own field here)
            if ln.rule is None:
                continue
        if not FIELD.match(ln.text) and not (ln.tag == "signal.repeats" and NUMBERED_ENTRY.match(ln.text)):
            break  # (a sister notice's same entry, "2.采购代理机构信息", repeats: the template's, still this one's)
        _restore(ln)


def _paragraphs_follow(lines: list[_Line], i: int) -> bool:
    """Do two long paragraphs of sentences follow marker line i straight away ("Responses" over
    "Interested parties should submit…")? A thread opens on a name, a count or a box, and a
    comment under its name; a sub-heading opens on the text."""
    near = [l for l in lines[i + 1:i + 4] if not l.removed][:2]
    return len(near) == 2 and lines[i + 1] is near[0] and all(
        sg.visible_len(l.text) >= 80 and (len(l.text.split()) >= 10 or sg.han_count(l.text) >= 30) and sg.ends_sentence(l.text)
        and not NAME_LIKES.match(l.text) for l in near)


def _comment_shaped(after: list[_Line]) -> bool:
    """Comments carry names, times, like counts or replies; a run of paragraphs does not."""
    if sum(1 for l in after if sg.is_prose(l.text)) < 2:
        return True  # nothing much follows: a thread or an empty comment box
    return any(_stamp(l.text) or NAME_LIKES.match(l.text) or COMMENT_BITS.match(l.text)
               or (l.rule is not None and l.rule.id in ("comments.reply", "chrome.counter")) for l in after)


FIELD_LABEL = re.compile(r"^(来源|來源|作者|编辑|編輯|责编|責編|记者|記者|摘要|导读|導讀|相关|相關|Source|By|Editor|Tags?|Related)\s*[:：]$", re.I)


def _spaced(text: str) -> bool:
    """Letter-spaced words (a document's signature: "审  判  长    王  静"): half the tokens or more
    single Chinese characters."""
    tokens = text.split()
    return len(tokens) >= 3 and 2 * sum(1 for t in tokens if len(t) == 1 and sg.HAN.match(t)) >= len(tokens)


FIELD_ITEM = re.compile(r"^[-*+]\s+(?:[A-Z][\w'’-]*(?: [\w'’-]+){0,2}|[\u4e00-\u9fff]{2,6})\s*[:：]\s*\S")


PERSON = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z]+)){1,2}\b")
BIO_VERB = r"(?:is|was|has|covers|leads|heads|joined|writes|reports|previously|focuses|specializes|specialises)\b"


def _author_box(lines: list[_Line], first: int) -> None:
    """An author box after the text: a line that is one of the names the page printed above the
    article as its byline ("Tarun Pathak, Research Director"), and the bio under it that opens
    with that name, the first name or a pronoun and says what the person is or does ("Tarun is a
    Research Director at …"). Names are read only from the byline above the text; a sentence in
    the text that quotes the author ("Pathak said …") is neither shape."""
    names = {m for ln in lines[:first] if ln.removed and (ln.tag == "signal.header" or ln.rule is not None
                                                           and ln.rule.id.startswith("byline."))
             and sg.visible_len(ln.text) <= 80 for m in PERSON.findall(ln.text)}
    if not names:
        return
    heads = {n: rf"(?:{re.escape(n)}|{re.escape(n.split()[0])}|He|She|They)\s+{BIO_VERB}" for n in names}
    kept = [i for i in range(first + 1, len(lines)) if not lines[i].removed and not lines[i].keep and not lines[i].struct]
    for a, b in zip(kept, kept[1:]):
        head, bio = lines[a].text.strip(), lines[b].text
        name = next((n for n in names if head == n or head.startswith(n + ",") or head.startswith(n + " —")), None)
        if name and sg.visible_len(head) <= 80 and not sg.ends_sentence(head) and re.match(heads[name], bio) \
                and sg.visible_len(bio) <= 400:
            for ln in (lines[a], lines[b]):
                ln.drop("signal.author-box", "the author's box after the article (a byline's name and its bio)")


AI_LABEL = re.compile(r"^(?:AI[- ]generated summary|AI summary|Summary by AI|AI[- ]generated notes|AI notes|"
                      r"AI\s*智能纪要|AI\s*智能紀要|智能纪要|智能紀要|AI\s*纪要|AI\s*紀要|AI\s*总结|AI\s*總結|AI\s*摘要|智能摘要|AI\s*速览|AI\s*速覽)\s*[:：]?$", re.I)
AI_CLOSER = re.compile(r"仅供参考|僅供參考|may be incorrect|may contain (?:errors|mistakes)|Was this (?:summary )?helpful|"
                       r"👍\s*👎|由\s*AI\s*生成|AI[- ]generated", re.I)
TRANSCRIPT_LABEL = re.compile(r"^(?:Transcript|Full transcript|Transcription|文字记录|文字記錄|逐字稿|转写稿|轉寫稿|会议记录|會議記錄)\s*[:：]?$", re.I)


def _machine_summary(lines: list[_Line]) -> None:
    """A summary a machine wrote above the text ("AI-generated summary", "AI 智能纪要"): from its
    label to its disclaimer or feedback buttons ("以上内容由 AI 生成，仅供参考 👍 👎"), or to the
    "Transcript" label where the people's own words begin; with neither, its label and the
    paragraph under it. They are not the author's words."""
    for i, ln in enumerate(lines):
        if len(ln.text) > 24 or ln.removed or ln.keep or not AI_LABEL.match(ln.text):
            continue  # (a label is short: the length first, most lines are longer)
        end = None
        for j in range(i + 1, min(len(lines), i + 26)):
            if AI_CLOSER.search(lines[j].text) and sg.visible_len(lines[j].text) <= 80:
                end = j + 1
                break
            if TRANSCRIPT_LABEL.match(lines[j].text) or AI_LABEL.match(lines[j].text):
                end = j
                break
        if end is None:
            end = i + 1
            while end < len(lines) and end <= i + 3 and not lines[end].gap \
                    and not (end > i + 1 and sg.ends_sentence(lines[end - 1].text)):
                end += 1  # (a line that ends its sentence ends the paragraph: the text may follow without a blank line)
        for l in lines[i:end]:
            if not l.removed and not l.keep:
                l.drop("signal.machine-summary", "a summary a machine wrote (its label, text and disclaimer)")


PERCENT_ONLY = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?\s*[%％]$")
VOTES = re.compile(r"^(?:共\s*)?[\d,.\s]+[KkMm万萬]?\s*(?:votes?|票|人参与|人參與|人投票|人已投票)$", re.IGNORECASE)


def _polls(lines: list[_Line]) -> None:
    """A reader poll: its options, each with the share that chose it on the line below ("Yes,
    within two years" / "42%"), two or more; the question above it and the vote count under it
    go with it. An article's figures stand in sentences or in a table's cells, not one share a
    line under a short answer."""
    if sum(1 for ln in lines if ln.text[-1:] in "%％" and PERCENT_ONLY.match(ln.text)) < 2:
        return  # (no two shares on lines of their own: no poll, and most pages stop here)
    i = 0
    while i < len(lines) - 3:
        j = i
        while j + 1 < len(lines) and not lines[j].removed and not lines[j].keep and not lines[j].struct \
                and 0 < sg.visible_len(lines[j].text) <= 60 and not sg.ends_sentence(lines[j].text.rstrip("?？")) \
                and not PERCENT_ONLY.match(lines[j].text) and PERCENT_ONLY.match(lines[j + 1].text):
            j += 2
        asked = i > 0 and lines[i - 1].text.endswith(("?", "？")) and not lines[i - 1].keep \
            and sg.visible_len(lines[i - 1].text) <= 160
        counted = j < len(lines) and bool(VOTES.match(lines[j].text))
        if j - i >= 6 or j - i == 4 and (asked or counted):  # (two options only under a question or over a count)
            run = lines[i - 1:j] if asked else lines[i:j]
            if counted:
                run.append(lines[j])
            for ln in run:
                if not ln.removed:
                    ln.drop("signal.poll", "a reader poll (options, each with its share of the votes)")
            i = j
        else:
            i += 1


TURN_HEAD = re.compile(r"^\S.{0,30}?\s+\[?\d{1,2}:\d{2}(?::\d{2})?\]?$")  # "张蔚 00:00:04", "Kevin Ma 00:00:21"


def _first_turn(lines: list[_Line], i: int, first: int) -> bool:
    """Is line i, right above the first paragraph, a speaker and a clock offset whose shape heads
    two or more later turns of the text?"""
    return bool(TURN_HEAD.match(lines[i].text)) and \
        sum(1 for l in lines[first:first + 60] if TURN_HEAD.match(l.text)) >= 2


def _field_block(lines: list[_Line], first: int) -> None:
    """Above the article, a list of three or more items that are all fields ("- Author: …",
    "- Full Title: …", "- URL: …"), and the short heading over it: a clipping tool's metadata
    block (a read-later export's "## Metadata"), which the front matter or the page's own
    byline and date already give; the page's metadata stages read its lines all the same."""
    i = 0
    while i < first:
        j = i
        while j < first and FIELD_ITEM.match(lines[j].text) and not lines[j].keep:
            j += 1
        if j - i >= 3:
            for ln in lines[i:j]:
                if not ln.removed:
                    ln.drop("signal.fields", "a clipping's metadata list above the article")
            head = lines[i - 1] if i > 0 else None
            if head is not None and not head.removed and head.text.startswith("#") and sg.visible_len(head.text) <= 30:
                head.drop("signal.fields", "the heading of a clipping's metadata list")
        i = max(j, i + 1)


def _signing(text: str) -> bool:
    """A short line with a year: where and when a document was signed ("Done at Brussels, 3 March
    2026."), over its signatories ("For the Commission", "The President", a name)."""
    return sg.visible_len(text) <= 60 and bool(re.search(r"(19|20)\d\d", text))


def _label_runs(lines: list[_Line], start: int) -> None:
    """After the article, three or more short labels in a row are a list of links (tags, menus),
    unless the article introduces them as its own list (a line just above ends with a colon)."""
    run: list[_Line] = []
    at = start  # the run's first line
    for k, ln in enumerate(lines[start:] + [None], start=start):
        if ln is not None and ln.removed and ln.rule is not None and ln.rule.id == "chrome.channel-menu":
            continue  # (a tag the menu rule took is one of the run: "china" among the topic chips)
        label = (ln is not None and not ln.removed and not ln.keep and sg.visible_len(sg.link_text(ln.text)) <= 30
                 and not sg.ends_sentence(sg.link_text(ln.text)) and not BARE_DATE.match(ln.text)
                 and not ln.text.startswith(("#", "-", "*", "|", ">", "```", "—", "–", "__"))  # a signature
                 and not _spaced(ln.text)  # (and a judgment's, letter-spaced: "审  判  长    王  静")
                 and not re.search(r"(19|20)\d\d", ln.text))  # a signing place and date
        if label:
            at = at if run else k
            run.append(ln)
            continue  # (the article's own list is introduced just above the run)
        if len(run) >= 3 and not any(not l.removed and (l.text.endswith(("：", ":")) or _signing(l.text))
                                     for l in lines[max(0, at - 2):at]) \
                and not SIGNED.search(run[0].text):  # ("/s/ Name" over the name and the office: a signature)
            for r in run:
                r.drop("signal.link-list", "a run of short links after the article (tags, topics or menu)")
        run = []


def _above_and_below(lines: list[_Line], first: int, last: int, title_idx: int | None) -> None:
    """A line printed both above the article and below it ("Previous message (by thread): …",
    "Messages sorted by: [ date ] [ thread ]", a pager): the page's navigation, set around the text
    twice — two lines or more in a row, in the same order, or a line that reads as navigation. Above
    means before the text or among its first three lines, below among its last three or after it
    (a pager line may read as a sentence of the text). The title, which a page may print again at
    its foot, stays where it is the title."""
    above = {sg.norm(lines[i].text): i for i in range(min(first + 3, last)) if i != title_idx and not lines[i].keep
             and not lines[i].struct and sg.visible_len(lines[i].text) >= 10}
    if not above:
        return
    pairs = {}
    for i in range(max(last - 2, first + 3), len(lines)):
        k = above.get(sg.norm(lines[i].text))
        if k is not None and not lines[i].keep and not lines[i].struct:
            pairs[i] = k
    for i, k in pairs.items():  # (a block of two lines or more in the same order in both places: a
        t = lines[i].text
        if pairs.get(i + 1) == k + 1 or pairs.get(i - 1) == k - 1 or sg.interface_share(t) >= 0.2 \
                or re.search(r"[|｜»›<>\[\]]|[:：]\s", t):  # (or a line that reads as navigation: a document's
            for x in (lines[k], lines[i]):  # name in its caption and its signature is not that)
                x.drop("signal.around", "printed above and below the article (the page's navigation)")


LINK_ITEM = re.compile(r"^\s*[*+-]\s+\[[^\]]+\]\([^)]+\)\s*$")


def _link_lists(lines: list[_Line], start: int) -> None:
    """After the article, a Markdown heading over nothing but list items that are each one link
    ("### Related Articles Around the Web" / "- [title](url)"): a list of other pages. Markdown
    structure is otherwise left to the author; an item with words of its own besides its link is
    the article's reading list, and stays."""
    i = start
    while i < len(lines):
        ln = lines[i]
        if not ln.removed and re.match(r"#{1,6}\s", ln.text):
            j = i + 1
            while j < len(lines) and not lines[j].removed and LINK_ITEM.match(lines[j].text):
                j += 1
            if j - i >= 3:
                for x in lines[i:j]:
                    x.struct = False
                    x.drop("signal.link-list", "a heading over a list of links after the article (other pages)")
                i = j
                continue
        i += 1


def _record(lines: list[_Line], first: int, last: int) -> None:
    """A record set as a table of fields, cut by tabs ("機關名稱\t國家科學及技術委員會"), right
    above a text shorter than it (a notice of award, a register's entry): the table is the
    article, with the short group labels between its rows ("投標廠商1"); above a longer text
    it is the page's summary box, and the header's to judge."""
    k = first - 1
    rows, start = 0, first
    while k >= 0 and first - k <= 80:
        ln = lines[k]
        cells = [c for c in ln.text.split("\t") if c.strip()]
        if "\t" in ln.text and len(cells) >= 2 and sg.visible_len(cells[0]) <= 48 \
                and all(sg.visible_len(c) <= 120 and not c.rstrip().endswith(("。", ". ")) for c in cells):
            rows, start = rows + 1, k
        elif rows == 0 and first - k <= 8:
            pass  # (the first lines of a note the run did not take in, a wrapped copy's: between the table and the text)
        elif not (sg.visible_len(ln.text) <= 20 and not sg.ends_sentence(ln.text)
                  or k > 0 and "\t" in lines[k - 1].text and sg.visible_len(ln.text) <= 80 and not ln.gap) or rows == 0:
            break  # (a short group label between the rows, or a long cell's end wrapped under its row)
        k -= 1
    text = sum(1 for l in lines[first:last + 1] if not l.removed and sg.is_prose(l.text))
    if rows < 8 or rows < 2 * text:
        return
    for ln in lines[start:first]:
        if not ln.removed:
            ln.struct = True  # (and the note's first lines under it, kept as the header's exceptions would not)


def _regions(lines: list[_Line], repeats: dict | None, title: str | None):
    """The article's region: its dense run of prose from its first to its last paragraph, the
    title above it, the page's header and footer around it, its own structure inside it.
    Returns (indexes of prose lines, the title's index or None, the title's text or None)."""
    # The article runs from its first to its last paragraph.
    if repeats:
        for ln in lines:  # page furniture by the site's other pages; only used around the article
            if not ln.removed and not ln.keep and (k := repeats.get(shape(ln.text))):
                ln.repeats = k
    prose = [i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text) and not l.repeats] or \
        [i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)]
    if len(prose) > 1 and headline_shaped(lines[prose[0]].text):
        prose = prose[1:]  # a question or exclamation at the very top is the headline, not a paragraph
    elif len(prose) > 3 and over_meta(lines, prose[0]):  # a headline in sentences over its date or
        head = [p for p in prose[:3] if p < prose[0] + 4 and sg.visible_len(lines[p].text) <= 100]  # byline,
        prose = prose[len(head):] if len(prose) > len(head) + 1 else prose  # its deck beside it
    title_idx, title_text = None, None
    if prose:
        first = prose[0]  # ... and it ends with its last paragraph, or a caption track's last line
        last = max((i for i in range(len(lines) - 1, prose[-1], -1)  # (only a line below can move it)
                    if not lines[i].removed and _running_text(lines[i].text)), default=prose[-1])
        first, last = _main_run(lines, prose, first, last)
        last = _numbered_sections(lines, first, last)
        cut = next((i for i in range(first + 1, last + 1) if lines[i].rule is not None
                    and lines[i].rule.id == "notice.appendix-heading"
                    and sum(1 for l in lines[first:i] if not l.removed and sg.is_prose(l.text)) >= 3), None)
        if cut is not None:  # the report's appendix of notices is no part of its text, however long its sentences
            last = max(j for j in range(first, cut) if not lines[j].removed)
        title_idx, title_text = find_title(lines, max(first, prose[0]), title)
        for i, ln in enumerate(lines if repeats else ()):  # (a title may repeat: a sister page lists this article)
            if ln.repeats and not ln.struct and (i < first or i > last) and i != title_idx \
                    and not (first - 2 <= i < first and GREETING.match(ln.text) or last < i <= last + 2 and SIGNOFF.match(ln.text)
                             or last < i <= last + 3 and _signs(lines, i)):
                # (a newsletter's "Hi all," and "-- Maya" recur in every issue, yet are the author's)
                many = {1: "1 other page", 2: "2 other pages"}.get(ln.repeats, "3 or more other pages")
                ln.drop("signal.repeats", f"repeats on {many} of this site (page furniture)")
        toc = {sg.norm(TOC_ENTRY.match(sg.link_text(l.text))["name"] or "") for l in lines if l.tag == "signal.toc"
               and TOC_ENTRY.match(sg.link_text(l.text))}
        for i, ln in enumerate(lines):  # buttons and widgets: above the text, or a row of them inside it
            if i != title_idx and (_button(ln, 0.5) if i < first else _button(ln, 0.6) and len(ln.text.split()) >= 2):
                ln.drop("signal.interface", "buttons or widgets (interface words)")
        _record(lines, first, last)
        numbered = sum(1 for ln in lines if ln.text.isdigit()) >= 20  # (a pleading's line numbers stand between)
        real = [j for j in range(first) if not _page_mark(lines[j], numbered)]
        for i in range(first):
            ln = lines[i]
            if ln.tag == "signal.timestamp" and BARE_DATE.match(ln.text) and first - i <= 10 and i > 0 \
                    and not lines[i - 1].removed and sg.visible_len(lines[i - 1].text) <= 30 \
                    and _text_began(lines, i, title_idx):
                ln.tag = ln.why = ""  # the signing date under that signature
            if ln.removed or i == title_idx or ln.struct:
                continue
            if sg.norm(ln.text) in toc:
                continue  # a heading the table of contents lists
            later = sg.norm(lines[first].text)
            key = sg.norm(ln.text)
            if len(key) >= 15 and later.startswith(key):
                ln.drop("signal.preview", "truncated preview of the article's first paragraph")
            elif ln.text.endswith(LEAD_END) and sg.visible_len(ln.text) >= 8:
                continue  # a one-line lead or the column's slogan
            elif ln.text.endswith((",", "，")):
                continue  # a greeting or a clause that runs on into the text ("Hi Helen, all,")
            elif _listed_point(ln.text) or i + 1 < first and _listed_point(lines[i + 1].text) and \
                    (_heading_shaped(ln.text) or ln.text.endswith(("：", ":")) and sg.visible_len(ln.text) >= 30):
                continue  # a bulleted or numbered point with a clause in it, and the heading or the
                #           sentence that introduces such points ("…要点如下："): a slide's, a flash's
            elif sg.visible_len(ln.text) >= 100 and len(re.findall(r"[,，;；、]", ln.text)) >= 2:
                continue  # a long line of running text just above: a sentence cut by a link, not a header
            elif i in real[-1:] and sg.visible_len(ln.text) >= 16:
                continue  # a deck or sub-heading directly above the first paragraph
            elif i in real[-2:] and ln.text.endswith((":", "：")) and sg.visible_len(ln.text) >= 30 \
                    and (len(ln.text.split()) >= 5 or sg.han_count(ln.text) >= 12):
                continue  # the sentence that opens the text ("Plaintiff … alleges as follows:")
            elif (i in real[-1:] or i in real[-2:] and CLAUSE_MARK.match(lines[real[-1]].text)) \
                    and ln.text.endswith((":", "：")) and sg.visible_len(ln.text) <= 20 \
                    and sg.interface_share(ln.text) < 0.5 and not FIELD_LABEL.match(ln.text):
                continue  # a salutation or lead-in right above the text ("各位代表：", "Whereas:" over "(1)")
            elif i in real[-2:] and _heading_shaped(ln.text) \
                    and all(not l.removed for l in lines[i + 1:first] if not _page_mark(l, numbered)) \
                    and _has_subheadings(lines, first, last, numbered):
                continue  # the article's first sub-headings (the others stand between its paragraphs)
            elif first - i <= 10 and sg.visible_len(ln.text) <= 30 and _text_began(lines, i, title_idx):
                continue  # a signature under a cover letter, before its attachment (the text had begun)
            elif _same_block(lines, i, first):
                continue  # a sentence without its full stop in the first paragraph's own block (a forum post's lines)
            elif i == real[-1] and _first_turn(lines, i, first):
                continue  # a transcript's first speaker and clock, whose turns the text goes on with
            else:
                ln.drop("signal.header", "page header before the article (short line without sentence shape)")
        _field_block(lines, first)
        _author_box(lines, first)
        _label_runs(lines, last + 1)
        _link_lists(lines, last + 1)
        _above_and_below(lines, first, last, title_idx)
        _headline_runs(lines, min(last + 1, _headline_tail(lines, first, last)))
        gap = False
        apart: list[_Line] = []  # the furniture removed between the article's end and here
        inside = None  # the shapes of the furniture inside the article's run (a thread's posts are apart by it too)
        appendix = False
        for i in range(last + 1, len(lines)):
            ln = lines[i]
            if ln.tag == "signal.timestamp" and not gap and (BARE_DATE.match(ln.text) or SIGNED.search(ln.text)):
                ln.tag = ln.why = ""  # the signing date under a closing signature is the article's ("Date: March 5,
                #                      2026  By: /s/ Laura M. Whitfield": a filing's signature block)
            if appendix and not ln.removed and not ln.keep and not ln.struct:
                ln.drop("signal.appendix", "inside a report's appendix of notices, after the article")
                continue
            if ln.rule is not None and ln.rule.id == "notice.appendix-heading":
                appendix = True  # (the analysts' certification, the disclaimers, the ratings: to the page's end)
            if ln.removed:
                brk = not (numbered and ln.text.isdigit() or ln.tag == "signal.chapters")  # (a pleading's line
                gap = gap or brk  # number is no break in the text, nor a show's chapter list between its notes)
                if brk:
                    apart.append(ln)
                continue
            if _button(ln, 0.5):
                ln.drop("signal.interface", "a button or widget after the article (interface words)")
                gap = True
                apart.append(ln)
                continue
            if len(apart) >= 4 and not ln.struct and not ln.keep and sg.visible_len(ln.text) >= 20 \
                    and (sg.ends_sentence(ln.text) or _running_text(ln.text)) and not SIGNOFF.match(ln.text):
                if inside is None:
                    inside = {_DIGIT_RUN.sub("#", l.text) for l in lines[first:last + 1] if l.removed}
                if sum(1 for l in apart if _DIGIT_RUN.sub("#", l.text) in inside) * 2 < len(apart):
                    ln.drop("signal.after", "text after the article, past the page's furniture (a comment, a notice, a box)")
                    continue
            if gap and not ln.struct and not (sg.ends_sentence(ln.text) and sg.visible_len(ln.text) >= 12) \
                    and not _running_text(ln.text) and not (i <= last + 3 and SIGNOFF.match(ln.text)):
                ln.drop("signal.footer", "page footer after the article (short line after the page chrome)")
                apart.append(ln)
        for i in range(first + 2, last + 1):  # a signature and its date inside the text (a quoted statement's)
            ln, sig, above = lines[i], lines[i - 1], lines[i - 2]
            if ln.tag == "signal.timestamp" and BARE_DATE.match(ln.text) and not sig.removed and not above.removed \
                    and sg.visible_len(sig.text) <= 40 and not sg.ends_sentence(sig.text) \
                    and any(sg.is_prose(l.text) for l in lines[first:i - 1] if not l.removed):
                ln.tag = ln.why = ""
        _timeline(lines, first, last)
        _outline(lines, first, last)
        for i in range(first + 1, last):  # one section word between two paragraphs is a sub-heading
            ln = lines[i]
            if ln.rule is not None and ln.rule.id == "chrome.channel-menu" and len(ln.text.split()) == 1 \
                    and not lines[i - 1].removed and sg.is_prose(lines[i - 1].text) \
                    and not lines[i + 1].removed and (sg.is_prose(lines[i + 1].text) or i + 2 < len(lines)
                                                      and _heading_shaped(lines[i + 1].text)
                                                      and sg.is_prose(lines[i + 2].text)):
                _restore(ln)  # ("CHINA", "News" as the heading of the article's next part)
        for i in range(first + 1, last):  # a non-prose line printed twice in a row is a list echo
            a, b = lines[i - 1], lines[i]
            if not b.removed and not sg.is_prose(b.text) and sg.norm(a.text) == sg.norm(b.text):
                b.drop("signal.repeat", "the same short line repeated")
    else:
        title_idx, title_text = find_title(lines, len(lines), title)
    return prose, title_idx, title_text


FRAME = re.compile(r"^[=\-_~*#]{20,}$")


def _frame(lines: list[_Line]) -> None:
    """A newsletter framed by long rules: what stands above the rule before its greeting ("Good
    morning,") is its masthead and blurb, what stands below the rule after its sign-off ("Until
    next Tuesday," / "Hannah") is its footer, and a block between two rules that an ad label
    opens is a sponsor's."""
    rules = [i for i, ln in enumerate(lines) if FRAME.match(ln.text)]
    if len(rules) < 2:
        return
    kept = [i for i, ln in enumerate(lines) if not ln.removed]
    after = [i for i in kept if i > rules[0]][:1]
    if after and GREETING.match(lines[after[0]].text):
        for ln in lines[:rules[0]]:
            if not ln.removed and not ln.keep:
                ln.drop("signal.frame", "a newsletter's masthead, above the rule before its greeting")
    before = [i for i in kept if i < rules[-1]][-2:]
    if len(before) == 2 and GREETING.match(lines[before[0]].text) and sg.visible_len(lines[before[1]].text) <= 30 \
            and not sg.ends_sentence(lines[before[1]].text):
        for ln in lines[rules[-1] + 1:]:
            if not ln.removed and not ln.keep:
                ln.drop("signal.frame", "a newsletter's footer, below the rule after its sign-off")
    for a, b in zip(rules, rules[1:]):
        inner = lines[a + 1:b]
        if 0 < len(inner) <= 6 and inner[0].rule is not None and inner[0].rule.id == "chrome.ad":
            for ln in inner:
                if not ln.removed and not ln.keep:
                    ln.drop("signal.frame", "a sponsor's block between two rules, under its ad label")


def _mail_frame(lines: list[_Line]) -> None:
    """A newsletter read as an e-mail (a header block of From/Date/Subject at the top), its text
    opened by a greeting ("Hi all,") and closed by a sign-off and a name ("See you next
    Thursday," / "Maya"): between the header and the greeting stand the masthead and its blurb,
    after the name the footer (forward, unsubscribe, postal address). Nothing goes when the
    mail quotes earlier messages below the sign-off (a thread's text is its own)."""
    heads = [i for i, ln in enumerate(lines[:12]) if MAIL_FIELD.match(ln.text)]
    if len(heads) < 2:
        return
    kept = [i for i, ln in enumerate(lines) if not ln.removed and i > max(heads)]
    greet = next((i for i in kept[:8] if GREETING.match(lines[i].text)), None)
    if greet is None:
        return
    bye, end = next(((a, i) for a, i in zip(kept, kept[1:]) if a > greet + 2 and GREETING.match(lines[a].text)
                     and sg.visible_len(lines[i].text) <= 30 and not sg.ends_sentence(lines[i].text)), (None, None))
    text = sum(1 for i in kept if greet < i < (end or 0) and sg.is_prose(lines[i].text))
    if end is None or text < 3 or any(MAIL_FIELD.match(ln.text) or QUOTE_RULE.match(ln.text) for ln in lines[end + 1:]):
        return
    for i in (greet, bye, end):
        lines[i].struct = True  # (the author's own greeting and sign-off: no header or footer)
    for i in kept:
        if i < greet or i > end:
            if not lines[i].keep:
                lines[i].drop("signal.frame", "a newsletter's masthead above its greeting" if i < greet
                              else "a newsletter's footer below its sign-off")


def _same_block(lines: list[_Line], i: int, first: int) -> bool:
    """Is line i a sentence of the text's first block: no blank line and nothing removed between
    it and the first paragraph, and it reads as a clause (twelve Chinese characters or eight
    words, a comma or more, few interface words)? Posts written a line a sentence, without full
    stops ("小弟做IT，公司最近評估唔同大模型API，結果有個幾尷尬嘅發現"), start before their first line
    that ends like a sentence."""
    t = lines[i].text
    if first - i > 12 or not (sg.han_count(t) >= 12 or len(t.split()) >= 8) or not re.search(r"[，,、；;]", t) \
            or sg.interface_share(t) >= 0.3:
        return False
    return all(not lines[k].gap and not lines[k].removed for k in range(i + 1, first)) and not lines[first].gap


def _text_began(lines: list[_Line], i: int, title_idx: int | None) -> bool:
    """Had the text begun above line i (below the title): past the short lines kept so far (a
    signature's), are the two nearest kept lines above sentences of the text? A cover letter's
    salutation and its sentence are the text, and so is the signature under them, though the
    attachment below is the longer run."""
    above = [j for j in range(title_idx + 1 if title_idx is not None else 0, i) if not lines[j].removed]
    if len(above) < 2:
        return False
    k = len(above) - 1
    while k >= 0 and sg.visible_len(lines[above[k]].text) <= 30 and not sg.ends_sentence(lines[above[k]].text):
        k -= 1  # (the signature's own lines kept so far)
    if k < 1 or not all(sg.is_prose(t) or sg.visible_len(t) >= 30 and len(_CLAUSES.findall(t)) >= 2
                        for t in (lines[j].text for j in above[k - 1:k + 1])):
        return False
    return sum(1 for l in lines[above[k] + 1:i] if l.removed) <= 2  # (a signature follows its text; menus between: no letter)


_CLAUSES = re.compile(r"[,，;；、:：]")


MAIL_FIELD = re.compile(r"^(?:" + MAIL_FIELDS + r")\s*[:：]\s*\S", re.IGNORECASE)
MAIL_RECIPIENTS = re.compile(r"^(?:To|Cc|Bcc|Reply-To|收件人|抄送|收件者|副本)\s*[:：]", re.IGNORECASE)
QUOTE_RULE = re.compile(r"^[-=_—\s]{4,}[^-=_—]{2,40}[-=_—\s]{4,}$|^-{3,}\s*[^-]{2,40}\s*-{3,}$")


def _mail_headers(lines: list[_Line]) -> None:
    """An e-mail thread pasted whole: each message opens with a block of header fields (From,
    Sent, To, Cc, Subject; 发件人, 发送时间, 收件人, 抄送, 主题), three or more in a row. The
    first block's sender, time and subject are the page's metadata and title (later stages
    read them); its recipient lines go. A quoted message's block goes whole, with the rule line
    above it ("-----Original Message-----", "—— 以下是原始邮件 ——"); its text stays."""
    i, first = 0, True
    while i < len(lines):
        j = i
        while j < len(lines) and not lines[j].keep and MAIL_FIELD.match(lines[j].text):
            j += 1
        if j - i < 3:
            i += 1
            continue
        for ln in lines[i:j]:
            if not first or MAIL_RECIPIENTS.match(ln.text):
                ln.rule = None  # (a rule may have taken it as metadata: the reason is this one)
                ln.drop("signal.mail-header", "an e-mail's header fields (a quoted message's, or its recipients)")
        if not first and i > 0 and QUOTE_RULE.match(lines[i - 1].text):
            lines[i - 1].drop("signal.mail-header", "the rule line above a quoted e-mail")
        first = False
        i = j


def _repeated_labels(lines: list[_Line]) -> None:
    """A short line printed three times or more on one page, never as a sentence, in good part
    interface words ("Reply" under each comment, "您需要 登录 才可以下载或查看附件" on each floor),
    is the page's own furniture: buttons and notices repeat, an article's lines do not."""
    seen: dict[str, list[_Line]] = {}
    for ln in lines:
        t = ln.text
        if ln.keep or ln.struct or not 2 <= sg.visible_len(t) <= 40 or sg.ends_sentence(t) \
                or t[:1] in "#-*|>`" or t.endswith((":", "：")) or " — " in t or sg.interface_share(t) < 0.25:
            continue  # (a speaker's label, "Name — Role", a live page's recurring heading: the article's)
        seen.setdefault(t, []).append(ln)
    for group in seen.values():
        if len(group) >= 3:
            for ln in group:
                if not ln.removed:
                    ln.drop("signal.repeated-label", f"a short label printed {len(group)} times on this page (a button or a notice)")


CLOCK = re.compile(r"\d:\d\d")


def _counts_up(texts: list[str]) -> bool:
    """Do the numbers that change between these lines only grow, line after line (a page, a
    location in a book)? A list of other days' headlines under today's does not."""
    runs = [[int(x) for x in _DIGIT_RUN.findall(t)] for t in texts]
    if len({len(r) for r in runs}) != 1:
        return False
    moving = [p for p in range(len(runs[0])) if len({r[p] for r in runs}) > 1]
    return bool(moving) and all(all(a[p] < b[p] for a, b in zip(runs, runs[1:])) for p in moving)


def _repeated_stamps(lines: list[_Line]) -> None:
    """The same record furniture printed over or under each of three or more items of a page: two
    lines that recur together ("摘录来自" / the book's name / "此材料可能受版权保护。" under each
    highlight), or one line that recurs with only its numbers changed ("Highlight (yellow) - Page 34 ·
    Location 471", "Working Paper 26-04 Page 2 of 5"). An article's sentences and its speakers'
    names do not recur as pairs, nor with their numbers alone changing."""
    exact = [l.text if l.text and len(l.text) <= 120 and not l.keep and not l.struct and "\t" not in l.text
             else None for l in lines]  # (a longer line is no record's furniture: not looked at)
    often = {k for k, c in Counter(exact).items() if c >= 3 and k is not None}
    where: dict = {}
    for i, k in enumerate(exact):
        if k in often and i + 1 < len(exact) and exact[i + 1] in often:
            where.setdefault((k, exact[i + 1]), []).append(i)
    for (a, b), at in where.items():
        at = [i for n, i in enumerate(at) if n == 0 or i - at[n - 1] >= 3]  # (apart: a list's rows are not records)
        pair = [ln for i in at for ln in lines[i:i + 2]]
        if len(at) < 3 or a == b or any(ln.removed or sg.visible_len(ln.text) > 40 and sg.is_prose(ln.text) for ln in pair):
            continue  # (a sentence of the text is no furniture; nor a name over a button already gone)
        for i in at:
            for ln in lines[i:i + 2]:
                if not ln.removed:  # (a speaker's name over a button, "Share this contribution", stays: the button goes alone)
                    ln.drop("signal.repeated-record", f"printed with its neighbour beside {len(at)} items of this page (a record's furniture)")
    keys = [_DIGIT_RUN.sub("#", sg.norm(k)) if k is not None and 8 <= len(k) and _DIGIT_RUN.search(k) and not CLOCK.search(k)
            else None for k in exact]
    single: dict = {}  # (a speaker's name over the clock, "Jordan Pike  0:03", changes its numbers too: not these)
    for i, k in enumerate(keys):
        if k is not None and len(k.replace("#", "")) >= 8 and sg.visible_len(lines[i].text) <= 100 \
                and not sg.ends_sentence(lines[i].text) and not lines[i].text.endswith((":", "：")):
            single.setdefault(k, []).append(i)
    for k, at in single.items():
        if len(at) >= 3 and len({lines[i].text for i in at}) >= 3 and all(b - a >= 2 for a, b in zip(at, at[1:])) \
                and _counts_up([lines[i].text for i in at]):
            for i in at:
                if not lines[i].removed:
                    lines[i].drop("signal.repeated-record", f"printed {len(at)} times on this page with only its numbers changed")


CUE_TIME = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}(\s.*)?$")


def _subtitles(raw: list) -> list[_Line] | None:
    """A subtitle file (.srt, WebVTT), or None. Each cue's number and its "00:00:04,200 -->
    00:00:08,800" line are the file's markup (removed); the cues' text is the talk, cut wherever
    the screen was full, so it is joined back into sentences: one line per sentence or run of
    sentences, ending where a cue's text ends one (a sound tag such as [MUSIC] stands alone).
    Fewer than three cue times: not a subtitle file."""
    times = [k for k, (_, t, _) in enumerate(raw) if "-->" in t and CUE_TIME.match(t)]
    if len(times) < 3:
        return None
    marks = set(times) | {k - 1 for k in times if k > 0 and raw[k - 1][1].isdigit()}
    lines: list[_Line] = []
    run: list = []

    def flush():
        if run:
            text = run[0][1]
            for _, t, _ in run[1:]:
                text += t if sg.HAN.search(text[-1:]) and sg.HAN.search(t[:1]) else " " + t
            lines.append(_Line(run[0][0], text, gap=True, end=run[-1][0] if len(run) > 1 else 0,
                               struct=True))  # (a subtitle file has no page around its text)
            run.clear()

    for k, (n, t, gap) in enumerate(raw):
        if k in marks:
            ln = _Line(n, t, gap=gap)
            ln.drop("signal.cue", "a subtitle cue's number or time")
            lines.append(ln)
            continue
        if SOUND_TAG.match(t):
            flush()
            lines.append(_Line(n, t, gap=True))
            continue
        run.append((n, t, gap))
        if sg.ends_sentence(t):
            flush()
    flush()
    return sorted(lines, key=lambda l: l.n)


SOUND_TAG = re.compile(r"^[\[(（【][^\])）】]{1,30}[\])）】]$")


_DIGIT_RUN = re.compile(r"\d+")


def _slots(lines: list[_Line], title_idx: int | None, prose: list[int]) -> None:
    """A page built of records, each a marker that recurs (a transcript's time offset "02:38", a
    debate's "Share this contribution") with the text beside it: when the lines in one place beside
    the marker (the line after it, or the line before it) are kept in three records of four or
    more, that place holds the article's text, and a line there that a layout signal removed, or a
    phrase rule took although it is a sentence ("Subscribe to the 'one winner' theory and …"), is
    the article's too, if it is what that place holds elsewhere (a paragraph, or a short line
    such as a speaker's name). Only inside the article's run: a list of other videos or articles
    under it (title / channel / views) is records too."""
    if not prose:
        return
    lo, hi = prose[0], prose[-1]
    keys: list[str | None] = [_DIGIT_RUN.sub("#", ln.text) if len(ln.text) <= 80 and sg.visible_len(ln.text) <= 40
                              and not sg.is_prose(ln.text) else None for ln in lines]  # (a marker's shape: digits masked)
    places: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            places.setdefault(key, []).append(i)
    for key, marks in places.items():
        if len(marks) < 4:
            continue
        for step in (1, -1):
            place = [i + step for i in marks if 0 <= i + step < len(lines) and keys[i + step] != key]
            kept = [j for j in place if not lines[j].removed]
            if len(kept) < 3 or len(kept) < 0.75 * len(place) or sum(1 for j in kept if lo <= j <= hi) < 0.75 * len(kept):
                continue
            talk = 2 * sum(1 for j in kept if sg.is_prose(lines[j].text)) >= len(kept)  # (what the place holds:
            for j in place:  # paragraphs, or short lines such as speakers' names)
                ln = lines[j]
                if not ln.removed or ln.keep or j == title_idx or not lo - 2 <= j <= hi:
                    continue
                prose = sg.is_prose(ln.text)
                like = prose if talk else not prose and sg.visible_len(ln.text) <= 60
                taken = ln.tag in _QUIET + ("section",) if ln.rule is None else \
                    ln.rule.action == "drop" and prose and sg.interface_share(ln.text) < 0.1  # (a sentence a phrase took)
                if like and taken:
                    _restore(ln)


def _mark_title(lines: list[_Line], prose: list[int], title_idx: int | None, title_text: str | None,
                title: str | None) -> None:
    """The title line leaves the body (shown as the page's title), and so do lines above the
    text repeating the title (the curator's, or the one found)."""
    if title_idx is not None:
        ln = lines[title_idx]
        ln.rule, ln.tag = None, "title"
        ln.why = "the title (shown as the page title)" if title is None else "repeats the title"
    shown = title or title_text
    if shown:
        for ln in lines[: (prose[0] if prose else len(lines))]:
            if not ln.removed and sg.norm(strip_suffix(ln.text.lstrip("#").strip())) == sg.norm(shown):
                ln.drop("title", "repeats the title")


def clean(body: str, offset: int = 0, *, title: str | None = None, extra: list[Rule] = (),
          keeps: list[re.Pattern] = (), markdown: bool = False, repeats: dict | None = None) -> Cleaned:
    """Clean one body. `offset` is the number of file lines before the body (front matter);
    `title` is a title the curator set, whose repetitions leave the body; `repeats` is the
    cross-article evidence {line shape: other pages of this site that carry it}
    (furniture.evidence)."""
    stripped = [t.strip() for t in body.split("\n")]
    raw = [(offset + i + 1, t, i > 0 and not stripped[i - 1]) for i, t in enumerate(stripped) if t]
    cues = _subtitles(raw)
    lines = cues if cues is not None else []
    for lg in unwrap(raw) if cues is None else ():  # a hard-wrapped text is cleaned paragraph by paragraph
        ln = _Line(lg.n, lg.text, gap=lg.gap, end=lg.end)
        if lg.furniture:
            ln.drop("signal.page-furniture", "running header, footer or page number of a wrapped copy")
        lines.append(ln)
    if not lines:
        return Cleaned(kept=(), removed=())
    _aligned_tables(lines)
    markers = _apply_rules(lines, list(extra) + list(builtin_rules()), list(keeps))
    _mail_headers(lines)
    for ln in lines:  # Markdown structure is the author's: the region heuristics leave it alone
        ln.struct = ln.struct or bool(TABLE_ROW.match(ln.text) or (markdown and MD_BLOCK.match(ln.text)
                                                                   and not LINK_ONLY.match(ln.text)))
        if not ln.keep and not ln.removed and sg.is_timestamp(ln.text):  # (one pass: neither test reads the other's)
            ln.drop("signal.timestamp", "a date or time line (it becomes page metadata)")
    _holes(lines)
    _ad_copy(lines)
    _polls(lines)
    _machine_summary(lines)
    _list_groups(lines)
    _sections(lines, markers, _comment_start(lines))
    _threads(lines)
    _chapters(lines)
    _repeated_labels(lines)
    _repeated_stamps(lines)
    _mail_frame(lines)
    _frame(lines)

    prose, title_idx, title_text = _regions(lines, repeats, title)
    _mark_title(lines, prose, title_idx, title_text, title)
    _slots(lines, title_idx, prose)
    _own_note(lines)
    _restore_numbered(lines)
    _restore_section_numbers(lines)
    kept = [l for l in lines if not l.removed]
    risky = []
    if not kept:  # the guard: never publish an empty article because a rule went wrong
        return Cleaned(kept=tuple((l.n, l.text) for l in lines), removed=(), title_line=None,
                       title_text=None, risky=("cleaning would remove every line; kept the original",),
                       spans=tuple((l.n, l.end) for l in lines if l.end > l.n))
    total = sum(map(sg.visible_len, (l.text for l in lines)))
    left = sum(map(sg.visible_len, (l.text for l in kept)))
    if total and left / total < 0.2:
        risky.append(f"cleaning removed {100 - 100 * left // total}% of the text")
    if left < 150 and len(kept) < len(lines):
        risky.append("the cleaned body is very short")
    if not prose and len(kept) < len(lines):
        risky.append("no paragraph of prose found")
    risky += _guard_rails(lines, {r.id for r in extra})
    removed = tuple(Removal(l.n, l.text, l.why or (l.rule.reason if l.rule else ""),
                            l.rule.id if l.rule else l.tag) for l in lines if l.removed)
    return Cleaned(kept=tuple((l.n, l.text) for l in kept), removed=removed,
                   title_line=lines[title_idx].n if title_idx is not None else None,
                   title_text=title_text, risky=tuple(risky),
                   stamps=tuple((l.n, l.text, l.role) for l in lines if l.role or sg.is_timestamp(l.text)
                                or (sg.visible_len(l.text) <= 120 and not sg.is_prose(l.text))),
                   first_line=lines[prose[0]].n if prose else None,
                   spans=tuple((l.n, l.end) for l in lines if l.end > l.n))


