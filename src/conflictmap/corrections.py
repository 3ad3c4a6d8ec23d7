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
import math
from pathlib import Path

import shapely
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from conflictmap.claims.read import feature_lines, parse_json, read_text, text_problem
from conflictmap.claims.validate import MAX_NAME
from conflictmap.errors import InputError
from conflictmap.gazetteer.names import normalise
from conflictmap.model import Feature, Place

MAX_CORRECTIONS = 10_000  #: places in one corrections file
MAX_VERTICES = 100_000  #: vertices of one drawn area


def _place(name: str, lat: float, lon: float, path: Path, line: int | None,
           outline: BaseGeometry | None = None) -> Place:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"coordinates of {name!r} are out of range: {lat:.6g}, {lon:.6g}",
                         path=str(path), line=line)
    if len(name) > MAX_NAME or text_problem(name):
        why = text_problem(name) or f"more than {MAX_NAME} characters"
        raise InputError(f"the place name holds {why}", path=str(path), line=line)
    if outline is not None:
        _check_outline(outline, name, path, line)
    where = f"{path.name}" + (f", line {line}" if line else "")
    return Place(key=f"correction:{normalise(name)}", name=name, lat=lat, lon=lon,
                 feature=Feature.AREA if outline is not None else Feature.POINT,
                 kind="area drawn by the user" if outline is not None else "position set by the user",
                 source=f"corrected in the map; {where}", confidence="corrected by the user",
                 precision=2 if outline is not None else 1, names=(name,),
                 geometry_wkt=outline.wkt if outline is not None else None,
                 outline="drawn" if outline is not None else "",
                 origin="corrections")


def _check_outline(geom: BaseGeometry, name: str, path: Path, line: int | None) -> None:
    """A drawn area: a valid, non-empty (Multi)Polygon with every vertex on the globe."""
    polygon = geom.geom_type in ("Polygon", "MultiPolygon")
    if not polygon or geom.is_empty or not geom.is_valid:
        found = ("an empty" if geom.is_empty else "an invalid" if polygon else "a")
        raise InputError(f"the area of {name!r} must be a valid, non-empty POLYGON, found "
                         f"{found} {geom.geom_type}", path=str(path), line=line)
    coords = shapely.get_coordinates(geom)
    if len(coords) > MAX_VERTICES:
        raise InputError(f"the area of {name!r} has {len(coords):,} vertices; the limit is "
                         f"{MAX_VERTICES:,}", path=str(path), line=line)
    west, south, east, north = geom.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InputError(f"the area of {name!r} has a vertex off the globe (latitude "
                         f"{south:.6g}..{north:.6g}, longitude {west:.6g}..{east:.6g})",
                         path=str(path), line=line)




def _from_geojson(path: Path, text: str) -> dict[str, Place]:
    data = parse_json(text, path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InputError("expected a GeoJSON FeatureCollection with 'features'", path=str(path),
                         line=1)
    if len(features) > MAX_CORRECTIONS:
        raise InputError(f"{len(features):,} places; a corrections file holds at most "
                         f"{MAX_CORRECTIONS:,}", path=str(path), line=1)
    lines = feature_lines(text)
    out: dict[str, Place] = {}
    for i, f in enumerate(features, 1):
        line = lines[i - 1] if i <= len(lines) else None
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict):
            raise InputError(f"feature {i}: 'properties' must be an object with 'name'",
                             path=str(path), line=line)
        name = str(props.get("name") or "").strip()
        if not name:
            raise InputError(f"feature {i} has no 'name' property", path=str(path), line=line)
        try:
            geom = shape(f.get("geometry"))
        except (ShapelyError, AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise InputError(f"feature {i} ({name!r}) has a bad geometry: {exc}"[:300],
                             path=str(path), line=line) from None
        if geom.is_empty:
            raise InputError(f"feature {i} ({name!r}) has an empty geometry", path=str(path),
                             line=line)
        if geom.geom_type == "Point":
            out[normalise(name)] = _place(name, geom.y, geom.x, path, line)
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            _check_outline(geom, name, path, line)
            c = geom.representative_point()
            out[normalise(name)] = _place(name, c.y, c.x, path, line, geom)
        else:
            raise InputError(f"feature {i} ({name!r}): expected a Point or a Polygon, "
                             f"found {geom.geom_type}", path=str(path), line=line)
    return out


def _from_csv(path: Path, text: str) -> dict[str, Place]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_csv(path, reader)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path),
                         line=max(1, reader.reader.line_num)) from None


def _read_csv(path: Path, reader: csv.DictReader) -> dict[str, Place]:
    fields = [h.strip().lower() for h in reader.fieldnames or []]
    if not {"name", "lat", "lon"} <= set(fields):
        raise InputError(f"expected columns name, lat, lon (and optionally wkt); found "
                         f"{', '.join(fields)[:200]}", path=str(path), line=1)
    out: dict[str, Place] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise InputError(f"row has {len(fields) + len(row[None])} cells; the header has "
                             f"{len(fields)}", path=str(path), line=line)
        if len(out) >= MAX_CORRECTIONS:
            raise InputError(f"more than {MAX_CORRECTIONS:,} places; a corrections file holds "
                             f"at most {MAX_CORRECTIONS:,}", path=str(path), line=line)
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name = cells.get("name", "")
        if not name:
            raise InputError("empty name", path=str(path), line=line)
        try:
            lat, lon = float(cells["lat"]), float(cells["lon"])
        except ValueError:
            raise InputError(f"lat and lon must be numbers, found {cells['lat'][:40]!r}, "
                             f"{cells['lon'][:40]!r}", path=str(path), line=line) from None
        outline = None
        if cells.get("wkt"):
            try:
                outline = shapely_wkt.loads(cells["wkt"])
            except (ShapelyError, ValueError) as exc:
                raise InputError(f"bad WKT: {exc}"[:300], path=str(path), line=line) from None
        out[normalise(name)] = _place(name, lat, lon, path, line, outline)
    return out
def load_corrections(path: str | Path) -> dict[str, Place]:
    """The corrected places of a file, by normalised name."""
    path = Path(path)
    text = read_text(path, "a GeoJSON or CSV file of corrected places")
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return _from_geojson(path, text)
    return _from_csv(path, text)
