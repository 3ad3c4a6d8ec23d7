"""Writing files atomically: a temporary file in the same folder, flushed to disk,
then renamed over the target, so a failed or killed write never damages a file that
already exists. The one way conflictmap writes every file: maps, images, data
exports, drafts, the gazetteer index, imports and caches.

The new file keeps the mode of the file it replaces; a new file gets the mode the
user's umask gives (``0o666 & ~umask``), as ``open()`` would.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
>>> write_bytes_atomic(out, b"<!DOCTYPE html>")
>>> out.read_bytes()
b'<!DOCTYPE html>'
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from conflictmap.errors import ConflictMapError, InputError, OutputError

STALE_AFTER = 3600.0  #: a temporary file this old belongs to a killed build
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def temporary_name(path: Path, suffix: str = "") -> Path:
    """A fresh temporary file name beside ``path``: ``.NAME.RANDOM.tmp`` (plus ``suffix``
    for writers that choose their format by it, such as GDAL)."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp{suffix}"


def tidy(path: Path, stale_after: float = STALE_AFTER) -> None:
    """Remove temporary files that killed writes of ``path`` left behind (with the
    journals SQLite and GDAL keep beside them)."""
    now = time.time()
    for tmp in path.parent.glob(f".{path.name}.*.tmp*"):
        try:
            if now - tmp.stat().st_mtime > stale_after:
                tmp.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def _discard(tmp: Path) -> None:
    """Remove a temporary file and the journals a writer kept beside it."""
    for leftover in (tmp, *tmp.parent.glob(f"{tmp.name}-*")):  # -journal, -wal, -shm
        with contextlib.suppress(OSError):
            leftover.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = "", *, sync: bool = True) -> Iterator[Path]:
    """A temporary path for a writer that needs a file name (GDAL, SQLite, Chromium):
    write to it inside the ``with`` block; on leaving it the file is flushed and renamed
    over ``path``. On an error the temporary file is removed and ``path`` is untouched;
    the error becomes an :class:`~conflictmap.errors.OutputError` unless it is already
    one of conflictmap's errors."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    mode = _mode_for(path)
    tmp = temporary_name(path, suffix)
    try:
        yield tmp
        if sync:
            _fsync(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        if isinstance(exc, ConflictMapError):
            raise
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        _discard(tmp)  # after the rename only journals are left; after an error, all
    tidy(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename
    it over ``path``: readers see the old file or the new one, never a part."""
    with atomic_path(path, sync=False) as tmp:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def check_not_input(path: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse to write over one of the inputs (a map written over its own claims file
    would lose it)."""
    target = Path(path).resolve()
    for p in inputs:
        if p is not None and Path(p).resolve() == target:
            raise InputError("the output is one of the inputs; choose another file name",
                             path=str(path))
