"""Reading untrusted input: files as text, JSON, lines and strings, each with a bound on
the work and memory it can cost and a clear error (file, line, column) for what it
cannot be. Every loader of the package reads through these.

>>> parse_json('{"a": [1, 2]}', "x.json")
{'a': [1, 2]}
>>> parse_json('{"a": ' + "9" * 50 + '}', "x.json")
Traceback (most recent call last):
...
conflictmap.errors.InputError: x.json:1:7: a number with 50 digits; numbers here have at most 40
>>> text_problem("Idlib\\x1b[31m")
'a control character (\\\\x1b)'
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from conflictmap.errors import InputError

MAX_BYTES = 20_000_000  #: the largest input file read (claims, place lists, reports, maps)
MAX_DIGITS = 40  #: longer numbers are never coordinates, distances or counts
MAX_DEPTH = 50  #: JSON nesting deeper than this is refused (GeoJSON needs about 6)

# C0 and C1 control characters other than tab, line feed and carriage return, and lone
# surrogates (which cannot be encoded as UTF-8): never meaningful in a name or a summary.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str:
    """Why a string from an input cannot be used as text, or ""."""
    found = _BAD_CHARS.search(value)
    if found is None:
        return ""
    c = found.group(0)
    if "\ud800" <= c <= "\udfff":
        return f"a lone surrogate (\\u{ord(c):04x}), which is not valid Unicode"
    return f"a control character (\\x{ord(c):02x})"


def read_bytes(path: Path, limit: int = MAX_BYTES, *, head: int | None = None) -> bytes:
    """At most ``limit`` bytes of a file; a larger file (or endless pipe) is refused after
    reading ``limit + 1`` bytes, never more. With ``head``, the size is checked and only
    the first ``head`` bytes are read (a file another library will read)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory, expected a file", path=str(path))
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise InputError(f"file is {info.st_size:,} bytes; the limit is {limit:,}",
                             path=str(path))
        with path.open("rb") as fh:
            data = fh.read(limit + 1 if head is None else head)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if len(data) > limit:
        raise InputError(f"more than {limit:,} bytes; the limit is {limit:,}", path=str(path))
    return data


def read_text(path: Path, what: str = "a claims file", limit: int = MAX_BYTES) -> str:
    """File contents as text, or a clear InputError (missing, empty, binary, huge)."""
    data = read_bytes(Path(path), limit)
    if not data.strip():
        raise InputError(f"file is empty, expected {what}", path=str(path))
    if b"\x00" in data[:8192]:
        raise InputError("file looks binary (NUL bytes), expected UTF-8 text", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text", path=str(path), line=line) from None


def _where(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


class _TooLong(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _number(kind: type) -> Any:
    def parse(token: str) -> Any:
        if len(token) > MAX_DIGITS and sum(c.isdigit() for c in token) > MAX_DIGITS:
            raise _TooLong(token)
        return kind(token)

    return parse


_JSON_TOKENS = re.compile(r'\\.|"|[\[\]{}]', re.S)  # an escape pair, a quote or a bracket


def _depth_problem(text: str) -> int:
    """The offset where JSON text first nests deeper than :data:`MAX_DEPTH`, or -1 (one
    linear pass over escapes, quotes and brackets; brackets inside strings do not count)."""
    depth = 0
    in_string = False
    for token in _JSON_TOKENS.finditer(text):
        c = token.group()
        if c == '"':
            in_string = not in_string
        elif in_string or len(c) == 2:
            continue
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        else:
            depth -= 1
    return -1


def _check_strings(value: Any, text: str, path: str) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                escaped = json.dumps(item)[1:-1]
                pos = max(text.find(escaped[:40]), 0)
                line, column = _where(text, pos)
                raise InputError(f"a string holds {problem}", path=path, line=line,
                                 column=column)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(text: str, path: str | Path) -> Any:
    """JSON text parsed, with errors that say where: malformed JSON, nesting deeper than
    :data:`MAX_DEPTH`, numbers longer than :data:`MAX_DIGITS` digits (a huge integer
    would otherwise cost quadratic time), strings with control characters or lone
    surrogates."""
    path = str(path)
    deep = _depth_problem(text) if text.count("[") + text.count("{") > MAX_DEPTH else -1
    if deep >= 0:
        line, column = _where(text, deep)
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=line,
                         column=column)
    try:
        value = json.loads(text, parse_int=_number(int), parse_float=_number(float),
                           parse_constant=_constant)
    except _TooLong as exc:
        line, column = _where(text, max(text.find(exc.token), 0))
        digits = sum(c.isdigit() for c in exc.token)
        raise InputError(f"a number with {digits} digits; numbers here have at most "
                         f"{MAX_DIGITS}", path=path, line=line, column=column) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", path=path, line=exc.lineno,
                         column=exc.colno) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"malformed JSON: {str(exc)[:200]}", path=path) from None
    if "\\u" in text or _BAD_CHARS.search(text):  # else no string can hold a bad character
        _check_strings(value, text, path)
    return value


def line_starts(text: str, positions: Iterable[int]) -> list[int]:
    """The line number (from 1) of each of ``positions`` (ascending), in one pass."""
    out = []
    line, last = 1, 0
    for pos in positions:
        line += text.count("\n", last, pos)
        last = pos
        out.append(line)
    return out


_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')


def feature_lines(text: str) -> list[int]:
    """The line of each ``"type": "Feature"`` of GeoJSON text, in order (a feature's
    line for messages; linear in the text's length)."""
    return line_starts(text, (m.start() for m in _FEATURE.finditer(text)))


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def bounded_lines(stream: IO[str], limit: int) -> Iterator[tuple[int, str | None]]:
    """(number, line) for each line of a text stream; ``None`` for a line longer than
    ``limit`` characters, whose rest is skipped without being held in memory."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while True:  # skip the rest of the long line, a piece at a time
                rest = stream.readline(limit)
                if not rest or rest.endswith("\n"):
                    break
            yield number, None
            continue
        yield number, line


def split_lines(text: str) -> list[str]:
    """Lines of a file as a CSV reader sees them: broken at \\n, \\r\\n and \\r only
    (``str.splitlines`` also breaks at U+2028, form feeds and U+0085, which are text)."""
    return re.split(r"(?<=\n)|(?<=\r)(?!\n)", text)
