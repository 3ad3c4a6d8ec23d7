"""Rebuild the learned candidate ranker (geodata/models/ranker.json) from the development data.

    .venv/bin/python scripts/train_geoparser.py [--eval ../shared/eval] [--folds 5] [--seed 0]
        [--results docs/results/ranker.json]

Reads the annotated development corpora (TR-News, LGL's shared half, GeoVirus; they stay in
``../shared/eval`` and are never committed), describes every candidate of every gold
toponym by the ranker's features under its article's context, and fits a conditional
logit: the candidates of a mention and "none of them" compete, so a candidate's share is
the probability that it is meant. Cross-validation by article (fixed seed) runs the real
resolver with each fold's model on the articles it did not see, against the hand-set
rules on the same articles, and chooses the probability from which an answer is
``resolved`` so that, out of fold, at least 98 % of such answers are right. The model
file keeps the scores, the thresholds and what it was trained on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

from conflictmap.evaluate import (
    DEVELOPMENT_CORPORA,
    Article,
    Scores,
    covers,
    development_corpora,
    right_entity,
)
from conflictmap.gazetteer import Gazetteer
from conflictmap.gazetteer.document import Occurrence, reading_context, resolve_occurrences
from conflictmap.gazetteer.rank import Context, km
from conflictmap.gazetteer.ranker import FEATURES, RULES, Ranker, from_dict

#: What "resolved" answers must reach out of fold, on each corpus.
RESOLVED_PRECISION = 0.98
#: Below this probability the best candidate is more often wrong than right: no answer.
UNRESOLVED_BELOW_ACCURACY = 0.35
L2 = 1e-3
ROOT = Path(__file__).resolve().parents[1]


def right(place, gold) -> bool:
    """The evaluation's "right entity": the gold id, within 161 km, or an area around the
    gold point (:func:`~conflictmap.evaluate.covers`: GeoVirus gives Wikipedia's point for a
    country)."""
    d = km((gold.lat, gold.lon), (place.lat, place.lon))
    exact = bool(gold.geonameid and place.geonameid == gold.geonameid)
    return right_entity(d, exact) or covers(place, gold)


def meant(cands: list, gold) -> list[bool]:
    """Which candidates are the place meant: the one with the gold GeoNames id when there is
    one; else, of the right ones (:func:`right`), the nearest to the gold point and its
    duplicates within 8 km. A province around the town meant is right for the scores but
    not what is meant: the labels teach the ranker to tell them apart."""
    if gold.geonameid and any(c.place.geonameid == gold.geonameid for c in cands):
        return [c.place.geonameid == gold.geonameid for c in cands]
    ok = [right(c.place, gold) for c in cands]
    if not any(ok):
        return ok
    best = min((c for c, good in zip(cands, ok, strict=True) if good),
               key=lambda c: km((gold.lat, gold.lon), (c.place.lat, c.place.lon)))
    return [good and km((best.place.lat, best.place.lon), (c.place.lat, c.place.lon)) <= 8
            for c, good in zip(cands, ok, strict=True)]


def hint(art: Article) -> Context:
    """The hints a user who knows where an article is would give: a focus point (the median
    gold point) and a box around the gold points with a degree of margin. The corpora give
    no hints; a copy of each training article with these teaches the hints' weights."""
    lats = sorted(g.lat for g in art.toponyms)
    lons = sorted(g.lon for g in art.toponyms)
    mid = len(lats) // 2
    return Context(near=(lats[mid], lons[mid]),
                   within=(lons[0] - 1, lats[0] - 1, lons[-1] + 1, lats[-1] + 1))


def mentions(gazetteer: Gazetteer, art: Article, mode: str = "document"
             ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, right) of every candidate of each gold toponym: under the article's context
    ("document"), under it and the hints of :func:`hint` ("hinted"), or each distinct name
    alone, as ``conflictmap resolve NAME`` sees it ("alone")."""
    if mode == "alone":
        contexts, golds = {}, list({g.phrase: g for g in art.toponyms}.values())
    else:
        occ = [Occurrence(g.phrase, g.start, g.end) for g in art.toponyms]
        contexts, _ = reading_context(gazetteer, occ, art.text, hint(art) if mode == "hinted" else None)
        golds = list(art.toponyms)
    out = []
    for gold in golds:
        cands = gazetteer.candidates(gold.phrase, contexts.get(gold.phrase, Context()))[:60]
        if not cands:
            continue
        x = np.array([c.features for c in cands], dtype=float)
        y = np.array(meant(cands, gold), dtype=bool)
        out.append((x, y))
    return out


def fit(data: list[tuple[np.ndarray, np.ndarray]], steps: int = 1500) -> tuple[np.ndarray, float]:
    """Weights and the "none" logit maximising the likelihood of the right candidates (or of
    "none" where no candidate is right), with an L2 penalty; full-batch Adam, deterministic."""
    n_f = len(FEATURES)
    width = max(len(x) for x, _ in data)
    X = np.zeros((len(data), width, n_f))
    mask = np.zeros((len(data), width), dtype=bool)
    pos = np.zeros((len(data), width), dtype=bool)
    for i, (x, y) in enumerate(data):
        X[i, :len(x)] = x
        mask[i, :len(x)] = True
        pos[i, :len(y)] = y
    has_pos = pos.any(axis=1)
    theta = np.zeros(n_f + 1)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        w, none = theta[:n_f], theta[n_f]
        s = np.where(mask, X @ w, -np.inf)
        top = np.maximum(s.max(axis=1), none)
        e = np.where(mask, np.exp(s - top[:, None]), 0.0)
        e_none = np.exp(none - top)
        z = e.sum(axis=1) + e_none
        p, p_none = e / z[:, None], e_none / z
        # the target: the right candidates' shares renormalised, or "none"
        ep = np.where(pos, e, 0.0)
        zp = ep.sum(axis=1)
        q = np.where(has_pos[:, None], ep / np.where(zp > 0, zp, 1)[:, None], 0.0)
        q_none = (~has_pos).astype(float)
        g_w = np.einsum("mk,mkf->f", p - q, X) / len(data) + L2 * w
        g_none = float(np.mean(p_none - q_none))
        grad = np.append(g_w, g_none)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad ** 2
        theta -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
    return theta[:n_f], float(theta[n_f])


def as_ranker(w: np.ndarray, none: float, resolved_at: float = 0.5,
              unresolved_below: float = 0.0) -> Ranker:
    return from_dict({"weights": dict(zip(FEATURES, map(float, w), strict=True)), "none": none,
                      "resolved_at": resolved_at, "unresolved_below": unresolved_below})


def score_articles(gazetteer: Gazetteer, articles: list[Article]) -> list[dict]:
    """One row per gold toponym: the answer's status, probability and rightness."""
    rows = []
    for art in articles:
        occ = [Occurrence(g.phrase, g.start, g.end) for g in art.toponyms]
        for gold, res in zip(art.toponyms, resolve_occurrences(gazetteer, occ, art.text), strict=True):
            ok = bool(res.located and res.place is not None and right(res.place, gold))
            best = res.place if res.located else (res.candidates[0].place if res.candidates else None)
            rows.append({"status": res.status.value, "p": res.probability, "right": ok,
                         "best_right": bool(best is not None and right(best, gold))})
    return rows


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    resolved = [r for r in rows if r["status"] == "resolved"]
    return {"toponyms": n, "right_entity": round(sum(r["right"] for r in rows) / n, 3),
            "resolved_share": round(len(resolved) / n, 3),
            "resolved_wrong": round(sum(not r["right"] for r in resolved) / max(1, len(resolved)), 3)}


def thresholds(by_corpus: list[list[dict]]) -> tuple[float, float]:
    """The smallest probability from which the out-of-fold answers of every corpus are
    right at least RESOLVED_PRECISION of the time, and the one under which the best
    candidate is right less than UNRESOLVED_BELOW_ACCURACY of the time (bins of 0.05)."""
    scored = [sorted((r["p"], r["best_right"]) for r in rows if r["p"] is not None)
              for rows in by_corpus]
    # answers that are resolved without ranking (area phrases, qualified names) count too
    unranked = [[r["right"] for r in rows if r["p"] is None and r["status"] == "resolved"]
                for rows in by_corpus]
    resolved_at = 1.0
    for cents in range(30, 100):
        cut = cents / 100
        sure = [[ok for p, ok in rows if p >= cut - 1e-9] + fixed
                for rows, fixed in zip(scored, unranked, strict=True)]
        if all(not a or sum(a) / len(a) >= RESOLVED_PRECISION for a in sure):
            resolved_at = cut
            break
    pooled = [row for rows in scored for row in rows]
    below = 0.0
    for twentieths in range(1, 10):
        cut = twentieths / 20
        bin_ = [ok for p, ok in pooled if cut - 0.05 - 1e-9 <= p < cut - 1e-9]
        if bin_ and sum(bin_) / len(bin_) < UNRESOLVED_BELOW_ACCURACY:
            below = cut
        else:
            break
    return resolved_at, below


def results(model: dict) -> dict:
    """The cross-validated scores of a model file as the docs' results page shows them
    (``docs/results/ranker.json``)."""
    rows = [{"corpus": name.removesuffix(".xml"), "ranker": ranker, **cv[ranker]}
            for name, cv in model["cross_validated"].items() for ranker in ("rules", "learned")]
    return {"command": "python scripts/train_geoparser.py --results docs/results/ranker.json",
            "date": __import__("datetime").date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
            "result": {"rows": rows, "resolved_at": model["resolved_at"],
                       "unresolved_below": model["unresolved_below"],
                       "folds": model["folds"], "seed": model["seed"]}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=2,
                    help="times the candidates are described (1: under the rules' context only)")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "geodata" / "models" / "ranker.json")
    ap.add_argument("--results", type=Path, help="also write the scores for the docs' results page")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="a reviewed corpus (conflictmap review --export-training) to train on "
                         "as well; the thresholds stay chosen on the development corpora")
    args = ap.parse_args()
    corpora = development_corpora(args.eval, args.extra)
    if not corpora:
        print(f"no development corpora in {args.eval}", file=sys.stderr)
        return 2
    base = Gazetteer.default(progress=False, ranker=RULES)
    docs = [(name, art) for name, arts in corpora.items() for art in arts if art.toponyms]
    print(f"{len(docs)} articles, {sum(len(a.toponyms) for _, a in docs)} gold toponyms", file=sys.stderr)
    # The candidates' context comes from the document's first answers, which come from the
    # ranker: described first under the rules, then again under a model fitted on that.
    def describe(gazetteer: Gazetteer) -> dict[int, list]:
        return {id(art): [m for mode in ("document", "hinted", "alone")
                          for m in mentions(gazetteer, art, mode)] for _, art in docs}

    data = describe(base)
    for _ in range(args.rounds - 1):
        w, none = fit([m for _, art in docs for m in data[id(art)]])
        data = describe(Gazetteer(base.sources, ranker=as_ranker(w, none)))
    order = list(range(len(docs)))
    random.Random(args.seed).shuffle(order)  # noqa: S311 (a reproducible split, no secret)
    fold_of = {order[i]: i % args.folds for i in range(len(order))}
    rows: dict[str, dict[str, list]] = {name: {"rules": [], "learned": []} for name in corpora}
    for k in range(args.folds):
        train = [m for i, (_, art) in enumerate(docs) if fold_of[i] != k for m in data[id(art)]]
        w, none = fit(train)
        model = Gazetteer(base.sources, ranker=as_ranker(w, none))
        rules = Gazetteer(base.sources, ranker=RULES)
        for i, (name, art) in enumerate(docs):
            if fold_of[i] == k:
                rows[name]["learned"] += score_articles(model, [art])
                rows[name]["rules"] += score_articles(rules, [art])
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    pooled = [r for name in corpora for r in rows[name]["learned"]]
    resolved_at, below = thresholds([rows[name]["learned"] for name in corpora
                                     if name in DEVELOPMENT_CORPORA])
    for name in corpora:  # the statuses the chosen thresholds would have given out of fold
        for r in rows[name]["learned"]:
            if r["p"] is not None:
                r["status"] = "resolved" if r["p"] >= resolved_at else (
                    "unresolved" if r["p"] < below else "ambiguous")
                r["right"] = r["best_right"] and r["status"] != "unresolved"
    cv = {name: {"rules": summary(rows[name]["rules"]), "learned": summary(rows[name]["learned"])}
          for name in corpora}
    w, none = fit([m for _, art in docs for m in data[id(art)]])
    model = {
        "weights": {f: round(float(x), 4) for f, x in zip(FEATURES, w, strict=True)},
        "none": round(none, 4), "resolved_at": resolved_at, "unresolved_below": below,
        "trained_on": {name: {"articles": len([a for a in arts if a.toponyms]),
                              "toponyms": sum(len(a.toponyms) for a in arts)}
                       for name, arts in corpora.items()},
        "seed": args.seed, "folds": args.folds, "rounds": args.rounds,
        "cross_validated": cv, "reliability": Scores(answers=[
            (r["status"], r["p"], r["best_right"], r["best_right"]) for r in pooled]).reliability(),
    }
    args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if args.results:
        args.results.write_text(json.dumps(results(model), indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"cross_validated": cv, "resolved_at": resolved_at,
                      "unresolved_below": below, "reliability": model["reliability"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
