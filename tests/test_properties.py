"""Property-based tests: the loader and the cleaner never crash, never reorder or alter kept
lines, and account for every input line as kept or removed."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digest.article import split_paragraph
from digest.clean import clean
from digest.errors import ContentError
from digest.load import load_bytes

LINES = st.sampled_from([
    "相关推荐", "评论列表", "特别声明：以上内容为用户上传", "0", "分享至", "![]()", "2026-01-24 23:28:49",
    "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。", "Related", "Comments",
    "The Commerce Department said on Tuesday it would widen export controls on advanced chips.",
    "首页 新闻 体育 财经 科技", "用户123", "用户123 5", "By Jane Doe", "---", "# Title", "- item",
    "台積電周一表示，亞利桑那州工廠的第二期工程進展順利。", "网易首页 > 网易号 > 正文", "",
])
TEXT = st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_loader_never_crashes_on_any_bytes(data):
    try:
        src = load_bytes(data, "x.txt")
    except ContentError as e:
        assert e.problem.path == "x.txt" and e.problem.message
        return
    assert src.body.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=0, max_value=5))
def test_cleaner_accounts_for_every_line_in_order(text, offset):
    c = clean(text, offset)
    lines = {offset + i + 1: t.strip() for i, t in enumerate(text.split("\n")) if t.strip()}
    kept = [n for n, _ in c.kept]
    removed = [r.line for r in c.removed]
    spans = dict(c.spans)  # hard-wrapped lines joined into one: first line -> last line
    inside = [k for a, b in spans.items() for k in range(a + 1, b + 1) if k in lines and k not in removed]
    assert kept == sorted(kept)  # original order
    assert sorted(kept + removed + inside) == sorted(lines)  # every line exactly once
    for n, t in list(c.kept) + [(r.line, r.text) for r in c.removed]:
        if n not in spans:
            assert lines[n] == t  # unchanged
        else:  # joined: every piece is there, in order (a hyphen at a break may go)
            pos = 0
            for k in range(n, spans[n] + 1):
                if k in lines and k not in removed or k == n:
                    piece = lines[k].rstrip("-") if k < spans[n] else lines[k]
                    pos = t.index(piece, pos)
    for r in c.removed:
        assert r.reason and r.rule


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["美国扩大芯片管制。", "分析人士认为影响深远！", "Prices rose. ", "What next? ",
                                  "他说：“这很难。”", " ", "AI", "，"]), max_size=200).map("".join))
def test_splitting_a_giant_paragraph_changes_no_character(text):
    parts = split_paragraph(text, target=40)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
    assert all(p.strip() for p in parts) or not text.strip()


MD_LINES = st.sampled_from([
    "美国商务部周二宣布扩大对华芯片出口管制。", "Chips are the new oil, analysts said.", "## Heading", "# Top",
    "- item", "* item", "+ item", "1. first", "2024. A year", "> quoted", "    code", "\tcode", "---", "===",
    "Term", ": definition", "| a | b |", "|---|---|", "[link](https://x.org)", "[ref]: https://x.org",
    "see [ref] here", "*em* and **strong**", "a_b_c", "`code`", "```", "~~~", "<div>", "</div>", "<b>x</b>",
    "AT&T &amp; co", "a \\* b", "text  ", "text ", " lead", "{: .cls}", "note[^1]", "[^1]: foot",
    "*[HTML]: Hyper", "HTML", "“引号”与‘单引号’", "!", "a!b", "x = 1", "2) item", "", "", "",
])
MD_TEXT = st.lists(st.one_of(MD_LINES, st.text(max_size=30)), max_size=30).map("\n".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MD_TEXT)
@example("    code\n\n\n    code")  # blank lines inside a code block are Markdown's to keep
@example("x\n\n- a\n\n\n- b\n\ny")
def test_markdown_fast_path_writes_what_markdown_writes(md):
    """markup.markdown_to_html writes plain-prose blocks itself: always Markdown's own bytes."""
    from digest.markup import _convert, _markdown

    assert _convert(md) == _markdown(md)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MD_TEXT, st.lists(st.one_of(st.sampled_from(["", "美国芯片。", "a\xa0b", "# 标题"]),
                                          st.text(max_size=40)), max_size=12).map("\n".join)))
@example("# Title\n\nPlain text\xa0with a no-break space.")
def test_skipping_the_sanitiser_for_plain_documents_changes_no_byte(md):
    """markdown_to_html skips nh3 for a document written wholly by the fast path: the bytes must
    be what sanitising would have given."""
    from digest.markup import _convert, _shift_headings, markdown_to_html, sanitize

    assert markdown_to_html(md) == sanitize(_shift_headings(_convert(md)))


def _rule_lines():
    from digest.clean.rules import builtin_rules

    examples = sorted({e for r in builtin_rules() for e in r.examples + r.not_examples})
    base = st.one_of(st.sampled_from(examples), st.text(max_size=40))
    case = st.sampled_from([str, str.upper, str.lower, str.swapcase, str.title])
    return st.tuples(st.text(max_size=6), case, base, st.text(max_size=6)).map(
        lambda t: (t[0] + t[1](t[2]) + t[3]).strip())


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rule_lines())
def test_rule_shortcuts_never_change_which_rule_matches(line):
    """The matcher's shortcuts (literal gates, first-character and length bands, memo) answer
    exactly as trying every rule in order: on rule examples cased, wrapped and mixed with noise."""
    from digest.clean.matcher import _matcher
    from digest.clean.rules import builtin_rules

    if not line:
        return
    rules = list(builtin_rules())
    want = next((r for r in rules if r.matches(line)), None)
    assert _matcher(rules)(line) is want


_SEGMENT = st.sampled_from(["posts", "tags", "ai", "page", "2", "index.html", "atom.xml", ".", "..", "", "芯片"])
_SITE_PATH = st.lists(_SEGMENT, max_size=5).map("/".join)


@settings(max_examples=1000, deadline=None)
@given(_SITE_PATH, _SITE_PATH)
@example("", "")
@example("posts/a/", "tags/ai/page/2/")
@example("tags/ai/", "tags/ai/page/2/")
def test_a_pages_url_function_links_as_relurl_does(target, current):
    """Each page's url() splits its own folder once; every link must equal relurl's."""
    from digest.render import relurl, url_from

    assert url_from(current)(target) == relurl(target, current)


def _census_lang(text: str) -> str:
    """detect_lang as a census of every character (what meta.detect_lang must answer)."""
    from collections import Counter

    from digest.meta import _script_sets
    from digest.clean.signals import HAN

    counts = Counter(text)
    han = sum(n for c, n in counts.items() if HAN.match(c))
    letters = sum(n for c, n in counts.items() if c.isalpha())
    if not han or not letters or han / letters < 0.2:
        return "en"
    simp, trad = _script_sets()
    s = sum(n for c, n in counts.items() if c in simp)
    t = sum(n for c, n in counts.items() if c in trad)
    return "zh-Hant" if t > s else "zh-Hans"


# simplified-only, traditional-only and shared Han characters, hexagram symbols (Han range, not
# letters), unassigned code points in the Han ranges, Latin letters, digits, punctuation
SCRIPTS = st.text(alphabet=st.sampled_from(list("们这国说发东门来體們這國說發東門來中人大的是") +
                                          ["\u4dc0", "\u4dff", "\ufada", "\ufaff"] + list("abcXYZ 12,.，。\n")),
                  max_size=80)


@settings(max_examples=500, deadline=None)
@given(SCRIPTS)
@example("䷀䷀䷀a")
@example("体体体體")
def test_language_detection_counts_as_a_census_would(text):
    from digest.meta import detect_lang, han_count

    from digest.meta import _translation_pairs

    han_count.cache_clear()  # (a translation pasted line by line under its original: the original's lines are counted)
    lead = _translation_pairs(text) if han_count(text) else None
    assert detect_lang(text) == _census_lang(text if lead is None else lead)


REMOVAL_TEXT = st.lists(st.sampled_from(list("ab 美国<>&\"'") + ["  ", "word "]), max_size=70).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10_000), REMOVAL_TEXT, REMOVAL_TEXT, REMOVAL_TEXT), max_size=6))
@example([(1, "x " * 50, "why <b>", "rule&id")])
@example([(2, "y" * 96, "", "")])
def test_report_rows_filter_writes_what_the_template_loop_wrote(rows):
    """report.html renders removed lines with the removal_rows filter; it must write exactly
    what its former Jinja loop wrote (escaping, truncate(90) with the leeway policy)."""
    from digest.model import Removal
    from digest.render import Theme
    from pathlib import Path

    theme = Theme(Path("/nonexistent"), "default")
    removed = [Removal(*r) for r in rows]
    loop = theme.env.from_string(
        "{% for r in removed %}<tr><td>{{ r.line }}</td><td>{{ r.text | truncate(90) }}</td>"
        "<td>{{ r.reason }} <code>{{ r.rule }}</code></td></tr>\n{% endfor %}")
    assert theme.env.from_string("{{ removed | removal_rows }}").render(removed=removed) == loop.render(removed=removed)
