"""`python build.py serve`: preview the site with live reload.

    content/ themes/ templates/ static/ pyproject.toml ──watch.py──▶ build_site ──▶ .digest-cache/preview/
                                                                                   │ served by tornado
    browser tab ◀── websocket "reload" (livereload.js; CSS swapped in place) ◀──────┘

* The preview is built by the same pipeline as `python build.py`, with base_url set to
  http://HOST:PORT/<the site's sub-path>, into its own folder: output/ never holds the reload
  script, which is added only to served responses (livereload puts it before `</head>`). The
  preview always has the cleaning report (report/, linked from the footer), output/ only when
  publish_report is set.
* The server watches the files itself (watch.py: polling, and the OS's change reports for
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
import errno
import html
import logging
import mimetypes
import re
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

from .config import Settings, load_settings
from .errors import SettingsError, plural
from .parallel import collect_and_freeze
from .watch import Watching

PREVIEW_DIR = ".digest-cache/preview"  # relative to the site root
PREVIEW_CACHE_DIR = ".digest-cache/preview-cache"  # the preview's build state, article store and search index
WATCHED = ("themes", "templates", "static", "rules")  # besides the content folder and pyproject.toml
BANNER_ID = "digest-serve-errors"
MAX_SHOWN = 20  # errors listed in the terminal and the banner; the rest are counted

_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


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


def error_banner(errors: list[str]) -> bytes:
    """A fixed banner listing the build errors, for the top of every served page."""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors[:MAX_SHOWN])
    if len(errors) > MAX_SHOWN:
        items += f"<li>… and {len(errors) - MAX_SHOWN} more (run python build.py to see them all)</li>"
    return (f'<div id="{BANNER_ID}" role="alert" style="position:sticky;z-index:2147483647;'
            f'top:0;max-height:60vh;overflow:auto;margin:0;padding:.8em 1.2em;background:#fff0f0;'
            f'color:#8b0000;border-bottom:3px solid #c00;font:14px/1.45 ui-monospace,monospace;'
            f'white-space:pre-wrap;text-align:left;box-shadow:0 2px 8px rgba(0,0,0,.25)">'
            f'<strong>digest serve: the build failed — showing the last good site.</strong>'
            f'<ul style="margin:.4em 0 0;padding-left:1.2em">{items}</ul>'
            f'<small>Fix the file and save: the page reloads by itself.</small></div>').encode("utf-8")


def inject_banner(page: bytes, errors: list[str]) -> bytes:
    if not errors:
        return page
    banner = error_banner(errors)
    m = _BODY_OPEN.search(page)
    if m:
        return page[: m.end()] + banner + page[m.end():]
    return banner + page


def error_page(errors: list[str]) -> bytes:
    """Served while there is no good build at all (the very first build failed)."""
    return (b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            b'<title>Build failed - digest serve</title>\n</head>\n<body>\n' + error_banner(errors) +
            b'\n<p style="margin-top:40vh;font:16px sans-serif;text-align:center">Nothing to show yet: '
            b'the site has not been built successfully.</p>\n</body>\n</html>\n')


class Preview(Watching):
    """The state of one `serve` session: settings, the last build, the watched files."""

    def __init__(self, settings: Settings, host: str, port: int, drafts: bool):
        self.root = Path(settings.root)
        self.host, self.port, self.drafts = host, port, drafts
        self.settings = settings  # the last good settings from pyproject.toml
        self.settings_error: str | None = None
        self.build_errors: list[str] = []
        self.built = False  # a good build exists in the preview folder
        self.base_path = settings.base_path  # of the site being served
        self.snapshot: dict[str, tuple[int, int]] = {}
        self.reload = None  # set by serve(): push a reload message to the open tabs
        self._theme_key: tuple | None = None
        self._theme: Path | None = None
        self.warnings_seen: set[str] = set()
        self._finish = None  # the last build's deferred state save
        self.notified: Path | None = None  # the content folder the notifier is watching
        self._content_moved: asyncio.Event | None = None

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
        if theme is not None and not any(_within(theme, p) for p in paths):
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
    def build(self, parallel: bool = False) -> tuple[list[str], list[str], float]:
        """Build the preview; returns (errors, warnings, seconds). Never raises for bad input.
        parallel: fork workers (only before the server starts its threads)."""
        from .pipeline import build_site

        self.finish()
        start = time.perf_counter()
        try:
            result = build_site(self.preview, drafts=self.drafts, parallel=parallel, defer_save=True,
                                trust_output=True)  # the preview folder is ours: nobody edits it
        except SettingsError as e:
            return [str(e)], [], time.perf_counter() - start
        except Exception as e:  # a bug in digest must not stop the preview
            traceback.print_exc()
            return [f"internal error while building: {type(e).__name__}: {e} — please report it"], [], \
                time.perf_counter() - start
        self._finish = result.finish
        errors = [str(e) for e in result.report.errors]
        if not errors:
            self.built = True
            self.base_path = self.settings.base_path
        return errors, [str(w) for w in result.report.warnings], result.seconds

    def reload_settings(self) -> bool:
        """Read pyproject.toml again; returns True if the settings are good."""
        try:
            new = load_settings(self.root)
        except SettingsError as e:
            self.settings_error = f"pyproject.toml: {e}" if "pyproject.toml" not in str(e) else str(e)
            return False
        self.settings_error = None
        if new.content_path != self.settings.content_path and self._content_moved is not None:
            self._content_moved.set()  # the notifier follows the new content folder
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

    def finish(self) -> None:
        """Save the last build's state (deferred so the browser reloads first)."""
        finish, self._finish = self._finish, None
        if finish is not None:
            try:
                finish()
            except Exception:  # the cache is an optimisation: a failed save costs time only
                traceback.print_exc()
        # What a rebuild reads (the state, the theme) lives until the next save, and the
        # collector's full passes over it took ~200 ms of each ~650 ms rebuild at 10,000
        # articles. Now, after the reload, collect once and freeze the rest: the next rebuild skips it.
        collect_and_freeze()

    def initial_build(self) -> None:
        self.snapshot = self.scan()  # first: a save during the build is still seen
        # No thread runs yet, so the first build may fork workers (a 10,000-article preview
        # starts in half the time); rebuilds run beside the server's threads and never fork.
        errors, warnings, seconds = self.build(parallel=threading.active_count() == 1)
        self.finish()
        self.build_errors = errors
        self.report(errors, warnings, seconds, "Preview")

    async def rebuild(self, changed: list[str]) -> None:
        loop = asyncio.get_running_loop()
        names = ", ".join(_short(p, self.root) for p in changed[:3]) + (" …" if len(changed) > 3 else "")
        print(f"Changed: {names}", flush=True)
        before = self.errors
        pyproject, rules = str(self.root / "pyproject.toml"), self.root / "rules"
        settings_files = [p for p in changed if p == pyproject or _within(Path(p), rules)]
        if settings_files:  # the site's rules/*.toml are settings too: checked when loaded
            ok = self.reload_settings()
            if not ok and len(settings_files) == len(changed):
                self.report([], None, 0.0, "Settings")
                self._push(changed, before)
                return
        errors, warnings, seconds = await loop.run_in_executor(None, self.build)
        self.build_errors = errors
        self.report(errors, warnings, seconds, "Rebuild")
        self._push(changed, before)
        await loop.run_in_executor(None, self.finish)  # after the reload: the state for next time

    def _push(self, changed: list[str], errors_before: list[str]) -> None:
        """Tell the open tabs: restyle for CSS-only changes, else reload the page."""
        if self.reload is None:
            return
        css = self._css_urls(changed)
        if css is not None and errors_before == self.errors and not self.errors:
            for url in css:
                self.reload(url)
        else:
            self.reload(self.base_path)

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
            base = next((b for b in bases if _within(Path(p), b)), None)
            if base is None:
                return None  # a stylesheet that is not copied as is (in content/, say)
            urls.append(self.base_path + "static/" + Path(p).resolve().relative_to(base.resolve()).as_posix())
        return urls

def _within(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def _short(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _handler_class():
    from tornado import web

    class PreviewHandler(web.RequestHandler):
        """Serves the preview folder under the site's sub-path; adds the error banner to HTML."""

        def initialize(self, state: Preview):
            self.state = state

        def set_default_headers(self):
            self.set_header("Cache-Control", "no-store")
            self.set_header("Server", "digest-serve")

        def get(self, path: str):
            st = self.state
            base = st.base_path
            query = ("?" + self.request.query) if self.request.query else ""
            if base != "/" and (path == "/" or path + "/" == base):
                return self.redirect(base + query)
            if not st.built:
                return self._send(error_page(st.errors), "text/html; charset=utf-8", 500)
            if not path.startswith(base):
                return self._not_found()
            rel = path[len(base):]
            out = st.out.resolve()
            target = (out / rel).resolve() if rel else out
            if target != out and not _within(target, out):
                return self._not_found()
            if target.is_dir():
                if not path.endswith("/"):
                    return self.redirect(path + "/" + query)
                target = target / "index.html"
            if not target.is_file() or target.name.startswith(".digest-manifest"):
                return self._not_found()
            try:
                data = target.read_bytes()
            except OSError:
                return self._not_found()
            self._send(data, _content_type(target.name))

        def _not_found(self):
            page = self.state.out / "404.html"
            try:
                data = page.read_bytes()
            except OSError:
                data = b"<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
            self._send(data, "text/html; charset=utf-8", 404)

        def _send(self, data: bytes, ctype: str, status: int = 200):
            if ctype.startswith("text/html"):
                data = inject_banner(data, self.state.errors)
            self.set_status(status)
            self.set_header("Content-Type", ctype)
            self.finish(data)

    return PreviewHandler


def _content_type(name: str) -> str:
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "application/xml",
                                              "application/atom+xml", "application/rss+xml", "image/svg+xml"):
        ctype += "; charset=utf-8"
    return ctype


def _server_class():
    from livereload import Server

    class PreviewServer(Server):
        """livereload's server (websocket, livereload.js, script injection) with our own file handler."""

        def __init__(self, state: Preview):
            super().__init__()
            self.state = state

        def get_web_handlers(self, script):
            return [(r"(/.*)", _handler_class(), {"state": self.state})]

    return PreviewServer


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None (tornado binds the same way)."""
    from tornado.netutil import bind_sockets

    try:
        for sock in bind_sockets(port, host or None):
            sock.close()
    except OSError as e:
        why = e.strerror or str(e)
        if e.errno == errno.EADDRINUSE:
            return f"{why} — is another server running? Try --port {port + 1}"
        if e.errno == errno.EACCES:
            return f"{why} — ports below 1024 need privileges; try --port 8000"
        return f"{why} — check --host"
    return None


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False) -> int:
    """Build, serve and watch until Ctrl-C. Returns the exit status."""
    from livereload.handlers import LiveReloadHandler

    problem = _port_problem(host, port)
    if problem:  # before building: a second server must not rewrite the first one's preview
        print(f"error: cannot listen on {host}:{port}: {problem}", file=sys.stderr)
        return 2
    state = Preview(settings, host, port, drafts)
    state.initial_build()
    state.reload = lambda path: LiveReloadHandler.reload_waiters(path)

    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)  # 404s and error pages are not news

    async def main() -> None:
        server = _server_class()(state)
        # debug=False: tornado's autoreload would restart on code changes; live_css swaps stylesheets.
        server.application(port, host, liveport=None, debug=False, live_css=True)
        where = ", ".join(_short(str(p), state.root) + ("/" if p.suffix != ".toml" else "")
                          for p in state.watched())
        print(f"Serving {state.url()}{' (drafts included)' if drafts else ''} — watching {where}. "
              f"Ctrl-C to stop.", flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"note: listening on {host}: other machines can see the preview.", flush=True)
        await state.watch()

    try:
        asyncio.run(main())
    except OSError as e:  # taken between the check and the listen
        print(f"error: cannot listen on {host}:{port}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    return 0
