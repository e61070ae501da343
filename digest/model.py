"""The shared types: Source (a loaded file), Removal (a dropped line and why), Article.

Frozen dataclasses: stages make new values (dataclasses.replace, or a new Article from the
fields), never mutate one another's. The one exception is cache.StoredArticle, which fills a
fresh instance's __dict__ from the cache when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    """One content file, decoded, with its front matter split off and validated."""

    rel: str  # path relative to content/, with forward slashes
    kind: str  # "txt" (raw scrape) or "md" (Markdown)
    digest: str  # sha256 of the file's bytes
    text: str  # the whole decoded text, newlines normalised to \n
    meta: dict  # validated front matter (may be empty)
    meta_lines: dict  # front matter key -> line number in the file
    body: str  # text after the front matter
    body_offset: int  # number of lines before the body (front matter and its fences)
    warnings: tuple = ()  # Problems found while loading
    hints: dict = field(default_factory=dict)  # weak metadata (a saved page's guesses): used where the text shows none
    assets: tuple = ()  # ((name next to the article, path in content/), ...): a saved page's own images
    origin: str = ""  # "html": the body was extracted from a web page (webpage.py)


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based line number in the file
    text: str
    reason: str  # for a curator: why this line went
    rule: str  # the rule id or signal name


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner makes of a body: kept lines, removed lines, and the roles it saw."""

    kept: tuple  # ((line number, text), ...) in file order
    removed: tuple  # (Removal, ...) in file order
    title_line: int | None = None  # line number of the title, if one was recognised
    title_text: str | None = None
    risky: tuple = ()  # human-readable reasons this cleaning may be wrong
    stamps: tuple = ()  # ((line, text, role), ...) short lines that may hold a date, source or author
    first_line: int | None = None  # line number of the first paragraph
    spans: tuple = ()  # ((first, last), ...): logical lines that unwrapping joined from several raw lines


def article_url(slug: str) -> str:
    """The site-relative URL of an article's page, the one place its pattern is spelled."""
    return f"posts/{slug}/"


@dataclass(frozen=True)
class Article:
    rel: str
    slug: str
    url: str  # site-relative, e.g. "posts/slug/"
    id: str  # feed id: stable, from file or front matter
    title: str
    title_found: bool
    date: datetime | None
    updated: datetime | None
    author: str | None
    source: str | None
    source_url: str | None
    tags: tuple
    lang: str
    summary: str
    draft: bool
    body_md: str
    body_html: str
    text_chars: int  # for reading time
    reading_minutes: int
    removed: tuple = ()
    risky: tuple = ()
    digest: str = ""  # sha256 of the file's bytes and of the cross-article evidence used to clean it
    aliases: tuple = ()  # old site-relative URLs that redirect here ("posts/old-name/")
    body_digest: str = ""  # sha256 of the body without front matter: notices a renamed file
    assets: tuple = ()  # ((name, path in content/), ...): files copied next to the article page
    # syndicated copies (stories.py): front matter, and the story's copies once grouped
    canonical: bool = False  # front matter `canonical: true`: this copy is the story's page
    same_as: tuple = ()  # front matter: files that are copies of this one, whatever the text says
    not_same_as: tuple = ()  # front matter: files that are not copies of this one
    copies: tuple = ()  # stories.Copy of every copy, canonical first; () when the article has none

    @property
    def sort_key(self):
        # Newest first; undated articles last; ties broken by slug for stable output.
        ts = self.date.timestamp() if self.date else float("-inf")
        return (-ts, self.slug)
