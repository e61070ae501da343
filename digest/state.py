"""What the last build saw and made, so the next build does only the difference.

Two files in the cache folder (settings.cache_path, .digest-cache/ by default):

  stamp.pickle  the no-op check: a hash of the inputs that are cheap to read (settings with the
                site's rules, theme and site templates/static, digest's code, build options:
                Fingerprints.inputs), the (path, size, mtime) of every content file and of every
                output file, and the build's report. When all of it is equal, nothing can have
                changed and the build stops there, before importing the renderer or loading any
                article.
  state.pickle  a BuildState: per content file its (size, mtime, cache key, evidence
                fingerprint) and line shapes (packed), the evidence made from those shapes
                (packed: fastevidence.reuse); per key the light article fields and warnings
                (in the BUCKETS files of state-articles/ it names: save_state);
                per output file (page key, sha256, size, mtime); the tag and source slugs.

Clocks are coarse: a file rewritten with the same size within one mtime tick looks unchanged.
So a content file whose mtime is within RACY_NS of the moment its stat was taken (before it was
read) is never trusted by its stat (trusted_mtime): the stamp marks it as changed, and the state
marks it to be hashed again, so the next build reads it. Output files are digest's own: their
stats are trusted (a deleted or rewritten output file changes its size or mtime).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

RACY_NS = 2_000_000_000  # FAT has 2 s mtimes; ext4 and APFS tick in ms or less
STAMP, STATE = "stamp.pickle", "state.pickle"
VERSION = 4  # 2: the state is a BuildState, no longer a dict; 3: its light articles in buckets (ARTICLES);
# 4: line shapes packed as bytes (fastevidence.pack)
ARTICLES = "state-articles"  # folder of the light articles' buckets, beside state.pickle
BUCKETS = 64  # an article's bucket: the first hex digits of its cache key (a sha256), modulo this


def trusted_mtime(mtime: int | None, scanned_ns: int) -> int | None:
    """The racy-mtime rule, in one place: a file's mtime, or None when it is too close to the
    moment its stat was taken (scanned_ns) to prove the file unchanged later."""
    return None if mtime is None or mtime >= scanned_ns - RACY_NS else mtime


@dataclass
class BuildState:
    """What one build leaves for the next (state.pickle). The build replaces these dicts whole,
    never edits the ones it loaded (a preview process reuses the state it saved)."""

    salt: str  # the article salt (settings and code): a state of other settings is not used
    # rel -> (size, mtime or None when racy, article cache key, cross-article evidence fingerprint)
    files: dict = field(default_factory=dict)
    # article cache key -> (light fields of the Article (cache.LIGHT), its warnings)
    articles: dict = field(default_factory=dict)
    # output path -> (page key or None, sha256, size, mtime_ns) (pages.PageSet.record())
    pages: dict = field(default_factory=dict)
    # (name, fallback) -> slug of every tag and source name seen (slugify is pure, pypinyin costly)
    slugs: dict = field(default_factory=dict)
    # rel -> (size, mtime or None, blake2b digest of the bytes, furniture.page_shapes of the body
    # packed as two bytes objects: fastevidence.pack)
    shapes: dict = field(default_factory=dict)
    # the cross-article evidence of `shapes`, {rel: (fingerprint, fastevidence.pack_evidence)} of
    # the pages with any, or None when not made for them (speed layer: fastevidence.reuse)
    evidence: dict | None = None
    # syndicated copies (stories.py): signatures, the pairs found and what each build grouped
    stories: dict = field(default_factory=dict)
    # bucket -> file in ARTICLES holding those of `articles` (saved apart: see save_state)
    article_files: dict = field(default_factory=dict)
    version: int = VERSION


@dataclass(frozen=True)
class Fingerprints:
    """Everything a build derives from its settings, theme and code, computed once a build
    (the code is hashed once, not once per use)."""

    settings: str  # Settings.fingerprint(): every setting that can change output, the site's rules
    code: str  # digest's own code and rules (cache._code_fingerprint)
    theme: str  # the theme and the site's templates/ and static/ (theme_fingerprint)
    inputs: str  # the stamp's hash of all cheap inputs and the build options
    article_salt: str  # keys an article: settings and code (a template change re-cleans nothing)
    page_salt: str  # keys a page: settings, code and theme

    @classmethod
    def of(cls, settings, options: tuple) -> "Fingerprints":
        from . import cache

        sfp, code, theme = settings.fingerprint(), cache._code_fingerprint(), theme_fingerprint(settings)
        inputs = hashlib.sha256(repr((VERSION, sfp, theme, code, str(settings.output_path), options)).encode())
        return cls(settings=sfp, code=code, theme=theme, inputs=inputs.hexdigest(),
                   article_salt=hashlib.sha256((sfp + code).encode()).hexdigest(),
                   page_salt=hashlib.sha256(f"{sfp}{code}{theme}".encode()).hexdigest())


def _folder(settings) -> Path:
    return settings.cache_path


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


def settle(stats: list[tuple], scanned_ns: int, paths: dict[str, str], keys: dict, key_of,
           shapes: dict | None = None) -> list[tuple]:
    """At the end of a build: racy files whose bytes still give the key they were built from, and
    whose mtime is now old enough, are trusted by a fresh stat (so the next no-op build after
    writing many files is a no-op). The rest stay racy (mtime None).
    shapes: BuildState.shapes, settled in place too: a settled file whose bytes are the ones its
    line shapes were read from (its blake2b digest) gets the same trusted stat (else a site
    cold-built right after its files were written would read every file again next build)."""
    now = time.time_ns()
    out = []
    for rel, size, mtime in stats:
        if trusted_mtime(mtime, scanned_ns) is not None:
            out.append((rel, size, mtime))
            continue
        mark = None
        try:
            st = os.stat(paths[rel])
            if trusted_mtime(st.st_mtime_ns, now) is not None and rel in keys:
                with open(paths[rel], "rb") as f:
                    data = f.read()
                if key_of(rel, data) == keys[rel][2] and os.stat(paths[rel]).st_mtime_ns == st.st_mtime_ns:
                    size, mark = st.st_size, st.st_mtime_ns
                    rec = shapes.get(rel) if shapes is not None else None
                    if (rec is not None and rec[0] == size and len(rec) > 3
                            and rec[2] == hashlib.blake2b(data, digest_size=16).digest()):
                        shapes[rel] = (size, mark) + tuple(rec[2:])
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


def check_stamp(settings, inputs: str) -> tuple[dict | None, list | None, tuple | None]:
    """(the stamp's saved result when nothing changed since the last good build, else None;
    the walk of content/ made to check it, for the build that follows, or None; the stats of
    those files taken to check it, as (scan(walk), scanned_ns), or None).
    Speed layer: the build that follows takes the walk and its stats as they are (the content
    files were stat'ed twice, here and by the build's scan: ~0.03 s at 10,000 files); scanned_ns
    is taken before the stats, as the build's own scan does (the racy-mtime rule)."""
    listing = scanned = None
    try:
        with open(_folder(settings) / STAMP, "rb") as f:
            stamp = pickle.load(f)
        if stamp["inputs"] != inputs:
            return None, None, None
        listing = content_files(settings)
        scanned_ns = time.time_ns()
        scanned = (scan(listing), scanned_ns)
        if not _same(stamp["content"], scanned[0]):
            return None, listing, scanned
        out = settings.output_path
        if not _matches(stamp["output"], {rel: os.path.join(out, rel) for rel, _, _ in stamp["output"]}):
            return None, listing, scanned
        return stamp["result"], listing, scanned
    except Exception:  # no stamp, an old one, or a damaged one: build
        return None, listing, scanned


def _same(recorded: list[tuple], stats: list[tuple]) -> bool:
    """The recorded (rel, size, mark) are the scanned files' (a racy mark, None, never matches;
    a file that could not be stat'ed, size -1, neither): _matches on stats taken already."""
    if len(recorded) != len(stats):
        return False
    now = {rel: (size, mtime) for rel, size, mtime in stats if size >= 0}
    return len(now) == len(stats) and all(now.get(rel) == (size, mark) for rel, size, mark in recorded)


def write_stamp(settings, inputs: str, content_stats: list[tuple], output_stats: list[tuple], result: dict) -> None:
    """inputs: Fingerprints.inputs; content_stats: settle()d (mtime None: racy); output_stats:
    after writing."""
    stamp = {"inputs": inputs,
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


def load_state(settings, salt: str) -> BuildState:
    """The last build's state. A process that builds again (the live preview) reuses the one it
    saved, if the file is still the one it wrote: no 10 MB unpickle per rebuild. A bucket of its
    light articles missing or unreadable: no state (a cold build), as for a damaged state.pickle."""
    path = _folder(settings) / STATE
    try:
        st = os.stat(path)
        size, mtime, state = _LAST.get(str(path), (None, None, None))
        if state is not None and (st.st_size, st.st_mtime_ns) == (size, mtime) and state.salt == salt:
            return _as_loaded(replace(state))  # a new object: the build replaces its dicts, never edits the saved ones
    except OSError:
        pass
    try:
        with open(path, "rb") as f:
            state = _load_without_collecting(f)
        if isinstance(state, BuildState) and state.version == VERSION and state.salt == salt:
            articles: dict = {}
            for name in state.article_files.values():
                with open(_folder(settings) / ARTICLES / name, "rb") as f:
                    articles.update(_load_without_collecting(f))
            state.articles = articles
            return _as_loaded(state)
    except Exception:
        pass
    return BuildState(salt)


def _as_loaded(state: BuildState) -> BuildState:
    """Note the articles the state was loaded with (not a field: never pickled), so that
    save_state writes only the buckets the build changed."""
    state.__dict__["_loaded"] = state.articles
    return state


def _bucket(key: str) -> int:
    return int(key[:4], 16) % BUCKETS if len(key) >= 4 else 0


def save_state(settings, state: BuildState) -> None:
    """state.pickle, with the light articles (9 MB of 27 at 10,000 articles; pickling them all
    took ~0.15-0.25 s of every edit) in BUCKETS files of ARTICLES, each named by a hash of its
    bytes (speed layer): a bucket whose articles are those the state was loaded with keeps its
    file, unwritten. Buckets are written first, state.pickle (naming them) next, unused buckets
    deleted last: whenever a build stops, the saved state.pickle names files that exist."""
    folder = _folder(settings)
    try:
        state.article_files = _save_buckets(folder / ARTICLES, state)
    except OSError:
        return  # a cache that cannot be written only costs time
    if not _dump(settings, STATE, replace(state, articles={})):
        return  # the last state.pickle stands, and every bucket it names
    path = folder / STATE
    try:
        st = os.stat(path)
        _LAST.clear()
        _LAST[str(path)] = (st.st_size, st.st_mtime_ns, state)
    except OSError:
        _LAST.clear()
    try:
        used = set(state.article_files.values())
        for p in (folder / ARTICLES).iterdir():
            if p.name not in used:
                p.unlink(missing_ok=True)
    except OSError:
        pass
    _as_loaded(state)


def _save_buckets(folder: Path, state: BuildState) -> dict[int, str]:
    """{bucket: file name} of state.articles, writing only the buckets that changed."""
    def split(articles: dict) -> list[dict]:
        groups: list[dict] = [{} for _ in range(BUCKETS)]
        for k, v in articles.items():
            groups[_bucket(k)][k] = v
        return groups

    loaded = state.__dict__.get("_loaded")
    old_groups = split(loaded) if loaded is not None and state.article_files else None
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for b, group in enumerate(split(state.articles)):
        name = state.article_files.get(b) if old_groups is not None else None
        if name is not None and group == old_groups[b] and (folder / name).is_file():
            files[b] = name
            continue
        data = pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)
        name = f"{b:02d}-{hashlib.sha256(data).hexdigest()[:24]}.pickle"
        if not (folder / name).is_file():
            tmp = folder / (name + f".tmp{os.getpid()}")
            tmp.write_bytes(data)
            tmp.replace(folder / name)
        files[b] = name
    return files


def _dump(settings, name: str, value) -> bool:
    """Write the file whole or not at all; False when it could not be written."""
    folder = _folder(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / name)
        return True
    except OSError:
        return False  # a cache that cannot be written only costs time
