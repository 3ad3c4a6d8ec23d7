"""The map's areas of control, as the page draws them: each actor's areas with their
period and status, the frontline of every snapshot, the gains and losses between the
first and the last date (or the two dates compared), and the legend's actors.

Outlines are simplified to about a pixel at the zoom the map opens at and go to the
page as delta-encoded integers of 1e-4 degree, like the geographic context.
"""

from __future__ import annotations

import datetime as dt

from shapely import wkt
from shapely.geometry.base import BaseGeometry

from conflictmap.control import SNAP_KM, changes, effective_until, frontline_history, snapshot_dates
from conflictmap.locate import MappedReport
from conflictmap.render.context import encode_line, lines_of, rings_of


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _rings(geom: BaseGeometry, tolerance: float) -> list:
    return rings_of(geom.simplify(tolerance, preserve_topology=True)) if not geom.is_empty else []


def control_payload(mapped: MappedReport, tolerance: float) -> dict | None:
    """What the page needs to draw the control areas, or ``None`` without any."""
    if not mapped.control:
        return None
    palette = mapped.palette
    dates = snapshot_dates(mapped.control)
    areas = []
    for a in mapped.control:
        until = effective_until(a, dates)
        areas.append({"actor": a.actor, "colour": palette.colour(a.actor), "status": a.status,
                      "from": a.valid_from.isoformat(), "until": _iso(until),
                      "source": a.source, "note": a.note, "claim": a.claim,
                      "rings": _rings(wkt.loads(a.geometry_wkt), tolerance)})
    lines = []
    for f in frontline_history(mapped.control):
        geom = wkt.loads(f.geometry_wkt).simplify(tolerance)
        lines.append({"actors": list(f.actors), "from": f.day.isoformat(), "until": _iso(f.until),
                      "km": round(f.km, 1),
                      "lines": [encode_line(g.coords) for g in lines_of(geom)]})
    first, last = mapped.compare or ((dates[0], dates[-1]) if len(dates) > 1 else (None, None))
    moved = []
    if first is not None and last is not None:
        for c in changes(mapped.control, first, last):
            if c.gained_km2 or c.lost_km2:
                moved.append({"actor": c.actor, "colour": palette.colour(c.actor),
                              "gained": _rings(wkt.loads(c.gained_wkt), tolerance),
                              "lost": _rings(wkt.loads(c.lost_wkt), tolerance),
                              "gained_km2": c.gained_km2, "lost_km2": c.lost_km2})
    actors = []
    for name in dict.fromkeys(a.actor for a in mapped.control):
        found = palette.actor(name)
        actors.append({"name": name, "colour": found.colour, "group": found.group})
    return {"areas": areas, "statuses": sorted({a.status for a in mapped.control}),
            "frontlines": lines, "changes": moved, "actors": actors,
            "dates": sorted({a.valid_from.isoformat() for a in mapped.control}),
            "snap_km": SNAP_KM,
            "since": _iso(first), "until": _iso(last),
            "compare": [d.isoformat() for d in mapped.compare] if mapped.compare else None}
