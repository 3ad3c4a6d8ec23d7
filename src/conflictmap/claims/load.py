"""Load a report's claims from YAML or a CSV place list, with line numbers.

Every problem raises :class:`~conflictmap.errors.InputError` naming the file, the
line (and column where known), what was found and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from typing import Any

import yaml

from conflictmap.errors import InputError
from conflictmap.model import Check, Claim, ClaimKind, PlaceRef, Precision, Report, Source

MAX_BYTES = 20_000_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
KINDS = ", ".join(k.value for k in ClaimKind)


class _Map(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    column: int = 0
    key_marks: dict[Any, tuple[int, int]]


def _marked(values: dict, line: int) -> _Map:
    """A mapping built from a CSV row, marked with the row's line."""
    m = _Map(values)
    m.line, m.column, m.key_marks = line, 1, {}
    return m


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: D102 - yaml API
        # an alias can make a few lines expand into gigabytes ("billion laughs")
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in claims files; write the value out",
                self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: D102 - yaml API
        result = _Map(super().construct_mapping(node, deep=True))
        result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
        result.key_marks = {
            self.construct_object(k, deep=True): (v.start_mark.line + 1, v.start_mark.column + 1)
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode)
        }
        return result


    def construct_yaml_timestamp(self, node):  # noqa: D102 - yaml API
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # e.g. 2020-02-30: reported by the date check, with its line
            return self.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_text(path: Path, what: str = "a claims file") -> str:
    """File contents as text, or a clear InputError (missing, empty, binary, huge)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}", path=str(path))
    if not data.strip():
        raise InputError(f"file is empty, expected {what}", path=str(path))
    if b"\x00" in data[:8192]:
        raise InputError("file looks binary (NUL bytes), expected UTF-8 text", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text", path=str(path), line=line) from None


class _Checker:
    """Field checks that know the file and the mapping they read from."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, msg: str, where: _Map | None = None, key: str | None = None) -> InputError:
        line = col = None
        if isinstance(where, _Map):
            line, col = where.key_marks.get(key, (where.line, where.column))
        return InputError(msg, path=self.path, line=line, column=col)

    def text(self, m: _Map, key: str, *, required: bool = False, limit: int = 5000) -> str:
        value = m.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing '{key}'", m)
            return ""
        if isinstance(value, bool | dict | list):
            raise self.fail(f"'{key}' must be text, found {type(value).__name__}", m, key)
        value = str(value).strip()
        if len(value) > limit:
            raise self.fail(f"'{key}' is {len(value)} characters; the limit is {limit}", m, key)
        return value

    def url(self, m: _Map, key: str) -> str:
        value = self.text(m, key)
        if value and not re.match(r"^https?://[^\s<>\"']+$", value, re.IGNORECASE):
            raise self.fail(f"'{key}' must be an http(s) URL, found {value[:60]!r}", m, key)
        return value

    def date(self, m: _Map, key: str) -> dt.date | None:
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

    def coordinate(self, m: _Map, key: str, low: float, high: float) -> float | None:
        value = m.get(key)
        if value is None or value == "":
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise self.fail(f"'{key}' must be a number, found {value!r}", m, key) from None
        if not math.isfinite(number) or not low <= number <= high:
            hint = ""
            if key == "lat" and math.isfinite(number) and abs(number) <= 180:
                hint = "; are lat and lon swapped?"
            raise self.fail(f"'{key}' must lie between {low:g} and {high:g}, found {value!r}{hint}",
                            m, key)
        return number


def _place_ref(chk: _Checker, value: Any, parent: _Map, key: str) -> PlaceRef:
    if isinstance(value, _Map) and "ref" in value:
        ref = str(value["ref"])
        defined = getattr(chk, "places", {})
        if ref not in defined:
            known = ", ".join(sorted(defined)) or "none"
            raise chk.fail(f"'{key}' refers to place {ref!r}, which no entry under 'places' "
                           f"defines (defined: {known})", value, "ref")
        return defined[ref]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        name = str(value).strip()
        if not name:
            raise chk.fail(f"'{key}' is empty; expected a place name", parent, key)
        return PlaceRef(name=name, line=parent.key_marks.get(key, (parent.line, 0))[0])
    if not isinstance(value, _Map):
        raise chk.fail(f"'{key}' must be a place name or a mapping with 'name'", parent, key)
    name = chk.text(value, "name", required=True, limit=300)
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


def _actors(chk: _Checker, m: _Map) -> tuple[str, ...]:
    value = m.get("actors", m.get("actor"))
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise chk.fail("'actors' must be a name or a list of names", m,
                       "actors" if "actors" in m else "actor")
    return tuple(a.strip() for a in value if a.strip())


_DIRECTIONS = ("north", "northeast", "east", "southeast", "south", "southwest", "west",
               "northwest")


def _checks(chk: _Checker, m: _Map) -> tuple[Check, ...]:
    """``checks``: statements such as {said, of, km, direction}, {said, near} or {said, border}."""
    value = m.get("checks")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise chk.fail("'checks' must be a list of mappings", m, "checks")
    out = []
    for item in value:
        if not isinstance(item, _Map):
            raise chk.fail("each check must be a mapping such as "
                           "{said: '30 km west of Aleppo', of: Aleppo, km: 30, direction: west}",
                           m, "checks")
        relations = [k for k in ("of", "near", "border") if k in item]
        if len(relations) != 1:
            raise chk.fail("a check needs exactly one of 'of' (with km and/or direction), "
                           "'near' or 'border'", item)
        key = relations[0]
        ref = _place_ref(chk, item[key], item, key)
        km = chk.coordinate(item, "km", 0, 20_000)
        direction = chk.text(item, "direction", limit=20).lower().replace("-", "").replace(" ", "")
        if direction and direction not in _DIRECTIONS:
            raise chk.fail(f"'direction' must be one of {', '.join(_DIRECTIONS)}, "
                           f"found {direction!r}", item, "direction")
        if key == "of" and km is None and not direction:
            raise chk.fail("a check with 'of' needs 'km' or 'direction'", item)
        said = chk.text(item, "said", limit=300) or ref.name
        relation = {"of": "distance", "near": "near", "border": "border"}[key]
        out.append(Check(said, relation, ref, km, direction))
    return tuple(out)


def _claim(chk: _Checker, m: Any, index: int, parent: list, ids: set[str],
           default_date: dt.date | None) -> Claim:
    if not isinstance(m, _Map):
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
        origin = _place_ref(chk, m["from"], m, "from")
        to = m["to"] if isinstance(m["to"], list) else [m["to"]]
        if not to:
            raise chk.fail(f"movement claim {cid!r} has an empty 'to'", m, "to")
        destinations = tuple(_place_ref(chk, t, m, "to") for t in to)
    else:
        if "place" not in m:
            raise chk.fail(f"claim {cid!r} needs a 'place'", m)
        for key in ("from", "to"):
            if key in m:
                raise chk.fail(f"'{key}' is only for movement claims; {cid!r} is {kind.value}",
                               m, key)
        place = _place_ref(chk, m["place"], m, "place")
    time_precision = m.get("time_precision", 1)
    if time_precision not in (1, 2, 3):
        raise chk.fail(f"'time_precision' must be 1, 2 or 3, found {time_precision!r}", m,
                       "time_precision")
    return Claim(
        id=cid,
        kind=kind,
        summary=chk.text(m, "summary", required=True, limit=2000),
        date=chk.date(m, "date") or default_date,
        actors=_actors(chk, m),
        place=place,
        origin=origin,
        destinations=destinations,
        note=chk.text(m, "note", limit=2000),
        time_precision=time_precision,
        line=m.line,
        checks=_checks(chk, m),
    )


def _load_yaml(path: Path, text: str) -> Report:
    chk = _Checker(str(path))
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"malformed YAML: {problem}", path=str(path),
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise InputError(f"malformed YAML: {exc}", path=str(path)) from None
    if not isinstance(doc, _Map):
        raise InputError("expected a mapping with 'report' and 'claims' at the top",
                         path=str(path), line=1)
    meta = doc.get("report")
    if not isinstance(meta, _Map):
        raise chk.fail("missing 'report' mapping (title, outlet, url, published, ...)", doc,
                       "report")
    published = chk.date(meta, "published")
    source = Source(
        title=chk.text(meta, "title", required=True, limit=500),
        outlet=chk.text(meta, "outlet", limit=200),
        author=chk.text(meta, "author", limit=200),
        url=chk.url(meta, "url"),
        published=published,
        republished_by=chk.text(meta, "republished_by", limit=200),
        republished_url=chk.url(meta, "republished_url"),
        republished=chk.date(meta, "republished"),
    )
    written = chk.text(meta, "country", limit=100)
    country = written.upper()
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise chk.fail(f"'country' must be an ISO 3166-1 alpha-2 code such as SY, found {written!r}",
                       meta, "country")
    chk.places = _defined_places(chk, doc)  # type: ignore[attr-defined]
    claims_node = doc.get("claims")
    if not isinstance(claims_node, list) or not claims_node:
        raise chk.fail("'claims' must be a non-empty list", doc, "claims")
    ids: set[str] = set()
    claims = tuple(_claim(chk, c, i, claims_node, ids, published)
                   for i, c in enumerate(claims_node))
    not_places = doc.get("not_places") or []
    if not isinstance(not_places, list):
        raise chk.fail("'not_places' must be a list", doc, "not_places")
    names = tuple(
        chk.text(n, "name", required=True) if isinstance(n, _Map) else str(n)
        for n in not_places
    )
    return Report(source=source, claims=claims, region=chk.text(meta, "region", limit=300),
                  country=country, path=str(path), not_places=names)


def _defined_places(chk: _Checker, doc: _Map) -> dict[str, PlaceRef]:
    """``places``: places of the file's own, with coordinates, that claims name by
    ``{ref: id}`` (an observation post, a checkpoint, a field)."""
    node = doc.get("places")
    if node is None:
        return {}
    if not isinstance(node, list):
        raise chk.fail("'places' must be a list of {id, name, lat, lon}", doc, "places")
    out: dict[str, PlaceRef] = {}
    for item in node:
        if not isinstance(item, _Map):
            raise chk.fail("each entry under 'places' must be a mapping {id, name, lat, lon}",
                           doc, "places")
        pid = chk.text(item, "id", required=True, limit=64)
        if pid in out:
            raise chk.fail(f"duplicate place id {pid!r}", item, "id")
        fields = _marked({k: v for k, v in item.items() if k != "id"}, item.line)
        fields.column, fields.key_marks = item.column, item.key_marks
        ref = _place_ref(chk, fields, item, "places")
        if ref.lat is None:
            raise chk.fail(f"place {pid!r} needs 'lat' and 'lon'", item)
        out[pid] = ref
    return out


CSV_COLUMNS = ("name", "kind", "date", "actor", "note")


def _load_csv(path: Path, text: str) -> Report:
    """A place list: one claim per row. ``# key: value`` lines on top give metadata."""
    meta: dict[str, str] = {}
    meta_line: dict[str, int] = {}
    lines = text.splitlines(keepends=True)
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
    missing = [c for c in ("name", "kind") if c not in header]
    if missing:
        raise InputError(f"CSV header lacks {', '.join(missing)}; expected columns "
                         f"{', '.join(CSV_COLUMNS)} (optional lat, lon, id, summary)",
                         path=str(path), line=skipped + 1)
    reader.fieldnames = header
    chk = _Checker(str(path))
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
            m = _marked({k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()
                         if v is not None and str(v).strip() != ""}, line)
            name = m.get("name") or ""
            place: dict[str, Any] = {"name": name}
            if "lat" in m or "lon" in m:
                place |= {"lat": m.get("lat"), "lon": m.get("lon")}
            entry = _marked({
                "id": m.get("id") or f"row-{line}",
                "kind": m.get("kind", ""),
                "date": m.get("date"),
                "actors": [a.strip() for a in m.get("actor", "").split(";") if a.strip()],
                "note": m.get("note", ""),
                "summary": m.get("summary") or m.get("note") or f"{m.get('kind', '')} at {name}",
            }, line)
            if not name:
                raise InputError("empty 'name' cell; every row needs a place name",
                                 path=str(path), line=line)
            kind = str(entry["kind"]).lower()
            if kind == "movement":
                raise InputError("movement rows need from/to; use a YAML claims file",
                                 path=str(path), line=line)
            entry["place"] = _marked(place, line)
            claims.append(_claim(chk, entry, len(claims), [], ids, default_date))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=str(path),
                         line=skipped + reader.line_num) from None
    if not claims:
        raise InputError("no rows below the header", path=str(path), line=skipped + 1)
    if meta.get("url"):
        chk.url(_marked({"url": meta["url"]}, meta_line["url"]), "url")
    country = meta.get("country", "").upper()
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise InputError(f"'# country:' must be an ISO 3166-1 alpha-2 code such as SY, found "
                         f"{meta['country']!r}", path=str(path), line=meta_line["country"])
    source = Source(title=meta.get("title") or path.stem, outlet=meta.get("outlet", ""),
                    url=meta.get("url", ""), published=default_date)
    return Report(source=source, claims=tuple(claims), region=meta.get("region", ""),
                  country=country, path=str(path))


def load_report(path: str | Path) -> Report:
    """Load a claims file (``.yaml``/``.yml``) or a CSV place list (``.csv``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv", ".geojson", ".json"):
        raise InputError(f"unsupported input type {suffix or '(none)'!r}; "
                         "expected .yaml, .yml, .csv or .geojson", path=str(path))
    text = read_text(path)
    if suffix in (".geojson", ".json"):
        from conflictmap.claims.geojson import load_geojson

        return load_geojson(path, text)
    return _load_csv(path, text) if suffix == ".csv" else _load_yaml(path, text)
