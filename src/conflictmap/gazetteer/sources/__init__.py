"""Where places come from, in order of trust: the curated file, the user's imports,
the bulk index. Every source fulfils :class:`~conflictmap.gazetteer.sources.base.PlaceSource`
and is registered once in :data:`SOURCES`; resolution and ``gazetteer info`` both
walk this list."""

from __future__ import annotations

from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.gazetteer.sources.curated import CuratedSource
from conflictmap.gazetteer.sources.geonames import BulkSource, ImportStoreSource, IndexSource

#: The offline sources, in the order they are asked (and trusted).
SOURCES: tuple[type[PlaceSource], ...] = (CuratedSource, ImportStoreSource, BulkSource)

__all__ = ["SOURCES", "BulkSource", "CuratedSource", "ImportStoreSource", "IndexSource",
           "PlaceSource"]
