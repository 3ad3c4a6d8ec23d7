"""Claims files: YAML claims files, CSV place lists and GeoJSON, each read by its own
module into a :class:`~conflictmap.model.Report`, with one set of field checks
(:mod:`conflictmap.claims.validate`). The loader is chosen by the file's suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from conflictmap.claims.control import SUFFIXES as CONTROL_SUFFIXES
from conflictmap.claims.control import (
    control_from_geojson,
    is_control_geojson,
    is_export,
    load_control,
)
from conflictmap.claims.csvfile import load_csv
from conflictmap.claims.geojson import claims_of_export, load_geojson
from conflictmap.claims.gpkg import read_gpkg
from conflictmap.claims.parquet import is_batch_claims, load_batch_claims
from conflictmap.claims.read import parse_json, read_text
from conflictmap.claims.yamlfile import load_palette, load_yaml
from conflictmap.errors import InputError
from conflictmap.model import Report, Source
from conflictmap.resources import geodata_dir

__all__ = ["LOADERS", "example_path", "load", "load_control", "load_input", "load_inputs",
           "load_palette", "load_report"]

#: The loader of each input suffix: ``(path, text) -> Report``.
LOADERS: dict[str, Callable[[Path, str], Report]] = {
    ".yaml": load_yaml, ".yml": load_yaml, ".csv": load_csv,
    ".geojson": load_geojson, ".json": load_geojson,
}


def load_report(path: str | Path) -> Report:
    """Load a claims file (``.yaml``/``.yml``), a CSV place list (``.csv``) or GeoJSON
    claims (``.geojson``/``.json``); errors name the file, line and column."""
    path = Path(path)
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise InputError(f"unsupported input type {suffix or '(none)'!r}; expected .yaml, .yml, "
                         ".csv or .geojson (or a control layer: .kml, .kmz, .gpkg)",
                         path=str(path))
    return loader(path, read_text(path))


def load_input(path: str | Path) -> Report:
    """Any input of ``conflictmap build``: a claims file, a place list, GeoJSON claims, or a
    control layer (``.kml``, ``.kmz``, ``.gpkg``, or GeoJSON polygons with an ``actor``),
    which becomes a report with control areas and no claims."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":  # a control layer, or conflictmap's own export with its claims
        areas, rows = read_gpkg(path)
        report = _control_report(path, areas)
        return replace(report, claims=claims_of_export(path, rows)) if rows else report
    if suffix in CONTROL_SUFFIXES:
        return _control_report(path)
    if suffix in (".geojson", ".json"):  # parsed once, then read as a layer or as claims
        text = read_text(path)
        doc = parse_json(text, path)
        if is_export(doc):  # conflictmap's own export: its claims and its control areas
            return replace(load_geojson(path, text, doc),
                           control=tuple(control_from_geojson(path, doc, text)))
        if is_control_geojson(doc):
            return _control_report(path, control_from_geojson(path, doc, text))
        return load_geojson(path, text, doc)
    return load_report(path)


def load_inputs(path: str | Path) -> list[Report]:
    """The reports of one input of ``conflictmap build``: one, or one per source report
    of a batch's ``claims.parquet``."""
    path = Path(path)
    if is_batch_claims(path):
        return load_batch_claims(path)
    return [load_input(path)]


def _control_report(path: Path, areas: list | None = None) -> Report:
    return Report(source=Source(title=f"Control layer {path.name}", outlet=path.name),
                  claims=(), path=str(path),
                  control=tuple(load_control(path) if areas is None else areas))


def load(path: str | Path) -> Report:
    """Load a report: a claims file (YAML), a CSV place list, GeoJSON claims, or a control
    layer (see :func:`load_input`).

    >>> report = load(example_path())
    >>> report.source.title, len(report.claims)
    ('Video: Towards The Liberation of Idlib City', 8)
    """
    return load_input(path)


def example_path(name: str = "2020-02-18-southfront-idlib.yaml") -> Path:
    """A claims file bundled with the package: the South Front report of 18 February
    2020 by default (also ``demo-2020-02-20-invented.yaml``, an invented second day, and
    ``example-place-list.csv``)."""
    path = geodata_dir() / "reports" / name
    if not path.is_file():
        raise InputError(f"no bundled report named {name!r}", path=str(path))
    return path
