"""Claims as data: GeoJSON and GeoPackage (through geopandas) and CSV with ACLED's
column names, one feature or row per claim; GeoJSON and GeoPackage also carry the
control areas and the frontlines of every snapshot.

Every GeoJSON feature has a ``feature_type``: ``claim``, ``control_area`` or
``frontline``. A GeoPackage has one layer per kind: ``points``, ``areas`` and
``movements`` (claims), ``control_areas`` and ``frontlines``. A claim keeps both ends
of its time span: ``date`` and ``until`` (ACLED's ``event_date`` is the start; the CSV's
``conflictmap_until`` the end).

A claim at a point is a Point; at an area with an outline, a Polygon; a movement,
a LineString from its origin to each destination. Every field of the claim is
kept, with the place's precision and gazetteer source.

ACLED's codebook has no "advance" or "foothold": ``event_type`` and
``sub_event_type`` are the nearest ACLED categories, and ``conflictmap_kind``
keeps the claim's own kind. The mapping:

==========  ========================  ====================================================
kind        event_type                sub_event_type
==========  ========================  ====================================================
captured    Battles                   Government regains territory / Non-state actor
                                      overtakes territory (by the first actor's name)
advance     Battles                   Armed clash
retreat     Strategic developments    Change to group/activity
besieged    Battles                   Armed clash
target      Strategic developments    Other
movement    Strategic developments    Change to group/activity
control     Strategic developments    Headquarters or base established / Other
mention     Strategic developments    Other
==========  ========================  ====================================================
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

from shapely import wkt

from conflictmap.atomic import atomic_path, write_bytes_atomic
from conflictmap.control import SNAP_KM, frontline_history, km2, shape_of
from conflictmap.errors import OutputError
from conflictmap.kinds import acled_type
from conflictmap.locate import MappedReport

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type",
                 "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
                 "notes", "conflictmap_kind", "conflictmap_place_written", "conflictmap_source_url",
                 "conflictmap_gazetteer", "conflictmap_until", "conflictmap_summary",
                 "conflictmap_note", "conflictmap_actors", "conflictmap_destinations")


def claim_rows(mapped: MappedReport) -> list[dict]:
    """One flat record per claim: every field, the place's precision and source."""
    rows = []
    for c in mapped.claims:
        first = c.where
        p = first.place
        claim = c.claim
        src = mapped.source_of(c).as_dict()
        rows.append({
            "claim_id": claim.id, "kind": claim.kind.value, "summary": claim.summary,
            "actors": "; ".join(claim.actors), "date": claim.date.isoformat() if claim.date else "",
            "until": claim.until.isoformat() if claim.until else "",
            "time_precision": claim.time_precision, "note": claim.note,
            "checks": " | ".join(m.text for m in c.checks),
            "place": p.name, "place_written": first.ref.name,
            "destinations": "; ".join(d.place.name for d in c.destinations),
            "precision": int(first.precision), "precision_label": first.precision.label,
            "confidence": p.confidence, "uncertainty_km": p.uncertainty_km,
            "gazetteer_source": p.source, "geonameid": p.geonameid or 0,
            "country": p.country, "admin1": p.admin1,
            "admin2": p.admin2, "latitude": first.lat, "longitude": first.lon,
            "source_title": src["title"], "source_outlet": src["outlet"],
            "source_url": src["url"], "source_published": src["published"],
            "geometry": c.geometry(),
        })
    return rows


def control_rows(mapped: MappedReport) -> list[dict]:
    """One record per control area (dissolved), with its actor's colour."""
    palette = mapped.palette
    return [{"actor": a.actor, "status": a.status, "valid_from": a.valid_from.isoformat(),
             "valid_until": a.valid_until.isoformat() if a.valid_until else "",
             "source": a.source, "note": a.note, "claim": a.claim,
             "colour": palette.colour(a.actor),
             "km2": round(km2(shape_of(a)), 1), "geometry": shape_of(a)}
            for a in mapped.control]


def frontline_rows(mapped: MappedReport) -> list[dict]:
    """One record per frontline of every snapshot date."""
    return [{"actors": " | ".join(f.actors), "valid_from": f.day.isoformat(),
             "valid_until": f.until.isoformat() if f.until else "", "km": round(f.km, 2),
             "snap_km": SNAP_KM, "geometry": wkt.loads(f.geometry_wkt)}
            for f in frontline_history(mapped.control)]


def _frame(rows: list[dict], empty: str):
    import geopandas as gpd

    if not rows:
        return gpd.GeoDataFrame({empty: []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    columns = [k for k in rows[0] if k != "geometry"]
    return gpd.GeoDataFrame(rows, columns=[*columns, "geometry"], geometry="geometry",
                            crs="EPSG:4326")


def frame(mapped: MappedReport):
    """The claims as a GeoDataFrame (EPSG:4326), one row per claim."""
    return _frame(claim_rows(mapped), "claim_id")


def layers(mapped: MappedReport) -> dict[str, Any]:
    """Every layer of the exports, by its ``feature_type``: claims, control areas and
    frontlines (the last two only when there are control areas)."""
    out = {"claim": frame(mapped)}
    if mapped.control:
        out["control_area"] = _frame(control_rows(mapped), "actor")
        out["frontline"] = _frame(frontline_rows(mapped), "actors")
    return out


def write_geojson(mapped: MappedReport, path: Path) -> int:
    features = []
    for kind, gdf in layers(mapped).items():
        if len(gdf):
            for f in json.loads(gdf.to_json(sort_keys=True, drop_id=True))["features"]:
                f["properties"] = {"feature_type": kind, **f["properties"]}
                features.append(f)
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    claim_sources = {c.report for c in mapped.claims}
    if len(claim_sources) == 1:  # read back by `build` (a foreign member GeoJSON allows)
        report = mapped.reports[claim_sources.pop()].report
        doc["report"] = {**report.source.as_dict(), "country": report.country}
    write_bytes_atomic(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    return Path(path).stat().st_size


def _settle_change_counter(path: Path) -> None:
    """SQLite counts the transactions that changed a file in its header (bytes 24-27,
    repeated at 92-95 as the number the header is valid for); GDAL's count varies from run
    to run, so the same claims would give different bytes. Both are set to 1, which
    SQLite reads as a consistent header."""
    with open(path, "r+b") as f:
        for offset in (24, 92):
            f.seek(offset)
            f.write((1).to_bytes(4, "big"))


def write_gpkg(mapped: MappedReport, path: Path) -> int:
    """One layer per geometry kind of the claims (points, areas, movements), each claim
    once, and the control areas and frontlines."""
    found = layers(mapped)
    gdf = found.pop("claim")
    kinds = {"points": ("Point",), "areas": ("Polygon", "MultiPolygon"),
             "movements": ("LineString", "MultiLineString")}
    parts = [(layer, gdf[gdf.geom_type.isin(types)]) for layer, types in kinds.items()]
    parts += [("control_areas", found.get("control_area")), ("frontlines", found.get("frontline"))]
    with atomic_path(path, ".gpkg") as tmp:
        try:
            for layer, part in parts:
                if part is not None and len(part):
                    part.to_file(tmp, layer=layer, driver="GPKG")
            con = sqlite3.connect(tmp)  # GDAL stamps the time of writing: make it stable
            with con:
                con.execute("UPDATE gpkg_contents SET last_change = '2000-01-01T00:00:00.000Z'")
            con.execute("VACUUM")  # the same pages in the same order, whatever GDAL did
            con.close()
            _settle_change_counter(tmp)
        except (OSError, ValueError, RuntimeError, sqlite3.Error) as exc:  # GDAL's errors
            raise OutputError(f"cannot write {path}: {exc}") from None
    return Path(path).stat().st_size


def acled_rows(mapped: MappedReport) -> list[dict]:
    """One record per claim with ACLED's column names (:data:`ACLED_COLUMNS`), typed:
    coordinates as floats, precisions as integers."""
    out = []
    for c, r in zip(mapped.claims, claim_rows(mapped), strict=True):
        actors = c.claim.actors
        event_type, sub = acled_type(c.claim.kind, actors, r["summary"])
        notes = " ".join(x for x in (r["summary"], r["note"], r["checks"]) if x)
        if r["destinations"]:
            notes += f" Destinations: {r['destinations']}."
        out.append({
            "event_id_cnty": r["claim_id"], "event_date": r["date"], "year": r["date"][:4],
            "time_precision": int(r["time_precision"]), "event_type": event_type,
            "sub_event_type": sub, "actor1": actors[0] if actors else "",
            "actor2": actors[1] if len(actors) > 1 else "", "country": r["country"],
            "admin1": r["admin1"], "admin2": r["admin2"], "location": r["place"],
            "latitude": r["latitude"], "longitude": r["longitude"],
            "geo_precision": int(r["precision"]),
            "source": r["source_outlet"] or r["source_title"], "source_scale": "",
            "notes": notes, "conflictmap_kind": r["kind"],
            "conflictmap_place_written": r["place_written"],
            "conflictmap_source_url": r["source_url"],
            "conflictmap_gazetteer": r["gazetteer_source"], "conflictmap_until": r["until"],
            # what `build` needs to read the row back whole (ACLED's columns merge or cut it)
            "conflictmap_summary": r["summary"], "conflictmap_note": r["note"],
            "conflictmap_actors": r["actors"],
            "conflictmap_destinations": json.dumps(
                [{"name": d.ref.name, "lat": d.lat, "lon": d.lon,
                  "given": d.place.confidence == "as given"} for d in c.destinations],
                ensure_ascii=False) if c.destinations else "",
        })
    return out


_NUMBERS = {"latitude": "{:.5f}", "longitude": "{:.5f}", "geo_precision": "{}",
            "time_precision": "{}"}


def csv_text(mapped: MappedReport) -> str:
    """ACLED-style rows. Text cells that a spreadsheet would run as a formula are quoted
    with ' ; numbers (negative coordinates included) are written as numbers, and a cell
    holding a line break of any kind is quoted."""
    out = io.StringIO()
    out.write(csv_line(ACLED_COLUMNS))
    for row in acled_rows(mapped):
        out.write(csv_line([_NUMBERS[k].format(row[k]) if k in _NUMBERS else csv_cell(row[k])
                            for k in ACLED_COLUMNS]))
    return out.getvalue()


def csv_line(cells) -> str:
    """One CSV row ending in "\n". The writer is told "\r\n" ends a row so that a cell
    holding either character alone is quoted too (with "\n" only, a bare carriage
    return stays unquoted and a spreadsheet starts a new row there)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()[:-2] + "\n"


def csv_cell(value: object) -> str:
    """Text from the input, guarded: a cell a spreadsheet would read as a formula starts
    with ' . Numbers are written as numbers (a negative one is no formula).

    >>> csv_cell("=HYPERLINK(1)"), csv_cell(-304.0), csv_cell("-304")
    ("'=HYPERLINK(1)", '-304.0', "'-304")
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(mapped: MappedReport, path: Path) -> int:
    data = csv_text(mapped).encode("utf-8")
    write_bytes_atomic(path, data)
    return len(data)
