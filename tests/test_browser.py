"""The built map in real headless Chromium, with every non-file request blocked."""

from __future__ import annotations

import pytest

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
