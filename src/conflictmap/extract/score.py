"""Precision and recall of mention roles against a hand-made gold file.

The gold file is tab-separated: ``file, text, occurrence, role``; a mention is
identified by its text and which occurrence of that text in the file it is.
A predicted mention counts as correct when it has the same start and the same
role; the rejected candidates the extractor reports do not count as predictions.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from conflictmap.extract import extract
from conflictmap.extract.roles import ROLES
from conflictmap.extract.text import read_document


@dataclass(frozen=True)
class RoleScores:
    true_positive: Counter
    predicted: Counter
    gold: Counter

    def precision(self, role: str | None = None) -> float:
        tp = self.true_positive[role] if role else sum(self.true_positive.values())
        n = self.predicted[role] if role else sum(self.predicted.values())
        return tp / n if n else 1.0

    def recall(self, role: str | None = None) -> float:
        tp = self.true_positive[role] if role else sum(self.true_positive.values())
        n = self.gold[role] if role else sum(self.gold.values())
        return tp / n if n else 1.0

    def table(self) -> str:
        lines = [f"{'role':10} {'gold':>5} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7}"]
        for role in (*ROLES, None):
            lines.append(
                f"{role or 'all':10} {self.gold[role] if role else sum(self.gold.values()):5d} "
                f"{self.predicted[role] if role else sum(self.predicted.values()):6d} "
                f"{self.true_positive[role] if role else sum(self.true_positive.values()):6d} "
                f"{self.precision(role):10.1%} {self.recall(role):7.1%}")
        return "\n".join(lines)


def read_gold(path: Path) -> dict[str, list[tuple[str, int, str]]]:
    out: dict[str, list[tuple[str, int, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            out.setdefault(row["file"], []).append((row["text"], int(row["occurrence"]), row["role"]))
    return out


def score_roles(gold: dict[str, list[tuple[str, int, str]]],
                predicted: dict[str, tuple[str, list[tuple[int, str]]]]) -> RoleScores:
    """``predicted`` maps a file to (its text, [(start, role), ...])."""
    tp: Counter = Counter()
    found: Counter = Counter()
    want: Counter = Counter()
    for name, rows in gold.items():
        text, mentions = predicted[name]
        gold_at: dict[int, str] = {}
        for words, nth, role in rows:
            pos = -1
            for _ in range(nth):
                pos = text.find(words, pos + 1)
            if pos < 0:
                raise ValueError(f"{name}: {words!r} occurs fewer than {nth} times")
            gold_at[pos] = role
            want[role] += 1
        for start, role in mentions:
            found[role] += 1
            if gold_at.get(start) == role:
                tp[role] += 1
    return RoleScores(tp, found, want)


def score_folder(folder: Path, gazetteer, matcher=None,
                 held_out: str = "heldout.txt") -> tuple[RoleScores, RoleScores]:
    """Extract every report the folder's ``roles.tsv`` names and score the roles:
    over all of them, and over the held-out report alone."""
    gold = read_gold(folder / "roles.tsv")
    predicted = {}
    for name in gold:
        a = extract(read_document(folder / name), gazetteer, matcher=matcher)
        predicted[name] = (a.document.text, [(m.start, m.role) for m in a.mentions])
    return (score_roles(gold, predicted),
            score_roles({held_out: gold[held_out]} if held_out in gold else {}, predicted))
