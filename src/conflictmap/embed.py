"""Putting a map into a report: an iframe snippet that resizes with the page, an alt
text and a plain-language summary of the claims, written from the map's data.

The map carries its alt text and summary in a JSON block (``#cm-description``),
so ``conflictmap embed MAP.html`` needs nothing but the map file. Inside an
iframe the map lets the mouse wheel scroll the host page until it is clicked.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from conflictmap.claims.read import parse_json, read_text
from conflictmap.errors import InputError
from conflictmap.kinds import ClaimKind
from conflictmap.model import STATUS_WORDS, Source

if TYPE_CHECKING:  # annotations only: embedding a built map needs no gazetteer
    from conflictmap.locate import LocatedClaim, MappedReport


def _day(iso: str | None) -> str:
    if not iso:
        return "undated"
    y, m, d = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{int(d)} {months[int(m) - 1]} {y}"


def _span(claims: Sequence[LocatedClaim]) -> str:
    dates = sorted({c.claim.date for c in claims if c.claim.date})
    if not dates:
        return "undated"
    first, last = dates[0].isoformat(), dates[-1].isoformat()
    return _day(first) if len(dates) == 1 else f"{_day(first)} to {_day(last)}"


def _areas(claims: Sequence[LocatedClaim]) -> list[str]:
    """The most named first-level areas (or places) of the claims."""
    names = Counter(p.place.admin1 or p.place.name for c in claims for p in c.places)
    return [n for n, _ in names.most_common(3)]


def _by(source: Source, fallback: str) -> str:
    return source.outlet or source.title or fallback


def alt_text(mapped: MappedReport) -> str:
    """One sentence for the iframe's title and an image's alt attribute, e.g. "Map of
    1 reported claim (1 retreat / withdrawal) in Aleppo, 18 February 2020, as reported
    by South Front; not verified." """
    claims = mapped.claims
    kinds = Counter(c.claim.kind for c in claims)
    parts = ", ".join(f"{kinds[k]} {k.label.lower()}" for k in ClaimKind if kinds[k])
    who = " and ".join(sorted({_by(s, "unnamed sources") for s in mapped.sources}))
    n = len(claims)
    where = " and ".join(_areas(claims)) or "no located place"
    return (f"Map of {n} reported claim{'s' if n != 1 else ''} ({parts}) in {where}, "
            f"{_span(claims)}, as reported by {who}; not verified.")


def summary_lines(mapped: MappedReport, limit: int | None = None) -> list[str]:
    """The claims in plain language, one line each, by date and kind (the first
    ``limit`` claims and places not located, when given)."""
    lines = []
    order = list(ClaimKind)
    claims = mapped.claims[:limit]
    for c in sorted(claims, key=lambda c: (c.claim.date.isoformat() if c.claim.date else "",
                                           order.index(c.claim.kind), c.claim.id)):
        first = c.where
        where = first.place.name
        if c.claim.kind is ClaimKind.MOVEMENT and c.destinations:
            where = f"from {where} to " + " and ".join(p.place.name for p in c.destinations)
        who = f" ({'; '.join(c.claim.actors)})" if c.claim.actors else ""
        by = _by(mapped.source_of(c), "the source")
        approx = ", approximate" if first.precision > 1 else ""
        date = c.claim.date.isoformat() if c.claim.date else None
        when = _day(date) + (f" to {_day(c.claim.until.isoformat())}" if c.claim.until else "")
        line = (f"{when}: {c.claim.kind.label} — {where}{approx}{who}. "
                f"{c.claim.summary} (according to {by})")
        if c.control:
            line += f". Control: {c.control}"
        if c.conflict:
            line += f". Disagrees with the control layer: {c.conflict}"
        lines.append(line)
    for u in mapped.unlocated[:limit]:
        lines.append(f"Not on the map: {u.label} ({u.reason}).")
    return lines


def text_version(mapped: MappedReport) -> str:
    """The whole map in plain language: title, caveat, sources, one line per claim."""
    head = [mapped.title, "Claims as reported, not verified.",
            "Sources: " + "; ".join(_citation(s.as_dict()) for s in mapped.sources) + ".", ""]
    areas = [f"Control: {a.actor}, {STATUS_WORDS.get(a.status, a.status)} from "
             f"{_day(a.valid_from.isoformat())}"
             + (f" to {_day(a.valid_until.isoformat())}" if a.valid_until else "")
             + (f" ({a.source})" if a.source else "") + "."
             for a in mapped.control[:TEXT_VERSION_LIMIT]]
    return "\n".join([*head, *summary_lines(mapped), *areas]) + "\n"


TEXT_VERSION_LIMIT = 300  #: claims listed one by one in the map's text version


def description(mapped: MappedReport) -> dict:
    """What the map carries about itself for ``embed``: the alt text, and a text version
    of the claims (the first 300; a longer list belongs in the CSV or GeoJSON export)."""
    lines = summary_lines(mapped, TEXT_VERSION_LIMIT)
    if len(mapped.claims) > TEXT_VERSION_LIMIT:
        lines.append(f"… and {len(mapped.claims) - TEXT_VERSION_LIMIT:,} more claims: export the map "
                     "to .csv or .geojson for the full list.")
    return {"alt": alt_text(mapped), "summary": lines,
            "sources": [s.as_dict() for s in mapped.sources]}


_BLOCK = re.compile(r'<script type="application/json" id="cm-description">(.*?)</script>', re.S)
MAX_MAP_BYTES = 500_000_000  #: a map of 100,000 claims is about 30 MB


def read_description(path: Path) -> dict:
    """The alt text, text version and sources a map built by conflictmap carries, checked:
    a damaged or crafted page gives one clear error, never a traceback."""
    text = read_text(path, "a map built by conflictmap (.html)", limit=MAX_MAP_BYTES)
    m = _BLOCK.search(text)
    if not m:
        raise InputError("no conflictmap description in this page; build it with "
                         "conflictmap build ... -o MAP.html", path=str(path))
    line = text.count("\n", 0, m.start()) + 1
    try:
        info = parse_json(m.group(1), path)
    except InputError as exc:
        raise InputError(f"damaged conflictmap description: {exc.message}", path=str(path),
                         line=line) from None

    def damaged(why: str) -> InputError:
        return InputError(f"damaged conflictmap description: {why}", path=str(path), line=line)

    if not isinstance(info, dict):
        raise damaged("expected an object with alt, summary and sources")
    alt, lines, sources = info.get("alt"), info.get("summary"), info.get("sources")
    if not isinstance(alt, str):
        raise damaged("'alt' must be text")
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise damaged("'summary' must be a list of lines of text")
    if not isinstance(sources, list) or not all(
            isinstance(x, dict) and all(isinstance(v, str) for v in x.values()) for x in sources):
        raise damaged("'sources' must be a list of citations (title, outlet, url, published)")
    if len(lines) > 2 * TEXT_VERSION_LIMIT + 1 or len(sources) > 1000:
        raise damaged("more lines or sources than a map carries")
    return {"alt": alt, "summary": lines, "sources": sources}


def _citation(source: dict) -> str:
    text = source.get("outlet") or source.get("title") or ""
    return text + (f", {source['published']}" if source.get("published") else "")


def snippet(src: str, info: dict, *, aspect: str = "3 / 2") -> str:
    """HTML to paste into a report: a responsive iframe, its title, and a caption
    with the text version of the map. Every string is escaped."""
    e = html.escape
    items = "\n".join(f"      <li>{e(line)}</li>" for line in info["summary"])
    cites = "; ".join(e(_citation(s)) for s in info["sources"])
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


def embed(map_file: str | Path, *, src: str = "", aspect: str = "3 / 2") -> str:
    """The HTML snippet that embeds a map built by conflictmap (``conflictmap embed``):
    a responsive iframe whose title is the map's alt text, and a caption with the text
    version of every claim. ``src`` is the map's URL on your site (default: its file name)."""
    path = Path(map_file)
    return snippet(src or path.name, read_description(path), aspect=aspect)
