"""The command line, in-process, with exact exit codes and output."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conflictmap.cli import main

from .conftest import BUNDLED


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_resolve_json_in_query_order() -> None:
    r = run("resolve", "--json", "--country", "SY", "Idleb", "Darat Izza", "Nowhere Qqzx")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert [o["query"] for o in out] == ["Idleb", "Darat Izza", "Nowhere Qqzx"]
    assert out[0]["name"] == "Idlib" and out[1]["geonameid"] == 170857
    assert out[2]["status"] == "unresolved" and out[2]["lat"] is None and out[2]["reason"]


def test_resolve_text_shows_uncertainty() -> None:
    r = run("resolve", "Sheikh Aqil")
    assert r.exit_code == 0
    assert "Sheikh Aqil: resolved -> Sheikh Aqil (36.28000, 36.96500) ±4 km" in r.stdout


def test_resolve_rejects_bad_country() -> None:
    r = CliRunner().invoke(main, ["resolve", "--country", "Syria", "Idlib"])
    assert r.exit_code == 2 and "two-letter ISO code" in r.output


def test_build_bundled_report(tmp_path) -> None:
    out = tmp_path / "idlib.html"
    r = run("build", str(BUNDLED), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"wrote {out}: 8 of 8 claims mapped,")
    assert out.stat().st_size > 100_000


def test_build_bad_input_exits_2_and_keeps_existing_map(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("report: {title: t}\nclaims:\n  - {id: a, kind: nuked, place: X, summary: s}\n",
                   encoding="utf-8")
    out = tmp_path / "map.html"
    out.write_text("previous map", encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(bad), "-o", str(out)])
    assert r.exit_code == 2
    assert r.stderr.startswith(f"conflictmap: error: {bad}:3:")
    assert "unknown claim kind 'nuked'" in r.stderr
    assert "Traceback" not in r.output
    assert out.read_text(encoding="utf-8") == "previous map"


def test_build_lists_unknown_places_and_maps_the_rest(tmp_path) -> None:
    src = tmp_path / "list.csv"
    src.write_text("name,kind\nDarat Izza,target\nQqzx Nowhere,captured\n", encoding="utf-8")
    r = run("build", str(src), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 0
    assert "1 of 2 claims mapped" in r.stdout
    assert "not located: Qqzx Nowhere (claim row-3)" in r.stderr


def test_build_unsupported_output_suffix(tmp_path) -> None:
    r = CliRunner().invoke(main, ["build", str(BUNDLED), "-o", str(tmp_path / "m.docx")])
    assert r.exit_code == 2 and "unsupported output type '.docx'" in r.stderr
    assert ".html, .htm, .png, .pdf, .geojson, .gpkg, .csv" in r.stderr
    assert not (tmp_path / "m.docx").exists()


def test_resolve_near_and_within_hints() -> None:
    near = json.loads(run("resolve", "--json", "--near", "35.9,36.6", "Ariha").stdout)[0]
    assert near["lat"] == 35.81374 and "near 35.90,36.60" in near["reason"]
    box = json.loads(run("resolve", "--json", "--within", "35,31,36,32.5", "Ariha").stdout)[0]
    assert box["name"] == "Jericho"  # the Arabic name of Jericho, inside the box given
    bad = CliRunner().invoke(main, ["resolve", "--near", "35.9", "Ariha"])
    assert bad.exit_code == 2 and "expected 2 comma-separated numbers" in bad.output


def test_resolve_jsonl_batch_keeps_order_and_reports_bad_lines() -> None:
    lines = ('{"name": "Ariha", "country": "SY"}\n'
             'not json\n'
             '{"name": "Idleb"}\n'
             '{"name": "Ariha", "near": [31.87, 35.44]}\n')
    r = CliRunner().invoke(main, ["resolve", "--jsonl"], input=lines)
    assert r.exit_code == 0
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o.get("query") for o in out] == ["Ariha", None, "Idleb", "Ariha"]
    assert out[0]["lat"] == 35.81374 and out[1] == {"line": 2, "status": "error",
                                                     "reason": out[1]["reason"]}
    assert out[2]["name"] == "Idlib" and out[3]["name"] == "Jericho"


def test_resolve_jsonl_text_is_context_and_fields_match_json() -> None:
    lines = ('{"name": "Paris", "text": "Storms hit Dallas and Fort Worth, then Sherman, Texas."}\n'
             '{"name": "Paris"}\n'
             '{"name": "Paris", "text": 5}\n')
    r = CliRunner().invoke(main, ["resolve", "--jsonl"], input=lines)
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert out[0]["lat"] < 34 and out[0]["lon"] < -95  # Paris, Texas
    assert out[1]["lon"] > 0  # Paris, France
    assert out[2]["status"] == "error" and "'text' must be a string" in out[2]["reason"]
    single = json.loads(CliRunner().invoke(main, ["resolve", "--json", "Paris"]).stdout)[0]
    assert set(out[1]) == set(single)


def test_index_progress_bar_on_a_terminal_and_plain_lines_otherwise() -> None:
    import io
    import logging

    from conflictmap.progress import Progress, TerminalHandler

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, plain = Tty(), io.StringIO()
    for stream in (tty, plain):
        logger = logging.getLogger(f"conflictmap-test-{id(stream)}")
        logger.setLevel(logging.INFO)
        logger.addHandler(TerminalHandler(stream))
        bar = Progress(True, logger)
        for done in range(0, 101, 10):
            bar.update(done, 100, "places read")
    assert "\r  [##########...............]  40% places read" in tty.getvalue()
    assert tty.getvalue().endswith("100% places read\n")
    assert plain.getvalue().splitlines() == ["    0% places read", "   30% places read",
                                             "   50% places read", "   80% places read",
                                             "  100% places read"]
    silent = io.StringIO()
    quiet = logging.getLogger("conflictmap-test-silent")
    quiet.addHandler(TerminalHandler(silent))
    Progress(False, quiet).update(5, 10, "x")
    assert silent.getvalue() == ""


def test_resolve_needs_names_or_jsonl() -> None:
    r = CliRunner().invoke(main, ["resolve"])
    assert r.exit_code == 2 and "give NAMES, or --jsonl" in r.output
