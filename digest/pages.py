"""Rendered-page cache: a page is rendered again only when something it can show changed.

A page's key is a hash of everything its template receives: the template name, the page path,
the site-wide values (settings, theme files, digest's code, the tag and source slug maps) and
its own values, where an Article stands for itself by (file, file hash, slug) — an Article is a
pure function of those, the settings and the code. Values the key cannot describe are never
cached. The store is SQLite in .digest-cache/, so a build that re-renders a few pages writes a
few rows, not the whole cache; rows no build used are dropped.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from datetime import datetime

from . import cache as article_cache
from .model import Article


class Uncacheable(TypeError):
    pass


def identity(v):
    """A value's content as plain tuples, or Uncacheable."""
    if isinstance(v, Article):
        return ("A", v.rel, v.digest, v.slug)
    if isinstance(v, (str, int, float, bool, type(None))):
        return v
    if isinstance(v, datetime):
        return ("D", v.isoformat())
    if isinstance(v, (list, tuple)):
        return tuple(identity(x) for x in v)
    if isinstance(v, dict):
        return ("M",) + tuple(sorted((k, identity(x)) for k, x in v.items()))
    if hasattr(v, "__dataclass_fields__") and getattr(v, "__dataclass_params__").frozen:
        return (type(v).__name__,) + tuple(identity(getattr(v, f)) for f in v.__dataclass_fields__)
    raise Uncacheable(type(v).__name__)


def _decode(raw, value):
    return bytes(value) if raw else pickle.loads(value)


class PageStore:
    """{key: value} for rendered pages and feeds; get/put during a build, save() at the end."""

    def __init__(self, settings, theme):
        h = hashlib.sha256(settings.fingerprint().encode())
        h.update(article_cache._code_fingerprint().encode())
        h.update(str(theme.folder).encode() + theme.fingerprint().encode())
        self.salt = h.hexdigest()
        self.used: set[str] = set()
        self.new: dict[str, bytes] = {}
        self.hits = self.misses = 0
        self.db = None
        folder = settings.root / article_cache.CACHE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(folder / "pages-v1.sqlite")
            self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, raw INTEGER, value BLOB)")
        except (OSError, sqlite3.Error):
            self.db = None  # a cache that cannot be opened only costs time

    def key(self, *parts) -> str | None:
        try:
            return hashlib.sha256(repr((self.salt, identity(parts))).encode()).hexdigest()
        except Uncacheable:
            return None

    def cached(self, parts: tuple, make):
        """make() unless a value for `parts` is stored; the value must pickle."""
        key, value = self.get(parts)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def get(self, parts: tuple):
        """(key, stored value or None); the key is None for values that cannot be cached."""
        key = self.key(*parts)
        if key is None:
            return None, None
        self.used.add(key)
        if key in self.new:
            return key, _decode(*self.new[key])
        row = None
        if self.db is not None:
            try:
                row = self.db.execute("SELECT raw, value FROM pages WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                row = None
        if row is None:
            return key, None
        self.hits += 1
        return key, _decode(*row)

    def put(self, key: str | None, value) -> None:
        if key is None:
            return
        self.misses += 1
        raw = isinstance(value, bytes)  # a page: stored as it is, no copy
        self.new[key] = (raw, value if raw else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        """Store new values and drop the ones this build did not use."""
        if self.db is None:
            return
        try:
            with self.db:
                if self.new:
                    self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                                        ((k, raw, v) for k, (raw, v) in self.new.items()))
                    self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                    self.db.execute("DELETE FROM used")
                    self.db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self.used))
                    self.db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
            self.db.close()
        except sqlite3.Error:
            pass
        self.db = None
