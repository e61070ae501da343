"""What a rule's regular expression says about the lines it can match, read from its parse
tree: the speed-ups of the matcher (matcher.py), kept apart from loading the rules (rules.py).

  required_literals  strings every match contains (a line holding none of them is skipped)
  anchored           every match starts at the line's start
  first_char_test    which first characters an anchored match can start with

They read CPython's private parse tree (`re._parser`, `re._constants`). Where that is missing
or a pattern parses unexpectedly, each answers "no shortcut" and the regex alone decides: the
shortcuts can make matching faster, never change which rule matches (tests/test_properties.py
checks that against the plain loop).
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # CPython's own parser: private, so guarded
    from re import _constants as C
    from re import _parser
except ImportError:  # pragma: no cover - another Python: no shortcuts
    C = _parser = None


@lru_cache(maxsize=512)
def _parsed(regex: re.Pattern):
    """The parse tree of a compiled pattern (read by the three shortcuts below; parsed once)."""
    if _parser is None:
        raise LookupError("no re._parser")
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


_CATEGORY_TESTS = {} if C is None else {  # (a stripped line never starts with a space)
    C.CATEGORY_DIGIT: str.isdigit, C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_", C.CATEGORY_SPACE: None}


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
