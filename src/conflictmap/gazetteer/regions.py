"""Named regions the news uses that are no administrative unit of their own (Donbas,
Darfur, the Sahel, the Middle East...), each defined in ``regions.csv`` as the union
of the countries and first-level units it spans, with the definition cited. They are
built into the gazetteer index (:func:`conflictmap.gazetteer.bulk.regions`): the
outline is the union of the members' polygons from the offline context data, and
always ``approximate``, since definitions vary; the place's source says which one
was used.

>>> donbas = next(r for r in read_regions(REGIONS) if r.name == "Donbas")
>>> donbas.members, donbas.country
(('709716', '702657'), 'UA')
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from shapely import unary_union
from shapely.geometry.base import BaseGeometry

from conflictmap.errors import InputError
from conflictmap.geography import Geography
from conflictmap.resources import geodata_dir

REGIONS = geodata_dir() / "gazetteer" / "regions.csv"
#: Outlines are simplified to this many degrees: a region's shape, not its every bay.
TOLERANCE = 0.03


@dataclass(frozen=True)
class Region:
    """One row of ``regions.csv``."""

    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    country: str
    members: tuple[str, ...]  #: ISO country codes and GeoNames ids of first-level units
    definition: str


def read_regions(path: Path) -> list[Region]:
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
                    name=row["name"], names=tuple(n for n in row["names"].split("|") if n),
                    adjectives=tuple(n for n in row["adjectives"].split("|") if n),
                    country=row["country"], members=members, definition=row["definition"]))
            except (KeyError, AttributeError, ValueError) as exc:
                raise InputError(f"bad region: {exc}", path=str(path), line=line) from exc
    return out


def region_shape(region: Region, geography: Geography) -> BaseGeometry | None:
    """The union of a region's members, simplified; ``None`` when the context data lacks
    one of them (no outline rather than a wrong one)."""
    parts = []
    for m in region.members:
        if m.isdigit():
            found = geography.outline_of(geonameid=int(m))
            shape = found.shape if found else None
        else:
            shape = geography.country(m)
        if shape is None:
            return None
        parts.append(shape)
    shape = unary_union(parts).simplify(TOLERANCE, preserve_topology=True)
    return None if shape.is_empty else shape
