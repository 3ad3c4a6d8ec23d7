"""`conflictmap gazetteer import` and `info` (issue 3, point 4), with our own fixtures."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.gazetteer import Context, Gazetteer

FIXTURE = Path(__file__).parent / "data" / "geonames-fixture.txt"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("CONFLICTMAP_DATA_DIR", str(d))
    return d


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_a_geonames_file_makes_a_new_place_resolvable(data_dir) -> None:
    before = Gazetteer.default(progress=False).resolve("Zaytunat al-Mukhtabar")
    assert not before.located
    code, out = _run("gazetteer", "import", str(FIXTURE))
    assert code == 0, out
    assert "imported 3 places from geonames-fixture.txt (GeoNames dump)" in out
    g = Gazetteer.default(progress=False)
    r = g.resolve("Zeytounet el Moukhtabar", context=Context(country="SY"))
    assert r.located and r.place.geonameid == 99000001
    assert (r.place.lat, r.place.lon) == (36.1234, 36.7321)
    assert "imported from geonames-fixture.txt" in r.place.source
    crossing = g.resolve("Tajriba crossing")
    assert crossing.place.kind == "border crossing"
    assert g.resolve("Tell el-Fahes").place.kind == "hill or mountain"


def test_a_zipped_dump_imports_and_reimport_replaces(data_dir, tmp_path) -> None:
    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(FIXTURE, "SY.txt")
        zf.writestr("readme.txt", "not a dump")
    assert _run("gazetteer", "import", str(z))[0] == 0
    assert _run("gazetteer", "import", str(z))[0] == 0  # again: replaces, no duplicates
    code, out = _run("gazetteer", "info", "--json")
    info = json.loads(out)
    imports = next(s for s in info["sources"] if s["name"] == "imports")
    assert imports["places"] == 3
    assert len(imports["details"]) == 1
    assert imports["details"][0].startswith("SY.zip: 3 places (GeoNames dump), imported 20")


def test_own_csv_places_and_curated_still_wins(data_dir, tmp_path) -> None:
    csv = tmp_path / "my-places.csv"
    csv.write_text("name,lat,lon,names,country,kind,uncertainty_km,source\n"
                   "Observation Post 9 (ours),36.01,36.95,OP9|Nuqtat 9,SY,observation post,2,"
                   "our field team\n"
                   "Darat Izza,10.0,10.0,,SY,town,,a wrong row\n", encoding="utf-8")
    code, out = _run("gazetteer", "import", str(csv))
    assert code == 0, out
    g = Gazetteer.default(progress=False)
    op = g.resolve("OP9")
    assert op.place.kind == "observation post" and op.place.uncertainty_km == 2
    assert "our field team" in op.place.source
    darat = g.resolve("Darat Izza")
    assert darat.place.key.startswith("curated:")  # curated entries override others


def test_boundaries_become_areas_with_real_outlines(data_dir, tmp_path) -> None:
    gj = tmp_path / "districts.geojson"
    gj.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"ADM2_EN": "Testing District", "ADM2_AR": "منطقة الاختبار"},
        "geometry": {"type": "Polygon", "coordinates": [[[36.5, 36.0], [36.9, 36.0], [36.9, 36.3],
                                                          [36.5, 36.3], [36.5, 36.0]]]}}]}),
        encoding="utf-8")
    code, out = _run("gazetteer", "import", str(gj), "--name-field", "ADM2_EN")
    assert code == 0, out
    r = Gazetteer.default(progress=False).resolve("Testing District")
    assert r.place.feature.value == "area" and int(r.precision) == 3
    assert r.place.geometry_wkt.startswith("POLYGON")
    assert 36.0 < r.place.lat < 36.3 and 36.5 < r.place.lon < 36.9


@pytest.mark.parametrize("name,content,message", [
    ("short.txt", "1\tOnly\tthree\n", "short.txt:1: expected the 19 tab-separated columns"),
    ("badlat.txt", "\t".join(["5", "X", "X", "", "north", "36"] + [""] * 13) + "\n",
     "badlat.txt:1: bad number"),
    ("nolat.csv", "name,lon\nA,3\n", "nolat.csv:1: a place CSV needs the columns name, lat, lon"),
    ("range.csv", "name,lat,lon\nA,95,3\n", "range.csv:2: 'lat' must lie between -90 and 90"),
    ("empty.csv", "name,lat,lon\n", "empty.csv: no places found"),
    ("places.xlsx", "x", "places.xlsx: unknown file type"),
])
def test_bad_import_files_say_where_and_change_nothing(data_dir, tmp_path, name, content,
                                                       message) -> None:
    assert _run("gazetteer", "import", str(FIXTURE))[0] == 0
    store = data_dir / "imports-v2.sqlite"
    before = store.read_bytes()
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    code, out = _run("gazetteer", "import", str(bad))
    assert code == 2
    assert message in out
    assert store.read_bytes() == before
    assert not list(data_dir.glob(".*.tmp*"))  # no temporary file left behind


def test_info_lists_sources_in_resolution_order(data_dir) -> None:
    code, out = _run("gazetteer", "info")
    assert code == 0
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in lines] == ["curated", "imports", "geonames", "boundaries"]
    assert "populated place: GeoNames cities500" in out
    assert "first-level area" in out
