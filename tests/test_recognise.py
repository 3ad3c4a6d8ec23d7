"""The learned recogniser (issue 26, item 3): the rules' judgements are its features, and it
only keeps or sets aside a candidate name."""

from __future__ import annotations

from conflictmap.extract import extract
from conflictmap.extract.recognise import FEATURES, RECORD, Recogniser, get_recogniser, using

TEXT = ("Goma, 2 March 2024. Rebels advanced towards Sake, west of Goma, on Saturday. Smith "
        "said the army had retaken Kitshanga in North Kivu province.\n")


def _names(analysis) -> list[str]:  # noqa: ANN001
    return [m.text for m in analysis.mentions]


def test_every_candidate_is_described_by_the_named_features(gazetteer) -> None:
    rec: list = []
    RECORD.append(rec)
    try:
        with using(None):
            extract(TEXT, gazetteer)
    finally:
        RECORD.pop()
    assert rec and all(len(x) == len(FEATURES) for _, _, x in rec)
    keep = {TEXT[a:b]: x[FEATURES.index("rules_keep")] for a, b, x in rec}
    assert keep["Sake"] == 1.0 and keep["Kitshanga"] == 1.0


def test_a_model_that_follows_the_rules_decides_as_they_do(gazetteer) -> None:
    with using(None):
        rules = _names(extract(TEXT, gazetteer))
    same = Recogniser({"bias": -3.0, "rules_keep": 6.0}, 0.5)
    with using(same):
        assert _names(extract(TEXT, gazetteer)) == rules


def test_a_name_the_model_sets_aside_says_so(gazetteer) -> None:
    none = Recogniser({"bias": -10.0}, 0.5)
    with using(none):
        a = extract(TEXT, gazetteer)
    assert a.mentions == []
    assert any("recogniser gives" in m.why for m in a.rejected)


def test_the_shipped_model_knows_every_feature() -> None:
    model = get_recogniser()
    assert model is None or set(model.weights) == set(FEATURES)
