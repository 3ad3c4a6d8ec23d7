"""Geoparsing scores on annotated news corpora, as ``conflictmap evaluate`` gives them.

    python benchmarks/geoparsing.py                      # table
    python benchmarks/geoparsing.py --json               # the same numbers as JSON
    python benchmarks/geoparsing.py --eval DIR           # where the corpora are

The corpora (TR-News, GeoVirus, LGL in their XML layouts) are development data kept outside
the repository (default: ``../shared/eval`` next to the checkout); a missing one is skipped.
They were read while the rules were written and the learned ranker is fitted on them, so
these are development scores, not held-out ones (the model's cross-validated scores are in
``geodata/models/ranker.json`` and in ``conflictmap evaluate``'s output). For each corpus and
each ranker (the hand-set rules before, the learned model now), side by side: the share of
gold toponyms resolved to the right entity (within 161 km or the same GeoNames id) with the
gold spans given, the share given as ``resolved`` and how many of those are wrong; and
recognition precision, recall and F1 when the extractor finds the names itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CORPORA = ("TR-News.xml", "GeoVirus.xml", "lgl-dev.xml")


def evaluate(path: Path, *extra: str) -> dict:
    exe = Path(sys.executable).parent / "conflictmap"
    out = subprocess.run([str(exe), "evaluate", str(path), "--json", *extra], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--eval", default=str(Path(__file__).resolve().parents[1].parent
                                              / "shared" / "eval"))
    args = parser.parse_args()
    rows, unread = [], []
    for name in CORPORA:
        path = Path(args.eval) / name
        if not path.is_file():
            continue
        for ranker in ("rules", "learned"):
            given = evaluate(path, "--ranker", ranker)
            if not given["toponyms"]:  # a layout evaluate does not read
                unread.append(name)
                break
            found = evaluate(path, "--end-to-end", "--ranker", ranker)
            rows.append({"corpus": name.removesuffix(".xml"), "ranker": ranker,
                         "articles": given["articles"], "toponyms": given["toponyms"],
                         "right_entity": given["right_entity"], "coverage": given["coverage"],
                         "resolved_share": given["resolved_share"],
                         "resolved_wrong": given["resolved_wrong"],
                         "end_to_end_precision": found["precision"],
                         "end_to_end_recall": found["recall"], "end_to_end_f1": found["f1"]})
    if args.json:
        print(json.dumps({"rows": rows, "not_read": unread}, indent=1))
    else:
        print(f"{'corpus':10} {'ranker':8} {'articles':>8} {'toponyms':>8} {'right':>6} "
              f"{'resolved':>9} {'wrong':>6} {'P':>6} {'R':>6} {'F1':>6}")
        for r in rows:
            print(f"{r['corpus']:10} {r['ranker']:8} {r['articles']:8,} {r['toponyms']:8,} "
                  f"{r['right_entity']:6.1%} {r['resolved_share']:9.1%} {r['resolved_wrong']:6.1%} "
                  f"{r['end_to_end_precision']:6.3f} {r['end_to_end_recall']:6.3f} "
                  f"{r['end_to_end_f1']:6.3f}")
        if not rows:
            print(f"no corpus found in {args.eval}")
        if unread:
            print(f"no gold toponym read from {', '.join(unread)} (a layout evaluate does not read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
