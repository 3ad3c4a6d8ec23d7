"""Which of the names found in a report are places here, and how they resolve.

A name is resolved twice: alone, then with the report's other plausible names (and its
dateline) as context. A one-word name whose only reading is a small place outside the
report's countries is dropped, a river or sea named by a town's name stays unresolved, a
name the gazetteer does not know (found by its cue) stays unresolved with the reason, and
a small place's name that reads as a person's is rejected.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from conflictmap.extract.people import person_reason
from conflictmap.extract.roles import Mention
from conflictmap.gazetteer import fuzzy_only, spelling_only
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.document import Occurrence, document_context, filed_at
from conflictmap.gazetteer.names import normalise
from conflictmap.gazetteer.qualified import UNIT_KINDS
from conflictmap.gazetteer.rank import Context, km
from conflictmap.model import Feature, Resolution, Status

#: towns this big are not taken for surnames ("Paterson said" is a person; "Toronto said" not)
PERSON_MAX_POPULATION = 150_000
SMALL_PLACE = 100_000  #: a one-word name of a smaller place outside the report's countries is dropped


def resolve_mentions(found: list[Mention], gazetteer, country: str, text: str = "") -> set[str]:
    """Resolve every mention twice: alone, then with the plausible others as context.

    Returns the report's main countries. One-word names whose only reading is a
    small place outside them ("Wagner", Brazil) are left out of the context, so
    that they cannot pull "Moscow" to Idaho.
    """
    base = Context(country=country)
    first = {q: gazetteer.resolve(q, context=base) for q in dict.fromkeys(m.query for m in found)}
    for m in found:
        m.resolution = first[m.query]
    countries = main_countries(found, text)
    home = dateline_home(found, first, text, gazetteer)
    if home is not None:
        base = dataclasses.replace(base, home=home)
    context = document_context([first[m.query] for m in found if plausible(m, countries)], base)
    if context != base:
        # a name with one reading (no runner-up) cannot change with context
        second = {q: (gazetteer.resolve(q, context=context) if r.candidates or not r.located else r)
                  for q, r in first.items()}
        for m in found:
            m.resolution = second[m.query]
    return countries


def dateline_home(found: list[Mention], first: dict[str, Resolution], text: str,
              gazetteer) -> tuple[float, float] | None:
    """The dateline's place (:func:`~conflictmap.gazetteer.document.filed_at`)."""
    i = next((i for i, m in enumerate(found) if not m.in_title), None)
    if i is None:
        return None
    m = found[i]
    after = found[i + 1] if i + 1 < len(found) else None
    qualifier = first[after.query] if after is not None and text[
        m.end:after.start].strip() == "," else None
    return filed_at(gazetteer, text, Occurrence(m.text, m.start, m.end), first[m.query], qualifier)


def main_countries(found: list[Mention], text: str = "") -> set[str]:
    """The countries of names that are hard to mistake: several words, or a big place;
    national capitals only where they name a place (a dateline "KYIV, March 3", "in
    Kyiv"), not where news names them for their governments ("Washington warned")."""
    per_country: Counter[str] = Counter()
    for (iso, _), n in country_support(found, text).items():
        per_country[iso] += n
    if not per_country:
        return set()
    top = max(per_country.values())
    return {c for c, n in per_country.items() if c and n * 5 >= top}


def country_support(found: list[Mention], text: str = "") -> Counter[tuple[str, str]]:
    """How often each hard-to-mistake name (see :func:`main_countries`; also a first-level
    unit named as one, "Idlib province", or as a qualifier, "Fairfax, Va.") stands for a
    place in each country: counts by (country, name key)."""
    counts: Counter[tuple[str, str]] = Counter()
    for m in found:
        p = m.resolution.place if m.resolution else None
        if p is not None and _hard_to_mistake(m, p, text):
            counts[p.country, m.key] += 1
    return counts


def _hard_to_mistake(m: Mention, p, text: str) -> bool:
    """Several words, a big place, or a first-level unit named as one ("Idlib province") or
    as a qualifier ("Fairfax, Va."); a national capital only where it names a place, not
    where news names it for its government ("Washington warned")."""
    return (len(m.key.split()) > 1 or p.population >= SMALL_PLACE
            or (p.kind == "first-level area" and (
                bool(m.area) or text[max(0, m.start - 2):m.start] == ", "))) \
        and (country_words().capitals.get(m.key) != p.country or as_a_place(m, text))


#: A water word after the name, or after the rest of a longer capitalised name ("the Oskil
#: river", "the Bab el-Mandeb strait", where "Bab" alone is a town).
_WATER_AFTER = re.compile(r"(?:[ \t-]+(?:[a-z]{1,3}-)?[A-Z][\w'’-]*){0,3}[ \t]+"
                          r"((?i:river|sea|lake|canal|strait|reservoir))\b")
_WATER_BEFORE = re.compile(r"\b(river|lake)[ \t]+$", re.I)
#: A name that is itself a sea's ("the Red Sea", "the Caspian Sea"): the sea, unless a unit
#: word follows ("Red Sea state", "Red Sea governorate").
_OWN_WATER = re.compile(r"\b(sea|ocean|strait|gulf)$", re.I)
_UNIT_AFTER = re.compile(r"[ \t]+(?:state|governorate|province|region|district|oblast)\b", re.I)


#: "on the X", "along the X", "crossed the X" with nothing after X but the end of the
#: clause: X is a river ("Kosti, on the White Nile." is not White Nile state; "crossed the
#: Dnipro" not the city), where X is the name of a town or a unit (no article in English).
_WATER_PREPOSITION = re.compile(r"\b(?:on|along|across|crossed|crossing|banks? of|shores? of)"
                                r"[ \t]+the[ \t]+$", re.I)
_CLAUSE_END = re.compile(r"[ \t]*(?:[.,;:)]|$)")
_TOWN_OR_UNIT = ("populated place", "first-level area", "second-level area")


def water_body(text: str, m: Mention) -> str:
    """Why a name is left unresolved when the text names a river or sea by it ("the
    Oskil river" is not the village of Oskil, "the Red Sea" not Sudan's Red Sea state,
    "on the White Nile." not White Nile state); "" when it does not."""
    p = m.resolution.place if m.resolution and m.resolution.located else None
    river = _WATER_PREPOSITION.search(text, max(0, m.start - 20), m.start) \
        if p is not None and p.kind in _TOWN_OR_UNIT and not m.area else None
    if p is not None and river and _CLAUSE_END.match(text, m.end):
        return (f"named as a river (“{river.group(0).strip()} {m.text}”); rivers are not in the "
                f"offline gazetteer, so the {p.kind} of that name is not given as its position")
    after = _WATER_AFTER.match(text, m.end, min(len(text), m.end + 40))
    before = _WATER_BEFORE.search(text, max(0, m.start - 12), m.start)
    own = _OWN_WATER.search(text, m.start, m.end)
    if own and not _UNIT_AFTER.match(text, m.end, min(len(text), m.end + 20)):
        return (f"names a {own.group(1).lower()} ({m.text}); seas and straits are not in the "
                "offline gazetteer, so the place of that name is not given as its position")
    found = after or before
    if not found:
        return ""
    phrase = text[min(m.start, found.start()):max(m.end, found.end())].strip()
    return (f"names a {found.group(1).lower()} ({phrase}); "
            "rivers, seas and lakes are not in the offline gazetteer, so the "
            f"{m.resolution.place.kind if m.resolution and m.resolution.place else 'place'} "
            "of that name is not given as its position")


#: A small place in a neighbouring country the report names ("the Adre crossing" into
#: Chad, in a report on Darfur) counts when it lies this close to the report's places (km).
ACROSS_BORDER_KM = 300.0


def named_and_anchors(found: list[Mention], countries: set[str]
                       ) -> tuple[set[str], list[tuple[float, float]]]:
    """The countries the report names as countries, and where its clearly resolved
    places in its main countries lie."""
    named: set[str] = set()
    anchors: list[tuple[float, float]] = []
    for m in found:
        r = m.resolution
        p = r.place if r is not None else None
        if p is None or r is None or r.status is not Status.RESOLVED:
            continue
        if p.kind == "country":
            named.add(p.country)
        elif p.country in countries and len(anchors) < 200:
            anchors.append((p.lat, p.lon))
    return named, anchors


def country_anchors(found: list[Mention], text: str = "") -> dict[str, list[tuple[float, float]]]:
    """Where the report's clearly resolved, hard-to-mistake places lie (see
    :func:`country_support`), by country: at most 200 points per country."""
    out: dict[str, list[tuple[float, float]]] = {}
    for m in found:
        r = m.resolution
        p = r.place if r is not None and r.status is Status.RESOLVED else None
        if p is not None and p.kind not in ("country", "continent", "region") \
                and _hard_to_mistake(m, p, text):
            points = out.setdefault(p.country, [])
            if len(points) < 200:
                points.append((p.lat, p.lon))
    return out


def across_a_named_border(m: Mention, named: set[str], anchors: list[tuple[float, float]]) -> bool:
    p = m.resolution.place if m.resolution else None
    return (p is not None and p.country in named
            and any(km(a, (p.lat, p.lon)) <= ACROSS_BORDER_KM for a in anchors))


#: An ambiguous name whose namesakes all lie this far from the report's places, outside
#: its countries, is left unresolved (km).
FAR_KM = 1500.0


def far_namesakes(m: Mention, named: set[str], anchors: dict[str, list[tuple[float, float]]],
                  main: str) -> str:
    """Why an ambiguous name is not given a position: its best namesake lies more than
    FAR_KM from every clearly resolved place of the report's main country ``main`` and of
    the namesake's own country (``anchors`` by country: see :func:`country_anchors`), in a
    country the report does not name ("In Palma, near the border with Tanzania" in a report
    on Mozambique: Palma in Spain and Palma in Brazil are no answer); or ""."""
    r = m.resolution
    p = r.place if r is not None and r.located else None
    if p is None or r is None or r.status is not Status.AMBIGUOUS or not anchors.get(main) \
            or p.kind in ("country", "continent", "region") or p.country in named \
            or m.key in country_words().capitals:
        return ""
    near = anchors[main] + (anchors.get(p.country, []) if p.country != main else [])
    if any(km(a, (p.lat, p.lon)) <= FAR_KM for a in near):
        return ""
    others = "; ".join(f"{c.place.name} ({c.place.country})" for c in r.candidates[:2])
    return (f"ambiguous, and every namesake lies far from the report's places: {p.name} "
            f"({p.country}){'; ' + others if others else ''}, none within {FAR_KM:,.0f} km of "
            f"the places the report names in {main}" + (f" or {p.country}" if p.country != main
                                                         else "") + "; not given as a position")


#: Cities this big are known by their abbreviations anywhere ("NYC", "LA", "DC").
ABBREVIATED_CITY = 1_000_000


def code_only(m: Mention, named: set[str], support: Counter[tuple[str, str]],
              totals: Counter[str]) -> str:
    """Why a name in capitals of up to three letters that matches a town only by a code
    among the town's names ("PKK", Pakokku's airport code) is an acronym here: no other
    name of the report lies in the town's country (``support`` and ``totals``: see
    :func:`country_support`), nor does the report name that country, and the town is no
    city of a million ("NYC"); or ""."""
    r = m.resolution
    p = r.place if r is not None and r.located else None
    if p is None or not m.text.isupper() or len(m.key) > 3 or " " in m.key \
            or p.feature is not Feature.POINT or normalise(p.name) == m.key \
            or p.population >= ABBREVIATED_CITY \
            or totals[p.country] > support[p.country, m.key] or p.country in named:
        return ""
    return (f"an acronym: in capitals, it matches {p.name} ({p.country}) only by a code among "
            "its names, outside the report's countries")


def as_a_place(m: Mention, text: str) -> bool:
    """A dateline ("KYIV, March 3") or a locative ("in Kyiv")."""
    return ((m.text.isupper() and text[m.end:m.end + 1] == ",")
            or text[max(0, m.start - 3):m.start].lower() == "in ")


def plausible(m: Mention, countries: set[str]) -> bool:
    r = m.resolution
    if r is None or r.place is None or not countries or len(m.key.split()) > 1 or m.area:
        return True
    p = r.place
    words = country_words()
    return (p.country in countries or p.population >= SMALL_PLACE or p.kind == "country"
            or m.key in words.capitals
            or m.key in words.demonyms)


def qualifying_unit(m: Mention, before: Mention | None, text: str) -> bool:
    """A first-level unit right after a name and a comma qualifies it ("London, Ont.",
    "Athens, Ga."), wherever the report's other places are."""
    p = m.resolution.place if m.resolution is not None and m.resolution.located else None
    return (p is not None and p.kind in UNIT_KINDS and before is not None
            and before.sentence == m.sentence and text[before.end:m.start].strip() == ",")


def spelled_places(pairs: list, gazetteer, countries: set[str], country: str) -> list:
    """The capitalised runs no exact key matched (:func:`~conflictmap.extract.unknown.
    spelled_runs`) that name a place of the report's countries in another spelling
    ("Lower Shabelle" = Shabeellaha Hoose in a report on Somalia): resolved clearly,
    not by a fuzzy match, inside those countries. The others (people, organisations)
    are left out."""
    inside = countries or ({country} if country else set())
    hint = Context(country=country)
    out = []
    for m, toks in pairs:
        r = gazetteer.resolve(m.query, context=hint)
        p = r.place if r.located else None
        if p is None or r.status is not Status.RESOLVED or fuzzy_only(r) or p.country not in inside:
            continue
        m.resolution = r
        out.append((m, toks))
    return out


#: The gap between two members of a list of names: a comma, "and", "or" (", and").
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")


def listed_countries(found: list[Mention], text: str, gazetteer) -> None:
    """In a list of countries ("troops from Chad, Niger and Cameroon") a name that is also
    a country's is that country, not the province or town its context would prefer
    (Niger State, in a report on Nigeria)."""
    def country(m: Mention | None) -> bool:
        r = m.resolution if m is not None else None
        return r is not None and r.located and r.place is not None and r.place.kind == "country"

    for i, m in enumerate(found):
        r = m.resolution
        if r is None or not r.located or country(m) or m.area or m.cue:
            continue
        alternative = next((c.place for c in r.candidates if c.place.kind == "country"), None)
        if alternative is None:
            continue
        before = found[i - 1] if i > 0 else None
        after = found[i + 1] if i + 1 < len(found) else None
        sibling = next((o for o, gap in ((before, text[before.end:m.start] if before else ""),
                                        (after, text[m.end:after.start] if after else ""))
                        if o is not None and o.sentence == m.sentence and country(o)
                        and _LIST_GAP.fullmatch(gap)), None)
        if sibling is None:
            continue
        answer = gazetteer.resolve(m.query, country=alternative.country)
        if answer.located and answer.place is not None and answer.place.kind == "country":
            m.resolution = dataclasses.replace(answer, reason=(
                f"in a list of countries (with {sibling.text}), so the country; {answer.reason}"))


#: A unit's kinds, in the order a qualifier after a comma is read as one.
_QUALIFIER_KINDS = ("first-level area", "country")


def qualifier_units(found: list[Mention], text: str, gazetteer) -> None:
    """"El Paso, Texas": a name right after another and a comma qualifies it, so it is the
    state or country of that name when one is among its readings, not a village of the
    report's country (a Texas in Mexico)."""
    for i in range(1, len(found)):
        before, m = found[i - 1], found[i]
        r = m.resolution
        if r is None or not r.located or r.place is None or r.place.kind in _QUALIFIER_KINDS \
                or before.sentence != m.sentence or text[before.end:m.start].strip() != "," \
                or m.area or m.cue:
            continue
        unit = next((c.place for c in r.candidates if c.place.kind in _QUALIFIER_KINDS), None)
        if unit is None:
            continue
        answer = gazetteer.resolve(m.query, country=unit.country) if unit.country else None
        if answer is not None and answer.located and answer.place is not None \
                and answer.place.kind in _QUALIFIER_KINDS:
            m.resolution = dataclasses.replace(answer, reason=(
                f"after “{before.text},” a qualifier: the {answer.place.kind} of that name; "
                f"{answer.reason}"))


#: Short names news gives a country whose own name is longer: "Congo" for the Democratic
#: Republic of the Congo (the Republic of the Congo is "Congo-Brazzaville" or "the Republic
#: of Congo" in news), "Korea" for South Korea. Used only when the report's places lie in
#: that country and none in the country the short name would otherwise be.
NEWS_SHORT_NAMES = {"congo": "CD", "korea": "KR"}


def news_short_names(found: list[Mention], countries: set[str],
                     support: Counter[tuple[str, str]], totals: Counter[str], gazetteer) -> None:
    """"Eastern Congo" in a report on Goma is the DR Congo (see :data:`NEWS_SHORT_NAMES`;
    ``support`` and ``totals``: see :func:`country_support`)."""
    for m in found:
        iso = NEWS_SHORT_NAMES.get(m.key)
        r = m.resolution
        if iso is None or iso not in countries or r is None:
            continue
        p = r.place if r.located else None
        if p is not None and (p.country == iso or totals[p.country] > support[p.country, m.key]):
            continue  # other names of the report lie in the country the name says
        full = country_words().name_of.get(iso, iso)
        query = re.sub(r"(?i)\b" + re.escape(m.key) + r"\b", full, m.query)  # "eastern Congo"
        answer = gazetteer.resolve(query, country=iso)
        if answer.located and answer.place is not None and answer.place.country == iso:
            m.resolution = dataclasses.replace(answer, query=m.query, reason=(
                f"news calls {full} '{m.key.title()}', and the report's places lie there; "
                f"{answer.reason}"))


def unknown_place(m: Mention) -> None:
    """A name no source knows (found by its cue) stays unresolved with the reason; a
    similar spelling is named in the reason, never given as its position."""
    r = m.resolution
    if r is None or (r.located and r.place is not None and not fuzzy_only(r)):
        return  # a spelling variant or an area phrase the gazetteer knows
    near_miss = f"; a similar spelling: {r.place.name} ({r.place.country})" \
        if r.located and r.place is not None else ""
    m.resolution = Resolution(m.query, Status.UNRESOLVED, reason=(
        f"not in the offline gazetteer; taken for a place by the words around it "
        f"(“{m.cue}”): add it to a place list to map it{near_miss}"))


def not_a_place(m: Mention, toks: list, text: str, people: set[str]) -> str:
    """Why a one-word mention of a small place is a person's name or a common word here,
    or "" (see :mod:`conflictmap.extract.people`)."""
    if m.first != m.last or m.area:
        return ""
    r = m.resolution
    if r is not None and not m.cue and toks[m.first].sentence_start and spelling_only(r):
        return ("the first word of a sentence, and it matches a place only as a spelling "
                "variant (\u201cAir strikes\u2026\u201d, \u201cAid agencies\u2026\u201d)")
    p = r.place if r is not None else None
    if p is not None and (p.kind in ("country", "continent", "first-level area")
                          or p.origin == "curated" or m.key in country_words().capitals):
        return ""
    big = p is not None and p.population >= PERSON_MAX_POPULATION
    return person_reason(text, toks, m.first, m.last, people, big=big)
