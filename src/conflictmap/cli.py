"""The ``conflictmap`` command: a thin shell over the Python API (``import conflictmap as cm``).

Every command calls the documented API; errors raised by the library become
one-line messages here, in one place: bad input exits with 2, other failures with 1;
no traceback is shown. Messages the library logs are shown on stderr by the
:class:`~conflictmap.progress.TerminalHandler` this module installs; every string
from an input is printed with its control characters escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import conflictmap as cm
from conflictmap.atomic import check_not_input
from conflictmap.claims.read import bounded_lines, parse_json
from conflictmap.embed import read_description, snippet
from conflictmap.errors import ConflictMapError, InputError, UsageError
from conflictmap.evaluate import end_to_end, read_corpus
from conflictmap.evaluate import evaluate as score_corpus
from conflictmap.gazetteer.bulk import country_name
from conflictmap.gazetteer.document import context_from_text
from conflictmap.gazetteer.imports import data_dir, import_file
from conflictmap.gazetteer.info import describe
from conflictmap.gazetteer.online import OnlineResolver, from_environment
from conflictmap.progress import install_terminal_handler, log, safe_text, terminal_json
from conflictmap.render.export import csv_cell, csv_line
from conflictmap.render.static import parse_size
from conflictmap.review import export_places, export_training
from conflictmap.review import review as serve_review
from conflictmap.watch import watch as run_watch
from conflictmap.writers import writer_for

MAX_JSONL_LINE = 1_000_000  #: characters in one ``resolve --jsonl`` line
MAX_NAME = 300  #: characters in a place name asked for


def echo(text: str, *, err: bool = False) -> None:
    """Print text that may hold input strings, control characters escaped."""
    click.echo(safe_text(text), err=err)


def _handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConflictMapError as exc:
            echo(f"conflictmap: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo("conflictmap: interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(cm.__version__, package_name="conflictmap")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Map the places and claims of a conflict report, offline."""
    handler = install_terminal_handler()

    def restore() -> None:
        log.removeHandler(handler)
        log.propagate = True

    ctx.call_on_close(restore)


def _floats(text: str, count: int, hint: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count or not all(math.isfinite(v) and abs(v) <= 180 for v in values):
        raise click.BadParameter(f"expected {count} comma-separated numbers", param_hint=hint)
    return values


def _point(text: str, hint: str = "--near") -> tuple[float, float]:
    lat, lon = _floats(text, 2, hint)
    if abs(lat) > 90:
        raise click.BadParameter("latitude must lie between -90 and 90", param_hint=hint)
    return lat, lon


def _box(text: str, hint: str = "--within") -> tuple[float, float, float, float]:
    w, s, e, n = _floats(text, 4, hint)
    if abs(s) > 90 or abs(n) > 90 or s > n:
        raise click.BadParameter("expected W,S,E,N with -90 <= S <= N <= 90", param_hint=hint)
    return w, s, e, n


def _country(text: str, hint: str = "--country") -> str:
    if text and (len(text) != 2 or not text.isascii() or not text.isalpha()):
        raise click.BadParameter("use a two-letter ISO code such as SY", param_hint=hint)
    if text:
        from conflictmap.gazetteer.countries import country_words  # countryinfo: only for a code

        if text.upper() not in country_words().name_of and text.upper() != "XK":  # Kosovo
            raise click.BadParameter(f"{safe_text(text)!r} is no ISO 3166-1 country code; use "
                                     "one such as SY", param_hint=hint)
    return text.upper()


def _jsonl_item(line: str, base: cm.Context, gazetteer: cm.Gazetteer) -> dict:
    """One ``resolve --jsonl`` request answered; a bad one raises ValueError."""
    try:
        item = parse_json(line, "stdin")
    except InputError as exc:
        raise ValueError(exc.message) from None
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ValueError("expected an object with a string 'name'")
    if not item["name"].strip() or len(item["name"]) > MAX_NAME:
        raise ValueError(f"'name' must be 1 to {MAX_NAME} characters")
    near = item.get("near")
    if near is not None:
        if not (isinstance(near, list) and len(near) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in near)):
            raise ValueError("'near' must be [lat, lon]")
        try:
            lat, lon = float(near[0]), float(near[1])
        except OverflowError:
            raise ValueError("'near' must be [lat, lon] within -90..90, -180..180") from None
        if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
            raise ValueError("'near' must be [lat, lon] within -90..90, -180..180")
        near = (lat, lon)
    country = item.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country)):
        raise ValueError("'country' must be a two-letter ISO code such as SY")
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError("'text' must be a string (the document, used as context)")
    ctx = cm.Context(country=(country or base.country).upper(), near=near or base.near,
                     within=base.within)
    if text:
        ctx = context_from_text(gazetteer, text, ctx)
    return gazetteer.resolve(item["name"], context=ctx).as_dict()


def _jsonl(gazetteer: cm.Gazetteer, base: cm.Context) -> None:
    """One JSON object per input line, in order; a bad line gets an error object in its
    place and the stream goes on."""
    for number, line in bounded_lines(sys.stdin, MAX_JSONL_LINE):
        if line is not None and not line.strip():
            continue
        try:
            if line is None:
                raise ValueError(f"the line is longer than {MAX_JSONL_LINE:,} characters")
            out = _jsonl_item(line, base, gazetteer)
        except ValueError as exc:  # json.JSONDecodeError and too-long integers are ValueErrors
            out = {"line": number, "status": "error", "reason": str(exc)[:300]}
        click.echo(json.dumps(out, ensure_ascii=True))


def _online_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--geonames-username", default="", envvar="CONFLICTMAP_GEONAMES_USERNAME",
                      help="Your GeoNames web-service username (needed for --online geonames).")(fn)
    fn = click.option("--user-agent", default="", envvar="CONFLICTMAP_USER_AGENT",
                      help="Identify yourself to the online service, as its terms require.")(fn)
    return click.option("--online", type=click.Choice(["nominatim", "geonames", "photon"]),
                        default=None, help="Ask this service (through geopy) for names the "
                        "offline gazetteer cannot resolve; answers are cached on disk.")(fn)


def _online(service: str | None, user_agent: str, username: str) -> OnlineResolver | None:
    if not service:
        return None
    return from_environment(service, user_agent=user_agent, username=username)


def _gazetteer(online: OnlineResolver | None) -> cm.Gazetteer:
    return cm.Gazetteer.default(online=online) if online else cm.default_gazetteer()


@main.command()
@click.argument("names", nargs=-1)
@click.option("--country", metavar="CC", default="", help="ISO 3166-1 alpha-2 hint, e.g. SY.")
@click.option("--near", metavar="LAT,LON", default="", help="Prefer places near this point.")
@click.option("--within", metavar="W,S,E,N", default="", help="Prefer places inside this box.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, in query order.")
@click.option("--jsonl", is_flag=True,
              help='Read JSON Lines on stdin ({"name", "country"?, "near"?, "text"?}); write '
                   "one JSON object per line, in order.")
@_online_options
@_handle_errors
def resolve(names: tuple[str, ...], country: str, near: str, within: str, as_json: bool,
            jsonl: bool, online: str, user_agent: str, geonames_username: str) -> None:
    """Resolve place NAMES to coordinates, offline.

    \b
    Examples:
      conflictmap resolve --country SY "Darat Izza" "Sheikh Aqil" Idleb
      conflictmap resolve --near 35.9,36.6 Ariha
      echo '{"name": "Ariha", "country": "SY"}' | conflictmap resolve --jsonl
      conflictmap resolve --online nominatim --user-agent "my-newsroom-maps" "Qubtan al-Jabal"
    """
    ctx = cm.Context(country=_country(country), near=_point(near) if near else None,
                     within=_box(within) if within else None)
    if jsonl == bool(names):
        raise click.UsageError("give NAMES, or --jsonl with JSON Lines on stdin")
    if any(len(n) > MAX_NAME for n in names):
        raise InputError(f"a place name may have at most {MAX_NAME} characters")
    gazetteer = _gazetteer(_online(online, user_agent, geonames_username))
    if jsonl:
        _jsonl(gazetteer, ctx)
        return
    results = [gazetteer.resolve(n, context=ctx) for n in names]
    if as_json:
        click.echo(terminal_json([r.as_dict() for r in results], indent=2))
        return
    for r in results:
        if r.place is None:
            echo(f"{r.query}: unresolved ({r.reason})")
            continue
        p = r.place
        approx = f" ±{p.uncertainty_km:g} km" if p.uncertainty_km else ""
        echo(f"{r.query}: {r.status.value} -> {p.name} ({p.lat:.5f}, {p.lon:.5f}){approx}, "
             f"{p.feature.value}, precision {int(r.precision or 1)}, {p.source}")
        for c in r.candidates[:3]:
            echo(f"    also: {c.place.name}, {c.place.country} "
                 f"({c.place.lat:.3f}, {c.place.lon:.3f}) score {c.score:.2f}")


def _day(text: str, hint: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {safe_text(text)[:40]!r}",
                                 param_hint=hint) from None


def _kind(text: str) -> cm.ClaimKind:
    try:
        return cm.ClaimKind(text.strip().lower())
    except ValueError:
        names = ", ".join(k.value for k in cm.ClaimKind)
        raise click.BadParameter(f"unknown kind {safe_text(text)[:40]!r}; one of {names}",
                                 param_hint="--kind") from None


def _size(text: str) -> tuple[int, int]:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--size") from None


@main.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write; its suffix picks the format: .html .png .pdf .geojson "
                   ".gpkg .csv .txt")
@click.option("--no-tiles", is_flag=True, help="Offer no tile basemap (no network at all).")
@click.option("--tiles", "tiles_on", is_flag=True,
              help="Open the map on the OpenStreetMap tiles (network) instead of the offline map.")
@click.option("--cdn", is_flag=True, help="HTML: link Leaflet from a CDN (smaller file).")
@click.option("--size", default="1200x800", show_default=True, metavar="WxH",
              help="PNG/PDF: the image size in pixels.")
@click.option("--fetch-tiles", is_flag=True,
              help="PNG/PDF: download the basemap tiles while rendering (network); "
                   "otherwise the image is made offline with a blank basemap.")
@click.option("--places", type=click.Path(path_type=Path),
              help="Corrected places (GeoJSON or CSV exported from the map) to apply.")
@click.option("--no-context", is_flag=True,
              help="Leave out the offline borders, coasts, admin lines and place names.")
@click.option("--actors", "palette", type=click.Path(path_type=Path),
              help="A palette file (YAML with actors: name, aliases, colour, group).")
@click.option("--actor", "only_actors", multiple=True, metavar="NAME",
              help="Keep only claims and control areas of this actor (or alias); repeatable.")
@click.option("--kind", "only_kinds", multiple=True, metavar="KIND",
              help="Keep only claims of this kind (captured, advance, …); repeatable.")
@click.option("--since", metavar="YYYY-MM-DD", default="", help="Keep what holds on or after.")
@click.option("--until", metavar="YYYY-MM-DD", default="", help="Keep what holds on or before.")
@click.option("--compare", nargs=2, metavar="DATE1 DATE2", default=None,
              help="Show the control areas of two dates side by side, with a swipe bar.")
@_online_options
@_handle_errors
def build(inputs: tuple[Path, ...], output: Path, no_tiles: bool, tiles_on: bool, cdn: bool,
          size: str, fetch_tiles: bool, places: Path | None, no_context: bool, palette: Path | None,
          only_actors: tuple[str, ...], only_kinds: tuple[str, ...], since: str, until: str,
          compare: tuple[str, str] | None, online: str, user_agent: str,
          geonames_username: str) -> None:
    """Build the map of claims files (.yaml, .geojson), place lists (.csv) and control
    layers (.geojson, .gpkg, .kml, .kmz).

    Several inputs (reports of different days, control layers of different dates) share
    one map with a time slider. The map opens on the offline map; OpenStreetMap tiles are a
    second base layer the reader may switch to (--tiles opens on them, --no-tiles leaves
    them out).

    \b
    Examples:
      conflictmap build examples/southfront-idlib.yaml -o out/idlib.html
      conflictmap build examples/southfront-idlib.yaml -o out/idlib.png --size 1600x1000
      conflictmap build examples/southfront-idlib.yaml -o out/claims.csv   # ACLED columns
      conflictmap build examples/places.csv -o out/mine.html --places corrections.geojson
      conflictmap build examples/control/invented-2031-0* -o out/cmp.html \\
          --compare 2031-03-01 2031-04-01
    """
    dims = _size(size)
    span = (_day(compare[0], "--compare"), _day(compare[1], "--compare")) if compare else None
    only = cm.Filters(actors=only_actors, kinds=tuple(_kind(k) for k in only_kinds),
                      since=_day(since, "--since") if since else None,
                      until=_day(until, "--until") if until else None)
    gazetteer = None
    if online:  # otherwise the default gazetteer, opened after the inputs are read
        gazetteer = _gazetteer(_online(online, user_agent, geonames_username))
    cmap = cm.build(list(inputs), output, places=places, gazetteer=gazetteer,
                    tiles=None if no_tiles else "OpenStreetMap", cdn=cdn, size=dims,
                    fetch_tiles=fetch_tiles, context=not no_context, actors=palette,
                    compare=span, only=only if only != cm.Filters() else None,
                    tiles_on=tiles_on and not no_tiles)
    parts = [f"{len(cmap.claims):,} of {cmap.total:,} claims mapped"] if cmap.total else []
    if cmap.mapped.control:
        n = len(cmap.mapped.control)
        parts.append(f"{n} control area{'s' if n != 1 else ''}")
    echo(f"wrote {output}: {', '.join(parts) or 'nothing to map'}, "
         f"{cmap.written / 1024:.0f} KiB")
    for c in cmap.claims:
        if c.conflict:
            echo(f"check: claim {c.claim.id}: {c.conflict}", err=True)
    for r in cmap.ambiguous:
        echo(f"warning: ambiguous place name {r.query!r}: {r.reason}", err=True)
    for u in cmap.unlocated:
        echo(f"warning: not located: {u.label}: {u.reason}", err=True)


@main.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The map to keep up to date (.html, or any format build writes).")
@click.option("--places", type=click.Path(path_type=Path),
              help="Corrected places (GeoJSON or CSV) to apply; watched too.")
@click.option("--no-tiles", is_flag=True, help="Leave out the basemap (no network at all).")
@click.option("--serve", is_flag=True, help="Serve the map on 127.0.0.1 and reload the "
                                              "open page after each rebuild.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port for --serve (0 picks a free one).")
@_handle_errors
def watch(inputs: tuple[Path, ...], output: Path, places: Path | None, no_tiles: bool,
          serve: bool, port: int) -> None:
    """Rebuild a map whenever its inputs, corrections or the curated gazetteer change.

    A failed rebuild keeps the last good map and prints why.

    \b
    Example:
      conflictmap watch geodata/reports/example-place-list.csv -o out/example.html --serve
    """
    writer_for(output)
    check_not_input(output, [*inputs, *([places] if places else [])])
    run_watch(inputs, output, places=places, tiles=None if no_tiles else "OpenStreetMap",
              port=port if serve else None)


@main.command()
@click.argument("map_file", metavar="MAP.html", type=click.Path(path_type=Path))
@click.option("--src", default="", help="The URL the map will have on your site "
                                          "(default: the file's name).")
@click.option("--aspect", default="3 / 2", show_default=True,
              help="Width / height of the frame; it follows the page's width.")
@_handle_errors
def embed(map_file: Path, src: str, aspect: str) -> None:
    """Print an HTML snippet that embeds a built map in a report.

    The snippet is a responsive iframe with an alt text (its title) and a caption
    holding a plain-language summary of every claim. In the frame, the mouse
    wheel scrolls the page until the reader clicks the map.

    \b
    Example:
      conflictmap build report.yaml -o idlib.html
      conflictmap embed idlib.html --src https://example.org/maps/idlib.html
    """
    if not re.fullmatch(r"\d{1,5}(\.\d{1,5})?\s*/\s*\d{1,5}(\.\d{1,5})?", aspect):
        raise click.BadParameter("use W / H such as 16 / 9", param_hint="--aspect")
    info = read_description(map_file)
    if src and not re.match(r"^(https?://|/|\./|[\w.-]+(/|$))", src):
        raise click.BadParameter("give an http(s) URL or a relative path", param_hint="--src")
    click.echo(snippet(src or map_file.name, info, aspect=aspect), nl=False)


@main.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The draft claims file to write (.yaml).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the analysis (mentions, claims, checks) as JSON.")
@click.option("--country", metavar="CC", default="", help="ISO 3166-1 alpha-2 hint, e.g. SY.")
@click.option("--control", "layers", multiple=True, type=click.Path(path_type=Path),
              metavar="LAYER", help="Check the claims against this control layer: flag a "
              "capture of a place the actor already held, a retreat from one it did not.")
@_handle_errors
def extract(report_file: Path, output: Path | None, as_json: bool, country: str,
            layers: tuple[Path, ...]) -> None:
    """Draft a claims file from a report's text (plain text, Markdown or HTML).

    Finds every place name the gazetteer knows, decides what each stands for
    (location, region, actor, other), drafts claims with kind, actors and date,
    and measures distances the report states. Check the draft before use.

    \b
    Examples:
      conflictmap extract report.md -o draft.yaml
      conflictmap build draft.yaml -o map.html
      conflictmap extract report.md -o draft.yaml --control control-2020-02.kmz
    """
    if output is None and not as_json:
        raise click.UsageError("give -o DRAFT.yaml, --json, or both")
    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"unsupported draft type {output.suffix or '(none)'!r}; "
                         "write .yaml", path=str(output))
    if output is not None:
        check_not_input(output, [report_file])
    analysis = cm.extract_file(report_file, country=_country(country) or None)
    if output is not None:
        analysis.save_draft(output)
        roles = Counter(m.role for m in analysis.mentions)
        summary = ", ".join(f"{n} {role}" for role, n in sorted(roles.items()))
        echo(f"wrote {output}: {len(analysis.claims)} claims from "
             f"{len(analysis.mentions)} place mentions ({summary})", err=as_json)
    result = analysis.as_dict()
    if layers:
        located = cm.against_control(analysis.to_report(), list(layers), cm.default_gazetteer())
        result["control"] = [{"claim": c.claim.id, "place": c.where.place.name,
                              "control": c.control, "contradiction": c.conflict or None}
                             for c in located]
        for c in located:
            if c.conflict:
                echo(f"check: claim {c.claim.id} ({c.where.place.name}): {c.conflict}", err=True)
    if as_json:
        click.echo(terminal_json(result, indent=1))


@main.command("batch")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("-o", "--output", "out", required=True, metavar="OUT/",
              help="The output folder (a path, or any fsspec URL the workers can reach).")
@click.option("--workers", type=click.IntRange(1, 512), default=None,
              help="Worker processes on this machine (default: one per core).")
@click.option("--scheduler", default=None, envvar="DASK_SCHEDULER_ADDRESS", metavar="ADDRESS",
              help="Run on this Dask cluster (tls://HOST:8786, or tcp:// on a trusted network).")
@click.option("--scheduler-file", default=None, metavar="FILE",
              help="Run on the Dask cluster this scheduler file names (dask scheduler "
                   "--scheduler-file).")
@click.option("--tls-ca-file", default=None, metavar="PEM", help="CA of a tls:// cluster.")
@click.option("--tls-cert", default=None, metavar="PEM", help="This client's certificate.")
@click.option("--tls-key", default=None, metavar="PEM", help="This client's private key.")
@click.option("--drafts", is_flag=True, help="Also write each report's draft claims file "
              "(OUT/drafts/*.yaml).")
@click.option("--task-size", type=click.IntRange(1_000, 100_000_000), default=1_000_000,
              show_default=True, metavar="CHARS", help="Text per task (one task, one worker).")
@_handle_errors
def batch(inputs: tuple[str, ...], out: str, workers: int | None, scheduler: str | None,
          scheduler_file: str | None, tls_ca_file: str | None, tls_cert: str | None,
          tls_key: str | None, drafts: bool, task_size: int) -> None:
    """Extract, resolve and locate every report of a corpus into GeoParquet.

    INPUT is a report (.txt, .md, .html), a folder or a glob of them, or JSON Lines
    (.jsonl: {"id", "text", "url"?, "published"?, "outlet"?, "title"?} per line). A
    rerun skips the reports already done; a report that fails is listed in
    OUT/errors.jsonl and never stops the run.

    A Dask scheduler runs any code its clients send: reach one over TLS
    (tls://, with --tls-ca-file, --tls-cert, --tls-key) unless it listens on
    127.0.0.1 or a network only you use.

    \b
    Examples:
      conflictmap batch reports/ -o out/batch/
      conflictmap batch 'dumps/*.jsonl' -o out/batch/ --workers 8
      conflictmap batch news.jsonl -o s3://bucket/batch/ --scheduler-file sched.json \\
          --tls-ca-file ca.pem --tls-cert client.pem --tls-key client.key
      conflictmap build out/batch/claims.parquet -o map.html --since 2024-01-01
    """
    from conflictmap.batch import run_batch  # pyarrow and fsspec: the batch extra

    cluster: Any = scheduler  # an address, or a Cluster with certificates
    tls = {"tls_ca_file": tls_ca_file, "tls_cert": tls_cert, "tls_key": tls_key}
    if scheduler_file or any(tls.values()):
        from conflictmap.batch.cluster import Cluster  # distributed: the dask extra

        if scheduler_file and scheduler:
            raise UsageError("give --scheduler or --scheduler-file, not both")
        if not (scheduler_file or scheduler):
            raise UsageError("--tls-* options need --scheduler or --scheduler-file")
        cluster = (Cluster.from_file(scheduler_file, **tls) if scheduler_file
                   else Cluster(str(scheduler), **tls))
    r = run_batch(list(inputs), out, workers=workers, scheduler=cluster, drafts=drafts,
                  task_bytes=task_size)
    skipped = f", {r.done_before:,} already done" if r.done_before else ""
    echo(f"wrote {out}: {r.reports:,} reports in {r.seconds:.1f} s ({r.reports_per_s:,.1f} "
         f"reports/s, {r.mb_per_s:.2f} MB/s){skipped}; {r.mentions:,} mentions, "
         f"{r.claims:,} claims; {r.failed:,} failed" + (f" (see {out.rstrip('/')}/errors.jsonl)"
                                                       if r.failed else ""))
    # Arrow's objects are freed (their native threads joined) while Arrow is still whole: at
    # interpreter exit a still-running pool thread can abort the process (apache/arrow#34314)
    gc.collect()


@main.command("control-stats")
@click.argument("layers", metavar="LAYER...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--actors", "palette", type=click.Path(path_type=Path),
              help="A palette file: its aliases merge actors.")
@_handle_errors
def control_stats(layers: tuple[Path, ...], as_csv: bool, as_json: bool,
                  palette: Path | None) -> None:
    """Area held per actor and status at each date of the control layers, and the change
    since the previous date: km² in an equal-area projection (EPSG:6933) and the share
    of the mapped country (Natural Earth).

    \b
    Examples:
      conflictmap control-stats control-2020-02-10.geojson control-2020-03-05.geojson
      conflictmap control-stats control.kmz --csv > areas.csv
    """
    rows, country = cm.control_stats(list(layers), actors=palette)
    fields = ("date", "actor", "status", "km2", "share_of_country", "change_km2")
    records = [{"date": r.day.isoformat(), "actor": r.actor, "status": r.status, "km2": r.km2,
                "share_of_country": r.share, "change_km2": r.change_km2} for r in rows]
    name = country_name(country) if country else ""
    if as_json:
        click.echo(terminal_json({"projection": "EPSG:6933", "country": country,
                                  "country_name": name, "rows": records}, indent=1))
        return
    if as_csv:
        click.echo(csv_line(fields), nl=False)
        for rec in records:
            click.echo(csv_line([csv_cell("" if rec[f] is None else rec[f]) for f in fields]),
                       nl=False)
        return
    echo("areas in km², equal-area projection EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 "
         f"Global); share of {f'{name} ({country}, as Natural Earth draws it)' if country else 'no country'}")
    echo(f"{'date':<11}{'actor':<32}{'status':<10}{'km²':>12}{'share':>8}{'change km²':>13}")
    for r in rows:
        share = f"{r.share:.1%}" if r.share is not None else "-"
        change = f"{r.change_km2:+,.1f}" if r.change_km2 is not None else "-"
        echo(f"{r.day.isoformat():<11}{r.actor[:31]:<32}{r.status:<10}{r.km2:>12,.1f}"
             f"{share:>8}{change:>13}")


@main.command()
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--misses", type=int, default=0, metavar="N",
              help="Also list the N most frequent misses (not the right entity).")
@click.option("--end-to-end", "e2e", is_flag=True,
              help="Find the names too (recognition precision, recall and F1), then resolve.")
@click.option("--ranker", type=click.Choice(["learned", "rules"]), default="learned",
              show_default=True, help="Rank candidates with the learned model or the old "
                                      "hand-set rules (to compare before and after).")
@_handle_errors
def evaluate(corpus: Path, as_json: bool, misses: int, e2e: bool, ranker: str) -> None:
    """Score resolution on an annotated corpus (LGL / GeoWebNews / TR-News / GeoVirus XML).

    Gold spans are given (each article's text is the context of its names), or, with
    --end-to-end, the extractor finds the names first. Prints how many answers are given
    as resolved and how many of those are wrong, the reliability of the ranker's
    probabilities, and the model's cross-validated scores on its development data.

    \b
    Examples:
      conflictmap evaluate TR-News.xml
      conflictmap evaluate TR-News.xml --ranker rules
      conflictmap evaluate TR-News.xml --end-to-end --misses 20
    """
    articles = read_corpus(corpus)
    gaz = cm.default_gazetteer() if ranker == "learned" else cm.Gazetteer.default(ranker=ranker)
    if e2e:
        _end_to_end(corpus, articles, as_json, misses, gaz)
        return
    missed: list = []
    scores = score_corpus(articles, gaz, misses=missed)
    summary, features = {**scores.summary(), **scores.resolved()}, scores.features()
    model, reliability = gaz.ranker.meta, scores.reliability()
    if as_json:
        click.echo(json.dumps({"corpus": corpus.name, "articles": len(articles), "ranker": ranker,
                               **summary, "by_feature": features, "reliability": reliability,
                               "model_cross_validated": model.get("cross_validated", {})},
                              indent=2))
        return
    echo(f"{corpus.name}: {len(articles)} articles, {summary['toponyms']} toponyms; "
         f"ranker: {ranker}")
    _table([("all", summary), *features.items()])
    echo(f"given as resolved: {summary['resolved_share']:.1%} of the answers, "
         f"{summary['resolved_wrong']:.1%} of them wrong ({summary['resolved_wrong_outside']:.1%} "
         "if an area around the gold point counts as right, as in the model's scores below)")
    if reliability:
        echo("reliability (the ranker's probability of its answer, and how often it was right):")
        for row in reliability:
            echo(f"  {row['probability']}: {row['answers']:>5} answers, {row['right']:.1%} right")
    if model.get("cross_validated"):
        echo(f"the model's {model.get('folds')}-fold cross-validated scores on its development "
             "data (right entity, or an area around the gold point; resolved answers "
             "wrong), rules -> learned:")
        for name, cv in model["cross_validated"].items():
            r, m = cv["rules"], cv["learned"]
            echo(f"  {name}: {r['right_entity']:.1%} -> {m['right_entity']:.1%}; "
                 f"{r['resolved_wrong']:.1%} -> {m['resolved_wrong']:.1%}")
    if misses:
        counts = Counter((g.phrase, g.fcode, r.place.name if r.place else "-",
                          r.place.country if r.place else r.status.value) for _, g, r in missed)
        echo(f"most frequent misses (of {len(missed)}):")
        for (phrase, fcode, name, cc), n in counts.most_common(misses):
            echo(f"  {n:>3} x {phrase!r} (gold {fcode}) -> {name} ({cc})")


def _table(rows: list[tuple[str, dict]]) -> None:
    click.echo(f"{'feature':<10}{'n':>6}{'coverage':>10}{'<=161km':>9}{'exact id':>10}"
               f"{'right':>8}{'median km':>11}{'mean km':>9}{'in area':>9}")
    for name, row in rows:
        echo(f"{name:<10}{row['toponyms']:>6}{row['coverage']:>10.1%}"
             f"{row['within_161km']:>9.1%}{row['exact_id']:>10.1%}{row['right_entity']:>8.1%}"
             f"{_km(row['median_km']):>11}{_km(row['mean_km']):>9}"
             f"{row['within_or_inside']:>9.1%}")


def _end_to_end(corpus: Path, articles: list, as_json: bool, misses: int, gaz) -> None:
    result = end_to_end(articles, gaz)
    summary = result.summary()
    if as_json:
        click.echo(json.dumps({"corpus": corpus.name, "articles": len(articles), **summary,
                               "resolution_by_feature": result.resolution.features()},
                              indent=2))
        return
    echo(f"{corpus.name}: {len(articles)} articles, {summary['gold']} gold toponyms, "
         f"{summary['predicted']} predicted mentions")
    echo(f"recognition: precision {summary['precision']:.3f}, recall {summary['recall']:.3f}, "
         f"F1 {summary['f1']:.3f} (spans overlap)")
    echo("resolution of the matched toponyms:")
    _table([("all", summary["resolution"]), *result.resolution.features().items()])
    _sequence_scores()
    if misses:
        echo(f"most frequent gold names not found (of {len(result.unfound)}):")
        for phrase, n in Counter(result.unfound).most_common(misses):
            echo(f"  {n:>3} x {phrase!r}")
        echo(f"most frequent predicted names without gold (of {len(result.spurious)}):")
        for phrase, n in Counter(result.spurious).most_common(misses):
            echo(f"  {n:>3} x {phrase!r}")


def _sequence_scores() -> None:
    """The learned sequence recogniser's cross-validated end-to-end scores, from its model."""
    from conflictmap.extract.sequence import get_sequence_model  # the extractor: end to end only

    model = get_sequence_model()
    meta = model.meta if model is not None else {}
    rows = meta.get("cross_validated_end_to_end", [])
    if not rows:
        echo("names found by the rules alone (no learned sequence recogniser ships)")
        return
    echo(f"names found with the learned sequence recogniser; its {meta.get('folds')}-fold "
         "cross-validated end-to-end scores on its development data (tp/fp/fn, F1), "
         "rules -> learned:")
    for row in rows:
        echo(f"  {row['corpus']}: {'/'.join(map(str, row['rules']))} {row['rules_f1']:.3f} -> "
             f"{'/'.join(map(str, row['learned']))} {row['learned_f1']:.3f}")


def _km(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


@main.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(path_type=Path))
@click.option("--claims", type=click.Path(path_type=Path),
              help="A claims file written by an earlier review, to resume from.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The reviewed claims file (default: REPORT.claims.yaml beside the report).")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address; open no browser.")
@click.option("--export-training", "training_to", type=click.Path(path_type=Path),
              metavar="CORPUS.xml",
              help="Write the reviewed places as annotated training data and stop.")
@click.option("--export-places", "export_places_to", type=click.Path(path_type=Path),
              metavar="PLACES.csv",
              help="Write the places placed by hand as a CSV for `gazetteer import` and stop.")
@_handle_errors
def review(report_file: Path, claims: Path | None, output: Path | None, port: int,
           no_browser: bool, training_to: Path | None, export_places_to: Path | None
           ) -> None:
    """Review a report in the browser: its text beside the map, each mention one decision.

    Serves a page on 127.0.0.1 (a per-session token; nothing but the page is served) and
    saves the reviewed claims file atomically, with every decision and who made it. The
    server stops when the page is closed, or on Ctrl-C.

    \b
    Examples:
      conflictmap review report.txt                    # writes report.claims.yaml
      conflictmap build report.claims.yaml -o map.html
      conflictmap review report.txt --export-training reviewed.xml
      conflictmap review report.txt --export-places mine.csv
      conflictmap gazetteer import mine.csv
    """
    reviewed = claims or output or report_file.with_name(report_file.stem + ".claims.yaml")
    if training_to or export_places_to:
        if training_to:
            check_not_input(training_to, [report_file, reviewed])
            n = export_training([(report_file, reviewed)], training_to)
            echo(f"wrote {training_to}: {n['toponyms']} reviewed places of {n['articles']} "
                 f"report ({n['unreviewed']} mentions not yet reviewed were left out)")
        if export_places_to:
            check_not_input(export_places_to, [report_file, reviewed])
            count = export_places(reviewed, export_places_to)
            echo(f"wrote {export_places_to}: {count} places placed by hand; add them with "
                 f"`conflictmap gazetteer import {export_places_to}`")
        return
    serve_review(report_file, output=output, claims=claims, port=port,
                 open_browser=not no_browser, announce=lambda srv: echo(
                     f"review of {report_file.name} at {srv.url} (saving to "
                     f"{srv.session.output}); close the page or press Ctrl-C to stop"))
    echo("review stopped")


@main.group()
def gazetteer() -> None:
    """Inspect and extend the offline gazetteer."""


@gazetteer.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_handle_errors
def gazetteer_info(as_json: bool) -> None:
    """Show what the gazetteer holds and where it comes from.

    \b
    Example:
      conflictmap gazetteer info
    """
    info = describe()
    if as_json:
        click.echo(terminal_json(info, indent=2))
        return
    for part in info["sources"]:
        echo(f"{part['name']}: {part['places']:,} places" + (
            f", {part['names']:,} names" if part.get("names") else "") + f" - {part['where']}")
        for line in part.get("details", []):
            echo(f"    {line}")


@gazetteer.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name-field", default="", help="Name column of a boundaries file.")
@_handle_errors
def gazetteer_import(file: Path, name_field: str) -> None:
    """Add a GeoNames dump, a CSV of your places, or boundaries to the gazetteer.

    \b
    Examples:
      conflictmap gazetteer import SY.zip          # from download.geonames.org
      conflictmap gazetteer import my-places.csv   # name,lat,lon[,names,country,...]
      conflictmap gazetteer import districts.geojson --name-field ADM2_EN
    """
    record = import_file(file, name_field=name_field)
    echo(f"imported {record.places:,} places from {record.name} ({record.kind}) into "
         f"{data_dir()}")


if __name__ == "__main__":  # pragma: no cover
    main()
