"""Where places come from, in order of trust: the curated file, the user's imports,
the bulk index (GeoNames, administrative areas, named regions, airports). Every source
fulfils :class:`~conflictmap.gazetteer.sources.base.PlaceSource` and is registered once
in :data:`SOURCES`; resolution and ``gazetteer info`` both walk this list."""

from __future__ import annotations

from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.gazetteer.sources.boundaries import BoundarySource
from conflictmap.gazetteer.sources.curated import CuratedSource
from conflictmap.gazetteer.sources.geonames import BulkSource, ImportStoreSource, IndexSource

#: The offline sources, in the order they are asked (and trusted). Boundaries name no
#: places: they give the areas the others resolve their real outlines.
SOURCES: tuple[type[PlaceSource], ...] = (CuratedSource, ImportStoreSource, BulkSource,
                                          BoundarySource)

__all__ = ["SOURCES", "BoundarySource", "BulkSource", "CuratedSource", "ImportStoreSource",
           "IndexSource", "PlaceSource"]
