"""Saved web pages (.html, .htm, .mhtml) as articles, web-clipper Markdown, and `digest add URL`
against a local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = ROOT / "tests" / "fixtures" / "cleaning-html" / "raw"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


def inspect(root: Path, rel: str) -> dict:
    r = run(root, "inspect", str(root / "content" / rel), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def site(make_site):
    return make_site("")


def test_a_saved_portal_page_builds_into_a_clean_article(site):
    shutil.copy(PAGES / "portal-zh-hans.html", site / "content" / "chips.html")
    r = run(site)
    assert r.returncode == 0, r.stderr
    assert "not read" not in r.stderr
    page = (site / "output/posts/chips/index.html").read_text(encoding="utf-8")
    o = inspect(site, "chips.html")
    assert o["title"] == "美国扩大芯片出口管制，英伟达H20在华销售再受限"  # no "_科技频道_东方门户网"
    assert o["date"] == "2026-03-05T10:12:00+08:00"  # date and zone
    assert o["author"] == "李明远" and o["source"] == "东方科技"
    assert 'href="https://tech.dongfang.example.cn/2026-03-05/doc-ichip0305.shtml"' in page  # the original
    body = page.split('class="body', 1)[1].split("</article>", 1)[0]
    for kept in ("英伟达专为中国市场设计的H20芯片首当其冲", "<h2>企业反应：备货与转向并行</h2>", "<table>", "<blockquote>",
                 "分析人士提醒，新规给出了30天的过渡期"):
        assert kept in body
    for gone in ("首页", "分享到", "云服务器限时特惠", "相关阅读", "英伟达发布新一代数据中心GPU", "特别声明", "网友评论",
                 "科技老王", "热门排行", "扫码下载", "京ICP证", "hm.tongji", "beacon", "_科技频道"):
        assert gone not in page, gone
    assert "<script" not in body and "onerror" not in body
    img = next(t for t in body.split("<") if t.startswith("img "))
    assert 'src="https://n.dongfang.example.cn/tech/2026/0305/chip-lab.jpg"' in img
    assert 'referrerpolicy="no-referrer"' in img and 'loading="lazy"' in img
    # the report lists what the cleaner removed from the extracted text, with reasons
    assert any(r["rule"] == "notice.disclaimer-zh" for r in o["removed"])


def test_nothing_from_the_page_runs_script(site):
    (site / "content/evil.html").write_text(
        "<html><head><title>A page that tries - Evil Site</title><script>alert(1)</script></head><body>"
        "<article><h1>A page that tries</h1><p>The first paragraph of the article is long enough to be the article "
        "text, and it is followed by more sentences so that the extractor keeps it. "
        "<a href=\"javascript:alert(2)\">a link</a> <img src=x onerror=alert(3)></p>"
        "<p onclick=\"alert(4)\">A second paragraph with an <iframe src=\"https://evil.example/\"></iframe> embedded frame, "
        "and the words &lt;script&gt;alert(5)&lt;/script&gt; written as text.</p>"
        "<svg><script>alert(6)</script></svg><p>A third paragraph ends the article with a plain sentence.</p>"
        "</article></body></html>", encoding="utf-8")
    assert run(site).returncode == 0
    page = (site / "output/posts/evil/index.html").read_text(encoding="utf-8")
    body = page.split('class="body', 1)[1].split("</article>", 1)[0]
    assert "A second paragraph" in body
    for bad in ("<script", "javascript:", "onerror", "onclick", "<iframe", "alert(1)", "alert(6)"):
        assert bad not in body, bad
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in body  # text that looks like markup stays text


def test_web_page_complete_copies_its_images_next_to_the_article(site):
    shutil.copy(PAGES / "newsletter-en.html", site / "content/open-weights.html")
    shutil.copytree(PAGES / "newsletter-en_files", site / "content/open-weights_files")
    page = (site / "content/open-weights.html").read_text(encoding="utf-8")
    (site / "content/open-weights.html").write_text(page.replace("newsletter-en_files", "open-weights_files"),
                                                    encoding="utf-8")
    r = run(site)
    assert r.returncode == 0, r.stderr
    assert "not read" not in r.stderr  # the folder's css and js are the page's own: not reported
    out = site / "output/posts/open-weights"
    assert (out / "downloads-chart.png").read_bytes() == (PAGES / "newsletter-en_files/downloads-chart.png").read_bytes()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="downloads-chart.png"' in html
    assert not list((site / "output").rglob("*.js")) or all("open-weights" not in str(p) for p in (site / "output").rglob("*.js"))
    feed = (site / "output/atom.xml").read_text(encoding="utf-8")
    assert 'src="https://example.org/sub/posts/open-weights/downloads-chart.png"' in feed.replace("&quot;", '"')
    o = inspect(site, "open-weights.html")
    assert (o["title"], o["author"], o["source"]) == ("The open-weights gambit", "Lena Zhou", "China AI Weekly")
    # the image changes: the next build copies the new one
    (site / "content/open-weights_files/downloads-chart.png").write_bytes(b"\x89PNG new")
    assert run(site).returncode == 0
    assert (out / "downloads-chart.png").read_bytes() == b"\x89PNG new"


def test_front_matter_on_a_page_wins_and_a_big5_page_is_read(site):
    data = (PAGES / "blog-zh-hant-big5.html").read_bytes()
    (site / "content/blog.htm").write_bytes(data)
    o = inspect(site, "blog.htm")
    assert o["title"] == "從實驗室到工廠：台灣AI新創的三道難題" and o["lang"] == "zh-Hant"
    assert o["date"] == "2026-03-04T21:40:00+08:00"  # no zone on the page: the site's
    assert "發表於" not in o["body"]
    assert any(r["rule"] == "page.dateline" for r in o["removed"])
    (site / "content/blog.htm").write_bytes(
        "---\ntitle: 台灣AI新創的三道難題\ntags: [新創]\n---\n".encode("big5") + data)
    o = inspect(site, "blog.htm")
    assert o["title"] == "台灣AI新創的三道難題" and o["tags"] == ["新創"]


def test_wechat_page_lazy_images_and_account(site):
    shutil.copy(PAGES / "wechat-zh-hans.html", site / "content/wx.html")
    o = inspect(site, "wx.html")
    assert (o["author"], o["source"]) == ("陈思远", "智算观察")
    assert o["date"] == "2026-03-05T10:12:00+08:00"
    assert "](<https://mmbiz.qpic.cn/mmbiz_png/abc123/640?wx_fmt=png>)" in o["body"]  # data-src, no file extension
    assert "## 01 谁在亏钱" in o["body"]


def test_a_single_file_mhtml_archive(site):
    html = (PAGES / "wordpress-en.html").read_text(encoding="utf-8")
    import quopri

    qp = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    mhtml = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: https://computenotes.example.org/2026/02/27/deepseek-training-bill/\r\n"
             "Subject: What DeepSeek's training bill really tells us\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc"\r\n\r\n'
             "------MultipartBoundary--abc\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n"
             "Content-Location: https://computenotes.example.org/2026/02/27/deepseek-training-bill/\r\n\r\n"
             + qp.replace("\n", "\r\n") + "\r\n------MultipartBoundary--abc--\r\n")
    (site / "content/deepseek.mhtml").write_text(mhtml, encoding="ascii")
    o = inspect(site, "deepseek.mhtml")
    assert o["title"] == "What DeepSeek’s training bill really tells us"
    assert o["date"].startswith("2026-02-27T08:30") and o["author"] == "Priya Raman"
    assert "Three things the number leaves out" in o["body"] and "Leave a Reply" not in o["body"]
    assert run(site).returncode == 0


def test_a_page_without_article_text_is_an_error_naming_the_file(site):
    (site / "content/empty.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
                                             encoding="utf-8")
    r = run(site)
    assert r.returncode == 1 and "empty.html" in r.stderr and "Traceback" not in r.stderr


def test_web_clipper_markdown_is_mapped_and_never_fails(site):
    """Obsidian Web Clipper and MarkDownload front matter."""
    (site / "content/obsidian.md").write_text(
        "---\ntitle: \"Chips and the cloud\"\nsource: \"https://example.com/chips\"\nauthor:\n  - \"[[Jane Doe]]\"\n"
        "  - \"[[John Roe]]\"\npublished: 2026-03-02\ncreated: 2026-03-06\ndescription: \"A short summary.\"\n"
        "tags:\n  - \"clippings\"\n---\nThe article text is here, as a paragraph of reasonable length for a test.\n\n"
        "## Related\n\n- [Another story](https://example.com/other)\n", encoding="utf-8")
    (site / "content/markdownload.md").write_text(
        "---\ncreated: 2026-03-07T10:00:00 (UTC +08:00)\ntags: [markdownload]\nsource: https://example.com/md\n"
        "author: Jane Doe\n---\n\n# Model prices fall again\n\n> ## Excerpt\n> A summary.\n\n---\n\n"
        "Prices for model access fell again this quarter, the third cut in a row for most providers.\n",
        encoding="utf-8")
    r = run(site)
    assert r.returncode == 0, r.stderr
    o = inspect(site, "obsidian.md")
    assert o["author"] == "Jane Doe, John Roe" and o["date"].startswith("2026-03-02")  # published, not created
    assert o["summary"] == "A short summary." and o["tags"] == ["clippings"]
    assert "Another story" not in o["body"]  # the clipped tail is still cleaned
    page = (site / "output/posts/obsidian/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.com/chips"' in page
    o = inspect(site, "markdownload.md")
    assert o["date"] is None or not o["date"].startswith("2026-03-07")  # created is the clipping date
    assert o["author"] == "Jane Doe"
    assert 'href="https://example.com/md"' in (site / "output/posts/markdownload/index.html").read_text(encoding="utf-8")


# ---- digest add URL ------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        status, headers, body, delay = route
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.routes = {}
    yield base, _Handler.routes
    httpd.shutdown()
    httpd.server_close()


def _content(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "content").rglob("*")}


def test_add_stores_the_raw_page_and_the_next_build_publishes_it(site, server):
    base, routes = server
    page = (PAGES / "portal-zh-hans.html").read_bytes()
    routes["/news/chips.html"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page, 0)
    routes["/old"] = (301, {"Location": "/news/chips.html"}, b"", 0)
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    r = run(site, "add", base + "/old", "--tags", "芯片,出口管制", "--slug", "chips")
    assert r.returncode == 0, r.stderr
    assert "title:   美国扩大芯片出口管制，英伟达H20在华销售再受限" in r.stdout  # what inspect shows
    assert "--- removed:" in r.stdout
    stored = (site / "content/chips.html").read_bytes()
    head, raw = stored.split(b"\n---\n", 1)
    assert raw == page  # the raw page, as it came
    assert f"fetched_from: \"{base}/news/chips.html\"".encode() in head
    assert b'tags: ["\xe8\x8a\xaf\xe7\x89\x87", "\xe5\x87\xba\xe5\x8f\xa3\xe7\xae\xa1\xe5\x88\xb6"]' in head
    fetched = datetime.fromisoformat(head.split(b"fetched: ")[1].split(b"\n")[0].decode().replace("Z", "+00:00"))
    assert before <= fetched <= datetime.now(timezone.utc)
    r = run(site)
    assert r.returncode == 0, r.stderr
    out = (site / "output/posts/chips/index.html").read_text(encoding="utf-8")
    assert "英伟达专为中国市场设计的H20芯片首当其冲" in out and "热门排行" not in out
    assert (site / "output/tags").is_dir()


def test_add_reads_the_charset_from_headers_or_meta_and_names_the_file_from_the_title(site, server):
    base, routes = server
    big5 = (PAGES / "blog-zh-hant-big5.html").read_bytes()
    routes["/blog"] = (200, {"Content-Type": "text/html"}, big5, 0)  # charset only in the page's <meta>
    r = run(site, "add", base + "/blog")
    assert r.returncode == 0, r.stderr
    [f] = [p for p in (site / "content").iterdir()]
    assert f.name.startswith("cong-shi-yan-shi-dao-gong-chang") and f.suffix == ".html"
    assert "第一道難題是資料" in f.read_text(encoding="utf-8")
    r = run(site, "add", base + "/blog")  # the same page again: its name is taken
    assert r.returncode == 1 and "already exists" in r.stderr and len(list((site / "content").iterdir())) == 1


@pytest.mark.parametrize("route, message", [
    (None, "HTTP 404"),
    ((500, {"Content-Type": "text/html"}, b"oops", 0), "HTTP 500"),
    ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.7", 0), "not a web page"),
    ((200, {"Content-Type": "text/html", "Content-Length": str(6 << 20)}, b"<html>", 0), "MB"),
    ((200, {"Content-Type": "text/html"}, b"<html><body>" + b"<p>x</p>" * (700 << 10) + b"</body></html>", 0), "over 5 MB"),
    ((200, {"Content-Type": "text/html"}, b"<html><body><nav>Home</nav></body></html>", 0), "no article text"),
])
def test_add_failures_say_why_and_change_nothing(site, server, route, message):
    base, routes = server
    if route is not None:
        routes["/page"] = route
    before = _content(site)
    r = run(site, "add", base + "/page")
    assert r.returncode == 1
    assert message in r.stderr and "nothing was added" in r.stderr and "Traceback" not in r.stderr
    assert _content(site) == before
    assert not list((site / "content").glob(".*"))  # no temporary file left either


def test_add_times_out_with_a_clear_message(site, server, monkeypatch):
    base, routes = server
    routes["/slow"] = (200, {"Content-Type": "text/html"}, b"<html></html>", 3)
    from digest.fetch import FetchError, fetch

    with pytest.raises(FetchError, match=r"timed out after 0.5 s"):
        fetch(base + "/slow", timeout=0.5)
