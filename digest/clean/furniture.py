"""Cross-article evidence: a line that recurs on several pages of the same site is furniture.

A digest holds many pages from the same sites, and each site wraps every article in the same
menus, notices, promos and footers. One page alone cannot tell a site's standing notice from a
sentence of the article; several pages can. For each article this module answers: which of
its lines (their shape: NFKC, no spaces, digits masked) also stand on other pages *of the same
site*, pages that are not copies of this one.

  - Same site: two pages share at least SITE_SHARED short line shapes (menu items, buttons,
    footer links), and a fifth of the smaller page's. On 60 pages from 45 sites, pages of one
    site shared 12-46 such shapes and pages of two sites 2-7 ("Share", "Reply", "登录").
    Two sites quoting one sentence share little else, so a quotation never counts.
  - Not copies: pages that share most of their long lines are one story carried twice (a
    syndicated copy) and count once, so a story's own sentences are never furniture.
  - The cleaner uses the answer only outside the article's dense run of prose, and only to
    remove: a sub-heading repeated in every article of a column ("Why it matters") stands
    between paragraphs and stays.

Line shapes are 64-bit hashes, so a page's evidence is a small sorted tuple that can key a
cache: the same pages give the same answer on any machine, in any order.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from . import signals as sg

SITE_SHARED = 8  # short line shapes two pages must share to be pages of one site ...
SITE_SHARE = 0.2  # ... and this share of the smaller page's (two sites share ~2-7 widget words)
COPY_SHARE = 0.5  # share of long lines above which two pages are one story
LONG = 60  # visible length of a "long" line (a paragraph, not a label)
CAP = 3  # evidence counts stop here ("3 or more other pages")
_DIGITS = re.compile(r"\d+")


def shape(text: str) -> int:
    """A line's shape as a 64-bit hash: NFKC, no spaces, case-folded, digits masked."""
    key = _DIGITS.sub("#", sg.norm(text))
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def page_shapes(body: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(short line shapes, long line shapes) of one page, each sorted and unique. Lines are
    the cleaner's logical lines (a hard-wrapped paragraph is one line)."""
    from .unwrap import unwrap

    stripped = [t.strip() for t in body.split("\n")]
    raw = [(i, t, i > 0 and not stripped[i - 1]) for i, t in enumerate(stripped) if t]
    short, long_ = set(), set()
    for lg in unwrap(raw):
        if len(lg.text) <= 1200:
            (long_ if sg.visible_len(lg.text) >= LONG else short).add(shape(lg.text))
    return tuple(sorted(short)), tuple(sorted(long_))


class _Groups:
    """Union-find over page names."""

    def __init__(self, names):
        self.up = {n: n for n in names}

    def find(self, n: str) -> str:
        while self.up[n] != n:
            self.up[n] = self.up[self.up[n]]
            n = self.up[n]
        return n

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)  # the smaller name leads: order-independent


def evidence(pages: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]) -> dict[str, dict[int, int]]:
    """For every page: {line shape: number of other pages of the same site, not copies of it,
    that carry it}. pages: {name: page_shapes(body)}. Linear in the number of lines: pages are
    paired only along each shape's sorted list of holders (pages of one site sit next to each
    other there), then grouped into sites and stories with union-find."""
    names = sorted(pages)
    holders: dict[int, list[str]] = defaultdict(list)
    for name in names:
        short, long_ = pages[name]
        for h in short + long_:
            holders[h].append(name)
    short_pairs: dict[tuple[str, str], int] = defaultdict(int)
    long_pairs: dict[tuple[str, str], int] = defaultdict(int)
    is_short = {h for n in names for h in pages[n][0]}
    for h, hs in holders.items():
        table = short_pairs if h in is_short else long_pairs
        for a, b in zip(hs, hs[1:]):
            table[(a, b)] += 1
    sites, stories = _Groups(names), _Groups(names)
    for (a, b), n in short_pairs.items():
        if n >= SITE_SHARED and n >= SITE_SHARE * min(len(pages[a][0]), len(pages[b][0])):
            sites.join(a, b)
    for (a, b), n in long_pairs.items():
        if n >= 2 and n >= COPY_SHARE * min(len(pages[a][1]), len(pages[b][1])):
            stories.join(a, b)
    out: dict[str, dict[int, int]] = {n: {} for n in names}
    for h, hs in holders.items():
        if len(hs) < 2:
            continue
        per_site: dict[str, set[str]] = defaultdict(set)
        for n in hs:
            per_site[sites.find(n)].add(stories.find(n))
        for n in hs:
            others = len(per_site[sites.find(n)]) - 1  # other stories of this site carrying it
            if others:  # capped: the answer (and an article's cache key) must not move with every
                out[n][h] = min(others, CAP)  # page a big site gains or loses
    return out
