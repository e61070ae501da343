"""Command line: build (default) | serve | inspect FILE | add URL | report | init [DIR].

Exit status: 0 ok, 1 content errors, 2 usage or settings errors. Bad content never shows a
traceback: every problem is printed as file:line: message — hint.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import quickexit
from .config import load_settings
from .errors import ContentError, SettingsError, plural


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digest", description="Build the digest site from content/ into output/.")
    p.add_argument("--root", default=".", help="the site folder (with pyproject.toml and content/)")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site (the default)")
    for q in (p, b):
        # On the subcommand the defaults are suppressed, so `--drafts build` and `build --drafts`
        # both count (argparse would otherwise let the subcommand's default win).
        d = {} if q is p else {"default": argparse.SUPPRESS}
        q.add_argument("--drafts", action="store_true", help="include articles with draft: true", **d)
        q.add_argument("--keep-going", action="store_true",
                       help="build everything that can be built despite errors (still exits 1)", **d)
        q.add_argument("--strict", action="store_true", help="treat warnings as errors", **d)
        q.add_argument("-q", "--quiet", action="store_true", help="print only problems", **d)
        q.add_argument("-v", "--verbose", action="store_true", help="list every warning, not grouped", **d)
    s = sub.add_parser("serve", help="preview the site with live reload")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--drafts", action="store_true", help="include drafts in the preview", default=argparse.SUPPRESS)
    i = sub.add_parser("inspect", help="show what the build makes of one file")
    i.add_argument("file")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    r = sub.add_parser("report", help="write the cleaning report (every removed line, for the curator) "
                                      "outside output/")
    r.add_argument("--out", help="folder to write it into (default: .digest-cache/report/ in the site)")
    r.add_argument("--drafts", action="store_true", help="include drafts", default=argparse.SUPPRESS)
    a = sub.add_parser("add", help="fetch a web page into content/ (raw, with its address and the time) "
                                   "and show what the build makes of it")
    a.add_argument("url")
    a.add_argument("--tags", nargs="+", action="extend", default=[], metavar="TAG",
                   help="tags for the article (several, or one comma-separated list)")
    a.add_argument("--slug", help="the file's name and the article's URL (default: from the page's title)")
    n = sub.add_parser("init", help="start a new site: settings, a sample article, a .gitignore")
    n.add_argument("dir", nargs="?", help="the new site's folder (default: --root, the current folder)")
    n.add_argument("--title", help='the site\'s title (default: "My Digest")')
    return p


def run() -> None:
    """The command line's entry point (build.py, the `digest` command): main()'s status as the
    process's exit status; a finished build ends the process at once (speed layer: quickexit.py)."""
    quickexit.run(main)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.root)
    try:
        if args.command == "inspect":
            return cmd_inspect(root, Path(args.file), args.json)
        if args.command == "add":
            return cmd_add(root, args.url, args.tags, args.slug)
        if args.command == "init":
            return cmd_init(Path(args.dir) if args.dir else root, args.title)
        settings = load_settings(root)
        if args.command == "report":
            return cmd_report(settings, Path(args.out) if args.out else None, getattr(args, "drafts", False))
        if args.command == "serve":
            from .serve import serve

            return serve(settings, host=args.host, port=args.port, drafts=args.drafts)
        return cmd_build(settings, args)
    except SettingsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_build(settings, args) -> int:
    from .pipeline import build_site

    def show_progress(done, total, what="articles"):  # long builds only, and only on a terminal
        if total >= 200 and (done % 100 == 0 or done == total):
            print(f"\r  {done}/{total} {what}", end="" if done < total else "\n", file=sys.stderr)

    progress = show_progress if sys.stderr.isatty() and not args.quiet else None
    result = build_site(settings, drafts=args.drafts, keep_going=args.keep_going, strict=args.strict,
                        progress=progress)
    rep = result.report
    if not args.quiet:
        for line in grouped_warnings(rep.infos, args.verbose, kind="info"):
            print(line, file=sys.stderr)
    for line in grouped_warnings(rep.warnings, args.verbose):
        print(line, file=sys.stderr)
    for e in rep.errors:
        print(f"error: {e}", file=sys.stderr)
    failed = bool(rep.errors) or (args.strict and bool(rep.warnings))
    out = settings.output_dir
    if failed and not args.keep_going:
        print(f"Build failed: {plural(len(rep.errors), 'error')}, {plural(len(rep.warnings), 'warning')}; "
              f"{out}/ was left as it was.", file=sys.stderr)
        quickexit.built()  # (speed layer: quickexit.py)
        return 1
    if not args.quiet:
        w = result.written
        skipped = result.drafts if not args.drafts else 0
        print(f"Built {plural(result.count, 'article')} ({plural(skipped, 'draft')} skipped), "
              f"{plural(len(result.files), 'file')} ({w.get('written', 0)} written, {w.get('deleted', 0)} deleted) "
              f"into {out}/, {plural(len(rep.warnings), 'warning')}, {plural(len(rep.errors), 'error')} "
              f"in {result.seconds:.2f} s")
    if args.verbose and result.timings:
        print("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()), file=sys.stderr)
    quickexit.built()  # speed layer (quickexit.py): run() may now end the process without freeing the heap
    return 1 if failed else 0


def grouped_warnings(warnings: list, verbose: bool = False, limit: int = 3, kind: str = "warning") -> list[str]:
    """One line per warning; but when one kind of warning hits many files (a thousand undated
    scrapes), one line for the kind with a count and a few example files (--verbose: all)."""
    groups: dict[tuple, list] = {}
    for w in warnings:
        groups.setdefault((w.message, w.hint), []).append(w)
    out = []
    for (message, hint), items in groups.items():
        if verbose or len(items) <= limit + 1:
            out.extend(f"{kind}: {w}" for w in items)
            continue
        examples = ", ".join(w.path for w in items[:limit])
        tail = f" — {hint}" if hint else ""
        out.append(f"{kind}: {len(items)} files: {message}{tail} (e.g. {examples}; --verbose lists all, "
                   f"`digest report` has each)")
    return out


def cmd_report(settings, out: Path | None, drafts: bool) -> int:
    """Clean every article as the build does (from its cache) and write the report's pages."""
    from .pipeline import build_site
    from .errors import TemplateError
    from .report import REPORT_DIR, ReportPlaceError, write_report

    out = out if out is not None else settings.root / REPORT_DIR
    result = build_site(settings, drafts=drafts, write=False)
    for e in result.report.errors:
        print(f"error: {e}", file=sys.stderr)
    try:
        write_report(settings, out, result.articles)
    except ReportPlaceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except TemplateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    risky = sum(1 for a in result.articles if a.risky)
    print(f"Wrote the cleaning report of {plural(len(result.articles), 'article')} "
          f"({risky} to check) to {out / 'index.html'} — for your eyes: it is not part of {settings.output_dir}/.")
    return 1 if result.report.errors else 0


def cmd_add(root: Path, url: str, tags: list[str], slug: str | None) -> int:
    """Fetch url into content/SLUG.html (nothing is written unless the page is fetched whole
    and reads as an article), then show what `inspect` shows for it."""
    import re

    from .article import slugify
    from .fetch import FetchError, fetch, stored_text, write_new
    from .load import _SLUG_OK, load_bytes

    settings = load_settings(root)
    tags = [t.strip() for tag in tags for t in re.split(r"[,，、]", tag) if t.strip()]
    if slug is not None and not _SLUG_OK.match(slug):
        print(f"error: --slug {slug!r}: use lowercase ASCII words joined by '-', e.g. chip-export-controls",
              file=sys.stderr)
        return 2
    try:
        page = fetch(url)
    except FetchError as e:
        print(f"error: {e}; nothing was added", file=sys.stderr)
        return 1
    data = stored_text(page, tags).encode("utf-8")
    try:
        src = load_bytes(data, "page.html")  # it must read as an article before it is kept
    except ContentError as e:
        print(f"error: {page.final_url}: {e.problem.message}; nothing was added", file=sys.stderr)
        return 1
    if slug is None:
        slug = slugify(src.meta.get("title") or "", fallback="")[:60].strip("-")
        if not slug:
            tail = re.sub(r"\.[a-z]+$", "", page.final_url.rstrip("/").rsplit("/", 1)[-1])
            slug = slugify(tail, fallback="page")
    folder = settings.content_path
    path = folder / f"{slug}.html"
    if path.exists() or any((folder / f"{slug}{ext}").exists() for ext in (".txt", ".md", ".markdown", ".htm")):
        print(f"error: {settings.content_dir}/{slug}.* already exists; nothing was added — "
              f"choose another name with --slug", file=sys.stderr)
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_new(path, data.decode("utf-8"))
    except FileExistsError:
        print(f"error: {path} appeared meanwhile; nothing was added", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: cannot write {path}: {e.strerror}; nothing was added", file=sys.stderr)
        return 2
    print(f"Added {page.final_url} as {settings.content_dir}/{path.name} ({len(data) / 1024:.0f} KB, "
          f"{page.charset}); the next build publishes it.\n")
    return cmd_inspect(root, path, False)


def cmd_init(target: Path, title: str | None) -> int:
    from .init import init_site, next_steps

    try:
        written = init_site(target, title)
    except FileExistsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: cannot write {e.filename or target}: {e.strerror}", file=sys.stderr)
        return 2
    print(f"Created a digest site in {target}/:")
    for p in written:
        print(f"  {p.relative_to(target).as_posix()}")
    print(next_steps(target))
    return 0


def _neighbours(file: Path, settings) -> list[Path]:
    """The pages a file is judged among: the site's content when it lies in content/, else the
    text files beside it (a folder of pastes from the same sites)."""
    from .load import SUFFIXES

    file = file.resolve()
    folder = settings.content_path.resolve()
    if folder in file.parents:
        return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    return sorted(p for p in file.parent.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def inspect_json(file: Path, root: Path | None = None, corpus=None) -> dict:
    """What the build makes of one file, as `inspect FILE --json` prints it, judged among its
    neighbours (`corpus`, by default the site's content or the files beside it: a line that
    repeats on other pages of the same site is furniture). Raises SettingsError, OSError or
    ContentError."""
    from .article import article_from, inspect_source
    from .load import load_bytes
    from .pipeline import corpus_evidence

    settings = load_settings(root or Path.cwd())
    file = Path(file)
    data = file.read_bytes()
    try:  # named as the build names it (its path in content/), so the URL is the build's
        rel = file.resolve().relative_to(settings.content_path.resolve()).as_posix()
    except ValueError:
        rel = file.name
    src = load_bytes(data, rel)
    pages = list(corpus) if corpus is not None else _neighbours(file, settings)
    evidence = corpus_evidence(tuple(str(p) for p in pages))
    cleaned, f = inspect_source(src, settings, evidence.get(str(file.resolve())))
    art = article_from(src, settings, cleaned, f)
    removed = [{"line": r.line, "text": r.text, "reason": r.reason, "rule": r.rule} for r in cleaned.removed]
    return {"title": f["title"], "date": f["date"].isoformat() if f["date"] else None,
            "updated": art.updated.isoformat() if art.updated else None, "source": f["source"],
            "source_url": f["source_url"],
            "author": f["author"], "lang": f["lang"], "tags": list(art.tags), "summary": art.summary,
            "url": settings.abs_url(art.url), "path": art.url, "id": art.id, "aliases": list(art.aliases),
            "body": f["body"], "removed": removed, "risky": list(cleaned.risky),
            "warnings": [str(w) for w in src.warnings if w.level != "info"] + [f"{rel}: cleaning: {r}" for r in art.risky],
            "info": [str(w) for w in src.warnings if w.level == "info"],
            "story": _story_of(settings, rel)}


def _story_of(settings, rel: str) -> str | None:
    """issue 20: the story the last build grouped this file into (stories.py), or a sentence
    saying it had none."""
    from .stories import last_build_story

    found = last_build_story(settings, rel)
    if found is None:
        return "(no build yet: build the site to see its syndicated copies)"
    return found[0] + " (as of the last build)" if found else "no other copy found (as of the last build)"


def cmd_inspect(root: Path, file: Path, as_json: bool) -> int:
    from .patterns import RuleStalled

    try:
        obj = inspect_json(file, root)
    except SettingsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {file}: cannot read: {e.strerror}", file=sys.stderr)
        return 2
    except ContentError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except RuleStalled as e:
        print(f"error: {file}: {e} — {e.hint}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(obj, ensure_ascii=False, indent=1))
        return 0
    print(f"file:    {file}")
    for k in ("title", "source", "author", "lang"):
        print(f"{k + ':':<8} {obj[k] if obj[k] else '(none found)'}")
    print(f"date:    {obj['date'] or '(none found)'}")
    if obj["updated"]:
        print(f"updated: {obj['updated']}")
    print(f"url:     {obj['url']}")
    if obj["source_url"]:
        print(f"original: {obj['source_url']}")
    if obj["tags"]:
        print(f"tags:    {', '.join(obj['tags'])}")
    print(f"summary: {obj['summary']}")
    if obj.get("story"):  # issue 20: syndicated copies
        print(f"story:   {obj['story']}")
    for w in obj["info"]:
        print(f"info: {w}")
    for w in obj["warnings"]:
        print(f"warning: {w}")
    print("\n--- body " + "-" * 60)
    print(obj["body"])
    print(f"--- removed: {len(obj['removed'])} lines " + "-" * 45)
    for r in obj["removed"]:
        text = r["text"] if len(r["text"]) <= 70 else r["text"][:69] + "…"
        print(f"{r['line']:>5}  {text}\n       └ {r['reason']} [{r['rule']}]")
    return 0
