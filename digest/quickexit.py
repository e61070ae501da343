"""Speed layer: a `build` run from the command line ends its process without tearing the heap down.

When `python build.py` (or the `digest` command) has built the site, everything it makes is on
disk: output/ committed, the build state, the article store (closed) and the no-op stamp written,
each file through a `with` block or an atomic rename. What is left for the interpreter's own exit
is to free the build's ~200-250 MB of objects one by one (the loaded state's light articles, page
keys, list-page signatures, search postings) and run the collector over them: at 10,000 articles
~0.13-0.2 s of CPU and wall after the last file is written (bench/results.md, issue 17's fourth
round), paid by every edit and add. `os._exit` ends the process at once instead, after flushing
stdout and stderr.

Only where nothing can be lost: `run()` (build.py's and the `digest` command's entry point)
takes this exit only after the `build` command (never `serve`, whose background index has an
`atexit` hook, `inspect`, `report` or `init`), only when the process has no other thread and no
live child process, and only when `ENABLED`. Anything else exits the plain way (`SystemExit`).
`main()` itself never exits: tests and other callers run it in their own process.
tests/test_speed_layer.py runs builds both ways in fresh processes and compares their output/,
their cache files and their exit codes and messages, a failed build included.
"""

from __future__ import annotations

import os
import sys
import threading

ENABLED = True  # False: the plain exit (tests, bench)
_ready = False  # the build command finished in this process (cli.cmd_build sets it)


def built() -> None:
    """Called by the build command once it has printed its last line."""
    global _ready
    _ready = True


def safe() -> bool:
    """Nothing is left for the interpreter's exit to do but free memory."""
    if not (ENABLED and _ready) or threading.active_count() != 1:
        return False
    mp = sys.modules.get("multiprocessing")
    if mp is not None and mp.active_children():
        return False
    return True


def run(main) -> None:
    """Run main() (returns an exit status) and end the process with its status."""
    code = main()
    if safe():
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken pipe: let the plain exit report it
            raise SystemExit(code)
        os._exit(0 if code is None else code if isinstance(code, int) else 1)
    raise SystemExit(code)
