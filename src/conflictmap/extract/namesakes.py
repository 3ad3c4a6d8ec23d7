"""Which namesake a report means: rules that read a name's answer again with the words and
places around it in the report.

* In a list of countries ("troops from Chad, Niger and Cameroon") a name that is also a
  country's is the country (:func:`listed_countries`).
* A name right after another and a comma qualifies it ("El Paso, Texas"): it is the unit
  or country of that name when one is among its readings (:func:`qualifier_units`).
* "Congo" and "Korea" are what news means by them where the report's places lie
  (:func:`news_short_names`).
* An ambiguous name whose namesakes all lie far from the report's places is no answer
  (:func:`far_namesakes`), nor is an acronym a town matches only by a code (:func:`acronym_reason`).
"""

from __future__ import annotations

import dataclasses
import re

from conflictmap.extract.places import ReportCountries
from conflictmap.extract.roles import Mention
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.names import normalise
from conflictmap.gazetteer.rank import km
from conflictmap.model import Feature, Status

#: An ambiguous name whose best namesake lies this far from the report's places (see
#: :func:`far_namesakes`) is left unresolved (km).
FAR_KM = 1500.0


def far_namesakes(m: Mention, named: set[str], evidence: ReportCountries, main: str) -> str:
    """Why an ambiguous name is not given a position: its best namesake lies more than
    FAR_KM from every clearly resolved place of the report's main country ``main`` and of
    the namesake's own country (``evidence.anchors``), in a country the report does not
    name ("In Palma, near the border with Tanzania" in a report on Mozambique: Palma in
    Spain and Palma in Brazil are no answer); or ""."""
    r = m.resolution
    p = r.place if r is not None and r.located else None
    anchors = evidence.anchors
    if p is None or r is None or r.status is Status.RESOLVED \
            or not any(key != m.key for *_, key in anchors.get(main, ())) \
            or p.kind in ("country", "continent", "region") or p.country in named \
            or m.key in country_words().capitals \
            or not any(km((c.place.lat, c.place.lon), (p.lat, p.lon)) > 8 for c in r.candidates):
        return ""  # sure, or no namesake elsewhere: a doubt of another kind
    near = anchors[main] + (anchors.get(p.country, []) if p.country != main else [])
    # the name's own reading is no anchor for itself
    if any(km((lat, lon), (p.lat, p.lon)) <= FAR_KM for lat, lon, key in near if key != m.key):
        return ""
    others = "; ".join(f"{c.place.name} ({c.place.country})" for c in r.candidates[:2])
    return (f"ambiguous, and every namesake lies far from the report's places: {p.name} "
            f"({p.country}){'; ' + others if others else ''}, none within {FAR_KM:,.0f} km of "
            f"the places the report names in {main}" + (f" or {p.country}" if p.country != main
                                                         else "") + "; not given as a position")


#: Cities this big are known by their abbreviations anywhere ("NYC", "LA", "DC").
ABBREVIATED_CITY = 1_000_000


def acronym_reason(m: Mention, named: set[str], evidence: ReportCountries) -> str:
    """Why a name in capitals of up to three letters that matches a town only by a code
    among the town's names ("PKK", Pakokku's airport code) is an acronym here: no other
    name of the report lies in the town's country, nor does the report name that country,
    and the town is no city of a million ("NYC"); or ""."""
    r = m.resolution
    p = r.place if r is not None and r.located else None
    if p is None or not m.text.isupper() or len(m.key) > 3 or " " in m.key \
            or p.feature is not Feature.POINT or normalise(p.name) == m.key \
            or p.population >= ABBREVIATED_CITY \
            or evidence.others_in(p.country, m.key) or p.country in named:
        return ""
    return (f"an acronym: in capitals, it matches {p.name} ({p.country}) only by a code among "
            "its names, outside the report's countries")


def _read_again(m: Mention, gazetteer, query: str, iso: str, kinds: tuple[str, ...],
                why: str) -> None:
    """Resolve ``query`` again inside country ``iso``; when the answer is of one of ``kinds``
    (any kind when empty), it becomes the mention's, its reason opened by ``why``."""
    answer = gazetteer.resolve(query, country=iso)
    p = answer.place if answer.located else None
    if p is not None and p.country == iso and (not kinds or p.kind in kinds):
        m.resolution = dataclasses.replace(answer, query=m.query, reason=f"{why}; {answer.reason}")


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
        _read_again(m, gazetteer, m.query, alternative.country, ("country",),
                    f"in a list of countries (with {sibling.text}), so the country")


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
        if unit is not None and unit.country:
            _read_again(m, gazetteer, m.query, unit.country, _QUALIFIER_KINDS,
                        f"after “{before.text},” a qualifier: the unit or country of that name")


#: Short names news gives a country whose own name is longer: "Congo" for the Democratic
#: Republic of the Congo (the Republic of the Congo is "Congo-Brazzaville" or "the Republic
#: of Congo" in news), "Korea" for South Korea. Used only when the report's places lie in
#: that country and none in the country the short name would otherwise be.
NEWS_SHORT_NAMES = {"congo": "CD", "korea": "KR"}


def news_short_names(found: list[Mention], countries: set[str], evidence: ReportCountries,
                     gazetteer) -> None:
    """"Eastern Congo" in a report on Goma is the DR Congo (see :data:`NEWS_SHORT_NAMES`)."""
    for m in found:
        iso = NEWS_SHORT_NAMES.get(m.key)
        r = m.resolution
        if iso is None or iso not in countries or r is None:
            continue
        p = r.place if r.located else None
        if p is not None and (p.country == iso or evidence.others_in(p.country, m.key)):
            continue  # other names of the report lie in the country the name says
        full = country_words().name_of.get(iso, iso)
        query = re.sub(r"(?i)\b" + re.escape(m.key) + r"\b", full, m.query)  # "eastern Congo"
        _read_again(m, gazetteer, query, iso, (),
                    f"news calls {full} '{m.key.title()}', and the report's places lie there")
