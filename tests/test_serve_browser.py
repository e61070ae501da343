"""`python build.py serve` in a real browser: live reload, live CSS, errors, recovery.

Each test runs the server in a subprocess on a free port against a small site written into
tmp_path, and drives headless Chromium (Debian's /usr/bin/chromium) with Playwright. Nothing is
reloaded by hand: every change must reach the open page by itself.

Save-to-browser times are printed (pytest shows them without -s).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = REPO / "build.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000
BANNER = "#digest-serve-errors"
CONNECTED = "() => !!(window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol)"


def _need_browser():
    reason = None
    if not Path(CHROMIUM).is_file():
        reason = f"{CHROMIUM} is missing: the live-reload browser tests did NOT run (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright for Python is missing: the live-reload browser tests did NOT run (pip install playwright)"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " — and CI=true, so this is a failure")
        pytest.skip("!!! " + reason)


# -- a small site ------------------------------------------------------------------------------

PYPROJECT = """[tool.digest]
title = "Serve Test"
description = "A tiny site for the live-reload tests."
base_url = "https://example.org/digest/"
timezone = "UTC"
search = false
"""


def article(title: str, body: str, date: str = "2025-03-01", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ntags: [testing]\nsource: Test Wire\n{extra}---\n\n{body}\n"


def write(path: Path, text: str) -> float:
    """Write like an editor (whole file replaced at once); returns the time of the save."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return time.perf_counter()


def make_site(root: Path, extra_articles: int = 0) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")  # edits stay in tmp
    content = root / "content"
    content.mkdir()
    (content / "first.md").write_text(article("First article", "The original first paragraph."), encoding="utf-8")
    (content / "draft.md").write_text(article("A draft in progress", "Not for readers yet.", "2025-03-02",
                                              "draft: true\n"), encoding="utf-8")
    for i in range(extra_articles):
        day = f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        (content / f"gen-{i:04d}.md").write_text(
            article(f"Generated article {i}", f"Paragraph {i}: " + "words about chips and models. " * 40, day),
            encoding="utf-8")
    return root


# -- the server ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, *args: str, startup: float = 60):
        self.root, self.port = root, free_port()
        self.base = f"http://127.0.0.1:{self.port}/digest/"
        self.log_path = root.parent / f"serve-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, str(BUILD_PY), "--root", str(root), "serve", "--port",
                                      str(self.port), *args], cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_up(startup)
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self, startup: float) -> None:
        deadline = time.monotonic() + startup
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base, timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers: a failed first build is served as an error page
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"serve did not answer within {startup} s:\n{self.output()}")
            time.sleep(0.1)

    def get(self, rel: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + rel, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.log.closed:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def report(capsys):
    """Print a line in pytest's output even without -s."""
    def say(line: str) -> None:
        with capsys.disabled():
            print(f"\n[serve timing] {line}", flush=True)
    return say


def open_live(browser, url: str):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    wait_connected(page)
    return page


def wait_connected(page) -> None:
    """livereload.js has finished its handshake, so the server will tell this page about changes."""
    page.wait_for_function(CONNECTED, timeout=TIMEOUT_MS)
    time.sleep(0.15)  # the server registers the tab when it receives the 'info' message after the handshake


def wait_text(page, text: str) -> None:
    page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text,
                           timeout=TIMEOUT_MS, polling=25)


def save_and_wait(page, path: Path, content: str, expect: str) -> float:
    """Save a file, wait until the open page shows `expect`; returns seconds from save to shown."""
    saved = write(path, content)
    wait_text(page, expect)
    shown = time.perf_counter()
    wait_connected(page)  # the reloaded page reconnects before the next change
    return shown - saved


# -- tests ----------------------------------------------------------------------------------------

def test_live_reload_in_browser(browser, tmp_path, report):
    root = make_site(tmp_path / "site")
    server = Server(root)
    try:
        # / redirects to the site's sub-path; the reload script is only in served pages
        page = open_live(browser, f"http://127.0.0.1:{server.port}/")
        assert page.url == server.base
        page.goto(server.base + "posts/first/")
        wait_connected(page)
        assert "The original first paragraph." in page.inner_text("body")
        first = root / "content" / "first.md"

        # 1. an edited article appears in the open page; consecutive quick saves each reload
        times = [save_and_wait(page, first, article("First article", f"Edited paragraph number {i}."),
                               f"Edited paragraph number {i}.") for i in range(4)]
        assert page.locator(BANNER).count() == 0

        # 2. a new article appears on the open index
        page.goto(server.base)
        wait_connected(page)
        assert "A draft in progress" not in page.inner_text("body")  # drafts only with --drafts
        new = save_and_wait(page, root / "content" / "brand-new.md",
                            article("Brand new article", "Fresh text.", "2025-04-01"), "Brand new article")

        # 3. a CSS change is applied without reloading the page
        page.evaluate("window.__serveMarker = 'still here'")
        css = root / "themes" / "default" / "static" / "style.css"
        before = page.evaluate("getComputedStyle(document.body).letterSpacing")
        assert before != "3px"
        saved = write(css, css.read_text(encoding="utf-8") + "\nhtml body { letter-spacing: 3px; }\n")
        page.wait_for_function("getComputedStyle(document.body).letterSpacing === '3px'", timeout=TIMEOUT_MS,
                               polling=25)
        css_time = time.perf_counter() - saved
        assert page.evaluate("window.__serveMarker") == "still here", "the CSS change reloaded the whole page"

        # 4. a broken file: the error is shown, the last good site stays; fixing it recovers
        page.goto(server.base + "posts/first/")
        wait_connected(page)
        broken = root / "content" / "broken.md"
        write(broken, "---\ntitle: Broken\n\nThe front matter is never closed.\n")
        page.wait_for_selector(BANNER, timeout=TIMEOUT_MS)
        banner = page.inner_text(BANNER)
        assert "broken.md:1" in banner and "never closed" in banner
        assert "Edited paragraph number 3." in page.inner_text("body")  # the last good page
        wait_connected(page)
        assert re.search(r"error: broken\.md:1: front matter", server.output())
        write(broken, article("Broken no more", "Fixed now."))
        page.wait_for_selector(BANNER, state="detached", timeout=TIMEOUT_MS)
        wait_connected(page)
        page.goto(server.base)
        wait_text(page, "Broken no more")
        wait_connected(page)

        # 5. bad settings: shown, last good site stays; fixed settings apply
        py = root / "pyproject.toml"
        write(py, PYPROJECT.replace("title =", "titel ="))
        page.wait_for_selector(BANNER, timeout=TIMEOUT_MS)
        assert "titel" in page.inner_text(BANNER) and "did you mean 'title'" in page.inner_text(BANNER)
        assert "Serve Test" in page.title()
        wait_connected(page)
        write(py, PYPROJECT.replace("Serve Test", "Renamed Site"))
        page.wait_for_selector(BANNER, state="detached", timeout=TIMEOUT_MS)
        wait_text(page, "Renamed Site")

        # output/ is never written by serve, and the preview folder has no reload script
        assert not (root / "output").exists()
        preview = root / ".digest-cache" / "preview"
        assert (preview / "index.html").is_file()
        assert not any(b"livereload" in p.read_bytes() for p in preview.rglob("*.html"))
        status, body = server.get("posts/first/")
        assert status == 200 and "livereload.js" in body
        assert server.get("no/such/page/")[0] == 404
        page.close()
    finally:
        server.stop()
    ms = ", ".join(f"{t * 1000:.0f}" for t in times)
    report(f"small site (3 articles): edit → page shows it: {ms} ms; new article → index: {new * 1000:.0f} ms; "
           f"CSS → restyled in place: {css_time * 1000:.0f} ms")


def test_first_build_broken_then_fixed(browser, tmp_path):
    """Even if the very first build fails, the server runs, shows why, and recovers."""
    root = make_site(tmp_path / "site")
    bad = root / "content" / "bad.md"
    bad.write_text("---\ntags: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    server = Server(root, "--drafts")
    try:
        status, body = server.get("")
        assert status == 500 and "bad.md" in body
        page = open_live(browser, server.base)
        assert "bad.md" in page.inner_text(BANNER)
        write(bad, article("Bad no more", "All good."))
        page.wait_for_selector(BANNER, state="detached", timeout=TIMEOUT_MS)
        wait_text(page, "Bad no more")
        assert "A draft in progress" in page.inner_text("body")  # --drafts
        page.close()
    finally:
        server.stop()


def test_reload_time_1000_articles(browser, tmp_path, report):
    root = make_site(tmp_path / "big", extra_articles=1000)
    started = time.perf_counter()
    server = Server(root, startup=120)
    startup = time.perf_counter() - started
    try:
        page = open_live(browser, server.base + "posts/gen-0500/")
        target = root / "content" / "gen-0500.md"
        times = [save_and_wait(page, target, article("Generated article 500", f"Changed body, take {i}.",
                                                     "2024-09-15"), f"Changed body, take {i}.")
                 for i in range(3)]
        page.goto(server.base)
        wait_connected(page)
        new = save_and_wait(page, root / "content" / "zzz-new.md",
                            article("Newest of a thousand", "Hello.", "2026-01-01"), "Newest of a thousand")
        page.close()
    finally:
        server.stop()
    ms = ", ".join(f"{t * 1000:.0f}" for t in times)
    report(f"1,000 articles: first preview build + start {startup:.1f} s; edit → page shows it: {ms} ms "
           f"(median {statistics.median(times) * 1000:.0f} ms); new article → index: {new * 1000:.0f} ms")


# -- without a browser ------------------------------------------------------------------------------

def test_preview_settings_and_banner(tmp_path):
    from digest.config import load_settings
    from digest.preview_http import inject_banner
    from digest.serve import PREVIEW_DIR, Preview, preview_settings

    root = make_site(tmp_path / "site")
    s = load_settings(root)
    p = preview_settings(s, "127.0.0.1", 8123)
    assert p.base_url == "http://127.0.0.1:8123/digest/" and p.base_path == s.base_path == "/digest/"
    assert p.output_path == root / PREVIEW_DIR and s.output_path == root / "output"
    assert preview_settings(s, "::1", 80).base_url == "http://[::1]:80/digest/"

    page = b'<html><head><title>x</title></head>\n<body class="a">\n<p>hi</p></body></html>'
    assert inject_banner(page, []) == page
    shown = inject_banner(page, ["a.md:3: front matter: <bad> & worse"])
    assert shown.startswith(b'<html><head><title>x</title></head>\n<body class="a"><div id="digest-serve-errors"')
    assert b"a.md:3: front matter: &lt;bad&gt; &amp; worse" in shown
    many = inject_banner(page, [f"f{i}.md: bad" for i in range(50)])
    assert b"f19.md" in many and b"f20.md" not in many and b"30 more" in many

    state = Preview(s, "127.0.0.1", 8123, drafts=False)
    css = root / "themes" / "default" / "static" / "style.css"
    assert state._css_urls([str(css)]) == ["/digest/static/style.css"]
    assert state._css_urls([str(css), str(root / "content" / "first.md")]) is None
    watched = {p.relative_to(root).as_posix() for p in state.watched()}
    assert watched == {"pyproject.toml", "content", "themes", "templates", "static", "rules"}


def test_a_save_is_settled_once_its_files_are_old_enough():
    """The preview builds at once when every changed file was written SETTLE_SECONDS ago or
    more, and otherwise waits and looks again (a save in progress is not built half-written)."""
    from digest.watch import SETTLE_SECONDS, _settled

    now = time.time_ns()
    old_enough, fresh = now - int(3 * SETTLE_SECONDS * 1e9), now
    before = {"a.md": (old_enough - 10, 5), "b.md": (old_enough, 7)}
    assert _settled(before, {**before, "a.md": (old_enough, 6)})  # an edit written a while ago
    assert not _settled(before, {**before, "a.md": (fresh, 6)})  # being written now
    assert _settled(before, {"b.md": before["b.md"]})  # a deletion
    assert not _settled(before, {**before, "c.md": (fresh, 1)})  # a new file being written
    assert _settled(before, dict(before))  # nothing changed


def test_scan_can_take_content_from_the_last_snapshot(tmp_path):
    """With the notifier watching content/, a poll rescans only the small folders: content/
    entries come from the last snapshot until a change there is reported."""
    from digest.config import load_settings
    from digest.serve import Preview
    from digest.watch import _only_under

    root = make_site(tmp_path / "site")
    (root / "static").mkdir()
    (root / "static" / "extra.css").write_text("body {}\n", encoding="utf-8")
    p = Preview(load_settings(root), "127.0.0.1", 8000, False)
    w = p.watcher
    w.snapshot = w.scan()
    content = root / "content"
    write(content / "first.md", article("First article", "A different body, longer than before."))
    write(root / "static" / "extra.css", "body { color: red }\n")
    partial, full = w.scan(skip=content), w.scan()
    first, css = str(content / "first.md"), str(root / "static" / "extra.css")
    assert partial[first] == w.snapshot[first] != full[first]  # content/ as last seen
    assert partial[css] == full[css] != w.snapshot[css]  # the rest rescanned
    assert _only_under(w.snapshot, {**w.snapshot, first: full[first]}, content)
    assert not _only_under(w.snapshot, full, content)  # the stylesheet changed too
    assert not _only_under(w.snapshot, full, None)  # no notifier: never


def test_preview_polls_content_when_watchfiles_is_missing(tmp_path, monkeypatch):
    """watchfiles is optional at run time: without it the notifier returns and every poll
    scans content/ (the Watcher's `notified` stays None)."""
    import asyncio
    import builtins

    from digest.config import load_settings
    from digest.serve import Preview

    real_import = builtins.__import__

    def no_watchfiles(name, *args, **kwargs):
        if name == "watchfiles":
            raise ImportError("no watchfiles here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_watchfiles)
    p = Preview(load_settings(make_site(tmp_path / "site")), "127.0.0.1", 8000, False)
    import threading

    done = []  # asyncio.run in a thread of its own: Playwright may hold this thread's loop
    t = threading.Thread(target=lambda: done.append(asyncio.run(asyncio.wait_for(p.watcher._notify(asyncio.Event()), 5))))
    t.start()
    t.join(10)
    assert done == [None]  # returned at once, without watching
    assert p.watcher.notified is None


def test_a_changed_article_is_shown_before_the_rest_of_its_build(tmp_path, monkeypatch):
    """A save shows its article page as soon as it is made: the tabs reload while the list pages,
    feeds and sitemap are still being made (the index still old at that moment); they reload
    again only if the rest changed a page; a build that fails after its early look puts the
    shown page back (the last good site stays on screen)."""
    import asyncio
    import threading

    from digest.config import load_settings
    from digest.serve import Preview

    root = make_site(tmp_path / "site", extra_articles=3)
    state = Preview(load_settings(root), "127.0.0.1", 8124, drafts=False)
    state.initial_build()
    out, first = state.out, root / "content" / "first.md"
    page, index = out / "posts" / "first" / "index.html", out / "index.html"
    reloads, seen = [], []
    state.reload = lambda path, pages=None, skip=frozenset(): reloads.append((pages, skip))
    plain_show = Preview._show

    def show(self, output):  # what the reader can see at the early look (in the build's thread)
        plain_show(self, output)
        seen.append((page.read_text(encoding="utf-8"), index.read_text(encoding="utf-8")))

    monkeypatch.setattr(Preview, "_show", show)

    def save(text: str, *extra) -> None:
        write(first, text)
        reloads.clear(), seen.clear()
        # (in a thread of its own: the browser tests' Playwright keeps an event loop in this one)
        worker = threading.Thread(target=asyncio.run, args=(state.rebuild([str(first), *map(str, extra)]),))
        worker.start()
        worker.join()

    long = "The original first paragraph, long enough to give the summary. " * 8
    save(article("First article", long))
    save(article("First article", long + "\n\nA body edit."))
    assert "A body edit." in seen[0][0]
    # the tabs showing the article reload at the early look, the others once the build is done
    shown = frozenset({"posts/first/index.html"})
    assert reloads == [(shown, frozenset()), (None, shown)]
    save(article("Retitled article", long + "\n\nA body edit."))  # the index shows the title: it follows
    assert "Retitled article" in seen[0][0] and "Retitled article" not in seen[0][1]
    assert "Retitled article" in index.read_text(encoding="utf-8")
    early = reloads[0][0]  # (its neighbours' pages and the report show its title too)
    assert shown < early and all(p.startswith(("posts/", "report/")) for p in early)
    assert reloads == [(early, frozenset()), (None, early)]
    assert state.errors == []
    assert state.tab_page("http://127.0.0.1:8124/digest/posts/first/#top") == "posts/first/index.html"
    assert state.tab_page("http://127.0.0.1:8124/digest/") == "index.html"
    assert state.tab_page("http://127.0.0.1:8124/digest/posts/%E8%8A%AF%E7%89%87/") == "posts/芯片/index.html"
    assert state.tab_page("http://127.0.0.1:8124/other/") is None and state.tab_page(None) is None

    good = page.read_bytes()
    broken = root / "themes" / "default" / "templates" / "list.html"
    broken.write_text(broken.read_text(encoding="utf-8") + "{% if %}", encoding="utf-8")
    save(article("Retitled article", "An edit the broken list page stops."), broken)
    assert "An edit the broken list page stops." in seen[0][0]  # shown early, then put back
    assert state.errors and "list.html" in state.errors[0]
    assert page.read_bytes() == good and reloads == [(shown, frozenset()), (None, frozenset())]  # the banner: every tab


def test_a_rebuild_leaves_the_garbage_collection_for_an_idle_moment(tmp_path, monkeypatch):
    """After a rebuild the preview freezes its heap and collects the garbage only once no save
    came for IDLE_COLLECT seconds (a quick next save never waits for a full collection), or
    after COLLECT_EVERY rebuilds in a row; the last save's search index is paused during each
    rebuild and resumed after; the build state is saved only at the idle moment (warm.py), never
    on a save's path."""
    import asyncio
    import threading

    import digest.serve as serve
    from digest.config import load_settings
    from digest.search import background

    collected, events = [], []
    monkeypatch.setattr(serve, "collect_and_freeze", lambda: collected.append(time.monotonic()))
    monkeypatch.setattr(serve, "IDLE_COLLECT", 0.4)
    monkeypatch.setattr(serve, "COLLECT_EVERY", 3)
    monkeypatch.setattr(background, "pause", lambda: events.append("pause"))
    monkeypatch.setattr(background, "resume", lambda: events.append("resume"))
    root = make_site(tmp_path / "site", extra_articles=2)
    state = serve.Preview(load_settings(root), "127.0.0.1", 8125, drafts=False)
    state.initial_build()
    assert len(collected) == 1  # nothing waits for the first build: collected at once
    plain_save = serve.Preview.save_state
    monkeypatch.setattr(serve.Preview, "save_state", lambda self: (
        events.append("save") if self.warm.pending else None, plain_save(self))[1])
    first = root / "content" / "first.md"

    async def saves():
        for i in range(2):  # quick saves: no collection between them
            write(first, article("First article", f"Quick save {i}."))
            await state.rebuild([str(first)])
            assert len(collected) == 1
        await asyncio.sleep(0.8)  # idle: collected once
        assert len(collected) == 2
        for i in range(3):  # three in a row: the third collects without waiting
            write(first, article("First article", f"Burst {i}."))
            await state.rebuild([str(first)])
        assert len(collected) == 3

    worker = threading.Thread(target=asyncio.run, args=(saves(),))  # (Playwright may hold this thread's loop)
    worker.start()
    worker.join(60)
    assert len(collected) == 3
    assert events == ["pause", "resume"] * 2 + ["save"] + ["pause", "resume"] * 3
    assert state.warm.pending is not None  # the burst's state: saved once idle
    assert "Burst 2." in (state.out / "posts" / "first" / "index.html").read_text(encoding="utf-8")
