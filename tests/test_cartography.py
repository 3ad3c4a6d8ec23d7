"""Cartography (issue 23, in part): actors never share a colour within one map."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from conflictmap.cli import main


def test_actors_of_one_map_never_share_a_colour(tmp_path) -> None:
    actors = [f"Invented group {i}" for i in range(14)] + ["Red Brigade", "Green Militia"]
    areas = "".join(
        f'  - {{actor: "{a}", valid_from: 2031-03-01, wkt: "POLYGON (({36 + i * 0.2} 35, '
        f'{36.15 + i * 0.2} 35, {36.15 + i * 0.2} 35.15, {36 + i * 0.2} 35.15, {36 + i * 0.2} 35))"}}\n'
        for i, a in enumerate(actors))
    src = tmp_path / "c.yaml"
    src.write_text(f"report: {{title: t}}\ncontrol_areas:\n{areas}", "utf-8")
    page = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(page), "--no-tiles"])
    assert r.exit_code == 0, r.output
    block = re.search(r'<script type="application/json" id="cm-control">(.*?)</script>',
                      page.read_text("utf-8"), re.S)
    assert block is not None
    colours = {a["name"]: a["colour"] for a in json.loads(block.group(1))["actors"]}
    assert len(colours) == len(actors) and len(set(colours.values())) == len(actors)
