"""Rendering: folium map of a located report, written atomically."""

from conflictmap.render.build import build_map
from conflictmap.render.write import write_html

__all__ = ["build_map", "write_html"]
