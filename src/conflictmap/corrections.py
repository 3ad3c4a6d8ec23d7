"""Place corrections: a small GeoJSON or CSV file of places whose position the user
fixed (dragged a marker, drew an area) in the map, applied with ``build --places``.

GeoJSON: a FeatureCollection of Point or Polygon features with a ``name`` property.
CSV: columns ``name, lat, lon`` and optionally ``wkt`` (a POLYGON). The map's
"Correct places" panel exports both.

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "fix.csv"
>>> _ = f.write_text("name,lat,lon\\nSheikh Aqil,36.281,36.962\\n")
>>> fixes = load_corrections(f)
>>> p = fixes["sheikh aqil"]
>>> (p.name, p.lat, p.lon, p.confidence)
('Sheikh Aqil', 36.281, 36.962, 'corrected by the user')
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape

from conflictmap.claims.read import read_text
from conflictmap.errors import InputError
from conflictmap.gazetteer.names import normalise
from conflictmap.model import Feature, Place


def _place(name: str, lat: float, lon: float, path: Path, line: int | None,
           outline: str | None = None) -> Place:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"coordinates of {name!r} are out of range: {lat}, {lon}",
                         path=str(path), line=line)
    where = f"{path.name}" + (f", line {line}" if line else "")
    return Place(key=f"correction:{normalise(name)}", name=name, lat=lat, lon=lon,
                 feature=Feature.AREA if outline else Feature.POINT,
                 kind="area drawn by the user" if outline else "position set by the user",
                 source=f"corrected in the map; {where}", confidence="corrected by the user",
                 precision=2 if outline else 1, names=(name,), geometry_wkt=outline,
                 origin="corrections")


def _from_geojson(path: Path, text: str) -> dict[str, Place]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed GeoJSON: {exc.msg}", path=str(path), line=exc.lineno,
                         column=exc.colno) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InputError("expected a GeoJSON FeatureCollection with 'features'", path=str(path))
    out: dict[str, Place] = {}
    for i, f in enumerate(features, 1):
        props = f.get("properties") if isinstance(f, dict) else None
        name = str((props or {}).get("name") or "").strip()
        if not name:
            raise InputError(f"feature {i} has no 'name' property", path=str(path))
        try:
            geom = shape(f.get("geometry"))
        except (ShapelyError, AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"feature {i} ({name!r}) has a bad geometry: {exc}",
                             path=str(path)) from None
        if geom.geom_type == "Point":
            out[normalise(name)] = _place(name, geom.y, geom.x, path, None)
        elif geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid and not geom.is_empty:
            c = geom.representative_point()
            out[normalise(name)] = _place(name, c.y, c.x, path, None, geom.wkt)
        else:
            raise InputError(f"feature {i} ({name!r}): expected a Point or a valid Polygon, "
                             f"found {geom.geom_type}", path=str(path))
    return out


def _from_csv(path: Path, text: str) -> dict[str, Place]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_csv(path, reader)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path),
                         line=max(1, reader.line_num)) from None


def _read_csv(path: Path, reader: csv.DictReader) -> dict[str, Place]:
    fields = [h.strip().lower() for h in reader.fieldnames or []]
    if not {"name", "lat", "lon"} <= set(fields):
        raise InputError(f"expected columns name, lat, lon (and optionally wkt); found {fields}",
                         path=str(path), line=1)
    out: dict[str, Place] = {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = row.get("name", "")
        if not name:
            raise InputError("empty name", path=str(path), line=line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise InputError(f"lat and lon must be numbers, found {row['lat']!r}, {row['lon']!r}",
                             path=str(path), line=line) from None
        outline = None
        if row.get("wkt"):
            try:
                geom = shapely_wkt.loads(row["wkt"])
            except ShapelyError as exc:
                raise InputError(f"bad WKT: {exc}", path=str(path), line=line) from None
            if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
                raise InputError("wkt must be a valid POLYGON", path=str(path), line=line)
            outline = geom.wkt
        out[normalise(name)] = _place(name, lat, lon, path, line, outline)
    return out


def load_corrections(path: str | Path) -> dict[str, Place]:
    """The corrected places of a file, by normalised name."""
    path = Path(path)
    text = read_text(path, "a GeoJSON or CSV file of corrected places")
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return _from_geojson(path, text)
    return _from_csv(path, text)
