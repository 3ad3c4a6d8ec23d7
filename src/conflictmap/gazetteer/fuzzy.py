"""Fuzzy spelling matches: the last resort, and only inside a context.

Exact keys and transliteration variants come first. When both fail, names of
places *inside the query's context* (its country, box or focus area, or the
countries a document's other places lie in) are compared with the query's
variant key using rapidfuzz's normalised Indel similarity. Pools are blocked by
first letter and cached per context, so a fuzzy query costs tens of microseconds.
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process

from conflictmap.gazetteer.index import GazetteerIndex
from conflictmap.gazetteer.rank import Context

#: Similarity (0-100) a fuzzy match must reach.
CUTOFF = 86.0
#: How far around a focus point fuzzy matches are sought (degrees, about 150 km).
NEAR_DEG = 1.4
_POOLS_KEPT = 256  # one per country at most; a pool is a few hundred kB
_POOL_SQL = "SELECT DISTINCT n.loose FROM names n JOIN places p ON p.id = n.place WHERE "


class FuzzyMatcher:
    """Fuzzy lookups over one index file."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self._pools: dict[tuple, dict[str, list[str]]] = {}

    def _where(self, ctx: Context) -> tuple[str, tuple] | None:
        if ctx.within:
            w, s, e, n = ctx.within
            return "p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?", (s, n, w, e)
        if ctx.country:
            return "p.country = ?", (ctx.country.upper(),)
        if ctx.near:
            lat, lon = ctx.near
            return ("p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?",
                    (lat - NEAR_DEG, lat + NEAR_DEG, lon - NEAR_DEG * 1.3, lon + NEAR_DEG * 1.3))
        if ctx.prefer:
            best = max(ctx.prefer, key=lambda cw: cw[1])[0]
            return "p.country = ?", (best,)
        return None

    def _pool(self, ctx: Context) -> dict[str, list[str]] | None:
        where = self._where(ctx)
        if where is None:
            return None
        if where not in self._pools:
            if len(self._pools) >= _POOLS_KEPT:
                self._pools.pop(next(iter(self._pools)))
            # the clause is one of the constants above; values are bound parameters
            sql = _POOL_SQL + where[0]
            keys = [r[0] for r in self.index.query(sql, where[1]) if r[0]]
            pool: dict[str, list[str]] = defaultdict(list)
            for k in keys:
                pool[k[0]].append(k)
            self._pools[where] = dict(pool)
        return self._pools[where]

    def matches(self, loose: str, ctx: Context, limit: int = 5) -> list[tuple[str, float]]:
        """Variant keys of places in the context similar to ``loose``, with similarity."""
        pool = self._pool(ctx)
        if not pool or not loose:
            return []
        choices = pool.get(loose[0], [])
        found = process.extract(loose, choices, scorer=fuzz.ratio, limit=limit,
                                score_cutoff=CUTOFF)
        return [(k, s) for k, s, _ in found if k != loose]
