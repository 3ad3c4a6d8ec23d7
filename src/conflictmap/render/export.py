"""Claims as data: GeoJSON and GeoPackage (through geopandas) and CSV with ACLED's
column names, one feature or row per claim.

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
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from conflictmap.atomic import write_bytes_atomic
from conflictmap.errors import OutputError

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type",
                 "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
                 "notes", "conflictmap_kind", "conflictmap_place_written", "conflictmap_source_url",
                 "conflictmap_gazetteer")

_ACLED_TYPES = {
    "advance": ("Battles", "Armed clash"),
    "retreat": ("Strategic developments", "Change to group/activity"),
    "besieged": ("Battles", "Armed clash"),
    "target": ("Strategic developments", "Other"),
    "movement": ("Strategic developments", "Change to group/activity"),
    "control": ("Strategic developments", "Other"),
    "mention": ("Strategic developments", "Other"),
}


def acled_type(kind: str, actors: Sequence[str], summary: str = "") -> tuple[str, str]:
    """ACLED ``event_type`` and ``sub_event_type`` nearest to a claim kind.

    >>> acled_type("captured", ["Syrian government forces"])
    ('Battles', 'Government regains territory')
    >>> acled_type("captured", ["Hayat Tahrir al-Sham"])
    ('Battles', 'Non-state actor overtakes territory')
    """
    if kind == "captured":
        first = (actors[0] if actors else "").lower()
        gov = any(w in first for w in ("government", "army", "armed forces", "state"))
        return "Battles", ("Government regains territory" if gov
                           else "Non-state actor overtakes territory")
    if kind == "control" and any(w in summary.lower() for w in ("base", "stronghold",
                                                                "headquarters")):
        return "Strategic developments", "Headquarters or base established"
    return _ACLED_TYPES[kind]


def _geometry(claim: dict):
    from shapely.geometry import LineString, MultiLineString, Point, Polygon

    first = claim["places"][0]
    if claim["kind"] == "movement" and len(claim["places"]) > 1:
        lines = [LineString([(first["lon"], first["lat"]), (d["lon"], d["lat"])])
                 for d in claim["places"][1:]]
        return lines[0] if len(lines) == 1 else MultiLineString(lines)
    outline = first.get("outline")
    if outline:
        rings = outline if isinstance(outline[0][0], list) else [outline]
        polys = [Polygon([(lon, lat) for lat, lon in ring]) for ring in rings]
        if len(polys) == 1:
            return polys[0]
        from shapely.geometry import MultiPolygon

        return MultiPolygon(polys)
    return Point(first["lon"], first["lat"])


def claim_rows(claims: list[dict], sources: list[dict]) -> list[dict]:
    """One flat record per claim: every field, the place's precision and source."""
    rows = []
    for c in claims:
        first = c["places"][0]
        src = sources[c.get("source", 0)]
        rows.append({
            "claim_id": c["id"], "kind": c["kind"], "summary": c["summary"],
            "actors": "; ".join(c["actors"]), "date": c["date"] or "",
            "time_precision": c["time_precision"], "note": c["note"],
            "checks": " | ".join(c.get("checks", [])),
            "place": first["name"], "place_written": first["query"],
            "destinations": "; ".join(d["name"] for d in c["places"][1:]),
            "precision": first["precision"], "precision_label": first["precision_label"],
            "confidence": first["confidence"], "uncertainty_km": first["uncertainty_km"],
            "gazetteer_source": first["source"], "geonameid": first["geonameid"] or 0,
            "country": first.get("country", ""), "admin1": first.get("admin1", ""),
            "admin2": first.get("admin2", ""), "latitude": first["lat"], "longitude": first["lon"],
            "source_title": src.get("title", ""), "source_outlet": src.get("outlet", ""),
            "source_url": src.get("url", ""), "source_published": src.get("published", ""),
            "geometry": _geometry(c),
        })
    return rows


def frame(claims: list[dict], sources: list[dict]):
    import geopandas as gpd

    rows = claim_rows(claims, sources)
    columns = [k for k in (rows[0] if rows else {"claim_id": ""}) if k != "geometry"]
    return gpd.GeoDataFrame(rows, columns=[*columns, "geometry"] if rows else columns,
                            geometry="geometry" if rows else None, crs="EPSG:4326")


def _via_temp(path: Path, write) -> None:
    """Let a writer that needs a file name write a temporary file, then rename it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        os.unlink(tmp)  # the writer creates it
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except Exception as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc}") from None


def write_geojson(claims: list[dict], sources: list[dict], path: Path) -> int:
    gdf = frame(claims, sources)
    write_bytes_atomic(path, gdf.to_json(sort_keys=True, drop_id=True).encode("utf-8"))
    return Path(path).stat().st_size


def write_gpkg(claims: list[dict], sources: list[dict], path: Path) -> int:
    """One layer per geometry kind (points, areas, movements); each claim once."""
    gdf = frame(claims, sources)

    def write(tmp: str) -> None:
        kinds = {"points": ("Point",), "areas": ("Polygon", "MultiPolygon"),
                 "movements": ("LineString", "MultiLineString")}
        for layer, types in kinds.items():
            part = gdf[gdf.geom_type.isin(types)]
            if len(part):
                part.to_file(tmp, layer=layer, driver="GPKG")
        con = sqlite3.connect(tmp)  # GDAL stamps the time of writing: make it stable
        with con:
            con.execute("UPDATE gpkg_contents SET last_change = '2000-01-01T00:00:00.000Z'")
        con.close()

    _via_temp(path, write)
    return Path(path).stat().st_size


def csv_text(claims: list[dict], sources: list[dict]) -> str:
    """ACLED-style rows; cells that a spreadsheet would run as a formula are quoted with '."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ACLED_COLUMNS)
    for r in claim_rows(claims, sources):
        actors = r["actors"].split("; ") if r["actors"] else []
        event_type, sub = acled_type(r["kind"], actors, r["summary"])
        notes = " ".join(x for x in (r["summary"], r["note"], r["checks"]) if x)
        if r["destinations"]:
            notes += f" Destinations: {r['destinations']}."
        row = [r["claim_id"], r["date"], r["date"][:4], r["time_precision"], event_type, sub,
               actors[0] if actors else "", actors[1] if len(actors) > 1 else "",
               r["country"], r["admin1"], r["admin2"], r["place"], f"{r['latitude']:.5f}",
               f"{r['longitude']:.5f}", r["precision"], r["source_outlet"] or r["source_title"],
               "", notes, r["kind"], r["place_written"], r["source_url"], r["gazetteer_source"]]
        w.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(claims: list[dict], sources: list[dict], path: Path) -> int:
    data = csv_text(claims, sources).encode("utf-8")
    write_bytes_atomic(path, data)
    return len(data)
