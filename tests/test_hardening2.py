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
