"""The learned sequence recogniser (issue 26, item 3): a CRF over each sentence's tokens,
trained on the development corpora, sets aside candidates it reads as no place name and
keeps names the gazetteer lacks. Tested with the real python-crfsuite: a small model fitted
here on sentences of our own, and the shipped model."""

from __future__ import annotations

import pycrfsuite
import pytest

from conflictmap.extract import LEARNED_CUE, extract
from conflictmap.extract.names import tokens
from conflictmap.extract.sequence import (
    MODEL_FILE,
    SEQUENCES,
    SequenceModel,
    get_sequence_model,
    sentence_features,
    using_sequence,
)
from conflictmap.resources import geodata_dir

#: sentences of our own, labelled by hand: a person "Bell" said things, places after
#: "in", "near" and "to" are places whether the gazetteer knows them or not
TRAINING = [
    ("Bell said the talks would go on.", {"Bell": "O"}),
    ("Bell and his brother ran the garage.", {"Bell": "O"}),
    ("Officials in Qqorvik said the road was closed.", {"Qqorvik": "B"}),
    ("Fighting was reported near Zzelmar on Monday.", {"Zzelmar": "B"}),
    ("Troops moved to Vvantor after dawn.", {"Vvantor": "B"}),
    ("Residents of Xxalbe fled the shelling.", {"Xxalbe": "B"}),
    ("Bell and his sister kept the farm.", {"Bell": "O"}),
    ("Officials in Wwostra said the bridge was open.", {"Wwostra": "B"}),
]


def _fit(path) -> SequenceModel:  # noqa: ANN001
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence, marked in TRAINING:
        toks = tokens(sentence)
        feats = sentence_features(toks, frozenset(), frozenset(), frozenset(), sentence)
        labels = [marked.get(sentence[t.start:t.end], "O") for t in toks]
        trainer.append(feats, labels)
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 200})
    trainer.train(str(path))
    return SequenceModel(path)


def test_the_extractor_records_each_sentences_token_features(gazetteer) -> None:
    text = "Rebels advanced towards Sake on Saturday. Bell said the army had retaken Kitshanga.\n"
    rec: list = []
    SEQUENCES.append(rec)
    try:
        with using_sequence(None):
            extract(text, gazetteer)
    finally:
        SEQUENCES.pop()
    assert len(rec) == 2
    (s0, s1), spans, feats = rec[0]
    assert text[s0:s1].startswith("Rebels") and len(spans) == len(feats) == 6
    sake = [text[a:b] for a, b in spans].index("Sake")
    assert "gB" in feats[sake] and "w-1:towards" in feats[sake]


def test_a_fitted_model_sets_aside_a_person_and_keeps_an_unknown_place(gazetteer, tmp_path) -> None:
    """"Bell" is a place in the gazetteer and the rules keep it, but the model reads it as
    a person before "and his"; "Yyomba" is in no gazetteer and no rule's cue marks it ("in
    X" alone is none), but the model reads it as a place after "officials in"."""
    model = _fit(tmp_path / "small.crfsuite")
    text = "Bell and his cousin said officials in Yyomba had closed the road.\n"
    with using_sequence(None):
        rules = extract(text, gazetteer)
    with using_sequence(model):
        learned = extract(text, gazetteer)
    assert [m.text for m in rules.mentions] == ["Bell"]
    found = {m.text: m for m in learned.mentions}
    assert list(found) == ["Yyomba"]
    assert found["Yyomba"].cue == LEARNED_CUE and not found["Yyomba"].resolution.located
    assert "not in the offline gazetteer" in found["Yyomba"].resolution.reason
    assert "recogniser gives" in {m.text: m.why for m in learned.rejected}["Bell"]


def test_the_shipped_model_is_small_and_loads() -> None:
    path = geodata_dir() / "models" / MODEL_FILE
    if not path.is_file():
        pytest.skip("no sequence model shipped")
    assert path.stat().st_size < 5_000_000
    model = get_sequence_model()
    assert model is not None
    toks = tokens("Shelling hit Qqarville on Monday.")
    labels, place = model.place_probabilities(
        sentence_features(toks, frozenset(), frozenset(), frozenset()))
    assert len(labels) == len(place) == len(toks) and all(0.0 <= p <= 1.0 for p in place)
