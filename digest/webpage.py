"""A saved web page (.html, .htm, .xhtml; a single-file .mhtml) → Source, for the same cleaner.

  metadata   from the page itself, most reliable first: JSON-LD (NewsArticle …), og:* and
             article:* meta tags, <meta name=author>, <time datetime>, the canonical URL; then
             the page's dateline element (date, source and author read by dates.py, the one
             date grammar); the <title> without its site suffix ("…_科技频道_XX网") is the last
             resort for the title. These go into the Source's meta, under any front matter of
             the file (front matter always wins). Weak guesses (htmldate's date, trafilatura's
             author and site name, the URL the page was fetched from) go into Source.hints:
             used only where the text shows nothing.
  body       the main content found by trafilatura from the page's structure, written as
             Markdown here (headings, lists, quotes, tables, images, emphasis, links; every
             character of text escaped: the page's text is text, never markup). The line cleaner
             then runs on it as on any Markdown article, so related lists and notices inside the
             article's container still go, each with its reason.
  images     a "Web page, complete" folder's images (page_files/x.jpg) become assets copied next
             to the article (posts/slug/x.jpg); remote images keep their absolute URL (the renderer
             adds referrerpolicy="no-referrer" and loading="lazy"); data: URLs and images whose
             address cannot be made absolute are left out.

A file may start with YAML front matter (`digest add` writes the URL and the fetch time there);
the page follows it. Nothing here runs or keeps script: trafilatura's output is text and
structure only, and every body is sanitised again when rendered (markup.sanitize).
"""

from __future__ import annotations

import json
import posixpath
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urljoin, urlsplit

from .errors import ContentError, Problem

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht")
_ARTICLE_TYPES = re.compile(r"(?:News|Reportage|Analysis|Opinion|Scholarly|Tech)?Article$|BlogPosting$|"
                            r"LiveBlogPosting$|Report$|WebPage$", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://\S+?)\s*-->", re.I)
_DATELINE_HOST = re.compile(r"date|time|pub|source|author|byline|info|meta|dateline|artinfo|article-?(?:head|top|bar)|"
                            r"post-?(?:head|meta|info)|entry-?meta|from", re.I)
_NOT_ARTICLE = re.compile(r"comment|related|recommend|hot|rank|sidebar|footer|aside|nav|menu|share|"
                          r"reply|discuss|评论|more-?news", re.I)
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url", "data-echo")
_WECHAT_CT = re.compile(r"""var\s+ct\s*=\s*["'](\d{10})["']""")
_TITLE_SEP = re.compile(r"\s*(?:_|\||｜|\s-\s|\s–\s|\s—\s|--|·|丨| - )\s*")
_SPACE = re.compile(r"\s+")


def is_page(rel: str) -> bool:
    return rel.lower().endswith(PAGE_SUFFIXES)


# ---- bytes → text ----------------------------------------------------------------------------

def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    enc = m[1].decode("ascii", "ignore").lower()
    return {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}.get(enc, enc)


def decode_page(data: bytes, rel: str) -> tuple[str, list]:
    """A page's bytes → text: UTF-8 (with or without a BOM) when it is, else the charset the page
    declares (<meta charset>, http-equiv), else what load.decode guesses. An .mhtml archive →
    its HTML part (quoted-printable or base64, in its own charset)."""
    from .load import decode

    if rel.lower().endswith((".mhtml", ".mht")):
        return _mhtml_html(data, rel), []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"), []
    except UnicodeDecodeError:
        pass
    enc = _declared_charset(data)
    if enc:
        try:
            return data.decode(enc).replace("\r\n", "\n").replace("\r", "\n"), []
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, rel)


def _mhtml_html(data: bytes, rel: str) -> str:
    """The first text/html part of a MIME web archive (.mhtml), decoded."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True) or b""
            enc = part.get_content_charset() or _declared_charset(payload) or "utf-8"
            enc = {"gbk": "gb18030", "gb2312": "gb18030"}.get(enc.lower(), enc)
            try:
                text = payload.decode(enc)
            except (LookupError, UnicodeDecodeError):
                text = payload.decode("utf-8", errors="replace")
            loc = part.get("Content-Location")
            if loc and re.match(r"^https?://", loc) and "<base" not in text[:4096].lower():
                text = f'<base href="{loc}">' + text  # where its relative links point
            return text
    raise ContentError(rel, "this .mhtml archive holds no HTML page", hint="save the page again as HTML")


# ---- the page's own metadata --------------------------------------------------------------

def _text(el) -> str:
    return _SPACE.sub(" ", " ".join(t.strip() for t in el.itertext() if t.strip())).strip()


def _http(url: str | None, base: str | None = None) -> str | None:
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if base and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        url = urljoin(base, url)
    return url if re.match(r"^https?://[^\s/]+", url) and not re.search(r"\s", url) else None


def _names(value) -> list[str]:
    """JSON-LD author values (a string, a Person, a list of either) → names."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() and not re.match(r"^https?://", value.strip()) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _json_ld(tree) -> dict:
    """The page's article object in its JSON-LD (the first Article-like object, @graph too)."""
    found = []

    def walk(obj):
        if isinstance(obj, list):
            for o in obj:
                walk(o)
        elif isinstance(obj, dict):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
                found.append(obj)
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in obj:
                    walk(obj[key])

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads((script.text or "").strip().rstrip(";")))
        except ValueError:
            continue
    found.sort(key=lambda o: "WebPage" in str(o.get("@type")))  # an Article before a WebPage
    return found[0] if found else {}


def _read_date(value) -> datetime | None:
    """A date as structured data writes it (ISO 8601, mostly) → datetime; naive when it names no
    zone (then it is in the site's zone, as in front matter)."""
    from . import dates as D

    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    if re.fullmatch(r"\d{10}(?:\d{3})?", s):  # a Unix timestamp (seconds or ms)
        return datetime.fromtimestamp(int(s[:10]), tz=timezone.utc)
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        pass
    stamps = [st for st in D.find(s, timezone.utc) if st.when is not None]
    if not stamps:
        return None
    st = stamps[0]
    return st.when if st.zoned else st.when.replace(tzinfo=None)


def _meta_tags(tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in tree.xpath("//meta[@content]"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key and key not in out and (m.get("content") or "").strip():
            out[key] = m.get("content").strip()
    return out


def _inside_junk(el) -> bool:
    for a in el.iterancestors():
        if a.tag in ("footer", "aside", "nav") or _NOT_ARTICLE.search(f"{a.get('class', '')} {a.get('id', '')}"):
            return True
    return False


def _dateline(tree, china: bool):
    """The first element around the headline that reads as a dateline: (Dateline, text)."""
    from . import dates as D

    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "meta"):
            continue
        hint = f"{el.get('class', '')} {el.get('id', '')}"
        if not _DATELINE_HOST.search(hint) or _NOT_ARTICLE.search(hint) or _inside_junk(el):
            continue
        text = _text(el)
        if not text or len(text) > 160:
            continue
        d = D.dateline(text, timezone.utc, china)
        if any(st.when is not None for st in d.stamps):
            return d, text
    return None, None


def strip_site_suffix(title: str, site: str | None = None, host: str | None = None) -> str:
    """'美国扩大芯片出口管制_科技频道_XX网' → '美国扩大芯片出口管制'; 'Title | Reuters' → 'Title'. A part
    goes when it names the site, or when '_' separates it (Chinese portals' channel suffixes), or
    when it is a short last part after a separator and the part before it is a headline."""
    from .clean.title import strip_suffix

    t = _SPACE.sub(" ", title).strip()
    parts = _TITLE_SEP.split(t)
    if len(parts) < 2:
        return strip_suffix(t)
    names = {n.lower() for n in (site, host and host.removeprefix("www.").split(".")[0]) if n}
    keep = list(parts)
    while len(keep) > 1:
        last = keep[-1].strip()
        low = last.lower()
        named = any(n and (n in low or low in n) for n in names)
        short = len(last) <= 16 or len(last.split()) <= 3
        portal = re.search(r"(网|網|频道|頻道|新闻|新聞|日报|日報|报|報|社|号|號|\.com|\.cn|News|Times|Post)$", last)
        if named or portal or (short and len("".join(keep[:-1])) >= 2 * len(last)):
            keep.pop()
            continue
        break
    head = " ".join(keep) if len(keep) > 1 else keep[0]
    # re-join with the original separators when several parts stay
    if len(keep) > 1:
        m = re.match(r"(.*?" + r".*?".join(re.escape(k) for k in keep) + ")", t)
        head = m[1] if m else head
    return head.strip() if len(head.strip()) >= 4 else t


def page_meta(tree, china: bool) -> tuple[dict, dict, list[str]]:
    """(meta, hints, notes): what the page states about itself (front matter keys), and weaker
    guesses used only where the text shows nothing."""
    meta, hints = {}, {}
    ld, tags = _json_ld(tree), _meta_tags(tree)
    site = (_names(ld.get("publisher")) or [None])[0] or tags.get("og:site_name") or tags.get("application-name")
    canonical = tree.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    base = (tree.xpath("//base/@href") or [None])[0]
    url = _http(canonical[0] if canonical else None, base) or _http(tags.get("og:url"), base) or _http(
        ld.get("url") if isinstance(ld.get("url"), str) else None, base)
    if url:
        meta["source_url"] = url
    host = urlsplit(url).hostname if url else None
    # title
    h1 = [t for t in (_text(h) for h in tree.xpath("//h1")) if t]
    raw_title = (tree.xpath("//title") or [None])[0]
    raw_title = _text(raw_title) if raw_title is not None else ""
    title = None
    for cand in (ld.get("headline"), tags.get("og:title"), tags.get("twitter:title"),
                 h1[0] if len(h1) == 1 else None, raw_title):
        if isinstance(cand, str) and cand.strip():
            title = strip_site_suffix(cand, site, host)
            break
    if title and h1 and raw_title and title == strip_site_suffix(raw_title, site, host):
        # only the <title> named it: a lone <h1> that starts it is the headline without the suffix
        title = next((h for h in h1 if raw_title.startswith(h) and len(h) >= 4), title)
    if title:
        meta["title"] = title
        tail = raw_title[len(title):] if raw_title.startswith(title) else ""
        parts = [p for p in _TITLE_SEP.split(tail) if p.strip()]
        if parts and len(parts[-1]) <= 30:
            hints["source"] = parts[-1].strip()  # the site's name ends its <title>
    # date and updated
    for key in ("datePublished", "dateCreated"):
        d = _read_date(ld.get(key))
        if d:
            meta["date"] = d
            break
    if "date" not in meta:
        for key in ("article:published_time", "og:article:published_time", "article:published", "datepublished",
                    "pubdate", "publishdate", "publish-date", "publication_date", "date", "dc.date",
                    "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date", "weibo: article:create_at",
                    "article:create_at"):
            d = _read_date(tags.get(key))
            if d:
                meta["date"] = d
                break
    if "date" not in meta:  # a WeChat article's publication instant, in its page script
        for script in tree.xpath("//script[not(@src)]"):
            m = _WECHAT_CT.search(script.text or "")
            if m:
                meta["date"] = datetime.fromtimestamp(int(m[1]), tz=timezone(timedelta(hours=8)))
                break
    if "date" not in meta:
        times = [t for t in tree.xpath("//time[@datetime]") if not _inside_junk(t)]
        d = _read_date(times[0].get("datetime")) if times else None
        if d:
            meta["date"] = d
    # author and source
    people = [n for n in _names(ld.get("author")) if n != site]
    if not people and tags.get("author") and not re.match(r"^https?://", tags["author"]):
        people = [tags["author"]]
    line, line_text = _dateline(tree, china)
    if line is not None:
        stamp = next(st for st in line.stamps if st.when is not None)
        if "date" not in meta:
            meta["date"] = stamp.when if stamp.zoned else stamp.when.replace(tzinfo=None)
        if line.author and not people:
            people = [line.author]
        if line.source:
            meta["source"] = line.source
        hints["dateline"] = line_text  # the line goes from the body, as metadata (article.py)
    d = _read_date(ld.get("dateModified")) or _read_date(tags.get("article:modified_time"))
    if d and _comparable(d, meta.get("date")) and d > meta["date"]:
        meta["updated"] = d
    if people:
        meta["author"] = ", ".join(dict.fromkeys(p.strip() for p in people if p.strip()))
    if "source" not in meta and site:
        meta["source"] = site.strip()
    for key in ("title", "author", "source"):
        if key in meta and len(meta[key]) > 200:
            del meta[key]
    art_author = tags.get("article:author")
    if art_author and not re.match(r"^https?://", art_author):
        hints["author"] = art_author
    return meta, hints, []


def _comparable(a, b) -> bool:
    return a is not None and b is not None and (a.tzinfo is None) == (b.tzinfo is None)


# ---- the body --------------------------------------------------------------------------------

class _Writer:
    """trafilatura's XML (head, p, list/item, quote, table/row/cell, graphic, hi, ref, lb, code)
    → Markdown blocks, one block a line where the text allows."""

    def __init__(self, base: str | None, rel: str, images: list[str]):
        self.base, self.rel, self.images = base, rel, images
        self.assets: dict[str, str] = {}  # name next to the article -> path in content/
        self.dropped = 0  # images without a usable address

    def inline(self, el) -> str:
        from .article import escape_md

        out = [escape_md(el.text or "") if el.text else ""]
        for c in el:
            tag = c.tag
            inner = self.inline(c)
            if tag == "hi":
                rend = c.get("rend", "")
                mark = "**" if "#b" in rend else "*" if "#i" in rend else "`" if "#t" in rend else ""
                out.append(f"{mark}{inner.strip()}{mark}" if mark and inner.strip() else inner)
            elif tag == "ref":
                href = _http(c.get("target"), self.base)
                out.append(f"[{inner.strip()}](<{href}>)" if href and inner.strip() else inner)
            elif tag == "lb":
                out.append(" ")
            elif tag == "graphic":
                out.append(self.image(c))
            elif tag == "code":
                out.append(f"`{''.join(c.itertext())}`")
            else:
                out.append(inner)
            if c.tail:
                out.append(escape_md(c.tail))
        return _SPACE.sub(" ", "".join(out)) if "\n" in "".join(out) else "".join(out)

    def image(self, el) -> str:
        from .article import escape_md

        src = (el.get("src") or "").strip()
        m = re.fullmatch(r"https://digest\.invalid/img/(\d+)\.png", src)
        if m:
            src = self.images[int(m[1])]
        alt = escape_md(_SPACE.sub(" ", el.get("alt") or el.get("title") or "").strip())
        if not src or src.startswith("data:"):
            self.dropped += bool(src)
            return ""
        saved = re.match(r"^(?:\./)?[^/:?#]+(?:_files|\.files|_archivos|-Dateien|_fichiers)/", src)
        if saved:  # "Web page, complete": the image is in the folder saved beside the page
            name = self.local(src)
            if name:
                return f"![{alt}]({name})"
        url = _http(src, self.base) if (self.base or re.match(r"^(https?:)?//", src)) else None
        if url is None and not re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            name = self.local(src)
            if name:
                return f"![{alt}]({name})"
        if url is None:
            self.dropped += 1
            return ""
        return f"![{alt}](<{url}>)"

    def local(self, src: str) -> str | None:
        """An image saved beside the page ("page_files/x.jpg"): its path in content/, recorded
        as an asset with a name of its own next to the article."""
        path = unquote(src.split("#")[0].split("?")[0])
        folder = posixpath.dirname(self.rel)
        full = posixpath.normpath(posixpath.join(folder, path))
        if full.startswith("../") or full == ".." or posixpath.isabs(full) or not re.search(
                r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp)$", full, re.I):
            return None
        name = re.sub(r"[^\w.-]+", "-", posixpath.basename(full)).strip("-") or "image"
        base, ext = posixpath.splitext(name)
        k = 2
        while name in self.assets and self.assets[name] != full:
            name, k = f"{base}-{k}{ext}", k + 1
        self.assets[name] = full
        return name

    def blocks(self, el, out: list[str], quote: str = "") -> None:
        """Append the Markdown blocks of el's children to out."""
        if el.text and el.text.strip():
            out.append(quote + self.inline_text(el.text))
        for c in el:
            tag = c.tag
            if tag == "head":
                level = int((c.get("rend") or "h2")[-1]) if (c.get("rend") or "").startswith("h") else 2
                text = self.inline(c).strip()
                if text:
                    out.append(quote + "#" * max(1, min(level, 6)) + " " + text)
            elif tag == "p":
                if any(g.tag in ("p", "list", "table", "quote") for g in c):
                    self.blocks(c, out, quote)
                else:
                    for piece in self.inline(c).split("\n"):
                        piece = piece.strip()
                        h = re.match(r"digesthead(\d)x ", piece)
                        if h:  # a heading, marked before extraction
                            piece = "#" * int(h[1]) + " " + piece[h.end():].strip()
                        m = re.fullmatch(r"(\*\*|\*)([^*]+)\1", piece)
                        if m:  # a paragraph all in bold is a label or a kicker: its text is the line
                            piece = m[2].strip()
                        if piece:
                            out.append(quote + piece)
            elif tag == "list":
                ordered = (c.get("rend") or "").startswith("ol")
                items = []
                for n, item in enumerate(c.iter("item"), 1):
                    text = self.inline(item).strip()
                    if text:
                        items.append(quote + (f"{n}. " if ordered else "- ") + text)
                if items:
                    out.append("\n".join(items))
            elif tag == "quote":
                inner: list[str] = []
                self.blocks(c, inner, "")
                if not inner and (c.text or "").strip():
                    inner = [self.inline(c).strip()]
                lines = [ln for b in inner for ln in b.split("\n")]
                if lines:
                    out.append("\n".join(quote + "> " + ln if ln.strip() else quote + ">" for ln in lines))
            elif tag == "table":
                out.append(self.table(c, quote))
            elif tag == "graphic":
                img = self.image(c)
                if img:
                    out.append(quote + img)
            elif tag == "code":
                code = "".join(c.itertext()).strip("\n")
                if code.strip():
                    out.append(f"```\n{code}\n```")
            elif tag == "lb":
                pass
            else:
                self.blocks(c, out, quote)
            if c.tail and c.tail.strip():
                out.append(quote + self.inline_text(c.tail))

    def inline_text(self, text: str) -> str:
        from .article import escape_md

        return escape_md(_SPACE.sub(" ", text).strip())

    def table(self, el, quote: str) -> str:
        rows = []
        for row in el.iter("row"):
            cells = [self.inline(c).replace("|", "\\|").strip() for c in row if c.tag == "cell"]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(quote + ln for ln in lines)


def load_page(data: bytes, rel: str):
    """A saved page's bytes → Source (kind "md", origin "html"). Raises ContentError."""
    import hashlib

    from .load import front_matter
    from .model import Source

    text, notes = decode_page(data, rel)
    warnings = [Problem(rel, None, str(n)) for n in notes]
    _, fm, where, page, _ = front_matter(text, rel, warnings)
    body, meta, hints, assets, more = extract(page, rel, fm.get("fetched_from"))
    warnings.extend(more)
    meta = {**meta, **fm}  # front matter always wins
    return Source(rel=rel, kind="md", digest=hashlib.sha256(data).hexdigest(), text=text, meta=meta,
                  meta_lines=where, body=body, body_offset=0, warnings=tuple(warnings), hints=hints,
                  assets=tuple(sorted(assets.items())), origin="html")


def extract(page: str, rel: str, fetched_from: str | None = None):
    """(Markdown body, meta, hints, assets {name: content path}, warnings) of one page's HTML."""
    import trafilatura
    from lxml import html as lxml_html

    if not page.strip():
        raise ContentError(rel, "the page is empty")
    src = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)  # lxml refuses an encoding declaration in a str
    try:
        tree = lxml_html.document_fromstring(src)
    except Exception as e:  # lxml's ParserError for a page with no elements at all
        raise ContentError(rel, f"cannot read this page as HTML: {e}", hint="is it really a web page?") from None
    saved = _SAVED_FROM.search(page[:2048])
    body_text = " ".join(tree.xpath("//body//text()"))[:4000]
    from .clean import signals as sg

    china = bool(sg.HAN.search(body_text) or sg.HAN.search(" ".join(tree.xpath("//title//text()"))))
    meta, hints, notes = page_meta(tree, china)
    base = meta.get("source_url") or (tree.xpath("//base/@href") or [None])[0] or (saved[1] if saved else None) \
        or fetched_from
    base = _http(base)
    if "source_url" not in meta:
        for guess in (saved[1] if saved else None, fetched_from):
            if _http(guess):
                hints["source_url"] = _http(guess)
                break
    for h in tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//figcaption"):
        # headings as plain text (trafilatura drops an <h2><strong>…</strong></h2>), and
        # captions as paragraphs (it drops <figcaption> text): both are the article's
        # (and headings as marked paragraphs: its short-page fallback drops short headings)
        text = _text(h)
        if h.tag != "figcaption" and text:
            text = f"digesthead{h.tag[1]}x {text}"
        fig = h.getparent() if h.tag == "figcaption" else None
        h.tag = "p"
        if text:
            tail = h.tail
            for c in list(h):
                h.remove(c)
            h.text, h.tail = text, tail
        if fig is not None and fig.tag == "figure":  # after its figure: inside it, the text is lost
            h.tail = None
            fig.remove(h)
            fig.addnext(h)
    images: list[str] = []
    for img in tree.iter("img"):  # lazy-loaded images: the real address is in data-src and the like
        real = next((img.get(a) for a in _LAZY_SRC if (img.get(a) or "").strip() and not img.get(a).startswith("data:")),
                    None)
        src_ = (img.get("src") or "").strip()
        if real and (not src_ or src_.startswith("data:") or re.search(r"blank|placeholder|loading|grey|spacer|\.gif$",
                                                                       src_, re.I)):
            src_ = real.strip()
        # trafilatura keeps only addresses that end like an image file; Chinese image hosts'
        # rarely do (…/640?wx_fmt=png): it sees a stand-in, the writer puts the address back
        images.append(src_)
        img.set("src", f"https://digest.invalid/img/{len(images) - 1}.png")
        for a in _LAZY_SRC + ("srcset", "data-srcset"):
            img.attrib.pop(a, None)
    doc = trafilatura.bare_extraction(tree, url=base, include_images=True, include_tables=True, include_formatting=True,
                                      include_links=True, include_comments=False, favor_recall=True,
                                      deduplicate=False, with_metadata=True)
    warnings = []
    if doc is None or doc.body is None or not len(doc.body) and not (doc.body.text or "").strip():
        raise ContentError(rel, "no article text found in this page",
                           hint="is it an article? a page that builds its text with script shows none when saved; "
                                "copy its text into a .txt file instead")
    text = "".join(doc.body.itertext()) if doc is not None and doc.body is not None else ""
    if len("".join(text.split())) < 20:  # a menu word or two: the extractor found no article
        doc = None
    if doc is None:
        raise ContentError(rel, "no article text found in this page",
                           hint="is it an article? a page that builds its text with script shows none when saved; "
                                "copy its text into a .txt file instead")
    w = _Writer(base, rel, images)
    out: list[str] = []
    w.blocks(doc.body, out)
    out = [b for b in out if b.strip()]
    lead = []  # images before the first paragraph: the article's lead figure, not page header
    for b in out:
        if re.fullmatch(r"!\[[^\]]*\]\(\S+\)", b) or b.startswith("#"):
            lead += [b] if b.startswith("!") else []
            continue
        break
    if lead:
        hints["keep_lines"] = tuple(lead)
    body = re.sub(r"digesthead\dx ", "", "\n\n".join(out)) + "\n"
    if doc.date and "date" not in meta:
        d = _read_date(doc.date)
        if d:
            hints["date"] = d
    if doc.author and "author" not in meta and "author" not in hints:
        hints["author"] = re.sub(r"^(?:作者|文|By)\s*[:：|｜]?\s*", "", doc.author.strip(), flags=re.I)
    if doc.sitename and "source" not in meta:
        hints["source"] = doc.sitename
    if w.dropped:
        warnings.append(Problem(rel, None, f"left out {w.dropped} image(s) whose address is unknown (embedded "
                                           "data, or a relative address with no page URL)",
                                "add 'fetched_from: URL' (the page's address) to the front matter"))
    return body, meta, hints, w.assets, warnings
