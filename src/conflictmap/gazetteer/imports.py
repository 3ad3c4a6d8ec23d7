"""The user's own additions to the gazetteer: GeoNames dumps, CSV place lists, boundaries.

``conflictmap gazetteer import FILE`` reads

* a GeoNames dump in its tab-separated format: a country file (``SY.txt``,
  ``SY.zip``), ``allCountries.zip``, or ``cities*.txt`` / ``cities*.zip``;
* a CSV of the user's own places (``name``, ``lat``, ``lon``; optional ``names``
  separated by ``|``, ``country``, ``kind``, ``admin1``, ``geonameid``,
  ``population``, ``uncertainty_km``, ``source``);
* boundaries: GeoJSON, GeoPackage or a Shapefile, read with geopandas (``--name-field``
  chooses the name column; other name-like columns become alternate names).

and adds them to an index in the user data directory (``$CONFLICTMAP_DATA_DIR``
overrides it). Importing the same file name again replaces its earlier rows.
The store is written atomically like the default index.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

from conflictmap.claims.geometry import flat_and_whole
from conflictmap.claims.read import bounded_lines, text_problem
from conflictmap.errors import GazetteerError, InputError
from conflictmap.gazetteer.bulk import ADMIN1, ADMIN2, CONTINENT, COUNTRY, POPULATED, Row
from conflictmap.gazetteer.index import GazetteerIndex, file_lock, write_index
from conflictmap.progress import Progress, log

STORE_FILE = "imports-v2.sqlite"

_CLASS_KINDS = {"A": "administrative area", "H": "water feature", "L": "area",
                "P": POPULATED, "R": "road or railway", "S": "site or building",
                "T": "hill or mountain", "U": "undersea feature", "V": "vegetation"}
_CODE_KINDS = {"ADM1": ADMIN1, "ADM2": ADMIN2, "PCLI": COUNTRY, "PCLD": COUNTRY,
               "PCLF": COUNTRY, "PCLS": COUNTRY, "PCL": COUNTRY, "CONT": CONTINENT,
               "PSTB": "border crossing"}
#: Approximate extent (km) of a GeoNames area feature, by feature code, for its ring.
_CODE_RADIUS = {"ADM1": 80.0, "ADM2": 25.0, "ADM3": 10.0, "ADM4": 4.0, "PCLI": 300.0,
                "RGN": 50.0, "AREA": 10.0, "MTS": 20.0}


def data_dir() -> Path:
    """``$CONFLICTMAP_DATA_DIR`` or the platform's user data directory."""
    return Path(os.environ.get("CONFLICTMAP_DATA_DIR") or platformdirs.user_data_dir("conflictmap"))


@dataclass(frozen=True)
class ImportedFile:
    name: str
    kind: str
    places: int
    imported: str


MAX_LINE = 100_000  #: characters in one line of a GeoNames dump (real lines are < 20,000)
MAX_ID = 10**10  #: GeoNames ids are below this (about 13 million today)
MAX_POPULATION = 10**10
MAX_NAME = 1000  #: characters in one imported name
MAX_BOUNDARY_BYTES = 2_000_000_000


def _geonames_lines(path: Path) -> Iterator[tuple[str, int, str | None]]:
    """(member name, line number, line) of a GeoNames .txt or a .zip of them; a line longer
    than :data:`MAX_LINE` comes as ``None`` and is never held whole in memory."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist()
                       if n.endswith(".txt") and not n.lower().startswith(("readme", "__"))]
            if not members:
                raise InputError("the zip file holds no GeoNames .txt file", path=str(path))
            for member in members:
                try:
                    fh = zf.open(member)
                except (RuntimeError, NotImplementedError) as exc:  # encrypted, Deflate64...
                    raise InputError(f"cannot read {member} in the zip file: {exc}",
                                     path=str(path)) from None
                with fh, io.TextIOWrapper(fh, "utf-8") as text:
                    for n, line in bounded_lines(text, MAX_LINE):
                        yield member, n, line
        return
    with path.open(encoding="utf-8") as plain:
        for n, line in bounded_lines(plain, MAX_LINE):
            yield path.name, n, line


def _names(names: Iterable[str], where: str, line: int) -> set[str]:
    out = set()
    for name in names:
        if not name:
            continue
        problem = text_problem(name) or (f"more than {MAX_NAME} characters"
                                         if len(name) > MAX_NAME else "")
        if problem:
            raise InputError(f"a name holds {problem}", path=where, line=line)
        out.add(name)
    return out


def geonames_rows(path: Path, source: str) -> Iterator[Row]:
    """Rows of a GeoNames dump (19 tab-separated columns per line)."""
    try:
        for member, n, line in _geonames_lines(path):
            where = f"{path}" + (f"!{member}" if member != path.name else "")
            if line is None:
                raise InputError(f"a line longer than {MAX_LINE:,} characters; not a GeoNames "
                                 "dump", path=where, line=n)
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                raise InputError(f"expected the 19 tab-separated columns of a GeoNames dump, "
                                 f"found {len(cols)}", path=where, line=n)
            if not _ID.fullmatch(cols[0]) or not _ID.fullmatch(cols[14] or "0"):
                raise InputError(f"the geonameid and population must be whole numbers below "
                                 f"{MAX_ID:,}, found {cols[0][:20]!r}, {cols[14][:20]!r}",
                                 path=where, line=n)
            try:
                gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
            except ValueError as exc:
                raise InputError(f"bad number in a GeoNames row: {exc}"[:200], path=where,
                                 line=n) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InputError(f"coordinates out of range: {lat:.6g}, {lon:.6g}", path=where,
                                 line=n)
            fclass, fcode = cols[6], cols[7]
            kind = _CODE_KINDS.get(fcode) or _CLASS_KINDS.get(fclass, "place")
            names = _names([cols[1], cols[2], *cols[3].split(",")], where, n)
            yield Row(gid, cols[1], lat, lon, cols[8][:2], cols[10][:20], int(cols[14] or 0),
                      kind, radius_km=_CODE_RADIUS.get(fcode, 0.0), source=source, names=names)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=str(path)) from exc
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(f"cannot read: {exc}"[:300], path=str(path)) from exc


_ID = re.compile(r"[0-9]{1,10}")


def _float(row: dict, field: str, path: Path, line: int, default: float | None = None,
           low: float = -math.inf, high: float = math.inf) -> float:
    raw = (row.get(field) or "").strip()
    if not raw and default is not None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"'{field}' must be a number, found {raw[:40]!r}", path=str(path),
                         line=line) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InputError(f"'{field}' must lie between {low:g} and {high:g}, found {raw[:40]!r}",
                         path=str(path), line=line)
    return value


def csv_rows(path: Path, source: str) -> Iterator[Row]:
    """Rows of the user's own place list."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(_lines_within(fh, path))
            missing = {"name", "lat", "lon"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"a place CSV needs the columns name, lat, lon; missing "
                                 f"{', '.join(sorted(missing))}", path=str(path), line=1)
            for row in reader:
                n = reader.line_num
                name = (row.get("name") or "").strip()
                if not name:
                    raise InputError("empty 'name'", path=str(path), line=n)
                lat = _float(row, "lat", path, n, low=-90, high=90)
                lon = _float(row, "lon", path, n, low=-180, high=180)
                gid = (row.get("geonameid") or "").strip()
                if gid and not _ID.fullmatch(gid):
                    raise InputError(f"'geonameid' must be a whole number below {MAX_ID:,}, "
                                     f"found {gid[:20]!r}", path=str(path), line=n)
                country = (row.get("country") or "").strip().upper()
                if country and not re.fullmatch(r"[A-Z]{2}", country):
                    raise InputError(f"'country' must be an ISO 3166-1 alpha-2 code such as SY, "
                                     f"found {country[:20]!r}", path=str(path), line=n)
                note = (row.get("source") or "").strip()
                if len(note) > 500 or text_problem(note):
                    raise InputError("'source' must be text of at most 500 characters",
                                     path=str(path), line=n)
                yield Row(int(gid) if gid else None, name, lat, lon, country,
                          (row.get("admin1") or "").strip(),
                          int(_float(row, "population", path, n, 0, 0, MAX_POPULATION)),
                          (row.get("kind") or "").strip()[:100] or "place",
                          radius_km=_float(row, "uncertainty_km", path, n, 0.0, 0, 20_000),
                          source=source + (f"; {note}" if note else ""),
                          names=_names([name, *(a.strip() for a in (row.get("names") or "")
                                                 .split("|"))], str(path), n))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=str(path)) from exc
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc


def _lines_within(fh: IO[str], path: Path) -> Iterator[str]:
    for n, line in bounded_lines(fh, MAX_LINE):
        if line is None:
            raise InputError(f"a line longer than {MAX_LINE:,} characters", path=str(path), line=n)
        yield line


_NAME_FIELDS = ("name", "NAME", "name_en", "NAME_EN", "ADM1_EN", "ADM2_EN", "ADM3_EN",
                "shapeName", "admin1Name_en", "admin2Name_en")


def boundary_rows(path: Path, source: str, name_field: str = "") -> Iterator[Row]:
    """Areas with real outlines from a GeoJSON, GeoPackage or Shapefile."""
    import geopandas as gpd  # heavy: only boundary imports need it

    if path.stat().st_size > MAX_BOUNDARY_BYTES:
        raise InputError(f"boundary file is larger than {MAX_BOUNDARY_BYTES:,} bytes",
                         path=str(path))
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - pyogrio raises many unrelated types
        raise InputError(f"cannot read boundaries: {exc}", path=str(path)) from exc
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    field = name_field or next((f for f in _NAME_FIELDS if f in frame.columns), "")
    if not field or field not in frame.columns:
        raise InputError(f"no name column found; choose one with --name-field from: "
                         f"{', '.join(c for c in frame.columns if c != 'geometry')}", path=str(path))
    others = [c for c in frame.columns if c != field and c != "geometry"
              and (c.lower().startswith(("name", "alt")) or c.endswith(("_EN", "_AR", "_ALT")))]
    for i, rec in enumerate(frame.itertuples(index=False), 1):
        geom = rec.geometry
        name = str(getattr(rec, field) or "").strip()
        if geom is None or geom.is_empty or not name:
            raise InputError(f"feature {i} has no {'geometry' if name else 'name'}", path=str(path))
        west, south, east, north = geom.bounds
        if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
            geom, notes = flat_and_whole(geom)
            for note in notes:
                log.warning("%s: feature %d (%s): %s", path, i, name[:60], note)
        else:
            raise InputError(f"feature {i} ({name[:60]!r}) has a vertex off the globe (latitude "
                             f"{south:.6g}..{north:.6g}, longitude {west:.6g}..{east:.6g}); is "
                             "the file's CRS declared?", path=str(path))
        point = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        radius = math.hypot((maxx - minx) * 111.32 * math.cos(math.radians(point.y)),
                            (maxy - miny) * 110.574) / 2
        alts = {str(getattr(rec, c)) for c in others if isinstance(getattr(rec, c), str)}
        yield Row(None, name, point.y, point.x, "", "", 0, "boundary", radius_km=round(radius, 1),
                  outline=geom.simplify(0.001, preserve_topology=True).wkt,
                  source=source, names=_names([name, *alts], str(path), i))


BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")


class ImportStore:
    """The index of imported files in the user data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index = GazetteerIndex(path)

    @classmethod
    def open_default(cls) -> ImportStore | None:
        path = data_dir() / STORE_FILE
        if not path.exists():
            return None
        try:
            return cls(path)
        except GazetteerError as exc:
            raise GazetteerError(f"{exc}; delete it and import your files again") from exc

    def files(self) -> list[ImportedFile]:
        return [ImportedFile(**f) for f in json.loads(self.index.meta.get("files", "[]"))]


def import_file(path: str | Path, *, name_field: str = "", progress: bool = True,
                today: dt.date | None = None) -> ImportedFile:
    """Add a file's places to the import store (replacing an earlier import of it)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    when = (today or dt.date.today()).isoformat()
    prefix = f"imported from {path.name} "
    source = f"{prefix}on {when}"
    suffix = path.suffix.lower()
    if suffix in BOUNDARY_SUFFIXES:
        rows, kind = boundary_rows(path, source, name_field), "boundaries"
    elif suffix == ".csv":
        rows, kind = csv_rows(path, source), "place list (CSV)"
    elif suffix in (".txt", ".zip", ".tsv"):
        rows, kind = geonames_rows(path, source + " (GeoNames, CC BY 4.0)"), "GeoNames dump"
    else:
        raise InputError("unknown file type: expected a GeoNames .txt/.zip, a .csv place list, "
                         "or boundaries (.geojson, .gpkg, .shp)", path=str(path))
    store_path = data_dir() / STORE_FILE
    with file_lock(store_path):  # a concurrent import waits, then adds to this one's result
        existing = ImportStore.open_default()
        files = [f for f in (existing.files() if existing else []) if f.name != path.name]
        if existing is not None:
            existing.index.con.close()
        counted = _Counting(rows, path)

        def meta() -> dict[str, str]:  # called once every row is in
            record = ImportedFile(path.name, kind, counted.n, when)
            return {"files": json.dumps([f.__dict__ for f in [*files, record]])}

        write_index(store_path, counted, meta, Progress(progress),
                    base=store_path if existing else None, drop_source_prefix=prefix)
    from conflictmap.gazetteer import default_gazetteer  # cycle: the gazetteer reads the store

    default_gazetteer.cache_clear()  # this process's next lookup sees the import
    return ImportedFile(path.name, kind, counted.n, when)


class _Counting:
    """Counts rows; an empty file is an error (and then nothing is written)."""

    def __init__(self, rows: Iterator[Row], path: Path) -> None:
        self.rows, self.path, self.n = rows, path, 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.n += 1
            yield row
        if self.n == 0:
            raise InputError("no places found in the file", path=str(self.path))
