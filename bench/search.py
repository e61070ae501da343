"""Search page speed: python bench/search.py SITE [--queries 华为 chips …]

Serves SITE/output/ with Python's http.server (a static host on this machine) and opens the
search page in Chromium (/usr/bin/chromium, Playwright) for each query: a fresh browser context
each time (nothing cached), the query in the address (search/?q=…), timed from navigation to the
first results on screen. Then the same queries typed into an open page (the index loaded).
Prints the medians; bench/run.py --search calls it on its largest site.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

QUERIES = ["华为", "数据中心", "出口管制", "大模型", "算力基础设施", "開源模型", "Nvidia", "chips", "export controls",
           "华为 chips"]
DONE = "() => /\\d|No results|没有结果/.test(document.getElementById('search-status').textContent)"


class _Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass


def measure(site: Path, queries: list[str] = QUERIES) -> dict:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    cold, warm, counts, each = [], [], {}, {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for q in queries:
                context = browser.new_context()
                page = context.new_page()
                start = time.perf_counter()
                page.goto(base + "search/?q=" + urllib.parse.quote(q))
                page.wait_for_function(DONE, timeout=60000)
                cold.append(time.perf_counter() - start)
                counts[q] = page.text_content("#search-status")
                each[q] = cold[-1]
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "search/")
            page.wait_for_selector("#search:not([hidden])")
            for q in queries:
                page.fill("#search-q", "")
                page.evaluate("document.getElementById('search-status').textContent = ''")
                start = time.perf_counter()
                page.fill("#search-q", q)
                page.press("#search-q", "Enter")
                page.wait_for_function(DONE, timeout=60000)
                warm.append(time.perf_counter() - start)
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"cold": statistics.median(cold), "cold_max": max(cold), "warm": statistics.median(warm),
            "warm_max": max(warm), "counts": counts,
            "each": each}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--queries", nargs="*", default=QUERIES)
    args = ap.parse_args()
    r = measure(args.site, args.queries)
    for q, c in r["counts"].items():
        print(f"  {q}: {c}, first results on a fresh page {r['each'][q]:.2f} s", file=sys.stderr)
    print(f"first results, a fresh page with the query in its address: median {r['cold']:.2f} s "
          f"(slowest {r['cold_max']:.2f} s); a query typed into a loaded page: median {r['warm']:.2f} s "
          f"(slowest {r['warm_max']:.2f} s); {len(args.queries)} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
