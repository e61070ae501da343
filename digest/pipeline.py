"""build_site(settings): the whole pipeline, top to bottom.

content/ ─load─▶ Source ─clean+meta─▶ Article ─render─▶ staged pages ─commit─▶ output/

One BuildSession owns a build: the fingerprints its settings, theme and code give (computed
once), the last build's state (state.BuildState), the article store (cache.py), the output
(write.py) and the no-op stamp. It decides once whether the build is cold (no state to reuse:
every file is cleaned, every page rendered) or incremental (only new or changed files are
cleaned, only pages whose inputs changed are rendered: pages.py). A no-op build stops after
comparing the stamp, before importing the renderer. Importing this module is cheap; the heavy
modules load when needed. docs/ARCHITECTURE.md follows one article through all of it.
"""

from __future__ import annotations

import hashlib
import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from . import state as st
from .config import Settings
from .errors import ContentError, Problem, Report, TemplateError
from .model import Article
from .parallel import frozen_heap


@dataclass
class BuildResult:
    report: Report
    drafts: int = 0  # drafts found (left out unless the build includes drafts)
    count: int = 0  # articles built (the published ones; drafts too when included)
    files: list = field(default_factory=list)  # every output path, sorted
    written: dict = field(default_factory=dict)
    seconds: float = 0.0
    noop: bool = False  # nothing changed: the stamp answered
    timings: dict = field(default_factory=dict)  # phase -> wall seconds (shown by --verbose)
    finish: object = None  # build_site(defer_save=True): call it to save the build state
    interrupted: bool = False  # build_site(interrupt=): a newer save stopped it after its early look (interrupt.py)
    _articles: list | None = None
    _load: object = None  # a no-op build: reads the articles from the build state on first use

    @property
    def ok(self) -> bool:
        return not self.report.errors

    @property
    def articles(self) -> list[Article]:
        """The published articles, in path order (after a no-op build: from the build state)."""
        if self._articles is None:
            self._articles = self._load() if self._load else []
        return self._articles

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        self._articles = value


def build_site(settings: Settings, *, drafts: bool = False, keep_going: bool = False, strict: bool = False,
               write: bool = True, progress=None, parallel: bool = True, defer_save: bool = False,
               trust_output: bool = False, shown=None, warm=None, interrupt=None) -> BuildResult:
    """Build the site into output/. parallel=False renders and cleans in this process only (no
    fork: for callers with threads, such as the live preview). write=False builds and reports
    but leaves output/ and the cache's page records alone. defer_save=True returns as soon as
    output/ is complete, with result.finish() to save the build state (the preview reloads the
    browser first); until it is called the next build would redo this one's work.
    trust_output=True: output/ is the caller's own (the preview's folder), so unchanged pages
    are not stat'ed to notice hand edits there. shown(output): the preview's early look (serve.py),
    called in a build without workers once the changed article pages are staged, before the list
    pages, feeds, search page and sitemap are made; output/ is committed as usual after.
    warm: the preview's state kept between saves (warm.py), handed over in open().
    interrupt(): the preview's newer save is waiting: after the early look the build stops before
    its commit, result.interrupted (interrupt.py)."""
    from .interrupt import Interrupted, check

    b = BuildSession(settings, drafts=drafts, use_parallel=parallel, progress=progress, trust_output=trust_output)
    b.shown = shown
    b.warm = warm  # speed layer (warm.py): the preview's warm state
    b.interrupt = interrupt if shown is not None else None  # speed layer (interrupt.py): the preview's only
    if write and b.unchanged():  # the stamp: nothing changed since the last good build
        return b.result
    b.open()  # theme, article store, last build's state: cold or incremental, decided here
    try:
        b.load()  # content/ → Articles: cleaned where new or changed, else from the store
        if b.failed(strict) and not keep_going or not write:
            return b.stop()  # a report only: output/ as it was, what was cleaned kept
        b.render()  # pages and feeds whose inputs changed, static files: into the staging folder
        b.search()  # search/ and its index, from the staged article pages
        b.sitemap()  # sitemap.xml and robots.txt, from every page of the site
        check(b.interrupt)  # speed layer (interrupt.py): a newer save waits: no commit
    except TemplateError as e:  # the site's template: file:line: message, output/ left as it was
        b.report.error(e.problem)
        return b.stop()
    except Interrupted:  # speed layer (interrupt.py): output/ as the last commit left it, the state kept (warm.py)
        b.abort()
        b.result.interrupted = True
        b.result.seconds = time.perf_counter() - b.start
        return b.result
    except BaseException:
        b.abort()
        raise
    b.commit()  # the staging folder becomes output/ (write.Output: atomic per file)
    if defer_save:  # output/ is complete: the caller (the preview) shows it first, then finishes
        b.result.finish = b.finish
        return b.result
    return b.finish()  # the build state and the no-op stamp, for the next build


class _Clock:
    """Wall seconds per phase of a build, in order: clock.lap("phase") ends the phase."""

    def __init__(self, timings: dict, start: float | None = None):
        self.timings, self.t = timings, time.perf_counter() if start is None else start

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.t
        self.t = now


class BuildSession:
    """One build, step by step (build_site calls the steps in order). It holds everything the
    steps share: the settings and their fingerprints, the theme, the article store, the build
    state, the articles, the staged output and the result."""

    def __init__(self, settings: Settings, *, drafts: bool = False, use_parallel: bool = True, progress=None,
                 trust_output: bool = False):
        self.settings, self.drafts, self.use_parallel = settings, drafts, use_parallel
        self.progress, self.trust_output = progress, trust_output
        self.start = time.perf_counter()
        self.options = (bool(drafts),)  # build options the stamp covers
        self.fps = st.Fingerprints.of(settings, self.options)  # settings, code and theme: hashed once
        self.report = Report()
        self.result = BuildResult(self.report)
        self.clock = _Clock(self.result.timings, self.start)
        self.listing: list | None = None  # the walk of content/ made by the stamp check
        self.scanned: tuple | None = None  # (its stats, when they were taken): speed layer, state.check_stamp
        self.heap = ExitStack()  # the frozen heap, from open() until the build ends
        self.theme = self.store = self.state = None
        self.cold = True
        self.content: list = []  # [(rel, absolute path)] of content/, in path order
        self.stats: list = []  # [(rel, size, mtime_ns)] of the same files
        self.scanned_ns = 0  # when they were stat'ed (the racy-mtime rule: state.trusted_mtime)
        self.articles: list[Article] = []
        self.output = self.pages = self.renderer = None
        self.slugs: dict = {}
        self.shown = None  # build_site(shown=): the preview's early look at the changed article pages
        self.ahead = None  # speed layer (overlap.py): search shards built by the render workers
        self.warm = None  # speed layer (warm.py): the preview's state kept between saves
        self.interrupt = None  # speed layer (interrupt.py): the preview's newer save is waiting

    def _search_ahead(self, renderer, fork=None):
        from .overlap import search_ahead

        if fork is not None:  # speed layer (searchfork.py): the shards come from a forked child instead
            self.ahead = fork
            self.heap.callback(fork.close)  # a build that stops first ends the child
            return None
        self.ahead = search_ahead(self.settings, renderer, self.output) if self.use_parallel else None
        return self.ahead

    def unchanged(self) -> bool:
        """True when the stamp says nothing changed: self.result is then the last build's."""
        if self.warm is not None and self.warm.skips_stamp(self.settings):  # speed layer (warm.py)
            return False
        saved, self.listing, self.scanned = st.check_stamp(self.settings, self.fps.inputs)
        if saved is None:
            return False
        self.report.warnings.extend(saved["warnings"])
        self.report.infos.extend(saved.get("infos", ()))
        r = self.result
        r.drafts, r.count, r.files, r.noop = saved["drafts"], saved.get("count", 0), saved["files"], True
        r.written = {"written": 0, "unchanged": len(saved["files"]), "deleted": 0}
        r._load = partial(articles_from_state, self.settings, self.fps, self.drafts)
        r.seconds = time.perf_counter() - self.start
        return True

    def open(self) -> None:
        """The theme, the article store and the last build's state; the content files listed and
        stat'ed. A build with no state to reuse is cold: it starts the store again."""
        from .cache import ArticleStore
        from .render import Theme

        s = self.settings
        self.theme = Theme(s.root, s.theme, s.cache_path)  # (compiled templates kept there: render.template_cache)
        self.store = ArticleStore(s, self.fps.article_salt)
        # speed layer (warm.py): the preview starts from the last build's state kept in its process
        self.state = (self.warm.state_for(self) if self.warm is not None
                      else st.load_state(s, self.fps.article_salt))
        # The state is ~100,000 long-lived, acyclic objects: the collector skips them while the build runs
        self.heap.enter_context(frozen_heap())
        self.cold = not self.state.articles
        if self.cold:
            self.store.clear()
        else:  # speed layer (gcpause.py): no automatic collection in an incremental build's process
            from .gcpause import paused

            self.heap.enter_context(paused())
        # speed layer (warm.py): the preview's listing of content/ kept and updated by the watcher's report
        listed = self.warm.content_listing(s) if self.warm is not None else None
        if listed is not None:
            self.content, self.stats, self.scanned_ns = listed
        elif self.listing is not None and self.scanned is not None:  # speed layer: the stamp check's walk and stats
            self.content = self.listing
            self.stats, self.scanned_ns = self.scanned
        else:
            self.content = self.listing if self.listing is not None else st.content_files(s)
            self.scanned_ns = time.time_ns()
            self.stats = st.scan(self.content)
        self.clock.lap("start, state and scan")

    def load(self) -> None:
        """Every content file as an Article (cleaned on every core where new or changed, else a
        light StoredArticle from the store); drafts left out unless included; slugs and aliases
        made unique."""
        old_files, old_arts = self.state.files, self.state.articles
        articles = load_articles(self.settings, self.report, self.store, self.state, self.content, self.stats,
                                 self.scanned_ns, self.progress, self.use_parallel, cold=self.cold,
                                 made=self.warm.evidence.of if self.warm is not None else None)  # (warmevidence.py)
        notice_renames(old_files, old_arts, articles, self.report)
        self.clock.lap("load and clean articles")
        self.result.drafts = sum(1 for a in articles if a.draft)
        every = {a.rel for a in articles}  # (drafts too: a curator's same_as may name one)
        if not self.drafts:
            articles = [a for a in articles if not a.draft]
        articles = resolve_slugs(articles, self.report)
        # Syndicated copies (stories.py): a story's other copies leave the list and become its
        # aliases (redirect pages); signatures kept in BuildState.stories.
        from .stories import merge_copies

        articles = merge_copies(articles, self.report, self.state, every, self.use_parallel)
        self.clock.lap("syndicated copies")
        self.articles = resolve_aliases(articles, self.report)
        self.result.articles, self.result.count = self.articles, len(self.articles)

    def failed(self, strict: bool) -> bool:
        return bool(self.report.errors) or (strict and bool(self.report.warnings))

    def render(self) -> None:
        """Every page, feed and file of the site into the staging folder, each only if it changed."""
        from .pages import PageSet
        from .write import Output

        st.drop_stamp(self.settings)  # from here on output/ may change: no stale no-op
        self.output = Output(self.settings.output_path)
        self.pages = PageSet(self.fps.page_salt, self.state.pages, self.output)
        self.pages.trust_output = self.trust_output
        self.slugs = dict(self.state.slugs)
        self.renderer = render_site(self.settings, self.theme, self.articles, self.pages, self.use_parallel,
                                    self.clock, self.progress, self.slugs, self.shown, ahead=self._search_ahead,
                                    interrupt=self.interrupt)

    def search(self) -> None:
        """search/: the page and the sharded index of every article page (digest/search/: it reads
        the pages it needs, staged or kept in output/, and reuses unchanged shards)."""
        if not self.settings.search:
            return
        from .interrupt import check

        check(self.interrupt)  # speed layer (interrupt.py)
        from .search import build_search

        built = self.ahead.built if self.ahead is not None else None  # (speed layer: overlap.py)
        for rel, data in build_search(self.settings, self.theme, self.renderer, self.pages.output,
                                      self.use_parallel, prebuilt=built).items():
            self.pages.emit_bytes(rel, data)
        self.clock.lap("search index")

    def sitemap(self) -> None:
        from .interrupt import check

        check(self.interrupt)  # speed layer (interrupt.py)
        for rel, data in self.renderer.sitemap(list(self.pages.output.manifest)).items():
            self.pages.emit_bytes(rel, data)
        self.clock.lap("sitemap")

    def commit(self) -> None:
        self.result.written = self.output.commit()
        self.clock.lap("commit to output")
        self.result.files = sorted(self.output.manifest)
        self.state.pages = self.pages.record()
        self.state.slugs = self.slugs
        self.result.seconds = time.perf_counter() - self.start

    def finish(self) -> BuildResult:
        """Save the build state and (a build without errors) the no-op stamp, for the next build.
        Racy files whose bytes still give the key they were built from are settled first: their
        stat is trusted next time (state.settle)."""
        state, store = self.state, self.store
        fps = {rel: rec[3] if len(rec) > 3 else "" for rel, rec in state.files.items()}
        state.shapes = dict(state.shapes)  # (a new dict: settle updates it in place; the loaded one stays as it was)
        settled = st.settle(self.stats, self.scanned_ns, dict(self.content), state.files,
                            lambda rel, data: store.key(rel, keyed(data, fps.get(rel, ""))), state.shapes)
        files = dict(state.files)
        for rel, size, mtime in settled:  # settled files need no hashing next time either
            if mtime is not None and rel in files:
                files[rel] = (size, mtime) + tuple(files[rel][2:])
        state.files = files
        self._save_state()
        if not self.report.errors:
            r = self.result
            saved = {"warnings": self.report.warnings, "infos": self.report.infos, "drafts": r.drafts,
                     "count": r.count, "files": r.files}
            out_stats = [(p, rec[2], rec[3]) for p, rec in sorted(state.pages.items())]
            st.write_stamp(self.settings, self.fps.inputs, settled, out_stats, saved)
        store.close()
        self.heap.close()
        self.clock.lap("save state")
        self.result.seconds = time.perf_counter() - self.start
        return self.result

    def stop(self) -> BuildResult:
        """End a build that writes nothing (errors, or write=False): output/ as it was; the state
        saved with what was cleaned (the pages it records are the last good build's)."""
        if self.output is not None:
            self.output.abort()
        self._save_state()
        self.heap.close()
        self.result.seconds = time.perf_counter() - self.start
        return self.result

    def abort(self) -> None:
        """A build that raised (a bug, Ctrl-C): the staging folder goes, output/ and the saved
        state stay as the last build left them."""
        if self.output is not None:
            self.output.abort()
        self.heap.close()

    def _save_state(self) -> None:
        """Save the build state, then (not before) delete the store's rows it no longer names, and
        write the rows cleaned again while rendering: whenever a build stops, the saved state names
        only articles the store holds."""
        st.save_state(self.settings, self.state)
        self.store.save(dropped=self.store.dropped)
        self.store.dropped = set()


def render_site(settings: Settings, theme, articles: list[Article], pages, use_parallel: bool = True,
                clock: _Clock | None = None, progress=None, slugs: dict | None = None, shown=None, ahead=None,
                interrupt=None):
    """Plan every page, feed and redirect of the site (site.SiteRenderer) into pages (a
    PageSet), render those that changed on every core, then add the static files; returns the
    SiteRenderer (search and the sitemap read it). interrupt: the preview's check after its early
    look (interrupt.py: raises Interrupted between the steps)."""
    from .interrupt import Interrupted, check
    from .site import SiteRenderer

    clock = clock or _Clock({})
    r = SiteRenderer(settings, theme, articles, slugs)
    r.pages = pages
    clock.lap("sort and group")
    if shown is not None and not use_parallel:  # the preview (serve.py): the changed article pages first,
        r.many_pages()  # shown at once; the rest of the site follows (the same pages, in another order)
        pages.flush(False)
        clock.lap("article pages")
        shown(pages.output)
        check(interrupt)  # speed layer (interrupt.py): a newer save waits: this build gives way
        r.interrupt = interrupt  # (asked again before each list: SiteRenderer._list)
    # speed layer (searchfork.py): an incremental build with few article pages renders them first
    # and forks a child to build their search shards while the feeds and list pages are made
    fork = None
    early = shown is None and ahead is not None and not pages.output.cold
    if early:
        from .searchfork import start

        r.many_pages()
        fork = start(settings, r, pages, use_parallel)
        if fork is not None:
            ahead(r, fork)
    # Queued costly first (feeds ~8 ms, a report page with its 100 article pages ~25 ms, year
    # archives ~20 ms, then list pages ~0.6 ms): forked workers take jobs in this order, so both
    # finish nearly together.
    r.feed_pages()
    check(interrupt)  # (speed layer: interrupt.py; None outside the preview)
    if not early and (shown is None or use_parallel):
        r.many_pages()
    try:
        r.list_pages()
    except Interrupted:  # (interrupt.py) the list entries' file closed now
        if r.items is not None:
            r.items.close()
        raise
    check(interrupt)
    for path, data in r.alias_pages():
        pages.emit_bytes(path, data)
    clock.lap("page keys")
    check(interrupt)
    # every page, list and feed that changed, on every core (ahead(r): speed layer, overlap.py)
    pages.flush(use_parallel, progress, follow=ahead(r) if ahead is not None and fork is None else None)
    if r.items is not None:  # speed layer (listitems.py): the list entries this process rendered, kept
        r.items.flush(final=True)
        r.items.close()
    clock.lap("render pages and feeds")
    check(interrupt)
    for a in r.articles:  # a saved page's own images, next to its article page
        for name, path in a.assets:
            try:
                pages.emit_bytes(a.url + name, (settings.content_path / path).read_bytes())
            except OSError:
                pass  # (the build warned when it read the article)
    for rel, path in theme.static_files().items():
        if settings.search or not rel.startswith("static/search."):  # the search page's own files
            pages.emit_bytes(rel, path.read_bytes())
    clock.lap("static files")
    return r


def articles_from_state(settings: Settings, fps: st.Fingerprints, drafts: bool) -> list[Article]:
    """The articles of a no-op build, on demand, from the build state it left (no file is read
    or cleaned): in path order, drafts left out unless included, slugs and aliases resolved as
    the build did. A row the store lost is cleaned again from its file."""
    from .cache import ArticleStore, StoredArticle

    store = ArticleStore(settings, fps.article_salt)
    state = st.load_state(settings, fps.article_salt)
    content = dict(st.content_files(settings))
    store.rebuild = partial(_rebuild, settings, store, content,
                            Evidence({rel: rec[3] for rel, rec in state.shapes.items()}))
    articles = [StoredArticle.make(state.articles[rec[2]][0], store, rec[2]) for rec in state.files.values()]
    if not drafts:
        articles = [a for a in articles if not a.draft]
    quiet = Report()  # the build that made them reported these already
    return resolve_aliases(resolve_slugs(articles, quiet), quiet)


def load_articles(settings: Settings, report: Report, store, state: st.BuildState, content: list, stats: list,
                  scanned_ns: int, progress=None, use_parallel: bool = True, cold: bool = False,
                  made=None) -> list[Article]:
    """Every content file as an Article (cached ones as light StoredArticles), in path order.
    cold: no state to reuse (every file is cleaned; the workers read and hash the files
    themselves). Sets state.files, state.articles and state.shapes for the next build.
    made: makes the evidence instead of evidence_of (the preview's warmevidence.WarmEvidence.of)."""
    from .cache import StoredArticle
    from .parallel import Workers

    if not settings.content_path.is_dir():
        report.error(Problem(settings.content_dir, None, "content folder not found",
                             "create it and put .txt or .md articles in it"))
        return []
    content, stats = _articles_only(content, stats, report)
    old_files, old_arts = state.files, state.articles
    # The state says which articles the store holds; the store has the last word: a row lost
    # (a build that died, a damaged or deleted store) is cleaned again, never trusted.
    present = set() if cold else store.keys()
    with Workers() as pool:  # a cold build forks once, for the line shapes and the cleaning
        evidence = page_evidence(content, stats, state, scanned_ns, use_parallel, pool, made)
        files, arts, outcomes, lost = _clean(settings, store, content, stats, scanned_ns, old_files, old_arts,
                                             present, evidence, cold, progress, use_parallel, pool)
    store.rebuild = partial(_rebuild, settings, store, dict(content), evidence)
    articles = []
    for value in outcomes:
        if isinstance(value, Problem):
            report.error(value)
            continue
        light, warnings = arts.get(value) or old_arts[value]
        arts[value] = (light, warnings)
        report.note(warnings)  # warnings, and infos such as a GBK file decoded
        articles.append(StoredArticle.make(light, store, value))
    if lost:
        report.note([Problem(settings.cache_dir + "/", None, f"the article cache had lost {lost} of the articles "
                             "the last build kept; cleaned them again from content/", level="info")])
    store.save()  # new rows now; rows no longer used only once the state is saved (_save_state)
    store.dropped = present - set(arts)
    state.files, state.articles = files, arts
    return articles


def _clean(settings: Settings, store, content: list, stats: list, scanned_ns: int, old_files: dict, old_arts: dict,
           present: set, evidence: "Evidence", cold: bool, progress, use_parallel: bool, pool) -> tuple:
    """(file records, {key: (light fields, warnings)} of the articles made or found this build,
    per file in path order its key or its Problem, how many articles the store had lost).
    Each file is trusted by its record, or read and keyed: a known key is reused, any other
    file is cleaned (on every core when many)."""
    from .cache import light_fields
    from .parallel import ordered_map

    lost = 0
    files, arts = {}, {}
    outcomes: list = []  # per file, in path order: a key into arts, or a Problem
    misses: list = []  # (index, rel, data or path, evidence) of files to clean and parse
    for (rel, path), (_, size, mtime) in zip(content, stats):
        trusted = st.trusted_mtime(mtime, scanned_ns)
        old = old_files.get(rel)
        fp = evidence.fingerprint(rel)
        if cold:
            misses.append((len(outcomes), rel, path, (evidence.repeats(rel), fp)))
            key = None
        elif (old and old[0] == size and old[1] is not None and old[1] == mtime and old[2] in old_arts
              and old[2] in present and old[3:4] == (fp,)):
            key = old[2]
        else:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                outcomes.append(Problem(rel, None, f"cannot read the file: {e.strerror}"))
                continue
            key = store.key(rel, keyed(data, fp))
            if key not in arts and not (key in old_arts and key in present):
                # a file back to an earlier version, a lost state, or a row the store lost
                hit = store.load(key) if key in present else None
                if hit is None:
                    lost += key in old_arts
                    misses.append((len(outcomes), rel, data, (evidence.repeats(rel), fp)))
                else:
                    arts[key] = (light_fields(hit[0]), hit[1])
        files[rel] = (size, trusted, key, fp)
        outcomes.append(key)
    built = ordered_map(partial(_build_safe, settings, store.salt), [(rel, src, ev) for _, rel, src, ev in misses],
                        progress, use_parallel, meanwhile=_warm_slugs, pool=pool)
    for (i, rel, _, _), value in zip(misses, built):
        if isinstance(value, Problem):
            outcomes[i] = value
            del files[rel]
            continue
        key, light, warnings, raw = value
        store.put_raw(key, raw)
        arts[key] = (light, warnings)
        outcomes[i] = key
        files[rel] = files[rel][:2] + (key,) + files[rel][3:]
    return files, arts, outcomes, lost


def _rebuild(settings: Settings, store, paths: dict, evidence: "Evidence", rel: str, key: str):
    """(Article, warnings) of one file cleaned again, for a page whose article the store lost
    or damaged after this build loaded it (store.rebuild)."""
    try:
        with open(paths[rel], "rb") as f:
            data = f.read()
        repeats, fp = evidence.get(rel, ({}, ""))
        value = _build_one(rel, data, settings, repeats)
    except Exception:  # gone, unreadable, or no longer an article: the caller says so
        return None
    if store.key(rel, keyed(data, fp)) == key:
        store.remember(key, value)
    return value


def _articles_only(content: list, stats: list, report: Report) -> tuple[list, list]:
    """The content files digest reads as articles; a warning for each other file, so nothing
    in content/ is skipped without a word (HTML is read only as text pasted into a .txt)."""
    import posixpath

    from .load import SUFFIXES

    keep = [i for i, (rel, _) in enumerate(content) if posixpath.splitext(rel)[1].lower() in SUFFIXES]
    if len(keep) == len(content):
        return content, stats
    # A page saved as "Web page, complete" (x.html with its folder x_files/): the folder's files
    # are the page's own (images copied next to the article, scripts and styles unused)
    pages = {posixpath.splitext(rel)[0] for rel, _ in content if posixpath.splitext(rel)[1].lower() in PAGES}
    own = {i for i, (rel, _) in enumerate(content) if _saved_with(rel, pages)}
    keep = [i for i in keep if i not in own]
    for i in sorted(set(range(len(content))) - set(keep) - own):
        rel = content[i][0]
        kind = posixpath.splitext(rel)[1].lower()[1:]
        what = f"a .{kind} file" if kind else "a file without an extension"
        hint = "move it out of content/, or name it _" + rel.rsplit("/", 1)[-1] + " to keep it there unread"
        report.warn(rel, f"not read: {what} — articles are .txt, .md, .markdown or saved web pages "
                         f"(.html, .htm, .mhtml)", hint=hint)
    return [content[i] for i in keep], [stats[i] for i in keep]


PAGES = (".html", ".htm", ".xhtml")


def _saved_with(rel: str, pages: set) -> bool:
    """rel lies in the folder a browser saved beside a page: x_files/… (or x.files/…) of x.html."""
    parts = rel.split("/")
    for k in range(len(parts) - 1):
        folder = parts[k]
        for tail in ("_files", ".files", "_archivos", "-Dateien", "_fichiers"):
            if folder.endswith(tail) and "/".join(parts[:k] + [folder[: -len(tail)]]) in pages:
                return True
    return False


def _warm_slugs() -> None:
    """Tag and source names need slugs right after loading: Chinese ones through pypinyin, whose
    import and dictionaries take ~0.2 s. While forked workers clean articles, this process
    would only wait: it loads them then (in a thread; an all-ASCII site spends that for nothing)."""
    from .site import slugify

    slugify("中文", "x")


def _build_safe(settings: Settings, salt: str, item: tuple[str, bytes | str]):
    """(cache key, light fields, warnings, pickled (article, warnings)), or the Problem that
    stops this one file. item is (rel, the file's bytes or its path: a worker of a cold build
    reads the file itself, (cross-article evidence, its fingerprint)). In a worker process the
    parent gets bytes it stores as they are."""
    import pickle

    from .cache import article_key, light_fields

    rel, data, (repeats, fp) = item
    if not isinstance(data, bytes):
        try:
            with open(data, "rb") as f:
                data = f.read()
        except OSError as e:
            return Problem(rel, None, f"cannot read the file: {e.strerror}")
    key = article_key(salt, rel, keyed(data, fp))
    try:
        article, warnings = _build_one(rel, data, settings, repeats)
    except ContentError as e:
        return e.problem
    except Exception as e:  # a bug in digest must still name the file, never cost the build
        return Problem(rel, None, f"internal error while processing this file: {type(e).__name__}: {e}",
                       "please report it with this file")
    return key, light_fields(article), warnings, pickle.dumps((article, warnings), protocol=pickle.HIGHEST_PROTOCOL)


def _build_one(rel: str, data: bytes, settings: Settings, repeats: dict | None = None) -> tuple[Article, list[Problem]]:
    from .load import load_bytes

    src = load_bytes(data, rel)
    article = build_article_guarded(src, settings, repeats)
    warnings = list(src.warnings) + [Problem(rel, None, f"cleaning: {r}") for r in article.risky]
    for name, path in article.assets:
        if not (settings.content_path / path).is_file():
            warnings.append(Problem(rel, None, f"image {path} is not in {settings.content_dir}/ (the page shows it)",
                                    "save the page again with its folder of files"))
    return article, warnings


RESERVED = ("tags", "sources", "archive", "search", "report", "static", "pagefind", "page")


def resolve_aliases(articles: list[Article], report: Report) -> list[Article]:
    """An alias never replaces a page: one that is another article's URL, a generated folder
    (tags/, archive/ …) or another article's alias is dropped with a warning."""
    from dataclasses import fields

    urls = {a.url: a.rel for a in articles}
    taken: dict[str, str] = {}
    out = []
    for a in sorted(articles, key=lambda a: a.rel):
        keep = []
        for alias in a.aliases:
            clash = (f"is the URL of {urls[alias]}" if alias in urls else
                     f"is already an alias of {taken[alias]}" if alias in taken else
                     "is a folder the site writes itself" if alias.split("/")[0] in RESERVED or alias in (
                         "index.html", "404.html") else "")
            if clash:
                report.warn(a.rel, f"alias {alias!r} {clash}; no redirect written for it",
                            hint="remove it from 'aliases'")
                continue
            taken[alias] = a.rel
            keep.append(alias)
        if tuple(keep) != a.aliases:  # (a cached StoredArticle cannot be replace()d: copy its fields)
            a = Article(**{**{f.name: getattr(a, f.name) for f in fields(Article)}, "aliases": tuple(keep)})
        out.append(a)
    return out


def notice_renames(old_files: dict, old_arts: dict, articles: list[Article], report: Report) -> None:
    """A file gone since the last build whose text now sits under another name was renamed:
    its URL and feed id moved with the name. Say so, and how to keep both."""
    now = {a.rel for a in articles}
    gone: dict[str, dict] = {}
    for rel, rec in old_files.items():
        hit = old_arts.get(rec[2]) if rel not in now else None
        if hit and hit[0].get("body_digest"):
            gone.setdefault(hit[0]["body_digest"], hit[0])
    if not gone:
        return
    for a in articles:
        old = gone.get(a.body_digest) if a.rel not in old_files else None
        if old is None:
            continue
        fixes = []
        if old["url"] != a.url and old["url"] not in a.aliases:
            fixes.append(f"'aliases: [{old['url']}]' keeps the old URL working (a redirect page)")
        if old["id"] != a.id:
            fixes.append(f"'id: {old['id']}' keeps its feed entry (readers would see it as new)")
        if fixes:
            report.warn(a.rel, f"this looks like {old['rel']} renamed (the same text): its URL or feed id changed",
                        hint="add to its front matter " + " and ".join(fixes))


def build_article_guarded(src, settings: Settings, repeats: dict | None = None):
    """build_article(src, settings); a curator's pattern that stalls on one of its lines is a
    ContentError naming the rule, the pattern and the line (patterns.py: the time budget)."""
    from .article import build_article
    from .patterns import RuleStalled

    try:
        return build_article(src, settings, repeats)
    except RuleStalled as e:
        lines = src.text.split("\n")
        line = next((i + 1 for i, t in enumerate(lines) if t.strip() == e.text), None)
        raise ContentError(src.rel, str(e), line=line, hint=e.hint) from None


def resolve_slugs(articles: list[Article], report: Report) -> list[Article]:
    """Two articles never share a URL: later files (by path) get -2, -3 … and a warning."""
    from .article import with_slug

    seen: dict[str, str] = {}
    out = []
    for a in sorted(articles, key=lambda a: a.rel):
        slug, k = a.slug, 2
        while slug in seen:
            slug, k = f"{a.slug}-{k}", k + 1
        if slug != a.slug:
            report.warn(a.rel, f"slug {a.slug!r} is taken by {seen[a.slug]}; using {slug!r}",
                        hint="set a distinct 'slug' in front matter")
            a = with_slug(a, slug)
        seen[slug] = a.rel
        out.append(a)
    return out



def keyed(data: bytes, fp: str) -> bytes:
    """What an article's cache key hashes: its bytes and, when other pages of its site give
    evidence about its lines, that evidence's fingerprint (the same bytes clean differently
    once a sister page arrives)."""
    return data + b"\0repeats:" + fp.encode() if fp else data


def page_evidence(content: list, stats: list, state: st.BuildState, scanned_ns: int,
                  use_parallel: bool = True, pool=None, made=None) -> "Evidence":
    """Cross-article evidence for every content file (Evidence). Each file's line shapes are
    kept in the build state beside its size and mtime, so an incremental build reads only the
    files that changed. The evidence is made from all files' shapes (~40 ms for 2,000 pages,
    ~0.4 s for 10,000); when no file's shapes changed since the last build (a template or
    static change, files touched but not changed), the fingerprints the last build recorded
    hold, and the evidence is made only if a file must be cleaned."""
    from .parallel import ordered_map

    old = state.shapes
    shapes, todo, records = {}, [], {}
    for (rel, path), (_, size, mtime) in zip(content, stats):
        rec = old.get(rel)
        trusted = st.trusted_mtime(mtime, scanned_ns)
        if rec and trusted is not None and rec[0] == size and rec[1] == mtime:
            shapes[rel], records[rel] = rec[3], rec[:3]
        else:  # changed, or too recent to trust its mtime: its bytes decide (reading is cheap, shapes are not)
            todo.append((rel, path, rec[2] if rec and rec[0] == size else None, rec[3] if rec else None))
            records[rel] = (size, trusted)
    for (rel, *_), (digest, value) in zip(todo, ordered_map(_shapes_of, todo, None, use_parallel, pool=pool)):
        shapes[rel] = value
        records[rel] = records[rel] + (digest,)
    unchanged = shapes.keys() == old.keys() and all(old[rel][3] == shapes[rel] for rel, *_ in todo)
    state.shapes = {rel: records[rel] + (shapes[rel],) for rel in shapes}
    known = {rel: rec[3] for rel, rec in state.files.items() if len(rec) > 3} if unchanged else None
    # speed layer (fastevidence.reuse): the last build's evidence, of these shapes, where it still holds
    last = getattr(state, "evidence", None)
    if not unchanged:
        state.evidence = None  # (until made for these shapes: Evidence sets it)
    return Evidence(shapes, known, (old, last, state) if last is not None else (None, None, state), made)


class Evidence:
    """Cross-article evidence of a site's files, made from every file's line shapes on first
    need: repeats(rel) = {line shape: other pages of its site}, fingerprint(rel) (keys its
    article). known: {rel: fingerprint} the last build recorded for these very shapes. made:
    evidence_of's stand-in (speed layer: the preview's warmevidence.WarmEvidence.of, the same answer)."""

    def __init__(self, shapes: dict, known: dict | None = None, last: tuple | None = None, made=None):
        self.shapes, self.known, self._made = shapes, known, None
        # speed layer: (the last build's shapes records, its packed evidence, the state to note
        # this build's in): fastevidence.reuse
        self.last = last
        self._packed: dict | None = None
        # speed layer (warmevidence.py): the preview's kept evidence, which makes or keeps the answer
        self._maker = made

    def _all(self) -> dict[str, tuple[dict, str]]:
        if self._made is None and self._maker is not None:  # the preview: its warm answer (no state kept)
            self._made = self._maker(self.shapes)
        if self._made is None and self._packed is None:
            old, packed, state = self.last or (None, None, None)
            flat = None
            if packed is not None:
                from .fastevidence import reuse

                self._packed, flat = reuse(self.shapes, {rel: rec[3] for rel, rec in old.items()}, packed)
            if self._packed is None:
                made = evidence_packed(self.shapes, flat)
                self._made = {rel: (e, fp) for rel, (e, fp, _) in made.items()}
                self._packed = {rel: (fp, data) for rel, (_, fp, data) in made.items()}
            if state is not None:
                state.evidence = self._packed
            if self._made is None:  # reused: each page's dict unpacked when asked for
                self._made = _Unpacked(self._packed)
        return self._made

    def get(self, rel: str, default=({}, "")) -> tuple[dict, str]:
        return self._all().get(rel, default)

    def repeats(self, rel: str) -> dict:
        return self.get(rel)[0]

    def fingerprint(self, rel: str) -> str:
        if self.known is not None and rel in self.known:
            return self.known[rel]
        made = self._all()
        if isinstance(made, _Unpacked):  # speed layer: the kept fingerprint, the page's evidence left packed
            return made.fingerprint(rel)
        return self.get(rel)[1]


class _Unpacked:
    """{rel: (evidence, fingerprint)} read from the packed evidence fastevidence.reuse kept."""

    def __init__(self, packed: dict):
        self.packed = packed

    def get(self, rel: str, default=None):
        hit = self.packed.get(rel)
        if hit is None:
            return default
        from .fastevidence import unpack_evidence

        return unpack_evidence(hit[1]), hit[0]

    def fingerprint(self, rel: str) -> str:
        """get(rel)[1] without unpacking the page's evidence (every page's is asked for; few are cleaned)."""
        hit = self.packed.get(rel)
        return "" if hit is None else hit[0]


def evidence_packed(shapes: dict, flat: tuple | None = None) -> dict[str, tuple[dict, str, bytes]]:
    """evidence_of(shapes), each page's evidence packed too (fastevidence.pack_evidence); flat:
    the shapes flattened already (fastevidence.reuse)."""
    from .fastevidence import evidence_packed as made

    return made(shapes, flat)


def evidence_of(shapes: dict) -> dict[str, tuple[dict, str]]:
    """{rel: (evidence, its fingerprint)} of the files that have any, from every file's shapes."""
    # speed layer: clean.furniture.evidence with numpy on a large site, the same answer (fastevidence.py)
    from .fastevidence import evidence_of as made

    return made(shapes)


def _shapes_of(item: tuple):
    """(bytes digest, shapes packed: fastevidence.pack) of one file; the recorded shapes when its
    bytes are unchanged."""
    rel, path, old_digest, old_shapes = item
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None, ((), ())
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if digest == old_digest and old_shapes is not None:
        return digest, old_shapes
    from .fastevidence import pack  # speed layer: kept packed (fastevidence.pack)

    return digest, pack(source_shapes(rel, data))


def source_shapes(rel: str, data: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The line shapes of one content file's body (furniture.page_shapes); a file that does
    not load has none (its error is reported where it is cleaned)."""
    from .clean.furniture import page_shapes
    from .load import load_bytes

    if rel.endswith((".txt", ".md", ".markdown")):  # the common case, without load's charset and YAML work
        try:
            text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
            return page_shapes(_FRONT.sub("", text, count=1))
        except UnicodeDecodeError:
            pass
    try:
        return page_shapes(load_bytes(data, rel).body)
    except ContentError:
        return (), ()


_FRONT = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def corpus_evidence(paths: tuple[str, ...]) -> dict[str, dict[int, int]]:
    """Cross-article evidence for files read from disk: {resolved path: {shape: pages}}.
    Inspecting the files of one folder one by one reads the folder once (the answer is kept
    while no file's size or mtime changes)."""
    import os

    sig = []
    for p in paths:
        try:
            st_ = os.stat(p)
            sig.append((st_.st_size, st_.st_mtime_ns))
        except OSError:
            sig.append(None)
    return _corpus_evidence(tuple(paths), tuple(sig))


@lru_cache(maxsize=4)
def _corpus_evidence(paths: tuple[str, ...], sig: tuple) -> dict[str, dict[int, int]]:
    from .clean.furniture import evidence

    pages = {}
    for p in paths:
        try:
            data = Path(p).read_bytes()
        except OSError:
            continue
        pages[str(Path(p).resolve())] = source_shapes(p, data)
    return evidence(pages)
