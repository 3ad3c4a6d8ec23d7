"""Loading claims files and CSV place lists; every bad file names file and line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from conflictmap.claims import load_report
from conflictmap.errors import InputError
from conflictmap.model import ClaimKind

GOOD_HEAD = """\
report:
  title: Test report
  outlet: Test Outlet
  url: https://example.org/a
  published: 2021-03-04
claims:
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_bundled_report_has_the_claims_of_the_report(bundled_report) -> None:
    kinds = {c.kind for c in bundled_report.claims}
    assert {ClaimKind.CAPTURED, ClaimKind.RETREAT, ClaimKind.BESIEGED, ClaimKind.TARGET,
            ClaimKind.MOVEMENT, ClaimKind.CONTROL} <= kinds
    named = {r.name for c in bundled_report.claims for r in c.place_refs}
    assert {"Sheikh Aqil", "Darat Izza", "Mount Simeon District", "Afrin region",
            "Turkish border west of Idlib"} <= named
    movement = next(c for c in bundled_report.claims if c.kind is ClaimKind.MOVEMENT)
    assert movement.origin.name == "Mount Simeon District" and len(movement.destinations) == 2
    assert bundled_report.source.outlet == "South Front"
    assert bundled_report.source.published == dt.date(2020, 2, 18)


def test_metonymic_names_are_not_claims(bundled_report) -> None:
    named = {r.name for c in bundled_report.claims for r in c.place_refs}
    for name in ("Damascus", "Ankara", "Moscow", "Russia", "Turkey", "Astana"):
        assert name in bundled_report.not_places
        assert name not in named


def test_claim_date_defaults_to_publication_date(tmp_path) -> None:
    p = write(tmp_path, "c.yaml", GOOD_HEAD + "  - {id: a, kind: captured, place: Idlib, summary: s}\n")
    assert load_report(p).claims[0].date == dt.date(2021, 3, 4)


def test_csv_place_list(tmp_path) -> None:
    p = write(tmp_path, "places.csv", """\
        # title: My list
        # date: 2020-02-17
        name,kind,date,actor,note,lat,lon
        Sheikh Aqil,retreat,2020-02-18,Rebels;Army,pushed out,,
        My checkpoint,control,,Army,a place of my own,36.1,36.9
        """)
    r = load_report(p)
    assert r.source.title == "My list"
    a, b = r.claims
    assert a.kind is ClaimKind.RETREAT and a.actors == ("Rebels", "Army")
    assert a.date == dt.date(2020, 2, 18) and b.date == dt.date(2020, 2, 17)
    assert (b.place.lat, b.place.lon) == (36.1, 36.9) and b.place.line == 5


BAD = [
    ("missing.yaml", None, r"file not found"),
    ("empty.yaml", "", r"file is empty"),
    ("binary.yaml", b"\x00\x01\x02PNG", r"binary"),
    ("latin1.yaml", b"report:\n  title: caf\xe9\n", r":2: not valid UTF-8"),
    ("x.txt", "a", r"unsupported input type"),
    ("syntax.yaml", "report: [\n", r":2:1: malformed YAML"),
    ("list.yaml", "- a\n- b\n", r":1: expected a mapping"),
    ("noreport.yaml", "claims: []\n", r"missing 'report'"),
    ("notitle.yaml", "report: {outlet: x}\nclaims: [{id: a}]\n", r":1:9: missing 'title'"),
    ("noclaims.yaml", "report: {title: t}\nclaims: []\n", r":2:9: 'claims' must be a non-empty"),
    ("kind.yaml", GOOD_HEAD + "  - id: a\n    kind: exploded\n    place: Idlib\n    summary: s\n",
     r":8:11: unknown claim kind 'exploded'"),
    ("date.yaml", GOOD_HEAD + "  - {id: a, kind: captured, place: Idlib, summary: s, date: 2020-02-30}\n",
     r":7:.*'date' must be a real date"),
    ("dup.yaml", GOOD_HEAD + "  - {id: a, kind: captured, place: Idlib, summary: s}\n"
     "  - {id: a, kind: captured, place: Afrin, summary: s}\n", r":8:.*duplicate claim id 'a'"),
    ("lat.yaml", GOOD_HEAD + "  - {id: a, kind: captured, summary: s, place: {name: X, lat: 136.2, lon: 36}}\n",
     r":7:.*'lat' must lie between -90 and 90"),
    ("halfcoord.yaml", GOOD_HEAD + "  - {id: a, kind: captured, summary: s, place: {name: X, lat: 36}}\n",
     r"give both 'lat' and 'lon'"),
    ("nofrom.yaml", GOOD_HEAD + "  - {id: a, kind: movement, summary: s, to: Afrin}\n",
     r"needs 'from' and 'to'"),
    ("url.yaml", "report: {title: t, url: 'javascript:alert(1)'}\nclaims: [{id: a}]\n",
     r":1:.*must be an http\(s\) URL"),
    ("nosummary.yaml", GOOD_HEAD + "  - {id: a, kind: captured, place: Idlib}\n", r"missing 'summary'"),
    ("csvhead.csv", "place,what\nIdlib,captured\n", r":1: CSV header lacks name, kind"),
    ("csvrow.csv", "name,kind\nIdlib,captured,extra\n", r":2: row has 3 cells"),
    ("csvkind.csv", "name,kind\nIdlib,captured\nAfrin,blew up\n", r":3:.*unknown claim kind"),
    ("csvlat.csv", "name,kind,lat,lon\nIdlib,captured,36,abc\n", r":2:.*'lon' must be a number"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_say_where_and_what(tmp_path, name, content, message) -> None:
    p = tmp_path / name if content is None else write(tmp_path, name, content)
    with pytest.raises(InputError, match=message) as info:
        load_report(p)
    assert str(info.value).startswith(str(p))
