"""Write {path: bytes} into output/ safely.

A first build writes into a staging folder beside output/ and swaps it in with renames, so a
failed build leaves the previous output/ as it was. Later builds compare with the manifest of
the last build and touch only files whose bytes changed, each replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MANIFEST = ".digest-manifest.json"


class UnsafePath(ValueError):
    pass


def check_path(rel: str) -> str:
    """Refuse any output path that could leave output/ (a hostile slug, tag or source)."""
    norm = posixpath.normpath(rel)
    if rel.startswith(("/", "\\")) or norm.startswith("..") or "\\" in rel or "\x00" in rel or norm != rel:
        raise UnsafePath(f"refusing to write outside output/: {rel!r}")
    return norm


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def read_manifest(out: Path) -> dict[str, str] | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_site(files: dict[str, bytes], out: Path, extra_dirs: list[Path] = ()) -> dict[str, int]:
    """Write the site; return counts of written, unchanged and deleted files."""
    for rel in files:
        check_path(rel)
    manifest = {rel: _digest(data) for rel, data in sorted(files.items())}
    old = read_manifest(out) if out.is_dir() else None
    if old is None:
        return _swap_in(files, manifest, out)
    written = deleted = 0
    for rel, h in manifest.items():
        if old.get(rel) != h or not (out / rel).is_file():
            _write_atomic(out / rel, files[rel])
            written += 1
    for rel in sorted(set(old) - set(manifest)):
        try:
            (out / rel).unlink()
            deleted += 1
        except FileNotFoundError:
            pass
        _prune_empty(out, (out / rel).parent)
    if written or deleted:
        _write_atomic(out / MANIFEST, json.dumps(manifest, indent=0, sort_keys=True).encode())
    return {"written": written, "unchanged": len(manifest) - written, "deleted": deleted}


def _prune_empty(out: Path, folder: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _swap_in(files: dict[str, bytes], manifest: dict[str, str], out: Path) -> dict[str, int]:
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    try:
        for folder in sorted({posixpath.dirname(rel) for rel in files} - {""}):
            (stage / folder).mkdir(parents=True, exist_ok=True)
        items = list(files.items())
        with ThreadPoolExecutor(4) as pool:  # file system calls release the GIL
            list(pool.map(lambda part: [(stage / rel).write_bytes(data) for rel, data in part],
                          [items[k::4] for k in range(4)]))
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
        old = None
        if out.exists():
            old = out.parent / f".{out.name}-old-{os.getpid()}"
            os.replace(out, old)
        os.replace(stage, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return {"written": len(files), "unchanged": 0, "deleted": 0}
