"""The data files conflictmap reads, installed inside the package.

Everything under the repository's ``geodata/`` folder is installed as the package
``conflictmap.geodata`` (see ``pyproject.toml``), so a wheel carries the curated
gazetteer, the administrative areas, the basemap context and the bundled reports.
``$CONFLICTMAP_GEODATA`` points at another copy of that folder instead.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from conflictmap.errors import InputError


def geodata_dir() -> Path:
    """``$CONFLICTMAP_GEODATA`` if set, else the ``geodata`` installed with the package."""
    env = os.environ.get("CONFLICTMAP_GEODATA")
    path = Path(env) if env else Path(str(resources.files("conflictmap.geodata")))
    if not (path / "gazetteer" / "places.csv").is_file():
        raise InputError("the curated gazetteer (gazetteer/places.csv) is not in this geodata "
                         "folder; reinstall conflictmap or unset CONFLICTMAP_GEODATA",
                         path=str(path))
    return path
