"""List pages' keys kept across builds by what decides them (speed layer; docs/ARCHITECTURE.md).

A list page (the index, a tag's, a source's: list.html) is keyed by pages.page_key over its
values: its articles, its pager, its heading, title and feed, and the site-wide values (the page
salt: settings, theme, code; SiteRenderer.site_key: tag and source slugs, name languages). To
know the key, a build made each page's pager and values and reduced them to plain data
(SiteRenderer.flat), and found its newest date for the sitemap: ~50 µs a page, ~2,300 list pages
at 10,000 articles, on every edit, add and preview save, though an edit moves ~5 of them.

Here each list page's key and newest date are kept, under the page's *signature*: a hash of the
list's own values (its folder and everything the page holds besides its articles and pager:
heading, term, title, description, feed), the page's number, the page count and its articles'
ids (pages.article_id: file, input digest, slug, URL). With the same page salt and site_key (one
generation per pair: another pair starts an empty memo) those determine every value of the page,
so its key; and an article's id determines its dates (its file's bytes and evidence, under the
same settings and code), so the page's newest date. A page whose signature is the one kept is
checked against output/ with the kept key (PageSet.keep_if_current) and never built; any other
is made the plain way, and its key and date are kept for next time.

The memo is one pickle in the cache folder (LIST_KEYS), written atomically when it changed; a
missing, damaged or foreign file is an empty memo (a build only costs the plain way's time).
tests/test_speed_layer.py builds random steps with and without it: the same pages, the same keys.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

LIST_KEYS = "list-keys.pickle"  # in the cache folder (settings.cache_path)
VERSION = 1
OFF = False  # tests: True builds every list page the plain way (no memo read or written)


class ListKeys:
    """{page path: (signature, key, newest date)} of the last build's list pages, for one
    generation (the page salt and site_key)."""

    def __init__(self, folder: Path, generation: str):
        self.path = Path(folder) / LIST_KEYS
        self.generation = generation
        self.old: dict = {}
        self.new: dict = {}
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
            if (isinstance(stored, dict) and stored.get("version") == VERSION
                    and stored.get("generation") == generation and isinstance(stored.get("pages"), dict)):
                self.old = stored["pages"]
        except Exception:  # missing, truncated, garbage: every list page the plain way
            pass

    @staticmethod
    def const(base: str, values: dict) -> str:
        """A list's own values (those of each of its pages besides articles, pager and number)."""
        return repr((base, sorted(values.items())))

    @staticmethod
    def signature(const: str, number: int, count: int, ids: list[str]) -> str:
        h = hashlib.sha256(f"{const}\0{number}\0{count}\0".encode())
        h.update("\0".join(ids).encode())
        return h.hexdigest()

    def get(self, path: str, sig: str):
        """(key, newest date) kept for this page under this signature, else None."""
        hit = self.old.get(path)
        if hit is None or hit[0] != sig:
            return None
        self.new[path] = hit
        return hit[1], hit[2]

    def put(self, path: str, sig: str, key: str | None, lastmod) -> None:
        if key is not None:
            self.new[path] = (sig, key, lastmod)

    def save(self) -> None:
        """Write the pages this build keyed (those of lists no longer made are dropped)."""
        if self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{LIST_KEYS}.{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump({"version": VERSION, "generation": self.generation, "pages": self.new}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a memo that cannot be written only costs time
