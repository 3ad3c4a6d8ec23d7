"""Growth check: each heavy input doubled twice, with the time and memory of the work on it
measured in a fresh process each time; the work must grow at most linearly (n log n allowed).

    python benchmarks/growth.py            # table; exit 1 if a case grows too fast
    python benchmarks/growth.py --json     # the same numbers as JSON

Cases (all inputs generated, fixed seeds):
- ``text``: extraction of report-like text (``cm.extract``), 200k / 400k / 800k characters;
- ``claims``: an HTML map of N claims at given coordinates, 500 / 1,000 / 2,000 claims;
- ``vertices``: ``control-stats`` of one polygon of N vertices, 50k / 100k / 200k;
- ``borders``: the frontline of two actors sharing a jagged border of N vertices, 20k / 40k / 80k
  (before issue "Hardening 2": 25k / 50k / 100k took 11 / 49 / 285 s);
- ``corpus``: ``batch`` on one process over N JSON Lines reports, 100 / 200 / 400.

Time is the work alone (imports and the gazetteer's opening excluded); memory is the peak
resident size of the process less that of the same process on a tiny input. A doubling may
multiply time and memory by at most 2.6 (2 for linear, with room for n log n), plus 0.2 s and
30 MB of measuring noise (the resident size moves in allocator-sized steps): 25k / 50k / 100k
vertices of shared border at 0.85 / 2.8 / 10.6 GB would fail by far.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {"text": [200_000, 400_000, 800_000], "claims": [500, 1_000, 2_000],
         "vertices": [50_000, 100_000, 200_000], "borders": [20_000, 40_000, 80_000],
         "corpus": [100, 200, 400]}
TINY = {"text": 2_000, "claims": 10, "vertices": 100, "borders": 100, "corpus": 5}
FACTOR = 2.6
FLOOR_S, FLOOR_MB = 0.2, 30.0
SENTENCE = ("Government forces captured Saraqib on Tuesday after heavy shelling of Ariha, "
            "and opposition fighters withdrew towards Idlib, according to local sources. ")


def _text(n: int, tmp: Path) -> float:
    import conflictmap as cm

    cm.extract("Fighting near Idlib.")  # the name finder opens outside the timing
    text = (SENTENCE * (n // len(SENTENCE) + 1))[:n]
    t = time.perf_counter()
    cm.extract(text)
    return time.perf_counter() - t


def _claims(n: int, tmp: Path) -> float:
    import yaml

    import conflictmap as cm

    claims = [{"id": f"c{i}", "kind": ["captured", "retreat", "control"][i % 3],
               "date": f"2020-02-{1 + i % 28:02d}", "summary": f"Claim {i}",
               "place": {"name": f"Place {i}", "lat": 35 + (i % 50) * 0.02,
                         "lon": 36 + (i // 50) * 0.02}} for i in range(n)]
    src = tmp / "claims.yaml"
    src.write_text(yaml.safe_dump({"report": {"title": "t"}, "claims": claims}))
    t = time.perf_counter()
    cm.build([src], tmp / "m.html", tiles=None)
    return time.perf_counter() - t


def _vertices(n: int, tmp: Path) -> float:
    from conflictmap.cli import main

    ring = [(36.5 + 0.4 * math.cos(2 * math.pi * k / n), 36 + 0.4 * math.sin(2 * math.pi * k / n))
            for k in range(n)]
    wkt = "POLYGON ((" + ", ".join(f"{x:.7f} {y:.7f}" for x, y in [*ring, ring[0]]) + "))"
    src = tmp / "c.yaml"
    src.write_text(f'report: {{title: t}}\ncontrol_areas:\n  - {{actor: A, valid_from: 2020-01-01, '
                   f'wkt: "{wkt}"}}\n')
    t = time.perf_counter()
    with contextlib.suppress(SystemExit):
        main(["control-stats", str(src)], standalone_mode=False)
    return time.perf_counter() - t


def _borders(n: int, tmp: Path) -> float:
    import datetime as dt

    from shapely.geometry import Polygon

    from conflictmap.control import frontlines
    from conflictmap.model import ControlArea

    border = [(36.5 + (0.002 if i % 2 else -0.002), 35 + i / n) for i in range(n + 1)]
    day = dt.date(2020, 1, 1)
    areas = [ControlArea(actor=a, status="assessed", valid_from=day, valid_until=None,
                         geometry_wkt=Polygon([(x, 35), *border, (x, 36)]).wkt, source="s",
                         note="", path="p", line=None) for a, x in (("A", 36.0), ("B", 37.0))]
    t = time.perf_counter()
    frontlines(areas, day)
    return time.perf_counter() - t


def _corpus(n: int, tmp: Path) -> float:
    from conflictmap.batch import run_batch
    from conflictmap.batch.work import worker_gazetteer

    worker_gazetteer()
    src = tmp / "news.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": SENTENCE * 8 + f"Day {i}."}) + "\n"
                           for i in range(n)))
    t = time.perf_counter()
    run_batch([src], tmp / "out", workers=1, progress=False)
    return time.perf_counter() - t


CASES = {"text": _text, "claims": _claims, "vertices": _vertices, "borders": _borders,
         "corpus": _corpus}


def one(case: str, n: int) -> dict:
    """Measure one case at one size in this process."""
    with tempfile.TemporaryDirectory() as tmp:
        seconds = CASES[case](n, Path(tmp))
    return {"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(case: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", case, str(n)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return 0
    rows, failed = [], []
    for case in args.cases.split(","):
        base = measure(case, TINY[case])["rss_mb"]
        points = [(n, measure(case, n)) for n in SIZES[case]]
        for (n1, a), (n2, b) in zip(points, points[1:], strict=False):
            mem_a, mem_b = max(a["rss_mb"] - base, 0.0), max(b["rss_mb"] - base, 0.0)
            t_ratio = b["seconds"] / a["seconds"] if a["seconds"] > 0 else 0.0
            m_ratio = mem_b / mem_a if mem_a > 0 else 0.0
            ok = (b["seconds"] <= FACTOR * a["seconds"] + FLOOR_S
                  and mem_b <= FACTOR * mem_a + FLOOR_MB)
            rows.append({"case": case, "from": n1, "to": n2, "seconds": [a["seconds"], b["seconds"]],
                         "extra_mb": [mem_a, mem_b], "time_ratio": t_ratio, "memory_ratio": m_ratio,
                         "ok": ok})
            if not ok:
                failed.append(f"{case} {n1}->{n2}")
    if args.json:
        print(json.dumps({"rows": rows, "failed": failed, "factor": FACTOR}, indent=1))
    else:
        print(f"{'case':9} {'n':>15} {'seconds':>17} {'x':>5} {'extra MB':>15} {'x':>5}  ok")
        for r in rows:
            print(f"{r['case']:9} {r['from']:>7,}->{r['to']:<7,} {r['seconds'][0]:7.2f}->"
                  f"{r['seconds'][1]:<7.2f} {r['time_ratio']:5.2f} {r['extra_mb'][0]:6.0f}->"
                  f"{r['extra_mb'][1]:<6.0f} {r['memory_ratio']:5.2f}  {'yes' if r['ok'] else 'NO'}")
        print(f"a doubling may multiply time and memory by at most {FACTOR} "
              f"(+{FLOOR_S} s, +{FLOOR_MB:.0f} MB of noise): "
              + ("all pass" if not failed else "too fast: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
