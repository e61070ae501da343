"""`digest report [--out DIR]`: the cleaning report, for the curator, outside output/.

The report lists every line the cleaner removed from every article (commenters' names, a pasted
newsletter's addresses…), so it is not part of the deployable site unless the settings publish
it. This writes the same pages as the preview's report/ into DIR (default REPORT_DIR) as a
folder of its own: DIR/index.html, DIR/page/N/, DIR/static/. Links between report pages and to
the stylesheet are relative; links to articles and the site's menus point at base_url.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .config import Settings
from .render import url_from
from .site import SiteRenderer, out_path

REPORT_DIR = ".digest-cache/report"  # relative to the site root: beside the cache, never in output/


def _local(target: str) -> str:
    """A site path as it lies in the report's own folder ("report/page/2/" -> "page/2/")."""
    return target[len("report/"):] if target.startswith("report/") else target


class _Standalone(SiteRenderer):
    def url_for(self, page: str):
        rel = url_from(_local(page))

        def url(target: str) -> str:
            if target.startswith(("report/", "static/")):
                return rel(_local(target))
            return self.s.abs_url(target)

        return url


class ReportPlaceError(ValueError):
    """--out names a folder the report must not go into."""


def check_place(settings: Settings, out: Path) -> None:
    """The report never goes into the deployable folder, nor replaces a folder digest did not write."""
    from .write import MANIFEST

    out, site = Path(out).resolve(), settings.output_path.resolve()
    if out == site or site in out.parents:
        raise ReportPlaceError(f"{out} is inside {settings.output_dir}/, the folder you deploy; the report is "
                               f"private — write it elsewhere, or set publish_report = true to publish it")
    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file()):
        raise ReportPlaceError(f"{out} already exists and is not a report digest wrote; it would be replaced — "
                               f"choose a new or empty folder")


def write_report(settings: Settings, out: Path, articles: list) -> list[str]:
    """Render the report of these articles into out; the files written (relative to out)."""
    from .render import Theme
    from .write import Output

    check_place(settings, out)
    settings = replace(settings, publish_report=True)
    theme = Theme(settings.root, settings.theme)
    r = _Standalone(settings, theme, articles)
    output = Output(Path(out))
    try:
        for page, extra in r.report_pages():
            output.write(_local(out_path(page)), theme.render("report.html", **r.ctx(page, **extra)))
        for rel, path in theme.static_files().items():
            if not rel.startswith("static/search."):
                output.write(rel, path.read_bytes())
    except BaseException:
        output.abort()
        raise
    output.commit()
    return sorted(output.manifest)
