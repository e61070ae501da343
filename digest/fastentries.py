"""List entries rendered once per article and joined (speed layer).

A cold build at 10,000 articles renders ~45,000 list entries (each article on the index, on each
of its tags' pages and on its source's page): ~0.1 ms each through the theme's macros, about half
of rendering's CPU. One article's entries differ between those pages only by their links, which
are relative to each page's folder (`url()`); everything else in an entry is the article and
site-wide values (the contract of `{% call list_item(a) %}`, listitems.py).

So a process renders an article's entry once, with a `url()` that returns a marker per call
(`\\0`, a nonce of this process, the call's number, `\\0`) and notes each call's target; on any
page, the entry is that text with each marker replaced by the page's own `url(target)`, escaped
as Jinja escapes a value (`markupsafe.escape`). The bytes are those the block would render on
that page if the block uses each `url()` only as `{{ url(...) }}`: its output inserted, never
tested, filtered or measured. That holds for digest's default theme, so this is used only when
the theme's `list.html` and `_meta.html` (the entry's block and the macros it calls) are, byte
for byte, the default theme's (`applies`). An entry whose text does not split into exactly one
marker per call (a marker's NUL in the article's own text, a call whose output is not shown) is
rendered the plain way on every page.

Each process keeps its own entries (a forked renderer its own), for one build (the ListItems
object of that build holds them). tests/test_speed_layer.py renders list pages both ways.
"""

from __future__ import annotations

import os
from pathlib import Path

from markupsafe import Markup, escape

_OWN = ("list.html", "_meta.html")  # the entry's block and the macros it calls


def applies(theme) -> bool:
    """The theme's list entry is the default theme's (its list.html and _meta.html as Jinja loads
    them equal digest's own themes/default ones)."""
    from .render import theme_folder

    default = theme_folder(Path("/nonexistent"), "default")  # digest's own default theme
    if default is None:
        return False
    for name in _OWN:
        try:
            source = theme.env.loader.get_source(theme.env, name)[0]
            own = (default / "templates" / name).read_text(encoding="utf-8")
        except Exception:  # not found, unreadable: the plain way
            return False
        if source != own:
            return False
    return True


class Entries:
    """{article id: (texts between markers, the target of each marker in order) or None (plain)}."""

    def __init__(self):
        self.memo: dict[str, tuple[list[str], list[str]] | None] = {}
        self.nonce = os.urandom(8).hex()  # a scraped title cannot hold this process's markers

    def render(self, aid: str, caller, guard) -> Markup:
        """The entry of the article `aid` on the page whose url() is `guard` (listitems.Guard,
        which notes the targets it is asked for): from the article's kept text, else rendered
        once with markers (caller: the block)."""
        got = self.memo.get(aid, False)
        if got is False:
            got = self.memo[aid] = self._record(caller, guard)
        if got is None:
            return caller()
        texts, targets = got
        out = [texts[0]]
        for text, target in zip(texts[1:], targets):
            out.append(escape(guard(target)))
            out.append(text)
        return Markup("".join(out))

    def _record(self, caller, guard):
        calls: list[str] = []
        mark = "\0" + self.nonce

        def marker(target: str) -> str:
            calls.append(target)
            return f"{mark}{len(calls) - 1}\0"

        real, guard.url = guard.url, marker
        try:
            text = str(caller())
        finally:
            guard.url = real
        pieces = text.split("\0")
        # exactly one marker per call, each where its output stands: pieces alternate text, marker
        if len(pieces) != 2 * len(calls) + 1:
            return None
        order = []
        for p in pieces[1::2]:
            if not p.startswith(self.nonce) or not p[len(self.nonce):].isdigit():
                return None
            order.append(int(p[len(self.nonce):]))
        if sorted(order) != list(range(len(calls))):
            return None
        return pieces[0::2], [calls[i] for i in order]
