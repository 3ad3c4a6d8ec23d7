"""Control-layer benchmark: a whole country at village level (5,000 polygons), loaded,
dissolved, its frontlines found, drawn and opened; side by side with the naive folium map
that adds the raw polygons as one ``folium.GeoJson`` layer with a style function and a
popup per polygon.

    python benchmarks/control.py             # table
    python benchmarks/control.py --json      # the same numbers as JSON
    python benchmarks/control.py --polygons 20000

The layer is generated (fixed seed): Voronoi cells of random points inside Syria (the
bundled Natural Earth outline), clipped to the country, each held by the nearest of four
invented actors' seed points with some noise, so the actors' areas have ragged fronts, and
written as a GeoJSON control layer of one date. A second layer moves the fronts (every
cell re-assigned after its seed points move) to time the two-date map and its changes.

"build" is ``conflictmap build LAYER -o map.html`` in-process (load, check and repair,
dissolve, frontlines, changes, simplify, write); "open" is the time from navigation to
the map being ready in headless Chromium (Debian's chromium), every non-file request
blocked. Targets (issue 15): 5,000 polygons build in at most 3 s and open in at most 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ACTORS = ["Blue Coalition", "Red Brigade", "Green Militia", "Grey Front"]  # invented
SEEDS = [(36.7, 35.9), (37.2, 36.4), (40.5, 36.5), (38.5, 34.4)]


def layer(path: Path, n: int, day: str, shift: float = 0.0, seed: int = 15) -> int:
    """Write a GeoJSON control layer of ``n`` cells; returns its vertex count."""
    import shapely
    from shapely.geometry import MultiPoint, Point, mapping

    from conflictmap.geography import default_geography

    country = default_geography().country("SY")
    rng = random.Random(seed)  # noqa: S311 - a fixed-seed sample, not a secret
    w, s, e, nn = country.bounds
    points: list[Point] = []
    shapely.prepare(country)
    while len(points) < n:
        p = Point(rng.uniform(w, e), rng.uniform(s, nn))
        if country.contains(p):
            points.append(p)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=country.envelope.buffer(1))
    seeds = [(x + shift, y + shift / 2) for x, y in SEEDS]
    features, vertices = [], 0
    for cell in cells.geoms:
        clipped = cell.intersection(country)
        if clipped.is_empty or clipped.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        c = clipped.centroid
        noise = random.Random(f"{c.x:.4f},{c.y:.4f}").uniform(-0.25, 0.25)  # noqa: S311
        owner = min(range(len(seeds)), key=lambda i: (c.x - seeds[i][0]) ** 2
                    + (c.y - seeds[i][1]) ** 2 * (1 + noise))
        vertices += len(shapely.get_coordinates(clipped))
        features.append({"type": "Feature", "geometry": mapping(clipped),
                         "properties": {"actor": ACTORS[owner], "status": "assessed",
                                        "valid_from": day, "source": "generated (invented)"}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return vertices


def naive(path: Path, out: Path) -> None:
    import folium

    colours = dict(zip(ACTORS, ["#1f5aa6", "#c0392b", "#2e8b57", "#777777"], strict=True))
    m = folium.Map(location=[35, 38.5], zoom_start=7, tiles=None)
    folium.GeoJson(
        json.loads(path.read_text()),
        style_function=lambda f: {"color": colours[f["properties"]["actor"]], "weight": 1,
                                  "fillOpacity": 0.4},
        popup=folium.GeoJsonPopup(fields=["actor", "status", "valid_from", "source"]),
    ).add_to(m)
    m.save(str(out))


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--polygons", type=int, default=5_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    import folium  # noqa: F401 - imported before timing
    from maps import OURS_READY, open_seconds
    from playwright.sync_api import sync_playwright

    from conflictmap.actors import Palette
    from conflictmap.claims import load_control
    from conflictmap.control import dissolve, frontlines
    from conflictmap.publish import ConflictMap
    from conflictmap.render.static import find_chromium

    n = args.polygons
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(),
                                    args=["--no-sandbox", "--disable-gpu"])
        one = Path(tmp) / "layer-2031-03-01.geojson"
        two = Path(tmp) / "layer-2031-04-01.geojson"
        vertices = layer(one, n, "2031-03-01")
        layer(two, n, "2031-04-01", shift=0.3)
        areas = load_control(one)
        load_s = timed(lambda: load_control(one))
        dissolved = dissolve(areas, Palette())
        dissolve_s = timed(lambda: dissolve(areas, Palette()))
        day = dissolved[0].valid_from
        fronts = frontlines(dissolved, day)
        front_s = timed(lambda: frontlines(dissolved, day))
        for label, inputs in ((f"{n:,} polygons, one date", [one]),
                              (f"{n:,} polygons x 2 dates", [one, two])):
            out = Path(tmp) / f"ours-{len(inputs)}.html"
            build_s = timed(lambda inputs=inputs, out=out: ConflictMap.from_files(
                inputs, tiles=None).save(out))
            opened = min(open_seconds(browser, out, OURS_READY) for _ in range(3))
            rows.append({"map": label, "tool": "conflictmap", "build_s": round(build_s, 3),
                         "open_s": round(opened, 3), "mb": round(out.stat().st_size / 1e6, 2)})
        plain = Path(tmp) / "naive.html"
        build_s = timed(lambda: naive(one, plain))
        drawn = "document.querySelector('path.leaflet-interactive') !== null"
        opened = min(open_seconds(browser, plain, drawn) for _ in range(3))
        rows.append({"map": f"{n:,} polygons, one date", "tool": "naive folium.GeoJson",
                     "build_s": round(build_s, 3), "open_s": round(opened, 3),
                     "mb": round(plain.stat().st_size / 1e6, 2)})
        browser.close()
    steps = {"polygons": len(areas), "vertices": vertices, "load_s": round(load_s, 3),
             "dissolve_s": round(dissolve_s, 3), "frontlines_s": round(front_s, 3),
             "frontlines": len(fronts), "frontline_km": round(sum(f.km for f in fronts), 1)}
    result = {"steps": steps, "maps": rows, "targets": {"build_s": 3.0, "open_s": 1.5}}
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return
    print(f"layer: {steps['polygons']:,} polygons, {vertices:,} vertices; load and check "
          f"{steps['load_s']:.2f} s, dissolve by actor {steps['dissolve_s']:.2f} s, frontlines "
          f"{steps['frontlines_s']:.2f} s ({steps['frontlines']} lines, "
          f"{steps['frontline_km']:,.0f} km)")
    print(f"{'map':28} {'tool':22} {'build s':>8} {'open s':>7} {'MB':>6}")
    for r in rows:
        print(f"{r['map']:28} {r['tool']:22} {r['build_s']:8.2f} {r['open_s']:7.2f} "
              f"{r['mb']:6.2f}")
    print("\ntargets: build <= 3 s and open <= 1.5 s for 5,000 polygons (conflictmap, one date)")


if __name__ == "__main__":
    main()
