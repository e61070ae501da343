"""Structure and the article's extent: signals about how the page is built, not what it says.

  - tables pasted as text (aligned cells) and the article's own numbered headings;
  - sub-headings, and running text (prose, or a caption track without punctuation);
  - the article's dense run of prose (_main_run), scored line by line;
  - guard rails: removals that look like article text, named for the curator.

Used by clean() (clean/__init__.py) on its _Line objects.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from . import signals as sg
from .title import stamp as _stamp


def _running_text(text: str) -> bool:
    """Prose, or a long run of mostly lower-case words (a caption track has no punctuation);
    a row of Title Case links is neither."""
    if sg.is_prose(text):
        return True
    words = text.split()
    return sg.visible_len(text) >= 40 and len(words) >= 6 and sum(w[:1].islower() for w in words) >= 0.6 * len(words)


CELL_GAP = re.compile(r"\t|\u3000+|\s{2,}|\s\|\s")


def _aligned_tables(lines: list) -> None:
    """Rows of a table pasted as text: consecutive lines cut into the same number (three or
    more) of cells by tabs, ideographic spaces, runs of spaces or " | " (three rows at least,
    no arrows: a pager is not a table), one of them with a number. They are the author's
    structure, not a channel menu."""
    cells = [_cells(l.text) for l in lines]
    i = 0
    while i < len(lines):
        if cells[i] < 3:  # (no table starts here: most lines, skipped without the tests below)
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and cells[j + 1] in (cells[i], RULE_ROW):
            j += 1  # (a Markdown rule row "|---|---|" under the header belongs to any table)
        piped = all(("|" in l.text or "｜" in l.text) and "\t" not in l.text for l in lines[i:j + 1])
        if j > i + (1 if piped else 0) and (any(re.search(r"\d", l.text) for l in lines[i:j + 1])
                                            or (j >= i + 2 and _columns_align(lines[i:j + 1]))) \
                and not (piped and any(re.search(r"[<>›»]", l.text) for l in lines[i:j + 1])):
            for l in lines[i:j + 1]:
                l.struct = True
        i = j + 1


def _columns_align(rows: list) -> bool:
    """Three or more rows cut by runs of spaces whose cells start at the same columns (wide
    characters counted twice, as a terminal or a PDF's text layer sets them): a table without
    numbers ("层级    代表国家和地区    芯片出口政策"). A menu is one line; its words are not set
    in columns over the lines below it."""
    starts = []
    for l in rows:
        t = l.text.rstrip()
        if "\t" in t or "|" in t or "｜" in t:
            return False
        cols, col, gap = [], 0, 2
        for ch in t:
            if ch == " ":
                gap += 1
            else:
                if gap >= 2:
                    cols.append(col)
                gap = 0
            col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        starts.append(cols)
    return all(len(c) == len(starts[0]) for c in starts) and \
        all(max(c[k] for c in starts) - min(c[k] for c in starts) <= 1 for k in range(len(starts[0])))


RULE_ROW = -1
_RULE = re.compile(r"^[\s|｜:：\-—–]+$")


def _cells(t: str) -> int:
    """How many cells a line is cut into (0: not a table's row; RULE_ROW: "|---|---|")."""
    if not ("\t" in t or "\u3000" in t or "  " in t or "|" in t or "｜" in t):
        return 0
    if ("|" in t or "｜" in t) and "-" in t and _RULE.match(t):
        return RULE_ROW
    t = t.strip().strip("|｜").strip()  # (a Markdown row's outer bars)
    for bar in ("｜", "|"):
        if t.count(bar) >= 2:  # cells between bars, spaced or not ("戰場｜美國優勢｜中國優勢")
            return t.count(bar) + 1
    return len(CELL_GAP.split(t))


ENUM = re.compile(r"^\s*(?:第([一二三四五六七八九十]+)(?:[、，,是]|部分)|([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）"
                  r"|([壹貳參肆伍陸柒捌玖拾贰叁陆])、)")  # (1. 2. 3. number most-read lists too: not these)
_ZH_NUM = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")} | \
    {c: i + 1 for i, c in enumerate("壹貳參肆伍陸柒捌玖拾")} | {"贰": 2, "叁": 3, "陆": 6}


_ENUM_FIRST = frozenset("第一二三四五六七八九十（壹貳參肆伍陸柒捌玖拾贰叁陆 ")


def _enum(text: str) -> tuple[int, int] | None:
    """(kind, number) of a Chinese heading's enumerator: 三、 （三） 第三 叁、"""
    m = ENUM.match(text) if text[:1] in _ENUM_FIRST else None
    if not m:
        return None
    kind = next(k for k in range(1, 5) if m[k])
    raw = m[kind]
    n = int(raw) if raw.isdigit() else _ZH_NUM.get(raw[-1], 0) + (10 if len(raw) == 2 and raw[0] == "十" else 0)
    return kind, n


def _restore_numbered(lines: list) -> None:
    """A line that a layout signal removed, but whose enumerator continues a sequence the kept
    article uses (一、 二、 … 三、 removed after a related list), is the article's."""
    _restore_counted(lines)
    numbered = [l for l in lines if l.text[:1] in _ENUM_FIRST]  # (the only lines _enum can read)
    seen: dict[int, set[int]] = {}
    for l in numbered:
        if not l.removed and (e := _enum(l.text)):
            seen.setdefault(e[0], set()).add(e[1])
    for l in numbered:
        if l.removed and l.rule is None and l.tag in _LAYOUT and (e := _enum(l.text)):
            near = seen.get(e[0], set())
            if e[1] - 1 in near or e[1] + 1 in near:
                l.tag = l.why = ""
                l.role = ""


ARABIC_ITEM = re.compile(r"^(\d{1,2})[.、．](?!\d)\s*\S")
_LAYOUT = ("section", "signal.header", "signal.footer", "signal.link-list", "signal.menu")


def _restore_counted(lines: list) -> None:
    """Items numbered 1. 2. 3. … in order down the page, the first and the last of a run kept:
    the items between, which a layout signal removed (a short field "4.相互持股比例:不適用" in a
    filing's numbered list), are the article's too. A new list starts again at 1: a most-read
    list under the article is another run."""
    items = [(k, int(m[1])) for k, l in enumerate(lines) if l.text[:1].isdigit() and (m := ARABIC_ITEM.match(l.text))]
    run: list[int] = []
    for j, (k, n) in enumerate(items + [(None, None)]):
        if run and k is not None and n == items[run[-1]][1] + 1:
            run.append(j)
            continue
        ends = [items[x][0] for x in run]
        if len(ends) >= 3 and not lines[ends[0]].removed and not lines[ends[-1]].removed:
            for x in ends[1:-1]:
                l = lines[x]
                if l.removed and l.rule is None and l.tag in _LAYOUT:
                    l.tag = l.why = ""
                    l.role = ""
        run = [j]


SECTION_NUMBER = re.compile(r"^(?:0?[1-9]|[1-9]\d|(?:19|20)\d\d)$|^Part\s+\d{1,2}$", re.IGNORECASE)  # (or a year: a timeline's)


def _restore_section_numbers(lines: list) -> None:
    """Bare numbers inside the article that count 01, 02, 03 … in order, each above a heading
    or a paragraph, are its section numbers (a 公众号 article's), not like or read counters."""
    if any((l.text[:1] == "(" or l.text[:1].isdigit()) and CLAUSE_MARK.match(l.text) for l in lines):
        _counted_marks(lines)
    if sum(1 for l in lines if SECTION_NUMBER.match(l.text)) < 2:
        return  # (fewer than two bare numbers on the page: nothing to count)
    kept = [i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)]
    if len(kept) < 2:
        return
    found = [i for i in range(kept[0] + 1, kept[-1]) if lines[i].removed and SECTION_NUMBER.match(lines[i].text)
             and not lines[i + 1].removed and (lines[i].rule is None or lines[i].rule.id == "chrome.counter")
             and not (lines[i].tag == "signal.page-furniture" and lines[i - 1].tag == "signal.page-furniture")]
    #        (a page number under the running header of a printed copy is no section's)
    numbers = [int(re.sub(r"\D", "", lines[i].text)) for i in found]
    if len(found) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:])) and numbers[0] <= 2:
        for i in found:
            lines[i].rule, lines[i].tag, lines[i].why = None, "", ""
    years = [(i, n) for i, n in zip(found, numbers) if 1900 <= n <= 2100]  # a timeline's year headings, in
    steps = [b - a for (_, a), (_, b) in zip(years, years[1:])]  # order one way or the other ("2022", "2023" …)
    if years[1:] and (all(d > 0 for d in steps) or all(d < 0 for d in steps)):
        for i, _ in years:
            lines[i].rule, lines[i].tag, lines[i].why = None, "", ""


CLAUSE_MARK = re.compile(r"^\((\d{1,3})\)$|^(\d{1,2}\.)(\d{1,2})$")  # a recital's "(1)", a standard's clause "3.1"


def _counted_marks(lines: list) -> None:
    """Numbers standing alone inside the article, "(1)" "(2)" "(3)" (a regulation's recitals) or
    "3.1" "3.2" (a standard's clauses), each over a line of text and counting on by one from 1 or
    2, kept or not: they are the text's numbering, and those a layout signal or the counter rule
    took come back."""
    kept = [i for i, l in enumerate(lines) if not l.removed]
    last = max((i for i in kept if sg.is_prose(lines[i].text)), default=None)
    if last is None:
        return
    marks = []
    for i in range(kept[0] + 1, last):
        m = CLAUSE_MARK.match(lines[i].text)
        if m and not lines[i + 1].removed and (not lines[i].removed or lines[i].rule is None and lines[i].tag in _LAYOUT
                                               or lines[i].rule is not None and lines[i].rule.id == "chrome.counter"):
            marks.append((i, m[2] or "(", int(m[1] or m[3])))
    for kind in {k for _, k, _ in marks}:
        run = [(i, n) for i, k, n in marks if k == kind]
        if len(run) >= 2 and run[0][1] <= 2 and all(y == x + 1 for (_, x), (_, y) in zip(run, run[1:])):
            for i, _ in run:
                if lines[i].removed:
                    lines[i].rule, lines[i].tag, lines[i].why = None, "", ""


def _heading_shaped(text: str) -> bool:
    t = text.strip()
    return 2 <= sg.visible_len(t) <= 40 and not sg.ends_sentence(t) and not t.endswith(("，", ",", "：", ":")) \
        and not _stamp(t) and not re.fullmatch(r"[\W\d_]+", t)


def _has_subheadings(lines: list, first: int, last: int, numbered: bool = False) -> bool:
    """Does the article carry sub-headings: short lines standing between its paragraphs?"""
    return any(not l.removed and sg.is_prose(_next_text(lines, k, numbered))
               and (_heading_shaped(l.text) and not sg.is_prose(l.text) or QUESTION_HEADING.match(l.text))
               for k, l in enumerate(lines[first + 1:last], start=first + 1))


QUESTION_HEADING = re.compile(r"^(?:Q\d{1,2}[.:：]|问题?\s*\d{1,2}[.:：、]|問題?\s*\d{1,2}[.:：、]).{4,90}[?？]$")
# (a numbered question over its answer: "Q2: What limits supply in 2026?", a Q&A note's part)


def _page_mark(ln, numbered: bool) -> bool:
    """A wrapped copy's page furniture, or a line number of a numbered page (a pleading's 1-28),
    already gone: it does not stand between a heading and its paragraph."""
    return ln.removed and (ln.tag == "signal.page-furniture" or numbered and ln.text.isdigit() and len(ln.text) <= 3)


def _next_text(lines: list, k: int, numbered: bool) -> str:
    """The line after k, past page marks already gone."""
    k += 1
    while k < len(lines) - 1 and _page_mark(lines[k], numbered):
        k += 1
    return lines[k].text if k < len(lines) else ""


CODE = re.compile(r"^\s*(import|from|def|class|return|print|for|if|while|const|let|var|function)\b.*[\w)]|"
                  r"[\w\])]\s*=\s*[\w\"'(\[{]|\w\(.*\)\s*$|^\s*[)\]}]")


def _line_score(ln) -> float:
    """How much a line says "article here": prose by its length, page furniture against."""
    if ln.removed or ln.repeats:
        return -12.0
    n = sg.visible_len(ln.text)
    if sg.is_prose(ln.text):
        return float(min(n, 400))
    if _running_text(ln.text):
        return n / 2
    if ln.struct:
        return 5.0
    t = ln.text
    if n <= 60 and sg.interface_share(t) >= 0.5:
        return -(12.0 + min(n, 80) / 8)  # buttons and widgets
    if t.endswith(("：", ":")) and n >= 8:
        return 4.0  # a lead-in: "我这边的环境如下：", "Proposals under discussion include:"
    if CODE.search(t) or _enum(t):
        return 0.0  # a line of code, or the article's own numbered heading
    return -(8.0 + min(n, 80) / 8)


def _label(ln) -> bool:
    """A short kept line that says nothing: a menu item, a link, a label (lines other stages
    removed are out of the body already; a list item with a colon or a code line is structure)."""
    t = ln.text
    return not ln.removed and not ln.keep and sg.visible_len(t) <= 30 and not re.search(r"[:：，,、;；=()（）]", t)


def _main_run(lines: list, prose: list[int], first: int, last: int) -> tuple[int, int]:
    """The article's first and last paragraph, as the stretch of the page where prose is dense
    (the best-scoring run of lines, as in body-text extraction): a sentence in the site's
    banner or footer ("A .gov website belongs to …", "arXivLabs is a framework …") no longer
    stretches the article over the menus beside it. The ends move only past one or two such
    paragraphs standing apart (under 300 characters in all); more prose than that is the
    article's, and stays inside."""
    best = cur = 0.0
    start = b0 = b1 = first
    streak = 0  # short labels since the last text: a long block of them weighs more than its lines apart
    for i in range(first, last + 1):
        if cur <= 0:
            cur, start = 0.0, i
        score = _line_score(lines[i])
        if score < 0 and _label(lines[i]):
            streak += 1
            score *= 1 + streak / STREAK
        elif score > 0:
            streak = 0
        cur += score
        if cur > best:
            best, b0, b1 = cur, start, i
    inside = [i for i in prose if b0 <= i <= b1]
    if not inside:
        return first, last
    b1, inside = _cut_tail(lines, inside, b1)
    reach_after = _reach(lines, range(b1 + 1, last + 1))
    reach_before = _reach(lines, range(b0 - 1, first - 1, -1))
    before = [i for i in prose if i < inside[0]]
    after = [i for i in prose if i > inside[-1] and sg.visible_len(lines[i].text) >= 80]  # (a headline with
    #        a question mark, or a one-line bio, is shaped like prose but says nothing about the extent)
    weight = lambda idx: sum(sg.visible_len(lines[i].text) for i in idx)
    near_before = [i for i in before if i >= reach_before]
    new_first = inside[0] if len(near_before) <= 2 and weight(near_before) < 300 else \
        max(first, min(near_before, default=inside[0]))
    near = [i for i in after if i <= reach_after]  # (prose beyond the furniture is another page part's)
    new_last = max(inside[-1], b1) if len(near) <= 2 and weight(near) < 300 else max([b1] + near)
    return new_first, new_last


def _numbered_sections(lines: list, first: int, last: int) -> int:
    """The article's end moved past the sections its own numbering goes on with: the text
    heads its parts "一、" "二、", and "三、" "四、" follow after the run's end (a table or a page
    break between made the prose look thin there). The end moves to the last sentence of the
    last section so numbered, before any list or comment section a rule marked."""
    heads = [(i, e) for i in range(first, len(lines)) if lines[i].text[:1] in _ENUM_FIRST and not lines[i].keep
             and sg.visible_len(lines[i].text) <= 40 and (e := _enum(lines[i].text))]
    inside = [(i, e) for i, e in heads if i <= last]
    if inside:
        kind, n = inside[-1][1]
    else:  # (the first part's heading just after the run's end: "一、" right under the summary)
        one = next(((i, e) for i, e in heads if e[1] == 1 and i - last <= 12), None)
        if one is None:
            return last
        kind, n = one[1]
    h_last, count = None, 0
    for i, (k, m) in ((i, e) for i, e in heads if i > last):
        if k == kind and m == n + 1:
            n, h_last, count = m, i, count + 1
    if h_last is None or count < (1 if inside else 2):
        return last
    end = h_last
    for j in range(h_last + 1, min(len(lines), h_last + 60)):
        ln = lines[j]
        if ln.rule is not None and ln.rule.action in ("section", "section-end"):
            break
        if not ln.removed and (sg.ends_sentence(ln.text) or sg.is_prose(ln.text)):
            end = j
    return max(last, end)


def _cut_tail(lines: list, inside: list[int], b1: int) -> tuple[int, list[int]]:
    """The dense run without a tail of one or two short paragraphs that stand apart from the
    text behind four or more lines of furniture (an author box's bio after the tags, a related
    item's summary): the sum that finds the run lets a long article carry them. Sentences after
    the run stay in the body all the same; only the labels among them are then judged as the
    page's."""
    while len(inside) >= 4:
        k = len(inside) - 1
        while k > 0 and inside[k] - inside[k - 1] <= 2:
            k -= 1  # (the tail's paragraphs, a line apart at most)
        tail, gap = inside[k:], range(inside[k - 1] + 1, inside[k]) if k else range(0)
        if not k or len(tail) > 2 or sum(sg.visible_len(lines[i].text) for i in tail) >= 300 or len(gap) < 4 \
                or sum(_line_score(lines[i]) for i in gap) > -50 or len(inside) - len(tail) < 3 \
                or sum(sg.visible_len(lines[i].text) for i in inside[:k]) < 4 * sum(sg.visible_len(lines[i].text) for i in tail):
            break  # (a tail a quarter of the text or more is the article's own, after an inset)
        key = lambda i: re.sub(r"\d+", "#", sg.norm(lines[i].text))  # noqa: E731
        seen = Counter(key(i) for i in range(inside[0], inside[k - 1]) if i not in set(inside))
        shared = {key(i) for i in gap} & set(seen)
        if len(shared) >= 2 or any(seen[x] >= 2 for x in shared):
            break  # (the same furniture stands between the text's own parts: a live page's "Share", "Copy link",
            #        time; a newsletter's "閱讀全文 →" under each of its items)
        inside = inside[:k]
        b1 = inside[-1]
    return b1, inside


STREAK = 4  # the n-th short label since the last text weighs (1 + n/4) times its own score
FAR = 150.0  # page furniture worth this much score (a dozen menu lines) cuts the text off


def _reach(lines: list, order) -> int:
    """How far from the dense run prose can still be the article's: the last index (in `order`,
    walking away from the run) before the furniture passed on the way outweighs FAR."""
    total, reach = 0.0, None
    for i in order:
        score = _line_score(lines[i])
        total += score
        if total < -FAR:
            break
        reach = i
        total = min(total, 0.0) if score > 0 else total  # (prose on the way counts, not banks)
    if reach is None:
        return -1 if isinstance(order, range) and order.step > 0 else 1 << 30
    return reach


def _quote(ln) -> str:
    return f"line {ln.n}: “{ln.text[:60]}{'…' if len(ln.text) > 60 else ''}”"


def _guard_rails(lines: list, curator: set[str]) -> list[str]:
    """Removals that look like article text, for the curator to check: a sentence-shaped line
    taken out from between kept paragraphs, and any sentence-shaped line a curator's own rule
    removed (a pattern written too broadly drops real paragraphs without a sound)."""
    out = []
    kept = [i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)]
    if kept:
        inside = [l for l in lines[kept[0] + 1:kept[-1]]
                  if l.removed and l.role != "comment" and sg.is_prose(l.text) and sg.visible_len(l.text) >= 80
                  and (l.rule is None or l.rule.id in curator)]  # a built-in phrase rule knows its line
        if inside:
            out.append(f"removed {len(inside)} sentence-shaped line{'s' if len(inside) > 1 else ''} from inside "
                       f"the article ({_quote(inside[0])}): check with inspect, or add a keep pattern")
    by_rule: dict[str, list] = {}
    for l in lines if curator else ():  # (no curator rule, nothing to name)
        if l.rule is not None and l.rule.id in curator and sg.is_prose(l.text):
            by_rule.setdefault(l.rule.id, []).append(l)
    for rid, ls in by_rule.items():
        out.append(f"the curator rule {rid} removed {len(ls)} sentence-shaped line{'s' if len(ls) > 1 else ''} "
                   f"({_quote(ls[0])}): is its pattern too broad?")
    return out
