"""Syndicated-copy detection benchmark (issue 20): python bench/stories.py [--n 10000] [--repeat 5]

A synthetic site (bench/sitegen.py, seeded) of N articles, plus N/50 copies of some of them
(Traditional script, truncated, other page junk), each built by `python build.py -v` in a child process:

  cold      the whole site from nothing: signatures of every article, LSH, verdicts
  edit      one article's text changed (its signature again, its candidates looked for)
  add       one new article

For each it reports the "syndicated copies" phase the build prints (-v: signatures, LSH
candidates, exact verdicts, grouping, merging) and the whole build's wall seconds; then the
same edit and add builds with the step switched off (a build state without its entry), so the
difference of the medians is what the step costs an incremental build, its share of the build
state's loading and saving included. Medians over --repeat runs; the machine is shared, so
single runs are noisy.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]
import sitegen  # noqa: E402


def add_copies(site: Path, n: int) -> int:
    """n/50 copies of the site's .txt articles: Traditional, truncated or with other junk."""
    import opencc

    cc = opencc.OpenCC("s2t")
    r = random.Random(20)
    files = sorted((site / "content").rglob("*.txt"))
    made = 0
    for k, src in enumerate(r.sample(files, max(1, n // 50))):
        text = src.read_text(encoding="utf-8")
        head, _, body = text.partition("---\n")[2].partition("---\n")
        kind = k % 3
        if kind == 0:
            body = cc.convert(body)
        elif kind == 1:
            paras = [p for p in body.split("\n\n") if p.strip()]
            body = "\n\n".join(paras[:max(2, len(paras) // 3)]) + "\n\n阅读全文 >>\n"
        else:
            body = "网易首页 > 科技\n打开网易新闻 查看精彩图片\n\n" + body + "\n责任编辑：王小明\n"
        (src.parent / f"copy-{k}.txt").write_text(f"---\n{head}---\n{body}", encoding="utf-8")
        made += 1
    return made


CHILD = """
import sys
import digest.stories as s
if sys.argv[1] == "off":  # the step switched off: no grouping, and a build state without its entry
    def off(articles, report, state=None, known=None, use_parallel=True):
        if state is not None:
            state.pop("stories", None)
        return articles
    s.merge_copies = off
from digest.cli import main
rc = main(["--root", sys.argv[2], "-v"])
print("stories step:", ", ".join(f"{k} {v * 1000:.0f} ms" if isinstance(v, float) else f"{k} {v}"
                                 for k, v in s.STATS.items()), file=sys.stderr)
sys.exit(rc)
"""


def timed_build(site: Path, mode: str = "on"):
    """One build in a child process (`python build.py -v`, imports included), after os.sync()
    (the previous build's files written back during this one would take a core from it):
    (wall seconds, seconds of the syndicated-copies phase, stderr)."""
    import os
    import subprocess

    os.sync()
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", CHILD, mode, str(site)], cwd=REPO, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.perf_counter() - start
    if p.returncode:
        raise SystemExit("build failed:\n" + p.stderr[-3000:])
    phase = re.search(r"syndicated copies ([0-9.]+) s", p.stderr)
    return wall, float(phase[1]) if phase else 0.0, p.stderr


def edit_one(site: Path, i: int) -> None:
    files = sorted((site / "content").rglob("*.md"))
    p = files[i * 37 % len(files)]
    p.write_text(p.read_text(encoding="utf-8") + f"\nAn added sentence, number {i}, changes this article.\n",
                 encoding="utf-8")


def add_one(site: Path, i: int) -> None:
    (site / "content" / f"added-{i}.md").write_text(
        f"---\ntitle: Added article {i}\ndate: 2026-03-0{1 + i % 9}\nsource: Wired\n---\n"
        + "\n\n".join(sitegen._paragraphs(random.Random(i), False, 1500)) + "\n",
        encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--site", default=str(HERE / "sites" / "stories"))
    args = ap.parse_args()
    site = Path(args.site + f"-{args.n}")
    sitegen.generate(site, args.n)
    copies = add_copies(site, args.n)

    wall, phase, err = timed_build(site)
    stories_n = len([x for x in err.splitlines() if "copies of" in x])
    print(f"{args.n} articles + {copies} copies: cold build {wall:.2f} s, of which syndicated copies {phase:.2f} s; "
          f"{stories_n} stories of several copies found")
    print(next(x for x in err.splitlines() if x.startswith("stories step:")))
    from digest.state import STATE

    state_path = site / ".digest-cache" / STATE
    with open(state_path, "rb") as f:
        state = pickle.load(f)
    entry = len(pickle.dumps(state.get("stories"), protocol=pickle.HIGHEST_PROTOCOL))
    print(f"build state {state_path.stat().st_size / 1e6:.1f} MB, of which the stories entry {entry / 1e6:.1f} MB")
    without = {k: v for k, v in state.items() if k != "stories"}
    for name, value in (("with", state), ("without", without)):
        saves, loads = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            saves.append(time.perf_counter() - t)
            t = time.perf_counter()
            pickle.loads(data)
            loads.append(time.perf_counter() - t)
        print(f"state {name} the entry: pickled in {statistics.median(saves) * 1000:.0f} ms, "
              f"unpickled in {statistics.median(loads) * 1000:.0f} ms (medians of {args.repeat})")
    rows = {}
    for mode in ("off", "on"):  # each after a settling build (off: a state without the entry; on: all signed again)
        timed_build(site, mode)
        for what, change in (("edit", edit_one), ("add", add_one)):
            walls, phases = [], []
            for i in range(args.repeat):
                change(site, 1000 * (mode == "off") + 10 * (what == "add") + i)
                w, ph, err = timed_build(site, mode)
                walls.append(w)
                phases.append(ph)
            rows[mode, what] = (statistics.median(walls), statistics.median(phases), walls)
            if mode == "on":
                print(f"{what}, last run: " + next(x for x in err.splitlines() if x.startswith("stories step:")))
    for what in ("edit", "add"):
        on, off_ = rows["on", what], rows["off", what]
        print(f"{what:>4}: build {on[0]:.3f} s with the step (phase {on[1] * 1000:.0f} ms), {off_[0]:.3f} s without: "
              f"extra {on[0] - off_[0]:+.3f} s (medians of {args.repeat}; with: "
              f"{', '.join(f'{w:.2f}' for w in on[2])}; without: {', '.join(f'{w:.2f}' for w in off_[2])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
