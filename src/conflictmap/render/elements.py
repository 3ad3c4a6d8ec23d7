"""Small map elements, each with its own template (the folium/branca way).

Unlike folium's own popups, no input string is ever put into HTML or JavaScript
unescaped: data reaches the page as JSON made safe for a <script> block
(:func:`script_json`) and is turned into DOM text nodes by the page script;
the few HTML panels built here escape every input string with :func:`esc`.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from branca.element import Element
from folium.map import Layer, LayerControl
from folium.template import Template as FoliumTemplate  # has folium's tojavascript filter
from jinja2 import Template

from conflictmap.render.assets import cdn_links, inline_css, inline_js
from conflictmap.render.safe import SafeMacro


def esc(text: Any) -> str:
    """Escape a string for HTML text or attribute context; braces become character
    references too, so no template engine can read the result as its own syntax.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> esc("{{ 7*7 }}")
    '&#123;&#123; 7*7 &#125;&#125;'
    """
    return html.escape(str(text), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no ``</script>``, no HTML comment openers,
    no raw U+2028/U+2029, no Jinja openers. Keys sorted so output is byte-stable.

    >>> script_json({"a": "</script><!--\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u2028"}'
    >>> script_json(["{{ 7*7 }}"])
    '["\\\\u007b{ 7*7 }}"]'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    # branca compiles a macro's rendered output as a Jinja template once more, so
    # "{{", "{%" and "{#" from input would be evaluated there. Outside JSON strings
    # a "{" is never followed by these, so escaping it is always valid JSON.
    return _JINJA_OPENER.sub(r"\\u007b", text)


_JINJA_OPENER = re.compile(r"\{(?=[{%#])")


class InlineAssets(Element):
    """Leaflet, our script and styles, inlined into the page header; with ``cdn``,
    Leaflet is linked from a CDN (pinned version, subresource integrity) instead."""

    _template = Template(
        "{{ this.links }}<style>{{ this.css }}</style>\n<script>{{ this.js }}</script>\n"
    )

    def __init__(self, cluster: bool = False, cdn: bool = False, compare: bool = False) -> None:
        super().__init__()
        self._name = "InlineAssets"
        self.links = cdn_links() if cdn else ""
        self.css = inline_css(cluster, vendored=not cdn, compare=compare)
        self.js = inline_js(cluster, vendored=not cdn, compare=compare)


class PageTitle(Element):
    _template = Template("<title>{{ this.text }}</title>\n")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "PageTitle"
        self.text = esc(text)


class ClaimsConfig(SafeMacro):
    """Style table and report citation, given to the page script once."""

    _template = Template(
        "{% macro script(this, kwargs) %}conflictmap.configure({{ this.data }});\n"
        "{% endmacro %}"
    )

    def __init__(self, config: dict) -> None:
        super().__init__()
        self._name = "ClaimsConfig"
        self.config = dict(config)
        self.data = script_json(self.config)

    def set(self, key: str, value: Any) -> None:
        self.config[key] = value
        self.data = script_json(self.config)


class DataBlock(Element):
    """Data for the page script as a JSON block in the page body: the claims of one layer,
    the offline context, the map's description. Kept out of the scripts, which branca
    compiles once more as templates: a megabyte of claims would cost seconds there."""

    _template = Template(
        '<script type="application/json" id="{{ this.block_id }}">{{ this.data }}</script>\n'
    )

    def __init__(self, block_id: str, data: Any) -> None:
        super().__init__()
        self._name = "DataBlock"
        self.block_id = block_id
        self.data = script_json(data)


class ClaimLayer(Layer, SafeMacro):
    """One toggleable layer holding every claim of one kind; the claims themselves
    are read from a :class:`DataBlock`."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.featureGroup();\n"
        "conflictmap.addClaims({{ this.get_name() }}, "
        "JSON.parse(document.getElementById({{ this.block_json }}).textContent));\n"
        "{% endmacro %}"
    )

    def __init__(self, name_html: str, block_id: str) -> None:
        super().__init__(name=name_html, overlay=True, control=True, show=True)
        self._name = "ClaimLayer"
        self.block_json = script_json(block_id)


class OfflineBase(Layer, SafeMacro):
    """The base layer a map opens on: nothing but the offline context drawn in its panes.
    With a tile layer as the other base layer, the reader can switch between them."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.layerGroup();\n"
        "{% endmacro %}"
    )

    def __init__(self, name_html: str, show: bool = True) -> None:
        super().__init__(name=name_html, overlay=False, control=True, show=show)
        self._name = "OfflineBase"


class ContextLayer(Layer, SafeMacro):
    """One switchable layer of the offline geographic context ("lines": land, coasts,
    borders and admin lines; "labels": place names), drawn from the ``cm-context`` JSON
    block by the page script, in panes under the claims."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.layerGroup();\n"
        "conflictmap.context({{ this._parent.get_name() }}, {{ this.get_name() }}, "
        "{{ this.part_json }});\n"
        "{% endmacro %}"
    )

    def __init__(self, name_html: str, part: str) -> None:
        super().__init__(name=name_html, overlay=True, control=True, show=True)
        self._name = "ContextLayer"
        self.part_json = script_json(part)


class ControlLayer(Layer, SafeMacro):
    """One switchable layer of the control data (``cm-control`` block): the areas of one
    actor, the frontlines, or the changes between two dates."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.layerGroup();\n"
        "conflictmap.control({{ this._parent.get_name() }}, {{ this.get_name() }}, "
        "{{ this.part_json }}, {{ this.actor_json }});\n"
        "{% endmacro %}"
    )

    def __init__(self, name_html: str, part: str, actor: str = "") -> None:
        super().__init__(name=name_html, overlay=True, control=True, show=True)
        self._name = "ControlLayer"
        self.part_json = script_json(part)
        self.actor_json = script_json(actor)


class ResponsiveLayerControl(LayerControl, SafeMacro):
    """folium's layer control, collapsed to a button on narrow screens (phones) and
    open on wider ones; the page script decides when the page loads."""

    _template = FoliumTemplate(
        "{% macro script(this,kwargs) %}"
        "var {{ this.get_name() }} = conflictmap.layerList(L.control.layers({ "
        "{%- for key, val in this.base_layers.items() %}{{ key|tojson }}: {{ val }},{% endfor %}"
        " }, { "
        "{%- for key, val in this.overlays.items() %}{{ key|tojson }}: {{ val }},{% endfor %}"
        " }, Object.assign({{ this.options|tojavascript }}, "
        "{collapsed: conflictmap.narrow()})).addTo({{ this._parent.get_name() }}));\n"
        "{% endmacro %}"
    )


class ClaimsReady(SafeMacro):
    """Added last: time slider, correction tools, embedding behaviour, ready flag."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "conflictmap.ready({{ this._parent.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ClaimsReady"


class Panel(SafeMacro):
    """A fixed HTML panel (title block, legend) as a Leaflet control.

    ``html_text`` must already be escaped: callers build it with :func:`esc`.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () { var c = L.control({position: {{ this.position_json }}});\n"
        "c.onAdd = function () { var d = L.DomUtil.create('div', {{ this.css_json }});\n"
        "d.innerHTML = {{ this.html_json }};\n"
        "L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);\n"
        "return d; };\n"
        "c.addTo({{ this._parent.get_name() }}); }());\n"
        "{% endmacro %}"
    )

    def __init__(self, html_text: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Panel"
        self.position_json = script_json(position)
        self.css_json = script_json(f"cm-panel {css_class}")
        self.html_json = script_json(html_text)


class Attribution(SafeMacro):
    """Adds fixed credits (data sources) to the map's attribution line."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text }});\n"
        "{% endmacro %}"
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = script_json(html_text)
