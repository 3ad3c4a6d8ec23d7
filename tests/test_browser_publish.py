"""Images, embedding, the drag-and-export round trip, the time slider, many claims and
live reload, in real headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import random
import struct
import threading
import time

import pytest
from click.testing import CliRunner

from conflictmap.cli import main

from .conftest import BUNDLED, ROOT

pytestmark = pytest.mark.browser
DEMO = ROOT / "geodata" / "reports" / "demo-2020-02-20-invented.yaml"


def build(*args: str):
    r = CliRunner().invoke(main, ["build", *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def test_png_and_pdf_at_the_chosen_size(tmp_path) -> None:
    png, pdf = tmp_path / "m.png", tmp_path / "m.pdf"
    build(str(BUNDLED), "-o", str(png), "--no-tiles", "--size", "900x600")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (900, 600)
    assert len(data) > 30_000  # not a blank page: panels, markers, areas
    build(str(BUNDLED), "-o", str(pdf), "--no-tiles", "--size", "900x600")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert b"/CreationDate (D:20000101000000" in pdf.read_bytes()
    # with a basemap layer in the page but no --fetch-tiles, the image is still made offline
    with_tiles = tmp_path / "tiles.png"
    build(str(BUNDLED), "-o", str(with_tiles), "--size", "900x600")
    assert with_tiles.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_image_shows_title_legend_scale_and_attribution(tmp_path, offline_page) -> None:
    """What the image is made from: the page at that size, with its controls in view."""
    html = tmp_path / "m.html"
    build(str(BUNDLED), "-o", str(html), "--no-tiles")
    page = offline_page(width=900, height=600)
    page.open(html)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]")
    for selector in (".cm-title", ".cm-legend", ".leaflet-control-scale",
                     ".leaflet-control-attribution"):
        box = p.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 900 and box["y"] + box["height"] <= 600, selector


def test_embedded_map_leaves_the_wheel_to_the_page_until_clicked(tmp_path, offline_page) -> None:
    html = tmp_path / "idlib.html"
    build(str(BUNDLED), "-o", str(html), "--no-tiles")
    snippet = CliRunner().invoke(main, ["embed", str(html)]).stdout
    host = tmp_path / "report.html"
    host.write_text("<!doctype html><html><body style='margin:0'>"
                    "<p style='height:300px'>Our report.</p>" + snippet +
                    "<p style='height:2000px'>More text.</p></body></html>")
    page = offline_page(width=900, height=700)
    page.open(host)
    p = page.page
    frame = p.frame_locator("iframe")
    frame.locator("html[data-cm-ready]").wait_for(state="attached")
    inner = p.frames[1]
    zoom = inner.evaluate("conflictmap.map.getZoom()")
    box = p.locator("iframe").bounding_box()
    p.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    p.mouse.wheel(0, 400)
    # the page scrolled (polled: a loaded machine may take longer than a fixed wait)
    p.wait_for_function("window.scrollY > 0", timeout=5000)
    assert inner.evaluate("conflictmap.map.getZoom()") == zoom  # the map did not zoom
    box = p.locator("iframe").bounding_box()
    # an empty spot of the map: no control, marker, area or line under it
    empty = inner.evaluate("""(function () {
        for (var y = 0.3; y < 0.9; y += 0.05) { for (var x = 0.2; x < 0.8; x += 0.05) {
            var px = innerWidth * x, py = innerHeight * y, e = document.elementFromPoint(px, py);
            if (e && !e.closest('.leaflet-control, .leaflet-marker-icon, .leaflet-interactive')
                && e.closest('.leaflet-container')) { return [px, py]; } } }
        return null; })()""")
    assert empty is not None
    spot = (box["x"] + empty[0], box["y"] + empty[1])
    p.mouse.move(*spot)
    p.mouse.click(*spot)
    # after a click it zooms (polled: a loaded machine may take longer than one animation)
    inner.wait_for_function("conflictmap.map.scrollWheelZoom.enabled()", timeout=5000)
    p.mouse.wheel(0, -400)
    inner.wait_for_function(f"conflictmap.map.getZoom() != {zoom}", timeout=5000)
    assert p.locator("figcaption details summary").inner_text() == "Text version of the map"
    assert page.script_errors() == []


def _drag(p, selector: str, dx: int, dy: int) -> None:
    box = p.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    p.mouse.move(x, y)
    p.mouse.down()
    for i in range(1, 6):
        p.mouse.move(x + dx * i / 5, y + dy * i / 5)
    p.mouse.up()


def test_drag_draw_export_and_rebuild(tmp_path, offline_page) -> None:
    html = tmp_path / "m.html"
    build(str(BUNDLED), "-o", str(html), "--no-tiles")
    page = offline_page()
    page.open(html)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]")
    p.locator(".cm-edit-toggle").click()
    marker = '.cm-marker[data-claim="sf-0218-02"]'  # Sheikh Aqil
    _drag(p, marker, 80, 60)
    fixes = p.evaluate("conflictmap.corrections()")
    moved = fixes["Sheikh Aqil"]
    assert moved["lat"] < 36.28 and moved["lon"] > 36.965  # south-east of where it was
    # draw an area for Darat Izza: three clicks, then finish
    p.locator(".cm-edit-place").select_option("Darat Izza")
    p.locator(".cm-draw").click()
    anchor = p.locator('.cm-marker[data-claim="sf-0218-04"]').bounding_box()  # the view is
    ax, ay = anchor["x"] + anchor["width"] / 2, anchor["y"] + anchor["height"] / 2  # fitted by the page
    free = p.evaluate("""([ax, ay]) => {  // points of open map (no marker, no panel) around it
      const out = [];
      for (let dy = -200; dy <= 200; dy += 25) {
        for (let dx = -200; dx <= 200; dx += 25) {
        const e = document.elementFromPoint(ax + dx, ay + dy);
        if (e && !e.closest('.leaflet-control, .leaflet-marker-icon, .leaflet-popup, .leaflet-interactive')
            && out.length < 3 && Math.abs(dx) + Math.abs(dy) >= 60
            && out.every(([x, y]) => Math.abs(x - ax - dx) >= 30 && Math.abs(y - ay - dy) >= 30)) {
          out.push([ax + dx, ay + dy]);
        }
        }
      }
      return out;
    }""", [ax, ay])
    assert len(free) >= 3, free
    for x, y in free[:3]:
        p.mouse.click(x, y)
    p.locator(".cm-finish").click()
    with p.expect_download() as dl:
        p.locator(".cm-export-geojson").click()
    geojson = tmp_path / "places.geojson"
    dl.value.save_as(geojson)
    with p.expect_download() as dl:
        p.locator(".cm-export-csv").click()
    csv_file = tmp_path / "places.csv"
    dl.value.save_as(csv_file)
    data = json.loads(geojson.read_text())
    kinds = {f["properties"]["name"]: f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Sheikh Aqil": "Point", "Darat Izza": "Polygon"}
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(csv_file.read_text()))}
    assert rows["Darat Izza"]["wkt"].startswith("POLYGON ((")
    for fixes_file in (geojson, csv_file):
        out = tmp_path / f"fixed-{fixes_file.suffix[1:]}.geojson"
        build(str(BUNDLED), "-o", str(out), "--places", str(fixes_file), "--no-tiles")
        by_id = {f["properties"]["claim_id"]: f for f in json.loads(out.read_text())["features"]
                 if f["properties"]["feature_type"] == "claim"}
        lon, lat = by_id["sf-0218-02"]["geometry"]["coordinates"]
        assert abs(lat - moved["lat"]) < 1e-4 and abs(lon - moved["lon"]) < 1e-4
        assert by_id["sf-0218-04"]["geometry"]["type"] == "Polygon"
    assert page.script_errors() == []


def test_time_slider_shows_each_claim_from_its_date(tmp_path, offline_page) -> None:
    html = tmp_path / "t.html"
    build(str(BUNDLED), str(DEMO), "-o", str(html), "--no-tiles")
    page = offline_page()
    page.open(html)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]")
    slider = p.locator(".cm-timeline input[type=range]")
    # the claims shown: markers, and those a badge stands for (not on the page until it opens)
    shown = ("document.querySelectorAll('.cm-marker').length + Array.from("
             "document.querySelectorAll('.cm-cluster')).reduce(function (n, b) {"
             " return n + Number(b.textContent); }, 0)")
    assert p.evaluate(shown) == 12
    slider.fill("0")  # 2020-02-18: the South Front claims only
    assert p.locator(".cm-timeline-date").inner_text() == "2020-02-18"
    assert p.evaluate(shown) == 8
    slider.fill("1")
    assert p.evaluate(shown) == 10
    slider.fill("2")
    assert p.evaluate(shown) == 12
    assert page.script_errors() == []


def test_ten_thousand_claims_open_and_popups_work(tmp_path, offline_page) -> None:
    rng = random.Random(5)  # noqa: S311 - test data, not a secret
    src = tmp_path / "many.csv"
    lines = ["name,kind,date,note,lat,lon"]
    for i in range(10_000):
        lines.append(f"P{i},{rng.choice(['captured', 'retreat', 'control'])},2020-02-18,"
                     f"note {i},{35 + rng.random() * 2:.5f},{36 + rng.random() * 2:.5f}")
    src.write_text("\n".join(lines) + "\n")
    html = tmp_path / "many.html"
    build(str(src), "-o", str(html), "--no-tiles")
    page = offline_page()
    start = time.perf_counter()
    page.open(html)
    p = page.page
    p.wait_for_selector("html[data-cm-ready='10000']", state="attached", timeout=60_000)
    assert time.perf_counter() - start < 20  # generous here; timed in benchmarks/maps.py
    assert p.locator(".leaflet-marker-pane .leaflet-marker-icon").count() == 0  # drawn on a canvas
    # click one claim's circle and read its popup
    spot = p.evaluate("""(function () {
        var ll = null;
        conflictmap.map.eachLayer(function (l) { if (!ll && l instanceof L.CircleMarker) { ll = l; } });
        var pt = conflictmap.map.latLngToContainerPoint(ll.getLatLng());
        return [pt.x, pt.y]; }())""")
    p.mouse.click(spot[0], spot[1])
    assert "not verified" in p.wait_for_selector(".cm-popup").inner_text()
    assert page.script_errors() == []


def test_watch_serve_reloads_the_open_page(tmp_path, offline_page) -> None:
    from conflictmap.watch import Watcher, serve

    src = tmp_path / "list.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    w = Watcher([src], tmp_path / "m.html", tiles=None)
    w.check()
    server = serve(w, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = offline_page()
        page.page.unroute("**/*")
        page.page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        p = page.page
        p.wait_for_selector("html[data-cm-ready='1']", state="attached")
        src.write_text("name,kind\nIdlib,mention\nAfrin,control\n")
        w.check()
        p.wait_for_selector("html[data-cm-ready='2']", state="attached", timeout=10_000)
        src.write_text("name,kind\nAfrin,nonsense\n")  # a failed rebuild: the page stays
        w.check()
        p.wait_for_timeout(1500)
        assert p.evaluate("document.documentElement.dataset.cmReady") == "2"
    finally:
        server.shutdown()
        server.server_close()


def test_a_missing_browser_gets_a_clear_message(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "m.png"
    r = CliRunner().invoke(main, ["build", str(BUNDLED), "-o", str(out), "--no-tiles"])
    assert r.exit_code == 1 and not out.exists()
    assert r.output.startswith(f"conflictmap: error: could not render {out} in Chromium")
    assert "apt install chromium" in r.output and "CONFLICTMAP_CHROMIUM" in r.output
    assert "Traceback" not in r.output
