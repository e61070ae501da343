"""The Jinja2 theme that turns pages into bytes, and the filters and URL helpers it uses.

Jinja autoescapes every value (titles, tags, sources, front matter); an article's body is
already sanitised HTML (markup.py: Markdown → HTML through nh3).
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path

from .errors import SettingsError, TemplateError

def _relpath(dest: str, here: str) -> str:
    """posixpath.relpath for site-relative paths, without its getcwd() and abspath() calls."""
    if ".." in dest or ".." in here:
        return posixpath.relpath(dest, here)
    d = [p for p in dest.split("/") if p and p != "."]
    h = [p for p in here.split("/") if p and p != "."]
    i = 0
    while i < len(d) and i < len(h) and d[i] == h[i]:
        i += 1
    return "/".join([".."] * (len(h) - i) + d[i:]) or "."


@lru_cache(maxsize=1 << 16)
def relurl(target: str, current: str) -> str:
    """Link from page `current` to `target` (both site-relative, '' is the home page; a
    trailing '/' means a folder with index.html). Relative links work from any sub-path."""
    here = current if current.endswith("/") or current == "" else posixpath.dirname(current) + "/"
    here = here.rstrip("/") or "."
    dest = target.rstrip("/") or "."
    rel = _relpath(dest, here)
    if target.endswith("/") or target == "":
        return "./" if rel == "." else rel + "/"
    return rel


def url_from(current: str):
    """relurl(target, current) as a function of target, for the many links of one page: the
    page's own folder is split once (a list page links to ~40 distinct places)."""
    here = current if current.endswith("/") or current == "" else posixpath.dirname(current) + "/"
    here = here.rstrip("/") or "."
    if ".." in here:
        return lambda target: relurl(target, current)
    h = [p for p in here.split("/") if p and p != "."]
    nh = len(h)

    def url(target: str) -> str:
        dest = target.rstrip("/") or "."
        if ".." in dest:
            return relurl(target, current)
        d = [p for p in dest.split("/") if p and p != "."]
        i = 0
        while i < len(d) and i < nh and d[i] == h[i]:
            i += 1
        rel = "/".join([".."] * (nh - i) + d[i:]) or "."
        if target.endswith("/") or target == "":
            return "./" if rel == "." else rel + "/"
        return rel

    return url


def removal_rows(removed, text_lang: str | None = None, ui: str = "en", leeway: int = 5):
    """The cleaning report's table rows for an article's removed lines, escaped: line number,
    text (truncated as Jinja's truncate(90) does), reason and rule. A filter rather than a loop
    in report.html: the report of 10,000 articles has ~160,000 rows, and a Jinja loop costs
    2.5 times as much (a theme may still loop over article.removed itself). The text is in the
    article's language (text_lang), the reasons in English: each is marked where it differs from
    the page's interface language ui."""
    from jinja2.filters import do_truncate  # (imported here: cleaning workers import this module too)
    from markupsafe import Markup, escape

    text_attr = f' lang="{escape(text_lang)}"' if text_lang and text_lang != ui else ""
    reason_attr = ' lang="en"' if ui != "en" else ""
    rows = []
    for r in removed:
        text = r.text if len(r.text) <= 90 + leeway else do_truncate(None, r.text, 90, leeway=leeway)
        rows.append(f"<tr><td>{r.line}</td><td{text_attr}>{escape(text)}</td><td{reason_attr}>{escape(r.reason)} "
                    f"<code>{escape(r.rule)}</code></td></tr>\n")
    return Markup("".join(rows))


def html_datetime(d) -> str:
    """A date as HTML's valid global date and time string (<time datetime>, article:published_time):
    ISO 8601 with at most 3 digits of a second's fraction, and a zone offset in whole minutes
    (an old zone's local mean time, +08:05:43, is written in UTC instead)."""
    if not isinstance(d, datetime):
        return ""
    off = d.utcoffset()
    if off is not None and off.seconds % 60:
        from datetime import timezone

        d = d.astimezone(timezone.utc)
    return d.isoformat(timespec="milliseconds" if d.microsecond else "seconds")


def url_host(url: str) -> str:
    """The host name of a URL, without "www." (shown beside the link to an original article)."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def json_ld(value) -> str:
    """value as JSON for a <script type="application/ld+json"> element. Scraped titles are
    untrusted: <, > and & are written as \\u escapes, so no text can close the script element
    (</script>) or open a comment (<!--); U+2028/2029 likewise."""
    import json

    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=html_datetime)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


def _inside(path: str, folder) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
        return True
    except (ValueError, OSError):
        return False


def removed_share(article) -> str:
    """How much of an article's text the cleaner removed, for the report: "12%" ("<1%" when
    something went, "0%" when nothing did). Counted in characters, kept body against removed lines."""
    gone = sum(len(r.text) for r in article.removed)
    if not gone:
        return "0%"
    pct = 100 * gone / (gone + article.text_chars)
    return "<1%" if pct < 1 else f"{pct:.0f}%"


def theme_candidates(site_root: Path, name: str) -> list[Path]:
    """Where theme NAME may be, first found wins: the site's own themes/NAME, then digest's:
    the installed package's digest/themes/NAME (a wheel maps the repository's themes/ there),
    then the repository's themes/NAME (a source checkout or an editable install)."""
    package = Path(__file__).parent
    return [Path(site_root) / "themes" / name, package / "themes" / name, package.parent / "themes" / name]


def template_cache(cache_dir: Path | None):
    """Jinja's compiled templates kept in the cache folder (each a few ms to compile: ~0.1-0.3 s
    of a build that renders a few pages, every build and every preview save). Jinja keys each by
    the template's name, file and source (sha1); the folder is named by Jinja's and Python's
    versions and this module's code (the Environment's options live here). A file that cannot be
    read or written costs a compile, never the build."""
    if cache_dir is None:
        return None
    import hashlib
    import sys

    import jinja2
    from jinja2.bccache import FileSystemBytecodeCache

    class SafeCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket):
            try:
                super().load_bytecode(bucket)
            except Exception:  # truncated or garbage: compile again
                bucket.reset()

        def dump_bytecode(self, bucket):
            try:
                super().dump_bytecode(bucket)
            except Exception:  # a read-only or full disk: compiled again next time
                pass

    key = hashlib.sha256(f"{jinja2.__version__}\0{sys.version}\0".encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    folder = Path(cache_dir) / "templates" / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return SafeCache(str(folder))


def theme_folder(site_root: Path, name: str) -> Path | None:
    """The site's themes/NAME, else digest's own themes/NAME (None: no such theme)."""
    return next((c for c in theme_candidates(site_root, name) if (c / "templates").is_dir()), None)


class Theme:
    """A theme folder (templates/, static/; its theme.toml describes it for people), with the
    site's own templates/ and static/ first."""

    def __init__(self, site_root: Path, name: str, cache_dir: Path | None = None):
        from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

        folder = theme_folder(site_root, name)
        if folder is None:
            looked = ", ".join(str(c) for c in dict.fromkeys(theme_candidates(site_root, name)))
            raise SettingsError(f"[tool.digest] theme: no theme {name!r} (looked in {looked}) — "
                                f"digest ships 'default'; a site's own theme goes in themes/{name}/templates/")
        self.folder = folder
        loaders = []
        self.template_dirs = [str(d) for d in (site_root / "templates", folder / "templates") if d.is_dir()]
        for d in self.template_dirs:
            loaders.append(FileSystemLoader(d))
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, auto_reload=False,
                               bytecode_cache=template_cache(cache_dir))  # speed layer: compiled templates kept
        # auto_reload=False: a Theme lives for one build, so its templates need no stat() before
        # each of the build's thousands of renders (3 a page: the page, base.html, _meta.html)
        self.env.filters["isodate"] = html_datetime
        self.env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if isinstance(d, datetime) else ""
        self.env.filters["removal_rows"] = partial(removal_rows, leeway=self.env.policies["truncate.leeway"])
        self.env.filters["json_ld"] = json_ld
        self.env.filters["host"] = url_host
        self.env.filters["removed_share"] = removed_share
        self.site_root = site_root

    def static_files(self) -> dict[str, Path]:
        """Theme static files, overridden by the site's own static/ folder."""
        files = {}
        for base in (self.folder / "static", self.site_root / "static"):
            if base.is_dir():
                for p in sorted(base.rglob("*")):
                    if p.is_file() and not p.name.startswith("."):
                        files["static/" + p.relative_to(base).as_posix()] = p
        return files

    def render(self, template: str, **ctx) -> bytes:
        try:
            return self.env.get_template(template).render(**ctx).encode("utf-8")
        except Exception as e:
            problem = self.template_problem(e, template)
            if problem is None:
                raise  # not the template's doing: a bug in digest, with its traceback
            raise problem from None

    def template_problem(self, e: Exception, template: str) -> TemplateError | None:
        """The failure e of rendering template as a TemplateError naming the template file and
        line (a syntax error knows both; a render error's traceback holds the template's frame,
        which Jinja numbers by template line), or None when no template is at fault."""
        from jinja2 import TemplateNotFound, TemplateSyntaxError

        if isinstance(e, TemplateSyntaxError):
            where = (e.filename or e.name or template, e.lineno)
            message = e.message or str(e)
        else:
            where = None
            tb = e.__traceback__
            while tb is not None:  # the innermost frame in one of the template folders
                name = tb.tb_frame.f_code.co_filename
                if any(_inside(name, d) for d in self.template_dirs):
                    where = (name, tb.tb_lineno)
                tb = tb.tb_next
            if isinstance(e, TemplateNotFound):
                message = f"no template named {e.name!r}"
                where = where or (template, None)
            elif where is None:
                return None
            else:
                message = str(e) if type(e).__module__.startswith("jinja2") else f"{type(e).__name__}: {e}"
        name, line = where
        path = Path(name)
        shown, hint = name, ""
        for base in (self.site_root, self.folder.parent.parent):
            try:
                shown = path.resolve().relative_to(Path(base).resolve()).as_posix()
                break
            except (ValueError, OSError):
                continue
        if _inside(name, self.site_root):
            hint = "in the site's own template: fix it and build again"
        else:
            hint = f"in digest's theme {self.folder.name!r}: please report it"
        return TemplateError(shown, line, message.rstrip("."), hint)


