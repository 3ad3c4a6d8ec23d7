"""Airports and air bases, from the PyPI package ``airportsdata`` (MIT; it includes
mwgg/Airports, MIT), derived at maintenance time by ``scripts/derive_airports.py`` into
``airports.csv``: the airports with an IATA code, and air bases, under the names
reports use ("Heathrow", "Pearson International Airport", "Incirlik Air Base").

>>> a = AirportSource()
>>> place, matched = a.lookup("heathrow")[0]
>>> place.name, place.country, place.kind
('London Heathrow Airport', 'GB', 'airport')
"""

from __future__ import annotations

import csv
from collections import defaultdict

from conflictmap.errors import InputError
from conflictmap.gazetteer.names import loose_key, normalise
from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.model import Place
from conflictmap.resources import geodata_dir

SOURCE = "airportsdata 20260905 (MIT; includes mwgg/Airports, MIT)"


class AirportSource(PlaceSource):
    """Airports by name (see the module docstring). An airport's own name ("Gatwick")
    is trusted a little above a namesake village: news that names it means the airport."""

    name = "airports"
    trust = 0.2

    def __init__(self, path=None) -> None:
        self.path = path or geodata_dir() / "gazetteer" / "airports.csv"
        self.places: list[Place] = []
        self._exact: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._loose: dict[str, list[tuple[int, str]]] = defaultdict(list)
        with open(self.path, newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    names = (row["name"], *(n for n in row["names"].split("|") if n))
                    lat, lon = float(row["lat"]), float(row["lon"])
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                        raise ValueError(f"coordinates out of range: {lat}, {lon}")
                    place = Place(key=f"airport:{row['icao']}", name=row["name"], lat=lat,
                                  lon=lon, kind="airport", country=row["country"],
                                  source=SOURCE, names=names, origin=self.name,
                                  note=f"IATA {row['iata']}, ICAO {row['icao']}, {row['city']}")
                except (KeyError, AttributeError, ValueError) as exc:
                    raise InputError(f"bad airport: {exc}", path=str(self.path), line=line) from exc
                i = len(self.places)
                self.places.append(place)
                for n in names:
                    self._exact[normalise(n)].append((i, n))
                    self._loose[loose_key(n)].append((i, n))

    @classmethod
    def open_default(cls, *, progress: bool = True) -> AirportSource:
        return cls()

    def names(self) -> list[str]:
        return list(self._exact)

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        table = self._loose if loose else self._exact
        seen: dict[int, str] = {}
        for i, n in table.get(key, ()):
            seen.setdefault(i, n)
        return [(self.places[i], n) for i, n in seen.items()]

    def describe(self) -> dict:
        return {"name": self.name, "places": len(self.places), "where": str(self.path),
                "details": [SOURCE]}
