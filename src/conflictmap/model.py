"""The things of the user's world: places, their resolution, claims and reports.

All are frozen dataclasses so that a resolved report can be shared, hashed and
rendered twice with the same result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from conflictmap.kinds import ClaimKind


class Precision(IntEnum):
    """ACLED-style geographic precision of a located claim."""

    PLACE = 1  #: the named place itself
    NEAR = 2  #: near the place, or a part of an area
    REGION = 3  #: a larger region's representative point

    @property
    def label(self) -> str:
        return {
            1: "1 – the named place itself",
            2: "2 – near the place or a part of an area",
            3: "3 – representative point of a larger region",
        }[int(self)]


#: From this probability of the ranker an answer is likely (:attr:`Resolution.likely`).
LIKELY = 0.5


class Status(StrEnum):
    """How a name resolved: to one place, to a best guess among close rivals, or not."""

    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNRESOLVED = "unresolved"


class Feature(StrEnum):
    """Whether a place is drawn as a point or as an area."""

    POINT = "point"
    AREA = "area"


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: one real-world place with its provenance."""

    key: str  #: stable id within its source, e.g. "curated:darat-izza" or "geonames:170857"
    name: str
    lat: float
    lon: float
    feature: Feature = Feature.POINT
    kind: str = "populated place"  #: town, village, district, governorate, country, ...
    country: str = ""  #: ISO 3166-1 alpha-2
    admin1: str = ""
    admin2: str = ""
    geonameid: int | None = None
    population: int = 0
    source: str = ""
    confidence: str = "verified"  #: verified | approximate | schematic
    uncertainty_km: float = 0.0
    precision: int = 1  #: ACLED geo_precision when a claim names this place
    note: str = ""
    names: tuple[str, ...] = ()  #: every known name, primary first
    geometry_wkt: str | None = None  #: outline of an area, WGS84
    #: what the outline is: "boundary" (the unit's real boundary), "approximate", or
    #: "drawn" (by the user in the map); "" without an outline
    outline: str = ""
    origin: str = ""  #: the name of the gazetteer source that gave it ("curated", "geonames"...)


@dataclass(frozen=True)
class Candidate:
    """One place a name could mean, with the score the ranker gave it."""

    place: Place
    score: float
    matched: str  #: the name of the place that matched the query
    match: str  #: "exact", "variant" (loose spelling key)
    #: the ranker's features of the candidate (:data:`conflictmap.gazetteer.ranker.FEATURES`)
    features: tuple[float, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict:
        p = self.place
        return {
            "name": p.name,
            "lat": round(p.lat, 5),
            "lon": round(p.lon, 5),
            "geonameid": p.geonameid,
            "country": p.country,
            "kind": p.kind,
            "score": round(self.score, 3),
            "source": p.source,
        }


@dataclass(frozen=True)
class Resolution:
    """The answer to one place-name query."""

    query: str
    status: Status
    place: Place | None = None
    precision: Precision | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()  #: runner-ups, best first
    reason: str = ""
    #: how the answer's name matched: "exact", "variant" (a transliteration variant; also a
    #: refusal because only variants match) or "fuzzy"; "" when no name match decided it
    match: str = ""
    #: the learned ranker's probability that the answer is the place meant (None when
    #: the answer did not come from ranking candidates)
    probability: float | None = None

    @property
    def located(self) -> bool:
        return self.place is not None and self.status is not Status.UNRESOLVED

    @property
    def likely(self) -> bool:
        """Whether the answer is more likely right than not: resolved, or ambiguous with
        the ranker's probability at least :data:`LIKELY`. Such answers are evidence of
        where a document is (its countries, its anchors, a qualifier); only ``resolved``
        ones are sure."""
        if not self.located:
            return False
        return self.status is Status.RESOLVED or (
            self.probability is not None and self.probability >= LIKELY)

    def as_dict(self) -> dict:
        p = self.place
        return {
            "query": self.query,
            "status": self.status.value,
            "name": p.name if p else None,
            "lat": round(p.lat, 5) if p else None,
            "lon": round(p.lon, 5) if p else None,
            "geonameid": p.geonameid if p else None,
            "feature": p.feature.value if p else None,
            "precision": int(self.precision) if self.precision else None,
            "uncertainty_km": p.uncertainty_km if p else None,
            "outline": (p.outline or None) if p and p.geometry_wkt else None,
            "confidence": p.confidence if p else None,
            "score": round(self.score, 3),
            "probability": None if self.probability is None else round(self.probability, 3),
            "source": p.source if p else None,
            "reason": self.reason,
            "candidates": [c.as_dict() for c in self.candidates],
        }


@dataclass(frozen=True)
class Source:
    """Where a report comes from. Cited on the map; never copied."""

    title: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: dt.date | None = None
    republished_by: str = ""
    republished_url: str = ""
    republished: dt.date | None = None

    def as_dict(self) -> dict[str, str]:
        """The citation as plain data (the page, exports and the text version)."""
        return {"title": self.title, "outlet": self.outlet, "url": self.url,
                "published": self.published.isoformat() if self.published else ""}


@dataclass(frozen=True)
class PlaceRef:
    """How a claim names a place, with optional overrides from the input file."""

    name: str
    precision: Precision | None = None  #: overrides the gazetteer's precision
    lat: float | None = None
    lon: float | None = None
    line: int | None = None  #: where the input file names it


@dataclass(frozen=True)
class Check:
    """A spatial statement the report makes about a claim's place, to be measured.

    ``relation`` is "distance" ("30 km west of Aleppo": ``km`` and ``direction``
    given), "bearing" ("north of Kharkiv": a direction, no distance), "near" ("near
    Aleppo") or "border" ("on the border with Turkey").
    """

    said: str  #: the statement, short, as the report puts it
    relation: str
    reference: PlaceRef  #: the place the statement measures from (or the neighbouring country)
    km: float | None = None
    direction: str = ""  #: compass direction: north, northeast, ... or ""


@dataclass(frozen=True)
class Claim:
    """One thing the report says happened, at one place (or from one place to others)."""

    id: str
    kind: ClaimKind
    summary: str
    date: dt.date | None
    actors: tuple[str, ...] = ()
    place: PlaceRef | None = None  #: where it happened (not for movements)
    origin: PlaceRef | None = None  #: movements only
    destinations: tuple[PlaceRef, ...] = ()  #: movements only
    note: str = ""
    time_precision: int = 1  #: ACLED: 1 day, 2 week or span, 3 month
    line: int | None = None
    checks: tuple[Check, ...] = ()  #: spatial statements about the claim's place
    until: dt.date | None = None  #: the last day the claim speaks of (``date`` is the first)

    @property
    def roles(self) -> tuple[tuple[str, PlaceRef], ...]:
        """Each place the claim names with its role: "place", "from" or "to"."""
        named = [(role, ref) for role, ref in (("place", self.place), ("from", self.origin))
                 if ref is not None]
        return (*named, *(("to", d) for d in self.destinations))

    @property
    def place_refs(self) -> tuple[PlaceRef, ...]:
        return tuple(ref for _, ref in self.roles)


#: How each status of a control area reads in a sentence ("inside the area assessed as held by …").
STATUS_WORDS = {"assessed": "assessed as held", "claimed": "claimed as held",
                "contested": "contested"}


@dataclass(frozen=True)
class ControlArea:
    """Who holds (or claims, or contests) an area, from when."""

    actor: str
    status: str  #: "assessed", "claimed" or "contested"
    valid_from: dt.date
    geometry_wkt: str  #: a (Multi)Polygon, WGS84
    valid_until: dt.date | None = None  #: the last day it holds (None: until the next snapshot)
    source: str = ""
    note: str = ""
    path: str = ""
    line: int | None = None
    claim: str = ""  #: the id of the claim it comes from (a claimed area), else ""


@dataclass(frozen=True)
class Actor:
    """A party to the conflict as the map shows it: one colour across maps."""

    name: str
    colour: str  #: "#RRGGBB"
    aliases: tuple[str, ...] = ()
    group: str = ""  #: e.g. "government", "opposition", "foreign state"


@dataclass(frozen=True)
class Report:
    """A report and its claims, as loaded from one input file."""

    source: Source
    claims: tuple[Claim, ...]
    region: str = ""  #: free-text region hint, e.g. "Idlib, Syria"
    country: str = ""  #: ISO code of the report's main country, a resolution hint
    path: str = ""
    not_places: tuple[str, ...] = field(default=())  #: names the report uses but that are not events
    control: tuple[ControlArea, ...] = ()  #: areas of control the file gives
    actors: tuple[Actor, ...] = ()  #: the file's own actor palette
