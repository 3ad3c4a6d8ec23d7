"""Every output is a writer of a :class:`~conflictmap.locate.MappedReport`, chosen from
one table by the file's suffix (:data:`WRITERS`).

========  =================================================================  ==========
suffix    what                                                               needs
========  =================================================================  ==========
.html     the self-contained interactive map (``cdn`` links Leaflet)         folium
.png      an image of the map, rendered in headless Chromium at ``size``      Playwright
.pdf      the same as a one-page PDF                                         Playwright
.geojson  one feature per claim (point, area outline, movement lines), per     geopandas
          control area and per frontline (``feature_type`` says which)
.gpkg     the same as a GeoPackage, one layer per geometry kind and for      geopandas
          control areas and frontlines
.csv      one row per claim with ACLED's column names                        —
.txt      the map in plain language: one line per claim                      —
========  =================================================================  ==========

Only the HTML writer (and the images made from its page) needs folium. Every writer
writes atomically and returns the size written in bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from conflictmap.atomic import write_bytes_atomic
from conflictmap.embed import text_version
from conflictmap.errors import InputError
from conflictmap.render.export import write_csv, write_geojson, write_gpkg

if TYPE_CHECKING:  # annotations only, so that choosing a writer loads nothing heavy
    from conflictmap.locate import MappedReport


@dataclass(frozen=True)
class WriteOptions:
    """How to write: the HTML's basemap and assets, an image's size and tiles."""

    tiles: str | None = "OpenStreetMap"  #: basemap tiles the reader may switch to (None: none)
    tiles_on: bool = False  #: open with the tiles shown (they load from the network)
    cdn: bool = False  #: link Leaflet from a CDN instead of inlining it
    size: tuple[int, int] = (1200, 800)  #: PNG/PDF size in CSS pixels
    fetch_tiles: bool = False  #: PNG/PDF: let the browser download the basemap tiles
    context: bool = True  #: draw the offline borders, coasts, admin lines and place names


Writer = Callable[["MappedReport", Path, WriteOptions], int]


def page_bytes(mapped: MappedReport, options: WriteOptions) -> bytes:
    """The HTML page of the map."""
    # folium is imported only by the HTML writer, not by the data exports
    from conflictmap.render.build import build_map  # folium: only the HTML writer needs it
    from conflictmap.render.write import render_html  # folium

    page = build_map(mapped, tiles=options.tiles, tiles_on=options.tiles_on, cdn=options.cdn,
                     context=options.context)
    return render_html(page).encode("utf-8")


def _html(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    data = page_bytes(mapped, options)
    write_bytes_atomic(path, data)
    return len(data)


def _image(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    from conflictmap.render.static import render_image  # Playwright: an optional extra

    offline = not (options.fetch_tiles and options.tiles)
    # no tiles will load: leave the tile layer (and its credit) out of the figure; else show it
    options = replace(options, tiles=None) if offline else replace(options, tiles_on=True)
    return render_image(page_bytes(mapped, options), path, size=options.size, offline=offline)


def _geojson(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    return write_geojson(mapped, path)


def _gpkg(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    return write_gpkg(mapped, path)


def _csv(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    return write_csv(mapped, path)


def _text(mapped: MappedReport, path: Path, options: WriteOptions) -> int:
    data = text_version(mapped).encode("utf-8")
    write_bytes_atomic(path, data)
    return len(data)


#: The writer of each output suffix.
WRITERS: dict[str, Writer] = {
    ".html": _html, ".htm": _html, ".png": _image, ".pdf": _image,
    ".geojson": _geojson, ".gpkg": _gpkg, ".csv": _csv, ".txt": _text,
}
FORMATS = tuple(WRITERS)


def writer_for(path: str | Path) -> Writer:
    """The writer for a file name, or an :class:`InputError` naming the formats."""
    suffix = Path(path).suffix.lower()
    writer = WRITERS.get(suffix)
    if writer is None:
        raise InputError(f"unsupported output type {suffix or '(none)'!r}; use one of "
                         f"{', '.join(FORMATS)}", path=str(path))
    return writer


def write(mapped: MappedReport, path: str | Path, options: WriteOptions | None = None) -> int:
    """Write ``mapped`` in the format of ``path``'s suffix; returns the bytes written."""
    path = Path(path)
    return writer_for(path)(mapped, path, options or WriteOptions())
