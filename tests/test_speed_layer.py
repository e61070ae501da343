"""The speed tricks of issue 17's last round, each checked against the plain way it replaces:
the numpy evidence (digest/fastevidence.py) against clean.furniture.evidence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
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
    # the shapes packed as the build state keeps them (fastevidence.pack), all or some: the same
    # answer in the same order, both ways; unpack gives the tuples back
    packed = {rel: fastevidence.pack(v) for rel, v in pages.items()}
    assert all(fastevidence.unpack(packed[rel]) == v for rel, v in pages.items())
    some = {rel: packed[rel] if i % 2 else v for i, (rel, v) in enumerate(pages.items())}
    for shapes in (packed, some):
        for fast in (True, False):
            got = fastevidence.evidence_of(shapes, fast=fast)
            assert got == made
            assert all(list(got[rel][0].items()) == list(ev.items()) for rel, ev in plain.items())


def _many_site_pages() -> dict:
    """SMALL + 40 pages of 7 sites (menus), 40 stories (copies) and lines of their own."""
    pages = {}
    for i in range(fastevidence.SMALL + 40):
        site = i % 7
        menu = tuple(range(site * 100, site * 100 + 10 + i % 5))
        story = tuple(range(10_000 + (i % 40) * 10, 10_000 + (i % 40) * 10 + 3))
        own = (1_000_000 + i, 2_000_000 + i)
        pages[f"{i % 13}/p{i:04d}.md"] = (tuple(sorted(menu + own[:1])), tuple(sorted(story + own[1:])))
    return pages


def test_a_site_of_many_pages_shares_its_menu_and_the_fast_way_agrees():
    """A site big enough for the fast path by default (SMALL pages), with menus, copies and
    pages of other sites, so that sites, stories and the cap all come into it."""
    pages = _many_site_pages()
    plain = {rel: ev for rel, ev in furniture.evidence(pages).items() if ev}
    assert len(plain) > fastevidence.SMALL and any(3 in ev.values() for ev in plain.values())
    made = fastevidence.evidence_of(pages)
    assert made == {rel: (ev, fastevidence.fingerprint(ev)) for rel, ev in plain.items()}
    assert all(list(made[rel][0].items()) == list(ev.items()) for rel, ev in plain.items())


# --- the preview's evidence kept between saves (warmevidence.py) --------------------------------

def _plain_evidence(pages: dict) -> dict:
    """{rel: ([(shape, count)] in the plain way's order, fingerprint)}: furniture.evidence's answer."""
    return {rel: (list(ev.items()), fastevidence.fingerprint(ev)) for rel, ev in furniture.evidence(pages).items() if ev}


def _as_items(made: dict) -> dict:
    return {rel: (list(ev.items()), fp) for rel, (ev, fp) in made.items()}


def _edit_page(draw_int, pick, pages: dict, rel: str, how: str, fresh: int) -> tuple:
    """Page rel's shapes after one kind of edit: prose (a line no page holds, in or out), a line
    another page holds, a line moved between short and long, a line held short and long, another
    page's long lines copied in (a story joins), or half its short lines gone (it leaves its site)."""
    short, long_ = set(pages[rel][0]), set(pages[rel][1])
    other = pages[pick(sorted(pages))]
    if how == "prose":
        (short if draw_int(0, 1) else long_).add(fresh)
        mine = sorted(short | long_)
        if mine and draw_int(0, 1):
            gone = mine[draw_int(0, len(mine) - 1)]
            short.discard(gone), long_.discard(gone)
    elif how == "shared" and other[0] + other[1]:
        theirs = list(other[0] + other[1])
        (short if draw_int(0, 1) else long_).add(theirs[draw_int(0, len(theirs) - 1)])
    elif how == "move" and short | long_:
        mine = sorted(short | long_)
        h = mine[draw_int(0, len(mine) - 1)]
        if h in short:
            short.discard(h), long_.add(h)
        else:
            long_.discard(h), short.add(h)
    elif how == "twice" and short | long_:
        mine = sorted(short | long_)
        h = mine[draw_int(0, len(mine) - 1)]
        short.add(h), long_.add(h)
    elif how == "join":
        long_ |= set(other[1])
        short |= set(other[0][: len(other[0]) // 2])
    elif how == "leave":
        short = set(sorted(short)[: len(short) // 2])
    return tuple(sorted(short)), tuple(sorted(long_))


EDITS = ["prose", "prose", "prose", "shared", "move", "twice", "join", "leave"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites(), st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10**6), st.integers(1, 3)), max_size=12),
       st.data())
def test_the_kept_evidence_is_the_evidence_of_the_new_shapes(pages, edits, data):
    """warmevidence.WarmEvidence.of over random edits of one to three pages at a time (prose lines,
    lines other pages hold, lines moved between short and long or held as both, a copy joining a
    story, a page leaving its site): every answer, kept or made, is furniture.evidence's, in its
    order, with its fingerprints."""
    from digest.warmevidence import WarmEvidence

    w = WarmEvidence(small=2)  # (the numpy path and its record at any size)
    assert _as_items(w.of(pages)) == _plain_evidence(pages)
    fresh = 2**63
    for how, seed, many in edits:
        if not pages:
            break
        pages = dict(pages)  # (as the pipeline does: a new dict, unchanged pages' tuples the same objects)
        for k in range(many):
            rel = data.draw(st.sampled_from(sorted(pages)))
            fresh += 1
            pages[rel] = _edit_page(lambda a, b: data.draw(st.integers(a, b)), lambda xs: data.draw(st.sampled_from(xs)),
                                    pages, rel, how, fresh)
        assert _as_items(w.of(pages)) == _plain_evidence(pages), (how, w.kept, w.made)


def test_a_prose_edit_that_parts_two_copies_makes_the_evidence_again():
    """Two copies share two long lines out of three: one story. Two paragraphs added to one of
    them (lines no other page holds) make the shared lines less than half of the smaller copy:
    two stories, so their site's menu lines count one more other story. The shared lines did not
    change, only the page's size: the kept answer must not stand (check 3 of warmevidence.py)."""
    from digest.warmevidence import WarmEvidence

    menu = tuple(range(10))
    pages = {"a.md": (menu, (1000, 1001, 10)), "b.md": (menu, (20, 21, 22, 1000, 1001)), "c.md": (menu, (30, 31))}
    w = WarmEvidence(small=2)
    before = _as_items(w.of(pages))
    assert before == _plain_evidence(pages) and before["c.md"][0][0] == (0, 1)  # stories {a, b} and {c}
    pages = {**pages, "a.md": (menu, (11, 12, 1000, 1001, 10))}
    after = _as_items(w.of(pages))
    assert after == _plain_evidence(pages) and after["c.md"][0][0] == (0, 2) and w.made == 2
    pages = {**pages, "a.md": (menu, (11, 13, 1000, 1001, 10))}  # the same size: the answer stands
    assert _as_items(w.of(pages)) == _plain_evidence(pages) and w.kept == 1


def test_the_kept_evidence_stands_for_prose_edits_at_scale():
    """A site of SMALL+ pages (the preview's default path): an edit of an article's own lines
    keeps the answer (no new evidence made), one that touches its site's menu, or a copy that
    joins a story, makes it again; every answer is the plain one."""
    import random

    from digest.warmevidence import WarmEvidence

    rnd = random.Random(5)
    pages = _many_site_pages()
    w = WarmEvidence()
    assert _as_items(w.of(pages)) == _plain_evidence(pages) and w.made == 1
    names = sorted(pages)
    for step in range(12):
        pages = dict(pages)
        rel = rnd.choice(names)
        short, long_ = pages[rel]
        pages[rel] = (short, tuple(sorted(long_ + (3_000_000 + step,))))  # a paragraph added
        assert _as_items(w.of(pages)) == _plain_evidence(pages)
    assert w.made == 1 and w.kept == 12
    pages = dict(pages)
    rel = names[3]
    pages[rel] = (pages[rel][0][1:], pages[rel][1])  # a menu line gone
    assert _as_items(w.of(pages)) == _plain_evidence(pages) and w.made == 2
    pages = dict(pages)
    pages[names[5]] = (pages[names[5]][0], tuple(sorted(set(pages[names[5]][1]) | set(pages[names[9]][1]))))
    assert _as_items(w.of(pages)) == _plain_evidence(pages) and w.made == 3
    pages = {k: v for k, v in pages.items() if k != names[0]}  # a file gone: made again
    assert _as_items(w.of(pages)) == _plain_evidence(pages) and w.made == 4


# --- search: a shard built again from its pages' records ----------------------------------------

def test_a_shard_rebuilt_from_its_pages_records_is_the_shard_built_from_the_pages(tmp_path, monkeypatch):
    """Edits, a new article and a deletion, each built incrementally (the changed shards made
    from the records of their unchanged pages), give the search files a cold build of the same
    content gives — and so do damaged records."""
    import hashlib
    import json

    import digest.search as search
    from conftest import damage, write_site
    from digest.config import load_settings
    from digest.pipeline import build_site

    monkeypatch.setattr(search, "SHARD_MAX", 12)
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\n'

    def own(i):  # words of its own: the articles are not copies of one story (stories.py)
        return "".join(chr(0x4E00 + (i * 7919 + k * 104729) % 20000) for k in range(24))

    spec = "\n".join(f"-- content/a{i:03d}.md --\n---\ntitle: 第{i}篇 芯片\ndate: 2026-{1 + i % 3:02d}-{1 + i % 27:02d}\n"
                     f"---\n华为第{i}次发布芯片，{'数据中心' if i % 2 else '光刻机'}。{own(i)}。Chips {i}.\n"
                     for i in range(50))

    def build(root):
        result = build_site(load_settings(root))
        assert result.ok, [str(e) for e in result.report.errors]

    def tree(root):
        folder = root / "output" / "search"
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    inc = write_site(tmp_path / "inc", spec, pyproject)
    build(inc)
    records = sorted((inc / ".digest-cache" / "search").rglob("records/*.pickle"))
    # packs: each member is the shard's own bucket file, byte for byte
    entry = json.loads((inc / "output/search/data/entry.json").read_bytes())
    packed = [s for s in entry["shards"] if "pack" in s]
    assert packed
    cache = search.Cache(load_settings(inc).cache_path / search.CACHE_DIR, load_settings(inc).output_dir)
    for s in packed:
        stored = cache.load(s["dir"])
        for i in range(s["buckets"]):
            data = (inc / "output/search/data" / s["pack"] / f"b{i}.dat").read_bytes()
            assert search.unpack(data, s["slot"]) == stored[f"{s['dir']}/b{i}.dat"]
        assert not (inc / "output/search/data" / s["dir"] / "b0.dat").exists()  # (the pack's only)
    assert len(records) == len(json.loads((inc / "output/search/data/entry.json").read_bytes())["shards"])
    steps = [("content/a004.md", lambda t: t.replace("华为", "英伟达")),
             ("content/new.md", lambda t: "---\ntitle: 新\ndate: 2026-02-10\n---\n昇腾芯片，高带宽内存。" + own(99) + "\n"),
             ("content/a007.md", None),
             ("content/a010.md", lambda t: t + "\n更多的数据中心。\n")]
    for i, (rel, change) in enumerate(steps):
        p = inc / rel
        if change is None:
            p.unlink()
        else:
            p.write_text(change(p.read_text(encoding="utf-8") if p.exists() else ""), encoding="utf-8")
        if i == 3:  # damaged records cost time only
            for how, r in zip(("truncated", "garbage", "deleted"), records):
                damage(r, how)
        built = search.last_built
        calls = []
        from digest.search import fastshard  # (the build reads pages with fastshard.extract: speed layer)

        real = fastshard.extract
        monkeypatch.setattr(fastshard, "extract", lambda html, path: calls.append(path) or real(html, path))
        build(inc)
        monkeypatch.setattr(fastshard, "extract", real)
        assert 1 <= search.last_built <= 4, (rel, search.last_built)
        if i == 0:  # the edited page (and neighbours whose links changed) read, not its whole shard
            assert 1 <= len(set(calls)) <= 3 and len(calls) <= 6, calls
        cold = tmp_path / f"cold{i}"
        import shutil
        shutil.copytree(inc / "content", cold / "content")
        (cold / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        build(cold)
        assert tree(inc) == tree(cold), rel


# --- list pages: each article's newest date found once --------------------------------------------

@st.composite
def _dated(draw):
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    zones = [timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))]

    def when():
        if draw(st.booleans()):
            return None
        hour = draw(st.integers(0, 3))  # few values: equal instants in other zones tie
        return datetime(2026, 1, 1, hour, tzinfo=draw(st.sampled_from(zones))).astimezone(draw(st.sampled_from(zones)))

    return [SimpleNamespace(date=when(), updated=when()) for _ in range(draw(st.integers(0, 8)))]


@settings(max_examples=300, deadline=None)
@given(_dated(), st.data())
def test_a_list_pages_newest_date_is_newest_date_of_its_articles(articles, data):
    from types import SimpleNamespace

    from digest.site import SiteRenderer, newest_date

    site = SiteRenderer.__new__(SiteRenderer)  # only its articles: newest() and stamps() read nothing else
    site.articles = articles
    chunk = data.draw(st.lists(st.sampled_from(articles), max_size=6)) if articles else []
    for part in (chunk, articles, [SimpleNamespace(date=None, updated=None)]):  # (the last: not the site's)
        got = site.newest(part)
        want = newest_date(part)
        assert got == want and (got is None or got.isoformat() == want.isoformat())
    assert site.stamps() == {id(a): newest_date((a,)) for a in articles}


@settings(max_examples=300, deadline=None)
@given(_dated(), st.data())
def test_a_feeds_date_from_each_articles_own_is_feed_updated(articles, data):
    """SiteRenderer.feed_updated: a feed's date from each dated article's own feed_updated(),
    found once — the same datetime (instant and zone) as feed.feed_updated over the feed's
    articles, whatever their order and ties; an article not the site's goes the plain way."""
    from types import SimpleNamespace

    from digest.feed import feed_updated
    from digest.site import SiteRenderer

    site = SiteRenderer.__new__(SiteRenderer)
    site.articles = articles
    updated = site.feed_updated(feed_updated)
    dated = [a for a in articles if a.date]
    items = data.draw(st.lists(st.sampled_from(dated), max_size=8)) if dated else []
    stranger = SimpleNamespace(date=None, updated=None)
    for part in (items, dated, [], [stranger] + items):
        got, want = updated(part), feed_updated(part)
        assert got == want and got.isoformat() == want.isoformat()


# --- list pages' keys: a pager keyed by (first page, number, count) --------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 45), st.integers(1, 7), st.sampled_from(["", "tags/a/", "sources/b/", "report/"])),
                min_size=1, max_size=12))
def test_a_pagers_key_says_everything_it_holds(paginations):
    """SiteRenderer.flat() keys a Pager by ident alone: any two pagers paginate() makes with the
    same ident are the same pager (every link and neighbour), and different pagers never share
    one — so a list page whose pager changed is never kept."""
    from digest.site import Pager, paginate

    seen: dict = {}
    for n, per_page, base in paginations:
        for path, chunk, pager in paginate(tuple(range(n)), per_page, base):
            assert type(pager) is Pager and pager.ident[1] == base
            plain = dict(pager)
            assert seen.setdefault(pager.ident, plain) == plain, pager.ident
    by_value: dict = {}
    for ident, plain in seen.items():
        assert by_value.setdefault(repr(sorted(plain.items())), ident) == ident


def test_list_page_values_key_like_the_identity_walk(tmp_path):
    """flat() of a list page's values is a key that tells what identity() tells apart: the same
    articles in another order, one article more, another pager, another heading — each a
    different key; equal values, equal keys."""
    from types import SimpleNamespace

    from digest.pages import page_key
    from digest.site import SiteRenderer, paginate

    arts = [SimpleNamespace(name=f"a{i}") for i in range(7)]
    r = SiteRenderer.__new__(SiteRenderer)  # only its article ids: flat() reads nothing else
    r._ids = {id(a): f"('{a.name}.md', 'd{i}', '{a.name}', '{a.name}/')" for i, a in enumerate(arts)}
    flat = r.flat

    def key(items, n=7, per_page=3, number=0, heading=None):
        pager = paginate(tuple(range(n)), per_page, "")[number][2]
        return page_key("salt", ("page", "list.html", "", "site", flat(
            dict(items=tuple(items), pager=pager, heading=heading, term=None))), plain=True)

    base = key(arts[:3])
    assert base == key(list(arts[:3]))
    variants = [key(arts[1:4]), key([arts[1], arts[0], arts[2]]), key(arts[:4]), key(arts[:2]), key(()),
                key(arts[:3], n=3), key(arts[:3], n=10), key(arts[:3], number=1), key(arts[:3], per_page=4),
                key(arts[:3], heading="H")]
    assert base not in variants and len(set(variants)) == len(variants)
    assert key(arts[:3], n=8) == base  # 8 articles by 3 make the same three pages: the same pager
    mixed = flat((arts[0], "x"))  # not all articles: walked, each article by its identity
    assert mixed == ("T", ("A", r._ids[id(arts[0])]), "x")


# --- names: the theme's name() macro in Python ----------------------------------------------------

_NAMES = st.sampled_from(["Reuters", "新华社", "財新", "Le Monde", "DeepSeek", "AI & <chips>", '"quoted"', "华为 Huawei",
                          "日本経済新聞", "", "O'Reilly", "한겨레"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAMES, min_size=1, max_size=6), ui=st.sampled_from(["en", "zh", "zh-Hant", "ja", "fr"]),
       known=st.dictionaries(_NAMES, st.sampled_from(["en", "zh", "zh-Hant", "ja", 'x"y']), max_size=4))
def test_name_html_is_the_themes_name_macro(tmp_path, names, ui, known):
    """byline() and tags() call SiteRenderer.name_html where they called the name() macro: for
    any name, interface language and known name language (escaping included), the same text."""
    from digest.render import Theme
    from digest.site import SiteRenderer

    r = SiteRenderer.__new__(SiteRenderer)
    r.name_langs = known
    env = Theme(tmp_path, "default").env
    macro = env.from_string('{% import "_meta.html" as m with context %}'
                            '{% for n in names %}[{{ m.name(n) }}]{% endfor %}')
    direct = env.from_string('{% for n in names %}[{{ name_html(n, ui) }}]{% endfor %}')
    ctx = dict(names=names, ui=ui, name_lang=r.name_lang, name_html=r.name_html)
    assert direct.render(**ctx) == macro.render(**ctx)


# --- search: terms with numpy (digest/search/fastterms.py) against text.terms ---------------------

_PIECES = ["华为", "為什麼", "英偉達", "开源", "高带宽内存", "中華", "ひらがな", "カタカナー", "々", "〇", "\U00020000\U0002a6d6",
           "Chips", "chips", "running", "ponies", "caresses", "agreed", "hopping", "DeepSeek", "naïve", "Ελλάδα",
           "Москва", "한국어", "3nm", "2026", " ", "  ", "\n", "，", "。", "：", "、", "-", "'", "(", ")", "Ａ", "１",
           "\u00a0", "\u3000", "😀", "İ", "ß", "ﬁ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60))
def test_numpy_terms_are_the_plain_terms_in_the_same_order(pieces):
    """fastterms.terms() gives text.terms()'s two dicts: the same terms, positions and counts,
    inserted in the same order (the index is made from them, and their records are kept)."""
    from digest.search import fastterms, text

    s = "".join(pieces)
    plain, fast = text.terms(s), fastterms.terms(s)
    assert fast == plain
    assert [list(d.items()) for d in fast] == [list(d.items()) for d in plain]


def test_numpy_terms_on_an_article_and_on_what_numpy_cannot_take():
    from digest.search import fastterms, text

    article = ("美国商务部宣布扩大先进芯片的出口管制，英偉達與華為的股價應聲下跌。Nvidia's chips are running out; "
               "analysts agreed. 开源模型的影响力持续扩大，开源社区欢迎。") * 20
    lone = "华为\ud800开源 chips"  # a lone surrogate: cannot be encoded, the plain way answers
    for s in (article, lone, "", "华", "a", "华为"):
        assert fastterms.terms(s) == text.terms(s)
        assert [list(d.items()) for d in fastterms.terms(s)] == [list(d.items()) for d in text.terms(s)]


def test_hashvalues_are_datasketch_minhash_values():
    """stories.hashvalues() (numpy, in place, minimum along rows) against datasketch's MinHash
    (stories.minhash()) on random sets of shingle hashes: empty, one, few, many; extremes."""
    import numpy as np

    from digest import stories

    rng = np.random.default_rng(17)
    sets = [np.zeros(0, dtype=np.uint32), np.array([0], dtype=np.uint32), np.array([0xFFFFFFFF], dtype=np.uint32),
            np.array([0, 1, 2, 0xFFFFFFFE, 0xFFFFFFFF], dtype=np.uint32)]
    sets += [np.unique(rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)) for n in (1, 2, 7, 60, 333, 2048)]
    for v in sets:
        before = v.copy()
        fast, plain = stories.hashvalues(v), stories.minhash(v).hashvalues
        assert fast.dtype == plain.dtype == np.uint32 and fast.tobytes() == plain.tobytes()
        assert (v == before).all()  # the caller's array is left as it was
    text = "美国商务部宣布扩大先进芯片的出口管制，英偉達與華為的股價應聲下跌。" * 5
    k, ids = stories.tokens(text)
    whole = stories.shingles((k, ids))
    sample = whole[whole % stories.SAMPLE == 0]
    assert stories.signature(text) == (stories.minhash(sample).hashvalues.tobytes(),
                                       stories.minhash(stories.shingles((k, ids[:stories.HEAD_TOKENS]))).hashvalues.tobytes(),
                                       len(whole))


# --- NFKC (digest/nfkc.py) against unicodedata ---------------------------------------------------

_NFKC_PIECES = ["，", "：", "（", "）", "！", "？", "\u3000", "Ａ", "ｚ", "０", "～", "\uff5f", "\uff60", "ｶ", "ﾞ", "\u0301",
                "\u0308", "\u0327", "e", "A", " ", "华为", "英偉達", "ﬁ", "①", "㍿", "\u1100", "\u1161", "\u11a8", "가",
                "Å", "Å", "ẛ", "\u0323", "²", "½", "™", "\u2126", "\ufb01", "\U0001d400", "\u00a0", "\t", "\ud7a3"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NFKC_PIECES), st.text(max_size=4)), max_size=30))
def test_nfkc_is_unicodedatas_nfkc(pieces):
    """nfkc.nfkc() gives unicodedata's NFKC on random text: full-width forms beside combining
    marks (which compose with the ASCII they become), Hangul jamo, compatibility characters."""
    import unicodedata

    from digest.nfkc import nfkc

    from digest.nfkc import narrow
    from digest.stories import _FULL

    s = "".join(pieces)
    assert nfkc(s) == unicodedata.normalize("NFKC", s)
    assert narrow(s) == s.translate(_FULL)  # (stories.tokens: the map it replaces)


def test_nfkc_on_the_lines_that_matter():
    import unicodedata

    from digest.nfkc import nfkc

    for s in ["美国商务部表示，先进芯片的出口管制将持续（至少）数年：", "Ａ\u0301", "ｶﾞ", "\u3000\u3000全角空格",
              "plain ascii", "", "Ｈｕａｗｅｉ　发布", "１２３４５", "e\u0301\u0323", "\uff5f\uff60"]:
        assert nfkc(s) == unicodedata.normalize("NFKC", s)

# --- list items: each article's list entry kept across builds (listitems.py) -----------------------

def _plain_list_template() -> str:
    """The default theme's list.html the plain way: the entry rendered in the loop, no call block."""
    from digest.render import Theme

    text = (Theme(Path("."), "default").folder / "templates" / "list.html").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    plain = [l for l in lines if not l.lstrip().startswith(("{% call list_item", "{% endcall", "{# list_item"))]
    assert len(lines) - len(plain) == 3, "list.html no longer has the call block this test removes"
    return "".join(plain)


def _list_site_steps(seed: int):
    """A random walk over a small site with short pages: new articles at random dates (so every
    older article moves a place down its lists), edits, deletions, a date moved, a new tag."""
    import random

    r = random.Random(seed)
    tags = ["芯片", "AI", "出口管制", "華為"]
    files: dict[str, str] = {}

    def article(i, tag_pool):
        d = f"2026-{r.randint(1, 4):02d}-{r.randint(1, 28):02d}"
        ts = r.sample(tag_pool, r.randint(1, 2))
        src = r.choice(["新华社", "Reuters", "財新"])
        return (f"---\ntitle: 第{i}篇 {r.choice(['芯片', 'chips'])}\ndate: {d}\nsource: {src}\n"
                f"tags: [{', '.join(ts)}]\n---\n{chr(0x4E00 + i * 37)}{chr(0x4E00 + i * 91)}的第{i}段文字。Text {i}.\n")

    for i in range(24):
        files[f"content/a{i:03d}.md"] = article(i, tags)
    yield dict(files)
    n = 24
    for step in range(7):
        kind = r.choice(["add", "add", "add", "edit", "delete", "newtag"])
        if kind in ("add", "newtag"):
            files[f"content/n{n:03d}.md"] = article(n, tags + (["新标签"] if kind == "newtag" else []))
            n += 1
        elif kind == "edit":
            rel = r.choice(sorted(files))
            files[rel] = files[rel].replace("的第", "的又一", 1) + "More.\n"
        else:
            files.pop(r.choice(sorted(files)))
        yield dict(files)


def _tree(root):
    folder = root / "output"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".digest-manifest.json"}


@pytest.mark.parametrize("seed", [1, 2])
def test_list_pages_from_kept_entries_are_the_pages_rendered_the_plain_way(tmp_path, seed):
    """A site built incrementally step by step (its list entries kept across builds and joined)
    is byte for byte the site built cold with the theme's list.html rendering every entry the
    plain way (no call block: no cache involved), after every step."""
    import shutil

    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = ('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 'timezone = "Asia/Shanghai"\n')
    plain_template = _plain_list_template()
    inc = tmp_path / "inc"
    for i, files in enumerate(_list_site_steps(seed)):
        if inc.exists():
            shutil.rmtree(inc / "content")
        write_files(inc, files, pyproject)
        result = build_site(load_settings(inc))
        assert result.ok, [str(e) for e in result.report.errors]
        plain = tmp_path / f"plain{i}"
        write_files(plain, {**files, "templates/list.html": plain_template}, pyproject)
        assert build_site(load_settings(plain)).ok
        got, want = _tree(inc), _tree(plain)
        assert got.keys() == want.keys(), i
        assert [p for p in got if got[p] != want[p]] == [], i
    assert (inc / ".digest-cache" / "list-items.sqlite").stat().st_size > 0


def write_files(root, files: dict, pyproject: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def test_an_entry_linking_into_its_own_lists_pages_is_never_kept(tmp_path, monkeypatch):
    """An entry whose links differ between two pages of one list (a link into the list's own
    page/N/ folders) is rendered on every page: kept, it would carry another page's links.
    Without the guard the incremental site differs from the cold one — the check can fail."""
    import shutil

    from digest import listitems
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = '[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 2\n'
    template = ('{% extends "base.html" %}{% block main %}<ol>\n{% for a in items %}\n{% call list_item(a) %}'
                '<li><a href="{{ url(a.url) }}">{{ a.title }}</a> '
                '<a href="{{ url(\'tags/\' ~ tag_slug[a.tags[0]] ~ \'/page/2/\') }}">more</a></li>\n'
                '{% endcall %}\n{% endfor %}</ol>{% endblock %}\n')
    files = {f"content/a{i}.md": f"---\ntitle: A{i}\ndate: 2026-01-{10 + i:02d}\ntags: [x]\n---\nText {i}.\n"
             for i in range(7)}
    files["templates/list.html"] = template
    newer = {"content/new.md": "---\ntitle: New\ndate: 2026-02-01\ntags: [x]\n---\nNew text.\n"}

    def run(guarded: bool) -> bool:
        if not guarded:
            monkeypatch.setattr(listitems.Guard, "__call__", lambda self, t: self.url(t))
        inc, cold = tmp_path / f"inc{guarded}", tmp_path / f"cold{guarded}"
        write_files(inc, files, pyproject)
        assert build_site(load_settings(inc)).ok
        write_files(inc, newer, pyproject)  # every article moves a place down: onto another page
        assert build_site(load_settings(inc)).ok
        write_files(cold, {**files, **newer}, pyproject)
        shutil.rmtree(cold / ".digest-cache", ignore_errors=True)
        assert build_site(load_settings(cold)).ok
        return _tree(inc) == _tree(cold)

    assert run(True)
    assert not run(False)


# --- the build state's light articles in buckets, written only when changed (state.py) ----------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["add", "drop", "change", "same"]), st.integers(0, 10**6)),
                min_size=1, max_size=6))
def test_state_buckets_save_only_what_changed_and_load_what_was_saved(tmp_path_factory, steps):
    """Each save then load gives back the articles saved (the plain pickle's answer); a save
    writes exactly the buckets holding an added, dropped or changed article; the folder holds
    exactly the buckets state.pickle names."""
    import hashlib
    import random
    from types import SimpleNamespace

    from digest import state as stm

    folder = tmp_path_factory.mktemp("state")
    settings_ = SimpleNamespace(cache_path=folder)
    salt = "s"
    arts = {hashlib.sha256(str(i).encode()).hexdigest(): ({"title": f"t{i}"}, ()) for i in range(300)}
    state = stm.BuildState(salt, articles=dict(arts))
    stm.save_state(settings_, state)
    stm._LAST.clear()  # read the files, not this process's memo
    for kind, seed in steps:
        state = stm.load_state(settings_, salt)
        assert state.articles == arts
        r = random.Random(seed)
        new = dict(arts)
        key = r.choice(sorted(new))
        if kind == "add":
            key = hashlib.sha256(f"new{seed}".encode()).hexdigest()
            new[key] = ({"title": "new"}, ())
        elif kind == "drop":
            new.pop(key)
        elif kind == "change":
            new[key] = ({"title": f"changed {seed}"}, ("a warning",))
        state.articles = new
        written = []
        real = stm.Path.write_bytes
        stm.Path.write_bytes = lambda self, data: written.append(self.name) or real(self, data)
        try:
            stm.save_state(settings_, state)
        finally:
            stm.Path.write_bytes = real
        want = {stm._bucket(k) for k in arts.keys() | new.keys() if arts.get(k) != new.get(k)}
        assert len(want) <= 1 and (want or kind == "same" or key in arts and arts[key] == new.get(key, 0) or
                                   kind == "add" and key in arts)
        assert {int(name[:2]) for name in written} == want, (kind, written)
        names = set(stm.load_state(settings_, salt).article_files.values())
        assert {p.name for p in (folder / stm.ARTICLES).iterdir()} == names
        stm._LAST.clear()
        arts = new
    assert stm.load_state(settings_, salt).articles == arts


def _paged_site(n: int) -> tuple[str, dict[str, str]]:
    """A site of n dated articles on two tags, two to a list page (so lists have later pages)."""
    pyproject = '[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 2\n'
    return pyproject, {f"content/a{i}.md": f"---\ntitle: A{i}\ndate: 2026-01-{10 + i:02d}\ntags: [x, y{i % 2}]\n---\nText {i}.\n"
                       for i in range(n)}


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage"])
@pytest.mark.parametrize("which", ["bucket", "list-items.sqlite"])
def test_a_damaged_state_bucket_or_list_items_file_is_healed(tmp_path, how, which):
    """A damaged bucket of the state's articles (then no state: a cold build) or a damaged
    list-items.sqlite (its entries rendered again) costs time only: the next build, and the one
    after, equal a cold build."""
    from conftest import damage

    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject, files = _paged_site(7)
    inc = tmp_path / "inc"
    write_files(inc, files, pyproject)
    assert build_site(load_settings(inc)).ok
    cache = inc / ".digest-cache"
    target = sorted((cache / "state-articles").iterdir())[0] if which == "bucket" else cache / which
    damage(target, how)
    for step in range(2):
        new = {f"content/n{step}.md": f"---\ntitle: N{step}\ndate: 2026-02-0{step + 1}\ntags: [x]\n---\nNew {step}.\n"}
        write_files(inc, new, pyproject)
        files.update(new)
        from digest import state as stm
        stm._LAST.clear()
        assert build_site(load_settings(inc)).ok
        cold = tmp_path / f"cold{how}{step}"
        write_files(cold, files, pyproject)
        assert build_site(load_settings(cold)).ok
        assert _tree(inc) == _tree(cold)


def test_forked_renderers_keep_every_entry_they_render(tmp_path, monkeypatch):
    """A cold build whose list pages are rendered by forked workers keeps an entry for each
    article on each of its lists (the workers write in batches and their last batch as they
    exit), and an add then renders no entry but the new article's."""
    import sqlite3

    from digest import parallel
    from digest.config import load_settings
    from digest.pipeline import build_site
    from digest.site import SiteRenderer

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # fork for a handful of pages
    pyproject, files = _paged_site(9)
    site = tmp_path / "site"
    write_files(site, files, pyproject)
    assert build_site(load_settings(site)).ok
    assert not any(p.is_dir() for p in (site / "output/sources").iterdir())  # no source lists
    db = sqlite3.connect(site / ".digest-cache" / "list-items.sqlite")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 9 + 9 + 5 + 4  # the index, x, y0, y1
    db.close()
    rendered = []
    real = SiteRenderer._render_page

    def spy(self, template, page, extra, listing=None):
        if listing is not None:
            items = self.items
            before = len(items.pending)
            out = real(self, template, page, extra, listing)
            rendered.append(len(items.pending) - before)
            return out
        return real(self, template, page, extra, listing)

    monkeypatch.setattr(SiteRenderer, "_render_page", spy)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**6)  # in this process: the spy sees every entry rendered
    write_files(site, {"content/new.md": "---\ntitle: New\ndate: 2026-02-01\ntags: [x]\n---\nNew.\n"}, pyproject)
    assert build_site(load_settings(site)).ok
    # pages moved; entries made: the new article's on the index and on x, and on each the entry pushed
    # from the first page to the second (its links differ there: a key of its own)
    assert len(rendered) >= 4 and sum(rendered) == 4


# --- list pages' keys kept by what decides them (listkeys.py) ------------------------------------

def _keys_and_tree(root):
    from digest import state as st
    from digest.config import load_settings

    s = load_settings(root)
    state = st.load_state(s, st.Fingerprints.of(s, (False,)).article_salt)
    return {p: rec[0] for p, rec in state.pages.items()}, _tree(root)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_list_pages_keyed_from_the_memo_are_keyed_and_made_as_the_plain_way(tmp_path, monkeypatch, seed):
    """Two copies of a site walked through the same random steps (adds at random dates, edits,
    deletions, a new tag), one with the list-keys memo and one without (listkeys.OFF): after every
    step the same output bytes (the sitemap's lastmod included) and the same page keys recorded;
    and the memo does skip pages (a step keeps most list pages from it)."""
    import shutil

    from digest import listkeys
    from digest.config import load_settings
    from digest.pages import PageSet
    from digest.pipeline import build_site

    pyproject = ('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 'timezone = "Asia/Shanghai"\n')
    kept = []
    plain_keep = PageSet.keep_if_current

    def counted(self, path, key):
        ok = plain_keep(self, path, key)
        kept[-1] += ok
        return ok

    monkeypatch.setattr(PageSet, "keep_if_current", counted)
    memo, plain = tmp_path / "memo", tmp_path / "plain"
    for i, files in enumerate(_list_site_steps(seed)):
        for root, off in ((memo, False), (plain, True)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            monkeypatch.setattr(listkeys, "OFF", off)
            kept.append(0)
            assert build_site(load_settings(root)).ok
        assert kept[-1] == 0  # the plain way never asks
        got_keys, got = _keys_and_tree(memo)
        want_keys, want = _keys_and_tree(plain)
        assert got.keys() == want.keys(), i
        assert [p for p in got if got[p] != want[p]] == [], i
        assert got_keys == want_keys, i
    assert (memo / ".digest-cache" / listkeys.LIST_KEYS).is_file()
    assert not (plain / ".digest-cache" / listkeys.LIST_KEYS).exists()
    assert max(kept[2::2]) > 5  # later steps kept list pages from the memo


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage", "another generation"])
def test_a_damaged_list_keys_memo_costs_time_only(tmp_path, how):
    """A memo that is gone, cut short, garbage or of other settings is an empty memo: the build
    that finds it makes every list page the plain way, and equals a cold build."""
    import pickle

    from digest import listkeys
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject, files = _paged_site(20)
    site = tmp_path / "site"
    write_files(site, files, pyproject)
    assert build_site(load_settings(site)).ok
    memo = site / ".digest-cache" / listkeys.LIST_KEYS
    data = memo.read_bytes()
    if how == "deleted":
        memo.unlink()
    elif how == "truncated":
        memo.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        memo.write_bytes(b"\x80\x05garbage" * 10)
    else:
        stored = pickle.loads(data)
        stored["generation"] = "x" * 64
        stored["pages"] = {p: (sig, "0" * 64, None) for p, (sig, _, _) in stored["pages"].items()}
        memo.write_bytes(pickle.dumps(stored))
    first = sorted(files)[0]
    (site / first).write_text(files[first] + "\nOne more line.\n", encoding="utf-8")
    assert build_site(load_settings(site)).ok
    cold = tmp_path / "cold"
    write_files(cold, {**files, first: files[first] + "\nOne more line.\n"}, pyproject)
    assert build_site(load_settings(cold)).ok
    assert _tree(site) == _tree(cold)
    assert pickle.loads(memo.read_bytes())["generation"] != "x" * 64


@pytest.mark.parametrize("seed", [1, 3])
def test_a_build_with_an_early_look_makes_what_the_plain_build_makes(tmp_path, seed):
    """build_site(shown=…) (the preview's early look: the changed article pages made first and
    handed out, then the rest) writes the same output and records the same page keys as the
    build without it, step after step; the look is given the article pages that changed."""
    import shutil

    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = ('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 'timezone = "Asia/Shanghai"\n')
    early, plain = tmp_path / "early", tmp_path / "plain"
    looks = []
    for i, files in enumerate(_list_site_steps(seed)):
        for root, shown in ((early, lambda out: looks.append(sorted(out.staged))), (plain, None)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            assert build_site(load_settings(root), parallel=False, shown=shown).ok
        got_keys, got = _keys_and_tree(early)
        want_keys, want = _keys_and_tree(plain)
        assert got == want and got_keys == want_keys, i
        assert looks[-1] and all(p.startswith("posts/") for p in looks[-1]), looks[-1]


# --- the search shards built by the render workers, beside the pages (overlap.py) ----------------

def _search_site(seed: int, n: int) -> dict[str, str]:
    """n articles of random dates (some undated), tags, languages and words: shards of several
    sizes (with SHARD_MAX = 12: years, months and parts of months)."""
    import random

    rnd = random.Random(seed)
    words = ["芯片", "華為", "数据中心", "算力", "出口管制", "Nvidia", "chips", "export", "models", "光刻机"]
    files = {}
    for i in range(n):
        dated = rnd.random() > 0.15
        date = f"date: 202{rnd.randint(4, 6)}-{rnd.randint(1, 3):02d}-{rnd.randint(1, 28):02d}\n" if dated else ""
        tags = rnd.sample(["AI", "芯片", "policy"], rnd.randint(0, 2))
        own = "".join(chr(0x4E00 + (i * 7919 + k * 104729 + seed) % 20000) for k in range(20))
        body = "，".join(rnd.choice(words) for _ in range(rnd.randint(3, 12)))
        files[f"content/a{i:03d}.md"] = (f"---\ntitle: 第{i}篇 {rnd.choice(words)}\n{date}tags: [{', '.join(tags)}]\n"
                                         f"---\n{body}。{own}。Article {i} of {seed}.\n")
    return files


def _search_ahead_knobs(monkeypatch):
    """A small site that forks its renderers and has the shards to build ahead."""
    from digest import parallel, search

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(search, "SHARD_MAX", 12)
    monkeypatch.setattr(search, "READ_MAX", 3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shards_built_beside_the_pages_are_the_shards_built_after_them(tmp_path, monkeypatch, seed):
    """The render workers build the search shards once the article pages are staged (overlap.py);
    output/ is byte for byte the plain way's (every shard built after the last page), cold and
    after edits, a new article and a deletion, and so is a cold plain build of each step."""
    import random
    import shutil

    from digest import overlap
    from digest.config import load_settings
    from digest.pipeline import build_site

    _search_ahead_knobs(monkeypatch)
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\nper_page = 4\n'
    files = _search_site(seed, 70)
    ahead, plain = tmp_path / "ahead", tmp_path / "plain"
    rnd = random.Random(seed)
    for step in range(4):
        for root, on in ((ahead, True), (plain, False)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            monkeypatch.setattr(overlap, "ENABLED", on)
            result = build_site(load_settings(root))
            assert result.ok, [str(e) for e in result.report.errors]
            if step == 0:  # the cold build: every shard built ahead, or the check would be vacuous
                assert (overlap.last_ahead > 3) if on else overlap.last_ahead == 0
        got, want = _tree(ahead), _tree(plain)
        assert any(p.startswith("search/data/") for p in got)
        assert got.keys() == want.keys(), step
        assert [p for p in got if got[p] != want[p]] == [], step
        monkeypatch.setattr(overlap, "ENABLED", False)
        cold = tmp_path / f"cold{step}"
        write_files(cold, files, pyproject)
        assert build_site(load_settings(cold)).ok
        assert _tree(cold) == want, step
        # the next step: a few edits, a new article, a deletion
        for rel in rnd.sample(sorted(files), 3):
            files[rel] = files[rel].replace("Article", "An edited article")
        files.update({k.replace("/a", f"/new{step}-"): v for k, v in _search_site(seed + 10 + step, 1).items()})
        del files[rnd.choice(sorted(files))]


def test_a_shard_that_fails_ahead_is_built_the_plain_way(tmp_path, monkeypatch):
    """A shard whose build fails in a render worker is built again by the search hook, which
    raises its error as before (here it succeeds: the failure was the worker's only)."""
    import os

    import digest.search as search
    from digest import overlap
    from digest.config import load_settings
    from digest.pipeline import build_site

    _search_ahead_knobs(monkeypatch)
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\n'
    parent, real = os.getpid(), search.build_shard

    def only_here(job):
        if os.getpid() != parent:
            raise OSError("a worker's failure")
        return real(job)

    def no_plan(self):
        raise KeyError("a bug in planning ahead")

    files = _search_site(7, 50)
    flaky, unplanned, plain = tmp_path / "flaky", tmp_path / "unplanned", tmp_path / "plain"
    write_files(flaky, files, pyproject)
    monkeypatch.setattr(search, "build_shard", only_here)
    assert build_site(load_settings(flaky)).ok
    assert overlap.last_ahead == 0 and search.last_built > 3
    monkeypatch.setattr(search, "build_shard", real)
    write_files(unplanned, files, pyproject)  # the plan ahead fails: no shard built ahead, the build goes on
    monkeypatch.setattr(overlap.SearchAhead, "_jobs", no_plan)
    assert build_site(load_settings(unplanned)).ok
    assert overlap.last_ahead == 0 and search.last_built > 3
    monkeypatch.setattr(overlap, "ENABLED", False)
    write_files(plain, files, pyproject)
    assert build_site(load_settings(plain)).ok
    assert _tree(flaky) == _tree(plain) == _tree(unplanned)


def test_a_shard_built_ahead_from_another_job_is_not_used(tmp_path):
    """build_bundle takes a prebuilt shard only for the very job it would run: a stale one (other
    pages, another page's bytes) is built again, and the index is the plain one."""
    import hashlib

    import digest.search as search

    pages = {}
    for i in range(6):
        html = (f'<html lang="zh-Hans"><body><main data-pagefind-body><h1 data-pagefind-meta="title">第{i}篇</h1>'
                f'<p>芯片{i}，数据中心。</p></main></body></html>').encode()
        path = f"posts/a{i}/index.html"
        (tmp_path / "out" / path).parent.mkdir(parents=True)
        (tmp_path / "out" / path).write_bytes(html)
        pages[path] = hashlib.sha256(html).hexdigest()

    def run(prebuilt):
        shards = search.plan([(p, sha, None) for p, sha in pages.items()])
        cache = search.Cache(tmp_path / f"cache{len(list(tmp_path.iterdir()))}", "out")
        return search.build_bundle(shards, cache, lambda rel: str(tmp_path / "out" / rel), False, prebuilt=prebuilt)

    want, built = run(None)
    assert built == 1
    shard = search.plan([(p, sha, None) for p, sha in pages.items()])[0]
    good_pages = [(p, str(tmp_path / "out" / p), sha) for p, sha in shard.pages]
    cache = search.Cache(tmp_path / "elsewhere", "out")
    good = search.build_shard((shard.id, good_pages, cache))
    stale_pages = good_pages[:-1] + [(good_pages[-1][0], good_pages[-1][1], "0" * 64)]
    stale = search.build_shard((shard.id, stale_pages, cache))
    assert run({shard.id: (good_pages, good)}) == (want, 1)
    # marked: a file of its own shows whether the prebuilt result was taken
    marked = lambda got: (got[0], {**got[1], f"{got[0]}/marker": b"x"}, got[2])  # noqa: E731
    taken, _ = run({shard.id: (good_pages, marked(good))})
    assert taken == {**want, f"{good[0]}/marker": b"x"}
    assert run({shard.id: (stale_pages, marked(stale))}) == (want, 1)  # another job: built here, the plain way
    assert run({"other": (good_pages, marked(good))}) == (want, 1)


# --- syndicated copies: the candidates' estimates a block of pairs at a time (stories.PAIR_BLOCK) --

@settings(max_examples=60, deadline=None)
@given(st.integers(2, 60), st.integers(1, 5), st.integers(0, 2**32 - 1), st.lists(st.integers(1, 9), max_size=3))
def test_candidate_pairs_by_blocks_are_the_pairs_of_one_block(n, values, seed, blocks):
    """candidate_pairs with its estimates made PAIR_BLOCK pairs at a time gives the pairs of the
    plain way (all pairs at once), on signatures of few values (many bands agree: many pairs)."""
    import numpy as np

    from digest import stories

    rnd = np.random.default_rng(seed)
    whole = rnd.integers(0, values, size=(n, stories.NUM_PERM), dtype=np.uint32)
    head = rnd.integers(0, values, size=(n, stories.NUM_PERM), dtype=np.uint32)
    counts = rnd.integers(0, 3 * stories.MIN_SHARED, size=n).astype(np.int64)
    real = stories.PAIR_BLOCK
    try:
        stories.PAIR_BLOCK = 10**9
        plain = stories.candidate_pairs(whole, head, counts)
        for block in blocks:
            stories.PAIR_BLOCK = block
            assert stories.candidate_pairs(whole, head, counts) == plain
    finally:
        stories.PAIR_BLOCK = real


# --- search: what build_shard reads from a page, cheaper (digest/search/fastshard.py) ------------

@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60))
def test_coded_terms_are_the_plain_terms_coded_as_postings(pieces):
    """fastshard.coded() gives text.terms()'s terms with each one's positions p written as the
    postings hold them, [len(p), p[0], p[1] - p[0], …], and text.terms()'s words in order."""
    from digest.search import fastshard, text

    s = "".join(pieces)
    (c, w), (pc, pw) = fastshard.coded(s), text.terms(s)
    assert c == {t: [len(p), p[0], *(b - a for a, b in zip(p, p[1:]))] for t, p in pc.items()}
    assert list(w.items()) == list(pw.items())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60))
def test_a_pages_terms_kept_as_bytes_are_the_plain_terms_coded(pieces):
    """build_shard keeps a page's terms as fastshard.flat_coded() gives them (a tuple of terms
    and their coded lists one after another, the array's bytes): read back from the bytes, each
    term's run is text.terms()'s positions p coded, [len(p), p[0], p[1] - p[0], …], every term
    once; the words are text.terms()'s, in order."""
    import numpy as np

    from digest.search import fastshard, text

    s = "".join(pieces)
    terms, array, w = fastshard.flat_coded(s)
    back = np.frombuffer(array.tobytes(), dtype=np.int32).tolist()
    pc, pw = text.terms(s)
    got = list(zip(terms, fastshard.runs(back)))
    assert len(got) == len(terms) == len(pc) and sum(len(r) for _, r in got) == len(back)
    assert dict(got) == {t: [len(p), p[0], *(b - a for a, b in zip(p, p[1:]))] for t, p in pc.items()}
    assert list(w.items()) == list(pw.items())


def test_coded_terms_on_an_article_and_on_what_numpy_cannot_take():
    from digest.search import fastshard, text

    article = ("美国商务部宣布扩大先进芯片的出口管制，英偉達與華為的股價應聲下跌。Nvidia's chips are running out; "
               "analysts agreed. 开源模型的影响力持续扩大，开源社区欢迎。") * 20
    for s in (article, "华为\ud800开源 chips 华为", "", "华", "a", "华为", "华为华为华为"):
        c, w = fastshard.coded(s)
        pc, pw = text.terms(s)
        assert c == {t: [len(p), p[0], *(b - a for a, b in zip(p, p[1:]))] for t, p in pc.items()}
        assert list(w.items()) == list(pw.items())


_MARKS = ['data-pagefind-body', 'data-pagefind-ignore', 'hidden', 'data-pagefind-meta="title"',
          'data-pagefind-meta="date"', 'data-pagefind-meta="title" lang="en"', 'lang="zh-Hant"',
          'data-pagefind-meta="title" lang=""', 'data-pagefind-filter="tag"', 'data-pagefind-filter="source"',
          'data-pagefind-filter="tag" data-pagefind-meta="title"', 'data-pagefind-meta="x"', 'class="x"', '']
_TAGS = ["div", "p", "span", "a", "h1", "li", "ul", "article", "section", "br", "script", "style", "template",
         "noscript", "em", "table", "td", "title", "body", "head", "html", "form", "input", "img"]
_TEXTS = ["华为", " 開源 ", "Chips\n and  models", "&amp;", "&lt;b&gt;", "&nbsp;", "", "  ", "<!-- c -->", "<?pi x?>",
          "&#x4e2d;", "<![CDATA[x]]>", "\t", "2026-03-05", "</p>", "<", "&", "'\"", "\U00020000"]


@st.composite
def _pages(draw):
    """Random HTML: tags with and without the attributes extract() reads, text, comments,
    processing instructions, entities, stray and unclosed tags (the parser mends them)."""
    out = [draw(st.sampled_from(["", "<!DOCTYPE html>", '<html lang="en">', "<html><head><title> T  x </title></head>"]))]
    open_tags = []
    for _ in range(draw(st.integers(0, 40))):
        what = draw(st.integers(0, 3))
        if what == 0:
            tag = draw(st.sampled_from(_TAGS))
            out.append(f"<{tag} {draw(st.sampled_from(_MARKS))}>")
            open_tags.append(tag)
        elif what == 1 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        else:
            out.append(draw(st.one_of(st.sampled_from(_TEXTS), st.text(max_size=5))))
    return "".join(out).encode("utf-8", "surrogatepass")


@settings(max_examples=600, deadline=None)
@given(_pages())
def test_fast_extract_is_the_plain_extract(html):
    """fastshard.extract() gives search.extract()'s record on random pages, or the same error."""
    from digest.search import SearchError, extract, fastshard

    try:
        want = extract(html, "posts/x/index.html")
    except SearchError as e:
        with pytest.raises(SearchError) as got:
            fastshard.extract(html, "posts/x/index.html")
        assert str(got.value) == str(e)
        return
    assert fastshard.extract(html, "posts/x/index.html") == want


def test_fast_extract_on_empty_and_broken_pages():
    from digest.search import SearchError, extract, fastshard

    for html in (b"", b"   ", b"\x00\x01", b"<html></html>", b"<!-- only -->", "华为".encode("gbk"), b"\xff\xfe<p>x"):
        try:
            want = extract(html, "a.html")
        except SearchError as e:
            with pytest.raises(SearchError, match=str(e)[:20]):
                fastshard.extract(html, "a.html")
            continue
        assert fastshard.extract(html, "a.html") == want


def _plain_shard(pages: list[tuple[str, str]]) -> tuple[dict, dict]:
    """build_shard's postings and texts the plain way (search.extract, text.terms, every position
    of every term walked in Python, as build_shard did before fastshard.py): ({bucket files by
    name without the shard folder: JSON}, {page: content key})."""
    import json
    import math
    from operator import sub

    from digest import search
    from digest.search import text

    docs, texts, keys, cjk, words = [], [], {}, {}, {}
    for d, (path, file) in enumerate(pages):
        with open(file, "rb") as f:
            html = f.read()
        rec = search.extract(html, path)
        keys[path] = search.content_key(rec)
        docs.append([rec["url"], rec["title"], rec["date"], rec["source"], rec["tags"], rec["lang"], len(rec["text"])])
        texts.append(rec["text"])
        c, w = text.terms(rec["text"])
        for term, pos in c.items():
            lst = cjk.setdefault(term, [])
            lst += [d, len(pos), pos[0]]
            lst.extend(map(sub, pos[1:], pos))
        for term, n in w.items():
            words.setdefault(term, []).extend([d, n])
    total = sum(len(v) for v in cjk.values()) + sum(len(v) for v in words.values())
    nb = 1 << max(0, round(math.log2(max(1.0, total / search.BUCKET_INTS))))
    buckets: list[dict] = [{} for _ in range(nb)]
    for term in sorted(cjk):
        buckets[search.bucket_of(term, nb)][term] = cjk[term]
    for term in sorted(words):
        buckets[search.bucket_of(term, nb)][term] = words[term]
    out = {"docs.dat": docs, **{f"b{i}.dat": b for i, b in enumerate(buckets)},
           **{f"t{i // search.CHUNK}.dat": texts[i:i + search.CHUNK] for i in range(0, len(texts), search.CHUNK)}}
    return {k: json.dumps(v, ensure_ascii=False, separators=(",", ":")) for k, v in out.items()}, keys


@pytest.mark.parametrize("seed", [4, 5])
def test_a_shard_built_the_fast_way_is_the_plain_shard(tmp_path, seed):
    """The article pages of a built site (random dates, tags, languages, words), indexed by
    build_shard (fastshard's extract and coded terms) and the plain way: the same files and
    content keys, and fastshard.extract() gives search.extract()'s record for every page."""
    import gzip

    from conftest import write_site
    from digest import search
    from digest.config import load_settings
    from digest.pipeline import build_site
    from digest.search import fastshard

    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\n'
    files = _search_site(seed, 60)
    files["content/long.md"] = "---\ntitle: 长文\ndate: 2026-01-02\n---\n" + "华为芯片，英偉達。Chips running. " * 400 + "\n"
    root = write_site(tmp_path / "s", "\n".join(f"-- {rel} --\n{text}" for rel, text in files.items()), pyproject)
    assert build_site(load_settings(root)).ok
    out = root / "output"
    pages = sorted((p.relative_to(out).as_posix(), str(p)) for p in out.glob("posts/*/index.html"))
    assert len(pages) > 50
    for path, file in pages:
        html = Path(file).read_bytes()
        assert fastshard.extract(html, path) == search.extract(html, path)
    sdir, built, keys = search.build_shard(("s", [(path, file, "x") for path, file in pages], None))
    want, want_keys = _plain_shard(pages)
    assert {k.split("/", 1)[1]: gzip.decompress(v).decode() for k, v in built.items()} == want
    assert {p: k for p, (_, k) in keys.items()} == want_keys


def test_build_shard_pauses_the_collector_and_restores_it(tmp_path):
    """build_shard() runs with the cyclic collector paused and leaves it as it found it: on,
    off, and after a page that cannot be read (the error is the plain one)."""
    import gc

    from digest import search

    page = tmp_path / "p.html"
    page.write_text('<html><head><meta charset="utf-8"></head><body><article data-pagefind-body><h1 data-pagefind-meta="title">华为</h1>'
                    "<p>华为芯片</p></article></body></html>", encoding="utf-8")
    seen = []
    real = search._build_shard

    def spy(job):
        seen.append(gc.isenabled())
        return real(job)

    was = gc.isenabled()
    try:
        search._build_shard = spy
        for on in (True, False):
            (gc.enable if on else gc.disable)()
            sdir, files, keys = search.build_shard(("s", [("posts/p/index.html", str(page), "x")], None))
            assert gc.isenabled() is on and seen[-1] is False
            assert json_of(files[f"{sdir}/docs.dat"])[0][1] == "华为"
        search._build_shard = real
        gc.enable()
        with pytest.raises(FileNotFoundError):
            search.build_shard(("s", [("posts/q/index.html", str(tmp_path / "missing.html"), "x")], None))
        assert gc.isenabled()
    finally:
        search._build_shard = real
        (gc.enable if was else gc.disable)()


def json_of(data: bytes):
    import gzip
    import json

    return json.loads(gzip.decompress(data))

# --- an incremental build's search shard built in a forked child, beside the list pages (searchfork.py)

def _fork_steps(seed: int):
    """A site of 40 articles in shards of at most 12, then steps an editor takes: edits (one, then
    three), a new article, a deletion, an edit that changes nothing the index holds (a tag only)."""
    import random

    rnd = random.Random(seed)
    files = _search_site(seed, 40)
    yield "cold", dict(files)
    for step, kind in enumerate(["edit", "add", "edits", "delete", "retag"]):
        if kind == "edit":
            rel = rnd.choice(sorted(files))
            files[rel] = files[rel].replace("Article", "An edited article")
        elif kind == "edits":
            for rel in rnd.sample(sorted(files), 3):
                files[rel] = files[rel] + "One more paragraph.\n"
        elif kind == "add":
            files.update({k.replace("/a", f"/new{step}-"): v for k, v in _search_site(seed + 10 + step, 1).items()})
        elif kind == "delete":
            del files[rnd.choice(sorted(files))]
        else:
            rel = rnd.choice(sorted(files))
            files[rel] = files[rel].replace("tags: [", "tags: [新标签, ", 1)
        yield kind, dict(files)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shards_built_by_a_forked_child_are_the_shards_built_the_plain_way(tmp_path, monkeypatch, seed):
    """With searchfork on, an incremental build renders its article pages first and a forked child
    builds their shards while the list pages are made; output/ and the page keys are byte for byte
    the plain build's after every step, and a cold build's of the same content. The child is used
    (it built the shard of every edit and new article), so the comparison is not vacuous."""
    import shutil

    from digest import searchfork, search
    from digest.config import load_settings
    from digest.pipeline import build_site

    monkeypatch.setattr(search, "SHARD_MAX", 12)
    monkeypatch.setattr(searchfork, "idle_core", lambda: True)  # (the machine running the tests may be busy)
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\nper_page = 4\n'
    forked, plain = tmp_path / "forked", tmp_path / "plain"
    for i, (kind, files) in enumerate(_fork_steps(seed)):
        for root, on in ((forked, True), (plain, False)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            monkeypatch.setattr(searchfork, "ENABLED", on)
            monkeypatch.setattr(searchfork, "last_forked", 0)  # (a cold build forks no child and leaves it as it was)
            result = build_site(load_settings(root))
            assert result.ok, [str(e) for e in result.report.errors]
            if on:
                child = searchfork.last_forked
        if kind in ("edit", "add", "edits"):
            assert child >= 1, (kind, child)
        elif kind == "cold":
            assert child == 0
        got_keys, got = _keys_and_tree(forked)
        want_keys, want = _keys_and_tree(plain)
        assert any(p.startswith("search/data/") for p in got)
        assert got.keys() == want.keys(), i
        assert [p for p in got if got[p] != want[p]] == [] and got_keys == want_keys, i
        monkeypatch.setattr(searchfork, "ENABLED", False)
        cold = tmp_path / f"cold{i}"
        write_files(cold, files, pyproject)
        assert build_site(load_settings(cold)).ok
        assert _tree(cold) == want, i


def test_a_child_that_fails_or_a_build_that_stops_costs_nothing_but_time(tmp_path, monkeypatch):
    """A child that raises sends nothing: the search hook builds the shard itself and the output is
    the plain one. A build that stops after the fork (a list template that fails) ends and reaps
    the child, and output/ stays as it was."""
    import os

    from digest import searchfork, search
    from digest.config import load_settings
    from digest.pipeline import build_site

    monkeypatch.setattr(search, "SHARD_MAX", 12)
    monkeypatch.setattr(searchfork, "idle_core", lambda: True)
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/"\nper_page = 4\n'
    files = _search_site(5, 30)
    site, plain = tmp_path / "site", tmp_path / "plain"
    write_files(site, files, pyproject)
    assert build_site(load_settings(site)).ok
    edited = dict(files)
    rel = sorted(edited)[7]
    edited[rel] = edited[rel].replace("Article", "An edited article")
    write_files(site, edited, pyproject)

    def broken(*a):
        raise RuntimeError("a bug in the child")

    monkeypatch.setattr(searchfork, "_build", broken)
    built_before = search.last_built
    assert build_site(load_settings(site)).ok
    assert searchfork.last_forked == 0 and search.last_built >= 1, built_before
    monkeypatch.setattr(searchfork, "ENABLED", False)
    write_files(plain, edited, pyproject)
    assert build_site(load_settings(plain)).ok
    assert _tree(site) == _tree(plain)
    # a build that stops after forking: the child is ended and reaped, output/ untouched
    monkeypatch.setattr(searchfork, "ENABLED", True)
    made = []
    real_start = searchfork.start

    def spy(*a):
        fork = real_start(*a)
        made.append((fork, fork.pid if fork is not None else None))
        return fork

    monkeypatch.setattr(searchfork, "start", spy)
    before = _tree(site)
    edited[rel] = edited[rel] + "Again.\n"
    write_files(site, {**edited, "templates/list.html": "{% extends 'base.html' %}{% block main %}{{ 1 // 0 }}"
                       "{% endblock %}"}, pyproject)
    result = build_site(load_settings(site))
    assert not result.ok
    assert made and made[0][1] is not None and made[0][0].pid is None and made[0][0].fd is None
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(made[0][1], os.WNOHANG)
    assert _tree(site) == before


# --- the collector paused in an incremental build's process (gcpause.py) --------------------------

def test_an_incremental_build_without_automatic_collections_makes_what_the_plain_build_makes(tmp_path, monkeypatch):
    """Step after step (new articles moving every list, edits, a deletion, a new tag), a site built
    with the collector paused is byte for byte, page key for page key, the site built with it on;
    the pause covers the incremental builds' own process only (not a cold build), and the
    collector is on again once each build ends."""
    import gc
    import shutil

    from digest import gcpause, site as site_mod
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = ('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 'timezone = "Asia/Shanghai"\nsearch = true\n')
    seen = []
    real = site_mod.SiteRenderer.list_pages

    def noting(self):
        seen.append(gc.isenabled())
        return real(self)

    monkeypatch.setattr(site_mod.SiteRenderer, "list_pages", noting)
    paused, plain = tmp_path / "paused", tmp_path / "plain"
    for i, files in enumerate(_list_site_steps(4)):
        for root, on in ((paused, True), (plain, False)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            monkeypatch.setattr(gcpause, "ENABLED", on)
            seen.clear()
            assert build_site(load_settings(root)).ok
            assert gc.isenabled()
            # the collector is off while an incremental build with the layer on makes its list pages
            assert seen == [not (on and i > 0)], (i, on, seen)
        got_keys, got = _keys_and_tree(paused)
        want_keys, want = _keys_and_tree(plain)
        assert got == want and got_keys == want_keys, i


def test_the_child_is_forked_only_when_a_core_is_idle(monkeypatch):
    """idle_core(): a second process only when the load average leaves a core free."""
    from digest import parallel, searchfork

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    for load, idle in ((0.2, True), (1.4, True), (1.6, False), (5.0, False)):
        monkeypatch.setattr(searchfork.os, "getloadavg", lambda load=load: (load, load, load))
        assert searchfork.idle_core() is idle, load
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    monkeypatch.setattr(searchfork.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert searchfork.idle_core() is False


def test_a_process_forked_while_the_collector_is_paused_collects():
    """Render and search workers and searchfork's child are forked from a paused build: each has
    the collector on (os.register_at_fork), and the parent has it off until the block ends."""
    import gc
    import os

    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing

    from digest import gcpause

    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, b"1" if gc.isenabled() else b"0")
            os._exit(0)
        os.close(w)
        got = os.read(r, 1)
        os.close(r)
        os.waitpid(pid, 0)
        assert got == b"1"
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            assert pool.submit(gc.isenabled).result() is True
        assert not gc.isenabled()
        with gcpause.paused():  # nested: the outer block turns it back on
            pass
        assert not gc.isenabled()
    assert gc.isenabled()

# --- the preview's watcher: only the reported paths scanned again (watch.Watcher.rescan) ----------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["write", "grow", "delete", "mkdir", "rmdir", "rename"]),
                          st.sampled_from(["a.md", "b.txt", ".hidden.md", "c.md~", "d.swp", "x.tmp",
                                           "sub/e.md", "sub/f.md", "sub/deep/g.md", ".git/h", "__pycache__/i.md",
                                           "sub2/j.md"])),
                min_size=1, max_size=8),
       st.booleans())
def test_the_watchers_rescan_of_reported_paths_is_its_full_scan(tmp_path_factory, steps, whole_folder):
    """Whatever changes in content/ (files written, grown, deleted; folders made, removed,
    renamed; hidden names and editor droppings among them), the snapshot rescan() makes from the
    last one and the paths a notifier reports equals a full scan(). whole_folder: a renamed or
    removed folder is reported by its own path only, not its files'."""
    import os
    import shutil

    from digest.watch import Watcher

    root = tmp_path_factory.mktemp("watch")
    content = root / "content"
    (content / "sub").mkdir(parents=True)
    (content / "old.md").write_text("x", encoding="utf-8")
    (content / "sub" / "kept.md").write_text("y", encoding="utf-8")
    w = Watcher(lambda: [root / "pyproject.toml", content], lambda: content, None)
    w.snapshot = w.scan()
    reported: set[str] = set()
    for n, (what, rel) in enumerate(steps):
        path = content / rel
        top = content / rel.split("/")[0]
        if what in ("write", "grow"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("z" * (n + 1 if what == "grow" else 1), encoding="utf-8")
            os.utime(path, ns=(10**18 + n, 10**18 + n))  # a new mtime each step, whatever the clock's grain
            reported.add(str(path))
            reported.update(str(p) for p in path.parents if p != content and content in p.parents)
        elif what == "delete" and path.is_file():
            path.unlink()
            reported.add(str(path))
        elif what == "mkdir":
            (path.parent / "newdir").mkdir(parents=True, exist_ok=True)
            (path.parent / "newdir" / "k.md").write_text("k", encoding="utf-8")
            reported.update({str(path.parent / "newdir")} if whole_folder else
                            {str(path.parent / "newdir"), str(path.parent / "newdir" / "k.md")})
            reported.update(str(p) for p in path.parents if p != content and content in p.parents)
        elif what == "rmdir" and top.is_dir() and top != content:
            files = [str(p) for p in top.rglob("*")]
            shutil.rmtree(top)
            reported.update({str(top)} if whole_folder else {str(top), *files})
        elif what == "rename" and top.is_dir() and top != content:
            files = [str(p) for p in top.rglob("*")]
            moved = content / (top.name + "-moved")
            if moved.exists():
                continue
            top.rename(moved)
            reported.update({str(top), str(moved)} if whole_folder else
                            {str(top), str(moved), *files, *(str(moved / Path(f).relative_to(top)) for f in files)})
    assert w.rescan(content, reported) == w.scan()


# --- the preview's search index paused while a save is rebuilt (search/background.py) -------------

@pytest.mark.parametrize("seed", [1, 2])
def test_a_preview_whose_index_is_paused_and_ended_ends_as_the_plain_build(tmp_path, monkeypatch, seed):
    """Saves rebuilt by the preview's way — the last save's index paused during each rebuild,
    sometimes still paused when the next build ends it, sometimes resumed and left to finish —
    leave the preview folder (the background index's search/data included) byte for byte what
    a plain build of the last step writes into output/ with the same settings."""
    import dataclasses
    import random
    import shutil

    from digest.config import load_settings
    from digest.pipeline import build_site
    from digest.search import background
    from digest.serve import preview_settings

    monkeypatch.setattr("digest.search.SHARD_MAX", 12)  # several shards: some kept, some built again
    pyproject = '[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/sub/"\nper_page = 4\n'
    files = _search_site(seed, 40)
    root = tmp_path / "site"
    rnd = random.Random(seed)
    resumed = 0
    try:
        for step in range(5):
            background.pause()  # as Preview.rebuild: a save was seen
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            settings = preview_settings(load_settings(root), "127.0.0.1", 8000)
            result = build_site(settings, parallel=False, defer_save=True, trust_output=True)
            assert result.ok, [str(e) for e in result.report.errors]
            result.finish()
            if rnd.random() < 0.5:  # the next save comes before the index is done, or after
                background.resume()
                resumed += 1
                if rnd.random() < 0.5:
                    assert background.wait(60)
            for rel in rnd.sample(sorted(files), 2):
                files[rel] = files[rel].replace("Article", "An edited article")
            files.update({k.replace("/a", f"/new{step}-"): v for k, v in _search_site(seed + 10 + step, 1).items()})
            del files[rnd.choice(sorted(files))]
    finally:
        background.resume()
    assert background.wait(60)
    assert 0 < resumed < 5  # both ways were taken
    plain = tmp_path / "plain"
    write_files(plain, {}, pyproject)
    shutil.rmtree(plain / "content")
    shutil.copytree(root / "content", plain / "content")  # the last step's files
    plain_settings = dataclasses.replace(preview_settings(load_settings(plain), "127.0.0.1", 8000),
                                         output_dir="output", cache_dir=".digest-cache")
    assert build_site(plain_settings, parallel=False).ok
    got = {p.relative_to(settings.output_path).as_posix(): p.read_bytes()
           for p in sorted(settings.output_path.rglob("*")) if p.is_file() and p.name != ".digest-manifest.json"}
    want = _tree(plain)
    assert any(p.startswith("search/data/") for p in want)
    assert got.keys() == want.keys()
    assert [p for p in got if got[p] != want[p]] == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=300), st.integers(1, 40))
def test_sorted_unique_is_numpys_unique(values, spread):
    """stories.sorted_unique (a sort and a mask) gives np.unique's array: values, order and dtype;
    empty, one value, repeats (values folded into few distinct ones by `spread`) and extremes."""
    import numpy as np

    from digest import stories

    for arr in (np.array(values, dtype=np.uint32), np.array([v % spread for v in values], dtype=np.uint32),
                np.array([v | 0xFFFFFFF0 for v in values], dtype=np.uint32)):
        want = np.unique(arr)
        got = stories.sorted_unique(arr.copy())
        assert got.dtype == want.dtype and got.tolist() == want.tolist()


# --- speed layer: a finished build ends its process at once (digest/quickexit.py) ---

def _run_build(root: Path, quick: bool, *args: str):
    import subprocess
    import sys

    code = ("import sys; import digest.quickexit as q; q.ENABLED = %r; from digest.cli import run; "
            "sys.argv = ['build.py'] + sys.argv[1:]; run()" % quick)
    return subprocess.run([sys.executable, "-c", code, "--root", str(root), *args], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)


def _files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_that_exits_at_once_leaves_what_the_plain_exit_leaves(tmp_path):
    import pickle
    import shutil

    from digest import state

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "pyproject.toml").write_text('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/"\n'
                                        "search = true\n")
    for i in range(4):
        (site / "content" / f"a{i}.md").write_text(f"---\ntitle: Article {i}\ndate: 2026-03-0{i + 1}\n"
                                                   f"tags: [chips]\n---\n\nText of article {i}, about chips.\n")
    roots = {q: tmp_path / f"quick-{q}" for q in (True, False)}
    for quick, root in roots.items():
        shutil.copytree(site, root)
    runs = {}
    for quick, root in roots.items():
        first = _run_build(root, quick)
        (root / "content" / "a1.md").write_text((root / "content" / "a1.md").read_text() + "\nOne more line.\n")
        (root / "content" / "bad.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n")
        failed = _run_build(root, quick)
        (root / "content" / "bad.md").unlink()
        again = _run_build(root, quick)
        noop = _run_build(root, quick)
        runs[quick] = [(r.returncode, r.stderr.replace(str(root), "ROOT"),
                        r.stdout.replace(str(root), "ROOT").split(" in ")[0]) for r in (first, failed, again, noop)]
    assert [r[0] for r in runs[True]] == [0, 1, 0, 0]
    assert "bad.md" in runs[True][1][1]
    assert runs[True] == runs[False]  # the same statuses and messages
    assert "0 written" in runs[True][3][2]  # the stamp was saved: the last build was a no-op
    assert _files(roots[True] / "output") == _files(roots[False] / "output")
    # the build state and the cache's files are complete (the same names; the state loads the same)
    cache = {q: root / ".digest-cache" for q, root in roots.items()}
    assert sorted(_files(cache[True])) == sorted(_files(cache[False]))
    loaded = {q: pickle.loads((c / state.STATE).read_bytes()) for q, c in cache.items()}
    assert loaded[True].files.keys() == loaded[False].files.keys()
    assert {k: v[2] for k, v in loaded[True].files.items()} == {k: v[2] for k, v in loaded[False].files.items()}


def test_only_a_finished_build_exits_at_once(monkeypatch):
    import multiprocessing

    from digest import quickexit

    threads = [1]
    monkeypatch.setattr(quickexit.threading, "active_count", lambda: threads[0])
    children: list = []
    monkeypatch.setattr(multiprocessing, "active_children", lambda: children)
    monkeypatch.setattr(quickexit, "_ready", False)
    assert not quickexit.safe()  # serve, inspect, report, init: the plain exit
    monkeypatch.setattr(quickexit, "_ready", True)
    assert quickexit.safe()
    monkeypatch.setattr(quickexit, "ENABLED", False)
    assert not quickexit.safe()
    monkeypatch.setattr(quickexit, "ENABLED", True)
    threads[0] = 2
    assert not quickexit.safe()  # another thread may still be writing
    threads[0] = 1
    children.append(object())
    assert not quickexit.safe()  # a child process is still running


# --- the preview's warm state between saves (warm.py) --------------------------------------------

_WARM_PYPROJECT = ('[tool.digest]\ntitle = "T"\nsearch = true\nbase_url = "https://example.org/sub/"\nper_page = 4\n'
                   'timezone = "Asia/Shanghai"\n')


def _preview_tree(settings) -> dict:
    from digest.search import background

    assert background.wait(60)  # the preview's index, built in the background, is part of its folder
    return {p.relative_to(settings.output_path).as_posix(): p.read_bytes()
            for p in sorted(settings.output_path.rglob("*")) if p.is_file() and p.name != ".digest-manifest.json"}


def _cold_tree(tmp_path, root, name: str) -> dict:
    """A cold build of root's content, with the preview's settings, into a site of its own."""
    import dataclasses
    import shutil

    from digest.config import load_settings
    from digest.pipeline import build_site
    from digest.serve import preview_settings

    plain = tmp_path / name
    write_files(plain, {}, _WARM_PYPROJECT)
    shutil.rmtree(plain / "content")
    shutil.copytree(root / "content", plain / "content")
    settings = dataclasses.replace(preview_settings(load_settings(plain), "127.0.0.1", 8000),
                                   output_dir="output", cache_dir=".digest-cache")
    result = build_site(settings, parallel=False)
    return _tree(plain) if result.ok else None


def _new_preview(root):
    from digest import state as st
    from digest.config import load_settings
    from digest.serve import Preview

    st._LAST.clear()  # a new process: nothing kept from the last one
    p = Preview(load_settings(root), "127.0.0.1", 8000, False)
    p.initial_build()
    return p


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_saves_through_the_warm_state_end_as_a_cold_build(tmp_path, monkeypatch, seed):
    """Random edits, adds and deletions saved through the preview the warm way — the last
    build's state handed to the next build in the process, its save made when idle or not at all,
    sometimes a broken file (a build that stops), a build that raises after its early look, a
    build that gives way to a newer save after it (interrupt.py: at any of its checks; the newer
    save edits again or puts the file back), or the preview killed with its state unsaved and
    started again; the listing of content/ kept
    and updated with the paths the watcher would report — leave the preview folder, after
    every step, byte for byte what a cold build of the same content writes."""
    import random

    from digest import pipeline, warm

    monkeypatch.setattr("digest.search.SHARD_MAX", 12)
    monkeypatch.setattr("digest.warmevidence.SMALL", 2)  # (the evidence kept between saves at any size)
    rnd = random.Random(seed)
    files = _search_site(seed, 30)
    root = tmp_path / "site"
    write_files(root, files, _WARM_PYPROJECT)
    p = _new_preview(root)
    every = ["edit", "add", "delete", "broken", "raise", "kill", "interrupt"]
    plan = every + [rnd.choice(every + ["edit"]) for _ in range(4)]  # each kind at least once
    rnd.shuffle(plan)
    listed = kept = 0
    for step, kind in enumerate(plan):
        before = dict(files)
        if kind in ("edit", "broken", "raise", "kill", "interrupt"):
            rel = rnd.choice(sorted(files))
            if rnd.random() < 0.5:  # its title and a line like other pages' lines
                files[rel] = files[rel].replace("Article", f"Edited {step}, article", 1) + f"More {step}.\n"
            else:  # a line of its own only (the evidence kept: warmevidence.py)
                files[rel] += "More " + "".join(rnd.choices("abcdefghijklmnop", k=12)) + ".\n"
        elif kind == "add":
            files.update({k.replace("/a", f"/new{step}-"): v for k, v in _search_site(seed + 10 + step, 1).items()})
        else:
            del files[rnd.choice(sorted(files))]
        changed = []  # what the watcher reports: the files written or deleted
        for rel in sorted(before.keys() | files.keys()):
            if before.get(rel) != files.get(rel):
                changed.append(str(root / rel))
                if rel in files:
                    (root / rel).write_text(files[rel], encoding="utf-8")
                else:
                    (root / rel).unlink()
        if kind == "broken":  # a file that does not load: the build stops, the last good site stays
            broken = root / "content" / "zz-broken.md"
            broken.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
            errors, _, _ = p.build(early=True, changed=changed + [str(broken)])
            assert errors
            broken.unlink()
            changed = [str(broken)]
        if kind == "interrupt":  # (interrupt.py) a newer save comes after the early look: the build
            # gives way at one of its checks (after the look, before each list, the search page, the sitemap
            # and the commit), commits nothing and
            # puts its early page back; the newer save edits the file again or puts it back as it was
            tree = _preview_tree(p.preview)
            where = rnd.choice(["render_site", "_list", "search", "sitemap", "build_site"])  # (who asks)
            nth, calls = rnd.randrange(1, 6) if where == "render_site" else rnd.randrange(1, 4) if where == "_list" else 1, []

            def newer_save():
                if not p._shown:
                    return False
                calls.append(sys._getframe(2).f_code.co_name)  # (the caller of interrupt.check)
                return calls[-1] == where and calls.count(where) == nth

            p.newer_save = newer_save
            errors, _, _ = p.build(early=True, changed=changed)
            del p.newer_save
            assert errors == [] and p.interrupted and calls[-1] == where, (errors, where, nth, calls)
            assert _preview_tree(p.preview) == tree  # the folder as the last commit left it
            files[rel] = before[rel] if rnd.random() < 0.5 else files[rel] + f"Again {step}.\n"
            (root / rel).write_text(files[rel], encoding="utf-8")
            changed = [str(root / rel)]
        if kind == "raise":  # a bug after the early look: the build raises, its pages are put back
            plain_sitemap = pipeline.BuildSession.sitemap
            monkeypatch.setattr(pipeline.BuildSession, "sitemap", lambda self: 1 / 0)
            errors, _, _ = p.build(early=True, changed=changed)
            monkeypatch.setattr(pipeline.BuildSession, "sitemap", plain_sitemap)
            assert errors and "internal error" in errors[0]
        listed_before, kept_before = p.warm.listed, p.warm.evidence.kept
        errors, _, _ = p.build(early=True, changed=changed)
        assert errors == [] and not p.interrupted, errors
        listed += p.warm.listed - listed_before
        kept += p.warm.evidence.kept - kept_before
        if kind == "kill":  # killed before its state was saved: a new preview starts from the stale state
            assert warm.stale(p.preview)
            p = _new_preview(root)
        elif rnd.random() < 0.4:  # idle: the state saved
            p.save_state()
            assert not warm.stale(p.preview)
        assert _preview_tree(p.preview) == _cold_tree(tmp_path, root, f"cold{step}"), (step, kind)
    assert listed >= 5  # most builds took the listing kept in the process
    assert kept >= 1  # and some the evidence kept (warmevidence.py)


@pytest.mark.parametrize("where", ["render_site", "_list", "search", "sitemap", "build_site"])
def test_a_rebuild_gives_way_at_each_check_and_the_next_one_is_a_cold_build(tmp_path, where):
    """(interrupt.py) A save's rebuild gives way to a newer save at each place it asks (after its
    early look, before a list, the search page, the sitemap, the commit): the preview folder is
    as the last commit left it; the newer save puts the file back as it was, and its rebuild
    leaves what a cold build writes (the page shown early is not kept as it was shown)."""
    from digest import pipeline

    files = _search_site(4, 12)
    root = tmp_path / "site"
    write_files(root, files, _WARM_PYPROJECT)
    p = _new_preview(root)
    tree = _preview_tree(p.preview)
    rel = sorted(files)[5]
    path = root / rel
    path.write_text(files[rel] + "A line of its own.\n", encoding="utf-8")
    calls = []

    def newer_save():
        calls.append(sys._getframe(2).f_code.co_name)
        return bool(p._shown) and calls[-1] == where

    p.newer_save = newer_save
    assert p.build(early=True, changed=[str(path)])[0] == []
    del p.newer_save
    assert p.interrupted and calls[-1] == where and _preview_tree(p.preview) == tree
    path.write_text(files[rel], encoding="utf-8")
    if where == "sitemap":  # a build that raises after one that gave way is not taken for one that gave way
        plain_sitemap = pipeline.BuildSession.sitemap
        pipeline.BuildSession.sitemap = lambda self: 1 / 0
        try:
            errors = p.build(early=True, changed=[str(path)])[0]
        finally:
            pipeline.BuildSession.sitemap = plain_sitemap
        assert errors and "internal error" in errors[0] and not p.interrupted
    assert p.build(early=True, changed=[str(path)])[0] == [] and not p.interrupted
    assert _preview_tree(p.preview) == _cold_tree(tmp_path, root, "cold") == tree


def test_a_killed_preview_never_trusts_the_stale_state_it_left(tmp_path):
    """Content A built and saved; content B built, its state not saved; the preview killed; A
    back, a new preview: the state on disk records A's page keys but the folder holds B's pages.
    The marker makes the new preview stat them, and it shows A; without the marker it would
    keep B's pages (so the marker is needed)."""
    import shutil

    from digest import warm

    files = _search_site(7, 12)
    first = sorted(files)[0]
    edited = {**files, first: files[first].replace("Article", "Changed text, article", 1)}
    outcomes = {}
    for with_marker in (True, False):
        root = tmp_path / f"site{with_marker}"
        write_files(root, files, _WARM_PYPROJECT)
        p = _new_preview(root)  # A, saved
        write_files(root, edited, _WARM_PYPROJECT)
        assert p.build(early=True)[0] == []  # B, its state only in the process
        assert warm.stale(p.preview)
        p.warm.drop()  # killed: the pending save never made
        if not with_marker:
            warm.unmark(p.preview)
        write_files(root, files, _WARM_PYPROJECT)
        q = _new_preview(root)
        outcomes[with_marker] = (_preview_tree(q.preview), q.warm.loaded_stale)
        shutil.rmtree(root / ".digest-cache" / "preview-cache" / "search", ignore_errors=True)
    want = _cold_tree(tmp_path, tmp_path / "siteTrue", "cold")
    assert outcomes[True] == (want, 1)
    assert outcomes[False][0] != want and outcomes[False][1] == 0


def test_the_warm_state_is_handed_over_and_its_save_skipped(tmp_path, monkeypatch):
    """Quick saves do not save the state (the next build starts from the one kept in the
    process, without reading state.pickle); an idle moment saves it and the marker goes."""
    from digest import state as st
    from digest import warm

    files = _search_site(3, 10)
    root = tmp_path / "site"
    write_files(root, files, _WARM_PYPROJECT)
    p = _new_preview(root)
    assert not warm.stale(p.preview)
    saves, loads = [], []
    plain_save, plain_load = st.save_state, st.load_state
    monkeypatch.setattr(st, "save_state", lambda *a: (saves.append(1), plain_save(*a))[1])
    monkeypatch.setattr(st, "load_state", lambda *a: (loads.append(1), plain_load(*a))[1])
    first = sorted(files)[0]
    for i in range(3):
        files[first] = files[first] + f"Save {i}.\n"
        write_files(root, files, _WARM_PYPROJECT)
        assert p.build(early=True)[0] == []
        assert warm.stale(p.preview)
    assert saves == [] and loads == []
    p.save_state()
    assert saves == [1] and not warm.stale(p.preview)
    assert _preview_tree(p.preview) == _cold_tree(tmp_path, root, "cold")


@pytest.mark.parametrize("seed", range(6))
def test_the_kept_listing_of_content_is_the_walk_and_scan(tmp_path, seed):
    """Warm.content_listing — the last build's listing of content/ updated with the paths the
    watcher reported — gives the files and stats state.content_files and state.scan give, over
    random writes, deletions and new folders (hidden and _names among them); once the idle walk
    (Warm.refresh) finds a file the watcher never reports (an editor's backup), content/ is
    walked as usual."""
    import os
    import random
    import types

    from digest import state as st
    from digest.config import load_settings
    from digest.warm import Warm

    rnd = random.Random(seed)
    root = tmp_path / "site"
    write_files(root, {f"content/a{i}.md": f"A {i}.\n" for i in range(8)}, _WARM_PYPROJECT)
    settings = load_settings(root)
    w = Warm()

    def build(changed):
        w.before(settings, changed)
        listed = w.content_listing(settings)
        if listed is None:
            content = st.content_files(settings)
            listed = (content, st.scan(content), time.time_ns())
        session = types.SimpleNamespace(content=listed[0], stats=listed[1], scanned_ns=listed[2], settings=settings)
        w._keep_listing(session)
        return listed

    import time

    build(None)
    names = ["a1.md", "a2.md", "sub/b.md", "sub/deep/c.txt", "_private.md", ".hidden.md", "sub/_x/d.md",
             "new.md", "n.pdf", "z.md"]
    given = 0
    for step in range(12):
        changed = []
        for _ in range(rnd.randint(1, 4)):
            rel = rnd.choice(names)
            p = root / "content" / rel
            if p.exists() and rnd.random() < 0.4:
                p.unlink()
            else:
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text("x" * rnd.randint(1, 9), encoding="utf-8")
                if rnd.random() < 0.3:  # a stat the build saw as too recent to trust, written again unreported
                    os.utime(p, ns=(time.time_ns(), time.time_ns()))
            changed.append(str(p))
        if step == 8:  # an editor's backup: never reported; the idle walk finds it, the listing is not kept
            (root / "content" / "a3.md~").write_text("old", encoding="utf-8")
            w.refresh(settings)
            assert w.listing is None
        listed_before = w.listed
        content, stats, _ = build(changed)
        given += w.listed - listed_before
        want = st.content_files(settings)
        assert content == want, step
        assert stats == st.scan(want), step
        if step >= 8:
            assert w.listed == listed_before
    assert given >= 8


def test_a_site_cold_built_right_after_its_files_were_written_reads_only_the_edited_file_next(tmp_path, monkeypatch):
    """Files written just before a cold build are racy when scanned; once the build is over and
    their stat is old enough, finish() settles their line-shape records with their file records
    (state.settle(shapes=)), so the next build reads only the edited file for its shapes — the
    fix of a bug that made the first incremental build after such a cold build read every file
    again. The site built so is byte for byte the cold build of the same content."""
    import shutil
    import time as time_mod
    import types

    from digest import pipeline, state as state_mod
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = '[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/"\ntimezone = "Asia/Shanghai"\n'
    files = {f"content/a{i}.md": f"---\ntitle: A{i}\ndate: 2026-03-{i + 1:02d}\n---\n第{i}段文字。Text {i}.\n"
             for i in range(6)}
    root = tmp_path / "site"
    write_files(root, files, pyproject)  # written now: racy when the cold build scans them
    # finish() comes "3 s later" for settle only (no sleeping): the files' mtimes are then old enough
    later = types.SimpleNamespace(time_ns=lambda: time_mod.time_ns() + 3 * state_mod.RACY_NS // 2)
    monkeypatch.setattr(state_mod, "time", later)
    assert build_site(load_settings(root)).ok
    s = load_settings(root)
    saved = state_mod.load_state(s, state_mod.Fingerprints.of(s, (False,)).article_salt)
    assert saved.shapes and saved.shapes.keys() == saved.files.keys()
    for rel, rec in saved.shapes.items():  # every record trusted, by the file's own stat
        assert rec[1] is not None and rec[:2] == saved.files[rel][:2], rel
    # the edit, written as an editor's save a while before the build
    edited = root / "content" / "a3.md"
    edited.write_text(files["content/a3.md"] + "One more paragraph.\n", encoding="utf-8")
    old = time_mod.time_ns() - 3 * state_mod.RACY_NS
    os_utime = __import__("os").utime
    os_utime(edited, ns=(old, old))
    # the next build scans "3 s later" too (the files written before the cold build are old by then)
    monkeypatch.setattr(pipeline, "time", types.SimpleNamespace(time_ns=later.time_ns, perf_counter=time_mod.perf_counter))
    read = []
    real = pipeline._shapes_of
    monkeypatch.setattr(pipeline, "_shapes_of", lambda item: read.append(item[0]) or real(item))
    assert build_site(load_settings(root)).ok
    assert read == ["a3.md"]
    cold = tmp_path / "cold"
    write_files(cold, {**files, "content/a3.md": edited.read_text(encoding="utf-8")}, pyproject)
    assert build_site(load_settings(cold)).ok
    assert _tree(root) == _tree(cold)
    shutil.rmtree(cold)


def test_settle_leaves_a_shape_record_racy_when_the_bytes_are_not_those_its_shapes_were_read_from(tmp_path):
    """state.settle(shapes=) trusts a line-shape record only when the file's bytes are the ones
    the shapes were read from (their blake2b digest) and its size is the record's."""
    import hashlib
    import os

    from digest import state as state_mod

    p = tmp_path / "a.md"
    p.write_bytes(b"new bytes")
    old = state_mod.time.time_ns() - 3 * state_mod.RACY_NS
    os.utime(p, ns=(old, old))
    size = p.stat().st_size
    digest = hashlib.blake2b(b"new bytes", digest_size=16).digest()
    for rec, settled in (((size, None, digest, ((1,), (2,))), True),
                         ((size, None, hashlib.blake2b(b"old bytes", digest_size=16).digest(), ((1,), ())), False),
                         ((size + 1, None, digest, ((), ())), False)):
        shapes = {"a.md": rec}
        out = state_mod.settle([("a.md", size, old)], old + 1, {"a.md": str(p)}, {"a.md": (size, None, "K")},
                               lambda rel, data: "K", shapes)
        assert out == [("a.md", size, old)]  # the file record is settled either way
        assert (shapes["a.md"][1] == old) is settled and shapes["a.md"][2:] == rec[2:]


def _files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


@pytest.mark.parametrize("seed", [3, 5])
def test_builds_staging_into_the_last_builds_folders_make_what_the_plain_builds_make(tmp_path, monkeypatch, seed):
    """Step after step (adds moving every list, edits, deletions, a new tag), a site whose
    incremental builds stage into the folders the last build kept (write.SPARE) is byte for
    byte, page record for page record, the site built with a fresh staging folder each time;
    the kept folder holds folders only, a stray file or folder left in it never reaches output/
    and never stops a build, and a failed build removes its staging folder."""
    import shutil

    from digest import write
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject = ('[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 'timezone = "Asia/Shanghai"\nsearch = true\n')
    kept, plain = tmp_path / "kept", tmp_path / "plain"
    spare = kept / f".output{write.SPARE}"
    planted: set = set()
    for i, files in enumerate(_list_site_steps(seed)):
        for root, on in ((kept, True), (plain, False)):
            if root.exists():
                shutil.rmtree(root / "content")
            write_files(root, files, pyproject)
            monkeypatch.setattr(write, "KEEP_SPARE", on)
            assert build_site(load_settings(root)).ok
        assert not (plain / f".output{write.SPARE}").exists()
        got_keys, got = _keys_and_tree(kept)
        want_keys, want = _keys_and_tree(plain)
        assert got == want and got_keys == want_keys, i
        assert [p.name for p in [*kept.iterdir(), *plain.iterdir()] if "staging" in p.name and p != spare] == [], i
        if i == 0:
            assert not spare.exists()  # a first build renames its staging folder into output/
            continue
        assert spare.is_dir() and set(_files_under(spare)) <= planted, i  # folders only (and strays)
        assert any(spare.rglob("*")), i  # (the folders of the pages this build staged)
        if i == 2:  # stray files where this build puts a file or one of its folders, and elsewhere
            for rel in ("index.html/x", "tags/stray.html", "posts/page/index.html"):
                (spare / rel).parent.mkdir(parents=True, exist_ok=True)
                (spare / rel).write_text("stray", encoding="utf-8")
                planted.add(rel)
            (spare / "sitemap.xml").mkdir(exist_ok=True)
            shutil.rmtree(spare / "tags")  # a file where the next build's tag pages go
            (spare / "tags").write_text("stray", encoding="utf-8")
            planted.add("tags")
    # a build that fails (an error in a template) leaves output/ as it was and no staging folder
    before = _tree(kept)
    (kept / "templates").mkdir(exist_ok=True)
    (kept / "templates" / "list.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}",
                                                 encoding="utf-8")
    monkeypatch.setattr(write, "KEEP_SPARE", True)
    assert not build_site(load_settings(kept)).ok
    assert _tree(kept) == before
    assert [p.name for p in kept.iterdir() if "staging" in p.name] == []  # (it had claimed the spare)
    (kept / "templates" / "list.html").unlink()
    assert build_site(load_settings(kept)).ok and _tree(kept) == before


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_stamp_check_on_stats_taken_once_is_the_stamp_check_that_stats_each_file(tmp_path_factory, data):
    """state._same (the stamp's content check on the stats the build then uses: state.check_stamp)
    answers as state._matches, which stats each recorded file itself: files changed in size or
    mtime, racy marks, files gone, new, or listed but not there."""
    import os

    from digest import state as state_mod

    folder = tmp_path_factory.mktemp("stamp")
    names = [f"f{i}.md" for i in range(data.draw(st.integers(0, 6)))]
    listing = []
    for n in names:
        p = folder / n
        p.write_bytes(b"x" * data.draw(st.integers(0, 3)))
        t = data.draw(st.integers(1, 5)) * 10**9
        os.utime(p, ns=(t, t))
        listing.append((n, str(p)))
    if data.draw(st.booleans()):
        listing.append(("gone.md", str(folder / "gone.md")))  # listed, then deleted before its stat
    stats = state_mod.scan(listing)
    recorded = []
    for rel, size, mtime in stats:
        how = data.draw(st.sampled_from(["same", "same", "size", "mtime", "racy", "drop"]))
        if how == "drop":
            continue
        recorded.append((rel, size + (how == "size"), None if how == "racy" else mtime + (how == "mtime")))
    if data.draw(st.booleans()):
        recorded.append(("other.md", 1, 10**9))
    recorded = data.draw(st.permutations(recorded))
    assert state_mod._same(recorded, stats) == state_mod._matches(recorded, dict(listing))


@st.composite
def _site_changes(draw):
    """(shapes before, shapes after) of a random site (sites()) where one page changed: lines of
    its own added or dropped (new shape values), lines it shared dropped, lines other pages hold
    added, a shape moved between short and long; or a page added or deleted."""
    before = draw(sites())
    after = dict(before)
    kind = draw(st.sampled_from(["edit", "edit", "edit", "add", "delete"]))
    if kind == "delete" and before:
        after.pop(draw(st.sampled_from(sorted(before))))
        return before, after
    if kind == "add" or not before:
        rel = "n/" + str(draw(st.integers(0, 99)))
        short, long_ = set(), set()
    else:
        rel = draw(st.sampled_from(sorted(before)))
        short, long_ = set(before[rel][0]), set(before[rel][1])
    own = st.integers(2**40, 2**64 - 1)  # values no generated page holds
    short |= set(draw(st.lists(own, max_size=4)))
    long_ |= set(draw(st.lists(own, max_size=4)))
    if draw(st.booleans()) and short:
        short -= set(draw(st.lists(st.sampled_from(sorted(short)), max_size=3)))
    if draw(st.booleans()) and long_:
        long_ -= set(draw(st.lists(st.sampled_from(sorted(long_)), max_size=3)))
    held = sorted({h for r, v in before.items() if r != rel for h in v[0] + v[1]})
    if held and draw(st.integers(0, 4)) == 0:
        (short if draw(st.booleans()) else long_).add(draw(st.sampled_from(held)))
    if draw(st.integers(0, 4)) == 0 and short:
        moved = draw(st.sampled_from(sorted(short)))
        short.discard(moved)
        long_.add(moved)
    after[rel] = (tuple(sorted(short)), tuple(sorted(long_)))
    return before, after


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_site_changes(), st.booleans())
def test_the_kept_evidence_is_reused_only_when_it_is_the_evidence_made_again(change, packed):
    """fastevidence.reuse against the plain way (the evidence of the new shapes made again, fast
    and plain): whenever it keeps the last build's evidence, that is every page's evidence and
    fingerprint, bytes for bytes (dict order included); and it keeps it whenever the changed
    page's lines are its own and its size did not move (where it must)."""
    before, after = change
    pk = fastevidence.pack if packed else (lambda v: v)
    small, fastevidence.REUSE_MIN = fastevidence.REUSE_MIN, 0  # (small sites: looked at too)
    try:
        _check_reuse(before, after, pk)
    finally:
        fastevidence.REUSE_MIN = small


def _check_reuse(before: dict, after: dict, pk) -> None:
    old_shapes = {rel: pk(v) for rel, v in before.items()}
    new_shapes = {rel: pk(v) for rel, v in after.items()}
    old = {rel: (fp, data) for rel, (_, fp, data) in fastevidence.evidence_packed(old_shapes).items()}
    got, flat = fastevidence.reuse(new_shapes, old_shapes, old)
    made = fastevidence.evidence_packed(new_shapes, fast=True)
    assert made == fastevidence.evidence_packed(new_shapes, fast=False)
    if flat is not None:  # the flat shapes it made are those the evidence starts from
        assert fastevidence.evidence_packed(new_shapes, flat, fast=True) == made
    want = {rel: (fp, data) for rel, (_, fp, data) in made.items()}
    assert all(fastevidence.unpack_evidence(data) == ev and list(fastevidence.unpack_evidence(data)) == list(ev)
               for ev, _, data in made.values())
    if got is not None:
        assert got == want
    changed = [rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)]
    if len(changed) == 1:
        rel = changed[0]
        b, a = before.get(rel, ((), ())), after.get(rel, ((), ()))
        others = {h for r, v in after.items() if r != rel for h in v[0] + v[1]}
        mine = (set(b[0]) ^ set(a[0])) | (set(b[1]) ^ set(a[1]))
        if not mine & others and (rel not in before or rel not in after or
                                  (len(b[0]), len(b[1])) == (len(a[0]), len(a[1]))):
            assert got is not None
    elif not changed:
        assert got is old


def test_the_kept_evidence_is_not_reused_when_the_changed_pages_size_moves_an_edge():
    """Three pages of one site (a menu of 10 short shapes); P and Q are one story (2 of P's 4
    long lines are Q's). P gains three long lines of its own: 2 shared lines are no longer half
    of its long lines, P and Q become two stories, and the menu's evidence moves on every page.
    reuse() sees the edge move and makes it again."""
    menu = tuple(range(1, 11))
    before = {"p": (menu, (100, 101, 102, 103)), "q": (menu, (100, 101) + tuple(range(200, 208))),
              "r": (menu, tuple(range(300, 306)))}
    after = {**before, "p": (menu, (100, 101, 102, 103, 2**50, 2**50 + 1, 2**50 + 2))}
    old = {rel: (fp, data) for rel, (_, fp, data) in fastevidence.evidence_packed(before).items()}
    new = {rel: (fp, data) for rel, (_, fp, data) in fastevidence.evidence_packed(after).items()}
    assert new["q"] != old["q"] and new["r"] != old["r"]  # keeping the old would be wrong
    small, fastevidence.REUSE_MIN = fastevidence.REUSE_MIN, 0
    try:
        assert fastevidence.reuse(after, before, old)[0] is None
        # the same lines of its own without the size crossing the line: kept
        after = {**before, "p": (menu + (2**50,), (100, 101, 102, 103))}
        assert fastevidence.reuse(after, before, old)[0] is old
    finally:
        fastevidence.REUSE_MIN = small
    assert fastevidence.reuse(after, before, old)[0] is None  # (a site under REUSE_MIN pages: made again)

# --- list entries rendered once per article and joined (fastentries.py) ---------------------------

def _entry_site(seed: int) -> tuple[str, dict[str, str]]:
    """Articles whose entries hold every kind of value: titles, summaries, sources, authors and
    tags that need escaping (& < > " '), Chinese and English, slugs given, with and without date, source, author and tags; three to a page, so lists have later pages."""
    import json
    import random

    r = random.Random(seed)
    words = ["芯片", "AI & chips", "<b>bold</b>", 'say "hi"', "it's", "華為", "Nvidia", "出口管制", "a/b", "x..y"]
    authors = ["张三", "Jo <Doe>", 'O"Neil']
    files = {}
    for i in range(r.randint(8, 16)):
        q = json.dumps  # (a JSON string is a YAML one)
        lines = [f"title: {q(r.choice(words) + f' {i}')}"]
        if r.random() < 0.8:
            lines.append(f"date: 2026-0{r.randint(1, 4)}-{r.randint(10, 28)}")
        if r.random() < 0.7:
            lines.append(f"source: {q(r.choice(['新华社', 'Reuters', 'A & B', '財新']))}")
        if r.random() < 0.4:
            lines.append(f"author: {q(r.choice(authors))}")
        if r.random() < 0.8:
            tags = r.sample(words, r.randint(1, 3))
            lines.append("tags: [" + ", ".join(q(t) for t in tags) + "]")
        if r.random() < 0.3:
            lines.append(f"slug: {r.choice(['plain', 'x-y'])}-{i}")
        if r.random() < 0.5:
            lines.append(f"summary: {q(r.choice(words) + f' & more {i}')}")
        body = r.choice(["中文的正文。" * r.randint(1, 30), "English text & more. " * r.randint(1, 30)])
        files[f"content/e{i:02d}.md"] = "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"
    language = r.choice(["en", "zh-Hans", "zh-Hant"])
    pyproject = (f'[tool.digest]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nper_page = 3\n'
                 f'language = "{language}"\n')
    return pyproject, files


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_list_entries_rendered_once_and_joined_are_the_plain_entries(tmp_path, monkeypatch, seed):
    """A cold build whose list entries are rendered once per article and joined with each page's
    links (fastentries.py) is byte for byte the cold build that renders every entry through the
    block; and the fast way was taken (every article's entry kept as texts and targets)."""
    from digest import fastentries
    from digest.config import load_settings
    from digest.pipeline import build_site

    pyproject, files = _entry_site(seed)
    made = []
    real = fastentries.Entries.__init__

    def spy(self):
        real(self)
        made.append(self)

    monkeypatch.setattr(fastentries.Entries, "__init__", spy)
    fast = tmp_path / "fast"
    write_files(fast, files, pyproject)
    assert build_site(load_settings(fast), parallel=False).ok
    assert len(made) == 1 and made[0].memo and all(v is not None for v in made[0].memo.values())
    monkeypatch.setattr(fastentries, "applies", lambda theme: False)
    plain = tmp_path / "plain"
    write_files(plain, files, pyproject)
    assert build_site(load_settings(plain), parallel=False).ok
    assert len(made) == 1  # the plain build made none
    got, want = _tree(fast), _tree(plain)
    assert got.keys() == want.keys()
    assert [p for p in got if got[p] != want[p]] == []


def test_list_entries_are_joined_only_for_the_default_themes_entry(tmp_path):
    """A site (or theme) with its own list.html or _meta.html renders every entry through its
    block: its block may test or filter url()'s output, which markers would not survive."""
    from digest import fastentries
    from digest.render import Theme

    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    assert fastentries.applies(Theme(site, "default"))
    (site / "templates" / "base.html").write_text("{% block main %}{% endblock %}\n", encoding="utf-8")
    assert fastentries.applies(Theme(site, "default"))  # the entry does not read base.html
    for name in ("list.html", "_meta.html"):
        own = site / "templates" / name
        own.write_text((Theme(tmp_path, "default").folder / "templates" / name).read_text(encoding="utf-8") + " ",
                       encoding="utf-8")
        assert not fastentries.applies(Theme(site, "default"))
        own.unlink()


def test_an_entry_that_does_not_split_into_its_markers_is_rendered_the_plain_way():
    """Text with a NUL of its own, a url() whose output is not shown, or shown twice: the entry is
    the block's own output on every page (and the fast way cannot be fooled by a title)."""
    from markupsafe import Markup, escape

    from digest.fastentries import Entries
    from digest.listitems import Guard

    def page(folder):
        return Guard(lambda t: f"{folder}:{t}", folder + "page")

    def block(guard, shown):
        return lambda: Markup(shown(guard))

    cases = {
        "nul": lambda g: f"<a href={escape(g('posts/a/'))}>t\0itle</a>",
        "unused": lambda g: (g("tags/x/"), f"<a href={escape(g('posts/a/'))}>t</a>")[1],
        "twice": lambda g: (lambda u: f"{u}{u}")(escape(g("posts/a/"))),
        "fine": lambda g: f"<a href={escape(g('posts/a/'))}>&amp;</a><a href={escape(g('tags/a&b/'))}>x</a>",
    }
    for name, shown in cases.items():
        e = Entries()
        for folder in ("", "tags/x/", "sources/y/page/2/"):
            g = page(folder)
            want = shown(page(folder))
            assert e.render("aid", block(g, shown), g) == want, (name, folder)
        assert (e.memo["aid"] is None) == (name != "fine"), name


def test_a_kept_evidences_fingerprint_is_read_without_unpacking_and_is_the_same():
    """pipeline.Evidence.fingerprint on reused (packed) evidence reads the kept fingerprint; it
    must be what get() gives after unpacking the page's evidence, and "" for a page without."""
    from digest.pipeline import Evidence, _Unpacked, evidence_packed

    pages = _many_site_pages()
    made = evidence_packed(pages)
    packed = _Unpacked({rel: (fp, data) for rel, (_, fp, data) in made.items()})
    ev = Evidence(pages)
    ev._made = packed  # (as Evidence._all leaves it when fastevidence.reuse kept the last build's)
    for rel in list(pages) + ["not/a/page.md"]:
        assert ev.fingerprint(rel) == packed.get(rel, ({}, ""))[1] == ev.get(rel)[1]
        assert ev.get(rel)[0] == (made[rel][0] if rel in made else {})
    assert any(ev.fingerprint(rel) for rel in pages)
