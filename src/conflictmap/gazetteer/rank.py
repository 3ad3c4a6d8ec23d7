"""Ranking candidate places for a name, with the context of the query.

Every candidate is scored; none is cut by population or fame before the context
(country hint, focus point, bounding box) has been applied. The score adds:

* the match: the place's primary name (1.0), one of its other names (0.9), only a
  loose transliteration variant (0.75), or a fuzzy spelling (0.55-0.7);
* the source's declared trust: curated, hand-checked entries +0.15 (+0.05 for a
  curated area), the user's imports +0.15 (+0.1 for real boundaries);
* the kind: a country or continent +0.3, a named region +0.25, a first-level area +0.2, a second-level
  area +0.05 (a bare "Turkey" is the country, "Texas" the state);
* population: up to +0.1 on a log scale, a weak prior;
* context: -0.6 outside the hinted country or box (:meth:`Context.admits`); up to +0.3 near
  the focus point; up to +0.25 in a country and +0.15 in a first-level area where the
  document's other places lie; +0.25 for the capital of a country the document names;
  +0.05 for each other name of the document (up to 3) that could lie within 100 km; up to
  +0.1 near the place the report was filed from (its dateline); -0.15 for a small town
  named like a great capital with none of the document's names around it
  (:func:`capital_echoes`); -0.25 for a town that bears a country's own name only as
  another of its names (:func:`country_names_first`).
"""

from __future__ import annotations

import dataclasses
import math
import operator
from dataclasses import dataclass, fields

from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.names import normalise
from conflictmap.geography import km
from conflictmap.model import Candidate, Feature, Place

#: Two candidates this close are one place listed twice, not an ambiguity (km).
SAME_PLACE_KM = 8.0
#: The winner must lead the runner-up by this much to count as resolved.
MARGIN = 0.08


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

    # A context is a key of every memo of answers. A document's context holds up to
    # hundreds of support points: its hash (and the grid of its support) is worked out once
    # per context, not once per lookup; a small context (made afresh for each call that
    # gives a hint) is hashed directly. Neither cache travels in a pickle (string hashes
    # differ per process).
    def __hash__(self) -> int:
        if not self.support:
            return hash(_context_values(self))
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(_context_values(self))
            object.__setattr__(self, "_hash", cached)
        return cached

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


#: A bare name that is a country, continent or first-level area means that area.
KIND_BONUS = {"country": 0.3, "continent": 0.3, "region": 0.25, "first-level area": 0.2,
              "second-level area": 0.05}


#: A first-level area that shares its name with its country's capital ("Washington"):
#: in news text the bare name is the capital (and, often, its government).
CAPITAL_NAMESAKE_PENALTY = 0.25


def capital_namesake(place: Place) -> bool:
    """A first-level area named like its country's capital (Washington State)."""
    return (place.kind == "first-level area"
            and country_words().capitals.get(normalise(place.name)) == place.country)


#: "Paris" in a report that names France is its capital, even among Kentucky towns.
CAPITAL_OF_NAMED_BONUS = 0.25


def national_capital(place: Place) -> bool:
    """A town that is its country's capital (by name, countryinfo), not a village namesake."""
    return (place.feature is Feature.POINT and place.population >= 50_000
            and country_words().capitals.get(normalise(place.name)) == place.country)


#: A small town named like a great capital ("Vienna", Virginia; "Berlin", a Russian village)
#: is meant only where the text names other places around it: among the candidates of a
#: name that is a capital of a million people or more, towns under
#: CAPITAL_ECHO_POPULATION with no other name of the document within SUPPORT_KM lose
#: CAPITAL_ECHO_PENALTY (Georgetown, Guyana's capital, is too small to matter).
CAPITAL_ECHO_PENALTY = 0.15
CAPITAL_ECHO_POPULATION = 100_000
GREAT_CAPITAL = 1_000_000


def capital_echoes(candidates: list[Candidate], ctx: Context, key: str) -> list[Candidate]:
    """The candidates for the name ``key``, with the small namesakes of a great capital of
    that name marked down where the document names nothing around them (see
    :data:`CAPITAL_ECHO_PENALTY`)."""
    if not any(national_capital(c.place) and c.place.population >= GREAT_CAPITAL
               and normalise(c.place.name) == key for c in candidates):
        return candidates
    out = []
    for c in candidates:
        p = c.place
        if p.feature is Feature.POINT and p.population < CAPITAL_ECHO_POPULATION \
                and not (ctx.support and supporters(ctx, p.lat, p.lon, 1)):
            c = dataclasses.replace(c, score=c.score - CAPITAL_ECHO_PENALTY)
        out.append(c)
    return out


#: A country's own name is the country: a town that bears it only as another of its names
#: ("Mexico" for Mexico City, "Guatemala" for Guatemala City) loses this much against it.
COUNTRY_NAME_PENALTY = 0.25


def country_names_first(candidates: list[Candidate], key: str) -> list[Candidate]:
    """The candidates for the name ``key``, with the towns that bear a country's own name
    only as another of their names marked down (see :data:`COUNTRY_NAME_PENALTY`)."""
    if not any(c.place.kind == "country" and normalise(c.place.name) == key for c in candidates):
        return candidates
    return [dataclasses.replace(c, score=c.score - COUNTRY_NAME_PENALTY)
            if c.place.feature is Feature.POINT and normalise(c.place.name) != key else c
            for c in candidates]


#: The dateline's place adds up to HOME_BONUS to the places around it (decaying over
#: HOME_KM): weaker than the document's countries, enough to choose between namesakes.
HOME_BONUS = 0.1
HOME_KM = 300.0


#: Each other name of the document with a reading within SUPPORT_KM of a town adds this
#: much to it, for at most SUPPORT_MAX names.
SUPPORT_BONUS = 0.05
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
                dlon = (plon - lon + 180) % 360 - 180
                d2 = ((plat - lat) * 111.2) ** 2 + (dlon * kx) ** 2
                if i not in names and 1.0 <= d2 <= SUPPORT_KM ** 2:
                    names.add(i)
                    if len(names) >= limit:
                        return limit
    return len(names)


def score(place: Place, match: float, ctx: Context, trust: float = 0.0) -> float:
    """``match`` is the weight of how the name matched (1.0 primary name ... 0.55 fuzzy);
    ``trust`` what the place's source declares (:meth:`PlaceSource.bonus`)."""
    s = match + trust
    s += KIND_BONUS.get(place.kind, 0.0)
    s += 0.1 * min(1.0, math.log10(place.population + 1) / 7)
    if capital_namesake(place):
        s -= CAPITAL_NAMESAKE_PENALTY
    if ctx.named and place.country in ctx.named and national_capital(place):
        s += CAPITAL_OF_NAMED_BONUS
    if not ctx.admits(place):
        s -= 0.6
    if ctx.near:
        s += 0.3 * math.exp(-km(ctx.near, (place.lat, place.lon)) / 150)
    if ctx.home:
        s += HOME_BONUS * math.exp(-km(ctx.home, (place.lat, place.lon)) / HOME_KM)
    if ctx.support and place.feature is Feature.POINT:
        s += SUPPORT_BONUS * supporters(ctx, place.lat, place.lon)
    if ctx.prefer:
        s += 0.25 * dict(ctx.prefer).get(place.country, 0.0)
    if ctx.prefer_admin1 and place.admin1:
        s += 0.15 * dict(ctx.prefer_admin1).get(f"{place.country}.{place.admin1}", 0.0)
    return s


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


def decide(ranked: list[Candidate]) -> tuple[bool, str]:
    """Whether the top candidate wins clearly, and why."""
    if not ranked:
        return False, "no candidate"
    top = ranked[0]
    rivals = [c for c in ranked[1:]
              if km((top.place.lat, top.place.lon), (c.place.lat, c.place.lon)) > SAME_PLACE_KM]
    if not rivals:
        why = "only candidate" if len(ranked) == 1 else "all candidates are the same place"
        return True, why
    lead = top.score - rivals[0].score
    if lead >= MARGIN:
        return True, f"leads {rivals[0].place.name} ({rivals[0].place.country}) by {lead:.2f}"
    return False, (f"{top.place.name} ({top.place.country}) and {rivals[0].place.name} "
                   f"({rivals[0].place.country}) score within {MARGIN}")
