"""Regression tests for the red-team pass (issue "Hardening"): each input that once gave
a traceback, a wrong value, a lost file or unbounded work, with what it must give now.
The numbers in the test names are the issue's items."""

from __future__ import annotations

import io
import os
import socket
import stat
import struct
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.errors import GazetteerError, InputError

from .conftest import BUNDLED, ROOT

SRC = str(ROOT / "src")
BIG = "1" + "0" * 400
HUGE = "9" * 5000


def cli(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def old_map(tmp_path) -> Path:
    out = tmp_path / "map.html"
    out.write_text("the last good map\n")
    return out


def _refused(r, old_map: Path, where: str, what: str) -> None:
    """Exit 2, one line naming the file and line, the old output untouched."""
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in r.output
    assert where in line and what in line, line
    assert old_map.read_text() == "the last good map\n"


# --- 1. huge integers -------------------------------------------------------------------------

@pytest.mark.parametrize("place,where,what", [
    (f"{{name: X, lat: {BIG}, lon: 3}}", "c.yaml:3:", "'lat' must lie between -90 and 90"),
    (f"{{name: X, lat: 3, lon: {HUGE}}}", "c.yaml:3:", "'lon' must lie between -180 and 180"),
    (f"Idlib, checks: [{{said: x, of: Aleppo, km: {BIG}}}]", "c.yaml:3:", "'km' must lie between"),
])
def test_1_huge_integers_in_yaml(tmp_path, old_map, place, where, what) -> None:
    src = tmp_path / "c.yaml"
    src.write_text(f"report: {{title: t}}\nclaims:\n  - {{id: a, kind: mention, place: {place}, "
                   "summary: s}\n")
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, where, what)


def test_1_huge_integers_in_geojson_places_and_embed(tmp_path, old_map) -> None:
    claims = tmp_path / "c.geojson"
    claims.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature",\n'
                      '"properties": {"name": "X", "kind": "mention"}, "geometry": {"type": '
                      f'"Point", "coordinates": [{HUGE}, 3]}}}}]}}')
    _refused(cli("build", str(claims), "-o", str(old_map)), old_map, "c.geojson:2:",
             "a number with 5000 digits")
    ok = tmp_path / "ok.csv"
    ok.write_text("name,kind\nIdlib,mention\n")
    places = tmp_path / "p.geojson"
    places.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                      '"properties": {"name": "Idlib"}, "geometry": {"type": "Point", '
                      f'"coordinates": [1, {HUGE}]}}}}]}}')
    _refused(cli("build", str(ok), "-o", str(old_map), "--places", str(places)), old_map,
             "p.geojson:1:", "a number with 5000 digits")
    page = tmp_path / "m.html"
    page.write_text('<html><script type="application/json" id="cm-description">'
                    f'{{"alt": "a", "summary": [], "sources": [], "n": {HUGE}}}</script></html>')
    _refused(cli("embed", str(page)), old_map, "m.html:1:", "a number with 5000 digits")


# --- 2. lone surrogates -----------------------------------------------------------------------

@pytest.mark.parametrize("field", ["title", "summary", "place"])
@pytest.mark.parametrize("suffix", ["html", "csv"])
def test_2_lone_surrogates_are_refused_with_their_line(tmp_path, field, suffix) -> None:
    values = {"title": "t", "summary": "s", "place": "Idlib"}
    values[field] += "\\ud800"
    src = tmp_path / "c.yaml"
    src.write_text(f'report: {{title: "{values["title"]}"}}\nclaims:\n'
                   f'  - {{id: a, kind: mention, place: "{values["place"]}", '
                   f'summary: "{values["summary"]}"}}\n')
    out = tmp_path / f"map.{suffix}"
    out.write_text("the last good map\n")
    line = "c.yaml:1:" if field == "title" else "c.yaml:3:"
    _refused(cli("build", str(src), "-o", str(out)), out, line, "lone surrogate (\\ud800)")


# --- 3. --places files ------------------------------------------------------------------------

@pytest.mark.parametrize("name,content,where,what", [
    ("p.csv", "name,lat,lon\nIdlib,35.9,36.6,extra\n", "p.csv:2:", "row has 4 cells"),
    ("p.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
     '"properties": ["a"], "geometry": {"type": "Point", "coordinates": [36, 35]}}]}',
     "p.geojson:1:", "'properties' must be an object"),
    ("p.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
     '"properties": "str", "geometry": {"type": "Point", "coordinates": [36, 35]}}]}',
     "p.geojson:1:", "'properties' must be an object"),
    ("p.geojson", "[" * 100_000 + "]" * 100_000, "p.geojson:1:51:", "nested more than 50"),
    ("p.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
     '"properties": {"name": "Idlib"}, "geometry": {"type": "Point", "coordinates": []}}]}',
     "p.geojson:1:", "empty geometry"),
])
def test_3_bad_places_files(tmp_path, old_map, name, content, where, what) -> None:
    ok = tmp_path / "ok.csv"
    ok.write_text("name,kind\nIdlib,mention\n")
    places = tmp_path / name
    places.write_text(content)
    _refused(cli("build", str(ok), "-o", str(old_map), "--places", str(places)), old_map,
             where, what)


# --- 4. resolve --jsonl -----------------------------------------------------------------------

def test_4_every_jsonl_line_gets_its_answer_or_its_error_in_place() -> None:
    import json

    lines = ["[" * 100_000, '{"name": "Idlib"}', '{"name": "Idlib", "near": [' + HUGE + ', 1]}',
             '{"name": "Idlib", "near": [999, 999]}', '{"name": "Idlib", "country": "S\\u0000"}',
             "not json", '{"name": "Afrin", "country": "SY"}']
    r = cli("resolve", "--jsonl", input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o.get("status") for o in out] == ["error", "resolved", "error", "error", "error",
                                              "error", "resolved"]
    assert out[0]["reason"] == "nested more than 50 levels deep" and out[0]["line"] == 1
    assert "5000 digits" in out[2]["reason"] and "-90..90" in out[3]["reason"]


def test_4_a_line_too_long_is_skipped_without_holding_it(monkeypatch) -> None:
    import json

    from conflictmap import cli as cli_mod

    monkeypatch.setattr(cli_mod, "MAX_JSONL_LINE", 1000)
    r = cli("resolve", "--jsonl", input='{"name": "' + "x" * 5000 + '"}\n{"name": "Idlib"}\n')
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert out[0]["status"] == "error" and "longer than 1,000" in out[0]["reason"]
    assert out[1]["name"] == "Idlib"


# --- 5. embed on crafted pages ----------------------------------------------------------------

@pytest.mark.parametrize("block,what", [
    ('{"alt": 1, "summary": [], "sources": []}', "'alt' must be text"),
    ('{"alt": "a", "summary": {"x": 1}, "sources": []}', "'summary' must be a list"),
    ('{"alt": "a", "summary": [], "sources": "x"}', "'sources' must be a list"),
    ('{"alt": "a", "summary": ["x"], "sources": [{"outlet": 5}]}', "'sources' must be a list"),
    ("[1, 2]", "expected an object"),
    ('{"alt": ', "malformed JSON"),
    ("[" * 200 + "]" * 200, "nested more than 50"),
    ('{"alt": "a\\u001b]0;x\\u0007", "summary": [], "sources": []}', "control character"),
    ('{"alt": "a", "summary": [1], "sources": []}', "'summary' must be a list"),
])
def test_5_embed_refuses_damaged_or_crafted_maps(tmp_path, old_map, block, what) -> None:
    page = tmp_path / "m.html"
    page.write_text(f'<html>\n<script type="application/json" id="cm-description">{block}'
                    "</script></html>")
    _refused(cli("embed", str(page)), old_map, "m.html:2:", what)


# --- 6. gazetteer import ----------------------------------------------------------------------

def _zip_with(tmp_path: Path, flag: int = 0, method: int | None = None) -> Path:
    """A zip of one GeoNames file, its header bits patched (encrypted, Deflate64)."""
    path = tmp_path / "SY.zip"
    row = "\t".join(["1", "A", "A", "", "36", "37", "P", "PPL", "SY", "", "01", "", "", "",
                     "10", "", "", "", ""]) + "\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", row)
    data = bytearray(path.read_bytes())
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(sig)
        if flag:
            struct.pack_into("<H", data, at + flag_at, struct.unpack_from("<H", data, at + flag_at)[0] | flag)
        if method is not None:
            struct.pack_into("<H", data, at + method_at, method)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make,what", [
    (lambda t: _zip_with(t, flag=1), "is encrypted"),
    (lambda t: _zip_with(t, method=9), "compression method"),
])
def test_6_unreadable_zip_members(tmp_path, make, what) -> None:
    r = cli("gazetteer", "import", str(make(tmp_path)))
    assert r.exit_code == 2 and what in r.stderr and "SY.txt" in r.stderr, r.output


@pytest.mark.parametrize("name,content,what", [
    ("ids.csv", "name,lat,lon,geonameid\nA,1,2,²\n", "ids.csv:2: 'geonameid' must be a whole number"),
    ("pop.csv", "name,lat,lon,population\nA,1,2,1e300\n", "pop.csv:2: 'population' must lie between"),
    ("long.txt", "\t".join(["1" * 23, "A", "A", "", "36", "37", "P", "PPL", "SY", "", "01", "", "",
                            "", "10", "", "", "", ""]) + "\n",
     "long.txt:1: the geonameid and population must be whole numbers"),
    ("pop.txt", "\t".join(["5", "A", "A", "", "36", "37", "P", "PPL", "SY", "", "01", "", "", "",
                           "1" * 30, "", "", "", ""]) + "\n",
     "pop.txt:1: the geonameid and population must be whole numbers"),
])
def test_6_import_rows_with_impossible_numbers(tmp_path, name, content, what) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    r = cli("gazetteer", "import", str(path))
    assert r.exit_code == 2 and what in r.stderr, r.output


def test_6_a_zip_holding_one_enormous_line_is_refused_in_bounded_memory(tmp_path, monkeypatch) -> None:
    from conflictmap.gazetteer import imports

    monkeypatch.setattr(imports, "MAX_LINE", 10_000)
    path = tmp_path / "SY.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", "a" * 20_000_000)
    tracemalloc.start()
    with pytest.raises(InputError, match="a line longer than 10,000 characters"):
        list(imports.geonames_rows(path, "test"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, peak  # the 20 MB line was never held whole


# --- 7. watch ---------------------------------------------------------------------------------

def test_7_a_bad_places_row_keeps_the_watcher_and_the_map(tmp_path, caplog) -> None:
    from conflictmap.watch import Watcher

    src = tmp_path / "list.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    places = tmp_path / "fix.csv"
    places.write_text("name,lat,lon\nIdlib,35.9,36.6\n")
    out = tmp_path / "m.html"
    w = Watcher([src], out, places=places, tiles=None)
    assert w.check() and w.version == 1
    good = out.read_bytes()
    places.write_text("name,lat,lon\nIdlib,35.9,36.6,extra,cells\n")
    assert w.check() and w.version == 1 and w.failures == 1
    assert out.read_bytes() == good
    assert "fix.csv:2: row has 5 cells" in caplog.text
    places.write_text("name,lat,lon\nIdlib,35.95,36.6\n")
    assert w.check() and w.version == 2


def test_7_serve_on_a_port_in_use_is_a_clear_error(tmp_path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        src = tmp_path / "list.csv"
        src.write_text("name,kind\nIdlib,mention\n")
        r = cli("watch", str(src), "-o", str(tmp_path / "m.html"), "--serve", "--port",
                str(busy.getsockname()[1]))
        assert r.exit_code == 2 and "cannot serve on 127.0.0.1:" in r.stderr
        assert "choose another --port" in r.stderr and "Traceback" not in r.output
    finally:
        busy.close()


# --- 8. the index path is a directory ---------------------------------------------------------

def test_8_an_index_path_that_is_a_directory_fails_at_once(tmp_path, monkeypatch) -> None:
    from conflictmap.gazetteer.index import INDEX_FILE, GazetteerIndex

    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path))
    (tmp_path / INDEX_FILE).mkdir()
    start = time.monotonic()
    with pytest.raises(GazetteerError, match="is a directory, not a gazetteer index"):
        GazetteerIndex.open_default(progress=False)
    assert time.monotonic() - start < 5  # no rebuild was attempted


# --- 9. CSV export ----------------------------------------------------------------------------

def test_9_a_bare_carriage_return_cannot_start_a_formula_row(tmp_path, gazetteer) -> None:
    import csv

    import conflictmap as cm

    src = tmp_path / "c.yaml"
    src.write_text('report: {title: t}\nclaims:\n  - {id: a, kind: mention, place: {name: X, '
                   'lat: -12.5, lon: -70.25}, summary: "first\\r=cmd|\' /C calc\'!A0"}\n')
    out = tmp_path / "c.csv"
    cm.build(src, out, gazetteer=gazetteer)
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode(), newline="")))
    assert len(rows) == 2  # the header and one claim: the CR did not start a row
    notes = rows[1][17]
    assert notes.startswith("first\r=cmd")
    assert rows[1][12:14] == ["-12.50000", "-70.25000"]
    assert not any(cell.startswith("=") for row in rows for cell in row)


# --- 10. coordinates from every source are checked ---------------------------------------------

def test_10_boundary_import_off_the_globe(tmp_path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"name": "Nowhere"}, "geometry": {"type": "Polygon", '
                    '"coordinates": [[[36, 35], [37, 999], [37, 35], [36, 35]]]}}]}')
    r = cli("gazetteer", "import", str(path))
    assert r.exit_code == 2 and "has a vertex off the globe" in r.stderr, r.output


def _small_index(path: Path, lat: float = 36.0) -> None:
    from conflictmap.gazetteer import bulk, index

    rows = [bulk.Row(1, "Testville", lat, 37.0, "SY", "01", 5000, bulk.POPULATED,
                     names={"Testville"})]
    index.write_index(path, rows, {"fingerprint": "test"})


def test_10_tampered_coordinates_in_the_index_are_repaired_once(tmp_path) -> None:
    from conflictmap.gazetteer.index import GazetteerIndex, IndexDamaged

    path = tmp_path / "i.sqlite"
    _small_index(path, lat=517.0)
    with pytest.raises(IndexDamaged, match="off the globe"):
        GazetteerIndex(path).lookup("testville")
    repairs = []
    index = GazetteerIndex(path, repair=lambda: (repairs.append(1), _small_index(path)))
    assert index.lookup("testville")[0][3] == 36.0 and repairs == [1]


# --- 11. strings the GeoPackage would cut; a place called __proto__ ----------------------------

def test_11_nul_and_other_control_characters_are_refused(tmp_path, old_map) -> None:
    src = tmp_path / "c.yaml"
    src.write_text('report: {title: t}\nclaims:\n  - {id: a, kind: mention, place: Idlib, '
                   'summary: "before\\0after"}\n')
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.yaml:3:",
             "'summary' holds a control character (\\x00)")


@pytest.mark.browser
def test_11_a_place_named_proto_can_be_corrected_in_the_map(tmp_path, offline_page) -> None:
    src = tmp_path / "c.yaml"
    src.write_text("report: {title: t}\nclaims:\n  - {id: a, kind: mention, place: {name: "
                   "__proto__, lat: 36.2, lon: 37.1}, summary: s}\n")
    out = tmp_path / "m.html"
    assert cli("build", str(src), "-o", str(out), "--no-tiles").exit_code == 0
    page = offline_page()
    page.open(out)
    p = page.page
    p.wait_for_selector("html[data-cm-ready]", state="attached")
    p.click(".cm-edit-toggle")
    box = p.locator('.cm-marker[data-claim="a"]').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    p.mouse.move(x, y)
    p.mouse.down()
    for i in range(1, 6):
        p.mouse.move(x + 8 * i, y + 6 * i)
    p.mouse.up()
    with p.expect_download() as dl:
        p.locator(".cm-export-csv").click()
    exported = tmp_path / "fix.csv"
    dl.value.save_as(exported)
    rows = exported.read_text().splitlines()
    assert rows[0] == "name,lat,lon,wkt" and rows[1].startswith("__proto__,36.")
    assert page.script_errors() == []


# --- 12. drafts always load -------------------------------------------------------------------

def test_12_drafts_of_pages_with_odd_metadata_load(tmp_path) -> None:
    page = tmp_path / "r.html"
    page.write_text('<html><head><meta property="og:title" content="' + "T" * 1000 + '">'
                    '<meta property="og:url" content="https://example.org/a b\'c&quot;d">'
                    "</head><body><p>Government troops took control of Saraqib.</p>"
                    "</body></html>")
    draft = tmp_path / "d.yaml"
    r = cli("extract", str(page), "-o", str(draft))
    assert r.exit_code == 0, r.output
    b = cli("build", str(draft), "-o", str(tmp_path / "d.csv"))
    assert b.exit_code == 0, b.output
    import conflictmap as cm

    report = cm.load(draft)
    assert len(report.source.title) <= 500 and report.source.url.startswith("https://example.org/a%20b")


def test_12_a_report_with_no_claim_gives_a_clear_message(tmp_path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Nothing happened anywhere today.\n")
    r = cli("extract", str(report), "-o", str(tmp_path / "d.yaml"))
    assert r.exit_code == 2 and "there is no claim to draft" in r.stderr
    assert not (tmp_path / "d.yaml").exists()


# --- 13. line numbers for characters str.splitlines would break at ----------------------------

@pytest.mark.parametrize("char", ["\u2028", "\x0c", "\x85"])
def test_13_csv_metadata_is_not_split_at_unicode_line_breaks(tmp_path, old_map, char) -> None:
    src = tmp_path / "c.csv"
    src.write_text(f"# title: one{char}two\nname,kind\nIdlib,mention\nAfrin,nonsense\n",
                   encoding="utf-8")
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.csv:4:",
             "unknown claim kind 'nonsense'")  # the line count is not shifted
    src.write_text(f"# title: one{char}two\nname,kind\nIdlib,mention\n", encoding="utf-8")
    r = cli("build", str(src), "-o", str(old_map))
    if char == "\u2028":  # a line separator is text: the title keeps it
        assert r.exit_code == 0, r.output
    else:  # a form feed or NEL in a title is a control character: refused where it stands
        _refused(r, old_map, "c.csv:1:", "'title' holds a control character")


def test_13_a_raw_control_character_in_yaml_says_where(tmp_path, old_map) -> None:
    src = tmp_path / "c.yaml"
    src.write_text("report: {title: t}\nclaims:\n  - {id: a, kind: mention, place: Id\x07lib, "
                   "summary: s}\n")
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.yaml:3:",
             "is not allowed")


# --- 14. concurrent imports and index builds ---------------------------------------------------

def _start(code: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)],
                            env=dict(os.environ, PYTHONPATH=SRC, **(env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_14_two_concurrent_imports_both_land(tmp_path) -> None:
    data = tmp_path / "data"
    files = []
    for i in range(2):
        f = tmp_path / f"places{i}.csv"
        f.write_text("name,lat,lon\n" + "".join(f"Place{i}x{j},{30 + j / 1000},3{i}.1\n"
                                                  for j in range(3000)))
        files.append(f)
    procs = [_start(f"""
        from conflictmap.gazetteer.imports import import_file
        import_file({str(f)!r}, progress=False)
    """, {"CONFLICTMAP_DATA_DIR": str(data)}) for f in files]
    for p in procs:
        assert p.wait(120) == 0, p.stderr.read()
    from conflictmap.gazetteer.imports import ImportStore

    store = ImportStore(data / "imports-v2.sqlite")
    assert sorted(f.name for f in store.files()) == ["places0.csv", "places1.csv"]
    assert int(store.index.meta["places"]) == 6000


def test_14_two_cold_processes_build_the_index_once(tmp_path) -> None:
    code = f"""
        import time
        from pathlib import Path
        from conflictmap.gazetteer import bulk, index
        def fake_build(path, *, progress=True):  # the real one takes ~30 s and 700 MB
            with open({str(tmp_path / "builds.log")!r}, "a") as log:
                log.write("built\\n")
            time.sleep(1.5)
            rows = [bulk.Row(1, "Testville", 36.0, 37.0, "SY", "01", 0, bulk.POPULATED,
                             names={{"Testville"}})]
            index.write_index(path, rows, {{"fingerprint": index.fingerprint(bulk.source_files())}})
        index.build_index = fake_build
        got = index.GazetteerIndex.open_default(progress=False)
        print(got.lookup("testville")[0][2])
    """
    procs = [_start(code, {"CONFLICTMAP_CACHE_DIR": str(tmp_path / "cache")}) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [o.strip() for o, _ in outs] == ["Testville", "Testville"]
    assert (tmp_path / "builds.log").read_text().count("built") == 1


# --- 15. damage inside the index --------------------------------------------------------------

@pytest.mark.parametrize("damage", ["page", "table"])
def test_15_damage_found_while_answering_is_rebuilt_once(tmp_path, damage) -> None:
    import sqlite3

    from conflictmap.gazetteer.index import GazetteerIndex

    path = tmp_path / "i.sqlite"
    _small_index(path)
    if damage == "table":
        con = sqlite3.connect(path)
        con.execute("DROP TABLE names")
        con.commit()
        con.close()
    else:
        data = bytearray(path.read_bytes())
        page = int.from_bytes(data[16:18], "big")
        for at in range(page, len(data), 7):  # every page but the header's: garbage
            data[at] = 0xA5
        path.write_bytes(bytes(data))
    with pytest.raises(GazetteerError, match="is damaged|is unreadable"):
        GazetteerIndex(path).lookup("testville")
    repairs = []

    def repair() -> None:
        repairs.append(1)
        path.unlink()
        _small_index(path)

    index = GazetteerIndex(path, repair=repair)
    assert index.lookup("testville")[0][2] == "Testville" and repairs == [1]


# --- 16. an output that is an input ------------------------------------------------------------

def test_16_build_refuses_to_overwrite_its_input(tmp_path) -> None:
    src = tmp_path / "x.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    r = cli("build", str(src), "-o", str(src))
    assert r.exit_code == 2 and "the output is one of the inputs" in r.stderr
    assert src.read_text() == "name,kind\nIdlib,mention\n"


# --- 17. file modes ---------------------------------------------------------------------------

def test_17_outputs_keep_their_mode_or_follow_the_umask(tmp_path) -> None:
    from conflictmap.atomic import write_bytes_atomic

    kept = tmp_path / "private.html"
    kept.write_text("old")
    kept.chmod(0o600)
    write_bytes_atomic(kept, b"new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    old = os.umask(0o077)
    try:
        fresh = tmp_path / "fresh.html"
        write_bytes_atomic(fresh, b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    shared = tmp_path / "shared.html"
    old = os.umask(0o022)
    try:
        write_bytes_atomic(shared, b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


# --- 18. what killed GeoPackage and image builds leave -----------------------------------------

def test_18_leftovers_of_killed_gpkg_and_png_builds_are_removed(tmp_path) -> None:
    out = tmp_path / "claims.gpkg"
    leftovers = [tmp_path / ".claims.gpkg.ab12cd.tmp.gpkg",
                 tmp_path / ".claims.gpkg.ab12cd.tmp.gpkg-journal",
                 tmp_path / ".claims.png.ef34ab.tmp.html"]
    old = time.time() - 7200
    for f in leftovers:
        f.write_bytes(b"half")
        os.utime(f, (old, old))
    assert cli("build", str(BUNDLED), "-o", str(out)).exit_code == 0
    assert cli("build", str(BUNDLED), "-o", str(tmp_path / "claims.png.csv")).exit_code == 0
    assert not leftovers[0].exists() and not leftovers[1].exists()
    from conflictmap.atomic import tidy

    tidy(tmp_path / "claims.png")  # what the next image build does first
    assert not leftovers[2].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.gpkg", "claims.png.csv"]


# --- 19. the name list in the cache -----------------------------------------------------------

def test_19_a_replaced_name_list_is_noticed_and_rebuilt(tmp_path, monkeypatch, gazetteer, caplog) -> None:
    from conflictmap.extract import names as names_mod

    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path))
    index = next(s.index for s in gazetteer.sources if s.name == "geonames")
    keys = names_mod._cached_keys(index)
    [path] = tmp_path.glob("names-*.txt")
    path.write_bytes(b"nothing\n#end\n")  # the old format's end marker, but not our file
    again = names_mod._cached_keys(index)
    assert again == keys and "damaged or not this index's" in caplog.text
    assert path.read_bytes().startswith(b"#conflictmap name keys v2")


# --- 20. terminal escapes ---------------------------------------------------------------------

def test_20_escape_sequences_from_input_never_reach_the_terminal(tmp_path) -> None:
    evil = "Id\x1b]0;owned\x07lib\x1b]8;;https://evil.example\x07x\u009b2J"
    r = cli("resolve", evil)
    r2 = cli("resolve", "--json", evil)
    src = tmp_path / "c.csv"
    src.write_text(f"name,kind\n{evil},mention\n")
    r3 = cli("build", str(src), "-o", str(tmp_path / "m.html"))
    for out in (r.output, r2.output, r3.output):
        assert "\x1b" not in out and "\x07" not in out and "\u009b" not in out
    assert "\\x1b]0;owned" in r.output and "\\u001b]0;owned" in r2.output


# --- 21. the local server ---------------------------------------------------------------------

def test_21_the_server_answers_only_local_hosts_and_bounds_connections(tmp_path) -> None:
    import http.client

    from conflictmap.watch import MAX_CONNECTIONS, Watcher, serve

    src = tmp_path / "list.csv"
    src.write_text("name,kind\nIdlib,mention\n")
    w = Watcher([src], tmp_path / "m.html", tiles=None)
    w.check()
    server = serve(w, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        def get(host: str) -> int:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/", headers={"Host": host})
            status = c.getresponse().status
            c.close()
            return status

        assert get(f"127.0.0.1:{port}") == 200 and get("localhost") == 200
        assert get("[::1]") == 200
        assert get("evil.example") == 421 and get(f"127.0.0.1.evil.example:{port}") == 421
        before = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
        time.sleep(0.5)
        assert threading.active_count() - before <= MAX_CONNECTIONS
        for s in idle:
            s.close()
        assert get("localhost") == 200  # still serving
    finally:
        server.shutdown()
        server.server_close()


# --- 22. extraction grows linearly -------------------------------------------------------------

NAMES = ["Idlib", "Aleppo", "Afrin", "Saraqib", "Ariha", "Hama", "Homs", "Raqqa"]


def _cpu_seconds(texts: list[str], gazetteer, rounds: int = 3) -> list[float]:
    """The least CPU time extraction took on each text, the texts taken in turn ``rounds``
    times: CPU time of this process, so other processes on the machine do not count, and
    in turn, so a slow spell of the machine falls on every text alike."""
    from conflictmap.extract import extract
    from conflictmap.extract.names import NameMatcher
    from conflictmap.extract.text import parse_text

    matcher = NameMatcher(["idlib", "aleppo", "afrin", "saraqib", "ariha", "hama", "homs", "raqqa"])
    docs = [parse_text(t) for t in texts]
    best = [float("inf")] * len(docs)
    for _ in range(rounds):
        for i, doc in enumerate(docs):
            start = time.process_time()
            extract(doc, gazetteer, matcher=matcher)
            best[i] = min(best[i], time.process_time() - start)
    return best


@pytest.mark.parametrize("shape,small,large", [
    ("one line", 3000, 12000), ("short lines", 20000, 80000), ("one line of claims", 300, 1200)])
def test_22_extraction_grows_at_most_linearly(gazetteer, shape, small, large) -> None:
    def text(n: int) -> str:
        if shape == "one line":
            return ", ".join(NAMES[i % len(NAMES)] for i in range(n)) + ".\n"
        if shape == "one line of claims":  # a claim per name: scope, actors and cues per claim
            return "".join(f"gunships fired on the {NAMES[i % 8]} and {NAMES[(i + 1) % 8]} areas, "
                           for i in range(n)) + "the army said.\n"
        return "".join(f"{NAMES[i % len(NAMES)]}\n" for i in range(n))

    _cpu_seconds([text(200)], gazetteer, rounds=1)  # warm the caches
    small_s, large_s = _cpu_seconds([text(small), text(large)], gazetteer)
    ratio = large_s / small_s
    assert ratio <= 5, f"4x the input took {ratio:.1f}x the time"  # quadratic would be ~16


# --- 23. reads are bounded --------------------------------------------------------------------

def test_23_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path, old_map) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(3_000_000_000)  # sparse: no disk used
    tracemalloc.start()
    r = cli("build", str(big), "-o", str(old_map))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    _refused(r, old_map, "big.yaml", "file is 3,000,000,000 bytes; the limit is 20,000,000")
    assert peak < 50_000_000


def test_23_an_endless_pipe_is_cut_at_the_limit(tmp_path) -> None:
    from conflictmap.claims.read import read_text

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("wb") as fh:
                while not stop.is_set():
                    fh.write(b"x" * 65536)
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    tracemalloc.start()
    with pytest.raises(InputError, match="more than 1,000,000 bytes"):
        read_text(fifo, limit=1_000_000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    stop.set()
    assert peak < 10_000_000


# --- 24. limits per field and per file ----------------------------------------------------------

def test_24_a_long_place_name_or_actor_is_refused(tmp_path, old_map) -> None:
    src = tmp_path / "c.csv"
    src.write_text("name,kind\n" + "x" * 100_000 + ",mention\n")
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.csv:2:",
             "'name' is 100,000 characters; the limit is 300")
    src.write_text("name,kind\n" + "x" * 1_000_000 + ",mention\n")  # past the CSV reader's own
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.csv:2:",
             "field larger than field limit")
    src.write_text("name,kind,actor\nIdlib,mention," + "a" * 201 + "\n")
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.csv:2:",
             "'actors' is 201 characters; the limit is 200")


def test_24_too_many_rows_are_refused_at_the_limit(tmp_path, old_map, monkeypatch) -> None:
    from conflictmap.claims import csvfile

    monkeypatch.setattr(csvfile, "MAX_CLAIMS", 1000)
    src = tmp_path / "c.csv"
    src.write_text("name,kind\n" + "Idlib,mention\n" * 5000)
    _refused(cli("build", str(src), "-o", str(old_map)), old_map, "c.csv:1002:",
             "more than 1,000 rows")
