"""The preview's search index, built after the page reloads instead of before.

build_search() hands each preview build's shard plan to submit() and returns at once. A daemon
thread starts a child process for it (`python -m digest.search.background`, at low priority:
nice 10) and waits for it. The child waits until that build's commit has removed its staging
folder, builds the shards that are not cached from the pages in the preview folder (in forked
workers when there are many: the child has no threads), then writes search/data/ into the
preview folder (shard files first, entry.json last, by atomic renames) and removes the shard
folders no longer listed. The files are not in the preview's manifest, so the preview's commits
never touch them.

A process of its own, so the index never holds the preview's interpreter lock, and a low
priority, so a rebuild gets the cores first. A newer save ends a running child (what it built is
cached, so the next one starts where it stopped) and starts one for the newest build: the index
never delays the next save.

Nice 10 is not enough on a busy 2-core machine: the child and the workers it forks still took a
core from the rebuild of the next save. So the preview pauses the child's process group as soon
as it sees a save (pause(): SIGSTOP) and lets it go on once that rebuild is over (resume():
SIGCONT), unless that rebuild queued a newer index, which ends it (SIGTERM, then SIGCONT so a
stopped group gets it). A child started while paused starts stopped.
"""

from __future__ import annotations

import atexit
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

HOLD = "DIGEST_SEARCH_HOLD"  # (tests) a file: the child waits until it exists before indexing
NICE = 10

_lock = threading.Condition()
_pending = None  # the newest job not started yet
_thread: threading.Thread | None = None
_busy = False
_child: subprocess.Popen | None = None  # the running child (its pid is its process group's)
_paused = False  # pause() is in force: the running child, and any started meanwhile, are stopped
done = 0  # jobs finished or superseded (the tests wait for it)


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


def pause() -> None:
    """Stop the running index (its whole process group) until resume(): a save was seen, and
    its rebuild should have the cores. Cheap when nothing runs."""
    global _paused
    with _lock:
        _paused = True
        _signal(_child, signal.SIGSTOP)


def resume() -> None:
    """The rebuild is over: a stopped index goes on, unless a newer job is queued (the thread
    ends the stopped one then: it is out of date)."""
    global _paused
    with _lock:
        _paused = False
        if _pending is None:
            _signal(_child, signal.SIGCONT)
        _lock.notify_all()


def paused() -> bool:
    """(tests) pause() is in force."""
    return _paused


def _signal(child, sig) -> None:
    if child is None or child.poll() is not None:
        return
    try:
        os.killpg(child.pid, sig)
    except OSError:  # already gone
        pass


def _run() -> None:
    global _pending, _busy, done
    while True:
        with _lock:
            while _pending is None:
                if not _lock.wait(30):
                    return  # idle: the thread ends, submit() starts another
            job, _pending, _busy = _pending, None, True
        try:
            _start_and_wait(job)
        except Exception:  # the index is the preview's extra: report, never stop the preview
            traceback.print_exc()
        finally:
            with _lock:
                _busy = False
                done += 1
                _lock.notify_all()


def _start_and_wait(job) -> None:
    global _child
    package_root = str(Path(__file__).resolve().parent.parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # The job goes in a file, not down a pipe: a child stopped by pause() never blocks this thread
    # on a full pipe (which would leave it unable to end the child for a newer save).
    fd, job_file = tempfile.mkstemp(prefix="digest-search-job-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(job, f, protocol=pickle.HIGHEST_PROTOCOL)
        # its own process group: a newer save ends the child *and* the workers it forked (ending
        # the child alone left them waiting for work forever, ~70 MB each); pause() stops them all
        # (the child lowers its own priority: without a preexec_fn, Python spawns it by vfork
        # instead of forking the ~400 MB preview)
        child = subprocess.Popen([sys.executable, "-m", "digest.search.background", job_file],
                                 stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        with _lock:
            _child = child
            if _paused:  # a save is being rebuilt: this index waits until it is over
                _signal(child, signal.SIGSTOP)
        while child.poll() is None:
            with _lock:
                if _pending is not None:  # a newer save: this index is already out of date
                    _signal(child, signal.SIGTERM)
                    _signal(child, signal.SIGCONT)  # (a stopped group acts on SIGTERM once continued)
                    break
                _lock.wait(0.05)
        child.wait()
    finally:
        with _lock:
            _child = None
        try:
            os.unlink(job_file)  # (the child removes it once read)
        except OSError:
            pass
    if child.returncode not in (0, -15):
        print(f"search: the preview's index was not built (exit {child.returncode}); "
              "python build.py reports why", file=sys.stderr, flush=True)


def _go_on_at_exit() -> None:
    """The preview ends (Ctrl-C, SIGTERM: serve.py) while a save's rebuild paused the index: the
    index goes on and finishes as before rather than stay stopped for ever."""
    with _lock:
        _signal(_child, signal.SIGCONT)


atexit.register(_go_on_at_exit)


def _index(shards, cache, stage: str, out: Path) -> None:
    from . import BUNDLE, ENTRY, build_bundle

    end = time.monotonic() + 120
    while os.path.exists(stage) and time.monotonic() < end:  # the build's commit is not done yet
        time.sleep(0.02)
    if not (out / ".digest-manifest.json").is_file():
        return  # the build failed before its first commit: nothing to index
    hold = os.environ.get(HOLD)
    while hold and not os.path.exists(hold):
        time.sleep(0.01)
    # The pages are read from the preview folder; a page changed by a newer build meanwhile is
    # keyed by the bytes read (build_bundle), and the newer build's child replaces this one.
    files, _ = build_bundle(shards, cache, lambda path: str(out / path), use_parallel=True)
    bundle = out / BUNDLE
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
    shards = json.loads(files[ENTRY])["shards"]
    listed = {s["dir"] for s in shards} | {s["pack"] for s in shards if "pack" in s}
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


def _load_job(path: str):
    with open(path, "rb") as f:
        job = pickle.load(f)
    os.unlink(path)
    return job


if __name__ == "__main__":  # the child: one job, pickled in the file named by its argument
    os.nice(NICE)
    _index(*_load_job(sys.argv[1]))
