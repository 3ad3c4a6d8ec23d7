"""Fit the learned sequence recogniser (geodata/models/sequence.crfsuite) on the development
corpora, and print its cross-validated end-to-end scores next to the rules alone.

    python scripts/train_sequence.py [--eval ../shared/eval] [--folds 3] [--seed 0]
                                     [--results docs/results/sequence.json] [-o]

Every body sentence of the articles of TR-News, LGL's shared half and GeoVirus is read by
the extractor as it reads a report; the features of each token
(:func:`conflictmap.extract.sequence.sentence_features`: its word and shape, the words
around it, what the rules found there) are recorded and labelled B, I or O by the gold
toponyms. A CRF (python-crfsuite, L-BFGS, c1 0.1, c2 0.01, 100 iterations, features seen
at least twice) is fitted with folds by article (shuffled with ``--seed``). Each fold's
model then runs the real extractor end to end on the articles it did not see, next to the
rules alone on the same articles. The corpora are read, never committed; the model ships
only when asked (``-o``), trained on every article, with the probability of O from which a
candidate is set aside (``--veto``, several may be tried) that gave the best mean
cross-validated F1, and its scores in ``sequence.json`` beside it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import random
import sys
import tempfile
from pathlib import Path

from conflictmap.evaluate import development_corpora, end_to_end
from conflictmap.extract.sequence import (
    ADD_FROM,
    MODEL_FILE,
    SEQUENCES,
    VETO_FROM,
    SequenceModel,
    using_sequence,
)
from conflictmap.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.minfreq": 2}
GAZETTEER: Gazetteer | None = None


def _labelled(art, rec) -> list[tuple[list, list[str]]]:  # noqa: ANN001
    out = []
    for _sentence, spans, feats in rec:
        labels, before = [], None
        for a, b in spans:
            gold = next((g for g in art.toponyms if a < g.end and g.start < b), None)
            labels.append("O" if gold is None else "I" if gold is before else "B")
            before = gold
        out.append((feats, labels))
    return out


def _counts(e) -> list[int]:  # noqa: ANN001
    return [e.true_pos, e.false_pos, e.false_neg]


def _record(job: tuple[str, int, object]) -> tuple[str, int, list[int], list]:
    """One article read by the rules alone: its end-to-end counts and labelled sentences."""
    corpus, index, art = job
    rec: list = []
    SEQUENCES.append(rec)
    try:
        with using_sequence(None):
            e = end_to_end([art], GAZETTEER)
    finally:
        SEQUENCES.pop()
    return corpus, index, _counts(e), _labelled(art, rec)


def _train(sentences: list[tuple[list, list[str]]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in sentences:
        trainer.append(feats, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def _score(job: tuple[str, float, list]) -> list[tuple[str, list[int]]]:
    """The articles of one fold, read with that fold's model."""
    model_path, veto, arts = job
    model = SequenceModel(Path(model_path), veto_from=veto)
    out = []
    with using_sequence(model):
        for corpus, art in arts:
            out.append((corpus, _counts(end_to_end([art], GAZETTEER))))
    return out


def write_results(path: Path, result: dict) -> None:
    """The scores as the documentation's results pages read them."""
    rows = result["cross_validated_end_to_end"]
    doc = {"command": f"python scripts/train_sequence.py --veto "
                      f"{','.join(dict.fromkeys(str(r['veto_from']) for r in rows))} -o",
           "date": datetime.date.today().isoformat(),
           "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
           "result": {"rows": [{"corpus": r["corpus"], "veto from": r["veto_from"],
                                "rules tp/fp/fn": "/".join(map(str, r["rules"])),
                                "rules F1": r["rules_f1"],
                                "learned tp/fp/fn": "/".join(map(str, r["learned"])),
                                "learned F1": r["learned_f1"]}
                               for r in rows],
                      "folds": result["folds"], "seed": result["seed"]}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def f1(c: list[int]) -> float:
    tp, fp, fn = c
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0


def main() -> None:
    global GAZETTEER
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--results", type=Path, default=ROOT / "docs" / "results" / "sequence.json")
    ap.add_argument("-o", "--ship", action="store_true", help="write the model trained on all")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles of each corpus")
    ap.add_argument("--veto", default=str(VETO_FROM),
                    help="comma-separated probabilities of O from which a candidate is set aside")
    args = ap.parse_args()
    corpora = development_corpora(args.eval)
    if args.limit:
        corpora = {name: arts[:args.limit] for name, arts in corpora.items()}
    if not corpora:
        sys.exit(f"no development corpora in {args.eval}")
    GAZETTEER = Gazetteer.default(progress=False)
    jobs = [(name, i, art) for name, arts in corpora.items() for i, art in enumerate(arts)]
    ctx = multiprocessing.get_context("fork")  # the loaded gazetteer is shared, not reloaded
    with ctx.Pool(2) as pool:
        recorded = pool.map(_record, jobs, chunksize=4)
    order = list(range(len(jobs)))
    random.Random(args.seed).shuffle(order)  # noqa: S311 - folds, not secrets
    fold_of = {k: n % args.folds for n, k in enumerate(order)}
    rules = {name: [0, 0, 0] for name in corpora}
    for name, _, counts, _ in recorded:
        rules[name] = [a + b for a, b in zip(rules[name], counts, strict=True)]
    vetoes = [float(v) for v in args.veto.split(",")]
    learned = {veto: {name: [0, 0, 0] for name in corpora} for veto in vetoes}
    with tempfile.TemporaryDirectory() as tmp:
        folds = []
        for fold in range(args.folds):
            path = Path(tmp) / f"fold{fold}.crfsuite"
            _train([s for k, r in enumerate(recorded) if fold_of[k] != fold for s in r[3]], path)
            folds.append((str(path), [(jobs[k][0], jobs[k][2]) for k in range(len(jobs))
                                      if fold_of[k] == fold]))
        with ctx.Pool(2) as pool:
            for veto in vetoes:
                for part in pool.map(_score, [(path, veto, arts) for path, arts in folds]):
                    for name, counts in part:
                        learned[veto][name] = [a + b for a, b in
                                               zip(learned[veto][name], counts, strict=True)]
    rows = []
    print(f"{'corpus':14} {'veto':>5} {'rules tp/fp/fn':>16} {'F1':>6}   {'learned tp/fp/fn':>16} "
          f"{'F1':>6}")
    for veto in vetoes:
        for name in corpora:
            r, lr = rules[name], learned[veto][name]
            print(f"{name:14} {veto:>5} {'/'.join(map(str, r)):>16} {f1(r):>6}   "
                  f"{'/'.join(map(str, lr)):>16} {f1(lr):>6}")
            rows.append({"corpus": name, "veto_from": veto, "rules": r, "rules_f1": f1(r),
                         "learned": lr, "learned_f1": f1(lr)})
    result = {"command": "python scripts/train_sequence.py", "folds": args.folds,
              "seed": args.seed, "params": PARAMS, "cross_validated_end_to_end": rows}
    write_results(args.results, result)
    # the veto with the best mean cross-validated F1 over the corpora ships
    best = max(vetoes, key=lambda v: sum(f1(learned[v][name]) for name in corpora))
    print(f"best veto_from: {best}")
    if args.ship:
        out = ROOT / "geodata" / "models" / MODEL_FILE
        _train([s for r in recorded for s in r[3]], out)
        meta = {**result, "veto_from": best, "add_from": ADD_FROM,
                "trained_on": {name: {"articles": len(arts),
                                      "toponyms": sum(len(a.toponyms) for a in arts)}
                               for name, arts in corpora.items()},
                "cross_validated_end_to_end": [r for r in rows if r["veto_from"] == best]}
        out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) and {out.with_suffix('.json').name}")


if __name__ == "__main__":
    main()
