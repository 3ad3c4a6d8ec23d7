"""The features a candidate place of a name is ranked by, with the context of the query.

Every candidate is described; none is cut by population or fame before the context
(country hint, focus point, bounding box) has been applied. :func:`features` gives a
candidate's own features (how the name matched, the source's trust, the kind,
population, capitals, the hinted country or box, the focus point, the dateline, the
document's countries, first-level areas and other names nearby); :func:`set_features`
adds those of the whole candidate set (a great capital or a country of that name among
them, a town inside an area of its name, the most populous, how common the name is).
A :class:`~conflictmap.gazetteer.ranker.Ranker` weighs them (see that module for the
learned weights and the hand-set rules they replaced).
"""

from __future__ import annotations

import dataclasses
import math
import operator
from dataclasses import dataclass, fields

from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.names import normalise
from conflictmap.gazetteer.ranker import FEATURES, INDEX, RULES, SAME_PLACE_KM, Ranker
from conflictmap.geography import km
from conflictmap.model import Candidate, Feature, Place

__all__ = ["SAME_PLACE_KM", "Context", "features", "km", "rank", "set_features"]


@dataclass(frozen=True)
class Context:
    """What is known about where a query's place should be."""

    country: str = ""  #: ISO 3166-1 alpha-2
    near: tuple[float, float] | None = None  #: (lat, lon) focus of the document
    within: tuple[float, float, float, float] | None = None  #: (west, south, east, north)
    #: countries a document's other places lie in, with weights 0..1 (soft preference)
    prefer: tuple[tuple[str, float], ...] = ()
    #: first-level areas ("SY.12") of a document's other places, weights 0..1
    prefer_admin1: tuple[tuple[str, float], ...] = ()
    #: countries the document names as countries ("France", "French"): their capitals
    #: are meant when the capital's name comes up
    named: tuple[str, ...] = ()
    #: where the document's other names could be: (name number, lat, lon)
    support: tuple[tuple[int, float, float], ...] = ()
    #: where the report says it was filed (its dateline, "LONDON, Ky. (WKYT) -"): a weak
    #: prior for the outlet's home region
    home: tuple[float, float] | None = None
    #: the number of the name being read in ``support``: its own readings support nothing
    own: int = -1
    #: how many of the document's other names read as national capitals (a story of
    #: governments: "Kyiv asked Washington and Berlin"), up to 2
    capitals: int = 0

    # A context is a key of every memo of answers. A document's context holds up to
    # hundreds of support points: its hash (and the grid of its support) is worked out once
    # per context, not once per lookup, and the contexts of one document's names, which share
    # their support, share its hash and grid (:meth:`sharing_support`). No cache travels in
    # a pickle (string hashes differ per process).
    def __hash__(self) -> int:
        cached = self.__dict__.get("_hash")
        if cached is None:
            values = list(_context_values(self))
            if self.support:
                values[_SUPPORT] = self.support_hash()  # the same for every equal context
            cached = hash(tuple(values))
            object.__setattr__(self, "_hash", cached)
        return cached

    def sharing_support(self, other: Context) -> Context:
        """This context, with the hash of its support and its grid taken from ``other``,
        which has the same support (the contexts of one document's names)."""
        if self.support is other.support and self.support:
            object.__setattr__(self, "_support_hash", other.support_hash())
            object.__setattr__(self, "_grid", other.support_grid())
        return self

    def support_hash(self) -> int:
        shared = self.__dict__.get("_support_hash")
        if shared is None:
            shared = hash(self.support)
            object.__setattr__(self, "_support_hash", shared)
        return shared

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def support_grid(self) -> dict[tuple[int, int], list[tuple[int, float, float]]]:
        """The support points by 1-degree cell, so that a town looks only at the cells
        around it (built once per context)."""
        grid = self.__dict__.get("_grid")
        if grid is None:
            grid = {}
            for point in self.support:
                grid.setdefault((math.floor(point[1]), math.floor(point[2])), []).append(point)
            object.__setattr__(self, "_grid", grid)
        return grid

    def admits(self, place: Place) -> bool:
        """Whether the place lies in the hinted country and box (the focus point only
        ranks, it does not exclude)."""
        if self.country and place.country and place.country != self.country.upper():
            return False
        if self.within:
            w, s, e, n = self.within
            return s <= place.lat <= n and w <= place.lon <= e
        return True

    def describe(self) -> str:
        bits = []
        if self.country:
            bits.append(f"country {self.country}")
        if self.near:
            bits.append(f"near {self.near[0]:.2f},{self.near[1]:.2f}")
        if self.within:
            bits.append("within box " + ",".join(f"{v:g}" for v in self.within))
        if self.prefer:
            top = sorted(self.prefer, key=lambda cw: -cw[1])[:3]
            bits.append("document places in " + ", ".join(c for c, _ in top))
        if self.home:
            bits.append(f"filed at {self.home[0]:.2f},{self.home[1]:.2f}")
        return "; ".join(bits) or "no context"



_context_values = operator.attrgetter(*(f.name for f in fields(Context)))
_SUPPORT = [f.name for f in fields(Context)].index("support")


#: The rules' bonus of a bare name's kind (a country, continent or first-level area means
#: that area); an area with a town of its name inside loses it (``seat_area``).
KIND_BONUS = {"country": 0.3, "continent": 0.3, "region": 0.25, "first-level area": 0.2,
              "second-level area": 0.05}


def capital_namesake(place: Place) -> bool:
    """A first-level area named like its country's capital (Washington State)."""
    return (place.kind == "first-level area"
            and country_words().capitals.get(normalise(place.name)) == place.country)


def national_capital(place: Place) -> bool:
    """A town that is its country's capital (by name, countryinfo), not a village namesake."""
    return (place.feature is Feature.POINT and place.population >= 50_000
            and country_words().capitals.get(normalise(place.name)) == place.country)


#: A small town named like a great capital ("Vienna", Virginia; "Berlin", a Russian village)
#: is meant only where the text names other places around it: among the candidates of a
#: name that is a capital of a million people or more, towns under
#: CAPITAL_ECHO_POPULATION with no other name of the document within SUPPORT_KM are
#: marked (``capital_echo``; Georgetown, Guyana's capital, is too small to matter).
CAPITAL_ECHO_POPULATION = 100_000
GREAT_CAPITAL = 1_000_000


#: The dateline's place favours the places around it, decaying over HOME_KM.
HOME_KM = 300.0


#: Each other name of the document with a reading within SUPPORT_KM of a town supports it,
#: counted up to SUPPORT_MAX names.
SUPPORT_MAX = 3
SUPPORT_KM = 100.0


def supporters(ctx: Context, lat: float, lon: float, limit: int = SUPPORT_MAX) -> int:
    """How many of the document's other names (counted up to ``limit``) have a reading
    within SUPPORT_KM of a point (the point's own reading, under 1 km, does not count)."""
    grid = ctx.support_grid()
    kx = 111.2 * max(0.05, math.cos(math.radians(lat)))  # km per degree (equirectangular)
    reach_lat, reach_lon = math.ceil(SUPPORT_KM / 111.2), math.ceil(SUPPORT_KM / kx)
    cy, cx = math.floor(lat), math.floor(lon)
    names = set()
    for y in range(cy - reach_lat, cy + reach_lat + 1):
        for x in range(cx - reach_lon, cx + reach_lon + 1):
            for i, plat, plon in grid.get((y, (x + 180) % 360 - 180), ()):
                if i == ctx.own:
                    continue
                dlon = (plon - lon + 180) % 360 - 180
                d2 = ((plat - lat) * 111.2) ** 2 + (dlon * kx) ** 2
                if i not in names and 1.0 <= d2 <= SUPPORT_KM ** 2:
                    names.add(i)
                    if len(names) >= limit:
                        return limit
    return len(names)


def features(place: Place, match: str, ctx: Context, trust: float = 0.0,
             similarity: float = 0.0) -> list[float]:
    """The candidate's vector over :data:`~conflictmap.gazetteer.ranker.FEATURES`, before
    the features of the whole candidate set (:func:`set_features`). ``match`` is how the
    name matched ("primary", "alternate", "variant" or "fuzzy", with its ``similarity``
    in percent); ``trust`` what the place's source declares (:meth:`PlaceSource.bonus`)."""
    v = [0.0] * len(FEATURES)
    v[INDEX[f"match_{match}"]] = 1.0
    if match == "fuzzy":
        v[INDEX["fuzzy_similarity"]] = max(0.0, similarity - 86.0) / 14.0
    v[INDEX["trust"]] = trust
    kind = _KIND_FEATURE.get(place.kind)
    if kind:
        v[INDEX[kind]] = 1.0
    elif place.feature is Feature.AREA:
        v[INDEX["kind_other_area"]] = 1.0
    v[INDEX["population"]] = min(1.0, math.log10(place.population + 1) / 7)
    if place.feature is Feature.POINT and not kind:
        v[INDEX["town_small"]] = float(0 < place.population < 10_000)
        v[INDEX["town_unknown"]] = float(place.population == 0)
        v[INDEX["town_large"]] = float(place.population >= 100_000)
        v[INDEX["town_huge"]] = float(place.population >= 1_000_000)
    v[INDEX["capital_namesake"]] = float(capital_namesake(place))
    capital = national_capital(place)
    v[INDEX["national_capital"]] = float(capital)
    v[INDEX["capital_among_capitals"]] = ctx.capitals / 2 if capital else 0.0
    v[INDEX["capital_of_named"]] = float(bool(ctx.named) and place.country in ctx.named and capital)
    admitted = ctx.admits(place)
    v[INDEX["outside_context"]] = float(not admitted)
    v[INDEX["inside_hint"]] = float(admitted and bool(ctx.country or ctx.within))
    if ctx.near:
        v[INDEX["near_focus"]] = math.exp(-km(ctx.near, (place.lat, place.lon)) / 150)
    if ctx.home:
        v[INDEX["near_home"]] = math.exp(-km(ctx.home, (place.lat, place.lon)) / HOME_KM)
    if ctx.support and place.feature is Feature.POINT:
        n = supporters(ctx, place.lat, place.lon)
        v[INDEX["support"]] = n / SUPPORT_MAX
        if n:
            v[INDEX[f"support_{min(n, 3)}"]] = 1.0
    if ctx.prefer:
        v[INDEX["prefer_country"]] = dict(ctx.prefer).get(place.country, 0.0)
        if place.feature is Feature.POINT:
            v[INDEX["prefer_country_town"]] = v[INDEX["prefer_country"]]
        v[INDEX["main_country"]] = float(v[INDEX["prefer_country"]] >= 1.0)
    v[INDEX["country_named"]] = float(place.country in ctx.named)
    if ctx.prefer_admin1 and place.admin1:
        v[INDEX["prefer_admin1"]] = dict(ctx.prefer_admin1).get(f"{place.country}.{place.admin1}", 0.0)
        if place.kind == "second-level area":
            v[INDEX["admin2_in_admin1"]] = v[INDEX["prefer_admin1"]]
    return v


_KIND_FEATURE = {"country": "kind_country", "continent": "kind_country", "region": "kind_region",
                 "first-level area": "kind_admin1", "second-level area": "kind_admin2",
                 # the kinds of the curated places and of the user's lists, in their words
                 "governorate": "kind_admin1", "province": "kind_admin1", "state": "kind_admin1",
                 "oblast": "kind_admin1", "district": "kind_admin2", "county": "kind_admin2",
                 "airport": "kind_airport"}


def set_features(candidates: list[Candidate], ctx: Context, key: str,
                 ranker: Ranker) -> list[Candidate]:
    """The candidates for the name ``key`` with the features that depend on the whole set
    (a great capital of that name among them, a country of that name, a town inside an
    area of its name, the most populous, how many there are) filled in and scored."""
    if not candidates:
        return candidates
    echo = any(national_capital(c.place) and c.place.population >= GREAT_CAPITAL
               and normalise(c.place.name) == key for c in candidates)
    country = any(c.place.kind == "country" and normalise(c.place.name) == key for c in candidates)
    towns = [c for c in candidates
             if c.place.kind != "country" and c.place.feature is Feature.POINT
             and c.place.population >= 10_000
             and len(normalise(c.place.name).split()) == len(normalise(c.matched).split())]
    biggest = max(c.place.population for c in candidates)
    top_log = math.log10(biggest + 1)
    in_country: dict[str, int] = {}
    for c in candidates:
        in_country[c.place.country] = max(in_country.get(c.place.country, 0), c.place.population)
    many = min(1.0, math.log1p(len(candidates)) / math.log(50))
    vectors = []
    for c in candidates:
        v, p = list(c.features), c.place
        v[INDEX["capital_echo"]] = float(
            echo and p.feature is Feature.POINT and p.population < CAPITAL_ECHO_POPULATION
            and not (ctx.support and supporters(ctx, p.lat, p.lon, 1)))
        v[INDEX["country_name_other"]] = float(
            country and p.feature is Feature.POINT and normalise(p.name) != key)
        if p.kind in ("first-level area", "second-level area") and any(
                t.place.country == p.country and normalise(t.matched) == normalise(c.matched)
                and (t.place.admin1 == p.admin1
                     or km((t.place.lat, t.place.lon), (p.lat, p.lon)) <= p.uncertainty_km)
                for t in towns):
            v[INDEX["seat_area"]] = KIND_BONUS[p.kind]
        v[INDEX["most_populous"]] = float(p.population > 0 and p.population == biggest)
        v[INDEX["most_populous_in_country"]] = float(
            p.population > 0 and p.population == in_country[p.country])
        v[INDEX["relative_population"]] = (math.log10(p.population + 1) - top_log) / 7
        v[INDEX["candidates"]] = many
        v[INDEX["only_candidate"]] = float(len(candidates) == 1)
        v[INDEX["rules_score"]] = RULES.score(v)
        vectors.append(v)
    # the rules' lead of each candidate over the best of the others (a lone one leads by 1)
    ordered = sorted((v[INDEX["rules_score"]] for v in vectors), reverse=True)
    best, second = ordered[0], ordered[1] if len(ordered) > 1 else ordered[0] - 1.0
    out = []
    for c, v in zip(candidates, vectors, strict=True):
        s = v[INDEX["rules_score"]]
        v[INDEX["rules_lead"]] = max(-1.0, min(1.0, s - (second if s == best else best)))
        out.append(dataclasses.replace(c, score=ranker.score(v), features=tuple(v)))
    return out


def explain(place: Place, ctx: Context) -> str:
    """Which context terms of :func:`score` count for a place, in words ("" for none): the
    deciding reasons an answer gives beside its lead.

    >>> p = Place(key="k", name="Ariha", lat=35.81, lon=36.61, country="SY", admin1="09")
    >>> explain(p, Context(prefer=(("SY", 1.0),), prefer_admin1=(("SY.09", 1.0),)))
    "in the country of the document's places (SY); in the first-level area of the document's places"
    """
    bits = []
    if ctx.prefer and dict(ctx.prefer).get(place.country, 0.0) > 0:
        bits.append(f"in the country of the document's places ({place.country})")
    if ctx.prefer_admin1 and place.admin1 and dict(ctx.prefer_admin1).get(
            f"{place.country}.{place.admin1}", 0.0) > 0:
        bits.append("in the first-level area of the document's places")
    if ctx.named and place.country in ctx.named and national_capital(place):
        bits.append("the capital of a country the document names")
    elif national_capital(place) and place.population >= GREAT_CAPITAL:
        bits.append("a capital of a million people (its small namesakes count only with "
                    "places of the document around them)")
    if ctx.support and place.feature is Feature.POINT:
        n = supporters(ctx, place.lat, place.lon)
        if n:
            bits.append(f"{n}{'+' if n == SUPPORT_MAX else ''} other name"
                        f"{'s' if n > 1 else ''} of the document within {SUPPORT_KM:g} km")
    if ctx.near and km(ctx.near, (place.lat, place.lon)) <= 150:
        bits.append("near the focus point")
    if ctx.home and km(ctx.home, (place.lat, place.lon)) <= HOME_KM:
        bits.append("near where the report was filed")
    return "; ".join(bits)


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best first; ties broken by source, then id, so answers are stable."""
    return sorted(candidates, key=lambda c: (-round(c.score, 6), c.place.key))
