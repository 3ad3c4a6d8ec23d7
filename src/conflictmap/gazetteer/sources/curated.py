"""The curated gazetteer in ``geodata/gazetteer/``: hand-checked places with sources.

Areas get an approximate outline: the union of equal-area discs centred on the
centroids of their parts (sub-districts), from ``area_parts.csv``. It is drawn
and labelled as approximate; users can supply real boundaries instead.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

from shapely import Point, union_all
from shapely.affinity import affine_transform

from conflictmap.errors import InputError
from conflictmap.gazetteer.names import loose_key, normalise
from conflictmap.gazetteer.sources.base import PlaceSource
from conflictmap.model import Feature, Place
from conflictmap.resources import geodata_dir


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            return [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read curated gazetteer: {exc}", path=str(path)) from exc


def disc_union(parts: list[tuple[float, float, float]]) -> str:
    """WKT outline of the union of discs ``(lat, lon, area_km2)``, in WGS84.

    Computed in a local equirectangular plane (km), good to well under 1 % at
    district scale.

    >>> from shapely import wkt
    >>> g = wkt.loads(disc_union([(36.0, 37.0, 314.16)]))
    >>> round(g.centroid.y, 2), round(g.centroid.x, 2)
    (36.0, 37.0)
    """
    lat0 = sum(p[0] for p in parts) / len(parts)
    lon0 = sum(p[1] for p in parts) / len(parts)
    kx = 111.320 * math.cos(math.radians(lat0))
    ky = 110.574
    discs = [
        Point((lon - lon0) * kx, (lat - lat0) * ky).buffer(math.sqrt(area / math.pi), 32)
        for lat, lon, area in parts
    ]
    shape = union_all(discs).simplify(0.3)
    shape = affine_transform(shape, [1 / kx, 0, 0, 1 / ky, lon0, lat0])
    return shape.wkt


class CuratedSource(PlaceSource):
    """Places from ``places.csv``; they override bulk records with the same GeoNames id.
    Hand-checked, so trusted above bulk data; areas carry an approximate outline."""

    name = "curated"
    trust = 0.15
    area_trust = 0.05

    @classmethod
    def open_default(cls, *, progress: bool = True) -> CuratedSource:
        return cls()

    def describe(self) -> dict:
        return {"name": self.name, "places": len(self.places), "where": str(self.dir),
                "details": [str(f) for f in self.files]}

    def __init__(self, geodata: Path | None = None) -> None:
        self.dir = (geodata or geodata_dir()) / "gazetteer"
        self.places: list[Place] = []
        self._exact: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._loose: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._load()
        #: GeoNames ids this file overrides in bulk sources
        self.geonameids = frozenset(p.geonameid for p in self.places if p.geonameid)

    @property
    def files(self) -> list[Path]:
        return [self.dir / "places.csv", self.dir / "area_parts.csv"]

    def _load(self) -> None:
        places_path, parts_path = self.files
        parts: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        if parts_path.is_file():
            for line, row in _read_csv(parts_path):
                try:
                    parts[row["area"]].append(
                        (float(row["lat"]), float(row["lon"]), float(row["area_km2"]))
                    )
                except (KeyError, TypeError, ValueError) as exc:
                    raise InputError(f"bad area part: {exc}", path=str(parts_path),
                                     line=line) from exc
        for line, row in _read_csv(places_path):
            try:
                names = tuple(n for n in row["names"].split("|") if n.strip())
                place = Place(
                    key=f"curated:{row['id']}",
                    name=row["name"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    feature=Feature(row["feature"]),
                    kind=row["kind"],
                    country=row["country"],
                    admin1=row["admin1"],
                    admin2=row["admin2"],
                    geonameid=int(row["geonameid"]) if row["geonameid"] else None,
                    source=row["source"],
                    confidence=row["confidence"],
                    uncertainty_km=float(row["uncertainty_km"] or 0),
                    precision=int(row["precision"]),
                    names=names if row["name"] in names else (row["name"], *names),
                    geometry_wkt=disc_union(parts[row["id"]]) if row["id"] in parts else None,
                    outline="approximate" if row["id"] in parts else "",
                    origin=self.name,
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"bad curated place: {exc}", path=str(places_path),
                                 line=line) from exc
            index = len(self.places)
            self.places.append(place)
            for n in place.names:
                self._exact[normalise(n)].append((index, n))
                self._loose[loose_key(n)].append((index, n))


    def names(self) -> list[str]:
        """Every exact name key this source knows (for finding names in text)."""
        return list(self._exact)

    def lookup(self, key: str, *, loose: bool = False) -> list[tuple[Place, str]]:
        table = self._loose if loose else self._exact
        seen: dict[int, str] = {}
        for index, name in table.get(key, ()):
            seen.setdefault(index, name)
        return [(self.places[i], n) for i, n in seen.items()]
