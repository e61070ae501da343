"""The speed tricks of issue 17's last round, each checked against the plain way it replaces:
the numpy evidence (digest/fastevidence.py) against clean.furniture.evidence."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import fastevidence
from digest.clean import furniture


@st.composite
def sites(draw):
    """{page name: (short shapes, long shapes)} for pages of a few sites (each with a menu of
    short shapes its pages share) and a few stories (long shapes copies share), some shapes
    both short on one page and long on another (or on the same page), small numbers so that
    shapes collide across sites."""
    n_sites = draw(st.integers(1, 4))
    menus = [draw(st.lists(st.integers(0, 60), min_size=0, max_size=16, unique=True)) for _ in range(n_sites)]
    stories = [draw(st.lists(st.integers(40, 120), min_size=1, max_size=8, unique=True)) for _ in range(3)]
    pages = {}
    for i in range(draw(st.integers(0, 24))):
        menu = menus[draw(st.integers(0, n_sites - 1))]
        short = set(draw(st.lists(st.sampled_from(menu), max_size=len(menu)))) if menu else set()
        short |= set(draw(st.lists(st.integers(0, 2**64 - 1), max_size=3)))
        long_ = set(draw(st.lists(st.integers(100, 140), max_size=4)))
        if draw(st.booleans()):
            story = stories[draw(st.integers(0, 2))]
            long_ |= set(draw(st.lists(st.sampled_from(story), max_size=len(story))))
        name = draw(st.sampled_from(["a", "b", "z", "m/"])) + str(draw(st.integers(0, 99))) + f".{i}"
        pages[name] = (tuple(sorted(short)), tuple(sorted(long_)))
    return pages


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_numpy_evidence_is_the_furniture_evidence_in_the_same_order(pages):
    plain = {rel: ev for rel, ev in furniture.evidence(pages).items() if ev}
    fast = fastevidence.evidence(pages)
    assert fast == plain
    for rel, ev in plain.items():  # the same order too: the cleaner may iterate the dict
        assert list(fast[rel].items()) == list(ev.items())
    made = fastevidence.evidence_of(pages, fast=True)
    assert made == fastevidence.evidence_of(pages, fast=False)
    assert made == {rel: (ev, fastevidence.fingerprint(ev)) for rel, ev in plain.items()}


def test_a_site_of_many_pages_shares_its_menu_and_the_fast_way_agrees():
    """A site big enough for the fast path by default (SMALL pages), with menus, copies and
    pages of other sites, so that sites, stories and the cap all come into it."""
    pages = {}
    for i in range(fastevidence.SMALL + 40):
        site = i % 7
        menu = tuple(range(site * 100, site * 100 + 10 + i % 5))
        story = tuple(range(10_000 + (i % 40) * 10, 10_000 + (i % 40) * 10 + 3))
        own = (1_000_000 + i, 2_000_000 + i)
        pages[f"{i % 13}/p{i:04d}.md"] = (tuple(sorted(menu + own[:1])), tuple(sorted(story + own[1:])))
    plain = {rel: ev for rel, ev in furniture.evidence(pages).items() if ev}
    assert len(plain) > fastevidence.SMALL and any(3 in ev.values() for ev in plain.values())
    made = fastevidence.evidence_of(pages)
    assert made == {rel: (ev, fastevidence.fingerprint(ev)) for rel, ev in plain.items()}
    assert all(list(made[rel][0].items()) == list(ev.items()) for rel, ev in plain.items())
