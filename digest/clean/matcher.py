"""Which rule matches a line, first in order: the cleaner's hot loop, with its shortcuts.

Every line of every article is tried against ~60 rules. Three shortcuts keep that cheap, each
proven by tests to answer exactly as trying every rule in order would:
  - an unanchored rule is gated by strings every match must contain (regexfacts.required_literals);
  - an anchored rule is tried only on lines whose first character can start it
    (regexfacts.first_char_test), and only on lines within its max_chars; one that any character
    can start (so it is tried on every line) is gated by its strings too;
  - answers are remembered: page furniture repeats across a site's articles.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .regexfacts import _CASE_TRAPS, anchored, first_char_test, required_literals
from .rules import Rule

_TRAPS = re.compile("[" + re.escape("".join(sorted(_CASE_TRAPS))) + "]")

_MATCHERS: dict[tuple, object] = {}
_LAST: list = [None, (), None]  # [ids of the rules, the rules, their matcher] of the last call


def _matcher(rules: list[Rule]):
    """first(text) → the first rule matching text, or None; built once per rule set (by the
    rules' content, so an edited site rule file gets a new one). Answers are remembered: page
    furniture repeats across a site's articles, and this is the cleaner's hot loop. An
    unanchored rule is gated by the strings every match must contain (regexfacts.required_literals):
    on prose lines that skips most of the regex work (bench/results.md). (A single combined
    regex over all rules, as a filter, was measured: no faster than the rules one by one.)"""
    ids = tuple(map(id, rules))  # the same rule objects as last time: the usual case, cheap to check
    if _LAST[0] == ids:
        return _LAST[2]
    key = (ids, tuple((r.id, r.regex.pattern, r.regex.flags, r.action, r.max_chars) for r in rules))
    first = _MATCHERS.get(key)  # (keyed by the objects too: a matcher answers with its own rule objects,
    if first is not None:       #  and rules parsed again from the same files are other objects)
        _LAST[:] = [ids, tuple(rules), first]  # the rules are held, so their ids stay theirs
        return first
    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    memo: dict[str, Rule | None] = {}
    table = []  # (gate, ignorecase, search, rule, first-character test, max_chars)
    for r in rules:
        is_anchored = anchored(r.regex)
        test = first_char_test(r.regex) if is_anchored else None
        # an anchored rule with a first-character test fails at once on most lines: a gate would
        # cost more than it saves; one without (".{0,200}Photo…") is tried on every line
        lits = None if test is not None else required_literals(r.regex)
        if lits is not None and lits[1] and not all(c.isascii() or c.lower() == c.upper() for c in "".join(lits[0])):
            lits = None  # a cased non-ASCII letter under IGNORECASE: folding is the regex's business
        gate = None
        if lits is not None:  # the rule runs only on lines holding one of its strings
            gate = re.compile("|".join(map(re.escape, sorted(lits[0], key=lambda x: (-len(x), x))))).search
        table.append((gate, lits is not None and lits[1], r.regex.search, r, test, r.max_chars))
    limits = sorted({e[5] for e in table if e[5]})
    candidates: dict[tuple, tuple] = {}  # (first character, length band) -> the rules that can match

    def rules_for(c: str, n: int) -> tuple:
        band = bisect_left(limits, n)  # how many max_chars limits the line exceeds
        key = (c, band)
        found = candidates.get(key)
        if found is None:
            if len(candidates) > 50_000:
                candidates.clear()
            found = candidates[key] = tuple(e[:4] for e in table if (not e[5] or n <= e[5])
                                            and (e[4] is None or c.isspace() or e[4](c)))
        return found

    def first(text: str) -> Rule | None:
        if text in memo:
            return memo[text]
        found, low, trap = None, None, False
        for gate, ic, search, rule in rules_for(text[:1], len(text)):
            if gate is not None:
                if not ic:
                    if not gate(text):
                        continue
                else:
                    if low is None:
                        low = text.lower()
                        trap = not text.isascii() and _TRAPS.search(text) is not None
                    if not trap and not gate(low):
                        continue
            if search(text):
                found = rule
                break
        if len(memo) > 200_000:
            memo.clear()
        memo[text] = found
        return found

    _MATCHERS[key] = first
    _LAST[:] = [ids, tuple(rules), first]
    return first
