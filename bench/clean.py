"""What cleaning one article costs: digest.clean.clean() alone, in one process, no I/O.

    python bench/clean.py [--n 2000] [--repeat 5]

Two corpora: the synthetic articles bench/run.py builds (bench/sitegen.py; scraped-style .txt
and .md with front matter) and the labelled fixture pages (tests/fixtures/cleaning*/raw: real
layouts of many platforms, hard-wrapped pastes). Prints the median over `repeat` runs of
milliseconds per article for each, after one warm-up run (regexes compiled, caches of the
signals filled the way a build's worker fills them). Cross-article evidence is left out: the
build computes it once per site, not per article (bench/run.py times the whole build).

It first measures the cold cost: n other synthetic articles cleaned once each, in this fresh
process, before anything else (the caches empty, as a cold build's worker finds them; once each:
one run, not a median).

Run it on two checkouts to compare a change (issue 13: cleaning may cost at most 30% more than
before the redesign): `git worktree add /tmp/before REV && python /tmp/before/bench/clean.py`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from digest.clean import clean  # noqa: E402
import sitegen  # noqa: E402


def bodies_synthetic(n: int) -> list[str]:
    out = []
    for i in range(n):
        _, text = sitegen.article(i)
        out.append(_body(text))
    return out


def bodies_fixtures() -> list[str]:
    files = sorted(p for d in (ROOT / "tests" / "fixtures").glob("cleaning*") for p in (d / "raw").glob("*")
                   if p.suffix in (".txt", ".md"))
    return [_body(p.read_text(encoding="utf-8", errors="replace")) for p in files]


def _body(text: str) -> str:
    """The text after YAML front matter (a plain split, so the script runs on older checkouts)."""
    if text.startswith("---\n") and (end := text.find("\n---\n", 4)) > 0:
        return text[end + 5:]
    return text


def cold_per_article(bodies: list[str]) -> float:
    t = time.process_time()
    for b in bodies:
        clean(b)
    return (time.process_time() - t) / len(bodies) * 1000


def per_article(bodies: list[str], repeat: int) -> float:
    for b in bodies:  # warm-up
        clean(b)
    runs = []
    for _ in range(repeat):
        t = time.process_time()  # (CPU time of this process: other work on the machine does not count)
        for b in bodies:
            clean(b)
        runs.append((time.process_time() - t) / len(bodies) * 1000)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="synthetic articles")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    syn, fix = bodies_synthetic(a.n), bodies_fixtures()
    other = [_body(sitegen.article(i)[1]) for i in range(a.n, 2 * a.n)]
    print(f"cold      ({len(other)} articles, each once, first thing in the process): {cold_per_article(other):.3f} ms/article")
    print(f"synthetic ({len(syn)} articles): {per_article(syn, a.repeat):.3f} ms/article")
    print(f"fixtures  ({len(fix)} pages):    {per_article(fix, a.repeat):.3f} ms/article")


if __name__ == "__main__":
    main()
