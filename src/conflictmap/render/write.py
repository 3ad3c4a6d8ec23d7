"""The map's page as text, and written atomically (see :mod:`conflictmap.atomic`)."""

from __future__ import annotations

from pathlib import Path

import folium

from conflictmap.atomic import write_bytes_atomic


def render_html(m: folium.Map) -> str:
    return m.get_root().render()


def write_html(m: folium.Map, path: str | Path) -> int:
    """Write the map's page; returns its size in bytes."""
    data = render_html(m).encode("utf-8")
    write_bytes_atomic(Path(path), data)
    return len(data)
