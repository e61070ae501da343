"""Load and validate the cleaning rules: knowledge kept as data in rules/*.toml.

A rule has an id, a regular expression, an action and a reason a curator can read:
  drop         remove the matching line
  drop-next    remove the matching line and the line after it (a marker and what it marks)
  drop-block   remove the matching line and the lines under it, up to the next blank line
  keep         the line is article text: no other rule or signal removes it
  meta         remove the line from the body; it is metadata (byline, source, date)
  section      the line opens a block of links; remove until real prose resumes
  section-end  the line opens the rest of the page (comments); remove to the end
Optional: flags ("i"), max_chars (the rule only applies to lines up to that length),
examples and not_examples (checked by the tests).
"""

from __future__ import annotations

import re
import tomllib
from re import _constants as C  # the parsed form of a pattern, read by required_literals()
from re import _parser
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..patterns import RuleStalled, guarded, provocations

RULES_DIR = Path(__file__).parent / "rules"
ACTIONS = ("drop", "drop-next", "drop-block", "meta", "section", "section-end", "keep")


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern  # or, for a site's and a curator's patterns, a time-limited patterns.Guarded
    action: str
    reason: str
    max_chars: int = 0
    examples: tuple = ()
    not_examples: tuple = ()

    def matches(self, line: str) -> bool:
        if self.max_chars and len(line) > self.max_chars:
            return False
        return self.regex.search(line) is not None


@lru_cache(maxsize=512)
def _parsed(regex: re.Pattern):
    """The parse tree of a compiled pattern (read by the three shortcuts below; parsed once)."""
    return _parser.parse(regex.pattern, regex.flags)


_CASE_TRAPS = frozenset("İKſıÅẞ")  # non-ASCII letters that IGNORECASE equates with ASCII ones


def required_literals(regex: re.Pattern) -> tuple[tuple[str, ...], bool] | None:
    """(strings, ignorecase) such that every match of regex contains one of the strings (in
    lower case when ignorecase), or None when the pattern has no such set. The cleaner skips a
    rule on a line that holds none of its strings: the regex would not match there anyway, and
    an unanchored alternation of phrases costs microseconds a line in Python's re."""
    try:
        tree = _parsed(regex)
    except Exception:  # noqa: BLE001 - an unexpected parse: no shortcut, the regex decides
        return None
    ic = bool(regex.flags & re.IGNORECASE)
    lits = _seq_literals(list(tree), ic)
    if not lits or "" in lits:
        return None
    return tuple(sorted({x.lower() for x in lits} if ic else lits)), ic


def anchored(regex: re.Pattern) -> bool:
    """Every match starts at the start of the line (^ leads each top-level branch): Python's re
    then tries one position only, and a literal filter would cost more than it saves."""
    try:
        items = list(_parsed(regex))
    except Exception:  # noqa: BLE001
        return False
    return _starts_at_beginning(items) and not regex.flags & re.MULTILINE


def _starts_at_beginning(items: list) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is C.AT:
        return av is C.AT_BEGINNING or av is C.AT_BEGINNING_STRING
    if op is C.SUBPATTERN:
        return _starts_at_beginning(list(av[3]))
    if op is C.ATOMIC_GROUP:
        return _starts_at_beginning(list(av))
    if op is C.BRANCH:
        return all(_starts_at_beginning(list(b)) for b in av[1])
    return False


def first_char_test(regex: re.Pattern):
    """For an anchored rule: a test a line's first character must pass for the rule to match a
    stripped line (so never a space), or None when any character could start a match."""
    try:
        items = list(_parsed(regex))
    except Exception:  # noqa: BLE001
        return None
    ic = bool(regex.flags & re.IGNORECASE)
    found = _first_seq(items, ic)
    if found is None or found[2]:  # unknown, or the match may be empty
        return None
    chars, preds, _ = found
    chars = frozenset(chars)
    if ic:
        return lambda c: c in chars or c in _CASE_TRAPS or any(p(c) for p in preds)
    return lambda c: c in chars or any(p(c) for p in preds)


_CATEGORY_TESTS = {C.CATEGORY_DIGIT: str.isdigit, C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
                   C.CATEGORY_SPACE: None}  # a stripped line never starts with a space


def _first_seq(items: list, ic: bool):
    """(first characters, tests of first characters, may be empty) of a sequence, or None."""
    chars, preds = set(), []
    for op, av in items:
        found = _first_node(op, av, ic)
        if found is None:
            return None
        c, p, nullable = found
        chars |= c
        preds += p
        if not nullable:
            return chars, preds, False
    return chars, preds, True


def _first_node(op, av, ic: bool):
    if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
        return set(), [], True  # zero-width
    if op is C.LITERAL:
        c = chr(av)
        return ({c, c.lower(), c.upper()} if ic else {c}), [], False
    if op is C.IN:
        chars, preds = set(), []
        for o, a in av:
            if o is C.LITERAL:
                chars.add(chr(a))
            elif o is C.RANGE and a[1] - a[0] <= 4096:
                chars.update(chr(x) for x in range(a[0], a[1] + 1))
            elif o is C.CATEGORY and a in _CATEGORY_TESTS:
                if _CATEGORY_TESTS[a]:
                    preds.append(_CATEGORY_TESTS[a])
            else:
                return None
        if ic:
            chars |= {c.lower() for c in chars} | {c.upper() for c in chars}
        return chars, preds, False
    if op is C.SUBPATTERN:
        if av[1] & re.IGNORECASE and not ic:
            return None
        return _first_seq(list(av[3]), ic)
    if op is C.ATOMIC_GROUP:
        return _first_seq(list(av), ic)
    if op is C.BRANCH:
        chars, preds, nullable = set(), [], False
        for b in av[1]:
            found = _first_seq(list(b), ic)
            if found is None:
                return None
            chars |= found[0]
            preds += found[1]
            nullable = nullable or found[2]
        return chars, preds, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, _, sub = av
        found = _first_seq(list(sub), ic)
        if found is None:
            return None
        return found[0], found[1], lo == 0 or found[2]
    return None


def _seq_literals(items: list, ic: bool) -> set[str] | None:
    """The best required set of one sequence: its longest run of literal characters (small
    character classes multiply it out), or the set of an element that is always there."""
    best: set[str] | None = None

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if cand and "" not in cand and (best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best))):
            best = cand

    run = [""]
    for op, av in items:
        if op is C.LITERAL:
            run = [r + chr(av) for r in run]
            continue
        if op is C.IN and all(o is C.LITERAL for o, _ in av) and len(run) * len(av) <= 32:
            run = [r + chr(v) for r in run for _, v in av]
            continue
        consider(set(run) if run != [""] else None)
        run = [""]
        consider(_node_literals(op, av, ic))
    consider(set(run) if run != [""] else None)
    return best


def _node_literals(op, av, ic: bool) -> set[str] | None:
    if op is C.SUBPATTERN:
        _, add, _, sub = av
        if add & re.IGNORECASE and not ic:
            return None
        return _seq_literals(list(sub), ic)
    if op is C.BRANCH:
        sets = [_seq_literals(list(b), ic) for b in av[1]]
        if any(not x for x in sets):
            return None
        return set().union(*sets)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, _, sub = av
        return _seq_literals(list(sub), ic) if lo >= 1 else None
    if op is C.ATOMIC_GROUP:
        return _seq_literals(list(av), ic)
    return None


class RuleError(ValueError):
    pass


def parse_rules(text: str, origin: str, guard: bool = False) -> list[Rule]:
    """The rules of one rule file; guard: compile them time-limited (a site's own rules)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"{origin}: {e}") from None
    rules = []
    for i, r in enumerate(data.get("rule", [])):
        where = f"{origin}: rule {i + 1} ({r.get('id', '?')})"
        for key in ("id", "pattern", "action", "reason"):
            if not isinstance(r.get(key), str):
                raise RuleError(f"{where}: needs a string '{key}'")
        if r["action"] not in ACTIONS:
            raise RuleError(f"{where}: action must be one of {', '.join(ACTIONS)}")
        flags = re.IGNORECASE if "i" in r.get("flags", "") else 0
        try:
            regex = guarded(r["pattern"], flags, f"{origin}: rule {r['id']}") if guard else re.compile(r["pattern"], flags)
        except re.error as e:
            raise RuleError(f"{where}: bad pattern: {e}") from None
        rules.append(Rule(r["id"], regex, r["action"], r["reason"], int(r.get("max_chars", 0)),
                          tuple(r.get("examples", ())), tuple(r.get("not_examples", ()))))
    return rules


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        rules.extend(parse_rules(path.read_text(encoding="utf-8"), f"rules/{path.name}"))
    rules.sort(key=lambda r: r.action != "keep")  # keep rules speak first (stable sort)
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuleError(f"duplicate rule ids: {', '.join(sorted(dupes))}")
    return tuple(rules)


def site_rules(root: Path) -> tuple[Rule, ...]:
    """A site's own rule files, rules/*.toml beside pyproject.toml, in the same format as the
    built-in ones. Their examples are checked on load, so a rule that misses its own example
    is an error before it can touch an article."""
    folder = Path(root) / "rules"
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _site_rules(key)


@lru_cache(maxsize=8)
def _site_rules(key: tuple) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for path, _, _ in key:
        name = f"rules/{Path(path).name}"
        parsed = parse_rules(Path(path).read_text(encoding="utf-8"), name, guard=True)
        for r in parsed:
            try:
                bad = [e for e in r.examples if not r.matches(e)] + [e for e in r.not_examples if r.matches(e)]
                for line in provocations():  # a pattern that backtracks says so now, not mid-build
                    r.matches(line)
            except RuleStalled as e:
                raise RuleError(f"{e} — {e.hint}") from None
            if bad:
                raise RuleError(f"{name}: rule {r.id}: its pattern disagrees with its example {bad[0]!r}")
        rules.extend(parsed)
    return tuple(rules)


def curator_rules(strip: tuple | list, keep: tuple | list, origin: str) -> tuple[list[Rule], list[re.Pattern]]:
    """Extra patterns from the settings or front matter: lines to strip, lines to keep."""
    drops = [Rule(f"{origin}.strip", guarded(p, 0, "strip pattern (strip_patterns or front matter strip:)"),
                  "drop", f"matches the curator's strip pattern {p!r}") for p in strip]
    keeps = [guarded(p, 0, "keep pattern (keep_patterns or front matter keep:)") for p in keep]
    return drops, keeps
