"""Actors and their colours: one colour per actor across maps.

A palette is the default one below, extended (and overridden) by an ``actors:`` list
in a claims file or by a palette file (YAML with ``actors:``, ``build --actors FILE``):
each entry has a ``name``, ``aliases``, a ``colour`` and a ``group``. Names are matched
after folding case and punctuation, aliases included. An actor the palette does not know
gets a colour from a fixed cycle (Paul Tol's colour-blind safe "muted" and "bright" sets),
chosen by its name; on one map (``present``) no two actors share one while the cycle lasts.

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

#: Paul Tol's "muted" qualitative scheme (colour-blind safe), then his "bright" one, for
#: actors not in the palette.
CYCLE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
         "#AA4499", "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")

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
    """Actors by name and alias; later entries override earlier ones.

    ``present`` names the actors of one map: those the palette does not know get colours
    that no other actor of that map has (while the cycle lasts: 16 colours), each starting
    from the colour its name hashes to, in the order of their names, so the same map always
    gets the same colours.

    >>> names = [f"Invented group {i}" for i in range(12)]
    >>> p = Palette(present=names)
    >>> len({p.colour(n) for n in names})
    12
    """

    def __init__(self, actors: Iterable[Actor] = (), present: Iterable[str] = ()) -> None:
        self._by_key: dict[str, Actor] = {}
        for actor in (*DEFAULTS, *actors):
            self.add(actor)
        self._assigned: dict[str, Actor] = {}
        used = {self._by_key[_key(n)].colour for n in present if _key(n) in self._by_key}
        for name in sorted({n for n in present if _key(n) not in self._by_key}, key=_key):
            start = hashlib.sha256(_key(name).encode()).digest()[0] % len(CYCLE)
            order = CYCLE[start:] + CYCLE[:start]
            colour = next((c for c in order if c not in used), order[0])
            used.add(colour)
            self._assigned[_key(name)] = Actor(name, colour)

    def add(self, actor: Actor) -> None:
        for name in (actor.name, *actor.aliases):
            self._by_key[_key(name)] = actor

    def actor(self, name: str) -> Actor:
        """The palette's actor for a name or alias, or a new one with a stable colour."""
        found = self._by_key.get(_key(name)) or self._assigned.get(_key(name))
        if found is not None:
            return found
        digest = hashlib.sha256(_key(name).encode()).digest()[0]
        return Actor(name, CYCLE[digest % len(CYCLE)])

    def colour(self, name: str) -> str:
        return self.actor(name).colour
