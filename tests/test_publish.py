"""Outputs by suffix, byte-stable files, embedding, corrections, several reports, watch."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.render.export import ACLED_COLUMNS

from .conftest import BUNDLED, ROOT

DEMO = ROOT / "geodata" / "reports" / "demo-2020-02-20-invented.yaml"


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every data format of the bundled report, built twice into two folders."""
    made = {}
    for run in ("a", "b"):
        folder = tmp_path_factory.mktemp(run)
        for suffix in ("html", "geojson", "gpkg", "csv"):
            out = folder / f"idlib.{suffix}"
            r = build(str(BUNDLED), "-o", str(out), "--no-tiles")
            assert r.exit_code == 0, r.output
            assert f"wrote {out}: 8 of 8 claims mapped" in r.stdout
            made[run, suffix] = out
    return made


@pytest.mark.parametrize("suffix", ["html", "geojson", "gpkg", "csv"])
def test_same_input_same_bytes(outputs, suffix) -> None:
    assert outputs["a", suffix].read_bytes() == outputs["b", suffix].read_bytes()


def test_html_has_no_random_ids_or_timestamps(outputs) -> None:
    page = outputs["a", "html"].read_text()
    assert "2026" not in page and "uuid" not in page.lower()
    assert 'id="cm-description"' in page and 'id="cm-claims-retreat"' in page


def test_geojson_one_feature_per_claim_with_its_fields(outputs) -> None:
    data = json.loads(outputs["a", "geojson"].read_text())
    features = [f for f in data["features"] if f["properties"]["feature_type"] == "claim"]
    assert len(features) == 8
    by_id = {f["properties"]["claim_id"]: f for f in features}
    # and the Afrin District, claimed Turkish-held by the outlet, as a control area
    (area,) = [f for f in data["features"] if f["properties"]["feature_type"] == "control_area"]
    assert (area["properties"]["actor"], area["properties"]["status"]) == (
        "Turkish Armed Forces", "claimed")
    assert by_id["sf-0218-02"]["geometry"]["type"] == "Point"
    assert by_id["sf-0218-06"]["geometry"]["type"] == "MultiLineString"  # two destinations
    assert by_id["sf-0218-07"]["geometry"]["type"] in ("Polygon", "MultiPolygon")  # Afrin area
    props = by_id["sf-0218-04"]["properties"]
    assert props["precision"] == 1 and "GeoNames 170857" in props["gazetteer_source"]
    assert "30km west of Aleppo" in props["checks"]
    assert props["source_outlet"] == "South Front" and props["date"] == "2020-02-18"


def test_gpkg_layers_hold_each_claim_once(outputs) -> None:
    import geopandas as gpd
    import pyogrio

    layers = dict(pyogrio.list_layers(outputs["a", "gpkg"]))
    assert set(layers) == {"points", "areas", "movements", "control_areas"}
    claims = ("points", "areas", "movements")
    assert sum(len(gpd.read_file(outputs["a", "gpkg"], layer=name)) for name in claims) == 8
    area = gpd.read_file(outputs["a", "gpkg"], layer="control_areas")
    assert list(area["actor"]) == ["Turkish Armed Forces"] and list(area["status"]) == ["claimed"]


def test_csv_has_acled_columns(outputs) -> None:
    rows = list(csv.DictReader(io.StringIO(outputs["a", "csv"].read_text())))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == 8
    first = next(r for r in rows if r["event_id_cnty"] == "sf-0218-01")
    assert (first["event_date"], first["event_type"], first["sub_event_type"]) == (
        "2020-02-18", "Battles", "Government regains territory")
    assert first["actor1"] == "Syrian government forces" and first["geo_precision"] == "2"
    assert first["time_precision"] == "2" and first["source"] == "South Front"
    assert float(first["latitude"]) and float(first["longitude"])


def test_csv_cells_never_become_formulas(tmp_path) -> None:
    src = tmp_path / "f.csv"
    src.write_text("name,kind,actor,note,lat,lon\n=HYPERLINK(\"x\"),mention,@evil,+1,36.2,37.1\n")
    out = tmp_path / "out.csv"
    assert build(str(src), "-o", str(out), "--no-tiles").exit_code == 0
    row = list(csv.DictReader(io.StringIO(out.read_text())))[0]
    assert row["location"].startswith("'=") and row["actor1"] == "'@evil"


def test_cdn_html_links_pinned_leaflet_with_integrity(tmp_path) -> None:
    import xstatic.pkg.leaflet as pkg

    inline, cdn = tmp_path / "inline.html", tmp_path / "cdn.html"
    build(str(BUNDLED), "-o", str(inline), "--no-tiles")
    build(str(BUNDLED), "-o", str(cdn), "--no-tiles", "--cdn")
    page = cdn.read_text()
    assert cdn.stat().st_size < inline.stat().st_size - 100_000
    for name in ("leaflet.js", "leaflet.css"):
        digest = base64.b64encode(hashlib.sha256(
            (Path(pkg.BASE_DIR) / name).read_bytes()).digest()).decode()
        assert f'{name}" integrity="sha256-{digest}"' in page  # the same bytes we would inline


def test_unsupported_size_and_output(tmp_path) -> None:
    r = CliRunner().invoke(main, ["build", str(BUNDLED), "-o", str(tmp_path / "m.png"),
                                  "--size", "10x10"])
    assert r.exit_code == 2 and "between 200 and 8000" in r.output


# --- embedding --------------------------------------------------------------------------------

def test_embed_prints_a_responsive_frame_with_alt_text_and_summary(outputs) -> None:
    r = CliRunner().invoke(main, ["embed", str(outputs["a", "html"]),
                                  "--src", "https://example.org/maps/idlib.html"])
    assert r.exit_code == 0
    html = r.stdout
    assert '<iframe src="https://example.org/maps/idlib.html"' in html
    assert "width:100%;aspect-ratio:3 / 2" in html
    assert 'title="Map of 8 reported claims' in html and "not verified" in html
    assert html.count("<li>") == 8 and "Sheikh Aqil" in html
    assert "Text version of the map" in html


def test_embed_escapes_and_refuses_pages_it_did_not_build(tmp_path, gazetteer) -> None:
    src = tmp_path / "evil.csv"
    src.write_text('# title: <script>alert(1)</script>\nname,kind,note,lat,lon\n'
                   '"<img src=x onerror=alert(1)>",mention,"a ""quote""",36.2,37.1\n')
    page = tmp_path / "evil.html"
    assert build(str(src), "-o", str(page), "--no-tiles").exit_code == 0
    out = CliRunner().invoke(main, ["embed", str(page)]).stdout
    assert "<img" not in out and "<script" not in out and "&lt;img src=x" in out
    other = tmp_path / "other.html"
    other.write_text("<html><body>hello</body></html>")
    r = CliRunner().invoke(main, ["embed", str(other)])
    assert r.exit_code == 2 and "no conflictmap description" in r.output


# --- corrections ------------------------------------------------------------------------------

def test_places_file_moves_a_place_and_draws_an_area(tmp_path) -> None:
    fixes = tmp_path / "places.geojson"
    fixes.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Sheikh Aqil"},
         "geometry": {"type": "Point", "coordinates": [36.97, 36.29]}},
        {"type": "Feature", "properties": {"name": "Darat Izza"},
         "geometry": {"type": "Polygon", "coordinates": [[[36.84, 36.27], [36.87, 36.27],
                                                          [36.87, 36.30], [36.84, 36.27]]]}},
    ]}))
    out = tmp_path / "fixed.geojson"
    r = build(str(BUNDLED), "-o", str(out), "--places", str(fixes), "--no-tiles")
    assert r.exit_code == 0, r.output
    by_id = {f["properties"]["claim_id"]: f for f in json.loads(out.read_text())["features"]
             if f["properties"]["feature_type"] == "claim"}
    assert by_id["sf-0218-02"]["geometry"]["coordinates"] == [36.97, 36.29]
    assert by_id["sf-0218-02"]["properties"]["confidence"] == "corrected by the user"
    assert by_id["sf-0218-04"]["geometry"]["type"] == "Polygon"
    csv_fix = tmp_path / "places.csv"
    csv_fix.write_text("name,lat,lon,wkt\nSheikh Aqil,36.3,36.95,\n")
    out_csv = tmp_path / "fixed.csv"
    assert build(str(BUNDLED), "-o", str(out_csv), "--places", str(csv_fix)).exit_code == 0
    row = next(r for r in csv.DictReader(io.StringIO(out_csv.read_text()))
               if r["event_id_cnty"] == "sf-0218-02")
    assert (row["latitude"], row["longitude"]) == ("36.30000", "36.95000")


@pytest.mark.parametrize("text,message", [
    ("name,lat,lon\nSheikh Aqil,north,36.9\n", "places.csv:2: lat and lon must be numbers"),
    ("name,lat,lon\nSheikh Aqil,136.2,36.9\n", "places.csv:2: coordinates of 'Sheikh Aqil' are out of range"),
    ("name,where\nSheikh Aqil,here\n", "places.csv:1: expected columns name, lat, lon"),
    ("name,lat,lon,wkt\nX,36,37,POINT (1 2)\n",
     "places.csv:2: the area of 'X' must be a valid, non-empty POLYGON, found a Point"),
])
def test_bad_places_file_names_file_and_line(tmp_path, text, message) -> None:
    bad = tmp_path / "places.csv"
    bad.write_text(text)
    out = tmp_path / "m.html"
    r = build(str(BUNDLED), "-o", str(out), "--places", str(bad))
    assert r.exit_code == 2 and message in r.output and not out.exists()


# --- several reports, one timeline ------------------------------------------------------------

def test_two_reports_share_one_map_with_a_time_slider(tmp_path) -> None:
    out = tmp_path / "timeline.html"
    r = build(str(BUNDLED), str(DEMO), "-o", str(out), "--no-tiles")
    assert r.exit_code == 0 and "12 of 12 claims mapped" in r.stdout
    page = out.read_text()
    assert '"timeline":true' in page and "Claims of 2 reports" in page
    assert "Invented example for the time slider (not a real report)" in page


# --- watch ------------------------------------------------------------------------------------

def _said(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "conflictmap"]


def test_watch_rebuilds_and_keeps_the_last_good_map(tmp_path, caplog) -> None:
    from conflictmap.watch import Watcher

    caplog.set_level("INFO", logger="conflictmap")
    src = tmp_path / "list.csv"
    src.write_text("name,kind,date\nDarat Izza,target,2020-02-18\n")
    out = tmp_path / "map.html"
    w = Watcher([src], out, tiles=None)
    assert w.check() and w.version == 1 and out.exists()
    assert not w.check()  # nothing changed
    src.write_text("name,kind,date\nDarat Izza,target,2020-02-18\nAfrin,control,2020-02-19\n")
    assert w.check() and w.version == 2
    good = out.read_bytes()
    assert b'"timeline":true' in good
    src.write_text("name,kind,date\nAfrin,not-a-kind,2020-02-19\n")
    assert w.check() and w.version == 2 and w.failures == 1
    assert out.read_bytes() == good
    said = _said(caplog)
    assert "rebuild failed (keeping the last good map):" in said[-1] and "list.csv:2" in said[-1]


def test_watch_cli_stops_cleanly(tmp_path, caplog) -> None:
    from conflictmap.watch import watch

    caplog.set_level("INFO", logger="conflictmap")
    src = tmp_path / "list.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    stop = threading.Event()
    t = threading.Thread(target=watch, args=([src], tmp_path / "m.html"),
                         kwargs={"tiles": None, "stop": stop, "port": 0})
    t.start()
    for _ in range(100):
        if (tmp_path / "m.html").exists():
            break
        threading.Event().wait(0.05)
    stop.set()
    t.join(5)
    assert not t.is_alive()
    said = _said(caplog)
    assert said[0].startswith("serving http://127.0.0.1:") and any("wrote" in s for s in said)
