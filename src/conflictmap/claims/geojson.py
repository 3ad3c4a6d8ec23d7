"""Claims from a GeoJSON FeatureCollection: one Point feature per claim.

Each feature's ``properties`` hold the claim's fields (``id``, ``kind``, ``date``,
``summary``, ``actors``, ``note``, ``name``, ``precision``); its Point geometry is
where it happened (a ``null`` geometry leaves the ``name`` to the gazetteer).
Report metadata may come in a top-level ``report`` member (``title``, ``outlet``,
``url``, ``published``, ``country``). Errors name the feature's line.

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "c.geojson"
>>> _ = f.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature",'
...                  ' "properties": {"id": "a1", "kind": "retreat", "name": "Sheikh Aqil",'
...                  ' "summary": "Left the village."},'
...                  ' "geometry": {"type": "Point", "coordinates": [36.965, 36.28]}}]}')
>>> from conflictmap.claims import load_report
>>> c = load_report(f).claims[0]
>>> (c.id, c.kind.value, c.place.name, c.place.lat, c.place.lon)
('a1', 'retreat', 'Sheikh Aqil', 36.28, 36.965)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from conflictmap.claims.read import feature_lines, parse_json
from conflictmap.claims.validate import MAX_CLAIMS, Checker, claim_from, marked
from conflictmap.errors import InputError
from conflictmap.model import Report, Source


def _ends(geom: Any) -> list[tuple[float, float]]:
    """The last point of each line of an exported movement's (Multi)LineString."""
    if not isinstance(geom, dict):
        return []
    coords = geom.get("coordinates")
    lines = [coords] if geom.get("type") == "LineString" else coords or []
    out = []
    for line in lines if isinstance(lines, list | tuple) else []:
        if isinstance(line, list | tuple) and line and isinstance(line[-1], list | tuple) \
                and len(line[-1]) >= 2:
            out.append((line[-1][0], line[-1][1]))
    return out


def exported_claim(props: dict, geom: Any, line: int) -> dict:
    """A claim entry from a row of conflictmap's export (GeoJSON or GeoPackage): the place
    as written, where it was located, and a movement's destinations from its line."""
    def split(key: str) -> list[str]:
        value = props.get(key)
        return [v.strip() for v in value.split(";") if v.strip()] if isinstance(value, str) else []

    place: dict = {"name": props.get("place_written") or props.get("place")}
    if props.get("confidence") == "as given" or not place["name"]:
        # the input gave coordinates: keep them; a name the gazetteer found is found again,
        # with its outline, uncertainty and provenance
        place |= {"lat": props.get("latitude"), "lon": props.get("longitude")}
    if props.get("precision") in (1, 2, 3):
        place["precision"] = props["precision"]
    entry: dict = {"id": props.get("claim_id"), "kind": props.get("kind", ""),
                   "date": props.get("date") or None, "until": props.get("until") or None,
                   "actors": split("actors"), "note": props.get("note") or None,
                   "summary": props.get("summary"),
                   "time_precision": props.get("time_precision") or 1}
    if str(entry["kind"]).lower() == "movement":
        names = split("destinations")
        ends = _ends(geom)
        entry["from"] = marked(place, line)
        entry["to"] = [marked({"name": names[k] if k < len(names) else f"{y:.5f}, {x:.5f}",
                               "lat": y, "lon": x}, line) for k, (x, y) in enumerate(ends)]
    else:
        entry["place"] = marked(place, line)
    return marked(entry, line)


def claims_of_export(path: Path, rows: list[dict]) -> tuple:
    """The claims of the rows of an exported GeoPackage's claim layers."""
    chk = Checker(str(path))
    ids: set[str] = set()
    return tuple(claim_from(chk, exported_claim(row, row.get("geometry"), 0), i, rows, ids, None)
                 for i, row in enumerate(rows))


def load_geojson(path: Path, text: str, doc: Any = None) -> Report:
    """The claims of GeoJSON text (``doc``: the text already parsed)."""
    doc = parse_json(text, path) if doc is None else doc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(f"expected a GeoJSON FeatureCollection, found {found!r}",
                         path=str(path), line=1)
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise InputError("'features' must be a non-empty list of Point features",
                         path=str(path), line=1)
    if len(features) > MAX_CLAIMS:
        raise InputError(f"{len(features):,} features; a file holds at most {MAX_CLAIMS:,} "
                         "claims (split it into several files)", path=str(path), line=1)
    lines = feature_lines(text)
    chk = Checker(str(path))
    meta: dict = doc["report"] if isinstance(doc.get("report"), dict) else {}
    default_date = None
    if meta.get("published"):
        default_date = chk.date(marked(dict(meta), 1), "published")
    claims = []
    ids: set[str] = set()
    for i, feature in enumerate(features):
        line = lines[i] if i < len(lines) else 1
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(f"feature {i + 1} is not a GeoJSON Feature", path=str(path),
                             line=line)
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"feature {i + 1}: 'properties' must be an object",
                             path=str(path), line=line)
        if props.get("feature_type") in ("control_area", "frontline"):
            continue  # an export's areas are read by the control loader; frontlines are derived
        if "claim_id" in props:  # a feature of conflictmap's own export: read it back
            claims.append(claim_from(chk, exported_claim(props, feature.get("geometry"), line),
                                     i, features, ids, default_date))
            continue
        name = props.get("name")
        place: dict = {"name": name}
        if props.get("precision") is not None:
            place["precision"] = props["precision"]
        geom = feature.get("geometry")
        if geom is not None:
            if not isinstance(geom, dict) or geom.get("type") != "Point":
                found = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
                raise InputError(f"feature {i + 1}: expected a Point geometry (or null), found "
                                 f"{found!r}; movements need a YAML claims file",
                                 path=str(path), line=line)
            coords = geom.get("coordinates")
            if (not isinstance(coords, list) or len(coords) < 2
                    or not all(isinstance(c, int | float) and not isinstance(c, bool)
                               for c in coords[:2])):
                raise InputError(f"feature {i + 1}: coordinates must be [longitude, latitude] "
                                 f"numbers, found {coords!r}"[:300], path=str(path), line=line)
            lon, lat = float(coords[0]), float(coords[1])
            if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
                hint = ("; GeoJSON puts longitude first: are they swapped?"
                        if abs(lat) > 90 >= abs(lon) else "")
                raise InputError(f"feature {i + 1}: coordinates [{coords[0]}, {coords[1]}] are "
                                 f"out of range (longitude -180..180, latitude -90..90){hint}",
                                 path=str(path), line=line)
            place |= {"lat": lat, "lon": lon}
        if not name:
            if geom is None:
                raise InputError(f"feature {i + 1} has neither a geometry nor a 'name'",
                                 path=str(path), line=line)
            place["name"] = f"{lat:.5f}, {lon:.5f}"
        actors = props.get("actors", props.get("actor"))
        entry = marked({
            "id": props.get("id", f"feature-{i + 1}"), "kind": props.get("kind", ""),
            "date": props.get("date"), "until": props.get("until"),
            "actors": actors if actors is not None else [],
            "note": props.get("note"), "summary": props.get("summary") or props.get("note")
            or f"{props.get('kind', '')} at {place['name']}",
            "time_precision": props.get("time_precision", 1),
            "place": marked(place, line),
        }, line)
        if "from" in props or "to" in props or str(entry["kind"]).lower() == "movement":
            raise InputError(f"feature {i + 1}: movements need from and to; use a YAML "
                             "claims file", path=str(path), line=line)
        claims.append(claim_from(chk, entry, i, features, ids, default_date))
    m = marked(dict(meta), 1)
    source = Source(title=chk.text(m, "title", limit=500) or path.stem,
                    outlet=chk.text(m, "outlet", limit=200), url=chk.url(m, "url"),
                    published=default_date)
    country = chk.text(m, "country", limit=2).upper()
    return Report(source=source, claims=tuple(claims), country=country, path=str(path))
