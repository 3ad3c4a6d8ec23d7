"""Named regions the news uses that are no administrative unit of their own (Donbas,
Darfur, the Sahel, the Middle East...), each defined in ``regions.csv`` as the union
of the countries and first-level units it spans, with the definition cited. The
outline is that union, from the offline context data, and always ``approximate``:
definitions vary, and the answer says which one was used.

>>> r = RegionSource()
>>> place, _ = r.lookup("donbas")[0]
>>> place.kind, place.country, place.outline
('region', 'UA', 'approximate')
>>> sorted(p.name for p, _ in r.lookup("kurdish"))
['Kurdistan Region']
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass

from shapely import unary_union
from shapely.geometry.base import BaseGeometry

from conflictmap.errors import InputError
from conflictmap.gazetteer.areas import reach_km
from conflictmap.gazetteer.names import loose_key, normalise
from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.geography import Geography, default_geography
from conflictmap.model import Feature, Place
from conflictmap.resources import geodata_dir

#: Outlines are simplified to this many degrees: a region's shape, not its every bay.
TOLERANCE = 0.03


@dataclass(frozen=True)
class Region:
    """One row of ``regions.csv``."""

    id: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    country: str
    members: tuple[str, ...]  #: ISO country codes and GeoNames ids of first-level units
    definition: str


def read_regions(path) -> list[Region]:
    """The rows of a regions file; a bad row is an :class:`InputError` with its line."""
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                members = tuple(m for m in row["members"].split("|") if m)
                if not members or not all(m.isdigit() or (len(m) == 2 and m.isupper())
                                          for m in members):
                    raise ValueError(f"members must be ISO codes or GeoNames ids: {row['members']!r}")
                out.append(Region(
                    id=normalise(row["name"]).replace(" ", "-"), name=row["name"],
                    names=tuple(n for n in row["names"].split("|") if n),
                    adjectives=tuple(n for n in row["adjectives"].split("|") if n),
                    country=row["country"], members=members, definition=row["definition"]))
            except (KeyError, AttributeError, ValueError) as exc:
                raise InputError(f"bad region: {exc}", path=str(path), line=line) from exc
    return out


class RegionSource(PlaceSource):
    """Regions defined from the administrative units they span (see the module docstring)."""

    name = "regions"
    trust = 0.05

    def __init__(self, geography: Geography | None = None, path=None) -> None:
        self.path = path or geodata_dir() / "gazetteer" / "regions.csv"
        self.regions = read_regions(self.path)
        self._geography = geography
        self._exact: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._loose: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, region in enumerate(self.regions):
            for n in (region.name, *region.names, *region.adjectives):
                self._exact[normalise(n)].append((i, n))
                self._loose[loose_key(n)].append((i, n))

    @classmethod
    def open_default(cls, *, progress: bool = True) -> RegionSource:
        return cls()

    @property
    def geography(self) -> Geography:
        if self._geography is None:
            self._geography = default_geography()
        return self._geography

    def names(self) -> list[str]:
        return list(self._exact)

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        table = self._loose if loose else self._exact
        out = []
        for i, matched in table.get(key, ()):
            place = self.place(i)
            if place is not None:
                out.append((place, matched))
        return out

    def _shape(self, region: Region) -> BaseGeometry | None:
        parts = []
        for m in region.members:
            if m.isdigit():
                found = self.geography.outline_of(geonameid=int(m))
                shape = found.shape if found else None
            else:
                shape = self.geography.country(m)
            if shape is None:
                return None  # a member the context data lacks: no outline rather than a wrong one
            parts.append(shape)
        return unary_union(parts).simplify(TOLERANCE, preserve_topology=True)

    @functools.cache  # noqa: B019 - one source per process, a few dozen rows
    def place(self, index: int) -> Place | None:
        """The region as a gazetteer place (its outline built on first use)."""
        region = self.regions[index]
        shape = self._shape(region)
        if shape is None or shape.is_empty:
            return None
        point = shape.representative_point()
        radius = reach_km(shape)
        return Place(
            key=f"region:{region.id}", name=region.name, lat=round(point.y, 5),
            lon=round(point.x, 5), feature=Feature.AREA, kind="region", country=region.country,
            source=f"conflictmap regions: {region.definition}; outline from Natural Earth units",
            confidence="approximate", uncertainty_km=round(radius, 1), precision=3,
            note=f"defined as {region.definition}",
            names=(region.name, *region.names, *region.adjectives),
            geometry_wkt=shape.wkt, outline="approximate", origin=self.name)

    def describe(self) -> dict:
        return {"name": self.name, "places": len(self.regions), "where": str(self.path),
                "details": ["regions defined as unions of countries and first-level units"]}
