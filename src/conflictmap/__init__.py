"""conflictmap: the places and claims of a conflict report on an offline interactive map.

The data flows one way: an input file (claims YAML or a CSV place list) becomes a
:class:`~conflictmap.model.Report`; its place names are resolved by a
:class:`~conflictmap.gazetteer.Gazetteer`; the located claims are rendered by
:func:`~conflictmap.render.build_map`.
"""

from conflictmap.errors import ConflictMapError, InputError, OutputError, PlaceNotFound
from conflictmap.model import Claim, ClaimKind, Precision, Report, Resolution, Status

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "ClaimKind",
    "ConflictMapError",
    "InputError",
    "OutputError",
    "PlaceNotFound",
    "Precision",
    "Report",
    "Resolution",
    "Status",
    "__version__",
]
