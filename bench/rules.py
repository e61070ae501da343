"""Cost of each cleaning rule: python bench/rules.py [--site SITE] [--limit-ms 5]

A rule is a regular expression run on every line of every article, so one pattern that
backtracks badly can stall a build on a single scraped footer (chrome.footer once took 6.7 s
on one Wikipedia footer line). This runs every built-in rule (and a site's rules/*.toml with
--site) over the labelled fixture pages, the sample content and lines built to provoke
backtracking (long link rows, repeated separators, long runs of one character), and reports:

  - per rule, microseconds per line on the whole corpus;
  - the slowest single (rule, line) pairs.

It exits 1 when any single line takes longer than --limit-ms for one rule. A site's rules run as
the build runs them (digest/patterns.py): a pattern is stopped after BUDGET_S on one line, so
this always finishes. The lines built to provoke backtracking are patterns.provocations(); a
site's rules meet them when they load too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from digest.clean.rules import RuleError, builtin_rules, site_rules  # noqa: E402
from digest.patterns import BUDGET_S, RuleStalled, provocations  # noqa: E402


def corpus() -> list[str]:
    lines: set[str] = set()
    for p in [*(REPO / "tests" / "fixtures").rglob("*.txt"), *(REPO / "tests" / "fixtures").rglob("*.md"),
              *(REPO / "content").glob("*")]:
        if p.is_file():
            lines.update(t.strip() for t in p.read_text(encoding="utf-8", errors="replace").split("\n") if t.strip())
    return sorted(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", help="also check this site's rules/*.toml")
    ap.add_argument("--limit-ms", type=float, default=5.0, help="slowest allowed single match")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    try:
        rules = list(builtin_rules()) + (list(site_rules(Path(args.site))) if args.site else [])
    except RuleError as e:  # a site rule that stalls on these very lines is refused when it loads
        print(f"error: {e}")
        return 1
    lines = corpus() + provocations()
    totals, worst = [], []
    for r in rules:
        total = 0.0
        for line in lines:
            t = time.perf_counter()
            try:
                r.matches(line)
            except RuleStalled:  # a site's rule runs time-limited: stopped after BUDGET_S
                pass
            d = time.perf_counter() - t
            total += d
            worst.append((d, r.id, line))
        totals.append((total, r.id))
    worst.sort(reverse=True)
    totals.sort(reverse=True)
    print(f"{len(rules)} rules × {len(lines)} lines")
    print("\nrule cost, µs per line:")
    for total, rid in totals[: args.top]:
        print(f"  {total / len(lines) * 1e6:8.2f}  {rid}")
    print("\nslowest single lines:")
    for d, rid, line in worst[: args.top]:
        print(f"  {d * 1e3:8.3f} ms  {rid:<28} {line[:70]!r}")
    bad = [w for w in worst if w[0] * 1e3 > args.limit_ms]
    if bad:
        print(f"\n{len(bad)} (rule, line) pairs over {args.limit_ms} ms: a pattern backtracks; rewrite it.")
        return 1
    print(f"\nno single line over {args.limit_ms} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
