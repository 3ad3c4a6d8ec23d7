"""From report text to a draft claims file, on short reports written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from geopy.distance import geodesic

from conflictmap.checks import compass
from conflictmap.checks import geodesic as measure_geodesic
from conflictmap.cli import main
from conflictmap.extract import extract
from conflictmap.extract.draft import place_name
from conflictmap.extract.names import NameMatcher
from conflictmap.extract.score import score_folder
from conflictmap.extract.text import parse_text, read_document
from conflictmap.model import Place

REPORTS = Path(__file__).parent / "data" / "reports"
SHARED_REPORT = (Path(__file__).resolve().parents[2] / "shared" / "reports"
                 / "southfront-2020-02-18-idlib.txt")


@pytest.fixture(scope="module")
def matcher(gazetteer):
    return NameMatcher.for_gazetteer(gazetteer)


@pytest.fixture(scope="module")
def analyse(gazetteer, matcher):
    cache: dict[str, object] = {}

    def run(name: str):
        if name not in cache:
            cache[name] = extract(read_document(REPORTS / name), gazetteer, matcher=matcher)
        return cache[name]

    return run


def roles(analysis) -> list[tuple[str, str]]:
    return [(m.text, m.role) for m in analysis.mentions]


# --- finding names ----------------------------------------------------------------------------

def test_finder_takes_the_longest_name_and_keeps_articles_and_possessives(matcher) -> None:
    text = ("Units left the Mount Simeon District for al-Bab, and Tehran's envoy met them "
            "in وسراقب near Jisr ash-Shughur.")
    found = [text[f.start:f.end] for f in matcher.find(text)]
    assert "Mount Simeon District" in found
    assert "al-Bab" in found
    assert "Tehran" in found
    assert "وسراقب" in found  # Arabic "and Saraqib": the conjunction is dropped
    assert "Jisr ash-Shughur" in found


def test_finder_ignores_lower_case_words_and_sentence_openers(matcher) -> None:
    text = "The army said that the town was quiet. Video shows more of the same."
    assert matcher.find(text) == []


def test_a_country_abbreviation_in_capitals_is_a_name_but_not_in_a_capitals_headline(
        matcher, gazetteer) -> None:
    def found(text: str) -> list[str]:
        return [text[f.start:f.end] for f in matcher.find(text)]

    assert found("He defied the US for decades; the UK did not.") == ["US", "UK"]
    assert found("They told us what they saw.") == []  # the pronoun
    assert "US" not in found("WHAT IT MEANS FOR US")  # a headline in capitals
    assert found("Output reached 500 MW in May.") == []  # a unit, no country's name in news
    assert [m.text for m in extract("US officials said so.", gazetteer).mentions] == ["US"]


def test_every_name_of_the_gazetteer_is_searchable(matcher, gazetteer) -> None:
    assert len(matcher) > 900_000
    # a GeoNames alternate name, a curated variant and an Arabic-script name
    for name in ("Kharkov", "Kubtan el-Djebel", "إدلب"):
        assert matcher.find(f"Reports from {name} today.")


# --- page furniture and metadata --------------------------------------------------------------

def test_furniture_and_metadata_of_a_markdown_page(analyse) -> None:
    a = analyse("frontline-idlib.md")
    meta = a.document.meta
    assert (meta.title, meta.outlet, str(meta.published)) == (
        "Army Closes In On Darat Izza", "Frontline Desk", "2020-02-18")
    whys = {b.why for b in a.document.blocks if b.kind == "furniture"}
    assert {"tag line", "share", "copyright"} <= whys
    furniture = [(b.start, b.end) for b in a.document.blocks if b.kind == "furniture"]
    assert not [m for m in a.mentions if any(s <= m.start < e for s, e in furniture)]
    assert "Middle East" not in [m.text for m in a.mentions]


def test_html_page_skips_scripts_navigation_and_footer(analyse) -> None:
    a = analyse("page.html")
    meta = a.document.meta
    assert meta.title == "Shelling on the Hama front"
    assert meta.outlet == "Example Monitor"
    assert meta.url == "https://monitor.example.org/2020/04/hama-front"
    assert str(meta.published) == "2020-04-12"
    names = [m.text for m in a.mentions]
    for hidden in ("Damascus", "Latakia", "Syria", "Iraq", "Mosul"):
        assert hidden not in names  # in a script, a style, the navigation or the footer
    assert ("سراقب", "location") in roles(a)
    assert ("ريف إدلب", "region") in roles(a)  # "the Idlib countryside" in Arabic


def test_html_asides_are_furniture_wherever_they_stand() -> None:
    from conflictmap.extract.text import parse_html

    doc = parse_html("<html><body><p>Troops entered Ariha.</p><p>Talks went on.</p>"
                     "<aside>Share this story: Related reading</aside>"
                     "<p>Shelling hit <b>Sarmin</b> at dawn.</p><footer>© Us</footer></body></html>")
    kinds = [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
    assert kinds == [("body", "Troops entered Ariha."), ("body", "Talks went on."),
                     ("furniture", "Share this story: Related reading"),
                     ("body", "Shelling hit Sarmin at dawn."), ("furniture", "© Us")]


def test_link_only_and_donation_lines_are_furniture() -> None:
    doc = parse_text("Title line\n\nTroops entered Ariha.\n\n[https://x.org/v.mp4](https://x.org/v.mp4)\n"
                     "Please donate via PayPal to keep us going.\n")
    assert [b.why for b in doc.blocks if b.kind == "furniture"] == ["link-only", "donate"]


# --- roles ------------------------------------------------------------------------------------

def test_roles_of_the_idlib_style_report(analyse) -> None:
    got = roles(analyse("frontline-idlib.md"))
    for expected in [("Sheikh Aqil", "location"), ("Darat Izza", "location"),
                     ("Mount Simeon District", "region"), ("region of Afrin", "region"),
                     ("border with Turkey west of Idlib", "region"), ("Damascus", "actor"),
                     ("Moscow", "actor"), ("Ankara", "actor"), ("Russia", "actor"),
                     ("Turkey", "actor"), ("Astana", "other"), ("al-Sham", "other"),
                     ("Idlib", "other"), ("Idlib", "location")]:
        assert expected in got, expected


def test_roles_for_parties_outlets_adjectives_and_processes(analyse) -> None:
    got = dict(roles(analyse("parties.txt")))
    assert got["Tehran"] == got["Washington"] == got["Damascus"] == "actor"
    assert got["Beirut"] == got["Sochi"] == got["Syrian"] == got["Turkish"] == "other"
    assert got["Sarmin"] == got["Aleppo"] == "location"


def test_world_capitals_are_not_pulled_abroad_by_noise(analyse) -> None:
    a = analyse("parties.txt")
    moscow = next(m for m in a.mentions if m.text == "Moscow")
    assert moscow.resolution.place.country == "RU"
    assert "Arab" in [m.text for m in a.rejected]  # a small US place: rejected with a reason
    assert all(m.why for m in a.rejected)


def test_role_precision_and_recall_on_the_gold_file(gazetteer, matcher) -> None:
    scores, held_out = score_folder(REPORTS, gazetteer, matcher)
    assert scores.precision() >= 0.95 and scores.recall() >= 0.95, scores.table()
    assert held_out.gold["location"] == 9  # the held-out report is in the gold file
    assert held_out.precision() >= 0.9 and held_out.recall() >= 0.9, held_out.table()


# --- claim kinds, actors, dates ---------------------------------------------------------------

def test_each_claim_kind_actor_and_date(analyse) -> None:
    a = analyse("kinds.txt")
    claims = {c.mention.text: c for c in a.claims}
    assert claims["Saraqib"].kind.value == "captured"
    assert str(claims["Saraqib"].date) == "2020-03-02"  # "on March 2"
    assert claims["Saraqib"].actors == ["Syrian government forces"]
    assert claims["Ariha"].kind.value == "advance"
    assert str(claims["Ariha"].date) == "2020-03-02"  # "yesterday"
    assert claims["Kafr Nabl"].kind.value == "retreat"
    assert claims["Khan Shaykhun"].kind.value == "besieged"
    assert claims["Taftanaz"].kind.value == "strike"  # "Artillery shelled Taftanaz"
    assert claims["Taftanaz"].time_precision == 2  # "during the past 24 hours"
    move = claims["Atarib"]
    assert move.kind.value == "movement" and [d.text for d in move.destinations] == ["Afrin"]
    assert claims["Jisr al-Shughur"].kind.value == "control"
    assert claims["Jisr al-Shughur"].actors == ["Hayat Tahrir al-Sham"]
    assert claims["Maarat al-Numan"].kind.value == "mention"
    assert str(claims["Maarat al-Numan"].date) == "2020-03-03"  # the report's date


def test_movement_with_two_destinations_and_a_prospect(analyse) -> None:
    a = analyse("frontline-idlib.md")
    move = next(c for c in a.claims if c.kind.value == "movement")
    assert move.mention.text == "Mount Simeon District"
    assert [d.text for d in move.destinations] == ["region of Afrin",
                                                  "border with Turkey west of Idlib"]
    assert move.actors == ["Hayat Tahrir al-Sham"]
    retreat = next(c for c in a.claims if c.mention.text == "Sheikh Aqil")
    assert retreat.kind.value == "retreat"
    # the clause's own subject retreats ("Members of the ... rebels had to retreat"); the
    # army of the next clause (", and the army won a foothold ...") is the foothold's actor
    assert retreat.actors == ["Armed opposition"]
    foothold = next(c for c in a.claims if c.kind.value == "target" and "Darat Izza" in c.mention.text)
    assert "Syrian government forces" in foothold.actors
    held = next(c for c in a.claims if c.kind.value == "control")
    assert held.mention.text == "Darat Izza" and held.refers_back  # "This town ... stronghold"
    assert held.actors == ["Hayat Tahrir al-Sham"]
    idlib = next(c for c in analyse("parties.txt").claims if c.mention.text == "Idlib")
    assert idlib.kind.value == "target" and idlib.prospect  # "would be retaken"


def test_arabic_control_verb(analyse) -> None:
    a = analyse("page.html")
    saraqib = next(c for c in a.claims if c.mention.text == "سراقب")
    assert saraqib.kind.value == "captured"
    kafr_zita = next(c for c in a.claims if c.mention.text == "Kafr Zita")
    assert str(kafr_zita.date) == "2020-04-11"  # "on Saturday" before a Sunday report
    assert kafr_zita.actors == ["Syrian government forces"]  # "government artillery"


# --- checks -----------------------------------------------------------------------------------

def test_checks_distance_direction_near_and_border(analyse) -> None:
    a = analyse("checks.txt")
    by_place = {f.subject.text: m for f, m in a.checks}
    assert by_place["Atarib"].agrees  # 31 km WSW for "30 km west"
    assert round(by_place["Atarib"].distance_km) == 31
    assert not by_place["Saraqib"].agrees  # 17 km ESE, not "40 km south"
    assert by_place["Saraqib"].compass == "east-south-east"
    assert by_place["Kafr Halab"].check.relation == "near" and by_place["Kafr Halab"].agrees
    assert by_place["Bab al-Hawa"].check.relation == "border" and by_place["Bab al-Hawa"].agrees


def test_darat_izza_is_29_km_west_north_west_of_aleppo(analyse) -> None:
    a = analyse("frontline-idlib.md")
    (found, measured), = a.checks
    assert found.subject.text == "Darat Izza"
    assert found.check.km == 30 and found.check.direction == "west"
    assert 28.5 < measured.distance_km < 29.9
    assert measured.compass == "west-north-west" and measured.agrees
    # the same distance with geopy's geodesic, independently
    d, i = found.subject.resolution.place, next(
        m for m in a.mentions if m.text == "Aleppo" and m.role == "location").resolution.place
    assert abs(geodesic((d.lat, d.lon), (i.lat, i.lon)).km - measured.distance_km) < 0.01
    target = next(c for c in a.claims if c.mention.text == "Darat Izza")
    assert target.checks and target.checks[0].said == "30km west of Aleppo"


def test_bearings_and_compass() -> None:
    a, b = Place("a", "A", 0.0, 0.0), Place("b", "B", 1.0, 0.0)
    km, bearing = measure_geodesic(a, b)
    assert round(km) == 111 and round(bearing) == 0 and compass(bearing) == "north"
    assert compass(measure_geodesic(b, a)[1]) == "south"


# --- the command ------------------------------------------------------------------------------

def test_extract_writes_a_draft_that_builds(tmp_path) -> None:
    draft, html = tmp_path / "draft.yaml", tmp_path / "map.html"
    r = CliRunner().invoke(main, ["extract", str(REPORTS / "frontline-idlib.md"), "-o", str(draft)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"wrote {draft}: ")
    data = yaml.safe_load(draft.read_text())
    assert data["report"]["title"] == "Army Closes In On Darat Izza"
    assert data["report"]["country"] == "SY"
    names = {n["name"] for n in data["not_places"]}
    assert {"Damascus", "Ankara", "Moscow", "Russia", "Turkey", "Astana"} <= names
    for claim in data["claims"]:
        assert "extract" in claim["note"]  # says where it came from
    b = CliRunner().invoke(main, ["build", str(draft), "-o", str(html), "--no-tiles"])
    assert b.exit_code == 0, b.output
    n = len(data["claims"])
    assert f"{n} of {n} claims mapped" in b.output
    page = html.read_text()
    assert "30km west of Aleppo" in page and "west-north-west" in page


def test_extract_json_shape(tmp_path) -> None:
    r = CliRunner().invoke(main, ["extract", str(REPORTS / "checks.txt"), "--json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) >= {"report", "mentions", "claims", "checks"}
    m = data["mentions"][0]
    assert set(m) >= {"text", "start", "end", "role", "place"}
    assert m["place"]["lat"] and m["place"]["lon"]
    text = (REPORTS / "checks.txt").read_text()
    assert all(text[x["start"]:x["end"]] == x["text"] for x in data["mentions"])
    assert {c["agrees"] for c in data["checks"]} == {True, False}


def test_extract_errors_name_the_file_and_keep_the_old_draft(tmp_path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text("kept\n")
    for bad, message in [(tmp_path / "missing.txt", "file not found"),
                         (tmp_path / "empty.txt", "file is empty, expected a report (text, Markdown or HTML)")]:
        if bad.name == "empty.txt":
            bad.write_text("  \n")
        r = CliRunner().invoke(main, ["extract", str(bad), "-o", str(draft)])
        assert r.exit_code == 2
        assert r.output.strip() == f"conflictmap: error: {bad}: {message}"
    assert draft.read_text() == "kept\n"
    r = CliRunner().invoke(main, ["extract", str(REPORTS / "kinds.txt"), "-o", str(tmp_path / "d.txt")])
    assert r.exit_code == 2 and "write .yaml" in r.output


@pytest.mark.skipif(not SHARED_REPORT.is_file(), reason="the shared evaluation report is not here")
def test_the_bundled_south_front_report(gazetteer, matcher) -> None:
    a = extract(read_document(SHARED_REPORT), gazetteer, matcher=matcher)
    got = roles(a)
    for name in ("Darat Izza", "Sheikh Aqil", "Mount Simeon District"):
        assert (name, "location") in got or (name, "region") in got
    for name in ("Damascus", "Ankara", "Moscow", "Russia", "Turkey"):
        assert (name, "actor") in got
    assert ("Astana", "other") in got
    (found, measured), = a.checks
    assert round(measured.distance_km) == 29 and measured.compass == "west-north-west"
    kinds = {(c.kind.value, place_name(c.mention)) for c in a.claims}
    assert {("retreat", "Sheikh Aqil"), ("target", "Darat Izza"), ("control", "Darat Izza"),
            ("movement", "Mount Simeon District")} <= kinds


def test_role_scores_count_wrong_and_missing_roles() -> None:
    from conflictmap.extract.score import score_roles

    text = "Ankara and Idlib and Idlib"
    gold = {"r": [("Ankara", 1, "actor"), ("Idlib", 1, "location"), ("Idlib", 2, "location")]}
    predicted = {"r": (text, [(0, "actor"), (11, "other")])}  # one wrong, one missing
    s = score_roles(gold, predicted)
    assert (s.precision(), s.recall()) == (0.5, 1 / 3)
    assert (s.precision("actor"), s.recall("location")) == (1.0, 0.0)


def test_a_sentence_wrapped_over_lines_is_one_sentence(gazetteer) -> None:
    text = ("Rebels Take Ground Near Goma\n"
            "Goma, 2 March 2024. Rebels advanced towards Sake, west of Goma, on Saturday, residents\n"
            "said. The army said it had retaken Kitshanga in North Kivu province, a claim the rebels\n"
            "rejected.\n")
    doc = parse_text(text)
    assert [b.kind for b in doc.blocks] == ["title", "body"]  # the headline stays apart
    a = extract(text, gazetteer)
    [capture] = [c for c in a.claims if c.kind.value == "captured"]
    assert capture.mention.text == "Kitshanga" and capture.prospect  # the denial is read
    assert not any(c.mention.text == "Sake" and c.kind.value == "captured" for c in a.claims)
