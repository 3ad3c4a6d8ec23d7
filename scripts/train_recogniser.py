"""Fit the learned recogniser (geodata/models/recogniser.json) on the development corpora.

    python scripts/train_recogniser.py [--eval ../shared/eval] [--folds 5] [--seed 0]
                                       [--results docs/results/recogniser.json] [--extra X.xml]

Every candidate name the extractor considers in an article of TR-News, LGL's shared half and
GeoVirus is described by the features of :mod:`conflictmap.extract.recognise` (the rules'
judgements among them) and labelled by whether it overlaps a gold toponym. A logistic model
(L2, Newton's method, numpy) is fitted with folds by article (seed 0); the probability from
which a candidate is kept is the one that gives the best F1 on the training folds. Each fold's
model then runs the real extractor end to end on the articles it did not see, next to the
rules on the same articles: those cross-validated scores are printed and written with the
model. The corpora are read, never committed. Ships the model only if asked (``-o``).

First run (2026-12-07, about 20 minutes): cross-validated end-to-end F1, rules -> learned,
TR-News 0.886 -> 0.881, LGL 0.765 -> 0.763, GeoVirus 0.849 -> 0.868 (precision up on all
three, recall down); not shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

from conflictmap.evaluate import development_corpora, end_to_end
from conflictmap.extract import extract
from conflictmap.extract.recognise import FEATURES, RECORD, Recogniser, using
from conflictmap.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
L2 = 1.0


def candidates(gazetteer: Gazetteer, art) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    rec: list = []
    RECORD.append(rec)
    try:
        with using(None):
            extract(art.text, gazetteer)
    finally:
        RECORD.pop()
    x = np.array([r[2] for r in rec], dtype=float).reshape(-1, len(FEATURES))
    y = np.array([any(a < g.end and g.start < b for g in art.toponyms) for a, b, _ in rec], dtype=float)
    return x, y


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias unpenalised)."""
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], L2)
    reg[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def best_cut(p: np.ndarray, y: np.ndarray) -> float:
    best, cut = -1.0, 0.5
    for c in np.arange(0.05, 0.96, 0.01):
        tp = float(((p >= c) & (y == 1)).sum())
        fp = float(((p >= c) & (y == 0)).sum())
        fn = float(((p < c) & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best + 1e-12:
            best, cut = f1, float(round(c, 2))
    return cut


def as_model(w: np.ndarray, cut: float) -> Recogniser:
    return Recogniser({f: float(v) for f, v in zip(FEATURES, w, strict=True)}, cut)


def scores(e) -> dict:  # noqa: ANN001 - an EndToEnd
    s = e.summary()
    return {k: s[k] for k in ("precision", "recall", "f1", "matched", "predicted", "gold")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", type=Path, help="write the model here (the shipped one: "
                    "geodata/models/recogniser.json)")
    ap.add_argument("--results", type=Path, help="also write the scores for the docs")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="a reviewed corpus (conflictmap review --export-training) to train on")
    args = ap.parse_args()
    corpora = development_corpora(args.eval, args.extra)
    if not corpora:
        print(f"no development corpora in {args.eval}", file=sys.stderr)
        return 2
    g = Gazetteer.default(progress=False)
    docs = [(name, art) for name, arts in corpora.items() for art in arts]
    data = [candidates(g, art) for _, art in docs]
    print(f"{len(docs)} articles, {sum(len(x) for x, _ in data)} candidates", file=sys.stderr)
    order = list(range(len(docs)))
    random.Random(args.seed).shuffle(order)  # noqa: S311 (a reproducible split, no secret)
    fold_of = {order[i]: i % args.folds for i in range(len(order))}
    cv: dict[str, dict[str, list]] = {n: {"rules": [], "learned": []} for n in corpora}
    for k in range(args.folds):
        train = [i for i in range(len(docs)) if fold_of[i] != k]
        x = np.vstack([data[i][0] for i in train])
        y = np.concatenate([data[i][1] for i in train])
        w = fit(x, y)
        model = as_model(w, best_cut(1 / (1 + np.exp(-np.clip(x @ w, -30, 30))), y))
        for name in corpora:
            test = [art for i, (n, art) in enumerate(docs) if fold_of[i] == k and n == name]
            with using(None):
                cv[name]["rules"].append(end_to_end(test, g))
            with using(model):
                cv[name]["learned"].append(end_to_end(test, g))
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    pooled = {}
    for name, runs in cv.items():
        pooled[name] = {}
        for which, parts in runs.items():
            total = parts[0].__class__()
            for p in parts:
                total.true_pos += p.true_pos
                total.false_pos += p.false_pos
                total.false_neg += p.false_neg
            pooled[name][which] = scores(total)
    x = np.vstack([d[0] for d in data])
    y = np.concatenate([d[1] for d in data])
    w = fit(x, y)
    cut = best_cut(1 / (1 + np.exp(-np.clip(x @ w, -30, 30))), y)
    model = {"weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)},
             "keep_from": cut, "seed": args.seed, "folds": args.folds,
             "trained_on": {n: {"articles": len(a), "candidates": int(sum(
                 len(data[i][0]) for i, (m, _) in enumerate(docs) if m == n))}
                 for n, a in corpora.items()},
             "cross_validated_end_to_end": pooled}
    print(json.dumps({"keep_from": cut, "cross_validated_end_to_end": pooled}, indent=1))
    if args.output:
        args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if args.results:
        args.results.write_text(json.dumps({
            "command": "python scripts/train_recogniser.py --results docs/results/recogniser.json",
            "date": __import__("datetime").date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
            "result": {"rows": [{"corpus": n, "recogniser": which, **row}
                                for n, rows in pooled.items() for which, row in rows.items()],
                       "keep_from": cut, "folds": args.folds, "seed": args.seed,
                       "shipped": bool(args.output)}},
            indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
