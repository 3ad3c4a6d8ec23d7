"""The walkthrough notebook runs top to bottom and displays the map inline."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT


def test_walkthrough_notebook_runs() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "walkthrough.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("conflictmap.addClaims" in h or "srcdoc" in h for h in html)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Darat Izza" in printed and "unresolved" in printed
    assert "12 claims from 2 reports" in printed
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the saved image, shown
    assert "<iframe" in printed and "Text version of the map" in printed  # the embed snippet
    assert sum("cm-description" in h for h in html) >= 2  # both maps displayed inline
