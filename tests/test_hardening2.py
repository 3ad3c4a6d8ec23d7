"""Regression tests for the second red-team pass (issue "Hardening 2"): each input that
once ran code, crashed, hung, grew without bound or lost data, with what it gives now.
The numbers in the test names are the issue's items; item 1 is tests/test_templates.py."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Polygon

from conflictmap.cli import main
from conflictmap.model import ControlArea


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _kmz(path: Path, method: int, size: int) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z, z.open("doc.kml", "w", force_zip64=True) as f:
        f.write(b"<kml>")
        for _ in range(size // 1_000_000):
            f.write(b" " * 1_000_000)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_02_a_kmz_bomb_is_refused_on_the_bytes_inflated(tmp_path, method) -> None:
    import tracemalloc

    bomb = _kmz(tmp_path / "bomb.kmz", method, 600_000_000)
    assert bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    r = run("build", str(bomb), "-o", str(tmp_path / "m.html"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r.exit_code == 2
    assert ("inflates to more than 50,000,000 bytes" in r.stderr
            or "a KMZ is stored or deflated" in r.stderr), r.stderr
    assert peak < 300_000_000  # the 50 MB limit and its copies, not the 600 MB inflated


def _area(actor: str, geom, day=dt.date(2020, 1, 1)) -> ControlArea:
    return ControlArea(actor=actor, status="assessed", valid_from=day, valid_until=None,
                       geometry_wkt=geom.wkt, source="s", note="", path="p", line=None)


def _jagged_pair(n: int, amplitude: float) -> list[ControlArea]:
    border = [(36.5 + (amplitude if i % 2 else -amplitude), 35 + i / n) for i in range(n + 1)]
    return [_area("A", Polygon([(36, 35), *border, (36, 36)])),
            _area("B", Polygon([(37, 35), *border, (37, 36)]))]


def test_03_frontlines_buffer_only_geometry_gridded_to_the_snap_distance() -> None:
    """The buffers of frontlines() see no two vertices closer than a quarter of the snap
    distance, which keeps their cost about linear (benchmarks/growth.py measures it); a
    border jagged below that resolution is measured as the line it is at that resolution."""
    from conflictmap.control import SNAP_KM, _gridded, frontlines

    poly = Polygon([(0, 0), *[(5 + (0.01 if i % 2 else -0.01), i / 1000) for i in range(10_001)],
                    (0, 10)])
    grid = SNAP_KM / 4
    coarse = _gridded(poly, grid)
    xy = shapely.get_coordinates(coarse)
    steps = ((xy[1:] - xy[:-1]) ** 2).sum(axis=1) ** 0.5
    assert steps.min() >= grid * 0.999 and len(xy) < 200
    [line] = frontlines(_jagged_pair(20_000, 0.0002), dt.date(2020, 1, 1))
    assert line.km == pytest.approx(111.5, abs=1)


def test_04_deeply_nested_wkt_is_refused_not_a_crash(tmp_path) -> None:
    deep = "GEOMETRYCOLLECTION (" * 30_000 + "POINT (0 0)" + ")" * 30_000
    f = tmp_path / "deep.yaml"
    f.write_text("report: {title: t}\ncontrol_areas:\n"
                 f"  - {{actor: A, valid_from: 2020-01-01, wkt: \"{deep}\"}}\n", "utf-8")
    for cmd in (["build", str(f), "-o", str(tmp_path / "m.html")], ["control-stats", str(f)]):
        r = run(*cmd)
        assert r.exit_code == 2
        assert f"{f}:3: the WKT nests 30001 levels deep" in r.stderr


def _gpkg_with_layers(path: Path) -> Path:
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"actor": ["Blue"], "valid_from": ["2020-01-01"]},
                             geometry=[Polygon([(36, 36), (37, 36), (37, 37)])], crs="EPSG:4326")
    frame.to_file(path, layer="north", driver="GPKG")
    frame.assign(actor="Red").to_file(path, layer="south", driver="GPKG")
    return path


def test_05_a_recursive_view_in_a_geopackage_is_refused_in_bounded_time(tmp_path) -> None:
    f = _gpkg_with_layers(tmp_path / "rec.gpkg")
    db = sqlite3.connect(f)
    db.execute("DROP TABLE south")
    db.execute("CREATE VIEW south AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
               "FROM r) SELECT n AS fid, 'Red' AS actor, (SELECT geom FROM north) AS geom FROM r")
    db.commit()
    db.close()
    r = run("build", str(f), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 2
    assert "takes more work than a control layer can" in r.stderr


def test_13_every_layer_of_a_geopackage_is_read(tmp_path) -> None:
    from conflictmap.claims.control import load_control

    f = _gpkg_with_layers(tmp_path / "two.gpkg")
    assert sorted(a.actor for a in load_control(f)) == ["Blue", "Red"]
    r = run("build", str(f), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 0 and "2 control areas" in r.stdout
    assert "pyogrio" not in r.stderr and "Warning" not in r.stderr


def test_10_heights_are_dropped_with_a_note_everywhere(tmp_path, monkeypatch) -> None:
    claims = tmp_path / "z.geojson"
    claims.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                      '"geometry": {"type": "Point", "coordinates": [36.5, 36.2, 0]}, "properties":'
                      ' {"kind": "captured", "name": "X", "summary": "s", "date": "2020-02-01"}}]}')
    layer = tmp_path / "zc.geojson"
    layer.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                     '{"type": "Polygon", "coordinates": [[[36, 36, 5], [37, 36, 5], [37, 37, 5], '
                     '[36, 36, 5]]]}, "properties": {"actor": "A", "valid_from": "2020-02-01"}}]}')
    wkt = tmp_path / "z.yaml"
    wkt.write_text("report: {title: t}\ncontrol_areas:\n  - {actor: A, valid_from: 2020-01-01, "
                   'wkt: "POLYGON Z ((36 36 0, 37 36 0, 37 37 0, 36 36 0))"}\n')
    for src in (claims, layer, wkt):
        r = run("build", str(src), "-o", str(tmp_path / f"{src.stem}.html"))
        assert r.exit_code == 0, r.output
    assert "dropped heights (Z)" in run("build", str(layer), "-o", str(tmp_path / "a.html")).stderr
    # an imported boundary with heights, then a build naming it
    monkeypatch.setenv("CONFLICTMAP_DATA_DIR", str(tmp_path / "data"))
    bounds = tmp_path / "b.geojson"
    bounds.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
                      '{"type": "Polygon", "coordinates": [[[36, 36, 5], [36.3, 36, 5], '
                      '[36.3, 36.3, 5], [36, 36, 5]]]}, "properties": {"name": "Qazworth District"}}]}')
    r = run("gazetteer", "import", str(bounds))
    assert r.exit_code == 0 and "dropped heights (Z)" in r.stderr
    places = tmp_path / "q.csv"
    places.write_text("name,kind\nQazworth District,captured\n")
    r = run("build", str(places), "-o", str(tmp_path / "q.html"))
    assert r.exit_code == 0 and "1 of 1 claims mapped" in r.stdout, r.stderr


def test_11_a_polygon_across_the_antimeridian_is_split_and_measured_right(tmp_path) -> None:
    from conflictmap.control import stats

    f = tmp_path / "fiji.yaml"
    f.write_text("report: {title: t}\ncontrol_areas:\n  - {actor: A, valid_from: 2020-01-01, "
                 'wkt: "POLYGON ((179.5 -17, -179.5 -17, -179.5 -16, 179.5 -16, 179.5 -17))"}\n')
    from conflictmap.claims import load_input

    [area] = load_input(f).control
    geom = shapely.from_wkt(area.geometry_wkt)
    assert geom.geom_type == "MultiPolygon" and geom.bounds[0] == -180 and geom.bounds[2] == 180
    [row], _ = stats([area])
    assert row.km2 == pytest.approx(1 * 111.32 * 0.9588 * 110.6, rel=0.02)  # 1° by 1° at 16.5° S
    assert "split at the antimeridian" in run("control-stats", str(f)).stderr


def test_12_shares_count_only_what_lies_inside_the_country(tmp_path) -> None:
    from conflictmap.control import stats

    globe = _area("A", Polygon([(-180, -90), (180, -90), (180, 90), (-180, 90)]))
    [row], country = stats([globe])
    assert row.share == 1.0 and row.km2 == pytest.approx(510_065_600, rel=0.001)
    mixed = [_area("A", Polygon([(36, 35), (37, 35), (37, 36), (36, 36)])),
             _area("B", Polygon([(179, 0), (179.5, 0), (179.5, 1), (179, 1)]))]
    rows, country = stats(mixed)
    assert country == "SY"
    assert {r.actor: r.share for r in rows}["B"] == 0.0


def test_20_a_real_one_metre_triangle_is_a_polygon(tmp_path) -> None:
    f = tmp_path / "t.yaml"
    f.write_text("report: {title: t}\ncontrol_areas:\n  - {actor: A, valid_from: 2020-01-01, "
                 'wkt: "POLYGON ((36 30, 36.00001 30, 36.00001 30.00001, 36 30))"}\n'
                 "  - {actor: B, valid_from: 2020-01-01, "
                 'wkt: "POLYGON ((36 30, 37 30, 38 30, 36 30))"}\n')
    r = run("control-stats", str(f))
    assert r.exit_code == 2 and f"{f}:4: control area 2: the polygon has no area" in r.stderr
    f.write_text("\n".join(f.read_text().splitlines()[:3]) + "\n")
    assert run("control-stats", str(f)).exit_code == 0


# --- batch stores, inputs and clusters -------------------------------------------------

def _corpus(folder: Path, n: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / "news.jsonl"
    src.write_text("".join(f'{{"id": "r{i}", "text": "Government forces captured Saraqib and '
                           f'shelled Ariha on day {i}."}}\n' for i in range(n)), "utf-8")
    return src


def test_06_a_jsonl_line_is_never_held_whole_and_devices_are_refused(tmp_path) -> None:
    import tracemalloc

    from conflictmap.batch.inputs import count_reports, input_files

    sparse = tmp_path / "sparse.jsonl"
    with sparse.open("wb") as fh:  # 300 MB of one line, then a short one
        fh.truncate(300_000_000)
        fh.seek(0, 2)
        fh.write(b'\n{"id": "a", "text": "Idlib"}\n')
    tracemalloc.start()
    assert count_reports([sparse]) == 2  # the long line of NULs (a bad report) and the short one
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    with pytest.raises(Exception, match="not a regular file"):
        input_files([str(link)])


def test_20_links_in_a_batch_folder_are_followed_only_inside_it(tmp_path) -> None:
    from conflictmap.batch.inputs import input_files

    outside = _corpus(tmp_path / "outside")
    folder = tmp_path / "in"
    _corpus(folder)
    (folder / "escape.jsonl").symlink_to(outside)
    (folder / "same.jsonl").symlink_to(folder / "news.jsonl")
    names = sorted(p.name for p in input_files([str(folder)]))
    assert names == ["news.jsonl", "same.jsonl"]


def test_07_a_second_run_on_the_same_output_is_refused_while_one_writes(tmp_path) -> None:
    from conflictmap.batch.store import Store
    from conflictmap.errors import OutputError

    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    with Store(str(out)).lock(), pytest.raises(OutputError, match="another batch run is writing"):
        from conflictmap.batch import run_batch

        run_batch([src], out, workers=1, progress=False)
    r = run("batch", str(src), "-o", str(out), "--workers", "1")  # the lock went with it
    assert r.exit_code == 0, r.output
    r2 = run("batch", str(src), "-o", str(out), "--workers", "1", "--task-size", "1000")
    assert r2.exit_code == 0 and "6 already done" in r2.stdout


def _parts(out: Path, name: str) -> list[Path]:
    return sorted((out / f"{name}.parquet").rglob("part-*.parquet"))


@pytest.mark.parametrize("damaged", ["reports", "claims"])
def test_08_09_a_damaged_part_is_noticed_and_its_task_redone(tmp_path, damaged) -> None:
    import pandas as pd

    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    assert run("batch", str(src), "-o", str(out), "--workers", "1").exit_code == 0
    before = len(pd.read_parquet(out / "claims.parquet"))
    part = _parts(out, damaged)[0]
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    if damaged == "claims":  # `build` names the damaged file instead of a traceback
        r = run("build", str(out / "claims.parquet"), "-o", str(tmp_path / "m.html"))
        assert r.exit_code == 2 and "cannot read the batch claims" in r.stderr
    r = run("batch", str(src), "-o", str(out), "--workers", "1")
    assert r.exit_code == 0, r.output
    assert "cannot be read" in r.stderr and "6 reports" in r.stdout
    assert len(pd.read_parquet(out / "claims.parquet")) == before
    assert run("build", str(out / "claims.parquet"), "-o", str(tmp_path / "m.html")).exit_code == 0


def test_14_invalid_wkb_in_batch_claims_is_a_message(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src, out = _corpus(tmp_path / "in", 2), tmp_path / "out"
    assert run("batch", str(src), "-o", str(out), "--workers", "1").exit_code == 0
    part = _parts(out, "claims")[0]
    table = pq.read_table(part)
    bad = pa.array([b"\x01\x01\x00\x00\x00garbage"] * len(table), type=pa.binary())
    pq.write_table(table.set_column(table.schema.get_field_index("geometry"), "geometry", bad)
                   .replace_schema_metadata(table.schema.metadata), part)
    r = run("build", str(out / "claims.parquet"), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 2 and "cannot read the batch claims" in r.stderr
    assert "Traceback" not in r.output


def test_15_scheduler_addresses_that_are_none_are_messages(tmp_path) -> None:
    import http.server
    import threading

    src = _corpus(tmp_path / "in", 1)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for address, message in [("garbage", "is not a scheduler address"),
                                 ("inproc://x", "is not a scheduler address"),
                                 ("tcp://127.0.0.1:1", "cannot reach a Dask scheduler"),
                                 (f"tcp://127.0.0.1:{server.server_address[1]}",
                                  "does not answer as a Dask scheduler does")]:
            r = run("batch", str(src), "-o", str(tmp_path / "out"), "--scheduler", address)
            assert r.exit_code == 2 and message in r.stderr, (address, r.output)
    finally:
        server.shutdown()
    r = run("batch", str(src), "-o", "memory://cm-out", "--workers", "2")
    assert r.exit_code == 2 and "memory:// output lives in this process only" in r.stderr
    r = run("batch", str(src), "-o", str(tmp_path / "o"), "--tls-cert", "x.pem")
    assert r.exit_code == 2 and "need --scheduler" in r.stderr


def _certificate(folder: Path) -> tuple[str, str]:
    import shutil
    import subprocess

    openssl = shutil.which("openssl") or pytest.fail("openssl makes the test's certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


def test_16_a_tls_cluster_from_a_scheduler_file(tmp_path) -> None:
    import json

    from distributed import LocalCluster
    from distributed.security import Security

    cert, key = _certificate(tmp_path)
    security = Security(tls_ca_file=cert, tls_scheduler_cert=cert, tls_scheduler_key=key,
                        tls_worker_cert=cert, tls_worker_key=key, tls_client_cert=cert,
                        tls_client_key=key, require_encryption=True)
    src, out = _corpus(tmp_path / "in", 4), tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, protocol="tls://",
                      host="127.0.0.1", security=security, dashboard_address=":0") as cluster:
        assert cluster.scheduler_address.startswith("tls://")
        sched = tmp_path / "scheduler.json"
        sched.write_text(json.dumps({"address": cluster.scheduler_address}))
        r = run("batch", str(src), "-o", str(out), "--scheduler", cluster.scheduler_address)
        assert r.exit_code == 2 and "needs --tls-ca-file" in r.stderr
        r = run("batch", str(src), "-o", str(out), "--scheduler-file", str(sched),
                "--tls-ca-file", cert, "--tls-cert", cert, "--tls-key", key)
        assert r.exit_code == 0, r.output
        assert "4 reports" in r.stdout


# --- watch ---------------------------------------------------------------------------

def test_17_18_watch_outlives_a_disconnecting_reader_and_a_fifo(tmp_path, caplog) -> None:
    import os
    import socket
    import threading

    from conflictmap.watch import Watcher, serve

    src = tmp_path / "places.csv"
    src.write_text("name,kind\nIdlib,captured\n")
    watcher = Watcher([src], tmp_path / "m.html", tiles=None)
    assert watcher.check() and watcher.version == 1
    server = serve(watcher, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(5):  # ask for the page, then hang up before reading it
            s = socket.create_connection(server.server_address)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            s.close()
    finally:
        server.shutdown()
        server.server_close()
    src.unlink()
    os.mkfifo(src)
    assert watcher.check() is True and watcher.version == 1  # skipped, not blocked
    assert "not a regular file" in caplog.text
    src.unlink()
    src.write_text("name,kind\nAfrin,captured\n")
    assert watcher.check() and watcher.version == 2


# --- options and exports -------------------------------------------------------------

def test_19_compare_dates_are_checked(tmp_path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("report: {title: t}\ncontrol_areas:\n"
                 '  - {actor: A, valid_from: 2020-02-01, wkt: "POLYGON ((36 36, 37 36, 37 37, 36 36))"}\n'
                 "  - {actor: A, valid_from: 2020-03-01, "
                 'wkt: "POLYGON ((36 36, 37.5 36, 37 37, 36 36))"}\n')
    page = str(tmp_path / "m.html")
    for dates, message in [(("2020-03-01", "2020-02-01"), "must come before"),
                           (("2019-01-01", "2020-03-01"), "no control area holds on 2019-01-01")]:
        r = run("build", str(f), "-o", page, "--compare", *dates)
        assert r.exit_code == 2 and message in r.stderr, r.output
    assert run("build", str(f), "-o", page, "--compare", "2020-02-01", "2020-03-05").exit_code == 0
    places = tmp_path / "p.csv"
    places.write_text("name,kind\nIdlib,captured\n")
    r = run("build", str(places), "-o", page, "--compare", "2020-02-01", "2020-03-05")
    assert r.exit_code == 2 and "needs control areas" in r.stderr


def test_19_file_urls_are_batch_inputs(tmp_path) -> None:
    src = _corpus(tmp_path / "in", 2)
    r = run("batch", f"file://{src.parent}/*.jsonl", "-o", str(tmp_path / "out"), "--workers", "1")
    assert r.exit_code == 0 and "2 reports" in r.stdout, r.output


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_21_exports_round_trip_with_their_control_areas(tmp_path, suffix) -> None:
    import json

    from conflictmap.claims import example_path

    layer = tmp_path / "c.yaml"
    layer.write_text("report: {title: t}\ncontrol_areas:\n  - {actor: Blue, valid_from: 2020-02-01, "
                     'wkt: "POLYGON ((36.3 35.9, 37.2 35.9, 37.2 36.6, 36.3 36.6, 36.3 35.9))"}\n')
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert run("build", str(example_path()), str(layer), "-o", str(first)).exit_code == 0
    r = run("build", str(first), "-o", str(second))
    assert r.exit_code == 0 and "8 of 8 claims mapped, 2 control areas" in r.stdout, r.output
    assert "Warning" not in r.stderr
    if suffix == ".geojson":
        a, b = (json.loads(p.read_text()) for p in (first, second))
        keep = ("claim_id", "kind", "actors", "date", "place", "latitude", "longitude",
                "precision", "uncertainty_km", "gazetteer_source", "actor", "status")
        assert [{k: f["properties"].get(k) for k in keep} for f in a["features"]] == \
               [{k: f["properties"].get(k) for k in keep} for f in b["features"]]
    assert run("build", str(second), "-o", str(tmp_path / "b.html")).exit_code == 0


def test_22_control_stats_csv_writes_numbers_as_numbers(tmp_path) -> None:
    import io as stdio

    import pandas as pd

    f = tmp_path / "c.yaml"
    f.write_text("report: {title: t}\ncontrol_areas:\n"
                 '  - {actor: A, valid_from: 2020-02-01, wkt: "POLYGON ((36 36, 37 36, 37 37, 36 36))"}\n'
                 "  - {actor: A, valid_from: 2020-03-01, "
                 'wkt: "POLYGON ((36 36, 36.5 36, 36.5 36.5, 36 36))"}\n')
    r = run("control-stats", str(f), "--csv")
    frame = pd.read_csv(stdio.StringIO(r.stdout))
    change = frame["change_km2"].dropna()
    assert change.dtype.kind == "f" and (change < 0).any()


def test_24_an_unknown_country_code_is_refused() -> None:
    r = run("resolve", "--country", "XX", "Idlib")
    assert r.exit_code == 2 and "no ISO 3166-1 country code" in r.output
    assert run("resolve", "--country", "sy", "Idlib").exit_code == 0


def test_21_a_csv_export_reads_back_with_its_movements(tmp_path) -> None:
    import csv

    from conflictmap.claims import example_path

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("build", str(example_path()), "-o", str(first)).exit_code == 0
    r = run("build", str(first), "-o", str(second))
    assert r.exit_code == 0 and "8 of 8 claims mapped" in r.stdout, r.output
    a, b = (list(csv.DictReader(p.open(encoding="utf-8"))) for p in (first, second))
    # the same rows but for the notes of a claim the report measured ("30 km west of
    # Aleppo"): the export keeps the measurement as text, not as a check to measure again
    assert [{k: v for k, v in row.items() if k != "notes"} for row in a] == \
           [{k: v for k, v in row.items() if k != "notes"} for row in b]
