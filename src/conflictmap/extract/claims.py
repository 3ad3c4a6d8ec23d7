"""Draft claims from the sentences around located mentions: kind, actors, date,
and the spatial statements ("30 km west of Aleppo") to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conflictmap.extract import lexicon as lx
from conflictmap.extract.roles import ACTOR, LOCATION, REGION, Mention
from conflictmap.extract.text import MONTHS
from conflictmap.gazetteer.countries import country_words
from conflictmap.kinds import KINDS, ClaimKind
from conflictmap.model import Check, PlaceRef

_LEFT_WORDS = 10  #: a cue counts when it stands this many words before the mention ...
_RIGHT_WORDS = 6  #: ... or this many after it, in the same clause


@dataclass
class DraftClaim:
    kind: ClaimKind
    mention: Mention  #: where it happened, or the origin of a movement
    destinations: list[Mention] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    time_precision: int = 1
    prospect: bool = False  #: the text presents it as possible or intended
    checks: list[Check] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    refers_back: bool = False  #: the sentence says "this town" or "it", not the name
    #: the part of the place the text names, when the gazetteer lacks it ("Karari district"):
    #: the claim is then drawn at the place it is part of
    part: str = ""


#: Where a clause ends for the scope of a denial or a demand ("X denied it, but rebels took
#: Y"); after ", saying" the speaker asserts ("denied they had stormed X, saying the base
#: had long been in government hands").
CLAUSE_BREAK = re.compile(r";|, (?:and|but|while|saying|adding) ")


#: Characters around a mention where its cue, the clause breaks and the neighbouring
#: places that matter to it can stand (a cue counts within 10 words): looking no further
#: keeps the work per mention bounded, however long the sentence.
WINDOW = 400


def _window(m: Mention) -> tuple[int, int]:
    return max(m.sentence[0], m.start - WINDOW), min(m.sentence[1], m.end + WINDOW)


def _clause(text: str, m: Mention) -> tuple[int, int]:
    """The clause around a mention (within its window): bounded by ";" or by a comma
    before "and", "but", "while" (a new verb phrase), unless the mention itself follows
    ", and" (the last name of a list)."""
    left, right = _window(m)
    for b in CLAUSE_BREAK.finditer(text, left, right):
        if b.end() <= m.start:
            if b.group(0) == ", and " and text[b.end():m.start] in ("", "the "):
                continue  # "captured X, the country's second city, and Y": a list, not a clause
            left = b.end()
        elif b.start() >= m.end:
            return left, b.start()
    return left, right


def near(items: list, lo: int, hi: int, start: Callable[[Any], int]) -> list:
    """The items (sorted by ``start``) that start between ``lo`` and ``hi``."""
    return items[bisect_left(items, lo, key=start):bisect_right(items, hi, key=start)]


def _words_between(text: str, a: int, b: int) -> int:
    return len(re.findall(r"\w+", text[a:b]))


_TRIGGERS: dict[str, list[tuple[ClaimKind, re.Pattern]]] = {}
for _kind, _info in KINDS.items():
    for _letters in _info.cue_starts.split():
        if _info.cue is not None:
            _TRIGGERS.setdefault(_letters, []).append((_kind, _info.cue))
#: Where a word starts with one of the cue starts (one scan of the sentence in C).
_TRIGGER_AT = re.compile(r"(?=[^\W\d_])\b(?:" + "|".join(
    re.escape(p) for p in sorted(_TRIGGERS, key=len, reverse=True)) + ")")


def cues(text: str, sentence: tuple[int, int]) -> list[tuple[int, int, ClaimKind]]:
    """Every kind cue of a sentence, as (start, end, kind): a kind's pattern is tried
    only where a word starts with one of its cue starts."""
    s0, s1 = sentence
    lowered = text[s0:s1].lower()
    out: set[tuple[int, int, ClaimKind]] = set()
    for word in _TRIGGER_AT.finditer(lowered):
        w = lowered[word.start():word.start() + 4]
        for prefix in {w[:4], w[:3], w[:2]}:
            for kind, pattern in _TRIGGERS.get(prefix, ()):
                hit = pattern.match(lowered, word.start())
                if hit and not _in_a_name(text, s0 + hit.start(), s0):
                    out.add((s0 + hit.start(), s0 + hit.end(), kind))
    # the words that name a source are no event: "according to soldiers who reached the town"
    sources = [(s0 + a.start(), s0 + a.end()) for a in _ATTRIBUTION.finditer(lowered)]

    def in_source(at: int) -> bool:  # the sources do not overlap: the last one before decides
        i = bisect_right(sources, (at, len(text))) - 1
        return i >= 0 and sources[i][0] <= at < sources[i][1]

    # the longest cue at a place wins: "moved into" (an advance) over "moved" (a movement)
    found = sorted(c for c in out if not in_source(c[0])
                   and not _FLED_FROM.search(text, max(s0, c[0] - 40), c[0])
                   and not _SINCE.search(text, max(s0, c[0] - 20), c[0]))
    starts = [c[0] for c in found]  # a longer cue around a cue starts at most _CUE_CHARS before it
    return [c for c in found if not any(
        o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0]
        for o in found[bisect_left(starts, c[0] - _CUE_CHARS):bisect_right(starts, c[0])])]


#: The longest a kind's cue can be, in characters ("cut the militants' escape route at").
_CUE_CHARS = 120


#: What people fled: "people who fled the fighting in X" tells of their flight, not of an
#: event this report reports (the fighting is the background).
_FLED_FROM = re.compile(r"\b(?:fled|flee|flees|fleeing|escaped|escaping|escape|displaced by|"
                        r"uprooted by)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
#: An event as a time reference: "its biggest gain since the fall of X".
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
#: A source named by "according to", to the end of its clause.
_ATTRIBUTION = re.compile(r"\baccording to\b[^,;.]*")


def _in_a_name(text: str, at: int, s0: int) -> bool:
    """Whether a cue word is capitalised inside a sentence: part of a name ("the Line of
    Control", "Operation Hold"), no cue."""
    return text[at].isupper() and at > s0 and not text[s0:at].rstrip().endswith(('"', "“", ":"))


def claim_kind(text: str, m: Mention, others: list[Mention],
               sentence_cues: list[tuple[int, int, ClaimKind]] | None = None
               ) -> tuple[ClaimKind, int]:
    """The kind of event the clause reports at the mention, and where its cue stands."""
    c0, c1 = _clause(text, m)
    if sentence_cues is None:
        sentence_cues = cues(text, m.sentence)
    lo, hi = _window(m)
    around = [o for o in near(others, lo - WINDOW, hi, mention_start) if o is not m]
    busy = [(o.start, o.end) for o in around]
    # "Galcad, a town 60 km east of X, came under fire": the verb after the apposition is
    # the name's own, and the places inside the apposition are no objects of it
    app = _APPOSITION.match(text, m.end, c1 if c1 > m.end else m.end)
    app_end = app.end() if app else m.end
    # "the K1 base north-west of the city was back in army hands": the site word and a
    # bearing from another place belong to the name's phrase, not to the words between
    # it and its verb; nor is the site word a cue ("arrived at Habbaniya base": the kind of
    # site, no claim of control)
    site = _SITE_PHRASE.match(text, app_end, c1 if c1 > app_end else app_end)
    app_end = site.end() if site else app_end
    places_after = [o.start for o in around if o.role in (LOCATION, REGION) and o.start >= app_end]
    places_before = [o for o in around if o.role in (LOCATION, REGION) and o.end <= m.start]
    best: tuple[int, ClaimKind, int] | None = None
    for a, b, kind in near(sentence_cues, lo, hi, cue_start):
        if a < c0 or b > c1 or any(x <= a < y for x, y in busy):
            continue  # outside the clause, or a cue inside another place name
        if b <= m.start:
            rank = _words_between(text, b, m.start)
            if rank > _LEFT_WORDS:
                continue
            if _unknown_object(text, b, m.start, busy):
                continue  # "advancing toward Zepa": the cue's place is a name the gazetteer lacks
            # a place's possessive before the name is part of its phrase: "Omdurman's Karari district"
            # and so is a possessive inside an apposition ("X, Afghanistan's second city, and Y")
            between = [o for o in places_before if o.start >= b
                       and text[o.end:m.start] not in ("'s ", "\u2019s ")
                       and text[o.end:o.end + 2] not in ("'s", "\u2019s")]
            chain = [*between, m]
            if between and not all(_COORDINATION.match(text, a.end, b.start)
                                   or _COORDINATED_PAST_APPOSITION.fullmatch(text, a.end, b.start)
                                   for a, b in itertools.pairwise(chain)):
                # "took the Gaza side of the crossing with Egypt": the cue's place is Gaza;
                # "near X, on the border with Y and Z": Z is listed with Y, not with X
                continue
        elif m.end <= a < app_end:
            continue  # a cue inside the apposition describes the reference, not the name
        elif a >= m.end:
            if _SPEECH.search(text, app_end, a):
                continue  # "an official in X called the withdrawal a mistake": X is where he is
            dist = _words_between(text, app_end, a)
            if dist > _RIGHT_WORDS or any(
                    b <= o and _words_between(text, b, o) <= _LEFT_WORDS for o in places_after):
                continue  # the cue governs the next place named after it
            rank = dist + _LEFT_WORDS  # a cue before the place is preferred
        else:
            rank = -1  # inside the mention itself ("Turkish-occupied Afrin region")
        if text[a:b].lower() in _NOUN_CUES or (kind is ClaimKind.CONTROL and rank >= 0 and a
                                                and text[a - 1] == "-"):
            # "bombed a convoy", "shelled the outskirts", "pounded rebel-held villages in X":
            # the verb decides; the noun or the compound describes the target
            rank += _LEFT_WORDS + _RIGHT_WORDS
        if kind is ClaimKind.CONTROL and b <= m.start and text[a:b].lower() == "occupied" \
                and text[b:m.start] == " " and text[max(0, a - 4):a].lower() == "the ":
            continue  # "the occupied West Bank": a name's usual epithet, no claim of the report
        if best is None or rank < best[0]:
            best = (rank, kind, a)
    return (best[1], best[2]) if best else (ClaimKind.MENTION, -1)


_SITE_PHRASE = re.compile(rf"\s+(?:(?:air|military|army|naval|air force)\s+)?base\b(?:\s+{lx.DIRECTION}"
                          rf"(?:ern)?\s+of\s+(?:the\s+)?[\w-]+)?", re.IGNORECASE)
#: An apposition right after a name, between commas: ", a town 60 km east of X,".
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+[^,;.()]{1,80}|(?:about\s+|some\s+|around\s+)?"
                         r"\d[\d.]*\s*(?:km|kilometres|kilometers|miles)\s+[^,;.()]{1,60}),")

#: A settlement noun right before a direction or distance phrase: "an industrial town north
#: of X" is another place, named by its bearing from X.
SETTLEMENT_BEFORE = re.compile(r"\b(?:towns?|villages?|city|cities|settlements?|hamlets?|"
                               r"districts?|camps?|suburbs?)\s*,?\s*$", re.IGNORECASE)

_OBJECT = re.compile(r"\s+(?:(?:toward|towards|to|into|on|at|in|near|from)\s+)?"
                     r"(?P<name>[A-Z][\w'’-]*[a-z][\w'’-]*)")


def _unknown_object(text: str, cue_end: int, place_start: int, busy: list[tuple[int, int]]) -> bool:
    """The cue's object, right after it, is a capitalised name that is no mention (a place
    the gazetteer lacks), standing before the place the cue would otherwise govern."""
    hit = _OBJECT.match(text, cue_end, place_start)
    if hit is None or any(x <= hit.start("name") < y for x, y in busy):
        return False
    word = hit.group("name").lower()
    if _MODIFIES.match(text, hit.end()):
        return False  # "air strikes on Houthi positions in X": the name describes a noun
    return word not in country_words().demonyms and word not in lx.NOT_OBJECTS


#: A lower-case word after a capitalised one that is no function word: the capitalised word
#: modifies it ("Houthi positions", "RSF fighters"), it is no place of its own.
_MODIFIES = re.compile(r" (?!(?:on|in|at|to|into|from|near|after|before|and|or|but|as|with|"
                       r"where|which|while|when|for|by|of|the|a|an|since|until|during|"
                       r"overnight|late|later|early|earlier|again|last|this|that|yesterday|today|"
                       r"tonight|now|then|itself|once|too)\b)[a-z]{3,}\b")


#: Cues that are nouns describing the target or the setting ("a Tiger base", "the outskirts",
#: "a convoy", "positions"): a verb or event noun of the same clause decides the kind before them.
_NOUN_CUES = frozenset({"base", "main base", "stronghold", "outskirts", "convoy", "convoys",
                        "holding", "hold", "holds", "reinforcements", "reinforcement",
                        "target", "targets"})

#: What makes two places after one cue both its objects: a list comma alone, or "and"/"or"
#: ("took parts of Gondar and of the old town of Lalibela"); not ", in the hills above".
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:and|or|as well as)\b|\s*,\s*$", re.IGNORECASE)
#: Two places listed with an apposition after the first: "X, the country's second city, and Y".
_COORDINATED_PAST_APPOSITION = re.compile(r",\s+[^,;.()]{1,60},\s*(?:and|or)\s+", re.IGNORECASE)


def mention_start(m: Mention) -> int:
    """The key that keeps mentions in reading order (for sorting and :func:`near`)."""
    return m.start


def cue_start(cue: tuple[int, int, ClaimKind]) -> int:
    return cue[0]


@functools.lru_cache(maxsize=64)
def _actor_patterns(demonym: str) -> tuple[re.Pattern, dict[str, str]]:
    """All actor phrases as one pattern (a named group each) and the names they give."""
    government = lx.GOVERNMENT_FORCES.format(demonym=re.escape(demonym.lower()))
    name = f"{demonym} government forces" if demonym else "Government forces"
    phrases = [(government, name), *((p.pattern, n) for p, n in lx.ACTOR_PHRASES)]
    # the lookahead lets the engine skip spaces and punctuation fast (a third quicker)
    pattern = re.compile(r"(?=[^\W\d_])\b(?:" + "|".join(f"(?P<a{i}>{p})"
                                                       for i, (p, _) in enumerate(phrases)) + ")")
    return pattern, {f"a{i}": n for i, (_, n) in enumerate(phrases)}


def actors_in(text: str, start: int, end: int, demonym: str, mentions: list[Mention],
              country_name: dict[str, str]) -> list[tuple[int, str]]:
    """Actors a sentence names, as (position, name) in the order they first stand: armed
    forces and groups of the lexicon, a country's forces ("Israeli tanks"), governments
    named by place, and other named forces ("the Rapid Support Forces", "the Arakan Army").
    """
    pattern, names = _actor_patterns(demonym)
    said = text[start:end]
    found = [(start + hit.start(), start + hit.end(), names[hit.lastgroup or ""])
             for hit in pattern.finditer(said.lower())]
    demonyms = country_words().demonyms
    for m in mentions:
        if not start <= m.start < end or not m.resolution or not m.resolution.place:
            continue
        iso = m.resolution.place.country
        if m.role == ACTOR:
            found.append((m.start, m.end, country_name.get(iso, m.resolution.place.name)))
        elif m.key in demonyms and (forces := lx.FORCES_AFTER.match(text, m.end, end)) \
                and not any(a <= m.start < b for a, b, _ in found):  # "Israeli tanks"
            word = text[m.start:m.end]
            own = word.lower() == demonym.lower()
            found.append((m.start, forces.end(), f"{demonym} government forces" if own
                          else f"{word[:1].upper()}{word[1:]} armed forces"))
    named = () if not any(w in said for w in lx.FORCE_NOUNS) else lx.NAMED_FORCES.finditer(
        text, start, end)  # the pattern is slow to try everywhere; most sentences lack the nouns
    for hit in named:
        a0 = hit.start("name")
        if not any(a < hit.end() and a0 < b for a, b, _ in found):
            found.append((a0, hit.end(), hit.group("name")))
    seen: dict[str, int] = {}
    for pos, _, name in sorted(found):
        seen.setdefault(name, pos)
    return [(pos, name) for name, pos in seen.items()]


#: Words that open a clause of its own inside a sentence: the actor of the verb after
#: them stands after them ("the government declared an emergency after militias took X").
_SUBORDINATE = re.compile(r"\b(?:after|before|as|when|while|since|because|although|whereas|"
                          r"until|once|where|which|who)\b|[;:]| - ", re.IGNORECASE)


_PASSIVE = re.compile(r"(?i)(?:\w+ ){0,2}?(?:held|controlled|captured|taken|seized|retaken|"
                      r"recaptured|besieged|encircled|surrounded|shelled|attacked|targeted|"
                      r"occupied|liberated|overrun|stormed) by (?:the )?|fell to (?:the )?|"
                      r"(?:in|into) the hands of (?:the )?|under (?:the )?control of (?:the )?")


def subject_actors(text: str, sentence_start: int, cue: int, actors: list[tuple[int, str]]
                   ) -> list[str]:
    """The actors of the clause a cue stands in, before the cue ("... after militia
    fighters took control of X": the fighters); [] when that clause names none."""
    passive = _PASSIVE.match(text, cue)
    if passive:  # "held by the Sudanese Armed Forces": the actor follows the cue
        return [name for _, name in actors[bisect_left(actors, (passive.end(), "")):
                                           bisect_left(actors, (passive.end() + 6, ""))]]
    left = max(sentence_start, cue - WINDOW)  # the clause, within the cue's window
    for hit in _SUBORDINATE.finditer(text, left, cue):
        left = hit.end()
    # ``actors`` is sorted by position: the ones of the clause are found by bisection
    return [name for _, name in actors[bisect_left(actors, (left, "")):bisect_left(actors, (cue, ""))]]


def occupier(m: Mention, country_name: dict[str, str]) -> str:
    """The country a place name calls its occupier ("Turkish-occupied Afrin region")."""
    hit = lx.OCCUPIER.search(m.text.lower())
    if not hit:
        return ""
    iso = country_words().demonyms.get(hit.group(1))
    return country_name.get(iso, "") if iso else ""


_ANY_DATE = re.compile(
    r"\bon\s+\w+\s+\d|\bon\s+\d|" + "|".join(rf"\b{w}\b" for w in lx.RELATIVE_DAYS)
    + "|" + "|".join(rf"\bon {d}\b" for d in lx.WEEKDAYS) + "|" + lx.SPAN_WORDS.pattern)


def sentence_date(text: str, report_date: dt.date | None) -> tuple[dt.date | None, int]:
    """The date a sentence gives its events, and the ACLED time precision.

    >>> sentence_date("On February 17, talks began.", dt.date(2020, 2, 18))
    (datetime.date(2020, 2, 17), 1)
    >>> sentence_date("Yesterday the town fell.", dt.date(2020, 2, 18))
    (datetime.date(2020, 2, 17), 1)
    >>> sentence_date("During the past 24 hours they took ten villages.", dt.date(2020, 2, 18))
    (datetime.date(2020, 2, 18), 2)
    """
    low = text.lower()
    if report_date is not None and _ANY_DATE.search(low):
        m = re.search(r"\bon\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})|([a-z]{3,9})\s+(\d{1,2})"
                      r"(?:st|nd|rd|th)?)\b(?:,?\s+(\d{4}))?", low)
        if m:
            day = m.group(1) or m.group(4)
            month = MONTHS.get((m.group(2) or m.group(3) or "")[:9])
            if month and day:
                year = int(m.group(5)) if m.group(5) else report_date.year
                try:
                    d = dt.date(year, month, int(day))
                except ValueError:
                    d = None
                if d is not None:
                    if not m.group(5) and d > report_date:
                        d = d.replace(year=year - 1)
                    return d, 1
        for word, offset in lx.RELATIVE_DAYS.items():
            if re.search(rf"\b{word}\b", low):
                return report_date + dt.timedelta(days=offset), 1
        for i, day_name in enumerate(lx.WEEKDAYS):
            if re.search(rf"\bon {day_name}\b", low):
                back = (report_date.weekday() - i) % 7 or 7
                return report_date - dt.timedelta(days=back), 1
        if lx.SPAN_WORDS.search(low):
            precision = 3 if "month" in low else 2
            return report_date, precision
    return report_date, 1


#: "30 km south-east of ": a distance and a direction from what follows.
_KM_DIRECTION_OF = (rf"(?P<km>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles)"
                    rf"\b\s+(?:to the\s+)?(?P<dir>{lx.DIRECTION})(?:ern|ward)?\s+of\s+")
_DISTANCE = re.compile(rf"{_KM_DIRECTION_OF}(?:the\s+(?:city|town)\s+of\s+)?$", re.IGNORECASE)
#: "Bayt al-Faqih, some 60 km south-east of the city": a distance from the place named before
#: the sentence (not "the city of X", which names it; "the capital" is the report country's).
_DISTANCE_BACK = re.compile(rf"{_KM_DIRECTION_OF}the\s+(?:city|town)\b(?!\s+of\b)",
                            re.IGNORECASE)
#: "Baiji, 40 km to the north", "Brega, the oil town 80 km away": an apposition giving a
#: distance (and a direction) from no named place: from the place the report is about (the
#: city it last named, else the last place named before the sentence).
_DISTANCE_BARE = re.compile(
    r",\s*(?:(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:village|town|city|settlement|suburb|district|"
    r"hamlet|port|hub)\s+)?"
    rf"(?:(?:about|some|around|roughly|nearly|almost|over|more than|less than)\s+)?"
    rf"(?P<km>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles)\b\s+"
    rf"(?:(?:to the\s+)?(?P<dir>{lx.DIRECTION})(?:ern|ward)?\b(?!\s+of\b|-)|away\b(?!\s+from\b))",
    re.IGNORECASE)
#: The relations that measure a place (a "near" is no measure: a distance may follow it).
_MEASURED = ("distance", "bearing")
#: A bearing from the place a report is about, said of the place right before it: "X, north
#: of the city", "X, a village south-east of the city", "the X valley west of the city" (the
#: last city, else the last place named).
_BEARING_BACK = re.compile(rf"(?:,\s*(?:an?\s+(?:[\w-]+\s+){{0,2}}?(?:village|town|city|settlement|suburb|"
                           rf"district|hamlet)\s+)?|\s+(?:valley|area|district|region|countryside|plain|"
                           rf"hills|mountains)\s+)(?:(?:just|some|about|far)\s+)?(?:to the\s+)?"
                           rf"(?P<dir>{lx.DIRECTION})"
                           r"(?:ern|ward)?\s+of\s+(?:the|this|that)\s+(?:city|town)\b", re.IGNORECASE)
#: A verb of speech between a place and a cue after it: the place is the speaker's, the cue
#: is in what was said ("a pro-Russian official in X called the withdrawal a mistake").
_SPEECH = re.compile(r"\b(?:said|says|called|described|denied|told|added|urged|demanded|warned|"
                     r"accused|claimed|announced|insisted)\b", re.IGNORECASE)
#: "Kabal and Matta, to the north-west": a bearing alone, from the place the report is about.
_BEARING_BARE = re.compile(rf",\s*to the\s+(?P<dir>{lx.DIRECTION})(?:ern|ward)?\b(?!\s+of\b|-)",
                           re.IGNORECASE)
#: Between two places of one list.
_LISTED = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s+")
_NEAR = re.compile(r"\b(?:near|nearby|close to|next to|outside|on the outskirts of)\s+"
                   r"(?:the\s+(?:city|town|village)\s+of\s+)?$", re.IGNORECASE)
#: Between a place and a "near" phrase: another verb's phrase ("shelled Y and tried to
#: advance near X"), so the place is no subject of it.
_NEW_VERB_PHRASE = re.compile(r"\b(?:and|but|then)\b", re.IGNORECASE)
_NEAR_WORDS = ("near", "close to", "next to", "outside", "outskirts")
#: "a village north of X", "30 km from X": X is named as a reference point, not as the
#: place the verb applies to.
REFERENCE_BEFORE = re.compile(
    rf"(?:\b(?:to the\s+)?{lx.DIRECTION}(?:ern|ward)?\s+of|\b(?:km|kms|kilomet(?:er|re)s?|miles)\s+"
    rf"(?:from|of|away from))\s+(?:the\s+(?:city|town|village)\s+of\s+)?$", re.IGNORECASE)
#: A compass direction alone ("north of X"): a bearing to check, not nearness.
_BEARING = re.compile(rf"^(?:to the\s+)?({lx.DIRECTION})(?:ern|ward)?\s+of\b", re.IGNORECASE)
_BORDER = re.compile(r"\b(?:on|near|along|at|by)\s+the\s+(?:border|frontier)\s+with\s+$", re.I)
_THIS_PLACE = re.compile(r"^\W*(?:this|the|that)\s+(?:town|village|city|settlement|place|"
                         r"hill|area|base|camp|compound|temple compound|airport)\b|^\W*it\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class FoundCheck:
    subject: Mention
    reference: Mention
    check: Check
    start: int
    end: int
    #: the reference is named only to say where the subject is (not "Y and nearby X")
    landmark: bool = True


def find_checks(text: str, sentence: tuple[int, int], mentions: list[Mention],
                last_location: Mention | None, last_city: Mention | None = None,
                ) -> list[FoundCheck]:
    """Spatial statements in a sentence, each tied to the place it describes.
    ``last_location`` is the last place named before the sentence, ``last_city`` the
    last the report made a city: what "the city" and a bare "40 km to the north" are from."""
    s0, _ = sentence
    out = []
    here = [m for m in mentions if m.sentence == sentence]
    previous: Mention | None = None  #: the last location named before ``ref``
    for ref in here:
        before = text[max(s0, ref.start - 120):ref.start]
        if previous is not None and CLAUSE_BREAK.search(text, previous.end, ref.start):
            previous = None  # "shelling hit X, and fighting went on near Y": Y's own clause
        subject = previous
        if subject is None and _THIS_PLACE.match(text[s0:min(ref.start, s0 + 80)]):
            subject = last_location
        if ref.role in (LOCATION, REGION):
            previous = ref
        name = text[ref.start:ref.end]
        low = before[-60:].lower()
        d = _DISTANCE.search(before) if ("km" in low or "kilomet" in low or "mi" in low) else None
        if d and subject is not None:
            out.append(_distance(d, f"{d.group(0).strip()} {name}", subject, ref,
                                 ref.query or name, s0 + d.start(), ref.end))
            continue
        n = _NEAR.search(before) if any(w in low for w in _NEAR_WORDS) else None
        if n and ref.role in (LOCATION, REGION):
            # with no town before it, "near X" is said of X itself ("bombed positions near
            # Mellit": the event is near the place, not in it); an area before it is no
            # subject ("in Djugu territory, villages near Fataki"), nor a place before
            # another verb ("shelled Y and tried to advance near X")
            at = max(s0, ref.start - 120) + n.start()
            nearby = n.group(0).lower().startswith("nearby")
            if subject is not None and _NEW_VERB_PHRASE.search(text, subject.end, at) and not (
                    nearby and text[subject.end:at].strip(" ,").lower() in ("and", "or")):
                subject = None
            said = f"{n.group(0).strip()} {name}"
            near_what = subject if subject is not None and subject.role == LOCATION else ref
            if near_what is not ref and nearby:
                # "pounded Y and nearby X": X is the one near Y
                out.append(FoundCheck(ref, near_what, Check(
                    f"near {text[near_what.start:near_what.end]}", "near",
                    PlaceRef(near_what.query or text[near_what.start:near_what.end])), at, ref.end,
                    landmark=False))
                continue
            out.append(FoundCheck(near_what, ref, Check(said, "near",
                                                            PlaceRef(ref.query or name)),
                                  at, ref.end))
            continue
        r = REFERENCE_BEFORE.search(before) if " of" in low or "from" in low else None
        if subject is None:
            if not r or ref.role not in (LOCATION, REGION) or SETTLEMENT_BEFORE.search(before[:r.start()]):
                continue
            subject = ref  # "air strikes on positions east of Dori": said of Dori, not measured
        if r and ref.role in (LOCATION, REGION):  # "Novoselivka, a village north of Avdiivka"
            said = f"{r.group(0).strip()} {name}"
            bearing = _BEARING.search(r.group(0))
            check = Check(said, "bearing", PlaceRef(ref.query or name),
                          direction=bearing.group(1).lower().replace("-", "")) if bearing else \
                Check(said, "near", PlaceRef(ref.query or name))
            out.append(FoundCheck(subject, ref, check, s0 + r.start(), ref.end))
            continue
        b = _BORDER.search(before) if ("border" in low or "frontier" in low) else None
        if b:
            said = f"{b.group(0).strip()} {name}"
            out.append(FoundCheck(subject, ref, Check(said, "border", PlaceRef(name)),
                                  s0 + b.start(), ref.end))
    if last_location is not None and last_location.sentence != sentence:
        for d in _DISTANCE_BACK.finditer(text, s0, sentence[1]):
            before_it = [m for m in here if m.end <= d.start() and m.role in (LOCATION, REGION)]
            if before_it and not any(f.subject is before_it[-1] and f.check.relation in _MEASURED
                                     for f in out):
                out.append(_distance(d, d.group(0).strip(), before_it[-1], last_location,
                                     last_location.query or last_location.text, d.start(),
                                     d.end()))
    origin = last_city or last_location
    if origin is not None and origin.sentence == sentence:
        origin = None
    ending = {m.end: m for m in here if m.role in (LOCATION, REGION)}
    # else the place named before it in the sentence ("took Bukavu and the city's airport at
    # Kavumu, about 30 km to the north"), one pass over the sentence's places
    prior: dict[int, Mention] = {}
    last_here: Mention | None = None
    for m in here:
        if last_here is not None:
            prior[id(m)] = last_here
        if m.role == LOCATION:
            last_here = m
    # a place already measured keeps its measure; "near X, 80 km to the west" is measured too
    measured = {id(f.subject) for f in out if f.check.relation in _MEASURED}
    for d in _DISTANCE_BARE.finditer(text, s0, sentence[1]):
        named = ending.get(d.start())
        if named is None or id(named) in measured:
            continue
        point = origin or prior.get(id(named))
        if point is not None:
            measured.add(id(named))
            found = _distance(d, d.group(0).lstrip(", "), named, point, point.query or point.text,
                              d.start(), d.end())
            # a place of the same sentence keeps its own claims: it is no mere landmark
            out.append(found if origin is not None else dataclasses.replace(found, landmark=False))
    if origin is not None:
        name = origin.query or origin.text
        for pattern in (_BEARING_BACK, _BEARING_BARE):
            for b in pattern.finditer(text, s0, sentence[1]):
                named = ending.get(b.start())
                # "Kabal and Matta, to the north-west": the list before it, each of its places
                listed = [named] if named is not None else []
                while pattern is _BEARING_BARE and listed and id(listed[-1]) in prior and \
                        _LISTED.fullmatch(text, prior[id(listed[-1])].end, listed[-1].start):
                    listed.append(prior[id(listed[-1])])
                for p in listed:
                    if id(p) in measured:
                        continue
                    measured.add(id(p))
                    out.append(FoundCheck(p, origin, Check(
                        b.group(0).lstrip(", "), "bearing", PlaceRef(name),
                        direction=b.group("dir").lower().replace("-", "")), b.start(), b.end()))
    return out


def _distance(d: re.Match, said: str, subject: Mention, ref: Mention, name: str, start: int,
              end: int) -> FoundCheck:
    """A distance and direction from ``ref`` said of ``subject``."""
    km = float(d.group("km").replace(",", "."))
    if d.group("unit").lower().startswith("mi"):
        km *= 1.609344
    direction = (d.group("dir") or "").lower().replace("-", "")  # "80 km away": none
    return FoundCheck(subject, ref, Check(said, "distance", PlaceRef(name), round(km, 2),
                                          direction), start, end)
