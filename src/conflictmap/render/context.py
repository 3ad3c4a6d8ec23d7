"""The map's geographic context, cut to the view: land, coasts, borders, first-level and
sub-district lines, place names by population, and a locator inset; beyond it, out to as far
as the map lets a reader pan and zoom, the land, coasts and borders coarser, and the lakes
and rivers throughout.

Everything comes from the offline data (:mod:`conflictmap.geography`), clipped to the
claims' extent plus a margin and simplified to about a pixel at the fitted zoom, so the
page stays small. Coordinates go to the page as integers of 1e-4 degree, delta-encoded
per line (the page script decodes them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import box
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from conflictmap.geography import Geography, default_geography

SCALE = 10_000
MIN_MARGIN_DEG = 0.75  #: context reaches at least this far beyond the claims
OUTER_MARGIN_DEG = 8.0  #: the coarse land reaches at least this far: the map allows no more
MAX_LABELS = 400
WATER_TOLERANCE = 0.01  #: degrees: finer than the water data's own quantisation (2-4 km)
INSET_SIZE = (150, 110)  #: the locator inset, CSS pixels


@dataclass(frozen=True)
class View:
    """The claims' extent and what the context covers around it."""

    west: float
    south: float
    east: float
    north: float

    @property
    def span(self) -> float:
        return max(self.east - self.west, self.north - self.south, 0.05)

    def padded(self) -> tuple[float, float, float, float]:
        m = max(self.span, MIN_MARGIN_DEG)
        return (max(-180.0, self.west - m), max(-85.0, self.south - m),
                min(180.0, self.east + m), min(85.0, self.north + m))

    def outer(self) -> tuple[float, float, float, float]:
        """How far the reader may pan and zoom out: the land, the borders and the water are
        drawn (coarser) out to here, so no view the map allows ends in false sea."""
        m = max(3 * self.span, OUTER_MARGIN_DEG)
        return (max(-180.0, self.west - m), max(-85.0, self.south - m),
                min(180.0, self.east + m), min(85.0, self.north + m))

    @property
    def outer_tolerance(self) -> float:
        """About a pixel when the whole outer extent fills a page 800 pixels across."""
        w, s, e, n = self.outer()
        return max(e - w, n - s) / 800

    @property
    def tolerance(self) -> float:
        """About a pixel at the zoom the map opens at (1,200 pixels across the claims)."""
        return max(self.span / 1200, 0.0002)


def encode_line(coords) -> list[int]:
    out: list[int] = []
    px = py = 0
    for x, y in coords:
        ix, iy = round(x * SCALE), round(y * SCALE)
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


def lines_of(geom: BaseGeometry) -> list[LineString]:
    if isinstance(geom, LineString):
        return [geom] if not geom.is_empty else []
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, LineString)]


def rings_of(geom: BaseGeometry) -> list[list]:
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    out = []
    for p in polys:
        if isinstance(p, Polygon) and not p.is_empty:
            out.append([encode_line(p.exterior.coords), *(encode_line(i.coords) for i in p.interiors)])
    return out


def context_payload(view: View, geography: Geography | None = None) -> dict:
    """What the page draws under the claims (see the module docstring)."""
    g = geography or default_geography()
    bounds = view.padded()
    frame = box(*bounds)
    tol = view.tolerance
    lines: dict[str, list[list[int]]] = {}
    for kind, line in g.lines(bounds):
        cut = line.intersection(frame)
        for part in lines_of(cut):
            simple = part.simplify(tol)
            if simple.length >= tol:
                lines.setdefault(kind, []).append(encode_line(simple.coords))
    land = []
    for area in g.land(bounds):
        cut = area.shape.intersection(frame).simplify(tol, preserve_topology=True)
        if not cut.is_empty:
            land += rings_of(cut)
    labels = [[p.name, round(p.lat, 4), round(p.lon, 4), p.population]
              for p in g.labels(bounds, MAX_LABELS)]
    return {"lines": lines, "land": land, "labels": labels, "bounds": list(bounds),
            "inset": inset_svg(view, g), **outer_payload(view, g)}


def outer_payload(view: View, g: Geography) -> dict:
    """Beyond the detailed context, out to :meth:`View.outer`: the land (coarser), the coasts
    and borders (outside the detailed frame only, so they join it without doubling), and
    the lakes and rivers of the whole extent."""
    outer = view.outer()
    frame, inner = box(*outer), box(*view.padded())
    tol = view.outer_tolerance
    land = []
    for area in g.land(outer):
        cut = area.shape.intersection(frame).simplify(tol, preserve_topology=True)
        if not cut.is_empty:
            land += [r for r in rings_of(cut) if len(r[0]) >= 8]
    ring = frame.difference(inner)
    lines: dict[str, list[list[int]]] = {}
    for kind, line in g.lines(outer):
        if kind not in ("coast", "border"):
            continue
        for part in lines_of(line.intersection(ring)):
            simple = part.simplify(tol)
            if simple.length >= tol:
                lines.setdefault(kind, []).append(encode_line(simple.coords))
    lakes, rivers = g.water(outer)
    water_tol = min(tol, WATER_TOLERANCE)
    lake_rings = []
    for lake in lakes:
        cut = lake.intersection(frame).simplify(water_tol, preserve_topology=True)
        if not cut.is_empty:
            lake_rings += rings_of(cut)
    river_lines = [encode_line(p.simplify(water_tol).coords) for r in rivers
                   for p in lines_of(r.intersection(frame)) if p.length >= water_tol]
    return {"outer": list(outer), "coarse": {"land": land, "lines": lines},
            "water": {"lakes": lake_rings, "rivers": river_lines}}


def inset_svg(view: View, geography: Geography) -> dict:
    """A small locator map: the countries around the claims, those holding claims shaded,
    and the extent of the claims; the page script moves the box with the view."""
    cx, cy = (view.west + view.east) / 2, (view.south + view.north) / 2
    half = max(view.span * 4, 6.0)
    w, s, e, n = cx - half, cy - half * 0.75, cx + half, cy + half * 0.75
    width, height = INSET_SIZE
    kx = width / (e - w)
    ky = height / (n - s)
    frame = box(w, s, e, n)
    held = {a.country for a in geography.land((view.west, view.south, view.east, view.north))
            if a.shape.intersects(box(view.west, view.south, view.east, view.north))}
    paths = []
    for area in geography.land((w, s, e, n)):
        cut = area.shape.intersection(frame).simplify(half / 150, preserve_topology=True)
        d = []
        for poly in (list(cut.geoms) if isinstance(cut, MultiPolygon) else [cut]):
            if isinstance(poly, Polygon) and not poly.is_empty:
                pts = " ".join(f"{(x - w) * kx:.1f},{(n - y) * ky:.1f}" for x, y in poly.exterior.coords)
                d.append(f"M{pts}Z")
        if d:
            paths.append({"d": "".join(d), "held": area.country in held, "cc": area.country})
    return {"width": width, "height": height, "bounds": [w, s, e, n], "paths": paths}


def view_of(points: list[tuple[float, float]]) -> View:
    lats = [p[0] for p in points] or [0.0]
    lons = [p[1] for p in points] or [0.0]
    return View(min(lons), min(lats), max(lons), max(lats))


def zoom_for(view: View, width_px: int = 1200) -> int:
    """About the zoom at which the view fills ``width_px``."""
    return max(1, min(18, int(math.log2(360 * width_px / 256 / view.span))))
