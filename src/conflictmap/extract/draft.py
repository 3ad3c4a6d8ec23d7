"""The draft claims file: the analysis written in the format ``conflictmap build`` reads.

Summaries are generated from the claim's fields in our own words, never copied
from the report; each claim's note says which sentence it was drafted from, so
that a person can check it against the text.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import yaml

from conflictmap.claims.validate import marked_tree
from conflictmap.claims.yamlfile import report_from_document
from conflictmap.errors import InputError
from conflictmap.extract.claims import DraftClaim
from conflictmap.extract.roles import ACTOR, OTHER, REGION
from conflictmap.gazetteer.names import normalise
from conflictmap.gazetteer.sources import SOURCES
from conflictmap.kinds import KINDS, ClaimKind
from conflictmap.model import Report


def summary(c: DraftClaim) -> str:
    """A neutral sentence made from the claim's fields (never the report's words).

    The first actor is the one the sentence names first; the draft lists all of
    them under ``actors`` for a person to sort out who did what.
    """
    text = KINDS[c.kind].summary.format(
        place=place_name(c.mention), to=" and ".join(place_name(d) for d in c.destinations),
        by=f" (by {c.actors[0]}, as the report has it)" if c.actors else "",
        of=f" of {c.actors[0]}" if c.actors else "")
    text = text[0].upper() + text[1:]
    if len(c.actors) > 1:
        text += f" Parties named: {', '.join(c.actors)}."
    if c.prospect:
        text += " The report presents this as a prospect, not as done."
    return text


def _note(c: DraftClaim) -> str:
    spans = ", ".join(f"{a}–{b}" for a, b in c.sentences[:5])
    note = f"Drafted by conflictmap extract from the report's characters {spans}; check before use."
    if c.refers_back:
        note += (f" The words of this claim do not name the place; they refer back to "
                 f"{c.mention.text}, the place named last before them.")
    if c.part:
        note += (f" The report puts it in the {c.part} of {c.mention.text}, which the offline "
                 f"gazetteer does not place: it is drawn at {c.mention.text}, so its position "
                 f"is only as exact as that place.")
    if c.mention.cue and not (c.mention.resolution and c.mention.resolution.located):
        note += (f" {c.mention.text} is not in the offline gazetteer (taken for a place from "
                 f"“{c.mention.cue}”): add it to a place list to map it.")
    return note


#: Sources whose names are the place's own (not a phrase the text built around it).
GAZETTEERS = frozenset(kind.name for kind in SOURCES)


def place_name(m) -> str:
    """The name to write for a mention: the gazetteer's name when the text only
    wraps it ("the city of Darat Izza"), otherwise the phrase to resolve."""
    r = m.resolution
    if r is not None and r.place is not None and r.place.origin in GAZETTEERS \
            and normalise(r.place.name) in normalise(m.query):
        return r.place.name
    return m.query



def claim_dict(c: DraftClaim, number: int, analysis) -> dict:
    """One claim as the claims file (and ``extract --json``) writes it."""
    out: dict = {"id": f"draft-{number:02d}", "kind": c.kind.value}
    if c.date:
        out["date"] = c.date.isoformat()
    if c.time_precision > 1:
        out["time_precision"] = c.time_precision
    if c.actors:
        out["actors"] = list(c.actors)
    if c.kind is ClaimKind.MOVEMENT:
        out["from"] = place_name(c.mention)
        out["to"] = [place_name(d) for d in c.destinations]
    else:
        out["place"] = place_name(c.mention)
    out["summary"] = summary(c)
    out["note"] = _note(c)
    if c.checks:
        out["checks"] = [_check(ch) for ch in c.checks]
    return out


def _check(ch) -> dict:
    key = {"distance": "of", "bearing": "of", "near": "near", "border": "border"}[ch.relation]
    out: dict = {"said": ch.said, key: ch.reference.name}
    if ch.km is not None:
        out["km"] = ch.km
    if ch.direction:
        out["direction"] = ch.direction
    return out


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  #: never kept in metadata


def _url(text: str) -> str:
    """A URL the claims file accepts: http(s) only, spaces and quotes percent-encoded."""
    text = _CONTROL.sub("", text.strip())
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return ""
    return quote(text, safe=":/?#[]@!$&()*+,;=%~")


def _clip(text: str, limit: int) -> str:
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def meta_dict(analysis) -> dict:
    """The report's metadata as the claims file writes it, within the file's limits
    (a draft always loads)."""
    m = analysis.document.meta
    name = Path(analysis.document.path).name if analysis.document.path else ""
    out: dict = {"title": _clip(m.title, 500) or (f"Draft from {name}" if name else "Draft")}
    for key in ("outlet", "author"):
        if getattr(m, key).strip():
            out[key] = _clip(getattr(m, key), 200)
    if _url(m.url):
        out["url"] = _url(m.url)
    if m.published:
        out["published"] = m.published.isoformat()
    if m.republished_by.strip():
        out["republished_by"] = _clip(m.republished_by, 200)
    if m.republished:
        out["republished"] = m.republished.isoformat()
    if analysis.country:
        out["country"] = analysis.country
    return out


def not_places(analysis) -> list[dict]:
    """Names that are used but not mapped: actors, others, and countries named as a scope."""
    out: dict[str, str] = {}
    mapped = {c.mention.place_key for c in analysis.claims} | {
        d.place_key for c in analysis.claims for d in c.destinations}
    for m in analysis.mentions:
        name = m.text.strip()
        if m.role in (ACTOR, OTHER):
            out.setdefault(name, f"{m.role}: {m.why}")
        elif m.role == REGION and m.place_key not in mapped and m.qualifies is None:
            out.setdefault(name, "region named as a scope, with no event located in it")
    return [{"name": n, "reading": r} for n, r in out.items()]


def draft_document(analysis) -> dict:
    """The draft claims file as plain data."""
    return {
        "report": meta_dict(analysis),
        "claims": [claim_dict(c, i, analysis) for i, c in enumerate(analysis.claims, 1)],
        "not_places": not_places(analysis),
    }


def draft_report(analysis) -> Report:
    """The draft as a :class:`Report`, checked exactly as the YAML file would be."""
    if not analysis.claims:
        raise InputError("no place where something happens was found, so there is no claim "
                         "to draft", path=analysis.document.path or None)
    return report_from_document(marked_tree(draft_document(analysis)),
                                analysis.document.path or "draft")


def draft_yaml(analysis, source_name: str = "") -> str:
    """The draft claims file as YAML text (stable: the same report gives the same bytes).
    It is checked as ``build`` would check it before it is returned."""
    draft_report(analysis)
    head = (f"# Draft claims drafted by `conflictmap extract` from {source_name or 'a report'}.\n"
            "# Every claim is a machine reading of the text: check it against the report,\n"
            "# correct kinds, actors and places, then build the map with `conflictmap build`.\n")
    return head + yaml.safe_dump(draft_document(analysis), sort_keys=False, allow_unicode=True,
                                 width=100)
