"""Hard-wrapped copies of labelled pages, as a PDF copy or a plain-text e-mail gives them.

Every raw line longer than the width is cut: English at word boundaries (72 columns), Chinese
every 34 characters; each piece keeps its line's label. Title lines stay whole. Used by the quality gate (every
wrapped batch must keep every article line) and by hand:

    python tests/wrapgen.py SRC_BATCH_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
import textwrap
import unicodedata
from pathlib import Path

EN_WIDTH, ZH_WIDTH = 72, 34


def _cjk(text: str) -> bool:
    return sum(1 for c in text if unicodedata.east_asian_width(c) in "WF") * 3 > len(text)


def wrap_line(text: str) -> list[str]:
    if _cjk(text):
        if len(text) <= ZH_WIDTH:
            return [text]
        return [text[i:i + ZH_WIDTH] for i in range(0, len(text), ZH_WIDTH)]
    if len(text) <= EN_WIDTH:
        return [text]
    return textwrap.wrap(text, EN_WIDTH, break_long_words=False, break_on_hyphens=False) or [text]


def _wrapped_already(raw: list[str]) -> bool:
    """A page that is hard-wrapped already: five lines or more near one width, none far past it."""
    en = sorted(len(t.strip()) for t in raw if t.strip() and not _cjk(t) and "http" not in t)
    zh = sorted(len(t.strip()) for t in raw if t.strip() and _cjk(t))
    p95 = lambda xs: xs[int(len(xs) * 0.95)] if xs else 0  # noqa: E731 (a stray long line or two)
    return (sum(60 <= n <= 82 for n in en) >= 5 and p95(en) <= 100
            or sum(28 <= n <= 42 for n in zh) >= 5 and p95(zh) <= 48)


def wrap_batch(src: Path, out: Path) -> None:
    (out / "raw").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    for gp in sorted((src / "gold").glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        labels = {e["n"]: e["label"] for e in gold["lines"]}
        raw = (src / "raw" / gold["file"]).read_text(encoding="utf-8").split("\n")
        if _wrapped_already(raw):
            labels = {}  # a PDF copy or an e-mail: copied as it is (its gold stays as it was)
            (out / "raw" / gold["file"]).write_text("\n".join(raw), encoding="utf-8")
            (out / "gold" / gp.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
            continue
        in_front = raw[0].strip() == "---"
        lines, new = [], []
        for n, text in enumerate(raw, 1):
            if in_front and n > 1 and text.strip() == "---":
                in_front = False
            # front matter, table rows and the title line stay whole (a cover title is set apart)
            whole = in_front or n == 1 or not text.strip() or text.lstrip().startswith("|") or labels.get(n) == "title"
            pieces = [text] if whole else wrap_line(text.rstrip())
            for piece in pieces:
                lines.append(piece)
                if piece.strip() and n in labels:
                    new.append({"n": len(lines), "label": labels[n]})
        (out / "raw" / gold["file"]).write_text("\n".join(lines), encoding="utf-8")
        gold["lines"] = new
        (out / "gold" / gp.name).write_text(json.dumps(gold, ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__":
    wrap_batch(Path(sys.argv[1]), Path(sys.argv[2]))
