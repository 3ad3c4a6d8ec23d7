"""A map of one or more claims files, saved in the format its file name asks for.

:class:`ConflictMap` is what the ``build``, ``watch`` and ``embed`` commands and
the notebook use: it loads the input files, locates their places (with the
user's corrections), builds the folium map once, and writes

* ``.html`` — the self-contained interactive map (``cdn=True`` links Leaflet from a CDN),
* ``.png`` / ``.pdf`` — an image rendered in headless Chromium at ``size``,
* ``.geojson`` / ``.gpkg`` — one feature per claim, through geopandas,
* ``.csv`` — one row per claim with ACLED's column names.

In Jupyter a ``ConflictMap`` displays itself (``_repr_html_``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conflictmap.errors import InputError
from conflictmap.model import Resolution, Status

FORMATS = (".html", ".htm", ".png", ".pdf", ".geojson", ".gpkg", ".csv")


def check_output(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"unsupported output type {suffix or '(none)'!r}; use one of "
                         f"{', '.join(FORMATS)}", path=str(path))
    return suffix


@dataclass
class ConflictMap:
    """The located reports of some input files and their map."""

    located: list  #: one LocatedReport per input file
    tiles: str | None = "OpenStreetMap"
    cdn: bool = False
    _map: object = field(default=None, repr=False)

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], *, gazetteer=None,
                   places: str | Path | None = None, tiles: str | None = "OpenStreetMap",
                   cdn: bool = False) -> ConflictMap:
        from conflictmap.claims import load_report
        from conflictmap.corrections import load_corrections
        from conflictmap.gazetteer import Gazetteer
        from conflictmap.locate import locate

        if not paths:
            raise InputError("no input files given")
        reports = [load_report(p) for p in paths]  # input errors first, before any index work
        fixes = load_corrections(places) if places else None
        gazetteer = gazetteer or Gazetteer.default()
        return cls([locate(r, gazetteer, fixes) for r in reports], tiles=tiles, cdn=cdn)

    @property
    def map(self):
        """The folium map (built once)."""
        if self._map is None:
            from conflictmap.render import build_map

            self._map = build_map(self.located, tiles=self.tiles, cdn=self.cdn)
        return self._map

    @property
    def claims(self) -> list[dict]:
        return self.map.conflictmap_claims  # type: ignore[attr-defined]

    @property
    def unlocated(self) -> list[tuple[str, str]]:
        return self.map.conflictmap_unlocated  # type: ignore[attr-defined]

    @property
    def total(self) -> int:
        return sum(len(r.report.claims) for r in self.located)

    @property
    def ambiguous(self) -> list[Resolution]:
        return [r for lr in self.located for r in lr.resolutions.values()
                if r.status is Status.AMBIGUOUS]

    @property
    def sources(self) -> list[dict]:
        from conflictmap.render.build import report_sources

        return report_sources(self.located)

    def html(self) -> bytes:
        from conflictmap.render.write import render_html

        return render_html(self.map).encode("utf-8")

    def _repr_html_(self) -> str:
        return self.map._repr_html_()  # type: ignore[attr-defined]

    def save(self, path: str | Path, *, size: tuple[int, int] = (1200, 800),
             fetch_tiles: bool = False) -> int:
        """Write the map in the format of the file's suffix; returns its size in bytes.
        Images are rendered with the network blocked (a blank basemap) unless
        ``fetch_tiles`` is set."""
        from conflictmap.atomic import write_bytes_atomic
        from conflictmap.render import export

        path = Path(path)
        suffix = check_output(path)
        if suffix in (".html", ".htm"):
            data = self.html()
            write_bytes_atomic(path, data)
            return len(data)
        if suffix in (".png", ".pdf"):
            from conflictmap.render.static import render_image

            return render_image(self.html(), path, size=size,
                                offline=not (fetch_tiles and self.tiles))
        if suffix == ".geojson":
            return export.write_geojson(self.claims, self.sources, path)
        if suffix == ".gpkg":
            return export.write_gpkg(self.claims, self.sources, path)
        return export.write_csv(self.claims, self.sources, path)

    def summary(self) -> str:
        """A plain-language summary of the claims, for readers who cannot use the map."""
        from conflictmap.embed import summary

        return summary(self)
