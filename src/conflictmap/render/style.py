"""How each claim kind looks on the map: colour (Okabe–Ito, colour-blind safe) and glyph,
both from the kind table (:data:`conflictmap.kinds.KINDS`).

Shape and colour both encode the kind, so the map reads in greyscale print too.
"""

from __future__ import annotations

from conflictmap.kinds import KINDS, ClaimKind


def style_table() -> dict[str, dict[str, str]]:
    """Colour, glyph and label of every kind as plain data, for the page's script."""
    return {k.value: {"color": i.color, "glyph": i.glyph, "label": i.label}
            for k, i in KINDS.items()}


def icon_svg(kind: ClaimKind, size: int = 22) -> str:
    """A small round icon for the legend and the layer control (fixed markup only).

    >>> icon_svg(ClaimKind.RETREAT).startswith('<svg')
    True
    """
    s = KINDS[kind]
    return (
        f'<svg class="cm-icon" width="{size}" height="{size}" viewBox="0 0 24 24" '
        f'aria-hidden="true"><circle cx="12" cy="12" r="11" fill="{s.color}" '
        f'stroke="#fff" stroke-width="1.5"/><path d="{s.glyph}" fill="none" '
        f'stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )
