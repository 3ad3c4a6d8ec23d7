"""Actors and their colours: one colour per actor across maps.

A palette is the default one below, extended (and overridden) by an ``actors:`` list
in a claims file or by a palette file (YAML with ``actors:``, ``build --actors FILE``):
each entry has a ``name``, ``aliases``, a ``colour`` and a ``group``. Names are matched
after folding case and punctuation, aliases included. An actor the palette does not know
gets a colour of its own from a fixed cycle (Paul Tol's colour-blind safe "muted" set),
chosen by its name, so it is the same on every map.

>>> p = Palette()
>>> p.actor("Turkish Armed Forces").name, p.actor("turkey").colour == p.actor("TAF").colour
('Turkish Armed Forces', True)
>>> p.actor("Some new brigade").colour == p.actor("some new brigade").colour
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from conflictmap.gazetteer.names import normalise
from conflictmap.model import Actor

#: Paul Tol's "muted" qualitative scheme (colour-blind safe), for actors not in the palette.
CYCLE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
         "#AA4499")

#: Common actors of current conflicts (our own list; extend it with a palette file).
DEFAULTS = (
    Actor("Syrian government forces", "#C0392B", ("Syrian Arab Army", "SAA", "Syrian army",
          "Syrian government", "Government forces", "Assad forces", "Syria"), "government"),
    Actor("Turkish Armed Forces", "#1F78B4", ("Turkey", "TAF", "Turkish forces", "Turkish army",
          "Turkish military"), "foreign state"),
    Actor("Syrian National Army", "#6BAED6", ("SNA", "Turkish-backed armed groups",
          "Turkish-backed opposition", "Turkish-backed factions"), "Turkish-backed"),
    Actor("Hayat Tahrir al-Sham", "#33A02C", ("HTS", "Tahrir al-Sham", "Jabhat al-Nusra",
          "Armed opposition", "Armed opposition in Idlib", "Opposition fighters"), "opposition"),
    Actor("Syrian Democratic Forces", "#FDBF6F", ("SDF", "YPG", "Kurdish forces"), "non-state"),
    Actor("Russian armed forces", "#8B0000", ("Russia", "Russian forces", "Russian army",
          "Wagner Group", "Wagner", "Russian Armed Forces"), "foreign state"),
    Actor("Islamic State", "#333333", ("ISIS", "ISIL", "Daesh", "IS"), "non-state"),
    Actor("Ukrainian Armed Forces", "#1F5AA6", ("Ukraine", "Ukrainian forces", "Ukrainian army",
          "UAF", "AFU"), "government"),
    Actor("Sudanese Armed Forces", "#6A3D9A", ("SAF", "Sudanese army"), "government"),
    Actor("Rapid Support Forces", "#E6550D", ("RSF",), "non-state"),
    Actor("Israel Defense Forces", "#0868AC", ("IDF", "Israel", "Israeli forces"), "government"),
    Actor("Hamas", "#238B45", ("Izz ad-Din al-Qassam Brigades", "Qassam Brigades"), "non-state"),
)


def _key(name: str) -> str:
    return normalise(name)


class Palette:
    """Actors by name and alias; later entries override earlier ones."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self._by_key: dict[str, Actor] = {}
        for actor in (*DEFAULTS, *actors):
            self.add(actor)

    def add(self, actor: Actor) -> None:
        for name in (actor.name, *actor.aliases):
            self._by_key[_key(name)] = actor

    def actor(self, name: str) -> Actor:
        """The palette's actor for a name or alias, or a new one with a stable colour."""
        found = self._by_key.get(_key(name))
        if found is not None:
            return found
        digest = hashlib.sha256(_key(name).encode()).digest()[0]
        return Actor(name, CYCLE[digest % len(CYCLE)])

    def colour(self, name: str) -> str:
        return self.actor(name).colour
