"""Cross-article evidence: a line other pages of the same site carry is page furniture."""

from __future__ import annotations

from pathlib import Path

from conftest import write_site
from test_incremental import assert_same_as_cold, build

from digest.clean.furniture import evidence, page_shapes, shape

MENU = ["科技频道", "首页 | 新闻 | 科技 | 财经", "登录", "返回顶部", "联系我们", "网站地图", "手机版", "客户端下载",
        "意见反馈", "关于我们 | 广告服务", "热门标签"]
NOTICE = "本网站所刊载的信息，不代表本站的观点，也不构成任何建议；转载时请注明出处并保留原文链接。"


def page(title: str, paras: list[str], date: str) -> str:
    return "\n\n".join(MENU[:6] + [title, date + "  来源：某某网"] + paras + [NOTICE] + MENU[6:]) + "\n"


SUBJ = ["美国商务部", "多家云服务商", "分析人士", "国内芯片厂商", "一位接近监管部门的人士", "行业协会",
        "大模型初创公司", "地方政府", "投资机构", "高校实验室", "数据中心运营商", "海外客户"]
VERB = ["周二宣布扩大对华芯片出口管制", "表示将加快扩建智算中心", "认为短期内影响有限", "正在评估替代方案",
        "透露新规最快下月实施", "呼吁给企业更长过渡期", "下调了推理服务价格", "出台了算力补贴政策",
        "加大了对国产芯片的投资", "发布了新的评测基准", "开始签订长期电力合同", "暂停了部分订单"]
P = [f"{SUBJ[i]}{VERB[(i * 5) % 12]}，这一动向在业内引发广泛讨论，多方人士表示仍需观察后续政策细节。" for i in range(12)]


def test_pages_of_one_site_share_furniture_and_a_quote_across_sites_does_not():
    a = page("标题一", P[0:3], "2026-03-01 10:00")
    b = page("标题二", P[3:6], "2026-03-02 10:00")
    other = "\n".join(["Home", "World", P[1], "The quote above was also carried elsewhere, reporters said today."])
    ev = evidence({"a": page_shapes(a), "b": page_shapes(b), "c": page_shapes(other)})
    assert ev["a"].get(shape(NOTICE)) == 1 and ev["a"].get(shape("网站地图")) == 1
    assert shape(P[1]) not in ev["a"] and not ev["c"]  # another site quoting a sentence: no evidence
    assert shape(P[0]) not in ev["a"]  # the article's own sentences are its own


def test_a_copy_of_the_same_story_is_not_evidence_against_its_sentences():
    a = page("标题一", P[0:4], "2026-03-01 10:00")
    copy = page("标题一（转载）", P[0:4], "2026-03-02 11:00")
    ev = evidence({"a": page_shapes(a), "copy": page_shapes(copy)})
    assert shape(P[0]) not in ev["a"] and shape(NOTICE) not in ev["a"]  # one story, carried twice


def test_evidence_does_not_depend_on_the_order_of_pages():
    pages = {f"p{i}": page_shapes(page(f"标题{i}", P[i:i + 3], f"2026-03-0{i + 1} 10:00")) for i in range(4)}
    reordered = dict(reversed(list(pages.items())))
    assert evidence(pages) == evidence(reordered)


def _site(tmp_path: Path, n: int) -> Path:
    spec = "".join(f"-- content/p{i}.txt --\n" + page(f"芯片新闻标题第{i}篇", P[i * 3:i * 3 + 3], f"2026-03-0{i + 1} 10:00")
                   for i in range(n))
    return write_site(tmp_path / "site", spec)


def test_a_sister_page_turns_a_standing_notice_into_furniture_and_incremental_equals_cold(tmp_path):
    site = _site(tmp_path, 1)
    build(site)
    alone = (site / "output/posts/p0/index.html").read_text(encoding="utf-8")
    assert "本网站所刊载的信息" in alone  # one page alone cannot tell the site's notice from prose
    more = _site(tmp_path, 3)  # two more pages of the same site arrive
    assert more == site
    assert_same_as_cold(site, tmp_path)
    now = (site / "output/posts/p0/index.html").read_text(encoding="utf-8")
    assert "本网站所刊载的信息" not in now and P[0] in now and P[2] in now
    (site / "content/p2.txt").unlink()  # and when a sister page goes, the evidence goes with it
    assert_same_as_cold(site, tmp_path)


def test_inspect_judges_a_file_among_the_files_beside_it(tmp_path):
    from digest.cli import inspect_json

    site = _site(tmp_path, 3)
    obj = inspect_json(site / "content/p1.txt", site)
    assert NOTICE not in obj["body"] and P[3] in obj["body"]
    assert any(r["rule"] == "signal.repeats" and "2 other pages of this site" in r["reason"] for r in obj["removed"])


def test_a_sister_page_far_away_in_the_lists_still_renders_the_article_again(tmp_path):
    """Evidence changes an article whose bytes and neighbours did not: its page is keyed by
    the evidence too (Article.digest), so it is rendered again, as a cold build makes it."""
    spec = ("-- content/p0.txt --\n" + page("芯片新闻标题第0篇", P[0:3], "2026-03-09 10:00")
            + "-- content/x1.md --\n---\ntitle: X1\ndate: 2026-03-05\n---\nSome text about chips and models.\n"
            + "-- content/x2.md --\n---\ntitle: X2\ndate: 2026-03-04\n---\nMore text about energy and power.\n")
    site = write_site(tmp_path / "site", spec)
    build(site)
    assert "本网站所刊载的信息" in (site / "output/posts/p0/index.html").read_text(encoding="utf-8")
    for i, day in ((1, "2026-01-01"), (2, "2026-01-02")):  # dated after every other: p0's neighbours stay
        (site / f"content/p{i}.txt").write_text(page(f"芯片新闻标题第{i}篇", P[i * 3:i * 3 + 3], f"{day} 10:00"),
                                               encoding="utf-8")
    assert_same_as_cold(site, tmp_path)
    assert "本网站所刊载的信息" not in (site / "output/posts/p0/index.html").read_text(encoding="utf-8")


def test_a_rebuild_with_the_same_shapes_reuses_the_evidence_and_equals_cold(tmp_path, monkeypatch):
    """Pages with evidence (a notice and menus shared by three pages of one site): a template
    change keeps every file's shapes, so the fingerprints the last build recorded key the
    articles and the evidence is not made again; a lost store then needs the evidence to clean
    again, and takes the one the last build kept for these very shapes (fastevidence.reuse).
    Both builds equal a cold one."""
    import os
    import time

    from digest import pipeline
    from test_incremental import theme_template

    site = _site(tmp_path, 3)
    past = time.time_ns() - 60 * 10**9
    for p in (site / "content").iterdir():
        os.utime(p, ns=(past, past))  # not racy: the build trusts their stats
    build(site)
    assert "本网站所刊载的信息" not in (site / "output/posts/p0/index.html").read_text(encoding="utf-8")
    calls = []
    real = pipeline.evidence_packed
    monkeypatch.setattr(pipeline, "evidence_packed", lambda shapes, *a: calls.append(1) or real(shapes, *a))
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(theme_template("article.html").replace(
        "<footer data-pagefind-ignore>", "<footer data-pagefind-ignore><!-- t -->"), encoding="utf-8")
    assert not build(site).noop and calls == []
    assert_same_as_cold(site, tmp_path)  # (a no-op now; its cold copy makes its own evidence)
    calls.clear()
    (site / ".digest-cache" / "articles-v2.sqlite").unlink()
    (site / "templates" / "article.html").unlink()  # a build, not a no-op: every row is missing
    result = build(site)
    assert calls == [] and not result.noop  # (the evidence of these very shapes, kept: fastevidence.reuse)
    assert "本网站所刊载的信息" not in (site / "output/posts/p0/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(site, tmp_path)
