"""Who holds what, and how it changes: control areas over time, frontlines, gains and
losses, area statistics, and where a claim's place stood.

Control areas come from control layers (:mod:`conflictmap.claims.control`) and from
claims: a ``control`` or ``captured`` claim on an administrative unit with a real
boundary becomes that unit, *claimed* by the claim's first actor, according to its outlet.

* A snapshot is the set of areas of one date, across all control layers (one file per
  date, or several dates in one file). An area without ``valid_until`` holds until the
  next snapshot date (the day before it); the last snapshot holds on. An area of a claim
  holds from the claim's date until its ``until``, or on.
* Polygons of one actor, status and period are dissolved into one area (across files).
* A frontline is where areas of different actors touch: the stretch of one actor's
  boundary that lies within a tolerance (:data:`SNAP_KM`) of another actor's area, so
  small gaps and overlaps between analysts' polygons still give one line.
* Areas are measured in an equal-area projection (EPSG:6933, WGS 84 / NSIDC EASE-Grid 2.0
  Global), in km².
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely import wkt
from shapely.affinity import affine_transform
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from conflictmap.actors import Palette
from conflictmap.claims import load_input, load_palette
from conflictmap.errors import InputError, UsageError
from conflictmap.gazetteer import Gazetteer
from conflictmap.geography import default_geography
from conflictmap.kinds import ClaimKind
from conflictmap.locate import LocatedClaim, MappedReport, locate, map_reports
from conflictmap.model import STATUS_WORDS, Actor, ControlArea, Report

SNAP_KM = 0.5  #: gaps and overlaps up to this wide still make one frontline
EQUAL_AREA = "EPSG:6933"


def shape_of(area: ControlArea) -> BaseGeometry:
    return _shape(area.geometry_wkt)


@functools.lru_cache(maxsize=4096)
def _shape(text: str) -> BaseGeometry:
    return wkt.loads(text)


def dissolve(areas: Iterable[ControlArea], palette: Palette) -> list[ControlArea]:
    """One area per actor (its palette name), status and period, polygons merged; an area
    of a claim stays its own."""
    groups: dict[tuple, list[ControlArea]] = defaultdict(list)
    for a in areas:
        name = palette.actor(a.actor).name
        groups[(name, a.status, a.valid_from, a.valid_until, a.claim)].append(replace(a, actor=name))
    out = []
    for (actor, status, start, end, _path), members in sorted(groups.items(), key=lambda kv: (
            kv[0][2], kv[0][0], kv[0][1], kv[0][4])):
        geom = unary_union([shape_of(m) for m in members]) if len(members) > 1 else shape_of(members[0])
        sources = "; ".join(dict.fromkeys(m.source for m in members if m.source))
        one = len(members) == 1
        out.append(ControlArea(actor, status, start, geom.wkt, end, sources,
                               members[0].note if one else "", members[0].path, members[0].line,
                               members[0].claim if one else ""))
    return out


def snapshot_dates(areas: Sequence[ControlArea]) -> list[dt.date]:
    """The dates of the control layers' snapshots (areas of claims hold on their own)."""
    return sorted({a.valid_from for a in areas if not a.claim})


def effective_until(area: ControlArea, dates: Sequence[dt.date]) -> dt.date | None:
    """The last day an area holds: its ``valid_until``, else (an area of a control layer)
    the day before the next snapshot date of ``dates`` (sorted), else open-ended."""
    if area.valid_until is not None or area.claim:
        return area.valid_until
    i = bisect.bisect_right(dates, area.valid_from)
    return dates[i] - dt.timedelta(days=1) if i < len(dates) else None


def at(areas: Sequence[ControlArea], day: dt.date) -> list[ControlArea]:
    """The areas that hold on ``day``."""
    dates = snapshot_dates(areas)
    out = []
    for a in areas:
        until = effective_until(a, dates)
        if a.valid_from <= day and (until is None or day <= until):
            out.append(a)
    return out


def _plane(geoms: Sequence[BaseGeometry]) -> tuple[list[float], list[float]]:
    """Affine transforms to a local km plane around the geometries and back."""
    c = unary_union([g.envelope for g in geoms]).centroid
    kx, ky = 111.320 * math.cos(math.radians(c.y)), 110.574
    return [kx, 0, 0, ky, -c.x * kx, -c.y * ky], [1 / kx, 0, 0, 1 / ky, c.x, c.y]


def _gridded(geom: BaseGeometry, grid: float) -> BaseGeometry:
    """The polygon with its vertices on a grid of ``grid`` km, then simplified to it: no
    two vertices closer than the grid, so buffering it costs about linear time whatever
    the input's density."""
    snapped = shapely.set_precision(geom, grid)
    return snapped.simplify(grid, preserve_topology=True) if not snapped.is_empty else geom


@dataclass(frozen=True)
class Frontline:
    """Where the areas of two actors meet on one day."""

    actors: tuple[str, str]
    day: dt.date
    geometry_wkt: str
    km: float  #: its length
    until: dt.date | None = None  #: the last day of its snapshot (None: holds on)


def frontline_history(areas: Sequence[ControlArea], snap_km: float = SNAP_KM) -> list[Frontline]:
    """The frontlines of every snapshot date, each with the last day it holds."""
    dates = snapshot_dates(areas)
    out = []
    for i, day in enumerate(dates):
        until = dates[i + 1] - dt.timedelta(days=1) if i + 1 < len(dates) else None
        out += [replace(f, until=until) for f in frontlines(areas, day, snap_km)]
    return out


def frontlines(areas: Sequence[ControlArea], day: dt.date, snap_km: float = SNAP_KM) -> list[Frontline]:
    """The frontlines of ``day``: for two actors A and B, the stretch of A's boundary within
    ``snap_km`` of B's area, less where it runs along the outside of both (the pair's
    areas merged, gaps narrower than twice ``snap_km`` closed), so a corner where a third
    actor or no one begins gives no spur."""
    by_actor: dict[str, list[BaseGeometry]] = defaultdict(list)
    for area in at(areas, day):
        by_actor[area.actor].append(shape_of(area))
    if len(by_actor) < 2:
        return []
    merged = {actor: unary_union(gs) for actor, gs in by_actor.items()}
    to_km, to_deg = _plane(list(merged.values()))
    # Vertices snapped to a grid of a quarter of the snap distance: detail that fine cannot
    # move a frontline, and the buffers below grow superlinearly on a border whose
    # vertices lie closer together than the buffer is wide (a jagged line of 100k points).
    local = {actor: _gridded(affine_transform(g, to_km), snap_km / 4)
             for actor, g in merged.items()}
    near = {actor: g.buffer(snap_km) for actor, g in local.items()}
    actors = sorted(local)
    out = []
    for i, a in enumerate(actors):
        for b in actors[i + 1:]:
            if not local[a].intersects(near[b]):
                continue
            line = local[a].boundary.intersection(near[b])
            if line.is_empty:
                continue
            pair = unary_union([near[a], near[b]]).buffer(-snap_km)  # closed: gaps filled
            line = line.difference(pair.boundary.buffer(snap_km / 10))
            pieces = [g for g in getattr(line, "geoms", [line])
                      if g.geom_type in ("LineString", "MultiLineString") and g.length >= snap_km]
            if not pieces:
                continue
            merged_line = shapely.line_merge(unary_union(pieces))
            out.append(Frontline((a, b), day, affine_transform(merged_line, to_deg).wkt,
                                 round(merged_line.length, 3)))
    return out


@dataclass(frozen=True)
class Change:
    """What one actor gained or lost between two days."""

    actor: str
    since: dt.date
    day: dt.date
    gained_wkt: str
    lost_wkt: str
    gained_km2: float
    lost_km2: float


def changes(areas: Sequence[ControlArea], since: dt.date, day: dt.date,
            status: str = "assessed") -> list[Change]:
    """Gains and losses per actor between two days, from areas of one status
    (ISW's "advances" are the gains)."""
    def held(d: dt.date) -> dict[str, BaseGeometry]:
        by: dict[str, list[BaseGeometry]] = defaultdict(list)
        for a in at(areas, d):
            if a.status == status:
                by[a.actor].append(shape_of(a))
        return {k: unary_union(v) for k, v in by.items()}

    before, after = held(since), held(day)
    empty = shapely.Polygon()
    out = []
    for actor in sorted(set(before) | set(after)):
        old, new = before.get(actor, empty), after.get(actor, empty)
        gained, lost = new.difference(old), old.difference(new)
        out.append(Change(actor, since, day, gained.wkt, lost.wkt, round(km2(gained), 3),
                          round(km2(lost), 3)))
    return out


@functools.lru_cache(maxsize=1)
def _to_equal_area() -> Transformer:
    return Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


def _equal_area_xy(x, y):
    return _to_equal_area().transform(x, y)


def km2(geom: BaseGeometry) -> float:
    """Area in km², in the equal-area projection :data:`EQUAL_AREA`."""
    if geom.is_empty:
        return 0.0
    return shapely.transform(geom, _equal_area_xy, interleaved=False).area / 1e6


def main_country(areas: Sequence[ControlArea]) -> str:
    """The country most of the areas lie in (Natural Earth), or ""."""
    g = default_geography()
    whole = unary_union([shape_of(a) for a in areas])
    if whole.is_empty:
        return ""
    w, s, e, n = whole.bounds
    best, best_share = "", 0.0
    for country in g.land((w, s, e, n)):
        share = country.shape.intersection(whole).area
        if share > best_share:
            best, best_share = country.country, share
    return best


@dataclass(frozen=True)
class Stat:
    day: dt.date
    actor: str
    status: str
    km2: float
    share: float | None  #: of the main country's area
    change_km2: float | None  #: since the previous snapshot


def stats(areas: Sequence[ControlArea]) -> tuple[list[Stat], str]:
    """Area per actor and status at every snapshot date, the change since the previous
    snapshot, and the share of the main country (returned with it)."""
    country = main_country(areas)
    country_shape = default_geography().country(country) if country else None
    country_km2 = km2(country_shape) if country_shape is not None else 0.0
    rows: list[Stat] = []
    previous: dict[tuple[str, str], float] = {}
    for day in snapshot_dates(areas):
        current: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
        for a in at(areas, day):
            current[(a.actor, a.status)].append(shape_of(a))
        seen = set()
        for (actor, status), geoms in sorted(current.items()):
            held = unary_union(geoms)
            size = km2(held)
            seen.add((actor, status))
            change = size - previous[(actor, status)] if (actor, status) in previous else None
            share = None
            if country_shape is not None and country_km2:  # only what lies inside the country
                share = round(min(1.0, km2(held.intersection(country_shape)) / country_km2), 4)
            rows.append(Stat(day, actor, status, round(size, 1), share,
                             round(change, 1) if change is not None else None))
            previous[(actor, status)] = size
        for key in [k for k in previous if k not in seen]:  # an actor that lost everything
            rows.append(Stat(day, key[0], key[1], 0.0, 0.0 if country_km2 else None,
                             round(-previous.pop(key), 1)))
    return rows, country


def control_stats(paths: Sequence[str | Path], *, actors: str | Path | None = None
                  ) -> tuple[list[Stat], str]:
    """The area per actor and status of the control layers ``paths`` at each of their
    dates, and the change since the previous date, as ``conflictmap control-stats``
    prints it; returns the rows and the country their shares are of (ISO code, or "").

    >>> import json, pathlib, tempfile
    >>> import conflictmap as cm
    >>> layer = pathlib.Path(tempfile.mkdtemp()) / "invented.geojson"
    >>> square = [[36, 35], [37, 35], [37, 36], [36, 36], [36, 35]]  # a 1-degree square
    >>> _ = layer.write_text(json.dumps({"type": "FeatureCollection", "features": [{
    ...     "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
    ...     "properties": {"actor": "An invented army", "valid_from": "2031-03-01"}}]}))
    >>> rows, country = cm.control_stats([layer])
    >>> [(r.actor, r.km2, r.share) for r in rows], country
    ([('An invented army', 10066.3, 0.0524)], 'SY')
    """
    reports = [load_input(p) for p in paths]
    palette = Palette((*(a for r in reports for a in r.actors),
                       *(load_palette(actors) if actors else ())))
    areas = dissolve([a for r in reports for a in r.control], palette)
    if not areas:
        raise InputError("no control areas in " + ", ".join(str(p) for p in paths))
    return stats(areas)


def holder(areas: Sequence[ControlArea], lat: float, lon: float, day: dt.date | None
           ) -> ControlArea | None:
    """The area that holds ``day`` (or the latest, undated) at a point: an assessed area
    before a claimed one before a contested one."""
    if day is None:
        if not areas:
            return None
        day = max(a.valid_from for a in areas)
    pt = Point(lon, lat)
    found = [a for a in at(areas, day) if shape_of(a).covers(pt)]
    order = {s: i for i, s in enumerate(("assessed", "claimed", "contested"))}
    found.sort(key=lambda a: (order.get(a.status, 9), -a.valid_from.toordinal()))
    return found[0] if found else None


def describe(area: ControlArea | None, day: dt.date | None) -> str:
    if area is None:
        when = f" on {day.isoformat()}" if day else ""
        return f"not inside any area of the control layers{when}"
    return (f"inside the area {STATUS_WORDS.get(area.status, area.status)} by {area.actor} "
            f"since {area.valid_from.isoformat()}"
            + (f" ({area.source})" if area.source else ""))


def contradiction(kind: ClaimKind, actors: Sequence[str], area: ControlArea | None,
                  palette: Palette, day: dt.date | None) -> str:
    """Why a claim disagrees with the assessed control of its place before its date, or ""
    ("captured" by the actor that already held it; a "retreat" by an actor that did not)."""
    if area is None or area.status != "assessed" or not actors or day is None:
        return ""
    if area.valid_from >= day:
        return ""  # the layer's state of that day may already reflect the claim
    subject = palette.actor(actors[0]).name
    if kind is ClaimKind.CAPTURED and subject == area.actor:
        return (f"the control layer already shows {area.actor} holding this place since "
                f"{area.valid_from.isoformat()}")
    if kind is ClaimKind.RETREAT and subject != area.actor:
        return (f"a retreat by {subject} from a place the control layer shows held by "
                f"{area.actor} since {area.valid_from.isoformat()}")
    return ""


def claimed_areas(mapped: MappedReport) -> list[ControlArea]:
    """The areas ``control`` and ``captured`` claims give: a claim on an administrative
    unit with a real boundary becomes that unit, claimed by its first actor."""
    out = []
    for c in mapped.claims:
        place = c.where.place
        if (c.claim.kind in (ClaimKind.CONTROL, ClaimKind.CAPTURED) and c.claim.actors
                and c.claim.date is not None and place.outline == "boundary"
                and place.geometry_wkt):
            src = mapped.source_of(c)
            out.append(ControlArea(
                actor=c.claim.actors[0], status="claimed", valid_from=c.claim.date,
                valid_until=c.claim.until, geometry_wkt=place.geometry_wkt,
                source=f"claimed by {src.outlet or src.title or 'the source'}",
                note=f"claim {c.claim.id}: {place.name}", path=mapped.reports[c.report].report.path,
                claim=c.claim.id))
    return out


def attach_control(mapped: MappedReport, extra_actors: Sequence[Actor] = (),
                   compare: tuple[dt.date, dt.date] | None = None) -> MappedReport:
    """The mapped report with its control areas (from its inputs and its claims, dissolved)
    and, for every claim, where its place stood and whether it disagrees."""
    actors = (*(a for r in mapped.reports for a in r.report.actors), *extra_actors)
    palette = Palette(actors)
    given = [a for r in mapped.reports for a in r.report.control]
    areas = dissolve([*given, *claimed_areas(mapped)], palette)
    if compare is not None:
        _check_compare(areas, compare)
    claims = []
    for c in mapped.claims:
        if not areas:
            claims.append(c)
            continue
        where = c.where
        area = holder(areas, where.lat, where.lon, c.claim.date)
        claims.append(replace(c, control=describe(area, c.claim.date),
                              conflict=contradiction(c.claim.kind, c.claim.actors, area, palette,
                                                     c.claim.date)))
    return replace(mapped, claims=tuple(claims), control=tuple(areas), actors=actors,
                   compare=compare)


def _check_compare(areas: Sequence[ControlArea], compare: tuple[dt.date, dt.date]) -> None:
    """Two dates to compare must be in order and each fall in a snapshot of the areas."""
    first, last = compare
    if not areas:
        raise UsageError("--compare needs control areas (a control layer, or control_areas "
                         "in a claims file); the inputs have none")
    if first >= last:
        raise UsageError(f"--compare {first} {last}: the first date must come before the second")
    dates = snapshot_dates(areas)
    for day in compare:
        if not at(areas, day):
            raise UsageError(f"--compare: no control area holds on {day}; the snapshots are "
                             f"{', '.join(d.isoformat() for d in dates[:8])}"
                             + (f" and {len(dates) - 8} more" if len(dates) > 8 else ""))


def against_control(report: Report, layers: Sequence[str | Path], gazetteer: Gazetteer,
                    actors: str | Path | None = None) -> list[LocatedClaim]:
    """The report's located claims with where each place stood in the control layers on
    the claim's date (``control``) and why a claim disagrees with them (``conflict``), as
    ``conflictmap extract --control`` reports them."""
    given = [load_input(p) for p in layers]
    if not any(r.control for r in given):
        raise InputError("no control areas in " + ", ".join(str(p) for p in layers))
    palette = load_palette(actors) if actors else ()
    mapped = map_reports([locate(report, gazetteer), *(locate(r, gazetteer) for r in given)])
    return list(attach_control(mapped, palette).claims)


@dataclass(frozen=True)
class Filters:
    """What ``build --actor/--kind/--since/--until`` keep: claims that name the actor (or
    any actor, when not given), of the kinds, within the dates; control areas of the actor
    and dates."""

    actors: tuple[str, ...] = ()
    kinds: tuple[ClaimKind, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    def apply(self, mapped: MappedReport) -> MappedReport:
        palette = mapped.palette
        wanted = {palette.actor(a).name for a in self.actors}

        def in_dates(start: dt.date | None, end: dt.date | None) -> bool:
            if start is None:
                return self.since is None and self.until is None
            last = end or start
            return ((self.since is None or last >= self.since)
                    and (self.until is None or start <= self.until))

        claims = tuple(
            c for c in mapped.claims
            if (not wanted or {palette.actor(a).name for a in c.claim.actors} & wanted)
            and (not self.kinds or c.claim.kind in self.kinds)
            and in_dates(c.claim.date, c.claim.until))
        areas = tuple(a for a in mapped.control
                      if (not wanted or a.actor in wanted) and in_dates(a.valid_from, a.valid_until))
        return replace(mapped, claims=claims, control=areas)
