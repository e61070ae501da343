"""Every rule's own examples: what it must match, and prose it must never touch."""

from __future__ import annotations

import pytest

from digest.clean.rules import RuleError, builtin_rules, parse_rules

RULES = builtin_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_matches_its_examples_and_spares_its_non_examples(rule):
    assert rule.examples, f"{rule.id} has no examples"
    for ex in rule.examples:
        assert rule.matches(ex), f"{rule.id} should match {ex!r}"
    for ex in rule.not_examples:
        assert not rule.matches(ex), f"{rule.id} must not match {ex!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_no_rule_removes_article_sentences(rule):
    # Real sentences that merely contain the words the rules look for.
    prose = [
        "美国商务部在声明中表示，将进一步加强对先进芯片的出口管制。",
        "相关数据显示，2024年中国AI初创企业融资52亿美元，占美国同类企业的7%。",
        "评论人士认为，这一政策将影响全球供应链，并可能引发新一轮贸易摩擦。",
        "特别声明一事引发热议，多位专家在接受采访时表示，这份文件的措辞耐人寻味。",
        "Related to this, the Commerce Department said it would publish new rules next month.",
        "The notice, published on Tuesday, gives companies 30 days to comply with the new curbs.",
        "Comments from the minister drew sharp criticism in Beijing, where officials called them provocative.",
        "Copyright law is one of the battlegrounds in the fight over training data for AI models.",
        "By the end of 2026, China plans to build 50 new data centers in its western provinces.",
    ]
    if rule.action == "meta":
        return
    for s in prose:
        assert not rule.matches(s), f"{rule.id} would remove prose: {s!r}"


def test_a_duplicate_rule_id_across_rule_files_is_a_clear_error(tmp_path, monkeypatch):
    """builtin_rules() refuses two rules with one id (a check on RULES itself could not fail:
    a duplicate would fail at import, and this file would vanish from the results)."""
    from digest.clean import rules as rules_mod

    rule = '[[rule]]\nid = "same.id"\npattern = "^x"\naction = "drop"\nreason = "r"\nexamples = ["x"]\n'
    (tmp_path / "a.toml").write_text(rule, encoding="utf-8")
    (tmp_path / "b.toml").write_text(rule, encoding="utf-8")
    monkeypatch.setattr(rules_mod, "RULES_DIR", tmp_path)
    rules_mod.builtin_rules.cache_clear()
    try:
        with pytest.raises(RuleError, match="duplicate rule ids: same.id"):
            rules_mod.builtin_rules()
    finally:
        rules_mod.builtin_rules.cache_clear()


def test_a_broken_rule_file_is_a_clear_error():
    with pytest.raises(RuleError, match="bad pattern"):
        parse_rules('[[rule]]\nid = "x"\npattern = "("\naction = "drop"\nreason = "r"\n', "rules/x.toml")
    with pytest.raises(RuleError, match="action"):
        parse_rules('[[rule]]\nid = "x"\npattern = "a"\naction = "zap"\nreason = "r"\n', "rules/x.toml")


def test_a_site_can_add_rule_files_without_code(make_site, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    root = make_site("-- rules/mysite.toml --\n[[rule]]\nid = \"mysite.promo\"\naction = \"drop\"\n"
                     "pattern = '^本站独家福利'\nreason = \"this site's promotion line\"\nexamples = [\"本站独家福利：送会员\"]\n"
                     "-- content/a.txt --\n中美芯片竞争进入新阶段\n\n美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。\n\n"
                     "本站独家福利：关注即送会员\n")
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "inspect",
                        str(root / "content/a.txt"), "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "本站独家福利" not in __import__("json").loads(r.stdout)["body"]
    assert "mysite.promo" in r.stdout


def test_a_site_rule_that_misses_its_own_example_is_an_error(make_site):
    import subprocess
    import sys

    from conftest import ROOT

    root = make_site("-- rules/bad.toml --\n[[rule]]\nid = \"bad.one\"\naction = \"drop\"\npattern = '^foo'\n"
                     "reason = \"r\"\nexamples = [\"bar\"]\n-- content/a.md --\n---\ntitle: A\n---\nBody.\n")
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "rules/bad.toml" in r.stderr and "bad.one" in r.stderr and "Traceback" not in r.stderr


def _corpus_lines() -> list[str]:
    """Every line of the labelled fixtures and samples, and every rule example."""
    from pathlib import Path

    root = Path(__file__).parent
    lines = {ex for r in RULES for ex in r.examples + r.not_examples}
    for p in [*root.glob("fixtures/cleaning*/**/*.txt"), *root.glob("fixtures/cleaning*/**/*.md"),
              *(root.parent / "content").glob("*")]:
        if p.is_file():
            lines.update(t.strip() for t in p.read_text(encoding="utf-8", errors="replace").split("\n") if t.strip())
    return sorted(lines)


def test_required_literals_are_in_every_match():
    """The gate the cleaner puts before an unanchored rule never hides a match: whenever a
    rule matches a line, the line holds one of the rule's required strings."""
    from digest.clean.regexfacts import required_literals

    lines = _corpus_lines()
    gated = 0
    for rule in RULES:
        lits = required_literals(rule.regex)
        if lits is None:
            continue
        gated += 1
        strings, ic = lits
        for line in lines:
            if rule.matches(line):
                hay = line.lower() if ic else line
                assert any(s in hay for s in strings), (rule.id, line)
    assert gated > len(RULES) // 2  # the gate covers most rules


def test_first_character_tests_never_refuse_a_match():
    """An anchored rule is tried only on lines whose first character could start its match."""
    from digest.clean.regexfacts import anchored, first_char_test

    lines = _corpus_lines()
    tested = 0
    for rule in RULES:
        test = first_char_test(rule.regex) if anchored(rule.regex) else None
        if test is None:
            continue
        tested += 1
        for line in lines:
            if rule.matches(line):
                assert test(line[0]), (rule.id, line)
    assert tested > len(RULES) // 3


@pytest.mark.parametrize("pattern, flags, expected", [
    (r"abc", 0, ("abc",)),
    (r"^\s*(ab|cd)e+", 0, ("ab", "cd")),
    (r"[请請][阅閱]", 0, ("请阅", "请閱", "請阅", "請閱")),
    (r"Hello|WORLD", "i", ("hello", "world")),
    (r"x?y*", 0, None),  # nothing is required
    (r"a(b|)c", 0, ("a",)),  # an empty branch: only the outer letters are certain
    (r"(?=abc)\d+", 0, None),  # a lookahead is not part of the match
])
def test_required_literals_of_patterns(pattern, flags, expected):
    import re

    from digest.clean.regexfacts import required_literals

    got = required_literals(re.compile(pattern, re.I if flags else 0))
    assert (got and sorted(got[0])) == (expected and sorted(expected))


def test_gated_matcher_finds_what_the_plain_loop_finds():
    """clean._matcher (gates, max_chars, memo) answers as trying every rule in order would."""
    from digest.clean.matcher import _MATCHERS, _matcher

    _MATCHERS.clear()
    first = _matcher(list(RULES))
    traps = ["ſubscribe to our newsletter", "KEYWORDS: x", "İmage credit: AP"]  # IGNORECASE folds these
    for line in _corpus_lines() + traps:
        want = next((r for r in RULES if r.matches(line)), None)
        assert first(line) is want, line


# -- no rule can stall a build (digest/patterns.py) ------------------------------------------

def _digest(root, *args, timeout=60):
    import subprocess
    import sys

    from conftest import ROOT

    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=timeout)


WORDS_RULE = """-- rules/mysite.toml --
[[rule]]
id = "mysite.words"
action = "drop"
pattern = '{pattern}'
reason = "a line of bare words"
examples = ["{example}"]
not_examples = ["A sentence, with a comma."]
"""
ARTICLE = """-- content/a.txt --
US widens chip export controls

The US Commerce Department on Tuesday widened export controls on advanced chips, officials said.

{line}

Analysts said, on Wednesday, the measures would ripple through the global supply chain.
"""


def test_a_backtracking_site_rule_neither_stalls_nor_crashes_the_build(make_site):
    """^(\\w+\\s?)+$ took 2.4 s in re on one 26-character line, and doubles with each character:
    time-limited, it runs in microseconds and still means what it means in Python (Chinese too)."""
    line = "hello world foo bar baz qux quux corge grault garply waldo fred plugh xyzzy thud!"
    root = make_site(WORDS_RULE.format(pattern=r"^(\w+\s?)+$", example="Home News 体育")
                     + ARTICLE.format(line=line) + "-- content/b.txt --\n" + ARTICLE.split("\n", 1)[1].format(line="首页 新闻 体育"))
    r = _digest(root)
    assert r.returncode == 0, r.stderr
    assert line in (root / "output/posts/a/index.html").read_text(encoding="utf-8")
    assert "首页 新闻 体育" not in (root / "output/posts/b/index.html").read_text(encoding="utf-8")
    removed = __import__("json").loads(_digest(root, "inspect", str(root / "content/b.txt"), "--json").stdout)["removed"]
    assert {"text": "首页 新闻 体育", "rule": "mysite.words"}.items() <= next(
        r for r in removed if r["text"] == "首页 新闻 体育").items()


def test_a_site_rule_that_stalls_is_refused_when_it_loads(make_site):
    root = make_site(WORDS_RULE.format(pattern="^(a|aa)+$", example="aaaa") + ARTICLE.format(line="x"))
    r = _digest(root)
    assert r.returncode == 2
    assert "rules/mysite.toml: rule mysite.words: pattern '^(a|aa)+$' took over 100 ms" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_curator_pattern_that_stalls_on_a_line_is_an_error_naming_it(make_site):
    from conftest import DEFAULT_PYPROJECT

    root = make_site(ARTICLE.format(line="a" * 60 + "!"),
                     pyproject=DEFAULT_PYPROJECT + "strip_patterns = ['^(a|aa)+$']\n")
    r = _digest(root)
    assert r.returncode == 1
    assert "error: a.txt:5: strip pattern" in r.stderr and "'^(a|aa)+$' took over 100 ms" in r.stderr
    assert "Traceback" not in r.stderr
    r = _digest(root, "inspect", str(root / "content/a.txt"))
    assert r.returncode == 1 and "'^(a|aa)+$' took over 100 ms" in r.stderr


def test_curator_patterns_mean_what_they_mean_in_python():
    import re

    from digest.patterns import guarded

    lines = ["中文 句子", "Ünïcödé wörds", "٣ digits", "tab\there", "a.b", "AI 中AI文"]
    for pattern, flags in [(r"^(\w+\s?)+$", 0), (r"\d", 0), (r"\bAI\b", 0), (r"^[\w\s]+$", re.I),
                           (r"(?<=中)AI", 0), (r"^A", re.I)]:
        g = guarded(pattern, flags)
        assert [bool(g.search(t)) for t in lines] == [bool(re.search(pattern, t, flags)) for t in lines], pattern
        assert g.flags == re.compile(pattern, flags).flags  # what the matcher's shortcuts read


def test_built_in_rules_do_not_backtrack_on_lines_built_to_provoke_it():
    """bench/rules.py over the fixtures and patterns.provocations(): built-in rules run on re,
    unguarded, so this proves them. The limit is generous (a loaded machine takes milliseconds
    on plain lines; a backtracking rule takes seconds to hours)."""
    from conftest import ROOT

    import subprocess
    import sys

    r = subprocess.run([sys.executable, str(ROOT / "bench/rules.py"), "--limit-ms", "1000"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:]


def test_no_builtin_rule_backtracks_for_ever_on_hostile_lines():
    """Scraped text is untrusted: a line of 90 leader dots made one rule's nested repetition
    backtrack for minutes (a hard-wrapped contents page). Every built-in rule must answer such
    lines at once; the alarm only stops a runaway match (seconds against minutes), it is no speed test."""
    import signal

    from digest.clean import builtin_rules

    chars = [".", ",", "-", "·", "|", "#", "*", "1", "a", "中", "👍", " ", "、", "…", "1.", ". ", "a ", "👍 1 "]
    hostile = [c * n + tail for c in chars for n in (40, 120) for tail in ("", "x", " Introduction", "!")]

    def stop(*_):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, stop)
    try:
        for rule in builtin_rules():
            signal.alarm(10)
            try:
                for line in hostile:
                    rule.regex.search(line)
            except TimeoutError:
                raise AssertionError(f"rule {rule.id} backtracks for ever on a hostile line")
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, old)
