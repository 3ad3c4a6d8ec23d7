"""Claims files: YAML claims files, CSV place lists and GeoJSON, each read by its own
module into a :class:`~conflictmap.model.Report`, with one set of field checks
(:mod:`conflictmap.claims.validate`). The loader is chosen by the file's suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conflictmap.claims.csvfile import load_csv
from conflictmap.claims.geojson import load_geojson
from conflictmap.claims.read import read_text
from conflictmap.claims.yamlfile import load_yaml
from conflictmap.errors import InputError
from conflictmap.model import Report
from conflictmap.resources import geodata_dir

__all__ = ["LOADERS", "example_path", "load", "load_report"]

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
        raise InputError(f"unsupported input type {suffix or '(none)'!r}; "
                         "expected .yaml, .yml, .csv or .geojson", path=str(path))
    return loader(path, read_text(path))


def load(path: str | Path) -> Report:
    """Load a report: a claims file (YAML), a CSV place list or GeoJSON claims.

    >>> report = load(example_path())
    >>> report.source.title, len(report.claims)
    ('Video: Towards The Liberation of Idlib City', 8)
    """
    return load_report(path)


def example_path(name: str = "2020-02-18-southfront-idlib.yaml") -> Path:
    """A claims file bundled with the package: the South Front report of 18 February
    2020 by default (also ``demo-2020-02-20-invented.yaml``, an invented second day, and
    ``example-place-list.csv``)."""
    path = geodata_dir() / "reports" / name
    if not path.is_file():
        raise InputError(f"no bundled report named {name!r}", path=str(path))
    return path
