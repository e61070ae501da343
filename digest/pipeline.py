"""build_site(settings): the whole pipeline, top to bottom.

content/ ─load─▶ Source ─clean+meta─▶ Article ─render─▶ staged pages ─commit─▶ output/

A build does only what changed since the last one (state.py): a no-op build stops after
comparing a stamp, before importing the renderer; otherwise only new or changed files are
cleaned (articles come from the cache, cache.py), and only pages whose inputs changed are
rendered (pages.py). Importing this module is cheap; the heavy modules load when needed.
"""

from __future__ import annotations

import gc
import hashlib
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from . import state as st
from .config import Settings
from .errors import ContentError, Problem, Report, TemplateError
from .model import Article


@dataclass
class BuildResult:
    report: Report
    drafts: int = 0
    files: list = field(default_factory=list)  # every output path, sorted
    written: dict = field(default_factory=dict)
    seconds: float = 0.0
    noop: bool = False  # nothing changed: the stamp answered
    timings: dict = field(default_factory=dict)  # phase -> wall seconds (shown by --verbose)
    finish: object = None  # build_site(defer_save=True): call it to save the build state
    _articles: list | None = None
    _load: object = None

    @property
    def ok(self) -> bool:
        return not self.report.errors

    @property
    def articles(self) -> list[Article]:
        """The published articles, in path order (read from the cache after a no-op build)."""
        if self._articles is None:
            self._articles = self._load() if self._load else []
        return self._articles

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        self._articles = value


def load_articles(settings: Settings, report: Report, store, state: dict, content: list, stats: list,
                  scanned_ns: int, progress=None, use_parallel: bool = True) -> list[Article]:
    """Every content file as an Article (cached ones as light StoredArticles), in path order.
    Updates state["files"] and state["articles"] for the next build."""
    from . import cache
    from .cache import StoredArticle, light_fields
    from .parallel import ordered_map

    if not settings.content_path.is_dir():
        report.error(Problem(settings.content_dir, None, "content folder not found",
                             "create it and put .txt or .md articles in it"))
        return []
    content, stats = _articles_only(content, stats, report)
    old_files, old_arts = state["files"], state["articles"]
    cold = not old_arts  # nothing to reuse: the workers read and hash the files themselves
    # The state says which articles the store holds; the store has the last word: a row lost
    # (a build that died, a damaged or deleted store) is cleaned again, never trusted.
    present = set() if cold else store.keys()
    evidence = page_evidence(content, stats, state, scanned_ns, use_parallel)
    store.rebuild = partial(_rebuild, settings, store, dict(content), evidence)
    lost = 0
    files, arts = {}, {}
    outcomes: list = []  # per file, in path order: a key into arts, or a Problem
    misses: list = []  # (index, rel, data or path, evidence) of files to clean and parse
    for (rel, path), (_, size, mtime) in zip(content, stats):
        trusted = None if mtime >= scanned_ns - st.RACY_NS else mtime
        old = old_files.get(rel)
        repeats, fp = evidence.get(rel, ({}, ""))
        if cold:
            misses.append((len(outcomes), rel, path, (repeats, fp)))
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
                    misses.append((len(outcomes), rel, data, (repeats, fp)))
                else:
                    arts[key] = (light_fields(hit[0]), hit[1])
        files[rel] = (size, trusted, key, fp)
        outcomes.append(key)
    built = ordered_map(partial(_build_safe, settings, store.salt), [(rel, src, ev) for _, rel, src, ev in misses],
                        progress, use_parallel, meanwhile=_warm_slugs)
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
        report.note([Problem(cache.CACHE_DIR + "/", None, f"the article cache had lost {lost} of the articles the "
                             "last build kept; cleaned them again from content/", level="info")])
    store.save()  # new rows now; rows no longer used only once the state is saved (forget_dropped)
    store.dropped = present - set(arts)
    state["files"], state["articles"] = files, arts
    return articles


def _rebuild(settings: Settings, store, paths: dict, evidence: dict, rel: str, key: str):
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


class _Clock:
    """Wall seconds per phase of a build, in order: clock.lap("phase") ends the phase."""

    def __init__(self, timings: dict):
        self.timings, self.t = timings, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.t
        self.t = now


def render_site(settings: Settings, theme, articles: list[Article], pages, use_parallel: bool = True,
                clock: _Clock | None = None, progress=None) -> None:
    """Every page, feed and file of the site into pages (a PageSet), each only if it changed."""
    from .feed import build_feeds, feed_updated
    from .site import SiteRenderer

    clock = clock or _Clock({})
    r = SiteRenderer(settings, theme, articles)
    r.pages = pages
    clock.lap("sort and group")
    # Queued costly first (feeds ~8 ms, a report page with its 100 article pages ~25 ms, year
    # archives ~20 ms, then list pages ~0.6 ms): forked workers take jobs in this order, so both
    # finish nearly together.
    # Undated articles stay out of the feeds: a feed entry needs a date, and an invented one
    # (the build's, the newest article's) would move and show the entry again (the build warns).
    feeds = [([a for a in r.articles if a.date], "", settings.title)] + [
        ([a for a in t.articles if a.date], f"tags/{t.slug}/", f"{settings.title}: {t.name}") for t in r.tags]
    for items, path, title in feeds:  # a feed shows its first feed_size entries and the newest date of all
        pages.emit_many([path + "atom.xml", path + "rss.xml"],
                        ("feed", path, title, items[:settings.feed_size], feed_updated(items)),
                        partial(build_feeds, settings, items, path, title))
    r.many_pages()
    r.list_pages()
    for path, data in r.alias_pages():
        pages.emit_bytes(path, data)
    clock.lap("page keys")
    pages.flush(use_parallel, progress)  # every page, list and feed that changed, on every core
    clock.lap("render pages and feeds")
    for a in r.articles:  # a saved page's own images, next to its article page
        for name, path in a.assets:
            try:
                pages.emit_bytes(a.url + name, (settings.content_path / path).read_bytes())
            except OSError:
                pass  # (the build warned when it read the article)
    for rel, path in theme.static_files().items():
        if settings.search or not rel.startswith("static/search."):  # the search page's own files
            pages.emit_bytes(rel, path.read_bytes())
    if settings.search:  # pagefind/ and search/: the index reads every article page
        from .search import build_search
        from .site import out_path

        files = {p: pages.output.read(p) for p in (out_path(a.url) for a in r.articles) if p in pages.output.manifest}
        for rel, data in build_search(settings, theme, r, files).items():
            pages.emit_bytes(rel, data)
        clock.lap("search index")
    for rel, data in r.sitemap(list(pages.output.manifest)).items():
        pages.emit_bytes(rel, data)
    clock.lap("static files and sitemap")


def build_site(settings: Settings, *, drafts: bool = False, keep_going: bool = False, strict: bool = False,
               write: bool = True, progress=None, parallel: bool = True, defer_save: bool = False,
               trust_output: bool = False) -> BuildResult:
    """Build the site into output/. parallel=False renders and cleans in this process only (no
    fork: for callers with threads, such as the live preview). write=False builds and reports
    but leaves output/ and the cache's page records alone. defer_save=True returns as soon as
    output/ is complete, with result.finish() to save the build state (the preview reloads the
    browser first); until it is called the next build would redo this one's work.
    trust_output=True: output/ is the caller's own (the preview's folder), so unchanged pages
    are not stat'ed to notice hand edits there."""
    start = time.perf_counter()
    options = (bool(drafts),)
    if write:
        saved = st.check_stamp(settings, options)
        if saved is not None:
            return _noop_result(settings, saved, start, drafts)
    from .cache import ArticleStore, _code_fingerprint
    from .pages import PageSet
    from .render import Theme
    from .write import Output

    report = Report()
    result = BuildResult(report)
    clock = _Clock(result.timings)
    clock.t = start
    theme = Theme(settings.root, settings.theme)
    theme_fp = st.theme_fingerprint(settings)
    code_fp = _code_fingerprint()
    salt = hashlib.sha256((settings.fingerprint() + code_fp).encode()).hexdigest()
    store = ArticleStore(settings, salt)
    state = st.load_state(settings, salt)
    # The state is ~100,000 long-lived, acyclic objects: frozen for the build, the collector's
    # full passes skip them (two passes were ~60 ms of a 1 s edit build). Unfrozen at the end.
    gc.freeze()
    if not state["articles"]:
        store.clear()
    content = st.walked_content_files(settings)
    scanned_ns = time.time_ns()
    stats = st.scan(content)
    clock.lap("start, state and scan")
    old_files, old_arts = state["files"], state["articles"]
    articles = load_articles(settings, report, store, state, content, stats, scanned_ns, progress, parallel)
    notice_renames(old_files, old_arts, articles, report)
    clock.lap("load and clean articles")
    result.drafts = sum(1 for a in articles if a.draft)
    every = {a.rel for a in articles}  # (drafts too: stories.py)
    if not drafts:
        articles = [a for a in articles if not a.draft]
    articles = resolve_slugs(articles, report)
    # --- issue 20: syndicated copies shown once (stories.py): a story's other copies leave the
    # list and become its aliases (redirect pages); signatures kept in state["stories"]
    from .stories import merge_copies

    articles = merge_copies(articles, report, state, every, parallel)
    clock.lap("syndicated copies")
    # --- end issue 20
    articles = resolve_aliases(articles, report)
    result.articles = articles
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if failed and not keep_going or not write:
        _save_state(settings, {**state, "pages": state.get("pages", {})}, store)
        gc.unfreeze()
        result.seconds = time.perf_counter() - start
        return result
    st.drop_stamp(settings)
    from . import site

    site.SLUGS.update(state.get("slugs", {}))
    page_salt = hashlib.sha256(f"{settings.fingerprint()}{code_fp}{theme_fp}".encode()).hexdigest()
    output = Output(settings.output_path)
    pages = PageSet(page_salt, state.get("pages", {}), output)
    pages.trust_output = trust_output
    try:
        render_site(settings, theme, articles, pages, parallel, clock, progress)
    except TemplateError as e:  # the site's template: file:line: message, output/ left as it was
        output.abort()
        report.error(e.problem)
        _save_state(settings, {**state, "pages": state.get("pages", {})}, store)
        gc.unfreeze()
        result.seconds = time.perf_counter() - start
        return result
    except BaseException:
        output.abort()
        gc.unfreeze()
        raise
    result.written = output.commit()
    clock.lap("commit to output")
    result.files = sorted(output.manifest)
    state["pages"] = pages.record()
    state["slugs"] = dict(site.SLUGS)

    def finish() -> None:  # the build state and the no-op stamp, for the next build
        fps = {rel: rec[3] if len(rec) > 3 else "" for rel, rec in state["files"].items()}
        settled = st.settle(stats, scanned_ns, dict(content), state["files"],
                            lambda rel, data: store.key(rel, keyed(data, fps.get(rel, ""))))
        for rel, size, mtime in settled:  # settled files need no hashing next time either
            if mtime is not None and rel in state["files"]:
                state["files"][rel] = (size, mtime) + tuple(state["files"][rel][2:])
        _save_state(settings, state, store)
        if not report.errors:
            saved = {"warnings": report.warnings, "infos": report.infos, "drafts": result.drafts,
                     "count": len(articles), "files": result.files}
            out_stats = [(p, rec[2], rec[3]) for p, rec in sorted(state["pages"].items())]
            st.write_stamp(settings, options, theme_fp, settled, out_stats, saved)
        store.close()
        gc.unfreeze()
        clock.lap("save state")

    result.seconds = time.perf_counter() - start
    if defer_save:  # output/ is complete: the caller (the preview) shows it first, then finishes
        result.finish = finish
        return result
    finish()
    result.seconds = time.perf_counter() - start
    return result


def _save_state(settings: Settings, state: dict, store) -> None:
    """Save the build state, then (not before) delete the store's rows it no longer names, and
    write the rows cleaned again while rendering: whenever a build stops, the saved state names
    only articles the store holds."""
    st.save_state(settings, state)
    store.save(dropped=store.dropped)
    store.dropped = set()


def _noop_result(settings: Settings, saved: dict, start: float, drafts: bool) -> BuildResult:
    report = Report()
    report.warnings.extend(saved["warnings"])
    report.infos.extend(saved.get("infos", ()))
    result = BuildResult(report, drafts=saved["drafts"], files=saved["files"], noop=True,
                         written={"written": 0, "unchanged": len(saved["files"]), "deleted": 0})
    result._load = partial(_articles_from_state, settings, drafts)
    result.seconds = time.perf_counter() - start
    return result


def _articles_from_state(settings: Settings, drafts: bool) -> list[Article]:
    """The articles of a no-op build, on demand: load the state as a full build would."""
    return build_site(settings, drafts=drafts, write=False, parallel=False).articles


def keyed(data: bytes, fp: str) -> bytes:
    """What an article's cache key hashes: its bytes and, when other pages of its site give
    evidence about its lines, that evidence's fingerprint (the same bytes clean differently
    once a sister page arrives)."""
    return data + b"\0repeats:" + fp.encode() if fp else data


def page_evidence(content: list, stats: list, state: dict, scanned_ns: int,
                  use_parallel: bool = True) -> dict[str, tuple[dict, str]]:
    """Cross-article evidence for every content file: {rel: ({line shape: pages}, fingerprint)}.
    Each file's line shapes are kept in the build state beside its size and mtime, so an
    incremental build reads only the files that changed; the evidence itself is recomputed
    from all shapes every build (~10 ms for 200 pages, linear)."""
    from .clean.furniture import evidence
    from .parallel import ordered_map

    old = state.get("shapes", {})
    shapes, todo, records = {}, [], {}
    for (rel, path), (_, size, mtime) in zip(content, stats):
        rec = old.get(rel)
        trusted = None if mtime >= scanned_ns - st.RACY_NS else mtime
        if rec and trusted is not None and rec[0] == size and rec[1] == mtime:
            shapes[rel], records[rel] = rec[3], rec[:3]
        else:  # changed, or too recent to trust its mtime: its bytes decide (reading is cheap, shapes are not)
            todo.append((rel, path, rec[2] if rec and rec[0] == size else None, rec[3] if rec else None))
            records[rel] = (size, trusted)
    for (rel, *_), (digest, value) in zip(todo, ordered_map(_shapes_of, todo, None, use_parallel)):
        shapes[rel] = value
        records[rel] = records[rel] + (digest,)
    state["shapes"] = {rel: records[rel] + (shapes[rel],) for rel in shapes}
    out = {}
    for rel, ev in evidence(shapes).items():
        if ev:
            fp = hashlib.sha256(repr(sorted(ev.items())).encode()).hexdigest()[:24]
            out[rel] = (ev, fp)
    return out


def _shapes_of(item: tuple):
    """(bytes digest, shapes) of one file; the recorded shapes when its bytes are unchanged."""
    rel, path, old_digest, old_shapes = item
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None, ((), ())
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if digest == old_digest and old_shapes is not None:
        return digest, old_shapes
    return digest, source_shapes(rel, data)


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
