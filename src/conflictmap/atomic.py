"""Writing files atomically: a temporary file in the same folder, flushed to disk,
then renamed over the target, so a failed or killed write never damages a file that
already exists. Used for maps, data exports, drafts and caches alike."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conflictmap.errors import OutputError

STALE_AFTER = 3600.0  #: a temporary file this old belongs to a killed build


def _tidy(path: Path) -> None:
    """Remove temporary files that killed builds of ``path`` left behind."""
    import time

    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > STALE_AFTER:
                tmp.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename
    it over ``path``: readers see the old file or the new one, never a part."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    _tidy(path)
