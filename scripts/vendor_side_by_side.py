"""Vendor the Leaflet side-by-side plugin (npm leaflet-side-by-side 2.2.0, MIT) into
src/conflictmap/render/assets/, for the offline compare view.

Run by a maintainer when updating the plugin, never at install or run time:

    npm pack leaflet-side-by-side@2.2.0 && tar xzf leaflet-side-by-side-2.2.0.tgz
    python scripts/vendor_side_by_side.py package/

The package is written for browserify: its ``require`` lines (Leaflet, its two CSS
files) are replaced by a wrapper that takes the page's global ``L``; its CSS is joined
and the range icon inlined as a data URI. The licence notice is kept at the top.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "src" / "conflictmap" / "render" / "assets"


def main(package: str) -> None:
    pkg = Path(package)
    meta = json.loads((pkg / "package.json").read_text())
    licence = (pkg / "LICENSE").read_text().strip()
    notice = (f"{meta['name']} {meta['version']} ({meta.get('homepage', 'npm')}), "
              f"{meta['license']} licence:\n{licence}")
    js = (pkg / "index.js").read_text()
    js = re.sub(r"^var L = require\('leaflet'\)\n", "", js, flags=re.M)
    js = re.sub(r"^require\('\./[a-z]+\.css'\)\n", "", js, flags=re.M)
    js = re.sub(r"^module\.exports = .*\n", "", js, flags=re.M)  # no CommonJS in a page
    assert "require(" not in js and "module." not in js, "unexpected CommonJS is left"
    wrapped = f"/* {notice} */\n(function (L) {{\n{js}\n}}(window.L));\n"
    (ASSETS / "leaflet-side-by-side.js").write_text(wrapped)
    icon = base64.b64encode((pkg / "range-icon.png").read_bytes()).decode("ascii")
    css = (pkg / "layout.css").read_text() + "\n" + (pkg / "range.css").read_text()
    css = css.replace("url(range-icon.png)", f"url(data:image/png;base64,{icon})")
    (ASSETS / "leaflet-side-by-side.css").write_text(f"/* {notice} */\n{css}")
    print("wrote leaflet-side-by-side.js and .css")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
