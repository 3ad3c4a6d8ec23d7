"""From loaded reports to the mapped report every output is written from.

:func:`locate` resolves every place a report's claims name, with the report as
context: the report's country hint applies to every name, the places that resolve
clearly give the others their context (countries and first-level areas), the user's
corrections win over the gazetteer and coordinates given in the input file win over
both. :func:`map_reports` then turns located reports into one :class:`MappedReport`:
each claim with its places, their precision and geometry, the report's spatial
statements measured, and what could not be located. Nothing here needs folium; the
HTML map, images, CSV, GeoJSON, GeoPackage and the text version are all written
from a :class:`MappedReport` (see :mod:`conflictmap.writers`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely import wkt
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from conflictmap.actors import Palette
from conflictmap.checks import Measured, measure
from conflictmap.gazetteer import Context, Gazetteer
from conflictmap.gazetteer.document import Occurrence, resolve_occurrences
from conflictmap.gazetteer.names import normalise
from conflictmap.kinds import ClaimKind
from conflictmap.model import (
    Actor,
    Claim,
    ControlArea,
    Feature,
    Place,
    PlaceRef,
    Precision,
    Report,
    Resolution,
    Source,
    Status,
)


@dataclass(frozen=True)
class LocatedReport:
    """One report and the answer for every place name it uses."""

    report: Report
    resolutions: dict[str, Resolution]  #: by place name as written in the input

    def resolution(self, ref: PlaceRef) -> Resolution:
        return self.resolutions[_ref_key(ref)]

    @property
    def ambiguous(self) -> list[Resolution]:
        return [r for r in self.resolutions.values() if r.status is Status.AMBIGUOUS]


def _ref_key(ref: PlaceRef) -> str:
    if ref.lat is not None:
        return f"{ref.name}@{ref.lat},{ref.lon}"
    return ref.name


def _override(ref: PlaceRef, path: str) -> Resolution:
    """A place whose coordinates the input file gives itself."""
    assert ref.lat is not None and ref.lon is not None
    place = Place(
        key=f"input:{ref.name}@{ref.lat},{ref.lon}",
        name=ref.name,
        lat=float(ref.lat),
        lon=float(ref.lon),
        feature=Feature.POINT,
        kind="given by the input file",
        source=f"coordinates given in {path.rsplit('/', 1)[-1]}"
        + (f", line {ref.line}" if ref.line else ""),
        confidence="as given",
        origin="input",
    )
    return Resolution(ref.name, Status.RESOLVED, place, ref.precision or Precision.PLACE, 1.0,
                      reason="coordinates given in the input file")


def locate(report: Report, gazetteer: Gazetteer,
           corrections: dict[str, Place] | None = None,
           known: dict[str, Resolution] | None = None) -> LocatedReport:
    """Resolve each distinct place name of the report once, with the report's other
    places as context (see :func:`conflictmap.gazetteer.document.resolve_occurrences`).
    ``corrections`` (from :func:`conflictmap.corrections.load_corrections`) win over
    the gazetteer; coordinates in the input file win over both. ``known`` answers (by
    name, as the extraction of the report's text found them) are used as they are."""
    corrections = corrections or {}
    known = known or {}
    refs: dict[str, PlaceRef] = {}
    for claim in report.claims:
        for ref in (*claim.place_refs, *(c.reference for c in claim.checks)):
            refs.setdefault(_ref_key(ref), ref)
    fixed = {k: corrections[normalise(r.name)] for k, r in refs.items()
             if r.lat is None and normalise(r.name) in corrections}
    named = {k: r for k, r in refs.items() if r.lat is None and k not in fixed and k not in known}
    answers = resolve_occurrences(gazetteer, [Occurrence(r.name) for r in named.values()],
                                  base=Context(country=report.country))
    out: dict[str, Resolution] = dict(zip(named, answers, strict=True))
    out |= {k: known[k] for k in refs if k in known and k not in fixed and refs[k].lat is None}
    for key, place in fixed.items():
        out[key] = Resolution(refs[key].name, Status.RESOLVED, place,
                              Precision(place.precision), 1.0, reason="corrected by the user")
    for key, ref in refs.items():
        if ref.lat is not None:
            out[key] = _override(ref, report.path)
    return LocatedReport(report, out)


def claim_precision(ref: PlaceRef, resolution: Resolution) -> Precision:
    """The input file's precision for this mention wins over the gazetteer's."""
    return ref.precision or resolution.precision or Precision.PLACE


def outline_rings(place_wkt: str | None, tolerance: float = 0.0) -> list[list[tuple[float, float]]]:
    """The outer rings of an outline as (lat, lon) pairs rounded to 5 decimals (about a
    metre): what the exports write; the map draws them simplified to ``tolerance``
    (degrees, about a pixel at the zoom it opens at)."""
    if not place_wkt:
        return []
    geom = shapely.force_2d(wkt.loads(place_wkt))  # outlines imported with heights
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    return [[(round(y, 5), round(x, 5)) for x, y in p.exterior.coords] for p in polys]


@dataclass(frozen=True)
class LocatedPlace:
    """A place a claim names, with the role it plays and how it was resolved."""

    role: str  #: "place" (where it happened), "from" or "to" (movements)
    ref: PlaceRef  #: as the input names it
    resolution: Resolution  #: located (status resolved or ambiguous)

    @property
    def place(self) -> Place:
        assert self.resolution.place is not None
        return self.resolution.place

    @property
    def precision(self) -> Precision:
        return claim_precision(self.ref, self.resolution)

    @property
    def lat(self) -> float:
        return round(self.place.lat, 5)

    @property
    def lon(self) -> float:
        return round(self.place.lon, 5)

    @property
    def rings(self) -> list[list[tuple[float, float]]]:
        return outline_rings(self.place.geometry_wkt)

    def rings_at(self, tolerance: float) -> list[list[tuple[float, float]]]:
        return outline_rings(self.place.geometry_wkt, tolerance)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north of the place and its outline."""
        if self.place.geometry_wkt:
            w, s, e, n = wkt.loads(self.place.geometry_wkt).bounds
            return min(w, self.lon), min(s, self.lat), max(e, self.lon), max(n, self.lat)
        return self.lon, self.lat, self.lon, self.lat


@dataclass(frozen=True)
class LocatedClaim:
    """A claim whose places are located."""

    claim: Claim
    report: int  #: index of its report in :attr:`MappedReport.reports`
    places: tuple[LocatedPlace, ...]  #: where it happened (or the origin) first
    checks: tuple[Measured, ...] = ()
    control: str = ""  #: where its place stood in the control layers on its date
    conflict: str = ""  #: why it disagrees with the assessed control of its place, or ""

    @property
    def where(self) -> LocatedPlace:
        return self.places[0]

    @property
    def destinations(self) -> tuple[LocatedPlace, ...]:
        return self.places[1:]

    def geometry(self) -> BaseGeometry:
        """A Point; an area's outline as a (Multi)Polygon; a movement as a line from its
        origin to each destination (WGS84, longitude first)."""
        first = self.where
        if self.claim.kind is ClaimKind.MOVEMENT and self.destinations:
            lines = [LineString([(first.lon, first.lat), (d.lon, d.lat)])
                     for d in self.destinations]
            return lines[0] if len(lines) == 1 else MultiLineString(lines)
        rings = first.rings
        if rings:
            polys = [Polygon([(lon, lat) for lat, lon in ring]) for ring in rings]
            return polys[0] if len(polys) == 1 else MultiPolygon(polys)
        return Point(first.lon, first.lat)


@dataclass(frozen=True)
class Unlocated:
    """A place a claim names that could not be located, and why."""

    name: str
    claim_id: str
    reason: str

    @property
    def label(self) -> str:
        return f"{self.name} (claim {self.claim_id})"


@dataclass(frozen=True)
class MappedReport:
    """Everything a map or an export shows: the located claims of one or more reports,
    the places that could not be located, and the reports' citations."""

    reports: tuple[LocatedReport, ...]
    claims: tuple[LocatedClaim, ...]
    unlocated: tuple[Unlocated, ...] = ()
    control: tuple[ControlArea, ...] = ()  #: areas of control, dissolved (see conflictmap.control)
    actors: tuple[Actor, ...] = ()  #: the inputs' own actor palettes
    compare: tuple[dt.date, dt.date] | None = None  #: two dates to show side by side

    @functools.cached_property
    def palette(self) -> Palette:
        """The map's palette: every actor of its claims and control areas in a colour of
        its own."""
        names = {a for c in self.claims for a in c.claim.actors} | {a.actor for a in self.control}
        return Palette(self.actors, present=names)

    @property
    def claim_reports(self) -> tuple[LocatedReport, ...]:
        """The reports that hold claims (control layers are inputs, not reports)."""
        return tuple(r for r in self.reports if r.report.claims) or self.reports

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(r.report.source for r in self.reports)

    @property
    def total(self) -> int:
        """How many claims the inputs hold (mapped or not)."""
        return sum(len(r.report.claims) for r in self.reports)

    @property
    def ambiguous(self) -> list[Resolution]:
        return [r for lr in self.reports for r in lr.ambiguous]

    @property
    def layers(self) -> tuple[LocatedReport, ...]:
        """The inputs that are control layers only (no claims)."""
        return tuple(r for r in self.reports if r.report.control and not r.report.claims)

    @property
    def title(self) -> str:
        reports = tuple(r for r in self.reports if r.report.claims)
        if len(reports) == 1:
            return reports[0].report.source.title
        if reports:
            return f"Claims of {len(reports)} reports"
        if self.control:
            first = min(a.valid_from for a in self.control).isoformat()
            last = max(a.valid_from for a in self.control).isoformat()
            return f"Areas of control, {first}" + (f" to {last}" if last != first else "")
        return self.reports[0].report.source.title if self.reports else "Empty map"

    def source_of(self, claim: LocatedClaim) -> Source:
        return self.sources[claim.report]

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """West, south, east, north of every located place, outline and control area
        (None if none)."""
        boxes = [p.bounds for c in self.claims for p in c.places]
        boxes += [wkt.loads(a.geometry_wkt).bounds for a in self.control]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


def measured_checks(claim: Claim, located: LocatedReport) -> list[Measured]:
    """The claim's spatial statements measured against the resolved places; a check
    whose places are not located is left out."""
    subject_ref = claim.place or claim.origin
    if subject_ref is None or not claim.checks:
        return []
    subject = located.resolution(subject_ref)
    out = []
    for check in claim.checks:
        reference = located.resolution(check.reference)
        if subject.place is not None and subject.located and reference.place is not None \
                and reference.located:
            out.append(measure(check, subject.place, reference.place))
    return out


def located_claim(claim: Claim, index: int, located: LocatedReport
                  ) -> tuple[LocatedClaim | None, list[Unlocated]]:
    """The claim with its located places, or ``None`` when it cannot be drawn (its place,
    or a movement's origin or every destination, is not located)."""
    missing: list[Unlocated] = []
    places: list[LocatedPlace] = []
    for role, ref in claim.roles:
        res = located.resolution(ref)
        if res.located:
            places.append(LocatedPlace(role, ref, res))
        else:
            missing.append(Unlocated(ref.name, claim.id, res.reason))
    if not places or places[0].role == "to":
        return None, missing
    if claim.kind is ClaimKind.MOVEMENT and len(places) < 2:
        return None, missing
    return LocatedClaim(claim, index, tuple(places), tuple(measured_checks(claim, located))), missing


def map_reports(located: LocatedReport | Sequence[LocatedReport]) -> MappedReport:
    """One mapped report of one or several located reports, claims in input order."""
    reports = (located,) if isinstance(located, LocatedReport) else tuple(located)
    claims: list[LocatedClaim] = []
    unlocated: list[Unlocated] = []
    for index, one in enumerate(reports):
        for claim in one.report.claims:
            found, missing = located_claim(claim, index, one)
            unlocated += missing
            if found is not None:
                claims.append(found)
    return MappedReport(reports, tuple(claims), tuple(unlocated))
