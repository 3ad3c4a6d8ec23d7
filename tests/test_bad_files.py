"""A corpus of bad input files (tests/data/bad): each gives exactly one clear message
naming the file, the line (and column where known), what was found and what was
expected, exit code 2, no traceback, and leaves an existing map untouched."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictmap.cli import main

BAD = Path(__file__).parent / "data" / "bad"
BAD_CONTROL = Path(__file__).parent / "data" / "bad-control"


def _expected(folder: Path) -> list[list[str]]:
    return [row for row in csv.reader(
        (line for line in (folder / "EXPECTED.tsv").read_text("utf-8").splitlines()
         if not line.startswith("#")), delimiter="\t")][1:]


EXPECTED = _expected(BAD)
EXPECTED_CONTROL = _expected(BAD_CONTROL)


def test_the_corpus_covers_every_file_and_is_large() -> None:
    listed = {name for name, _ in EXPECTED}
    on_disk = {p.name for p in BAD.iterdir()} - {"EXPECTED.tsv"}
    assert listed == on_disk
    assert len(listed) >= 30
    kinds = {name.split("-")[0] for name in listed}
    assert {"yaml", "csv", "geojson"} <= kinds


@pytest.mark.parametrize("name,message", EXPECTED, ids=[n for n, _ in EXPECTED])
def test_bad_file_gives_one_clear_message(tmp_path, name, message) -> None:
    out = tmp_path / "map.html"
    out.write_text("the last good map\n")
    path = BAD / name
    r = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
    assert r.exit_code == 2
    assert r.stderr == f"conflictmap: error: {path}{message}\n"
    assert r.stdout == "" and "Traceback" not in r.output
    assert out.read_text() == "the last good map\n"


def test_the_control_corpus_covers_every_file_and_format() -> None:
    listed = {name for name, _ in EXPECTED_CONTROL}
    assert listed == {p.name for p in BAD_CONTROL.iterdir()} - {"EXPECTED.tsv"}
    assert len(listed) >= 25
    assert {n.split("-")[0] for n in listed} == {"geojson", "kml", "kmz", "gpkg", "yaml"}


@pytest.mark.parametrize("name,message", EXPECTED_CONTROL, ids=[n for n, _ in EXPECTED_CONTROL])
def test_bad_control_layer_gives_one_clear_message(tmp_path, name, message) -> None:
    """Given with a good claims file, a bad control layer stops the build with its own
    message; the last good map stays."""
    out = tmp_path / "map.html"
    out.write_text("the last good map\n")
    path = BAD_CONTROL / name
    good = Path(__file__).parent / "data" / "control" / "invented-claims.yaml"
    r = CliRunner().invoke(main, ["build", str(good), str(path), "-o", str(out)])
    assert r.exit_code == 2
    assert r.stderr == f"conflictmap: error: {path}{message}\n"
    assert r.stdout == "" and "Traceback" not in r.output
    assert out.read_text() == "the last good map\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_messages_name_a_line_wherever_the_file_has_one() -> None:
    without = [n for n, m in EXPECTED if not m.startswith(":")]
    # only whole-file problems have no line: empty, binary, wrong suffix, too deep to parse
    assert set(without) <= {"empty.yaml", "whitespace-only.csv", "binary.csv", "wrong-suffix.txt",
                            "yaml-deep-nesting.yaml"}


def test_missing_input_file(tmp_path) -> None:
    r = CliRunner().invoke(main, ["build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 2
    assert r.stderr == f"conflictmap: error: {tmp_path / 'nope.yaml'}: file not found\n"


def test_a_directory_as_input(tmp_path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    r = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 2 and "is a directory, expected a file" in r.stderr


def test_unknown_places_do_not_stop_a_build(tmp_path) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text("name,kind\nAfrin,control\nQqzx Nowhere,captured\nZzqy Elsewhere,retreat\n")
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 0 and "1 of 3 claims mapped" in r.stdout
    assert "not located: Qqzx Nowhere (claim row-3): no gazetteer entry matches" in r.stderr
    assert "not located: Zzqy Elsewhere (claim row-4)" in r.stderr
