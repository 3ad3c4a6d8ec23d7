"""Place lists in CSV, for spreadsheets: one claim per row, ``# key: value`` lines on
top for the report's metadata."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from conflictmap.claims.read import parse_json, split_lines
from conflictmap.claims.validate import MAX_CLAIMS, Checker, claim_from, marked
from conflictmap.errors import InputError
from conflictmap.model import Claim, Report, Source

CSV_COLUMNS = ("name", "kind", "date", "actor", "note")


#: The columns of conflictmap's CSV export that a place list reads back, by their names there.
_EXPORT_COLUMNS = {"event_id_cnty": "id", "event_date": "date", "conflictmap_until": "until",
                   "conflictmap_kind": "kind", "notes": "summary", "latitude": "lat",
                   "longitude": "lon", "actor1": "actor", "actor2": "acled:actor2",
                   "time_precision": "time_precision", "geo_precision": "precision",
                   "source": "acled:source", "conflictmap_source_url": "acled:url",
                   "country": "acled:country",
                   "location": "acled:location", "conflictmap_place_written": "name",
                   "conflictmap_gazetteer": "acled:gazetteer",
                   "conflictmap_summary": "summary", "conflictmap_note": "note",
                   "conflictmap_actors": "acled:actors",
                   "conflictmap_destinations": "acled:destinations"}


def _from_export(m: dict) -> None:
    """A row of the export as a place-list row: both actors; coordinates kept only where the
    input gave them (a name the gazetteer found is found again, with its provenance)."""
    if m.get("acled:actors"):
        m["actor"] = m["acled:actors"]
    elif m.get("acled:actor2"):
        m["actor"] = f"{m.get('actor', '')}; {m['acled:actor2']}"
    if not str(m.get("acled:gazetteer", "")).startswith("coordinates given"):
        m.pop("lat", None)
        m.pop("lon", None)
    m.setdefault("name", m.get("acled:location", ""))


def _destinations(text: str, path: Path, line: int) -> list:
    """An export's movement destinations (JSON): names found again by the gazetteer,
    coordinates kept where the input gave them."""
    items = parse_json(text, f"{path}:{line}")
    if not isinstance(items, list) or not items:
        raise InputError("'conflictmap_destinations' must be a JSON list", path=str(path), line=line)
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError("a destination needs a 'name'", path=str(path), line=line)
        dest = {"name": item["name"]}
        if item.get("given"):
            dest |= {"lat": item.get("lat"), "lon": item.get("lon")}
        out.append(marked(dest, line))
    return out


def load_csv(path: Path, text: str) -> Report:
    """A place list: one claim per row. ``# key: value`` lines on top give metadata."""
    meta: dict[str, str] = {}
    meta_line: dict[str, int] = {}
    lines = split_lines(text)
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith("#"):
        key, _, value = lines[skipped].lstrip()[1:].partition(":")
        meta[key.strip().lower()] = value.strip()
        meta_line[key.strip().lower()] = skipped + 1
        skipped += 1
    try:
        reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path), line=skipped + 1) from None
    export = "conflictmap_kind" in header and "name" not in header
    if export:  # conflictmap's own CSV export (ACLED's columns): read back under our names
        header = [_EXPORT_COLUMNS.get(h, f"acled:{h}") for h in header]
    missing = [c for c in ("name", "kind") if c not in header]
    if missing:
        raise InputError(f"CSV header lacks {', '.join(missing)}; expected columns "
                         f"{', '.join(CSV_COLUMNS)} (optional lat, lon, id, summary)",
                         path=str(path), line=skipped + 1)
    reader.fieldnames = header
    chk = Checker(str(path))
    claims: list[Claim] = []
    ids: set[str] = set()
    default_date = None
    if meta.get("date"):
        try:
            default_date = dt.date.fromisoformat(meta["date"])
        except ValueError:
            raise InputError(f"'# date:' must be a real date as YYYY-MM-DD, found "
                             f"{meta['date']!r}", path=str(path), line=meta_line["date"]) from None
    try:
        for row in reader:
            line = skipped + reader.line_num
            if None in row:
                raise InputError(f"row has {len(header) + len(row[None])} cells; the header "
                                 f"has {len(header)}", path=str(path), line=line)
            if not any((v or "").strip() for v in row.values()):
                continue
            if len(claims) >= MAX_CLAIMS:
                raise InputError(f"more than {MAX_CLAIMS:,} rows; a file holds at most "
                                 f"{MAX_CLAIMS:,} claims (split it into several files)",
                                 path=str(path), line=line)
            m = marked({k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()
                         if v is not None and str(v).strip() != ""}, line)
            if export:
                _from_export(m)
                for field_name, found in (("outlet", m.get("acled:source")),
                                          ("url", m.get("acled:url")),
                                          ("country", m.get("acled:country"))):
                    if found and field_name not in meta:  # the first row's source, as the export's
                        meta[field_name], meta_line[field_name] = str(found), line
            name = m.get("name") or ""
            place: dict[str, Any] = {"name": name}
            if "lat" in m or "lon" in m:
                place |= {"lat": m.get("lat"), "lon": m.get("lon")}
            entry = marked({
                "id": m.get("id") or f"row-{line}",
                "kind": m.get("kind", ""),
                "date": m.get("date"),
                "until": m.get("until"),
                "actors": [a.strip() for a in m.get("actor", "").split(";") if a.strip()],
                "note": m.get("note", ""),
                "summary": m.get("summary") or m.get("note") or f"{m.get('kind', '')} at {name}",
            }, line)
            if export:  # precisions as the export wrote them
                entry["time_precision"] = int(m.get("time_precision") or 1)
                if str(m.get("precision")) in ("1", "2", "3"):
                    place["precision"] = int(m["precision"])
            if not name:
                raise InputError("empty 'name' cell; every row needs a place name",
                                 path=str(path), line=line)
            kind = str(entry["kind"]).lower()
            if kind == "movement" and export and m.get("acled:destinations"):
                entry["from"] = marked(place, line)
                entry["to"] = _destinations(m["acled:destinations"], path, line)
                claims.append(claim_from(chk, entry, len(claims), [], ids, default_date))
                continue
            if kind == "movement":
                hint = (" (this export row has no conflictmap_destinations: build the export "
                        "again)") if export else ""
                raise InputError(f"movement rows need from/to; use a YAML claims file{hint}",
                                 path=str(path), line=line)
            entry["place"] = marked(place, line)
            claims.append(claim_from(chk, entry, len(claims), [], ids, default_date))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path),
                         line=skipped + reader.reader.line_num) from None
    if not claims:
        raise InputError("no rows below the header", path=str(path), line=skipped + 1)
    if meta.get("url"):
        chk.url(marked({"url": meta["url"]}, meta_line["url"]), "url")
    country = meta.get("country", "").upper()
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise InputError(f"'# country:' must be an ISO 3166-1 alpha-2 code such as SY, found "
                         f"{meta['country']!r}", path=str(path), line=meta_line["country"])
    def field(key: str, limit: int) -> str:
        return chk.text(marked({key: meta.get(key, "")}, meta_line.get(key, 1)), key, limit=limit)

    source = Source(title=field("title", 500) or path.stem, outlet=field("outlet", 200),
                    url=meta.get("url", ""), published=default_date)
    return Report(source=source, claims=tuple(claims), region=field("region", 300),
                  country=country, path=str(path))
