"""A map of one or more claims files, saved in the format its file name asks for.

:class:`ConflictMap` is what the ``build``, ``watch`` and ``embed`` commands and
the notebook use: it loads the input files (all of them, before the gazetteer is
opened, so a bad file is reported at once), locates their places with the user's
corrections, keeps the resulting :class:`~conflictmap.locate.MappedReport`, and
writes it with the writer of the file's suffix (:mod:`conflictmap.writers`).

In Jupyter a ``ConflictMap`` displays itself (``_repr_html_``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from conflictmap.atomic import check_not_input
from conflictmap.claims import load_inputs, load_palette
from conflictmap.control import Filters, attach_control
from conflictmap.corrections import load_corrections
from conflictmap.embed import description, snippet, summary_lines
from conflictmap.errors import InputError
from conflictmap.gazetteer import Gazetteer, default_gazetteer
from conflictmap.locate import LocatedClaim, LocatedReport, MappedReport, Unlocated, locate, map_reports
from conflictmap.model import Resolution
from conflictmap.writers import WriteOptions, page_bytes, write, writer_for


@dataclass
class ConflictMap:
    """The mapped report of some input files, and its outputs."""

    mapped: MappedReport
    tiles: str | None = "OpenStreetMap"  #: the tile basemap a reader may switch to
    cdn: bool = False
    context: bool = True  #: the offline borders, coasts, admin lines and place names
    tiles_on: bool = False  #: open with the tile basemap shown instead of the offline map
    written: int = 0  #: bytes written by the last :meth:`save`
    _map: Any = field(default=None, repr=False)

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], *, gazetteer: Gazetteer | None = None,
                   places: str | Path | None = None, tiles: str | None = "OpenStreetMap",
                   cdn: bool = False, context: bool = True, actors: str | Path | None = None,
                   compare: tuple[dt.date, dt.date] | None = None,
                   only: Filters | None = None, tiles_on: bool = False) -> ConflictMap:
        """Load, correct and locate ``paths`` (claims YAML, CSV place lists, GeoJSON,
        control layers), with an actor palette file, two dates to compare and filters."""
        if not paths:
            raise InputError("no input files given")
        reports = [r for p in paths for r in load_inputs(p)]  # input errors before index work
        fixes = load_corrections(places) if places else None
        palette = load_palette(actors) if actors else ()
        gazetteer = gazetteer or default_gazetteer()
        mapped = map_reports([locate(r, gazetteer, fixes) for r in reports])
        mapped = attach_control(mapped, palette, compare)
        if only is not None:
            mapped = only.apply(mapped)
        return cls(mapped, tiles=tiles, cdn=cdn, context=context, tiles_on=tiles_on)

    @property
    def options(self) -> WriteOptions:
        return WriteOptions(tiles=self.tiles, cdn=self.cdn, context=self.context,
                            tiles_on=self.tiles_on)

    @property
    def located(self) -> tuple[LocatedReport, ...]:
        return self.mapped.reports

    @property
    def claims(self) -> tuple[LocatedClaim, ...]:
        """The claims that are on the map."""
        return self.mapped.claims

    @property
    def unlocated(self) -> tuple[Unlocated, ...]:
        return self.mapped.unlocated

    @property
    def total(self) -> int:
        return self.mapped.total

    @property
    def ambiguous(self) -> list[Resolution]:
        return self.mapped.ambiguous

    @property
    def map(self):
        """The folium map (built once)."""
        if self._map is None:
            from conflictmap.render.build import build_map  # folium: only for the HTML

            self._map = build_map(self.mapped, tiles=self.tiles, tiles_on=self.tiles_on,
                                  cdn=self.cdn, context=self.context)
        return self._map

    def html(self) -> bytes:
        return page_bytes(self.mapped, self.options)

    def _repr_html_(self) -> str:
        return self.map._repr_html_()

    def save(self, path: str | Path, *, size: tuple[int, int] = (1200, 800),
             fetch_tiles: bool = False) -> int:
        """Write the map in the format of the file's suffix; returns its size in bytes.
        Images are rendered with the network blocked (a blank basemap) unless
        ``fetch_tiles`` is set."""
        options = replace(self.options, size=size, fetch_tiles=fetch_tiles)
        self.written = write(self.mapped, path, options)
        return self.written

    def embed(self, src: str, *, aspect: str = "3 / 2") -> str:
        """The HTML snippet that embeds this map, once saved at ``src`` on your site."""
        return snippet(src, description(self.mapped), aspect=aspect)

    def summary(self) -> str:
        """A plain-language summary of the claims, for readers who cannot use the map."""
        return "\n".join(summary_lines(self.mapped))


def build(inputs: str | Path | Sequence[str | Path], output: str | Path, *,
          places: str | Path | None = None, gazetteer: Gazetteer | None = None,
          tiles: str | None = "OpenStreetMap", cdn: bool = False,
          size: tuple[int, int] = (1200, 800), fetch_tiles: bool = False,
          context: bool = True, actors: str | Path | None = None,
          compare: tuple[dt.date, dt.date] | None = None, only: Filters | None = None,
          tiles_on: bool = False) -> ConflictMap:
    """Build the map of one or more input files and write it in the format of
    ``output``'s suffix, as ``conflictmap build`` does; returns the :class:`ConflictMap`
    (its ``written`` holds the bytes written). The map opens on the offline map; ``tiles``
    is the tile basemap a reader may switch to (None: none), shown at once with ``tiles_on``.

    >>> import tempfile, pathlib
    >>> from conflictmap.claims import example_path
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "idlib.csv"
    >>> cmap = build(example_path(), out)
    >>> len(cmap.claims), cmap.total, out.read_text().splitlines()[0][:24]
    (8, 8, 'event_id_cnty,event_date')
    """
    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    writer_for(output)
    check_not_input(output, [*paths, places, actors])
    cmap = ConflictMap.from_files(paths, gazetteer=gazetteer, places=places, tiles=tiles, cdn=cdn,
                                  context=context, actors=actors, compare=compare, only=only,
                                  tiles_on=tiles_on)
    cmap.save(output, size=size, fetch_tiles=fetch_tiles)
    return cmap
