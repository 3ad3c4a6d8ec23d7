"""The review page: HTML with no user text in it (the page reads the report and the
mentions from the API and writes them as text nodes), Leaflet from the vendored package,
and the land of the report's area from the offline geography."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

from conflictmap.render.assets import NOTICES, _data_uris, _leaflet_dir
from conflictmap.render.context import View, context_payload, view_of

HERE = Path(__file__).parent / "static"
LAND_MARGIN_DEG = 8.0  #: how far the land drawn reaches beyond the report's places
#: The files the server may send, with their types: nothing else is served.
ASSETS = {
    "leaflet.js": "text/javascript; charset=utf-8",
    "leaflet.css": "text/css; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}


@cache
def asset(name: str) -> tuple[bytes, str]:
    """The bytes and the content type of one of :data:`ASSETS`."""
    kind = ASSETS[name]
    if name == "leaflet.js":
        text = f"/* {NOTICES['leaflet']} */\n" + (_leaflet_dir() / "leaflet.js").read_text("utf-8")
    elif name == "leaflet.css":
        text = f"/* {NOTICES['leaflet']} */\n" + _data_uris(
            (_leaflet_dir() / "leaflet.css").read_text("utf-8"), _leaflet_dir())
    else:
        text = (HERE / name).read_text("utf-8")
    return text.encode("utf-8"), kind


def page_html(token: str) -> str:
    """The page; the token is its only variable part (an attribute, escaped)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="conflictmap-review-token" content="{html.escape(token, quote=True)}">
<title>Review · conflictmap</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/leaflet.css">
<link rel="stylesheet" href="/assets/review.css">
</head><body>
<header id="bar">
  <strong id="title">Review</strong>
  <span id="status" role="status" aria-live="polite"></span>
  <span class="spacer"></span>
  <button id="undo" type="button" title="Undo (u)">Undo</button>
  <button id="save" type="button" title="Save (s)">Save</button>
  <button id="build" type="button" title="Save, then build the map beside the claims file">Build map</button>
</header>
<main id="panes">
  <section id="reading" aria-label="Report text">
    <div id="text" tabindex="0"></div>
    <div id="selection-bar" hidden>
      <button id="add-mention" type="button" title="Add the selected words as a place (m)">Add as place</button>
    </div>
  </section>
  <section id="side">
    <div id="map" aria-label="Map of the mention and its candidates"></div>
    <div id="detail" aria-live="polite"></div>
    <div id="claims"></div>
  </section>
</main>
<footer id="help">Keys: j/k next/previous mention · a accept · 1–9 choose candidate ·
n not a place · p place on the map · / search · u undo · s save.
Land: Natural Earth (public domain); places: GeoNames (CC BY 4.0).</footer>
<script src="/assets/leaflet.js"></script>
<script src="/assets/review.js"></script>
</body></html>
"""


def land_payload(session) -> dict:  # noqa: ANN001 - a ReviewSession
    """The offline land, borders and town names around the report's places."""
    points = [(m["place"]["lat"], m["place"]["lon"]) for m in session.state_mentions()
              if m.get("place")]
    v = view_of(points or [(0.0, 0.0)])
    # wide around the places: a candidate or a click may lie well beyond them
    payload = context_payload(View(max(-180.0, v.west - LAND_MARGIN_DEG), max(-85.0, v.south - LAND_MARGIN_DEG),
                                   min(180.0, v.east + LAND_MARGIN_DEG), min(85.0, v.north + LAND_MARGIN_DEG)))
    payload.pop("inset", None)
    return payload
