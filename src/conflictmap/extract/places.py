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
from dataclasses import dataclass

from conflictmap.extract.people import person_reason
from conflictmap.extract.roles import Mention
from conflictmap.gazetteer import fuzzy_only, spelling_only
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.document import Occurrence, filed_at, name_contexts
from conflictmap.gazetteer.qualified import UNIT_KINDS
from conflictmap.gazetteer.rank import Context, km
from conflictmap.model import Resolution, Status

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
    # the names left out of the evidence read the whole document's context
    contexts = name_contexts([first[m.query] for m in found if plausible(m, countries)], base,
                             others=list(first))
    # a name with one reading (no runner-up) cannot change with context
    second = {q: (gazetteer.resolve(q, context=contexts[q])
                  if (r.candidates or not r.located) and contexts[q] != base else r)
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
    per_country = report_countries(found, text).by_country
    if not per_country:
        return set()
    top = max(per_country.values())
    return {c for c, n in per_country.items() if c and n * 5 >= top}


@dataclass(frozen=True)
class ReportCountries:
    """Where a report's hard-to-mistake names (see :func:`_hard_to_mistake`) stand, by
    country: the evidence the namesake rules weigh (:mod:`conflictmap.extract.namesakes`)."""

    by_name: Counter[tuple[str, str]]  #: (country, name key) -> how often
    by_country: Counter[str]  #: country -> how often
    #: country -> where its likely such places lie (at most 200 points each)
    anchors: dict[str, list[tuple[float, float, str]]]  #: (lat, lon, name key) by country

    def others_in(self, country: str, key: str) -> bool:
        """Whether names of the report other than ``key`` lie in ``country``."""
        return self.by_country[country] > self.by_name[country, key]


def report_countries(found: list[Mention], text: str = "") -> ReportCountries:
    """Count and locate the report's hard-to-mistake names by country (one pass)."""
    by_name: Counter[tuple[str, str]] = Counter()
    by_country: Counter[str] = Counter()
    anchors: dict[str, list[tuple[float, float, str]]] = {}
    for m in found:
        r = m.resolution
        p = r.place if r is not None else None
        if p is None or not _hard_to_mistake(m, p, text):
            continue
        by_name[p.country, m.key] += 1
        by_country[p.country] += 1
        if r is not None and r.likely \
                and p.kind not in ("country", "continent", "region"):
            points = anchors.setdefault(p.country, [])
            if len(points) < 200:
                points.append((p.lat, p.lon, m.key))
    return ReportCountries(by_name, by_country, anchors)


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
_WATER_BEFORE = re.compile(r"\b(river|lake|mount|mt\.|jabal|jebel|wadi|cape)[ \t]+$", re.I)
#: A water or relief word that opens or closes a name ("Lake Kivu", "Amu Darya").
_INNER_WATER = re.compile(r"^(lake|mount|mt|river|jabal|jebel|wadi|cape|gulf|nahr)\b\.?|"
                          r"\b(river|lake|sea|strait|canal|reservoir|darya)$", re.I)
#: What a landform word before a name says the name is ("Mount Cameroon" is no country).
_LANDFORMS = {"mount": "mountain", "mt.": "mountain", "jabal": "mountain", "jebel": "mountain",
              "wadi": "valley", "cape": "cape"}
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
    """Why a name is left unresolved when the text names a river, sea or landform by it
    ("the Oskil river" is not the village of Oskil, "the Red Sea" not Sudan's Red Sea state,
    "on the White Nile." not White Nile state, "Mount Cameroon" not the country); "" when
    it does not."""
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
    if not found and p is None and len(m.text.split()) > 1:
        # the water word is part of a name no source knows ("Lake Kivu"); a name the
        # gazetteer knows whole ("Mount Simeon District") is what it says
        found = _INNER_WATER.search(m.text)
        if found:
            word = (found.group(1) or found.group(2)).lower()
            word = {"darya": "river", "nahr": "river", "mt": "mount"}.get(word, word)
            absent = "mountains, valleys and capes" if word in _LANDFORMS else "rivers, seas and lakes"
            return (f"names a {_LANDFORMS.get(word, word)} ({m.text}); {absent} are not in the "
                    "offline gazetteer")
    if not found:
        return ""
    phrase = text[min(m.start, found.start()):max(m.end, found.end())].strip()
    word = found.group(1).lower()
    absent = "mountains, valleys and capes" if word in _LANDFORMS else "rivers, seas and lakes"
    return (f"names a {_LANDFORMS.get(word, word)} ({phrase}); {absent} are not in the offline "
            "gazetteer, so the "
            f"{m.resolution.place.kind if m.resolution and m.resolution.place else 'place'} "
            "of that name is not given as its position")


def whole_name(text: str, m: Mention) -> tuple[int, int] | None:
    """The span of a landform's or a water's whole name around a mention whose feature word
    stands right before or after it ("Jabal Sinjar", "the Oskil river": "Oskil river"), or
    None."""
    after = _WATER_AFTER.match(text, m.end, min(len(text), m.end + 40))
    before = _WATER_BEFORE.search(text, max(0, m.start - 12), m.start)
    if not (after or before):
        return None
    return (before.start() if before else m.start, after.end() if after else m.end)


#: A small place in a neighbouring country the report names ("the Adre crossing" into
#: Chad, in a report on Darfur) counts when it lies this close to the report's places (km).
ACROSS_BORDER_KM = 300.0


def named_and_anchors(found: list[Mention], countries: set[str]
                       ) -> tuple[set[str], list[tuple[float, float]]]:
    """The countries the report names as countries, and where its likely places in its
    main countries lie."""
    named: set[str] = set()
    anchors: list[tuple[float, float]] = []
    for m in found:
        r = m.resolution
        p = r.place if r is not None else None
        if p is None or r is None or not r.likely:
            continue
        if p.kind == "country":
            named.add(p.country)
        elif p.country in countries and len(anchors) < 200:
            anchors.append((p.lat, p.lon))
    return named, anchors


def across_a_named_border(m: Mention, named: set[str], anchors: list[tuple[float, float]]) -> bool:
    p = m.resolution.place if m.resolution else None
    return (p is not None and p.country in named
            and any(km(a, (p.lat, p.lon)) <= ACROSS_BORDER_KM for a in anchors))


def as_a_place(m: Mention, text: str) -> bool:
    """A dateline ("KYIV, March 3", or at a line's start "Bangui, 6 December 2013") or a
    locative ("in Kyiv")."""
    return ((m.text.isupper() and text[m.end:m.end + 1] == ",")
            or ((m.start == 0 or text[m.start - 1] == "\n") and _DATED.match(text, m.end) is not None)
            or text[max(0, m.start - 3):m.start].lower() == "in ")


#: A date right after a name and a comma: the name is a dateline's.
_DATED = re.compile(r",\s+(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
                    re.IGNORECASE)


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
    ("Lower Shabelle" = Shabeellaha Hoose in a report on Somalia): located (the ranker
    gives it a position), not by a fuzzy match, inside those countries. The others
    (people, organisations) are left out."""
    inside = countries or ({country} if country else set())
    hint = Context(country=country)
    out = []
    for m, toks in pairs:
        r = gazetteer.resolve(m.query, context=hint)
        p = r.place if r.located else None
        if p is None or fuzzy_only(r) or p.country not in inside:
            continue
        m.resolution = r
        out.append((m, toks))
    return out


def unknown_place(m: Mention) -> None:
    """A name no source knows (found by its cue) stays unresolved with the reason; a
    similar spelling is named in the reason, never given as its position."""
    r = m.resolution
    if r is None or (r.located and r.place is not None and not fuzzy_only(r)):
        return  # a spelling variant or an area phrase the gazetteer knows
    # a similar spelling the ranker found unlikely is named too, never a loose variant
    similar = r.place if r.located else (
        r.candidates[0].place if r.candidates and r.match == "fuzzy" else None)
    near_miss = f"; a similar spelling: {similar.name} ({similar.country})" if similar else ""
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
