"""Property-based tests for the inputs the red-team pass broke: ``--places`` files,
``resolve --jsonl`` lines, ``embed`` input, ``gazetteer import`` rows and the draft →
build round trip. Whatever the input, only the project's own errors come out, and what
comes out is valid."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conflictmap as cm
from conflictmap.cli import main
from conflictmap.corrections import load_corrections
from conflictmap.embed import read_description
from conflictmap.errors import ConflictMapError, InputError
from conflictmap.extract.text import parse_html
from conflictmap.gazetteer.imports import csv_rows, geonames_rows

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
ANY_TEXT = st.text(max_size=120)  # lone surrogates included
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
NUMBERS = st.one_of(st.integers(), st.integers(min_value=10**30, max_value=10**60),
                    st.floats(allow_nan=True, allow_infinity=True))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["type", "features", "properties", "geometry", "name",
                                     "coordinates", "alt", "summary", "sources", "near",
                                     "country", "text", "outlet"]), inner, max_size=5)),
    max_leaves=20)


def _dump(value) -> str:
    try:
        return json.dumps(value, allow_nan=True)
    except (ValueError, TypeError):
        return "null"


@FAST
@given(DOCS, st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", None]))
def test_places_geojson_of_any_shape(doc, kind) -> None:
    feature = {"type": "Feature", "properties": doc,
               "geometry": {"type": kind, "coordinates": doc} if kind else doc}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.geojson"
        path.write_text(_dump({"type": "FeatureCollection", "features": [feature]}))
        try:
            fixes = load_corrections(path)
        except InputError as exc:
            assert str(exc).startswith(str(path))
            return
        for place in fixes.values():
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


@FAST
@given(st.lists(st.lists(st.one_of(TEXT, NUMBERS.map(str)), min_size=0, max_size=6),
                max_size=5))
def test_places_csv_with_any_cells(rows) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "places.csv"
        body = "\n".join(",".join(json.dumps(c) for c in row) for row in rows)
        path.write_text("name,lat,lon,wkt\n" + body + "\n", encoding="utf-8")
        with contextlib.suppress(InputError):
            for place in load_corrections(path).values():
                assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(DOCS.map(_dump), TEXT.filter(lambda t: "\n" not in t and "\r" not in t)),
                min_size=1, max_size=6))
def test_every_jsonl_line_gets_one_json_object(lines) -> None:
    r = CliRunner().invoke(main, ["resolve", "--jsonl"], input="\n".join(lines) + "\n")
    assert r.exit_code == 0, (r.output, r.exception)
    answered = [json.loads(x) for x in r.stdout.splitlines()]
    asked = [x for x in "\n".join(lines).split("\n") if x.strip()]
    assert len(answered) == len(asked)
    assert all(isinstance(a, dict) and a.get("status") in ("resolved", "ambiguous",
                                                            "unresolved", "error")
               for a in answered)


@FAST
@given(st.one_of(DOCS.map(_dump), ANY_TEXT))
def test_embed_takes_any_description_block(block) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "m.html"
        page.write_text('<html><script type="application/json" id="cm-description">'
                        f"{block}</script></html>", encoding="utf-8", errors="surrogatepass")
        try:
            info = read_description(page)
        except InputError:
            return
        assert isinstance(info["alt"], str) and all(isinstance(x, str) for x in info["summary"])


@FAST
@given(st.lists(st.lists(st.one_of(TEXT, NUMBERS.map(str)), max_size=20), max_size=4),
       st.sampled_from(["tsv", "csv"]))
def test_import_rows_of_any_content(rows, kind) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "tsv":
            path = Path(tmp) / "dump.txt"
            path.write_text("\n".join("\t".join(c.replace("\t", " ").replace("\n", " ")
                                                for c in row) for row in rows) + "\n")
            reader = geonames_rows
        else:
            path = Path(tmp) / "mine.csv"
            path.write_text("name,lat,lon,geonameid,population,uncertainty_km,country\n"
                            + "\n".join(",".join(json.dumps(c) for c in row) for row in rows)
                            + "\n")
            reader = csv_rows
        try:
            for row in reader(path, "test"):
                assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180
                assert row.geonameid is None or 0 <= row.geonameid < 10**10
                assert 0 <= row.population <= 10**10
        except InputError as exc:
            assert str(exc).startswith(str(path))


PLACES = ["Idlib", "Aleppo", "Saraqib", "Afrin", "Kafr Nabl", "Darat Izza", "Maarrat al-Nu'man",
          "Donetsk", "Bakhmut", "Khartoum", "El Fasher", "Mosul"]
WORDS = ["took control of", "captured", "withdrew from", "besieged", "shelled", "advanced on",
         "moved from", "to", "near", "30 km west of", "held by", "and", "in", "the", "forces",
         "rebels", "government troops", "on Monday", "yesterday", ",", ";", ".", "\n\n",
         '"', "'", ":", "#", "-", "&", "<b>", "{{x}}", "«", "—", "%"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PLACES + WORDS), min_size=3, max_size=60),
       st.text(max_size=600), st.text(max_size=200))
def test_a_draft_always_loads_as_the_report_it_describes(words, title, url) -> None:
    text = " ".join(words)
    html = (f'<html><head><meta property="og:title" content="{title}">'
            f'<meta property="og:url" content="https://example.org/{url}"></head>'
            f"<body><p>{text}</p></body></html>")
    analysis = cm.extract(parse_html(html, "report.html"))
    try:
        direct = analysis.to_report()
    except InputError as exc:
        assert not analysis.claims and "no claim to draft" in str(exc)
        return
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.yaml"
        analysis.save_draft(draft)
        try:
            loaded = cm.load(draft)
        except ConflictMapError as exc:  # a draft that does not load is the bug
            raise AssertionError(f"the draft does not load: {exc}") from None
    assert [(c.id, c.kind, c.summary, c.actors, [r.name for r in c.place_refs])
            for c in loaded.claims] == [(c.id, c.kind, c.summary, c.actors,
                                         [r.name for r in c.place_refs]) for c in direct.claims]
    assert loaded.source == direct.source
