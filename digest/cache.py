"""Per-article cache: an article is cleaned and parsed again only when its bytes, the
settings, the theme or digest itself changed. Kept in .digest-cache/ beside content/.

A stale cache is worse than none: the key covers everything that goes into an Article.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import Problem
from .model import Article

CACHE_DIR = ".digest-cache"


def _code_fingerprint() -> str:
    """digest's own code and rules: a new cleaner must not serve yesterday's cleaning."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".toml", ".txt") and p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class ArticleCache:
    def __init__(self, settings: Settings, theme=None):
        self.settings = settings
        self.path = settings.root / CACHE_DIR / "articles.pickle"
        self.salt = hashlib.sha256((settings.fingerprint() + _code_fingerprint()).encode()).hexdigest()
        self.entries: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        self.hits = self.misses = 0
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
            if stored.get("salt") == self.salt:
                self.entries = stored["entries"]
        except (OSError, pickle.PickleError, EOFError, AttributeError, KeyError, TypeError, ValueError):
            self.entries = {}

    def key(self, rel: str, data: bytes) -> str:
        return hashlib.sha256(rel.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> tuple[Article, list[Problem]] | None:
        hit = self.entries.get(key)
        if hit is not None:
            self.hits += 1
            self.used[key] = hit
        return hit

    def put(self, key: str, value: tuple[Article, list[Problem]]) -> None:
        self.misses += 1
        self.used[key] = value

    def get_or_build(self, rel: str, data: bytes) -> tuple[Article, list[Problem]]:
        from .pipeline import _build_one

        key = self.key(rel, data)
        hit = self.get(key)
        if hit is None:
            hit = _build_one(rel, data, self.settings)
            self.put(key, hit)
        return hit

    def save(self) -> None:
        if self.used.keys() == self.entries.keys() and not self.misses:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump({"salt": self.salt, "entries": self.used}, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time
