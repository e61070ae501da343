"""Decode a content file's bytes, split and validate front matter → Source.

state.content_files finds the files and the pipeline reads their bytes. Every problem names
the file, and the line where there is one; nothing here raises anything but ContentError for
bad content.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import threading
from datetime import date, datetime, time
from pathlib import Path

import frontmatter
import yaml

from .errors import ContentError, Problem
from .model import Source, article_url
from .patterns import guarded

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md",
            # saved web pages (webpage.py): the main content is extracted, then cleaned as Markdown
            ".html": "html", ".htm": "html", ".xhtml": "html", ".mhtml": "html", ".mht": "html"}
MAX_BYTES = 5 * 1024 * 1024  # an article over 5 MB is a mistake (a dump, a binary), not an article

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGS = ("zh-Hans", "zh-Hant", "en")

# Front matter keys: name -> (type check, what a curator should write)
KEYS = {
    "title": "a string", "date": "a date", "updated": "a date", "author": "a string",
    "source": "a string", "source_url": "an http(s) URL", "tags": "a list of strings",
    "summary": "a string", "slug": "lowercase ASCII words joined by '-'", "draft": "true or false",
    "lang": "zh-Hans, zh-Hant or en", "id": "a string", "strip": "a list of regular expressions",
    "keep": "a list of regular expressions",
    "aliases": "a list of old URLs of this article, e.g. [posts/old-name/]",
    # written by `digest add`: where and when the page was fetched (not the article's date)
    "fetched_from": "the http(s) URL the page was fetched from", "fetched": "when the page was fetched",
    # syndicated copies (stories.py)
    "canonical": "true or false: this copy is the story's page",
    "same_as": "files in content/ that are copies of this one, e.g. [sina-copy.txt]",
    "not_same_as": "files in content/ that are not copies of this one, e.g. [other-report.txt]",
}
ALIASES = {"alias": "aliases", "redirect_from": "aliases", "lastmod": "updated", "modified": "updated", "tag": "tags", "keywords": "tags",
           "categories": "tags", "language": "lang", "url": "source_url", "link": "source_url",
           "original_url": "source_url", "description": "summary",
           # what web clippers (Obsidian Web Clipper, MarkDownload …) write
           "published": "date", "date_published": "date", "pubdate": "date", "authors": "author",
           "byline": "author", "site": "source", "site_name": "source", "sitename": "source"}
# other generators' keys that mean nothing here; a clipper's clipping dates are not the article's
IGNORED = {"layout", "template", "type", "weight", "created", "clipped", "saved", "date_saved", "date_clipped",
           "modified_at", "status", "cssclasses", "image", "cover", "favicon"}
_WIKI = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")


def _dewiki(value):
    """A clipper's wiki-link values ([[Jane Doe]], [[page|shown]]) as their text."""
    if isinstance(value, str):
        return _WIKI.sub(r"\1", value).strip()
    if isinstance(value, list):
        return [_dewiki(v) for v in value]
    return value


class InfoNote(str):
    """A note from decode() that is information, not a warning: GBK or Big5 read without a single
    bad byte is what the scrape was, not a problem (so --strict does not fail on it)."""


_CTRL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def _looks_binary(data: bytes) -> bool:
    """Many control bytes (not tab or newline) in the first 8 KB: an image, an archive, a PDF."""
    sample = data[:8192]
    ctrl = len(sample) - len(sample.translate(None, _CTRL_BYTES))
    return ctrl >= 16 and ctrl > len(sample) * 0.05


def decode(data: bytes, rel: str) -> tuple[str, list[str]]:
    """Bytes → text with \\n newlines. Returns (text, notes): each a warning, but an InfoNote
    only worth telling (a legacy encoding decoded without error). Raises ContentError."""
    notes: list[str] = []
    if not data.strip():
        raise ContentError(rel, "the file is empty", hint="add the article text or delete the file")
    if len(data) > MAX_BYTES:
        raise ContentError(rel, f"the file is {len(data) / 1e6:.1f} MB; articles over "
                           f"{MAX_BYTES // (1024 * 1024)} MB are refused", hint="is this really one article?")
    text = None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ContentError(rel, "the file starts with a UTF-16 mark but is not valid UTF-16") from None
    if text is None and _looks_binary(data):
        raise ContentError(rel, "this looks like a binary file, not text",
                           hint="only .txt and .md articles belong in content/")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        if data.count(b"\x00") > len(data) // 100 + 1:
            raise ContentError(rel, "this looks like a binary file, not text",
                               hint="only .txt and .md articles belong in content/")
        import charset_normalizer  # ~20 ms to import: only for a file that is not UTF-8

        best = charset_normalizer.from_bytes(
            data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252", "shift_jis", "euc_kr", "latin_1"]).best()
        if best is None:
            raise ContentError(rel, "cannot tell the text encoding", hint="save the file as UTF-8")
        enc = best.encoding
        if enc in ("gbk", "gb2312"):
            enc = "gb18030"  # a superset: never worse
        text = data.decode(enc, errors="strict")
        notes.append(InfoNote(f"decoded as {enc} (not UTF-8); consider saving it as UTF-8"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text and text.count("\x00") > len(text) // 100 + 1:
        raise ContentError(rel, "this looks like a binary file, not text",
                           hint="only .txt and .md articles belong in content/")
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        notes.append(f"removed {len(text) - len(cleaned)} control character(s) (NUL and the like)")
    if not cleaned.strip():
        raise ContentError(rel, "the file holds no text")
    return cleaned, notes


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, lines before body). An unclosed block is an error."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 0
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 1
    raise ContentError(rel, "front matter opened with '---' is never closed", line=1,
                       hint="add a line '---' after the last key")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same types, 10× faster


class _Loader(_LOADER):
    """The YAML loader that also notes each top-level key's line while it composes the front
    matter (yaml.load is compose + construct: the lines come from the node it builds anyway,
    instead of parsing the block a second time)."""

    def get_single_node(self):
        node = super().get_single_node()
        if isinstance(node, yaml.MappingNode):  # front matter starts on line 2
            _key_lines.found = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
        return node


_key_lines = threading.local()  # set by _Loader in this thread (the preview builds in a thread)


def parse_yaml(fm: str, rel: str) -> tuple[dict, dict]:
    _key_lines.found = lines = {}
    try:
        data = frontmatter.YAMLHandler().load(fm, Loader=_Loader)
        lines = _key_lines.found
    except yaml.MarkedYAMLError as e:
        mark = e.context_mark or e.problem_mark  # where the broken construct began
        line = mark.line + 2 if mark else None
        what = f"{e.context}, {e.problem}" if e.context else (e.problem or str(e))
        raise ContentError(rel, f"front matter: {what}", line=line,
                           hint="check quotes, colons and brackets on that line") from None
    except yaml.YAMLError as e:
        raise ContentError(rel, f"front matter: {e}", line=1) from None
    except ValueError as e:  # e.g. an impossible date such as 2026-02-30
        lines = _key_lines.found  # composed before the value failed
        line = next((n for k, n in lines.items() if k in ("date", "updated", "lastmod", "Lastmod")), None)
        raise ContentError(rel, f"front matter: impossible value: {e}", line=line,
                           hint="write a real date, e.g. 2026-03-05 or 2026-03-05T09:12:00+08:00") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(rel, "front matter must be 'key: value' lines", line=2)
    return data, lines


def parse_date(value, rel: str, key: str, line: int | None):
    """A front matter date → datetime (naive means: in the site's zone) or ContentError."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        s = value.strip()
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00").replace("/", "-"))
        except ValueError:
            pass
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2}))?", s)
        if m:
            try:
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
                return datetime(y, mo, d, int(m[4] or 0), int(m[5] or 0))
            except ValueError as e:
                raise ContentError(rel, f"front matter: {key}: impossible date {value!r}: {e}", line=line) from None
    raise ContentError(rel, f"front matter: {key}: cannot read {value!r} as a date", line=line,
                       hint="write e.g. 2026-03-05, or 2026-03-05T09:12:00+08:00 with a time zone")


_ALIAS_OK = re.compile(r"^[\w.~%-]+(?:/[\w.~%-]+)*/?$")


def alias_path(value: str, rel: str, line: int | None) -> str:
    """An old URL of an article → its site-relative path: 'posts/old/', '/posts/old/' and
    'old' (a bare old slug, no slash) give 'posts/old/'; a path ending in .html stays a file."""
    v = str(value).strip()
    if "://" in v or "?" in v or "#" in v or ".." in v.split("/") or not _ALIAS_OK.match(v.strip("/") or "-"):
        raise ContentError(rel, f"front matter: aliases: {value!r} is not a path on this site", line=line,
                           hint="write the old URL's path, e.g. aliases: [posts/old-name/]")
    bare = "/" not in v
    v = v.strip("/")
    if bare and not v.endswith(".html"):
        return article_url(v)  # a bare old slug
    return v if v.endswith(".html") else v + "/"


def _str_list(value, rel, key, line, warnings):
    if isinstance(value, str):
        items = [v.strip() for v in re.split(r"[,，、;；]", value)]
        warnings.append(Problem(rel, line, f"front matter: {key} should be a list; read {value!r} as "
                                f"{[i for i in items if i]}", "write it as [a, b]"))
        return [i for i in items if i]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                              for v in value):
        raise ContentError(rel, f"front matter: {key}: expected a list of strings, got {value!r}", line=line,
                           hint=f"write {key}: [first, second]")
    out = []
    for v in value:  # a full-width comma inside one item is a curator's typo for a separator
        out.extend(p.strip() for p in re.split(r"[，、]", str(v)))
    return [o for o in out if o]


def _content_name(value: str, rel: str, key: str, line) -> str:
    """A file named by same_as/not_same_as: its path in content/ (a leading content/ or ./ is
    allowed)."""
    name = value.strip().replace("\\", "/").removeprefix("./").removeprefix("content/")
    if not name or name.startswith("/") or ".." in name.split("/") or re.match(r"^[a-z]+://", name):
        raise ContentError(rel, f"front matter: {key}: {value!r} is not a file in content/", line=line,
                           hint=f"name the other copy's file as it lies in content/, e.g. {key}: [sina-copy.txt]")
    return name


def validate_meta(raw: dict, lines: dict, rel: str) -> tuple[dict, dict, list]:
    """Check types and names; return (meta, key lines, warnings). Raises the first hard error."""
    meta, where, warnings = {}, {}, []
    for key0, value in raw.items():
        key = str(key0)
        line = lines.get(key)
        name = key if key in KEYS else ALIASES.get(key.lower(), key.lower() if key.lower() in KEYS else None)
        if name is None:
            if key.lower() not in IGNORED:
                close = difflib.get_close_matches(key.lower(), list(KEYS), n=1)
                warnings.append(Problem(rel, line, f"front matter: unknown key {key!r} ignored",
                                        f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(KEYS)))
            continue
        if name in meta and key != name:
            continue  # the canonical key wins over an alias
        if value is None or value == [] or value == "":
            continue
        value = _dewiki(value)
        if name == "source" and isinstance(value, str) and re.match(r"^https?://\S+$", value.strip()):
            if "source_url" in meta:
                continue
            name, value = "source_url", value.strip()  # a clipper's `source:` is the page's address
        if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(v for v in value if v)  # several authors, as clippers list them
        where[name] = line
        if name in ("date", "updated", "fetched"):
            value = parse_date(value, rel, key, line)
        elif name == "aliases":
            value = [alias_path(v, rel, line) for v in _str_list(value, rel, key, line, warnings)]
        elif name in ("tags", "strip", "keep"):
            value = _str_list(value, rel, key, line, warnings)
            if name in ("strip", "keep"):
                for pat in value:
                    try:
                        guarded(pat)  # as the cleaner will compile it
                    except re.error as e:
                        raise ContentError(rel, f"front matter: {key}: bad regular expression {pat!r}: {e}",
                                           line=line) from None
        elif name in ("draft", "canonical"):
            if not isinstance(value, bool):
                raise ContentError(rel, f"front matter: {name}: expected true or false, got {value!r}", line=line)
        elif name in ("same_as", "not_same_as"):  # syndicated copies (stories.py): files in content/
            value = [_content_name(v, rel, key, line) for v in _str_list([value] if isinstance(value, str) else value,
                                                                           rel, key, line, warnings)]
        elif name == "lang":
            canon = {l.lower(): l for l in LANGS} | {"zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-tw": "zh-Hant",
                                                      "zh-hk": "zh-Hant", "en-us": "en", "en-gb": "en"}
            if str(value).lower() not in canon:
                raise ContentError(rel, f"front matter: lang: expected one of {', '.join(LANGS)}, got {value!r}",
                                   line=line)
            value = canon[str(value).lower()]
        elif name == "slug":
            if not isinstance(value, str) or not _SLUG_OK.match(value):
                raise ContentError(rel, f"front matter: slug: expected {KEYS['slug']}, got {value!r}", line=line,
                                   hint="e.g. slug: chip-export-controls")
        elif name in ("source_url", "fetched_from"):
            if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
                raise ContentError(rel, f"front matter: {name}: expected an http(s) URL, got {value!r}", line=line)
        else:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise ContentError(rel, f"front matter: {key}: expected {KEYS[name]}, got {value!r}", line=line)
            value = value.strip()
        meta[name] = value
    return meta, where, warnings


_BLOCK_START = re.compile(r"^\s*</?(p|div|h[1-6]|li|ul|ol|br|section|article|figure|figcaption|span|table|tr|td|"
                          r"blockquote|header|footer|nav|aside|main|time|a|img|strong|em|b)\b[^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][\w:-]*(\s[^<>]*)?/?>")


def looks_like_html(text: str) -> bool:
    """Raw text copied as page source: three or more lines open with an HTML tag. (Prose that
    merely mentions <br> or <p> does not start its lines with them.)"""
    return sum(1 for line in text.split("\n") if _BLOCK_START.match(line)) >= 3


def html_to_lines(text: str) -> str:
    """Page source → text, one line for one line: scripts and styles go whole, tags go, entities
    are decoded. The output is text, never markup: it is escaped like any raw scrape."""
    import html as _html

    out = []
    for line in text.split("\n"):
        line = _TAG.sub("", _SCRIPT.sub("", line))
        out.append(_html.unescape(line).replace("\xa0", " "))
    return "\n".join(out)


def front_matter(text: str, rel: str, warnings: list) -> tuple[bool, dict, dict, str, int]:
    """(found, validated meta, key lines, body, body offset) of a text that may open with YAML
    front matter; its warnings are added to `warnings`. Raises ContentError."""
    fm, body, offset = split_front_matter(text, rel)
    if fm is None:
        return False, {}, {}, body, offset
    raw, lines = parse_yaml(fm, rel)
    meta, where, more = validate_meta(raw, lines, rel)
    warnings.extend(more)
    return True, meta, where, body, offset


def load_bytes(data: bytes, rel: str) -> Source:
    """Decode one file's bytes into a Source. Raises ContentError for bad content."""
    kind = SUFFIXES.get(Path(rel).suffix.lower(), "txt")
    if kind == "html":
        from .webpage import load_page

        return load_page(data, rel)
    text, notes = decode(data, rel)
    warnings = [Problem(rel, None, str(n), level="info" if isinstance(n, InfoNote) else "warning") for n in notes]
    found, meta, where, body, offset = front_matter(text, rel, warnings)
    if not found and kind == "md":
        warnings.append(Problem(rel, 1, "Markdown file without front matter",
                                "start it with '---', 'title: …', 'date: …', '---'"))
    if kind == "txt" and looks_like_html(body):
        body = html_to_lines(body)
        warnings.append(Problem(rel, None, "the text was HTML source: tags removed and entities decoded, "
                                           "line by line (line numbers unchanged)"))
    if not body.strip():
        raise ContentError(rel, "the article has no body text", line=offset + 1 if offset else None)
    return Source(rel=rel, kind=kind, digest=hashlib.sha256(data).hexdigest(), text=text, meta=meta,
                  meta_lines=where, body=body, body_offset=offset, warnings=tuple(warnings))
