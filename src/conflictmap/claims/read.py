"""Reading an input file as text, with clear errors for what it cannot be."""

from __future__ import annotations

from pathlib import Path

from conflictmap.errors import InputError

MAX_BYTES = 20_000_000


def read_text(path: Path, what: str = "a claims file") -> str:
    """File contents as text, or a clear InputError (missing, empty, binary, huge)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}", path=str(path))
    if not data.strip():
        raise InputError(f"file is empty, expected {what}", path=str(path))
    if b"\x00" in data[:8192]:
        raise InputError("file looks binary (NUL bytes), expected UTF-8 text", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text", path=str(path), line=line) from None
