"""Putting a map into a report: an iframe snippet that resizes with the page, an alt
text and a plain-language summary of the claims, written from the map's data.

The map carries its alt text and summary in a JSON block (``#cm-description``),
so ``conflictmap embed MAP.html`` needs nothing but the map file. Inside an
iframe the map lets the mouse wheel scroll the host page until it is clicked.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

from conflictmap.claims.load import read_text
from conflictmap.errors import InputError
from conflictmap.model import ClaimKind

_LABELS = {k.value: k.label for k in ClaimKind}
_ORDER = [k.value for k in ClaimKind]


def _day(iso: str | None) -> str:
    if not iso:
        return "undated"
    y, m, d = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{int(d)} {months[int(m) - 1]} {y}"


def _span(claims: list[dict]) -> str:
    dates = sorted({c["date"] for c in claims if c["date"]})
    if not dates:
        return "undated"
    return _day(dates[0]) if len(dates) == 1 else f"{_day(dates[0])} to {_day(dates[-1])}"


def _areas(claims: list[dict]) -> list[str]:
    """The most named first-level areas (or places) of the claims."""
    names = Counter(p.get("admin1") or p["name"] for c in claims for p in c["places"])
    return [n for n, _ in names.most_common(3)]


def alt_text(claims: list[dict], sources: list[dict]) -> str:
    """One sentence for the iframe's title and an image's alt attribute.

    >>> print(alt_text([{"kind": "retreat", "date": "2020-02-18",
    ...                  "places": [{"name": "Sheikh Aqil", "admin1": "Aleppo"}]}],
    ...                [{"outlet": "South Front"}]))  # doctest: +NORMALIZE_WHITESPACE
    Map of 1 reported claim (1 retreat / withdrawal) in Aleppo, 18 February 2020,
    as reported by South Front; not verified.
    """
    kinds = Counter(c["kind"] for c in claims)
    parts = ", ".join(f"{kinds[k]} {_LABELS[k].lower()}" for k in _ORDER if kinds[k])
    who = " and ".join(sorted({s.get("outlet") or s.get("title") or "unnamed sources"
                               for s in sources}))
    n = len(claims)
    where = " and ".join(_areas(claims)) or "no located place"
    return (f"Map of {n} reported claim{'s' if n != 1 else ''} ({parts}) in {where}, "
            f"{_span(claims)}, as reported by {who}; not verified.")


def summary_lines(claims: list[dict], sources: list[dict],
                  unlocated: list[tuple[str, str]]) -> list[str]:
    """The claims in plain language, one line each, by date and kind."""
    lines = []
    for c in sorted(claims, key=lambda c: (c["date"] or "", _ORDER.index(c["kind"]), c["id"])):
        first = c["places"][0]
        where = first["name"]
        if c["kind"] == "movement" and len(c["places"]) > 1:
            where = f"from {first['name']} to " + " and ".join(p["name"] for p in c["places"][1:])
        who = f" ({'; '.join(c['actors'])})" if c["actors"] else ""
        src = sources[c.get("source", 0)]
        by = src.get("outlet") or src.get("title") or "the source"
        approx = ", approximate" if first["precision"] > 1 else ""
        lines.append(f"{_day(c['date'])}: {_LABELS[c['kind']]} — {where}{approx}{who}. "
                     f"{c['summary']} (according to {by})")
    for name, reason in unlocated:
        lines.append(f"Not on the map: {name} ({reason}).")
    return lines


def summary(cmap) -> str:
    """The summary of a :class:`conflictmap.publish.ConflictMap` as plain text."""
    return "\n".join(summary_lines(cmap.claims, cmap.sources, cmap.unlocated))


TEXT_VERSION_LIMIT = 300  #: claims listed one by one in the map's text version


def description(claims: list[dict], sources: list[dict], unlocated: list[tuple[str, str]]) -> dict:
    """What the map carries about itself for ``embed``: the alt text, and a text version
    of the claims (the first 300; a longer list belongs in the CSV or GeoJSON export)."""
    lines = summary_lines(claims[:TEXT_VERSION_LIMIT], sources, unlocated[:TEXT_VERSION_LIMIT])
    if len(claims) > TEXT_VERSION_LIMIT:
        lines.append(f"… and {len(claims) - TEXT_VERSION_LIMIT:,} more claims: export the map "
                     "to .csv or .geojson for the full list.")
    return {"alt": alt_text(claims, sources), "summary": lines, "sources": sources}


_BLOCK = re.compile(r'<script type="application/json" id="cm-description">(.*?)</script>', re.S)


def read_description(path: Path) -> dict:
    text = read_text(path, "a map built by conflictmap (.html)")
    m = _BLOCK.search(text)
    if not m:
        raise InputError("no conflictmap description in this page; build it with "
                         "conflictmap build ... -o MAP.html", path=str(path))
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError as exc:
        raise InputError(f"damaged conflictmap description: {exc.msg}", path=str(path)) from None


def snippet(src: str, info: dict, *, aspect: str = "3 / 2") -> str:
    """HTML to paste into a report: a responsive iframe, its title, and a caption
    with the text version of the map. Every string is escaped."""
    e = html.escape
    items = "\n".join(f"      <li>{e(line)}</li>" for line in info["summary"])
    cites = "; ".join(
        e(s.get("outlet") or s.get("title") or "") + (f", {e(s['published'])}" if s.get("published") else "")
        for s in info["sources"])
    return f"""<figure class="conflictmap-embed" style="margin:1em 0;max-width:100%">
  <iframe src="{e(src)}" title="{e(info['alt'])}" loading="lazy"
          style="display:block;width:100%;aspect-ratio:{e(aspect)};height:auto;min-height:320px;border:0"
          sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"
          referrerpolicy="no-referrer"></iframe>
  <figcaption>
    {e(info['alt'])} Sources: {cites}.
    <details>
      <summary>Text version of the map</summary>
      <ul>
{items}
      </ul>
    </details>
  </figcaption>
</figure>
"""
