"""Diagnostics and progress through :mod:`logging`, under the ``conflictmap`` logger.

The library never prints. It logs: warnings (a rebuilt index, an online service that
did not answer, an ambiguous name) at WARNING, and what it is doing at INFO, with
progress records that carry ``progress`` (percent done) and ``what``. A program that
uses conflictmap decides what to show; the ``conflictmap`` command installs
:class:`TerminalHandler`, which draws a progress bar on a terminal and prints plain
lines otherwise. Without a handler, Python shows warnings only.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TextIO

log = logging.getLogger("conflictmap")


class Progress:
    """Reports how far a long task is, as INFO records at each percent (each quarter
    when nobody draws a bar); silent when disabled."""

    def __init__(self, enabled: bool = True, logger: logging.Logger | None = None) -> None:
        self.enabled = enabled
        self.log = logger or log
        self._last = -1

    def say(self, message: str) -> None:
        if self.enabled:
            self.log.info(message)

    def update(self, done: int, total: int, what: str) -> None:
        if not self.enabled or total <= 0:
            return
        pct = min(100, done * 100 // total)
        if pct != self._last:
            self.log.info("%3d%% %s", pct, what, extra={"progress": pct, "what": what})
        self._last = pct


class TerminalHandler(logging.Handler):
    """What the command line shows: ``conflictmap: message`` lines on stderr (warnings
    marked), progress as a bar on a terminal or as a line per quarter otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(logging.INFO)
        self.stream = stream
        self._quarter = -1
        self._bar_open = False

    @property
    def out(self) -> TextIO:
        return self.stream or sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        try:
            pct = getattr(record, "progress", None)
            if pct is not None:
                self._progress(int(pct), str(getattr(record, "what", "")))
                return
            if self._bar_open:
                self.out.write("\n")
                self._bar_open = False
            level = "warning: " if record.levelno >= logging.WARNING else ""
            self.out.write(f"conflictmap: {level}{safe_text(record.getMessage())}\n")
            self.out.flush()
        except Exception:  # noqa: BLE001 - a handler must never raise
            self.handleError(record)

    def _progress(self, pct: int, what: str) -> None:
        tty = hasattr(self.out, "isatty") and self.out.isatty()
        if tty:
            bar = "#" * (pct // 4) + "." * (25 - pct // 4)
            self.out.write(f"\r  [{bar}] {pct:3d}% {safe_text(what)}" + ("\n" if pct == 100 else ""))
            self._bar_open = pct != 100
        elif pct // 25 != self._quarter or pct == 100:
            if pct == 100 and self._quarter == 4:
                return
            self.out.write(f"  {pct:3d}% {safe_text(what)}\n")
            self._quarter = 4 if pct == 100 else pct // 25
        self.out.flush()


def safe_text(text: str) -> str:
    """Text fit for a terminal: control characters (escape sequences that could retitle
    the window, hide text or make links, bells, carriage returns) shown as ``\\xNN``
    escapes, so input text can never drive the terminal.

    >>> safe_text("Idlib\\x1b]0;owned\\x07 ok")
    'Idlib\\\\x1b]0;owned\\\\x07 ok'
    """
    return "".join(c if c.isprintable() or c == "\t" else _escape(c) for c in text)


def terminal_json(value: object, indent: int | None = None) -> str:
    """JSON for a terminal: readable non-ASCII text, but every control or formatting
    character (C0, C1, bidirectional overrides, U+2028) escaped as ``\\uXXXX``.

    >>> print(terminal_json({"name": "Idlib\u009b2J\u202e"}))
    {"name": "Idlib\\u009b2J\\u202e"}
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(c if c.isprintable() or c in "\n\t" else f"\\u{ord(c):04x}" for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def install_terminal_handler(stream: TextIO | None = None) -> TerminalHandler:
    """Show conflictmap's messages on stderr (the command line does this once)."""
    for old in [h for h in log.handlers if isinstance(h, TerminalHandler)]:
        log.removeHandler(old)
    handler = TerminalHandler(stream)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return handler
