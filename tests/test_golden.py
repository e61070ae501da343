"""Golden site: build tests/fixtures/sites/basic and compare the whole tree byte for byte.

After an intended change, regenerate with `python -m pytest tests/test_golden.py --update-golden`
and read the change in git.
"""

from __future__ import annotations

import shutil

from conftest import ROOT, assert_same_tree
from digest.config import load_settings
from digest.pipeline import build_site

FIXTURE = ROOT / "tests" / "fixtures" / "sites" / "basic"
GOLDEN = ROOT / "tests" / "golden" / "basic"


def test_golden_site(tmp_path, request):
    site = tmp_path / "basic"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("output", ".digest-cache"))
    result = build_site(load_settings(site))
    assert result.ok, [str(e) for e in result.report.errors]
    out = site / "output"
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.name.startswith(".")}
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        return
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(golden), "the set of output files changed (run with --update-golden if intended)"
    assert_same_tree(files, golden, "built", "golden")


def test_golden_report(tmp_path, request):
    """The cleaning report (`digest report`: not in output/) of the same site, byte for byte."""
    from digest.report import write_report

    site = tmp_path / "basic"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("output", ".digest-cache"))
    settings = load_settings(site)
    result = build_site(settings, write=False)
    assert result.ok, [str(e) for e in result.report.errors]
    out = tmp_path / "report"
    write_report(settings, out, result.articles)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.name.startswith(".") and not p.parent.name == "static"}
    golden_dir = GOLDEN.parent / "basic-report"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(golden_dir, ignore_errors=True)
        for rel, data in files.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_bytes(data)
        return
    golden = {p.relative_to(golden_dir).as_posix(): p.read_bytes() for p in sorted(golden_dir.rglob("*"))}
    assert files == golden, "the report changed (run with --update-golden if intended, and read the diff)"
