"""Property-based tests: whatever the text, name normalisation and the loaders raise
nothing but the project's own errors."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictmap.claims import load_report
from conflictmap.corrections import load_corrections
from conflictmap.errors import ConflictMapError, InputError
from conflictmap.extract.names import tokens
from conflictmap.extract.text import parse_html, parse_text
from conflictmap.gazetteer.names import loose_key, normalise

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(TEXT)
def test_normalise_is_total_clean_and_stable(text) -> None:
    key = normalise(text)
    assert key == key.strip() and "  " not in key
    assert key == key.casefold() or not key.isascii()
    assert normalise(key) == key  # a key is its own key
    loose = loose_key(text)
    assert isinstance(loose, str) and loose == loose.strip()


@FAST
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'’ʿالإدلب", max_size=40))
def test_same_spelling_same_keys(text) -> None:
    assert normalise(text) == normalise(text.upper().lower())
    assert loose_key(text) == loose_key(text)


@FAST
@given(TEXT)
def test_tokens_cover_the_text_in_order(text) -> None:
    toks = tokens(text)
    assert all(0 <= t.start < t.end <= len(text) for t in toks)
    assert all(a.end <= b.start for a, b in zip(toks, toks[1:], strict=False))


def _load(suffix: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            return load_report(path)
        except InputError as exc:
            assert exc.path == str(path) and str(exc).startswith(str(path))
            return None


@FAST
@given(st.sampled_from([".yaml", ".csv", ".geojson"]), st.binary(max_size=400))
def test_loaders_take_any_bytes(suffix, data) -> None:
    _load(suffix, data)


@FAST
@given(st.sampled_from([".yaml", ".csv", ".geojson"]), TEXT)
def test_loaders_take_any_text(suffix, text) -> None:
    _load(suffix, text.encode("utf-8"))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT,
                    st.dates().map(str))
KEYS = st.sampled_from(["report", "claims", "title", "id", "kind", "place", "name", "lat", "lon",
                        "from", "to", "date", "summary", "actors", "checks", "of", "km",
                        "direction", "said", "near", "border", "precision", "places", "ref",
                        "time_precision", "url", "published", "country", "not_places", "note"])
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)), max_leaves=25)


@FAST
@given(DOCS)
def test_yaml_documents_of_any_shape(doc) -> None:
    _load(".yaml", yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


@FAST
@given(DOCS)
def test_geojson_documents_of_any_shape(doc) -> None:
    wrapped = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": doc if isinstance(doc, dict) else {"x": doc},
         "geometry": doc if isinstance(doc, dict) else None}]}
    try:
        text = json.dumps(wrapped, default=str)
    except ValueError:
        return
    _load(".geojson", text.encode("utf-8"))


@FAST
@given(st.sampled_from([".geojson", ".csv"]), TEXT)
def test_corrections_take_any_text(suffix, text) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"places{suffix}"
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(ConflictMapError):  # only our own errors may escape
            load_corrections(path)


@FAST
@given(TEXT)
def test_report_text_and_html_always_parse(text) -> None:
    doc = parse_text(text)
    assert all(0 <= b.start <= b.end <= len(doc.text) for b in doc.blocks)
    parse_html(f"<html><body><p>{text}</p></body></html>")
