"""The ``conflictmap`` command: a thin shell over the library.

Errors raised by the library become one-line messages here, in one place:
bad input exits with 2, other failures with 1; no traceback is shown.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from conflictmap.errors import ConflictMapError


def _handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConflictMapError as exc:
            click.echo(f"conflictmap: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("conflictmap: interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflictmap")
def main() -> None:
    """Map the places and claims of a conflict report, offline."""


def _floats(text: str, count: int, hint: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count or not all(abs(v) <= 180 for v in values):
        raise click.BadParameter(f"expected {count} comma-separated numbers", param_hint=hint)
    return values


def _country(text: str, hint: str = "--country") -> str:
    if text and (len(text) != 2 or not text.isalpha()):
        raise click.BadParameter("use a two-letter ISO code such as SY", param_hint=hint)
    return text.upper()


def _jsonl(gazetteer: Any, base: Any) -> None:
    """One JSON object per input line, in order; a bad line gets an error object."""
    from conflictmap.gazetteer import Context

    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise ValueError("expected an object with a string 'name'")
            near = item.get("near")
            if near is not None and not (isinstance(near, list) and len(near) == 2
                                         and all(isinstance(v, int | float) for v in near)):
                raise ValueError("'near' must be [lat, lon]")
            ctx = Context(country=str(item.get("country") or base.country).upper()[:2],
                          near=tuple(near) if near else base.near, within=base.within)
            out = gazetteer.resolve(item["name"], ctx).as_dict()
        except ValueError as exc:
            out = {"line": number, "status": "error", "reason": str(exc)}
        click.echo(json.dumps(out, ensure_ascii=False))


@main.command()
@click.argument("names", nargs=-1)
@click.option("--country", metavar="CC", default="", help="ISO 3166-1 alpha-2 hint, e.g. SY.")
@click.option("--near", metavar="LAT,LON", default="", help="Prefer places near this point.")
@click.option("--within", metavar="W,S,E,N", default="", help="Prefer places inside this box.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, in query order.")
@click.option("--jsonl", is_flag=True,
              help='Read JSON Lines on stdin ({"name", "country"?, "near"?}); write one '
                   "JSON object per line, in order.")
@_handle_errors
def resolve(names: tuple[str, ...], country: str, near: str, within: str, as_json: bool,
            jsonl: bool) -> None:
    """Resolve place NAMES to coordinates, offline.

    \b
    Examples:
      conflictmap resolve --country SY "Darat Izza" "Sheikh Aqil" Idleb
      conflictmap resolve --near 35.9,36.6 Ariha
      echo '{"name": "Ariha", "country": "SY"}' | conflictmap resolve --jsonl
    """
    from conflictmap.gazetteer import Context, Gazetteer

    ctx = Context(country=_country(country),
                  near=_floats(near, 2, "--near") if near else None,  # type: ignore[arg-type]
                  within=_floats(within, 4, "--within") if within else None)  # type: ignore[arg-type]
    if jsonl == bool(names):
        raise click.UsageError("give NAMES, or --jsonl with JSON Lines on stdin")
    gazetteer = Gazetteer.default()
    if jsonl:
        _jsonl(gazetteer, ctx)
        return
    results = [gazetteer.resolve(n, ctx) for n in names]
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
        return
    for r in results:
        if r.place is None:
            click.echo(f"{r.query}: unresolved ({r.reason})")
            continue
        p = r.place
        approx = f" ±{p.uncertainty_km:g} km" if p.uncertainty_km else ""
        click.echo(f"{r.query}: {r.status.value} -> {p.name} ({p.lat:.5f}, {p.lon:.5f}){approx}, "
                   f"{p.feature.value}, precision {int(r.precision or 1)}, {p.source}")
        for c in r.candidates[:3]:
            click.echo(f"    also: {c.place.name}, {c.place.country} "
                       f"({c.place.lat:.3f}, {c.place.lon:.3f}) score {c.score:.2f}")


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The map to write (.html).")
@click.option("--no-tiles", is_flag=True, help="Leave out the basemap (no network at all).")
@_handle_errors
def build(input_file: Path, output: Path, no_tiles: bool) -> None:
    """Build the map of a claims file (.yaml) or a CSV place list (.csv).

    \b
    Example:
      conflictmap build geodata/reports/2020-02-18-southfront-idlib.yaml -o out/idlib.html
    """
    from conflictmap.claims import load_report
    from conflictmap.errors import InputError
    from conflictmap.gazetteer import Gazetteer
    from conflictmap.locate import locate
    from conflictmap.render import build_map, write_html

    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"unsupported output type {output.suffix or '(none)'!r}; "
                         "this version writes .html", path=str(output))
    report = load_report(input_file)
    located = locate(report, Gazetteer.default())
    m = build_map(located, tiles=None if no_tiles else "OpenStreetMap")
    size = write_html(m, output)
    drawn = len(m.conflictmap_claims)
    click.echo(f"wrote {output}: {drawn} of {len(report.claims)} claims mapped, "
               f"{size / 1024:.0f} KiB")
    for r in located.ambiguous:
        click.echo(f"warning: ambiguous place name {r.query!r}: {r.reason}", err=True)
    for name, reason in m.conflictmap_unlocated:
        click.echo(f"warning: not located: {name}: {reason}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
