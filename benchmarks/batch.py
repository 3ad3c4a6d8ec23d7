"""Batch benchmark: a generated corpus (benchmarks/corpus.py, 5,000 reports by default)
through ``conflictmap batch`` on 1 and 2 local workers and on a 2-worker Dask
LocalCluster, side by side with the baseline of one ``conflictmap extract`` process per
report; and how many of the corpus's known mentions were found.

    python benchmarks/batch.py                 # table
    python benchmarks/batch.py --json          # the same numbers as JSON
    python benchmarks/batch.py --reports 1000  # a smaller corpus

Every run starts from an empty output folder and includes starting the workers and
opening the gazetteer in each (the index is already built in the user cache). "1 worker"
runs in this process; "2 workers" is a pool of two fresh processes; the LocalCluster
(2 worker processes, 1 thread each) is started before timing and its start is reported
apart. The baseline runs ``conflictmap extract REPORT --json`` for a sample of reports
(each a new process, as a shell loop over a corpus would) and scales its mean to the
corpus. Peak memory is each worker process's peak resident set.
Target (issue 13): 2 workers at least 1.7 times as fast as 1 on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def found_mentions(out: Path, expected: Path) -> dict:
    """Exact-span recall of the corpus's known mentions, and how many of those found
    resolved to the GeoNames id the generator used."""
    import geopandas as gpd

    mentions = gpd.read_parquet(out / "mentions.parquet")
    found = {(r, s, e): g for r, s, e, g in zip(mentions["report_id"], mentions["span_start"],
                                                mentions["span_end"], mentions["geonameid"],
                                                strict=True)}
    total = hit = right = 0
    for line in expected.read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        for m in truth["mentions"]:
            total += 1
            key = (truth["id"], m["start"], m["end"])
            if key in found:
                hit += 1
                right += found[key] == m["geonameid"]
    gold = {(json.loads(line)["id"], m["start"], m["end"])
            for line in expected.read_text(encoding="utf-8").splitlines()
            for m in json.loads(line)["mentions"]}
    extra = sum(1 for k in found if k not in gold)
    return {"expected": total, "found_span": hit, "recall": round(hit / total, 4),
            "same_geonameid": round(right / total, 4), "other_mentions": extra}


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_ceiling(n: int = 20_000_000) -> float:
    """How much faster two processes do two equal pure-Python loops than one process does
    both: the most 2 workers can gain on this machine (a virtual machine's two cores may
    share one physical core's time)."""
    import multiprocessing

    t = time.perf_counter()
    _spin(n)
    _spin(n)
    serial = time.perf_counter() - t
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # started before timing
        t = time.perf_counter()
        pool.map(_spin, [n, n])
        parallel = time.perf_counter() - t
    return round(serial / parallel, 2)


def run(label: str, corpus: Path, out: Path, **kw) -> dict:
    from conflictmap.batch import run_batch

    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    r = run_batch([corpus], out, progress=False, **kw)
    seconds = time.perf_counter() - t
    return {"run": label, "reports": r.reports, "failed": r.failed, "seconds": round(seconds, 2),
            "reports_per_s": round(r.reports / seconds, 1),
            "mb_per_s": round(r.chars / 1e6 / seconds, 3),
            "peak_mb_per_worker": sorted(round(v) for v in r.workers.values()),
            "mentions": r.mentions, "claims": r.claims}


def baseline(corpus: Path, tmp: Path, sample: int, total: int) -> dict:
    """One ``conflictmap extract`` process per report, for ``sample`` reports."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // sample)
    times = []
    exe = Path(sys.executable).with_name("conflictmap")
    for i, line in enumerate(lines[::step][:sample]):
        doc = json.loads(line)
        f = tmp / f"base-{i}.txt"
        f.write_text(doc["text"], encoding="utf-8")
        t = time.perf_counter()
        subprocess.run([str(exe), "extract", str(f), "--json"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    per = statistics.mean(times)
    return {"run": f"1 extract process per report (mean of {len(times)}, scaled)",
            "reports": total, "seconds": round(per * total, 1),
            "reports_per_s": round(1 / per, 2), "per_report_s": round(per, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=30, help="baseline processes to time")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from corpus import generate
    from distributed import LocalCluster

    from conflictmap.gazetteer.index import GazetteerIndex

    GazetteerIndex.open_default(progress=False).con.close()  # built before timing
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus, expected = generate(tmp / "corpus", args.reports)
        mb = corpus.stat().st_size / 1e6
        rows = [run("1 worker (this process)", corpus, tmp / "one", workers=1),
                run("2 workers (process pool)", corpus, tmp / "two", workers=2)]
        accuracy = found_mentions(tmp / "two", expected)
        t = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster:
            started = time.perf_counter() - t
            row = run("Dask LocalCluster, 2 workers", corpus, tmp / "dask",
                      scheduler=cluster.scheduler_address)
            row["cluster_start_s"] = round(started, 2)
            rows.append(row)
        rows.append(baseline(corpus, tmp, args.sample, args.reports))
    scaling = round(rows[0]["seconds"] / rows[1]["seconds"], 2)
    ceiling = machine_ceiling()
    result = {"corpus": {"reports": args.reports, "mb": round(mb, 2)}, "runs": rows,
              "scaling_1_to_2": scaling, "machine_ceiling_1_to_2": ceiling, "mentions": accuracy,
              "targets": {"scaling_1_to_2": 1.7}}
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return
    print(f"corpus: {args.reports:,} generated reports, {mb:.1f} MB of JSON Lines")
    print(f"{'run':58} {'s':>8} {'reports/s':>10} {'MB/s':>7} {'peak MB/worker':>16}")
    for r in rows:
        peak = ", ".join(str(p) for p in r.get("peak_mb_per_worker", [])) or "-"
        print(f"{r['run']:58} {r['seconds']:8.1f} {r['reports_per_s']:10.1f} "
              f"{r.get('mb_per_s', float('nan')):7.3f} {peak:>16}")
    print(f"\nscaling 1 -> 2 workers: {scaling:.2f}x (target 1.7x); this machine's ceiling, two "
          f"pure-Python loops in two processes against one: {ceiling:.2f}x; LocalCluster start "
          f"{rows[2]['cluster_start_s']:.1f} s (not in its time)")
    print(f"mentions: {accuracy['found_span']:,} of {accuracy['expected']:,} known mentions "
          f"found at their exact span ({accuracy['recall']:.1%}), {accuracy['same_geonameid']:.1%}"
          f" with the generator's GeoNames id; {accuracy['other_mentions']:,} other mentions")


if __name__ == "__main__":
    main()
