"""The preview's rebuild gives way to a newer save once its page is shown (speed layer; serve.py only).

A preview rebuild shows the saved article's page early (pipeline.render_site's `shown`), then
makes the rest of the site: page keys of every list page and feed, their rendering, the search
page, the sitemap and the commit (10,000 articles: ~0.5 s of CPU, ~1 s of wall on a busy
2-core machine). A save made meanwhile used to wait for all of it before its own rebuild began.

Here the build asks `interrupt()` between those steps (`check`: after the early look, before
the feeds, the list pages, the rendering, the search page, the sitemap and the commit, never
during the commit). When the preview's watcher has a newer save in content/ that it is sure to
hand over (`serve.Preview.newer_save`: a reported file whose stat differs from the watcher's
snapshot), the build stops there (`Interrupted`): the staging folder goes, nothing is
committed, and the page it showed early gets its earlier bytes back (as after a failed build),
so the preview folder is exactly what the last committed build left, which the state's page
records describe. The state the build loaded — its files, articles, line shapes and copies —
is kept for the next build (warm.Warm.after), with the page records of the last commit: the
next build makes every page whose key differs from those, the interrupted build's included.

Only the preview passes `interrupt`; a command-line build never stops early. `tests/test_speed_layer.py`
interrupts random preview builds at each check, edits again (or puts the file back as it was)
and compares the preview folder after the next build with a cold build.
"""

from __future__ import annotations


class Interrupted(Exception):
    """A newer save came: this build stops before its commit (the preview only)."""


def check(interrupt) -> None:
    """Raise Interrupted when interrupt (a callable, or None) says a newer save is waiting."""
    if interrupt is not None and interrupt():
        raise Interrupted
