"""Interleaved A/B of two copies of digest on one site: python bench/ab.py OLD NEW [--n 10000] [--pairs 8]

OLD and NEW are folders holding a copy of digest each (`git archive REV | tar -x -C DIR`: a build
must not read code that changes under it). The benchmark site of N articles (bench/sitegen.py,
search on) is copied twice into --work; each copy is cold-built by its own code, then for each
pair the same edit (scenario edit: a paragraph appended to one .md file) or the same new
article (add) is made on both copies and each is built incrementally, the order alternating
(old first in odd pairs), each build a fresh `build.py` process after `sync`, the saved file
2.1 s old (an editor's save, then a build). Prints per build: CPU seconds (user + system of the
build and its workers), wall seconds, the load average; and per scenario the medians and the
paired differences. The machine may be shared: CPU seconds and paired differences are the figures.

--scenarios cold: each pair builds two fresh copies of the site from nothing (old and new, the
order alternating), and keeps the last pair's two copies (--work/cold-old, cold-new) so that
their output/ folders can be compared (edit and add use copies of their own, as above).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]
import run  # noqa: E402
import sitegen  # noqa: E402


def build(code: Path, site: Path) -> dict:
    r = run.build(site, code)  # (bench/run.py's: after sync, CPU of the build and its workers)
    return {"cpu": r["cpu"], "wall": r["wall"], "load": os.getloadavg()[0]}


from run import edit_article as edit  # noqa: E402  (the same edit bench/run.py times)


def add(site: Path, n: int, r: int) -> None:
    rel, text = sitegen.article(n + 1000 + r)
    p = site / "content" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument("--work", type=Path, default=Path("/tmp/digest-ab"))
    ap.add_argument("--scenarios", default="edit,add")
    ap.add_argument("--reuse", action="store_true", help="the copies in --work are built already")
    args = ap.parse_args()
    codes = {"old": args.old.resolve(), "new": args.new.resolve()}
    sites = {k: args.work / k for k in codes}
    steps = [x for x in args.scenarios.split(",") if x != "cold"]
    if not args.reuse and steps:
        base = args.work / "base"
        sitegen.generate(base, args.n, search=True)
        for k, site in sites.items():
            if site.exists():
                shutil.rmtree(site)
            shutil.copytree(base, site)
            res = build(codes[k], site)
            print(f"cold {k}: {res['cpu']:.1f} s CPU, {res['wall']:.1f} s wall, load {res['load']:.1f}", flush=True)
    rows: dict = {}
    for scenario in args.scenarios.split(","):
        if scenario == "cold":
            base = args.work / "base"
            if not base.is_dir():
                sitegen.generate(base, args.n, search=True)
            for r in range(1, args.pairs + 1):
                order = ("old", "new") if r % 2 else ("new", "old")
                got = {}
                for k in order:
                    site = args.work / f"cold-{k}"
                    if site.exists():
                        shutil.rmtree(site)
                    shutil.copytree(base, site)
                    got[k] = build(codes[k], site)
                rows.setdefault(scenario, []).append(got)
                print(f"cold {r}: " + ", ".join(f"{k} {got[k]['cpu']:.2f} s CPU {got[k]['wall']:.2f} s wall"
                                                 for k in ("old", "new"))
                      + f"; new − old {got['new']['cpu'] - got['old']['cpu']:+.2f} s CPU; load {got[order[1]]['load']:.1f}",
                      flush=True)
            continue
        for r in range(1, args.pairs + 1):
            order = ("old", "new") if r % 2 else ("new", "old")
            for k in order:
                (edit(sites[k], r) if scenario == "edit" else add(sites[k], args.n, r))
            time.sleep(2.1)
            got = {k: build(codes[k], sites[k]) for k in order}
            rows.setdefault(scenario, []).append(got)
            print(f"{scenario} {r}: " + ", ".join(f"{k} {got[k]['cpu']:.2f} s CPU {got[k]['wall']:.2f} s wall"
                                                  for k in ("old", "new"))
                  + f"; new − old {got['new']['cpu'] - got['old']['cpu']:+.2f} s CPU; load {got[order[1]]['load']:.1f}",
                  flush=True)
    for scenario, pairs in rows.items():
        med = {k: statistics.median(p[k]["cpu"] for p in pairs) for k in codes}
        wall = {k: statistics.median(p[k]["wall"] for p in pairs) for k in codes}
        diffs = [p["new"]["cpu"] - p["old"]["cpu"] for p in pairs]
        loads = [p[k]["load"] for p in pairs for k in codes]
        print(f"{scenario}: CPU median old {med['old']:.2f} s, new {med['new']:.2f} s; wall median old "
              f"{wall['old']:.2f} s, new {wall['new']:.2f} s; paired difference median {statistics.median(diffs):+.2f} s "
              f"({min(diffs):+.2f} … {max(diffs):+.2f}); load {min(loads):.1f}–{max(loads):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
