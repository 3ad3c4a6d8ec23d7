"""Who holds what: control layers in every format, frontlines, changes, area statistics,
claims against control, and the map that draws them (in Chromium, offline).

The layers in tests/data/control are invented for these tests (see the README there)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from pyproj import Geod
from shapely import wkt
from shapely.geometry import box, shape
from shapely.ops import unary_union

import conflictmap as cm
from conflictmap.cli import main
from conflictmap.control import at, changes, dissolve, frontlines, stats
from conflictmap.geography import default_geography

from .conftest import BUNDLED, ROOT

DATA = ROOT / "tests" / "data" / "control"
MARCH = DATA / "invented-2031-03-01.geojson"
APRIL = DATA / "invented-2031-04-01.kml"
ACTORS = DATA / "invented-actors.yaml"
CLAIMS = DATA / "invented-claims.yaml"
D1, D2 = dt.date(2031, 3, 1), dt.date(2031, 4, 1)
GEOD = Geod(ellps="WGS84")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def geodesic_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def areas_of(*paths):
    palette = cm.Palette(cm.load_palette(ACTORS))
    return dissolve([a for p in paths for a in cm.load_control(p)], palette)


# --- loading ------------------------------------------------------------------------------

def _gpkg(tmp_path):
    import geopandas as gpd

    doc = json.loads(MARCH.read_text())
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    out = tmp_path / "march.gpkg"
    frame.to_file(out, driver="GPKG")
    return out


def _kmz(tmp_path):
    out = tmp_path / "april.kmz"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", APRIL.read_text())
    return out


def _yaml(tmp_path):
    doc = json.loads(MARCH.read_text())
    lines = ["report: {title: Invented control areas}", "control_areas:"]
    for f in doc["features"]:
        p = f["properties"]
        lines += [f"  - actor: {p['actor']}", f"    status: {p['status']}",
                  f"    valid_from: {p['valid_from']}", f"    source: {p['source']}",
                  f"    wkt: {shape(f['geometry']).wkt}"]
    out = tmp_path / "march.yaml"
    out.write_text("\n".join(lines) + "\n")
    return out


def _key(a):
    return (a.actor, a.status, a.valid_from, round(wkt.loads(a.geometry_wkt).area, 9))


def test_geojson_gpkg_and_yaml_give_the_same_areas(tmp_path) -> None:
    want = sorted(_key(a) for a in cm.load_control(MARCH))
    assert len(want) == 3
    assert sorted(_key(a) for a in cm.load_control(_gpkg(tmp_path))) == want
    assert sorted(_key(a) for a in cm.load(_yaml(tmp_path)).control) == want


def test_kml_and_kmz_give_the_same_areas_with_their_fields(tmp_path) -> None:
    kml = cm.load_control(APRIL)
    assert [(a.actor, a.status, a.valid_from, a.line) for a in kml] == [
        ("Blue Coalition", "assessed", D2, 5), ("Red Brigade", "assessed", D2, 16),
        ("Green Militia", "assessed", D2, 27), ("Red Brigade", "claimed", D2, 38)]
    assert kml[3].source == "an invented Red Brigade statement"
    assert [_key(a) for a in cm.load_control(_kmz(tmp_path))] == [_key(a) for a in kml]


def test_polygons_of_one_actor_and_date_are_dissolved(tmp_path) -> None:
    halves = [box(36.0, 35.0, 36.5, 35.5), box(36.5, 35.0, 37.0, 35.5)]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": h.__geo_interface__,
         "properties": {"actor": "Red forces", "valid_from": "2031-03-01"}} for h in halves]}
    path = tmp_path / "halves.geojson"
    path.write_text(json.dumps(doc))
    (one,) = areas_of(path)
    assert one.actor == "Red Brigade"  # the alias, merged by the palette
    assert wkt.loads(one.geometry_wkt).equals(box(36.0, 35.0, 37.0, 35.5))


def test_a_wrongly_wound_or_self_intersecting_polygon_is_repaired_with_a_warning(
        tmp_path, caplog) -> None:
    bowtie = [[36, 35], [37, 36], [37, 35], [36, 36], [36, 35]]
    clockwise = [[36, 35], [36, 36], [37, 36], [37, 35], [36, 35]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
         "properties": {"actor": "A", "valid_from": "2031-03-01"}} for ring in (bowtie, clockwise)]}
    path = tmp_path / "fixable.geojson"
    path.write_text(json.dumps(doc, indent=1))
    with caplog.at_level("WARNING", logger="conflictmap"):
        bow, square = cm.load_control(path)
    messages = [r.getMessage() for r in caplog.records]
    assert any("repaired an invalid polygon (Self-intersection" in m and "area 1" in m
               for m in messages), messages
    assert any("rewound its rings" in m and "area 2" in m for m in messages), messages
    assert wkt.loads(bow.geometry_wkt).is_valid
    assert wkt.loads(bow.geometry_wkt).area == pytest.approx(0.5)
    assert wkt.loads(square.geometry_wkt).exterior.is_ccw


# --- frontlines, changes and statistics -------------------------------------------------

def test_frontlines_join_areas_across_small_gaps_and_overlaps() -> None:
    areas = areas_of(MARCH, APRIL)
    lines = {f.actors: f for f in frontlines(areas, D1)}
    # Blue/Red leave a 0.18 km gap and Green/Red overlap by 0.33 km: one line each
    assert set(lines) == {("Blue Coalition", "Green Militia"), ("Blue Coalition", "Red Brigade"),
                          ("Green Militia", "Red Brigade")}
    assert lines[("Blue Coalition", "Green Militia")].km == pytest.approx(33.3, abs=1.5)
    assert lines[("Blue Coalition", "Red Brigade")].km == pytest.approx(33.6, abs=1.5)
    assert lines[("Green Militia", "Red Brigade")].km == pytest.approx(27.1, abs=1.5)
    # with a tolerance below the gap, Blue and Red do not meet
    tight = {f.actors for f in frontlines(areas, D1, snap_km=0.1)}
    assert ("Blue Coalition", "Red Brigade") not in tight


def test_the_areas_of_a_date_hold_until_the_next_snapshot() -> None:
    areas = areas_of(MARCH, APRIL)
    assert {a.valid_from for a in at(areas, dt.date(2031, 3, 31))} == {D1}
    assert {a.valid_from for a in at(areas, D2)} == {D2}
    assert at(areas, dt.date(2031, 2, 28)) == []


def test_changes_are_the_gains_and_losses_between_two_dates() -> None:
    by = {c.actor: c for c in changes(areas_of(MARCH, APRIL), D1, D2)}
    strip = box(36.70, 35.60, 36.80, 35.90)  # Blue's advance into Red's area
    assert wkt.loads(by["Blue Coalition"].gained_wkt).symmetric_difference(strip).area < 1e-6
    lost = wkt.loads(by["Red Brigade"].lost_wkt)  # the strip, and its overlap with Green
    want = box(36.702, 35.60, 37.00, 35.903).difference(box(36.80, 35.60, 37.00, 35.90))
    assert lost.symmetric_difference(want).area < 1e-9
    assert by["Blue Coalition"].gained_km2 == pytest.approx(geodesic_km2(strip), rel=0.005)
    assert by["Green Militia"].gained_km2 == 0 and by["Green Militia"].lost_km2 == 0


def test_stats_match_geodesic_areas_within_half_a_percent() -> None:
    """Areas from the equal-area projection against pyproj's geodesic area of the same
    polygons, unioned here from the raw inputs."""
    rows, country = stats(areas_of(MARCH, APRIL))
    assert country == "SY"
    raw = [*json.loads(MARCH.read_text())["features"]]
    expected: dict[tuple, list] = {}
    for f in raw:
        p = f["properties"]
        expected.setdefault((p["valid_from"], p["actor"], p["status"]), []).append(shape(f["geometry"]))
    for a in cm.load_control(APRIL):
        expected.setdefault((a.valid_from.isoformat(), a.actor, a.status), []).append(
            wkt.loads(a.geometry_wkt))
    got = {(r.day.isoformat(), r.actor, r.status): r for r in rows}
    assert set(got) == set(expected)
    for key, geoms in expected.items():
        truth = geodesic_km2(unary_union(geoms))
        assert abs(got[key].km2 - truth) / truth < 0.005, (key, got[key].km2, truth)
    blue = got[("2031-04-01", "Blue Coalition", "assessed")]
    assert blue.change_km2 == pytest.approx(
        geodesic_km2(box(36.70, 35.60, 36.80, 35.90)), rel=0.005)
    syria = geodesic_km2(default_geography().country("SY"))
    assert blue.share == pytest.approx(blue.km2 / syria, abs=0.0005)


def test_control_stats_prints_a_table_csv_and_json() -> None:
    r = run("control-stats", str(MARCH), str(APRIL), "--actors", str(ACTORS))
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0].startswith(
        "areas in km², equal-area projection EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global); "
        "share of Syria (SY")
    assert re.search(r"2031-04-01 Blue Coalition +assessed +2,10\d\.\d +1\.\d% +\+30\d\.\d", r.output)
    r = run("control-stats", str(MARCH), str(APRIL), "--csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert list(rows[0]) == ["date", "actor", "status", "km2", "share_of_country", "change_km2"]
    assert len(rows) == 7 and rows[0]["change_km2"] == ""
    r = run("control-stats", str(MARCH), "--json")
    doc = json.loads(r.output)
    assert doc["projection"] == "EPSG:6933" and doc["country_name"] == "Syria"
    assert run("control-stats", str(CLAIMS)).exit_code == 2  # claims, no control areas


# --- claims against control -----------------------------------------------------------

def test_each_claim_says_where_its_place_stood_and_contradictions_are_flagged(tmp_path) -> None:
    out = tmp_path / "inv.html"
    cmap = cm.build([CLAIMS, MARCH, APRIL], out, actors=ACTORS)
    by = {c.claim.id: c for c in cmap.claims}
    assert by["inv-1"].control == ("inside the area assessed as held by Red Brigade since "
                                   "2031-03-01 (invented for tests)")
    assert by["inv-1"].conflict == ""
    assert by["inv-2"].conflict == ("the control layer already shows Green Militia holding this "
                                    "place since 2031-03-01")
    assert by["inv-3"].conflict.startswith("a retreat by Red Brigade from a place the control "
                                           "layer shows held by Blue Coalition")
    r = run("build", str(CLAIMS), str(MARCH), str(APRIL), "-o", str(tmp_path / "x.csv"),
            "--actors", str(ACTORS))
    assert r.exit_code == 0
    assert r.stderr.count("check: claim inv-") == 2
    # without the palette "Green forces" is not known to be Green Militia: no contradiction
    r = run("build", str(CLAIMS), str(MARCH), str(APRIL), "-o", str(tmp_path / "x.csv"))
    assert r.stderr.count("check: claim inv-") == 1


def test_extract_checks_a_report_against_a_control_layer(tmp_path) -> None:
    """An invented layer puts Saraqib under Syrian government control from 1 March; a
    report of 20 March says government forces captured it."""
    layer = tmp_path / "invented-saraqib.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": box(36.70, 35.80, 36.90, 35.95).__geo_interface__,
        "properties": {"actor": "Syrian Arab Army", "valid_from": "2031-03-01",
                       "source": "invented for this test"}}]}))
    report = tmp_path / "report.txt"
    report.write_text("Invented report, 20 March 2031\n\nSyrian government forces captured "
                      "Saraqib on 20 March 2031, the outlet says.\n")
    r = run("extract", str(report), "--json", "--control", str(layer))
    assert r.exit_code == 0, r.output
    (entry,) = json.loads(r.stdout)["control"]
    assert entry["place"] == "Saraqib"
    assert entry["control"].startswith("inside the area assessed as held by Syrian government "
                                       "forces since 2031-03-01")
    assert "already shows Syrian government forces holding this place" in entry["contradiction"]
    assert "check: claim draft-01 (Saraqib): the control layer already shows" in r.stderr


# --- the bundled report, filters, exports ------------------------------------------------

def test_the_bundled_report_shows_the_afrin_district_as_claimed_turkish_held(
        tmp_path, gazetteer) -> None:
    cmap = cm.build(BUNDLED, tmp_path / "idlib.geojson")
    (area,) = cmap.mapped.control
    assert (area.actor, area.status, area.source, area.claim) == (
        "Turkish Armed Forces", "claimed", "claimed by South Front", "sf-0218-07")
    afrin = gazetteer.resolve("Afrin District", country="SY").place
    assert wkt.loads(area.geometry_wkt).equals(wkt.loads(afrin.geometry_wkt))
    features = json.loads((tmp_path / "idlib.geojson").read_text())["features"]
    kinds = [f["properties"]["feature_type"] for f in features]
    assert kinds.count("claim") == 8 and kinds.count("control_area") == 1
    assert "frontline" not in kinds  # one actor: nothing to meet


def test_filters_keep_one_actor_kind_and_period(tmp_path) -> None:
    out = tmp_path / "f.csv"
    r = run("build", str(CLAIMS), str(MARCH), str(APRIL), "--actors", str(ACTORS), "-o", str(out),
            "--actor", "Green forces")
    assert r.exit_code == 0, r.output
    assert "1 of 3 claims mapped, 2 control areas" in r.output
    r = run("build", str(CLAIMS), "-o", str(out), "--kind", "retreat")
    assert "1 of 3 claims mapped" in r.output
    r = run("build", str(CLAIMS), "-o", str(out), "--since", "2031-03-21")
    assert "1 of 3 claims mapped" in r.output  # only inv-1 lasts (until 25 March)
    r = run("build", str(CLAIMS), "-o", str(out), "--until", "2031-03-19")
    assert "0 of 3 claims mapped" in r.output
    assert run("build", str(CLAIMS), "-o", str(out), "--kind", "parade").exit_code == 2
    assert run("build", str(CLAIMS), "-o", str(out), "--since", "March").exit_code == 2
    assert run("build", str(MARCH), "-o", str(out), "--compare", "2031-03-01").exit_code == 2


def test_exports_carry_control_areas_frontlines_and_claim_spans(tmp_path) -> None:
    import pyogrio

    gpkg = tmp_path / "inv.gpkg"
    assert run("build", str(CLAIMS), str(MARCH), str(APRIL), "-o", str(gpkg)).exit_code == 0
    layers = dict(pyogrio.list_layers(gpkg))
    assert {"points", "control_areas", "frontlines"} <= set(layers)
    fronts = pyogrio.read_dataframe(gpkg, layer="frontlines")
    assert len(fronts) == 6  # three pairs meet at each of the two dates
    assert set(fronts["valid_until"]) == {"2031-03-31", ""}
    gj = tmp_path / "inv.geojson"
    assert run("build", str(CLAIMS), str(MARCH), str(APRIL), "-o", str(gj)).exit_code == 0
    features = json.loads(gj.read_text())["features"]
    counts = {k: sum(f["properties"]["feature_type"] == k for f in features)
              for k in ("claim", "control_area", "frontline")}
    assert counts == {"claim": 3, "control_area": 7, "frontline": 6}
    inv1 = next(f for f in features if f["properties"].get("claim_id") == "inv-1")
    assert (inv1["properties"]["date"], inv1["properties"]["until"]) == ("2031-03-20", "2031-03-25")
    assert run("build", str(CLAIMS), "-o", str(tmp_path / "c.csv")).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text())))
    assert (rows[0]["event_date"], rows[0]["conflictmap_until"]) == ("2031-03-20", "2031-03-25")


# --- the map, in Chromium, offline ----------------------------------------------------------

@pytest.fixture(scope="module")
def invented_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("control") / "inv.html"
    r = CliRunner().invoke(main, ["build", str(CLAIMS), str(MARCH), str(APRIL), "--actors",
                                  str(ACTORS), "-o", str(out), "--no-tiles"])
    assert r.exit_code == 0, r.output
    return out


def _count(page, selector: str) -> int:
    return page.locator(selector).count()


def test_the_map_draws_areas_frontlines_and_changes_and_moves_them_with_the_slider(
        invented_map, offline_page) -> None:
    page = offline_page()
    page.open(invented_map)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    # the latest date: four areas (one claimed, hatched), three frontlines, gains and losses
    assert _count(p, "path.cm-control") == 4
    assert _count(p, "path.cm-control-claimed") == 1
    fill = p.locator("path.cm-control-claimed").get_attribute("fill")
    assert fill.startswith("url(#cm-hatch-")
    assert _count(p, "path.cm-frontline") == 3
    assert _count(p, "path.cm-change-gained") == 1 and _count(p, "path.cm-change-lost") == 1
    p.locator("path.cm-control-claimed").hover()
    label = p.locator(".leaflet-tooltip").inner_text()
    assert "Red Brigade" in label and "claimed by an invented Red Brigade statement" in label
    # back to 1 March: three areas, no claimed one, no change layer yet
    p.evaluate("var i = document.querySelector('.cm-timeline input'); i.value = 0;"
               "i.dispatchEvent(new Event('input'))")
    assert _count(p, "path.cm-control") == 3 and _count(p, "path.cm-control-claimed") == 0
    assert _count(p, "path.cm-change-gained") == 0
    # the actor filter keeps one actor's areas, lines and claims
    p.evaluate("var i = document.querySelector('.cm-timeline input'); i.value = i.max;"
               "i.dispatchEvent(new Event('input'))")
    p.select_option(".cm-actor-filter select", "Green Militia")
    assert _count(p, "path.cm-control") == 1
    assert _count(p, "path.cm-frontline") == 2  # Green's two lines
    assert _count(p, ".cm-marker") == 1  # inv-2 (inv-1 ended, inv-3 is Red's)
    # a claim's popup says where it stood
    p.select_option(".cm-actor-filter select", "")
    p.locator('.cm-marker[data-claim="inv-2"]').click()
    text = p.locator(".leaflet-popup-content").inner_text()
    assert "Control" in text and "Disagrees" in text
    assert page.blocked == [] and page.script_errors() == []


def test_the_compare_view_shows_two_dates_side_by_side_offline(tmp_path, offline_page) -> None:
    out = tmp_path / "cmp.html"
    r = run("build", str(MARCH), str(APRIL), "--actors", str(ACTORS), "--compare", "2031-03-01",
            "2031-04-01", "-o", str(out), "--no-tiles")
    assert r.exit_code == 0, r.output
    page = offline_page()
    page.open(out)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    assert _count(p, ".leaflet-sbs-range") == 1
    left = p.locator(".leaflet-cm-compare-0-pane path.cm-control").count()
    right = p.locator(".leaflet-cm-compare-1-pane path.cm-control").count()
    assert (left, right) == (3, 4)
    assert p.locator(".leaflet-cm-compare-0-pane path.cm-frontline").count() == 3
    assert p.locator(".cm-compare").inner_text().split() == ["←", "2031-03-01", "2031-04-01", "→"]
    # moving the swipe bar clips the left date's pane
    p.evaluate("var r = document.querySelector('.leaflet-sbs-range'); r.value = 0.25;"
               "r.dispatchEvent(new Event('input'))")
    clip = p.evaluate("getComputedStyle(document.querySelector('.leaflet-cm-compare-0-pane')).clip")
    assert clip.startswith("rect(")
    assert page.blocked == [] and page.script_errors() == []


def test_a_geopackage_without_an_actor_column_is_refused(tmp_path) -> None:
    import geopandas as gpd

    out = tmp_path / "no-actor.gpkg"
    gpd.GeoDataFrame({"owner": ["Blue"]}, geometry=[box(36, 35, 37, 36)],
                     crs="EPSG:4326").to_file(out, driver="GPKG")
    r = run("build", str(out), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 2
    assert r.stderr == (f"conflictmap: error: {out}: a control layer needs an 'actor' column; "
                        "found owner\n")


def test_the_bundled_map_labels_the_afrin_district_claimed_by_the_outlet(
        tmp_path, offline_page) -> None:
    out = tmp_path / "idlib.html"
    assert run("build", str(BUNDLED), "-o", str(out), "--no-tiles").exit_code == 0
    page = offline_page()
    page.open(out)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    assert _count(p, "path.cm-control-claimed") == 1
    assert p.locator(".cm-claimed-label").inner_text().split("\n") == [
        "Turkish Armed Forces", "claimed by South Front"]
    legend = p.locator(".cm-legend-control").inner_text()
    assert "Turkish Armed Forces" in legend and "Claimed control" in legend
    assert "Assessed control" not in legend  # no assessed area on this map
    assert page.blocked == [] and page.script_errors() == []


def test_the_text_version_says_where_claims_stood_and_lists_the_areas(tmp_path) -> None:
    out = tmp_path / "inv.txt"
    r = run("build", str(CLAIMS), str(MARCH), "--actors", str(ACTORS), "-o", str(out))
    assert r.exit_code == 0, r.output
    lines = out.read_text().splitlines()
    inv1 = next(line for line in lines if "Invented hill" in line)
    assert inv1.startswith("20 March 2031 to 25 March 2031: Captured / took control")
    assert inv1.endswith("Control: inside the area assessed as held by Red Brigade since "
                         "2031-03-01 (invented for tests)")
    assert any("Disagrees with the control layer: the control layer already shows Green "
               "Militia holding this place" in line for line in lines)
    assert "Control: Blue Coalition, assessed as held from 1 March 2031 (invented for tests)." \
        in lines
