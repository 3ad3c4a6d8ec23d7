"""`conflictmap evaluate` (issue 3, point 8) on a small corpus of our own."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.evaluate import Gold, Scores, covers, evaluate, read_corpus
from conflictmap.model import Feature, Place

CORPUS = Path(__file__).parent / "data" / "mini-corpus.xml"


def test_reads_articles_and_skips_toponyms_without_gold() -> None:
    articles = read_corpus(CORPUS)
    assert [len(a.toponyms) for a in articles] == [4, 2]
    first = articles[0]
    for t in first.toponyms:
        assert first.text[t.start:t.end] == t.phrase


def test_scores(gazetteer) -> None:
    scores = evaluate(read_corpus(CORPUS), gazetteer)
    s = scores.summary()
    assert s["toponyms"] == 6
    assert s["coverage"] == round(5 / 6, 3)  # the made-up town is not found
    assert s["exact_id"] == round(5 / 6, 3)
    assert s["within_161km"] == round(5 / 6, 3)
    assert set(scores.features()) == {"PPL", "PPLA", "PCLI", "ADM1"}


def test_cli_table_and_json() -> None:
    result = CliRunner().invoke(main, ["evaluate", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "mini-corpus.xml: 2 articles, 6 toponyms" in result.output
    assert result.output.splitlines()[2].split()[:5] == ["all", "6", "83.3%", "83.3%", "83.3%"]
    data = json.loads(CliRunner().invoke(main, ["evaluate", "--json", str(CORPUS)]).output)
    assert data["by_feature"]["ADM1"]["exact_id"] == 1.0


def test_bad_corpus_is_an_input_error(tmp_path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>\n<text>x</text>\n</articl>", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(bad)])
    assert result.exit_code == 2
    assert "bad.xml:3: not a corpus XML file" in result.output


def test_resolved_answers_wrong_are_counted_both_ways() -> None:
    # a country answered at its own point, 600 km from the point a corpus gives for it
    # (no GeoNames id): wrong as the right entity, right as an area around the gold point
    scores = Scores()
    scores.add("PCLI", 600.0, False, inside=True, status="resolved", probability=0.99)
    scores.add("PPL", 2.0, False, inside=False, status="resolved", probability=0.99)
    scores.add("PPL", 900.0, False, inside=False, status="resolved", probability=0.99)
    scores.add("PPL", None, False, status="unresolved", probability=0.1)
    got = scores.resolved()
    assert got == {"resolved_share": 0.75, "resolved_wrong": 0.667,
                   "resolved_wrong_outside": 0.333}


def test_an_area_covers_a_gold_point_by_its_outline_or_else_its_radius() -> None:
    gold = Gold("Kenya", 0, 5, 0.0, 38.0, None, "PCLI")  # a corpus's point for the country
    square = "POLYGON ((33 -5, 42 -5, 42 5, 33 5, 33 -5))"
    country = Place(key="k", name="Kenya", lat=1.0, lon=34.0, feature=Feature.AREA, kind="country",
                    uncertainty_km=100.0)
    assert not covers(country, gold)  # 450 km away, past its radius, and no outline
    assert covers(Place(key="k", name="Kenya", lat=1.0, lon=34.0, feature=Feature.AREA,
                        uncertainty_km=500.0), gold)
    outlined = Place(key="k", name="Kenya", lat=1.0, lon=34.0, feature=Feature.AREA,
                     uncertainty_km=100.0, geometry_wkt=square)
    assert covers(outlined, gold)  # the outline decides where there is one
    assert not covers(Place(key="t", name="Nairobi", lat=-1.3, lon=36.8), gold)  # a point
