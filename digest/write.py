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
    except (IsADirectoryError, NotADirectoryError):  # a folder kept in staging (SPARE) is in the way
        _clear_way(stage, rel)
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
        # speed layer: an incremental build stages into the last one's folders (SPARE), made empty
        self.spare = out.parent / f".{out.name}{SPARE}"
        if self.old is not None:
            _claim(self.spare, self.stage)
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
        done = False
        try:
            if self.cold:
                return self._swap_in()
            counts = self._move_in()
            done = True
            return counts
        finally:
            if not (done and _keep_spare(self.stage, self.spare)):
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
                os.unlink(os.path.join(self.stage, rel))  # (the staging folder keeps folders only: SPARE)
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


# Speed layer: the staging folder's folders kept for the next build. Removing a folder costs ~2-3 ms
# on an ext4 disk (a journal entry), and an incremental build stages a page per folder
# (posts/<slug>/, tags/<tag>/page/<n>/): an add that moves ~300 list pages made ~300 folders in
# staging and removed them again after its commit (~0.5-0.8 s of its wall; bench/results.md,
# issue 17's fifth round). Once a build has moved its files in, its staging folder holds empty
# folders only (a file rendered again with the same bytes is unlinked: _move_in): it is renamed
# to SPARE beside output/, and the next incremental build renames SPARE over its new, empty
# staging folder (one rename; a build that finds none, or loses a race for it, keeps its own).
# The folders' names only save put() its mkdir: a file is read from staging only when this
# build staged it (Output.staged), and only a first build (cold, which never claims SPARE)
# renames its staging folder into output/. A failed build removes its staging folder as before.
# At most as many folders as output/ has had since. tests/test_speed_layer.py compares builds
# with and without it, and puts a stray file in SPARE.
SPARE = "-staging-spare"
KEEP_SPARE = True  # False: every staging folder removed after its commit, the plain way


def _claim(spare: Path, stage: str) -> None:
    """Take the last build's staging folders (SPARE) as this build's staging folder, if any."""
    if not KEEP_SPARE:
        return
    try:
        os.replace(spare, stage)  # over the empty folder mkdtemp made: atomic, one build wins
    except OSError:
        pass  # none (or another build took it, or it is not empty): this build's own folder


def _keep_spare(stage: str, spare: Path) -> bool:
    """After a commit that moved every staged file out: keep the staging folder as SPARE."""
    if not KEEP_SPARE:
        return False
    try:
        os.rename(stage, spare)  # fails if a spare is already there (another build's): then removed
        return True
    except OSError:
        return False


def _clear_way(stage: str, rel: str) -> None:
    """Make room in a staging folder for the file rel: a kept folder where the file goes is
    removed, a file where one of its folders goes too (a path that was a folder in an earlier
    build: the plain way would have made a fresh folder)."""
    parts = rel.split("/")
    for k in range(1, len(parts)):
        p = os.path.join(stage, *parts[:k])
        if os.path.lexists(p) and not os.path.isdir(p):
            os.unlink(p)
    os.makedirs(os.path.dirname(os.path.join(stage, rel)), exist_ok=True)
    shutil.rmtree(os.path.join(stage, rel), ignore_errors=True)


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
