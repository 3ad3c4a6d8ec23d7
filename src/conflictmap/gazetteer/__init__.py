"""The gazetteer: resolves place names to places, offline by default.

>>> from conflictmap.gazetteer import Gazetteer
>>> g = Gazetteer.default()
>>> r = g.resolve("Darat Izza")
>>> r.status.value, r.place.geonameid, round(r.place.lat, 3), round(r.place.lon, 3)
('resolved', 170857, 36.282, 36.852)
>>> g.resolve("Idleb").place.name
'Idlib'
>>> g.resolve("Xyzzyville").status.value
'unresolved'
"""

from __future__ import annotations

from collections.abc import Sequence

from conflictmap.gazetteer.names import loose_key, normalise
from conflictmap.gazetteer.rank import SAME_PLACE_KM, Context, decide, km, rank, score
from conflictmap.gazetteer.sources import PlaceSource
from conflictmap.gazetteer.sources.curated import CuratedSource
from conflictmap.gazetteer.sources.geonames import GeoNamesSource
from conflictmap.model import Candidate, Place, Precision, Resolution, Status

__all__ = ["Context", "Gazetteer", "loose_key", "normalise"]

MAX_CANDIDATES = 5


class Gazetteer:
    """Resolves names against an ordered list of sources (curated first)."""

    def __init__(self, sources: Sequence[PlaceSource]) -> None:
        self.sources = list(sources)

    @classmethod
    def default(cls, *, progress: bool = True) -> Gazetteer:
        """Curated places plus GeoNames places and countries; no network."""
        from conflictmap.gazetteer.index import GazetteerIndex

        return cls([CuratedSource(), GeoNamesSource(GazetteerIndex.open_default(progress=progress))])

    @property
    def curated(self) -> CuratedSource | None:
        return next((s for s in self.sources if isinstance(s, CuratedSource)), None)

    def _candidates(self, key: str, loose: bool, ctx: Context) -> list[Candidate]:
        overridden = self.curated.geonameids if self.curated else set()
        out: dict[str, Candidate] = {}
        for source in self.sources:
            for place, matched in source.lookup(key, loose=loose):
                if not isinstance(source, CuratedSource) and place.geonameid in overridden:
                    continue  # the curated entry for the same GeoNames id wins
                primary = normalise(place.name) == normalise(matched) or normalise(
                    place.name) == key
                s = score(place, not loose, primary, ctx)
                if place.key not in out or out[place.key].score < s:
                    out[place.key] = Candidate(place, s, matched, "variant" if loose else "exact")
        return rank(list(out.values()))

    def resolve(self, query: str, ctx: Context | None = None, *, country: str = "") -> Resolution:
        """Resolve one name. Unknown names come back ``unresolved`` with a reason."""
        ctx = ctx or Context(country=country)
        if country and not ctx.country:
            ctx = Context(country=country, near=ctx.near, within=ctx.within)
        key = normalise(query)
        if not key:
            return Resolution(query, Status.UNRESOLVED, reason="the name is empty after normalising")
        ranked = self._candidates(key, False, ctx)
        if not ranked:
            ranked, refusal = _restrict_loose(self._candidates(loose_key(query), True, ctx), ctx)
            if refusal:
                return Resolution(query, Status.UNRESOLVED, reason=refusal,
                                  candidates=tuple(ranked[:MAX_CANDIDATES]))
        if not ranked:
            return Resolution(
                query, Status.UNRESOLVED,
                reason=f"no gazetteer entry matches '{key}' (exact or spelling variant)")
        clear, why = decide(ranked)
        top = ranked[0]
        reason = f"{top.match} match on '{top.matched}' from {top.place.key.split(':')[0]}; {why}"
        if ctx.country or ctx.near or ctx.within:
            reason += f"; context: {ctx.describe()}"
        return Resolution(
            query=query,
            status=Status.RESOLVED if clear else Status.AMBIGUOUS,
            place=top.place,
            precision=precision_of(top.place),
            score=top.score,
            candidates=tuple(ranked[1:MAX_CANDIDATES]),
            reason=reason,
        )


#: A loose spelling match near the focus point must lie within this distance (km).
LOOSE_NEAR_KM = 300.0


def _restrict_loose(ranked: list[Candidate], ctx: Context) -> tuple[list[Candidate], str]:
    """Loose spelling matches are a fallback: only inside the query's context, or,
    without context, only when they all point to one place."""
    if not ranked:
        return ranked, ""
    if ctx.country or ctx.within or ctx.near:
        kept = [c for c in ranked if _in_context(c.place, ctx)]
        if not kept:
            return ranked, (f"only spelling variants match ({len(ranked)} places), none of them "
                            f"within the context ({ctx.describe()})")
        return kept, ""
    top = ranked[0].place
    if any(km((top.lat, top.lon), (c.place.lat, c.place.lon)) > SAME_PLACE_KM for c in ranked):
        names = ", ".join(f"{c.place.name} ({c.place.country})" for c in ranked[:3])
        return ranked, (f"only spelling variants match, in {len(ranked)} places ({names}...); "
                        "give a country or region to choose")
    return ranked, ""


def _in_context(place: Place, ctx: Context) -> bool:
    return ctx.admits(place) and not (
        ctx.near and km(ctx.near, (place.lat, place.lon)) > LOOSE_NEAR_KM)


def precision_of(place: Place) -> Precision:
    """A country is always a region's representative point; others keep their own."""
    if place.kind == "country":
        return Precision.REGION
    return Precision(min(max(place.precision, 1), 3))
