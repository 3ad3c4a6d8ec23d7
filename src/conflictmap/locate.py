"""Resolve every place a report's claims name, with the report as context.

The report's country hint applies to every name, and the places that resolve
clearly give the others their context (countries and first-level areas), as
for the mentions of a report's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from conflictmap.checks import Measured, measure
from conflictmap.gazetteer import Context, Gazetteer
from conflictmap.gazetteer.document import Mention, resolve_mentions
from conflictmap.gazetteer.names import normalise
from conflictmap.model import Claim, Feature, Place, PlaceRef, Precision, Report, Resolution, Status


@dataclass(frozen=True)
class LocatedReport:
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
    place = Place(
        key=f"input:{ref.name}@{ref.lat},{ref.lon}",
        name=ref.name,
        lat=float(ref.lat),  # type: ignore[arg-type]
        lon=float(ref.lon),  # type: ignore[arg-type]
        feature=Feature.POINT,
        kind="given by the input file",
        source=f"coordinates given in {path.rsplit('/', 1)[-1]}"
        + (f", line {ref.line}" if ref.line else ""),
        confidence="as given",
    )
    return Resolution(ref.name, Status.RESOLVED, place, ref.precision or Precision.PLACE, 1.0,
                      reason="coordinates given in the input file")


def locate(report: Report, gazetteer: Gazetteer,
           corrections: dict[str, Place] | None = None) -> LocatedReport:
    """Resolve each distinct place name of the report once, with the report's other
    places as context (see :func:`conflictmap.gazetteer.document.resolve_mentions`).
    ``corrections`` (from :func:`conflictmap.corrections.load_corrections`) win over
    the gazetteer; coordinates in the input file win over both."""
    corrections = corrections or {}
    refs: dict[str, PlaceRef] = {}
    for claim in report.claims:
        for ref in (*claim.place_refs, *(c.reference for c in claim.checks)):
            refs.setdefault(_ref_key(ref), ref)
    fixed = {k: corrections[normalise(r.name)] for k, r in refs.items()
             if r.lat is None and normalise(r.name) in corrections}
    named = {k: r for k, r in refs.items() if r.lat is None and k not in fixed}
    answers = resolve_mentions(gazetteer, [Mention(r.name) for r in named.values()],
                               base=Context(country=report.country))
    out: dict[str, Resolution] = dict(zip(named, answers, strict=True))
    for key, place in fixed.items():
        out[key] = Resolution(refs[key].name, Status.RESOLVED, place,
                              Precision(place.precision), 1.0, reason="corrected by the user")
    for key, ref in refs.items():
        if ref.lat is not None:
            out[key] = _override(ref, report.path)
    return LocatedReport(report, out)


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
        if subject.located and reference.located:
            out.append(measure(check, subject.place, reference.place))  # type: ignore[arg-type]
    return out


def claim_precision(ref: PlaceRef, resolution: Resolution) -> Precision:
    """The input file's precision for this mention wins over the gazetteer's."""
    return ref.precision or resolution.precision or Precision.PLACE
