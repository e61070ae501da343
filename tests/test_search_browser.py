"""Static search (issues 7 and 17): the index, the search page, and real queries in Chromium.

The site is served from a sub-path (/sub/) by Python's http.server, as a static host would.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import chromium_or_skip, write_site

from digest.config import load_settings  # noqa: E402
from digest.pipeline import build_site  # noqa: E402

PYPROJECT = """[tool.digest]
title = "Search Digest"
base_url = "https://example.org/sub/"
timezone = "Asia/Shanghai"
"""

SITE = """\
-- content/chips.md --
---
title: 美国扩大芯片出口管制
date: 2026-03-05T09:12:00+08:00
source: 新浪科技
tags: [芯片, 出口管制]
---
美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。

分析人士认为，这一措施将影响全球半导体供应链。
-- content/deepseek-zh.md --
---
title: 深度求索发布新一代模型
date: 2026-03-02
source: 看看新闻
tags: [模型]
---
DeepSeek 周一发布新一代大模型，公司表示训练所用的芯片数量明显少于同行。

业内人士认为，这显示算法效率正在成为竞争焦点。
-- content/deepseek-en.md --
---
title: DeepSeek's new model narrows the gap
date: 2026-03-04
tags: [models, 芯片]
source: Reuters
---
DeepSeek released a new model on Tuesday, and analysts said it narrowed the gap with US labs.

The company did not disclose how many chips it used to train it.
-- content/taiwan.txt --
台積電赴美設廠進度

2026年3月3日 10:00

台積電周一表示，亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片。

分析師認為，這將有助於緩解美國對晶片供應的擔憂，但成本仍然是主要挑戰。
-- content/draft.md --
---
title: Not ready
date: 2026-03-06
draft: true
---
This draft mentions DeepSeek and must not be published or indexed.
"""

ARTICLES = {"posts/chips/", "posts/deepseek-zh/", "posts/deepseek-en/", "posts/taiwan/"}


def _build(root: Path):
    result = build_site(load_settings(root))
    assert result.ok, [str(e) for e in result.report.errors]
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("search") / "site", SITE, PYPROJECT)
    _build(root)
    return root


def _load(p: Path):
    return json.loads(gzip.decompress(p.read_bytes()))


def _docs(out: Path) -> list[list]:
    """Every indexed article: [url, title, date, source, tags, lang, text length], over the shards."""
    entry = json.loads((out / "search" / "data" / "entry.json").read_bytes())
    return [d for shard in _load(out / "search" / "data" / entry["docs"]) for d in shard]


def _texts(out: Path) -> list[str]:
    return [t for p in sorted((out / "search" / "data").glob("*/t*.dat")) for t in _load(p)]


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- without a browser ---------------------------------------------------------------------------

def test_index_holds_only_article_pages(site):
    out = site / "output"
    docs = _docs(out)
    assert {d[0] for d in docs} == ARTICLES  # not the report, list, tag, archive, search or 404 pages; no draft
    texts = _texts(out)
    assert len(texts) == len(docs)
    for t in texts:
        # titles and bodies only: no byline, footer, menu or hidden filter text
        assert "min read" not in t and "Search Digest" not in t and "新浪科技" not in t
    chips = next(d for d in docs if d[0] == "posts/chips/")
    assert chips[1:6] == ["美国扩大芯片出口管制", "2026-03-05", "新浪科技", ["芯片", "出口管制"], "zh-Hans"]
    assert next(d for d in docs if d[0] == "posts/taiwan/")[5] == "zh-Hant"
    chips_text = next(t for t in texts if t.startswith("美国扩大芯片出口管制"))
    assert "美国商务部周二宣布扩大对华芯片出口管制" in chips_text and chips[6] == len(chips_text)
    assert not any("report" in p.name for p in (out / "search").rglob("*"))


def test_search_page_and_nav(site):
    out = site / "output"
    page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="data/"' in page  # relative: works from any sub-path
    assert '<script type="module" src="../static/search.js">' in page
    assert '<noscript><p>' in page and 'href="../archive/"' in page.split("<noscript>")[1]
    assert 'noindex' not in page
    assert '<option lang="zh-Hans">芯片</option>' in page and '<option>Reuters</option>' in page  # names marked with their language
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="search/">Search</a>' in home
    article = (out / "posts" / "chips" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../search/">Search</a>' in article
    assert "https://example.org/sub/search/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_search_off_builds_no_index(tmp_path):
    root = write_site(tmp_path / "off", SITE, PYPROJECT + "search = false\n")
    _build(root)
    out = root / "output"
    assert not (out / "search").exists()
    assert "search/" not in (out / "index.html").read_text(encoding="utf-8")


def test_index_is_deterministic_and_not_rewritten(tmp_path, site):
    # A fresh build elsewhere (no cache, no previous output) gives byte-identical index files.
    other = write_site(tmp_path / "again", SITE, PYPROJECT)
    _build(other)
    assert _tree(other / "output" / "search") == _tree(site / "output" / "search")
    # The same without the cache: the index is built again and still gives the same bytes.
    shutil.rmtree(other / ".digest-cache")
    result = _build(other)
    assert result.written["written"] == 0
    assert _tree(other / "output" / "search") == _tree(site / "output" / "search")
    # An edited article changes the index, and only then.
    chips = other / "content" / "chips.md"
    chips.write_text(chips.read_text(encoding="utf-8").replace("半导体", "半导体与光刻机"), encoding="utf-8")
    result = _build(other)
    assert any(f.startswith("search/data/") for f in result.files)
    assert _tree(other / "output" / "search") != _tree(site / "output" / "search")
    assert any("光刻机" in t for t in _texts(other / "output"))


# --- in Chromium -----------------------------------------------------------------------------------

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """The output folder served at http://127.0.0.1:PORT/sub/ (a sub-path, like the base_url)."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(site / "output", www / "sub")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sub/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    exe = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(served + "search/")
    pg.wait_for_selector("#search:not([hidden])")
    yield pg
    context.close()
    assert not errors, errors


def _search(pg, query: str) -> list[dict]:
    pg.fill("#search-q", query)
    pg.press("#search-q", "Enter")
    pg.wait_for_function("() => /\\d|No results/.test(document.getElementById('search-status').textContent)",
                         timeout=15000)
    return pg.eval_on_selector_all("#search-results li", """els => els.map(li => ({
        title: li.querySelector('h2 a').textContent,
        href: li.querySelector('h2 a').getAttribute('href'),
        meta: (li.querySelector('.meta') || {}).textContent || '',
        marks: [...li.querySelectorAll('.summary mark')].map(m => m.textContent)}))""")


def _titles(results):
    return [r["title"] for r in results]


def test_chinese_query(page):
    results = _search(page, "出口管制")
    assert "美国扩大芯片出口管制" in _titles(results)
    first = results[0]
    assert first["title"] == "美国扩大芯片出口管制"
    assert "2026-03-05" in first["meta"] and "新浪科技" in first["meta"]  # date and source
    assert first["marks"] and all(m in "出口管制" for m in first["marks"])  # the match, highlighted
    assert first["href"] == "/sub/posts/chips/"  # under the sub-path
    results = _search(page, "芯片")
    assert {"美国扩大芯片出口管制", "深度求索发布新一代模型"} <= set(_titles(results))


def test_traditional_chinese_query(page):
    assert "台積電赴美設廠進度" in _titles(_search(page, "晶片"))


def test_english_and_mixed_queries(page):
    titles = _titles(_search(page, "DeepSeek"))
    assert "DeepSeek's new model narrows the gap" in titles  # the English index
    assert "深度求索发布新一代模型" in titles  # the same word in a Chinese article
    assert "Not ready" not in titles  # drafts are not published, so not indexed
    assert _titles(_search(page, "DeepSeek 芯片"))[0] == "深度求索发布新一代模型"  # both words: ranked first
    assert "DeepSeek's new model narrows the gap" in _titles(_search(page, "chip"))  # English stemming
    assert _search(page, "zzzzqqq") == []
    assert page.text_content("#search-status") == "No results"
    assert _search(page, "，。!") == []  # no word in it: nothing, not everything


def test_filters_by_tag_and_source(page):
    page.select_option("#search-tag", "芯片")
    titles = _titles(_search(page, "DeepSeek"))
    assert titles == ["DeepSeek's new model narrows the gap"]  # 深度求索… is tagged 模型 only
    page.select_option("#search-tag", "")
    page.select_option("#search-source", "看看新闻")
    assert _titles(_search(page, "DeepSeek")) == ["深度求索发布新一代模型"]
    assert "source=" in page.url  # the query and filters are kept in the address


def test_keyboard_and_result_link(page, served):
    page.keyboard.press("Tab")  # skip link
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "search-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("出口管制")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li a")
    page.keyboard.press("Tab")  # the submit button
    for _ in range(6):
        if page.evaluate("document.activeElement.closest('#search-results') !== null"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "美国扩大芯片出口管制"
    page.keyboard.press("Enter")
    page.wait_for_url(served + "posts/chips/")
    assert page.text_content("h1") == "美国扩大芯片出口管制"


def test_query_in_address_runs_on_load(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(served + "search/?q=DeepSeek")
    pg.wait_for_selector("#search-results li")
    assert pg.input_value("#search-q") == "DeepSeek"
    context.close()
