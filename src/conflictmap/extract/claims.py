"""Draft claims from the sentences around located mentions: kind, actors, date,
and the spatial statements ("30 km west of Aleppo") to check.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from conflictmap.extract import lexicon as lx
from conflictmap.extract.roles import ACTOR, LOCATION, REGION, Mention
from conflictmap.extract.text import MONTHS
from conflictmap.model import Check, ClaimKind, PlaceRef

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


def _clause(text: str, m: Mention) -> tuple[int, int]:
    """The clause around a mention: bounded by ; or a comma before a new verb phrase."""
    s0, s1 = m.sentence
    left = max((text.rfind(c, s0, m.start) for c in (";", ", and ", ", but ", ", while ")),
               default=-1)
    right_candidates = [i for i in (text.find(c, m.end, s1) for c in (";", ", and ", ", but "))
                        if i != -1]
    return (left + 1 if left >= s0 else s0), (min(right_candidates) if right_candidates else s1)


def _words_between(text: str, a: int, b: int) -> int:
    return len(re.findall(r"\w+", text[a:b]))


def claim_kind(text: str, m: Mention, others: list[Mention]) -> tuple[ClaimKind, int]:
    """The kind of event the clause reports at the mention, and where its cue stands."""
    c0, c1 = _clause(text, m)
    lowered = text[c0:c1].lower()
    busy = [(o.start, o.end) for o in others if o is not m]
    best: tuple[int, ClaimKind, int] | None = None
    for kind, pattern in lx.KIND_CUES:
        for hit in pattern.finditer(lowered):
            a, b = c0 + hit.start(), c0 + hit.end()
            if any(x <= a < y for x, y in busy):
                continue  # a cue inside another place name
            if b <= m.start:
                dist = _words_between(text, b, m.start)
                if dist > _LEFT_WORDS:
                    continue
                rank = dist
            elif a >= m.end:
                dist = _words_between(text, m.end, a)
                if dist > _RIGHT_WORDS or any(
                        b <= o.start and _words_between(text, b, o.start) <= _LEFT_WORDS
                        for o in others if o is not m and o.role in (LOCATION, REGION)):
                    continue  # the cue governs the next place named after it
                rank = dist + _LEFT_WORDS  # a cue before the place is preferred
            else:
                rank = -1  # inside the mention itself ("Turkish-occupied Afrin region")
            if best is None or rank < best[0]:
                best = (rank, kind, a)
    return (best[1], best[2]) if best else (ClaimKind.MENTION, -1)


@functools.lru_cache(maxsize=64)
def _actor_patterns(demonym: str) -> list[tuple[re.Pattern, str]]:
    government = re.compile(lx.GOVERNMENT_FORCES.format(demonym=re.escape(demonym.lower())))
    name = f"{demonym} government forces" if demonym else "Government forces"
    return [(government, name), *lx.ACTOR_PHRASES]


def actors_in(text: str, start: int, end: int, demonym: str, mentions: list[Mention],
              country_name: dict[str, str]) -> list[str]:
    """Actors a sentence names: armed forces, groups, and governments named by place."""
    lowered = text[start:end].lower()
    found: list[tuple[int, str]] = []
    for pattern, name in _actor_patterns(demonym):
        for hit in pattern.finditer(lowered):
            found.append((hit.start(), name))
    for m in mentions:
        if m.role == ACTOR and start <= m.start < end and m.resolution and m.resolution.place:
            iso = m.resolution.place.country
            found.append((m.start - start, country_name.get(iso, m.resolution.place.name)))
    seen: dict[str, int] = {}
    for pos, name in sorted(found):
        seen.setdefault(name, pos)
    return list(seen)


def occupier(m: Mention, country_name: dict[str, str]) -> str:
    """The country a place name calls its occupier ("Turkish-occupied Afrin region")."""
    from conflictmap.gazetteer.countries import country_words

    hit = lx.OCCUPIER.search(m.text.lower())
    if not hit:
        return ""
    iso = country_words().demonyms.get(hit.group(1))
    return country_name.get(iso, "") if iso else ""


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
    if report_date is not None:
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


_DISTANCE = re.compile(
    rf"(?P<km>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles)\b\s+"
    rf"(?:to the\s+)?(?P<dir>{lx.DIRECTION})(?:ern|ward)?\s+of\s+(?:the\s+(?:city|town)\s+of\s+)?$",
    re.IGNORECASE)
_NEAR = re.compile(r"\b(?:near|nearby|close to|next to|outside|on the outskirts of)\s+"
                   r"(?:the\s+(?:city|town|village)\s+of\s+)?$", re.IGNORECASE)
_BORDER = re.compile(r"\b(?:on|near|along|at|by)\s+the\s+(?:border|frontier)\s+with\s+$", re.I)
_THIS_PLACE = re.compile(r"^\W*(?:this|the|that)\s+(?:town|village|city|settlement|place|"
                         r"hill|area|base)\b|^\W*it\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundCheck:
    subject: Mention
    check: Check
    start: int
    end: int


def find_checks(text: str, sentence: tuple[int, int], mentions: list[Mention],
                last_location: Mention | None) -> list[FoundCheck]:
    """Spatial statements in a sentence, each tied to the place it describes."""
    s0, _ = sentence
    out = []
    here = [m for m in mentions if m.sentence == sentence]
    for ref in here:
        before = text[s0:ref.start]
        subject_pool = [m for m in here if m.end <= ref.start and m.role == LOCATION]
        subject = subject_pool[-1] if subject_pool else None
        if subject is None and _THIS_PLACE.match(text[s0:ref.start]):
            subject = last_location
        if subject is None:
            continue
        name = text[ref.start:ref.end]
        d = _DISTANCE.search(before)
        if d:
            km = float(d.group("km").replace(",", "."))
            if d.group("unit").lower().startswith("mi"):
                km *= 1.609344
            direction = d.group("dir").lower().replace("-", "")
            said = f"{d.group(0).strip()} {name}"
            out.append(FoundCheck(subject, Check(said, "distance", PlaceRef(ref.query or name),
                                                 round(km, 2), direction), s0 + d.start(), ref.end))
            continue
        n = _NEAR.search(before)
        if n and ref.role in (LOCATION, REGION):
            said = f"{n.group(0).strip()} {name}"
            out.append(FoundCheck(subject, Check(said, "near", PlaceRef(ref.query or name)),
                                  s0 + n.start(), ref.end))
            continue
        b = _BORDER.search(before)
        if b:
            said = f"{b.group(0).strip()} {name}"
            out.append(FoundCheck(subject, Check(said, "border", PlaceRef(name)),
                                  s0 + b.start(), ref.end))
    return out
