"""Write the site into output/ safely.

Pages go into a staging folder beside output/ as they are rendered (by any process), so no build
holds the whole site in memory. A first build then swaps the staging folder in with renames; a
later build moves in only the files whose bytes changed, each replaced atomically, and deletes
the ones no longer made. A failed build drops the staging folder: output/ stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path

MANIFEST = ".digest-manifest.json"


def _read_umask() -> int:
    """The process's umask, read without changing it where the system allows (os.umask can only
    be read by setting it, for a moment, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
# tempfile makes its folders 0700 and its files 0600 (private by design); the site is public:
# what it writes gets the modes any new file would get (0755 / 0644 under umask 022), so a web
# server running as another user can read it and `rsync -a` copies it readable.
DIR_MODE, FILE_MODE = 0o777 & ~_UMASK, 0o666 & ~_UMASK


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


def read_manifest(out: Path) -> dict[str, str] | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(stage: str, rel: str, data: bytes) -> str:
    """Write one file into the staging folder (from any process); its sha256."""
    path = os.path.join(stage, check_path(rel))
    try:
        f = open(path, "wb")
    except FileNotFoundError:
        folder = os.path.dirname(path)
        try:
            os.mkdir(folder)  # the usual case: posts/<slug>/ in an existing posts/
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            pass  # another worker made it
        f = open(path, "wb")
    with f:
        f.write(data)
    return _digest(data)


class Output:
    """output/ being rebuilt: write() pages into staging, keep() unchanged ones, commit()."""

    def __init__(self, out: Path):
        self.out = out
        self.old = read_manifest(out) if out.is_dir() else None
        out.parent.mkdir(parents=True, exist_ok=True)
        self.stage = tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent)
        os.chmod(self.stage, DIR_MODE)  # a first build renames this folder into output/
        self.manifest: dict[str, str] = {}
        self.staged: set[str] = set()
        self.damaged: set[str] = set()  # files in output/ changed since the last build wrote them

    @property
    def cold(self) -> bool:
        return self.old is None

    def write(self, rel: str, data: bytes) -> str:
        sha = put(self.stage, rel, data)
        self.staged_file(rel, sha)
        return sha

    def staged_file(self, rel: str, sha: str) -> None:
        """A file put() into staging by a worker."""
        self.manifest[rel] = sha
        self.staged.add(rel)

    def keep(self, rel: str, sha: str, recorded: bool = False) -> None:
        """A file already in output/ with these bytes. recorded: the path is in the last build's
        records, so it was checked when that build wrote it (a keep writes and deletes nothing)."""
        if not recorded:
            check_path(rel)
        self.manifest[rel] = sha

    def read(self, rel: str) -> bytes:
        return Path(self.stage if rel in self.staged else self.out, rel).read_bytes()

    def commit(self) -> dict[str, int]:
        """Move the staged files in; return counts of written, unchanged and deleted files."""
        try:
            if self.cold:
                return self._swap_in()
            return self._move_in()
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def _manifest_bytes(self) -> bytes:
        return json.dumps(dict(sorted(self.manifest.items())), indent=0, sort_keys=True).encode()

    def _move_in(self) -> dict[str, int]:
        out, old = self.out, self.old
        written = deleted = 0
        for rel in sorted(self.staged):
            if old.get(rel) == self.manifest[rel] and rel not in self.damaged and (out / rel).is_file():
                continue  # rendered again, same bytes: leave the file (and its mtime) alone
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(os.path.join(self.stage, rel), out / rel)
            written += 1
        for rel in sorted(set(old) - set(self.manifest)):
            try:
                (out / rel).unlink()
                deleted += 1
            except FileNotFoundError:
                pass
            _prune_empty(out, (out / rel).parent)
        if written or deleted or old != self.manifest:
            _write_atomic(out / MANIFEST, self._manifest_bytes())
        return {"written": written, "unchanged": len(self.manifest) - written, "deleted": deleted}

    def _swap_in(self) -> dict[str, int]:
        out, stage = self.out, Path(self.stage)
        (stage / MANIFEST).write_bytes(self._manifest_bytes())
        old = None
        if out.exists():
            old = out.parent / f".{out.name}-old-{os.getpid()}"
            os.replace(out, old)
        os.replace(stage, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return {"written": len(self.manifest), "unchanged": 0, "deleted": 0}


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), FILE_MODE)
        f.write(data)
    os.replace(tmp, path)


def _prune_empty(out: Path, folder: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
