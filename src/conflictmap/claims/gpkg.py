"""GeoPackage layers: listed and counted by SQLite under a budget of work (a recursive or
runaway view is refused, not waited on), then every feature layer read by GDAL: control
areas with the checks of :mod:`conflictmap.claims.control`, and the claim layers of
conflictmap's own export."""

from __future__ import annotations

from pathlib import Path

from conflictmap.claims.control import MAX_AREAS, AreaFields, warn_repairs
from conflictmap.claims.read import read_bytes
from conflictmap.errors import InputError
from conflictmap.model import ControlArea

GPKG_BUDGET_STEPS = 50_000_000  #: SQLite VM steps to list and count a GeoPackage's layers


def gpkg_layers(path: Path) -> list[tuple[str, int]]:
    """The feature layers of a GeoPackage and their row counts, read by SQLite with a
    budget of work: a layer that is a recursive or runaway view is refused, not waited on."""
    import sqlite3

    head = read_bytes(path, 2_000_000_000, head=16)  # huge files refused before SQLite reads
    if head != b"SQLite format 3\x00":
        raise InputError("not a GeoPackage (a GeoPackage is an SQLite database; this file does "
                         "not start like one)", path=str(path))
    steps = 0

    def budget() -> int:
        nonlocal steps
        steps += 10_000
        return 1 if steps > GPKG_BUDGET_STEPS else 0  # non-zero interrupts the query

    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open the GeoPackage: {exc}"[:300], path=str(path)) from None
    try:
        db.set_progress_handler(budget, 10_000)
        names = [r[0] for r in db.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid")]
        out = []
        for name in names:
            quoted = '"' + str(name).replace('"', '""') + '"'
            [(count,)] = db.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - quoted name
            out.append((str(name), int(count)))
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise InputError("reading the GeoPackage's layers takes more work than a control "
                             "layer can (a recursive or runaway view?)", path=str(path)) from None
        raise InputError(f"cannot read the GeoPackage: {exc}"[:300], path=str(path)) from None
    except sqlite3.Error as exc:
        raise InputError(f"cannot read the GeoPackage: {exc}"[:300], path=str(path)) from None
    finally:
        db.close()
    if not out:
        raise InputError("the GeoPackage has no feature layer", path=str(path))
    return out


def read_gpkg(path: Path) -> tuple[list[ControlArea], list[dict]]:
    """The control areas of every feature layer of a GeoPackage, and the rows of the claim
    layers of conflictmap's own export (a ``claim_id`` column; its frontlines, with a
    ``snap_km`` column, are derived and skipped): properties with a GeoJSON ``geometry``."""
    import warnings

    import geopandas as gpd  # heavy: only GeoPackage layers need it
    from shapely.geometry import mapping

    layers = gpkg_layers(path)
    total = sum(count for _, count in layers)
    if total > MAX_AREAS:
        raise InputError(f"{total:,} areas; the limit is {MAX_AREAS:,}", path=str(path))
    out: list[ControlArea] = []
    claims: list[dict] = []
    repairs: list = []
    for name, _count in layers:
        label = f"layer {name!r}: " if len(layers) > 1 else ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pyogrio's warnings are ours to say, as errors
                frame = gpd.read_file(path, layer=name)
        except Exception as exc:  # noqa: BLE001 - pyogrio raises many unrelated types
            raise InputError(f"{label}cannot read it: {exc}"[:300], path=str(path)) from None
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        if "snap_km" in frame.columns:
            continue
        if "claim_id" in frame.columns:
            for rec in frame.to_dict("records"):
                geom = rec.pop("geometry", None)
                props = {k: (None if v != v else v) for k, v in rec.items()}  # NaN -> None
                claims.append(props | {"geometry": mapping(geom) if geom is not None else None})
            continue
        if "actor" not in frame.columns:
            raise InputError(f"{label}a control layer needs an 'actor' column; found "
                             f"{', '.join(c for c in frame.columns if c != 'geometry')[:200]}",
                             path=str(path))
        where = f"layer {name!r}, feature" if len(layers) > 1 else "feature"
        for i, rec in enumerate(frame.to_dict("records"), 1):
            if "colour" in rec and isinstance(rec.get("claim"), str) and rec["claim"]:
                continue  # an export's area claimed by one of its claims: derived again
            geom = rec.pop("geometry", None)
            fields = AreaFields(path, f"{where} {i}", None, repairs)
            if geom is None:
                raise fields.fail("no geometry")
            props = {k: (None if v != v else v) for k, v in rec.items()}  # NaN -> None
            out.append(fields.area(props, geom, path.name))
    warn_repairs(path, repairs)
    return out, claims
