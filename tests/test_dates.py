"""Datelines and bylines as real sites print them → the right instant (with its zone), source
and author; the dateline leaves the body and never becomes the summary.

Each row is one line placed under a headline and above the article's paragraphs, read by the
whole pipeline (clean → meta) in a site whose zone is Asia/Shanghai, so a line without a zone
is in +08:00 and a line with one must not be.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from digest import dates as D
from digest.article import inspect_source, summarize
from digest.config import Settings
from digest.load import load_bytes

SH = ZoneInfo("Asia/Shanghai")
ZH = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，分析人士认为这将深刻影响全球半导体供应链的格局。"
ZHT = "台積電周一表示，亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片，供應美國客戶的需求。"
EN = ("The Commerce Department on Tuesday widened export controls on advanced chips to China, a move analysts "
      "said would reshape the global semiconductor supply chain for years to come.")

# (dateline, the instant it names (ISO 8601 with the offset it implies), source, author)
ROWS = [
    # --- the table: explicit zones and offsets
    ("March 21, 2026 4:15 PM GMT+8", "2026-03-21T16:15:00+08:00", None, None),
    ("2026-03-21T08:15:00Z", "2026-03-21T08:15:00+00:00", None, None),
    ("Date: Mon, 6 Apr 2026 07:02:11 -0400", "2026-04-06T07:02:11-04:00", None, None),
    ("Mon, 6 Apr 2026 07:02:11 +0000 (UTC)", "2026-04-06T07:02:11+00:00", None, None),
    ("2026-03-21 08:15:00+08:00", "2026-03-21T08:15:00+08:00", None, None),
    ("Published 2026-03-21T16:15:00.000+09:00", "2026-03-21T16:15:00+09:00", None, None),
    ("March 21, 2026 16:15 UTC+08:00", "2026-03-21T16:15:00+08:00", None, None),
    ("Updated: 21 March 2026 09:30 GMT", "2026-03-21T09:30:00+00:00", None, None),
    ("Mar 4, 2026, 3:15 PM UTC", "2026-03-04T15:15:00+00:00", None, None),
    # --- US zones: generic names follow DST by date; EST/EDT/PST/PDT mean what they say
    ("March 3, 2026 10:02 AM ET", "2026-03-03T10:02:00-05:00", None, None),
    ("July 3, 2026 10:02 AM ET", "2026-07-03T10:02:00-04:00", None, None),
    ("March 9, 2026 10:02 AM ET", "2026-03-09T10:02:00-04:00", None, None),  # DST began 8 March 2026
    ("November 2, 2026 9:00 a.m. ET", "2026-11-02T09:00:00-05:00", None, None),  # and ended 1 November
    ("Updated 4:12 PM EST, November 20, 2025", "2025-11-20T16:12:00-05:00", None, None),
    ("05/21/2025 05:00 AM EDT", "2025-05-21T05:00:00-04:00", None, None),
    ("9:15 AM PST · February 12, 2026", "2026-02-12T09:15:00-08:00", None, None),
    ("June 4, 2026 at 6:30 a.m. PDT", "2026-06-04T06:30:00-07:00", None, None),
    ("Jan. 15, 2026 5:00 p.m. PT", "2026-01-15T17:00:00-08:00", None, None),
    ("Aug. 15, 2026 5:00 p.m. PT", "2026-08-15T17:00:00-07:00", None, None),
    ("December 4, 2025 at 6:30 AM EST", "2025-12-04T06:30:00-05:00", None, None),
    ("Published Wed, Mar 4 2026 11:42 AM EST", "2026-03-04T11:42:00-05:00", None, None),
    ("March 5, 2026 at 6:00 a.m. EST", "2026-03-05T06:00:00-05:00", None, None),
    # --- Europe and Asia
    ("Mon 2 Mar 2026 06.00 GMT", "2026-03-02T06:00:00+00:00", None, None),
    ("Thu 4 Jun 2026 17.30 BST", "2026-06-04T17:30:00+01:00", None, None),
    ("Published: 7:00pm, 4 Mar 2026", "2026-03-04T19:00:00+08:00", None, None),  # SCMP prints no zone: HK = site
    ("February 12, 2026 05:30 JST", "2026-02-12T05:30:00+09:00", None, None),
    ("2026.02.12 14:05 KST", "2026-02-12T14:05:00+09:00", None, None),
    ("12 Feb 2026 08:00 SGT", "2026-02-12T08:00:00+08:00", None, None),
    ("2026-02-12 09:30 HKT", "2026-02-12T09:30:00+08:00", None, None),
    ("Feb 12, 2026 14:00 CET", "2026-02-12T14:00:00+01:00", None, None),
    ("12 February 2026, 10:00 IST", "2026-02-12T10:00:00+05:30", None, None),
    # --- zones in words; CST beside Chinese is China's
    ("北京时间2026年3月5日 下午4:15", "2026-03-05T16:15:00+08:00", None, None),
    ("發布時間 2025.11.18 20:05 臺北時間", "2025-11-18T20:05:00+08:00", None, None),
    ("美东时间2026年3月4日 10:30", "2026-03-04T10:30:00-05:00", None, None),
    ("2026年3月5日 10:12 (GMT+8)", "2026-03-05T10:12:00+08:00", None, None),
    ("发布时间：2026-03-05 10:12 CST", "2026-03-05T10:12:00+08:00", None, None),
    ("2026年3月5日10时12分", "2026-03-05T10:12:00+08:00", None, None),
    ("2026年3月5日 星期四 上午9:30", "2026-03-05T09:30:00+08:00", None, None),
    # --- Chinese datelines with source, author and editor on the same line
    ("2026年06月05日 10:12  来源：东方科技报", "2026-06-05T10:12:00+08:00", "东方科技报", None),
    ("发布时间：2026-03-05 10:12 来源：华夏时报 作者：张三", "2026-03-05T10:12:00+08:00", "华夏时报", "张三"),
    ("2026-02-25 14:32 来源：澎湃新闻", "2026-02-25T14:32:00+08:00", "澎湃新闻", None),
    ("2026-01-16 08:41:05\u3000来源: 参考消息", "2026-01-16T08:41:05+08:00", "参考消息", None),
    ("发布时间：2026-02-10\u3000来源：科技司", "2026-02-10T00:00:00+08:00", "科技司", None),
    ("来源：新华网 | 2026-03-05 09:12:33 | 作者：李四 | 责任编辑：王五", "2026-03-05T09:12:33+08:00", "新华网", "李四"),
    ("作者：王芳  来源：第一财经  2026-03-05 08:00", "2026-03-05T08:00:00+08:00", "第一财经", "王芳"),
    ("2026-03-05 10:12:00 来源: 中国新闻网 编辑：赵六", "2026-03-05T10:12:00+08:00", "中国新闻网", None),
    ("日期：2026年3月5日 来源：人民日报 记者 陈七", "2026-03-05T00:00:00+08:00", "人民日报", "陈七"),
    ("文｜林子墨 2026-01-30 14:20", "2026-01-30T14:20:00+08:00", None, "林子墨"),
    ("原创 何远舟 远望科技评论 2025年10月21日 08:30 北京", "2025-10-21T08:30:00+08:00", "远望科技评论", "何远舟"),
    ("2026年3月5日 09:12 新浪科技", "2026-03-05T09:12:00+08:00", "新浪科技", None),
    ("发布于 2026-01-30 11:05・IP 属地北京", "2026-01-30T11:05:00+08:00", None, None),
    ("2026-01-15 09:12 发布于：北京市", "2026-01-15T09:12:00+08:00", None, None),
    ("2026-3-3 08:47 来自 iPhone 16 Pro Max", "2026-03-03T08:47:00+08:00", None, None),
    ("26-3-5 10:12 来自微博 weibo.com", "2026-03-05T10:12:00+08:00", None, None),
    ("2026.03.05", "2026-03-05T00:00:00+08:00", None, None),
    ("2026/3/5 下午 3:20", "2026-03-05T15:20:00+08:00", None, None),
    # --- Traditional Chinese
    ("2026/03/04 05:30 來源：自由時報", "2026-03-04T05:30:00+08:00", "自由時報", None),
    ("發佈日期：2026/3/7 18:30", "2026-03-07T18:30:00+08:00", None, None),
    ("2026年3月7日 週六 18:30 來源：中央社 記者：王郁婷", "2026-03-07T18:30:00+08:00", "中央社", "王郁婷"),
    ("更新時間：2026/03/08 09:02 台北時間", "2026-03-08T09:02:00+08:00", None, None),
    ("2026-03-03 16:48 經濟日報 記者 黃于庭", "2026-03-03T16:48:00+08:00", "經濟日報", "黃于庭"),
    # --- English bylines on the dateline
    ("By Jane Doe, Reuters | March 3, 2026 4:15 PM EST", "2026-03-03T16:15:00-05:00", "Reuters", "Jane Doe"),
    ("By Priya Natarajan · March 3, 2025", "2025-03-03T00:00:00+08:00", None, "Priya Natarajan"),
    ("By Jane Doe and John Smith | Updated March 4, 2026 10:00 AM ET", "2026-03-04T10:00:00-05:00", None,
     "Jane Doe and John Smith"),
    ("Source: Xinhua | 2025-06-18 21:04:37 | Editor: Liu Xin", "2025-06-18T21:04:37+08:00", "Xinhua", None),
    ("By Kenji Watanabe, Nikkei staff writer | February 12, 2026 05:30 JST", "2026-02-12T05:30:00+09:00", "Nikkei",
     "Kenji Watanabe"),
    ("Posted by chipwatcher_88 on March 2, 2026 at 11:05 PM UTC", "2026-03-02T23:05:00+00:00", None, "chipwatcher_88"),
    ("By Marcus Hale, Associated Press | Updated 4:12 PM EST, November 20, 2025", "2025-11-20T16:12:00-05:00",
     "Associated Press", "Marcus Hale"),
    ("Wednesday, January 7, 2026, 9:15 AM", "2026-01-07T09:15:00+08:00", None, None),
    ("This page was last edited on 14 January 2026, at 10:02 (UTC).", "2026-01-14T10:02:00+00:00", None, None),
]


def settings():
    return Settings(timezone="Asia/Shanghai")


def _page(dateline: str) -> str:
    if any("\u4e00" <= c <= "\u9fff" for c in dateline) or "來源" in dateline:
        para, title = (ZHT, "台積電亞利桑那廠進度") if any(c in dateline for c in "來發佈時間週報導記") else (ZH, "美国扩大芯片出口管制")
    else:
        para, title = EN, "US widens chip export controls"
    return f"{title}\n{dateline}\n\n{para}\n\n{para}\n"


@pytest.mark.parametrize("line,instant,source,author", ROWS, ids=[r[0][:40] for r in ROWS])
def test_dateline_gives_the_right_instant_source_and_author(line, instant, source, author):
    cleaned, f = inspect_source(load_bytes(_page(line).encode(), "a.txt"), settings())
    want = datetime.fromisoformat(instant)
    assert f["date"] == want, f["date"]
    assert f["date"].utcoffset() == want.utcoffset(), "the instant is right but the zone it shows is not"
    assert (f["source"], f["author"]) == (source, author)
    assert line not in f["body"], "the dateline stays in the body"
    assert line not in f["text"][:len(line) + 5]


def test_at_least_sixty_datelines():
    assert len(ROWS) >= 60


@pytest.mark.parametrize("text", ["3小时前", "2 hours ago", "昨天 10:00", "刚刚", "just now", "03-05 10:12", "2026-02-30"])
def test_relative_yearless_and_impossible_times_give_no_date_but_are_time_lines(text):
    assert D.find_dates(text, SH) == []
    assert D.is_stamp_line(text)


@pytest.mark.parametrize("text,china,offset", [
    ("2026-03-05 10:12 CST", None, 8),  # Chinese site zone
    ("March 5, 2026 10:12 AM CST", False, -6),  # an American page
    ("2026年3月5日 10:12 CST", None, 8),
])
def test_cst_is_china_beside_chinese_text_else_us_central(text, china, offset):
    when = D.find_dates(text, SH if china is None else timezone.utc, china)[0]
    assert when.utcoffset() == timedelta(hours=offset)


def test_a_zone_given_by_the_text_beats_the_site_zone():
    for tz in (SH, timezone.utc, ZoneInfo("America/New_York")):
        assert D.find_dates("2026-03-21T08:15:00Z", tz)[0] == datetime(2026, 3, 21, 8, 15, tzinfo=timezone.utc)
    assert D.find_dates("2026-03-21 08:15", timezone.utc)[0].utcoffset() == timedelta(0)


# Bylines without a date: in the lead paragraph (the text stays: it is the article's) or alone
@pytest.mark.parametrize("line,source,author", [
    ("新华社北京3月5日电（记者张三、李四）", "新华社", "张三、李四"),
    ("（中央社記者王郁婷台北5日電）", "中央社", "王郁婷"),
    ("〔記者王郁婷／台北報導〕", None, "王郁婷"),
    ("經濟日報／ 記者陳怡君／台北即時報導", "經濟日報", "陳怡君"),
    ("王郁婷／台北報導", None, "王郁婷"),
])
def test_reported_from_bylines(line, source, author):
    assert D.byline(line) == (author, source)


@pytest.mark.parametrize("line,author,source", [
    ("记者 李四", "李四", None),
    ("文｜张三", "张三", None),
    ("By Jane Doe", "Jane Doe", None),
    ("澎湃新闻记者 王芳", "王芳", "澎湃新闻"),
    ("〔記者王郁婷／台北報導〕", "王郁婷", None),
    ("21世纪经济报道记者 冯晓岚 深圳报道", "冯晓岚", "21世纪经济报道"),
])
def test_byline_lines_give_author_and_source(line, author, source):
    para = EN if line.startswith("By") else ZH
    _, f = inspect_source(load_bytes(f"标题在这里出现了\n{line}\n\n{para}\n\n{para}\n".encode(), "a.txt"), settings())
    assert (f["author"], f["source"]) == (author, source)
    assert line not in f["body"]


def test_the_article_date_beats_masthead_print_comment_and_related_dates():
    page = ("2026年3月9日 星期一\n中美芯片竞争进入新阶段\n2026-03-05 10:12 来源：东方科技报\n\n"
            f"{ZH}\n\n{ZH}\n\n相关推荐\n别的新闻标题一\n2026-03-08 09:00\n别的新闻标题二\n2026-03-07 09:00\n\n"
            "评论列表\n\n张三\n张三 12\n2026-03-09 10:24\n说得好。\n")
    _, f = inspect_source(load_bytes(page.encode(), "a.txt"), settings())
    assert f["date"] == datetime(2026, 3, 5, 10, 12, tzinfo=SH)
    assert f["source"] == "东方科技报"


def test_a_masthead_date_alone_stands_in():
    _, f = inspect_source(load_bytes(f"2025年07月09日 星期三\n\n{ZH}\n\n{ZH}\n".encode(), "a.txt"), settings())
    assert f["date"] == datetime(2025, 7, 9, tzinfo=SH)


def test_the_updated_date_is_kept_as_updated():
    page = (f"US widens chip export controls\nPublished: 7:00pm, 4 Mar 2026\nUpdated: 9:12pm, 5 Mar 2026\n\n{EN}\n\n{EN}\n")
    _, f = inspect_source(load_bytes(page.encode(), "a.txt"), settings())
    assert f["date"] == datetime(2026, 3, 4, 19, tzinfo=SH)
    assert f["updated"] == datetime(2026, 3, 5, 21, 12, tzinfo=SH)
    page = (f"US widens chip export controls\nUpdated 5 March 2026\n\n{EN}\n\n{EN}\n")  # Reuters prints only this
    _, f = inspect_source(load_bytes(page.encode(), "a.txt"), settings())
    assert f["date"] == datetime(2026, 3, 5, tzinfo=SH) and f["updated"] is None


def test_print_edition_date_does_not_win():
    page = (f"Title of the piece here\nMar 27th 2025|SHANGHAI\n\n{EN}\n\n{EN}\n\nFrom the March 29th 2025 edition\n")
    _, f = inspect_source(load_bytes(page.encode(), "a.txt"), settings())
    assert f["date"] == datetime(2025, 3, 27, tzinfo=SH)


def test_the_dateline_is_never_the_summary():
    _, f = inspect_source(load_bytes(_page("2026年06月05日 10:12  来源：东方科技报").encode(), "a.txt"), settings())
    assert summarize(f["text"], 160).startswith(ZH[:20])


@pytest.mark.parametrize("text,limit,expect", [
    ("The U.S. and the U.K. agreed. Dr. Smith of Acme Inc. said No. 3 matters. More follows here.", 75,
     "The U.S. and the U.K. agreed. Dr. Smith of Acme Inc. said No. 3 matters."),
    ("The U.S. Commerce Department said on Tuesday it would widen export controls on chips.", 40,
     "The U.S. Commerce Department said on…"),
    ("美国商务部宣布扩大管制。分析人士认为影响深远！后面还有很多很多的文字内容在这里继续下去。", 30, "美国商务部宣布扩大管制。分析人士认为影响深远！"),
    ("He said “it is over.” Then he left the room and the meeting went on for a long time after.", 40,
     "He said “it is over.”"),
    ("Short text.", 160, "Short text."),
])
def test_summaries_end_at_a_real_sentence_end_or_with_an_ellipsis(text, limit, expect):
    assert summarize(text, limit) == expect


@pytest.mark.parametrize("text, day", [
    ("中華民國115年4月2日", (2026, 4, 2)),
    ("民國115年3月11日 下午3:00", (2026, 3, 11)),
    ("發布日期：115-03-05", (2026, 3, 5)),
    ("更新日期 115/3/9", (2026, 3, 9)),
])
def test_the_republic_of_china_calendar_counts_from_1912(text, day):
    (found,) = D.find_dates(text, ZoneInfo("Asia/Taipei"))
    assert (found.year, found.month, found.day) == day


@pytest.mark.parametrize("text", ["版本 110.2.3", "v110-2-3", "第115年度預算"])
def test_a_version_number_is_no_republic_of_china_date(text):
    assert D.find_dates(text, ZoneInfo("Asia/Taipei")) == []


def test_a_headline_saying_published_is_no_date_label_but_a_label_before_the_date_is():
    from datetime import timedelta, timezone

    from digest import dates as D

    tz = timezone(timedelta(hours=8))
    listed = "中國發布AI晶片國產化指引 點名三大應用場景 2026-03-03"
    s = D.find(listed, tz, True)[0]
    assert D.kind(listed, s) == ""  # 發布 is the headline's verb here
    for line in ("发布时间：2026-03-05 14:20", "发布 / 2026年3月5日 11:48 PM", "Published Mar 5, 2026", "posted @ 2026-03-08 21:14"):
        assert D.kind(line, D.find(line, tz, True)[0]) == "published", line
    assert D.kind("最近更新：星河漫游者 （2025-03-02）", D.find("最近更新：星河漫游者 （2025-03-02）", tz, True)[0]) == "updated"
    assert D.is_stamp_line("Posted by BeauHD on Thursday March 05, 2026 @09:00PM")  # a time after "@"


def test_a_byline_with_its_date_and_comment_count_is_a_date_line():
    from digest import dates as D
    assert D.is_stamp_line("Ellis Marchetti – Mar 5, 2026 9:14 pm | 142")  # name – date | comments
    assert D.is_stamp_line("Mar 5, 2026 9:14 pm | 142")
    assert not D.is_stamp_line("The Fed – Mar 5, 2026 said")
    assert not D.is_stamp_line("Taipei – March 5, 2026 – The chips are here")


def test_a_signing_place_before_the_date_is_a_date_line():
    from digest import dates as D
    assert D.is_stamp_line("Hong Kong, 12 February 2026") and D.is_stamp_line("Washington, March 5, 2026")
    assert not D.is_stamp_line("Nvidia, the chipmaker, said on March 5, 2026")


def test_a_month_with_a_letter_ignorecase_folds_is_read_not_a_crash():
    """The forms match month names ignoring case, which reads a long s as s ("ſept"): the month's
    number was then looked up by its lower case, which keeps the ſ, and cleaning the page failed
    with a KeyError (found by tests/test_clean_shortcuts.py)."""
    from datetime import timezone

    from digest import dates as D
    from digest.clean import clean

    assert [s.when.month for s in D.find("ſept 3, 2026", timezone.utc)] == [9]
    assert D.is_stamp_line("ſept 3, 2026")
    clean("A title\n\nſept 3, 2026\n\nA paragraph of the article, long enough to read as prose, with a clause in it.")


def test_asctime_and_unix_date_stamps_are_read_with_their_clock_and_zone():
    from datetime import timezone
    from digest import dates as D
    s = D.find("发信站: 水木社区 (Mon Nov 30 23:58:02 2026), 站内", timezone.utc)
    assert [x.when.isoformat() for x in s] == ["2026-11-30T23:58:02+00:00"]
    s = D.find("Wed Dec  2 21:47:30 PST 2026", timezone.utc)
    assert s[0].when.isoformat() == "2026-12-02T21:47:30-08:00" and s[0].zoned


def test_a_members_registration_date_is_no_publication_date():
    from datetime import timezone
    from digest import dates as D
    line = "虫号: 4481930 帖子: 356 在线: 212.5小时 注册: 2019-03-14 专业: 计算机应用技术"
    assert [D.kind(line, s) for s in D.find(line, timezone.utc)] == ["other"]


def test_a_two_digit_us_year_with_its_clock_is_a_date_and_a_printed_pages_header_date_is_not_the_articles():
    from datetime import timezone
    from digest import dates as D
    assert [s.when.isoformat() for s in D.find("by Miranda Oyelaran - 12/03/26 6:41 PM ET", timezone.utc)] == \
        ["2026-12-03T18:41:00-05:00"]
    assert D.find("ratio 3/4/26 of the total", timezone.utc) == []  # (no clock: no date)
    from digest.clean import clean
    from digest.meta import find_date
    head = "1/9/26, 9:15 AM Gulf Fund Takes Stake in Chinese Robotics Startup | Compute Frontier"
    text = ("The fund said on Thursday it had bought a minority stake in the company, officials said. " * 3).strip()
    c = clean("\n".join([head, "Gulf Fund Takes Stake in Chinese Robotics Startup", "January 8, 2026", "", text, "", text,
                         "https://www.computefrontier.com/capital/2026/01/08/gulf-fund 1/2", head, "", text]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-01-08"


def test_a_weekday_between_the_day_and_the_year_and_a_source_line_at_the_texts_top():
    from datetime import timezone
    from digest import dates as D
    assert [s.when.isoformat() for s in D.find("Mar 12 Thu 2026 22:08", timezone.utc)] == ["2026-03-12T22:08:00+00:00"]
    from digest.clean import clean
    from digest.meta import find_date
    c = clean("\n\n".join(["美拟收紧对华AI芯片出口", "文章来源: 联合早报 于 2026-03-04 21:36:10 - 新闻取自各大新闻媒体，新闻内容并不代表本网立场！",
                           "据知情人士透露，美国商务部正在起草新一轮出口管制规则，拟将部分人工智能芯片纳入许可证管理范围。",
                           "消息人士说，新规草案由商务部工业与安全局牵头，最快可能在4月公布。"]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-03-04"


def test_a_bare_date_on_the_article_and_in_a_sidebar_is_no_print_date():
    from digest.clean import clean
    from digest.meta import find_date
    text = ("Three European supercomputing centers have opened tenders this quarter for systems that would each rival the "
            "continent's first exascale machine, and all three cite the same reason.")
    c = clean("\n".join(["HPCwire", "Home", "Exascale", "Sovereign AI Push Drives New Wave of Exascale Procurements", "By Kelsey Marrow",
                         "March 5, 2026", text, text.replace("Three", "Two"), "More from Kelsey Marrow", "Subscribe Now", "Off The Wire",
                         "Lab Adds Liquid-Cooled Partition", "March 5, 2026", "University Consortium Announces Shared AI Testbed",
                         "March 4, 2026", "Most Read", "© 2026 HPCwire. All Rights Reserved."]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-03-05"


def test_a_blogs_date_with_its_author_after_a_lower_case_by():
    line = D.dateline("February 11, 2026 by Rachel Tan", timezone.utc)
    assert line.whole and line.author == "Rachel Tan" and D.is_stamp_line("February 11, 2026 by Rachel Tan")
    assert not D.is_stamp_line("He said on March 5, 2026 by phone that the rule would change")


def test_a_copys_export_or_clip_date_is_no_articles_date():
    assert [D.kind(t, s) for t in ("导出时间：2026-04-10 07:02:33", "Clipped on March 5, 2026") for s in D.find(t, timezone.utc)] \
        == ["print", "print"]
    from digest.clean import clean
    from digest.meta import find_date
    c = clean("\n".join(["微信群聊记录", "导出时间：2026-04-10 07:02:33", "导出范围：2026-04-09 00:00 至 2026-04-09 23:59", "",
                         "2026-04-09 08:52:14 王栋", "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，多家企业表示将评估影响。",
                         "2026-04-09 09:03:40 陈屿", "分析人士认为，这一措施将影响全球半导体供应链，短期内国内大模型公司的训练成本会明显上升。"]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-04-09"


def test_a_forwarded_messages_own_date_wins_over_the_forwarders_and_a_reply_chain_keeps_its_first():
    from digest.clean import clean
    from digest.meta import find_date
    inner = ["From: The Export Control Weekly <hello@example.com>", "Sent: Thursday, March 5, 2026 9:02 PM", "To: Karen Liu",
             "Subject: The Export Control Weekly — Issue 88", "",
             "The Commerce Department said on Tuesday it would widen export controls on advanced chips, officials said.", "",
             "Companies have 30 days to comment on the proposal, and several trade groups said they would push back."]
    outer = ["From: Karen Liu <kliu@example.com>", "Sent: Friday, March 6, 2026 10:12 AM", "To: Digest Desk",
             "Subject: {} The Export Control Weekly — Issue 88", "", "Worth a read, see the second item.", "", "K", "",
             "________________________________"]
    c = clean("\n".join([*outer[:3], outer[3].format("FW:"), *outer[4:], *inner]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-03-05"
    c = clean("\n".join([*outer[:3], outer[3].format("RE:"), *outer[4:], *inner]))
    assert find_date(c, timezone.utc).date().isoformat() == "2026-03-06"


def test_a_translation_pasted_line_by_line_under_its_original_takes_the_originals_language():
    from digest.meta import detect_lang
    en = ["Chinese AI developers have shifted training runs to data centers in Southeast Asia.",
          "The Commerce Department is weighing a rule that would make cloud providers verify users.",
          "The setup is legal under current rules, which restrict exports but not remote access.",
          "Analysts expect the rule to take effect in the summer, after a review by the budget office."]
    zh = ["中国人工智能开发者已将训练任务转移到东南亚的数据中心。", "美国商务部正在考虑一项规定，要求云服务提供商核实用户身份。",
          "根据现行规定，这种安排是合法的，因为规定限制的是出口而不是远程访问。", "分析人士预计，该规定将在夏季生效，此前需经预算办公室审查。"]
    assert detect_lang("\n".join(x for pair in zip(en, zh) for x in pair)) == "en"
    assert detect_lang("\n".join(x for pair in zip(zh, en) for x in pair)) == "zh-Hans"
    assert detect_lang("\n".join(zh + en[:1])) == "zh-Hans"


def test_an_orders_this_day_of_date_is_read():
    when = D.find_dates("At Wilmington this 22nd day of October 2026:", timezone.utc)
    assert when and when[0].date().isoformat() == "2026-10-22"
