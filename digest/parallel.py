"""Run one pure function over many items on every core, results in input order.

Cold builds of thousands of articles spend their time in Python code (cleaning, Markdown,
templates), so threads do not help; forked worker processes do. Small jobs stay in-process:
a pool costs about 0.1 s to start and pickling results back is not free.
"""

from __future__ import annotations

import gc
import os
from contextlib import ExitStack, contextmanager
from functools import partial

ProcessPoolExecutor = None  # concurrent.futures' own, imported on first use (tests replace it)
MIN_ITEMS = 300  # below this, one process is faster than starting a pool


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@contextmanager
def frozen_heap():
    """The one place digest freezes the collector's heap (gc.freeze): objects alive when the
    block starts (and those frozen again inside it) are skipped by the collector's full passes
    until it ends. For the build state (~100,000 long-lived acyclic objects: two full passes
    were ~60 ms of a 1 s edit build) and for forked workers (a collector's walk writes to every
    object's page: copy-on-write faults; 10,000 articles: -0.6 s wall). Nested blocks leave the
    unfreezing to the outermost one; a heap the caller froze before (the preview's, see
    collect_and_freeze) stays frozen."""
    outer = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outer:
            gc.unfreeze()


def collect_and_freeze() -> None:
    """A long-running process between builds (the preview): collect everything once (unfrozen
    first, so the last build's frozen garbage can go too) and freeze what is left, so the next
    build's collections skip it."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


_SHARED = None  # in a forked worker only: ordered_map's `shared` value (never set in the parent)


def _receive(shared) -> None:
    global _SHARED
    _SHARED = shared


def _with_shared(fn, x):
    return fn(_SHARED, x)


class Workers:
    """Forked worker processes shared by several ordered_map calls: forked on the first call
    that runs in parallel, kept until the block ends. A cold build forks once for its line
    shapes and its cleaning, and each worker imports the cleaner once."""

    def __init__(self):
        self.pool = None
        self._stack = None

    def get(self, n: int, context):
        if self.pool is None:
            global ProcessPoolExecutor
            if ProcessPoolExecutor is None:
                from concurrent.futures import ProcessPoolExecutor
            self._stack = ExitStack()
            self._stack.enter_context(frozen_heap())  # the workers inherit this process's objects
            self.pool = self._stack.enter_context(ProcessPoolExecutor(n, mp_context=context))
        return self.pool

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self._stack is not None:
            self._stack.close()
        self.pool = self._stack = None


def ordered_map(fn, items: list, progress=None, use_parallel: bool = True, meanwhile=None, shared=None,
                pool: Workers | None = None) -> list:
    """[fn(x) for x in items], in parallel when it pays; fn must be a module-level function.
    progress(done, total) is called as results arrive, in order. use_parallel=False: never fork
    (a process with threads, such as the live preview, must not). meanwhile(): work this
    process would do right after, run in a thread while the forked workers work (started once
    they are forked and joined before returning, so no thread outlives the pool).
    shared: a value each call needs that cannot be pickled (queued closures): fn(shared, x).
    Forked workers inherit it (it is handed to them at fork, never pickled). pool: Workers
    to use (and keep) rather than a pool of this call's own (not with shared)."""
    n = workers()
    serial = not use_parallel or len(items) < MIN_ITEMS or n < 2
    if not serial:
        import multiprocessing  # imported here: an incremental build seldom forks

        serial = "fork" not in multiprocessing.get_all_start_methods()
    if serial:
        call = fn if shared is None else partial(fn, shared)
        out = []
        for i, x in enumerate(items):
            out.append(call(x))
            if progress:
                progress(i + 1, len(items))
        return out
    chunk = max(8, min(64, len(items) // (n * 8)))
    context = multiprocessing.get_context("fork")
    if pool is not None:
        assert shared is None, "a shared value is handed over at fork: not to workers forked before"
        with frozen_heap():  # what this process made since the workers forked: kept from the collector too
            return _collect(pool.get(n, context).map(fn, items, chunksize=chunk), len(items), progress, meanwhile)
    out = []
    global ProcessPoolExecutor
    if ProcessPoolExecutor is None:
        from concurrent.futures import ProcessPoolExecutor
    forked = {}
    if shared is not None:  # the workers get it at fork (initargs are not pickled under fork)
        fn = partial(_with_shared, fn)
        forked = {"initializer": _receive, "initargs": (shared,)}
    # The workers inherit this process's objects; frozen, their collectors never walk them.
    with frozen_heap(), ProcessPoolExecutor(n, mp_context=context, **forked) as executor:
        # map() submits every chunk: the workers are forked before meanwhile's thread starts
        return _collect(executor.map(fn, items, chunksize=chunk), len(items), progress, meanwhile)


def ordered_map_then(fn, items: list, shared, progress=None, then=None) -> tuple[list, list]:
    """ordered_map(fn, items, shared=shared) in forked workers (the caller decided it pays), with
    more work for the same workers (speed layer: overlap.py): then(i, result) is called in this
    process for each result, in input order, and may return [(fn2, arg), ...] (module-level
    functions, picklable arguments), which the workers run next, ahead of the items not handed
    out yet. So a second step that needs some of the results starts as soon as they are in,
    while the rest of the items keep both cores busy, instead of after a barrier and a second
    pool. Returns (results in input order, [fn2(arg) ...] in the order then() returned them)."""
    import multiprocessing
    from collections import deque

    global ProcessPoolExecutor
    if ProcessPoolExecutor is None:
        from concurrent.futures import ProcessPoolExecutor
    n = workers()
    size = max(8, min(64, len(items) // (n * 8)))  # ordered_map's chunks
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    window = 4 * n  # chunks handed out ahead: then()'s work waits behind at most these
    out: list = []
    extra: list = []
    context = multiprocessing.get_context("fork")
    with frozen_heap(), ProcessPoolExecutor(n, mp_context=context, initializer=_receive,
                                            initargs=(shared,)) as executor:
        try:
            pending: deque = deque()
            k = 0
            while k < len(chunks) or pending:
                while k < len(chunks) and len(pending) < window:
                    pending.append(executor.submit(_run_chunk, fn, chunks[k]))
                    k += 1
                for r in pending.popleft().result():
                    out.append(r)
                    if progress:
                        progress(len(out), len(items))
                    more = then(len(out) - 1, r) if then is not None else None
                    for fn2, arg in more or ():
                        extra.append(executor.submit(fn2, arg))
            extra = [f.result() for f in extra]
        except BaseException:
            executor.shutdown(wait=True, cancel_futures=True)
            raise
    return out, extra


def _run_chunk(fn, xs: list) -> list:
    return [fn(_SHARED, x) for x in xs]


def _collect(results, total: int, progress, meanwhile) -> list:
    """The results of a pool's map, in order; meanwhile() runs in a thread as they come."""
    helper, out = None, []
    try:
        if meanwhile is not None:
            import threading

            helper = threading.Thread(target=meanwhile, name="digest-meanwhile", daemon=True)
            helper.start()
        for i, r in enumerate(results):
            out.append(r)
            if progress:
                progress(i + 1, total)
    finally:
        if helper is not None:
            helper.join()
    return out
