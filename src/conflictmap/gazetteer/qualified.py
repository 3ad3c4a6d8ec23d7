"""Names qualified by their country or first-level unit, as the news writes them:
"London, Ont.", "Paris, Texas", "Athens, Ga.", "Kherson, Ukraine".

The qualifier is a hard filter: the answer is a place of that name inside the unit (its
country, and its first-level area when the qualifier is one), or none, with the reason.
The same rule serves the extractor, where "X, Y" or "X in Y" stand in a report.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from conflictmap.gazetteer.rank import SAME_PLACE_KM, Context, km
from conflictmap.model import Place, Resolution, Status

if TYPE_CHECKING:
    from conflictmap.gazetteer import Gazetteer

#: What a qualifier must be: a unit that contains places.
UNIT_KINDS = ("country", "first-level area")


def qualifier(gazetteer: Gazetteer, name: str) -> Place | None:
    """The country or first-level unit a qualifier names ("Ont.", "Texas", "Ukraine"),
    when it names one clearly (exact names only)."""
    r = unit_answer(gazetteer, name)
    return r.place if r is not None else None


def unit_answer(gazetteer: Gazetteer, name: str) -> Resolution | None:
    """The answer for a name read as a qualifier (:func:`qualifier`), or None."""
    r = gazetteer.resolve(name, loose=False, areas=False)
    if r.likely and r.place is not None and r.place.kind in UNIT_KINDS:
        return r
    return None


def inside(place: Place, unit: Place) -> bool:
    """Whether a place lies in the unit by its codes (country, and first-level area)."""
    if place.country != unit.country:
        return False
    return unit.kind == "country" or (bool(unit.admin1) and place.admin1 == unit.admin1)


def resolve_in(gazetteer: Gazetteer, query: str, unit: Place,
               context: Context | None = None) -> Resolution:
    """Resolve ``query`` among the places inside ``unit``.

    >>> import conflictmap as cm
    >>> g = cm.default_gazetteer()
    >>> ontario = qualifier(g, "Ont.")
    >>> r = resolve_in(g, "London", ontario)
    >>> r.status.value, r.place.country, round(r.place.lon)
    ('resolved', 'CA', -81)
    """
    base = context or Context()
    admin1 = f"{unit.country}.{unit.admin1}" if unit.kind == "first-level area" else ""
    ctx = replace(base, country=unit.country,
                  prefer_admin1=((admin1, 1.0),) if admin1 else base.prefer_admin1)
    r = gazetteer.resolve(query, context=ctx)
    where = f"{unit.name} ({unit.country})" if unit.kind != "country" else unit.name
    if not r.located or r.place is None:
        return replace(r, reason=f"{r.reason}; asked within {where}")
    # (place, how its name matched)
    options = [(r.place, r.match), *((c.place, c.match) for c in r.candidates)]
    found = [(p, how) for p, how in options if inside(p, unit) and p.kind not in UNIT_KINDS]
    found = found or [(p, how) for p, how in options if inside(p, unit)]
    if not found:
        return Resolution(query, Status.UNRESOLVED, candidates=r.candidates, reason=(
            f"no place named '{query}' in {where}; elsewhere: {r.place.name} ({r.place.country})"))
    top, how = found[0]
    rivals = [p for p, _ in found[1:] if km((top.lat, top.lon), (p.lat, p.lon)) > SAME_PLACE_KM]
    fuzzy = how.startswith("fuzzy")
    clear = not rivals and not fuzzy
    others = tuple(c for c in r.candidates if c.place is not top)
    why = (f"the {top.kind} named '{query}' in {where}"
           + (f"; {len(rivals)} other place(s) of that name there" if rivals else "")
           + ("; only a similar spelling matches" if fuzzy else ""))
    if top is not r.place:
        from conflictmap.gazetteer import precision_of  # noqa: PLC0415 - the package imports this module
        place = gazetteer._with_outline(top)  # noqa: SLF001 - the gazetteer's own helper
        return Resolution(query, Status.RESOLVED if clear else Status.AMBIGUOUS,
                          place, precision_of(place), r.score, others, why)
    # the unit decided among the namesakes (the status and the reason keep a spelling's doubt)
    return replace(r, status=Status.RESOLVED if clear else Status.AMBIGUOUS,
                   reason=f"{why}; {r.reason}", match="")


def requalified(gazetteer: Gazetteer, query: str, answer: Resolution,
                qualifier_answer: Resolution) -> Resolution | None:
    """The answer for a name the text qualifies by the next name ("London, Ont.", "X in
    Y"): chosen inside the unit, or None when the rule does not apply: the next name is
    no country or first-level unit, the name is a unit itself (a list: "Alberta,
    Saskatchewan"), or its answer is already clearly inside."""
    unit = qualifier_answer.place if qualifier_answer.located else None
    here = answer.place if answer.located else None
    if unit is None or unit.kind not in UNIT_KINDS:
        return None
    if here is not None and (here.kind in (*UNIT_KINDS, "continent", "region") or (
            inside(here, unit) and answer.likely)):
        return None
    return resolve_in(gazetteer, query, unit)


def split(query: str) -> tuple[str, str] | None:
    """ "London, Ont." -> ("London", "Ont."); None without a comma."""
    name, sep, rest = query.rpartition(",")
    name, rest = name.strip(), rest.strip()
    return (name, rest) if sep and name and rest else None
