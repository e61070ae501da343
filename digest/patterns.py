"""Curators' regular expressions, run so that none can stall a build.

A cleaning rule runs on every line of every article, and a pattern that backtracks (say
`^(a|aa)+$`, or `^(\\w+\\s?)+$` in Python's re: 2.4 s on one 26-character line, hours on a longer
one) would stall the build on one scraped footer. The patterns a site writes — its rules/*.toml,
strip_patterns and keep_patterns, front matter strip: and keep: — are compiled twice: by Python's
re (the syntax digest documents, and what the matcher's shortcuts read), and by the `regex`
module, which runs them with a time budget per line (`timeout=`, honoured inside the match loop,
in any thread) and cuts off much of the backtracking re would do (it runs `^(\\w+\\s?)+$` in
microseconds). A pattern over the budget stops with RuleStalled naming the rule and the line.

digest's built-in rules stay on re: the regex module costs ~2 µs a call against re's ~0.1 µs,
and the built-in rules are proven safe on lines built to make them backtrack (PROVOCATIONS, by
bench/rules.py and tests/test_rules.py).

Why not RE2 (google-re2), which is linear by construction: its \\w, \\d, \\s and \\b are ASCII-only
(`^(\\w+\\s?)+$` does not match "中文 句子" under RE2; `\\bAI\\b` matches inside "中AI文"), so a
curator's pattern would mean something else on Chinese text than in Python; it has no
lookarounds, and each call cost ~1.5 µs (measured on the same line).
"""

from __future__ import annotations

import re

BUDGET_S = 0.1  # one pattern on one line; real rules take microseconds


class RuleStalled(Exception):
    """A curator's pattern ran out of its time budget on one line. Plain args (crosses processes)."""

    def __init__(self, rule: str, pattern: str, text: str):
        self.rule, self.pattern, self.text = rule, pattern, text
        super().__init__(rule, pattern, text)

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return (f"{self.rule}: pattern {self.pattern!r} took over {BUDGET_S * 1000:.0f} ms on one line "
                f"({shown!r}) and was stopped: it backtracks")

    hint = ("rewrite it without a repetition inside a repetition, e.g. ^(\\w+\\s?)+$ → ^[\\w\\s]+$ "
            "(python bench/rules.py --site . times every rule)")


class Guarded:
    """A compiled pattern whose search() stops after BUDGET_S with RuleStalled. It has re.Pattern's
    pattern and flags (those of re's compilation: the matcher's shortcuts parse them)."""

    __slots__ = ("pattern", "flags", "rule", "_search")

    def __init__(self, pattern: str, flags: int, rule: str):
        import regex

        compiled = re.compile(pattern, flags)  # re's syntax, re's errors (re.error)
        self.pattern, self.flags, self.rule = pattern, compiled.flags, rule
        try:
            self._search = regex.compile(pattern, flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL
                                                           | re.VERBOSE | re.ASCII)).search
        except regex.error as e:
            raise re.error(f"{e} (a pattern re accepts but the time-limited engine does not)") from None

    def search(self, text: str):
        try:
            return self._search(text, timeout=BUDGET_S)
        except TimeoutError:
            raise RuleStalled(self.rule, self.pattern, text) from None

    def __reduce__(self):
        return (Guarded, (self.pattern, self.flags & ~re.UNICODE, self.rule))

    def __repr__(self) -> str:
        return f"Guarded({self.pattern!r}, rule={self.rule!r})"


def guarded(pattern: str, flags: int = 0, rule: str = "a curator's pattern") -> Guarded:
    return Guarded(pattern, flags, rule)


def provocations() -> list[str]:
    """Lines shaped to make nested quantifiers backtrack (what bench/rules.py and the tests run
    every rule on, and a site's rules on when they load)."""
    words = ["About", "Privacy policy", "Terms of use", "Contact us", "Careers", "Advertise", "Sitemap",
             "关于我们", "联系我们", "隐私政策", "网站地图", "Cookie settings", "Accessibility"]
    out = []
    for n in (8, 16, 32):
        row = [words[i % len(words)] for i in range(n)]
        out += [" ".join(row), " | ".join(row), " · ".join(row), "、".join(row), " ".join(row) + " x" * 40]
    for ch in ("a", " ", "-", "|", "中", "1", ".", "#", "*", "/"):
        out += [ch * 300, (ch + " ") * 150]
    out += ["Photo: " + "x " * 150, "By " + "Jane Doe, " * 40, "来源：" + "新华社 " * 60, "(c) " + "2024 " * 60]
    out += ["分享 " + "  " * 100 + "x", "Ad" + " " * 200 + "x", "a" + " \t" * 100 + "b"]
    out += ["a" * 40 + "!", "word " * 30 + "!", "中文 " * 30 + "！"]  # a near miss after a long run
    return sorted({t.strip() for t in out if t.strip()})  # the cleaner passes rules stripped, non-empty lines
