"""Claims files in YAML: a ``report`` mapping, ``claims``, optional ``not_places`` and
``places``; every mapping remembers its line and column for error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from conflictmap.claims.control import control_from_document
from conflictmap.claims.read import read_text, text_problem
from conflictmap.claims.validate import (
    MAX_CLAIMS,
    MAX_NAME,
    Checker,
    Marked,
    claim_from,
    defined_places,
)
from conflictmap.errors import InputError
from conflictmap.model import Actor, ControlArea, Report, Source


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: D102 - yaml API
        # an alias can make a few lines expand into gigabytes ("billion laughs")
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in claims files; write the value out",
                self.peek_event().start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):  # noqa: D102 - yaml API
        if len(node.value) > MAX_DIGITS:  # left as text: the field check says where and why
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):  # noqa: D102 - yaml API
        result = Marked(super().construct_mapping(node, deep=True))
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
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
MAX_DEPTH = 50  #: claims files are a few levels deep; deeper nesting is refused with its line
MAX_DIGITS = 40  #: an integer longer than this is no coordinate, distance or precision


def parse_yaml(path: Path | str, text: str) -> Any:
    """YAML text parsed into marked mappings (aliases refused, nesting bounded), or an
    :class:`InputError` naming the line and column."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"malformed YAML: {problem}", path=str(path),
                         line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        before = text[:exc.position]
        raise InputError(f"malformed YAML: the character {exc.character!r} is not allowed",
                         path=str(path), line=before.count("\n") + 1,
                         column=len(before) - (before.rfind("\n") + 1) + 1) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise InputError(f"malformed YAML: {exc}", path=str(path)) from None


def load_yaml(path: Path, text: str) -> Report:
    doc = parse_yaml(path, text)
    if not isinstance(doc, Marked):
        raise InputError("expected a mapping with 'report' and 'claims' at the top",
                         path=str(path), line=1)
    return report_from_document(doc, path)


def report_from_document(doc: Marked, path: Path | str) -> Report:
    """A report from a claims document already parsed into marked mappings (from YAML,
    or built in memory by :func:`conflictmap.claims.validate.marked_tree`)."""
    chk = Checker(str(path))
    meta = doc.get("report")
    if not isinstance(meta, Marked):
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
    chk.places = defined_places(chk, doc)
    control: tuple[ControlArea, ...] = ()
    if "control_areas" in doc:
        control = tuple(control_from_document(Path(path), doc["control_areas"], _line_of))
    actors = actors_from(doc["actors"], str(path), _line_of) if "actors" in doc else ()
    claims_node = doc.get("claims")
    if control and claims_node is None:
        claims_node = []  # a file of control areas only
    elif not isinstance(claims_node, list) or not claims_node:
        raise chk.fail("'claims' must be a non-empty list", doc, "claims")
    if len(claims_node) > MAX_CLAIMS:
        raise chk.fail(f"{len(claims_node):,} claims; a file holds at most {MAX_CLAIMS:,} "
                       "(split it into several files)", doc, "claims")
    ids: set[str] = set()
    claims = tuple(claim_from(chk, c, i, claims_node, ids, published)
                   for i, c in enumerate(claims_node))
    not_places = doc.get("not_places") or []
    if not isinstance(not_places, list):
        raise chk.fail("'not_places' must be a list", doc, "not_places")
    names = tuple(
        chk.text(n, "name", required=True, limit=MAX_NAME) if isinstance(n, Marked)
        else chk.clean(str(n), doc, "not_places", MAX_NAME)
        for n in not_places
    )
    return Report(source=source, claims=claims, region=chk.text(meta, "region", limit=300),
                  country=country, path=str(path), not_places=names, control=control,
                  actors=actors)


def _line_of(node: Any) -> int | None:
    return node.line if isinstance(node, Marked) and node.line else None


def load_palette(path: str | Path) -> tuple[Actor, ...]:
    """A palette file: YAML with an ``actors:`` list (name, aliases, colour, group)."""
    path = Path(path)
    doc = parse_yaml(path, read_text(path, "a palette file (YAML with 'actors:')"))
    if not isinstance(doc, Marked) or "actors" not in doc:
        raise InputError("expected a mapping with an 'actors' list", path=str(path), line=1)
    return actors_from(doc["actors"], str(path), _line_of)


def actors_from(node: Any, path: str, line_of: Any = lambda _: None) -> tuple[Actor, ...]:
    """An ``actors:`` list (name, aliases, colour, group) checked; errors say where."""
    if not isinstance(node, list):
        raise InputError("'actors' must be a list of {name, colour, aliases, group}",
                         path=path, line=line_of(node))
    out = []
    for i, item in enumerate(node, 1):
        line = line_of(item)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(f"actor {i} must be a mapping with a 'name'", path=path, line=line)
        colour = str(item.get("colour", item.get("color", "")) or "")
        if not (len(colour) == 7 and colour.startswith("#")
                and all(c in "0123456789abcdefABCDEF" for c in colour[1:])):
            raise InputError(f"actor {item['name'][:60]!r}: 'colour' must be #RRGGBB, found "
                             f"{colour[:20]!r}", path=path, line=line)
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError(f"actor {item['name'][:60]!r}: 'aliases' must be a list of names",
                             path=path, line=line)
        texts = [item["name"], *aliases, str(item.get("group") or "")]
        bad = next((t for t in texts if len(t) > 200 or text_problem(t)), None)
        if bad is not None:
            raise InputError(f"actor {i}: a name must be text of at most 200 characters",
                             path=path, line=line)
        out.append(Actor(item["name"].strip(), colour.upper(), tuple(a.strip() for a in aliases),
                         str(item.get("group") or "")))
    return tuple(out)
