"""Which pages to render again: a page is rendered only when something it can show changed.

A page's key (page_key, the one function that makes them) is a hash of everything its template
receives: the template name, the page path, the site-wide values (settings, theme files,
digest's code: the salt; the tag and source slug maps) and its own values, where an Article
stands for itself by article_id() (file, input digest, slug, URL) — an Article is a pure
function of its file's bytes, its cross-article evidence, the settings and the code. Values the key cannot describe are never
trusted. The last build's key, sha256, size and mtime of every output file are in the build
state; a page whose key is the same and whose file in output/ is as that build left it is not
rendered, read or written at all.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from functools import partial

from . import parallel
from .model import Article
from .write import put


class Uncacheable(TypeError):
    pass


_PLAIN = (str, int, float, bool, type(None))


def article_id(a: Article) -> str:
    """An article's identity in page keys, the one spelling of it: its file, its input digest
    (the file's bytes and cross-article evidence), slug and URL."""
    return repr((a.rel, a.digest, a.slug, a.url))


def page_key(salt: str, parts, plain: bool = False) -> str | None:
    """The key of a page: the salt and its values as plain data (identity(); a string is taken
    as it is: callers join plain reprs); None when a value cannot be described (then never
    trusted). plain=True: parts are plain data already (site.SiteRenderer.flat), equal to
    their identity(), so the walk is skipped (the same key)."""
    try:
        text = parts if type(parts) is str else repr(parts if plain else identity(parts))
    except Uncacheable:
        return None
    return hashlib.sha256(f"{salt}|{text}".encode()).hexdigest()


def identity(v):
    """A value's content as plain tuples, or Uncacheable."""
    if isinstance(v, _PLAIN):
        return v
    if isinstance(v, Article):
        return ("A", article_id(v))
    if isinstance(v, datetime):
        return ("D", v.isoformat())
    if isinstance(v, (list, tuple)):
        return tuple([identity(x) for x in v])
    if isinstance(v, dict):
        return ("M",) + tuple(sorted((k, identity(x)) for k, x in v.items()))
    if hasattr(v, "__dataclass_fields__") and getattr(v, "__dataclass_params__").frozen:
        return (type(v).__name__,) + tuple(identity(getattr(v, f)) for f in v.__dataclass_fields__)
    raise Uncacheable(type(v).__name__)


SKIP = object()  # PageSet.need(): the page in output/ is current


class PageSet:
    """The pages of one build: need() says which to render; emit() queues those that must be
    made, and flush() makes them, on every core when there are many."""

    def __init__(self, salt: str, old: dict, output):
        self.salt = salt
        self.old = old  # path -> (key, sha256, size, mtime_ns) from the last build
        self.output = output  # write.Output
        self.trust_output = False  # True: no stat per page to notice files edited in output/ (the preview's own folder)
        self._base = os.fspath(output.out) + os.sep
        self.keys: dict[str, str | None] = {}  # path -> page key of this build
        self.rendered = 0
        self.jobs: list = []  # make() -> {path: bytes}, queued until flush()
        self.light = 0  # queued jobs known to be cheap (list pages whose entries are kept: listitems.py)

    def key(self, *parts) -> str | None:
        return page_key(self.salt, parts)

    def intact(self, path: str, key: str | None) -> bool:
        """Same key as last time and the file untouched since. A touched file is written again
        even if the new bytes equal the old (output.damaged)."""
        old = self.old.get(path)
        if old is None or self.output.cold:
            return False
        if not self.trust_output and not self.intact_stat(path):
            self.output.damaged.add(path)
            return False
        return key is not None and old[0] == key

    def need(self, path: str, parts: tuple):
        """The page's key (None: cannot be keyed) if it must be rendered, else SKIP."""
        return self._need(path, self.key(*parts))

    def _need(self, path: str, key: str | None):
        self.keys[path] = key
        if self.intact(path, key):
            self.output.keep(path, self.old[path][1], recorded=True)
            return SKIP
        self.rendered += 1
        return key

    def keep_if_current(self, path: str, key: str | None) -> bool:
        """Speed layer (listkeys.py): a page whose key is known without its values. Kept, as
        need() keeps it, when that key is the last build's and its file is intact; else False
        and nothing noted (the caller makes the page the plain way)."""
        if key is None or not self.intact(path, key):
            return False
        self.keys[path] = key
        self.output.keep(path, self.old[path][1], recorded=True)
        return True

    def emit(self, path: str, parts: tuple, make) -> None:
        """Queue make() -> bytes for the page at path, unless the page is current."""
        if self.need(path, parts) is not SKIP:
            self.jobs.append(partial(_single, path, make))

    def need_flat(self, path: str, parts: tuple | str):
        """need() for parts already reduced to plain strings and tuples (site.SiteRenderer.flat:
        the hot path of a site with many articles)."""
        return self._need(path, page_key(self.salt, parts, plain=True))

    def emit_flat(self, path: str, parts: tuple | str, make) -> None:
        """emit() with need_flat()."""
        if self.need_flat(path, parts) is not SKIP:
            self.jobs.append(partial(_single, path, make))

    def queue(self, make) -> None:
        """Queue make() -> {path: bytes} for pages the caller found needed (need_flat())."""
        self.jobs.append(make)

    def emit_many(self, paths: list[str], parts: tuple, make) -> None:
        """Several files from one make() -> {path: bytes} (a feed's atom.xml and rss.xml)."""
        key = self.key(*parts)
        if key is not None and all(self.intact(p, key) for p in paths):
            for p in paths:
                self.keys[p] = key
                self.output.keep(p, self.old[p][1], recorded=True)
            return
        for p in paths:
            self.keys[p] = key
        self.jobs.append(make)

    def flush(self, use_parallel: bool = True, progress=None, follow=None) -> None:
        """Make the queued pages into the staging folder: in this process when they are few
        (or use_parallel is False: a process with threads must not fork), else in forked
        workers that write their files themselves and return only paths and hashes."""
        jobs, self.jobs = self.jobs, []
        light, self.light = self.light, 0
        progress = partial(progress, what="pages") if progress else None  # progress(done, total, what)
        # a light job costs ~1/8 of a rendered list page: forking two workers from a ~400 MB build
        # (~0.5 s of CPU) pays only for many heavy ones
        if not use_parallel or len(jobs) - light + light // 8 < parallel.MIN_ITEMS:
            for i, make in enumerate(jobs):
                for path, data in make().items():
                    self.output.write(path, data)
                if progress:
                    progress(i + 1, len(jobs))
            return
        # forked workers inherit the queued jobs (closures: never pickled) and run them by number
        if follow is not None:  # speed layer (overlap.py): the same workers build the search shards too
            done, more = parallel.ordered_map_then(_run_job, list(range(len(jobs))), (jobs, self.output.stage),
                                                   progress, follow.then)
            follow.done(more)
        else:
            done = parallel.ordered_map(_run_job, list(range(len(jobs))), progress, shared=(jobs, self.output.stage))
        for files in done:
            for path, sha in files:
                self.output.staged_file(path, sha)

    def emit_bytes(self, path: str, data: bytes) -> None:
        """A file made anyway (static, sitemap, search): written only if its bytes changed."""
        sha = hashlib.sha256(data).hexdigest()
        self.keys[path] = None
        old = self.old.get(path)
        self.intact(path, None)  # notes a damaged file
        if old is not None and old[1] == sha and not self.output.cold and path not in self.output.damaged:
            self.output.keep(path, sha)
        else:
            self.output.write(path, data)

    def intact_stat(self, path: str) -> bool:
        try:
            st = os.stat(self._base + path)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == self.old[path][2:]

    def record(self) -> dict:
        """The state for the next build: path -> (key, sha256, size, mtime_ns), after commit()."""
        out = {}
        base, staged, old = self.output.out, self.output.staged, self.old
        for path, sha in self.output.manifest.items():
            if path not in staged and path in old:  # kept: its stat was checked against old this build
                out[path] = (self.keys.get(path), sha, old[path][2], old[path][3])
                continue
            try:
                st = os.stat(os.path.join(base, path))
            except OSError:
                continue
            out[path] = (self.keys.get(path), sha, st.st_size, st.st_mtime_ns)
        return out


def _single(path: str, make) -> dict[str, bytes]:
    return {path: make()}


def _run_job(shared: tuple, i: int) -> list[tuple[str, str]]:
    """In a worker: make the i-th queued job's files in the staging folder; [(path, sha256)]."""
    jobs, stage = shared
    return [(path, put(stage, path, data)) for path, data in jobs[i]().items()]
