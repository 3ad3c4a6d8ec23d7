"""How each claim kind looks: colour (Okabe–Ito, colour-blind safe) and glyph.

Shape and colour both encode the kind, so the map reads in greyscale print too.
The glyphs are SVG paths drawn on a 24×24 grid.
"""

from __future__ import annotations

from conflictmap.model import ClaimKind

KIND_STYLE: dict[ClaimKind, dict[str, str]] = {
    ClaimKind.CAPTURED: {"color": "#D55E00", "glyph": "M8 5v14M8 5h9l-2.5 3.5L17 12H8"},
    ClaimKind.ADVANCE: {"color": "#E69F00", "glyph": "M6 13l6-6 6 6M6 18l6-6 6 6"},
    ClaimKind.RETREAT: {"color": "#0072B2", "glyph": "M6 6l6 6 6-6M6 11l6 6 6-6"},
    ClaimKind.BESIEGED: {"color": "#CC79A7",
                         "glyph": "M12 8a4 4 0 1 0 0.01 0M12 3v3M12 18v3M3 12h3M18 12h3"},
    ClaimKind.TARGET: {"color": "#9E1B32",
                       "glyph": "M12 6a6 6 0 1 0 0.01 0M12 10a2 2 0 1 0 0.01 0M12 2v5M12 17v5M2 12h5M17 12h5"},
    ClaimKind.MOVEMENT: {"color": "#009E73", "glyph": "M4 12h13M13 7l5 5-5 5"},
    ClaimKind.CONTROL: {"color": "#3B5BA9", "glyph": "M12 4l6 2.2v5c0 4-2.7 6.8-6 8-3.3-1.2-6-4-6-8v-5z"},
    ClaimKind.MENTION: {"color": "#6B6B6B", "glyph": "M12 10a2 2 0 1 0 0.01 0"},
}


def icon_svg(kind: ClaimKind, size: int = 22) -> str:
    """A small round icon for the legend and the layer control (fixed markup only).

    >>> icon_svg(ClaimKind.RETREAT).startswith('<svg')
    True
    """
    s = KIND_STYLE[kind]
    return (
        f'<svg class="cm-icon" width="{size}" height="{size}" viewBox="0 0 24 24" '
        f'aria-hidden="true"><circle cx="12" cy="12" r="11" fill="{s["color"]}" '
        f'stroke="#fff" stroke-width="1.5"/><path d="{s["glyph"]}" fill="none" '
        f'stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )


def style_table() -> dict[str, dict[str, str]]:
    """The table as plain data, for the page's script."""
    return {k.value: {**v, "label": k.label} for k, v in KIND_STYLE.items()}
