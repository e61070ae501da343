"""`digest init [DIR]`: start a new site — settings, one sample article, a .gitignore.

It never overwrites: if any of the files it would write exists, it writes nothing and names it.
"""

from __future__ import annotations

import datetime as _dt
import os
import shlex
from pathlib import Path

PYPROJECT = '''\
# This folder is a digest site: `digest` builds content/ into output/, `digest serve` previews it.
# The settings live under [tool.digest]; every key is listed in digest's README ("Settings").

[tool.digest]
# The site's name: on every page and in the feeds.
title = "{title}"

# The address the site will have once deployed. Feeds and the sitemap need it absolute; its
# path is the sub-path the site is served under (e.g. "https://USER.github.io/REPO/").
# The preview (`digest serve`) works whatever it says.
base_url = "https://example.org/"

# Language of the site's own words (menus, headings): "en" or "zh-Hans".
# Each article's language is detected by itself (or set with `lang:` in its front matter).
language = "en"

# Time zone for dates written without one, e.g. "Asia/Shanghai" or "Europe/London".
timezone = "UTC"
'''

SAMPLE = '''\
---
title: Welcome to your digest
date: {date}
source: digest
tags: [getting started]
summary: A sample article. Replace it with your own and build again.
---
This is a sample article, so that the first build has something to show. Put your own articles
in this folder: text copied or scraped from a news site as a .txt file, or Markdown with front
matter as a .md file, in English or in Chinese.

Each file becomes a page, and its name becomes the page's address. When the text comes from a
web page, digest removes the breadcrumbs, share buttons, related links and comment sections
around the article, and keeps every line of the article itself.

Before you publish a file, `digest inspect content/NAME.txt` shows what the build makes of it:
the title, date and source it found, and each line it removed with the reason. `digest report`
writes the same for every article, for your eyes only: it is never part of the published site.

Delete this file when your first article is in.
'''

GITIGNORE = '''\
# Built by digest: the site to deploy, and the build cache (with the private cleaning report).
output/
.output-staging-spare/
.digest-cache/
'''


def init_site(target: Path, title: str | None = None) -> list[Path]:
    """Write a new site into target (created if needed); the files written. Raises
    FileExistsError naming the first file that is already there (and writes nothing)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder")
    title = title or "My Digest"
    files = {
        target / "pyproject.toml": PYPROJECT.format(title=title.replace("\\", "\\\\").replace('"', '\\"')),
        target / "content" / "welcome.md": SAMPLE.format(date=_dt.date.today().isoformat()),
        target / ".gitignore": GITIGNORE,
    }
    for path in files:
        if path.exists() or path.is_symlink():
            raise FileExistsError(f"{path} already exists; digest init never overwrites a file — "
                                  f"start the site in a new folder, or move that file away")
    written = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as f:  # "x": never over a file made meanwhile
            f.write(text)
        written.append(path)
    return written


def next_steps(target: Path) -> str:
    here = Path(os.path.abspath(target)) == Path.cwd()
    cd = "" if here else f"cd {shlex.quote(str(target))} && "
    return (f"Next: {cd}digest serve    (a preview at http://127.0.0.1:8000/ that reloads as you save)\n"
            f"      then set title and base_url in pyproject.toml, put your articles in content/,\n"
            f"      and run `digest` to build the site into output/ (the folder to deploy).")
