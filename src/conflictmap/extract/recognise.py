"""Whether a candidate name is a place name: a learned decision over the rules' signals.

The extractor finds candidates (every gazetteer name, names marked by a cue, runs in another
spelling) and the rules judge each: a person's name or a common word, an acronym, a small
place abroad, a far namesake, a river or mountain. Those judgements, and the shape of the name
and its answer, are the features of a logistic model (:data:`FEATURES`) fitted by
``scripts/train_recogniser.py`` on the development corpora (seed 0, folds by article). The
model ships as ``geodata/models/recogniser.json``; with no model file the rules decide alone.

The model only keeps or sets aside a candidate; what a kept name stands for (location, area,
actor) is still decided by :mod:`conflictmap.extract.roles`.

>>> r = get_recogniser()
>>> r is None or set(r.weights) == set(FEATURES)
True
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from conflictmap.extract.roles import Mention
from conflictmap.gazetteer.countries import country_words
from conflictmap.model import Status
from conflictmap.resources import geodata_dir

#: The features, by name; each is 0/1 unless said.
FEATURES = (
    "bias",
    "rules_keep",  # what the rules decide
    "person", "common_word", "sentence_start_variant",  # why the rules would set it aside
    "acronym", "small_abroad", "far_namesake", "water",
    "cued", "named_again", "spelled",  # how it was found
    "resolved", "ambiguous", "unresolved",
    "probability",  # the ranker's probability of its answer (0..1; 0 when none)
    "variant_match", "fuzzy_match",
    "country", "first_level", "populated_place", "other_kind",
    "population",  # log10(population + 1) / 7
    "words_2_plus", "all_caps", "sentence_start", "in_title",
    "preposition_before", "possessive_after", "demonym", "capital_name", "area_phrase",
)
INDEX = {f: i for i, f in enumerate(FEATURES)}
_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "into", "of", "across", "outside",
                           "around", "towards", "toward", "inside", "through"})


@dataclass(frozen=True)
class Signals:
    """What the rules said about a candidate."""

    rules_keep: bool
    why: str = ""  #: the reason the rules set it aside ("" when kept)
    acronym: bool = False
    small_abroad: bool = False
    far: bool = False
    water: bool = False


def features(m: Mention, toks: Sequence, text: str, s: Signals) -> list[float]:
    """The feature vector of a candidate (in the order of :data:`FEATURES`)."""
    x = [0.0] * len(FEATURES)

    def put(name: str, value: float = 1.0) -> None:
        x[INDEX[name]] = value

    put("bias")
    put("rules_keep", float(s.rules_keep))
    why = s.why.lower()
    put("person", float("person" in why))
    put("common_word", float("common word" in why))
    put("sentence_start_variant", float("first word of a sentence" in why))
    put("acronym", float(s.acronym))
    put("small_abroad", float(s.small_abroad))
    put("far_namesake", float(s.far))
    put("water", float(s.water))
    put("cued", float(bool(m.cue)))
    put("named_again", float(m.cue.startswith("named as a place elsewhere")))
    put("spelled", float(m.spelled))
    r = m.resolution
    status = r.status if r is not None else Status.UNRESOLVED
    put("resolved", float(status is Status.RESOLVED))
    put("ambiguous", float(status is Status.AMBIGUOUS))
    put("unresolved", float(status is Status.UNRESOLVED))
    put("probability", float(r.probability or 0.0) if r is not None else 0.0)
    put("variant_match", float(r is not None and r.match == "variant"))
    put("fuzzy_match", float(r is not None and r.match == "fuzzy"))
    p = r.place if r is not None else None
    kind = p.kind if p is not None else ""
    put("country", float(kind == "country"))
    put("first_level", float(kind == "first-level area"))
    put("populated_place", float(kind == "populated place"))
    put("other_kind", float(bool(kind) and kind not in ("country", "first-level area",
                                                          "populated place")))
    put("population", math.log10((p.population if p is not None else 0) + 1) / 7)
    put("words_2_plus", float(len(m.key.split()) > 1))
    word = text[m.start:m.end]
    put("all_caps", float(word.isupper() and len(word) > 1))
    first = toks[m.first] if 0 <= m.first < len(toks) else None
    put("sentence_start", float(bool(first is not None and first.sentence_start)))
    put("in_title", float(m.in_title))
    before = toks[m.first - 1].key if m.first >= 1 and m.first - 1 < len(toks) else ""
    put("preposition_before", float(before in _PREPOSITIONS))
    put("possessive_after", float(text[m.end:m.end + 2] in ("'s", "’s")))
    words = country_words()
    put("demonym", float(m.key in words.demonyms))
    put("capital_name", float(m.key in words.capitals))
    put("area_phrase", float(bool(m.area)))
    return x


@dataclass(frozen=True)
class Recogniser:
    """A logistic model over :data:`FEATURES` and the probability from which a candidate is
    kept."""

    weights: dict[str, float]
    keep_from: float = 0.5
    meta: dict | None = None

    def probability(self, x: Sequence[float]) -> float:
        z = math.fsum(self.weights.get(f, 0.0) * v for f, v in zip(FEATURES, x, strict=True) if v)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, x: Sequence[float]) -> tuple[bool, float]:
        p = self.probability(x)
        return p >= self.keep_from, p

    @classmethod
    def from_dict(cls, data: dict) -> Recogniser:
        return cls({str(k): float(v) for k, v in data["weights"].items()},
                   float(data["keep_from"]), data)


@functools.lru_cache(maxsize=1)
def _shipped() -> Recogniser | None:
    path = geodata_dir() / "models" / "recogniser.json"
    if not path.is_file():
        return None
    return Recogniser.from_dict(json.loads(path.read_text("utf-8")))


_ACTIVE: list[Recogniser | None | str] = ["shipped"]


def get_recogniser() -> Recogniser | None:
    """The recogniser in use: the shipped model, or one set by :func:`using`; None when the
    rules decide alone."""
    active = _ACTIVE[-1]
    return _shipped() if active == "shipped" else active  # type: ignore[return-value]


@contextmanager
def using(recogniser: Recogniser | None) -> Iterator[None]:
    """Extract with ``recogniser`` (None: the rules alone) inside the block (the training
    script's folds)."""
    _ACTIVE.append(recogniser)
    try:
        yield
    finally:
        _ACTIVE.pop()


#: When set (a list), the extractor appends (start, end, features) for each candidate.
RECORD: list[list] = []
