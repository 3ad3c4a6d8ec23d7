"""What the gazetteer holds and where it comes from (``conflictmap gazetteer info``)."""

from __future__ import annotations

import json
import sqlite3

from conflictmap.gazetteer.imports import ImportStore, data_dir
from conflictmap.gazetteer.index import GazetteerIndex
from conflictmap.gazetteer.sources.curated import CuratedSource


def _kinds(index: GazetteerIndex) -> list[str]:
    rows = index.con.execute(
        "SELECT p.kind, s.text, count(*) FROM places p JOIN sources s ON s.id = p.source "
        "GROUP BY p.kind, s.text ORDER BY count(*) DESC").fetchall()
    return [f"{n:,} {kind}: {source}" for kind, source, n in rows]


def describe() -> dict:
    """Curated file, the user's imports, and the default index, in resolution order."""
    curated = CuratedSource()
    out = [{"name": "curated", "places": len(curated.places),
            "where": str(curated.dir), "details": [str(f) for f in curated.files]}]
    store = ImportStore.open_default()
    if store is not None:
        meta = store.index.meta
        out.append({"name": "imports", "places": int(meta.get("places", 0)),
                    "names": int(meta.get("names", 0)), "where": str(store.path),
                    "details": [f"{f.name}: {f.places:,} places ({f.kind}), imported {f.imported}"
                                for f in store.files()]})
    else:
        out.append({"name": "imports", "places": 0, "where": str(data_dir()),
                    "details": ["nothing imported (conflictmap gazetteer import FILE)"]})
    index = GazetteerIndex.open_default()
    try:
        details = _kinds(index)
    except sqlite3.DatabaseError:
        details = []
    out.append({"name": "index", "places": int(index.meta.get("places", 0)),
                "names": int(index.meta.get("names", 0)), "where": str(index.path),
                "details": details + [f"built from {len(json.loads(index.meta['sources']))} "
                                      f"source files; fingerprint {index.meta['fingerprint']}"]})
    return {"sources": out}
