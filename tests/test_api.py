"""The Python API (``import conflictmap as cm``) does what the command line does, and
every export writes coordinates of all four hemispheres as numbers."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

import conflictmap as cm
from conflictmap.writers import WRITERS

HEMISPHERES = """report:
  title: Four hemispheres (test data)
  outlet: conflictmap tests
  published: 2021-05-01
claims:
  - {id: ne, kind: captured, place: {name: North-east point, lat: 36.20124, lon: 37.16117},
     summary: A place north of the equator and east of Greenwich.}
  - {id: nw, kind: advance, place: {name: North-west point, lat: 40.71427, lon: -74.00597},
     summary: North and west.}
  - {id: sw, kind: retreat, place: {name: South-west point, lat: -12.04318, lon: -77.02824},
     summary: South and west.}
  - {id: se, kind: control, place: {name: South-east point, lat: -33.86785, lon: 151.20732},
     summary: South and east.}
  - {id: mv, kind: movement, from: {name: Start, lat: -0.5, lon: -0.25},
     to: [{name: End, lat: 0.75, lon: 179.5}], summary: Across the lines.}
"""
EXPECTED = {"ne": (36.20124, 37.16117), "nw": (40.71427, -74.00597),
            "sw": (-12.04318, -77.02824), "se": (-33.86785, 151.20732), "mv": (-0.5, -0.25)}


@pytest.fixture(scope="module")
def hemispheres(tmp_path_factory, gazetteer):
    folder = tmp_path_factory.mktemp("hemi")
    src = folder / "hemispheres.yaml"
    src.write_text(HEMISPHERES, encoding="utf-8")
    return cm.ConflictMap.from_files([src], gazetteer=gazetteer, tiles=None), folder


def test_csv_writes_every_coordinate_as_a_number(hemispheres) -> None:
    cmap, folder = hemispheres
    cmap.save(folder / "h.csv")
    text = (folder / "h.csv").read_text(encoding="utf-8")
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(text))}
    for cid, (lat, lon) in EXPECTED.items():
        assert float(rows[cid]["latitude"]) == lat and float(rows[cid]["longitude"]) == lon
        assert not rows[cid]["latitude"].startswith("'") and not rows[cid]["longitude"].startswith("'")
    assert "'-" not in text


def test_geojson_and_gpkg_keep_the_signs(hemispheres) -> None:
    import geopandas as gpd

    cmap, folder = hemispheres
    cmap.save(folder / "h.geojson")
    cmap.save(folder / "h.gpkg")
    features = {f["properties"]["claim_id"]: f for f in
                json.loads((folder / "h.geojson").read_text())["features"]
                if f["properties"]["feature_type"] == "claim"}
    for cid, (lat, lon) in EXPECTED.items():
        geom = features[cid]["geometry"]
        first = geom["coordinates"] if geom["type"] == "Point" else geom["coordinates"][0]
        assert first == [lon, lat]
        assert features[cid]["properties"]["latitude"] == lat
    assert features["mv"]["geometry"]["coordinates"][1] == [179.5, 0.75]
    points = gpd.read_file(folder / "h.gpkg", layer="points")
    got = {r.claim_id: (round(r.geometry.y, 5), round(r.geometry.x, 5)) for r in points.itertuples()}
    assert got == {k: v for k, v in EXPECTED.items() if k != "mv"}


def test_html_and_text_version_keep_the_signs(hemispheres) -> None:
    cmap, folder = hemispheres
    cmap.save(folder / "h.html")
    page = (folder / "h.html").read_text(encoding="utf-8")
    for lat, lon in EXPECTED.values():
        assert f'"lat":{lat}' in page and f'"lon":{lon}' in page
    cmap.save(folder / "h.txt")
    text = (folder / "h.txt").read_text(encoding="utf-8")
    assert "South-west point" in text and "Four hemispheres (test data)" in text


def test_places_of_the_southern_and_western_hemispheres_resolve(gazetteer) -> None:
    for name, country, sign in [("Lima", "PE", (-1, -1)), ("Sydney", "AU", (-1, 1)),
                                ("Caracas", "VE", (1, -1)), ("Montevideo", "UY", (-1, -1))]:
        r = gazetteer.resolve(name, country=country)
        assert r.place is not None
        assert (r.place.lat > 0) - (r.place.lat < 0) == sign[0]
        assert (r.place.lon > 0) - (r.place.lon < 0) == sign[1]


def test_every_output_suffix_has_a_writer_and_unknown_ones_are_refused(tmp_path) -> None:
    assert set(WRITERS) == set(cm.FORMATS)
    assert {".html", ".png", ".pdf", ".geojson", ".gpkg", ".csv", ".txt"} <= set(cm.FORMATS)
    with pytest.raises(cm.InputError, match="unsupported output type '.docx'"):
        cm.build(cm.example_path(), tmp_path / "x.docx")


def test_build_refuses_to_write_over_an_input(tmp_path) -> None:
    src = tmp_path / "list.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    with pytest.raises(cm.InputError, match="the output is one of the inputs"):
        cm.build(src, src)
    assert src.read_text() == "name,kind\nIdlib,mention\n"


def test_resolve_load_build_mirror_the_command_line(tmp_path) -> None:
    [r] = cm.resolve("Darat Izza", country="SY")
    assert r.status is cm.Status.RESOLVED and r.place.geonameid == 170857
    report = cm.load(cm.example_path())
    assert isinstance(report, cm.Report) and len(report.claims) == 8
    cmap = cm.build(cm.example_path(), tmp_path / "idlib.html", tiles=None)
    assert isinstance(cmap, cm.ConflictMap) and len(cmap.claims) == 8
    assert cmap.written == (tmp_path / "idlib.html").stat().st_size
    assert "cm-description" in cmap._repr_html_()
    assert isinstance(cmap.mapped, cm.MappedReport)
    snippet = cm.embed(tmp_path / "idlib.html", src="https://example.org/idlib.html")
    assert '<iframe src="https://example.org/idlib.html"' in snippet


def test_gazetteer_resolve_many_uses_the_document_as_context(gazetteer) -> None:
    alone = gazetteer.resolve("Ariha")
    together = gazetteer.resolve_many(["Ariha", "Saraqib", "Maarrat al-Nu'man", "Idlib"])
    assert together[0].place.country == "SY"
    assert alone.place is not None
    hinted = gazetteer.resolve("Ariha", near=(31.87, 35.44))
    assert hinted.place.country != "SY"  # by Jericho


def test_extract_gives_mentions_claims_and_a_report(tmp_path) -> None:
    text = ("Syrian government forces captured Kafr Nabl on Tuesday. Opposition fighters "
            "withdrew from the town towards Idlib.")
    analysis = cm.extract(text, country="SY")
    m = next(x for x in analysis.mentions if x.text == "Kafr Nabl")
    assert (text[m.start:m.end], m.role) == ("Kafr Nabl", "location")
    assert m.resolution.place.country == "SY"
    report = analysis.to_report()
    assert isinstance(report, cm.Report)
    assert ("captured", "Kafr Nabl") in {(c.kind.value, c.place.name) for c in report.claims if c.place}
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    from_file = cm.extract_file(path, country="SY")
    assert [x.text for x in from_file.mentions] == [x.text for x in analysis.mentions]


def _without_lines(report: cm.Report) -> list:
    out = []
    for c in report.claims:
        refs = [(r.name, r.precision, r.lat, r.lon) for r in c.place_refs]
        checks = [(k.said, k.relation, k.reference.name, k.km, k.direction) for k in c.checks]
        out.append((c.id, c.kind, c.summary, c.date, c.actors, refs, c.note, c.time_precision,
                    checks))
    return out


@pytest.mark.parametrize("name", ["frontline-idlib.md", "checks.txt", "parties.txt"])
def test_to_report_is_the_report_the_draft_file_loads_as(tmp_path, gazetteer, name) -> None:
    from .conftest import ROOT

    analysis = cm.extract_file(ROOT / "tests" / "data" / "reports" / name)
    draft = tmp_path / "draft.yaml"
    analysis.save_draft(draft)
    loaded = cm.load(draft)
    direct = analysis.to_report()
    assert _without_lines(loaded) == _without_lines(direct)
    assert loaded.source == direct.source and loaded.not_places == direct.not_places


def test_errors_are_one_hierarchy_that_also_subclasses_builtins() -> None:
    assert issubclass(cm.InputError, ValueError) and issubclass(cm.InputError, cm.ConflictMapError)
    assert issubclass(cm.PlaceNotFound, LookupError)
    assert issubclass(cm.OutputError, OSError) and issubclass(cm.GazetteerError, OSError)
    with pytest.raises(ValueError, match=r"nothing\.yaml: file not found"):
        cm.load("nothing.yaml")


def test_public_names_are_documented() -> None:
    for name in cm.__all__:
        if name.startswith("__") or name == "FORMATS":
            continue
        obj = getattr(cm, name)
        assert (obj.__doc__ or "").strip(), name
    assert re.fullmatch(r"\d+\.\d+\.\d+", cm.__version__)
