"""Source → Article: clean the body, find the metadata, assemble the Markdown body.

Pure: no disk, no clock. Front matter always wins over what the text suggests.
"""

from __future__ import annotations

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
from .model import Article, Cleaned, Source

_MD_INLINE = re.compile(r"([\\`*_\[\]{}])")
_MD_LEAD = re.compile(r"^(#|[-+*]\s|\d+[.)]\s|=+\s*$|-+\s*$)")  # '>' is already &gt;
_BULLET = re.compile(r"^[•·●▪◦‣⁃]\s*")
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
    if _MD_LEAD.match(line):
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
        b = md[kind] + escape_md(text)
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


def plain_text(md: str) -> str:
    t = re.sub(r"\\(.)", r"\1", md)
    t = re.sub(r"^#+\s*|^[-*+]\s+|^>\s*", "", t, flags=re.M)
    t = t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)", r"\1", t)


def summarize(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    m = max(cut.rfind(c) for c in "。！？.!?")
    return cut[: m + 1] if m > limit // 2 else cut.rstrip() + "…"


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


def inspect_source(src: Source, settings: Settings) -> tuple[Cleaned, dict]:
    """Clean one source and find its metadata: (cleaned, fields as found, front matter winning)."""
    fm = src.meta
    drops, keeps = curator_rules(tuple(settings.strip_patterns) + tuple(fm.get("strip", ())),
                                 tuple(settings.keep_patterns) + tuple(fm.get("keep", ())), "curator")
    extra = drops + list(site_rules(settings.root))
    cleaned = clean(src.body, src.body_offset, title=fm.get("title"), extra=extra, keeps=keeps,
                    markdown=src.kind == "md")
    tz = settings.tz
    blocks = txt_blocks(cleaned) if src.kind == "txt" else None  # for the Markdown and the HTML
    body = body_markdown(src, cleaned, blocks)
    text = plain_text(body)
    date, updated = M.find_times(cleaned, tz)
    if fm.get("date"):
        date, updated = localize(fm["date"], tz), None  # the text's "updated" belongs to the text's date
    found = {
        "title": fm.get("title") or cleaned.title_text,
        "date": date,
        "updated": localize(fm.get("updated"), tz) or updated,
        "source": fm.get("source") or M.find_source(cleaned, cleaned.title_line, tz),
        "author": fm.get("author") or M.find_author(cleaned, tz),
        "lang": fm.get("lang") or M.detect_lang(text or src.body),
        "body": body,
        "text": text,
        "blocks": blocks,
    }
    return cleaned, found


def build_article(src: Source, settings: Settings) -> Article:
    from .render import markdown_to_html

    cleaned, f = inspect_source(src, settings)
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
        risky.append("no date found: set 'date' in front matter")
    title = f["title"] or summarize(text, 30) or stem
    return Article(
        rel=src.rel, slug=slug, url=f"posts/{slug}/", id=ident, title=title, title_found=bool(f["title"]),
        date=f["date"], updated=f["updated"], author=f["author"],
        source=f["source"], source_url=fm.get("source_url"), tags=tuple(dict.fromkeys(fm.get("tags", ()))),
        lang=f["lang"], summary=fm.get("summary") or summarize(text, settings.summary_chars),
        draft=bool(fm.get("draft", False)), body_md=f["body"], body_html=txt_html(cleaned, f["blocks"]) if src.kind == "txt" else markdown_to_html(f["body"]),
        text_chars=len(text), reading_minutes=reading_minutes(text), removed=cleaned.removed,
        risky=tuple(risky), digest=src.digest)


def with_slug(a: Article, slug: str) -> Article:
    """A plain Article (a cached StoredArticle reads its body here) with another slug."""
    values = {f.name: getattr(a, f.name) for f in fields(Article)}
    return Article(**{**values, "slug": slug, "url": f"posts/{slug}/"})
