"""JavaScript and CSS inlined into every map, so it renders with no network.

Leaflet comes from PyPI's XStatic-Leaflet (BSD-2-Clause), Leaflet.markercluster
from XStatic-Leaflet-MarkerCluster (MIT), and, in maps that compare two dates,
leaflet-side-by-side from npm (MIT; vendored by ``scripts/vendor_side_by_side.py``).
Their licence notices are kept at the top of each inlined block. Images the CSS refers
to become data: URIs.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent / "assets"

NOTICES = {
    "leaflet": (
        "Leaflet 1.9.3, https://leafletjs.com - (c) 2010-2022 Vladimir Agafonkin, "
        "(c) 2010-2011 CloudMade. BSD-2-Clause licence. Inlined from XStatic-Leaflet."
    ),
    "markercluster": (
        "Leaflet.markercluster 1.4.1, https://github.com/Leaflet/Leaflet.markercluster - "
        "(c) 2012-2017 Dave Leaver, Vladimir Agafonkin, et al. MIT licence. "
        "Inlined from XStatic-Leaflet-MarkerCluster."
    ),
    "conflictmap": "conflictmap map script - MIT licence.",
}


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as pkg

    return Path(pkg.BASE_DIR)


def _cluster_dir() -> Path:
    import xstatic.pkg.leaflet_markercluster as pkg

    return Path(pkg.BASE_DIR)


def _data_uris(css: str, base: Path) -> str:
    def repl(m: re.Match) -> str:
        target = base / m.group(1)
        if not target.is_file():
            return m.group(0)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[a-z0-9-]+\.png)\)", repl, css)


def _guard(text: str, closing: str) -> str:
    """Make sure a vendored file cannot end its own <script>/<style> element."""
    return re.sub(closing, closing.replace("/", "\\/"), text, flags=re.IGNORECASE)


# Linked instead of inlined with --cdn: the same Leaflet version, with integrity hashes.
CDN = {
    "css": ("https://unpkg.com/leaflet@1.9.3/dist/leaflet.css",
            "sha256-kLaT2GOSpHechhsozzB+flnD+zUyjE2LlfWPgU04xyI="),
    "js": ("https://unpkg.com/leaflet@1.9.3/dist/leaflet.js",
           "sha256-WBkoXOwTeyKclOHuWtc+i2uENFpDZ9YPdf5Hf+D7ewM="),
}


def cdn_links() -> str:
    css, css_sri = CDN["css"]
    js, js_sri = CDN["js"]
    return (f'<link rel="stylesheet" href="{css}" integrity="{css_sri}" crossorigin="">\n'
            f'<script src="{js}" integrity="{js_sri}" crossorigin=""></script>\n')


@cache
def inline_css(cluster: bool = False, vendored: bool = True, compare: bool = False) -> str:
    parts = [f"/* {NOTICES['leaflet']} */\n"
             + _data_uris((_leaflet_dir() / "leaflet.css").read_text("utf-8"), _leaflet_dir())
             ] if vendored else []
    if cluster:
        d = _cluster_dir()
        parts.append(f"/* {NOTICES['markercluster']} */\n"
                     + (d / "MarkerCluster.css").read_text("utf-8")
                     + (d / "MarkerCluster.Default.css").read_text("utf-8"))
    if compare:  # the side-by-side plugin keeps its notice at the top of its file
        parts.append((HERE / "leaflet-side-by-side.css").read_text("utf-8"))
    parts.append((HERE / "conflictmap.css").read_text("utf-8"))
    return _guard("\n".join(parts), "</style")


@cache
def inline_js(cluster: bool = False, vendored: bool = True, compare: bool = False) -> str:
    parts = [(_leaflet_dir() / "leaflet.js").read_text("utf-8")] if vendored else []
    if cluster:
        parts.append(f"/* {NOTICES['markercluster']} */\n"
                     + (_cluster_dir() / "leaflet.markercluster.js").read_text("utf-8"))
    if compare:
        parts.append((HERE / "leaflet-side-by-side.js").read_text("utf-8"))
    parts.append(f"/* {NOTICES['conflictmap']} */\n"
                 + (HERE / "conflictmap.js").read_text("utf-8"))
    text = "\n".join(parts)
    # source-map comments would make the browser ask for files that are not there
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return _guard(text, "</script")
