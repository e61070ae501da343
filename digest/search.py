"""Static search: a Pagefind index of the article pages, and the search page that uses it.

build_search() is the pipeline's one hook. It runs after the pages are rendered into the staging
folder and before the commit to output/: it reads the article pages ({path: bytes}, from staging
or, when unchanged, from output/) and returns more files for the same commit: pagefind/… and
search/index.html. So the index is always in step with the articles, the commit stays atomic,
and an unchanged index is not rewritten.

Only article pages are indexed, and in them only what the theme marks with data-pagefind-body
(title and body; byline, footer and hidden filter spans carry data-pagefind-ignore). Each article
page keeps its own <html lang>, so Pagefind builds one index per language (en, zh-hans, zh-hant …)
and segments Chinese into words (that needs the "extended" Pagefind binary: pagefind[extended]).
The search page (static/search.js) queries every language index at once.

Pagefind 1.5 writes some files in a random order (Rust hash maps): filter values, the filter list in
each language's meta file and the language list in pagefind-entry.json. canonicalize() sorts them
and renames the touched files by a hash of their new bytes, so the same input gives the same bytes.
An index whose input did not change is taken from the cache folder (settings.cache_path: the
preview has its own, so preview and build do not replace each other's index) without starting
Pagefind at all.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import json
import pickle
import re
import struct
import sys
import tempfile
from pathlib import Path

from .config import Settings
from .errors import SettingsError

BUNDLE = "pagefind/"  # the index, relative to the output folder
PAGE = "search/"  # the search page
CACHE_FILE = "search.pickle"  # in the cache folder (settings.cache_path)
_SIGNATURE = b"pagefind_dcd"  # every decompressed Pagefind data file starts with it

LABELS = {
    "en": {"label": "Search the articles", "button": "Search", "tag": "Tag", "source": "Source", "any": "All",
           "results": "{n} results", "one": "1 result", "none": "No results", "more": "More results",
           "loading": "Loading…", "failed": "Search could not load."},
    "zh-Hans": {"label": "搜索文章", "button": "搜索", "tag": "标签", "source": "来源", "any": "全部",
                "results": "{n} 条结果", "one": "1 条结果", "none": "没有结果", "more": "更多结果",
                "loading": "正在加载…", "failed": "搜索无法加载。"},
    "zh-Hant": {"label": "搜尋文章", "button": "搜尋", "tag": "標籤", "source": "來源", "any": "全部",
                "results": "{n} 筆結果", "one": "1 筆結果", "none": "沒有結果", "more": "更多結果",
                "loading": "正在載入…", "failed": "無法載入搜尋。"},
}


class SearchError(SettingsError):
    """Search is on but cannot be built; the CLI prints it like a settings error (exit 2)."""


def pagefind_executable() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def build_search(settings: Settings, theme, renderer, files: dict[str, bytes]) -> dict[str, bytes]:
    """The pipeline hook: {path: bytes} of the index and the search page ({} when search is off)."""
    if not settings.search:
        return {}
    pages = {path: files[path] for path in renderer.article_paths() if path in files}
    out = build_index(pages, cache_dir=settings.cache_path)
    out[PAGE + "index.html"] = render_page(settings, theme, renderer)
    return out


def render_page(settings: Settings, theme, renderer) -> bytes:
    labels = LABELS.get(settings.language, LABELS["en"])
    ctx = renderer.ctx(PAGE, title=renderer.labels["search"], description=settings.description)
    return theme.render("search.html", **{**ctx, "S": labels, "bundle": BUNDLE,
                                          "tags": [t.name for t in sorted(renderer.tags, key=lambda t: t.name)],
                                          "sources": [t.name for t in sorted(renderer.sources, key=lambda t: t.name)]})


def build_index(pages: dict[str, bytes], *, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Index {"posts/x/index.html": html bytes}; return {"pagefind/…": bytes}, deterministically."""
    exe = pagefind_executable()
    if exe is None:
        raise SearchError("search is on but Pagefind is not installed — pip install 'pagefind[extended]', "
                          "or set search = false in [tool.digest]")
    if "extended" not in exe.name and any(re.search(rb'<html lang="(zh|ja)', h[:200]) for h in pages.values()):
        print("warning: search: Chinese and Japanese are not split into words without pagefind[extended] "
              "(pip install 'pagefind[extended]')", file=sys.stderr)
    key = _fingerprint(pages, exe)
    cached = _cache_load(cache_dir, key)
    if cached is not None:
        return cached
    try:
        raw = _run(_index(pages))
    except SearchError:
        raise
    except Exception as e:  # the Pagefind service failed: name it, keep the traceback out of the CLI
        raise SearchError(f"building the search index failed: {type(e).__name__}: {e} — "
                          "set search = false in [tool.digest] to build without search") from e
    files = {BUNDLE + rel: data for rel, data in sorted(canonicalize(raw).items())}
    _cache_save(cache_dir, key, files)
    return files


async def _index(pages: dict[str, bytes]) -> dict[str, bytes]:
    from pagefind.index import PagefindIndex

    # One add_directory request, not one add_html_file per page: the Python service answers at
    # most ten requests a second, while the binary indexes a folder on every core.
    with tempfile.TemporaryDirectory(prefix="digest-pagefind-") as tmp:
        site, bundle = Path(tmp) / "site", Path(tmp) / "bundle"
        for path, html in pages.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(html)
        site.mkdir(exist_ok=True)
        # The context writes the bundle into output_path when it closes without an error.
        async with PagefindIndex(config={"output_path": str(bundle)}) as index:
            await index.add_directory(str(site), glob="**/*.html")
        files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    if "pagefind-entry.json" not in files:
        raise SearchError("building the search index failed: Pagefind wrote no pagefind-entry.json")
    return files


def _run(coro):
    """asyncio.run, also from code that already runs an event loop (the preview server)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _fingerprint(pages: dict[str, bytes], exe: Path) -> str:
    h = hashlib.sha256(b"digest-search-1\0")
    try:
        st = exe.stat()
        h.update(f"{exe.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    except OSError:
        h.update(str(exe).encode())
    h.update(Path(__file__).read_bytes())  # this file's canonicalisation is part of the output
    for path, html in sorted(pages.items()):
        h.update(path.encode() + b"\0" + hashlib.sha256(html).digest())
    return h.hexdigest()


def _cache_load(cache_dir: Path | None, key: str) -> dict[str, bytes] | None:
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / CACHE_FILE, "rb") as f:
            stored = pickle.load(f)
        return dict(stored["files"]) if stored.get("key") == key else None
    except (OSError, pickle.PickleError, EOFError, AttributeError, KeyError, TypeError, ValueError):
        return None


def _cache_save(cache_dir: Path | None, key: str, files: dict[str, bytes]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / (CACHE_FILE + ".tmp")
        with open(tmp, "wb") as f:
            pickle.dump({"key": key, "files": files}, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache_dir / CACHE_FILE)
    except OSError:
        pass  # a cache that cannot be written only costs time


# --- determinism -------------------------------------------------------------------------------

def canonicalize(files: dict[str, bytes]) -> dict[str, bytes]:
    """Sort what Pagefind leaves in hash-map order; rename the rewritten files by content.

    Touches only filter files, meta files and pagefind-entry.json. Files whose layout is not the
    expected one are left as Pagefind wrote them (search still works; only determinism is lost).
    """
    files = dict(files)
    try:
        entry = json.loads(files["pagefind-entry.json"])
        for lang in sorted(entry["languages"]):
            info = entry["languages"][lang]
            meta_name = f"pagefind.{info['hash']}.pf_meta"
            meta = _load(files[meta_name])
            if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
                continue
            renamed = []
            for name, fhash in meta[3]:
                fpath = f"filter/{fhash}.pf_filter"
                flt = _load(files[fpath])
                flt[1] = sorted(flt[1], key=lambda v: (v[0], v[1]))
                new_hash = _name(lang, _dump(flt), 7)
                files.pop(fpath)
                files[f"filter/{new_hash}.pf_filter"] = _pack(flt)
                renamed.append([name, new_hash])
            meta[3] = sorted(renamed)
            new_meta = _name(lang, _dump(meta), 15)
            files.pop(meta_name)
            files[f"pagefind.{new_meta}.pf_meta"] = _pack(meta)
            info["hash"] = new_meta
        entry["languages"] = dict(sorted(entry["languages"].items()))
        files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    except (KeyError, IndexError, TypeError, ValueError):
        return files
    return files


def _name(lang: str, data: bytes, n: int) -> str:
    return f"{lang}_{hashlib.sha256(data).hexdigest()[:n]}"


def _load(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise ValueError("not a Pagefind data file")
    value, end = _cbor_decode(raw, len(_SIGNATURE))
    if end != len(raw) or _dump(value) != raw[len(_SIGNATURE):]:
        raise ValueError("unexpected Pagefind data layout")  # must round-trip exactly
    return value


def _dump(value) -> bytes:
    out = bytearray()
    _cbor_encode(value, out)
    return bytes(out)


def _pack(value) -> bytes:
    return gzip.compress(_SIGNATURE + _dump(value), compresslevel=9, mtime=0)


def _cbor_decode(b: bytes, i: int):
    """The subset of CBOR Pagefind writes: integers, strings, bytes, arrays, maps."""
    ib = b[i]
    major, info = ib >> 5, ib & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    else:
        raise ValueError(f"unsupported CBOR item {ib:#x}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(b[i:i + n]), i + n
    if major == 3:
        return b[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            v, i = _cbor_decode(b, i)
            items.append(v)
        return items, i
    if major == 5:
        d = {}
        for _ in range(n):
            k, i = _cbor_decode(b, i)
            d[k], i = _cbor_decode(b, i)
        return d, i
    raise ValueError(f"unsupported CBOR major type {major}")


def _cbor_head(major: int, n: int, out: bytearray) -> None:
    if n < 24:
        out.append(major << 5 | n)
    elif n < 1 << 8:
        out += bytes([major << 5 | 24, n])
    elif n < 1 << 16:
        out.append(major << 5 | 25)
        out += struct.pack(">H", n)
    elif n < 1 << 32:
        out.append(major << 5 | 26)
        out += struct.pack(">I", n)
    else:
        out.append(major << 5 | 27)
        out += struct.pack(">Q", n)


def _cbor_encode(v, out: bytearray) -> None:
    if isinstance(v, bool) or v is None:
        raise ValueError("unsupported CBOR value")
    if isinstance(v, int):
        _cbor_head(0, v, out) if v >= 0 else _cbor_head(1, -1 - v, out)
    elif isinstance(v, str):
        data = v.encode("utf-8")
        _cbor_head(3, len(data), out)
        out += data
    elif isinstance(v, bytes):
        _cbor_head(2, len(v), out)
        out += v
    elif isinstance(v, list):
        _cbor_head(4, len(v), out)
        for item in v:
            _cbor_encode(item, out)
    elif isinstance(v, dict):
        _cbor_head(5, len(v), out)
        for k, item in v.items():
            _cbor_encode(k, out)
            _cbor_encode(item, out)
    else:
        raise ValueError(f"unsupported CBOR value {type(v).__name__}")
