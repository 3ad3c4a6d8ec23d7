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
