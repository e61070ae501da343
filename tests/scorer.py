"""The cleaning-quality scorer: a cleaner's output against hand-labelled gold lines.

It follows the rules of the project's shared cleaning scorer and its README, so that figures are
comparable, but lives in the repo: the quality gate of a fresh clone depends on nothing outside
it, and it scores in-process (no interpreter start per page).

    python tests/scorer.py --gold DIR --raw DIR [-v]            # digest's own cleaner, in-process
    python tests/scorer.py --gold DIR --raw DIR --check-gold    # validate gold files

Per gold line, after normalisation (NFKC, entities unescaped, Markdown escapes, block markers,
images, link targets and emphasis removed, all whitespace removed):
  content            kept when contained in the normalised body (a line ending in a hyphen also
                     when the text before the hyphen is: a hard-wrapped word may be rejoined);
  boilerplate, title removed when not contained in the body (lines under 5 characters: when no
                     body line equals them);
  meta, optional     not scored.
Lines that normalise to nothing (`![]()`) are compared with NFKC and whitespace removal only.
Metadata: title (normalised, exact), date (first 10 characters), lang (case-insensitive);
a null gold title or date matches only a null or empty prediction.

Saved web pages (tests/fixtures/cleaning-html/) have no lines to label: an HTML file's lines are
markup, and the text the build cleans is extracted from the page first. Their gold lists strings
instead — "content": each block of article text as a reader sees it (a paragraph, a heading, a
list item, a table row as "| a | b |"), "junk": each piece of page furniture (a menu item, a
share button, a related headline, a comment, a notice) — scored exactly like content and
boilerplate lines above. --check-gold checks each string is text the page shows (so the gold
cannot list what is not there) and that no junk string is contained in the ideal body.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("content", "boilerplate", "title", "meta", "optional")
SHORT = 5
HYPHENS = "-\u00ad\u2010\u2011"
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LEAD = re.compile(r"^[ \t]*(?:#{1,6}(?=[ \t]|$)|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|[•·▪●◦‣⁃])[ \t]*")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_EMPH = re.compile(r"~~|[*_`]")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def light(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def norm(text: str) -> str:
    t = _ESCAPE.sub(r"\1", html.unescape(unicodedata.normalize("NFKC", text)))
    while (m := _LEAD.match(t)) and m.end():
        t = t[m.end():]
    return _SPACE.sub("", _EMPH.sub("", _LINK.sub(r"\1", _IMAGE.sub("", t))))


def raw_lines(path: Path) -> list[str]:
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    return [ln.removesuffix("\r") for ln in data.split("\n")]


class Body:
    def __init__(self, text: str):
        lines = text.split("\n")
        self.lines = {norm(ln) for ln in lines}
        self.light_lines = {light(ln) for ln in lines}
        self.text = "".join(norm(ln) for ln in lines)
        self.light = "".join(light(ln) for ln in lines)

    def keeps(self, line: str) -> bool:
        n = norm(line)
        if not n:
            return light(line) in self.light
        return n in self.text or (n[-1] in HYPHENS and len(n) > 1 and n[:-1] in self.text)

    def still_has(self, line: str) -> bool:
        n, hay, lines = norm(line), self.text, self.lines
        if not n:
            n, hay, lines = light(line), self.light, self.light_lines
        return bool(n) and ((n in hay) if len(n) >= SHORT else (n in lines))


def weight(line: str) -> int:
    return len(norm(line)) or len(light(line))


@dataclass
class Gold:
    path: Path
    raw: Path
    meta: dict
    lines: list[tuple[int, str, str]]  # (n, label, raw text)
    problems: list[str] = field(default_factory=list)


def page_text(path: Path) -> str:
    """The text a saved page shows (its <body>, without scripts and styles), normalised."""
    from lxml import html as lxml_html

    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        m = re.search(rb"""charset\s*=\s*["']?([\w-]+)""", data[:4096], re.I)
        text = data.decode(m[1].decode() if m else "latin-1", errors="replace")
    tree = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    for bad in tree.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    return re.sub("[|｜]", "", norm(" ".join(tree.itertext())))


def _load_page_gold(g: dict, gp: Path, raw: Path) -> Gold:
    lines = [(i, "content", t) for i, t in enumerate(g.get("content", []), 1)]
    lines += [(len(lines) + i, "boilerplate", t) for i, t in enumerate(g.get("junk", []), 1)]
    shown = page_text(raw)
    problems = [f"{g['file']}: {lab} string not shown by the page: {t!r}" for _, lab, t in lines
                if norm(t) and re.sub("[|｜]", "", norm(t)) not in shown]  # (a table row: its cells)
    return Gold(gp, raw, g, lines, problems)


def load_gold(gold_dir: Path, raw_dir: Path) -> list[Gold]:
    out = []
    for gp in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(gp.read_text(encoding="utf-8"))
        raw = Path(raw_dir) / g["file"]
        if "lines" not in g:  # a saved web page: strings, not line numbers
            out.append(_load_page_gold(g, gp, raw))
            continue
        text = raw_lines(raw)
        seen, labelled, problems = set(), [], []
        for e in g["lines"]:
            n, label = int(e["n"]), e["label"]
            if label not in LABELS or not 1 <= n <= len(text) or n in seen:
                problems.append(f"{g['file']}:{n}: bad label, line number or duplicate")
                continue
            seen.add(n)
            labelled.append((n, label, text[n - 1]))
        problems += [f"{g['file']}:{k}: non-empty line has no label"
                     for k, t in enumerate(text, 1) if t.strip() and k not in seen]
        problems += [f"{g['file']}:{n}: empty line has a label" for n, _, t in labelled if not t.strip()]
        out.append(Gold(gp, raw, g, sorted(labelled), problems))
    if not out:
        raise SystemExit(f"{gold_dir}: no gold files")
    return out


def check_gold(golds: list[Gold]) -> list[str]:
    """Problems in the gold: unlabelled lines, and junk that an ideal body would still contain."""
    problems = []
    for g in golds:
        problems += g.problems
        if g.meta.get("lang") not in ("zh-Hans", "zh-Hant", "en"):
            problems.append(f"{g.meta['file']}: lang must be zh-Hans, zh-Hant or en")
        d = g.meta.get("date")
        if d is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(d)):
            problems.append(f"{g.meta['file']}: date {d!r} is not YYYY-MM-DD or null")
        ideal = Body("\n".join(t for _, lab, t in g.lines if lab in ("content", "optional")))
        for n, lab, t in g.lines:
            if lab in ("boilerplate", "title") and ideal.still_has(t):
                problems.append(f"{g.meta['file']}:{n}: {lab} line is contained in the ideal body")
        if not any(lab == "content" for _, lab, _ in g.lines):
            problems.append(f"{g.meta['file']}: no content lines")
    return problems


def _same(pred, gold, key=lambda s: s) -> bool:
    if gold is None:
        return pred is None or (isinstance(pred, str) and not pred.strip())
    return isinstance(pred, str) and key(pred) == key(gold)


def _tally(r: dict, keys: tuple[str, str, str], ok: bool, n: int, text: str) -> None:
    """Count one scored line: (total, good, misses) keys, in lines and in characters."""
    total, good, misses = keys
    w = weight(text)
    r[total] += 1
    r[total + "_chars"] += w
    r[good] += ok
    r[good + "_chars"] += w * ok
    if not ok:
        r[misses].append((n, text))


def score_one(g: Gold, pred: dict) -> dict:
    body = Body(pred.get("body") or "")
    r = {"file": g.meta["file"], "content": 0, "kept": 0, "content_chars": 0, "kept_chars": 0,
         "junk": 0, "removed": 0, "junk_chars": 0, "removed_chars": 0, "lost": [], "left": []}
    for n, lab, t in g.lines:
        if lab == "content":
            _tally(r, ("content", "kept", "lost"), body.keeps(t), n, t)
        elif lab in ("boilerplate", "title"):
            _tally(r, ("junk", "removed", "left"), not body.still_has(t), n, t)
    m = g.meta
    r["title"] = _same(pred.get("title"), m.get("title"), norm)
    r["date"] = _same(pred.get("date"), m.get("date"), lambda s: s.strip()[:10])
    r["lang"] = _same(pred.get("lang"), m.get("lang"), lambda s: s.strip().replace("_", "-").casefold())
    r["pred"] = {k: pred.get(k) for k in ("title", "date", "source", "author", "lang")}
    return r


def summarise(rows: list[dict]) -> dict[str, float]:
    tot = lambda k: sum(r[k] for r in rows)
    ratio = lambda a, b: tot(a) / tot(b) if tot(b) else 1.0
    n = len(rows)
    return {"content_recall": ratio("kept", "content"), "content_char_recall": ratio("kept_chars", "content_chars"),
            "boilerplate_removed": ratio("removed", "junk"),
            "boilerplate_char_removed": ratio("removed_chars", "junk_chars"),
            "title": sum(r["title"] for r in rows) / n, "date": sum(r["date"] for r in rows) / n,
            "lang": sum(r["lang"] for r in rows) / n, "files": n}


def digest_predict(raw: Path, corpus: list[Path] | None = None) -> dict:
    """digest's own answer for one raw file, as `build.py inspect FILE --json` prints it."""
    from digest.cli import inspect_json

    return inspect_json(raw, Path(__file__).resolve().parent.parent, corpus=corpus)


def score(gold_dir: Path, raw_dir: Path, predict=digest_predict, verbose: bool = False,
          out=sys.stdout) -> dict[str, float]:
    golds = load_gold(Path(gold_dir), Path(raw_dir))
    if predict is digest_predict:  # every page is judged among the others of its batch
        corpus = [g.raw for g in golds]
        predict = lambda raw: digest_predict(raw, corpus)  # noqa: E731
    rows = []
    for g in golds:
        try:
            pred = predict(g.raw)
        except Exception as e:  # a failure costs the whole page, as in the shared scorer
            print(f"{g.meta['file']}: FAILED: {type(e).__name__}: {e}", file=out)
            pred = {"body": "", "title": False, "date": False, "lang": False}
        rows.append(score_one(g, pred))
    for r in rows:
        c = r["kept"] / r["content"] if r["content"] else 1.0
        b = r["removed"] / r["junk"] if r["junk"] else 1.0
        print(f"{r['file']:<34} content={c:.3f} boilerplate={b:.3f} title={int(r['title'])} "
              f"date={int(r['date'])} lang={int(r['lang'])}", file=out)
        if verbose:
            for n, t in r["lost"]:
                print(f"    LOST {n}: {t[:100]}", file=out)
            for n, t in r["left"]:
                print(f"    LEFT {n}: {t[:100]}", file=out)
            for k in ("title", "date", "lang"):
                if not r[k]:
                    g = next(g for g in golds if g.meta["file"] == r["file"])
                    print(f"    {k.upper()} got {r['pred'][k]!r} want {g.meta.get(k)!r}", file=out)
    s = summarise(rows)
    print("SCORE " + " ".join(f"{k}={v:.4f}" if k != "files" else f"files={v}" for k, v in s.items()), file=out)
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--raw", required=True, type=Path)
    ap.add_argument("--check-gold", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    if a.check_gold:
        problems = check_gold(load_gold(a.gold, a.raw))
        print("\n".join(problems) or "gold OK")
        return 2 if problems else 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    score(a.gold, a.raw, verbose=a.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
