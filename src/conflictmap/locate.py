"""Resolve every place a report's claims name, with the report as context.

The report's country hint applies to every name. Names that stay ambiguous are
tried again with the centre of the report's clearly resolved places as a focus
point, so the other places a report names act as context for each claim.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from conflictmap.gazetteer import Context, Gazetteer
from conflictmap.model import Feature, Place, PlaceRef, Precision, Report, Resolution, Status


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


def locate(report: Report, gazetteer: Gazetteer) -> LocatedReport:
    """Resolve each distinct place name of the report once."""
    refs: dict[str, PlaceRef] = {}
    for claim in report.claims:
        for ref in claim.place_refs:
            refs.setdefault(_ref_key(ref), ref)
    ctx = Context(country=report.country)
    out: dict[str, Resolution] = {}
    for key, ref in refs.items():
        out[key] = (_override(ref, report.path) if ref.lat is not None
                    else gazetteer.resolve(ref.name, ctx))
    clear = [r.place for r in out.values() if r.status is Status.RESOLVED and r.place]
    if clear and any(r.status is Status.AMBIGUOUS for r in out.values()):
        focus = (statistics.median(p.lat for p in clear), statistics.median(p.lon for p in clear))
        ctx = Context(country=report.country, near=focus)
        for key, r in out.items():
            if r.status is Status.AMBIGUOUS:
                out[key] = gazetteer.resolve(refs[key].name, ctx)
    return LocatedReport(report, out)


def claim_precision(ref: PlaceRef, resolution: Resolution) -> Precision:
    """The input file's precision for this mention wins over the gazetteer's."""
    return ref.precision or resolution.precision or Precision.PLACE
