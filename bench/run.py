"""Build-speed benchmark: python bench/run.py [--n 10000] [--repeat 3]

For a synthetic site of 1,000 and of N articles (bench/sitegen.py, seeded: the same every run) it
times five builds, each `python build.py --root SITE -q` in a child process:

  cold       no output/ and no .digest-cache/ (a freshly generated copy per repeat; every cold
             build runs before the other builds and nothing is deleted until the end: see run_size)
  no-op      nothing changed
  edit       one article's text changed
  add        one new article
  template   a site-level templates/article.html override changed (every article page changes)

and reports the median over --repeat runs of wall seconds, CPU seconds (user + system, worker
processes included), peak memory (ru_maxrss of the build process, and of its largest worker)
and articles per second. Prints a table and writes bench/results.md.

--search off (the default) builds the sites with search = false, as before; --search on builds
them as shipped (search = true: the search index too), --search both does each (rows marked
"+ search"). With search on, the search page of the largest site is then timed in Chromium
(bench/search.py: first results from a fresh page, and a query typed into a loaded one).
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]  # sitegen, and digest for unpickling its cache
import sitegen  # noqa: E402

SCENARIOS = ("cold", "no-op", "edit", "add", "template")
ANALYSIS = "<!-- written by hand from here on: bench/run.py rewrites only what is above -->"
SYNC = True  # --no-sync: measure without it


def build(site: Path, code: Path = REPO) -> dict:
    """One build in a child process (the digest in `code`): wall and CPU seconds, peak memory in
    MB. Dirty pages are written out first (sync): the kernel writes a file back ~30 s after it
    changed, and the previous build's ~400 MB written back during this one would take CPU from this one."""
    if SYNC:
        os.sync()
    start = time.perf_counter()
    p = subprocess.Popen([sys.executable, "build.py", "--root", str(site), "-q"], cwd=code,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if p.returncode not in (0,):
        errors = [l for l in err.decode(errors="replace").splitlines() if not l.startswith("warning:")]
        raise SystemExit(f"build failed ({p.returncode}) for {site}:\n" + "\n".join(errors[-20:]))
    # wait4's rusage covers the child and the workers it waited for; ru_maxrss is the largest one
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "sys": ru.ru_stime, "mb": ru.ru_maxrss / 1024}


def edit_article(site: Path, r: int) -> None:
    files = sorted((site / "content").rglob("*.md"))
    p = files[(r * 7919) % len(files)]
    p.write_text(p.read_text(encoding="utf-8") + f"\nOne more paragraph, added by the benchmark ({r}).\n",
                 encoding="utf-8")


def add_article(site: Path, n: int, r: int) -> None:
    rel, text = sitegen.article(n + r)
    p = site / "content" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def change_template(site: Path, r: int) -> None:
    src = REPO / "themes" / "default" / "templates" / "article.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "article.html").write_text(
        src.read_text(encoding="utf-8") + f"<!-- bench {r} -->\n", encoding="utf-8")


def cache_load_seconds(site: Path) -> tuple[float, float]:
    """(seconds to unpickle the build state with the light articles, its size in MB)."""
    path = site / ".digest-cache" / "state.pickle"
    if not path.is_file():
        return 0.0, 0.0
    start = time.perf_counter()
    with open(path, "rb") as f:
        pickle.load(f)
    return time.perf_counter() - start, path.stat().st_size / 1e6


QUIET_AFTER_DELETIONS = 300  # s: ext4 skips inodes freed in the last 60-300 s when it allocates


def settle_after_deletions(stamp: Path) -> None:
    """A run deletes its old copies at the end (tens of thousands of files). On ext4 without a
    journal a file created in the next minutes costs far more kernel time, so a run started
    right after another waits until those deletions are 5 minutes old."""
    try:
        age = time.time() - float(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if age < QUIET_AFTER_DELETIONS:
        wait = QUIET_AFTER_DELETIONS - age
        print(f"waiting {wait:.0f} s: the previous run deleted its copies {age:.0f} s ago", file=sys.stderr)
        time.sleep(wait)


def run_size(n: int, repeat: int, trash: Path, search: bool = False) -> dict:
    """Each repeat builds its own freshly generated copy (bench/sites/N-r). Every cold build runs
    before any other build, and nothing is deleted until the end: on a file system without a
    journal (this VM's ext4), a file created within a few minutes of many deletions costs far more
    kernel time (ext4 passes over recently freed inodes), which would charge the benchmark's own
    clean-up to the build. A fresh clone followed by a build sees no such deletions."""
    sites = []
    for r in range(repeat):
        site = HERE / "sites" / f"{n}-{'s' if search else ''}{r + 1}"
        if site.exists():  # a previous run's copy: moved aside now, deleted after the measurements
            os.replace(site, trash / f"{site.name}-{time.time_ns()}")
        sitegen.generate(site, n, search=search)
        sites.append(site)
    runs: dict[str, list[dict]] = {s: [] for s in SCENARIOS}
    extra = {"cache_load": [], "cache_mb": 0.0, "pages_mb": 0.0}

    def measure(name: str, site: Path, r: int) -> None:
        res = build(site)
        runs[name].append(res)
        print(f"  {n:>6} {name:<9}{' + search' if search else ''} run {r + 1}: {res['wall']:6.2f} s wall "
              f"{res['cpu']:6.2f} s CPU "
              f"({res['sys']:.2f} s in the kernel) {res['mb']:6.0f} MB", file=sys.stderr)

    for r, site in enumerate(sites):
        measure("cold", site, r)
        sec, mb = cache_load_seconds(site)
        extra["cache_load"].append(sec)
        extra["cache_mb"] = mb
        stores = (site / ".digest-cache").glob("articles*.sqlite")
        extra["pages_mb"] = sum(p.stat().st_size for p in stores) / 1e6
    for r, site in enumerate(sites):
        steps = {"no-op": lambda: None, "edit": lambda: edit_article(site, r),
                 "add": lambda: add_article(site, n, r), "template": lambda: change_template(site, r)}
        for name in SCENARIOS[1:]:
            steps[name]()
            measure(name, site, r)
    med = {name: {k: statistics.median(x[k] for x in rs) for k in ("wall", "cpu", "sys", "mb")}
           for name, rs in runs.items()}
    med["_extra"] = {"cache_load": statistics.median(extra["cache_load"]), "cache_mb": extra["cache_mb"],
                     "pages_mb": extra["pages_mb"], "site": sites[0]}
    if search:
        index = sites[0] / "output" / "search" / "data"
        med["_extra"]["index_mb"] = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 1e6
        med["_extra"]["index_files"] = sum(1 for p in index.rglob("*") if p.is_file())
    return med


def table(results: dict[tuple[int, bool], dict]) -> str:
    rows = ["| articles | build | wall s | CPU s | of which kernel s | peak MB | articles/s |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for (n, search), med in results.items():
        for name in SCENARIOS:
            m = med[name]
            label = name + (" + search" if search else "")
            rows.append(f"| {n:,} | {label} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['sys']:.2f} | {m['mb']:.0f} | "
                        f"{n / m['wall']:,.0f} |")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="the largest site (1,000 is always run too)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per build; the table shows medians")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    ap.add_argument("--no-sync", action="store_true", help="do not sync before each timed build")
    ap.add_argument("--search", choices=("off", "on", "both"), default="off",
                    help="build without the search index (off, the default), as shipped (on), or both")
    args = ap.parse_args()
    global SYNC
    SYNC = not args.no_sync
    sizes = sorted({min(1000, args.n), args.n})
    trash = HERE / "sites" / ".trash"
    trash.mkdir(parents=True, exist_ok=True)
    settle_after_deletions(HERE / "sites" / ".deleted")
    try:
        modes = {"off": [False], "on": [True], "both": [False, True]}[args.search]
        results = {(n, search): run_size(n, args.repeat, trash, search) for n in sizes for search in modes}
        if True in modes:
            import search as search_bench

            try:
                largest = results[(sizes[-1], True)]["_extra"]
                largest["page"] = search_bench.measure(largest["site"])
            except Exception as e:  # no Chromium or Playwright: the builds are still measured
                print(f"search page not timed: {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        deleted = any(trash.iterdir())
        shutil.rmtree(trash, ignore_errors=True)
        if deleted:  # the next run waits for these deletions to age (settle_after_deletions)
            (HERE / "sites" / ".deleted").write_text(str(time.time()), encoding="utf-8")
    text = table(results)
    notes = [f"- articles/s is articles ÷ wall seconds of that build; medians of {args.repeat} runs.",
             "- CPU s includes the build's worker processes; 'of which kernel' is system time, mostly "
             "creating output files; peak MB is ru_maxrss of the largest single process (the build or "
             "one worker), from os.wait4.",
             "- each timed build starts after os.sync()" if SYNC else "- measured with --no-sync",
             f"- machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}."]
    for (n, search), med in results.items():
        e = med["_extra"]
        if not search or args.search == "on":
            notes.append(f"- {n:,} articles: build state (light articles, page keys) {e['cache_mb']:.0f} MB, "
                         f"unpickled in {e['cache_load']:.2f} s; article store (SQLite) {e['pages_mb']:.0f} MB.")
        if search:
            notes.append(f"- {n:,} articles + search: the index (search/data/) {e['index_mb']:.0f} MB in "
                         f"{e['index_files']:,} files.")
        if "page" in e:
            pg = e["page"]
            notes.append(f"- {n:,} articles, the search page in Chromium from a local http.server: first results "
                         f"on a fresh page (query in the address) median {pg['cold']:.2f} s (slowest "
                         f"{pg['cold_max']:.2f} s); a query typed into a loaded page median {pg['warm']:.2f} s "
                         f"(slowest {pg['warm_max']:.2f} s); {len(pg['counts'])} queries (bench/search.py).")
    print(text)
    print("\n".join(notes))
    out = Path(args.out)
    kept = ""  # the analysis written by hand below the marker stays
    if out.is_file() and ANALYSIS in out.read_text(encoding="utf-8"):
        kept = "\n" + ANALYSIS + out.read_text(encoding="utf-8").split(ANALYSIS, 1)[1]
    flag = "" if args.search == "off" else f" --search {args.search}"
    out.write_text(
        "# Build benchmark\n\n`python bench/run.py --n {} --repeat {}{}` (synthetic site from bench/sitegen.py)\n\n"
        .format(args.n, args.repeat, flag) + text + "\n\n" + "\n".join(notes) + "\n" + kept, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
