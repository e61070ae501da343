"""What a reader and a link preview see (issue 18): canonical and icon on every page, OpenGraph,
a Twitter card and NewsArticle JSON-LD on articles, the original article linked, distinct titles,
numbered pages, sitemap lastmod, the interface in the site's language with other runs marked."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "basic"


def pages(out):
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def test_every_page_has_canonical_and_icon():
    for rel, html in pages(GOLDEN).items():
        assert '<link rel="canonical" href="https://example.org/golden/' in html, rel
        assert '<link rel="icon" href="' in html and 'favicon.svg" type="image/svg+xml">' in html, rel
    assert (GOLDEN / "static" / "favicon.svg").read_text().startswith("<svg")


def test_article_pages_have_previews_and_the_original():
    for rel, html in pages(GOLDEN).items():
        if not rel.startswith("posts/"):
            continue
        url = "https://example.org/golden/" + rel[:-len("index.html")]
        for tag in ('<meta property="og:type" content="article">', f'<meta property="og:url" content="{url}">',
                    '<meta property="og:title" content="', '<meta property="og:description" content="',
                    '<meta property="og:site_name" content="Golden Digest">', '<meta property="og:locale" content="',
                    '<meta property="article:published_time" content="', '<meta name="twitter:card" content="summary">'):
            assert tag in html, (rel, tag)
        ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
        assert ld["@type"] == "NewsArticle" and ld["url"] == url and ld["headline"] and ld["inLanguage"]
        assert ld["publisher"]["name"] == "Golden Digest" and "datePublished" in ld
        assert "og:image" not in html and "image" not in ld  # no site image set: none invented
    ow = pages(GOLDEN)["posts/open-weights/index.html"]
    assert ow.count('href="https://example.com/open-weights"') == 2  # under the byline and at the end
    assert '"isBasedOn":"https://example.com/open-weights"' in ow
    assert "isBasedOn" not in pages(GOLDEN)["posts/reuters-cloud-curbs/index.html"]  # it has none


def test_titles_are_distinct_and_pages_numbered():
    titles = [re.search(r"<title>(.*?)</title>", h)[1] for r, h in pages(GOLDEN).items() if r != "404.html"]
    assert len(titles) == len(set(titles)), titles
    page2 = pages(GOLDEN)["page/2/index.html"]
    assert "<title>Golden Digest – page 2</title>" in page2
    assert '<li><a aria-current="page" href="./">2</a></li>' in page2 and '<li><a href="../../">1</a></li>' in page2


def test_page_links_show_both_ends_and_gaps():
    from digest.site import page_links

    paths = [""] + [f"page/{n}/" for n in range(2, 32)]
    numbers = lambda n: [x[0] if x else "…" for x in page_links(n, paths)]  # noqa: E731
    assert numbers(1) == [1, 2, 3, "…", 31]
    assert numbers(16) == [1, "…", 14, 15, 16, 17, 18, "…", 31]
    assert numbers(4) == [1, 2, 3, 4, 5, 6, "…", 31]  # never "1 … 3"
    assert numbers(31) == [1, "…", 29, 30, 31]


def test_sitemap_has_lastmod():
    xml = (GOLDEN / "sitemap.xml").read_text()
    rows = re.findall(r"<url>(.*?)</url>", xml)
    assert rows and all("<lastmod>" in r for r in rows)
    assert ("<loc>https://example.org/golden/posts/open-weights/</loc><lastmod>2026-02-18T09:00:00-05:00</lastmod>"
            in xml)
    assert "<loc>https://example.org/golden/</loc><lastmod>2026-03-05T09:12:00+08:00</lastmod>" in xml


def test_other_languages_are_marked():
    home = pages(GOLDEN)["index.html"]
    assert '<h2 lang="zh-Hans"><a href="posts/sina-chip-export-window/">' in home
    assert '<a href="sources/xin-lang-ke-ji/"><span lang="zh-Hans">新浪科技</span></a>' in home
    article = pages(GOLDEN)["posts/udn-ai-chip-controls/index.html"]
    assert '<html lang="zh-Hant">' in article and '<body lang="en">' in article  # (Pagefind reads <html lang>)
    assert '<div class="body" lang="zh-Hant">' in article
    tags = pages(GOLDEN)["tags/index.html"]
    assert '<span lang="zh-Hans">中美关系</span>' in tags


def test_interface_in_traditional_chinese(make_site):
    site = make_site("""-- content/a.md --
---
title: Open weights are the new export
date: 2026-02-18T09:00:00.123456-05:00
updated: 2026-02-19
source: Policy Compass
author: Dana Okafor
source_url: https://example.com/open-weights
tags: [models]
---
Open-weight models from Chinese labs are now downloaded more often than their US rivals.
""", pyproject="""[tool.digest]
title = "AI 競爭文摘"
base_url = "https://example.org/zh/"
language = "zh-Hant"
search = false
image = "static/card.png"
""")
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    html = (site / "output/posts/a/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and '<body lang="zh-Hant">' in html
    assert "跳到正文" in html and "分鐘閱讀" in html and "閱讀原文" in html and "更新於" in html
    assert "Skip to content" not in html and "min read" not in html
    assert '<span lang="en">Policy Compass</span>' in html and '<span lang="en">Dana Okafor</span>' in html
    assert 'datetime="2026-02-18T09:00:00.123-05:00"' in html  # at most 3 digits of a second
    assert '<meta property="og:image" content="https://example.org/zh/static/card.png">' in html
    assert '<meta property="og:locale" content="en_US">' in html  # the article's language
    assert '<meta property="article:modified_time" content="2026-02-19T00:00:00+00:00">' in html
    feed = (site / "output/tags/models/atom.xml").read_text(encoding="utf-8")
    assert '<link href="https://example.com/open-weights" rel="via" type="text/html"/>' in feed
    assert "<content" not in feed  # a tag's feed: summaries
    assert "<content" in (site / "output/atom.xml").read_text(encoding="utf-8")
