"""Speed layer: the search index's shards built by the render workers, beside the rest of the site.

A build used to render every page (forked workers), wait for the last one, then fork a second
pool to build the search shards from the staged article pages. The render phase's end and the
search phase's start left a core idle, and the second pool cost a fork of the ~400 MB build.
Here the same workers do both: the render jobs run as before (parallel.ordered_map_then), and
as soon as every article page this build renders is staged, the shards the search hook would
build for certain are handed to the same workers, ahead of the list pages still to render.
The search hook (search.build_search) then finds them built (`prebuilt`) and builds only what
is left, the plain way.

Nothing here decides what the index holds: a shard built ahead is build_shard() of the very job
build_bundle() would make (the shard's id, its pages with their files and sha256, the cache);
build_bundle uses it only when its own job for that shard is equal, and builds the shard itself
otherwise. Only shards build_bundle is sure to build are built ahead: those with a page whose
sha256 the search cache does not know, when more than search.READ_MAX pages are unknown (then
build_bundle reads no page to look them up). A shard that fails ahead is built again the plain
way, where its error is raised as before; if planning ahead fails, every shard is. tests/test_speed_layer.py compares with the plain way.
"""

from __future__ import annotations

import os

ENABLED = True  # False: the plain way, a barrier between rendering and the search index (tests, bench)
last_ahead = 0  # shards the last build's render workers built ahead (for tests and bench/; no build reads it)


class SearchAhead:
    """then() for parallel.ordered_map_then over a build's render jobs: collects the sha256 of
    the article pages as they are staged; once all are in, returns the shard jobs to run next.
    built: {shard id: (its pages as the job listed them, build_shard's result)}."""

    def __init__(self, settings, renderer, output):
        self.settings, self.output = settings, output
        self.paths = renderer.article_paths()
        self.dates = dict(zip(self.paths, (a.date for a in renderer.articles)))
        self.waiting: set | None = {p for p in self.paths if p not in output.manifest}
        self.shas: dict[str, str] = {}  # article pages rendered by this flush: their sha256
        self.jobs: list = []
        self.built: dict = {}

    def then(self, i: int, files: list[tuple[str, str]]):
        if self.waiting is None:
            return None
        for path, sha in files:
            if path in self.waiting:
                self.shas[path] = sha
                self.waiting.discard(path)
        if self.waiting:
            return None
        self.waiting = None
        try:
            self.jobs = self._jobs()
        except Exception:  # a speed layer never fails a build: the search hook builds every shard itself
            self.jobs = []
        return [(_shard, job) for job in self.jobs]

    def _jobs(self) -> list:
        """build_bundle's jobs for the shards it is sure to build (see the module's doc)."""
        from . import search

        out = self.output
        manifest = out.manifest
        items = [(p, self.shas.get(p) or manifest[p], self.dates[p]) for p in self.paths
                 if p in self.shas or p in manifest]
        shards = search.plan(items)
        cache = search.Cache(self.settings.cache_path / search.CACHE_DIR, self.settings.output_dir)
        known = cache.load_pages()
        unknown = sum(1 for s in shards for path, sha in s.pages if known.get(path, (None,))[0] != sha)
        if unknown <= search.READ_MAX:
            return []

        def source(rel: str) -> str:  # search._source once the flush has staged these pages
            staged = rel in self.shas or rel in out.staged
            return os.path.join(out.stage if staged else out.out, rel)

        return [(s.id, [(path, source(path), sha) for path, sha in s.pages], cache) for s in shards
                if not all(known.get(path, (None,))[0] == sha for path, sha in s.pages)]

    def done(self, results: list) -> None:
        global last_ahead
        self.built = {job[0]: (job[1], got) for job, got in zip(self.jobs, results) if got is not None}
        last_ahead = len(self.built)


def _shard(job):
    """build_shard(job) in a render worker; None if it fails (build_bundle then builds the shard
    the plain way, and its error is raised there, as without this layer)."""
    from .search import build_shard

    try:
        return build_shard(job)
    except Exception:
        return None


def search_ahead(settings, renderer, output) -> SearchAhead | None:
    """A SearchAhead for this build's render flush, or None where the search hook builds no
    shards itself (search off, or the preview: its index is built in the background)."""
    from pathlib import Path

    from . import search

    global last_ahead
    last_ahead = 0
    if not ENABLED or not settings.search or Path(settings.output_dir) == Path(search.PREVIEW_DIR):
        return None
    return SearchAhead(settings, renderer, output)
