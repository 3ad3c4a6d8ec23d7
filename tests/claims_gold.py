"""Scoring drafted claims against tests/data/claims/claims-gold.tsv (issue 22).

An expectation of a kind holds when a drafted claim whose place is the one written has that
kind (``a|b``: either), and, when a check relation is given, carries a check of that
relation. An expectation of ``none`` holds when every claim there is a mere mention or a
prospect (the text denies, demands, threatens or plans it). A wrong kind at an expected
place is a false positive and a miss; a claim of a kind at a ``none`` place is a false
positive.

    python -m tests.claims_gold          # the table, report by report
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from conflictmap.extract import CAPITAL_CUE

DATA = Path(__file__).parent / "data" / "claims"


@dataclass
class Expectation:
    report: str
    place: str
    kinds: tuple[str, ...]  #: ("none",) for no claim
    check: str
    note: str


@dataclass
class Score:
    held: list[Expectation] = field(default_factory=list)
    failed: list[tuple[Expectation, str]] = field(default_factory=list)
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        return self.true_pos / (self.true_pos + self.false_pos) if self.true_pos + self.false_pos else 1.0

    @property
    def recall(self) -> float:
        return self.true_pos / (self.true_pos + self.false_neg) if self.true_pos + self.false_neg else 1.0

    @property
    def share(self) -> float:
        return len(self.held) / (len(self.held) + len(self.failed))


def expectations() -> list[Expectation]:
    with (DATA / "claims-gold.tsv").open(encoding="utf-8") as fh:
        return [Expectation(r["report"], r["place"], tuple(r["kind"].split("|")), r["check"],
                            r["note"]) for r in csv.DictReader(fh, delimiter="\t")]


def _at(claims: list, place: str) -> list:
    key = place.lower()
    return [c for c in claims if c.mention.text.lower() == key
            or (c.mention.cue == CAPITAL_CUE and c.mention.query.lower() == key)  # "the capital"
            or c.mention.text.lower().endswith(" " + key) or key in c.mention.text.lower().split(" of ")
            or c.mention.text.lower() in {f"{key} {w}" for w in _AREA_WORDS}]


#: "the Kassara area", "Masisi territory", "the Messalo river": the place with an area,
#: river or valley word after it.
_AREA_WORDS = ("area", "district", "province", "region", "territory", "countryside", "river",
               "valley")


def score(analyse) -> Score:  # noqa: ANN001 - a function from report name to Analysis
    out = Score()
    cache: dict[str, list] = {}
    for e in expectations():
        if e.report not in cache:
            cache[e.report] = list(analyse(e.report).claims)
        found = [c for c in _at(cache[e.report], e.place)]
        facts = [c for c in found if c.kind.value != "mention" and not c.prospect]
        if e.kinds == ("none",):
            if facts:
                out.false_pos += 1
                out.failed.append((e, f"claims {', '.join(c.kind.value for c in facts)}"))
            else:
                out.held.append(e)
            continue
        right = [c for c in facts if c.kind.value in e.kinds]
        if right and (not e.check or any(k.relation == e.check for c in right for k in c.checks)):
            out.true_pos += 1
            out.held.append(e)
            continue
        out.false_neg += 1
        if facts and not right:
            out.false_pos += 1
        got = ", ".join(f"{c.kind.value}{'?' if c.prospect else ''}"
                        f"{'[' + ','.join(k.relation for k in c.checks) + ']' if c.checks else ''}"
                        for c in found) or "no claim"
        out.failed.append((e, got))
    return out


def table(s: Score) -> str:
    lines = [f"held {len(s.held)}/{len(s.held) + len(s.failed)} ({s.share:.0%}); "
             f"precision {s.precision:.3f}, recall {s.recall:.3f}"]
    lines += [f"  MISS {e.report}: {e.place}: expected {'|'.join(e.kinds)}"
              f"{' [' + e.check + ']' if e.check else ''}, got {got}" for e, got in s.failed]
    return "\n".join(lines)


if __name__ == "__main__":
    import conflictmap as cm

    print(table(score(lambda name: cm.extract_file(DATA / name))))
