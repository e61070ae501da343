"""Test helpers: small sites written inline (Hugo's txtar style) and the golden-file switch."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PYPROJECT = """[tool.digest]
title = "Test Digest"
base_url = "https://example.org/sub/"
timezone = "Asia/Shanghai"
search = false
"""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current build")


def write_site(root: Path, spec: str, pyproject: str | None = DEFAULT_PYPROJECT) -> Path:
    """Write files given as '-- path --\\ncontent' blocks under root; return root."""
    root.mkdir(parents=True, exist_ok=True)
    if pyproject is not None and "-- pyproject.toml --" not in spec:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    parts = re.split(r"^-- (.+?) --\n", spec, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2]):
        p = root / name.strip()
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    return root


@pytest.fixture
def make_site(tmp_path):
    def make(spec: str, pyproject: str | None = DEFAULT_PYPROJECT, name: str = "site") -> Path:
        return write_site(tmp_path / name, spec, pyproject)
    return make


def tool_or_skip(exe: str | None, msg: str) -> str:
    """exe, when the tool is there; else skip loudly with msg, but fail in CI (a CI without the
    tool is a broken CI, not a reason to skip a whole gate)."""
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return exe


def chromium_or_skip():
    """Path to Debian's chromium; skip loudly without it, but fail in CI."""
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    return tool_or_skip(exe, "CHROMIUM IS MISSING: browser tests need Debian's chromium (apt-get install chromium)")


def damage(path: Path, how: str) -> None:
    """Damage a cache file as a crash or a full disk would: deleted, truncated or garbage."""
    if how == "deleted":
        path.unlink()
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"\x80\x05garbage, not what was written\n" * 40)


def assert_same_tree(got: dict[str, bytes], want: dict[str, bytes], got_name: str, want_name: str) -> None:
    """Two output trees ({path: bytes}) byte for byte; on a difference, the file and a unified
    diff of its first differing copy (the golden test's and the incremental == cold tests')."""
    import difflib

    assert sorted(got) == sorted(want), f"the set of output files differs: {sorted(set(got) ^ set(want))}"
    stale = [rel for rel in sorted(want) if got[rel] != want[rel]]
    if stale:
        rel = stale[0]
        diff = "\n".join(difflib.unified_diff(want[rel].decode(errors="replace").splitlines(),
                                              got[rel].decode(errors="replace").splitlines(),
                                              f"{want_name}/{rel}", f"{got_name}/{rel}", lineterm="", n=2))
        raise AssertionError(f"{got_name} differs from {want_name} in {stale}; the first:\n{diff[:4000]}")
