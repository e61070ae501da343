"""List items kept across builds (speed layer): the HTML of each article's entry on a list page,
so that a list page rendered again because its articles moved (a new article moves every older
one a place down the index, its tags' and its source's pages: 100-600 pages at 10,000 articles)
joins kept entries instead of rendering each one through the theme's macros (~90% of a list
page's time).

A list page's template asks for it with a call block (the default theme's list.html):

    {% call list_item(a) %} …the entry, from `a` and site-wide values only… {% endcall %}

`list_item` (SiteRenderer.ctx) gives the kept entry, or renders the block (`caller()`) and
keeps it. What an entry may depend on, and so what its key holds:

- the article: `pages.article_id` (file, input digest, slug, URL), as page keys trust it;
- everything site-wide: the page salt (settings, theme, code) and `SiteRenderer.site_key`
  (tag and source slugs, the language of each name): the file's generation, `gen`; another
  generation starts the file again;
- the page's folder, which decides its relative links: a list's first page is its base folder
  (`""`, `tags/x/`, `sources/y/`), page N its `page/N/` below. Links from two pages N, M > 1 of
  one base differ only for a target inside `BASE/page…`; an entry that asks `url()` for such a
  target (or for one with `..`) is never kept (`Guard`). So the key holds (base, first page or
  not).

A block that reads other values of its page (its number, its heading) must not use
`list_item`: that is the one contract. Entries are rows of `list-items.sqlite` in the cache
folder, written by whichever process rendered them (the cold build's forked renderers too, each
with its own connection); a damaged or unwritable file costs only time: it is started again, or
entries are rendered as if there were none.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from markupsafe import Markup

CHUNK = 500  # keys per SELECT when fetching a build's entries at once
BATCH = 400  # entries written in one transaction (a commit per list page cost ~0.15 ms)


class ListItems:
    """{(article, base, first page) → entry HTML} for one generation of the site (gen)."""

    def __init__(self, path: Path, gen: str):
        self.path, self.gen = path, gen
        self.found: dict[bytes, str] = {}  # fetched by prefetch()
        self.looked: set[bytes] = set()  # keys prefetch() asked for (absent ones are not asked again)
        self.pending: dict[bytes, str] = {}  # rendered here, not yet written
        self.off = False  # the file cannot be used: render everything
        self.complete = False  # every entry this build can use was fetched (prefetch): get() asks no more
        self._db, self._pid = None, None
        self._exiting = os.getpid()  # the process that registered its flush at exit (a forked renderer: put())
        self.entries = None  # speed layer (fastentries.py): entries rendered once per article, set by the site

    @staticmethod
    def key(aid: str, base: str, first: bool) -> bytes:
        return hashlib.blake2b(f"{base}\0{int(first)}\0{aid}".encode(), digest_size=16).digest()

    def start(self) -> None:
        """In the build's process, before any worker forks: open the file, and start it again if
        it holds another generation's entries (or cannot be read)."""
        try:
            db = self._conn()
            row = db.execute("SELECT value FROM meta WHERE name = 'gen'").fetchone()
            if row is not None and row[0] == self.gen:
                return
            self.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._conn()
            with db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('gen', ?)", (self.gen,))
        except (OSError, sqlite3.Error):
            self.close()
            self.off = True

    def _conn(self):
        if self._db is None or self._pid != os.getpid():  # never a connection across fork
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            try:
                db.execute("PRAGMA synchronous = OFF")  # a cache: a crash may lose it, never output
                db.execute("PRAGMA journal_mode = WAL")  # the cold build's two renderers both write
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS items (key BLOB PRIMARY KEY, html TEXT)")
            except sqlite3.Error:
                db.close()
                raise
            self._db, self._pid = db, os.getpid()
        return self._db

    def prefetch(self, keys) -> int:
        """Read these entries at once (a build's list pages to render again); how many exist."""
        keys = [k for k in dict.fromkeys(keys) if k not in self.looked]
        if self.off or not keys:
            return 0
        try:
            db = self._conn()
            for i in range(0, len(keys), CHUNK):
                part = keys[i:i + CHUNK]
                marks = ",".join("?" * len(part))
                self.found.update(db.execute(f"SELECT key, html FROM items WHERE key IN ({marks})", part))
        except (OSError, sqlite3.Error):
            self.off = True
            return 0
        self.looked.update(keys)
        return sum(1 for k in keys if k in self.found)

    def get(self, key: bytes) -> str | None:
        html = self.found.get(key)
        if html is not None or self.off or self.complete or key in self.looked:
            return html
        try:
            row = self._conn().execute("SELECT html FROM items WHERE key = ?", (key,)).fetchone()
        except (OSError, sqlite3.Error):
            self.off = True
            return None
        return row[0] if row else None

    def put(self, key: bytes, html: str) -> None:
        self.pending[key] = html
        if self._exiting != os.getpid():  # a forked renderer: it writes its last batch as it exits
            from multiprocessing.util import Finalize

            self._exiting = os.getpid()
            Finalize(self, self.flush, kwargs={"final": True}, exitpriority=10)

    def flush(self, final: bool = False) -> None:
        """Write what was rendered since the last flush, once there are BATCH entries (final: all;
        the build's process after rendering, a forked renderer as it exits)."""
        if not self.pending or not final and len(self.pending) < BATCH:
            return
        rows, self.pending = list(self.pending.items()), {}
        if self.off:
            return
        try:
            db = self._conn()
            with db:
                db.executemany("INSERT OR IGNORE INTO items VALUES (?, ?)", rows)
        except (OSError, sqlite3.Error):
            self.off = True

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    def bind(self, base: str, first: bool, aid_of, url):
        """(list_item, url) for one list page: `list_item(a, caller)` gives a's kept entry or
        renders and keeps it; `url` is the page's url() with a Guard that marks an entry whose
        links would differ between two pages of this base."""
        guard = Guard(url, base + "page")

        def list_item(a, caller):
            aid = aid_of(a)
            if aid is None or self.off:
                return caller()
            k = self.key(aid, base, first)
            html = self.get(k)
            if html is not None:
                return Markup(html)
            guard.seen = False
            out = caller() if self.entries is None else self.entries.render(aid, caller, guard)  # (fastentries.py)
            if not guard.seen:
                self.put(k, str(out))
            return out

        return list_item, guard


class Guard:
    """A page's url(target), noting (seen) a target whose link depends on more of the page's
    folder than its base: inside BASE/page… , or with `..`."""

    __slots__ = ("url", "inside", "seen")

    def __init__(self, url, inside: str):
        self.url, self.inside, self.seen = url, inside, False

    def __call__(self, target: str) -> str:
        if target.startswith(self.inside) or ".." in target:
            self.seen = True
        return self.url(target)


def plain_item(a, caller):
    """list_item without the cache: the block rendered (pages that are not list pages)."""
    return caller()
