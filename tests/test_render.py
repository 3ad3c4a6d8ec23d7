"""The built page as text: self-contained, complete, stable and escaped."""

from __future__ import annotations

import re

import pytest

from conflictmap.claims import load_report
from conflictmap.locate import locate, map_reports
from conflictmap.render.build import build_map, claim_payload
from conflictmap.render.write import render_html, write_html


@pytest.fixture(scope="module")
def bundled_mapped(gazetteer, bundled_report):
    return map_reports(locate(bundled_report, gazetteer))


@pytest.fixture(scope="module")
def bundled_map(bundled_mapped):
    return build_map(bundled_mapped)


@pytest.fixture(scope="module")
def payloads(bundled_mapped):
    return [claim_payload(c) for c in bundled_mapped.claims]


def test_every_claim_is_drawn_and_no_non_place(bundled_mapped, payloads, bundled_report) -> None:
    drawn = {c["id"] for c in payloads}
    assert drawn == {c.id for c in bundled_report.claims}
    assert bundled_mapped.unlocated == ()
    names = {p["name"] for c in payloads for p in c["places"]}
    for metonym in bundled_report.not_places:
        assert metonym not in names


def test_page_needs_no_network_for_scripts_or_styles(bundled_map) -> None:
    page = render_html(bundled_map)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert "Leaflet 1.9.3" in page and "BSD-2-Clause" in page  # licence notice kept
    assert "GeoNames" in page and "CC BY 4.0" in page  # attribution
    assert "Claims as reported, not verified" in page


def test_same_input_gives_identical_bytes(gazetteer, bundled_report) -> None:
    a = render_html(build_map(map_reports(locate(bundled_report, gazetteer))))
    b = render_html(build_map(map_reports(locate(bundled_report, gazetteer))))
    assert a == b


def test_areas_and_movements_carry_geometry(payloads) -> None:
    by_id = {c["id"]: c for c in payloads}
    movement = by_id["sf-0218-06"]
    assert [p["role"] for p in movement["places"]] == ["from", "to", "to"]
    assert movement["places"][0]["outline"]  # Mount Simeon District
    afrin = by_id["sf-0218-07"]["places"][0]
    assert afrin["outline"] and afrin["precision"] == 3
    aqil = by_id["sf-0218-02"]["places"][0]
    assert aqil["uncertainty_km"] == 4 and aqil["confidence"] == "approximate"


HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "`${alert(3)}`",
    "\\x3cscript\\x3e \\u2028 \\",
    "{{ 7*7 }} {% raw %}",
    "\u2028\u2029\u202e reversed",
    '" onmouseover="alert(4)',
    "<!-- <style>body{display:none}</style>",
]


def test_hostile_strings_never_reach_the_page_raw(tmp_path, gazetteer) -> None:
    claims = "\n".join(
        f"  - id: h{i}\n    kind: captured\n    place: {{name: {s!r}, lat: 36.{i}, lon: 37.0}}\n"
        f"    actors: [{s!r}]\n    summary: {s!r}\n    note: {s!r}"
        for i, s in enumerate(HOSTILE)
    )
    src = tmp_path / "hostile.yaml"
    src.write_text(f"report:\n  title: {HOSTILE[0]!r}\n  outlet: {HOSTILE[1]!r}\nclaims:\n{claims}\n",
                   encoding="utf-8")
    page = render_html(build_map(map_reports(locate(load_report(src), gazetteer))))
    for s in HOSTILE:  # markup never appears raw; other strings only inside JSON data
        assert not (set(s) & set("<>&")) or s not in page
    assert "\\u007b{ 7*7 }}" in page  # reaches the page as data, never evaluated
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("</script>") == page.count("<script")


def test_write_is_atomic_and_keeps_the_old_map_on_failure(tmp_path, bundled_map) -> None:
    out = tmp_path / "m.html"
    out.write_text("old map", encoding="utf-8")
    size = write_html(bundled_map, out)
    assert size == out.stat().st_size and out.read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]
