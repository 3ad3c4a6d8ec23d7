"""No input string is ever evaluated as a template (issue "Hardening 2", item 1).

branca 0.8 compiles the rendered output of every macro element as a Jinja2 template a
second time, so text that survives the first rendering is evaluated. The first test keeps
a minimal reproduction of that upstream behaviour; the others feed template syntax through
every text field of every input format and check that the page keeps it as text and that
nothing ran."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import folium
import geopandas as gpd
import pytest
import yaml
from click.testing import CliRunner
from shapely.geometry import Polygon

from conflictmap.cli import main
from conflictmap.render.build import build_map
from conflictmap.render.safe import SafeMacro, check_tree


def test_upstream_folium_templates_its_output_twice() -> None:
    """The reproduction: plain folium 0.20 / branca 0.8 evaluates template syntax in a
    tooltip, a popup and a layer name. If this starts failing, upstream has fixed it."""
    m = folium.Map(tiles=None)
    folium.Marker([0, 0], tooltip="{{ 7*7 }}", popup="{{ 6*6 }}").add_to(m)
    folium.FeatureGroup(name="{{ 5*5 }}").add_to(m)
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert "49" in page and "36" in page and '"25"' in page
    assert "7*7" not in page and "5*5" not in page


def test_a_safe_macro_keeps_its_output_as_text() -> None:
    class Marker(folium.Marker, SafeMacro):
        pass

    class Group(folium.FeatureGroup, SafeMacro):
        pass

    class Control(folium.LayerControl, SafeMacro):
        pass

    m = folium.Map(tiles=None)
    m.add_child(Marker([0, 0], tooltip="{{ 7*7 }}"))
    m.add_child(Group(name="{% if 1 %}T7Q{% endif %}"))
    m.add_child(Control())
    page = m.get_root().render()
    assert "7*7" in page and "{% if 1 %}T7Q{% endif %}" in page


def test_a_page_with_an_unsafe_macro_element_is_refused(bundled_report, gazetteer) -> None:
    from conflictmap.locate import locate, map_reports

    m = build_map(map_reports(locate(bundled_report, gazetteer)), tiles=None, context=False)
    check_tree(m.get_root())  # ours passes
    folium.Marker([0, 0], tooltip="x").add_to(m)
    with pytest.raises(TypeError, match="would template its output twice"):
        check_tree(m.get_root())


def _payloads(marker: Path) -> list[str]:
    return ["{{ 'QX' ~ 'JV' }}", "{% if 1 %}T7Q{% endif %}", "{# ZK9 #}",
            "{{ lipsum.__globals__.os.system('touch " + str(marker) + "') }}",
            "{%- for x in range(3) -%}R4W{%- endfor -%}"]


def _expect_literal(page: str, marker: Path) -> None:
    assert not marker.exists(), "a template expression ran while building"
    assert "QXJV" not in page  # what the first payload evaluates to
    assert "~ " in page
    for literal in ("if 1", "ZK9", "os.system", "range(3)"):
        assert literal in page, literal
    for evaluated in ("T7QT7Q", "R4WR4WR4W"):
        assert evaluated not in page


def _yaml(tmp: Path, s: list[str]) -> Path:
    claims = [{"id": f"c{i}", "kind": kind, "date": "2020-02-18", "summary": s[i % len(s)],
               "actors": [s[(i + 1) % len(s)], s[(i + 2) % len(s)]], "note": s[(i + 3) % len(s)],
               "place": {"name": s[(i + 4) % len(s)], "lat": 36 + i * 0.1, "lon": 36.5}}
              for i, kind in enumerate(["captured", "retreat", "control", "mention", "besieged"])]
    claims.append({"id": "unplaced", "kind": "mention", "summary": s[0], "place": "Qqzx " + s[1]})
    doc = {"report": {"title": s[0], "outlet": s[1], "author": s[2], "region": s[3],
                      "republished_by": s[4], "published": "2020-02-18"},
           "claims": claims,
           "control_areas": [{"actor": s[i], "source": s[(i + 1) % len(s)],
                              "note": s[(i + 2) % len(s)], "status": "claimed",
                              "valid_from": "2020-02-18",
                              "wkt": f"POLYGON(({36 + i} 36, {36.5 + i} 36, {36.5 + i} 36.5, "
                                          f"{36 + i} 36.5, {36 + i} 36))"}
                             for i in range(len(s))]}
    path = tmp / "claims.yaml"
    path.write_text(yaml.safe_dump(doc), "utf-8")
    return path


def _csv(tmp: Path, s: list[str]) -> Path:
    path = tmp / "places.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write("# title: " + s[0].replace("\n", " ") + "\n# outlet: " + s[1] + "\n")
        w = csv.writer(fh)
        w.writerow(["name", "kind", "date", "actor", "note", "summary", "lat", "lon"])
        w.writerow(["Afrin District", "captured", "2020-02-18", s[3], s[2], s[4], "", ""])
        for i, text in enumerate(s):
            w.writerow([text, "mention", "2020-02-18", s[(i + 1) % len(s)], s[(i + 2) % len(s)],
                        s[(i + 3) % len(s)], 36 + i * 0.1, 36.5])
    return path


def _claims_geojson(tmp: Path, s: list[str]) -> Path:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.5, 36 + i * 0.1]},
              "properties": {"id": f"g{i}", "kind": "captured", "date": "2020-02-18", "name": text,
                             "summary": s[(i + 1) % len(s)], "actors": [s[(i + 2) % len(s)]],
                             "note": s[(i + 3) % len(s)]}}
             for i, text in enumerate(s)]
    path = tmp / "claims.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def _frame(s: list[str]) -> gpd.GeoDataFrame:
    rows = [{"actor": text, "source": s[(i + 1) % len(s)], "note": s[(i + 2) % len(s)],
             "status": "claimed", "valid_from": "2020-02-18",
             "geometry": Polygon([(36 + i, 36), (36.5 + i, 36), (36.5 + i, 36.5), (36 + i, 36.5)])}
            for i, text in enumerate(s)]
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def _control_geojson(tmp: Path, s: list[str]) -> Path:
    path = tmp / "control.geojson"
    path.write_text(_frame(s).to_json(), "utf-8")
    return path


def _gpkg(tmp: Path, s: list[str]) -> Path:
    path = tmp / "control.gpkg"
    _frame(s).to_file(path, driver="GPKG")
    return path


def _kml(tmp: Path, s: list[str]) -> Path:
    from xml.sax.saxutils import escape

    marks = "".join(
        f"<Placemark><name>{escape(text)}</name><ExtendedData>"
        f"<Data name=\"actor\"><value>{escape(text)}</value></Data>"
        f"<Data name=\"source\"><value>{escape(s[(i + 1) % len(s)])}</value></Data>"
        f"<Data name=\"note\"><value>{escape(s[(i + 2) % len(s)])}</value></Data>"
        "<Data name=\"valid_from\"><value>2020-02-18</value></Data></ExtendedData>"
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{36 + i},36 {36.5 + i},36 "
        f"{36.5 + i},36.5 {36 + i},36.5 {36 + i},36</coordinates></LinearRing></outerBoundaryIs>"
        "</Polygon></Placemark>" for i, text in enumerate(s))
    path = tmp / "control.kml"
    path.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                    f"<Document>{marks}</Document></kml>", "utf-8")
    return path


@pytest.mark.parametrize("make", [_yaml, _csv, _claims_geojson, _control_geojson, _gpkg, _kml],
                         ids=["yaml", "csv", "geojson-claims", "geojson-control", "gpkg", "kml"])
def test_template_syntax_in_every_field_of_every_format_stays_text(tmp_path, make) -> None:
    marker = tmp_path / "ran"
    src = make(tmp_path, _payloads(marker))
    out = tmp_path / "map.html"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "--no-tiles"])
    assert r.exit_code == 0, r.output
    _expect_literal(out.read_text("utf-8"), marker)


def test_template_syntax_with_tiles_and_through_the_python_api(tmp_path) -> None:
    import conflictmap as cm

    marker = tmp_path / "ran"
    src = _yaml(tmp_path, _payloads(marker))
    out = tmp_path / "api.html"
    cm.build([src], out, tiles="OpenStreetMap")
    _expect_literal(out.read_text("utf-8"), marker)
