"""Where places come from. Each source answers ``lookup(key, loose)`` with places.

The contract is deliberately small (see :class:`PlaceSource`) so that the curated
file, the GeoNames index and, later, online geocoders are interchangeable.
"""

from __future__ import annotations

from typing import Protocol

from conflictmap.model import Place


class PlaceSource(Protocol):
    name: str

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        """Places whose exact (or, with ``loose``, variant) key equals ``key``,
        each with the name that matched."""
        ...

    def names(self) -> list[str]:
        """Every exact key the source knows, so that its names can be found in text."""
        ...
