"""The draft claims file: the analysis written in the format ``conflictmap build`` reads.

Summaries are generated from the claim's fields in our own words, never copied
from the report; each claim's note says which sentence it was drafted from, so
that a person can check it against the text.
"""

from __future__ import annotations

import yaml

from conflictmap.extract.claims import DraftClaim
from conflictmap.extract.roles import ACTOR, OTHER, REGION
from conflictmap.gazetteer.names import normalise
from conflictmap.model import ClaimKind

_TEMPLATES = {
    ClaimKind.CAPTURED: "{place} reported taken{by}.",
    ClaimKind.ADVANCE: "An advance at {place} is reported{by}.",
    ClaimKind.RETREAT: "A withdrawal from {place} is reported.",
    ClaimKind.BESIEGED: "{place} reported besieged or cut off{by}.",
    ClaimKind.TARGET: "{place} named as a target or objective{of}.",
    ClaimKind.MOVEMENT: "A movement from {place} to {to} is reported{by}.",
    ClaimKind.CONTROL: "{place} reported held or occupied{by}.",
    ClaimKind.MENTION: "{place} is named in the report; no event is stated there.",
}


def summary(c: DraftClaim) -> str:
    """A neutral sentence made from the claim's fields (never the report's words).

    The first actor is the one the sentence names first; the draft lists all of
    them under ``actors`` for a person to sort out who did what.
    """
    text = _TEMPLATES[c.kind].format(
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
        note += (f" The sentence does not name the place; it refers back to {c.mention.text}, "
                 "the place named last.")
    return note


def place_name(m) -> str:
    """The name to write for a mention: the gazetteer's name when the text only
    wraps it ("the city of Darat Izza"), otherwise the phrase to resolve."""
    r = m.resolution
    if r is not None and r.place is not None and r.place.key.startswith(
            ("curated:", "geonames:", "import:")) and normalise(r.place.name) in normalise(m.query):
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
    key = {"distance": "of", "near": "near", "border": "border"}[ch.relation]
    out: dict = {"said": ch.said, key: ch.reference.name}
    if ch.km is not None:
        out["km"] = ch.km
    if ch.direction:
        out["direction"] = ch.direction
    return out


def meta_dict(analysis) -> dict:
    m = analysis.document.meta
    out: dict = {"title": m.title}
    for key in ("outlet", "author", "url"):
        if getattr(m, key):
            out[key] = getattr(m, key)
    if m.published:
        out["published"] = m.published.isoformat()
    if m.republished_by:
        out["republished_by"] = m.republished_by
    if m.republished:
        out["republished"] = m.republished.isoformat()
    if analysis.country:
        out["country"] = analysis.country
    return out


def not_places(analysis) -> list[dict]:
    """Names that are used but not mapped: actors, others, and countries named as a scope."""
    out: dict[str, str] = {}
    from conflictmap.extract import _where

    mapped = {_where(c.mention) for c in analysis.claims} | {
        _where(d) for c in analysis.claims for d in c.destinations}
    for m in analysis.mentions:
        name = m.text.strip()
        if m.role in (ACTOR, OTHER):
            out.setdefault(name, f"{m.role}: {m.why}")
        elif m.role == REGION and _where(m) not in mapped and m.qualifies is None:
            out.setdefault(name, "region named as a scope, with no event located in it")
    return [{"name": n, "reading": r} for n, r in out.items()]


def draft_yaml(analysis, source_name: str = "") -> str:
    """The draft claims file as YAML text (stable: the same report gives the same bytes)."""
    doc = {
        "report": meta_dict(analysis) | (
            {"published": analysis.document.meta.published.isoformat()}
            if analysis.document.meta.published else {}),
        "claims": [claim_dict(c, i, analysis) for i, c in enumerate(analysis.claims, 1)],
        "not_places": not_places(analysis),
    }
    head = (f"# Draft claims drafted by `conflictmap extract` from {source_name or 'a report'}.\n"
            "# Every claim is a machine reading of the text: check it against the report,\n"
            "# correct kinds, actors and places, then build the map with `conflictmap build`.\n")
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
