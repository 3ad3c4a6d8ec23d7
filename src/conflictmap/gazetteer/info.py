"""What the gazetteer holds and where it comes from (``conflictmap gazetteer info``)."""

from __future__ import annotations

from conflictmap.gazetteer.sources import SOURCES


def describe(*, progress: bool = True) -> dict:
    """Every registered source, in resolution order."""
    out = []
    for kind in SOURCES:
        source = kind.open_default(progress=progress)
        out.append(source.describe() if source is not None else kind.describe_absent())
    return {"sources": out}
