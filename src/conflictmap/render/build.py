"""Build the folium map of a located report."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import folium
from branca.element import Element
from shapely import wkt

from conflictmap.embed import description
from conflictmap.locate import LocatedReport, claim_precision, measured_checks
from conflictmap.model import Claim, ClaimKind, PlaceRef, Precision, Resolution
from conflictmap.render.elements import (
    Attribution,
    ClaimData,
    ClaimLayer,
    ClaimsConfig,
    ClaimsReady,
    Description,
    InlineAssets,
    PageTitle,
    Panel,
    esc,
)
from conflictmap.render.style import icon_svg, style_table

CREDITS = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), '
    "OpenSyria data-geography (CC BY 4.0), conflictmap curated gazetteer"
)
CAVEAT = "Claims as reported, not verified"


class OfflineMap(folium.Map):
    """A folium Map whose JavaScript and CSS are inlined by :class:`InlineAssets`
    instead of linked from CDNs (and without the unused jQuery/Bootstrap/icons)."""

    default_js: list = []
    default_css: list = []


def _outline(place_wkt: str | None) -> list | None:
    if not place_wkt:
        return None
    geom = wkt.loads(place_wkt)
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    rings = [[[round(y, 5), round(x, 5)] for x, y in p.exterior.coords] for p in polys]
    return rings if len(rings) > 1 else rings[0]


def _place_payload(role: str, ref: PlaceRef, res: Resolution) -> dict[str, Any]:
    p = res.place
    assert p is not None
    precision = claim_precision(ref, res)
    return {
        "role": role,
        "query": ref.name,
        "name": p.name,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "precision": int(precision),
        "precision_label": Precision(precision).label,
        "confidence": p.confidence,
        "uncertainty_km": p.uncertainty_km,
        "source": p.source,
        "geonameid": p.geonameid,
        "country": p.country,
        "admin1": p.admin1,
        "admin2": p.admin2,
        "status": res.status.value,
        "reason": res.reason,
        "outline": _outline(p.geometry_wkt),
    }


def claim_payload(claim: Claim, located: LocatedReport
                  ) -> tuple[dict | None, list[tuple[str, str]]]:
    """The claim as JSON-ready data, and the (name, reason) of places not located."""
    missing: list[tuple[str, str]] = []
    places: list[dict] = []
    for role, ref in claim.roles:
        res = located.resolution(ref)
        if res.located:
            places.append(_place_payload(role, ref, res))
        else:
            missing.append((ref.name, res.reason))
    if not places or places[0]["role"] == "to":
        return None, missing
    if claim.kind is ClaimKind.MOVEMENT and len(places) < 2:
        return None, missing
    return {
        "id": claim.id,
        "kind": claim.kind.value,
        "summary": claim.summary,
        "actors": list(claim.actors),
        "date": claim.date.isoformat() if claim.date else None,
        "time_precision": claim.time_precision,
        "note": claim.note,
        "checks": [m.text for m in measured_checks(claim, located)],
        "places": places,
    }, missing


def _slim(claim: dict, gazetteers: dict[str, int]) -> dict:
    """The claim as the page needs it: empty fields left out, the long gazetteer
    source strings replaced by their index ``g`` in ``cfg.gazetteers``."""
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
        if p["role"] == "place":
            slim.pop("role")
        if p["query"] == p["name"]:
            slim.pop("query")
        places.append(slim)
    out["places"] = places
    return out


def _points(claims: list[dict]) -> Iterator[tuple[float, float]]:
    for c in claims:
        for p in c["places"]:
            yield p["lat"], p["lon"]
            outline = p["outline"] or []
            rings = outline if outline and isinstance(outline[0][0], list) else [outline]
            for ring in rings:
                yield from ((lat, lon) for lat, lon in ring)


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


def _title_html(reports: Sequence[LocatedReport], unlocated: list[tuple[str, str]]) -> str:
    if len(reports) == 1:
        src = reports[0].report.source
        parts = [f"<h1>{esc(src.title)}</h1>", f"<p>{_source_html(src)}</p>"]
    else:
        items = "".join(f"<li>{esc(r.report.source.title)} — {_source_html(r.report.source)}</li>"
                        for r in reports)
        parts = [f"<h1>Claims of {len(reports)} reports</h1>", f"<ul class=\"cm-sources\">{items}</ul>"]
    parts.append(f'<p class="cm-warning">{CAVEAT}.</p>')
    if unlocated:
        items = "".join(f"<li>{esc(n)}: {esc(r)}</li>" for n, r in unlocated)
        parts.append(f"<details><summary>Not located ({len(unlocated)})</summary>"
                     f"<ul>{items}</ul></details>")
    return "".join(parts)


def _legend_html(kinds: list[ClaimKind]) -> str:
    rows = "".join(f"<li>{icon_svg(k)}<span>{esc(k.label)}</span></li>" for k in kinds)
    extras = (
        '<li><svg class="cm-swatch" viewBox="0 0 22 14"><rect x="1" y="1" width="20" height="12" '
        'fill="#888" fill-opacity=".15" stroke="#555" stroke-dasharray="4 3"/></svg>'
        "<span>Area, approximate outline</span></li>"
        '<li><svg class="cm-swatch" viewBox="0 0 22 14"><circle cx="11" cy="7" r="6" fill="none" '
        'stroke="#555" stroke-dasharray="2 2"/></svg><span>Position uncertainty (± km)</span></li>'
        '<li><svg class="cm-swatch" viewBox="0 0 22 14"><path d="M1 7h15" stroke="#555" '
        'stroke-width="2" stroke-dasharray="4 3"/><path d="M15 3l6 4-6 4z" fill="#555"/></svg>'
        "<span>Movement, origin to destination</span></li>"
    )
    return (f"<h2>Claimed events</h2><ul>{rows}{extras}</ul>"
            f"<p>Precision 1 = the place itself, 2 = near it or part of an area, "
            f"3 = a region's representative point. {CAVEAT}.</p>")


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


def report_sources(reports: Sequence[LocatedReport]) -> list[dict]:
    """Each report's citation as plain data (the page, exports and the text version)."""
    return [{"title": r.report.source.title, "outlet": r.report.source.outlet,
             "url": r.report.source.url,
             "published": r.report.source.published.isoformat() if r.report.source.published
             else ""} for r in reports]


FAST_FROM = 2000  #: from this many claims, markers are drawn on one canvas


def build_map(located: LocatedReport | Sequence[LocatedReport], *,
              tiles: str | None = "OpenStreetMap", cdn: bool = False) -> folium.Map:
    """The interactive map of one located report, or of several (with a time slider
    when their claims carry two or more dates)."""
    reports = [located] if isinstance(located, LocatedReport) else list(located)
    claims: list[dict] = []
    unlocated: list[tuple[str, str]] = []
    for index, one in enumerate(reports):
        for claim in one.report.claims:
            data, missing = claim_payload(claim, one)
            unlocated += [(f"{name} (claim {claim.id})", reason) for name, reason in missing]
            if data:
                data["source"] = index
                claims.append(data)
    pts = list(_points(claims)) or [(0.0, 0.0)]
    south, north = min(p[0] for p in pts), max(p[0] for p in pts)
    west, east = min(p[1] for p in pts), max(p[1] for p in pts)
    m = OfflineMap(location=[(south + north) / 2, (west + east) / 2], zoom_start=9,
                   tiles=None, control_scale=True, max_zoom=18, min_zoom=2)
    root = m.get_root()
    root.header.add_child(InlineAssets(cdn=cdn), name="inline_assets")
    title = (reports[0].report.source.title if len(reports) == 1
             else f"Claims of {len(reports)} reports")
    root.header.add_child(PageTitle(f"{title} – conflictmap"), name="page_title")
    if tiles:
        folium.TileLayer(tiles, control=False).add_to(m)
    dates = {c["date"] for c in claims if c["date"]}
    sources = report_sources(reports)
    config = ClaimsConfig({
        "styles": style_table(),
        "sources": sources,
        "timeline": len(dates) > 1,
        "precision": {str(int(p)): p.label for p in Precision},
        "fast": len(claims) >= FAST_FROM,
    })
    m.add_child(config)
    kinds = [k for k in ClaimKind if any(c["kind"] == k.value for c in claims)]
    gazetteers: dict[str, int] = {}
    for kind in kinds:
        of_kind = [c for c in claims if c["kind"] == kind.value]
        name = f"<span>{icon_svg(kind, 16)} {esc(kind.label)} ({len(of_kind)})</span>"
        block = f"cm-claims-{kind.value}"
        root.html.add_child(ClaimData(block, [_slim(c, gazetteers) for c in of_kind]),
                            name=block)
        m.add_child(ClaimLayer(name, block))
    config.set("gazetteers", sorted(gazetteers, key=gazetteers.__getitem__))
    m.add_child(Panel(_title_html(reports, unlocated), position="topleft",
                      css_class="cm-title"))
    m.add_child(Panel(_legend_html(kinds), position="bottomright", css_class="cm-legend"))
    m.add_child(Attribution(CREDITS))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if claims:
        m.fit_bounds([[south, west], [north, east]], padding=(30, 30), max_zoom=13)
    m.add_child(ClaimsReady())
    root.html.add_child(Description(description(claims, sources, unlocated)),
                        name="cm_description")
    _stable_ids(root)
    m.conflictmap_claims = claims  # type: ignore[attr-defined]
    m.conflictmap_unlocated = unlocated  # type: ignore[attr-defined]
    return m
