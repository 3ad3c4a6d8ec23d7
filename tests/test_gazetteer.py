"""Resolution against the embedded default gazetteer (curated + GeoNames + countries)."""

from __future__ import annotations

import csv
import json
import math

import pytest

from conflictmap.gazetteer import Context
from conflictmap.gazetteer.rank import km
from conflictmap.gazetteer.sources.curated import CuratedSource
from conflictmap.model import Feature, Status

SY = Context(country="SY")

# Positions from the issue (GeoNames / OCHA), and how far we may be from them.
TRUTH = [
    ("Darat Izza", 36.282, 36.852, 2.0),
    ("Afrin", 36.512, 36.870, 2.0),
    ("Idlib", 35.931, 36.634, 2.0),
    ("Aleppo", 36.201, 37.161, 2.0),
    ("Mount Simeon District", 35.99956, 37.08473, 2.0),  # OCHA SY0200 polygon centroid
]


@pytest.mark.parametrize(("name", "lat", "lon", "tolerance"), TRUTH)
def test_report_places_resolve_near_truth(gazetteer, name, lat, lon, tolerance) -> None:
    r = gazetteer.resolve(name, context=SY)
    assert r.status is Status.RESOLVED, r.reason  # curated, no namesake elsewhere
    assert km((r.place.lat, r.place.lon), (lat, lon)) <= tolerance


def test_sheikh_aqil_is_approximate_and_where_described(gazetteer) -> None:
    r = gazetteer.resolve("Sheikh Aqil", context=SY)
    assert r.status is Status.RESOLVED
    assert r.place.confidence == "approximate" and r.place.uncertainty_km >= 2
    # described as a hill village roughly 17 km west-north-west of Aleppo
    d = km((r.place.lat, r.place.lon), (36.20124, 37.16117))
    assert 12 <= d <= 24
    bearing = math.degrees(math.atan2(
        (r.place.lon - 37.16117) * math.cos(math.radians(36.2)), r.place.lat - 36.20124)) % 360
    assert 270 <= bearing <= 315


def test_mount_simeon_district_is_an_area_with_an_outline(gazetteer) -> None:
    r = gazetteer.resolve("Mount Simeon District")
    assert r.place.feature is Feature.AREA and int(r.precision) == 3
    assert r.place.geometry_wkt.startswith(("POLYGON", "MULTIPOLYGON"))


def test_turkish_border_west_of_idlib_is_near_bab_al_hawa(gazetteer) -> None:
    r = gazetteer.resolve("border with Turkey west of Idlib", context=SY)
    assert r.likely and int(r.precision) == 2
    assert r.place.uncertainty_km >= 10
    assert km((r.place.lat, r.place.lon), (36.2306, 36.6926)) < 1


@pytest.mark.parametrize(
    ("query", "expected_geonameid"),
    [("Idleb", 169389), ("Dārat ‘Izzah", 170857), ("Darat Izza", 170857), ("Halab", 170063),
     ("حلب", 170063), ("Efrîn", 174186), ("İdlib", 169389)],
)
def test_spellings_find_the_same_place(gazetteer, query, expected_geonameid) -> None:
    assert gazetteer.resolve(query, context=SY).place.geonameid == expected_geonameid


def test_geonames_bulk_data_resolves_places_not_curated(gazetteer) -> None:
    r = gazetteer.resolve("Maarrat Misrin", context=SY)
    assert r.likely and r.place.key.startswith("geonames:")
    assert r.place.source.startswith("GeoNames")


def test_unknown_name_is_unresolved_with_a_reason(gazetteer) -> None:
    r = gazetteer.resolve("Qqqzzx Nowhereville")
    assert r.status is Status.UNRESOLVED and r.place is None
    assert "no gazetteer entry" in r.reason


def test_loose_spelling_is_not_guessed_without_context(gazetteer) -> None:
    r = gazetteer.resolve("Xyzzy")
    assert r.status is Status.UNRESOLVED and "spelling variants" in r.reason


def test_country_hint_picks_the_syrian_ariha_over_jericho(gazetteer) -> None:
    r = gazetteer.resolve("Ariha", context=SY)
    assert r.place.country == "SY" and r.likely
    assert any(c.place.country == "PS" for c in r.candidates)  # Jericho kept as runner-up


def test_bare_country_name_is_the_country(gazetteer) -> None:
    r = gazetteer.resolve("Turkey")
    assert r.place.kind == "country" and r.place.country == "TR" and int(r.precision) == 3


def test_answer_carries_every_field(gazetteer) -> None:
    d = gazetteer.resolve("Darat Izza").as_dict()
    for key in ("query", "status", "name", "lat", "lon", "geonameid", "feature", "precision",
                "score", "source", "candidates"):
        assert key in d
    json.dumps(d)


def test_curated_geonames_entries_agree_with_geonames(gazetteer) -> None:
    """Verification: every curated entry that cites a GeoNames id sits within 1 km of
    that GeoNames record in the bulk data."""
    curated = CuratedSource()
    checked = 0
    for place in curated.places:
        if not place.geonameid or place.feature is Feature.AREA:
            continue
        rows = gazetteer.sources[1].index.con.execute(
            "SELECT lat, lon FROM places WHERE geonameid = ?", (place.geonameid,)).fetchall()
        if rows:
            checked += 1
            assert km((place.lat, place.lon), rows[0]) < 1.0, place.name
    assert checked >= 20


def test_every_curated_entry_cites_a_source_and_approximate_ones_keep_uncertainty() -> None:
    path = CuratedSource().dir / "places.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert row["source"].strip(), row["id"]
            if row["confidence"] == "approximate":
                assert float(row["uncertainty_km"]) > 0, row["id"]


def test_index_fingerprint_follows_content_not_checkout(tmp_path) -> None:
    from conflictmap.gazetteer.index import fingerprint

    a, b = tmp_path / "a.csv", tmp_path / "b" / "a.csv"
    b.parent.mkdir()
    a.write_text("iso,names\nSY,Syrie\n", encoding="utf-8")
    b.write_text("iso,names\nSY,Syrie\n", encoding="utf-8")
    assert fingerprint([a]) == fingerprint([b])
    b.write_text("iso,names\nSY,Suriye\n", encoding="utf-8")
    assert fingerprint([a]) != fingerprint([b])


def test_corrupt_index_is_reported_as_gazetteer_error(tmp_path) -> None:
    import pytest

    from conflictmap.errors import GazetteerError
    from conflictmap.gazetteer.index import GazetteerIndex

    bad = tmp_path / "gazetteer.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerError, match="unreadable"):
        GazetteerIndex(bad)
