"""Cartography (issue 23, in part): actors never share a colour within one map, and no claim
marker opens under a panel at the common screen sizes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conflictmap.cli import main

from .conftest import ROOT


def test_actors_of_one_map_never_share_a_colour(tmp_path) -> None:
    actors = [f"Invented group {i}" for i in range(14)] + ["Red Brigade", "Green Militia"]
    areas = "".join(
        f'  - {{actor: "{a}", valid_from: 2031-03-01, wkt: "POLYGON (({36 + i * 0.2} 35, '
        f'{36.15 + i * 0.2} 35, {36.15 + i * 0.2} 35.15, {36 + i * 0.2} 35.15, {36 + i * 0.2} 35))"}}\n'
        for i, a in enumerate(actors))
    src = tmp_path / "c.yaml"
    src.write_text(f"report: {{title: t}}\ncontrol_areas:\n{areas}", "utf-8")
    page = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(page), "--no-tiles"])
    assert r.exit_code == 0, r.output
    block = re.search(r'<script type="application/json" id="cm-control">(.*?)</script>',
                      page.read_text("utf-8"), re.S)
    assert block is not None
    colours = {a["name"]: a["colour"] for a in json.loads(block.group(1))["actors"]}
    assert len(colours) == len(actors) and len(set(colours.values())) == len(actors)


SIZES = [(1280, 800), (900, 600), (768, 1024), (390, 800)]
_UNDER = """() => {
  const panels = [...document.querySelectorAll('.leaflet-control-container .cm-panel, '
    + '.leaflet-control-layers, .cm-inset, .leaflet-control-attribution, .leaflet-control-zoom')]
    .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return [...document.querySelectorAll('.cm-marker')]
    .filter(m => panels.some(p => hit(m.getBoundingClientRect(), p)))
    .map(m => m.getAttribute('data-claim'));
}"""


@pytest.mark.browser
def test_no_claim_marker_under_a_panel_at_common_sizes(offline_page, tmp_path) -> None:
    """The fitted view leaves the panels' real space free, folding the legend to its button
    when the panels would leave the claims too little room (issue 23, item 1). Before:
    markers under the legend or the title at 900x600, 768x1024 and 390x800."""
    from conflictmap.claims import example_path

    small = tmp_path / "kivu.yaml"
    small.write_text("report: {title: Invented, published: 2024-03-02}\nclaims:\n"
                     "  - {id: a, kind: clash, place: {name: Sake, lat: -1.5736, lon: 29.0428},"
                     " summary: Invented.}\n"
                     "  - {id: b, kind: strike, place: {name: Mubambiro, lat: -1.5911, lon: 29.0603},"
                     " summary: Invented.}\n", "utf-8")
    shots = ROOT / "out" / "test-screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for src in (example_path(), small):
        page_file = tmp_path / f"{src.stem}.html"
        assert CliRunner().invoke(main, ["build", str(src), "-o", str(page_file)]).exit_code == 0
        for w, h in SIZES:
            page = offline_page(width=w, height=h)
            page.open(page_file)
            page.page.wait_for_selector("html[data-cm-ready]", state="attached")
            page.page.screenshot(path=str(shots / f"{src.stem}-{w}x{h}.png"))
            assert page.page.evaluate(_UNDER) == [], (src.name, w, h)
            assert page.blocked == []  # offline by default: no tile request
            if src is small:  # a small area still shows its surroundings: 25 km or more
                west, east = page.page.evaluate(
                    "[conflictmap.map.getBounds().getWest(), conflictmap.map.getBounds().getEast()]")
                assert (east - west) * 111 * 0.9998 >= 25, (w, h, east - west)


# --- issue 23, item 8: as a reader sees it -----------------------------------------------------

_LAYOUT = """() => {
  const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const seen = e => e.offsetParent !== null && getComputedStyle(e).display !== 'none'
                    && getComputedStyle(e).visibility !== 'hidden';
  return {
    panels: [...document.querySelectorAll('.leaflet-control-container .cm-panel, '
      + '.leaflet-control-layers, .leaflet-control-attribution, .leaflet-control-zoom')]
      .filter(seen).map(r),
    markers: [...document.querySelectorAll('.cm-marker')].filter(seen)
      .map(m => [m.getAttribute('data-claim'), ...r(m)]),
    labels: [...document.querySelectorAll('.cm-place-label, .cm-area-label')].filter(seen)
      .map(l => [l.textContent, ...r(l)]),
  };
}"""
_LATLNG = """(pts) => pts.map(p => {
  const ll = conflictmap.map.containerPointToLatLng(p); return [ll.lat, ll.lng]; })"""
SEA = (212, 227, 236)


def _hit(a, b, slack: float = 1.0) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def _reader_checks(page, w: int, h: int, label: str, shot) -> None:  # noqa: ANN001
    """No marker under a panel, no two markers on one pixel, no label over a marker, and no
    false sea: every sampled point of the view that lies on land (away from coasts and lakes)
    is drawn in a land colour."""
    import io

    from PIL import Image
    from shapely import Point
    from shapely.ops import unary_union

    from conflictmap.geography import default_geography

    lay = page.evaluate(_LAYOUT)
    markers = [m[1:] for m in lay["markers"]]
    under = [m[0] for m in lay["markers"] if any(_hit(m[1:], p) for p in lay["panels"])]
    assert under == [], (label, "markers under a panel", under)
    shared = [(a[0], b[0]) for i, a in enumerate(lay["markers"]) for b in lay["markers"][i + 1:]
              if _hit(a[1:], b[1:])]
    assert shared == [], (label, "markers sharing pixels", shared)
    covered = [lb[0] for lb in lay["labels"] if any(_hit(lb[1:], m) for m in markers)]
    assert covered == [], (label, "labels over a marker", covered)
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    pts = [[x, y] for x in range(10, w - 10, max(8, w // 24)) for y in range(10, h - 10, max(8, h // 18))]
    lls = page.evaluate(_LATLNG, pts)
    west = min(p[1] for p in lls) - 1
    east = max(p[1] for p in lls) + 1
    south = min(p[0] for p in lls) - 1
    north = max(p[0] for p in lls) + 1
    g = default_geography()
    land = unary_union([a.shape for a in g.land((west, south, east, north))])
    lakes = unary_union(g.water((west, south, east, north))[0] or [Point(0, 0).buffer(0)])
    coast = land.boundary.buffer(0.04)
    blocked = lay["panels"] + markers + [lb[1:] for lb in lay["labels"]]
    false_sea, checked = [], 0
    for (x, y), (lat, lon) in zip(pts, lls, strict=True):
        p = Point(lon, lat)
        if any(b[0] - 2 <= x <= b[2] + 2 and b[1] - 2 <= y <= b[3] + 2 for b in blocked) \
                or not land.contains(p) or coast.contains(p) or lakes.buffer(0.05).contains(p):
            continue
        checked += 1
        px = image.getpixel((x, y))
        if all(abs(a - b) <= 3 for a, b in zip(px, SEA, strict=True)):
            false_sea.append((round(lat, 2), round(lon, 2)))
    assert checked >= 10, (label, "too few land points to judge", checked)
    assert false_sea == [], (label, "land drawn as sea", false_sea[:10])


def _maps(tmp_path):
    from conflictmap.claims import example_path

    small = tmp_path / "small-kivu.yaml"
    small.write_text("report: {title: Invented, published: 2024-03-02}\nclaims:\n"
                     "  - {id: a, kind: clash, place: {name: Sake, lat: -1.5736, lon: 29.0428},"
                     " summary: Invented.}\n"
                     "  - {id: b, kind: strike, place: {name: Mubambiro, lat: -1.5911, lon: 29.0603},"
                     " summary: Invented.}\n", "utf-8")
    lake = tmp_path / "across-lake-kivu.yaml"
    lake.write_text("report: {title: Invented, published: 2024-03-02}\nclaims:\n"
                    "  - {id: a, kind: clash, place: Goma, summary: Invented.}\n"
                    "  - {id: b, kind: strike, place: Bukavu, summary: Invented.}\n"
                    "  - {id: c, kind: captured, place: {name: Kalehe, lat: -2.10, lon: 28.91},"
                    " summary: Invented.}\n", "utf-8")
    control = ROOT / "examples" / "control"
    return {"bundled": [example_path()], "small": [small], "lake": [lake],
            "control": [control / "invented-2031-03-01.geojson", control / "claims-2031.yaml"]}


@pytest.mark.browser
@pytest.mark.parametrize("which", ["bundled", "small", "lake", "control"])
def test_maps_as_a_reader_sees_them(offline_page, tmp_path, which) -> None:
    """At each common size, at the fitted view and zoomed out as far as the map allows, and
    as the PNG figure is drawn: see :func:`_reader_checks`. Screenshots are kept in
    out/test-screenshots/."""
    shots = ROOT / "out" / "test-screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    inputs = _maps(tmp_path)[which]
    page_file = tmp_path / f"{which}.html"
    r = CliRunner().invoke(main, ["build", *map(str, inputs), "-o", str(page_file)])
    assert r.exit_code == 0, r.output
    for w, h in [*SIZES, (1200, 800)]:
        figure = (w, h) == (1200, 800)
        page = offline_page(width=w, height=h)
        page.open(page_file)
        page.page.wait_for_selector("html[data-cm-ready]", state="attached")
        if figure:  # as `build -o map.png` draws it
            page.page.evaluate("document.documentElement.classList.add('cm-figure')")
            page.page.evaluate("conflictmap.fit()")
        page.page.wait_for_timeout(200)
        name = f"{which}-{'figure' if figure else f'{w}x{h}'}"
        shot = page.page.screenshot(path=str(shots / f"{name}.png"))
        _reader_checks(page.page, w, h, name, shot)
        page.page.evaluate("conflictmap.map.setZoom(conflictmap.map.getMinZoom(), {animate: false})")
        page.page.wait_for_timeout(200)
        shot = page.page.screenshot(path=str(shots / f"{name}-zoomed-out.png"))
        _reader_checks(page.page, w, h, name + " zoomed out", shot)
        assert page.script_errors() == [] and page.blocked == []


@pytest.mark.browser
def test_a_crowd_of_claims_at_one_place_is_one_badge_until_opened(offline_page, tmp_path) -> None:
    """More than eight markers that would touch are one badge with their count at their
    centre (a fan of dozens carries markers far from their places); a click on it fans
    them out over what lies under the fan, each clickable, no two sharing a pixel; a click
    on the map or a new zoom groups them again."""
    rows = ["name,kind,date,actor,note,lat,lon"]
    rows += [f"Saraqib,advance,2020-02-{i + 1:02d},Group {i % 3},Invented claim {i},35.8623,36.8006"
             for i in range(12)]
    rows.append("Ariha,captured,2020-02-03,Group 1,Invented claim far away,35.8120,36.6085")
    src = tmp_path / "crowd.csv"
    src.write_text("# title: Invented crowd\n" + "\n".join(rows) + "\n", "utf-8")
    page = offline_page()
    page.open_built(src)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.evaluate("conflictmap.map.setZoom(9, {animate: false})")
    p.wait_for_timeout(300)
    badge = p.locator(".cm-cluster")
    assert badge.count() == 1 and badge.inner_text() == "12"
    assert badge.get_attribute("role") == "button"
    visible = "[...document.querySelectorAll('.cm-marker')].filter(m => m.offsetParent !== null)"
    assert p.evaluate(visible + ".map(m => m.getAttribute('data-claim'))") == ["row-15"]  # Ariha
    badge.click()
    p.wait_for_timeout(200)
    assert p.locator(".cm-cluster").count() == 0
    boxes = p.evaluate(visible + ".map(m => { const b = m.getBoundingClientRect(); "
                       "return [m.getAttribute('data-claim'), b.left, b.top, b.right, b.bottom]; })")
    assert len(boxes) == 12 and "row-15" not in [b[0] for b in boxes]  # Ariha: under the fan
    for i, (_, *a) in enumerate(boxes):
        for _, *b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    p.locator(f'.cm-marker[data-claim="{boxes[4][0]}"]').click()
    assert p.locator(".leaflet-popup .cm-popup").count() == 1
    p.mouse.click(640, 80)  # the map, away from the claims: the badge closes
    p.wait_for_timeout(300)
    assert p.locator(".cm-cluster").count() == 1
    assert p.evaluate(visible + ".length") == 1
    badge.click()
    p.wait_for_timeout(200)
    p.evaluate("conflictmap.map.setZoom(8.5, {animate: false})")
    p.wait_for_timeout(300)
    assert p.locator(".cm-cluster").count() == 1  # a new zoom groups them again
    assert page.script_errors() == []
