"""The output folder of a batch (a local path or any fsspec URL), written so that a run
killed at any moment and run again gives the same rows as one run.

::

    OUT/claims.parquet/year=2020/month=2/part-<task>.parquet    GeoParquet, one row per claim
    OUT/mentions.parquet/year=2020/month=2/part-<task>.parquet  GeoParquet, one row per mention
    OUT/reports.parquet/part-<task>.parquet                     one row per report
    OUT/errors.jsonl                                            the reports that failed
    OUT/drafts/<report>.yaml                                    with --drafts

Every file is written under a temporary name and renamed into place. A task's row of
``reports.parquet`` is written last: it is what marks its reports done. Claims without a
date go to ``year=0/month=0`` (mentions: by the report's date).
"""

from __future__ import annotations

import functools
import io
import json
import re
import uuid
from collections import defaultdict
from typing import Any

from conflictmap.errors import OutputError
from conflictmap.progress import log

PARTS = ("claims", "mentions")
_PART = re.compile(r"part-([0-9a-f]{20})\.parquet$")


def _fsspec():
    try:
        import fsspec  # the batch extra: conflictmap[batch]
    except ImportError:
        raise OutputError("conflictmap batch needs pyarrow and fsspec: "
                          "pip install 'conflictmap[batch]'") from None
    return fsspec


@functools.lru_cache(maxsize=1)
def _geo_metadata() -> bytes:
    """GeoParquet 1.1 metadata: one WKB ``geometry`` column in WGS 84 (longitude first)."""
    from pyproj import CRS

    return json.dumps({"version": "1.1.0", "primary_column": "geometry", "columns": {
        "geometry": {"encoding": "WKB", "geometry_types": [],
                     "crs": CRS.from_epsg(4326).to_json_dict()}}}).encode()


def geo_table(rows: list[dict]) -> Any:
    """Rows (each with a shapely ``geometry`` or None) as a GeoParquet-ready Arrow table;
    every other value a string, integer or float, never None."""
    import pyarrow as pa  # the batch extra
    import shapely

    geoms = [row.pop("geometry") for row in rows]
    table = pa.Table.from_pylist(rows)
    wkb = pa.array(shapely.to_wkb(geoms).tolist(), type=pa.binary())
    table = table.append_column("geometry", wkb)
    return table.replace_schema_metadata({b"geo": _geo_metadata()})


class Store:
    """The output folder: where each part goes, what is done, atomic writes."""

    def __init__(self, url: str) -> None:
        self.url = str(url)
        self.fs, self.root = _fsspec().core.url_to_fs(self.url)
        self.root = self.root.rstrip("/")

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write under a temporary name beside ``path``, then rename it into place."""
        folder, _, name = path.rpartition("/")
        tmp = f"{folder}/.tmp-{uuid.uuid4().hex}-{name}"
        try:
            self.fs.makedirs(folder, exist_ok=True)
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc}") from None

    def write_table(self, path: str, table: Any) -> None:
        import pyarrow.parquet as pq  # the batch extra

        buf = io.BytesIO()
        pq.write_table(table, buf)
        self.write_bytes(path, buf.getvalue())

    def write_rows(self, name: str, task: str, rows: list[dict]) -> int:
        """The rows of one task as GeoParquet, a file per partition of their ``year`` and
        ``month``."""
        import pyarrow as pa  # the batch extra

        if not rows:
            return 0
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            groups[(row.pop("year"), row.pop("month"))].append(i)
        table = geo_table(rows)
        for (year, month), picked in sorted(groups.items()):
            self.write_table(self.path(f"{name}.parquet", f"year={year}", f"month={month}",
                                       f"part-{task}.parquet"), table.take(pa.array(picked)))
        return len(rows)

    def _parts(self, name: str) -> list[str]:
        base = self.path(f"{name}.parquet")
        if not self.fs.exists(base):
            return []
        return [p for p in self.fs.find(base) if _PART.search(p)]

    def _readable(self, path: str, columns: list[str] | None = None) -> Any:
        """The table of a part, or None when it cannot be read whole (damaged, cut short)."""
        import pyarrow as pa  # the batch extra
        import pyarrow.parquet as pq

        try:
            with self.fs.open(path, "rb") as fh:
                # one thread: Arrow's pools left running abort the process at exit
                return pq.read_table(fh, columns=columns, use_threads=False, pre_buffer=False)
        except (OSError, ValueError, pa.ArrowException) as exc:
            log.warning("%s cannot be read (%s); its task is done again", path, str(exc)[:200])
            return None

    def done(self) -> tuple[set[str], set[str]]:
        """The tasks whose reports row is written and every part of which reads whole, and
        the digests of their reports. A task with a damaged part is not done: its reports
        row is removed, so :meth:`tidy` removes its other parts and the run redoes it."""
        tasks: dict[str, set[str]] = {}
        for p in self._parts("reports"):
            match = _PART.search(p)
            assert match is not None
            table = self._readable(p, ["report_hash"])
            if table is None:
                self.fs.rm(p)
                continue
            tasks[match.group(1)] = set(table.column("report_hash").to_pylist())
        for part in PARTS:
            for p in self._parts(part):
                match = _PART.search(p)
                assert match is not None
                task = match.group(1)
                if task in tasks and self._readable(p) is None:
                    self.fs.rm(self.path("reports.parquet", f"part-{task}.parquet"))
                    del tasks[task]
        return set(tasks), {d for digests in tasks.values() for d in digests}

    def lock(self) -> Any:
        """Held while a run writes here: a second run on the same output is refused (two
        runs would each take the other's parts for an interrupted run's)."""
        return _OutputLock(self)

    def tidy(self, done: set[str]) -> int:
        """Remove what a killed run left: temporary files, and parts of tasks whose
        reports row was never written (they are redone). Returns how many went."""
        gone = 0
        if not self.fs.exists(self.root):
            return 0
        for p in self.fs.find(self.root):
            name = p.rsplit("/", 1)[-1]
            match = _PART.search(name)
            orphan = match is not None and match.group(1) not in done and any(
                f"/{part}.parquet/" in p for part in PARTS)
            if name.startswith(".tmp-") or orphan:
                self.fs.rm(p)
                gone += 1
        return gone

    def reports(self) -> list[dict]:
        """Every report row written so far (a part that cannot be read is left out)."""
        rows: list[dict] = []
        for p in sorted(self._parts("reports")):
            table = self._readable(p)
            rows += table.to_pylist() if table is not None else []
        return rows

    def write_errors(self) -> int:
        """``errors.jsonl`` from the report rows: one line per report that failed."""
        failed = sorted((r for r in self.reports() if r["status"] == "error"),
                        key=lambda r: (r["report_id"], r["report_hash"]))
        lines = [json.dumps({"id": r["report_id"], "path": r["path"], "reason": r["reason"]},
                            ensure_ascii=False) for r in failed]
        self.write_bytes(self.path("errors.jsonl"),
                         ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"))
        return len(lines)


class _OutputLock:
    """``OUT/.conflictmap-batch.lock``: on a local disk an advisory lock the system drops
    when the process ends (a killed run never leaves it stale); elsewhere (fsspec URLs) a
    file naming the run, created only when absent."""

    NAME = ".conflictmap-batch.lock"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path(self.NAME)
        self.handle: Any = None

    def _refuse(self, holder: str) -> OutputError:
        return OutputError(f"another batch run is writing to {self.store.url} ({holder}); wait "
                           "for it to finish, or write to another output folder")

    def __enter__(self) -> _OutputLock:
        import os

        fs = self.store.fs
        try:
            fs.makedirs(self.store.root, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {self.store.url}: {exc}") from None
        me = f"pid {os.getpid()} on {os.uname().nodename}"
        if "file" in fs.protocol or "local" in fs.protocol:
            import fcntl

            self.handle = open(self.path, "a+")  # noqa: SIM115 - held until __exit__
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.handle.seek(0)
                holder = self.handle.read().strip() or "another process"
                self.handle.close()
                raise self._refuse(holder) from None
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.write(me)
            self.handle.flush()
            return self
        if fs.exists(self.path):
            raise self._refuse(fs.cat_file(self.path).decode("utf-8", "replace")[:200]
                               + f"; remove {self.path} if that run is gone")
        fs.pipe_file(self.path, me.encode())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()  # the lock goes with the descriptor
        else:
            self.store.fs.rm(self.path)
