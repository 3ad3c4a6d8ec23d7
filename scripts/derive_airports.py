"""Derive ``geodata/gazetteer/airports.csv`` from the PyPI package ``airportsdata``
(MIT; it includes data from mwgg/Airports, MIT), at maintenance time.

Kept: airports with an IATA code (the ones news names) and air bases. For each, the
names a report uses: the full name, the name after "City /", the name without its
leading city word ("London Heathrow Airport" -> "Heathrow Airport", "Heathrow"), and
shorter forms ending in "Airport" ("Toronto Pearson International Airport" ->
"Pearson International Airport", "Pearson Airport").

    python scripts/derive_airports.py path/to/airportsdata-VERSION-py3-none-any.whl

(or with no argument, the installed ``airportsdata`` package).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer" / "airports.csv"
SUFFIX = re.compile(r"\s+(International\s+)?(Airport|Airfield|Air Base|Airbase)$", re.I)


def _rows(arg: str | None) -> tuple[list[dict], str]:
    if arg:
        with zipfile.ZipFile(arg) as z:
            text = z.read("airportsdata/airports.csv").decode("utf-8")
        version = Path(arg).name.split("-")[1]
    else:
        import airportsdata  # noqa: PLC0415 - a maintenance-time dependency only
        text = (Path(airportsdata.__file__).parent / "airports.csv").read_text(encoding="utf-8")
        version = getattr(airportsdata, "__version__", "?")
    return list(csv.DictReader(io.StringIO(text))), version


def variants(name: str, city: str) -> list[str]:
    """The names a report may use for an airport (see the module docstring)."""
    out = [name]
    proper = name.split(" / ")[-1].strip()
    out.append(proper)
    m = SUFFIX.search(proper)
    if not m:
        return list(dict.fromkeys(out))
    core = proper[:m.start()].strip()
    kind = m.group(2)
    words = core.split()
    for k in range(1, len(words)):
        rest = " ".join(words[k:])
        if len(rest) >= 4:
            out += [f"{rest} {kind}"] + ([f"{rest} International {kind}"] if m.group(1) else [])
    if "-" in words[0]:  # "Montréal-Pierre Elliott Trudeau" -> "Pierre Elliott Trudeau"
        rest = " ".join([words[0].split("-", 1)[1], *words[1:]])
        out += [f"{rest} {kind}"] + ([f"{rest} International {kind}"] if m.group(1) else [])
    own = " ".join(words[1:]) if len(words) > 1 and words[0].lower() == city.lower() else ""
    if " / " in name:
        own = own or core
    if own and len(own) >= 5 and own.lower() != city.lower() and kind.lower() == "airport":
        out.append(own)  # "Heathrow", "Gatwick", "Macdonald-Cartier"
    return list(dict.fromkeys(v for v in out if v))


def main(argv: list[str]) -> int:
    rows, version = _rows(argv[1] if len(argv) > 1 else None)
    kept = []
    for r in rows:
        base = re.search(r"Air ?Base", r["name"], re.I)
        if not r["iata"] and not base:
            continue
        kept.append({"icao": r["icao"], "iata": r["iata"], "name": r["name"],
                     "names": "|".join(variants(r["name"], r["city"])[1:]),
                     "city": r["city"], "country": r["country"],
                     "lat": f"{float(r['lat']):.5f}", "lon": f"{float(r['lon']):.5f}"})
    kept.sort(key=lambda r: r["icao"])
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    print(f"{len(kept)} airports from airportsdata {version} -> {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
