"""PNG and PDF images of a map, rendered by headless Chromium.

Needs Playwright (``pip install conflictmap[static]``) and a Chromium: the one in
``$CONFLICTMAP_CHROMIUM``, else ``chromium`` / ``chromium-browser`` /
``google-chrome`` on the PATH (Debian: ``apt install chromium``), else
Playwright's own download. The page is the self-contained map; with tiles, the
basemap is fetched from the network while rendering, otherwise it is left out.
Title, legend, scale bar and attribution are the map's own controls, so they
are in the image; the view is fitted to the claims at the chosen size.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import shutil
from pathlib import Path

from conflictmap.atomic import temporary_name, write_bytes_atomic
from conflictmap.errors import ConflictMapError


class StaticExportError(ConflictMapError, OSError):
    """No browser to render the image with, or the page failed to render."""

    exit_code = 1


def parse_size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in CSS pixels.

    >>> parse_size("1200x800")
    (1200, 800)
    """
    m = re.fullmatch(r"\s*(\d{2,5})\s*[x×]\s*(\d{2,5})\s*", text or "")
    if not m:
        raise ValueError(f"expected WIDTHxHEIGHT such as 1200x800, found {text!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise ValueError(f"width and height must be between 200 and 8000 pixels, found {text!r}")
    return w, h


def find_chromium() -> str | None:
    """A Chromium executable, or None to let Playwright use its own."""
    env = os.environ.get("CONFLICTMAP_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def render_image(html: bytes, path: Path, *, size: tuple[int, int] = (1200, 800),
                 offline: bool = True, timeout_s: float = 30.0) -> int:
    """Write ``path`` (.png or .pdf) from a map page; returns the size in bytes.

    Playwright's synchronous API cannot run inside an event loop (Jupyter has one),
    so there the rendering runs in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _render(html, path, size=size, offline=offline, timeout_s=timeout_s)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_render, html, path, size=size, offline=offline,
                           timeout_s=timeout_s).result()


def _render(html: bytes, path: Path, *, size: tuple[int, int], offline: bool,
            timeout_s: float) -> int:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise StaticExportError(
            "PNG and PDF output needs Playwright: pip install 'conflictmap[static]'") from None
    kind = Path(path).suffix.lower()
    width, height = size
    page_file = temporary_name(Path(path).resolve(), ".html")  # beside the output: tidied if killed
    try:
        write_bytes_atomic(page_file, html)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=find_chromium(),
                    args=["--no-sandbox", "--disable-gpu", "--font-render-hinting=none",
                          "--num-raster-threads=1", "--disable-partial-raster",
                          "--disable-threaded-animation", "--disable-lcd-text",
                          "--force-color-profile=srgb", "--disable-skia-runtime-opts",
                          "--disable-background-networking", "--no-first-run"])
                try:
                    page = browser.new_page(viewport={"width": width, "height": height},
                                            device_scale_factor=1)
                    if offline:
                        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                            "file:") else r.abort())
                    page.goto(page_file.as_uri(), wait_until="load",
                              timeout=timeout_s * 1000)
                    page.wait_for_selector("html[data-cm-ready]", timeout=timeout_s * 1000)
                    # no fades or transitions half-way through: the same map, the same pixels
                    page.add_style_tag(content="*, *::before, *::after { transition: none "
                                               "!important; animation: none !important; }")
                    page.evaluate("new Promise(function (r) { requestAnimationFrame(function () "
                                  "{ requestAnimationFrame(r); }); })")
                    # a figure: no buttons or layer list; the legend open and compact
                    page.evaluate("document.documentElement.classList.add('cm-figure')")
                    page.evaluate("conflictmap.fit()")  # beside the figure's open legend
                    # the markers fanned out, the context and the names drawn for that view
                    # (the page does them after a move: a task, then the next frames)
                    page.evaluate("new Promise(function (r) { setTimeout(function () { "
                                  "requestAnimationFrame(function () { requestAnimationFrame(r); "
                                  "}); }, 0); })")
                    if not offline:
                        page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
                    if kind == ".pdf":
                        data = page.pdf(width=f"{width}px", height=f"{height}px",
                                        print_background=True, page_ranges="1")
                        data = _stable_pdf(data)
                    else:
                        data = page.screenshot(type="png", full_page=False)
                finally:
                    browser.close()
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
            hint = ""
            if "executable" in first.lower() or "launch" in first.lower():
                hint = ("; install Debian's chromium (apt install chromium) or set "
                        "CONFLICTMAP_CHROMIUM to a Chromium executable")
            raise StaticExportError(f"could not render {path} in Chromium ({first}){hint}") from None
    finally:
        page_file.unlink(missing_ok=True)
    write_bytes_atomic(Path(path), data)
    return len(data)


_PDF_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9+\-Z']+\)")


def _stable_pdf(data: bytes) -> bytes:
    """Chromium stamps the time of printing into the PDF: use a fixed date of the same
    length, so the same map gives the same bytes (offsets in the file stay valid)."""
    def fixed(m: re.Match) -> bytes:
        stamp = m.group(0)
        head = stamp[: stamp.index(b"(D:") + 3]
        body = stamp[len(head):-1]
        return head + b"20000101000000"[: len(body)] + body[14:] + b")"

    return _PDF_DATES.sub(fixed, data)
