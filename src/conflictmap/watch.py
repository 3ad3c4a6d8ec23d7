"""Rebuilding a map whenever its inputs change, and (optionally) serving it on
127.0.0.1 with a page that reloads itself after each rebuild.

Watched: the input files, the corrections file (``--places``) and the curated
gazetteer files (``geodata/gazetteer/*.csv``, the place overrides). Files are
polled (size and modification time), so nothing beyond the standard library is
needed. A failed rebuild leaves the last good map in place and says why.
"""

from __future__ import annotations

import http.server
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from conflictmap.errors import ConflictMapError, InputError
from conflictmap.gazetteer import Gazetteer
from conflictmap.gazetteer.sources import CuratedSource
from conflictmap.progress import log, safe_text
from conflictmap.publish import ConflictMap

# The page knows which build it shows (the number is filled in when it is served).
RELOAD_SCRIPT = (
    "<script>(function () { var seen = '%d'; setInterval(function () {"
    " fetch('/__conflictmap/version', {cache: 'no-store'}).then(function (r) { return r.text(); })"
    ".then(function (v) { if (v !== seen) { location.reload(); } })"
    ".catch(function () {}); }, 700); }());</script>"
)


def _stamp(paths: Sequence[Path]) -> tuple:
    out: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


class Watcher:
    """Builds ``output`` from ``inputs`` now and again after every change. What happens
    is logged (``conflictmap`` logger): each map written, each failed rebuild."""

    def __init__(self, inputs: Sequence[Path], output: Path, *, places: Path | None = None,
                 tiles: str | None = "OpenStreetMap", cdn: bool = False) -> None:
        self.inputs = [Path(p) for p in inputs]
        self.output = Path(output)
        self.places = Path(places) if places else None
        self.tiles, self.cdn = tiles, cdn
        self.curated_files = CuratedSource().files
        self.version = 0  #: how many builds succeeded
        self.failures = 0
        self._stamp: tuple | None = None
        self._gazetteer: Gazetteer | None = None
        self._curated_stamp: tuple | None = None

    @property
    def watched(self) -> list[Path]:
        return [*self.inputs, *([self.places] if self.places else []), *self.curated_files]

    def _gazetteer_now(self) -> Gazetteer:
        stamp = _stamp(self.curated_files)
        if self._gazetteer is None or stamp != self._curated_stamp:
            self._gazetteer = Gazetteer.default()  # the curated file is read again
            self._curated_stamp = stamp
        return self._gazetteer

    def build(self) -> bool:
        """Build once; a failure of any kind keeps the last good map and is logged."""
        odd = [p for p in self.inputs if p.exists() and not p.is_file()]
        if odd:  # opening a FIFO would wait for a writer and stop every later rebuild
            self.failures += 1
            log.warning("rebuild skipped: %s is not a regular file (a pipe or a device); "
                        "waiting for it to be a file again", odd[0])
            return False
        try:
            cmap = ConflictMap.from_files(self.inputs, gazetteer=self._gazetteer_now(),
                                          places=self.places, tiles=self.tiles, cdn=self.cdn)
            size = cmap.save(self.output)
        except Exception as exc:  # noqa: BLE001 - a watcher outlives any one bad build
            self.failures += 1
            kept = "keeping the last good map" if self.output.exists() else "no map written"
            why = str(exc) if isinstance(exc, ConflictMapError) else \
                f"unexpected {type(exc).__name__}: {exc} (please report this)"
            log.warning("rebuild failed (%s): %s", kept, why)
            return False
        self.version += 1
        log.info("wrote %s: %d of %d claims mapped, %.0f KiB (build %d)", self.output,
                 len(cmap.claims), cmap.total, size / 1024, self.version)
        return True

    def check(self) -> bool:
        """Rebuild if a watched file changed since the last look; True if it rebuilt."""
        stamp = _stamp(self.watched)
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        self.build()
        return True

    def run(self, stop: threading.Event, interval: float = 0.5) -> None:
        while not stop.is_set():
            self.check()
            stop.wait(interval)


#: Host headers the server answers: a page on another name (DNS rebinding) gets nothing.
_LOCAL_HOST = re.compile(r"^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$", re.IGNORECASE)
MAX_CONNECTIONS = 16  #: open connections served at once; more are closed at once
IDLE_SECONDS = 5.0  #: a connection that sends nothing for this long is closed


class LocalServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server with a bounded number of connections at a time."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 - socketserver API
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: refuse, do not queue a thread
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:  # noqa: ANN001
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver API
        """A reader who closes the tab before the page is sent is no error; anything else
        is logged in one line, never as a traceback on the terminal."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        log.warning("serving %s failed: %s: %s", client_address[0], type(exc).__name__, exc)


def serve(watcher: Watcher, port: int = 8765) -> LocalServer:
    """An HTTP server on 127.0.0.1 for the map; the page reloads after each rebuild.
    Start it with ``serve_forever`` (in a thread); ``port=0`` picks a free port. It
    answers only requests addressed to 127.0.0.1, localhost or [::1], serves at most
    :data:`MAX_CONNECTIONS` connections at once and closes idle ones."""

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = IDLE_SECONDS

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if not _LOCAL_HOST.match(self.headers.get("Host", "")):
                self._send(421, "text/plain", b"this server answers only for 127.0.0.1 and localhost")
                return
            if self.path.split("?")[0] == "/__conflictmap/version":
                self._send(200, "text/plain", str(watcher.version).encode())
            elif self.path.split("?")[0] in ("/", "/" + watcher.output.name):
                version = watcher.version
                try:
                    page = watcher.output.read_bytes()
                except OSError:
                    self._send(503, "text/plain", b"no map yet: see the terminal")
                    return
                script = (RELOAD_SCRIPT % version).encode()
                page = page.replace(b"</body>", script + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", page)
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
            pass

    try:
        return LocalServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise InputError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}; choose "
                         "another --port (0 picks a free one)") from None


def watch(inputs: Sequence[Path], output: Path, *, places: Path | None = None,
          tiles: str | None = "OpenStreetMap", cdn: bool = False, port: int | None = None,
          stop: threading.Event | None = None) -> None:
    """Build, then rebuild on every change until interrupted (or ``stop`` is set)."""
    watcher = Watcher(inputs, output, places=places, tiles=tiles, cdn=cdn)
    stop = stop or threading.Event()
    server = None
    if port is not None:
        server = serve(watcher, port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        log.info("serving http://127.0.0.1:%d/ (reloads after each rebuild)",
                 server.server_address[1])
    log.info("watching %s (Ctrl-C to stop)", safe_text(", ".join(str(p) for p in watcher.watched)))
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
