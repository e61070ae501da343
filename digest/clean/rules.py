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
