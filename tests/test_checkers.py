"""The built pages against the Nu Html Checker and axe-core (issue 18).

vnu-jar (the Nu Html Checker, run by Debian's Java) and axe-core are npm packages pinned in
tests/tools/package.json; `.ci/run` installs them (`npm ci`) with Java and Chromium. Without them
these tests skip saying what is missing; in CI (CI=true) they fail instead.

Two sites: the golden site (tests/golden/basic, as committed) and a generated one (bench/sitegen:
Chinese and English articles, pagination with gaps, search and the published cleaning report).
The Nu checker reads every HTML page of both and must report no error. axe-core runs in Chromium
on every page type of both, in light and in dark mode, and must report no violation.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, chromium_or_skip

TOOLS = ROOT / "tests" / "tools"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
GOLDEN = ROOT / "tests" / "golden" / "basic"


def _missing(what: str):
    msg = f"{what} — install with: apt-get install -y default-jre-headless && (cd tests/tools && npm ci)"
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated site's output folder: 160 articles (zh-Hans and en), 10 a page, search on,
    the cleaning report published, one article in Traditional Chinese and a hostile title."""
    sys.path.insert(0, str(ROOT / "bench"))
    from sitegen import generate

    from digest.config import load_settings
    from digest.pipeline import build_site

    site = generate(tmp_path_factory.mktemp("checked") / "site", 160)
    py = site / "pyproject.toml"
    py.write_text(py.read_text(encoding="utf-8").replace("per_page = 20", "per_page = 10")
                  .replace("search = false", "search = true\npublish_report = true"), encoding="utf-8")
    (site / "content" / "hant.md").write_text(
        "---\ntitle: 美擬擴大AI晶片管制 經濟部：強化出口查核\ndate: 2026-03-03T10:21:00.123456+08:00\nsource: 經濟日報\n"
        "author: 陳怡君\ntags: [晶片, 出口管制]\nsource_url: https://example.com/udn/1\n---\n"
        "外媒報導美國商務部正研擬擴大AI晶片出口管制，經濟部今日表示將配合強化高科技貨品出口查核。\n\n"
        "經濟部國際貿易署在聲明中指出，我國向來遵循國際出口管制規範。\n", encoding="utf-8")
    # issue 20: a Simplified copy of it, later: the Traditional page lists both sources (stories.py),
    # and the copy's URL is a redirect page
    (site / "content" / "hans-copy.md").write_text(
        "---\ntitle: 美拟扩大AI芯片管制\ndate: 2026-03-04T08:00:00+08:00\nsource: 新浪科技\n"
        "source_url: https://example.com/sina/1\n---\n"
        "外媒报导美国商务部正研拟扩大AI芯片出口管制，经济部今日表示将配合强化高科技货品出口查核。\n\n"
        "经济部国际贸易署在声明中指出，我国向来遵循国际出口管制规范。\n", encoding="utf-8")
    (site / "content" / "hostile.md").write_text(
        "---\ntitle: \"</script><script>alert(1)</script> <!-- & \u2028 title\"\ndate: 2026-03-04\n"
        "source: \"</script>\"\nauthor: \"<b>x</b>\"\ntags: [\"</script>\"]\nsource_url: https://example.com/a?b=1&c=2\n---\n"
        "A body that is fine, and long enough to be a paragraph of an article.\n", encoding="utf-8")
    result = build_site(load_settings(site))
    assert result.ok, [str(e) for e in result.report.errors]
    assert 'class="copies"' in (site / "output/posts/hant/index.html").read_text(encoding="utf-8")
    return site / "output"


# --- the Nu Html Checker --------------------------------------------------------------------------

def _vnu(*folders: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        _missing("JAVA IS MISSING: the Nu Html Checker needs it")
    if not VNU.is_file():
        _missing("VNU-JAR IS MISSING (tests/tools/node_modules)")
    files = sorted(str(p) for f in folders for p in f.rglob("*.html"))
    r = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                       capture_output=True, text=True, timeout=600)
    messages = json.loads(r.stderr or r.stdout or '{"messages": []}')["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def _show(errors: list[dict]) -> str:
    return "\n".join(f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m.get('message')}"
                     for m in errors[:30])


def test_the_nu_checker_sees_errors(tmp_path):
    """The check below means something: the two errors the issue found are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><form action="">'
                   '</form><time datetime="2026-03-05T09:12:00.123456+08:00">x</time></body></html>')
    assert len(_vnu(tmp_path)) == 2


def test_the_nu_checker_finds_no_error(generated):
    errors = _vnu(GOLDEN, generated)
    assert errors == [], _show(errors)


def test_json_ld_cannot_break_out_of_its_script(generated):
    page = (generated / "posts" / "hostile" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>")[0]
    script = head.split('<script type="application/ld+json">')[1].split("</script>")[0]
    ld = json.loads(script)  # the whole element's text is one JSON document: nothing closed it early
    assert ld["headline"].startswith("</script><script>alert(1)</script> <!-- &") and "\u2028" in ld["headline"]
    assert ld["isBasedOn"] == "https://example.com/a?b=1&c=2"
    assert "<" not in script and "&" not in script and "\u2028" not in script
    assert head.count("<script") == 1  # no script element but the JSON-LD one in the head


# --- axe-core in Chromium -------------------------------------------------------------------------

PAGES = {  # page type -> path in the site
    "home": "", "home page 2": "page/2/", "home last page": None, "article zh-Hans": None, "article en": None,
    "article zh-Hant": "posts/hant/", "tags": "tags/", "tag": None, "sources": "sources/", "source": None,
    "archive": "archive/", "search": "search/?q=芯片", "404": "404.html", "report": "report/",
}


def _pages(out: Path) -> dict[str, str]:
    pages = dict(PAGES)
    count = len(list((out / "page").iterdir())) + 1
    pages["home last page"] = f"page/{count}/"
    for p in sorted((out / "posts").iterdir()):
        html = (p / "index.html").read_text(encoding="utf-8")
        for lang in ("zh-Hans", "en"):
            if pages[f"article {lang}"] is None and f'<html lang="{lang}">' in html and "og:type" in html:
                pages[f"article {lang}"] = f"posts/{p.name}/"
    tags = sorted(d for d in (out / "tags").iterdir() if d.is_dir())
    pages["tag"] = "tags/" + max(tags, key=lambda d: (d / "page").is_dir()).name + "/page/2/"  # a tag's 2nd page
    pages["source"] = "sources/" + sorted(d.name for d in (out / "sources").iterdir() if d.is_dir())[0] + "/"
    return pages


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(generated, tmp_path_factory):
    """Both sites over HTTP, as a static host serves them: the generated one at /digest/ (its
    base_url's path), the golden one at /golden/."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(generated, root / "digest")
    shutil.copytree(GOLDEN, root / "golden")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _axe(base: str, site: Path, prefix: str) -> list[str]:
    exe = chromium_or_skip()
    if not AXE.is_file():
        _missing("AXE-CORE IS MISSING (tests/tools/node_modules)")
    from playwright.sync_api import sync_playwright

    pages = _pages(site) if prefix == "digest" else {
        "home": "", "home page 2": "page/2/", "article zh-Hans": "posts/sina-chip-export-window/",
        "article zh-Hant": "posts/udn-ai-chip-controls/", "article en": "posts/open-weights/", "tags": "tags/",
        "tag": "tags/zhong-mei-guan-xi/", "sources": "sources/", "source": "sources/reuters/", "archive": "archive/"}
    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe)
        try:
            for scheme in ("light", "dark"):
                page = browser.new_page(color_scheme=scheme)
                for kind, path in pages.items():
                    page.goto(f"{base}/{prefix}/{path}")
                    if kind == "search":
                        page.wait_for_selector("#search-results li", timeout=15000)
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    for v in result["violations"]:
                        where = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                          for n in v["nodes"][:3])
                        found.append(f"{prefix}/{path} ({kind}, {scheme}): {v['id']}: {v['help']} — {where}")
                page.close()
        finally:
            browser.close()
    return found


def test_axe_sees_violations(served, tmp_path):
    """The check below means something: axe reports a page with known faults."""
    from playwright.sync_api import sync_playwright

    exe = chromium_or_skip()
    if not AXE.is_file():
        _missing("AXE-CORE IS MISSING (tests/tools/node_modules)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe)
        page = browser.new_page(color_scheme="dark")
        page.set_content('<html><body><p style="color:#777;background:#888">low contrast</p><img src="x.png"></body></html>')
        page.add_script_tag(path=str(AXE))
        ids = page.evaluate("axe.run(document).then(r => r.violations.map(v => v.id))")
        browser.close()
    assert {"color-contrast", "image-alt", "html-has-lang"} <= set(ids)


def test_axe_finds_no_violation_on_any_page_type_light_or_dark(served, generated):
    violations = _axe(served, generated, "digest") + _axe(served, GOLDEN, "golden")
    assert violations == [], "\n".join(violations)
