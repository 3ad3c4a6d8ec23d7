"""Real boundaries for the gazetteer's areas: administrative units (Natural Earth
first-level units, Syria's districts from geoBoundaries sub-districts) and countries,
from the offline context data (:mod:`conflictmap.geography`). This source names no
places; it gives outlines to the areas the other sources resolve."""

from __future__ import annotations

import functools

from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.geography import Geography, default_geography
from conflictmap.model import Feature, Place

#: Country outlines are simplified further (degrees): a claim on a whole country needs
#: its shape, not every cove of its coast.
COUNTRY_TOLERANCE = 0.02


class BoundarySource(PlaceSource):
    """Outlines of administrative units and countries; no names of its own."""

    name = "boundaries"
    outlines = True
    outline_kind = "boundary"
    outline_rank = 2  # real (or boundary-derived) outlines beat approximations

    def __init__(self, geography: Geography | None = None) -> None:
        self.geography = geography or default_geography()

    @classmethod
    def open_default(cls, *, progress: bool = True) -> BoundarySource:
        return cls()

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        return []

    def names(self) -> list[str]:
        return []

    def outline(self, place: Place) -> tuple[str, str] | None:
        if place.feature is not Feature.AREA:
            return None
        if place.kind == "country":
            return self._country(place.country)
        found = self.geography.outline_of(geonameid=place.geonameid or None, key=place.key)
        return (found.shape.wkt, found.kind) if found else None

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one source per process; a few countries
    def _country(self, cc: str) -> tuple[str, str] | None:
        shape = self.geography.country(cc) if cc else None
        if shape is None:
            return None
        return shape.simplify(COUNTRY_TOLERANCE, preserve_topology=True).wkt, "boundary"

    def describe(self) -> dict:
        levels: dict[int, int] = {}
        for a in self.geography.areas:
            levels[a.level] = levels.get(a.level, 0) + 1
        names = {0: "countries", 1: "first-level units", 2: "curated districts and regions",
                 3: "Syrian sub-districts"}
        return {"name": self.name, "places": len(self.geography.areas),
                "where": str(self.geography.folder),
                "details": [f"{n:,} {names.get(level, level)}" for level, n in sorted(levels.items())]
                + [f"source: {s}" for s in self.geography.sources]}
