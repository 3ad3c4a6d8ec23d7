"""Rebuilding a map whenever its inputs change, and (optionally) serving it on
127.0.0.1 with a page that reloads itself after each rebuild.

Watched: the input files, the corrections file (``--places``) and the curated
gazetteer files (``geodata/gazetteer/*.csv``, the place overrides). Files are
polled (size and modification time), so nothing beyond the standard library is
needed. A failed rebuild leaves the last good map in place and says why.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from conflictmap.errors import ConflictMapError

# The page knows which build it shows (the number is filled in when it is served).
RELOAD_SCRIPT = (
    "<script>(function () { var seen = '%d'; setInterval(function () {"
    " fetch('/__conflictmap/version', {cache: 'no-store'}).then(function (r) { return r.text(); })"
    ".then(function (v) { if (v !== seen) { location.reload(); } })"
    ".catch(function () {}); }, 700); }());</script>"
)


def _stamp(paths: Sequence[Path]) -> tuple:
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


class Watcher:
    """Builds ``output`` from ``inputs`` now and again after every change."""

    def __init__(self, inputs: Sequence[Path], output: Path, *, places: Path | None = None,
                 tiles: str | None = "OpenStreetMap", cdn: bool = False,
                 say: Callable[[str], None] = print) -> None:
        from conflictmap.gazetteer.sources.curated import CuratedSource

        self.inputs = [Path(p) for p in inputs]
        self.output = Path(output)
        self.places = Path(places) if places else None
        self.tiles, self.cdn, self.say = tiles, cdn, say
        self.curated_files = CuratedSource().files
        self.version = 0  #: how many builds succeeded
        self.failures = 0
        self._stamp: tuple | None = None
        self._gazetteer = None
        self._curated_stamp: tuple | None = None

    @property
    def watched(self) -> list[Path]:
        return [*self.inputs, *([self.places] if self.places else []), *self.curated_files]

    def _gazetteer_now(self):
        from conflictmap.gazetteer import Gazetteer

        stamp = _stamp(self.curated_files)
        if self._gazetteer is None or stamp != self._curated_stamp:
            self._gazetteer = Gazetteer.default()  # the curated file is read again
            self._curated_stamp = stamp
        return self._gazetteer

    def build(self) -> bool:
        from conflictmap.publish import ConflictMap

        try:
            cmap = ConflictMap.from_files(self.inputs, gazetteer=self._gazetteer_now(),
                                          places=self.places, tiles=self.tiles, cdn=self.cdn)
            size = cmap.save(self.output)
        except ConflictMapError as exc:
            self.failures += 1
            kept = "keeping the last good map" if self.output.exists() else "no map written"
            self.say(f"rebuild failed ({kept}): {exc}")
            return False
        self.version += 1
        self.say(f"wrote {self.output}: {len(cmap.claims)} of {cmap.total} claims mapped, "
                 f"{size / 1024:.0f} KiB (build {self.version})")
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


def serve(watcher: Watcher, port: int = 8765) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 for the map; the page reloads after each rebuild.
    Start it with ``serve_forever`` (in a thread); ``port=0`` picks a free port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
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

        def log_message(self, *args) -> None:  # quiet
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)


def watch(inputs: Sequence[Path], output: Path, *, places: Path | None = None,
          tiles: str | None = "OpenStreetMap", cdn: bool = False, port: int | None = None,
          say: Callable[[str], None] = print, stop: threading.Event | None = None) -> None:
    """Build, then rebuild on every change until interrupted (or ``stop`` is set)."""
    watcher = Watcher(inputs, output, places=places, tiles=tiles, cdn=cdn, say=say)
    stop = stop or threading.Event()
    server = None
    if port is not None:
        server = serve(watcher, port)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        say(f"serving http://127.0.0.1:{server.server_address[1]}/ (reloads after each rebuild)")
    say("watching " + ", ".join(str(p) for p in watcher.watched) + " (Ctrl-C to stop)")
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
