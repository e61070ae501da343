"""The preview's cross-article evidence kept between saves (speed layer; used by warm.py only).

Every build makes the evidence of all pages from all pages' line shapes (pipeline.Evidence,
fastevidence.evidence: 10,000 articles, ~300,000 shapes, ~0.09 s of CPU on a quiet machine,
~0.15-0.2 s of wall at load 5), because one page's lines can move the sites and stories of
others. The preview's usual save changes one article's prose: lines no other page carries.
Such a change cannot move the answer, and here that is proved from what the last answer was
made of (`WarmEvidence.of`), else the answer is made again the plain way.

What fastevidence.evidence() computes from the shapes: the shapes held two or more times (their
holders in name order, each occurrence short or long), the pairs of neighbouring holders and
their counts, then which pairs join two pages into a site or a story (a count against a share
of the smaller page's number of short or long shapes), and from those groups each page's
evidence. So when one page's shapes change and
  1. its shapes that another page holds too are the same, in the same order, short and long
     apart (the shapes others hold are counted from the last answer's sorted array of every
     shape held, corrected by the changes accepted since), and
  2. a shape no other page holds is held at most once by it, before and after (a shape held
     twice, short and long, by one page alone pairs the page with itself, which joins nothing:
     this check is a caution, not needed by the argument),
then the shared shapes, their holders in order and every pair's count are as they were, and the
positions of shared shapes keep their order (their first appearance orders a page's dict):
only the page's own numbers of short and long shapes changed. If
  3. every pair of pages that includes it still joins (or not) as the last answer's pairs did,
     with the numbers as they are now,
the groups are the same, and so is every page's evidence, order and fingerprint: the last answer
stands. A file added or removed, more than `MOST` changed pages, or any check failing: made
again (and recorded again). Only sites of `SMALL` pages or more (fastevidence's numpy path).

`tests/test_speed_layer.py` runs random edits (prose lines, lines shared with other pages,
lines moved between short and long, repeated lines, pages joining or leaving a site) through
one WarmEvidence and compares each answer with the plain furniture.evidence's.
"""

from __future__ import annotations

from collections import Counter

from .fastevidence import SMALL

MOST = 8  # changed pages beyond which the answer is made again (a burst of saves, a folder copied in)


class WarmEvidence:
    """pipeline.evidence_of(shapes), the last answer kept while it provably stands."""

    def __init__(self, small: int | None = None):
        self.small = SMALL if small is None else small  # (pages below: the plain way, nothing kept)
        self.shapes: dict | None = None  # the shapes the kept answer is the evidence of
        self.answer: dict | None = None
        self.rec: dict | None = None  # what fastevidence recorded making it (sizes updated since)
        self.extra: dict[int, int] = {}  # shape -> occurrences added (or removed) since rec["held"]
        self.index: dict[str, int] | None = None  # page name -> its number in rec
        self.made = self.kept = 0  # answers made, and kept (tests, bench)

    def of(self, shapes: dict) -> dict[str, tuple[dict, str]]:
        """{rel: (evidence, fingerprint)} of the pages with evidence, as pipeline.evidence_of."""
        if self.rec is not None and self._stands(shapes):
            self.shapes = shapes
            self.kept += 1
            return self.answer
        return self._make(shapes)

    def _make(self, shapes: dict) -> dict:
        from .fastevidence import evidence, evidence_of

        self.made += 1
        self.shapes = self.answer = self.rec = self.index = None
        self.extra = {}
        if len(shapes) < self.small:
            return evidence_of(shapes, fast=False)
        rec: dict = {}
        answer = evidence(shapes, with_fingerprints=True, record=rec)
        if rec:  # (an answer from an early return records nothing: made again next time)
            rec["nshort"], rec["nlong"] = rec["nshort"].copy(), rec["nlong"].copy()
            self.shapes, self.answer, self.rec = shapes, answer, rec
        return answer

    def _stands(self, shapes: dict) -> bool:
        old = self.shapes
        if old is None or len(shapes) != len(old) or shapes.keys() != old.keys():
            return False
        changed = [rel for rel, v in shapes.items() if v is not old[rel] and v != old[rel]]
        if len(changed) > MOST:
            return False
        if self.index is None:
            self.index = {name: i for i, name in enumerate(self.rec["names"])}
        return all(self._one(self.index[rel], old[rel], shapes[rel]) for rel in changed)

    def _one(self, i: int, before: tuple, after: tuple) -> bool:
        """Page i's shapes went from before to after: True if the kept answer stands (checks 1-3
        of the module's docstring); the counts and sizes are then updated."""
        import numpy as np

        from .fastevidence import unpack

        before, after = unpack(before), unpack(after)  # (the build state keeps shapes packed as bytes)
        rec, extra = self.rec, self.extra
        had, has = Counter(before[0]), Counter(after[0])
        had.update(before[1])
        has.update(after[1])
        hs = list(had.keys() | has.keys())
        held = rec["held"]
        wanted = np.array(hs, dtype=np.uint64)
        count = (np.searchsorted(held, wanted, "right") - np.searchsorted(held, wanted, "left")).tolist()
        others = {h: c + extra.get(h, 0) - had[h] for h, c in zip(hs, count)}  # holders but this page
        if any(not others[h] and (had[h] > 1 or has[h] > 1) for h in hs):
            return False  # 2. a shape this page alone holds twice
        for part in (0, 1):  # 1. the shared shapes, in order, short and long apart
            if [h for h in before[part] if others[h]] != [h for h in after[part] if others[h]]:
                return False
        for h in hs:
            d = has[h] - had[h]
            if d:
                extra[h] = extra.get(h, 0) + d
        nshort, nlong = rec["nshort"], rec["nlong"]
        nshort[i], nlong[i] = len(after[0]), len(after[1])
        for long_, pa, pb, cnt, need, share, ok in rec["tables"]:  # 3. its pairs join as they did
            mine = (pa == i) | (pb == i)
            if not mine.any():
                continue
            size = nlong if long_ else nshort
            c = cnt[mine]
            now = (c >= need) & (c >= share * np.minimum(size[pa[mine]], size[pb[mine]]))
            if not np.array_equal(now, ok[mine]):
                return False
        return True
