"""``{kinds-table}``: the claim kinds as the package defines them (conflictmap.kinds.KINDS),
so the reference never drifts from the code."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body
    for target, cells in ((head, [header]), (body, rows)):
        for cells_row in cells:
            row = nodes.row()
            for cell in cells_row:
                entry = nodes.entry()
                entry += nodes.paragraph(text=str(cell))
                row += entry
            target += row
    return table


class KindsTable(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        from conflictmap.kinds import KINDS

        rows = [[kind.value, info.label, info.color, f"{info.acled[0]}: {info.acled[1]}",
                 ", ".join(info.synonyms) or "–"] for kind, info in KINDS.items()]
        return [_table(["kind", "legend label", "colour", "ACLED event type: sub-event type",
                        "also accepted in input files"], rows)]


def setup(app):  # noqa: ANN001, ANN201 - Sphinx's extension protocol
    app.add_directive("kinds-table", KindsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
