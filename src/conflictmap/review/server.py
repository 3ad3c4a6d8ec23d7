"""The review page's server: 127.0.0.1 only, one session token, its own files only.

Every request must name this server in its Host header (127.0.0.1 or localhost with its
port: a page reached through another name, as in DNS rebinding, gets nothing). The API
answers only requests that carry the session's token in the ``X-Review-Token`` header; the
token is written into the page the server serves, and a page of another origin cannot read
it, nor send the header without a CORS preflight that this server never grants. Writes also
need ``Content-Type: application/json`` and, when the browser sends one, an ``Origin`` of
this server. Nothing but the page, its four assets and the API is served.

The server stops on Ctrl-C, or when the last page that said hello says goodbye (its tab is
closed) and no page comes back within a few seconds (a reload comes back).
"""

from __future__ import annotations

import contextlib
import hmac
import http.server
import json
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conflictmap.errors import ConflictMapError
from conflictmap.progress import log
from conflictmap.review.page import ASSETS, asset, land_payload, page_html
from conflictmap.review.session import ReviewSession, StaleReview
from conflictmap.watch import _LOCAL_HOST, LocalServer

MAX_BODY = 20 * 1024 * 1024  #: the largest state a page may submit, bytes
_MAX_PAGES_GONE = 10_000  #: goodbyes remembered (each page load has an id of its own)
GOODBYE_GRACE = 4.0  #: seconds to wait for a page to come back after the last goodbye


class ReviewServer:
    """Serves one :class:`ReviewSession` on 127.0.0.1 until :meth:`stop` or the last page
    closes."""

    def __init__(self, session: ReviewSession, port: int = 0) -> None:
        self.session = session
        self.token = secrets.token_urlsafe(24)
        self.stopped = threading.Event()
        self._pages: set[str] = set()
        #: pages that said goodbye: a page closed at once may say it before its hello lands,
        #: the two requests being served on threads of their own
        self._gone: set[str] = set()
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._last_goodbye = 0.0
        self.httpd = LocalServer(("127.0.0.1", port), _handler(self))
        self.port = self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def serve(self) -> None:
        """Serve until stopped (blocking)."""
        watcher = threading.Thread(target=self._watch_pages, daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.stopped.set()
            self.httpd.server_close()

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and notebooks)."""
        t = threading.Thread(target=self.serve, daemon=True)
        t.start()
        return t

    def stop(self) -> None:
        self.stopped.set()
        self.httpd.shutdown()

    def hello(self, page: str) -> None:
        with self._lock:
            if page[:64] not in self._gone:  # its goodbye overtook its hello
                self._pages.add(page[:64])

    def goodbye(self, page: str) -> None:
        with self._lock:
            self._pages.discard(page[:64])
            if len(self._gone) < _MAX_PAGES_GONE:
                self._gone.add(page[:64])
            if not self._pages:
                self._last_goodbye = time.monotonic()

    def _watch_pages(self) -> None:
        while not self.stopped.wait(0.5):
            with self._lock:
                gone = not self._pages and self._last_goodbye and \
                    time.monotonic() - self._last_goodbye >= GOODBYE_GRACE
            if gone:
                log.info("the review page was closed; the server stops")
                threading.Thread(target=self.httpd.shutdown, daemon=True).start()
                return


def _handler(server: ReviewServer) -> type:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "conflictmap-review"
        sys_version = ""
        timeout = 10

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            log.debug("review: " + format, *args)

        # ---------------------------------------------------------------- checks
        def _host_ok(self) -> bool:
            host = self.headers.get("Host", "")
            return bool(_LOCAL_HOST.match(host)) and host.rsplit(":", 1)[-1] == str(server.port)

        def _token_ok(self) -> bool:
            given = self.headers.get("X-Review-Token", "")
            return hmac.compare_digest(given.encode("utf-8", "replace"), server.token.encode())

        def _origin_ok(self) -> bool:
            origin = self.headers.get("Origin")
            if origin is not None and origin not in (f"http://127.0.0.1:{server.port}",
                                                     f"http://localhost:{server.port}"):
                return False
            site = self.headers.get("Sec-Fetch-Site")
            return site in (None, "same-origin", "none")

        def _send(self, status: int, body: bytes, kind: str, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, value: object) -> None:
            self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def _refuse(self, status: int, why: str) -> None:
            self._json(status, {"error": why})

        # ---------------------------------------------------------------- GET
        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if not self._host_ok():
                return self._refuse(421, "this server answers only to 127.0.0.1 or localhost")
            url = urlsplit(self.path)
            if url.path == "/":
                csp = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                       "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                       "base-uri 'none'; form-action 'none'")
                return self._send(200, page_html(server.token).encode("utf-8"),
                                  "text/html; charset=utf-8", {"Content-Security-Policy": csp,
                                                               "X-Frame-Options": "DENY"})
            if url.path.startswith("/assets/") and url.path[8:] in ASSETS:
                body, kind = asset(url.path[8:])
                return self._send(200, body, kind)
            if not url.path.startswith("/api/"):
                return self._refuse(404, "not found")
            if not self._token_ok():
                return self._refuse(403, "missing or wrong session token")
            if url.path == "/api/state":
                return self._json(200, server.session.state())
            if url.path == "/api/search":
                q = parse_qs(url.query)
                near = None
                if "lat" in q and "lon" in q:
                    try:
                        near = (float(q["lat"][0]), float(q["lon"][0]))
                    except ValueError:
                        return self._refuse(400, "lat and lon must be numbers")
                return self._json(200, server.session.search(q.get("q", [""])[0], near))
            if url.path == "/api/land":
                return self._json(200, land_payload(server.session))
            return self._refuse(404, "not found")

        do_HEAD = do_GET  # noqa: N815 - stdlib name

        # ---------------------------------------------------------------- POST
        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            if not self._host_ok():
                return self._refuse(421, "this server answers only to 127.0.0.1 or localhost")
            if not self._origin_ok():
                return self._refuse(403, "a request from another site is refused")
            if not self._token_ok():
                return self._refuse(403, "missing or wrong session token")
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                return self._refuse(415, "send application/json")
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self._refuse(400, "bad Content-Length")
            if not 0 <= length <= MAX_BODY:
                return self._refuse(413, "too large")
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except (ValueError, UnicodeDecodeError):
                return self._refuse(400, "the body is not JSON")
            if not isinstance(body, dict):
                return self._refuse(400, "the body must be a JSON object")
            path = urlsplit(self.path).path
            if path == "/api/save":
                with server._save_lock:  # one save at a time: the revision check holds
                    try:
                        return self._json(200, server.session.save(body))
                    except StaleReview as exc:
                        return self._refuse(409, str(exc))
                    except ConflictMapError as exc:
                        return self._refuse(422, str(exc))
            if path == "/api/build":
                with server._save_lock:
                    try:
                        return self._json(200, server.session.build_map())
                    except ConflictMapError as exc:
                        return self._refuse(422, str(exc))
            if path == "/api/hello":
                server.hello(str(body.get("page", "")))
                return self._json(200, {"ok": True})
            if path == "/api/goodbye":
                server.goodbye(str(body.get("page", "")))
                return self._json(200, {"ok": True})
            return self._refuse(404, "not found")

        def do_OPTIONS(self) -> None:  # noqa: N802 - a preflight is never granted
            self._refuse(403, "cross-origin requests are refused")

    return Handler


def review(report: str | Path, *, output: str | Path | None = None,
           claims: str | Path | None = None, port: int = 0, open_browser: bool = True,
           announce: Callable[[ReviewServer], None] | None = None) -> ReviewServer:
    """Open a review of ``report`` and serve it, blocking until the page is closed or
    Ctrl-C; ``announce`` is called with the server once it listens (to print its address).
    The server is returned after it stopped."""
    session = ReviewSession.open(report, output, claims)
    srv = ReviewServer(session, port)
    if announce is not None:
        announce(srv)
    else:
        log.info("review of %s at %s (saving to %s)", session.report.name, srv.url, session.output)
    if open_browser:
        import webbrowser

        webbrowser.open(srv.url)
    with contextlib.suppress(KeyboardInterrupt):
        srv.serve()
    return srv
