"""The fields of a claim, checked: every problem names the file, the line and column
where known, what was found and what was expected. Shared by the YAML, CSV and
GeoJSON loaders, which all hand over mappings marked with where they stand.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from conflictmap.claims.read import text_problem
from conflictmap.errors import InputError
from conflictmap.kinds import ClaimKind
from conflictmap.model import Check, Claim, PlaceRef, Precision

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
MAX_NAME = 300  #: characters in a place name
MAX_ACTOR = 200  #: characters in an actor's name
MAX_ACTORS = 20  #: actors of one claim
MAX_CLAIMS = 200_000  #: claims in one input file
KINDS = ", ".join(k.value for k in ClaimKind)


class Marked(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    column: int = 0
    key_marks: dict[Any, tuple[int, int]]


def marked(values: dict, line: int) -> Marked:
    """A mapping built from a CSV row, marked with the row's line."""
    m = Marked(values)
    m.line, m.column, m.key_marks = line, 1, {}
    return m


def marked_tree(value: Any, line: int = 0) -> Any:
    """Plain dicts and lists (a claims document built in memory) as marked mappings,
    so that they are checked exactly as a file would be."""
    if isinstance(value, dict):
        return marked({k: marked_tree(v, line) for k, v in value.items()}, line)
    if isinstance(value, list):
        return [marked_tree(v, line) for v in value]
    return value


class Checker:
    """Field checks that know the file and the mapping they read from."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.places: dict[str, PlaceRef] = {}  #: the file's own places, by id

    def fail(self, msg: str, where: Marked | None = None, key: str | None = None) -> InputError:
        line = col = None
        if isinstance(where, Marked) and where.line:  # line 0: built in memory, not a file
            line, col = where.key_marks.get(key, (where.line, where.column))
        return InputError(msg, path=self.path, line=line, column=col)

    def text(self, m: Marked, key: str, *, required: bool = False, limit: int = 5000) -> str:
        value = m.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing '{key}'", m)
            return ""
        if isinstance(value, bool | dict | list):
            raise self.fail(f"'{key}' must be text, found {type(value).__name__}", m, key)
        return self.clean(str(value).strip(), m, key, limit)

    def clean(self, value: str, m: Marked, key: str, limit: int) -> str:
        """A string fit for a map: within ``limit`` characters, no control characters."""
        if len(value) > limit:
            raise self.fail(f"'{key}' is {len(value):,} characters; the limit is {limit:,}",
                            m, key)
        problem = text_problem(value)
        if problem:
            raise self.fail(f"'{key}' holds {problem}", m, key)
        return value

    def url(self, m: Marked, key: str) -> str:
        value = self.text(m, key)
        if value and not re.match(r"^https?://[^\s<>\"']+$", value, re.IGNORECASE):
            raise self.fail(f"'{key}' must be an http(s) URL, found {value[:60]!r}", m, key)
        return value

    def date(self, m: Marked, key: str) -> dt.date | None:
        value = m.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise self.fail(f"'{key}' must be a real date as YYYY-MM-DD, found {value!r}",
                            m, key) from None

    def coordinate(self, m: Marked, key: str, low: float, high: float) -> float | None:
        value = m.get(key)
        if value is None or value == "":
            return None
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        if isinstance(value, bool):
            raise self.fail(f"'{key}' must be a number, found {shown}", m, key)
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise self.fail(f"'{key}' must be a number, found {shown}", m, key) from None
        if not math.isfinite(number) or not low <= number <= high:
            hint = ""
            if key == "lat" and math.isfinite(number) and abs(number) <= 180:
                hint = "; are lat and lon swapped?"
            raise self.fail(f"'{key}' must lie between {low:g} and {high:g}, found {shown}{hint}",
                            m, key)
        return number


def place_ref(chk: Checker, value: Any, parent: Marked, key: str) -> PlaceRef:
    if isinstance(value, Marked) and "ref" in value:
        ref = str(value["ref"])
        defined = chk.places
        if ref not in defined:
            known = ", ".join(sorted(defined)) or "none"
            raise chk.fail(f"'{key}' refers to place {ref!r}, which no entry under 'places' "
                           f"defines (defined: {known})", value, "ref")
        return defined[ref]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        name = chk.clean(str(value).strip(), parent, key, MAX_NAME)
        if not name:
            raise chk.fail(f"'{key}' is empty; expected a place name", parent, key)
        return PlaceRef(name=name, line=parent.key_marks.get(key, (parent.line, 0))[0])
    if not isinstance(value, Marked):
        raise chk.fail(f"'{key}' must be a place name or a mapping with 'name'", parent, key)
    name = chk.text(value, "name", required=True, limit=MAX_NAME)
    lat = chk.coordinate(value, "lat", -90, 90)
    lon = chk.coordinate(value, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise chk.fail("give both 'lat' and 'lon', or neither", value)
    precision = value.get("precision")
    if precision is not None:
        if precision not in (1, 2, 3):
            raise chk.fail(f"'precision' must be 1, 2 or 3, found {precision!r}", value,
                           "precision")
        precision = Precision(precision)
    return PlaceRef(name=name, precision=precision, lat=lat, lon=lon, line=value.line)


def _actors(chk: Checker, m: Marked) -> tuple[str, ...]:
    value = m.get("actors", m.get("actor"))
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    key = "actors" if "actors" in m else "actor"
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise chk.fail("'actors' must be a name or a list of names", m, key)
    if len(value) > MAX_ACTORS:
        raise chk.fail(f"'actors' names {len(value)} actors; the limit is {MAX_ACTORS}", m, key)
    return tuple(chk.clean(a.strip(), m, key, MAX_ACTOR) for a in value if a.strip())


_DIRECTIONS = ("north", "northeast", "east", "southeast", "south", "southwest", "west",
               "northwest")


def _checks(chk: Checker, m: Marked) -> tuple[Check, ...]:
    """``checks``: statements such as {said, of, km, direction}, {said, near} or {said, border}."""
    value = m.get("checks")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise chk.fail("'checks' must be a list of mappings", m, "checks")
    out = []
    for item in value:
        if not isinstance(item, Marked):
            raise chk.fail("each check must be a mapping such as "
                           "{said: '30 km west of Aleppo', of: Aleppo, km: 30, direction: west}",
                           m, "checks")
        relations = [k for k in ("of", "near", "border") if k in item]
        if len(relations) != 1:
            raise chk.fail("a check needs exactly one of 'of' (with km and/or direction), "
                           "'near' or 'border'", item)
        key = relations[0]
        ref = place_ref(chk, item[key], item, key)
        km = chk.coordinate(item, "km", 0, 20_000)
        direction = chk.text(item, "direction", limit=20).lower().replace("-", "").replace(" ", "")
        if direction and direction not in _DIRECTIONS:
            raise chk.fail(f"'direction' must be one of {', '.join(_DIRECTIONS)}, "
                           f"found {direction!r}", item, "direction")
        if key == "of" and km is None and not direction:
            raise chk.fail("a check with 'of' needs 'km' or 'direction'", item)
        said = chk.text(item, "said", limit=300) or ref.name
        relation = {"of": "distance" if km is not None else "bearing", "near": "near",
                    "border": "border"}[key]
        out.append(Check(said, relation, ref, km, direction))
    return tuple(out)


def claim_from(chk: Checker, m: Any, index: int, parent: list, ids: set[str],
           default_date: dt.date | None) -> Claim:
    if not isinstance(m, Marked):
        raise chk.fail(f"claim {index + 1} must be a mapping with id, kind, place, summary")
    cid = chk.text(m, "id", required=True, limit=64)
    if not _ID.match(cid):
        raise chk.fail(f"claim id must be letters, digits and - _ . : (found {cid!r})", m, "id")
    if cid in ids:
        raise chk.fail(f"duplicate claim id {cid!r}", m, "id")
    ids.add(cid)
    raw_kind = chk.text(m, "kind", required=True, limit=40)
    try:
        kind = ClaimKind.parse(raw_kind)
    except ValueError:
        raise chk.fail(f"unknown claim kind {raw_kind!r}; expected one of {KINDS}",
                       m, "kind") from None
    place = origin = None
    destinations: tuple[PlaceRef, ...] = ()
    if kind is ClaimKind.MOVEMENT:
        if "from" not in m or "to" not in m:
            raise chk.fail(f"movement claim {cid!r} needs 'from' and 'to'", m)
        origin = place_ref(chk, m["from"], m, "from")
        to = m["to"] if isinstance(m["to"], list) else [m["to"]]
        if not to:
            raise chk.fail(f"movement claim {cid!r} has an empty 'to'", m, "to")
        destinations = tuple(place_ref(chk, t, m, "to") for t in to)
    else:
        if "place" not in m:
            raise chk.fail(f"claim {cid!r} needs a 'place'", m)
        for key in ("from", "to"):
            if key in m:
                raise chk.fail(f"'{key}' is only for movement claims; {cid!r} is {kind.value}",
                               m, key)
        place = place_ref(chk, m["place"], m, "place")
    time_precision = m.get("time_precision", 1)
    if time_precision not in (1, 2, 3):
        raise chk.fail(f"'time_precision' must be 1, 2 or 3, found {time_precision!r}", m,
                       "time_precision")
    return Claim(
        id=cid,
        kind=kind,
        summary=chk.text(m, "summary", required=True, limit=2000),
        date=chk.date(m, "date") or chk.date(m, "valid_from") or default_date,
        actors=_actors(chk, m),
        place=place,
        origin=origin,
        destinations=destinations,
        note=chk.text(m, "note", limit=2000),
        time_precision=time_precision,
        line=m.line,
        checks=_checks(chk, m),
        until=_until(chk, m, chk.date(m, "date") or chk.date(m, "valid_from") or default_date),
    )


def _until(chk: Checker, m: Marked, start: dt.date | None) -> dt.date | None:
    """``until`` (or ``valid_until``): the last day a claim speaks of."""
    key = "until" if "until" in m else "valid_until"
    until = chk.date(m, key)
    if until is not None and start is not None and until < start:
        raise chk.fail(f"'{key}' ({until}) is before the claim's date ({start})", m, key)
    return until


def defined_places(chk: Checker, doc: Marked) -> dict[str, PlaceRef]:
    """``places``: places of the file's own, with coordinates, that claims name by
    ``{ref: id}`` (an observation post, a checkpoint, a field)."""
    node = doc.get("places")
    if node is None:
        return {}
    if not isinstance(node, list):
        raise chk.fail("'places' must be a list of {id, name, lat, lon}", doc, "places")
    out: dict[str, PlaceRef] = {}
    for item in node:
        if not isinstance(item, Marked):
            raise chk.fail("each entry under 'places' must be a mapping {id, name, lat, lon}",
                           doc, "places")
        pid = chk.text(item, "id", required=True, limit=64)
        if pid in out:
            raise chk.fail(f"duplicate place id {pid!r}", item, "id")
        fields = marked({k: v for k, v in item.items() if k != "id"}, item.line)
        fields.column, fields.key_marks = item.column, item.key_marks
        ref = place_ref(chk, fields, item, "places")
        if ref.lat is None:
            raise chk.fail(f"place {pid!r} needs 'lat' and 'lon'", item)
        out[pid] = ref
    return out
