"""Geoparsing the next report (issue 12): no confident wrong answers, more kinds of
places, names as the news writes them, context that decides, and held-out reports
annotated before the first run.

Since the learned ranker (issue 26), ``resolved`` means sure at 98 % out of fold; where these
tests ask that a name gets its right place, they ask that the answer is ``likely`` (resolved,
or the ranker's probability at least one half), as ``resolved`` meant before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from shapely import wkt
from shapely.geometry import Point

from conflictmap.cli import main
from conflictmap.evaluate import score_reports
from conflictmap.extract import draft_report, extract
from conflictmap.gazetteer import Context
from conflictmap.gazetteer.document import Occurrence, resolve_occurrences
from conflictmap.gazetteer.rank import features
from conflictmap.gazetteer.ranker import get_ranker
from conflictmap.gazetteer.regions import read_regions, region_shape
from conflictmap.geography import default_geography
from conflictmap.model import Feature, Place, Status
from conflictmap.resources import geodata_dir

REPORTS = Path(__file__).parent / "data" / "reports"


# --- 1. never a confident wrong point ---------------------------------------------

def test_a_fuzzy_spelling_is_never_resolved(gazetteer) -> None:
    r = gazetteer.resolve("Tabaivka", country="UA")  # no such village in the gazetteer
    assert r.status is not Status.RESOLVED
    assert "similar spelling" in r.reason


def test_a_country_hint_is_a_hard_filter(gazetteer) -> None:
    r = gazetteer.resolve("Ariha", country="SY")
    assert r.likely and r.place.country == "SY"
    # a small namesake abroad is no answer when the hinted country has none
    tina = gazetteer.resolve("Tina", country="SD")
    assert tina.status is not Status.RESOLVED
    assert "no place of this name in SD" in tina.reason
    # a country named in a report about another one stays the country
    assert gazetteer.resolve("Turkey", country="SY").likely


def test_a_code_among_other_names_is_not_a_word(gazetteer) -> None:
    assert not gazetteer.resolve("Mrs").located  # not Marseille (its airport code MRS)
    assert gazetteer.resolve("MRS").place.name == "Marseille"


def test_water_bodies_are_unresolved_not_towns(gazetteer) -> None:
    for name in ("Black Sea", "Orontes river"):
        r = gazetteer.resolve(name)
        assert r.status is Status.UNRESOLVED and "water bodies" in r.reason
    text = ("Russian forces crossed the Oskil river north of Kupiansk, the Ukrainian "
            "general staff said on Monday in Kyiv.")
    # the mention keeps the water's whole name, its feature word included
    oskil = next(m for m in extract(text, gazetteer).mentions if m.text == "Oskil river")
    assert oskil.resolution.status is Status.UNRESOLVED and "river" in oskil.resolution.reason
    # found on the Yemen report at its first run: the sea was Sudan's Red Sea state, and
    # "Bab" of the Bab el-Mandeb strait was al-Bab in Syria
    text = ("Ships avoided the Red Sea and the Bab el-Mandeb strait, officials in Aden said. "
            "Officials in Red Sea state met in Port Sudan.\n")
    got = {m.text: m.resolution for m in extract(text, gazetteer).mentions}
    assert not got["Red Sea"].located and "names a sea" in got["Red Sea"].reason
    assert not got["Bab el-Mandeb strait"].located
    assert "Bab el-Mandeb strait" in got["Bab el-Mandeb strait"].reason
    assert got["Red Sea state"].place.country == "SD"  # the state, named as one


def test_a_unit_under_a_spelling_variant_only_in_the_documents_country(gazetteer) -> None:
    # "Shabwa province" is Yemen's Shabwah governorate in a report on Yemen; without a
    # context the consonant skeleton would match Sabah (Malaysia), so it stays unresolved
    assert not gazetteer.resolve("Shabwa province").located
    r = gazetteer.resolve("Shabwa province", country="YE")
    assert r.likely and r.place.name == "Shabwah"


# --- 2. more kinds of places ------------------------------------------------------

def test_regions_are_unions_of_the_units_they_are_defined_by(gazetteer) -> None:
    geo = default_geography()
    donbas = gazetteer.resolve("Donbas")
    assert donbas.likely and donbas.place.kind == "region"
    assert donbas.place.outline == "approximate" and "Donetsk and Luhansk" in donbas.place.source
    shape = wkt.loads(donbas.place.geometry_wkt)
    donetsk = geo.outline_of(geonameid=709716).shape
    assert shape.intersection(donetsk).area / donetsk.area > 0.95
    assert not shape.contains(Point(30.52, 50.45))  # Kyiv is not in the Donbas
    darfur = gazetteer.resolve("Darfur")
    assert darfur.place.country == "SD" and wkt.loads(darfur.place.geometry_wkt).contains(
        Point(25.35, 13.63))  # El Fasher
    for name, inside in (("Middle East", (36.2, 37.2)), ("Korean Peninsula", (37.57, 126.98))):
        r = gazetteer.resolve(name)
        assert r.likely, name
        assert wkt.loads(r.place.geometry_wkt).buffer(0.05).contains(Point(inside[1], inside[0]))


def test_every_region_member_exists_in_the_bundled_boundaries() -> None:
    regions = read_regions(geodata_dir() / "gazetteer" / "regions.csv")
    assert len(regions) >= 20
    for region in regions:
        assert region_shape(region, default_geography()) is not None, region.name
        assert region.definition


def test_a_bad_region_row_names_its_line(tmp_path) -> None:
    bad = tmp_path / "regions.csv"
    bad.write_text("name,names,adjectives,country,members,definition\n"
                   "Donbas,,,UA,709716|Luhansk,x\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_regions(bad)
    assert info.value.line == 2 and "members" in str(info.value)


def test_airports_by_the_names_reports_use(gazetteer) -> None:
    for name, airport in (("Heathrow", "London Heathrow Airport"),
                          ("Gatwick", "London Gatwick Airport"),
                          ("Pearson International Airport", "Toronto Pearson International Airport"),
                          ("Incirlik Air Base", "Incirlik Air Base")):
        r = gazetteer.resolve(name, context=Context(prefer=(("GB", 1.0),)) if "London" in airport
                              else None)
        assert r.located and r.place.name == airport and r.place.kind == "airport", (name, r.place)
        assert "airportsdata" in r.place.source


def test_a_town_is_not_the_airport_that_carries_its_name(gazetteer) -> None:
    # "Melbourne Orlando International Airport", "Wushan Chongqing Airport", "Newquay
    # Cornwall Airport", "Missoula Montana Airport": the bare name is the place
    for name, kind in (("Orlando", "populated place"), ("Chongqing", "populated place"),
                       ("Montana", "first-level area")):
        r = gazetteer.resolve(name)
        assert r.place.kind == kind and not any(c.place.kind == "airport" for c in r.candidates), name
    assert gazetteer.resolve("Cornwall").place.kind != "airport"
    mco = gazetteer.resolve("Orlando International Airport")
    assert mco.likely and mco.place.lon == pytest.approx(-81.31, abs=0.01)
    # a place known only by the airport named after it: "Bukavu Kavumu Airport" is at Kavumu
    kavumu = gazetteer.resolve("Kavumu")
    assert kavumu.place.kind == "airport" and kavumu.place.country == "CD"


def test_regional_phrasings_of_first_level_units(gazetteer) -> None:
    kursk = gazetteer.resolve("Kursk region")
    assert kursk.place.feature is Feature.AREA and kursk.place.country == "RU"
    assert kursk.place.outline == "boundary"
    assert wkt.loads(kursk.place.geometry_wkt).contains(Point(36.19, 51.73))  # the city
    for phrase in ("Kharkiv oblast", "Bryansk Oblast", "Idlib province"):
        r = gazetteer.resolve(phrase)
        assert r.likely and r.place.feature is Feature.AREA, phrase


# --- 3. names as the news uses them -----------------------------------------------

def test_country_and_unit_names_as_the_news_writes_them(gazetteer) -> None:
    # found on the DRC report (drc-goma.txt) at its first run: the article dropped from a
    # country's name made "Congo" inside it the Republic of the Congo, and the direction
    # of "North Kivu province" was read as a part of a "Kivu" that does not exist
    for query, country in (("Democratic Republic of Congo", "CD"), ("Republic of Congo", "CG")):
        r = gazetteer.resolve(query)
        assert r.likely and r.place.kind == "country" and r.place.country == country
    text = "Rebels entered Goma, Democratic Republic of Congo, the capital of North Kivu province.\n"
    got = {m.text: m.resolution.place for m in extract(text, gazetteer).mentions}
    assert got["Democratic Republic of Congo"].country == "CD"
    assert got["North Kivu province"].name == "Nord-Kivu"
    assert gazetteer.resolve("northern Idlib province").place.name == "northern Idlib province"


def test_the_first_part_of_a_province_named_a_and_b(gazetteer) -> None:
    r = gazetteer.resolve("Newfoundland")
    assert r.likely and r.place.name == "Newfoundland and Labrador"
    assert r.place.kind == "first-level area"

def test_demonyms_and_adjectives(gazetteer) -> None:
    expected = {"American": "United States", "European": "Europe", "Palestinian": "Palestinian Territory",
                "Kurdish": "Kurdistan Region", "French": "France"}
    for word, name in expected.items():
        r = gazetteer.resolve(word)
        assert r.likely and r.place.name == name, (word, r.place)


def test_kosovo_and_palestine_are_countries(gazetteer) -> None:
    for name, cc in (("Kosovo", "XK"), ("Palestine", "PS")):
        r = gazetteer.resolve(name)
        assert r.place.kind == "country" and r.place.country == cc


# Three answers the hand-set rules gave right and the learned ranker (issue 26) gives wrong:
# the news corpora it learned from hold few named regions, few bare "Washington"s meaning
# the capital, and no town that shares its name with a first-level unit far from it. Kept
# as strict expected failures, so that a model that gets them right again is noticed.
@pytest.mark.xfail(strict=True, reason="learned ranker: a first-level unit beats the region "
                                       "or the town of its name")
@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("Sahel", 12.6, -8.0),           # the region, not Burkina Faso's Sahel province
    ("Washington", 38.9, -77.04),    # the capital, not the state
])
def test_known_regressions_of_the_learned_ranker(gazetteer, name, lat, lon) -> None:
    r = gazetteer.resolve(name)
    assert r.place is not None and r.place.kind != "first-level area", r.place
    shape = wkt.loads(r.place.geometry_wkt) if r.place.geometry_wkt else None
    assert (shape is not None and shape.buffer(0.05).contains(Point(lon, lat))) or (
        abs(r.place.lat - lat) < 0.2 and abs(r.place.lon - lon) < 0.2)


@pytest.mark.xfail(strict=True, reason="learned ranker: Gao is taken for the Gao region")
def test_gao_is_the_town_in_a_report_on_mali(gazetteer) -> None:
    text = (REPORTS / "mali-kidal.txt").read_text(encoding="utf-8")
    got = {m.text: m.resolution for m in extract(text, gazetteer).mentions}
    assert got["Gao"].place is not None and got["Gao"].place.kind == "populated place"


def test_abbreviations_and_capitals(gazetteer) -> None:
    for abbr, cc in (("Ky.", "US"), ("W.Va.", "US"), ("B.C.", "CA"), ("N.S.W.", "AU")):
        r = gazetteer.resolve(abbr)
        assert r.likely and r.place.kind == "first-level area" \
            and r.place.country == cc, abbr


def test_a_name_qualified_by_its_state_province_or_country(gazetteer) -> None:
    for query, country, admin1 in (("London, Ont.", "CA", "08"), ("Paris, Texas", "US", "TX"),
                                   ("Athens, Ga.", "US", "GA"), ("Richmond, B.C.", "CA", "02"),
                                   ("Kherson, Ukraine", "UA", None)):
        r = gazetteer.resolve(query)
        assert r.likely and r.query == query, query
        assert r.place.country == country and admin1 in (None, r.place.admin1), (query, r.place)
    # the qualifier is a hard filter: no namesake elsewhere is given
    r = gazetteer.resolve("Atlantis, Texas")
    assert not r.located and "no place named 'Atlantis' in Texas" in r.reason


def test_the_extractor_places_a_name_inside_its_qualifier(gazetteer) -> None:
    text = ("Police in London, Ont. said a man from Athens, Ga. was held. Floods hit Dublin, "
            "Ohio. Ministers from Alberta, Saskatchewan and Manitoba met in Winnipeg.\n")
    got = {m.text: m.resolution.place for m in extract(text, gazetteer).mentions
           if m.resolution.located}
    assert (got["London"].country, got["London"].admin1) == ("CA", "08")
    assert (got["Athens"].country, got["Athens"].admin1) == ("US", "GA")
    assert (got["Dublin"].country, got["Dublin"].admin1) == ("US", "OH")
    assert got["Alberta"].kind == "first-level area"  # a list of provinces, not a qualifier
    # the same rule for names whose spans are given (evaluate, resolve_occurrences): the
    # Ohio context alone would make it London, Ohio
    text = "Police in Columbus, Ohio, Dayton, Ohio and London, Ont. said."
    spans = [Occurrence(w, text.index(w), text.index(w) + len(w))
             for w in ("Columbus", "Ohio", "Dayton", "London", "Ont.")]
    london = resolve_occurrences(gazetteer, spans, text)[3]
    assert (london.place.country, london.place.admin1) == ("CA", "08")
    # the names may be given in any order (TR-News lists them by name): the text decides
    shuffled = resolve_occurrences(gazetteer, spans[::-1], text)
    assert [r.place.key for r in shuffled[::-1]] == [
        r.place.key for r in resolve_occurrences(gazetteer, spans, text)]


def test_the_dateline_is_a_weak_prior_for_the_outlets_region(gazetteer) -> None:
    a = extract("GLASGOW, Ky. (WBKO) - A crash closed a road near Columbia on Friday.\n", gazetteer)
    got = {m.text: m.resolution for m in a.mentions}
    assert (got["GLASGOW"].place.country, got["GLASGOW"].place.admin1) == ("US", "KY")
    assert got["Columbia"].located and got["Columbia"].place.admin1 == "KY"
    assert "near where the report was filed" in got["Columbia"].reason
    # a capital word inside a sentence is no dateline
    b = extract("A crash closed a road near Columbia, police in GLASGOW, Ky. said.\n", gazetteer)
    assert all("filed" not in m.resolution.reason for m in b.mentions)


def test_a_home_prior_ranks_the_namesake_near_it() -> None:
    a = Place(key="a", name="Columbia", lat=37.10, lon=-85.31, country="US", admin1="KY")
    b = Place(key="b", name="Columbia", lat=34.00, lon=-81.03, country="US", admin1="SC")
    home = Context(home=(37.00, -85.91))  # Glasgow, Kentucky
    for ranker in (get_ranker("learned"), get_ranker("rules")):
        def score(place: Place, ctx: Context, ranker=ranker) -> float:
            return ranker.score(features(place, "primary", ctx))
        assert score(a, home) - score(b, home) > ranker.weight("near_home") / 2 > 0
        assert score(a, Context()) == score(b, Context())


# --- 4. context that decides ------------------------------------------------------

def test_the_capital_of_a_country_the_report_names(gazetteer) -> None:
    names = ["Georgetown", "Ky.", "France", "Paris", "Kentucky"]
    paris = gazetteer.resolve_many(names)[3]
    assert paris.place.country == "FR"


def test_namesakes_with_the_other_names_around_them(gazetteer) -> None:
    london = gazetteer.resolve_many(["Edmonton", "London", "Enfield", "Tottenham"])
    assert [r.place.country for r in london[:1]] == ["GB"]
    alberta = gazetteer.resolve_many(["Edmonton", "Calgary", "Red Deer"])
    assert alberta[0].place.country == "CA"


# --- 5/6. recognition and claims on other conflicts --------------------------------

def test_a_neighbouring_country_named_in_the_report(gazetteer) -> None:
    text = (REPORTS / "sudan-darfur.txt").read_text(encoding="utf-8")
    found = {m.text: m for m in extract(text, gazetteer).mentions}
    assert found["Adre"].resolution.place.country == "TD"  # the crossing into Chad


def test_places_the_gazetteer_does_not_know_are_unresolved_mentions(gazetteer, tmp_path) -> None:
    text = ("Rebels captured the village of Kfar Nabudah in Idlib province. Shelling was reported "
            "near Qmenas and in the Dummyhol camp. Aid reached Zzyzx Oblast.\n")
    a = extract(text, gazetteer)
    found = {m.text: m for m in a.mentions}
    for name, cue in (("Kfar Nabudah", "village of"), ("Qmenas", "near"),
                      ("Dummyhol", "camp"), ("Zzyzx", "oblast")):
        m = found[name]
        assert m.resolution.status is Status.UNRESOLVED and not m.resolution.located, name
        assert "not in the offline gazetteer" in m.resolution.reason and cue in m.resolution.reason
    # a similar spelling (the Tabaivka, 400 km from Taborivka) is named in the
    # reason, never given as the position
    taborivka = extract("Russian forces entered the village of Tabaivka in Kharkiv oblast.",
                        gazetteer, country="UA")
    m = next(m for m in taborivka.mentions if m.text == "Tabaivka")
    assert not m.resolution.located and "a similar spelling: Taborivka (UA)" in m.resolution.reason
    claim = next(c for c in a.claims if c.mention.text == "Kfar Nabudah")
    assert claim.kind.value == "captured"
    draft = tmp_path / "draft.yaml"
    a.save_draft(draft)
    drafted = yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"]
    note = next(c["note"] for c in drafted if c["place"] == "Kfar Nabudah")
    assert "Kfar Nabudah is not in the offline gazetteer" in note
    result = CliRunner().invoke(main, ["build", str(draft), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 0 and "not located: Kfar Nabudah" in result.output


def test_weak_cues_and_other_names_are_not_taken_for_places(gazetteer) -> None:
    text = ("The law passed in Congress after a speech in Arabic. Talks were held near "
            "President Obuya at FIFA headquarters. The Lincoln School District and the town of "
            "Fort McMurray closed schools.\n")
    unknown = [m.text for m in extract(text, gazetteer).mentions if m.cue]
    assert unknown == []


def test_contractions_and_abbreviations_are_no_places(gazetteer) -> None:
    # TR-News end to end: "I've", "I'd", "Dec.", "Gov.", a lone "St." were taken for places
    text = ("I've seen it, I'd say. On Dec. 3 Gov. Brown visited St. Thomas, Ont., and Fort "
            "St. John in British Columbia.\n")
    got = {m.text: m.resolution.place for m in extract(text, gazetteer).mentions}
    assert not {"I've", "I", "I'd", "Dec", "Gov", "St", "Brown"} & set(got)
    assert got["St. Thomas"].country == got["Fort St. John"].country == "CA"
    # an unknown name after "St." or "Mt." is found whole by its cue
    found = [m.text for m in extract("Shelling hit the town of St. Zzyzx near Mt. Qqrr.\n",
                                     gazetteer).mentions]
    assert found == ["St. Zzyzx", "Mt. Qqrr"]


def test_a_name_after_a_locative_is_no_speaker(gazetteer) -> None:
    # found on the Lebanon report at its first run: "X said" made the town a person
    text = "UN peacekeepers in Naqoura said two of their posts near Tyre had been damaged.\n"
    found = {m.text: m for m in extract(text, gazetteer).mentions}
    assert found["Naqoura"].resolution.place.country == "LB"
    assert "Naqoura" not in [m.text for m in extract("Naqoura said it would stay.\n").mentions]


def test_reference_points_are_not_the_subject_of_a_claim(gazetteer) -> None:
    text = ("KYIV, March 3 (Wire) - Russian forces captured Novoselivka, a village north of "
            "Avdiivka, the defence ministry said on Monday.\n\n"
            "Militants seized an industrial town north of Pokrovsk, the army said.\n\n"
            "Russian troops besieged the city of Kupiansk on Tuesday, a spokesman said.\n")
    report = draft_report(extract(text, gazetteer))
    kinds = {c.place_refs[0].name: c.kind.value for c in report.claims}
    assert kinds["Novoselivka"] == "captured" and kinds["Kupiansk"] == "besieged"
    assert kinds.get("Avdiivka", "mention") == "mention"
    assert kinds.get("Pokrovsk", "mention") == "mention"


# --- held-out reports, annotated before the first run ------------------------------

def test_held_out_wire_reports(gazetteer) -> None:
    unexplained: list = []
    rows = score_reports(REPORTS / "places-gold.tsv", gazetteer, unexplained)
    files = {g.file for g, _, _ in rows}
    assert len(files) >= 3 and len(rows) >= 60
    right = sum(ok for _, _, ok in rows)
    # twenty-eight reports of other conflicts, each annotated before its first run: 527/538 =
    # 98.0 % under the hand-set rules, 525/538 = 97.6 % under the learned ranker
    # (the third round, Myanmar, Ethiopia and Gaza, scored 68/70 at its first run;
    # the fourth, Haiti, Burkina Faso and Somalia, 47/51; the fifth, Nigeria, Mozambique,
    # Libya and Colombia, 63/68; the sixth, Iraq, Karabakh, South Sudan, 55/56; the seventh,
    # Ukraine, Niger, Pakistan, 53/57; the eighth, Sudan, CAR, Syria, 42/47; the ninth,
    # Mexico, Russia, Ethiopia, 46/52). Ten of the eleven misses are seas, rivers, a strait,
    # lakes and a reservoir, which no offline source names; the eleventh (Shire) GeoNames
    # knows only under a longer name
    first_round = [ok for g, _, ok in rows if g.file in
                   ("sudan-darfur.txt", "ukraine-pokrovsk.txt", "mali-kidal.txt")]
    # 64/67 under the hand-set rules; 63/67 under the learned ranker, which takes Gao for the
    # Gao region (test_gao_is_the_town_in_a_report_on_mali, an expected failure)
    assert sum(first_round) >= 63
    assert right / len(rows) >= 0.95, [(g.text, r.place and r.place.name) for g, r, ok in rows if not ok]
    # a miss is never a wrong point: it is unresolved with its reason, or not found
    # (but for Gao, the learned ranker's known regression: the region, 330 km from the town)
    assert [g.text for g, r, ok in rows if not ok and r is not None and r.located] in ([], ["Gao"])
    # few places drawn that no gold place explains (now three: "Russia" and the headline's
    # "Eastern Congo", places the first rounds' annotation left out, and "Sinaloa" of
    # "the Sinaloa cartel", drawn as the state)
    assert len(unexplained) <= 0.02 * len(rows), [(f, m.text) for f, m in unexplained]


def test_regions_and_airports_are_package_data() -> None:
    for name in ("regions.csv", "airports.csv", "continent_names.csv", "abbreviations.csv"):
        path = geodata_dir() / "gazetteer" / name
        assert path.is_file() and path.stat().st_size < 5_000_000


def test_a_map_of_regions_and_airports_credits_their_sources(tmp_path) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        "report:\n  title: Invented test report\n  outlet: test\n  published: 2024-05-01\n"
        "claims:\n"
        "  - {id: t1, kind: control, date: 2024-05-01, actors: [Party A], place: Donbas,\n"
        "     summary: invented}\n"
        "  - {id: t2, kind: target, date: 2024-05-01, actors: [Party B], place: Gatwick,\n"
        "     summary: invented}\n", encoding="utf-8")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", str(claims), "-o", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "airportsdata" in html and "conflictmap definitions over Natural Earth units" in html


def test_a_sentence_opening_word_that_only_looks_like_a_spelling_of_a_place_is_no_place(
        gazetteer) -> None:
    text = ("Israeli tanks entered Rafah. Air strikes hit Khan Younis, officials said. "
            "Aid agencies said the crossing at Kerem Shalom was shut.")
    a = extract(text, gazetteer)
    assert {m.text for m in a.mentions} >= {"Rafah", "Khan Younis"}
    assert not {"Air", "Aid"} & {m.text for m in a.mentions}
    why = {m.text: m.why for m in a.rejected}
    assert "spelling variant" in why["Air"] and "spelling variant" in why["Aid"]


def test_a_township_or_locality_is_the_unit_of_that_name_or_unresolved(gazetteer) -> None:
    a = extract("The Arakan Army held most of Maungdaw township. Fighting went on in Kutum "
                "locality, in North Darfur.", gazetteer)
    got = {m.text: m.resolution for m in a.mentions}
    assert got["Maungdaw township"].place.name == "Maungdaw District"
    kutum = got["Kutum locality"]
    assert not kutum.located and "no administrative unit named 'Kutum'" in kutum.reason
    assert "Kutum (SD)" in kutum.reason  # the town is named, not given as the unit's position


def test_claims_on_other_conflicts_name_the_party_that_acts(gazetteer) -> None:
    def claims(text: str) -> dict:
        return {c.mention.text: c for c in extract(text, gazetteer).claims}

    gaza = claims("Israeli tanks moved into the eastern part of Rafah and took control of the "
                  "Gaza side of the crossing with Egypt, Palestinian officials said on May 7.")
    rafah = gaza["eastern part of Rafah"]
    assert rafah.kind.value == "advance" and rafah.actors == ["Israeli armed forces"]
    # "May 7" is a date, not a hedge; Egypt only names the crossing
    assert gaza["Gaza"].kind.value == "captured" and not gaza["Gaza"].prospect
    assert "Egypt" not in gaza or gaza["Egypt"].kind.value == "mention"
    amhara = claims("Ethiopia's government declared an emergency in Amhara after militia "
                    "fighters took control of Lalibela. Thousands fled from Gondar into Sudan.")
    assert amhara["Lalibela"].actors == ["Militias (unnamed)"]  # not the government
    assert all(c.kind.value != "retreat" for c in amhara.values())  # people fled
    darfur = claims("The Rapid Support Forces pushed into El Fasher in North Darfur, the last "
                    "city in Darfur still held by the Sudanese Armed Forces.")
    assert darfur["El Fasher"].kind.value == "advance"
    assert darfur["El Fasher"].actors == ["Rapid Support Forces"]


def test_names_in_another_spelling_or_a_hyphened_compound(gazetteer) -> None:
    text = ("Somalia: al-Shabaab retakes towns in Middle Shabelle as offensive stalls\n\n"
            "MOGADISHU (Test Wire) - President Hassan Sheikh Mohamud said troops moved from "
            "Baidoa to Lower Shabelle.\n\n"
            "In Haiti, gangs took Kenscoff, above Pétion-Ville, and residents of "
            "Petite-Rivière-de-l'Artibonite fled to Gonaïves.\n")
    a = extract(text, gazetteer)
    got = {m.text: m.resolution.place for m in a.mentions if m.resolution and m.resolution.located}
    # capitalised runs no exact key matches: kept only as a place of the report's countries
    assert got["Middle Shabelle"].name == "Shabeellaha Dhexe"  # a sentence-case headline
    assert got["Lower Shabelle"].name == "Shabeellaha Hoose"
    assert got["Pétion-Ville"].name == "Pétionville"  # not "Ville", an airport's short name
    assert not any("Hassan" in t or "Mohamud" in t for t in got)  # a person is no place
    # "Petite-Rivière" of the Artibonite town is not Petite Rivière in Mauritius
    assert all(p.country != "MU" for p in got.values())
    # two names joined by a hyphen stay two names (the particles are lower-case)
    pair = extract("Shelling closed the Syria-Lebanon border and the Aleppo-Deir ez-Zor road.",
                   gazetteer)
    assert [m.text for m in pair.mentions] == ["Syria", "Lebanon", "Aleppo", "Deir ez-Zor"]


def test_fifth_round_errors_stay_fixed(gazetteer) -> None:
    # each found on the fifth round of held-out reports at its first run
    text = ("Nigeria: attack in Borno\n\n"
            "MAIDUGURI, Nigeria (Test Wire) - Fighters of the Islamic State West Africa Province "
            "overran a base near Marte. Residents of Bama and Gwoza said they heard gunfire. "
            "The task force includes troops from Chad, Niger and Cameroon. Troops entered the "
            "town of Dikwa Monday.\n\n"
            "In Tripoli, clashes spread to the district of Ain Zara.\n")
    a = extract(text, gazetteer)
    got = {m.text: m for m in a.mentions}
    # "residents of Bama and Gwoza said": the places of a list after "of" are no speakers
    assert got["Gwoza"].resolution.place.country == "NG"
    # in a list of countries, "Niger" is the country, not Nigeria's Niger State
    assert got["Niger"].resolution.place.kind == "country"
    assert got["Niger"].resolution.place.country == "NE"
    # a branch of an armed group named after a region is no place of events
    assert got["West Africa Province"].role == "other"
    # a weekday after a name is no part of it
    assert got["Dikwa"].role == "location"
    # a cued run that begins with a known one-word name is one unknown name, not the
    # French department of Ain
    assert "district of Ain Zara" in got
    assert not got["district of Ain Zara"].resolution.located
    assert all(m.resolution is None or not m.resolution.located
               or m.resolution.place.country != "FR" for m in a.mentions)


def test_an_ambiguous_name_far_from_the_report_is_not_given_a_position(gazetteer) -> None:
    text = ("PEMBA, Mozambique (Test Wire) - Insurgents advanced from Macomia to Montepuez and "
            "Mocímboa da Praia. In Palma, near the border with Tanzania, the gas project stayed "
            "on hold, a spokeswoman said in Paris.\n")
    got = {m.text: m.resolution for m in extract(text, gazetteer).mentions}
    # Palma in Spain and in Brazil are both far from the report's places: unresolved, with why
    assert not got["Palma"].located
    assert "far from the report's places" in got["Palma"].reason
    # a capital far away that the text names clearly stays resolved
    assert got["Paris"].place.country == "FR"


def test_congo_korea_and_country_abbreviations_as_news_writes_them(gazetteer) -> None:
    # "Eastern Congo" in a report on Goma had become the Republic of the Congo
    text = ("Eastern Congo: rebels push south\n\n"
            "GOMA, Democratic Republic of Congo (Test Wire) - Rebels took Goma and Bukavu.\n")
    got = {m.text: m.resolution.place for m in extract(text, gazetteer).mentions}
    assert got["Eastern Congo"].country == "CD"
    assert list(got) == ["Eastern Congo", "GOMA", "Democratic Republic of Congo", "Goma", "Bukavu"]
    # where the report's places lie in the Republic of the Congo, "Congo" is that country
    brazzaville = extract("BRAZZAVILLE - Congo voted in Pointe-Noire and Dolisie.\n", gazetteer)
    assert {m.resolution.place.country for m in brazzaville.mentions} == {"CG"}
    # "of" and "the" inside a name stay in an area phrase's name
    r = gazetteer.resolve("eastern Democratic Republic of the Congo")
    assert r.located and r.place.country == "CD"
    assert gazetteer.resolve("northern Bosnia and Herzegovina").place.country == "BA"
    # abbreviations news gives countries; "Korea" alone is the peninsula, not a village
    for name, iso in (("DRC", "CD"), ("UAE", "AE"), ("KSA", "SA"), ("DPRK", "KP")):
        assert gazetteer.resolve(name).place.country == iso, name
    assert gazetteer.resolve("Korea").place.name == "Korean Peninsula"


def test_a_known_word_that_opens_a_longer_unknown_name(gazetteer) -> None:
    # "Bulo" and "Nur" are names the gazetteer knows; the texts name longer places
    a = extract("Al-Shabaab fighters retook Bulo Burte on Monday, officials said. In the West "
                "Bank, troops raided Jenin and the Nur Shams camp near Tulkarm.\n", gazetteer)
    got = {m.text: m.resolution for m in a.mentions}
    assert got["Bulo Burte"].place.country == "SO"  # Buulobarde, by its spelling variant
    assert "Nur Shams" in got and not got["Nur Shams"].located  # a camp no source has
    assert not [m.text for m in a.rejected if m.text in ("Bulo", "Nur")]


def test_sixth_round_errors_stay_fixed(gazetteer) -> None:
    # found on the sixth round of held-out reports at its first run
    text = ("ERBIL, Iraq (Test Wire) - Turkish drones struck PKK-linked fighters near Sinjar and "
            "Mosul. In Syria, Kurdish-led forces said a drone hit a car near Qamishli.\n\n"
            "JUBA (Test Wire) - Fighting broke out in Nasir, in Upper Nile state, and near "
            "Malakal.\n")
    a = extract(text, gazetteer)
    got = {m.text: m for m in a.mentions}
    rejected = {m.text: m.why for m in a.rejected}
    # an acronym in capitals is no town it matches only by a code ("PKK", Pakokku's)
    assert "PKK" not in got and rejected["PKK"].startswith("an acronym")
    # a place name made an adjective by a participle is no place of events
    assert got["Kurdish"].role == "other"
    # "X, in Y state": a name qualified by a unit is looked for in it, and unresolved when
    # no place of that name lies there (not Nasir Extension, a Khartoum neighbourhood)
    assert not got["Nasir"].resolution.located
    assert "Upper Nile" in got["Nasir"].resolution.reason
    # a big city's abbreviation is known anywhere
    nyc = extract("NEW YORK - Crowds in NYC marched, and in Chicago.\n", gazetteer)
    assert "NYC" in [m.text for m in nyc.mentions]


def test_seventh_round_errors_stay_fixed(gazetteer) -> None:
    # found on the seventh round of held-out reports at its first run
    text = ("ZAPORIZHZHIA, Ukraine (Test Wire) - Russian forces attacked Huliaipole and Orikhiv. "
            "The agency in Vienna reported the blast. Moscow did not comment. Kyiv has asked "
            "Washington and Berlin for more air defence systems.\n")
    got = {m.text: m.resolution.place for m in extract(text, gazetteer).mentions
           if m.resolution and m.resolution.located}
    # a small town named like a great capital (Vienna, Virginia, near Washington; a Russian
    # village Berlin) is meant only where the text names places around it
    assert got["Vienna"].country == "AT" and got["Berlin"].country == "DE"
    # with places around it, the namesake still wins ("Vienna, near Fairfax and Reston")
    local = extract("FAIRFAX, Va. - Police in Vienna, Reston and Herndon closed roads.\n", gazetteer)
    assert {m.text: m.resolution.place.country for m in local.mentions}["Vienna"] == "US"
    # a unit whose GeoNames name carries its unit word is found by its bare name
    r = gazetteer.resolve("Kurram")
    assert r.place.name == "Kurram District" and r.place.country == "PK"


def test_eighth_round_errors_stay_fixed(gazetteer) -> None:
    # found on the eighth round of held-out reports at its first run
    text = ("EL OBEID, Sudan (Test Wire) — RSF fighters attacked En Nahud and Babanusa in West "
            "Kordofan. Drones struck fuel depots in Kosti, on the White Nile. Refugees from "
            "Sudan's Darfur region arrived.\n")
    got = {m.text: m.resolution for m in extract(text, gazetteer).mentions}
    # a sun-letter article written apart inside a sentence ("En Nahud" = An Nuhūd)
    assert got["En Nahud"].place.country == "SD"
    # a town or unit "on the X" at the end of a clause is named as a river
    assert not got["White Nile"].located and "river" in got["White Nile"].reason
    # a possessive ends a name: "Sudan's Darfur region" is Sudan and Darfur
    assert got["Sudan"].place.kind == "country" and got["Darfur region"].located
    # a known one-word name followed by an unknown capitalised word is tried as a compound
    # in another spelling ("Tal Tamr" = GeoNames' Tall Tamr)
    syria = extract("BEIRUT — Turkish drones hit targets in Tal Tamr and near Qamishli and "
                    "Hasakah, in northeastern Syria.\n", gazetteer)
    assert {m.text: m.resolution.place.country for m in syria.mentions}["Tal Tamr"] == "SY"
    # "on the ... front" is no river
    front = extract("Fighting continued on the Zaporizhzhia front and in Kherson.\n", gazetteer)
    assert all(m.resolution.located for m in front.mentions)


def test_ninth_round_errors_stay_fixed(gazetteer) -> None:
    # found on the ninth round of held-out reports at its first run
    text = ("CULIACÁN, Mexico (Test Wire) — Gunmen clashed in Culiacán and Navolato. The defence "
            "ministry in Mexico City sent troops to Sinaloa. Officials in El Paso, Texas, said "
            "they were watching the border.\n")
    got = {m.text: m for m in extract(text, gazetteer).mentions}
    # a country's own name is the country, not the capital that also bears it
    assert got["Mexico"].resolution.place.kind == "country"
    # "El Paso, Texas": the name after the comma is the state, and it places the city
    assert got["Texas"].resolution.place.kind == "first-level area"
    assert got["Texas"].resolution.place.country == "US"
    assert got["El Paso"].resolution.place.country == "US"
    # an area phrase on a far namesake is no answer either ("parts of Raya", Rāya in India)
    tigray = extract("MEKELLE, Ethiopia — Militias hold Alamata and parts of Raya, near Mekelle "
                     "and Adigrat.\n", gazetteer)
    raya = next(m for m in tigray.mentions if "Raya" in m.text)
    assert not raya.resolution.located


def test_a_landform_word_before_a_name_keeps_it_from_the_town_or_country(gazetteer) -> None:
    """Issue 26, item 3 (in part): "Mount Cameroon" is no country and "Jabal Sinjar" no town;
    with no mountain in the offline data, the name is kept unresolved with the whole phrase."""
    a = extract("Separatists fired on troops near Mount Cameroon, west of Buea. Fighters "
                "moved towards Jabal Sinjar. Rebels crossed Wadi Howar.\n", gazetteer)
    got = {m.text: m.resolution for m in a.mentions}
    assert not got["Mount Cameroon"].located
    assert "names a mountain (Mount Cameroon)" in got["Mount Cameroon"].reason
    assert not got["Jabal Sinjar"].located and "(Jabal Sinjar)" in got["Jabal Sinjar"].reason
    # the whole name is the mention, a place an analyst can put on the map, with its claims
    roles = {m.text: m.role for m in a.mentions}
    assert roles["Mount Cameroon"] == roles["Jabal Sinjar"] == "location"
    assert not got["Wadi Howar"].located  # no source knows "Howar": the whole phrase is the name
    assert got["Buea"].located and got["Buea"].place.country == "CM"
    # a name that holds the word is matched whole, as before
    b = extract("Shelling hit villages in the Mount Simeon District.\n", gazetteer)
    assert [m.resolution.located for m in b.mentions if m.text == "Mount Simeon District"] == [True]
    # water: the whole phrase, kept unresolved with its reason (not a person, not a town)
    c = extract("M23 rebels captured Minova on the shore of Lake Kivu. Troops crossed the Amu "
                "Darya near Termez. Boats on the Euphrates River were hit.\n", gazetteer)
    water = {m.text: m.resolution for m in c.mentions}
    assert "names a lake (Lake Kivu)" in water["Lake Kivu"].reason
    assert "names a river (Amu Darya)" in water["Amu Darya"].reason
    assert "names a river (Euphrates River)" in water["Euphrates River"].reason
    assert not any(r.located for r in (water["Lake Kivu"], water["Amu Darya"]))
