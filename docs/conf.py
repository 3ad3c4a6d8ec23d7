"""Sphinx configuration of conflictmap's documentation (built by scripts/docs)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import conflictmap  # noqa: E402 - after the path above

project = "conflictmap"
author = "conflictmap contributors"
copyright = "conflictmap contributors; data sources as credited"  # noqa: A001 - Sphinx's name
release = version = conflictmap.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_click",
    "results",
    "kindstable",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "results/*.json", "conftest.py"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "pydata_sphinx_theme"
html_title = f"conflictmap {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_depth": 2,
    "show_toc_level": 2,
    "navbar_align": "left",
    "footer_start": ["copyright"],
}
html_show_sourcelink = False


def _escape_stars(app, ctx, lines):  # noqa: ANN001 - sphinx-click's event
    """Command help shows globs (``dumps/*.jsonl``); in reST a star opens emphasis."""
    lines[:] = [line.replace("*", "\\*") for line in lines]


def setup(app):  # noqa: ANN001, ANN201 - Sphinx's configuration hook
    app.connect("sphinx-click-process-description", _escape_stars)
    app.connect("sphinx-click-process-usage", _escape_stars)
    app.connect("sphinx-click-process-epilog", _escape_stars)
    app.connect("sphinx-click-process-options", _escape_stars)
