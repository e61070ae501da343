"""The live preview's warm state between saves (speed layer; used by serve.py only).

A save in the preview used to end with the build state saved (`BuildSession.finish`: the
racy files settled, state.pickle and the changed buckets of light articles written, the
store's unused rows deleted, the no-op stamp written: ~0.2 s of CPU at 10,000 articles), and a
save made meanwhile waited for it; the next rebuild then found the state it had just saved
(`state._LAST`). Here the state of the last preview build stays in the process instead, and
the next build starts from it (`Warm.state_for`, called by `BuildSession.open`): the save of
the state to disk leaves the save's path and is made once the preview is idle, or when it
stops (`Warm.save`); when another save comes first, that save is simply not made (the next
build's own save covers it: the rows it would have deleted are still unused then, and rows it
would have added are only a cache).

While the state on disk is older than the preview folder, a marker file (`STALE` in the
preview's cache folder, written before a build may write to the folder and deleted once a
state is saved after it) says so. A build that starts from the state on disk while the marker
stands — a preview started again after a crash or a kill, or the build after one that raised —
does not trust the preview folder (`trust_output=False`): every page it would keep is
stat'ed against the state's record, and a page a newer commit replaced is rendered again.
So the state on disk always matches the preview folder or is known to be stale.

The listing of content/ is kept too (`Warm.content_listing`, called by `BuildSession.open`;
`BuildSession.unchanged` skips the stamp check then): a rebuild used to walk content/ and
stat every file (10,000 articles: ~0.05 s and ~0.085 s at load 3, and the stamp check did it
once more when a stamp stood); the last build's listing is updated with the paths the watcher
reported since (`serve.Preview.rebuild` hands them over), each stat'ed again, and so is every
file whose mtime was too recent to trust at the last scan. The watcher never reports a name it
ignores (an editor's `x~`, `.tmp`, `__pycache__`): content/ is walked again when the preview is
idle (`Warm.refresh`), and a listing that holds such a name is not kept (the next build walks).
A build without the watcher's report (the first, a test's) walks as before.

The cross-article evidence is kept too (`Warm.evidence`, a warmevidence.WarmEvidence handed to
the build's pipeline.Evidence): the last answer stands while the files changed since only in
lines no other page holds (warmevidence.py says why that is exact, and checks it), else it is
made again. And a rebuild gives way to a newer save once its page is shown (interrupt.py): its
state is kept here as a stopped build's is (after()), not saved.

The output is what the plain way makes: the state handed over is the very object the last
build would have saved and the next one would have loaded (a shallow copy, as `state.load_state`
gives). `tests/test_speed_layer.py` runs random edits, adds and deletions through the warm path
(states handed over, saves skipped or made, a build that fails, a crash with the marker left,
the listing updated from the paths written) and compares the preview folder with a cold build;
it shows the marker is needed, and compares the kept listing with the walk and the scan.
"""

from __future__ import annotations

import gc
import os
import time
from dataclasses import replace

from . import state as st

STALE = "preview-stale"  # in the preview's cache folder: the saved state is older than the preview folder


class Warm:
    """The preview's build state kept between saves, and its deferred save."""

    def __init__(self):
        self.kept = None  # the BuildState of the last preview build that returned (matches the preview folder)
        self.pending = None  # that build's BuildSession, its state not saved yet (a committed build)
        self.session = None  # the session of the build running now (state_for saw it)
        self.was_stale = None  # the marker stood when before() was called (before it wrote its own)
        self.loaded_stale = 0  # builds that started from a stale state on disk (tests, bench)
        # the listing of content/ of the last build, and the paths changed since (serve.Preview.rebuild:
        # the watcher's report); None: not known (the build walks and stats content/ as usual)
        self.listing = None  # (content folder, [(rel, path)], [(rel, size, mtime_ns)], scanned_ns)
        self.changed: set[str] | None = None
        self.listed = 0  # builds that took the listing from here (tests, bench)
        self._given = None  # (the listing content_listing gave, the paths new in it)
        self._index = None  # (a listing of content/, {rel: its position in it})
        from .warmevidence import WarmEvidence

        self.evidence = WarmEvidence()  # the last cross-article evidence, kept while it stands (warmevidence.py)

    # -- the hook in pipeline.BuildSession.open ---------------------------------------------
    def state_for(self, session) -> st.BuildState:
        """The state the build `session` starts from: the last build's, kept in this process,
        when its salt is the build's; else the state on disk (then, with the marker standing,
        the preview folder is not trusted: session.trust_output = False)."""
        self.session = session
        kept, self.kept = self.kept, None
        was_stale, self.was_stale = self.was_stale, None
        salt = session.fps.article_salt
        if kept is not None and kept.salt == salt:
            state = replace(kept)  # a new object, as load_state gives: the build replaces its dicts
            # the articles in the buckets on disk (save_state writes only the buckets that differ)
            state.__dict__["_loaded"] = kept.__dict__.get("_loaded")
            return state
        if was_stale or was_stale is None and stale(session.settings):
            session.trust_output = False
            self.loaded_stale += 1
        return st.load_state(session.settings, salt)

    # -- the hooks in pipeline.BuildSession.unchanged and open --------------------------------
    def skips_stamp(self, settings) -> bool:
        """The build knows what changed since the last build (it takes the listing from here):
        no stamp check (its walk of content/ and stat of every content and output file). The
        preview rebuilds only when the watcher saw a change; a build that changes nothing
        writes what the no-op would have kept."""
        return self._listing(settings) is not None

    def content_listing(self, settings):
        """([(rel, path)], [(rel, size, mtime_ns)], scanned_ns) of content/ as state.content_files
        and state.scan give them, from the last build's and the paths changed since (each
        stat'ed again, as is every file whose mtime was too recent to trust then); None: unknown."""
        listing = self._listing(settings)
        self.listing = self.changed = None
        if listing is None:
            return None
        folder, content, stats, old_ns, changed = listing
        scanned_ns = time.time_ns()
        prefix = folder + os.sep
        if self._index is None or self._index[0] is not content:  # {rel: position}, kept while no file comes or goes
            self._index = (content, {rel: i for i, (rel, _) in enumerate(content)})
        index = self._index[1]
        limit = old_ns - st.RACY_NS  # (state.trusted_mtime: a stat this recent proved nothing then)
        again = {i for i, (_, _, mtime) in enumerate(stats) if mtime >= limit}
        fresh: dict[str, str] = {}
        gone: set[str] = set()
        for p in changed:
            if not p.startswith(prefix):
                continue  # (a template, the settings: not content)
            rel = p[len(prefix):].replace(os.sep, "/")
            if any(part.startswith((".", "_")) for part in rel.split("/")):
                continue  # (state.content_files leaves these out)
            if os.path.isfile(p):
                if rel in index:
                    again.add(index[rel])
                    gone.discard(rel)
                else:
                    fresh[rel] = p
            else:
                fresh.pop(rel, None)
                if rel in index:
                    gone.add(rel)
        if fresh or gone:  # files came or went: the listing made again, in content_files' order
            paths = {rel: path for rel, path in content if rel not in gone}
            old = {rel: (size, mtime) for i, (rel, size, mtime) in enumerate(stats) if i not in again}
            paths.update(fresh)
            content = [(rel, paths[rel]) for rel in sorted(paths, key=lambda r: r.split("/"))]
            stats = [(rel,) + old[rel] if rel in old else _stat_of(rel, path) for rel, path in content]
        else:  # (an edit: the same files, the changed ones stat'ed again)
            stats = list(stats)
            for i in again:
                stats[i] = _stat_of(*content[i])
        self.listed += 1
        self._given = (content, set(fresh))
        return content, stats, scanned_ns

    def _listing(self, settings):
        if self.listing is None or self.changed is None or self.listing[0] != str(settings.content_path):
            return None
        return self.listing + (self.changed,)

    # -- serve.Preview.build, around build_site ---------------------------------------------
    def before(self, settings, changed=None) -> None:
        """A build is about to start (it may write into the preview folder, early look
        included): the last build's state save, if still due, is given up (this build starts
        from its state and will save its own), and the marker says the saved state may be
        stale from now on. changed: the paths that changed since the last build (the watcher's
        report), or None: not known."""
        if changed is None:
            self.listing = None
        elif self.changed is not None:
            self.changed.update(changed)
        self.drop()
        self.was_stale = stale(settings)
        if not self.was_stale:
            mark(settings)

    def after(self, result) -> None:
        """The build returned (built, or stopped with errors: its state then saved by stop()):
        its state is kept for the next build and the collector's pause released now; a
        committed build's state save is pending (save())."""
        session, self.session = self.session, None
        if session is None:  # (the stamp answered: no state was opened)
            return
        self._keep_listing(session)
        # The frozen heap and the paused collector end with the build, as before; what the build
        # made is frozen first (the preview freezes it after each rebuild anyway: serve.Preview.finish),
        # so turning the collector on does not start with a pass over it (~0.03-0.06 s at 10,000 articles)
        gc.freeze()
        session.heap.close()
        if result.finish is not None:  # committed: state.pages records the preview folder as it is now
            self.kept, self.pending = session.state, session
            return
        # stopped (errors): its state, saved by stop(), records the pages of the state it started from,
        # which match the preview folder only if that state did (not one read stale from disk).
        # Interrupted by a newer save (interrupt.py): the same, its state not saved (the marker stands);
        # its early pages were put back (serve.Preview.build), so the page records hold.
        self.kept = session.state if session.trust_output else None
        session.store.close()

    def failed(self) -> None:
        """The build raised: nothing kept (the next build reads the state on disk, marker standing)."""
        session, self.session = self.session, None
        self.kept = self.listing = self.changed = None
        if session is not None:
            session.store.close()

    def refresh(self, settings) -> None:
        """The preview is idle: content/ walked and stat'ed again (state.content_files, scan),
        so a file the watcher never reports (an editor's backup, a name in a folder it skips)
        is not left out of the listing for longer than a burst of saves."""
        if self.listing is None or self.listing[0] != str(settings.content_path):
            return
        content = st.content_files(settings)
        scanned_ns = time.time_ns()
        session = _Listed(settings, content, st.scan(content), scanned_ns)
        self._keep_listing(session)

    def _keep_listing(self, session) -> None:
        """The build's listing of content/, for the next build; not when content/ holds a path
        the watcher never reports (an editor's backup file, __pycache__): its deletion would go
        unseen."""
        from .watch import _skipped

        content = session.content
        given, self._given = self._given, None
        # (a listing given by content_listing was checked but for its new paths)
        check = given[1] if given is not None and given[0] is content else (rel for rel, _ in content)
        if not content or any(_skipped(rel) for rel in check):
            self.listing = self.changed = None
            return
        self.listing = (str(session.settings.content_path), content, session.stats, session.scanned_ns)
        self.changed = set()

    def drop(self) -> None:
        """The pending state save is not made."""
        session, self.pending = self.pending, None
        if session is not None:
            session.store.close()

    def save(self) -> bool:
        """Make the pending state save (BuildSession.finish: settle, state, stamp); once the
        state file is written, the marker goes. True if a state was saved."""
        session, self.pending = self.pending, None
        if session is None:
            return False
        path = session.settings.cache_path / st.STATE
        before = _stat(path)
        session.finish()
        after = _stat(path)
        if after is not None and after != before:
            unmark(session.settings)
            return True
        return False


def _stat_of(rel: str, path: str) -> tuple:
    """(rel, size, mtime_ns) as state.scan gives it."""
    try:
        s = os.stat(path)
        return rel, s.st_size, s.st_mtime_ns
    except OSError:
        return rel, -1, 0


class _Listed:
    def __init__(self, settings, content, stats, scanned_ns):
        self.settings, self.content, self.stats, self.scanned_ns = settings, content, stats, scanned_ns


def _stat(path):
    try:
        s = os.stat(path)
        return s.st_size, s.st_mtime_ns, s.st_ino
    except OSError:
        return None


def marker(settings):
    return settings.cache_path / STALE


def stale(settings) -> bool:
    return marker(settings).exists()


def mark(settings) -> None:
    p = marker(settings)
    if p.exists():
        return
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    except OSError:  # a cache folder that cannot be written: no state is saved there either
        pass


def unmark(settings) -> None:
    try:
        marker(settings).unlink()
    except OSError:
        pass
