"""The reports of a batch: files, folders and globs of ``.txt``/``.md``/``.html`` reports,
and JSON Lines (``{"id", "text", "url"?, "published"?, "outlet"?, "title"?}`` per line),
read one at a time and grouped into tasks of about :data:`TASK_BYTES` of text.

A report that cannot be read (not UTF-8, empty, a bad JSON line) becomes a
:class:`BadReport` with its reason: it is recorded in ``errors.jsonl`` and never stops
the run. A path that does not exist, or a file of another type, is a usage error.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conflictmap.claims.read import bounded_lines, parse_json, read_text, text_problem
from conflictmap.errors import InputError

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
LINES_SUFFIXES = (".jsonl", ".ndjson")
TASK_BYTES = 1_000_000  #: text per task (one task runs on one worker)
TASK_REPORTS = 1_000  #: reports per task at most
MAX_LINE = 20_000_000  #: characters in one JSON line (one report)
_META = ("url", "published", "outlet", "title")


@dataclass(frozen=True)
class Report:
    """One report to analyse: its id (file path, or the JSON line's ``id``), text and
    what the input says about it."""

    id: str
    text: str
    path: str  #: the file, with ``:LINE`` for a JSON line
    url: str = ""
    published: str = ""  #: YYYY-MM-DD, or ""
    outlet: str = ""
    title: str = ""

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the id, text and metadata: a report already done is skipped."""
        h = hashlib.sha256()
        for part in (self.id, self.url, self.published, self.outlet, self.title, self.text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class BadReport:
    """An input that is not a readable report, and why."""

    id: str
    path: str
    reason: str

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(f"bad\x00{self.id}\x00{self.reason}".encode()).hexdigest()


@dataclass
class Task:
    """Reports analysed together on one worker; named by their digests."""

    reports: list[Report | BadReport] = field(default_factory=list)
    size: int = 0

    @property
    def id(self) -> str:
        h = hashlib.sha256()
        for r in self.reports:
            h.update(r.digest.encode())
        return h.hexdigest()[:20]


def _remote(url: str) -> list[Path]:
    """The files of an fsspec URL (``file://``, ``s3://``, ``gs://``..., a glob allowed), as
    local copies in fsspec's cache (a local file as it is). JSON Lines name each report by
    its ``id``; a text report read this way is named by its copy's path."""
    try:
        import fsspec  # the batch extra
    except ImportError:
        raise InputError("reading reports from a URL needs fsspec: pip install "
                         "'conflictmap[batch]'", path=url) from None
    local = url.startswith("file://")
    try:
        found = (fsspec.open_local(url) if local else  # copies keep their names (and suffixes)
                 fsspec.open_local(f"simplecache::{url}", simplecache={"same_names": True}))
    except (ImportError, ValueError) as exc:  # no backend for the protocol (s3fs, gcsfs...)
        raise InputError(f"cannot read this URL: {exc}"[:300], path=url) from None
    except (FileNotFoundError, OSError) as exc:
        raise InputError(f"cannot read: {exc}"[:300], path=url) from None
    paths = [Path(p) for p in (found if isinstance(found, list) else [found])]
    files = [p for p in paths if p.suffix.lower() in REPORT_SUFFIXES + LINES_SUFFIXES]
    if not files:
        raise InputError("no .txt, .md, .html or .jsonl file at this URL", path=url)
    return files


def _files(item: str) -> list[Path]:
    """The report and JSON Lines files one input names (a file, a folder, a glob or an
    fsspec URL)."""
    if "://" in item:
        return _remote(item)
    path = Path(item)
    if any(c in item for c in "*?[") and not path.exists():
        found = sorted(Path(p) for p in glob.glob(item, recursive=True))
        files = [p for p in found if p.is_file() and p.suffix.lower() in
                 REPORT_SUFFIXES + LINES_SUFFIXES]
        if not files:
            raise InputError(f"no .txt, .md, .html or .jsonl file matches {item!r}")
        return files
    if path.is_dir():
        top = path.resolve()
        # links are followed only to files inside the folder
        return sorted(p for p in path.rglob("*") if p.is_file()
                      and p.suffix.lower() in REPORT_SUFFIXES + LINES_SUFFIXES
                      and p.resolve().is_relative_to(top))
    if not path.exists():
        raise InputError("file not found", path=item)
    if path.suffix.lower() not in REPORT_SUFFIXES + LINES_SUFFIXES:
        raise InputError(f"unsupported report type {path.suffix or '(none)'!r}; expected "
                         ".txt, .md, .html or JSON Lines (.jsonl)", path=item)
    if not path.is_file():  # a device or pipe could feed bytes for ever
        raise InputError("not a regular file (a device, pipe or socket)", path=item)
    return [path]


def input_files(items: Iterable[str]) -> list[Path]:
    """Every file of the inputs, in order, each once."""
    out: dict[Path, None] = {}
    for item in items:
        for f in _files(str(item)):
            out.setdefault(f, None)
    return list(out)


def count_reports(files: Iterable[Path]) -> int:
    """How many reports the files hold (JSON Lines counted by their lines), for progress."""
    total = 0
    for f in files:
        if f.suffix.lower() in LINES_SUFFIXES:
            total += _lines_with_text(f)
        else:
            total += 1
    return total


def _lines_with_text(path: Path, chunk: int = 1 << 20) -> int:
    """Lines that hold more than white space, counted a megabyte at a time (a line of
    gigabytes is never held in memory)."""
    count, text_in_line = 0, False
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            for i, piece in enumerate(block.split(b"\n")):
                if i:  # a line ended before this piece
                    count += text_in_line
                    text_in_line = False
                text_in_line = text_in_line or bool(piece.strip())
    return count + text_in_line


def _date(value: object) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValueError("'published' must be a date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ValueError(f"'published' must be a date as YYYY-MM-DD, found {value[:40]!r}") \
            from None


def _from_line(line: str, where: str) -> Report:
    item = parse_json(line, where)
    if not isinstance(item, dict):
        raise ValueError("expected an object with 'id' and 'text'")
    rid, text = item.get("id"), item.get("text")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str) or not rid.strip() or len(rid) > 300:
        raise ValueError("'id' must be a string (or integer) of 1 to 300 characters")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be a non-empty string")
    meta = {}
    for key in ("url", "outlet", "title"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{key}' must be a string")
        meta[key] = (value or "")[:2000]
    for value in (rid, text, *meta.values()):
        problem = text_problem(value)
        if problem:
            raise ValueError(f"a string holds {problem}")
    return Report(rid, text, where, url=meta["url"], outlet=meta["outlet"],
                  title=meta["title"], published=_date(item.get("published")))


def read_reports(files: Iterable[Path]) -> Iterator[Report | BadReport]:
    """The reports of the files, one at a time, in order."""
    for f in files:
        if f.suffix.lower() not in LINES_SUFFIXES:
            try:
                yield Report(str(f), read_text(f, "a report (text, Markdown or HTML)"), str(f))
            except InputError as exc:
                yield BadReport(str(f), str(f), exc.message)
            continue
        # bytes that are not UTF-8 become lone surrogates, which the JSON check refuses
        with f.open(encoding="utf-8", errors="surrogateescape", newline="") as fh:
            for number, line in bounded_lines(fh, MAX_LINE):
                where = f"{f}:{number}"
                if line is not None and not line.strip():
                    continue
                try:
                    if line is None:
                        raise ValueError(f"the line is longer than {MAX_LINE:,} characters")
                    yield _from_line(line, where)
                except InputError as exc:
                    yield BadReport(_line_id(line) or where, where, exc.message)
                except ValueError as exc:
                    yield BadReport(_line_id(line) or where, where, str(exc)[:300])


def _line_id(line: str | None) -> str:
    """The ``id`` of a JSON line that is otherwise bad, when it can be read."""
    try:
        item = json.loads(line or "")
    except (ValueError, RecursionError):
        return ""
    rid = item.get("id") if isinstance(item, dict) else None
    return str(rid)[:300] if isinstance(rid, str | int) and not isinstance(rid, bool) else ""


def tasks(reports: Iterable[Report | BadReport], skip: set[str],
          task_bytes: int = TASK_BYTES) -> Iterator[Task]:
    """The reports not yet done (their digest not in ``skip``; each digest once), grouped
    in order into tasks of about ``task_bytes`` characters of text."""
    seen = set(skip)
    task = Task()
    for r in reports:
        if r.digest in seen:
            continue
        seen.add(r.digest)
        task.reports.append(r)
        task.size += len(r.text) if isinstance(r, Report) else 0
        if task.size >= task_bytes or len(task.reports) >= TASK_REPORTS:
            yield task
            task = Task()
    if task.reports:
        yield task
