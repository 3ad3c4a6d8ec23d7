"""The online geocoder against a server on 127.0.0.1 that misbehaves on purpose:
timeouts, refused connections, HTTP 429 with Retry-After, 5xx, malformed JSON, the
wrong shape and a dripping response. Every fault gives bounded retries with backoff,
then the offline answer and a warning; nothing raises."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from conflictmap.gazetteer import Context, Gazetteer
from conflictmap.gazetteer.online import AnswerCache, OnlineResolver

UNKNOWN = "Qarya Mukhtabariyya"
GOOD = [{"place_id": 7, "osm_type": "node", "osm_id": 4242, "lat": "36.111", "lon": "36.777",
         "display_name": "Qarya Mukhtabariyya, Syria", "class": "place", "type": "village"}]


class Faulty(BaseHTTPRequestHandler):
    """The fault is the first word of the query; ``calls`` counts requests per fault."""

    calls: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        q = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        fault = q.split()[0]
        n = Faulty.calls[fault] = Faulty.calls.get(fault, 0) + 1
        if fault == "slow":
            time.sleep(1.5)  # longer than the client's timeout
            return self._json(200, GOOD)
        if fault == "busy":
            return self._json(429, {"error": "slow down"}, {"Retry-After": "3"})
        if fault == "busyonce":  # 429 first, then an answer: the retry succeeds
            if n == 1:
                return self._json(429, {"error": "slow down"}, {"Retry-After": "2"})
            return self._json(200, GOOD)
        if fault in ("500", "502", "503"):
            return self._json(int(fault), {"error": "server error"})
        if fault == "malformed":
            return self._raw(200, b'[{"lat": "36.1", "lon": ')
        if fault == "shape":
            return self._json(200, [{"latitude": 1}])
        if fault == "drip":
            body = json.dumps(GOOD).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for b in body:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.05)  # each read is quick; the whole answer is not
            except OSError:
                pass
            return None
        return self._json(200, [])

    def _json(self, code: int, data: object, headers: dict | None = None) -> None:
        self._raw(code, json.dumps(data).encode(), headers)

    def _raw(self, code: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may have given up already
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Faulty)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def warnings():
    """The warnings conflictmap logs during the test."""
    import logging

    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                said.append(record.getMessage())

    handler = Collect()
    logging.getLogger("conflictmap").addHandler(handler)
    yield said
    logging.getLogger("conflictmap").removeHandler(handler)


def _online(domain: str, tmp_path, slept: list, **kw) -> OnlineResolver:
    return OnlineResolver("nominatim", domain=domain, scheme="http", user_agent="fault-tests",
                          cache=AnswerCache(tmp_path / "online.sqlite"), interval=0.0,
                          timeout=0.6, retries=2, backoff=0.5, sleep=slept.append, **kw)


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port  # nothing listens there now: connections are refused


FAULTS = ["slow", "busy", "500", "502", "503", "malformed", "shape", "drip", "refused"]


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_falls_back_to_the_offline_answer(gazetteer, server, tmp_path, fault,
                                                warnings) -> None:
    slept: list[float] = []
    domain = f"127.0.0.1:{_free_port()}" if fault == "refused" else server
    online = _online(domain, tmp_path, slept)
    g = Gazetteer(gazetteer.sources, online=online)
    query = f"{fault} {UNKNOWN}"
    offline = Gazetteer(gazetteer.sources).resolve(query, context=Context(country="SY"))
    start = time.monotonic()
    r = g.resolve(query, context=Context(country="SY"))
    elapsed = time.monotonic() - start
    assert (r.status, r.place) == (offline.status, offline.place)  # the offline answer stands
    assert len(warnings) == 1
    assert "after 3 tries" in warnings[0] and "keeping the offline result" in warnings[0]
    if fault != "refused":
        assert Faulty.calls[fault] == 3  # bounded: one try and two retries
    if fault == "busy":
        assert slept == [3.0, 3.0]  # Retry-After honoured
    else:
        assert slept == [0.5, 1.0]  # exponential backoff
    assert elapsed < 6, elapsed  # slow and dripping answers are cut off at the timeout
    Faulty.calls.pop(fault, None)


def test_retry_after_429_then_success(gazetteer, server, tmp_path, warnings) -> None:
    slept: list[float] = []
    g = Gazetteer(gazetteer.sources, online=_online(server, tmp_path, slept))
    r = g.resolve(f"busyonce {UNKNOWN}", context=Context(country="SY"))
    assert r.located and r.place.source.startswith("nominatim")
    assert slept == [2.0] and warnings == [] and Faulty.calls["busyonce"] == 2


def test_a_long_retry_after_is_capped(server, tmp_path) -> None:
    slept: list[float] = []
    online = _online(server, tmp_path, slept)
    online.resolve(f"busy {UNKNOWN}", Context())
    assert all(s <= 60 for s in slept)
