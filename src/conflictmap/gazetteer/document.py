"""Resolving the place names of one document together, each in the light of the others.

A name is first resolved on its own. The places that come out clearly (and the
countries they lie in) then form the document's context: names are resolved a
second time preferring those countries and first-level areas. "Ariha" in a
report about Idlib is the Idlib town, not Jericho; "Paris" in an article about Texas is Paris, Texas.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from conflictmap.gazetteer.qualified import requalified
from conflictmap.gazetteer.rank import Context
from conflictmap.model import Resolution


@dataclass(frozen=True)
class Occurrence:
    """A place name as written in a document, with its character span."""

    text: str
    start: int = 0
    end: int = 0


def _weight(res: Resolution) -> float:
    """How much an answer counts as evidence of where the document is: a likely answer
    (:attr:`~conflictmap.model.Resolution.likely`) by its probability (1 for a resolved one
    without); 0 for the rest, so that a namesake in doubt cannot vouch for its own country."""
    if not res.likely:
        return 0.0
    return 1.0 if res.probability is None else res.probability


def document_context(resolved: Sequence[Resolution], base: Context | None = None) -> Context:
    """The context a document's answers give to its other names: the countries and
    first-level areas of its likely places (weighted by how sure each is), the countries
    it names, where its names could be."""
    base = base or Context()
    countries: defaultdict[str, float] = defaultdict(float)
    admin1: defaultdict[str, float] = defaultdict(float)
    named: set[str] = set()
    for r in resolved:
        p, w = r.place, _weight(r)
        if p is None or w <= 0:
            continue
        if p.country:
            countries[p.country] += w
        if p.kind == "country" and p.country:
            named.add(p.country)
        if p.country and p.admin1 and p.kind != "country":
            admin1[f"{p.country}.{p.admin1}"] += w
    support = _support_points(resolved)
    if not countries and not support:
        return base
    top = max(countries.values()) if countries else 1
    top1 = max(admin1.values()) if admin1 else 1
    return Context(
        country=base.country, near=base.near, within=base.within, home=base.home,
        prefer=tuple(sorted((c, round(n / top, 3)) for c, n in countries.items())),
        prefer_admin1=tuple(sorted((a, round(n / top1, 3)) for a, n in admin1.items())),
        named=tuple(sorted(named)), support=support,
    )


#: Readings of each other name that count as support (its best few candidates).
SUPPORT_READINGS = 3
#: At most this many points of support per document (the rest adds little).
MAX_SUPPORT = 600


def _support_points(resolved: Sequence[Resolution]) -> tuple[tuple[int, float, float], ...]:
    """Where the document's names could be: (name number, lat, lon) for the best few
    readings of every located name, clear or not. A namesake with other names' readings
    around it ("Edmonton" next to "Enfield" and "Tottenham") is the likelier one."""
    out: list[tuple[int, float, float]] = []
    seen: dict[str, int] = {}
    for r in resolved:
        if r.place is None or not r.located or r.query in seen:
            continue
        i = seen[r.query] = len(seen)
        for p in (r.place, *(c.place for c in r.candidates[:SUPPORT_READINGS - 1])):
            if p.kind not in ("country", "continent", "region"):
                out.append((i, round(p.lat, 3), round(p.lon, 3)))
    return tuple(out[:MAX_SUPPORT]) if len(seen) > 1 else ()


def filed_at(gazetteer, text: str, dateline: Occurrence, answer: Resolution,
             qualifier: Resolution | None = None) -> tuple[float, float] | None:
    """Where a report says it was filed, when its first name is a dateline at the start of
    a line ("LONDON, Ky. (WKYT) -", "KYIV, March 3"): the answer for it, read with the
    qualifier that follows it, when clear. A weak prior for the namesakes of the outlet's
    home region (the ``near_home`` feature of the ranker)."""
    if not dateline.text.isupper() or text[dateline.end:dateline.end + 1] != "," \
            or text[text.rfind("\n", 0, dateline.start) + 1:dateline.start].strip():
        return None
    if qualifier is not None:
        answer = requalified(gazetteer, dateline.text, answer, qualifier) or answer
    if not answer.likely or answer.place is None:
        return None
    return (answer.place.lat, answer.place.lon)


def reading_context(gazetteer, occurrences: Sequence[Occurrence], text: str = "",
                    base: Context | None = None) -> tuple[Context, dict[str, Resolution]]:
    """The context a document gives each of its names (its clear places, their countries
    and first-level areas, its other names' readings, its dateline), with the first
    answers (each name on its own) it was worked out from."""
    names = list(dict.fromkeys(m.text for m in occurrences))
    first = {n: gazetteer.resolve(n, context=base) for n in names}
    order = sorted(range(len(occurrences)), key=lambda i: occurrences[i].start)  # as written
    if text and occurrences:
        head = occurrences[order[0]]
        nxt = occurrences[order[1]] if len(order) > 1 else None
        after = nxt if nxt is not None and text[head.end:nxt.start].strip() == "," else None
        home = filed_at(gazetteer, text, head, first[head.text], first[after.text] if after else None)
        if home is not None:
            base = dataclasses.replace(base or Context(), home=home)
    return document_context(list(first.values()), base), first


def resolve_occurrences(gazetteer, occurrences: Sequence[Occurrence], text: str = "",
                        base: Context | None = None) -> list[Resolution]:
    """Resolve each name with the document (its other names, its dateline) as context."""
    ctx, first = reading_context(gazetteer, occurrences, text, base)
    second = {n: gazetteer.resolve(n, context=ctx) for n in first} if ctx != (base or Context()) else first
    answers = [second[m.text] for m in occurrences]
    if text:
        order = sorted(range(len(occurrences)), key=lambda i: occurrences[i].start)
        _inside_qualifiers(gazetteer, occurrences, answers, text, order)
    return answers


#: What may stand between a name and the unit that qualifies it ("London, Ont.", "X in Y").
_QUALIFIED_BY = re.compile(r"\s*(?:,|in)\s*")


def _inside_qualifiers(gazetteer, occurrences: Sequence[Occurrence], answers: list[Resolution],
                       text: str, order: list[int]) -> None:
    """A name followed by ", <unit>" or "in <unit>" is chosen inside that unit
    (:func:`~conflictmap.gazetteer.qualified.requalified`); ``order`` lists the
    occurrences as they stand in the text (they may be given in any order)."""
    for i, j in zip(order, order[1:], strict=False):
        a, b = occurrences[i], occurrences[j]
        if not a.end or b.start < a.end or not _QUALIFIED_BY.fullmatch(text, a.end, b.start):
            continue
        within = requalified(gazetteer, a.text, answers[i], answers[j])
        if within is not None and within.located:
            answers[i] = within


_CAPITALISED = re.compile(r"\b[A-Z\u0600-\u06ff][\w'’\-]*(?:\s+(?:al-|el-|de |of )?[A-Z][\w'’\-]*){0,3}")


def context_from_text(gazetteer, text: str, base: Context | None = None) -> Context:
    """A document context from free text: the capitalised phrases that resolve clearly."""
    phrases = list(dict.fromkeys(m.group(0) for m in _CAPITALISED.finditer(text[:200_000])))
    found = [gazetteer.resolve(p, context=base, loose=False) for p in phrases[:2000]]
    return document_context([r for r in found if r.located], base)
