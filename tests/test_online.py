"""The optional online fallback (issue 3, point 5): the real geopy clients against a
real HTTP server on 127.0.0.1 that answers in each service's JSON."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.gazetteer import Context, Gazetteer
from conflictmap.gazetteer.online import AnswerCache, OnlineResolver

UNKNOWN = "Qarya Mukhtabariyya"  # not in any offline source
LAT, LON = 36.111, 36.777


def _answer(path: str, query: dict) -> object:
    q = query.get("q", query.get("name", [""]))[0]
    if q != UNKNOWN:
        return [] if path == "/search" else ({"geonames": []} if path == "/searchJSON"
                                              else {"type": "FeatureCollection", "features": []})
    if path == "/search":  # Nominatim
        return [{"place_id": 7, "osm_type": "node", "osm_id": 4242, "lat": str(LAT),
                 "lon": str(LON), "display_name": f"{UNKNOWN}, Idlib, Syria", "class": "place",
                 "type": "village", "importance": 0.3}]
    if path == "/searchJSON":  # GeoNames
        return {"totalResultsCount": 1, "geonames": [
            {"geonameId": 98765, "name": UNKNOWN, "lat": str(LAT), "lng": str(LON),
             "countryCode": "SY", "fcode": "PPL", "fcodeName": "populated place",
             "adminName1": "Idlib"}]}
    return {"type": "FeatureCollection", "features": [  # Photon
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [LON, LAT]},
         "properties": {"osm_id": 4242, "osm_type": "N", "name": UNKNOWN, "country": "Syria",
                        "osm_key": "place", "osm_value": "village"}}]}


class Service(BaseHTTPRequestHandler):
    requests: list[tuple[str, dict, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        query = parse_qs(url.query)
        Service.requests.append((url.path, query, self.headers.get("User-Agent", "")))
        body = json.dumps(_answer(url.path, query)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server():
    Service.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Service)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _resolver(service, domain, tmp_path, **kw) -> OnlineResolver:
    return OnlineResolver(service, domain=domain, scheme="http", user_agent="conflictmap-tests",
                          username="tester" if service == "geonames" else "",
                          cache=AnswerCache(tmp_path / "online.sqlite"), interval=0.0, **kw)


@pytest.mark.parametrize("service,path", [
    ("nominatim", "/search"), ("geonames", "/searchJSON"), ("photon", "/api")])
def test_each_service_answers_through_geopy_and_is_cached(gazetteer, server, tmp_path, service,
                                                          path) -> None:
    g = Gazetteer(gazetteer.sources, online=_resolver(service, server, tmp_path))
    r = g.resolve(UNKNOWN, context=Context(country="SY"))
    assert r.located and (round(r.place.lat, 3), round(r.place.lon, 3)) == (LAT, LON)
    assert r.place.source.startswith(service) and "online fallback" in r.reason
    assert [p for p, _, _ in Service.requests] == [path]
    assert Service.requests[0][2] == "conflictmap-tests"  # explicit user agent
    if service == "nominatim":
        assert Service.requests[0][1]["countrycodes"] == ["sy"]
    if service == "geonames":
        assert Service.requests[0][1]["username"] == ["tester"]
    # a rerun (a new resolver, same disk cache) needs no network
    again = Gazetteer(gazetteer.sources, online=_resolver(service, server, tmp_path))
    assert again.resolve(UNKNOWN, context=Context(country="SY")).place.lat == r.place.lat
    assert len(Service.requests) == 1


def test_offline_answers_never_ask_the_service(gazetteer, server, tmp_path) -> None:
    g = Gazetteer(gazetteer.sources, online=_resolver("nominatim", server, tmp_path))
    assert g.resolve("Darat Izza").place.geonameid == 170857
    assert Service.requests == []


def test_requests_are_spaced_by_the_rate_limit(gazetteer, server, tmp_path) -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    online = _resolver("nominatim", server, tmp_path, clock=lambda: now[0], sleep=sleep)
    online.limit.interval = 1.0
    g = Gazetteer(gazetteer.sources, online=online)
    for name in ("Nowhere One Qx", "Nowhere Two Qx", "Nowhere Three Qx"):
        assert not g.resolve(name, context=Context(country="SY")).located
    assert len(Service.requests) == 3
    assert slept == [1.0, 1.0]


def test_geonames_needs_a_username(tmp_path) -> None:
    from conflictmap.errors import GazetteerError

    with pytest.raises(GazetteerError, match="username"):
        OnlineResolver("geonames", cache=AnswerCache(tmp_path / "c.sqlite"))


def test_cli_online_flag(server, monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_ONLINE_DOMAIN", server)
    monkeypatch.setenv("CONFLICTMAP_ONLINE_SCHEME", "http")
    result = CliRunner().invoke(main, ["resolve", "--online", "nominatim", "--user-agent",
                                       "cli-test-agent", "--country", "SY", "--json", UNKNOWN])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)[0]
    assert out["status"] == "resolved" and out["source"].startswith("nominatim")
    assert Service.requests[0][2] == "cli-test-agent"
    off = CliRunner().invoke(main, ["resolve", "--country", "SY", "--json", UNKNOWN])
    assert json.loads(off.output)[0]["status"] == "unresolved"  # off by default
