"""The built map in real headless Chromium, with every non-file request blocked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.locate import locate, map_reports
from conflictmap.render.build import build_map
from conflictmap.render.write import write_html

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled_html(tmp_path_factory, gazetteer, bundled_report):
    path = tmp_path_factory.mktemp("map") / "idlib.html"
    write_html(build_map(map_reports(locate(bundled_report, gazetteer))), path)
    return path


def test_markers_render_and_popup_opens_offline(offline_page, bundled_html, bundled_report) -> None:
    page = offline_page()
    page.open(bundled_html)
    page.page.wait_for_selector(".cm-marker")
    markers = page.page.locator(".cm-marker")
    assert markers.count() == len(bundled_report.claims)
    page.page.locator('.cm-marker[data-claim="sf-0218-04"]').click()
    popup = page.page.wait_for_selector(".leaflet-popup-content .cm-popup")
    text = popup.inner_text()
    claim = next(c for c in bundled_report.claims if c.id == "sf-0218-04")
    assert " ".join(claim.summary.split()) in " ".join(text.split())
    for expected in ("South Front", "Syrian government forces", "2020-02-18", "Precision",
                     "GeoNames 170857", "not verified", "Check", "“30km west of Aleppo”",
                     "29.2 km west-north-west of Aleppo", "agrees"):
        assert expected in text
    link = page.page.locator(".leaflet-popup-content a").first
    assert link.get_attribute("href").startswith("https://southfront.org/")
    assert page.script_errors() == []
    assert all("tile.openstreetmap.org" in u for u in page.blocked)


def test_layers_legend_title_scale_and_areas(offline_page, bundled_html) -> None:
    page = offline_page()
    page.open(bundled_html)
    p = page.page
    p.wait_for_selector(".cm-marker")
    # the kinds present, then the two layers of the offline context
    assert p.locator(".leaflet-control-layers-overlays input").count() == 7 + 2
    assert p.locator(".cm-legend li").count() >= 10
    assert "not verified" in p.locator(".cm-title").inner_text()
    assert p.locator(".leaflet-control-scale-line").count() >= 1
    labels = p.locator(".cm-area-label").all_inner_texts()
    assert any("Afrin District" in t and "boundary" in t for t in labels)  # a real boundary now
    assert any("Western Aleppo countryside" in t and "approximate" in t for t in labels)
    assert any("Mount Simeon District" in t for t in labels)
    assert p.locator("path.cm-movement").count() == 2
    assert p.locator("path.cm-uncertainty").count() >= 2
    assert "GeoNames" in p.locator(".leaflet-control-attribution").inner_text()
    # toggling a layer hides its markers
    before = p.locator(".cm-marker").count()
    p.locator(".leaflet-control-layers-overlays label", has_text="Control / occupation").click()
    assert p.locator(".cm-marker").count() == before - 2
    # the view is fitted to the claims: every marker is inside the viewport
    box = p.viewport_size
    p.locator(".leaflet-control-layers-overlays label", has_text="Control / occupation").click()
    for m in p.locator(".cm-marker").all():
        b = m.bounding_box()
        assert 0 <= b["x"] <= box["width"] and 0 <= b["y"] <= box["height"]
    assert page.script_errors() == []


def test_hostile_text_shows_literally_and_runs_nothing(offline_page, tmp_path, gazetteer) -> None:
    from conflictmap.claims import load_report

    evil = '</script><img src=x onerror="window.__pwned=1">${window.__pwned=2}` {{ 7*7 }} {% raw %}'
    src = tmp_path / "evil.yaml"
    src.write_text(
        "report:\n  title: " + repr(evil) + "\n  outlet: " + repr("<b>bold</b>") + "\n"
        "  url: https://example.org/?q=%3Cx%3E&b=1\nclaims:\n"
        "  - id: e1\n    kind: captured\n    place: {name: " + repr(evil) + ", lat: 36.2, lon: 37.1}\n"
        "    summary: " + repr(evil) + "\n    actors: ['<svg onload=alert(1)>']\n",
        encoding="utf-8")
    out = tmp_path / "evil.html"
    write_html(build_map(map_reports(locate(load_report(src), gazetteer)), tiles=None), out)
    page = offline_page()
    page.open(out)
    p = page.page
    p.wait_for_selector(".cm-marker")
    p.locator(".cm-marker").first.click()
    text = p.wait_for_selector(".cm-popup").inner_text()
    assert evil in text and "<svg onload=alert(1)>" in text
    assert evil in p.locator(".cm-title h1").inner_text()
    assert p.evaluate("window.__pwned") is None
    assert p.locator("img[src=x], .cm-popup svg[onload], b").count() == 0
    assert page.dialogs == [] and page.script_errors() == [] and page.blocked == []


def test_the_map_opens_offline_and_tiles_are_the_readers_choice(offline_page, tmp_path) -> None:
    """Offline by default (issue 23, item 5): no tile request when the page opens; the
    OpenStreetMap tiles are a second base layer, requested only once chosen; --tiles opens
    on them; --no-tiles offers none."""
    from conflictmap.claims import example_path

    default, tiled, bare = tmp_path / "d.html", tmp_path / "t.html", tmp_path / "n.html"
    for out, flags in ((default, []), (tiled, ["--tiles"]), (bare, ["--no-tiles"])):
        assert CliRunner().invoke(main, ["build", str(example_path()), "-o", str(out),
                                         *flags]).exit_code == 0
    page = offline_page()
    page.open(default)
    page.page.wait_for_selector("html[data-cm-ready]", state="attached")
    assert page.blocked == []
    bases = page.page.locator(".leaflet-control-layers-base label")
    assert bases.count() == 2 and "Offline map" in bases.nth(0).inner_text()
    assert page.page.locator(".leaflet-control-layers-base input").nth(0).is_checked()
    page.page.locator(".leaflet-control-layers-base input").nth(1).check(force=True)
    page.page.wait_for_timeout(300)
    assert page.blocked and all("tile.openstreetmap.org" in u for u in page.blocked)
    page2 = offline_page()
    page2.open(tiled)
    page2.page.wait_for_selector("html[data-cm-ready]", state="attached")
    assert page2.blocked and all("tile.openstreetmap.org" in u for u in page2.blocked)
    page3 = offline_page()
    page3.open(bare)
    page3.page.wait_for_selector("html[data-cm-ready]", state="attached")
    assert page3.blocked == [] and page3.page.locator(".leaflet-control-layers-base label").count() == 0
