"""`conflictmap evaluate` (issue 3, point 8) on a small corpus of our own."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.evaluate import evaluate, read_corpus

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
