"""Place names found by their context: a linear-chain CRF over each sentence's tokens.

The rules find candidates by the gazetteer and by cue words; they cannot see that "Scott"
after "said" is a person or that "Mart" is part of "Wal-Mart". A conditional random field
(python-crfsuite) labels every token of a sentence B (first word of a place name), I (a
later word) or O, from the words around it, their shapes and what the rules found there
(a gazetteer name, a name marked by a cue). It is trained by
``scripts/train_sequence.py`` on the development corpora's gold spans (folds shuffled with
seed 0; L-BFGS is deterministic) and ships as ``geodata/models/sequence.crfsuite``, with its thresholds and
cross-validated scores in ``sequence.json``; without the file the rules decide alone.

The extractor uses the labels twice (:func:`conflictmap.extract.find_mentions`):

* a candidate the model labels O with a probability of at least ``veto_from`` (by default
  :data:`VETO_FROM`) is set aside, with the probability as its reason, when the model has
  weights for each of its words (of a name it never saw it knows only the context);
* a capitalised run the model labels a place with a probability of at least ``add_from``
  (:data:`ADD_FROM`), where the rules found nothing, is kept as an unresolved mention
  ("not in the offline gazetteer"), so that an analyst can place it.

>>> from conflictmap.extract.names import tokens
>>> t = "Fighting was reported near Qqarville on Monday."
>>> f = sentence_features(tokens(t), frozenset(), frozenset(), frozenset())
>>> [x for x in f[4] if x.startswith(("w:", "w-1:", "sh:"))]
['w:qqarville', 'sh:Xx', 'w-1:near']
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from conflictmap.extract.names import Token
from conflictmap.resources import geodata_dir

#: A candidate is set aside when the model gives O at least this probability on each of
#: its words (the default; the shipped model carries the value chosen by cross-validation).
VETO_FROM = 0.9
#: A run the rules did not find is kept when the model gives it a place label at least
#: this probability on each of its words.
ADD_FROM = 0.7
MODEL_FILE = "sequence.crfsuite"


def sentence_features(toks: Sequence[Token], known: frozenset[int], starts: frozenset[int],
                      cued: frozenset[int], text: str = "") -> list[list[str]]:
    """The features of each token: its word, shape and suffix, the words around it, and
    what the rules found there (``known``: token indices in a gazetteer name, ``starts``:
    the first token of each, ``cued``: tokens of a name marked by a cue)."""
    n = len(toks)
    words = [t.key or "<art>" for t in toks]
    shapes = []
    for t in toks:
        s = "Xx" if t.upper else "x"
        if t.caps:
            s = "X"
        elif text and t.upper and "-" in text[t.start:t.end]:
            s = "Xx-"
        elif not t.key:
            s = "art"
        elif t.key.isdigit():
            s = "d"
        shapes.append(s)
    out = []
    for i, t in enumerate(toks):
        w = words[i]
        f = [f"w:{w}", f"sh:{shapes[i]}", f"suf:{w[-3:]}"]
        if t.sentence_start:
            f.append("ss")
        if not t.joined:
            f.append("gap")  # punctuation before it
        if i in known:
            f.append("gB" if i in starts else "gI")
        if i in cued:
            f.append("cue")
        if i > 0:
            f += [f"w-1:{words[i - 1]}", f"sh-1:{shapes[i - 1]}"]
            if i - 1 in known:
                f.append("g-1")
            if i > 1:
                f.append(f"w-2:{words[i - 2]}")
        else:
            f.append("BOS")
        if i + 1 < n:
            f += [f"w+1:{words[i + 1]}", f"sh+1:{shapes[i + 1]}"]
            if toks[i + 1].joined:
                f.append("j+1")
            if i + 1 in known:
                f.append("g+1")
            if i + 2 < n:
                f.append(f"w+2:{words[i + 2]}")
        else:
            f.append("EOS")
        out.append(f)
    return out


class SequenceModel:
    """A trained CRF: per token, the probability that it is in a place name."""

    def __init__(self, path: Path, veto_from: float = VETO_FROM, add_from: float = ADD_FROM,
                 meta: dict | None = None) -> None:
        import pycrfsuite  # imported here: only when a model is used

        self.path = path
        self.veto_from, self.add_from = veto_from, add_from
        self.meta = meta or {}  #: what it was trained on and its cross-validated scores
        #: the words the model has weights for: it sets aside only names of these words (of
        #: a name it has never seen it knows only the context, which news and conflict
        #: reports write differently)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.words = frozenset(a[2:] for a, _ in self._tagger.info().state_features
                               if a.startswith("w:"))

    def place_probabilities(self, features: list[list[str]]) -> tuple[list[str], list[float]]:
        """The best labels and each token's probability of being in a place name."""
        if not features:
            return [], []
        tagger = self._tagger
        tagger.set(features)
        labels = tagger.tag()
        return labels, [1.0 - tagger.marginal("O", i) for i in range(len(features))]


@functools.lru_cache(maxsize=1)
def _shipped() -> SequenceModel | None:
    path = geodata_dir() / "models" / MODEL_FILE
    if not path.is_file():
        return None
    sidecar = path.with_suffix(".json")
    meta = json.loads(sidecar.read_text("utf-8")) if sidecar.is_file() else {}
    return SequenceModel(path, float(meta.get("veto_from", VETO_FROM)),
                         float(meta.get("add_from", ADD_FROM)), meta)


_ACTIVE: list[SequenceModel | None | str] = ["shipped"]


def get_sequence_model() -> SequenceModel | None:
    """The model in use: the shipped one, or one set by :func:`using_sequence`."""
    active = _ACTIVE[-1]
    return _shipped() if active == "shipped" else active  # type: ignore[return-value]


@contextmanager
def using_sequence(model: SequenceModel | None) -> Iterator[None]:
    """Extract with ``model`` (None: the rules alone) inside the block."""
    _ACTIVE.append(model)
    try:
        yield
    finally:
        _ACTIVE.pop()


#: When set (a list), the extractor appends (sentence span, token spans, features) per sentence.
SEQUENCES: list[list] = []


def runs(labels: Sequence[str], probabilities: Sequence[float], toks: Sequence[Token],
         threshold: float) -> Iterator[tuple[int, int]]:
    """The runs of tokens labelled a place (B, then I), capitalised, each word at least
    ``threshold`` likely: as (first, last) token indices."""
    i, n = 0, len(labels)
    while i < n:
        if labels[i] == "O" or not toks[i].upper:
            i += 1
            continue
        j = i
        while j + 1 < n and labels[j + 1] == "I" and toks[j + 1].joined:
            j += 1
        if all(p >= threshold for p in probabilities[i:j + 1]):
            yield i, j
        i = j + 1
