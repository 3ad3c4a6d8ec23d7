"""The contract every gazetteer source fulfils: :class:`PlaceSource`. The sources are
registered in one ordered list (:data:`conflictmap.gazetteer.sources.SOURCES`), used
both to resolve names and by ``conflictmap gazetteer info``.

A source answers :meth:`PlaceSource.lookup` for an exact or a variant name key. What it
can do beyond that, and how far its places are trusted, it *declares*:

* ``trust`` — added to the score of every place it gives (hand-checked data ranks
  above bulk data); ``area_trust`` more for its areas; ``kind_trust`` more for places
  of a kind (real boundaries the user imported beat approximate outlines);
* ``fuzzy`` — whether :meth:`PlaceSource.fuzzy_keys` finds close spellings;
* ``outlines`` — whether :meth:`PlaceSource.outline` gives an area's outline, and
  ``outline_kind`` what kind: ``"boundary"`` (the unit's own boundary) or
  ``"approximate"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from conflictmap.gazetteer.rank import Context
from conflictmap.model import Feature, Place


class PlaceSource:
    """The contract every gazetteer source fulfils (see the module docstring)."""

    name: ClassVar[str] = "source"
    trust: ClassVar[float] = 0.0
    area_trust: ClassVar[float] = 0.0
    kind_trust: ClassVar[dict[str, float]] = {}
    fuzzy: ClassVar[bool] = False
    outlines: ClassVar[bool] = False
    outline_kind: ClassVar[str] = "approximate"
    #: when several sources have an outline for a place, the highest rank wins (an outline
    #: the place already carries, such as a curated one, ranks 1)
    outline_rank: ClassVar[int] = 0

    @classmethod
    def open_default(cls, *, progress: bool = True) -> PlaceSource | None:
        """The source as installed (``None`` when the user has none of it)."""
        raise NotImplementedError

    @classmethod
    def describe_absent(cls) -> dict:
        """What ``gazetteer info`` says when the source is not there."""
        return {"name": cls.name, "places": 0, "where": "", "details": ["not available"]}

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        """Places whose exact (or, with ``loose``, variant) key equals ``key``, each with
        the name that matched."""
        raise NotImplementedError

    def names(self) -> Iterable[str]:
        """Every exact key the source knows, so that its names can be found in text."""
        raise NotImplementedError

    def forget(self) -> None:
        """Drop what the source remembers of earlier lookups (nothing, by default)."""

    def fuzzy_keys(self, loose: str, ctx: Context) -> list[tuple[str, float]]:
        """Variant keys of places inside ``ctx`` that are close spellings of ``loose``,
        with their similarity (0-100). Only for sources that declare ``fuzzy``."""
        return []

    def outline(self, place: Place) -> tuple[str, str] | None:
        """The outline (WKT) of an area and its kind ("boundary" or "approximate"). Only
        for sources that declare ``outlines``."""
        return None

    def bonus(self, place: Place) -> float:
        """How much the source's declared trust adds to a place's score."""
        extra = self.area_trust if place.feature is Feature.AREA else 0.0
        return self.trust + extra + self.kind_trust.get(place.kind, 0.0)

    def describe(self) -> dict:
        """Name, size, location and details, for ``gazetteer info``."""
        raise NotImplementedError
