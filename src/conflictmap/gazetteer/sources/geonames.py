"""Places from an index file: the default one built in the user cache (GeoNames
populated places, countries, administrative areas, continents) or the user's
imports (see :mod:`conflictmap.gazetteer.imports`).
"""

from __future__ import annotations

from conflictmap.gazetteer.bulk import AREA_KINDS
from conflictmap.gazetteer.index import GazetteerIndex
from conflictmap.model import Feature, Place


def place_from_row(row: tuple, prefix: str = "geonames") -> Place:
    rid, gid, name, lat, lon, cc, admin1, pop, kind, radius, source = row[:11]
    area = kind in AREA_KINDS
    return Place(
        key=f"{prefix}:{gid}" if gid else f"{prefix}-row:{rid}",
        name=name,
        lat=lat,
        lon=lon,
        feature=Feature.AREA if area else Feature.POINT,
        kind=kind,
        country=cc,
        admin1=admin1,
        geonameid=gid,
        population=pop,
        source=source,
        precision=3 if area else 1,
        uncertainty_km=round(radius or 0.0, 1),
        confidence="approximate extent" if area else "",
    )


class GeoNamesSource:
    """The default index. Rows keep their index id so an area's outline can be fetched."""

    name = "geonames"

    def __init__(self, index: GazetteerIndex | None = None, prefix: str = "geonames") -> None:
        self.index = index or GazetteerIndex.open_default()
        self.prefix = prefix
        self._ids: dict[str, int] = {}

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        out = []
        for row in self.index.lookup(key, loose=loose):
            place = place_from_row(row, self.prefix)
            if place.feature is Feature.AREA:
                self._ids[place.key] = row[0]
            out.append((place, row[11]))
        return out

    def names(self) -> list[str]:
        """Every exact name key this source knows (for finding names in text)."""
        return self.index.keys()

    def outline(self, place: Place) -> str | None:
        rid = self._ids.get(place.key)
        return self.index.outline(rid) if rid is not None else None

    def fuzzy(self, loose: str, ctx) -> list[tuple[str, float]]:
        """Variant keys of places within ``ctx`` that are close spellings of ``loose``."""
        from conflictmap.gazetteer.fuzzy import FuzzyMatcher

        if not hasattr(self, "_fuzzy"):
            self._fuzzy = FuzzyMatcher(self.index.con)
        return self._fuzzy.matches(loose, ctx)
