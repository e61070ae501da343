"""Per-article cache: an article is cleaned and parsed again only when its bytes, its
cross-article evidence, the settings (with the site's rules) or digest itself changed — the
theme is not part of an Article, so a template change re-renders pages without re-cleaning.
Kept in the cache folder (settings.cache_path: .digest-cache/ beside content/; the preview
has its own).

A stale cache is worse than none: the key covers everything that goes into an Article. A lost
one costs only time: the build state names only articles the store holds, and the store has
the last word (pipeline.load_articles).

Whole articles live in SQLite, one row per article, so a build that re-cleans one file writes
one row. The build state (state.py) keeps a light copy of each article, without its heavy
fields (body_md, body_html, removed): list pages and feeds need only a few fields of all
articles. A StoredArticle reads its heavy fields from this store the first time they are used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from dataclasses import fields
from pathlib import Path

from . import __version__
from .config import Settings
from .model import Article

RECENT = 128  # whole articles a process keeps from its last loads: a report page's 100, for their own pages
KEEP_BYTES = 256 << 20  # articles cleaned by this build kept in memory for its renderers (10,000 ≈ 130 MB)
HEAVY = ("body_md", "body_html", "removed")
LIGHT = tuple(f.name for f in fields(Article) if f.name not in HEAVY)


def _code_fingerprint() -> str:
    """digest's own code and rules: a new cleaner must not serve yesterday's cleaning."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".toml", ".txt") and p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class StoredArticle(Article):
    """An Article built from its light fields; body_md, body_html and removed are read from the
    ArticleStore on first use (in any process: a forked worker opens its own connection)."""

    body_md = property(lambda self: self.full().body_md)
    body_html = property(lambda self: self.full().body_html)
    removed = property(lambda self: self.full().removed)

    @classmethod
    def make(cls, light: dict, store: "ArticleStore", key: str) -> "StoredArticle":
        a = object.__new__(cls)
        a.__dict__.update(light)
        a.__dict__["_key"], a.__dict__["_store"] = key, store
        return a

    def full(self) -> Article:
        d = self.__dict__
        store = d["_store"]
        hit = store.load(d["_key"])  # not kept here: pages that use them are few at a time
        if hit is None and store.rebuild is not None:  # a row lost or damaged: clean the file again
            hit = store.rebuild(self.rel, d["_key"])
        if hit is None:
            raise RuntimeError(f"{self.rel}: the file changed or vanished during the build; build again")
        return hit[0]

    def __reduce__(self):  # pickles as a plain Article
        return (Article, tuple(getattr(self, f.name) for f in fields(Article)))


def light_fields(a: Article) -> dict:
    return {name: getattr(a, name) for name in LIGHT}


def article_key(salt: str, rel: str, data: bytes) -> str:
    """An article's cache key: the settings and code (salt), its path and its bytes."""
    return hashlib.sha256(salt.encode() + b"\0" + rel.encode() + b"\0" + data).hexdigest()


class ArticleStore:
    """{key: pickled (Article, warnings)} in articles-v2.sqlite of the cache folder."""

    def __init__(self, settings: Settings, salt: str):
        self.path = settings.cache_path / "articles-v2.sqlite"
        self.salt = salt
        self.new: dict[str, bytes] = {}
        self.kept: dict[str, bytes] = {}  # see put_raw
        self.kept_bytes = 0
        self._db, self._pid = None, None
        self._owner = os.getpid()  # the build's process; forked workers only read
        self._recent: dict[str, tuple] = {}  # the last RECENT loads: a page reads a body twice
        self.rebuild = None  # (rel, key) -> (Article, warnings) cleaned again from the file: set by the build
        self.dropped: set[str] = set()  # rows to delete once the build state no longer names them

    def key(self, rel: str, data: bytes) -> str:
        return article_key(self.salt, rel, data)

    def _conn(self):
        if self._db is None or self._pid != os.getpid():  # never share a connection across fork
            if self._owner != os.getpid():
                self._db = self._open_reader()  # a forked worker: it only reads
                if self._db is not None:
                    self._pid = os.getpid()
                    return self._db
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:  # a damaged file (a crash mid-write): start it again
                self.path.unlink(missing_ok=True)
                self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def _open(self):
        # check_same_thread=False: the preview builds in one worker thread and saves the state
        # (closing this) in another; never two at once, and forked workers open their own.
        db = sqlite3.connect(self.path, check_same_thread=False)
        try:
            # a cache: a crash may damage it (then it is started again), never a build's output
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, value BLOB)")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _open_reader(self):
        """A forked worker's connection: it renders pages while no process writes the store, so
        it takes its shared lock once and keeps it (locking_mode EXCLUSIVE on a reader) instead
        of locking, checking for a journal and unlocking around each of thousands of reads
        (~10 system calls an article); query_only: it cannot write by mistake."""
        try:
            db = sqlite3.connect(self.path, check_same_thread=False)
            db.execute("PRAGMA query_only = ON")
            db.execute("PRAGMA locking_mode = EXCLUSIVE")
            return db
        except sqlite3.Error:
            return None

    def keys(self) -> set[str]:
        """The keys of every row. An unreadable store (truncated, garbage) is started again:
        the build state must not name articles the store cannot give back."""
        try:
            return {k for (k,) in self._conn().execute("SELECT key FROM articles")}
        except (OSError, sqlite3.Error):
            self.clear()
            return set()

    def remember(self, key: str, value: tuple) -> None:
        """An article cleaned again during rendering (its row was lost or damaged): kept for
        this build's later reads, and written back by the build's own process."""
        self._recent[key] = value
        if self._owner == os.getpid():
            self.new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def load(self, key: str):
        """(Article, warnings) or None."""
        if key in self._recent:
            return self._recent[key]
        raw = self.new.get(key) or self.kept.get(key)
        if raw is None:
            try:
                row = self._conn().execute("SELECT value FROM articles WHERE key = ?", (key,)).fetchone()
            except (OSError, sqlite3.Error):
                return None
            if row is None:
                return None
            raw = row[0]
        try:
            value = pickle.loads(raw)
        except Exception:  # a damaged row is a miss
            return None
        if len(self._recent) >= RECENT:
            self._recent.pop(next(iter(self._recent)))
        self._recent[key] = value
        return value

    def put_raw(self, key: str, raw: bytes) -> None:
        """Store pickled (Article, warnings); written in batches. Up to KEEP_BYTES of them also
        stay in memory for this build: its page renderers (forked, sharing this memory) then
        need not read back from SQLite what was just cleaned (a cold build: 20,000 reads)."""
        self.new[key] = raw
        if self.kept_bytes + len(raw) <= KEEP_BYTES:
            self.kept[key] = raw
            self.kept_bytes += len(raw)
        if len(self.new) >= 1000:
            self.save()

    def save(self, dropped=frozenset()) -> None:
        """Write new articles; forget the ones no longer used (call with dropped only once the
        build state that no longer names them is saved: a build that dies in between must leave
        every article its last saved state names in the store)."""
        if not self.new and not dropped:
            return
        try:
            db = self._conn()
            with db:
                db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)", self.new.items())
                db.executemany("DELETE FROM articles WHERE key = ?", ((k,) for k in dropped if k not in self.new))
            self.new.clear()
        except (OSError, sqlite3.Error):
            pass  # a cache that cannot be written only costs time

    def clear(self) -> None:
        """Start over (the salt changed): a new empty file (deleting 10,000 rows took 0.4 s)."""
        self.close()
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        try:
            self._conn()
        except (OSError, sqlite3.Error):
            pass

    def close(self) -> None:
        self.kept, self.kept_bytes = {}, 0  # the build is over: later reads go to SQLite
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
