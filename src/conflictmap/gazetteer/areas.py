"""Area phrases: "the province of Idlib", "Hama Governorate", "southern Idlib",
"the western countryside of Aleppo".

:func:`parse_area_phrase` splits such a phrase into the core name, the kind of
area it asks for and a compass direction. :func:`part_of` turns a resolved area
(or a town's surroundings) into the part of it that lies in that direction: the
point moves that way, the area shrinks, and the precision becomes 2.

>>> parse_area_phrase("the western countryside of Aleppo")
AreaPhrase(core='Aleppo', kind='countryside', direction='west')
>>> parse_area_phrase("Idlib Governorate")
AreaPhrase(core='Idlib', kind='admin', direction='')
>>> parse_area_phrase("north-western Syria")
AreaPhrase(core='Syria', kind='', direction='northwest')
>>> parse_area_phrase("Darat Izza") is None
True
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

import numpy as np
from shapely import Point, Polygon, wkt
from shapely.affinity import affine_transform
from shapely.geometry.base import BaseGeometry

from conflictmap.model import Feature, Place

_DIRS = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
    "southwest": 225, "west": 270, "northwest": 315,
}
_DIR_WORD = re.compile(
    r"^(north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?$")
_ADMIN_WORDS = {"governorate", "province", "district", "state", "county", "muhafazat",
                "mohafazat", "oblast", "region", "subdistrict", "sub-district", "nahiya",
                "mintaqa", "department", "prefecture", "municipality", "township", "raion",
                "rayon", "woreda", "tehsil", "hromada", "locality", "commune"}
_COUNTRYSIDE_WORDS = {"countryside", "rural", "rif", "reef", "outskirts", "surroundings",
                      "environs", "suburbs", "vicinity", "area"}
_FILLER = {"the", "of", "in", "city", "'s", "s"}


@dataclass(frozen=True)
class AreaPhrase:
    core: str  #: the name of the area or town
    kind: str  #: "admin" (governorate, province, district...), "countryside", or ""
    direction: str  #: a compass direction ("west", "northwest"...) or ""


def _direction(word: str) -> str:
    m = _DIR_WORD.match(word.lower().replace("’", "'"))
    return m.group(1).replace("-", "") if m else ""


def without_unit_words(text: str) -> str:
    """The phrase without its unit words: "North Kivu province" -> "North Kivu" (a unit
    whose own name starts with a direction)."""
    return " ".join(t for t in re.findall(r"[^\s,]+", text) if t.lower() not in _ADMIN_WORDS)


def parse_area_phrase(text: str) -> AreaPhrase | None:
    """Split an area phrase, or ``None`` when the text has no area or direction word."""
    tokens = re.findall(r"[^\s,]+", text.replace("'s ", " 's "))
    kind, direction = "", ""
    core: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        inner = core and tokens[i - 1] == core[-1] and (
            core[-1][:1].isupper() or core[-1].lower() == "of")  # right after a name's word
        if not direction and _direction(low):
            direction = _direction(low)
        elif low in _ADMIN_WORDS:
            kind = kind or "admin"
        elif low in _COUNTRYSIDE_WORDS:
            kind = "countryside"
        elif low in ("of", "the") and inner:
            core.append(tok)  # perhaps inside the name: "Democratic Republic of the Congo"
        elif low in _FILLER and (core or low != "city"):
            continue
        else:
            core.append(tok)
    while core and core[-1].lower() in ("of", "the"):
        core.pop()  # "of"/"the" after the name belong to the phrase, not to the name
    if not core or (not kind and not direction):
        return None
    return AreaPhrase(" ".join(core), kind, direction)


def _plane(lat0: float, lon0: float) -> tuple[list[float], list[float]]:
    """Affine transforms WGS84 -> local km plane and back (equirectangular)."""
    kx, ky = 111.320 * math.cos(math.radians(lat0)), 110.574
    to_km = [kx, 0, 0, ky, -lon0 * kx, -lat0 * ky]
    to_deg = [1 / kx, 0, 0, 1 / ky, lon0, lat0]
    return to_km, to_deg


#: The countryside of a town: a ring from this many km out to ``COUNTRYSIDE_KM``.
TOWN_CORE_KM = 3.0
COUNTRYSIDE_KM = 30.0


def _base_shape(place: Place, countryside: bool) -> BaseGeometry:
    """The area's outline (or an approximate disc) in the local km plane."""
    to_km, _ = _plane(place.lat, place.lon)
    if place.geometry_wkt:
        return affine_transform(wkt.loads(place.geometry_wkt), to_km)
    if place.feature is Feature.AREA and place.uncertainty_km:
        return Point(0, 0).buffer(place.uncertainty_km, 32)
    ring = Point(0, 0).buffer(COUNTRYSIDE_KM, 32)
    return ring.difference(Point(0, 0).buffer(TOWN_CORE_KM, 16)) if countryside else ring


def part_of(place: Place, direction: str = "", *, countryside: bool = False,
            label: str = "", within: tuple[str, BaseGeometry] | None = None) -> Place:
    """The part of ``place`` in ``direction`` (or its countryside), as an approximate area.
    ``within`` (a name and an outline in WGS84, such as the governorate around a town)
    clips it, so a countryside follows the boundaries rather than a circle.

    >>> town = Place("t", "Aleppo", 36.2, 37.16)
    >>> west = part_of(town, "west", countryside=True)
    >>> west.lon < town.lon, round(west.lat, 1), west.precision
    (True, 36.2, 2)
    """
    base = _base_shape(place, countryside)
    to_km, to_deg = _plane(place.lat, place.lon)
    clipped_by = ""
    if within is not None:
        inside = base.intersection(affine_transform(within[1], to_km))
        if not inside.is_empty and inside.area > 0.05 * base.area:
            base, clipped_by = inside, within[0]
    shape = base
    if direction:
        c = base.centroid
        bearing = math.radians(_DIRS[direction])
        reach = 5000.0
        wedge = Polygon([
            (c.x, c.y),
            (c.x + reach * math.sin(bearing - math.pi / 4), c.y + reach * math.cos(bearing - math.pi / 4)),
            (c.x + reach * math.sin(bearing), c.y + reach * math.cos(bearing)),
            (c.x + reach * math.sin(bearing + math.pi / 4), c.y + reach * math.cos(bearing + math.pi / 4)),
        ])
        shape = base.intersection(wedge)
        if shape.is_empty:
            shape = base
    point = shape.centroid if shape.contains(shape.centroid) else shape.representative_point()
    spread = 0.0
    if not shape.is_empty:
        xy = np.asarray(_coords(shape))
        spread = float(np.hypot(xy[:, 0] - point.x, xy[:, 1] - point.y).max())
    outline = affine_transform(shape, to_deg).simplify(0.005)
    where = f"{direction} part" if direction else "countryside"
    if direction and countryside:
        where = f"{direction} countryside"
    lon, lat = to_deg[0] * point.x + to_deg[4], to_deg[3] * point.y + to_deg[5]
    return dataclasses.replace(
        place,
        key=f"{place.key}#{where.replace(' ', '-')}",
        name=label or f"{place.name} ({where})",
        lat=round(lat, 5),
        lon=round(lon, 5),
        feature=Feature.AREA,
        kind=f"{where} of {place.kind or 'place'}",
        precision=2,
        uncertainty_km=round(spread, 1),
        confidence=f"approximate: the {where} of {place.name}, computed from "
                   + ("its outline" if place.geometry_wkt else "an approximate extent")
                   + (f", within the boundary of {clipped_by}" if clipped_by else ""),
        geometry_wkt=outline.wkt,
        outline="approximate",
        names=(),
    )


def _coords(shape: BaseGeometry) -> list[tuple[float, float]]:
    geoms = getattr(shape, "geoms", [shape])
    out: list[tuple[float, float]] = []
    for g in geoms:
        ext = getattr(g, "exterior", None)
        if ext is not None:
            out.extend(ext.coords)
    return out or [(shape.centroid.x, shape.centroid.y)]
