"""Untrusted input: encodings, broken files, hostile markup and paths. Each nasty input has
an expected clear error or a safe result; never a traceback, never lost data."""

from __future__ import annotations

import json

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT
from digest.errors import ContentError
from digest.load import load_bytes
from digest.write import UnsafePath, check_path

ZH = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备。分析人士认为影响深远。"
ZH_T = "台積電周一表示，亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片。"


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("name,data,expect", [
    ("utf8", ZH.encode("utf-8"), ZH),
    ("utf8-bom", b"\xef\xbb\xbf" + ZH.encode("utf-8"), ZH),
    ("utf16-le", ZH.encode("utf-16"), ZH),
    ("utf16-be", b"\xfe\xff" + ZH.encode("utf-16-be"), ZH),
    ("gb18030", (ZH * 3).encode("gb18030"), ZH * 3),
    ("gbk", (ZH * 3).encode("gbk"), ZH * 3),
    ("big5", (ZH_T * 3).encode("big5"), ZH_T * 3),
])
def test_encodings_are_read_correctly(name, data, expect):
    src = load_bytes(data, f"{name}.txt")
    assert src.body.strip() == expect


def test_a_legacy_encoding_decoded_cleanly_is_an_info_line_not_a_warning(tmp_path):
    """A GBK or Big5 scrape read without a bad byte is said once (info:), and --strict passes."""
    from conftest import DEFAULT_PYPROJECT

    (tmp_path / "content").mkdir()
    (tmp_path / "pyproject.toml").write_text(DEFAULT_PYPROJECT, encoding="utf-8")
    body = "---\ntitle: 芯片出口管制\ndate: 2026-03-05\n---\n" + "\n\n".join([ZH] * 3) + "\n"
    (tmp_path / "content/gbk.txt").write_bytes(body.encode("gbk"))
    (tmp_path / "content/big5.txt").write_bytes(body.replace(ZH, ZH_T).replace("芯片", "晶片").encode("big5"))
    r = build(tmp_path, "--strict")
    assert r.returncode == 0, r.stderr
    assert "info: gbk.txt: decoded as gb18030 (not UTF-8)" in r.stderr and "info: big5.txt: decoded as big5" in r.stderr
    assert "warning" not in r.stderr and ", 0 warnings," in r.stdout
    again = build(tmp_path, "--strict")  # a no-op build says it again
    assert again.returncode == 0 and again.stderr == r.stderr
    assert "info" not in build(tmp_path, "--strict", "-q").stderr


def test_crlf_and_lone_cr_become_newlines():
    src = load_bytes(b"line one\r\nline two\rline three\n", "a.txt")
    assert src.body.split("\n")[:3] == ["line one", "line two", "line three"]


def test_stray_nul_and_control_characters_are_removed_with_a_warning():
    src = load_bytes("正文\x00第一段\x07。\n".encode(), "a.txt")
    assert src.body == "正文第一段。\n"
    assert any("control character" in w.message for w in src.warnings)


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"  \n\n \t\n", "empty"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "binary"),
], ids=["empty", "blank", "all-bytes", "png"])
def test_empty_and_binary_files_are_clear_errors(data, message):
    with pytest.raises(ContentError, match=message):
        load_bytes(data, "bad.txt")


def test_a_50_mb_file_is_refused_with_its_size():
    with pytest.raises(ContentError, match=r"50\.0 MB"):
        load_bytes(b"a" * 50_000_000, "huge.txt")


# ---------------------------------------------------------------- front matter

@pytest.mark.parametrize("text,line,message", [
    ("---\ntitle: [unclosed\n---\nbody\n", 2, "flow sequence"),
    ("---\ntitle: ok\ndate: 2026-02-30\n---\nbody\n", 3, "impossible"),
    ("---\ntitle: ok\ndate: next tuesday\n---\nbody\n", 3, "cannot read"),
    ("---\ntitle: ok\ntags: {a: 1}\n---\nbody\n", 3, "list of strings"),
    ("---\ntitle: ok\ndraft: maybe\n---\nbody\n", 3, "true or false"),
    ("---\ntitle: ok\nslug: ../../etc\n---\nbody\n", 3, "slug"),
    ("---\ntitle: ok\nlang: fr\n---\nbody\n", 3, "lang"),
    ("---\ntitle: ok\nsource_url: javascript:alert(1)\n---\nbody\n", 3, "http"),
    ("---\ntitle: ok\nbody never closes the front matter\n", 1, "never closed"),
    ("---\n- just\n- a list\n---\nbody\n", 2, "key: value"),
    ("---\ntitle: ok\n---\n\n", None, "no body"),
])
def test_broken_front_matter_names_file_and_line(text, line, message):
    with pytest.raises(ContentError) as e:
        load_bytes(text.encode(), "content/x.md")
    p = e.value.problem
    assert p.path == "content/x.md"
    assert message in str(p)
    if line is not None:
        assert p.line == line, str(p)


def test_a_string_where_a_list_belongs_is_read_with_a_warning():
    src = load_bytes("---\ntitle: ok\ntags: 芯片, AI\n---\nbody\n".encode(), "a.md")
    assert src.meta["tags"] == ["芯片", "AI"]
    assert any("should be a list" in w.message and w.line == 3 for w in src.warnings)


def test_unknown_front_matter_key_warns_with_a_suggestion():
    src = load_bytes("---\ntitle: ok\nautor: me\n---\nbody\n".encode(), "a.md")
    assert any("autor" in w.message and "author" in w.hint and w.line == 3 for w in src.warnings)


# ---------------------------------------------------------------- the build as a whole

def test_file_names_with_spaces_and_chinese_characters_build(make_site):
    root = make_site("-- content/美国 芯片 管制.txt --\n美国扩大芯片出口管制\n\n" + ZH + "\n"
                     "-- content/with space.md --\n---\ntitle: Spaced\ndate: 2026-01-01\n---\nHello there.\n")
    r = build(root)
    assert r.returncode == 0, r.stderr
    assert (root / "output/posts/mei-guo-xin-pian-guan-zhi/index.html").is_file()
    assert (root / "output/posts/with-space/index.html").is_file()


def test_every_bad_file_is_listed_and_output_is_kept(make_site):
    root = make_site("-- content/good.md --\n---\ntitle: Good\ndate: 2026-01-01\n---\nFine.\n")
    assert build(root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content/empty.txt").write_bytes(b"")
    (root / "content/binary.txt").write_bytes(bytes(range(256)) * 20)
    (root / "content/broken.md").write_text("---\ntitle: 'x\n---\nbody\n")
    r = build(root)
    assert r.returncode == 1
    for name in ("empty.txt", "binary.txt", "broken.md"):
        assert f"error: {name}" in r.stderr
    assert "Traceback" not in r.stderr
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before


# ---------------------------------------------------------------- hostile markup

HOSTILE_MD = """---
title: "<script>alert('t')</script>Title"
date: 2026-01-01
author: "<img src=x onerror=alert(1)>"
source: "<b onmouseover=alert(2)>Src</b>"
tags: ["<svg onload=alert(3)>", "ok"]
summary: "<script>alert(4)</script>"
---
Text <script>alert(5)</script> and <iframe src="https://evil.example"></iframe>.

<img src="x" onerror="alert(6)"> <a href="javascript:alert(7)">click</a>
<style>body{display:none}</style>
<svg><script>alert(8)</script></svg>
<a href="https://example.com/" onclick="alert(9)">fine link</a>

[md link](javascript:alert(10)) and <math><mtext><table><mglyph><style><img src=x onerror=alert(11)>
"""

HOSTILE_TXT = """Scraped <script>alert(12)</script> headline here for you
2026-01-02 10:00

正文第一段包含<script>alert(13)</script>和<img src=x onerror=alert(14)>，这些都应该原样显示为文字。

Second paragraph with <a href="javascript:alert(15)">a link</a> that must stay text, not markup.
"""


@pytest.fixture
def hostile_site(make_site):
    root = make_site("")
    (root / "content/evil.md").write_text(HOSTILE_MD, encoding="utf-8")
    (root / "content/evil-scrape.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    r = build(root)
    assert r.returncode == 0, r.stderr
    return root


class Danger(HTMLParser):
    """Collects everything in a document that could run script in a browser."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.data_block: list | None = None  # the text of a JSON-LD <script> being read

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a == {"type": "application/ld+json"}:
            self.data_block = []  # a data block, never run: its whole text must be one JSON document
        elif tag == "script" and not (a.get("src") or "").split("/")[-1] in OUR_SCRIPTS:
            self.found.append(f"<script {a}>")
        if tag in ("iframe", "object", "embed", "style", "frame", "base", "form"):
            self.found.append(f"<{tag}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.found.append(f"<{tag} {k}=…>")
            if k in ("href", "src", "action", "formaction", "xlink:href") and v and \
                    v.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {k}={v}>")


    def handle_data(self, data):
        if self.data_block is not None:
            self.data_block.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.data_block is not None:
            text, self.data_block = "".join(self.data_block), None
            try:
                json.loads(text)
            except ValueError:
                self.found.append(f"<script type=application/ld+json> that is not one JSON document: {text[:80]!r}")
            if "<" in text:
                self.found.append("<script type=application/ld+json> with a raw '<' in it")


OUR_SCRIPTS = {"search.js", "pagefind-ui.js", "pagefind.js"}


def dangers(html_text: str) -> list[str]:
    d = Danger()
    d.feed(html_text)
    return d.found


def test_no_script_can_run_from_pages_or_feeds(hostile_site):
    from lxml import etree

    out = hostile_site / "output"
    for f in out.rglob("*.html"):
        assert dangers(f.read_text(encoding="utf-8")) == [], f
    for f in out.rglob("*.xml"):
        root = etree.parse(str(f)).getroot()
        for el in root.iter():
            if el.text and el.get("type") in ("html", "xhtml") or (el.tag in ("description",) and el.text):
                assert dangers(el.text) == [], (f, el.tag)


def test_scraped_text_shows_markup_as_text(hostile_site):
    page = (hostile_site / "output/posts/evil-scrape/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(13)&lt;/script&gt;" in page
    assert "正文第一段包含" in page


def test_front_matter_values_are_escaped(hostile_site):
    page = (hostile_site / "output/posts/evil/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;Title" in page
    assert "fine link" in page and 'href="https://example.com/"' in page


def test_hostile_feed_is_still_valid(hostile_site):
    # (the scrape carries a date line: an undated article is left out of the feeds)
    d = feedparser.parse((hostile_site / "output/atom.xml").read_bytes())
    assert d.bozo == 0
    assert len(d.entries) == 2


# ---------------------------------------------------------------- paths

@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../b", "a\\b", "posts/../../x"])
def test_no_output_path_can_leave_output(path):
    with pytest.raises(UnsafePath):
        check_path(path)


def test_hostile_tags_and_sources_get_safe_distinct_folders(make_site):
    root = make_site("-- content/a.md --\n---\ntitle: A\ndate: 2026-01-01\ntags: ['../../etc', '..', 'a/b', 'a b', 'A B']\n"
                     "source: ../../../tmp/pwn\n---\nBody.\n")
    r = build(root)
    assert r.returncode == 0, r.stderr
    out = root / "output"
    tag_dirs = sorted(p.name for p in (out / "tags").iterdir() if p.is_dir())
    assert len(tag_dirs) == 5 and len(set(tag_dirs)) == 5
    assert all(".." not in d and "/" not in d for d in tag_dirs)
    assert not (root / "etc").exists() and not Path("/tmp/pwn").exists()
    cache = root / ".digest-cache"  # (its own folders too: compiled templates in templates/)
    assert [p for p in root.rglob("*") if p.is_file() and out not in p.parents and cache not in p.parents
            and p.parent.name != "content" and p.name != "pyproject.toml"] == []


def test_raw_text_copied_as_html_source_becomes_text_line_for_line():
    raw = ("<h1>美國擬限制AI模型權重出口</h1>\n<p>美國商務部上周公布一份&ldquo;諮詢文件&rdquo;，金融&amp;法律。</p>\n"
           "<div class=\"ad\">廣告</div>\n<script>alert(1)</script>\n<p>第二段<br>內容&nbsp;在此。</p>\n")
    src = load_bytes(raw.encode(), "page.txt")
    lines = src.body.split("\n")
    assert lines[0] == "美國擬限制AI模型權重出口"
    assert lines[1] == "美國商務部上周公布一份“諮詢文件”，金融&法律。"
    assert lines[3] == "" and "alert" not in src.body
    assert lines[4] == "第二段內容 在此。"
    assert any("HTML source" in w.message for w in src.warnings)


def test_prose_that_mentions_tags_is_not_taken_for_html():
    raw = "Use the <br> tag sparingly.\nThe <p> element wraps a paragraph.\nNothing else here.\n"
    assert load_bytes(raw.encode(), "a.txt").body == raw
