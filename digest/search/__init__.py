"""Static search: digest's own index of the article pages, in shards, and the search page that uses it.

build_search() is the pipeline's one hook. It runs after the pages are rendered into the staging
folder and before the commit to output/, and returns more files for the same commit:
search/index.html and the index in search/data/. So the index is in step with the articles,
the commit stays atomic, and an unchanged index is not rewritten.

What is indexed: the article pages, and in them what the theme marks with data-pagefind-body
(the attribute names are Pagefind's, kept as the theme's interface): title and body, without
what carries data-pagefind-ignore; data-pagefind-meta="title"/"date" and data-pagefind-filter
="tag"/"source" give the result's title, date and filters.

How text is split (text.py, mirrored by static/search.js): Chinese as overlapping character
pairs with positions (a query matches where all its pairs stand in a row), Traditional folded
to Simplified on both sides, other words lowercased and stemmed. No dictionary, so the index
and the browser always split alike (Pagefind's jieba and the browser's Intl.Segmenter did not).

Shards (plan()): the articles of a year form one shard; a year of more than SHARD_MAX articles is
one shard a month, and a month of more, several by a hash of the path. A shard's folder is named
by a key over what its pages index (shard_dir(): each page's content key, remembered by its
sha256 from the output manifest) and this code, so an edit or a new article rebuilds one small
shard; the others are taken from the cache folder's search/ (settings.cache_path) byte for byte. Shards to build are built
in forked workers, one shard to a worker at a time. The browser loads search/data/entry.json and
the list of all articles, then for each query term one bucket file of each shard (terms are
spread over a shard's buckets by a hash) and, for the results shown, the files holding their text.

The live preview (its output folder is serve.PREVIEW_DIR) never waits for the index: the hook
returns the search page only, and a child process writes the index into the preview folder after
the build's commit (background.py).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import math
import os
import pickle
from collections import defaultdict
from pathlib import Path

from ..config import Settings
from ..errors import SettingsError

BUNDLE = "search/data/"  # the index, relative to the output folder
PAGE = "search/"  # the search page
ENTRY = "entry.json"
VERSION = 2  # of the index's layout: static/search.js reads entry.json["version"] (2: packs)
PACK = 8  # shards at most whose bucket files the browser loads as one (pack_buckets)
SHARD_MAX = 300  # articles in a shard at most (a year, else a month, else parts of a month)
BUCKET_INTS = 12_000  # numbers of postings in a bucket file, about (total / this, to the nearest power of two)
CHUNK = 16  # article texts in a text file (the browser loads those of the results it shows)
PARALLEL_MIN = 400  # articles to index at least before shards are built in forked workers
READ_MAX = 100  # changed pages read in the build's own process to find whether their text changed
CACHE_DIR = "search"  # in the cache folder (settings.cache_path; the preview has its own)
PAGES = "pages.pickle"  # in the cache: {page path: (sha256, content key)} of the last build
RECORDS = "records"  # in the cache: a pickle a shard id, its pages' records (Cache.load_records)
PREVIEW_DIR = ".digest-cache/preview"  # serve.PREVIEW_DIR (not imported: serve pulls in more)

last_built = 0  # shards built (not taken from the cache) by the last build_search()
forked = 0  # times shards were built in forked workers (for the tests)

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


def build_search(settings: Settings, theme, renderer, output, use_parallel: bool = True,
                 prebuilt: dict | None = None) -> dict[str, bytes]:
    """The pipeline hook: {path: bytes} of the index and the search page ({} when search is off).
    output is the build's write.Output: its manifest has the sha256 of every page rendered.
    prebuilt: shards the render workers built already (build_bundle; speed layer, overlap.py)."""
    if not settings.search:
        return {}
    global last_built
    dates = {path: a.date for path, a in zip(renderer.article_paths(), renderer.articles)}
    items = [(path, output.manifest[path], dates[path]) for path in renderer.article_paths() if path in output.manifest]
    shards = plan(items)
    cache = Cache(settings.cache_path / CACHE_DIR, settings.output_dir)  # (the preview has its own)
    page = render_page(settings, theme, renderer)
    if Path(settings.output_dir) == Path(PREVIEW_DIR):
        from . import background

        background.submit(shards, cache, output, settings.output_path)
        last_built = 0
        return {PAGE + "index.html": page}
    files, built = build_bundle(shards, cache, lambda rel: _source(output, rel), use_parallel, prebuilt=prebuilt)
    cache.prune({s.dir for s in shards}, {s.id for s in shards})
    last_built = built
    out = {BUNDLE + rel: data for rel, data in files.items()}
    out[PAGE + "index.html"] = page
    return out


def _source(output, rel: str) -> str:
    """Where a page of this build is on disk: staged, or unchanged in output/."""
    return os.path.join(output.stage if rel in output.staged else output.out, rel)


def render_page(settings: Settings, theme, renderer) -> bytes:
    labels = LABELS.get(settings.language, LABELS["en"])
    ctx = renderer.ctx(PAGE, title=renderer.labels["search"], description=settings.description)
    return theme.render("search.html", **{**ctx, "S": labels, "bundle": BUNDLE,
                                          "tags": [t.name for t in sorted(renderer.tags, key=lambda t: t.name)],
                                          "sources": [t.name for t in sorted(renderer.sources, key=lambda t: t.name)]})


# --- shards -------------------------------------------------------------------------------------

class Shard:
    """A set of article pages indexed together: id (2026, 2026-03, 2026-03.1, undated), pages
    [(path, sha256)], and dir: the folder of its files, named by shard_dir() once the content of
    its pages is known."""

    def __init__(self, sid: str, pages: list[tuple[str, str]]):
        self.id, self.pages = sid, sorted(pages)
        self.dir: str | None = None

    def __repr__(self):
        return f"Shard({self.id}, {len(self.pages)} pages)"


def shard_dir(sid: str, keys: list[tuple[str, str]]) -> str:
    """The folder of a shard: its id and a key over its pages' indexed content [(path, content
    key)] and this code. A page's links to its neighbours are not indexed, so a new article
    does not rebuild the shard of the article next to it."""
    h = hashlib.sha256(f"digest-search\0{VERSION}\0{_code_fingerprint()}\0{sid}\0".encode())
    for path, key in sorted(keys):
        h.update(f"{path}\0{key}\0".encode())
    return f"{sid}-{h.hexdigest()[:16]}"


def content_key(rec: dict) -> str:
    return hashlib.sha256(json.dumps(rec, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


def plan(items: list[tuple[str, str, object]]) -> list[Shard]:
    """Shards for [(path, sha256, date or None)], newest first. A year is one shard, else a month
    is, else a month is cut in parts by a hash of each path: an article's shard depends only on
    its date and on how many articles share its year and month."""
    years: dict[int | None, list] = defaultdict(list)
    for path, sha, date in items:
        years[date.year if date else None].append((path, sha, date))
    shards = []
    for year in sorted(years, key=lambda y: -1 if y is None else y, reverse=True):
        group = years[year]
        name = "undated" if year is None else str(year)
        if len(group) <= SHARD_MAX:
            shards.append(Shard(name, [(p, s) for p, s, _ in group]))
            continue
        months: dict[str, list] = defaultdict(list)
        for path, sha, date in group:
            months[name if date is None else f"{year}-{date.month:02d}"].append((path, sha))
        for month in sorted(months, reverse=True):
            pages = months[month]
            if len(pages) <= SHARD_MAX:
                shards.append(Shard(month, pages))
                continue
            k = math.ceil(len(pages) / SHARD_MAX)
            parts: dict[int, list] = defaultdict(list)
            for path, sha in pages:
                parts[int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % k].append((path, sha))
            for i in sorted(parts):
                shards.append(Shard(f"{month}.{i}", parts[i]))
    return shards


_CODE = None


def _code_fingerprint() -> str:
    """This package's code and fold table: a change in how text is split rebuilds every shard."""
    global _CODE
    if _CODE is None:
        from .fold import TABLE

        h = hashlib.sha256()
        here = Path(__file__).resolve().parent
        for p in sorted(here.glob("*.py")) + [TABLE]:
            h.update(p.name.encode() + b"\0" + p.read_bytes())
        _CODE = h.hexdigest()
    return _CODE


# --- building -----------------------------------------------------------------------------------

def page_keys(shards: list[Shard], cache: "Cache", source) -> dict[str, tuple[str, str]]:
    """{page path: (sha256, content key)}: the cache's, and those of a few pages it does not know
    (an edit, a new article and its neighbours) read now; more than READ_MAX stay unknown (their
    shards are built, and their workers read them)."""
    from .fastshard import extract as read_page  # speed layer: extract(), the same record

    known = cache.load_pages()
    unknown = [(path, sha) for s in shards for path, sha in s.pages if known.get(path, (None,))[0] != sha]
    if len(unknown) <= READ_MAX:
        for path, _ in unknown:
            with open(source(path), "rb") as f:
                html = f.read()
            # the sha256 of the bytes read: a page that is not the one planned stays unknown
            known[path] = (hashlib.sha256(html).hexdigest(), content_key(read_page(html, path)))
    return known


def cached_dir(s: Shard, known: dict) -> str | None:
    """The folder shard s has in the cache when every page of it has a known key, else None."""
    if all(known.get(path, (None,))[0] == sha for path, sha in s.pages):
        return shard_dir(s.id, [(path, known[path][1]) for path, _ in s.pages])
    return None


def shard_job(s: Shard, source, cache: "Cache") -> tuple:
    """build_shard's job for shard s. (Speed layer) it carries the cache, whose records of the
    shard's pages as last indexed spare reading, parsing and splitting the unchanged ones
    (build_shard, Cache.load_records)."""
    return (s.id, [(path, source(path), sha) for path, sha in s.pages], cache)


def build_bundle(shards: list[Shard], cache: "Cache", source, use_parallel: bool = True,
                 stop=None, prebuilt: dict | None = None) -> tuple[dict[str, bytes], int]:
    """({path under search/data/: bytes}, shards built). source(page path) gives a page's file.
    stop(): when it returns true between shards, give up (returns None, built).

    A page whose sha256 is the one cached has its cached content key; a few others (an edit, a
    new article and its neighbours) are read here; the shards whose pages all have a key are
    looked up in the cache by shard_dir(). The rest are built (their workers read the pages)."""
    known = page_keys(shards, cache, source)
    files: dict[str, bytes] = {}
    todo = []
    for s in shards:
        if (sdir := cached_dir(s, known)) is not None:
            s.dir = sdir
            got = cache.load(s.dir)
            if got is not None:
                files.update(got)
                continue
        todo.append(s)
    jobs = [shard_job(s, source, cache) for s in todo]
    # speed layer (overlap.py): prebuilt {id: (pages, result)}, shards the render workers built from
    # these very jobs; any other job is built here
    ahead = prebuilt or {}
    ready = [ahead[j[0]][1] if j[0] in ahead and ahead[j[0]][0] == j[1] else None for j in jobs]
    rest = [j for j, got in zip(jobs, ready) if got is None]
    parallel = use_parallel and len(rest) > 1 and sum(len(j[1]) for j in rest) >= PARALLEL_MIN
    made = _map(build_shard, rest, parallel, stop)
    for s, got in zip(todo, (got if got is not None else next(made) for got in ready)):
        if got is None:
            return None, 0
        s.dir, built, keys = got
        cache.save(s.dir, built)
        files.update(built)
        known.update(keys)
    cache.save_pages({path: known[path] for s in shards for path, _ in s.pages})
    fold_name, fold_data = fold_file()
    files[fold_name] = fold_data
    # Every shard's list of articles in one file: the page needs them all (filters, ranking), and
    # one request costs less than one a shard. Joined as they are: [[shard 1's …], [shard 2's …]].
    docs = b"[" + b",".join(gzip.decompress(files.pop(f"{s.dir}/docs.dat")) for s in shards) + b"]"
    docs_data = gzip.compress(docs, compresslevel=1, mtime=0)
    docs_name = f"docs-{hashlib.sha256(docs_data).hexdigest()[:12]}.dat"
    files[docs_name] = docs_data
    buckets: dict[str, int] = defaultdict(int)
    for name in files:
        sdir, _, base = name.partition("/")
        if base.startswith("b"):
            buckets[sdir] += 1
    packed = pack_buckets(shards, files, buckets)
    entry = {"version": VERSION, "fold": fold_name, "docs": docs_name, "chunk": CHUNK,
             "shards": [{"dir": s.dir, "docs": len(s.pages), "buckets": buckets[s.dir], **packed.get(s.dir, {})}
                        for s in shards]}
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(files.items())), len(todo)


def pack_buckets(shards: list[Shard], files: dict[str, bytes], buckets: dict[str, int]) -> dict[str, dict]:
    """The browser's requests: a query loads one bucket file of every shard for each of its
    terms (40 shards at 10,000 articles: ~120 requests for a three-character query). Shards
    next to each other with the same number of buckets (PACK at most) have their bucket files
    joined for the browser: the pack's b{i}.dat holds bucket i of each, as they are (gzipped
    apart: no recompression, so an edit costs a concatenation). A pack file is a 4-byte
    big-endian length, a JSON list of the members' sizes, then the members in shard order.
    Moves the members out of files and into the packs; returns {shard dir: {"pack", "slot"}}."""
    groups: list[list[Shard]] = []
    for s in shards:
        if groups and buckets[s.dir] == buckets[groups[-1][0].dir] and len(groups[-1]) < PACK:
            groups[-1].append(s)
        else:
            groups.append([s])
    where: dict[str, dict] = {}
    for group in groups:
        if len(group) < 2:
            continue
        name = "p-" + hashlib.sha256("\0".join(s.dir for s in group).encode()).hexdigest()[:16]
        for i in range(buckets[group[0].dir]):
            members = [files.pop(f"{s.dir}/b{i}.dat") for s in group]
            header = json.dumps([len(m) for m in members], separators=(",", ":")).encode()
            files[f"{name}/b{i}.dat"] = len(header).to_bytes(4, "big") + header + b"".join(members)
        for k, s in enumerate(group):
            where[s.dir] = {"pack": name, "slot": k}
    return where


def unpack(data: bytes, slot: int) -> bytes:
    """Member `slot` of a pack file (pack_buckets), as stored (gzipped JSON)."""
    n = int.from_bytes(data[:4], "big")
    sizes = json.loads(data[4:4 + n])
    start = 4 + n + sum(sizes[:slot])
    return data[start:start + sizes[slot]]


def _map(fn, jobs: list, parallel: bool, stop=None):
    """fn over jobs in order: in forked workers (one shard each at a time) when parallel."""
    global forked
    if not parallel:
        for job in jobs:
            if stop is not None and stop():
                yield None
                return
            yield fn(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ..parallel import workers

    forked += 1
    ours = gc.get_freeze_count() == 0
    gc.freeze()  # the workers never walk the parent's objects (no copy-on-write faults)
    try:
        with ProcessPoolExecutor(min(workers(), len(jobs)), mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(fn, jobs, chunksize=1)
    finally:
        if ours:
            gc.unfreeze()


def build_shard(job: tuple[str, list[tuple[str, str]]]) -> tuple[str, dict[str, bytes], dict]:
    """_build_shard(job) with the cyclic garbage collector paused (speed layer): a shard's
    lists (each page's terms, the postings, the records kept) stay alive until it is done, and
    none is in a reference cycle, so the collector's passes over them free nothing; they cost
    ~0.3 ms a page (10,000 articles: ~3 s of CPU). Its previous state is restored."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build_shard(job)
    finally:
        if paused:
            gc.enable()


def _build_shard(job: tuple[str, list[tuple[str, str]]]) -> tuple[str, dict[str, bytes], dict]:
    """(its folder, one shard's files {dir/name: gzipped JSON}, {page: (sha256, content key)}): docs.dat (each article's url, title, date,
    source, tags, lang, text length; build_bundle joins those of all shards in one file), b{i}.dat (postings of the terms whose hash falls in bucket
    i) and t{i}.dat (the texts of articles CHUNK*i …, for excerpts)."""
    # speed layer (fastshard.py): extract() and the terms (fastterms' numpy, positions coded as
    # the postings hold them) the same answer for less
    import numpy as np

    from .fastshard import extract as read_page, flat_coded

    sid, pages, cache = job if len(job) == 3 else (*job, None)
    # A page's record (what extract() and terms() make of it) is a pure function of its bytes:
    # kept by sha256 from the last time this shard was built, and the same files come out
    # (tests/test_speed_layer.py builds shards with and without the records).
    old = cache.load_records(sid) if cache is not None else {}
    records = {}
    docs, texts, keys = [], [], {}
    cjk: dict[str, list[int]] = {}
    words: dict[str, list[int]] = {}
    for d, (path, file, *planned) in enumerate(pages):
        got = old.get(path)
        if got is not None and planned and got[0] == planned[0]:
            sha, rec, ckey, terms, packed, w = got
            flat = np.frombuffer(packed, dtype=np.int32).tolist()
        else:
            with open(file, "rb") as f:
                html = f.read()
            rec = read_page(html, path)
            sha, ckey = hashlib.sha256(html).hexdigest(), content_key(rec)
            # the cjk terms, their [count, first position, gaps…] one after another, {stem: count}
            terms, array, w = flat_coded(rec["text"])
            flat, packed = array.tolist(), array.tobytes()  # (speed layer: a record kept as bytes)
        records[path] = (sha, rec, ckey, terms, packed, w)
        keys[path] = (sha, ckey)
        text = rec["text"]
        docs.append([rec["url"], rec["title"], rec["date"], rec["source"], rec["tags"], rec["lang"], len(text)])
        texts.append(text)
        a = 0
        for term in terms:  # [doc, count, first position, gaps…]: gaps, smaller files
            b = a + flat[a] + 1
            lst = cjk.get(term)
            if lst is None:
                lst = cjk[term] = [d]
            else:
                lst.append(d)
            lst += flat[a:b]
            a = b
        for term, n in w.items():
            lst = words.get(term)
            if lst is None:
                words[term] = [d, n]
            else:
                lst.append(d)
                lst.append(n)
    total = sum(len(v) for v in cjk.values()) + sum(len(v) for v in words.values())
    # a power of two, the nearest (on a log scale) to total / BUCKET_INTS: shards of similar size
    # have as many buckets, so their bucket files can be packed together (pack_buckets)
    nb = 1 << max(0, round(math.log2(max(1.0, total / BUCKET_INTS))))
    buckets: list[dict] = [{} for _ in range(nb)]
    for term in sorted(cjk):
        buckets[bucket_of(term, nb)][term] = cjk[term]
    for term in sorted(words):
        buckets[bucket_of(term, nb)][term] = words[term]
    sdir = shard_dir(sid, [(path, key) for path, (_, key) in keys.items()])
    if cache is not None:
        cache.save_records(sid, records)
    out = {f"{sdir}/docs.dat": _pack(docs)}
    for i, b in enumerate(buckets):
        out[f"{sdir}/b{i}.dat"] = _pack(b)
    for i in range(0, len(texts), CHUNK):
        out[f"{sdir}/t{i // CHUNK}.dat"] = _pack(texts[i:i + CHUNK])
    return sdir, out, keys


def bucket_of(term: str, n: int) -> int:
    """FNV-1a (32 bits) over the code points of the term — of its first character only for a
    Chinese term, so a one-character query finds every pair starting with it in one bucket."""
    from .text import is_cjk

    key = term[0] if is_cjk(term) else term
    h = 2166136261
    for ch in key:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h % n


def _pack(value) -> bytes:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(data, compresslevel=1, mtime=0)  # level 6: 15% smaller, 1.5x the build time


def fold_file() -> tuple[str, bytes]:
    """The Traditional → Simplified table for the browser: "TSTS…" in one JSON string."""
    from .fold import table

    data = _pack("".join(t + s for t, s in sorted(table().items())))
    return f"fold-{hashlib.sha256(data).hexdigest()[:12]}.dat", data


# --- reading an article page --------------------------------------------------------------------

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
          "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "blockquote", "pre", "section", "article",
          "header", "footer", "aside", "nav", "figure", "figcaption", "hr", "br", "main", "details",
          "summary", "address"}
_SKIP = {"script", "style", "template", "noscript"}


def extract(html: bytes, path: str) -> dict:
    """url, title, date, source, tags, lang and the text of an article page."""
    from lxml import etree
    from lxml import html as lhtml

    url = path[: -len("index.html")] if path.endswith("index.html") else path
    try:
        root = lhtml.document_fromstring(html)
    except (etree.ParserError, ValueError) as e:
        raise SearchError(f"{path}: the page cannot be read for the search index: {e}") from e
    body = root.xpath("//*[@data-pagefind-body]")
    scope = body[0] if body else (root.find("body") if root.find("body") is not None else root)
    meta, filters = {}, defaultdict(list)
    for el in scope.xpath(".//*[@data-pagefind-meta]"):
        meta.setdefault(el.get("data-pagefind-meta"), " ".join(el.text_content().split()))
    for el in scope.xpath(".//*[@data-pagefind-filter]"):
        value = " ".join(el.text_content().split())
        if value:
            filters[el.get("data-pagefind-filter")].append(value)
    parts: list[str] = []
    _walk(scope, parts)
    text = " ".join("".join(parts).split())
    title = meta.get("title") or " ".join((root.findtext(".//title") or "").split())
    titled = scope.xpath(".//*[@data-pagefind-meta='title'][@lang]")
    lang = titled[0].get("lang") if titled else (root.get("lang") or "")
    return {"url": url, "title": title, "date": meta.get("date", ""), "lang": lang, "text": text,
            "source": (filters.get("source") or [""])[0], "tags": filters.get("tag", [])}


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or el.get("data-pagefind-ignore") is not None or el.get("hidden") is not None:
        return
    block = tag in _BLOCK
    if block:
        parts.append("\n")
    if el.text and tag:
        parts.append(el.text)
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


# --- the cache ----------------------------------------------------------------------------------

class Cache:
    """Built shards by folder name, one pickle each, apart for each output folder (the preview's
    pages differ from output/'s, so they would evict each other's shards)."""

    def __init__(self, folder: Path, output_dir: str):
        self.folder = Path(folder) / hashlib.sha256(str(output_dir).encode()).hexdigest()[:12]

    def load(self, sdir: str) -> dict[str, bytes] | None:
        try:
            with open(self.folder / (sdir + ".pickle"), "rb") as f:
                stored = pickle.load(f)
            if stored["dir"] == sdir and all(isinstance(v, bytes) for v in stored["files"].values()):
                return dict(stored["files"])
        except Exception:  # missing, truncated, garbage: build the shard again
            pass
        return None

    def save(self, sdir: str, files: dict[str, bytes]) -> None:
        self._dump(sdir + ".pickle", {"dir": sdir, "files": files})

    def _dump(self, name: str, value) -> None:
        try:
            target = self.folder / name
            folder, name = target.parent, target.name
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def load_pages(self) -> dict[str, tuple[str, str]]:
        try:
            with open(self.folder / PAGES, "rb") as f:
                pages = pickle.load(f)
            if isinstance(pages, dict):
                return pages
        except Exception:  # missing or damaged: every page is read again
            pass
        return {}

    def save_pages(self, pages: dict[str, tuple[str, str]]) -> None:
        self._dump(PAGES, pages)

    def load_records(self, sid: str) -> dict:
        """{page path: (sha256, extract() record, content key, cjk terms, their coded lists as int32
        bytes, words)} (fastshard.flat_coded) of the pages of shard sid when it was last built
        (build_shard); {} when missing or damaged."""
        try:
            with open(self.folder / RECORDS / (sid + ".pickle"), "rb") as f:
                stored = pickle.load(f)
            if isinstance(stored, dict) and stored.get("code") == _code_fingerprint():
                return stored["pages"]
        except Exception:  # missing, truncated, garbage: the pages are read again
            pass
        return {}

    def save_records(self, sid: str, records: dict) -> None:
        self._dump(RECORDS + "/" + sid + ".pickle", {"code": _code_fingerprint(), "pages": records})

    def prune(self, keep: set[str], ids: set[str] | None = None) -> None:
        try:
            for p in self.folder.glob("*.pickle"):
                if p.name != PAGES and p.name[: -len(".pickle")] not in keep:
                    p.unlink(missing_ok=True)
            if ids is not None:
                for p in (self.folder / RECORDS).glob("*.pickle"):
                    if p.name[: -len(".pickle")] not in ids:
                        p.unlink(missing_ok=True)
        except OSError:
            pass
