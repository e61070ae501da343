"""The preview's HTTP side: serving the preview folder under the site's sub-path, with the
error banner added to every HTML response while a build is failing (serve.py builds and
watches; livereload's server carries the reload messages).
"""

from __future__ import annotations

import errno
import html
import mimetypes
import re
from pathlib import Path

BANNER_ID = "digest-serve-errors"
MAX_SHOWN = 20  # errors listed in the terminal and the banner; the rest are counted

_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


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


def within(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def _handler_class():
    from tornado import web

    class PreviewHandler(web.RequestHandler):
        """Serves the preview folder under the site's sub-path; adds the error banner to HTML."""

        def initialize(self, state):
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
            if target != out and not within(target, out):
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


def server_class():
    from livereload import Server

    class PreviewServer(Server):
        """livereload's server (websocket, livereload.js, script injection) with our own file handler."""

        def __init__(self, state):
            super().__init__()
            self.state = state

        def get_web_handlers(self, script):
            return [(r"(/.*)", _handler_class(), {"state": self.state})]

    return PreviewServer


def port_problem(host: str, port: int) -> str | None:
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


def remember_tab_urls() -> None:
    """Each livereload connection notes the page its tab shows (`digest_url`, from the 'info'
    message livereload.js sends after the handshake), so a reload can go to some tabs only
    (serve.Preview._show: the tabs showing an article page shown before its build ended)."""
    import json

    from livereload.handlers import LiveReloadHandler

    if getattr(LiveReloadHandler, "_digest_urls", False):
        return
    plain = LiveReloadHandler.on_message

    def on_message(self, message):
        try:
            told = json.loads(message)
            if told.get("command") == "info" and told.get("url"):
                self.digest_url = told["url"]
        except (ValueError, AttributeError, TypeError):
            pass
        return plain(self, message)

    LiveReloadHandler.on_message = on_message
    LiveReloadHandler._digest_urls = True
