"""Speed layer: the cyclic garbage collector paused in an incremental build's own process.

An edit at 10,000 articles allocated enough (the loaded state's light articles, page keys,
list-page signatures, the search shard's postings) for ~500 young-generation collections, ~45
middle ones and 3 full ones: ~0.18 s of CPU by the collector's own callbacks, walking objects that
live until the build ends (the heap frozen at open() is skipped, what the build makes after it is
not). Leaving them out saves less than that (bench/results.md: an edit ~0.03 s in alternating
pairs, an add ~0.27 s, whose list pages allocate more). An incremental build makes little cyclic
garbage (its peak memory at 10,000 articles was the same with the collector off: 221 vs 219 MB),
so its process runs without automatic collections; the
collector is back on when the build ends (the preview collects and freezes between builds:
parallel.collect_and_freeze).

A cold build is left alone (it is long and cleans in workers). Every process forked while the
collector is paused (render and search workers, searchfork's child) has it back on at once
(os.register_at_fork), so workers that clean or render thousands of pages collect as before.
Nothing a build makes depends on when garbage is collected: tests/test_speed_layer.py builds
random steps with and without the pause, compares output/ byte for byte, and checks that the
collector is back on after the build and on in a forked child.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager

ENABLED = True  # False: the plain way (tests, bench)
_paused = False  # this process paused the collector (a forked child turns it back on)


def _in_child() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_child)


@contextmanager
def paused():
    """No automatic collection inside the block (when the collector was on and this layer is
    enabled); on again after it. Nested blocks leave it to the outermost one."""
    global _paused
    if not ENABLED or _paused or not gc.isenabled():
        yield
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        _paused = False
        gc.enable()
