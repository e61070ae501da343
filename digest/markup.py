"""Markdown → sanitised HTML: an article's body as its page shows it.

Scraped text is untrusted: every body goes through nh3 with a conservative allow-list (the
theme, render.py, autoescapes every other value). Plain prose, most of a body, is written
directly where Markdown would write the same bytes (the fast path below).
"""

from __future__ import annotations

import re
import threading

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                "code", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
                "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
                "caption", "dl", "dt", "dd", "abbr", "q", "cite", "span", "div"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
                 "th": {"align", "colspan", "rowspan"}, "td": {"align", "colspan", "rowspan"},
                 "abbr": {"title"}, "ol": {"start"}, "li": {"id"}, "sup": {"id"}, "div": {"class"},
                 "code": {"class"}}

IMG_ATTRS = {"img": {"referrerpolicy": "no-referrer", "loading": "lazy"}}


def sanitize(html: str) -> str:
    import nh3

    # Images load without telling the image host which page shows them (many Chinese image
    # hosts refuse other sites' referrers) and only when scrolled to.
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer",
                     strip_comments=True, set_tag_attribute_values=IMG_ATTRS)


_local = threading.local()  # one Markdown converter per thread, reset between documents

# Markdown is the costliest step of a cold build (~2.5 ms an article, mostly its inline
# patterns), and most of an article is plain prose. A block (lines between blank lines) that
# holds no character Markdown could read as markup — or is one such heading or a tight list of
# such items — is written directly, exactly as Markdown would write it; the other blocks go
# through Markdown in runs. A document with
# anything that reaches across blocks (HTML, fences, reference links, footnotes, abbreviations,
# definition lists) goes through Markdown whole. tests/test_properties.py checks both routes
# give the same bytes on generated documents.
_WHOLE = re.compile(r"<|```|~~~|\]:|\[\^|\*\[|^\s*:", re.M)
_MARKUP = re.compile(r"[\\`*_\[\]!<>&|{}\t\x00-\x1f\x7f]|^[\s#>+=:~-]|^\d+[.)]|\s$", re.M)


def markdown_to_html(md: str) -> str:
    html, plain = _convert_plain(md)
    html = _shift_headings(html)
    # Written wholly by _fast_block, the HTML's only tags are ours and its text holds none of
    # & < > (_MARKUP): nh3 would return it unchanged except for a no-break space, which it
    # spells &nbsp; (tests/test_properties.py checks this on generated documents).
    return html if plain and "\xa0" not in html else sanitize(html)


def _shift_headings(html: str) -> str:
    """The page title is the only h1: the body's headings move down one level."""
    if "<h1" not in html:
        return html
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def _convert(md: str) -> str:
    """Markdown's HTML for md (before headings shift and sanitising)."""
    return _convert_plain(md)[0]


def _convert_plain(md: str) -> tuple[str, bool]:
    """(_convert(md), whether every block was written by _fast_block)."""
    return (_markdown(md), False) if _WHOLE.search(md) else _fast_markdown(md)


def _markdown(md: str) -> str:
    conv = getattr(_local, "md", None)
    if conv is None:
        import markdown

        conv = _local.md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return conv.reset().convert(md)


_HEADING = re.compile(r"(#{1,6}) ([^#]+)")
_ITEM = re.compile(r"- (.+)")


def _fast_block(block: str) -> tuple[str, str] | None:
    """("p" | "h" | "ul", HTML) for a block Markdown would read as plain prose, one ATX heading
    or a tight "- " list of plain items; None for anything else."""
    if not _MARKUP.search(block):
        return "p", f"<p>{block}</p>"
    h = _HEADING.fullmatch(block)
    if h and not _MARKUP.search(h[2]):
        n = len(h[1])
        return "h", f"<h{n}>{h[2]}</h{n}>"
    items = [_ITEM.fullmatch(line) for line in block.split("\n")]
    if all(items) and not any(_MARKUP.search(m[1]) for m in items):
        return "ul", "<ul>\n" + "\n".join(f"<li>{m[1]}</li>" for m in items) + "\n</ul>"
    return None


def _fast_markdown(md: str) -> tuple[str, bool]:
    """Markdown's output for md, simple blocks written directly (see above). A run of other
    blocks goes to Markdown as the original text, blank lines and all. A list is written
    directly only between simple non-list blocks: next to another list or an indented block
    Markdown would join them."""
    blocks = []  # [start, end, kind, html]; kind None: Markdown's
    for m in re.finditer(r"[^\n]+(?:\n(?![ \t]*(?:\n|$))[^\n]*)*", md):
        if m[0].strip():
            kind, html = _fast_block(m[0]) or (None, None)
            blocks.append([m.start(), m.end(), kind, html])
    for i, b in enumerate(blocks):
        if b[2] == "ul" and any(0 <= k < len(blocks) and blocks[k][2] in (None, "ul") for k in (i - 1, i + 1)):
            b[2] = None
    out: list[str] = []
    run: tuple[int, int] | None = None  # span of md: blocks for Markdown, converted together
    plain = True
    for start, end, kind, html in blocks:
        if kind is None:
            run = (run[0] if run else start, end)
            continue
        if run:
            out.append(_markdown(md[run[0]:run[1]]))
            run, plain = None, False
        out.append(html)
    if run:
        out.append(_markdown(md[run[0]:run[1]]))
        plain = False
    return "\n".join(x for x in out if x), plain
