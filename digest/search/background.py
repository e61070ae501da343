"""The preview's search index, built after the page reloads instead of before.

build_search() hands each preview build's shard plan to submit() and returns at once; one
daemon thread waits until that build's commit has removed its staging folder, builds the shards
that are not cached from the pages in the preview folder (one at a time, in this process: the
preview has threads, so it never forks), then writes search/data/ into the preview folder (shard files first, entry.json last, by atomic
renames) and removes the shard folders no longer listed. The files are not in the preview's
manifest, so the preview's commits never touch them.

A newer save replaces a waiting job, and stops a running one between two shards (what it built
is cached, so the next job starts where it stopped): the index never delays the next save by more
than the shard being built.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

_lock = threading.Condition()
_pending = None  # the newest job not started yet
_thread: threading.Thread | None = None
_busy = False
done = 0  # jobs finished (the tests wait for it)


def submit(shards, cache, output, out_dir: Path) -> None:
    """Queue the index of these shards (the pages of the build being committed to out_dir)."""
    global _pending, _thread
    job = (shards, cache, output.stage, Path(out_dir))
    with _lock:
        _pending = job
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="digest-search-index", daemon=True)
            _thread.start()
        _lock.notify_all()


def wait(timeout: float = 60.0) -> bool:
    """Until no job is waiting or running (for tests and benchmarks); False on time-out."""
    end = time.monotonic() + timeout
    with _lock:
        while _pending is not None or _busy:
            left = end - time.monotonic()
            if left <= 0:
                return False
            _lock.wait(left)
    return True


def _run() -> None:
    global _pending, _busy, done
    while True:
        with _lock:
            while _pending is None:
                if not _lock.wait(30):
                    return  # idle: the thread ends, submit() starts another
            job, _pending, _busy = _pending, None, True
        try:
            _index(*job)
        except Exception:  # the index is the preview's extra: report, never stop the preview
            traceback.print_exc()
            print("search: the preview's index could not be built (the build of output/ reports why)",
                  file=sys.stderr, flush=True)
        finally:
            with _lock:
                _busy = False
                done += 1
                _lock.notify_all()


def _index(shards, cache, stage: str, out: Path) -> None:
    from . import BUNDLE, build_bundle

    end = time.monotonic() + 120
    while os.path.exists(stage) and time.monotonic() < end:  # the build's commit is not done yet
        time.sleep(0.02)
    if not (out / ".digest-manifest.json").is_file():
        return  # the build failed before its first commit: nothing to index
    # The pages are read from the preview folder. If a newer build commits meanwhile, its job is
    # waiting: this one stops (stop()) or at the latest does not write (below).
    stop = lambda: _pending is not None  # noqa: E731
    files, _ = build_bundle(shards, cache, lambda path: str(out / path), use_parallel=False, stop=stop)
    if files is None:  # a newer save came: its job goes on from the cache
        return
    with _lock:
        if _pending is not None:
            return
    bundle = out / BUNDLE
    from . import ENTRY

    for rel, data in files.items():
        if rel == ENTRY:
            continue
        target = bundle / rel
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        _write(target, data)
    _write(bundle / ENTRY, files[ENTRY])
    listed = {s["dir"] for s in json.loads(files[ENTRY])["shards"]}
    for p in bundle.iterdir():
        if p.is_dir() and p.name not in listed:
            shutil.rmtree(p, ignore_errors=True)
        elif p.is_file() and p.name not in files:
            p.unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), 0o644)
        f.write(data)
    os.replace(tmp, path)
