"""A new user's first run, outside the repository: the wheel built from this repository,
installed in a fresh virtual environment, starts a site with `digest init` and builds it.

Slow (~10 s: a wheel build and a venv) and marked so (`-m "not slow"` leaves it out locally),
but never skipped: a theme or data file missing from the package only shows up here.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _sources(dest: Path) -> None:
    """Copy the repository's files that git tracks or would track (without git: the folders a
    wheel is made of) to dest, so the wheel build's build/ and egg-info stay out of the tree."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in listed.decode().split("\0") if n and not n.startswith("tests/")]
    except (OSError, subprocess.CalledProcessError):
        names = None
    if names is None:
        for name in ("pyproject.toml", "README.md", "digest", "themes"):
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dest / name)
        return
    for name in names:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


def _run(cmd: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                       preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, f"{cmd}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def test_wheel_in_a_fresh_venv_starts_and_builds_a_site(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    src, dist, venv, work = (tmp_path / n for n in ("src", "dist", "venv", "work"))
    for d in (src, dist, work):
        d.mkdir()
    _sources(src)
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, src], tmp_path, env)
    wheel = next(dist.glob("digest-*.whl"))
    # The venv borrows the dependencies already installed here (no network); digest itself is
    # the wheel's, installed over any digest those site-packages hold.
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], tmp_path, env)
    py = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", "--ignore-installed",
          "--no-index", wheel], tmp_path, env)
    where = _run([py, "-c", "import digest; print(digest.__file__)"], work, env).stdout.strip()
    assert Path(where).is_relative_to(venv), f"digest was imported from {where}, not from the wheel"

    digest = venv / "bin" / "digest"
    r = _run([digest, "init", "site"], work, env)
    assert "digest serve" in r.stdout  # the next step
    site = work / "site"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        ".gitignore", "content/welcome.md", "pyproject.toml"]
    again = subprocess.run([digest, "init", "site"], cwd=work, env=env, capture_output=True, text=True)
    assert again.returncode == 2 and "pyproject.toml already exists" in again.stderr

    r = _run([digest, "--strict"], site, env)  # the theme, the rules and the data come from the wheel
    assert "Built 1 article " in r.stdout
    out = site / "output"
    page = (out / "posts" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "Welcome to your digest" in page and "static/style.css" in page
    assert (out / "static" / "style.css").is_file()
    assert (out / "search" / "data" / "entry.json").is_file()  # search works on the plain install
    assert (out / "search" / "index.html").is_file()
    for p in [out, *out.rglob("*")]:
        assert stat.S_IMODE(p.stat().st_mode) == (0o755 if p.is_dir() else 0o644), p
    assert not (out / "report").exists()  # the cleaning report is the curator's, not the public's

    r = _run([digest, "report"], site, env)
    assert (site / ".digest-cache" / "report" / "index.html").is_file()
