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


def test_rule_ids_are_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


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
