"""Source → Article: clean the body, find the metadata, assemble the Markdown body.

Pure: no disk, no clock. Front matter always wins over what the text suggests.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
import uuid
from dataclasses import fields
from datetime import datetime
from urllib.parse import urlsplit

from . import meta as M
from .clean import clean
from .clean import signals as sg
from .clean.rules import curator_rules, site_rules
from .config import Settings
from .model import Article, Cleaned, Source, article_url

_MD_INLINE = re.compile(r"([\\`*_\[\]{}])")
_MD_LEAD = re.compile(r"^(#|[-+*]\s|\d+[.)]\s|=+\s*$|-[-\s]*$)")  # '>' is already &gt; ("---  ---": a rule too)
_BULLET = re.compile(r"^[•·●▪◦‣⁃]\s*")
_DEF_LEAD = re.compile(r":[ \t]")
_SENTENCE = re.compile(r"(?<=[。！？!?])[”」』\"）)]*\s*|(?<=[a-z0-9\"”)][.!?])\s+(?=[A-Z“\"])")


def slugify(text: str, fallback: str = "item") -> str:
    """Stable ASCII slug: Chinese by pinyin, everything else by its ASCII letters and digits."""
    if sg.HAN.search(text):
        from pypinyin import lazy_pinyin  # a big import: only when there is Chinese to spell

        text = " ".join(lazy_pinyin(text))
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:80].strip("-") or fallback


def escape_md(line: str) -> str:
    """Raw scraped text → Markdown that shows exactly that text (no markup, no HTML)."""
    out = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_INLINE.sub(r"\\\1", out)
    if line.startswith("="):
        out = "&#61;" + out[1:]  # Markdown has no backslash escape for "=" (a setext underline)
    elif _DEF_LEAD.match(line):
        out = "&#58;" + out[1:]  # nor for a definition's ":" (a quoted line on a BBS: ": 上个月…")
    elif _MD_LEAD.match(line) and not out.startswith("\\"):  # ("*" is escaped above already)
        out = "\\" + out if not line[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return out


def split_paragraph(text: str, target: int = 300) -> list[str]:
    """One giant paragraph → readable paragraphs at sentence ends. Only the whitespace between
    two paragraphs is dropped; every other character stays."""
    if sg.visible_len(text) < 2 * target:
        return [text]
    parts, start = [], 0
    for m in _SENTENCE.finditer(text):
        if sg.visible_len(text[start:m.start()]) >= target and m.end() < len(text):
            parts.append(text[start:m.end()].rstrip())
            start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _is_heading(lines: list[tuple[int, str]], i: int) -> bool:
    text = lines[i][1]
    if i == 0 or i + 1 >= len(lines) or sg.ends_sentence(text) or text.endswith(("：", ":", "，", ",")):
        return False
    if "\t" in text or text.startswith("|"):
        return False  # a table row, not a heading
    return 4 <= sg.visible_len(text) <= 60 and sg.is_prose(lines[i + 1][1]) and not sg.is_timestamp(text)


def body_markdown(src: Source, cleaned: Cleaned, blocks: list | None = None) -> str:
    """The kept lines as Markdown. Raw text is escaped (it is text, not markup); a Markdown
    file keeps its own markup, blank lines and code blocks. blocks: txt_blocks(cleaned), if
    the caller has them."""
    if src.kind == "md":
        keep = {n for n, _ in cleaned.kept}
        gone = {r.line for r in cleaned.removed}
        keep |= {k for a, b in cleaned.spans if a in keep for k in range(a + 1, b + 1) if k not in gone}
        out = []
        for i, line in enumerate(src.body.split("\n")):
            n = src.body_offset + i + 1
            if line.strip() and n not in keep:
                continue
            out.append(line)
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
        return text + "\n" if text else ""
    md = {"li": "- ", "h2": "## ", "p": ""}
    out = []
    for kind, text in txt_blocks(cleaned) if blocks is None else blocks:
        b = md[kind] + escape_md(text.expandtabs(4))  # (tabs expanded before escapes shift the columns, as txt_html does)
        if kind == "h2" and b.endswith("#") and not b.endswith("\\#"):
            b = b[:-1] + "\\#"  # a heading's closing "#"s would be dropped as markup ("…#中美AI竞争#")
        if out and kind == "li" and out[-1].startswith("- "):
            out[-1] += "\n" + b  # consecutive list items form one list
        else:
            out.append(b)
    return "\n\n".join(out) + "\n" if out else ""


def txt_blocks(cleaned: Cleaned) -> list[tuple[str, str]]:
    """A raw text's kept lines as blocks: ("li" | "h2" | "p", text)."""
    kept = list(cleaned.kept)
    blocks = []
    for i, (_, text) in enumerate(kept):
        if _BULLET.match(text):
            blocks.append(("li", _BULLET.sub("", text)))
        elif _is_heading(kept, i):
            blocks.append(("h2", text))
        else:
            blocks.extend(("p", p) for p in split_paragraph(text))
    return blocks


def txt_html(cleaned: Cleaned, blocks: list | None = None) -> str:
    """A raw text's body as HTML, written directly: every character escaped, no Markdown pass
    (raw text is text, not markup; and it is the cold build's hottest path). blocks: as
    body_markdown()."""
    out, in_list = [], False
    for kind, text in txt_blocks(cleaned) if blocks is None else blocks:
        if in_list and kind != "li":
            out.append("</ul>")
            in_list = False
        if kind == "li" and not in_list:
            out.append("<ul>")
            in_list = True
        out.append(f"<{kind}>{html.escape(text.expandtabs(4), quote=False)}</{kind}>")  # as Markdown does
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~\"'])")
_MD_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)+")
_MD_RULE = re.compile(r"^\s*(?:(?:[-*_]\s*){3,}|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?|```.*|~~~.*)$")
_MD_INLINE_MARKS = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images go
    (re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]"), lambda m: m[1] if m[1] is not None else m[2]),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"),
     lambda m: m[1] if m[1] is not None else m[2]),
    (re.compile(r"`+([^`]*)`+"), r"\1"),
]


_MAY_BE_MARKUP = re.compile(r"[*_`\[\]<>&\\~]")


def plain_inline(text: str) -> str:
    """One line of Markdown as a reader sees it: no emphasis, code marks, images or link
    syntax (links become their text). Backslash-escaped characters stay, unescaped."""
    if not _MAY_BE_MARKUP.search(text):
        return text  # most lines: nothing to undo
    keep: list[str] = []

    def hold(m):
        keep.append(m[1])
        return f"\ue000{len(keep) - 1}\ue001"

    t = _ESCAPED.sub(hold, text)
    for rx, rep in _MD_INLINE_MARKS:
        t = rx.sub(rep, t)
    t = html.unescape(t)
    return re.sub("\ue000(\\d+)\ue001", lambda m: keep[int(m[1])], t)


def plain_text(md: str) -> str:
    """A Markdown body as plain text: no block marks (headings, quotes, lists, rules, table
    rules, fences) and no inline syntax (plain_inline)."""
    out = []
    for line in md.split("\n"):
        if _MD_RULE.match(line):
            continue
        line = _MD_LINE.sub("", line)
        if line.lstrip().startswith("|"):
            line = " ".join(c.strip() for c in line.strip().strip("|").split("|"))
        out.append(plain_inline(line))
    return "\n".join(out)


ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt no nos vs etc inc ltd co corp llc plc gov sen rep gen lt col capt sgt adm "
    "fig figs approx ca est dept univ jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun "
    "a.m p.m e.g i.e u.s u.k u.n e.u u.s.a d.c ph.d op cf al".split())
_END = re.compile(r"[。！？!?]+[”」』\"’）)]*|\.[”\"’)]*(?=\s|$)|…+[”」』\"）)]*(?=\s|$)")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each real sentence end: Chinese 。！？, and ./!/? before a space,
    except after an abbreviation (U.S., Dr., Inc., No. …) or an initial (J. Smith)."""
    out = []
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"(\S+)$", text[:m.start()])
            w = word[1].lstrip("(\"“‘'").lower() if word else ""
            if not w or w in ABBREVIATIONS or re.fullmatch(r"[a-z]", w) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue
        out.append(m.end())
    return out


def summarize(text: str, limit: int) -> str:
    """Plain text of at most `limit` characters: whole sentences when the first ones fit
    (more than half the room), else cut at a word and ended with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    ends = [e for e in sentence_ends(flat[:limit + 1]) if e <= limit]
    if ends and ends[-1] > limit // 2:
        return flat[:ends[-1]].rstrip()
    cut = flat[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6 and not sg.HAN.search(cut[space:]):
        cut = cut[:space]  # an English word is not cut in two
    return cut.rstrip(" ,;:，、；：—-") + "…"


_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def reading_minutes(text: str) -> int:
    """Chinese is read at about 400 characters a minute, English at about 220 words."""
    han = M.han_count(text)
    words = len(_WORD.findall(text))  # ASCII only: Han characters already split words
    return max(1, math.ceil(han / 400 + words / 220))


def localize(dt: datetime | None, tz) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=tz) if dt.tzinfo is None else dt


def page_rules(src: Source) -> list:
    """A saved page's dateline element (the one its metadata was read from) leaves the body
    wherever the extractor put it, with its reason."""
    from .clean.rules import Rule

    line = src.hints.get("dateline")
    if not line:
        return []
    words = [re.escape(w) for w in line.split()]
    rx = re.compile(r"^[\W_]*" + r"[\s*_|｜]*".join(words) + r"[\W_]*$")
    return [Rule("page.dateline", rx, "drop", "the page's dateline: its date, source and author are the article's metadata")]


def inspect_source(src: Source, settings: Settings, repeats: dict | None = None) -> tuple[Cleaned, dict]:
    """Clean one source and find its metadata: (cleaned, fields as found, front matter winning)."""
    fm = src.meta
    # A saved page's images are where its extractor found them, in the article's own container:
    # an image line there is the article's figure, not page header (webpage.py)
    page_keeps = tuple("^" + re.escape(line) + "$" for line in src.hints.get("keep_lines", ()))
    drops, keeps = curator_rules(tuple(settings.strip_patterns) + tuple(fm.get("strip", ())),
                                 tuple(settings.keep_patterns) + tuple(fm.get("keep", ())) + page_keeps, "curator")
    extra = drops + list(site_rules(settings.root)) + page_rules(src)
    cleaned = clean(src.body, src.body_offset, title=fm.get("title"), extra=extra, keeps=keeps,
                    markdown=src.kind == "md", repeats=repeats)
    tz = settings.tz
    blocks = txt_blocks(cleaned) if src.kind == "txt" else None  # for the Markdown and the HTML
    body = body_markdown(src, cleaned, blocks)
    text = plain_text(body)
    date, updated = M.find_times(cleaned, tz)
    if fm.get("date"):
        date, updated = localize(fm["date"], tz), None  # the text's "updated" belongs to the text's date
    hints = src.hints  # a saved page's weak guesses (htmldate's date …): only where the text shows nothing
    if not date and hints.get("date"):
        date = localize(hints["date"], tz)
    found = {
        "title": fm.get("title") or cleaned.title_text,
        "date": date,
        "updated": localize(fm.get("updated"), tz) or updated,
        "source": fm.get("source") or M.find_source(cleaned, cleaned.title_line, tz) or hints.get("source"),
        "author": fm.get("author") or M.find_author(cleaned, tz) or hints.get("author"),
        "source_url": fm.get("source_url") or hints.get("source_url") or M.find_source_url(cleaned),
        "lang": fm.get("lang") or M.detect_lang(text or src.body),
        "body": body,
        "text": text,
        "blocks": blocks,
    }
    return cleaned, found


def build_article(src: Source, settings: Settings, repeats: dict | None = None) -> Article:
    cleaned, f = inspect_source(src, settings, repeats)
    return article_from(src, settings, cleaned, f, repeats)


def input_digest(file_digest: str, repeats: dict | None) -> str:
    """What an article is made from besides the settings and the code: its file's bytes and
    the cross-article evidence about its lines (the same bytes clean differently once a sister
    page arrives). Pages key an article by it (pages.identity)."""
    if not repeats:
        return file_digest
    return hashlib.sha256(f"{file_digest}\0{sorted(repeats.items())!r}".encode()).hexdigest()


def article_from(src: Source, settings: Settings, cleaned: Cleaned, f: dict, repeats: dict | None = None) -> Article:
    """The Article of a source already inspected (inspect_source) with this evidence."""
    from .markup import markdown_to_html

    fm = src.meta
    text = f["text"]
    stem = re.sub(r"\.[^.]+$", "", src.rel)
    slug = fm.get("slug") or slugify(stem.replace("/", "-"), fallback="article")
    host = urlsplit(settings.base_url).netloc
    ident = fm.get("id") or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'digest:{host}:{stem}')}"
    risky = list(cleaned.risky)
    if not f["title"]:
        risky.append("no title found: set 'title' in front matter")
    if not f["date"]:
        risky.append("no date found, so it is left out of the feeds: set 'date' in front matter "
                     "(e.g. date: 2026-03-05, or 2026-03-05T09:12:00+08:00)")
    title = f["title"] or summarize(text, 30) or stem
    return Article(
        rel=src.rel, slug=slug, url=article_url(slug), id=ident, title=title, title_found=bool(f["title"]),
        date=f["date"], updated=f["updated"], author=f["author"],
        source=f["source"], source_url=f.get("source_url"), tags=tuple(dict.fromkeys(fm.get("tags", ()))),
        lang=f["lang"], summary=plain_inline(" ".join(fm["summary"].split())) if fm.get("summary") else summarize(text, settings.summary_chars),
        draft=bool(fm.get("draft", False)), body_md=f["body"], body_html=txt_html(cleaned, f["blocks"]) if src.kind == "txt" else markdown_to_html(f["body"]),
        text_chars=len(text), reading_minutes=reading_minutes(text), removed=cleaned.removed,
        risky=tuple(risky), digest=input_digest(src.digest, repeats), aliases=tuple(dict.fromkeys(fm.get("aliases", ()))),
        body_digest=body_digest(src.body), assets=src.assets, canonical=bool(fm.get("canonical", False)),
        same_as=tuple(fm.get("same_as", ())), not_same_as=tuple(fm.get("not_same_as", ())))


def body_digest(body: str) -> str:
    """The text's fingerprint, blind to front matter and to trailing spaces and blank lines: a
    renamed file keeps it (even after the curator adds aliases: or id: to it)."""
    lines = [line.rstrip() for line in body.strip().split("\n")]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def with_slug(a: Article, slug: str) -> Article:
    """A plain Article (a cached StoredArticle reads its body here) with another slug."""
    values = {f.name: getattr(a, f.name) for f in fields(Article)}
    return Article(**{**values, "slug": slug, "url": article_url(slug)})
