"""Speed layer: an incremental build's search shard built in a forked child, beside the list pages.

An edit or an add at 10,000 articles renders a few article pages, then keys ~2,300 list pages
and 41 feeds (~0.25 s), then builds the search shard that holds the changed article (~0.2-0.3 s:
its records loaded and saved, its postings, JSON and gzip). The shard needs only the article
pages; the list pages and feeds do not need the shard. So here, in a build whose pages are few
enough to render in the build's own process, the article pages are rendered first, and a child
forked from the build builds the shards the search hook will need while the build goes on with
the feeds and list pages. On two cores the two halves run at once.

Nothing here decides what the index holds. The child runs build_bundle's own first half on the
same inputs (search.plan of the article pages and their sha256 from the manifest, the pages the
search cache does not know read to find their content keys, each shard's folder looked up in
the cache) and build_shard() of the very jobs build_bundle will make (shard id, its pages with
their files and sha256, the cache); it sends {shard id: (the job's pages, build_shard's result)}
back through a pipe. The search hook takes them as `prebuilt` (as it takes overlap.py's), for a
job equal to its own only, and builds any other shard the plain way; a child that fails or sends
nothing costs only the time. At most CHILD_MAX shards are built by the child (more go to the
search hook's own workers). tests/test_speed_layer.py builds random steps with and without the
child and compares output/ byte for byte.

It trades CPU for wall time: the child's ~0.3 s of CPU (a fork of the ~220 MB build, copy-on-write
faults in both processes, the plan and the changed pages read twice) is ~0.1-0.2 s more than the
shard costs the build's own process. That pays only when a core is idle, so the child is forked
only when the load average leaves one (idle_core(): the 1-minute load below the cores less one
half); on a busy machine both processes would share one core and the build would only cost more.
"""

from __future__ import annotations

import os
import pickle
import signal

ENABLED = True  # False: the plain way (tests, bench)
CHILD_MAX = 2  # shards the child builds at most (it has one core)
PAGES_MAX = 300  # article pages rendered at most for this path (parallel.MIN_ITEMS: more fork workers anyway)
last_forked = 0  # shards the last build's child built (tests and bench/; no build reads it)


class SearchFork:
    """The child building the shards; .built (what search.build_bundle takes as prebuilt) waits
    for it. close() ends it if the build stops first."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd
        self._built: dict | None = None

    @property
    def built(self) -> dict:
        global last_forked
        if self._built is None:
            chunks = []
            try:
                while True:
                    data = os.read(self.fd, 1 << 20)
                    if not data:
                        break
                    chunks.append(data)
                got = pickle.loads(b"".join(chunks)) if chunks else None
            except Exception:  # a child that died or sent garbage: the search hook builds every shard
                got = None
            self.close()
            self._built = got if isinstance(got, dict) else {}
            last_forked = len(self._built)
        return self._built

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            try:
                if self._built is None:  # the build stopped before it needed the shards
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (OSError, ChildProcessError):
                pass
            self.pid = None


def start(settings, renderer, pages, use_parallel: bool) -> SearchFork | None:
    """Called with the article pages queued (SiteRenderer.many_pages): when this build suits
    (search on and built here, not the preview; an incremental build; few article pages to
    render), render them now (pages.flush in this process) and fork the child; else None and
    nothing done (they render with the rest, the plain way)."""
    from pathlib import Path

    from . import search

    global last_forked
    last_forked = 0
    output = pages.output
    if (not ENABLED or not use_parallel or not settings.search or output.cold
            or Path(settings.output_dir) == Path(search.PREVIEW_DIR) or pages.rendered > PAGES_MAX
            or not hasattr(os, "fork") or not idle_core()):
        return None
    pages.flush(False)  # the article pages (and report pages), staged now
    items = [(p, output.manifest[p], a.date) for p, a in zip(renderer.article_paths(), renderer.articles)
             if p in output.manifest]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(r)
            data = pickle.dumps(_build(settings, output, items), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    return SearchFork(pid, r)


def idle_core() -> bool:
    """Whether a second process would have a core of its own: the 1-minute load average (this
    build's own process included) is below the cores less one half."""
    from .parallel import workers

    n = workers()
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average: take the cores as free
        return n >= 2
    return n >= 2 and load < n - 0.5


def _build(settings, output, items: list) -> dict:
    """{shard id: (job pages, build_shard's result)} for up to CHILD_MAX shards build_bundle will
    build: its own steps on the same inputs (see search.build_bundle)."""
    from . import search

    cache = search.Cache(settings.cache_path / search.CACHE_DIR, settings.output_dir)
    shards = search.plan(items)
    source = lambda path: search._source(output, path)  # noqa: E731
    known = search.page_keys(shards, cache, source)
    built = {}
    for s in shards:
        if len(built) >= CHILD_MAX:
            break
        sdir = search.cached_dir(s, known)
        if sdir is not None and os.path.exists(cache.folder / (sdir + ".pickle")):
            continue  # build_bundle takes it from the cache
        job = search.shard_job(s, source, cache)
        built[s.id] = (job[1], search.build_shard(job))
    return built
