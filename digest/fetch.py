"""`digest add URL`: fetch a page and keep it, raw, in content/ for the build to read.

The page is stored as it came (decoded to UTF-8 text, nothing removed), after a short front
matter block with the address it was fetched from, the time, and the curator's tags:

    ---
    fetched_from: https://example.com/news/1.html
    fetched: 2026-03-05T02:13:09Z
    tags: [芯片]
    ---
    <!DOCTYPE html> …

so a better cleaner can read it again later. Every failure (an HTTP error, a page that is not
HTML, a time-out, a page over the size cap, a page with no article text) is a FetchError with a
plain message, and nothing is written: the file appears whole (written beside, then renamed)
or not at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # as load.MAX_BYTES: a page over 5 MB is not an article
TIMEOUT = 20.0  # seconds for each of connect, read, write
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "Mozilla/5.0 (compatible; digest/0.1; +https://github.com/) digest-add"


class FetchError(Exception):
    """A page that could not be added, with the reason a curator can act on."""


@dataclass
class Page:
    url: str  # the address asked for
    final_url: str  # after redirects
    text: str  # the page, decoded
    fetched: datetime
    charset: str


def _charset(content_type: str, data: bytes) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w:.-]+)", content_type or "", re.I)
    if m:
        return m[1]
    from .webpage import _declared_charset

    return _declared_charset(data)


def decode(data: bytes, content_type: str) -> tuple[str, str]:
    """(text, charset): the charset the headers name, else the page's <meta>, else UTF-8 when it
    is, else a guess. GBK and GB2312 are read as GB18030 (a superset)."""
    enc = _charset(content_type, data)
    if enc:
        enc = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}.get(enc.lower(), enc)
        try:
            return data.decode(enc).lstrip("\ufeff"), enc
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8").lstrip("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise FetchError("cannot tell the page's text encoding") from None
        return str(best), best.encoding


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Page:
    """GET url (following redirects) → Page. Raises FetchError."""
    import httpx

    if not re.match(r"^https?://[^\s/]+", url):
        raise FetchError(f"{url!r} is not an http(s) address")
    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout), max_redirects=10,
                          headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}) as client:
            with client.stream("GET", url) as r:
                if r.status_code >= 400:
                    raise FetchError(f"HTTP {r.status_code} {r.reason_phrase or ''}".rstrip() + f" for {r.url}")
                ctype = r.headers.get("content-type", "")
                kind = ctype.split(";")[0].strip().lower()
                if kind and kind not in HTML_TYPES:
                    raise FetchError(f"not a web page: {r.url} is {kind}",)
                length = r.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise FetchError(f"the page is {int(length) / 1e6:.1f} MB; pages over {max_bytes // (1024 * 1024)} MB "
                                     "are refused")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"the page is over {max_bytes // (1024 * 1024)} MB; pages that large are refused")
                    chunks.append(chunk)
                data, final = b"".join(chunks), str(r.url)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s fetching {url}") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects fetching {url}") from None
    except httpx.InvalidURL as e:
        raise FetchError(f"{url!r} is not a valid address: {e}") from None
    except httpx.HTTPError as e:
        raise FetchError(f"cannot fetch {url}: {e or type(e).__name__}") from None
    if not kind and not re.search(rb"<(html|body|head|!doctype)", data[:4096], re.I):
        raise FetchError(f"not a web page: {final} sent no content type and no HTML")
    text, enc = decode(data, ctype)
    return Page(url, final, text, datetime.now(timezone.utc).replace(microsecond=0), enc)


def stored_text(page: Page, tags: list[str]) -> str:
    """The file `add` writes: front matter (address, time, tags), then the raw page."""
    import json

    # the address after redirects: where the page's relative links and images point
    head = [f"fetched_from: {json.dumps(page.final_url)}", f"fetched: {page.fetched.strftime('%Y-%m-%dT%H:%M:%SZ')}"]
    if tags:  # (JSON is YAML)
        head.append(f"tags: {json.dumps(tags, ensure_ascii=False)}")
    return "---\n" + "\n".join(head) + "\n---\n" + page.text


def write_new(path: Path, text: str) -> None:
    """Write path whole or not at all; never replace an existing file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # a dot name: the build never reads it
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            raise FileExistsError(path)
        try:
            os.link(tmp, path)  # fails if path appeared meanwhile: never overwrites
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
