"""Control layers: who holds which area, from when. Read from GeoJSON, GeoPackage,
KML/KMZ (the format ISW/CTP and many analysts share) or the ``control_areas:`` list of a
claims file.

Every area has an ``actor``, a ``status`` (``assessed``, ``claimed`` or ``contested``), a
``valid_from`` date, an optional ``valid_until`` and a ``source``. Geometries are checked:
coordinates off the globe (or latitude and longitude swapped) are an error naming the
file and line (or feature); a self-intersecting or wrongly wound polygon is repaired, with
a warning that says what was changed. KML is read by our own parser (no network links are
followed, no entities expanded).

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "c.geojson"
>>> _ = f.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature",'
...     ' "properties": {"actor": "Army", "status": "assessed", "valid_from": "2020-02-10"},'
...     ' "geometry": {"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 35]]]}}]}')
>>> [(a.actor, a.status, str(a.valid_from)) for a in load_control(f)]
[('Army', 'assessed', '2020-02-10')]
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from conflictmap.claims.geometry import flat_and_whole, geometry_or_error, parse_wkt
from conflictmap.claims.read import feature_lines, parse_json, read_bytes, read_text, text_problem
from conflictmap.errors import InputError
from conflictmap.model import ControlArea
from conflictmap.progress import log

STATUSES = ("assessed", "claimed", "contested")
SUFFIXES = (".kml", ".kmz", ".gpkg")  #: always control layers (GeoJSON and YAML may be either)
MAX_AREAS = 100_000
MAX_VERTICES = 2_000_000
MAX_KMZ_BYTES = 200_000_000
MAX_KML_BYTES = 50_000_000  #: a KML, read or inflated from a KMZ


def is_export(doc: Any) -> bool:
    """A GeoJSON document written by conflictmap (its features carry ``feature_type``)."""
    features = doc.get("features") if isinstance(doc, dict) else None
    return isinstance(features, list) and any(
        isinstance(f, dict) and isinstance(f.get("properties"), dict)
        and "feature_type" in f["properties"] for f in features[:1])


def is_control_geojson(doc: Any) -> bool:
    """A GeoJSON document whose first feature is a polygon: a control layer (claims files
    hold points)."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or not features:
        return False
    first: dict = features[0] if isinstance(features[0], dict) else {}
    geom = first.get("geometry")
    return isinstance(geom, dict) and geom.get("type") in ("Polygon", "MultiPolygon")


class AreaFields:
    """Checks the fields of one area, naming where it stands."""

    def __init__(self, path: Path, where: str, line: int | None,
                 repairs: list[tuple[str, str, int | None]]) -> None:
        self.path, self.where, self.line = path, where, line
        self.repairs = repairs  #: (what was changed, where, line), reported by warn_repairs

    def fail(self, message: str) -> InputError:
        return InputError(f"{self.where}: {message}" if self.where else message,
                          path=str(self.path), line=self.line)

    def text(self, props: dict, key: str, *, required: bool = False, limit: int = 300) -> str:
        value = props.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"missing '{key}'")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(f"'{key}' must be text, found {type(value).__name__}")
        text = str(value).strip()
        if len(text) > limit:
            raise self.fail(f"'{key}' is {len(text):,} characters; the limit is {limit:,}")
        problem = text_problem(text)
        if problem:
            raise self.fail(f"'{key}' holds {problem}")
        return text

    def date(self, props: dict, key: str, *, required: bool = False) -> dt.date | None:
        value = props.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = self.text(props, key, required=required, limit=40)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"'{key}' must be a real date as YYYY-MM-DD, found {text!r}") from None

    def area(self, props: dict, geom: BaseGeometry, default_source: str) -> ControlArea:
        actor = self.text(props, "actor", required=True, limit=200)
        status = self.text(props, "status", limit=20).lower() or "assessed"
        if status not in STATUSES:
            raise self.fail(f"'status' must be one of {', '.join(STATUSES)}, found {status!r}")
        valid_from = self.date(props, "valid_from", required=True)
        valid_until = self.date(props, "valid_until")
        assert valid_from is not None
        if valid_until is not None and valid_until < valid_from:
            raise self.fail(f"'valid_until' ({valid_until}) is before 'valid_from' ({valid_from})")
        fixed = self.geometry(geom)
        return ControlArea(actor=actor, status=status, valid_from=valid_from,
                           valid_until=valid_until, geometry_wkt=fixed.wkt,
                           source=self.text(props, "source", limit=500) or default_source,
                           note=self.text(props, "note", limit=2000), path=str(self.path),
                           line=self.line)

    def geometry(self, geom: BaseGeometry) -> BaseGeometry:
        """The polygon checked: on the globe (a hint when latitude and longitude look
        swapped), repaired when it is invalid or wound the wrong way (with a warning)."""
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise self.fail(f"expected a Polygon or MultiPolygon, found "
                            f"{'an empty ' if geom.is_empty else ''}{geom.geom_type}")
        coords = shapely.get_coordinates(geom)
        if len(coords) > MAX_VERTICES:
            raise self.fail(f"{len(coords):,} vertices; the limit is {MAX_VERTICES:,}")
        xs, ys = coords[:, 0], coords[:, 1]
        if not (abs(xs).max() <= 180 and abs(ys).max() <= 90):
            swapped = abs(ys).max() <= 180 and abs(xs).max() <= 90
            raise self.fail(f"a vertex lies off the globe (longitude {xs.min():.6g}..{xs.max():.6g}, "
                            f"latitude {ys.min():.6g}..{ys.max():.6g})"
                            + ("; are latitude and longitude swapped?" if swapped else ""))
        geom, changes = flat_and_whole(geom)
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            geom = shapely.make_valid(geom)
            polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon",
                                                                                  "MultiPolygon")]
            geom = shapely.unary_union(polys) if polys else Polygon()
            if geom.is_empty:
                raise self.fail(f"the polygon has no area ({reason})")
            changes.append(f"repaired an invalid polygon ({reason})")
        w, s, e, n = geom.bounds
        if geom.area <= 1e-9 * ((e - w) ** 2 + (n - s) ** 2):  # flat, whatever its size
            raise self.fail("the polygon has no area (its points lie on a line)")
        oriented = _oriented(geom)
        if not oriented.equals_exact(geom, 0):
            changes.append("rewound its rings (outer rings counter-clockwise)")
            geom = oriented
        self.repairs += [(change, self.where, self.line) for change in changes]
        return geom


def warn_repairs(path: Path, repairs: list[tuple[str, str, int | None]]) -> None:
    """One warning per repair, or, for many, one per kind of repair with its count and
    the first places it was made."""
    if len(repairs) <= 5:
        for change, where, line in repairs:
            log.warning("%s%s: %s (%s)", path, f":{line}" if line else "", change, where)
        return
    kinds: dict[str, list[str]] = {}
    for change, where, line in repairs:
        kinds.setdefault(change, []).append(f"{where} (line {line})" if line else where)
    for change, places in kinds.items():
        more = f" and {len(places) - 3:,} more" if len(places) > 3 else ""
        log.warning("%s: %s in %s areas: %s%s", path, change, f"{len(places):,}",
                    ", ".join(places[:3]), more)


def _oriented(geom: BaseGeometry) -> BaseGeometry:
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return orient(geom, 1.0)




def control_from_geojson(path: Path, doc: Any, text: str) -> list[ControlArea]:
    """The areas of a parsed GeoJSON control layer (``text`` gives the features' lines)."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or not features:
        raise InputError("expected a GeoJSON FeatureCollection of polygons with an 'actor'",
                         path=str(path), line=1)
    if len(features) > MAX_AREAS:
        raise InputError(f"{len(features):,} areas; the limit is {MAX_AREAS:,}", path=str(path))
    lines = feature_lines(text)
    out = []
    repairs: list = []
    for i, f in enumerate(features, 1):
        fields = AreaFields(path, f"area {i}", lines[i - 1] if i <= len(lines) else None, repairs)
        if not isinstance(f, dict) or not isinstance(f.get("properties"), dict):
            raise fields.fail("expected a Feature with 'properties'")
        if f["properties"].get("feature_type") in ("claim", "frontline") \
                or (f["properties"].get("feature_type") and f["properties"].get("claim")):
            continue  # a conflictmap export: its claims (and the areas they claim) are read
            # as claims, its frontlines are derived again
        geom = geometry_or_error(fields.where, str(path), fields.line, shape, f.get("geometry"))
        out.append(fields.area(f["properties"], geom, path.name))
    warn_repairs(path, repairs)
    return out


class _KmlReader:
    """Placemarks of a KML document with their line, name, fields and polygons."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.placemarks: list[dict] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._current: dict | None = None
        self._field = ""
        self._ring: str = ""
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._data
        self.parser.EntityDeclHandler = self._no_entities

    def _no_entities(self, *_args: Any) -> None:
        raise InputError("KML with entity declarations is not read (a DOCTYPE that declares "
                         "entities)", path=str(self.path), line=self.parser.CurrentLineNumber)

    def _start(self, tag: str, attrs: dict) -> None:
        tag = tag.rsplit(":", 1)[-1]
        self._stack.append(tag)
        self._text = []
        if tag == "Placemark":
            self._current = {"line": self.parser.CurrentLineNumber, "fields": {}, "polygons": []}
        elif self._current is not None:
            if tag in ("Data", "SimpleData"):
                self._field = attrs.get("name", "")
            elif tag == "Polygon":
                self._current["polygons"].append([])
            elif tag in ("outerBoundaryIs", "innerBoundaryIs"):
                self._ring = tag

    def _data(self, text: str) -> None:
        self._text.append(text)

    def _end(self, tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1]
        self._stack.pop()
        text = "".join(self._text).strip()
        self._text = []
        cur = self._current
        if cur is None:
            return
        if tag == "Placemark":
            self.placemarks.append(cur)
            self._current = None
        elif tag == "name" and (self._stack[-1] if self._stack else "") == "Placemark":
            cur["fields"].setdefault("name", text)
        elif tag in ("value", "SimpleData") and self._field:
            cur["fields"][self._field] = text
        elif tag == "begin":
            cur["fields"].setdefault("valid_from", text)
        elif tag == "end":
            cur["fields"].setdefault("valid_until", text)
        elif tag == "when":
            cur["fields"].setdefault("valid_from", text)
        elif tag == "coordinates" and cur["polygons"]:
            cur["polygons"][-1].append((self._ring, text))


def _kml_text(path: Path) -> str:
    if path.suffix.lower() == ".kmz":
        data = read_bytes(path, MAX_KMZ_BYTES)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".kml")]
                if not names:
                    raise InputError("the KMZ holds no .kml file", path=str(path))
                name = "doc.kml" if "doc.kml" in names else names[0]
                method = zf.getinfo(name).compress_type
                if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    # bzip2 and LZMA members inflate whole chunks at once, past any limit
                    raise InputError(f"{name} in the KMZ is compressed with method {method}; a KMZ "
                                     "is stored or deflated", path=str(path))
                with zf.open(name) as member:  # counted on the bytes inflated, not declared
                    raw = member.read(MAX_KML_BYTES + 1)
                if len(raw) > MAX_KML_BYTES:
                    raise InputError(f"{name} in the KMZ inflates to more than {MAX_KML_BYTES:,} "
                                     "bytes, the limit", path=str(path))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise InputError(f"cannot read the KMZ: {exc}"[:300], path=str(path)) from None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("the KML in the KMZ is not UTF-8 text", path=str(path)) from None
    return read_text(path, "a KML control layer", limit=MAX_KML_BYTES)


def _ring(text: str, fields: AreaFields) -> list[tuple[float, float]]:
    points = []
    for item in text.split():
        parts = item.split(",")
        try:
            points.append((float(parts[0]), float(parts[1])))
        except (ValueError, IndexError):
            raise fields.fail(f"bad KML coordinates {item[:40]!r}") from None
    if len(points) < 4:
        raise fields.fail(f"a ring needs at least 4 points, found {len(points)}")
    return points


def _from_kml(path: Path) -> list[ControlArea]:
    text = _kml_text(path)
    reader = _KmlReader(path)
    try:
        reader.parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise InputError(f"malformed KML: {expat.errors.messages[exc.code]}", path=str(path),
                         line=exc.lineno, column=exc.offset + 1) from None
    if not reader.placemarks:
        raise InputError("no Placemark with a Polygon in the KML", path=str(path))
    if len(reader.placemarks) > MAX_AREAS:
        raise InputError(f"{len(reader.placemarks):,} areas; the limit is {MAX_AREAS:,}",
                         path=str(path))
    out = []
    repairs: list = []
    for i, pm in enumerate(reader.placemarks, 1):
        fields = AreaFields(path, f"placemark {i}", pm["line"], repairs)
        props = dict(pm["fields"])
        props.setdefault("actor", props.get("name"))
        polys = []
        for rings in pm["polygons"]:
            outer = [_ring(t, fields) for kind, t in rings if kind == "outerBoundaryIs"]
            inner = [_ring(t, fields) for kind, t in rings if kind == "innerBoundaryIs"]
            if not outer:
                raise fields.fail("a Polygon without an outerBoundaryIs")
            polys.append(Polygon(outer[0], inner))
        if not polys:
            raise fields.fail("a Placemark without a Polygon")
        geom = polys[0] if len(polys) == 1 else MultiPolygon(polys)
        out.append(fields.area(props, geom, path.name))
    warn_repairs(path, repairs)
    return out


def load_control(path: str | Path) -> list[ControlArea]:
    """The areas of a control layer: ``.geojson``/``.json``, ``.gpkg``, ``.kml``/``.kmz``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".kml", ".kmz"):
        return _from_kml(path)
    if suffix == ".gpkg":
        from conflictmap.claims.gpkg import read_gpkg  # it reads through this module's checks

        return read_gpkg(path)[0]
    if suffix in (".geojson", ".json"):
        text = read_text(path, "a GeoJSON control layer")
        return control_from_geojson(path, parse_json(text, path), text)
    raise InputError(f"unsupported control layer type {suffix or '(none)'!r}; expected .geojson, "
                     ".gpkg, .kml or .kmz", path=str(path))


def control_from_document(path: Path, node: Any, line_of: Any) -> list[ControlArea]:
    """The ``control_areas:`` list of a claims file: each entry has the fields above and
    a ``wkt`` polygon (or ``geojson`` geometry). ``line_of(item)`` gives an item's line."""
    if not isinstance(node, list):
        raise InputError("'control_areas' must be a list", path=str(path), line=line_of(node))
    out = []
    repairs: list = []
    for i, item in enumerate(node, 1):
        fields = AreaFields(path, f"control area {i}", line_of(item), repairs)
        if not isinstance(item, dict):
            raise fields.fail("expected a mapping with actor, status, valid_from and wkt")
        if "wkt" in item:
            text = fields.text(item, "wkt", limit=20_000_000)
            geom = geometry_or_error(fields.where, str(path), fields.line, parse_wkt, text, str(path),
                                     fields.line)
        elif isinstance(item.get("geojson"), dict):
            geom = geometry_or_error(fields.where, str(path), fields.line, shape, item["geojson"])
        else:
            raise fields.fail("needs 'wkt' (a POLYGON) or 'geojson' (a geometry)")
        out.append(fields.area(item, geom, path.name))
    warn_repairs(path, repairs)
    return out
