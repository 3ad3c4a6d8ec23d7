"""Many reports: conflictmap batch writes GeoParquet that geopandas and dask-geopandas
read with its CRS, survives bad reports and being killed, gives the same rows on one
process, a process pool and a Dask LocalCluster, and its claims make a map."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conflictmap.batch import run_batch
from conflictmap.cli import main

SENTENCES = [
    "Syrian government forces captured {a} on {d} March 2020, the outlet reported.",
    "Opposition fighters withdrew from {a} after clashes near {b}.",
    "Shelling hit {a}, about 10 km west of {b}, residents said.",
    "The claims could not be independently verified.",
    "Aid workers in {a} said the road from {b} was closed.",
]
TOWNS = ["Saraqib", "Maarrat al-Numan", "Ariha", "Jisr al-Shughur", "Kafr Nabl", "Sarmin",
         "Atarib", "Darat Izza", "Khan Shaykhun", "Binnish"]


def corpus(folder: Path, n: int, *, bad: bool = True) -> Path:
    """n invented reports as JSON Lines (and, with ``bad``, three bad lines among them)."""
    lines = []
    for i in range(n):
        a, b = TOWNS[i % len(TOWNS)], TOWNS[(3 * i + 1) % len(TOWNS)]
        text = " ".join(s.format(a=a, b=b, d=1 + i % 28) for s in SENTENCES[i % 3:])
        lines.append(json.dumps({"id": f"r{i:03d}", "text": f"Report {i}\n\n{text}",
                                 "published": f"2020-0{1 + i % 3}-15", "outlet": "Invented Wire",
                                 "url": f"https://example.org/{i}"}))
        if bad and i == n // 2:
            lines += ['{"id": "bad-json", "text": ', '{"id": "no-text"}',
                      json.dumps({"id": "ctrl", "text": "Saraqib \u0007 fell."})]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def rows(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of a batch output, in a stable order, without timings and task names."""
    import geopandas as gpd

    found = {}
    for name in ("claims", "mentions"):
        frame = gpd.read_parquet(out / f"{name}.parquet")
        frame = pd.DataFrame(frame.drop(columns="geometry")).assign(
            geometry=frame.geometry.to_wkt().to_numpy())
        keys = ["report_id", "span_start", "span_end"] + (["text"] if name == "mentions" else [])
        found[name] = frame.sort_values(keys).reset_index(drop=True)
    reports = pd.read_parquet(out / "reports.parquet").drop(columns=["seconds", "task"])
    found["reports"] = reports.sort_values(["report_id", "report_hash"]).reset_index(drop=True)
    for frame in found.values():
        for col in ("year", "month"):
            if col in frame:
                frame[col] = frame[col].astype(int)
    return found


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_like=True, check_categorical=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    src = corpus(folder, 40)
    out = folder / "out"
    result = run_batch([src], out, workers=1, progress=False, task_bytes=2_000)
    return src, out, result


def test_geoparquet_with_its_crs_readable_by_geopandas_and_dask(small) -> None:
    import dask_geopandas
    import geopandas as gpd

    _, out, result = small
    claims = gpd.read_parquet(out / "claims.parquet")
    mentions = gpd.read_parquet(out / "mentions.parquet")
    assert claims.crs.to_epsg() == 4326 and mentions.crs.to_epsg() == 4326
    assert len(claims) == result.claims > 40 and len(mentions) == result.mentions
    for col in ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                "latitude", "longitude", "geo_precision", "notes", "report_id",
                "conflictmap_source_url", "span_start", "span_end"):
        assert col in claims.columns, col
    first = claims.sort_values(["report_id", "span_start"]).iloc[0]
    text = json.loads((out.parent / "corpus.jsonl").read_text().splitlines()[0])["text"]
    assert text[first["span_start"]:first["span_end"]] == first["location"]
    assert sorted({(int(y), int(m)) for y, m in zip(claims["year"], claims["month"],
                                                      strict=True)}) == [(2020, 1), (2020, 2),
                                                                         (2020, 3)]
    lazy = dask_geopandas.read_parquet(out / "claims.parquet")
    assert lazy.crs.to_epsg() == 4326 and len(lazy.compute()) == len(claims)
    assert (out / "claims.parquet" / "year=2020" / "month=1").is_dir()


def test_bad_reports_are_listed_and_never_stop_the_run(small) -> None:
    _, out, result = small
    assert (result.reports, result.failed) == (43, 3)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    src = out.parent / "corpus.jsonl"
    assert [(e["id"], e["reason"]) for e in errors] == [  # a line without a readable id: its place
        (f"{src}:22", "malformed JSON: Expecting value"),
        ("ctrl", "a string holds a control character (\\x07)"),
        ("no-text", "'text' must be a non-empty string")]
    reports = pd.read_parquet(out / "reports.parquet")
    assert (reports["status"] == "ok").sum() == 40
    assert set(reports.loc[reports["report_id"] == "r039", "outlet"]) == {"Invented Wire"}


def test_a_rerun_skips_what_is_done_and_changes_nothing(small, tmp_path) -> None:
    src, out, _ = small
    before = rows(out)
    again = run_batch([src], out, workers=1, progress=False, task_bytes=2_000)
    assert (again.reports, again.done_before) == (0, 43)
    assert_same(before, rows(out))


def test_killed_at_any_moment_then_rerun_gives_the_same_rows(small, tmp_path) -> None:
    """The batch is killed (SIGKILL) once some tasks are done, leaving half-written parts
    behind; the rerun removes them, redoes those reports, and the rows equal an
    uninterrupted run's."""
    src, reference, _ = small
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "conflictmap.cli", "batch", str(src), "-o", str(out),
           "--workers", "1", "--task-size", "1000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        done = list((out / "reports.parquet").glob("part-*.parquet")) if out.exists() else []
        if len(done) >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    parts = len(list((out / "reports.parquet").glob("part-*.parquet")))
    assert 3 <= parts < 43, "the run was not interrupted in the middle"
    # what a kill can leave: a temporary file and the parts of a task not marked done
    (out / "claims.parquet" / "year=2020" / "month=1").mkdir(parents=True, exist_ok=True)
    orphan = out / "claims.parquet" / "year=2020" / "month=1" / f"part-{'0' * 20}.parquet"
    orphan.write_bytes(b"half written")
    (out / "mentions.parquet" / ".tmp-1234-part-x.parquet").write_bytes(b"")
    r = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--workers", "1",
                                  "--task-size", "1000"])
    assert r.exit_code == 0, r.output
    assert not orphan.exists()
    assert not list(out.rglob(".tmp-*"))
    assert_same(rows(reference), rows(out))


def test_a_process_pool_gives_the_same_rows(small, tmp_path) -> None:
    src, reference, _ = small
    out = tmp_path / "pool"
    result = run_batch([src], out, workers=2, progress=False, task_bytes=2_000)
    assert len(result.workers) == 2  # two worker processes did the work
    assert_same(rows(reference), rows(out))


def test_a_dask_local_cluster_gives_the_same_rows_and_opens_the_gazetteer_once(
        small, tmp_path) -> None:
    from distributed import LocalCluster

    from conflictmap.batch.cluster import opened_per_worker

    src, reference, _ = small
    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        result = run_batch([src], f"file://{out}", scheduler=cluster.scheduler_address,
                           progress=False, task_bytes=2_000)
        opened = opened_per_worker(cluster.scheduler_address)
    assert list(opened.values()) == [1, 1]
    assert len(result.workers) == 2 and result.reports == 43
    assert_same(rows(reference), rows(out))


def test_build_maps_a_batch_with_filters(small, tmp_path) -> None:
    _, out, result = small
    page = tmp_path / "batch.html"
    r = CliRunner().invoke(main, ["build", str(out / "claims.parquet"), "-o", str(page),
                                  "--no-tiles"])
    assert r.exit_code == 0, r.output
    assert f"{result.claims} of {result.claims} claims mapped" in r.output
    assert "and 32 more (each claim" in page.read_text()  # 40 sources, 8 named
    csv_out = tmp_path / "march.csv"
    r = CliRunner().invoke(main, ["build", str(out / "claims.parquet"), "-o", str(csv_out),
                                  "--since", "2020-03-01", "--until", "2020-03-31",
                                  "--kind", "captured"])
    assert r.exit_code == 0, r.output
    kept = pd.read_csv(csv_out)
    assert len(kept) > 0 and set(kept["conflictmap_kind"]) == {"captured"}
    assert kept["event_date"].str.startswith("2020-03").all()


def test_batch_usage_errors_exit_2(tmp_path) -> None:
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "missing.jsonl"), "-o",
                                  str(tmp_path / "o")])
    assert r.exit_code == 2 and "file not found" in r.stderr
    (tmp_path / "x.pdf").write_text("x")
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "x.pdf"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "unsupported report type '.pdf'" in r.stderr
