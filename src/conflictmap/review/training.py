"""Reviewed files as annotated training data: the report's text and every place the
reviewer confirmed, in the corpus layout ``conflictmap evaluate`` and
``scripts/train_geoparser.py --extra`` read (LGL's ``<article>``/``<toponym>``/``<gaztag>``).

Only mentions a reviewer decided (accepted, chose, placed or added, with a place) become
gold toponyms; the tool's unreviewed answers are left out, since they were never checked.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from conflictmap.atomic import write_bytes_atomic
from conflictmap.errors import InputError
from conflictmap.extract.roles import LOCATION, REGION
from conflictmap.review.session import _sha

CONFIRMED = ("accepted", "chosen", "placed", "added")


def _review_of(claims: str | Path) -> dict:
    try:
        doc = yaml.safe_load(Path(claims).read_text("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the reviewed file: {exc}", path=str(claims)) from exc
    review = doc.get("review") if isinstance(doc, dict) else None
    if not isinstance(review, dict) or not isinstance(review.get("mentions"), list):
        raise InputError("not a reviewed claims file (no 'review' section); review it "
                         "first with `conflictmap review`", path=str(claims))
    return review


def export_places(claims: str | Path, output: str | Path) -> int:
    """Write the places a reviewer placed by hand (clicked on the map) as a place CSV for
    ``conflictmap gazetteer import``; return how many. A name is written once."""
    review = _review_of(claims)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "lat", "lon", "kind", "uncertainty_km", "source"])
    seen: set[str] = set()
    for m in review["mentions"]:
        p = m.get("place")
        if m.get("decision") != "placed" or not p or str(m.get("text")) in seen:
            continue
        seen.add(str(m.get("text")))
        w.writerow([" ".join(str(m.get("text", "")).split()), p["lat"], p["lon"],
                    "placed in review", p.get("uncertainty_km") or 0,
                    f"placed by hand in a review of {review.get('report', 'a report')}"])
    write_bytes_atomic(output, buf.getvalue().encode("utf-8"))
    return len(seen)


def export_training(pairs: list[tuple[str | Path, str | Path]], output: str | Path) -> dict:
    """Write the reviewed ``(report, claims file)`` pairs to ``output`` as one corpus;
    return how many articles and toponyms were written and how many were left out."""
    root = ET.Element("articles")
    written = skipped = 0
    for report, claims in pairs:
        text = Path(report).read_text("utf-8")
        review = _review_of(claims)
        if review.get("report_sha") != _sha(text):
            raise InputError(f"the report {Path(report).name} changed since it was reviewed; "
                             "review it again", path=str(claims))
        art = ET.SubElement(root, "article", docid=Path(report).stem)
        ET.SubElement(art, "text").text = text
        tops = ET.SubElement(art, "toponyms")
        for m in review["mentions"]:
            place = m.get("place")
            if m.get("decision") not in CONFIRMED or not place or m.get("role") not in (LOCATION, REGION):
                skipped += m.get("role") in (LOCATION, REGION) and not m.get("decision")
                continue
            t = ET.SubElement(tops, "toponym")
            ET.SubElement(t, "start").text = str(m["start"])
            ET.SubElement(t, "end").text = str(m["end"])
            ET.SubElement(t, "phrase").text = text[m["start"]:m["end"]]
            gid = place.get("geonameid")
            tag = ET.SubElement(t, "gaztag", {"geonameid": str(gid)} if gid else {})
            ET.SubElement(tag, "name").text = str(place.get("name", ""))
            ET.SubElement(tag, "lat").text = str(place["lat"])
            ET.SubElement(tag, "lon").text = str(place["lon"])
            written += 1
        tops.set("count", str(len(tops)))
    ET.indent(root)
    write_bytes_atomic(output, ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return {"articles": len(root), "toponyms": written, "unreviewed": int(skipped)}
