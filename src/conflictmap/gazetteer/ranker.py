"""Which candidate a name means, and how sure that is: a linear model over named features.

Every candidate place of a name is described by the same features (:data:`FEATURES`):
how the name matched, the place's kind and population, and what the document says
around it (its countries, first-level areas, other names nearby, dateline, capitals it
names). A :class:`Ranker` weighs them into a score; the candidates are ranked by it.

Two rankers exist, with one contract:

* ``rules``: the hand-set weights the project used before (:data:`RULE_WEIGHTS`), with
  its margin rule (the winner must lead the first rival more than 8 km away by 0.08);
* ``learned`` (the default): weights fitted on annotated news by
  ``scripts/train_geoparser.py`` and shipped in ``geodata/models/ranker.json``. Its
  scores are the logits of a choice among the candidates and "none of them", so each
  answer has a probability; the thresholds chosen on development data turn it into
  ``resolved`` (right at least 98 % of the time there), ``ambiguous`` or ``unresolved``.

>>> r = get_ranker("rules")
>>> r.weight("kind_country"), r.name
(0.3, 'rules')
>>> get_ranker("learned").name
'learned'
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from conflictmap.errors import InputError
from conflictmap.geography import km
from conflictmap.resources import geodata_dir

#: The features of a candidate, in the order of its vector (see ``rank.features``).
FEATURES: tuple[str, ...] = (
    "match_primary",      # the query is the place's primary name
    "match_alternate",    # ... one of its other names
    "match_variant",      # ... only a loose transliteration variant
    "match_fuzzy",        # ... only a similar spelling
    "fuzzy_similarity",   # how similar, 0 at the cut-off (86 %) to 1
    "trust",              # the source's declared trust (curated entries, user imports)
    "kind_country",       # a country or continent
    "kind_region",        # a named region
    "kind_admin1",        # a first-level area
    "kind_admin2",        # a second-level area
    "kind_other_area",    # another area
    "kind_airport",       # an airport or air base
    "population",         # log10(population + 1) / 7, at most 1
    "town_small",         # a town of under 10,000 people
    "town_unknown",       # a town whose population its source does not give
    "town_large",         # a town of 100,000 or more
    "town_huge",          # a town of a million or more
    "capital_namesake",   # a first-level area named like its country's capital (Washington)
    "capital_of_named",   # the capital of a country the document names
    "national_capital",   # a country's capital
    "capital_among_capitals",  # ... in a document whose other names read as capitals, up to 2, / 2
    "outside_context",    # outside the hinted country or box
    "inside_hint",        # inside the hinted country or box
    "near_focus",         # exp(-km / 150) from the focus point
    "near_home",          # exp(-km / 300) from where the report was filed
    "support",            # other names of the document with a reading within 100 km, / 3
    "support_1",          # ... exactly one such name
    "support_2",          # ... two
    "support_3",          # ... three or more
    "prefer_country",     # the share of the document's clear places in its country
    "prefer_admin1",      # ... in its first-level area
    "capital_echo",       # a small namesake of a great capital, with nothing named around it
    "country_name_other",  # a town bearing a country's name only as another name
    "seat_area",          # an area with a town of the same name inside it (its kind bonus)
    "most_populous",      # the most populous candidate of the name
    "most_populous_in_country",  # ... of those in its country
    "relative_population",  # (log10 of its population - log10 of the largest) / 7, <= 0
    "country_named",      # in a country the document names as a country
    "prefer_country_town",  # prefer_country, for a town (not an area)
    "main_country",       # in the country where most of the document's places lie
    "admin2_in_admin1",   # prefer_admin1, for a second-level area
    "candidates",         # log(1 + number of candidates) / log(50): how common the name is
    "only_candidate",     # the name has no other candidate
    "rules_score",        # the score the hand-set rules give (RULE_WEIGHTS over the above)
    "rules_lead",         # its lead over the best other candidate, within -1..1
)
INDEX = {name: i for i, name in enumerate(FEATURES)}

#: The hand-set weights of the rules the project ranked by before the learned model.
RULE_WEIGHTS: dict[str, float] = {
    "match_primary": 1.0, "match_alternate": 0.9, "match_variant": 0.75, "match_fuzzy": 0.55,
    "fuzzy_similarity": 0.15, "trust": 1.0, "kind_country": 0.3, "kind_region": 0.25,
    "kind_admin1": 0.2, "kind_admin2": 0.05, "population": 0.1, "capital_namesake": -0.25,
    "capital_of_named": 0.25, "outside_context": -0.6, "near_focus": 0.3, "near_home": 0.1,
    "support": 0.15, "prefer_country": 0.25, "prefer_admin1": 0.15, "capital_echo": -0.15,
    "country_name_other": -0.25, "seat_area": -1.0,
}

#: Two candidates this close are one place listed twice, not an ambiguity (km).
SAME_PLACE_KM = 8.0
#: The rules' margin: the winner must lead the runner-up by this much to count as resolved.
MARGIN = 0.08


@dataclass(frozen=True)
class Decision:
    """A ranker's verdict on a ranked list: the status and why, with the top's probability
    (``None`` for the rules, which give none)."""

    status: str  #: "resolved", "ambiguous" or "unresolved"
    why: str
    probability: float | None = None


@dataclass(frozen=True)
class Ranker:
    """Weights over :data:`FEATURES` and the rule turning scores into a status."""

    name: str
    weights: tuple[float, ...]
    #: the logit of "none of the candidates is meant" (learned models only)
    none: float | None = None
    resolved_at: float = 0.0  #: the probability from which an answer is resolved
    unresolved_below: float = 0.0  #: below it, no candidate is given as the answer
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def weight(self, feature: str) -> float:
        return self.weights[INDEX[feature]]

    def score(self, vector: Sequence[float]) -> float:
        # a list, not a generator: this runs for every candidate of every name
        return math.fsum([w * x for w, x in zip(self.weights, vector, strict=True) if x])

    def probabilities(self, scores: Sequence[float]) -> list[float]:
        """Each candidate's probability of being meant (learned models; a share of one
        with "none of them" taking the rest)."""
        if self.none is None or not scores:
            return []
        top = max(max(scores), self.none)
        exps = [math.exp(s - top) for s in scores]
        total = math.fsum(exps) + math.exp(self.none - top)
        return [e / total for e in exps]

    def decide(self, places: Sequence[tuple[str, str, float, float]],
               scores: Sequence[float], trusted: bool = False) -> Decision:
        """The status of a ranked list, best first: ``places`` are (name, country, lat,
        lon) of the candidates, ``scores`` their scores. A ``trusted`` top candidate (from
        a source that declares trust: the curated places, the user's own lists) without a
        rival elsewhere is resolved, and with rivals never dropped as unlikely: the corpora
        the model learned from cannot tell how far a hand-checked list is to be believed
        (their "none of them" is mostly a place the bulk data lacks)."""
        if not scores:
            return Decision("unresolved", "no candidate")
        top = places[0]
        same = [i for i, p in enumerate(places)
                if i == 0 or km((top[2], top[3]), (p[2], p[3])) <= SAME_PLACE_KM]
        rival = next((i for i in range(1, len(places)) if i not in same), None)
        if self.none is None:
            if rival is None:
                why = "only candidate" if len(places) == 1 else "all candidates are the same place"
                return Decision("resolved", why)
            lead = scores[0] - scores[rival]
            if lead >= MARGIN:
                return Decision("resolved", f"leads {places[rival][0]} ({places[rival][1]}) by {lead:.2f}")
            return Decision("ambiguous", f"{top[0]} ({top[1]}) and {places[rival][0]} "
                                         f"({places[rival][1]}) score within {MARGIN}")
        probs = self.probabilities(scores)
        p = math.fsum(probs[i] for i in same)
        if trusted and rival is None:
            return Decision("resolved", "the only place of this name, from a trusted source "
                                        f"(probability {p:.0%} from the model alone)", p)
        against = (f"; next: {places[rival][0]} ({places[rival][1]}) {probs[rival]:.0%}"
                   if rival is not None else "")
        if p >= self.resolved_at:
            return Decision("resolved", f"probability {p:.0%}{against}", p)
        if p < self.unresolved_below and not trusted:
            return Decision("unresolved", f"no candidate is likely: the best, {top[0]} "
                                          f"({top[1]}), has probability {p:.0%}{against}", p)
        return Decision("ambiguous", f"probability {p:.0%}, under the {self.resolved_at:.0%} "
                                     f"of a sure answer{against}", p)


RULES = Ranker("rules", tuple(RULE_WEIGHTS.get(f, 0.0) for f in FEATURES))


def from_dict(data: dict, name: str = "learned") -> Ranker:
    """A ranker from the JSON the training script writes."""
    try:
        weights = data["weights"]
        vector = tuple(float(weights.get(f, 0.0)) for f in FEATURES)
        return Ranker(name, vector, none=float(data["none"]),
                      resolved_at=float(data["resolved_at"]),
                      unresolved_below=float(data["unresolved_below"]),
                      meta={k: v for k, v in data.items() if k not in ("weights",)})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"not a ranker model: {exc}") from exc


MODEL_FILE = "models/ranker.json"


@functools.lru_cache(maxsize=4)
def get_ranker(name: str = "learned") -> Ranker:
    """The ranker registered under ``name``: ``learned`` (the shipped model) or ``rules``."""
    if name == "rules":
        return RULES
    if name != "learned":
        raise InputError(f"unknown ranker {name!r}: 'learned' or 'rules'")
    path = geodata_dir() / MODEL_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the ranker model: {exc}", path=str(path)) from exc
    return from_dict(data)
