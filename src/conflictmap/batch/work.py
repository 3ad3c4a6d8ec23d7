"""What a worker does with one task: for every report, extract its mentions and claims,
resolve and locate them, and write the rows of the task into the output folder.

A worker process opens the gazetteer (and its name finder) once, read-only, through
:func:`worker_gazetteer`: a process pool calls it as the pool's initializer, a Dask
worker through :class:`conflictmap.batch.cluster.GazetteerPlugin`. Any failure of one
report becomes its error row; it never stops the task.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
from dataclasses import dataclass
from typing import Any

from conflictmap.batch.inputs import BadReport, Report, Task
from conflictmap.batch.store import Store
from conflictmap.extract import Analysis, default_matcher, extract
from conflictmap.extract.text import document_of
from conflictmap.gazetteer import Gazetteer, default_gazetteer
from conflictmap.locate import locate, map_reports
from conflictmap.model import Resolution
from conflictmap.render.export import acled_rows, claim_rows

#: How often this process opened the gazetteer (once, in a worker), and the one it opened.
STATE: dict[str, Any] = {"gazetteer": None, "opened": 0}


def worker_gazetteer() -> Gazetteer:
    """The gazetteer of this process and its name finder, opened on first use only."""
    if STATE["gazetteer"] is None:
        logging.getLogger("conflictmap").setLevel(logging.WARNING)  # no index progress bars
        STATE["gazetteer"] = default_gazetteer()
        default_matcher()
        STATE["opened"] += 1
    return STATE["gazetteer"]


@dataclass(frozen=True)
class TaskResult:
    task: str
    reports: int
    failed: int
    mentions: int
    claims: int
    chars: int
    pid: int = 0  #: the worker process
    peak_mb: float = 0.0  #: its peak resident memory so far


def _year_month(day: str) -> tuple[int, int]:
    return (int(day[:4]), int(day[5:7])) if day else (0, 0)


def _document(report: Report):
    doc = document_of(report.text, report.path)
    meta = doc.meta
    if report.published:
        meta.published = dt.date.fromisoformat(report.published)
    for key in ("url", "outlet", "title"):
        if getattr(report, key):
            setattr(meta, key, getattr(report, key))
    return doc


def mention_rows(report: Report, a: Analysis, day: str) -> list[dict]:
    rows = []
    for m in a.mentions:
        r = m.resolution
        p = r.place if r is not None and r.located else None
        rows.append({
            "report_id": report.id, "report_hash": report.digest, "date": day,
            "text": m.text, "span_start": m.start, "span_end": m.end, "role": m.role,
            "why": m.why, "query": m.query, "status": r.status.value if r else "unresolved",
            "reason": r.reason if r else "", "name": p.name if p else "",
            "latitude": round(p.lat, 5) if p else float("nan"),
            "longitude": round(p.lon, 5) if p else float("nan"),
            "kind": p.kind if p else "", "country": p.country if p else "",
            "geo_precision": int(r.precision or 1) if p and r else 0,
            "uncertainty_km": float(p.uncertainty_km) if p else 0.0,
            "gazetteer": p.source if p else "", "geonameid": int(p.geonameid or 0) if p else 0,
            "geometry": (p.lon, p.lat) if p else None,
            "year": _year_month(day)[0], "month": _year_month(day)[1],
        })
    return rows


_DRAFT_ID = re.compile(r"draft-(\d+)$")


def claim_rows_of(report: Report, a: Analysis, gazetteer: Gazetteer) -> list[dict]:
    if not a.claims:
        return []
    drafted = a.to_report()
    known: dict[str, Resolution] = {}  # the extraction's answers for the claims' places
    for claim, found in zip(drafted.claims, a.claims, strict=True):
        pairs = [(claim.place or claim.origin, found.mention),
                 *zip(claim.destinations, found.destinations, strict=False)]
        for ref, m in pairs:
            if ref is not None and ref.lat is None and m.resolution is not None:
                known.setdefault(ref.name, m.resolution)
    mapped = map_reports(locate(drafted, gazetteer, known=known))
    rows = []
    for acled, full, lc in zip(acled_rows(mapped), claim_rows(mapped), mapped.claims,
                               strict=True):
        number = _DRAFT_ID.match(lc.claim.id)
        draft = a.claims[int(number.group(1)) - 1] if number else None
        rows.append({
            **acled, "report_id": report.id, "report_hash": report.digest,
            "summary": full["summary"], "actors": full["actors"],
            "destinations": full["destinations"], "source_title": full["source_title"],
            "source_published": full["source_published"] or "",
            "span_start": draft.mention.start if draft else -1,
            "span_end": draft.mention.end if draft else -1,
            "geometry": full["geometry"], "year": _year_month(acled["event_date"])[0],
            "month": _year_month(acled["event_date"])[1],
        })
    return rows


def _points(rows: list[dict]) -> list[dict]:
    from shapely.geometry import Point

    for row in rows:
        g = row["geometry"]
        row["geometry"] = Point(g) if isinstance(g, tuple) else g
    return rows


def _draft_name(report: Report) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", report.id.rsplit("/", 1)[-1])[:80].strip("-.")
    return f"{stem or 'report'}-{report.digest[:10]}.yaml"


def run_task(task: Task, out: str, drafts: bool = False) -> TaskResult:
    """Analyse the task's reports and write their rows; the reports row goes last."""
    import pyarrow as pa  # the batch extra
    gazetteer = worker_gazetteer()
    store = Store(out)
    claims: list[dict] = []
    mentions: list[dict] = []
    reports: list[dict] = []
    chars = 0
    task_id = task.id
    for r in task.reports:
        t0 = time.perf_counter()
        row = {"report_id": r.id, "report_hash": r.digest, "path": r.path, "title": "",
               "outlet": "", "url": "", "published": "", "mentions": 0, "claims": 0,
               "chars": 0, "status": "error", "reason": "", "seconds": 0.0, "task": task_id}
        if isinstance(r, BadReport):
            reports.append(row | {"reason": r.reason})
            continue
        try:
            a = extract(_document(r), gazetteer)
            meta = a.document.meta
            day = meta.published.isoformat() if meta.published else ""
            found = mention_rows(r, a, day)
            drafted = claim_rows_of(r, a, gazetteer)
            if drafts and a.claims:
                store.write_bytes(store.path("drafts", _draft_name(r)),
                                  a.draft_yaml(r.id).encode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - one report's failure, whatever it is, is its own
            reports.append(row | {"reason": f"{type(exc).__name__}: {exc}"[:500],
                                  "chars": len(r.text),
                                  "seconds": round(time.perf_counter() - t0, 4)})
            continue
        mentions += found
        claims += drafted
        chars += len(r.text)
        reports.append(row | {
            "title": meta.title[:500], "outlet": meta.outlet[:200], "url": meta.url[:2000],
            "published": day, "mentions": len(found), "claims": len(drafted),
            "chars": len(r.text), "status": "ok", "seconds": round(time.perf_counter() - t0, 4)})
    store.write_rows("claims", task_id, claims)
    store.write_rows("mentions", task_id, _points(mentions))
    store.write_table(store.path("reports.parquet", f"part-{task_id}.parquet"),
                      pa.Table.from_pylist(reports))
    failed = sum(r["status"] == "error" for r in reports)
    return TaskResult(task_id, len(reports), failed, len(mentions), len(claims), chars,
                      os.getpid(), peak_mb())


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux and macOS)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
