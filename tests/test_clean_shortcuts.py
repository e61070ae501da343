"""The cleaner's speed shortcuts answer exactly as the plain way does (bench/results.md, 2026-12-07).

Each shortcut skips work that cannot change an answer. Here each one is checked against the plain
code it replaced (kept below as the reference), on generated input: a shortcut that ever
answered differently would change what the cleaner keeps.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from itertools import accumulate

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import digest.clean as C
from digest.clean import signals as sg
from digest.clean import structure as S
from digest.clean.rules import Rule

U = importlib.import_module("digest.clean.unwrap")  # (the package exports a function of that name)

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines of the shapes the shortcuts look at: comment headers and like counts, table rows,
# enumerated headings, interface words, dates, Chinese and English prose of several lengths.
PROSE_ZH = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。"
SHAPES = [
    "Daniel Voss", "Daniel Voss 12", "daniel_v 3 hours ago", "daniel_v · 2 days ago", "Reply", "回复", "赞 3", "Like",
    "张三", "张三 45", "2026-03-05 10:12", "3小时前", "Share", "Report", "12 replies",
    "名称\t数量\t价格", "A100\t12\t3.5", "H800\t8\t2.1", "col a  col b  col c", "1 | 2 | 3", "a | b | c",
    "一、总体情况", "二、主要问题", "（三）下一步", "第四部分", "叁、结语", "1. Introduction",
    "分享 收藏 举报", "Sign in to reply", "相关推荐", "Related", "评论列表",
    PROSE_ZH,
    "The Commerce Department said on Tuesday it would widen export controls on advanced chips.",
    "Analysts said the rule, which takes effect next month, could reshape supply chains; others disagreed.",
    "什么是算力？", "It is what it is.", "Is this the end?", "no full stop here and it goes on in lower case",
    "https://example.org/a/very/long/url", "[a link](https://example.org)", "| a | b |", "",
]
LINE = st.one_of(st.sampled_from(SHAPES), st.text(max_size=80),
                 st.text(alphabet="ab 1:|\t，。、人工智能.?-", max_size=50))


def _lines(texts: list[str], removed: list[bool] | None = None) -> list:
    lines = [C._Line(i + 1, t) for i, t in enumerate(texts)]
    for ln, gone in zip(lines, removed or []):
        if gone:
            ln.tag = "x"
    return lines


# --- the wrap width: fewer than 4 lines near any width tried means no width, found with map -----

def _width_plain(lengths, lo, hi, tol, share):
    if len(lengths) < 4:
        return None
    lengths = [n if n <= hi + 8 else hi + 8 for n in lengths]
    top = max(lengths)
    counts = [0] * (top + 1)
    for n in lengths:
        counts[n] += 1
    upto = list(accumulate(counts))
    at_most = lambda k: upto[min(k, top)] if k >= 0 else 0  # noqa: E731
    best, best_near = None, 0
    for w in range(lo, min(hi, top) + 1):
        near = upto[w] - upto[w - tol]
        if near > best_near:
            best, best_near = w, near
    if best is None or best_near < 4:
        return None
    w = max(n for n in range(best - tol + 1, best + 1) if counts[n])
    if w < lo or tol > 4 and sum(1 for n in range(w - tol + 1, w + 1) if counts[n]) < 3:
        return None
    longer = len(lengths) - at_most(w // 2)
    over = len(lengths) - at_most(w + (3 if tol <= 4 else 2))
    if best_near < share * longer or over > 0.12 * longer:
        return None
    return w


WIDTH_ARGS = [(14, 60, 2, 0.25), (28, 120, 4, 0.25), (30, 110, 14, 0.5)]  # the three callers' (widths())


@st.composite
def _wrapped_lengths(draw):
    """Line lengths of a text wrapped near some width, with lines at the edges the early exits
    count (half the width, just past it, past every width)."""
    lo, hi, tol, share = args = draw(st.sampled_from(WIDTH_ARGS))
    w = draw(st.integers(lo, hi))
    near = st.integers(max(0, w - tol + 1), w)
    edges = st.sampled_from([lo // 2, lo // 2 + 1, lo - tol, lo - tol + 1, w // 2, w // 2 + 1, w + 1, w + 2, w + 3, w + 4,
                             hi, hi + 1, hi + 3, hi + 4, hi + 8, hi + 9, 300])
    return draw(st.lists(st.one_of(near, near, near, edges, st.integers(0, 200)), max_size=60)), args


@example(([59, 60, 60, 59, 60, 59, 62], WIDTH_ARGS[0]))  # wrapped at the widest width, a line 2 past it
@example(([116, 118, 120, 119, 120, 123], WIDTH_ARGS[1]))  # (3 past it, in columns)
@example(([100, 104, 108, 110, 110, 109, 112], WIDTH_ARGS[2]))  # (English: 2 past it)
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_wrapped_lengths())
def test_wrap_width_shortcut_answers_as_the_plain_search(case):
    lengths, args = case
    assert U._width(lengths, *args) == _width_plain(lengths, *args)


def _widths_plain(texts):
    en, zh = [], []
    for t in texts:
        if "](" not in t and "://" not in t:
            (zh if U.is_cjk(t if len(t) <= 120 else t[:120]) else en).append(t)
    w_zh, measure = _width_plain([len(t) for t in zh], 14, 60, 2, 0.25), len
    if w_zh is None:
        w_zh, measure = _width_plain([U.cols(t) for t in zh], 28, 120, 4, 0.25), U.cols
    return _width_plain([len(t) for t in en], 30, 110, 14, 0.5), w_zh, measure


ZH_PIECE = "美国商务部周二宣布扩大对华芯片出口管制涉及先进计算芯片和制造设备台积电表示"
WRAPPED = st.lists(st.one_of(LINE, st.integers(20, 45).map(lambda n: (ZH_PIECE * 2)[:n]),
                             st.integers(40, 200).map(lambda n: ("AI芯片，" + ZH_PIECE * 6)[:n]),
                             st.integers(55, 75).map(lambda n: ("word " * 20)[:n].strip())), max_size=40)


@example([(ZH_PIECE * 3)[:110]] * 6)  # Chinese paragraphs of 110 characters: 220 columns, no width
@example([(ZH_PIECE * 3)[:58]] * 6)  # 58 characters, 116 columns: a width in columns
@SETTINGS
@given(WRAPPED)
def test_wrap_widths_answer_as_the_plain_way(texts):
    assert U.widths(texts) == _widths_plain(texts)


@SETTINGS
@given(LINE, LINE)
def test_a_clause_only_continues_onto_a_lower_case_line(a, b):
    """unwrap asks _continues only where the next line starts in lower case."""
    if not b[:1].islower():
        assert not U._continues(a, b)


# --- tables pasted as text: lines no table can start at are skipped ------------------------------

def _aligned_tables_plain(lines):
    cells = [S._cells(l.text) for l in lines]  # (cells by bars, spaced or not, and rule rows: stop 14)
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and cells[i] >= 3 and cells[j + 1] in (cells[i], S.RULE_ROW):
            j += 1
        piped = all(("|" in l.text or "｜" in l.text) and "\t" not in l.text for l in lines[i:j + 1])
        if j > i + (1 if piped else 0) and (any(re.search(r"\d", l.text) for l in lines[i:j + 1])
                                            or j >= i + 2 and S._columns_align(lines[i:j + 1])) \
                and not (piped and any(re.search(r"[<>›»]", l.text) for l in lines[i:j + 1])):
            for l in lines[i:j + 1]:
                l.struct = True
        i = j + 1


@SETTINGS
@given(st.lists(LINE, max_size=30))
def test_table_shortcut_marks_the_same_rows(texts):
    fast, plain = _lines(texts), _lines(texts)
    S._aligned_tables(fast)
    _aligned_tables_plain(plain)
    assert [l.struct for l in fast] == [l.struct for l in plain]


# --- the comment section's start: the like-count lines found once -----------------------------

def _comment_start_plain(lines):
    heads = [i for i, l in enumerate(lines) if C.COMMENT_HEAD.match(l.text)
             and any(C.COMMENT_BITS.match(x.text) for x in lines[i + 1:i + 4])]
    if len(heads) >= 2:
        return heads[0]
    for i in range(1, len(lines)):
        m = C.NAME_LIKES.match(lines[i].text)
        if m and m["name"].strip() == lines[i - 1].text and sg.visible_len(lines[i - 1].text) <= 40:
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            if sg.is_timestamp(nxt) or any(C.NAME_LIKES.match(l.text) for l in lines[i + 1:i + 8]):
                return i - 1
    return None


COMMENTS = st.lists(st.one_of(st.sampled_from(SHAPES[:15]), LINE, st.text(alphabet="张三李 0123456789٣", max_size=8)),
                    max_size=40)
# a name, then the name with its like count; more like counts within a few lines, or not
THREAD = st.lists(st.sampled_from(["张三", "张三 45", "Daniel Voss", "Daniel Voss 12", "李 3", "Reply", PROSE_ZH, PROSE_ZH,
                                   PROSE_ZH, "2026-03-05 10:12"]), max_size=30)


@example(["张三", "张三 45"] + [PROSE_ZH] * 6 + ["李 3"])  # the next like count 7 lines on: a thread
@example(["张三", "张三 45"] + [PROSE_ZH] * 7 + ["李 3"])  # 8 lines on: not
@SETTINGS
@given(st.one_of(COMMENTS, THREAD))
def test_comment_start_answers_as_the_plain_scan(texts):
    lines = _lines(texts)
    assert C._comment_start(lines) == _comment_start_plain(lines)


# --- where a related block ends: the Q&A and Han-ratio tests only for headline-shaped lines -----

def _resumes_plain(lines, j):
    t = lines[j].text
    if lines[j].removed or lines[j].keep:
        return lines[j].keep
    if C.TABLE_ROW.match(t):
        return True
    calm_end = t.endswith(("。", ".", "”", "\"", "」", "』", "：", ":", "；", ";"))
    letters = sum(n for c, n in Counter(t).items() if c.isalpha())
    short = 30 if (sg.han_count(t) / letters if letters else 0.0) >= 0.2 else 90
    near = [l for l in lines[j:j + 6] if not l.removed][:3]
    talk = len(near) == 3 and all(sg.ends_sentence(l.text) and not C._stamp(l.text) for l in near) \
        and any(l.text.endswith(("。", ".")) and not l.text.endswith("..") for l in near) \
        and min(sg.visible_len(l.text) for l in near) < 40
    if not talk and (not calm_end or sg.visible_len(t) < short or sg.is_timestamp(t)):
        marks = len(re.findall(r"[。！？!?]|\.\s", t))
        if not ((sg.is_prose(t) or sg.visible_len(t) >= 160) and sg.visible_len(t) >= 80 and marks >= 2):
            return False
    after = [l for l in lines[j + 1:j + 8] if not l.removed]
    furniture = sum(1 for l in after if sg.is_short_label(l.text))
    if (after and sg.is_short_label(after[0].text) and furniture >= 3
            and furniture > 2 * sum(1 for l in after if sg.is_prose(l.text))):
        return False
    dated = j > 0 and C.TIMELINE_DATE.match(lines[j - 1].text) and ":" not in lines[j - 1].text \
        and t.endswith(("。", "."))
    for k in (j + 1, j + 2):
        if k < len(lines) and (sg.norm(lines[k].text) == sg.norm(t) or C._stamp(lines[k].text)
                               and sg.visible_len(t) < 160 and not dated):
            return False
    return not (j > 0 and sg.norm(lines[j - 1].text) == sg.norm(t))


@SETTINGS
@given(st.lists(st.tuples(LINE, st.booleans()), min_size=1, max_size=15), st.data())
def test_resumes_answers_as_the_plain_test(rows, data):
    lines = _lines([t for t, _ in rows], [gone for _, gone in rows])
    j = data.draw(st.integers(0, len(lines) - 1))
    assert C._resumes(lines, j) == _resumes_plain(lines, j)


@SETTINGS
@given(LINE)
def test_han_ratio_of_ascii_is_zero_as_counted(text):
    letters = sum(n for c, n in Counter(text).items() if c.isalpha())
    assert sg.han_ratio(text) == (sg.han_count(text) / letters if letters else 0.0)


# --- small facts other shortcuts rest on ------------------------------------------------------

@SETTINGS
@given(st.one_of(LINE, st.text(alphabet="2026-03-05 10:12 来源新华社Reuters", min_size=95, max_size=120)),
       st.booleans(), st.booleans(), st.sampled_from(["", "section", "title"]))
def test_line_facts_the_shortcuts_rest_on(text, ruled, keep, tag):
    ln = C._Line(1, text, keep=keep, tag=tag,
                 rule=Rule("x", re.compile("x"), "drop", "why") if ruled else None)
    assert ln.removed == bool(ln.rule or ln.tag)  # the property without bool()
    if C._button(ln, 0.6):
        assert C._button(ln, 0.5)  # above the article, the 0.5 test alone decides
    if text[:1] not in S._ENUM_FIRST:
        assert S._enum(text) is None  # _restore_numbered reads only lines an enumerator can start
    assert sg.is_menu(text) == sg.is_menu.__wrapped__(text)  # remembered answers are the answers
    if len(text) > 100:  # _list_groups skips such lines
        assert not sg.is_timestamp(text) and not sg.is_source_time(text)


# --- early exits: too few lines of the shape a stage looks for ----------------------------------

def _chapters_plain(lines):
    run = []
    for k, ln in enumerate(lines + [None]):
        m = C.CHAPTER.match(ln.text) if ln is not None and (not ln.removed or ln.tag == "signal.timestamp") \
            and not ln.struct else None
        if m and sg.visible_len(m["name"]) <= 60 and not sg.ends_sentence(m["name"]):
            run.append(ln)
            continue
        if len(run) >= 3:
            for r in run:
                r.tag = r.why = ""
                r.drop("signal.chapters", "a chapter list (time offsets and names)")
            head = lines[k - len(run) - 1] if k - len(run) >= 1 else None
            if head is not None and not head.removed and not head.keep and sg.visible_len(head.text) <= 12 \
                    and not sg.ends_sentence(head.text) and not head.text.endswith(("：", ":")):
                head.drop("signal.chapters", "the heading of a chapter list")
        run = []


def _restore_section_numbers_plain(lines):
    kept = [i for i, l in enumerate(lines) if not l.removed and sg.is_prose(l.text)]
    if len(kept) < 2:
        return
    found = [i for i in range(kept[0] + 1, kept[-1]) if lines[i].removed and S.SECTION_NUMBER.match(lines[i].text)
             and not lines[i + 1].removed and (lines[i].rule is None or lines[i].rule.id == "chrome.counter")]
    numbers = [int(re.sub(r"\D", "", lines[i].text)) for i in found]
    if len(found) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:])) and numbers[0] <= 2:
        for i in found:
            lines[i].rule, lines[i].tag, lines[i].why = None, "", ""


MARKS = st.sampled_from(["00:00 Intro", "(01:30) The chips", "[12:05] Export rules", "3:10:00 Q&A", "１２:00 全角",
                         "01", "02", "3", "Part 2", "٣", PROSE_ZH, SHAPES[-9]])


@SETTINGS
@given(st.lists(st.tuples(st.one_of(MARKS, LINE), st.booleans()), max_size=20))
def test_chapter_and_section_number_exits_answer_as_the_plain_stage(rows):
    for stage, plain in ((C._chapters, _chapters_plain), (S._restore_section_numbers, _restore_section_numbers_plain)):
        fast = _lines([t for t, _ in rows], [gone for _, gone in rows])
        slow = _lines([t for t, _ in rows], [gone for _, gone in rows])
        stage(fast)
        plain(slow)
        assert [(l.tag, l.why, l.rule) for l in fast] == [(l.tag, l.why, l.rule) for l in slow]


# --- the dates grammar: a plain numeric date or time line is a date line without the grammar ----
# (bench/results.md, 2026-12-07 afternoon: ~25 µs a line through the grammar, the commonest date
# line of a scraped page)

from digest import dates as D  # noqa: E402

_NEVER = re.compile(r"(?!)")


def _stamp_line_by_grammar(text):
    """is_stamp_line's own answer, uncached, with the shortcut switched off."""
    fast, D._PLAIN_STAMP = D._PLAIN_STAMP, _NEVER
    try:
        return D.is_stamp_line.__wrapped__(text)
    finally:
        D._PLAIN_STAMP = fast


_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=3)


@st.composite
def _numeric_stamps(draw):
    """Lines shaped like a numeric date and/or time (most of them what the shortcut takes; the
    others, with out-of-range or misplaced numbers, what it must leave to the grammar)."""
    year = draw(st.sampled_from(["19", "20", "21", "18"])) + draw(st.text(alphabet="0123456789", min_size=2, max_size=2))
    sep = draw(st.sampled_from(["-", "/", ".", "年", "-/"]))
    if sep == "年":
        date = f"{year}年{draw(_DIGITS)}月{draw(_DIGITS)}日"
    else:
        date = f"{year}{sep[0]}{draw(_DIGITS)}{sep[-1]}{draw(_DIGITS)}"
    clock = f"{draw(_DIGITS)}:{draw(_DIGITS)}" + draw(st.sampled_from(["", f":{draw(_DIGITS)}"]))
    gap = draw(st.sampled_from(["", " ", "  ", "T"]))
    return draw(st.sampled_from([date, clock, date + gap + clock, clock + gap + date, " " + date + " "]))


@example("2026-03-05 10:12")
@example("2026年3月5日09:12")
@example("2026-03-0510:12")  # (not a date line by the grammar: no shortcut for it)
@example("24:00")
@example("2026.03.05 23:59:59")
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_numeric_stamps(), LINE))
def test_plain_date_lines_are_date_lines_as_the_grammar_says(text):
    assert D.is_stamp_line.__wrapped__(text) == _stamp_line_by_grammar(text)


def test_the_date_shortcut_takes_the_common_date_lines():
    """(so the test above compares the shortcut, not only the grammar with itself)"""
    for line in ("2026-03-05 10:12", "2026/03/05", "2026年3月5日 09:12:33", "2026.03.05", "10:12"):
        assert D._PLAIN_STAMP.fullmatch(line) and _stamp_line_by_grammar(line)


# --- the dates grammar: each date form is looked for only where what it needs is ---------------

def _outcome(f, text):
    try:
        return f(text)
    except Exception as e:  # noqa: BLE001 - (the same failure either way is the same answer)
        return type(e)


def _scan_plain(text):
    """_scan with every form looked for on every line (no needs, no month test)."""
    needs, D._FORM_NEEDS = D._FORM_NEEDS, {}
    try:
        return D._scan.__wrapped__(text)
    finally:
        D._FORM_NEEDS = needs


_DATE_BITS = st.sampled_from(["2026", "2026-03-05", "26-3-5 10:12", "3/5/2026", "13/5/2026", "05.03.2026", "2026.03.05",
                              "2026年3月5日", "中華民國115年3月11日", "115-03-05", "115/3/5", "March 5, 2026", "5 March 2026",
                              "Thu, 5 Mar 2026", "Sept 3 2026", "SEP 3, 2026", "ſep 3, 2026", "K", "İ", "ı", "Å", "ẞ",
                              "4:15 PM EST", "10:12", "北京时间", "(51983)", "（52092）", " ", ", ", "on ", "Updated "])


@example("Researchers doubled down on power demand from AI (51983)")
@example("ſept 3, 2026")  # (a long s: IGNORECASE reads it as s)
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(st.one_of(_DATE_BITS, LINE), max_size=6).map("".join), LINE))
def test_date_forms_are_found_as_when_each_is_looked_for_everywhere(text):
    assert _outcome(D._scan.__wrapped__, text) == _outcome(_scan_plain, text)
    assert D._has_month(text) == (D._HAS_MONTH.search(text) is not None)


# --- is_prose's markup test, written to start with a character set -------------------------------

_MAY_HAVE_MARKUP_PLAIN = re.compile(r"[\[\]*_`#>]|https?://")


@example("see http://x")
@example("https://x")
@example("h ttp://")
@example("hhttps://")
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(LINE, st.lists(st.sampled_from(["h", "http", "https", "://", ":/", "ttp://", "a", " ", "[", "`", "中"]),
                                max_size=8).map("".join)))
def test_markup_test_answers_as_the_plain_pattern(text):
    assert (sg._MAY_HAVE_MARKUP.search(text) is not None) == (_MAY_HAVE_MARKUP_PLAIN.search(text) is not None)
