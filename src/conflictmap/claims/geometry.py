"""Geometry from untrusted input made safe to draw and measure: WKT of bounded nesting,
heights dropped, polygons across the antimeridian split, and area that is real.

>>> parse_wkt("POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))", "f.yaml").wkt
'POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))'
>>> g, notes = flat_and_whole(parse_wkt("POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))", "f.yaml"))
>>> g.wkt, notes
('POLYGON ((0 0, 1 0, 1 1, 0 0))', ['dropped heights (Z)'])
>>> g, notes = flat_and_whole(parse_wkt("POLYGON ((179 0, -179 0, -179 1, 179 1, 179 0))", "f"))
>>> [round(b) for b in g.bounds], g.geom_type, notes
([-180, 0, 180, 1], 'MultiPolygon', ['split at the antimeridian'])
>>> parse_wkt("GEOMETRYCOLLECTION (" * 30 + "POINT (0 0)" + ")" * 30, "f.yaml")
Traceback (most recent call last):
...
conflictmap.errors.InputError: f.yaml: the WKT nests 31 levels deep; a polygon needs at most 6
"""

from __future__ import annotations

import shapely
from shapely import wkt as shapely_wkt
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from conflictmap.errors import InputError

MAX_NESTING = 6  #: parentheses deep: a MultiPolygon needs 3, a collection of them 4


def nesting(text: str) -> int:
    """How deep the parentheses of a WKT text nest (linear, no parsing)."""
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    return deepest


def parse_wkt(text: str, path: str, line: int | None = None) -> BaseGeometry:
    """A geometry from WKT, refusing nesting deep enough to exhaust GEOS's stack."""
    deep = nesting(text)
    if deep > MAX_NESTING:
        raise InputError(f"the WKT nests {deep} levels deep; a polygon needs at most {MAX_NESTING}",
                         path=path, line=line)
    return shapely_wkt.loads(text)


def _unwrapped(ring) -> list[tuple[float, float]]:
    """A ring's points with longitudes made continuous (a step of over 180° is taken as
    a crossing of the antimeridian, the short way round)."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    prev = None
    for x, y in ring.coords:
        if prev is not None and not (abs(prev) == 180 and abs(x) == 180):
            if x - prev > 180:
                shift -= 360
            elif prev - x > 180:
                shift += 360
        prev = x
        out.append((x + shift, y))
    return out


def _crosses(poly: Polygon) -> bool:
    """A step of over 180° in longitude, other than along the ±180° edge of the map
    itself (a ring drawn around the whole globe runs from -180 to 180 there)."""
    xs = [x for x, _ in poly.exterior.coords]
    return any(abs(b - a) > 180 and not (abs(a) == 180 and abs(b) == 180)
               for a, b in zip(xs, xs[1:], strict=False))


def _split(poly: Polygon) -> BaseGeometry:
    shell = _unwrapped(poly.exterior)
    holes = [_unwrapped(r) for r in poly.interiors]
    whole = Polygon(shell, holes)
    if not whole.is_valid:
        whole = shapely.make_valid(whole)
    pieces = []
    for west in (-540.0, -180.0, 180.0):
        part = whole.intersection(box(west, -90, west + 360, 90))
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, -(west + 180)))
    parts = [p for g in pieces for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon)]
    if not parts:
        return poly
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def flat_and_whole(geom: BaseGeometry) -> tuple[BaseGeometry, list[str]]:
    """The geometry in two dimensions, polygons across the antimeridian split into their
    eastern and western parts; with what was changed, for the user's warning."""
    notes = []
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
        notes.append("dropped heights (Z)")
    polys = list(getattr(geom, "geoms", [geom]))
    if any(isinstance(p, Polygon) and _crosses(p) for p in polys):
        parts = [_split(p) if isinstance(p, Polygon) and _crosses(p) else p for p in polys]
        flat = [q for p in parts for q in getattr(p, "geoms", [p])]
        geom = MultiPolygon(flat) if len(flat) > 1 else flat[0]
        notes.append("split at the antimeridian")
    return geom, notes


def geometry_or_error(where: str, path: str, line: int | None, build, *args) -> BaseGeometry:
    """``build(*args)`` (shapely parsing WKB, WKT or GeoJSON), GEOS's errors turned into
    an :class:`InputError` naming the file, line and item."""
    try:
        return build(*args)
    except InputError:
        raise
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError, AttributeError,
            IndexError) as exc:
        prefix = f"{where}: " if where else ""
        raise InputError(f"{prefix}bad geometry: {exc}"[:300], path=path, line=line) from None
