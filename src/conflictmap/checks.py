"""Measuring a report's spatial statements against the gazetteer's coordinates.

A report that says a town is "located 30 km west of Aleppo" makes a claim that
can be checked: the geodesic distance (WGS84 ellipsoid) and the initial bearing
from the reference place to the claim's place are computed and compared with
what the report states.

Tolerances (also in the README):

* **distance** — agrees when the measured distance differs from the stated one by
  at most max(3 km, 20 % of the stated distance), plus the stated uncertainty of
  both places. Reports round distances ("30km") and measure them from a city's
  edge or along a road, so a tighter tolerance would flag honest statements.
* **direction** — agrees when the measured bearing lies within 45° of the stated
  compass direction. An eight-point direction covers ±22.5°; writers say "west"
  for west-north-west, so the tolerance is twice that.
* **near** — agrees within 15 km, plus both uncertainties.
* **border** — the claim's place lies within 15 km (plus its uncertainty) of the border
  it shares with the neighbouring country (Natural Earth 1:10m, simplified to about
  400 m), or of that country's outline when the two do not touch.

>>> from conflictmap.model import Check, Place, PlaceRef
>>> aleppo = Place("t:aleppo", "Aleppo", 36.20124, 37.16117)
>>> town = Place("t:darat-izza", "Darat Izza", 36.28247, 36.85216)
>>> m = measure(Check("30 km west of Aleppo", "distance", PlaceRef("Aleppo"), 30, "west"),
...             town, aleppo)
>>> (round(m.distance_km), m.compass, m.agrees)
(29, 'west-north-west', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod
from shapely import Point, wkt
from shapely.affinity import affine_transform
from shapely.geometry.base import BaseGeometry

from conflictmap.geography import default_geography
from conflictmap.model import Check, Place

_GEOD = Geod(ellps="WGS84")
NEAR_KM = 15.0
BORDER_KM = 15.0
DIRECTION_TOLERANCE = 45.0
BEARINGS = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
    "southwest": 225, "west": 270, "northwest": 315,
}
_ROSE = ["north", "north-north-east", "north-east", "east-north-east", "east",
         "east-south-east", "south-east", "south-south-east", "south", "south-south-west",
         "south-west", "west-south-west", "west", "west-north-west", "north-west",
         "north-north-west"]


def distance_tolerance(stated_km: float, *uncertainties: float) -> float:
    """How far a measured distance may differ from a stated one and still agree."""
    return max(3.0, 0.2 * stated_km) + sum(uncertainties)


def compass(bearing: float) -> str:
    """The sixteen-point compass name of a bearing in degrees.

    >>> compass(290.0), compass(-10.0), compass(44.0)
    ('west-north-west', 'north', 'north-east')
    """
    return _ROSE[int(((bearing % 360) + 11.25) // 22.5) % 16]


def geodesic(a: Place, b: Place) -> tuple[float, float]:
    """Distance in km and initial bearing in degrees (0-360) from ``a`` to ``b``."""
    azimuth, _, metres = _GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    return metres / 1000.0, azimuth % 360


@dataclass(frozen=True)
class Measured:
    """A check with what the coordinates say."""

    check: Check
    subject: str  #: the claim's place as resolved
    reference: str  #: the reference place as resolved
    distance_km: float
    bearing: float | None  #: initial bearing from the reference, or None for border checks
    agrees: bool
    tolerance: str  #: the tolerance applied, in words

    @property
    def compass(self) -> str:
        return compass(self.bearing) if self.bearing is not None else ""

    @property
    def text(self) -> str:
        """One line for a popup: stated, measured, verdict."""
        verdict = "agrees" if self.agrees else "does not agree"
        if self.check.relation == "border":
            measured = f"{self.subject} lies {self.distance_km:.1f} km from the {self.reference} border"
        else:
            measured = (f"{self.subject} lies {self.distance_km:.1f} km {self.compass} "
                        f"of {self.reference} (bearing {self.bearing:.0f}°)")
        return f"The report says “{self.check.said}”; {measured}: {verdict} ({self.tolerance})."

    def as_dict(self) -> dict:
        return {
            "said": self.check.said,
            "relation": self.check.relation,
            "reference": self.check.reference.name,
            "stated_km": self.check.km,
            "stated_direction": self.check.direction or None,
            "measured_km": round(self.distance_km, 1),
            "measured_bearing": round(self.bearing, 1) if self.bearing is not None else None,
            "measured_direction": self.compass or None,
            "agrees": self.agrees,
            "tolerance": self.tolerance,
            "text": self.text,
        }


def _angle(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def _km_to_shape(place: Place, shape: BaseGeometry) -> float:
    """Distance from a point to a line (or a shape's edge), on a local km plane."""
    kx = 111.32 * math.cos(math.radians(place.lat))
    ky = 110.57
    local = affine_transform(shape, [kx, 0, 0, ky, -place.lon * kx, -place.lat * ky])
    return float(local.distance(Point(0, 0)))


def _shared_border(subject: Place, reference: Place) -> BaseGeometry | None:
    """The real border line between the subject's country and the neighbouring country
    (Natural Earth), when both are known and touch."""
    if reference.kind != "country" or not subject.country or not reference.country:
        return None
    line = default_geography().border(subject.country, reference.country)
    return line if line is not None and not line.is_empty else None


def measure(check: Check, subject: Place, reference: Place) -> Measured:
    """Measure one statement; see the module docstring for the tolerances."""
    slack = subject.uncertainty_km + reference.uncertainty_km
    if check.relation == "border":
        shared = _shared_border(subject, reference)
        if shared is not None:
            km = _km_to_shape(subject, shared)
        elif reference.geometry_wkt:
            km = _km_to_shape(subject, wkt.loads(reference.geometry_wkt).boundary)
        else:
            km = geodesic(reference, subject)[0]
            return Measured(check, subject.name, reference.name, km, None, False,
                            "no outline for the neighbouring country; not checked")
        limit = BORDER_KM + subject.uncertainty_km
        return Measured(check, subject.name, reference.name, km, None, km <= limit,
                        f"within {limit:g} km of the border")
    km, bearing = geodesic(reference, subject)
    if check.relation == "near":
        limit = NEAR_KM + slack
        return Measured(check, subject.name, reference.name, km, bearing, km <= limit,
                        f"near means within {limit:g} km")
    parts, ok = [], True
    if check.km is not None:
        tol = distance_tolerance(check.km, subject.uncertainty_km, reference.uncertainty_km)
        ok = abs(km - check.km) <= tol
        parts.append(f"±{tol:g} km")
    if check.direction:
        ok = ok and _angle(bearing, BEARINGS[check.direction]) <= DIRECTION_TOLERANCE
        parts.append(f"±{DIRECTION_TOLERANCE:g}° of {check.direction}")
    return Measured(check, subject.name, reference.name, km, bearing, ok,
                    "tolerance " + ", ".join(parts) if parts else "no distance or direction stated")
