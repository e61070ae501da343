"""Metadata from text: dates in many shapes, no invented dates, language, inspect output."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT
from digest.article import inspect_source, reading_minutes, slugify
from digest.config import Settings
from digest.load import load_bytes
from digest.meta import detect_lang, find_dates

SH = ZoneInfo("Asia/Shanghai")
PARA = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，分析人士认为影响深远。"


@pytest.mark.parametrize("text,expect", [
    ("2026-01-24 23:28:49", datetime(2026, 1, 24, 23, 28, 49, tzinfo=SH)),
    ("2026年3月5日 09:12", datetime(2026, 3, 5, 9, 12, tzinfo=SH)),
    ("Mar 5, 2026", datetime(2026, 3, 5, tzinfo=SH)),
    ("2026/3/5", datetime(2026, 3, 5, tzinfo=SH)),
    ("Updated 5 March 2026", datetime(2026, 3, 5, tzinfo=SH)),
    ("March 3, 2026 10:02 AM ET", datetime(2026, 3, 3, 10, 2, tzinfo=ZoneInfo("America/New_York"))),
    ("发布于 2026-01-30 11:05・IP 属地北京", datetime(2026, 1, 30, 11, 5, tzinfo=SH)),
])
def test_dates_in_many_shapes(text, expect):
    assert find_dates(text, SH)[0] == expect


@pytest.mark.parametrize("text", ["3小时前", "2 hours ago", "昨天 10:00", "2026-02-30"])
def test_relative_or_impossible_times_give_no_date(text):
    assert find_dates(text, SH) == []


def settings():
    return Settings(timezone="Asia/Shanghai")


def inspect(text: str, name="a.txt"):
    return inspect_source(load_bytes(text.encode(), name), settings())


def test_a_relative_time_alone_gives_no_date():
    _, f = inspect(f"中美芯片竞争进入新阶段\n3小时前\n\n{PARA}\n\n{PARA}\n")
    assert f["date"] is None and f["title"] == "中美芯片竞争进入新阶段"


def test_comment_timestamps_are_not_the_article_date():
    text = (f"{PARA}\n\n{PARA}\n\n评论列表\n\n张三\n张三 12\n2026-02-17 10:24\n说得好，支持国产芯片。\n"
            "李四\n李四 3\n2026-02-17 11:00\n不同意。\n")
    c, f = inspect(text)
    assert f["date"] is None
    assert "说得好" not in f["body"] and PARA in f["body"]


def test_front_matter_wins_over_the_text():
    _, f = inspect(f"---\ntitle: FM title\ndate: 2025-01-02\nauthor: FM\nsource: FM source\nlang: zh-Hant\n---\n"
                   f"另一个标题在这里出现\n2026年3月5日 09:12\n记者 王五\n\n{PARA}\n")
    assert (f["title"], f["author"], f["source"], f["lang"]) == ("FM title", "FM", "FM source", "zh-Hant")
    assert f["date"] == datetime(2025, 1, 2, tzinfo=SH)


@pytest.mark.parametrize("text,lang", [
    (PARA, "zh-Hans"),
    ("台積電周一表示，亞利桑那州工廠的第二期工程進展順利，預計明年開始量產先進製程晶片。", "zh-Hant"),
    ("The Commerce Department said it would widen export controls on advanced chips to China.", "en"),
    ("DeepSeek 发布了新模型 V4，性能接近 GPT-5，引发华尔街关注。", "zh-Hans"),
])
def test_language_by_script(text, lang):
    assert detect_lang(text) == lang


def test_reading_time_counts_chinese_characters():
    assert reading_minutes("字" * 400) == 1
    assert reading_minutes("字" * 4000) == 10
    assert reading_minutes("word " * 2200) == 10


def test_chinese_titles_and_tags_get_stable_ascii_slugs():
    assert slugify("人工智能") == "ren-gong-zhi-neng"
    assert slugify("美国 AI 芯片") == "mei-guo-ai-xin-pian"
    assert slugify("!!!") == "item"


def test_inspect_json_has_the_documented_shape(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"网易首页 > 网易号 > 正文\n\n中美芯片竞争进入新阶段\n\n0\n分享至\n\n{PARA}\n\n"
                 "特别声明：以上内容为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "inspect", str(f), "--json"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert {"title", "date", "source", "author", "lang", "body", "removed"} <= obj.keys()
    assert obj["title"] == "中美芯片竞争进入新阶段" and obj["date"] is None and obj["source"] == "网易号"
    assert obj["body"].strip() == PARA
    reasons = {r["line"]: r["reason"] for r in obj["removed"]}
    assert set(reasons) == {1, 3, 5, 6, 10}
    assert all(reasons.values())


def test_inspect_prints_removed_lines_with_reasons(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"{PARA}\n\n相关推荐\n别的新闻标题一\n别的新闻标题二\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "build.py"), "inspect", str(f)], capture_output=True, text=True,
                       cwd=tmp_path)
    assert r.returncode == 0
    assert "related or recommended articles list" in r.stdout and "别的新闻标题一" in r.stdout


def test_a_printed_pages_running_header_and_an_accounts_join_date_are_not_the_articles_date():
    from datetime import timedelta, timezone

    from digest import dates as D
    from digest.meta import find_date
    from digest.model import Cleaned, Removal

    tz = timezone(timedelta(hours=8))
    header = "2026/3/6 上午10:02 先進封裝成新戰場｜產業｜數位觀察"
    cleaned = Cleaned(kept=((9, "正文第一段，說明先進封裝的產能變化與客戶結構。"),),
                      removed=(Removal(1, header, "running header", "signal.page-furniture"),
                               Removal(7, "2026/03/05 14:20", "a date line", "signal.timestamp"),
                               Removal(30, header, "running header", "signal.page-furniture")),
                      first_line=9)
    assert find_date(cleaned, tz).date().isoformat() == "2026-03-05"
    joined = "Joined Mar 3, 2019"
    assert D.kind(joined, D.find(joined, tz, False)[0]) == "other"
    doc = "创建于 2026年3月2日 · 最近修改：昨天 17:32"  # a document's own creation date is its date
    assert D.kind(doc, D.find(doc, tz, True)[0]) != "other"
