"""What the last build saw and made, so the next build does only the difference.

Two files in .digest-cache/:

  stamp.pickle  the no-op check: a hash of the inputs that are cheap to read (settings with the
                site's rules, theme and site templates/static, digest's code, build options), the
                (path, size, mtime) of every content file and of every output file, and the
                build's report. When all of it is equal, nothing can have changed and the build
                stops there, before importing the renderer or loading any article.
  state.pickle  per content file its (size, mtime, cache key); per key the light article
                fields and warnings; per output file (page key, sha256, size, mtime).

Clocks are coarse: a file rewritten with the same size within one mtime tick looks unchanged.
So a content file whose mtime is within RACY_NS of the moment its stat was taken (before it was
read) is never trusted by its stat: the stamp marks it as changed, and the state marks it to be
hashed again, so the next build reads it. Output files are digest's own: their stats are trusted
(a deleted or rewritten output file changes its size or mtime).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from pathlib import Path

from . import cache

RACY_NS = 2_000_000_000  # FAT has 2 s mtimes; ext4 and APFS tick in ms or less
STAMP, STATE = "stamp.pickle", "state.pickle"
VERSION = 1


def _folder(settings) -> Path:
    return settings.root / cache.CACHE_DIR


def scan(paths: list[tuple[str, str]]) -> list[tuple]:
    """[(rel, size, mtime_ns)] for (rel, absolute path) pairs; a missing file gets size -1."""
    out = []
    for rel, path in paths:
        try:
            st = os.stat(path)
            out.append((rel, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((rel, -1, 0))
    return out


_WALKED: dict[str, list] = {}  # check_stamp()'s walk of content/, for the build right after it


def walked_content_files(settings) -> list[tuple[str, str]]:
    """content_files(), reusing the walk check_stamp() just made in this build (a file added in
    between is seen by the next build: the stamp records what this one read)."""
    found = _WALKED.pop(str(settings.content_path), None)
    return found if found is not None else content_files(settings)


def content_files(settings) -> list[tuple[str, str]]:
    """[(rel, absolute path)] of the files in content/, sorted by path parts, skipping hidden
    and _private names; plain strings, since a 10,000-file site is scanned on every build,
    no-op ones too. Files that are not articles (.html, .pdf, …: load.SUFFIXES has what is read)
    are listed too, so the build warns about each one and the no-op stamp notices them."""
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for e in entries:
            if e.name.startswith((".", "_")):
                continue
            if e.is_dir(follow_symlinks=False):
                walk(e.path, prefix + e.name + "/")
            elif e.is_file():
                found.append((prefix + e.name, e.path))

    walk(str(settings.content_path), "")
    found.sort(key=lambda f: f[0].split("/"))  # pathlib's order: by path parts
    return found


def inputs_fingerprint(settings, theme_fp: str, options: tuple) -> str:
    h = hashlib.sha256(repr((VERSION, settings.fingerprint(), theme_fp, cache._code_fingerprint(),
                             str(settings.output_path), options)).encode())
    return h.hexdigest()


def theme_fingerprint(settings) -> str:
    """The theme's fingerprint without building a Jinja environment (a bad theme name: '')."""
    from .render import theme_folder

    folder = theme_folder(settings.root, settings.theme)
    if folder is None:
        return ""
    h = hashlib.sha256(str(folder).encode())
    for d in (folder, settings.root / "templates", settings.root / "static"):
        if d.is_dir():
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    h.update(p.relative_to(d).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def settle(stats: list[tuple], scanned_ns: int, paths: dict[str, str], keys: dict, key_of) -> list[tuple]:
    """At the end of a build: racy files whose bytes still give the key they were built from, and
    whose mtime is now old enough, are trusted by a fresh stat (so the next no-op build after
    writing many files is a no-op). The rest stay racy (mtime None)."""
    now = time.time_ns()
    out = []
    for rel, size, mtime in stats:
        if mtime is not None and mtime < scanned_ns - RACY_NS:
            out.append((rel, size, mtime))
            continue
        mark = None
        try:
            st = os.stat(paths[rel])
            if st.st_mtime_ns < now - RACY_NS and rel in keys:
                with open(paths[rel], "rb") as f:
                    data = f.read()
                if key_of(rel, data) == keys[rel][2] and os.stat(paths[rel]).st_mtime_ns == st.st_mtime_ns:
                    size, mark = st.st_size, st.st_mtime_ns
        except OSError:
            pass
        out.append((rel, size, mark))
    return out


def _matches(recorded: list[tuple], paths: dict[str, str]) -> bool:
    if len(recorded) != len(paths):
        return False
    for rel, size, mark in recorded:
        path = paths.get(rel)
        if path is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mark:  # a racy mark (None) never matches
            return False
    return True


def check_stamp(settings, options: tuple):
    """The stamp's saved result when nothing changed since the last good build, else None."""
    try:
        with open(_folder(settings) / STAMP, "rb") as f:
            stamp = pickle.load(f)
        if stamp["inputs"] != inputs_fingerprint(settings, theme_fingerprint(settings), options):
            return None
        listing = content_files(settings)
        _WALKED[str(settings.content_path)] = listing  # the build that follows reuses this walk
        content = dict(listing)
        if not _matches(stamp["content"], content):
            return None
        out = settings.output_path
        if not _matches(stamp["output"], {rel: os.path.join(out, rel) for rel, _, _ in stamp["output"]}):
            return None
        _WALKED.pop(str(settings.content_path), None)  # no build follows
        return stamp["result"]
    except Exception:  # no stamp, an old one, or a damaged one: build
        return None


def write_stamp(settings, options: tuple, theme_fp: str, content_stats: list[tuple],
                output_stats: list[tuple], result: dict) -> None:
    """content_stats: settle()d (mtime None: racy); output_stats: after writing."""
    stamp = {"inputs": inputs_fingerprint(settings, theme_fp, options),
             "content": content_stats, "output": output_stats, "result": result}
    _dump(settings, STAMP, stamp)


def drop_stamp(settings) -> None:
    try:
        (_folder(settings) / STAMP).unlink()
    except OSError:
        pass


_LAST: dict[str, tuple] = {}  # state file -> (size, mtime_ns, the state this process saved there)


def _load_without_collecting(f):
    """pickle.load with the collector paused: unpickling creates only new, acyclic objects, and
    the collector would walk the growing heap again and again while it runs."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(f)
    finally:
        if collecting:
            gc.enable()


def load_state(settings, salt: str) -> dict:
    """The last build's state. A process that builds again (the live preview) reuses the one it
    saved, if the file is still the one it wrote: no 10 MB unpickle per rebuild."""
    path = _folder(settings) / STATE
    try:
        st = os.stat(path)
        size, mtime, state = _LAST.get(str(path), (None, None, None))
        if state is not None and (st.st_size, st.st_mtime_ns) == (size, mtime) and state.get("salt") == salt:
            return dict(state)  # a new top level: the build replaces keys, never edits the saved ones
    except OSError:
        pass
    try:
        with open(path, "rb") as f:
            state = _load_without_collecting(f)
        if state.get("version") == VERSION and state.get("salt") == salt:
            return state
    except Exception:
        pass
    return {"version": VERSION, "salt": salt, "files": {}, "articles": {}, "pages": {}}


def save_state(settings, state: dict) -> None:
    _dump(settings, STATE, state)
    path = _folder(settings) / STATE
    try:
        st = os.stat(path)
        _LAST.clear()
        _LAST[str(path)] = (st.st_size, st.st_mtime_ns, state)
    except OSError:
        _LAST.clear()


def _dump(settings, name: str, value) -> None:
    folder = _folder(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
