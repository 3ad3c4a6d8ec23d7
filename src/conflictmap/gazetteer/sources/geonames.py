"""Places from an index file: the default one built in the user cache (GeoNames
populated places, countries, administrative areas, continents: :class:`BulkSource`)
or the user's imports (:class:`ImportSource`, see :mod:`conflictmap.gazetteer.imports`).
"""

from __future__ import annotations

import json

from conflictmap.gazetteer.bulk import AREA_KINDS
from conflictmap.gazetteer.fuzzy import FuzzyMatcher
from conflictmap.gazetteer.imports import ImportStore, data_dir
from conflictmap.gazetteer.index import GazetteerIndex
from conflictmap.gazetteer.rank import Context
from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.model import Feature, Place


def place_from_row(row: tuple, prefix: str = "geonames", origin: str = "geonames") -> Place:
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
        origin=origin,
    )


class IndexSource(PlaceSource):
    """Places of one index file; areas have outlines, close spellings are found
    inside a context."""

    prefix = "geonames"
    fuzzy = True
    outlines = True

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self._matcher: FuzzyMatcher | None = None

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        return [(place_from_row(row, self.prefix, self.name), row[11])
                for row in self.index.lookup(key, loose=loose)]

    def names(self) -> list[str]:
        return self.index.keys()

    def outline(self, place: Place) -> tuple[str, str] | None:
        """The outline of one of this index's areas, found by its GeoNames id (or by
        the row the key names, for places without one)."""
        wkt = None
        if place.geonameid:
            wkt = self.index.outline_of(geonameid=place.geonameid)
        else:
            kind, _, row = place.key.rpartition(":")
            if kind == f"{self.prefix}-row" and row.isdigit():
                wkt = self.index.outline_of(row=int(row))
        return (wkt, self.outline_kind) if wkt else None

    def fuzzy_keys(self, loose: str, ctx: Context) -> list[tuple[str, float]]:
        if self._matcher is None:
            self._matcher = FuzzyMatcher(self.index)
        return self._matcher.matches(loose, ctx)

    def _kinds(self) -> list[str]:
        rows = self.index.query(
            "SELECT p.kind, s.text, count(*) FROM places p JOIN sources s ON s.id = p.source "
            "GROUP BY p.kind, s.text ORDER BY count(*) DESC")
        return [f"{n:,} {kind}: {source}" for kind, source, n in rows]


class ImportStoreSource(IndexSource):
    """The user's imports: their own data, trusted above bulk records; real boundaries
    they import beat approximate outlines."""

    name = "imports"
    prefix = "import"
    trust = 0.15
    kind_trust = {"boundary": 0.10}
    outline_kind = "boundary"  # outlines come only from boundary files the user imported
    outline_rank = 3  # the user's own boundaries beat ours

    def __init__(self, store: ImportStore) -> None:
        super().__init__(store.index)
        self.store = store

    @classmethod
    def open_default(cls, *, progress: bool = True) -> ImportStoreSource | None:
        store = ImportStore.open_default()
        return cls(store) if store is not None else None

    @classmethod
    def describe_absent(cls) -> dict:
        return {"name": cls.name, "places": 0, "where": str(data_dir()),
                "details": ["nothing imported (conflictmap gazetteer import FILE)"]}

    def describe(self) -> dict:
        meta = self.index.meta
        return {"name": self.name, "places": int(meta.get("places", 0)),
                "names": int(meta.get("names", 0)), "where": str(self.store.path),
                "details": [f"{f.name}: {f.places:,} places ({f.kind}), imported {f.imported}"
                            for f in self.store.files()]}


class BulkSource(IndexSource):
    """The default index: GeoNames and the derived administrative areas, the named
    regions and the airports. An airport's own name ("Gatwick") ranks above a namesake
    village: news that names it means the airport."""

    name = "geonames"
    kind_trust = {"airport": 0.2, "region": 0.05}

    #: Lookups remembered per key: a document resolves each name twice (alone, then in
    #: its context), and the index never changes while it is open.
    LOOKUP_MEMO = 8192

    def __init__(self, index: GazetteerIndex) -> None:
        super().__init__(index)
        self._looked_up: dict[tuple[str, bool], list[tuple[Place, str]]] = {}

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        found = self._looked_up.get((key, loose))
        if found is None:
            if len(self._looked_up) >= self.LOOKUP_MEMO:
                self._looked_up.clear()
            found = self._looked_up[key, loose] = super().lookup(key, loose=loose)
        return found

    def forget(self) -> None:
        self._looked_up.clear()

    @classmethod
    def open_default(cls, *, progress: bool = True) -> BulkSource:
        return cls(GazetteerIndex.open_default(progress=progress))

    def describe(self) -> dict:
        meta = self.index.meta
        sources = meta.get("sources", "[]")
        return {"name": self.name, "places": int(meta.get("places", 0)),
                "names": int(meta.get("names", 0)), "where": str(self.index.path),
                "details": self._kinds() + [f"built from {len(json.loads(sources))} "
                                            f"source files; fingerprint {meta['fingerprint']}"]}
