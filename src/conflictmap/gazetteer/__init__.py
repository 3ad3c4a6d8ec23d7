"""The gazetteer: resolves place names to places, offline by default.

Order of resolution for one name: exact keys (all names and variants the
sources know), then transliteration variants, then area phrases ("southern
Idlib", "Hama Governorate"), then fuzzy spelling inside the query's context,
then (only if the user asked for it) an online geocoder. Unknown names come back
``unresolved`` with the reason.

>>> from conflictmap.gazetteer import Gazetteer
>>> g = Gazetteer.default()
>>> r = g.resolve("Darat Izza")
>>> r.status.value, r.place.geonameid, round(r.place.lat, 3), round(r.place.lon, 3)
('resolved', 170857, 36.282, 36.852)
>>> g.resolve("Idleb").place.name
'Idlib'
>>> g.resolve("Texas").place.kind
'first-level area'
>>> g.resolve("Xyzzyville").status.value
'unresolved'
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from shapely.geometry.base import BaseGeometry

from conflictmap.gazetteer import qualified
from conflictmap.gazetteer.areas import parse_area_phrase, part_of, without_unit_words
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.document import Occurrence, resolve_occurrences
from conflictmap.gazetteer.names import loose_key, normalise
from conflictmap.gazetteer.qualified import qualifier
from conflictmap.gazetteer.rank import SAME_PLACE_KM, Context, explain, features, km, rank, set_features
from conflictmap.gazetteer.ranker import INDEX, Ranker, get_ranker
from conflictmap.gazetteer.sources import SOURCES, BoundarySource, CuratedSource, PlaceSource
from conflictmap.geography import reach_km
from conflictmap.model import Candidate, Feature, Place, Precision, Resolution, Status

if TYPE_CHECKING:  # the online resolver imports geopy; only for the annotations here
    from conflictmap.gazetteer.online import OnlineResolver

__all__ = ["Context", "Gazetteer", "default_gazetteer", "loose_key", "normalise", "resolve"]

MAX_CANDIDATES = 5
_WATER = re.compile(r"\b(river|sea|ocean|lake|strait|canal|bay|gulf of)\b", re.I)
MEMO_SIZE = 100_000

class Gazetteer:
    """Resolves names against an ordered list of sources (curated first).

    >>> g = Gazetteer.default()
    >>> r = g.resolve("Ariha", country="SY")
    >>> r.place.country, r.place.admin1
    ('SY', 'Idlib')
    >>> [r.place.country for r in g.resolve_many(["Ariha", "Saraqib", "Idlib"])]
    ['SY', 'SY', 'SY']
    """

    def __init__(self, sources: Sequence[PlaceSource], online: OnlineResolver | None = None,
                 ranker: Ranker | str = "learned") -> None:
        self.sources = list(sources)
        self.online = online  #: an :class:`conflictmap.gazetteer.online.OnlineResolver` or None
        #: weighs the candidates' features and decides the status
        #: (:mod:`conflictmap.gazetteer.ranker`)
        self.ranker = get_ranker(ranker) if isinstance(ranker, str) else ranker
        #: how many runner-up candidates an answer lists
        self.max_candidates = MAX_CANDIDATES
        self._memo: dict[tuple, Resolution] = {}
        self._parts: dict[tuple, Place] = {}  #: parts of areas computed, by place and phrase
        curated = [s for s in self.sources if isinstance(s, CuratedSource)]
        #: GeoNames ids whose curated entry wins over every other source's record
        self._curated_ids = curated[0].geonameids if curated else frozenset()

    def forget(self) -> None:
        """Drop every remembered answer and lookup, so that the next resolutions start
        cold (benchmarks; a long-running process that wants its memory back)."""
        self._memo.clear()
        self._parts.clear()
        for source in self.sources:
            source.forget()

    @classmethod
    def default(cls, *, progress: bool = True, online: OnlineResolver | None = None,
                ranker: Ranker | str = "learned") -> Gazetteer:
        """The registered offline sources (:data:`~conflictmap.gazetteer.sources.SOURCES`):
        curated places, the user's imports, then the GeoNames index; no network unless
        ``online`` is given. ``ranker`` is ``learned`` (the shipped model) or ``rules``."""
        opened = (kind.open_default(progress=progress) for kind in SOURCES)
        return cls([s for s in opened if s is not None], online=online, ranker=ranker)

    @property
    def curated(self) -> CuratedSource | None:
        return next((s for s in self.sources if isinstance(s, CuratedSource)), None)

    def _add(self, out: dict[str, Candidate], owners: dict[int, str], source: PlaceSource,
             place: Place, matched: str, match: str, how: str, ctx: Context,
             similarity: float = 0.0) -> None:
        if not isinstance(source, CuratedSource) and place.geonameid in self._curated_ids:
            return  # the curated entry for the same GeoNames id wins
        if place.geonameid:
            owner = owners.setdefault(place.geonameid, place.key)
            if owner != place.key:
                return  # an earlier source (imports before bulk) has this place already
        vector = features(place, match, ctx, source.bonus(place), similarity)
        s = self.ranker.score(vector)
        if place.key not in out or out[place.key].score < s:
            out[place.key] = Candidate(place, s, matched, how, tuple(vector))

    def _candidates(self, key: str, loose: bool, ctx: Context) -> list[Candidate]:
        out: dict[str, Candidate] = {}
        owners: dict[int, str] = {}  #: GeoNames id -> key of the first source's place
        for source in self.sources:
            for place, matched in source.lookup(key, loose=loose):
                match = ("variant" if loose else
                         "primary" if normalise(place.name) == key else "alternate")
                self._add(out, owners, source, place, matched, match,
                          "variant" if loose else "exact", ctx)
        return rank(set_features(list(out.values()), ctx, key, self.ranker))

    def _exact(self, key: str, query: str, ctx: Context) -> list[Candidate]:
        """The candidates whose names match exactly; for a people in the plural
        ("Russians", "Palestinians"), whose singular names its country, that country."""
        ranked = [c for c in self._candidates(key, False, ctx) if not _code_only(c, query)]
        people = _people_of(key) if not ranked else ""
        if people:
            ranked = [c for c in self._candidates(key[:-1], False, ctx)
                      if c.place.kind == "country" and c.place.country == people]
        return ranked

    def _fuzzy(self, query: str, ctx: Context) -> list[Candidate]:
        out: dict[str, Candidate] = {}
        owners: dict[int, str] = {}
        lk = loose_key(query)
        for source in self.sources:
            if not source.fuzzy:
                continue
            for variant, similarity in source.fuzzy_keys(lk, ctx):
                for place, matched in source.lookup(variant, loose=True):
                    if ctx.admits(place):
                        self._add(out, owners, source, place, matched, "fuzzy",
                                  f"fuzzy ({similarity:.0f}%)", ctx, similarity)
        return rank(set_features(list(out.values()), ctx, lk, self.ranker))

    def _with_outline(self, place: Place) -> Place:
        """The place with the best outline its sources have: the user's imported
        boundaries, then real (or boundary-derived) outlines, then the one the place
        carries, then approximate ones (see ``PlaceSource.outline_rank``)."""
        if place.feature is not Feature.AREA or place.outline == "boundary":
            return place
        rank, best = (1, None) if place.geometry_wkt else (-1, None)
        for source in self.sources:
            if source.outlines and source.outline_rank > rank:
                found = source.outline(place)
                if found:
                    rank, best = source.outline_rank, found
        if best is None:
            return place
        return dataclasses.replace(place, geometry_wkt=best[0], outline=best[1])

    def _unit_around(self, place: Place) -> tuple[str, BaseGeometry] | None:
        """The first-level unit a town lies in, with its boundary (a countryside stays
        inside it)."""
        for source in self.sources:
            if isinstance(source, BoundarySource):
                units = source.geography.units_at(place.lat, place.lon)
                first = [u for u in units if u.level == 1]
                if first:
                    return first[0].name, first[0].shape
        return None

    def _unit_of_town(self, town: Place, core: str) -> Place | None:
        """"Kursk region", "Kharkiv oblast": the first-level unit a town lies in when the
        unit is named after it (the same stem), with its real boundary."""
        if town.feature is not Feature.POINT:
            return None
        stem = loose_key(core)[:4]
        for source in self.sources:
            if not isinstance(source, BoundarySource):
                continue
            for unit in source.geography.units_at(town.lat, town.lon):
                if unit.level == 1 and len(stem) == 4 and loose_key(unit.name).startswith(stem):
                    point = unit.shape.representative_point()
                    return Place(
                        key=f"geonames:{unit.geonameid}" if unit.geonameid else f"unit:{unit.name}",
                        name=unit.name, lat=round(point.y, 5), lon=round(point.x, 5),
                        feature=Feature.AREA, kind="first-level area", country=town.country,
                        admin1=town.admin1, geonameid=unit.geonameid, precision=3,
                        source=source.geography.sources[unit.source], confidence="verified",
                        uncertainty_km=round(reach_km(unit.shape), 1),
                        names=(unit.name,), geometry_wkt=unit.shape.wkt, outline="boundary",
                        origin=source.name)
        return None

    def _area_named(self, core: str, ctx: Context, loose: bool = False) -> Candidate | None:
        """The administrative area called ``core`` ("Idlib" -> Idlib Governorate). With
        ``loose``, under a spelling variant ("Shabwa" -> Shabwah), and only in the hinted
        country or the document's main countries: a consonant skeleton matches far too
        much elsewhere ("Kursk" would be Kärnten)."""
        found: list[Candidate] = []
        for word in ("", "governorate", "province", "district", "state", "region", "county",
                     "oblast", "krai"):
            key = normalise(f"{core} {word}")
            found += [c for c in self._candidates(loose_key(key) if loose else key, loose, ctx)
                      if c.place.feature is Feature.AREA and c.place.kind != "continent"]
        if loose:
            countries = {ctx.country} if ctx.country else {c for c, w in ctx.prefer if w >= 0.5}
            found = [c for c in found if c.place.country in countries]
        return rank(found)[0] if found else None

    def _named_area(self, query: str, name: str, area: Candidate, why: str = "") -> Resolution:
        """The answer for an area phrase that names a unit ("Idlib province")."""
        return Resolution(query, Status.RESOLVED, self._with_outline(area.place), Precision.REGION,
                          area.score, reason=f"the area named '{name}': {area.match} match on "
                                             f"'{area.matched}' from {area.place.origin}{why}",
                          match=_match_kind(area))

    def _area_phrase(self, query: str, ctx: Context) -> Resolution | None:
        phrase = parse_area_phrase(query)
        if phrase is None:
            return None
        if phrase.direction and phrase.kind == "admin":  # "North Kivu province", "South Darfur state"
            whole = without_unit_words(query)
            named = self._area_named(whole, ctx)
            if named is not None:
                return self._named_area(query, whole, named)
        core = self.resolve(phrase.core, context=ctx, areas=False)
        unit_asked = phrase.kind == "admin" or (phrase.direction and phrase.kind != "countryside")
        area = self._area_named(phrase.core, ctx) if unit_asked else None
        if phrase.kind == "admin" and not phrase.direction and area is None and (
                not core.located or core.place is None or core.place.feature is not Feature.AREA):
            # "Shabwa province": no unit has the name exactly, one has it as a spelling variant
            variant = self._area_named(phrase.core, ctx, loose=True)
            if variant is not None:
                return self._named_area(query, phrase.core, variant,
                                        f", in the document's country; context: {ctx.describe()}")
        if not core.located or core.place is None:
            if area is None:
                return None
            # "Maungdaw township": a unit of that name, and no town has it
            core = self._named_area(query, phrase.core, area)
            if not phrase.direction:
                return core
        base = core.place
        assert base is not None
        if unit_asked:
            if area is not None:
                base = self._with_outline(area.place)
            if area is None and not phrase.direction:
                unit = self._unit_of_town(base, phrase.core)
                if unit is not None:
                    return Resolution(query, Status.RESOLVED, unit, Precision.REGION, core.score,
                                      reason=f"the first-level unit around {base.name} whose name "
                                             f"it shares: {unit.name}; {core.reason}")
            if not phrase.direction and area is not None:
                return self._named_area(query, phrase.core, area)
            if not phrase.direction:
                if base.kind in ("first-level area", "second-level area") and core.located:
                    # the unit itself, in another spelling ("the district of Khwaja Omari")
                    return dataclasses.replace(core, query=query)
                if self.online is not None or base.feature is Feature.AREA:
                    return None  # an opted-in online service may know the unit
                return Resolution(query, Status.UNRESOLVED, reason=(
                    f"no administrative unit named '{phrase.core}' in the offline data; the "
                    f"{base.kind or 'place'} {base.name} ({base.country}) has the name, but a unit "
                    f"is not its town: add the unit to a place list to map it"))
        countryside = phrase.kind == "countryside" and base.feature is not Feature.AREA
        label = query.strip()
        key = (base, phrase.direction, countryside, label)
        part = self._parts.get(key)
        if part is None:
            if len(self._parts) >= MEMO_SIZE:
                self._parts.clear()
            part = self._parts[key] = part_of(
                base, phrase.direction, countryside=countryside, label=label,
                within=self._unit_around(base) if countryside else None)
        why = (f"{phrase.direction or 'the'} {'countryside' if countryside else 'part'} of "
               f"{base.name}; {core.reason}")
        return Resolution(query, core.status, part, Precision.NEAR, core.score,
                          candidates=core.candidates, reason=why)

    def resolve(self, name: str, *, country: str | None = None,
                near: tuple[float, float] | None = None,
                within: tuple[float, float, float, float] | None = None,
                context: Context | None = None, loose: bool = True,
                areas: bool = True) -> Resolution:
        """Resolve one name. Unknown names come back ``unresolved`` with a reason.

        Hints: ``country`` (ISO 3166-1 alpha-2), ``near`` (lat, lon), ``within`` (west,
        south, east, north), or a whole :class:`Context`; the keyword hints fill in what
        the context leaves open. ``loose=False`` asks for exact keys only, ``areas=False``
        leaves out area phrases ("southern Idlib").

        Answers are immutable and remembered per (name, context), so a batch that
        names the same place many times looks it up once.
        """
        ctx = _with_hints(context or _NO_CONTEXT, country, near, within)
        query = name
        memo = (query, ctx, loose, areas)
        found = self._memo.get(memo)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[memo] = self._resolve(query, ctx, loose, areas)
        return found

    def candidates(self, name: str, context: Context | None = None) -> list[Candidate]:
        """Every candidate place of a name under a context, best first, as :meth:`resolve`
        ranks them (exact names; failing those, spelling variants inside the context;
        failing those, similar spellings), each with its features
        (:data:`~conflictmap.gazetteer.ranker.FEATURES`). Area phrases ("southern Idlib")
        and qualified names are not ranked and give none.

        >>> g = Gazetteer.default()
        >>> [c.place.country for c in g.candidates("Ariha")][:2]
        ['SY', 'PS']
        """
        ctx = context or Context()
        key = normalise(name)
        if not key:
            return []
        ranked = self._exact(key, name, ctx)
        if not ranked:
            ranked, refusal = _restrict_loose(self._candidates(loose_key(name), True, ctx), ctx)
            ranked = [] if refusal else ranked
        return ranked or self._fuzzy(name, ctx)

    def _resolve(self, query: str, ctx: Context, loose: bool, areas: bool) -> Resolution:
        key = normalise(query)
        if not key:
            return Resolution(query, Status.UNRESOLVED, reason="the name is empty after normalising")
        ranked = self._exact(key, query, ctx)
        refusal = ""
        if not ranked and _WATER.search(query):
            return Resolution(query, Status.UNRESOLVED, reason=(
                "names a river, sea or lake: water bodies are not in the offline gazetteer "
                "(no registry package carries them with names); a town of a similar name "
                "is not given instead"))
        if not ranked and areas:  # "Kursk region" is the oblast, not a spelling of "Corsica region"
            found = self._area_phrase(query, ctx)
            if found is not None:
                return found
        if not ranked and loose:
            ranked, refusal = _restrict_loose(self._candidates(loose_key(query), True, ctx), ctx)
            if refusal:
                ranked = []
        if not ranked and loose:
            ranked = self._fuzzy(query, ctx)
        if not ranked and self.online is not None:
            found = self.online.resolve(query, ctx)
            if found is not None:
                return found
        if not ranked and "," in query:
            parts = qualified.split(query)
            unit = qualifier(self, parts[1]) if parts else None
            if parts and unit is not None:
                return dataclasses.replace(qualified.resolve_in(self, parts[0], unit, ctx), query=query)
        if not ranked:
            return Resolution(
                query, Status.UNRESOLVED,
                reason=refusal or f"no gazetteer entry matches '{key}' (exact, spelling variant"
                + (", area phrase or fuzzy within the context)" if _has_context(ctx)
                   else " or area phrase; fuzzy matching needs a context)"),
                match="variant" if refusal else "")
        ranked, outside, abroad = _inside_hint(ranked, ctx)
        verdict = self.ranker.decide(
            [(c.place.name, c.place.country, c.place.lat, c.place.lon) for c in ranked],
            [c.score for c in ranked], trusted=bool(ranked[0].features[INDEX["trust"]] > 0))
        status, why = Status(verdict.status), verdict.why
        top = ranked[0]
        doubt = _doubt(top, ctx, abroad)
        if doubt and status is Status.RESOLVED:
            status, why = Status.AMBIGUOUS, f"{why}; {doubt}"
        elif doubt:
            why = f"{doubt}; {why}"
        if status is Status.UNRESOLVED:
            return Resolution(query, status, score=top.score, reason=(
                f"{top.match} match on '{top.matched}' from {top.place.origin}; {why}"),
                candidates=tuple((ranked + outside)[:self.max_candidates]),
                match=_match_kind(top), probability=verdict.probability)
        reason = f"{top.match} match on '{top.matched}' from {top.place.origin}; {why}"
        if _has_context(ctx):
            reason += f"; context: {ctx.describe()}"
            if len(ranked) > 1 or outside:
                favoured = explain(top.place, ctx)
                reason += f"; favoured as: {favoured}" if favoured else ""
        place = self._with_outline(top.place)
        return Resolution(
            query=query,
            status=status,
            place=place,
            precision=precision_of(place),
            score=top.score,
            candidates=tuple((ranked[1:] + outside)[:self.max_candidates - 1]),
            reason=reason,
            match=_match_kind(top),
            probability=verdict.probability,
        )


    def resolve_many(self, names: Iterable[str], *, country: str | None = None,
                     near: tuple[float, float] | None = None,
                     within: tuple[float, float, float, float] | None = None,
                     context: Context | None = None) -> list[Resolution]:
        """Resolve the names of one document together: each in the light of the others
        (their countries and first-level areas), as in a report. One answer per name,
        in order."""
        base = _with_hints(context or Context(), country, near, within)
        return resolve_occurrences(self, [Occurrence(n) for n in names], base=base)


def _people_of(key: str) -> str:
    """The country of a people named in the plural ("russians": RU), by its demonym; ""
    for any other name.

    >>> _people_of("palestinians"), _people_of("russia"), _people_of("swiss")
    ('PS', '', '')
    """
    return country_words().demonyms.get(key[:-1], "") if key.endswith("s") else ""


def _match_kind(candidate: Candidate) -> str:
    """The match kind a resolution records for its winner ("fuzzy (91%)" is "fuzzy")."""
    return "fuzzy" if candidate.match.startswith("fuzzy") else candidate.match


def fuzzy_only(res: Resolution) -> bool:
    """Whether an answer rests on a fuzzy spelling only."""
    return res.match == "fuzzy"


def spelling_only(res: Resolution) -> bool:
    """Whether an answer rests only on a spelling variant or a fuzzy spelling of a place's
    name, or was refused because only such spellings match.

    >>> spelling_only(Resolution("Air", Status.UNRESOLVED, reason="only spelling variants match",
    ...                          match="variant"))
    True
    """
    return res.match in ("variant", "fuzzy")


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The default offline gazetteer, opened once per process (the index is built into
    the user cache the first time, with a progress report through logging)."""
    return Gazetteer.default()


def resolve(*names: str, country: str | None = None, near: tuple[float, float] | None = None,
            within: tuple[float, float, float, float] | None = None,
            context: Context | None = None) -> list[Resolution]:
    """Resolve names with the default gazetteer, each on its own with the same hints,
    as ``conflictmap resolve`` does; one :class:`Resolution` per name, in order.
    (:meth:`Gazetteer.resolve_many` resolves the names of one document together.)

    >>> [r.place.name for r in resolve("Idleb", "Afrin", country="SY")]
    ['Idlib', 'Afrin']
    """
    g = default_gazetteer()
    return [g.resolve(n, country=country, near=near, within=within, context=context)
            for n in names]


#: The context of a name asked alone (one object: its hash is worked out once).
_NO_CONTEXT = Context()


def _with_hints(ctx: Context, country: str | None, near: tuple[float, float] | None,
                within: tuple[float, float, float, float] | None) -> Context:
    changes: dict = {}
    if country and not ctx.country:
        changes["country"] = country.upper()
    if near is not None and ctx.near is None:
        changes["near"] = (float(near[0]), float(near[1]))
    if within is not None and ctx.within is None:
        changes["within"] = tuple(float(v) for v in within)
    return dataclasses.replace(ctx, **changes) if changes else ctx


def _has_context(ctx: Context) -> bool:
    return bool(ctx.country or ctx.near or ctx.within or ctx.prefer)


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
    if ctx.prefer:
        preferred = {c for c, _ in ctx.prefer}
        kept = [c for c in ranked if c.place.country in preferred]
        if kept:
            ranked = kept
    top = ranked[0].place
    if any(km((top.lat, top.lon), (c.place.lat, c.place.lon)) > SAME_PLACE_KM for c in ranked):
        names = ", ".join(f"{c.place.name} ({c.place.country})" for c in ranked[:3])
        return ranked, (f"only spelling variants match, in {len(ranked)} places ({names}...); "
                        "give a country or region to choose")
    return ranked, ""


def _inside_hint(ranked: list[Candidate], ctx: Context
                 ) -> tuple[list[Candidate], list[Candidate], bool]:
    """A country hint is a hard filter: the answer is chosen among the candidates inside
    it, and the ones abroad are only listed after them. When none is inside, the answer
    is chosen abroad (the third value says so)."""
    if not ctx.country:
        return ranked, [], False
    inside = [c for c in ranked if not c.place.country or c.place.country == ctx.country]
    if not inside:
        return ranked, [], True
    return inside, [c for c in ranked if c not in inside], False


#: Outside the hinted country, a bare name stays the answer only for places that are
#: surely meant abroad: countries, continents, first-level areas and cities this large.
ABROAD_POPULATION = 100_000


def _doubt(top: Candidate, ctx: Context, abroad: bool) -> str:
    """Why a top candidate must not be given as a confident answer ("" when it may):
    a fuzzy spelling, a loose variant far from the document's countries, or a small
    place outside the hinted country."""
    if top.match.startswith("fuzzy"):
        return f"only a similar spelling matches ({top.match}); check the name"
    if top.match == "variant" and ctx.prefer and top.place.country not in {
            c for c, w in ctx.prefer if w >= 0.5}:
        return (f"only a spelling variant matches, in {top.place.country}, away from the "
                "document's other places")
    if abroad:
        sure = (top.match == "exact" and (
            top.place.kind in ("country", "continent", "first-level area", "region")
            or top.place.population >= ABROAD_POPULATION))
        where = f"no place of this name in {ctx.country}; the match is in {top.place.country}"
        return "" if sure else where
    return ""


def _code_only(candidate: Candidate, query: str) -> bool:
    """A town matched only on a short code among its other names ("MRS", Marseille's
    airport; "BA") counts only for a query written in capitals: "Mrs" and "Sea" are
    words. (A written abbreviation such as "Ky." keeps its area.)"""
    place = candidate.place
    written = query.strip()
    return (place.feature is Feature.POINT and len(normalise(candidate.matched)) <= 3
            and not written.isupper() and "." not in written
            and normalise(place.name) != normalise(query))


def _in_context(place: Place, ctx: Context) -> bool:
    return ctx.admits(place) and not (
        ctx.near and km(ctx.near, (place.lat, place.lon)) > LOOSE_NEAR_KM)


def precision_of(place: Place) -> Precision:
    """The precision a source gave its place (an area's representative point is 3)."""
    return Precision(min(max(place.precision, 1), 3))
