"""conflictmap: the places and claims of a conflict report on an offline interactive map.

The Python API mirrors the command line (``import conflictmap as cm``):

>>> import conflictmap as cm
>>> r = cm.resolve("Darat Izza", country="SY")[0]
>>> r.status.value, r.place.geonameid
('resolved', 170857)
>>> report = cm.load(cm.example_path())
>>> len(report.claims), report.source.outlet
(8, 'South Front')

The data flows one way: an input file becomes a :class:`Report` (:func:`load`); its
place names are resolved by a :class:`Gazetteer`; the located claims form a
:class:`MappedReport`; every output (HTML, PNG/PDF, CSV, GeoJSON, GeoPackage, text)
is a writer of it (:func:`build`, :class:`ConflictMap`). :func:`extract` drafts a
report from text.

Names are imported when first used, so ``import conflictmap`` is cheap and a command
that only resolves names never loads folium or geopandas.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

#: Public name -> the module that defines it (imported on first use).
_WHERE = {
    # resolving places
    "Gazetteer": "conflictmap.gazetteer",
    "Context": "conflictmap.gazetteer",
    "resolve": "conflictmap.gazetteer",
    "default_gazetteer": "conflictmap.gazetteer",
    # reports and claims
    "load": "conflictmap.claims",
    "example_path": "conflictmap.claims",
    "Report": "conflictmap.model",
    "Claim": "conflictmap.model",
    "Source": "conflictmap.model",
    "Place": "conflictmap.model",
    "PlaceRef": "conflictmap.model",
    "Resolution": "conflictmap.model",
    "Candidate": "conflictmap.model",
    "Status": "conflictmap.model",
    "Precision": "conflictmap.model",
    "Feature": "conflictmap.model",
    "ClaimKind": "conflictmap.kinds",
    # from text
    "extract": "conflictmap.extract",
    "extract_file": "conflictmap.extract",
    "Analysis": "conflictmap.extract",
    # review in the browser
    "review": "conflictmap.review",
    "ReviewSession": "conflictmap.review",
    "ReviewServer": "conflictmap.review",
    # maps and outputs
    "map_reports": "conflictmap.locate",
    "MappedReport": "conflictmap.locate",
    "LocatedClaim": "conflictmap.locate",
    "build": "conflictmap.publish",
    "ConflictMap": "conflictmap.publish",
    "WriteOptions": "conflictmap.writers",
    "embed": "conflictmap.embed",
    # many reports
    "run_batch": "conflictmap.batch",
    "BatchResult": "conflictmap.batch",
    # control of territory
    "ControlArea": "conflictmap.model",
    "Actor": "conflictmap.model",
    "Palette": "conflictmap.actors",
    "Filters": "conflictmap.control",
    "load_control": "conflictmap.claims",
    "load_palette": "conflictmap.claims",
    "control_stats": "conflictmap.control",
    "against_control": "conflictmap.control",
    "FORMATS": "conflictmap.writers",
    # errors
    "ConflictMapError": "conflictmap.errors",
    "InputError": "conflictmap.errors",
    "OutputError": "conflictmap.errors",
    "PlaceNotFound": "conflictmap.errors",
    "GazetteerError": "conflictmap.errors",
    "UsageError": "conflictmap.errors",
}

__all__ = [
    "Actor", "Analysis", "BatchResult", "Candidate", "Claim", "ClaimKind", "ConflictMap",
    "ConflictMapError", "Context", "ControlArea", "FORMATS", "Feature", "Filters", "Gazetteer",
    "GazetteerError", "InputError", "LocatedClaim", "MappedReport", "OutputError", "Palette",
    "Place", "PlaceNotFound", "PlaceRef", "Precision", "Report", "Resolution", "ReviewServer",
    "ReviewSession", "Source",
    "Status", "UsageError", "WriteOptions", "__version__", "against_control", "build", "control_stats",
    "default_gazetteer", "embed", "example_path", "extract", "extract_file", "load",
    "load_control", "load_palette", "map_reports", "resolve", "review", "run_batch",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'conflictmap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


class _Package(types.ModuleType):
    """``cm.extract``, ``cm.embed`` and ``cm.review`` are the API's functions, although subpackages of
    the same names exist: importing a submodule normally rebinds the package's attribute
    to the module, which would make ``cm.extract(text)`` fail depending on import order.
    The modules stay importable as usual (``from conflictmap.extract import text``)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("extract", "embed", "review") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # what the names above are, for type checkers and editors
    from conflictmap.actors import Palette
    from conflictmap.batch import BatchResult, run_batch
    from conflictmap.claims import example_path, load, load_control, load_palette
    from conflictmap.control import Filters, against_control, control_stats
    from conflictmap.embed import embed
    from conflictmap.errors import (
        ConflictMapError,
        GazetteerError,
        InputError,
        OutputError,
        PlaceNotFound,
        UsageError,
    )
    from conflictmap.extract import Analysis, extract, extract_file
    from conflictmap.gazetteer import Context, Gazetteer, default_gazetteer, resolve
    from conflictmap.kinds import ClaimKind
    from conflictmap.locate import LocatedClaim, MappedReport, map_reports
    from conflictmap.model import (
        Actor,
        Candidate,
        Claim,
        ControlArea,
        Feature,
        Place,
        PlaceRef,
        Precision,
        Report,
        Resolution,
        Source,
        Status,
    )
    from conflictmap.publish import ConflictMap, build
    from conflictmap.review import ReviewServer, ReviewSession, review
    from conflictmap.writers import FORMATS, WriteOptions
