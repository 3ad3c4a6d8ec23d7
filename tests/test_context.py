"""A map a reader can read without the network: borders, coasts, admin lines, place
names and real outlines from the bundled context data, on phones and in print."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.geography import default_geography

from .conftest import BUNDLED, ROOT

DEMO = ROOT / "geodata" / "reports" / "demo-2020-02-20-invented.yaml"
UKRAINE = """name,kind,date,actor
Bakhmut,captured,2023-05-20,Wagner Group
Soledar,captured,2023-01-13,Wagner Group
Avdiivka,besieged,2023-10-15,Russian armed forces
Kramatorsk,target,2023-06-27,Russian armed forces
"""


def build(*args: str):
    r = CliRunner().invoke(main, ["build", *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    out = tmp_path_factory.mktemp("ctx") / "idlib.html"
    build(str(BUNDLED), "-o", str(out), "--no-tiles")
    return out


@pytest.fixture(scope="module")
def ukraine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ua")
    src = folder / "donetsk.csv"
    src.write_text("# title: Donetsk front (test places)\n# country: UA\n" + UKRAINE)
    out = folder / "donetsk.html"
    build(str(src), "-o", str(out), "--no-tiles")
    return out


def _context(page_file) -> dict:
    text = page_file.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="cm-context">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def test_bundled_map_carries_its_context_and_stays_small(bundled) -> None:
    ctx = _context(bundled)
    assert {"coast", "border", "admin1", "admin3"} <= set(ctx["lines"])
    names = [row[0] for row in ctx["labels"]]
    assert {"Aleppo", "Idlib", "Afrin"} <= set(names)
    assert bundled.stat().st_size <= 450_000


def test_the_outlines_of_districts_are_real_boundaries(gazetteer) -> None:
    """The districts' outlines are their boundaries: their area matches the area OCHA gives
    for their sub-districts (area_parts.csv, an independent record) within 5 %."""
    import csv

    from pyproj import Geod
    from shapely import wkt

    official: dict[str, float] = {}
    with (ROOT / "geodata" / "gazetteer" / "area_parts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            official[row["area"]] = official.get(row["area"], 0.0) + float(row["area_km2"])
    for name, key in (("Mount Simeon District", "mount-simeon-district"),
                      ("Afrin District", "afrin-district")):
        r = gazetteer.resolve(name, country="SY")
        assert r.place.outline == "boundary" and r.as_dict()["outline"] == "boundary"
        km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(wkt.loads(r.place.geometry_wkt))[0]) / 1e6
        assert abs(km2 - official[key]) / official[key] < 0.05, (name, km2, official[key])
    countryside = gazetteer.resolve("Western Aleppo countryside", country="SY")
    assert countryside.place.outline == "approximate"  # informal: derived from boundaries
    aleppo = gazetteer.resolve("Aleppo Governorate", country="SY")
    assert aleppo.place.outline == "boundary"


def test_the_border_check_measures_to_the_shared_border() -> None:
    from conflictmap.checks import measure
    from conflictmap.model import Check, Feature, Place, PlaceRef

    turkey = Place("t:tr", "Turkey", 39.0, 35.0, feature=Feature.AREA, kind="country", country="TR")
    check = Check("on the border with Turkey", "border", PlaceRef("Turkey"))
    bab_al_hawa = Place("t:bah", "Bab al-Hawa", 36.2306, 36.6926, country="SY")
    latakia = Place("t:lat", "Latakia", 35.5317, 35.7901, country="SY")
    near = measure(check, bab_al_hawa, turkey)
    far = measure(check, latakia, turkey)
    assert near.agrees and near.distance_km < 5
    assert not far.agrees and far.distance_km > 40  # Turkey's coast is nearer, its border is not


def test_exports_carry_the_real_polygon(tmp_path, gazetteer) -> None:
    import conflictmap as cm

    out = tmp_path / "idlib.geojson"
    cm.build(BUNDLED, out, gazetteer=gazetteer)
    feature = next(f for f in json.loads(out.read_text())["features"]
                   if f["properties"].get("claim_id") == "sf-0218-07")  # Afrin region
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ring = feature["geometry"]["coordinates"][0] if feature["geometry"]["type"] == "Polygon" \
        else feature["geometry"]["coordinates"][0][0]
    assert len(ring) > 40  # a boundary, not a handful of disc segments


def test_colours_keep_their_contrast_on_the_new_basemap() -> None:
    """Every marker has a dark edge; measured against the land and the sea, the edge keeps
    WCAG's 3:1 for graphics, and the kinds stay apart in colour-blind simulation."""
    from conflictmap.kinds import KINDS

    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def contrast(a: str, b: str) -> float:
        la, lb = sorted((luminance(a), luminance(b)), reverse=True)
        return (la + 0.05) / (lb + 0.05)

    css = (ROOT / "src" / "conflictmap" / "render" / "assets" / "conflictmap.css").read_text()
    land, sea, edge = "#f2eee4", "#d4e3ec", "#1a1a1a"
    assert land in (ROOT / "src" / "conflictmap" / "render" / "assets" / "conflictmap.js").read_text()
    assert sea in css and f"drop-shadow(0 0 1px {edge})" in css
    assert contrast(edge, land) >= 3 and contrast(edge, sea) >= 3
    for kind in KINDS.values():  # the fill against the land: reported, and never invisible
        assert contrast(kind.color, land) >= 1.5, kind.label


@pytest.mark.browser
def test_offline_map_shows_borders_admin_lines_outlines_and_labels(bundled, offline_page) -> None:
    page = offline_page()
    page.open(bundled)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.wait_for_timeout(200)
    # the context is drawn as SVG (one sheet per pane); each says what it drew, in pixels
    drawn = p.evaluate("conflictmap.contextDrawn()")
    assert {"border", "coast", "admin1"} <= set(drawn["lines"]), drawn
    assert {"land", "land-coarse"} <= set(drawn["land"])  # detailed, and coarser to the limits
    assert "river" in drawn["water"]  # the Euphrates, the Orontes
    assert p.locator(".leaflet-cm-lines-pane svg.cm-lines-sheet").count() == 1
    assert p.locator(".leaflet-cm-lines-pane svg.cm-lines-sheet path.cm-context-border").count() == 1
    # the Syria-Turkey border crosses the view
    west, _, east, _ = drawn["lines"]["border"]
    assert east - west > 200
    # Mount Simeon District drawn from its real boundary, solid, labelled as such
    assert p.locator("path.cm-area-boundary").count() >= 2
    labels = p.locator(".cm-area-label").all_inner_texts()
    assert any("Mount Simeon District" in t and "boundary" in t for t in labels)
    # place names in their own pane, under the markers, visible and not overlapping
    shown = p.evaluate("""Array.from(document.querySelectorAll('.leaflet-cm-labels-pane .cm-place'))
        .filter(function (e) { return e.style.display !== 'none'; })
        .map(function (e) { var r = e.getBoundingClientRect();
                            return [e.textContent, r.x, r.y, r.width, r.height]; })""")
    names = {s[0] for s in shown}
    assert {"Aleppo", "Idlib"} <= names, names  # Afrin's spots hold the claim's marker and label
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert (a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1] or a[2] + a[4] <= b[2]
                    or b[2] + b[4] <= a[2]), (a[0], b[0])
    p.evaluate("conflictmap.map.setZoom(conflictmap.map.getZoom() + 1, {animate: false})")
    p.wait_for_timeout(200)
    assert p.locator(".leaflet-cm-labels-pane .cm-place:visible", has_text="Afrin").count() == 1
    p.evaluate("conflictmap.map.setZoom(conflictmap.map.getZoom() - 1, {animate: false})")
    z_labels = p.evaluate("getComputedStyle(document.querySelector('.leaflet-cm-labels-pane')).zIndex")
    z_markers = p.evaluate("getComputedStyle(document.querySelector('.leaflet-marker-pane')).zIndex")
    assert int(z_labels) < int(z_markers)
    # the locator inset, and the context can be switched off in the layer control
    assert p.locator(".cm-inset svg path").count() >= 3
    p.locator(".leaflet-control-layers-overlays label", has_text="Borders, coasts").click()
    assert p.locator(".leaflet-cm-lines-pane svg").count() == 0
    assert p.evaluate("conflictmap.contextDrawn()")["lines"] == {}
    assert page.script_errors() == []
    assert page.blocked == []  # --no-tiles: nothing asked of the network


@pytest.mark.browser
def test_another_conflict_gets_its_context_from_the_same_data(ukraine, offline_page) -> None:
    ctx = _context(ukraine)
    assert "border" in ctx["lines"] and "admin1" in ctx["lines"]
    page = offline_page()
    page.open(ukraine)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.wait_for_timeout(200)
    assert "admin1" in p.evaluate("conflictmap.contextDrawn()")["lines"]
    shown = p.evaluate("""Array.from(document.querySelectorAll('.leaflet-cm-labels-pane .cm-place'))
        .filter(function (e) { return e.style.display !== 'none'; }).map(function (e) {
        return e.textContent; })""")
    assert {"Donetsk", "Kramatorsk"} <= set(shown), shown
    assert page.script_errors() == []


SIZES = [(390, 800), (768, 1024), (1280, 800)]
CONTROLS = {"title": ".cm-title", "legend": ".cm-legend", "layers": ".leaflet-control-layers",
            "slider": ".cm-timeline", "corrections": ".cm-edit-toggle", "actor": ".cm-actor-filter"}


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_controls_never_overlap_and_stay_in_view(tmp_path, offline_page, size) -> None:
    out = tmp_path / "timeline.html"
    build(str(BUNDLED), str(DEMO), "-o", str(out), "--no-tiles")
    width, height = size
    page = offline_page(width=width, height=height)
    page.open(out)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.wait_for_timeout(200)
    boxes = {name: p.locator(sel).first.bounding_box() for name, sel in CONTROLS.items()}
    for name, b in boxes.items():
        assert b is not None and b["width"] > 0, name
        assert b["x"] >= 0 and b["y"] >= 0, (name, b)
        assert b["x"] + b["width"] <= width and b["y"] + b["height"] <= height, (name, b)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ba, bb = boxes[a], boxes[b]
            apart = (ba["x"] + ba["width"] <= bb["x"] or bb["x"] + bb["width"] <= ba["x"]
                     or ba["y"] + ba["height"] <= bb["y"] or bb["y"] + bb["height"] <= ba["y"])
            assert apart, (a, ba, b, bb)
    if width < 700:  # folded into buttons that open them
        assert p.locator(".cm-legend.cm-folded").count() == 1
        assert p.locator(".leaflet-control-layers-expanded").count() == 0
        p.locator(".cm-legend-toggle").click()
        assert p.locator(".cm-legend li").first.is_visible()
        p.locator(".cm-legend-toggle").click()
    # a popup fits the screen
    p.locator(".cm-marker:visible").first.click()
    p.wait_for_selector(".leaflet-popup-content")
    p.wait_for_timeout(400)  # the map pans the popup into view
    pop = p.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert pop["x"] >= 0 and pop["x"] + pop["width"] <= width, pop
    assert page.script_errors() == []


@pytest.mark.browser
def test_the_page_prints_on_a4_landscape_with_its_legend(bundled, offline_page) -> None:
    page = offline_page()
    page.open(bundled)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.emulate_media(media="print")
    assert p.locator(".cm-legend li").first.is_visible()
    assert not p.locator(".leaflet-control-zoom").is_visible()
    assert not p.locator(".leaflet-control-layers").is_visible()
    pdf = p.pdf(prefer_css_page_size=True, print_background=True)
    size = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert size and float(size.group(1)) > float(size.group(2))  # landscape
    assert abs(float(size.group(1)) - 842) < 3  # A4: 842 x 595 points


def test_context_data_files_are_installed_and_small() -> None:
    folder = ROOT / "geodata" / "context"
    for name in ("areas.json.gz", "lines.json.gz", "places.json.gz", "water.json.gz"):
        assert (folder / name).stat().st_size < 5_000_000
    g = default_geography()
    assert g.country("SY") is not None and g.outline_of(geonameid=169387).kind == "boundary"


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1200, 800), (800, 600)])
def test_a_figure_has_the_parts_a_newsroom_prints(bundled, offline_page, size) -> None:
    """What ``-o map.png|pdf`` renders: the page as a figure, without buttons."""
    page = offline_page(width=size[0], height=size[1])
    page.open(bundled)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.evaluate("document.documentElement.classList.add('cm-figure')")
    assert p.locator(".leaflet-cm-lines-pane svg.cm-lines-sheet").first.is_visible()
    for selector in (".cm-title", ".cm-legend li", ".leaflet-control-scale",
                     ".leaflet-control-attribution", ".cm-inset svg"):
        box = p.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 1, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, selector
    for hidden in (".leaflet-control-zoom", ".leaflet-control-layers", ".cm-edit-toggle"):
        assert not p.locator(hidden).first.is_visible(), hidden
    title = p.locator(".cm-title").bounding_box()
    legend = p.locator(".cm-legend").bounding_box()
    assert title["x"] + title["width"] <= legend["x"] or title["y"] + title["height"] <= legend["y"]
