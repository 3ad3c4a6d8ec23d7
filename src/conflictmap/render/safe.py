"""Rendering that never compiles text as a template twice.

branca's ``MacroElement.render`` (0.8) puts the output of each ``header``/``html``/
``script`` macro into ``Element(text)``, which compiles that text as a Jinja2 template
and renders it again when the page is written. Any input string that survives the first
rendering (in a layer name, a tooltip, a JSON literal) is then evaluated: ``{{ 7*7 }}``
becomes ``49``, and a longer expression runs code on the machine that builds the map.

Every macro element on a conflictmap page derives from :class:`SafeMacro`, which puts
each macro's output into the page as :class:`Verbatim` text. Children whose class keeps
branca's plain render (folium's ``ElementAddToElement``, which a layer adds while it
renders) are rendered the same way. :func:`check_tree` refuses a page holding any other
macro element, so a new element cannot bring the second pass back unnoticed.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement

SECTIONS = ("header", "html", "script")


class Verbatim(Element):
    """Text put into the page as it is: never compiled, never rendered as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def render_macros(element: MacroElement, kwargs: dict) -> None:
    """What ``MacroElement.render`` does, with each macro's output kept verbatim."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"{type(element).__name__} is rendered outside a page")
    module = element._template.module.__dict__
    for section in SECTIONS:
        macro = module.get(section)
        if macro is not None:
            getattr(figure, section).add_child(Verbatim(str(macro(element, kwargs))),
                                               name=element.get_name())
    for child in element._children.values():
        if isinstance(child, MacroElement) and type(child).render is MacroElement.render:
            render_macros(child, kwargs)
        else:
            child.render(**kwargs)


class SafeMacro(MacroElement):
    """A macro element whose rendered output is never templated again.

    Put it after a folium class among the bases (``class X(folium.TileLayer, SafeMacro)``)
    so that the folium class's own ``render`` runs first and its ``super().render()``
    arrives here instead of at branca's.
    """

    def render(self, **kwargs: Any) -> str:
        render_macros(self, kwargs)
        return ""  # the output went into the page's sections


def check_tree(root: Element) -> None:
    """Raise ``TypeError`` if a macro element of the page would render its output as a
    template a second time (any macro element not derived from :class:`SafeMacro`)."""
    stack = [root]
    while stack:
        el = stack.pop()
        if isinstance(el, MacroElement) and not isinstance(el, SafeMacro):
            raise TypeError(f"{type(el).__module__}.{type(el).__name__} would template its "
                            "output twice; derive it from conflictmap.render.safe.SafeMacro")
        stack.extend(el._children.values())
