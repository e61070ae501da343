"""Everything the cleaner answers, dumped with repr: the check that a speed change changed nothing.

    python bench/clean_dump.py OUT_FILE [--n 2000]

For every labelled page (tests/fixtures/cleaning*/raw, .txt and .md): clean() plain; as the build
loads it (Markdown, front-matter title, body offset); with its batch's cross-article evidence (as
the quality gate builds it); with curator strip and keep patterns; and the same page hard-wrapped
as tests/wrapgen.py wraps it (plain and with the wrapped batch's evidence). Then n synthetic
articles (bench/sitegen.py). One line per case: its name, then the repr of the whole Cleaned
(kept and removed lines with reasons and rule ids, title, warnings, stamps, first line, spans).
Compare two dumps with cmp; `diff` names the cases that differ.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from digest.clean import clean  # noqa: E402
from digest.clean.rules import curator_rules  # noqa: E402
from digest.load import load_bytes  # noqa: E402
from digest.pipeline import corpus_evidence  # noqa: E402
import sitegen  # noqa: E402
import wrapgen  # noqa: E402

STRIP = (r"^(相关|相關|Related)", r"(?i)\bshare\b", r"^\d+$")
KEEP = (r"^(Reply|回复)$", r"(?i)editor", r"^[一二三四五六七八九十]+、")


def _pages(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.glob("*") if p.suffix in (".txt", ".md"))


def _batch(out, tag: str, raw_dir: Path) -> None:
    pages = _pages(raw_dir)
    ev = corpus_evidence(tuple(str(p) for p in pages))
    drops, keeps = curator_rules(STRIP, KEEP, "curator")
    for p in pages:
        data = p.read_bytes()
        src = load_bytes(data, p.name)
        name = f"{tag}/{p.name}"
        rep = ev.get(str(p.resolve()))
        body = data.decode("utf-8", errors="replace")
        out.write(f"{name} plain\t{clean(body)!r}\n")
        fm = src.meta
        out.write(f"{name} loaded\t{clean(src.body, src.body_offset, title=fm.get('title'), markdown=src.kind == 'md')!r}\n")
        out.write(f"{name} evidence\t{clean(src.body, src.body_offset, title=fm.get('title'), markdown=src.kind == 'md', repeats=rep)!r}\n")
        out.write(f"{name} curator\t{clean(src.body, src.body_offset, extra=drops, keeps=keeps, markdown=src.kind == 'md', repeats=rep)!r}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=2000)
    a = ap.parse_args()
    with open(a.out, "w", encoding="utf-8") as out, tempfile.TemporaryDirectory() as tmp:
        for d in sorted((ROOT / "tests" / "fixtures").glob("cleaning*")):
            if not (d / "raw").is_dir() or not _pages(d / "raw"):
                continue  # (the saved web pages are HTML: their text is extracted first)
            _batch(out, d.name, d / "raw")
            if (d / "gold").is_dir():
                w = Path(tmp) / d.name
                wrapgen.wrap_batch(d, w)
                _batch(out, d.name + "~wrapped", w / "raw")
        for i in range(a.n):
            _, text = sitegen.article(i)
            src = load_bytes(text.encode("utf-8"), f"a{i}.md" if text.startswith("---\n") else f"a{i}.txt")
            out.write(f"synthetic/{i}\t{clean(src.body, src.body_offset, title=src.meta.get('title'), markdown=src.kind == 'md')!r}\n")


if __name__ == "__main__":
    main()
