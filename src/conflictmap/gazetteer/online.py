"""The optional online fallback: Nominatim, GeoNames or Photon through geopy.

Off by default. When the user asks for it (``--online SERVICE``) and every
offline source has failed, the service is asked once per (name, country, box)
and its answer is kept in an SQLite file in the user data directory, so a
rerun needs no network. Requests carry an explicit user agent (Nominatim's and
Photon's terms require one) or the user's GeoNames username, are spaced by a
rate limiter (one per second by default, as Nominatim's policy asks), and failed
requests are retried a bounded number of times with backoff. An answer that is
still missing falls back to the offline result with a warning.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conflictmap.errors import GazetteerError
from conflictmap.gazetteer.imports import data_dir
from conflictmap.gazetteer.rank import Context
from conflictmap.model import Feature, Place, Precision, Resolution, Status
from conflictmap.progress import log

SERVICES = ("nominatim", "geonames", "photon")
DEFAULT_USER_AGENT = "conflictmap (offline-first conflict report mapper)"
CACHE_FILE = "online-v1.sqlite"


class RateLimit:
    """At most one call per ``interval`` seconds; clock and sleep are injectable.

    >>> now = [0.0]
    >>> limit = RateLimit(1.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> limit.wait(); limit.wait(); now[0]
    1.0
    """

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._last: float | None = None

    def wait(self, at_least: float = 0.0) -> None:
        if self._last is not None:
            due = self._last + max(self.interval, at_least) - self.clock()
            if due > 0:
                self.sleep(due)
        self._last = self.clock()


class AnswerCache:
    """Service answers by request, in SQLite (each write is one transaction, so a
    killed process leaves the cache readable; a corrupt file is rebuilt)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = self._open()
        except sqlite3.DatabaseError:
            log.warning("the online answer cache %s is corrupt; starting a new one", path)
            path.unlink(missing_ok=True)
            self.con = self._open()

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10)
        con.execute("CREATE TABLE IF NOT EXISTS answers (request TEXT PRIMARY KEY, raw TEXT)")
        con.execute("SELECT count(*) FROM answers").fetchone()
        return con

    def get(self, request: str) -> list[dict] | None:
        row = self.con.execute("SELECT raw FROM answers WHERE request = ?", (request,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, request: str, raw: list[dict]) -> None:
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)",
                             (request, json.dumps(raw, ensure_ascii=False)))


def deadline_adapter():
    """geopy's urllib adapter with a deadline for the whole response: a server that
    drips its answer a byte at a time never trips a per-read timeout, so the body
    is read in chunks and given up on once the request's timeout has passed."""
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeocoderServiceError, GeocoderTimedOut

    class DeadlineAdapter(URLLibAdapter):
        _deadline = float("inf")

        def get_text(self, url, *, timeout, headers):
            self._deadline = time.monotonic() + (timeout or 10.0)
            return super().get_text(url, timeout=timeout, headers=headers)

        def _decode_page(self, page):
            encoding = page.headers.get_content_charset() or "utf-8"
            chunks, size = [], 0
            try:
                while True:
                    if time.monotonic() > self._deadline:
                        raise GeocoderTimedOut("the answer took longer than the timeout")
                    chunk = page.read1(4096) if hasattr(page, "read1") else page.read(4096)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise GeocoderServiceError("the answer is too large")
            except (GeocoderTimedOut, GeocoderServiceError):
                raise
            except Exception:
                raise GeocoderServiceError("Unable to read the response") from None
            try:
                return b"".join(chunks).decode(encoding)
            except (UnicodeDecodeError, LookupError):
                raise GeocoderServiceError("the answer is not text") from None

    return DeadlineAdapter


MAX_ANSWER_BYTES = 5_000_000


@dataclass(frozen=True)
class Answer:
    name: str
    lat: float
    lon: float
    ident: str
    kind: str
    raw: dict


def _parse(service: str, raw: dict) -> Answer:
    if service == "nominatim":
        return Answer(raw.get("display_name", ""), float(raw["lat"]), float(raw["lon"]),
                      f"{raw.get('osm_type', '')}/{raw.get('osm_id', raw.get('place_id', ''))}",
                      raw.get("type", "") or raw.get("class", ""), raw)
    if service == "geonames":
        return Answer(raw.get("name", ""), float(raw["lat"]), float(raw["lng"]),
                      str(raw.get("geonameId", "")), raw.get("fcodeName", "") or raw.get("fcode", ""),
                      raw)
    props = raw.get("properties", {})
    lon, lat = raw["geometry"]["coordinates"][:2]
    return Answer(props.get("name", ""), float(lat), float(lon),
                  f"{props.get('osm_type', '')}/{props.get('osm_id', '')}",
                  props.get("osm_value", ""), raw)


class OnlineResolver:
    """One online service behind the same small contract as the offline sources."""

    def __init__(self, service: str, *, user_agent: str = "", username: str = "",
                 domain: str = "", scheme: str = "https", interval: float = 1.0,
                 timeout: float = 10.0, retries: int = 2, backoff: float = 1.0,
                 cache: AnswerCache | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if service not in SERVICES:
            raise GazetteerError(f"unknown online service '{service}' (use one of {', '.join(SERVICES)})")
        if service == "geonames" and not username:
            raise GazetteerError("the GeoNames web service needs your username: "
                                 "--geonames-username NAME or CONFLICTMAP_GEONAMES_USERNAME")
        self.service = service
        self.retries, self.backoff, self.sleep = retries, backoff, sleep
        self.limit = RateLimit(interval, clock=clock, sleep=sleep)
        self.cache = cache or AnswerCache(data_dir() / CACHE_FILE)
        self.geocoder = self._geocoder(service, user_agent or DEFAULT_USER_AGENT, username,
                                       domain, scheme, timeout)

    @staticmethod
    def _geocoder(service: str, agent: str, username: str, domain: str, scheme: str,
                  timeout: float):
        from geopy.geocoders import GeoNames, Nominatim, Photon

        common = {"timeout": timeout, "user_agent": agent, "scheme": scheme,
                  "adapter_factory": deadline_adapter()}
        if domain:
            common["domain"] = domain
        if service == "nominatim":
            return Nominatim(**common)
        if service == "geonames":
            return GeoNames(username, **common)
        return Photon(**common)

    def _request(self, query: str, ctx: Context) -> tuple[str, dict]:
        args: dict = {"exactly_one": False}
        if self.service == "nominatim":
            args["limit"] = 5
            if ctx.country:
                args["country_codes"] = ctx.country.lower()
            if ctx.within:
                w, s, e, n = ctx.within
                args["viewbox"], args["bounded"] = [(n, w), (s, e)], True
        elif self.service == "geonames":
            if ctx.country:
                args["country"] = ctx.country.upper()
        else:
            args["limit"] = 5
            if ctx.near:
                args["location_bias"] = ctx.near
            if ctx.within:
                args["bbox"] = [(ctx.within[1], ctx.within[0]), (ctx.within[3], ctx.within[2])]
        key = json.dumps([self.service, query, ctx.country, ctx.within, ctx.near])
        return key, args

    def _ask(self, query: str, args: dict) -> list[dict] | None:
        from geopy import exc as gexc

        for attempt in range(self.retries + 1):
            wait = 0.0
            try:
                self.limit.wait()
                found = self.geocoder.geocode(query, **args)
                return [loc.raw for loc in found or [] if loc is not None]
            except gexc.GeocoderRateLimited as err:
                wait = float(err.retry_after or 0)
                why = f"rate limited (HTTP 429{f', retry after {wait:g} s' if wait else ''})"
            except gexc.GeocoderAuthenticationFailure as err:
                log.warning(f"{self.service} refused the credentials: {err}")
                return None
            except (gexc.GeopyError, OSError, ValueError, KeyError, TypeError) as err:
                text = " ".join(str(err).split())
                why = f"{type(err).__name__}: {text[:120]}{'…' if len(text) > 120 else ''}"
            if attempt < self.retries:
                delay = max(wait, self.backoff * 2 ** attempt)
                self.sleep(min(delay, 60.0))
        log.warning(f"{self.service} gave no usable answer for '{query}' after "
                  f"{self.retries + 1} tries ({why}); keeping the offline result")
        return None

    def resolve(self, query: str, ctx: Context) -> Resolution | None:
        """The service's best answer as a resolution, or ``None`` (offline result stands)."""
        key, args = self._request(query, ctx)
        raw = self.cache.get(key)
        if raw is None:
            raw = self._ask(query, args)
            if raw is None:
                return None
            self.cache.put(key, raw)
        try:
            answers = [_parse(self.service, r) for r in raw]
        except (KeyError, ValueError, TypeError, IndexError):
            log.warning(f"{self.service} answered '{query}' in an unexpected shape; ignored")
            return None
        answers = [a for a in answers if -90 <= a.lat <= 90 and -180 <= a.lon <= 180]
        if not answers:
            return Resolution(query, Status.UNRESOLVED,
                              reason=f"not in the offline gazetteer, and {self.service} found nothing")
        top = answers[0]
        place = Place(
            key=f"{self.service}:{top.ident}", name=top.name or query, lat=top.lat, lon=top.lon,
            feature=Feature.POINT, kind=top.kind or "place", country=ctx.country,
            source=f"{self.service} via geopy (online answer, cached)",
            confidence="online geocoder answer, not checked by hand",
            note=json.dumps(top.raw, ensure_ascii=False, sort_keys=True)[:2000],
            origin=self.service,
        )
        status = Status.RESOLVED if len(answers) == 1 else Status.AMBIGUOUS
        return Resolution(query, status, place, Precision.PLACE, 0.5,
                          reason=f"online fallback: {self.service} gave {len(answers)} answer(s); "
                                 "offline sources had none")


def from_environment(service: str, **kw) -> OnlineResolver:
    """An online resolver configured from ``CONFLICTMAP_USER_AGENT`` /
    ``CONFLICTMAP_GEONAMES_USERNAME`` / ``CONFLICTMAP_ONLINE_DOMAIN`` and keyword overrides."""
    env = os.environ
    kw.setdefault("user_agent", env.get("CONFLICTMAP_USER_AGENT", ""))
    kw.setdefault("username", env.get("CONFLICTMAP_GEONAMES_USERNAME", ""))
    kw.setdefault("domain", env.get("CONFLICTMAP_ONLINE_DOMAIN", ""))
    kw.setdefault("scheme", env.get("CONFLICTMAP_ONLINE_SCHEME", "https"))
    return OnlineResolver(service, **kw)
