"""``{results} NAME``: a benchmark's measured numbers from ``docs/results/NAME.json`` (written
by ``scripts/benchmarks``), with the command that reproduces them, the date and the machine.
No figure on the results page is typed by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from kindstable import _table
from sphinx.util.docutils import SphinxDirective


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list):
        return " → ".join(_fmt(v) for v in value)
    return str(value)


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out += _flat(v, f"{prefix} / {k}" if prefix else str(k))
        return out
    return [(prefix, value)]


def _rows_table(rows: list[dict]) -> nodes.table:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return _table(header, [[_fmt(r.get(k, "")) for k in header] for r in rows])


def tables(result: Any) -> list[nodes.Element]:
    lists = {k: v for k, v in result.items() if isinstance(v, list) and v
             and all(isinstance(r, dict) for r in v)} if isinstance(result, dict) else {}
    if lists and "rows" not in lists:  # several tables, each under its key
        out: list[nodes.Element] = []
        for key, rows in lists.items():
            out += [nodes.paragraph(text=f"{key}:"), _rows_table(rows)]
        rest = {k: v for k, v in result.items() if k not in lists}
        if rest:
            out.append(_table(["measure", "value"], [[k, _fmt(v)] for k, v in _flat(rest)]))
        return out
    if isinstance(result, dict) and isinstance(result.get("rows"), list):
        rows = result["rows"]
        header = list(dict.fromkeys(k for r in rows for k in r))
        out: list[nodes.Element] = [_table(header, [[_fmt(r.get(k, "")) for k in header]
                                                    for r in rows])]
        rest = [(k, v) for k, v in result.items() if k != "rows" and v not in ([], None, "")]
        if rest:
            out.append(nodes.paragraph(text="; ".join(f"{k}: {_fmt(v)}" for k, v in rest)))
        return out
    if isinstance(result, dict) and all(isinstance(v, dict) and not any(
            isinstance(x, dict) for x in v.values()) for v in result.values()):
        header = list(dict.fromkeys(k for v in result.values() for k in v))
        return [_table(["", *header], [[name, *(_fmt(v.get(k, "")) for k in header)]
                                       for name, v in result.items()])]
    return [_table(["measure", "value"], [[k, _fmt(v)] for k, v in _flat(result)])]


class Results(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / "results" / f"{self.arguments[0]}.json"
        self.env.note_dependency(str(path))
        doc = json.loads(path.read_text("utf-8"))
        para = nodes.paragraph()
        para += nodes.Text("Measured on ")
        para += nodes.strong(text=doc["date"])
        para += nodes.Text(f" ({doc['machine']}) with ")
        para += nodes.literal(text=doc["command"])
        para += nodes.Text(":")
        return [para, *tables(doc["result"])]


def setup(app):  # noqa: ANN001, ANN201 - Sphinx's extension protocol
    app.add_directive("results", Results)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
