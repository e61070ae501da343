"""`python build.py serve`: preview the site with live reload.

    content/ themes/ templates/ static/ pyproject.toml ──watch.py──▶ build_site ──▶ .digest-cache/preview/
                                                                                   │ served by tornado
    browser tab ◀── websocket "reload" (livereload.js; CSS swapped in place) ◀──────┘

* The preview is built by the same pipeline as `python build.py`, with base_url set to
  http://HOST:PORT/<the site's sub-path>, into its own folder: output/ never holds the reload
  script, which is added only to served responses (livereload puts it before `</head>`). The
  preview always has the cleaning report (report/, linked from the footer), output/ only when
  publish_report is set.
* The server watches the files itself (watch.Watcher: polling, and the OS's change reports for
  content/) and pushes reloads with LiveReloadHandler.reload_waiters(). livereload's own
  poller (start_tasks/poll_tasks) is never started: it drops any reload that comes within
  DEFAULT_RELOAD_TIME (3 s) of the previous one, so a second save in quick succession would
  never reach the browser.
* A change to a .css file reloads just that stylesheet (livereload's liveCSS), everything else
  reloads the page.
* A failed build keeps the last good site; the errors are printed (file:line: message) and shown
  in a banner on every served page until a build succeeds again. Bad settings in pyproject.toml
  are handled the same way: the last good settings stay in use.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import replace
from functools import partial
from pathlib import Path

from .config import Settings, load_settings
from .errors import SettingsError, plural
from .parallel import collect_and_freeze
from .preview_http import MAX_SHOWN, port_problem, remember_tab_urls, server_class, within
from .warm import Warm
from .watch import Watcher

PREVIEW_DIR = ".digest-cache/preview"  # relative to the site root
PREVIEW_CACHE_DIR = ".digest-cache/preview-cache"  # the preview's build state, article store and search index
WATCHED = ("themes", "templates", "static", "rules")  # besides the content folder and pyproject.toml
EARLY_MAX = 50  # pages a build may show before it ends (_show); more are shown at its end
IDLE_COLLECT = 2.0  # seconds without a save after a rebuild before the preview collects its garbage
COLLECT_EVERY = 10  # ... or after this many rebuilds without one
TRACE = "DIGEST_SERVE_TRACE"  # (bench/serve.py) set: each rebuild prints when it saw, showed and built the save


def preview_settings(settings: Settings, host: str, port: int) -> Settings:
    """The settings of the preview build: served from this server, written into its own folder."""
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host
    if ":" in shown:  # an IPv6 address
        shown = f"[{shown}]"
    # The preview is the curator's: it always has the cleaning report (linked from each page's
    # footer), which the deployable output/ has only when the settings publish it.
    # Its own cache folder too: its base_url differs, so sharing the build's article store,
    # state and search index would make each of them redo all of it after the other ran.
    return replace(settings, base_url=f"http://{shown}:{port}{settings.base_path}", output_dir=PREVIEW_DIR,
                   publish_report=True, cache_dir=PREVIEW_CACHE_DIR)


class Preview:
    """The state of one `serve` session: settings, the last build, the watched files."""

    def __init__(self, settings: Settings, host: str, port: int, drafts: bool):
        self.root = Path(settings.root)
        self.host, self.port, self.drafts = host, port, drafts
        self.settings = settings  # the last good settings from pyproject.toml
        self.settings_error: str | None = None
        self.build_errors: list[str] = []
        self.built = False  # a good build exists in the preview folder
        self.base_path = settings.base_path  # of the site being served
        self.reload = None  # set by serve(): push a reload message to the open tabs
        self._theme_key: tuple | None = None
        self._theme: Path | None = None
        self.warnings_seen: set[str] = set()
        self.warm = Warm()  # speed layer (warm.py): the last build's state kept, its save deferred
        self._shown: dict[str, bytes | None] = {}  # pages shown before the build ended: their earlier bytes
        self._early = None  # (page paths) -> reload the tabs showing them, from the build's thread (rebuild())
        self.watcher = Watcher(self.watched, lambda: self.settings.content_path, self.rebuild)
        self._collecting = threading.Lock()  # held by the idle collection of garbage (collect)
        self._idle = None  # the idle collection's timer (asyncio.TimerHandle), after a rebuild
        self._uncollected = 0  # rebuilds since the last collection
        self.interrupted = False  # the last build gave way to a newer save after its early look (interrupt.py)

    # -- state -------------------------------------------------------------------------------
    @property
    def preview(self) -> Settings:
        return preview_settings(self.settings, self.host, self.port)

    @property
    def out(self) -> Path:
        return self.preview.output_path

    @property
    def errors(self) -> list[str]:
        return ([self.settings_error] if self.settings_error else []) + self.build_errors

    def url(self, rel: str = "") -> str:
        return self.preview.base_url + rel  # base_url ends with the sub-path and its "/"

    # -- watching ----------------------------------------------------------------------------
    def watched(self) -> list[Path]:
        paths = [self.root / "pyproject.toml", self.settings.content_path] + [self.root / d for d in WATCHED]
        theme = self._theme_folder()
        if theme is not None and not any(within(theme, p) for p in paths):
            paths.append(theme)  # a built-in theme: editing it should reload too
        return paths

    def _theme_folder(self) -> Path | None:
        """The theme in use (the site's themes/NAME, or a built-in one); looked up once per settings."""
        key = (self.settings.theme, (self.root / "themes" / self.settings.theme / "templates").is_dir())
        if self._theme_key != key:
            try:
                from .render import Theme

                self._theme = Theme(self.root, self.settings.theme).folder
            except Exception:  # a missing theme is reported by the build
                self._theme = None
            self._theme_key = key
        return self._theme

    # -- building ----------------------------------------------------------------------------
    def build(self, parallel: bool = False, early: bool = False,
              changed: list[str] | None = None) -> tuple[list[str], list[str], float]:
        """Build the preview; returns (errors, warnings, seconds). Never raises for bad input.
        parallel: fork workers (only before the server starts its threads). early: show the changed
        article pages as soon as they are made (_show), when the site on screen has no error.
        changed: every path changed since the last build (the watcher's report), or None: not known."""
        from .pipeline import build_site

        with self._collecting:  # (an idle state save or collection running: it ends first)
            # the last build's state save, if still due, is not made: this build starts from its state
            self.warm.before(self.preview, changed)
        self.interrupted = False  # (interrupt.py: set again below if this build gives way)
        start = time.perf_counter()
        self._shown = {}
        shown = self._show if early and self.built and not self.errors and not parallel else None
        try:
            result = build_site(self.preview, drafts=self.drafts, parallel=parallel, defer_save=True,
                                trust_output=True, shown=shown,  # the preview folder is ours: nobody edits it
                                warm=self.warm,  # (unless warm.py finds the saved state stale)
                                interrupt=self.newer_save)  # speed layer (interrupt.py)
        except SettingsError as e:
            self.warm.failed()
            self._unshow()
            return [str(e)], [], time.perf_counter() - start
        except Exception as e:  # a bug in digest must not stop the preview
            traceback.print_exc()
            self.warm.failed()
            self._unshow()
            return [f"internal error while building: {type(e).__name__}: {e} — please report it"], [], \
                time.perf_counter() - start
        self.warm.after(result)
        self.interrupted = result.interrupted
        if result.interrupted:  # speed layer (interrupt.py): a newer save came after the early look:
            self._unshow()  # the folder as the last commit left it (the newer build shows the page again)
        errors = [str(e) for e in result.report.errors]
        if errors:
            self._unshow()
        if not errors:
            self.built = True
            self.base_path = self.settings.base_path
        return errors, [str(w) for w in result.report.warnings], result.seconds

    def newer_save(self) -> bool:
        """(speed layer: interrupt.py) The build, past its early look, should give way: a save in
        content/ came that the watcher is sure to hand over next — a file it reported since its
        last scan whose stat differs from its snapshot (so its next scan differs too; a report of
        an ignored name, a burst it will scan whole, or a change it already has never stops a build)."""
        if not self._shown:  # (nothing shown early: the build goes on to show the save)
            return False
        w = self.watcher
        content = w.notified
        for _ in range(3):  # (the notifier adds to the set from the event loop's thread)
            reported = w.reported
            if not reported or content is None:
                return False
            try:
                paths = sorted(reported)
                break
            except RuntimeError:
                continue
        else:
            return False
        from .watch import _skipped

        prefix = str(content) + os.sep
        for path in paths:
            if not path.startswith(prefix) or _skipped(path[len(prefix):]):
                continue
            try:
                s = os.stat(path)
            except OSError:
                if path in w.snapshot:  # deleted since the scan
                    return True
                continue
            if not os.path.isdir(path) and w.snapshot.get(path) != (s.st_mtime_ns, s.st_size):
                return True
        return False

    def _show(self, output) -> None:
        """The build's early look (pipeline.render_site calls it once the changed article pages
        are staged, before list pages, feeds, search page, sitemap and commit): those pages are
        copied into the preview folder now and the tabs reloaded (_early), while the build goes
        on. Their earlier bytes are kept until the build ends: a build that fails puts them back
        (_unshow). A build that stages many pages first (new settings, a new theme) shows nothing
        early: it would write them twice."""
        staged = [rel for rel in sorted(output.staged) if output.old is None
                  or output.old.get(rel) != output.manifest.get(rel)]
        if not staged or len(staged) > EARLY_MAX or output.cold:
            return
        try:
            for rel in staged:
                target = output.out / rel
                try:
                    before = target.read_bytes()
                except OSError:
                    before = None
                self._shown[rel] = before
                _replace(target, (Path(output.stage) / rel).read_bytes())
        except OSError:  # (a full disk …): nothing shown early, the build's commit says what it can
            self._unshow()
            return
        if self._early is not None:
            self._early(staged)

    def _unshow(self) -> None:
        """A build that failed after its early look: the pages it showed get their earlier bytes."""
        shown, self._shown = self._shown, {}
        for rel, before in shown.items():
            target = self.out / rel
            try:
                if before is None:
                    target.unlink(missing_ok=True)
                else:
                    _replace(target, before)
            except OSError:
                traceback.print_exc()

    def reload_settings(self) -> bool:
        """Read pyproject.toml again; returns True if the settings are good."""
        try:
            new = load_settings(self.root)
        except SettingsError as e:
            self.settings_error = f"pyproject.toml: {e}" if "pyproject.toml" not in str(e) else str(e)
            return False
        self.settings_error = None
        if new.content_path != self.settings.content_path:
            self.watcher.content_moved()
        self.settings = new
        return True

    def report(self, errors: list[str], warnings: list[str] | None, seconds: float, what: str) -> None:
        """Print what a build found; warnings only when new, so a save does not repeat them all."""
        if warnings is not None:
            new = [w for w in warnings if w not in self.warnings_seen]
            self.warnings_seen = set(warnings)
            for w in new[:MAX_SHOWN]:
                print(f"warning: {w}", file=sys.stderr, flush=True)
            if len(new) > MAX_SHOWN:
                print(f"… and {plural(len(new) - MAX_SHOWN, 'more warning')}", file=sys.stderr, flush=True)
        for e in errors[:MAX_SHOWN]:
            print(f"error: {e}", file=sys.stderr, flush=True)
        if len(errors) > MAX_SHOWN:
            print(f"… and {plural(len(errors) - MAX_SHOWN, 'more error')}", file=sys.stderr, flush=True)
        if self.settings_error:
            print(f"error: {self.settings_error}", file=sys.stderr, flush=True)
            print("Settings not applied: still previewing with the last good settings.", file=sys.stderr, flush=True)
        if warnings is None:  # only the settings were read
            return
        if errors:
            good = "showing the last good site" if self.built else "nothing to show until it is fixed"
            print(f"{what}: build failed with {plural(len(errors), 'error')} in {seconds:.2f} s; {good}.",
                  file=sys.stderr, flush=True)
        else:
            print(f"{what}: built in {seconds:.2f} s, {plural(len(warnings), 'warning')}.", flush=True)

    def finish(self, collect: bool = True) -> None:
        """After a rebuild: its garbage frozen, and collected now (collect) or once the preview is
        idle (idle()). The build state is saved by save_state(), when idle too."""
        # What a rebuild reads (the state, the theme) lives until the next save, and the
        # collector's full passes over it took ~200 ms of each ~650 ms rebuild at 10,000
        # articles. So after the reload everything alive is frozen: the next rebuild's passes
        # skip it. Collecting first (collect_and_freeze) took 0.2-0.4 s at 10,000 articles, and a
        # save made meanwhile waited for it: after a rebuild it waits until no save came for
        # IDLE_COLLECT seconds (rebuild); until then the last builds' garbage stays frozen.
        self._uncollected += 1
        if collect or self._uncollected >= COLLECT_EVERY:  # (saves in a row never idle: memory is bounded)
            self.collect()
        else:
            gc.freeze()

    def save_state(self) -> None:
        """Save the last build's state (warm.py: deferred until the preview is idle; a save that
        comes first makes it moot). A build waits for a save under way."""
        with self._collecting:
            try:
                self.warm.save()
            except Exception:  # the cache is an optimisation: a failed save costs time only
                traceback.print_exc()

    def idle(self) -> None:
        """No save for IDLE_COLLECT seconds after a rebuild: the state saved, content/ listed again
        (warm.py), the garbage collected."""
        self.save_state()
        with self._collecting:
            try:
                self.warm.refresh(self.preview)
            except Exception:  # (the next build walks content/ itself)
                traceback.print_exc()
                self.warm.listing = None
        self.collect()

    def collect(self) -> None:
        """Collect the garbage of the builds since the last collection, then freeze what is left."""
        with self._collecting:  # (a build waits: the collector's pass holds the interpreter anyway)
            collect_and_freeze()
            self._uncollected = 0

    def initial_build(self) -> None:
        self.watcher.snapshot = self.watcher.scan()  # first: a save during the build is still seen
        # No thread runs yet, so the first build may fork workers (a 10,000-article preview
        # starts in half the time); rebuilds run beside the server's threads and never fork.
        errors, warnings, seconds = self.build(parallel=threading.active_count() == 1)
        self.save_state()
        self.finish()
        self.build_errors = errors
        self.report(errors, warnings, seconds, "Preview")

    async def rebuild(self, changed: list[str]) -> None:
        # The last save's search index (a child process: search/background.py) stops while this
        # save is rebuilt, so the rebuild has the cores; it goes on after (or a newer one replaces it).
        # (Not imported yet: no index was ever started, and a site without search need not import it.)
        background = sys.modules.get(__package__ + ".search.background")
        loop = asyncio.get_running_loop()
        if self._idle is not None:  # a save: no idle collection now
            self._idle.cancel()
        if background is not None:
            background.pause()
        try:
            trace = await self._rebuild(changed)
            # after the reload: the garbage frozen (collected once idle); the state is kept in
            # this process for the next save and saved once idle (warm.py)
            await loop.run_in_executor(None, partial(self.finish, collect=False))
        finally:
            if background is not None:
                background.resume()
        if trace:
            trace.mark("ready")  # (for the next save)
            print(trace.line(), flush=True)
        self._idle = loop.call_later(IDLE_COLLECT, lambda: loop.run_in_executor(None, self.idle))

    async def _rebuild(self, changed: list[str]) -> "_Trace | None":
        loop = asyncio.get_running_loop()
        trace = _Trace(changed) if os.environ.get(TRACE) else None
        names = ", ".join(_short(p, self.root) for p in changed[:3]) + (" …" if len(changed) > 3 else "")
        print(f"Changed: {names}", flush=True)
        before = self.errors
        pyproject, rules = str(self.root / "pyproject.toml"), self.root / "rules"
        settings_files = [p for p in changed if p == pyproject or within(Path(p), rules)]
        if settings_files:  # the site's rules/*.toml are settings too: checked when loaded
            ok = self.reload_settings()
            if not ok and len(settings_files) == len(changed):
                self.report([], None, 0.0, "Settings")
                self._push(changed, before)
                return None
        shown: list[str] = []

        def early(pages: list[str]) -> None:  # from the build's thread: the tabs showing these pages reload
            shown.extend(pages)
            if trace:
                trace.mark("shown")
            loop.call_soon_threadsafe(self._push, changed, before, frozenset(pages))

        self._early = early
        try:
            errors, warnings, seconds = await loop.run_in_executor(None, partial(self.build, early=True, changed=changed))
        finally:
            self._early = None
        if self.interrupted:  # speed layer (interrupt.py): the newer save's rebuild comes next
            print(f"Rebuild: page shown, the rest left to the next save's rebuild ({seconds:.2f} s).", flush=True)
            if trace:
                trace.mark("gave_way")
            return trace
        self.build_errors = errors
        self.report(errors, warnings, seconds, "Rebuild")
        if errors or not shown:
            self._push(changed, before)
        else:  # the tabs showing the pages shown early have their final bytes: the others reload now
            self._push(changed, before, skip=frozenset(shown))
        if trace:
            trace.mark("built")
        return trace

    def _push(self, changed: list[str], errors_before: list[str], pages: frozenset | None = None,
              skip: frozenset = frozenset()) -> None:
        """Tell the open tabs: restyle for CSS-only changes, else reload the page. pages: only
        the tabs showing these pages (paths in the preview folder); skip: not those."""
        if self.reload is None:
            return
        css = self._css_urls(changed)
        if css is not None and errors_before == self.errors and not self.errors:
            for url in css:
                self.reload(url)
        elif pages is None and not skip:
            self.reload(self.base_path)
        else:
            self.reload(self.base_path, pages, skip)

    def tab_page(self, url: str | None) -> str | None:
        """The page (its path in the preview folder) a tab at `url` shows, or None."""
        from urllib.parse import unquote, urlsplit

        if not url:
            return None
        path = unquote(urlsplit(url).path)
        if not path.startswith(self.base_path):
            return None
        rel = path[len(self.base_path):]
        return rel + "index.html" if rel == "" or rel.endswith("/") else rel

    def _css_urls(self, changed: list[str]) -> list[str] | None:
        """URL paths of the stylesheets, if every changed file is a served stylesheet."""
        if not changed or not all(p.lower().endswith(".css") for p in changed):
            return None
        bases = [self.root / "static"]
        theme = self._theme_folder()
        if theme is not None:
            bases.append(theme / "static")
        urls = []
        for p in changed:
            base = next((b for b in bases if within(Path(p), b)), None)
            if base is None:
                return None  # a stylesheet that is not copied as is (in content/, say)
            urls.append(self.base_path + "static/" + Path(p).resolve().relative_to(base.resolve()).as_posix())
        return urls


class _Trace:
    """(bench/serve.py) When a save was seen, shown early and built, in seconds after the save (the
    newest mtime of the changed files): printed as one line when DIGEST_SERVE_TRACE is set."""

    def __init__(self, changed: list[str]):
        mtimes = []
        for p in changed:
            try:
                mtimes.append(os.stat(p).st_mtime_ns)
            except OSError:
                pass
        self.saved = max(mtimes) if mtimes else time.time_ns()
        self.marks = {"seen": time.time_ns()}

    def mark(self, what: str) -> None:
        self.marks[what] = time.time_ns()

    def line(self) -> str:
        return "trace: " + ", ".join(f"{k} {(v - self.saved) / 1e9:.3f}" for k, v in self.marks.items())


def _reload_tabs(state: Preview, path: str, pages: frozenset | None = None, skip: frozenset = frozenset()) -> None:
    """Reload the open tabs (livereload's reload_waiters); with pages or skip, only the tabs
    showing one of pages, or none of skip (a tab whose page is unknown: as one of none)."""
    from livereload.handlers import LiveReloadHandler

    if pages is None and not skip:
        LiveReloadHandler.reload_waiters(path)
        return
    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}  # (as reload_waiters says it)
    for tab in list(LiveReloadHandler.waiters):
        page = state.tab_page(getattr(tab, "digest_url", None))
        if (pages is None or page in pages) and page not in skip:
            try:
                tab.write_message(message)
            except Exception:  # a closed tab
                LiveReloadHandler.waiters.discard(tab)


def _replace(target: Path, data: bytes) -> None:
    """target's bytes replaced at once (a served page is never half written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.early.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _short(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False) -> int:
    """Build, serve and watch until Ctrl-C. Returns the exit status."""
    from livereload.handlers import LiveReloadHandler

    problem = port_problem(host, port)
    if problem:  # before building: a second server must not rewrite the first one's preview
        print(f"error: cannot listen on {host}:{port}: {problem}", file=sys.stderr)
        return 2
    state = Preview(settings, host, port, drafts)
    state.initial_build()
    remember_tab_urls()
    state.reload = partial(_reload_tabs, state)

    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)  # 404s and error pages are not news

    async def main() -> None:
        server = server_class()(state)
        # debug=False: tornado's autoreload would restart on code changes; live_css swaps stylesheets.
        server.application(port, host, liveport=None, debug=False, live_css=True)
        where = ", ".join(_short(str(p), state.root) + ("/" if p.suffix != ".toml" else "")
                          for p in state.watched())
        print(f"Serving {state.url()}{' (drafts included)' if drafts else ''} — watching {where}. "
              f"Ctrl-C to stop.", flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"note: listening on {host}: other machines can see the preview.", flush=True)
        await state.watcher.watch()

    # SIGTERM ends the preview as Ctrl-C does (exit handlers run: a search index paused by a
    # rebuild goes on instead of staying stopped, search/background.py)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        asyncio.run(main())
    except OSError as e:  # taken between the check and the listen
        print(f"error: cannot listen on {host}:{port}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    state.save_state()  # (warm.py) the last build's state, if its save was still due
    return 0
