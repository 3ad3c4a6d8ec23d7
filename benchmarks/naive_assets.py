"""The assets a default folium map links from CDNs, served from local copies so the
naive map opens offline exactly as it would online.

A folium map made with ``folium.Map()`` links Leaflet, jQuery, Bootstrap (JS and
CSS), Font Awesome, Leaflet.awesome-markers and two small stylesheets. Its popups
are built with jQuery, so a page that cannot load jQuery stops at its first marker
("$ is not defined"): blocking those requests makes the naive map look fast because
it draws one marker of N. Here every file comes from the package registries:

* Leaflet 1.9.3 (script, stylesheet, marker images): PyPI's XStatic-Leaflet 1.9.3.0;
* jQuery 3.7.1, Bootstrap 5.2.2, Font Awesome Free 6.2.0 (with its webfonts): the same
  versions from npm, fetched once with ``npm pack`` into ``$CONFLICTMAP_BENCH_CACHE``
  (default ``~/.cache/conflictmap/bench-assets``);
* Leaflet.awesome-markers: npm has 2.0.4 where folium links 2.0.2 from cdnjs (the same
  plugin, two patch releases later);
* Bootstrap 3.0.0's ``bootstrap-glyphicons.css`` and folium's
  ``leaflet.awesome.rotate.min.css`` are on no registry: both are answered with an
  empty stylesheet (the first only declares an icon font and its classes, the second
  a few rotation rules; a map of plain markers uses neither).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

NPM = {  # (url pattern, npm package spec, path inside the package)
    r"code\.jquery\.com/jquery-3\.7\.1\.min\.js$": ("jquery@3.7.1", "dist/jquery.min.js"),
    r"cdn\.jsdelivr\.net/npm/bootstrap@5\.2\.2/(.+)$": ("bootstrap@5.2.2", r"\1"),
    r"cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@6\.2\.0/(.+)$":
        ("@fortawesome/fontawesome-free@6.2.0", r"\1"),
    r"cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(.+)$":
        ("leaflet.awesome-markers@2.0.4", r"dist/\1"),
}
EMPTY_CSS = (r"bootstrap-glyphicons\.css$", r"leaflet\.awesome\.rotate\.min\.css$")


def cache_dir() -> Path:
    return Path(os.environ.get("CONFLICTMAP_BENCH_CACHE",
                               Path.home() / ".cache" / "conflictmap" / "bench-assets"))


def _package(spec: str) -> Path:
    """The unpacked npm package, fetched once."""
    root = cache_dir() / re.sub(r"[^A-Za-z0-9.@-]", "_", spec)
    if (root / "package" / "package.json").exists():
        return root / "package"
    root.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed once, to fetch the naive map's assets from the registry")
    out = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", str(root)],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()
    with tarfile.open(root / out[-1]) as tar:
        tar.extractall(root, filter="data")
    return root / "package"


def prefetch() -> None:
    """Fetch every npm package before timing, so no opening waits for the registry."""
    for spec, _ in NPM.values():
        _package(spec)


def local_file(url: str) -> Path | str | None:
    """The local copy answering ``url``, "" for an empty stylesheet, None if unknown."""
    url = url.split("?")[0].split("#")[0]
    m = re.search(r"cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3/dist/(.+)$", url)
    if m:
        import xstatic.pkg.leaflet as pkg

        path = Path(pkg.BASE_DIR) / m.group(1)
        return path if path.is_file() else None
    for pattern, (spec, inner) in NPM.items():
        m = re.search(pattern, url)
        if m:
            path = _package(spec) / m.expand(inner)
            return path if path.is_file() else None
    if any(re.search(p, url) for p in EMPTY_CSS):
        return ""
    return None
