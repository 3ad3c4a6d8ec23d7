"""The claims of a batch (``OUT/claims.parquet``, a GeoParquet file or its partitioned
folder) as reports, one per source report, with the coordinates the batch found.

Every value is checked as in any other input: a claim kind the map does not know, a
coordinate off the globe or a date that is not one is an error naming the file and the
row. A movement's destinations come from its line geometry.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from shapely.errors import ShapelyError

from conflictmap.claims.read import text_problem
from conflictmap.claims.validate import MAX_ACTOR, MAX_ACTORS, MAX_NAME
from conflictmap.errors import InputError
from conflictmap.kinds import ClaimKind
from conflictmap.model import Claim, PlaceRef, Precision, Report, Source

MAX_BATCH_CLAIMS = 500_000  #: rows of one claims.parquet a map is built from
COLUMNS = ("report_id", "event_id_cnty", "event_date", "conflictmap_until", "time_precision",
           "conflictmap_kind", "actors", "summary", "location", "latitude", "longitude",
           "geo_precision", "destinations", "source", "source_title", "source_published",
           "conflictmap_source_url", "geometry")


def is_batch_claims(path: Path) -> bool:
    return path.name.endswith(".parquet")


def _text(row: dict, key: str, where: str, path: Path, limit: int) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be text", path=str(path))
    problem = text_problem(value)
    if problem:
        raise InputError(f"{where}: '{key}' holds {problem}", path=str(path))
    return value.strip()[:limit]


def _day(row: dict, key: str, where: str, path: Path) -> dt.date | None:
    value = _text(row, key, where, path, 40)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"{where}: '{key}' must be a date as YYYY-MM-DD, found {value!r}",
                         path=str(path)) from None


def _number(row: dict, key: str, where: str, path: Path, limit: float) -> float:
    value = row.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) \
            or not math.isfinite(value) or abs(value) > limit:
        raise InputError(f"{where}: '{key}' must be a number within ±{limit:g}, found "
                         f"{value!r}"[:200], path=str(path))
    return float(value)


def _claim(row: dict, number: int, path: Path, ids: set[str]) -> Claim:
    where = f"row {number}"
    kind_name = _text(row, "conflictmap_kind", where, path, 40)
    try:
        kind = ClaimKind(kind_name)
    except ValueError:
        raise InputError(f"{where}: unknown claim kind {kind_name!r}", path=str(path)) from None
    lat = _number(row, "latitude", where, path, 90)
    lon = _number(row, "longitude", where, path, 180)
    precision = row.get("geo_precision")
    place = PlaceRef(_text(row, "location", where, path, MAX_NAME) or f"{lat:.5f}, {lon:.5f}",
                     Precision(precision) if precision in (1, 2, 3) else None, lat, lon)
    destinations: tuple[PlaceRef, ...] = ()
    if kind is ClaimKind.MOVEMENT:
        names = [n.strip() for n in _text(row, "destinations", where, path, 5000).split(";")]
        geom = row.get("geometry")
        lines = list(getattr(geom, "geoms", [geom])) if geom is not None else []
        ends = [line.coords[-1] for line in lines if hasattr(line, "coords")]
        destinations = tuple(
            PlaceRef((names[i] if i < len(names) and names[i] else f"{y:.5f}, {x:.5f}")[:MAX_NAME],
                     None, float(y), float(x))
            for i, (x, y) in enumerate(ends) if abs(y) <= 90 and abs(x) <= 180)
        if not destinations:
            raise InputError(f"{where}: a movement needs a line to its destinations",
                             path=str(path))
    actors = tuple(a.strip()[:MAX_ACTOR] for a in _text(row, "actors", where, path, 5000)
                   .split(";") if a.strip())[:MAX_ACTORS]
    base = _text(row, "event_id_cnty", where, path, 100) or f"row-{number}"
    cid, n = base, 2
    while cid in ids:
        cid, n = f"{base}-{n}", n + 1
    ids.add(cid)
    tp = row.get("time_precision")
    return Claim(
        id=cid, kind=kind, summary=_text(row, "summary", where, path, 2000) or kind.label,
        date=_day(row, "event_date", where, path), actors=actors,
        place=None if kind is ClaimKind.MOVEMENT else place,
        origin=place if kind is ClaimKind.MOVEMENT else None, destinations=destinations,
        time_precision=tp if tp in (1, 2, 3) else 1,
        until=_day(row, "conflictmap_until", where, path))


def load_batch_claims(path: str | Path) -> list[Report]:
    """The reports of a batch's claims (see the module docstring)."""
    path = Path(path)
    try:
        import geopandas as gpd  # heavy: only batch results need it

        # one thread: Arrow's pools left running can abort the process at exit
        frame = gpd.read_parquet(path, columns=list(COLUMNS), use_threads=False)
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except (OSError, ValueError, KeyError, TypeError, ShapelyError) as exc:
        # pyarrow's errors (a damaged part), geopandas' and GEOS's (WKB that is no geometry)
        raise InputError(f"cannot read the batch claims: {exc}"[:300], path=str(path)) from None
    if len(frame) > MAX_BATCH_CLAIMS:
        raise InputError(f"{len(frame):,} claims; a map is built from at most "
                         f"{MAX_BATCH_CLAIMS:,} (run the batch on fewer reports)",
                         path=str(path))
    frame = frame.sort_values(["report_id", "event_id_cnty"], kind="stable")
    rows: list[dict[str, Any]] = frame.to_dict("records")
    reports: dict[str, tuple[Source, list[Claim], set[str]]] = {}
    for number, row in enumerate(rows, 1):
        rid = _text(row, "report_id", f"row {number}", path, 300)
        if rid not in reports:
            url = _text(row, "conflictmap_source_url", f"row {number}", path, 2000)
            source = Source(title=_text(row, "source_title", f"row {number}", path, 500) or rid,
                            outlet=_text(row, "source", f"row {number}", path, 200),
                            url=url if re.match(r"https?://[^\s]+$", url) else "",
                            published=_day(row, "source_published", f"row {number}", path))
            reports[rid] = (source, [], set())
        source, claims, ids = reports[rid]
        claims.append(_claim(row, number, path, ids))
    return [Report(source=source, claims=tuple(claims), path=str(path))
            for source, claims, _ in reports.values()]
