"""Watching the preview's files: which changed, as soon as a save is complete.

The watched folders are polled every POLL_SECONDS (hidden files and editor droppings skipped);
content/ — thousands of files — is rescanned when the operating system reports a change in it
(watchfiles: inotify, FSEvents …), and every FULL_SCAN_EVERY polls in any case. A change is
handed on once its files have stopped changing (SETTLE_SECONDS, or watchfiles' quiet step).
"""

from __future__ import annotations

import asyncio
import os
import time
import traceback
from pathlib import Path

POLL_SECONDS = 0.2  # how often the watched files are checked
SETTLE_SECONDS = 0.08  # a change is built once the files stop changing for this long
FULL_SCAN_EVERY = 25  # polls: content/ is rescanned this often even when no change was reported
REPORTED_MAX = 200  # paths reported at once beyond which content/ is scanned whole
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", "~")


class Watcher:
    """Watches the preview's files and calls `on_change(changed paths)` (a coroutine) once a
    save is complete. paths() -> the watched files and folders; content() -> the content
    folder (the one the operating system's reports cover). Both are asked again on every poll:
    the settings may move the content folder or change the theme."""

    def __init__(self, paths, content, on_change):
        self.watched, self.content, self.on_change = paths, content, on_change
        self.snapshot: dict[str, tuple[int, int]] = {}
        self.notified: Path | None = None  # the content folder the notifier is watching
        self.reported: set[str] | None = set()  # paths the notifier reported since the last scan (None: too many)
        self._content_moved: asyncio.Event | None = None

    def content_moved(self) -> None:
        """The settings name another content folder: the notifier follows it."""
        if self._content_moved is not None:
            self._content_moved.set()

    def scan(self, skip: Path | None = None) -> dict[str, tuple[int, int]]:
        """{path: (mtime_ns, size)} of every watched file; hidden files and editor droppings skipped.
        skip: a watched folder taken as it was in the last snapshot (the notifier watches it)."""
        found: dict[str, tuple[int, int]] = {}
        for p in self.watched():
            if skip is not None and p == skip:
                prefix = str(p) + os.sep
                found.update((k, v) for k, v in self.snapshot.items() if k.startswith(prefix))
                continue
            _scan(str(p), found)
        return found

    def rescan(self, content: Path, reported: set[str]) -> dict[str, tuple[int, int]]:
        """scan() with content/ taken from the last snapshot but for the paths the notifier
        reported (a file: stat'ed again; a folder: scanned again; gone: dropped). Rescanning
        10,000 files took 50-140 ms of every save; the full scan every FULL_SCAN_EVERY polls
        stays, for anything a notifier might miss."""
        prefix = str(content) + os.sep
        if not all(path.startswith(prefix) for path in reported):
            return self.scan()  # (paths spelled otherwise than the folder: never guess)
        snap = self.scan(skip=content)
        for path in sorted(reported):
            if _skipped(path[len(prefix):]):
                continue
            below = path + os.sep
            for k in [k for k in snap if k == path or k.startswith(below)]:
                del snap[k]
            _scan(path, snap)
        return snap

    async def _notify(self, wake: asyncio.Event) -> None:
        """Set `wake` whenever the operating system reports a change under content/. Without
        watchfiles, or if watching fails, it returns and the watcher polls content/ too."""
        try:
            import watchfiles
        except ImportError:
            return
        while True:
            folder = self.content()
            if not folder.is_dir():
                self.notified = None
                await asyncio.sleep(1)
                continue
            moved = asyncio.Event()  # content_dir changed in pyproject.toml: watch the new folder
            self._content_moved = moved
            self.notified = folder
            try:
                async for changes in watchfiles.awatch(folder, watch_filter=None, step=20, stop_event=moved,
                                                       ignore_permission_denied=True):
                    if self.reported is not None:
                        self.reported.update(path for _, path in changes)
                        if len(self.reported) > REPORTED_MAX:
                            self.reported = None  # a burst (a folder copied in): scan it all
                    wake.set()
            except Exception:  # noqa: BLE001 - no notifications here: the watcher polls instead
                self.notified = None
                return
            self.notified = None

    async def watch(self) -> None:
        """Poll the watched files; content/ (thousands of files) is rescanned when the operating
        system reports a change in it (watchfiles: inotify and the like), and every few seconds
        in any case, so a save is seen at once and an idle preview costs no CPU."""
        wake = asyncio.Event()
        notifier = asyncio.create_task(self._notify(wake))
        polls = 0
        while True:
            try:
                await asyncio.wait_for(wake.wait(), POLL_SECONDS)
            except asyncio.TimeoutError:
                pass
            woken, polls = wake.is_set(), polls + 1
            wake.clear()
            if notifier.done() and not notifier.cancelled():  # the notifier stopped: poll everything
                self.notified = None
            reported, self.reported = self.reported, set()
            try:
                content = self.content()
                notified = self.notified == content
                if notified and polls % FULL_SCAN_EVERY and woken and reported:
                    snap = self.rescan(content, reported)  # only what the notifier reported
                else:
                    full = woken or not notified or polls % FULL_SCAN_EVERY == 0
                    snap = self.scan() if full else self.scan(skip=content)
                if snap == self.snapshot:
                    continue
                for _ in range(25):  # wait until a save (or a burst of saves) is complete
                    if _settled(self.snapshot, snap) or (woken and _only_under(self.snapshot, snap, self.notified)):
                        break  # already old enough, or the notifier saw the writes stop (watchfiles' step)
                    await asyncio.sleep(SETTLE_SECONDS)
                    again = self.scan()
                    if again == snap:
                        break
                    snap = again
                old, self.snapshot = self.snapshot, snap
                changed = sorted(k for k in old.keys() | snap.keys() if old.get(k) != snap.get(k))
                await self.on_change(changed)
            except Exception:  # never let the watcher die
                traceback.print_exc()


def _skipped(rel: str) -> bool:
    """A path under a watched folder that scan() leaves out (a hidden or ignored name on its way)."""
    return any(part.startswith(".") or part.endswith(_IGNORED_SUFFIXES) or part == "__pycache__"
               for part in rel.split(os.sep))


def _only_under(old: dict, new: dict, folder: Path | None) -> bool:
    """Every file that changed between two scans is inside `folder`."""
    if folder is None:
        return False
    prefix = str(folder) + os.sep
    return all(k.startswith(prefix) for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def _settled(old: dict, new: dict) -> bool:
    """Every file that changed between two scans was last written SETTLE_SECONDS ago or more
    (a deleted file counts as settled): the save is complete, build now."""
    limit = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    return all(new[k][0] <= limit for k in new.keys() if old.get(k) != new[k])


def _scan(path: str, found: dict) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    if not os.path.isdir(path):
        found[path] = (st.st_mtime_ns, st.st_size)
        return
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for e in entries:
        if e.name.startswith(".") or e.name.endswith(_IGNORED_SUFFIXES) or e.name == "__pycache__":
            continue
        try:
            if e.is_dir():
                _scan(e.path, found)
            elif e.is_file():
                st = e.stat()
                found[e.path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            continue
