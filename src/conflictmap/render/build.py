"""Build the folium map of a mapped report (the only writer that needs folium)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure
from folium.template import Template  # has folium's tojavascript filter

from conflictmap.actors import Palette
from conflictmap.embed import description
from conflictmap.kinds import ClaimKind
from conflictmap.locate import LocatedClaim, LocatedPlace, MappedReport
from conflictmap.model import Precision
from conflictmap.render.context import View, context_payload
from conflictmap.render.control import control_payload
from conflictmap.render.elements import (
    Attribution,
    ClaimLayer,
    ClaimsConfig,
    ClaimsReady,
    ContextLayer,
    ControlLayer,
    DataBlock,
    InlineAssets,
    OfflineBase,
    PageTitle,
    Panel,
    ResponsiveLayerControl,
    esc,
)
from conflictmap.render.safe import SafeMacro, check_tree
from conflictmap.render.style import icon_svg, style_table

CREDITS = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), '
    "OpenSyria data-geography (CC BY 4.0), conflictmap curated gazetteer; "
    'borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain), '
    '<a href="https://www.geoboundaries.org/">geoBoundaries</a> (CC BY 4.0)'
)
#: Credits added when a map shows places from these sources (matched in a place's source).
EXTRA_CREDITS = (
    ("airportsdata", 'airports: <a href="https://github.com/mborsetti/airportsdata">airportsdata</a> (MIT)'),
    ("conflictmap regions", "regions: conflictmap definitions over Natural Earth units (approximate)"),
)
CAVEAT = "Claims as reported, not verified"
SOURCES_LISTED = 8  #: sources named in the title block (the rest: in the claims' popups)


class OfflineMap(folium.Map, SafeMacro):
    """A folium Map whose JavaScript and CSS are inlined by :class:`InlineAssets`
    instead of linked from CDNs (and without the unused jQuery/Bootstrap/icons).

    The map is made without a view: the layers added to it wait (Leaflet's
    ``whenReady``) until the page's script has placed its panels and fitted the claims
    beside them, so every marker, label and canvas is placed once, at the view the
    reader sees, and not first at a provisional one.
    """

    default_js: list = []
    default_css: list = []
    _template = Template("""
{% macro header(this, kwargs) %}
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no">
<style>html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
#{{ this.get_name() }} { position: relative; width: 100%; height: 100%; }
.leaflet-container { font-size: 1rem; }</style>
{% endmacro %}
{% macro html(this, kwargs) %}<div class="folium-map" id="{{ this.get_name() }}"></div>{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map("{{ this.get_name() }}", {{ this.viewless_options()|tojavascript }});
{% if this.control_scale %}L.control.scale().addTo({{ this.get_name() }});{% endif %}
{% endmacro %}
""")

    def viewless_options(self) -> dict[str, Any]:
        """The map's Leaflet options without a starting view (Web Mercator, Leaflet's
        default, is the only projection the page uses)."""
        return {k: v for k, v in self.options.items() if k not in ("zoom", "location", "crs")}


class TileLayer(folium.TileLayer, SafeMacro):
    """folium's tile layer, its output never templated twice (see :mod:`.safe`)."""


def _rings_payload(rings: list[list[tuple[float, float]]]) -> list | None:
    if not rings:
        return None
    out = [[[lat, lon] for lat, lon in ring] for ring in rings]
    return out if len(out) > 1 else out[0]


def _place_payload(lp: LocatedPlace, tolerance: float) -> dict[str, Any]:
    p = lp.place
    res = lp.resolution
    return {
        "role": lp.role,
        "query": lp.ref.name,
        "name": p.name,
        "lat": lp.lat,
        "lon": lp.lon,
        "precision": int(lp.precision),
        "confidence": p.confidence,
        "uncertainty_km": p.uncertainty_km,
        "source": p.source,
        "geonameid": p.geonameid,
        "status": res.status.value,
        "reason": res.reason,
        "outline": _rings_payload(lp.rings_at(tolerance)),
        "outline_kind": lp.place.outline if lp.place.geometry_wkt else "",
    }


def claim_payload(lc: LocatedClaim, tolerance: float = 0.0,
                  palette: Palette | None = None) -> dict[str, Any]:
    """The claim as the page's script needs it (JSON-ready); outlines simplified to
    ``tolerance`` degrees; ``sides`` are its actors' palette names (for the actor filter)."""
    claim = lc.claim
    palette = palette or Palette()
    return {
        "id": claim.id,
        "kind": claim.kind.value,
        "summary": claim.summary,
        "actors": list(claim.actors),
        "sides": list(dict.fromkeys(palette.actor(a).name for a in claim.actors)),
        "date": claim.date.isoformat() if claim.date else None,
        "until": claim.until.isoformat() if claim.until else None,
        "time_precision": claim.time_precision,
        "control": lc.control,
        "conflict": lc.conflict,
        "note": claim.note,
        "checks": [m.text for m in lc.checks],
        "places": [_place_payload(p, tolerance) for p in lc.places],
        "source": lc.report,
    }


def _slim(claim: dict, gazetteers: dict[str, int], reasons: dict[str, int]) -> dict:
    """The claim as the page needs it: empty fields left out, the long gazetteer
    source strings replaced by their index ``g`` in ``cfg.gazetteers``, and an ambiguous
    name's reason by its index ``r`` in ``cfg.reasons`` (a place named by many claims
    carries its reason once)."""
    out = {k: v for k, v in claim.items() if v not in (None, "", [], 0) or k in ("id", "kind")}
    places = []
    for p in claim["places"]:
        slim = {k: v for k, v in p.items()
                if v not in (None, "", 0, 0.0)
                and k not in ("precision_label", "country", "admin1", "admin2", "source")}
        slim |= {"lat": p["lat"], "lon": p["lon"], "precision": p["precision"],
                 "g": gazetteers.setdefault(p["source"], len(gazetteers))}
        if p["status"] == "resolved":  # the reason matters only for an ambiguous name
            slim.pop("status", None)
            slim.pop("reason", None)
        elif slim.get("reason"):
            slim["r"] = reasons.setdefault(slim.pop("reason"), len(reasons))
        if p["role"] == "place":
            slim.pop("role")
        if p["query"] == p["name"]:
            slim.pop("query")
        places.append(slim)
    out["places"] = places
    return out


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else "date not given"


def _source_html(src) -> str:
    byline = esc(src.outlet or src.author or "source not named")
    if src.url:
        byline = f'<a href="{esc(src.url)}" target="_blank" rel="noopener noreferrer">{byline}</a>'
    line = f"{byline}, {esc(_date(src.published))}"
    if src.republished_by:
        line += f"; republished by {esc(src.republished_by)}"
        if src.republished:
            line += f", {esc(_date(src.republished))}"
    return line


def _layers_html(mapped: MappedReport) -> str:
    """The control layers the map draws, with their dates."""
    items = []
    for r in mapped.layers:
        days = sorted({a.valid_from.isoformat() for a in r.report.control})
        when = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]} ({len(days)} dates)"
        items.append(f"<li>{esc(Path(r.report.path).name)}: {esc(when)}</li>")
    return (f'<p class="cm-layers">Control layers:</p><ul class="cm-sources">{"".join(items)}'
            "</ul>") if items else ""


def _title_html(mapped: MappedReport) -> str:
    layers = {id(r) for r in mapped.layers}
    sources = [r.report.source for r in mapped.reports if id(r) not in layers]
    if not sources:
        parts = [f"<h1>{esc(mapped.title)}</h1>"]
    elif len(sources) == 1:
        src = sources[0]
        parts = [f"<h1>{esc(src.title)}</h1>", f"<p>{_source_html(src)}</p>"]
    else:
        shown = sources[:SOURCES_LISTED]
        items = "".join(f"<li>{esc(src.title)} — {_source_html(src)}</li>" for src in shown)
        if len(sources) > len(shown):
            items += (f"<li>and {len(sources) - len(shown):,} more (each claim's popup names "
                      "its source)</li>")
        parts = [f"<h1>{esc(mapped.title)}</h1>", f"<ul class=\"cm-sources\">{items}</ul>"]
    parts.append(_layers_html(mapped))
    parts.append(f'<p class="cm-warning">{CAVEAT}.</p>')
    if mapped.unlocated:
        items = "".join(f"<li>{esc(u.label)}: {esc(u.reason)}</li>" for u in mapped.unlocated)
        parts.append(f"<details><summary>Not located ({len(mapped.unlocated)})</summary>"
                     f"<ul>{items}</ul></details>")
    return "".join(parts)


def _swatch_line(color: str, width: float, dash: str = "") -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg class="cm-swatch" viewBox="0 0 22 14"><path d="M1 7h20" stroke="{color}" '
            f'stroke-width="{width}"{dashes}/></svg>')


def _swatch_area(colour: str, pattern: str = "") -> str:
    fill = {"": f'fill="{colour}" fill-opacity=".45"',
            "claimed": f'fill="{colour}" fill-opacity=".15"',
            "contested": 'fill="#fff" fill-opacity=".3"'}[pattern]
    hatch = ""
    if pattern:
        hatch = (f'<path d="M1 13L13 1M7 13L19 1M13 13L21 5M1 7L7 1" stroke="{colour}" '
                 f'stroke-width="1.5"/>')
        if pattern == "contested":
            hatch += f'<path d="M1 1L13 13M7 1L19 13" stroke="{colour}" stroke-width="1.5"/>'
    return (f'<svg class="cm-swatch" viewBox="0 0 22 14"><rect x="1" y="1" width="20" height="12" '
            f'{fill} stroke="{colour}" stroke-width="1.5"/>{hatch}</svg>')


def _control_legend(control: dict) -> str:
    rows = "".join(f"<li>{_swatch_area(a['colour'])}<span>{esc(a['name'])}</span></li>"
                   for a in control["actors"])
    grey = "#555555"
    statuses = {"assessed": f"<li>{_swatch_area(grey)}<span>Assessed control</span></li>",
                "claimed": f"<li>{_swatch_area(grey, 'claimed')}<span>Claimed control (by the "
                           "source named on it), not verified</span></li>",
                "contested": f"<li>{_swatch_area(grey, 'contested')}<span>Contested</span></li>"}
    rows += "".join(statuses[s] for s in control["statuses"] if s in statuses)
    if control["frontlines"]:
        rows += (f"<li>{_swatch_line('#111111', 3.5)}<span>Frontline (areas meeting within "
                 f"{control['snap_km']:g} km)</span></li>")
    if control["changes"]:
        rows += (f"<li>{_swatch_area(grey)}<span>Gained since {esc(control['since'])} "
                 "(solid edge)</span></li>"
                 f"<li>{_swatch_line(grey, 2, '3 2')}<span>Lost since {esc(control['since'])} "
                 "(dashed edge)</span></li>")
    return f"<h3>Control of territory</h3><ul class=\"cm-legend-control\">{rows}</ul>"


def _legend_html(kinds: list[ClaimKind], outlines: set[str] | None = None,
                 context: bool = False, control: dict | None = None) -> str:
    outlines = outlines or set()
    rows = "".join(f"<li>{icon_svg(k)}<span>{esc(k.label)}</span></li>" for k in kinds)
    areas = ""
    if "boundary" in outlines:
        areas += ('<li><svg class="cm-swatch" viewBox="0 0 22 14"><rect x="1" y="1" width="20" '
                  'height="12" fill="#888" fill-opacity=".15" stroke="#555"/></svg>'
                  "<span>Area, its boundary</span></li>")
    if outlines - {"boundary"}:
        areas += ('<li><svg class="cm-swatch" viewBox="0 0 22 14"><rect x="1" y="1" width="20" '
                  'height="12" fill="#888" fill-opacity=".15" stroke="#555" stroke-dasharray="4 3"/>'
                  "</svg><span>Area, approximate outline</span></li>")
    extras = (
        areas +
        '<li><svg class="cm-swatch" viewBox="0 0 22 14"><circle cx="11" cy="7" r="6" fill="none" '
        'stroke="#555" stroke-dasharray="2 2"/></svg><span>Position uncertainty (± km)</span></li>'
        '<li><svg class="cm-swatch" viewBox="0 0 22 14"><path d="M1 7h15" stroke="#555" '
        'stroke-width="2" stroke-dasharray="4 3"/><path d="M15 3l6 4-6 4z" fill="#555"/></svg>'
        "<span>Movement, origin to destination</span></li>"
    )
    base = ""
    if context:
        base = ("<h3>Map</h3><ul class=\"cm-legend-map\">"
                f"<li>{_swatch_line('#3d3d3d', 2)}<span>Country border</span></li>"
                f"<li>{_swatch_line('#6e6e6e', 1.2, '6 4')}<span>First-level boundary</span></li>"
                f"<li>{_swatch_line('#8c8c8c', 0.8, '2 3')}<span>Sub-district boundary (Syria)</span></li>"
                f"<li>{_swatch_line('#7d9fbd', 1.3)}<span>Rivers and lakes (Natural Earth 1:50m, "
                "drawn to about 3 km: for orientation)</span></li>"
                "</ul>")
    claims = f"<h2>Claimed events</h2><ul>{rows}{extras}</ul>" if kinds else ""
    return (f"{claims}"
            f"{_control_legend(control) if control else ''}{base}"
            + (f"<p>Precision 1 = the place itself, 2 = near it or part of an area, "
               f"3 = a region's representative point. {CAVEAT}.</p>" if kinds else ""))


def _stable_ids(root: Element) -> None:
    """Replace branca's random element ids with ids derived from the tree, so the
    same input always gives the same bytes."""
    counter = 0

    def walk(el: Element) -> None:
        nonlocal counter
        counter += 1
        el._id = hashlib.sha1(f"{counter}:{el._name}".encode(), usedforsecurity=False).hexdigest()[:12]
        for child in el._children.values():
            walk(child)

    walk(root)


FAST_FROM = 500  #: from this many claims, markers are drawn on one canvas


def build_map(mapped: MappedReport, *, tiles: str | None = "OpenStreetMap",
              tiles_on: bool = False, cdn: bool = False, context: bool = True) -> folium.Map:
    """The interactive map of a mapped report (one report, or several with a time
    slider when their claims carry two or more dates), over the offline geographic
    context (borders, coasts, admin lines, place names, a locator inset) unless
    ``context`` is false. The offline map is the base layer the page opens on; ``tiles`` is
    a second base layer in the layer control (no request is made until a reader chooses
    it), shown at once with ``tiles_on``; with ``tiles`` None the page offers no tiles."""
    west, south, east, north = mapped.bounds or (0.0, 0.0, 0.0, 0.0)
    view = View(west, south, east, north)
    palette = mapped.palette
    claims = [claim_payload(c, view.tolerance, palette) for c in mapped.claims]
    m = OfflineMap(tiles=None, control_scale=True, max_zoom=18, min_zoom=2,
                   zoom_snap=0.5)  # half steps: the fitted view keeps more detail beside the panels
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(InlineAssets(cdn=cdn, compare=bool(mapped.compare)),
                          name="inline_assets")
    root.header.add_child(PageTitle(f"{mapped.title} – conflictmap"), name="page_title")
    if tiles:
        m.add_child(OfflineBase("<span>Offline map (no network)</span>", show=not tiles_on))
        TileLayer(tiles, name=f"{tiles} tiles (online)", overlay=False, control=True,
                  show=tiles_on).add_to(m)
    control = control_payload(mapped, view.tolerance)
    dates = {c["date"] for c in claims if c["date"]} | set(control["dates"] if control else [])
    sources = [s.as_dict() for s in mapped.sources]
    actors = sorted({a for c in claims for a in c["sides"]}
                    | {a["name"] for a in (control["actors"] if control else [])})
    config = ClaimsConfig({
        "styles": style_table(),
        "actors": actors if len(actors) > 1 else [],
        "sources": sources,
        "timeline": len(dates) > 1,
        "precision": {str(int(p)): p.label for p in Precision},
        "fast": len(claims) >= FAST_FROM,
    })
    m.add_child(config)
    kinds = [k for k in ClaimKind if any(c["kind"] == k.value for c in claims)]
    gazetteers: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for kind in kinds:
        of_kind = [c for c in claims if c["kind"] == kind.value]
        name = f"<span>{icon_svg(kind, 16)} {esc(kind.label)} ({len(of_kind)})</span>"
        block = f"cm-claims-{kind.value}"
        root.html.add_child(DataBlock(block, [_slim(c, gazetteers, reasons) for c in of_kind]),
                            name=block)
        m.add_child(ClaimLayer(name, block))
    config.set("gazetteers", sorted(gazetteers, key=gazetteers.__getitem__))
    config.set("reasons", sorted(reasons, key=reasons.__getitem__))
    if control:
        root.html.add_child(DataBlock("cm-control", control), name="cm_control")
        if not control["compare"]:  # the compare view draws areas and lines in its halves
            for actor in control["actors"]:
                m.add_child(ControlLayer(f"<span>{_swatch_area(actor['colour'])} Control: "
                                         f"{esc(actor['name'])}</span>", "areas", actor["name"]))
            if control["frontlines"]:
                m.add_child(ControlLayer("<span>Frontlines</span>", "frontlines"))
        if control["changes"]:
            m.add_child(ControlLayer(f"<span>Changes since {esc(control['since'])}</span>",
                                     "changes"))
    if context:
        root.html.add_child(DataBlock("cm-context", context_payload(view)), name="cm_context")
        m.add_child(ContextLayer("<span>Borders, coasts, admin lines (offline)</span>", "lines"))
        m.add_child(ContextLayer("<span>Place names (offline)</span>", "labels"))
    m.add_child(Panel(_title_html(mapped), position="topleft", css_class="cm-title"))
    outlines = {p["outline_kind"] for c in claims for p in c["places"] if p.get("outline")}
    m.add_child(Panel(_legend_html(kinds, outlines, context, control), position="bottomright",
                      css_class="cm-legend"))
    place_sources = {p.get("source") or "" for c in claims for p in c["places"]}
    extra = [credit for key, credit in EXTRA_CREDITS if any(key in src for src in place_sources)]
    m.add_child(Attribution("; ".join([CREDITS, *extra])))
    ResponsiveLayerControl(collapsed=False, position="topright").add_to(m)
    if mapped.bounds:  # the page fits the view to them beside its panels, once they are drawn
        config.set("bounds", [[south, west], [north, east]])
    m.add_child(ClaimsReady())
    root.html.add_child(DataBlock("cm-description", description(mapped)), name="cm_description")
    _stable_ids(root)
    check_tree(root)
    return m
