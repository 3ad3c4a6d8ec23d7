"""What a place name stands for where it is written: a place (``location``), an
area (``region``), a government or party (``actor``) or not a place at all (``other``).

The rules read the words around the mention (the sentence it stands in) and, for
actors, what the gazetteer says the place is: only a country or a national
capital can stand for a government ("Ankara will…", "the Damascus government",
"if Russia and Turkey find no understanding").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conflictmap.extract import lexicon as lx
from conflictmap.extract.names import COMMON, Token
from conflictmap.gazetteer.bulk import AREA_KINDS
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.names import normalise
from conflictmap.model import Feature, Resolution

LOCATION, REGION, ACTOR, OTHER = "location", "region", "actor", "other"
ROLES = (LOCATION, REGION, ACTOR, OTHER)

_UNITS = "|".join(lx.UNIT_NOUNS)
_AREA_OF = re.compile(
    rf"(?:\b(?P<dir>{lx.DIRECTION})(?:ern)?\s+)?\b(?P<word>countryside|provinces|governorates|"
    rf"districts|{_UNITS}|outskirts|vicinity|suburbs|environs|"
    r"surroundings|area|areas|rural areas|parts?)\s+of\s+(?:the\s+(?:city|town|village)\s+of\s+)?$",
    re.IGNORECASE)
_AREA_AFTER = re.compile(rf"^\s+(?P<word>{_UNITS}|countryside|area|plain|plains)\b", re.IGNORECASE)
_DIRECTION_BEFORE = re.compile(rf"\b(?P<dir>{lx.DIRECTION})(?:ern)?\s+$", re.IGNORECASE)
_DIRECTION_STARTS = ("north", "south", "east", "west")
_ARABIC_AREA = re.compile(r"(?P<word>ريف|محافظة|منطقة|ناحية)\s+$")
_ADMIN_WORDS = {*lx.UNIT_NOUNS, "provinces", "governorates", "districts"}
_AREA_KEY_WORDS = {"province", "governorate", "district", "region", "countryside", "border",
                   "area", "plain", "valley", "mountains", "range"}


@dataclass
class Mention:
    """A place name found in the report, with its role and resolution."""

    text: str
    start: int
    end: int
    key: str
    sentence: tuple[int, int]  #: span of the sentence it stands in
    first: int = 0  #: index of its first token in the sentence's tokens
    last: int = 0
    query: str = ""  #: what is resolved (an area phrase for "the countryside of X")
    area: str = ""  #: "admin", "countryside" or "" when the text makes it an area
    role: str = ""
    why: str = ""
    resolution: Resolution | None = None
    qualifies: int | None = None  #: index of the mention this one locates ("X of Y province")
    in_title: bool = False  #: in a headline, where capitals say nothing
    #: for a name no gazetteer source knows, the words that make it a place ("village of")
    cue: str = ""
    #: a capitalised run of words no exact key matched, kept only if it is a spelling
    #: variant of a place in the report's countries ("Lower Shabelle", "Pétion-Ville")
    spelled: bool = False
    #: the learned sequence model's probability that its words are a place name (None: no model)
    seq: float | None = None

    @property
    def place_key(self) -> str:
        """What the mention stands for: its place's key, or the phrase when not located
        (two mentions of one place share it)."""
        r = self.resolution
        return r.place.key if r is not None and r.place is not None else self.query

    def as_dict(self) -> dict:
        r = self.resolution
        place = None
        if r is not None and r.located and r.place is not None:
            p = r.place
            place = {"name": p.name, "lat": round(p.lat, 5), "lon": round(p.lon, 5),
                     "kind": p.kind, "country": p.country, "precision": int(r.precision or 1),
                     "uncertainty_km": p.uncertainty_km, "source": p.source,
                     "geonameid": p.geonameid}
        return {"text": self.text, "start": self.start, "end": self.end, "role": self.role,
                "why": self.why, "query": self.query, "place": place,
                "status": r.status.value if r else "unresolved",
                "reason": r.reason if r else ""}


def extend_area(m: Mention, text: str, previous: Mention | None) -> None:
    """Grow a mention over the area words around it and set the query to resolve."""
    s0, s1 = m.sentence
    s0 = max(s0, m.start - 100)  # area words stand close to the name
    before, after = text[s0:m.start], text[m.end:min(s1, m.end + 40)]
    core = text[m.start:m.end]
    direction = ""
    tail = before[-40:].lower()
    hit = _AREA_OF.search(before) if (" of " in tail or tail.endswith(" of")) else None
    if hit and (previous is not None and s0 + hit.start() < previous.end
                or m.key.split()[-1] in _AREA_KEY_WORDS):
        hit = None  # the area word belongs to the name before ("X District of Y province")
    if hit:
        word = hit.group("word").lower()
        # "parts of X" are in X itself, not its countryside ("overran large parts of Ghazni")
        m.area = "admin" if word in _ADMIN_WORDS else "" if word in ("part", "parts") else "countryside"
        direction = (hit.group("dir") or "").lower().replace("-", "")
        m.start = s0 + hit.start()
    elif previous is not None and previous.area and previous.end >= s0 \
            and lx.COORDINATED.fullmatch(text[previous.end:m.start] + " "):
        m.area = previous.area  # "the provinces of Aleppo and Idlib"
    elif not before.isascii() and (hit2 := _ARABIC_AREA.search(before)) is not None:
        m.area = "countryside" if hit2.group("word") == "ريف" else "admin"
        m.start = s0 + hit2.start()
    elif before.endswith("Greater "):
        m.area = "admin"
        m.start = s0 + len(before) - len("Greater ")
    else:
        last = tail.rsplit(None, 1)[-1] if tail.strip() else ""
        d = _DIRECTION_BEFORE.search(before) if last.startswith(_DIRECTION_STARTS) else None
        if d and not re.search(r"\d\s*(?:km|kilomet|mi)", before[-30:], re.I):
            direction = d.group("dir").lower().replace("-", "")
            m.start = s0 + d.start()
    a = _AREA_AFTER.match(after)
    if a and not m.area and core.split()[-1].lower() not in _AREA_KEY_WORDS:
        m.area = "countryside" if a.group("word").lower() in ("countryside", "area") else "admin"
        m.end += a.end()
    m.text = text[m.start:m.end]
    if m.area == "admin":
        m.query = f"{direction}ern {core} province" if direction else f"{core} province"
    elif m.area == "countryside":
        m.query = f"{direction}ern countryside of {core}" if direction else f"countryside of {core}"
    elif direction:
        m.query = f"{direction}ern {core}"
    else:
        m.query = core


#: A name made an adjective by a participle ("Idlib-based", "Kurdish-led", "Russia-backed"):
#: it qualifies a group or a person, it is no place of events.
_COMPOUND_ADJECTIVE = re.compile(r"-(?:based|born|registered|headquartered|made|listed|led|backed|"
                                 r"held|controlled|occupied|linked|allied|aligned|affiliated|"
                                 r"supported|sponsored|dominated)\b")


#: An armed group named after a place: "Islamic State West Africa Province", "the Islamic
#: State in the Greater Sahara", "Islamic State's Sinai Province" (the place is no claim).
_GROUP_BEFORE = re.compile(r"\b(?:islamic state|isis|isil)(?:['’]s)?\s+(?:(?:in|of)\s+(?:the\s+)?)?$")
_GROUP_IN = re.compile(r"\b(?:islamic state|isis|isil)\s+(?:in|of)\s+(?:the\s+)?$")


def _run_words(toks: list[Token], text: str, first: int, last: int) -> list[str]:
    """Capitalised words joined to the mention on either side (a longer proper name)."""
    words = []
    i = first - 1
    while i >= 0 and toks[i].upper and toks[i + 1].joined and not (
            toks[i].sentence_start and toks[i].key in COMMON):
        words.append(text[toks[i].start:toks[i].end])
        i -= 1
    j = last + 1
    while j < len(toks) and toks[j].upper and toks[j].joined and toks[j].key not in lx.DATE_WORDS:
        words.append(text[toks[j].start:toks[j].end])
        j += 1
    return words


def _is_actor_place(m: Mention) -> str:
    """The ISO code when the mention is a country or a national capital."""
    r = m.resolution
    if r is None or r.place is None:
        return ""
    p = r.place
    if p.kind == "country":
        return p.country
    capitals = country_words().capitals
    iso = capitals.get(m.key)
    return iso if iso and p.country == iso else ""


def assign_role(m: Mention, text: str, toks: list[Token], organisations: list[tuple[int, int, str]],
                others_before: list[Mention], next_mention: Mention | None) -> None:
    """Set ``m.role`` and ``m.why`` from the words around the mention."""
    s0, s1 = m.sentence
    before = text[max(s0, m.start - 120):m.start].lower()
    after = text[m.end:min(s1, m.end + 120)].lower()
    for a, b, org in organisations:
        if a <= m.start and m.end <= b:
            m.role, m.why = OTHER, f"part of the name {org}"
            return
    if _GROUP_BEFORE.search(before) and (m.text.lower().endswith(" province") or
                                         after.startswith(" province") or _GROUP_IN.search(before)):
        m.role, m.why = OTHER, "part of an armed group's name (a branch of the Islamic State)"
        return
    if _COMPOUND_ADJECTIVE.match(after):
        m.role, m.why = OTHER, "an adjective (“…-based”, “…-led”), not a place of events"
        return
    run = [] if m.in_title else [w for w in _run_words(toks, text, m.first, m.last)
                                 if w.lower().strip("'’") not in lx.PLACE_WORDS]
    if run and not m.area:
        titled = [w for w in run if w.lower().rstrip(".") in lx.TITLES]
        org_words = [w for w in run if w.lower() in lx.ORGANISATION_WORDS]
        if titled:
            m.role, m.why = OTHER, "part of a person's name or title"
        elif org_words:
            m.role, m.why = OTHER, f"part of an organisation's name ({' '.join(run)})"
        else:
            m.role, m.why = OTHER, f"part of a longer name ({' '.join(run)})"
        return
    if lx.PROCESS.match(after) and re.search(r"\bthe\s+$", before):
        m.role, m.why = OTHER, "the name of a process or agreement"
        return
    demonyms = country_words().demonyms
    r = m.resolution
    if m.key in demonyms and r is not None and r.place is not None \
            and r.place.kind == "country" and m.key != normalise(r.place.name):
        m.role, m.why = OTHER, "an adjective (nationality), not a place"
        return
    iso = _is_actor_place(m)
    if iso and not m.area:
        if lx.GOVERNMENT.match(after):
            m.role, m.why = ACTOR, "stands for a government (“the … government”, possessive)"
            return
        rest = after
        if next_mention is not None and next_mention.sentence == m.sentence:
            gap = text[m.end:next_mention.start]
            if lx.COORDINATED.fullmatch(gap.lower() + " ") and _is_actor_place(next_mention):
                rest = text[next_mention.end:s1].lower()
        if lx.ALIGNED_WITH.search(before):
            m.role, m.why = ACTOR, "a party others are aligned with or backed by"
            return
        if lx.AGENCY_VERBS.match(rest):
            m.role, m.why = ACTOR, "the subject of what a government does or says"
            return
        if lx.BETWEEN.search(before) and lx.TALKS.search(text[s0:s1].lower()):
            m.role, m.why = ACTOR, "a party to talks or an agreement"
            return
        if others_before and others_before[-1].role == ACTOR and others_before[-1].sentence == m.sentence \
                and lx.COORDINATED.fullmatch(text[others_before[-1].end:m.start].lower() + " "):
            m.role, m.why = ACTOR, "named together with another party"
            return
    if lx.GROUP_NOUNS.match(after) and not m.area:
        m.role, m.why = OTHER, "an adjective describing a group, not a place"
        return
    if r is None or not r.located or r.place is None:
        m.role = REGION if m.area else LOCATION
        m.why = "a place name the gazetteer could not place here"
        return
    p = r.place
    if m.area or p.feature is Feature.AREA or p.kind in AREA_KINDS or p.kind in (
            "country", "continent") or set(m.key.split()) & _AREA_KEY_WORDS:
        m.role, m.why = REGION, "an area" + (f" ({p.kind})" if p.kind else "")
        return
    m.role, m.why = LOCATION, "a place where something happens or stands"


