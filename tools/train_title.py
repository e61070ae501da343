"""Learn the title stage's weights from the labelled pages, and say how well they generalise.

    python tools/train_title.py            # leave-one-batch-out figures, then write the weights
    python tools/train_title.py --dry-run  # the figures only

The title stage (digest/clean/title.py) scores every headline-shaped line above the article by
features that do not depend on a site's wording (_features). This script runs the cleaner on
every labelled page in tests/fixtures/cleaning*/ (each judged among the others of its batch, as
the quality gate does), collects each candidate's features, and marks the candidate whose text
is the gold title. The model is a conditional logit: a page's candidates and "no title" compete
in one softmax, P(line i) ∝ exp(w·x_i) and P(none) ∝ exp(threshold); L2-regularised, fitted by
plain gradient descent from zeros (deterministic: same pages, same weights).

Honesty: the weights are judged by leaving each batch out in turn (trained on the others,
scored on it), against the hand-set weights the stage had before, which were tuned on all of
them. Pages whose gold title is no candidate at all count as misses for both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import scorer  # noqa: E402
from digest.clean import title as T  # noqa: E402
import digest.clean as C  # noqa: E402

OUT = ROOT / "digest" / "data" / "title-weights.json"
L2 = 0.002


def collect() -> list[dict]:
    """One row per labelled page: its batch, its candidates' features and which match the gold."""
    calls: list = []
    plain = T.find_title

    def spy(lines, first, given):
        if not given:
            page = T._Page(lines)
            cands = []
            for i in range(min(first, len(lines))):
                text = T._candidate(page, i, first)
                if text is not None and not T._joined_above(page, i, first):
                    cands.append((i, text, T._features(page, i, first, text)))
            decided = next((m["t"] for i in range(min(first, len(lines)))
                            if (m := T.LABELLED.match(lines[i].text)) and not lines[i].keep), None)
            calls.append((cands, decided))
        else:
            calls.append(None)
        return plain(lines, first, given)

    T.find_title, C.find_title = spy, spy
    rows = []
    try:
        for d in sorted((ROOT / "tests" / "fixtures").glob("cleaning*")):
            if not (d / "gold").is_dir() or d.name == "cleaning-html":
                continue
            golds = scorer.load_gold(d / "gold", d / "raw")
            corpus = [g.raw for g in golds]
            for g in golds:
                calls.clear()
                scorer.digest_predict(g.raw, corpus)
                if not calls or calls[-1] is None:
                    continue  # the front matter names the title: the stage is not asked
                want = g.meta.get("title")
                key = scorer.norm(want) if want else None
                cands, decided = calls[-1]
                hit = [k for k, (_, text, _) in enumerate(cands)
                       if key and key in (scorer.norm(text), scorer.norm(T.strip_suffix(text)))]
                rows.append({"batch": d.name, "file": g.meta["file"], "null": want is None,
                             "feats": [] if decided is not None else [f for _, _, f in cands],
                             "texts": [t for _, t, _ in cands], "want": want,
                             "hit": [] if decided is not None else hit,
                             "decided": None if decided is None else
                             (key is not None and scorer.norm(T.strip_suffix(decided)) == key)})
    finally:
        T.find_title, C.find_title = plain, plain
    return rows


def tensor(rows, names):
    """The pages' candidates as one padded array (pages × candidates × features) and its mask."""
    k = max([len(r["feats"]) for r in rows] + [1])
    x = np.zeros((len(rows), k, len(names)))
    mask = np.zeros((len(rows), k), dtype=bool)
    for p, r in enumerate(rows):
        for c, f in enumerate(r["feats"]):
            x[p, c] = [f.get(n, 0.0) for n in names]
            mask[p, c] = True
    return x, mask


def fit(rows, names, l2=L2, steps=8000, rate=0.5):
    """Weights and threshold maximising the pages' likelihood (gold candidate, or none)."""
    use = [r for r in rows if r["null"] or r["hit"]]  # (an unreachable title teaches nothing)
    x, mask = tensor(use, names)
    target = np.zeros((len(use), x.shape[1] + 1))
    for p, r in enumerate(use):
        if r["null"]:
            target[p, -1] = 1.0
        else:
            target[p, r["hit"]] = 1.0 / len(r["hit"])
    w, t = np.zeros(len(names)), 0.0
    for _ in range(steps):
        s = np.where(mask, x @ w, -np.inf)
        s = np.concatenate([s, np.full((len(use), 1), t)], axis=1)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        prob = e / e.sum(axis=1, keepdims=True)
        diff = prob - target
        w -= rate * (np.einsum("pk,pkf->f", diff[:, :-1], x) / len(use) + l2 * w)
        t -= rate * diff[:, -1].mean()
    return w, t


def right(rows, names, w, t) -> list[bool]:
    x, mask = tensor(rows, names)
    s = np.where(mask, x @ w, -np.inf)
    out = []
    for p, r in enumerate(rows):
        if r.get("decided") is not None:
            out.append(r["decided"])  # a line naming itself the title decided; the weights were not asked
            continue
        best = int(np.argmax(s[p])) if mask[p].any() and s[p].max() > t else None
        out.append(best is None if r["null"] else best is not None and best in r["hit"])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--why", action="store_true", help="list the held-out pages the learned weights get wrong")
    a = ap.parse_args(argv)
    rows = collect()
    names = sorted({n for r in rows for f in r["feats"] for n in f})
    hand = json.loads(OUT.read_text(encoding="utf-8"))
    hw = np.array([float(hand["weights"].get(n, 0.0)) for n in names])
    batches = sorted({r["batch"] for r in rows})
    print(f"{len(rows)} pages asked for a title; {sum(r['null'] for r in rows)} have none; "
          f"{sum(1 for r in rows if r['decided'] is not None)} name it ('Subject: …'); "
          f"{sum(1 for r in rows if not r['null'] and not r['hit'] and r['decided'] is None)} have a title that is no candidate")
    print(f"{'held-out batch':<20} {'pages':>5} {'current':>8} {'learned':>8}")
    tot_h = tot_l = 0
    for b in batches:
        test = [r for r in rows if r["batch"] == b]
        w, t = fit([r for r in rows if r["batch"] != b], names, a.l2)
        h = sum(right(test, names, hw, float(hand["threshold"])))
        ok = right(test, names, w, t)
        l_ = sum(ok)
        if a.why:
            x, mask = tensor(test, names)
            for p, (r, good) in enumerate(zip(test, ok)):
                if not good and r["decided"] is None:
                    sc = np.where(mask[p], x[p] @ w, -np.inf)
                    top = sorted(((sc[c], r["texts"][c]) for c in range(len(r["texts"]))), reverse=True)[:3]
                    print(f"  {r['file']}: want {r['want']!r:.60} (hit {r['hit']}) t={t:.2f}")
                    for v, tx in top:
                        print(f"      {v:+.2f} {tx[:70]}")
        tot_h, tot_l = tot_h + h, tot_l + l_
        print(f"{b:<20} {len(test):>5} {h / len(test):>8.3f} {l_ / len(test):>8.3f}")
    print(f"{'all':<20} {len(rows):>5} {tot_h / len(rows):>8.3f} {tot_l / len(rows):>8.3f}")
    w, t = fit(rows, names, a.l2)
    print(f"trained on all: {sum(right(rows, names, w, t)) / len(rows):.3f}")
    for n, v in sorted(zip(names, w), key=lambda p: -abs(p[1])):
        print(f"  {v:+.3f}  {n}")
    print(f"  threshold {t:+.3f}")
    if not a.dry_run:
        data = {"about": "learned by tools/train_title.py from the labelled pages (conditional logit, L2 %g)" % a.l2,
                "threshold": round(float(t), 3), "weights": {n: round(float(v), 3) for n, v in zip(names, w)}}
        OUT.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
