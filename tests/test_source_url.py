"""The original article's address (source_url): front matter, else where the text gives it —
never made up (issue 18)."""

from __future__ import annotations

import pytest

from digest.article import inspect_source
from digest.config import Settings
from digest.load import load_bytes

ZH = "美国商务部周二宣布扩大对华芯片出口管制，涉及先进计算芯片和制造设备，分析人士认为影响深远。"
EN = "The Commerce Department is weighing rules that would require American cloud providers to obtain licenses."


def source_url(text: str, name: str = "a.txt") -> str | None:
    settings = Settings(timezone="Asia/Shanghai")
    return inspect_source(load_bytes(text.encode(), name), settings)[1]["source_url"]


@pytest.mark.parametrize("text,url", [
    (f"美国拟收紧AI芯片出口许可\n2026年3月5日 09:12 新浪科技\n\n{ZH}\n\n{ZH}\n\n原文链接：https://tech.sina.com.cn/a/doc-1.shtml\n",
     "https://tech.sina.com.cn/a/doc-1.shtml"),
    (f"美擬擴大AI晶片管制\n2026-03-03 10:21\n\n{ZH}\n\n{ZH}\n\n原文連結: https://udn.com/news/story/1/2。\n",
     "https://udn.com/news/story/1/2"),
    (f"US weighs curbs on cloud access\nBy Jane Doe\nMarch 5, 2026\nOriginal: https://www.reuters.com/tech/abc\n\n{EN}\n\n{EN}\n",
     "https://www.reuters.com/tech/abc"),
    (f"US weighs curbs on cloud access\nMarch 5, 2026\n\n{EN}\n\n{EN}\n\nSource URL: <https://example.com/x?id=1>\n",
     "https://example.com/x?id=1"),
    # a URL line under the byline, before the first paragraph
    (f"美国拟收紧AI芯片出口许可\n2026年3月5日 09:12 新浪科技\nhttps://tech.sina.com.cn/it/doc-abc.shtml\n\n{ZH}\n\n{ZH}\n",
     "https://tech.sina.com.cn/it/doc-abc.shtml"),
])
def test_the_original_address_is_taken_from_the_text(text, url):
    assert source_url(text) == url


@pytest.mark.parametrize("text", [
    f"标题在这里\n2026年3月5日\n\n{ZH}据报道（https://example.com/a）称……\n\n{ZH}\n",  # inside a sentence
    f"标题在这里\n2026年3月5日\n\n{ZH}\n\n{ZH}\n\nhttps://example.com/somewhere-else\n",  # a bare URL after the text
    f"Title here\nMarch 5, 2026\nhttps://example.com/chart.png\n\n{EN}\n\n{EN}\n",  # an image
    f"Title here\nMarch 5, 2026\n\n{EN}\n\n{EN}\n\nOriginal: javascript:alert(1)\n",  # not a web address
    f"Title here\nMarch 5, 2026\n\n{EN}\n\n{EN}\n",  # nothing at all
])
def test_no_address_is_made_up(text):
    assert source_url(text) is None


def test_front_matter_wins():
    text = f"---\nsource_url: https://example.org/fm\n---\nTitle\nMarch 5, 2026\n\n{EN}\n\nOriginal: https://example.com/text\n"
    assert source_url(text, "a.md") == "https://example.org/fm"
