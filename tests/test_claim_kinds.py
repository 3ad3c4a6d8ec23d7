"""Claims as conflict reports make them (issue 22): strikes and clashes end to end, what
is denied or demanded, what the verb governs, references back and bearings, measured on
six reports annotated before their first run (tests/data/claims/)."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from conflictmap.cli import main
from conflictmap.extract import extract
from conflictmap.kinds import ClaimKind

from .claims_gold import DATA, score, table


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_claim_reports_annotated_before_their_first_run(gazetteer) -> None:
    """The first six reports' first run (before the work of issue 22): 10 of 33 held,
    precision 0.333, recall 0.120. The three written later (Marib, Kidal, Cabo Delgado)
    first ran on the code of that time: 10 of 18, precision 0.833, recall 0.417. The three
    after them (Amhara, Haiti, Karabakh): 13 of 19, precision 0.667, recall 0.571; the last
    three (Hiran, Burkina Faso, Borno): 15 of 19, precision 0.900, recall 0.750; the fifth
    round (Rakhine, Kordofan, Catatumbo): 16 of 18, precision 1.000, recall 0.818; the sixth
    (Tripoli, Mosul, Donetsk): 22 of 27, precision 0.923, recall 0.706; the seventh (Gaza,
    Hama, Hodeidah): 17 of 23, precision 0.769, recall 0.667. Now 156 of 157, precision
    1.000, recall 0.991. The eighth (Khartoum, Laukkai, Tillaberi): 11 of 19, precision
    0.625, recall 0.385; the ninth (Zaporizhzhia, Tigray, Kirkuk): 20 of 26, precision 0.846,
    recall 0.733; the tenth (Ituri, Kherson, Cauca): 15 of 22, precision 0.500, recall 0.556.
    The eleventh (al-Watiya, Konna, Kashmir): 19 of 27, precision 0.545, recall 0.600.
    The twelfth (Aden, the Armenian border, Tikrit): 29 of 34, precision 0.895, recall 0.850.
    The thirteenth (Kunduz, Debaltseve, Palmyra): 18 of 22 as annotated, precision 0.750,
    recall 0.900 (two expectations were then corrected to the first round's convention for
    roads; see the README). The fourteenth (Sirte, Soledar, N'Djamena): 13 of 23, precision
    0.778, recall 0.438. The fifteenth (Lashkar Gah, Kismayo, Myawaddy): 21 of 23,
    precision 0.818, recall 1.000. The sixteenth (Bukavu, Wad Madani, Aleppo): 19 of 24,
    precision 0.667, recall 0.667. The seventeenth (Fallujah, Bor, Avdiivka): 17 of 23,
    precision 0.875, recall 0.583. The eighteenth (Kobani, Bint Jbeil, El Geneina): 13 of 24,
    precision 0.545, recall 0.462. The nineteenth (Ramadi, Benghazi, Mariupol): 20 of 24,
    precision 0.867, recall 0.867. The twentieth (Grozny, Beni, Tal Afar): 16 of 21,
    precision 1.000, recall 0.583. The twenty-first (Qusayr, Timbuktu, Misrata): 20 of 24,
    precision 0.923, recall 0.800. The twenty-second (Gori, Bangui, al-Bab): 13 of 22 as
    annotated, precision 0.600, recall 0.500 (one expectation then corrected to the earlier
    rounds' convention: driven out of a place is a retreat there). The twenty-third (Knin,
    Juba, Nahr al-Bared): 20 of 24, precision 0.857, recall 0.667. The twenty-fourth
    (Zamboanga, Kargil, Barentu): 17 of 21, precision 0.750, recall 0.750. The twenty-fifth
    (Botlikh, Mogadishu, Saada): 18 of 23 as annotated, precision 0.750, recall 0.600 (one
    expectation then corrected to the convention of bint-jbeil.txt: a strike inside a country
    named only by the country is a strike there). The twenty-sixth (Culiacán, Menaka,
    Ilovaisk): 12 of 16, precision 0.778, recall 0.778. The twenty-seventh (Gharyan, Ghazni,
    Irpin): 17 of 19, precision 0.909, recall 0.909. The twenty-eighth (Sievierodonetsk,
    Raqqa, Bunagana): 14 of 20, precision 0.750, recall 0.500. The twenty-ninth (Kupiansk,
    Sinjar, Kombolcha): 16 of 17, precision 1.000, recall 0.875. Now 642 of 655. The
    misses left: "near Tyre, 15 km north of the
    border" (a distance from an unnamed border, not read); "near Donetsk airport", drawn
    as a clash near Donetsk where the annotation names the airport; two buildings named
    after something else ("the Ouagadougou conference hall", "the Ibn Sina hospital"); and
    "air strikes on Idlib city", drawn at "Idlib city", which the scorer does not match to
    "Idlib" ("Gaza City" is not "Gaza"); "the northern Jolan district", drawn as a
    control claim there that the scorer does not match to "Jolan"; and in El Geneina, a
    neighbourhood's claim not drawn at the town, Tawila not found, so North Darfur not read
    as the qualifier of the towns before it; and the Azovstal steel works, a plant the
    gazetteer lacks, now found by its site noun but read as the target of a storming that
    was called off (the defenders' "holding out" is not read as control); in Tal Afar, the
    Kifah neighbourhood and Rabia not found, and Hawija "would be the next target" read as a
    prospect."""
    s = score(lambda name: extract((DATA / name).read_text("utf-8"), gazetteer))
    assert len(s.held) >= 794 and s.precision >= 0.95, table(s)


def test_round_twelve_constructions(gazetteer) -> None:
    """What the twelfth and thirteenth rounds' first runs missed, as classes: a hope is no
    fact; people "taken to" a place are no capture of it; an apposition ", 40 km to the north" is a
    distance from the city of the report; "still held X" is control, "held talks in X" is
    not; "saying the base had been in government hands" after a denial is the speaker's own
    claim about the place named before; "near X" in a clause of its own is said of X; an
    advance "from X" set out from X; the words naming a source ("according to soldiers who
    reached X") tell no event."""
    a = extract("Hama, 3 May 2019. Troops entered Hama on Monday. Militants attacked a checkpoint "
                "at Salamiyah, 30 km to the south-east, but were beaten back. Commanders hoped "
                "to push on to Homs. Families were taken by bus to Masyaf. Rebels still held "
                "the village of Kafr Nabudah. Envoys held talks in Tartus.", gazetteer)
    got = {c.mention.text: c for c in a.claims}
    assert got["Homs"].prospect or got["Homs"].kind.value == "mention"
    assert got["Masyaf"].kind.value == "mention", got["Masyaf"]
    assert [k.relation for k in got["Salamiyah"].checks] == ["distance"]
    assert got["Salamiyah"].checks[0].reference.name == "Hama"
    assert got["Kafr Nabudah"].kind.value == "control" and not got["Kafr Nabudah"].prospect
    assert "Tartus" not in got or got["Tartus"].kind.value == "mention"
    c = extract("Homs, 3 May 2019. Shelling hit Hama, and fighting went on near Salamiyah. "
                "Special forces reached the outskirts of the city from Tartus, according to "
                "soldiers who reached Masyaf.", gazetteer)
    got = {x.mention.text: x for x in c.claims}
    assert got["Salamiyah"].kind.value == "clash" and not got["Hama"].checks, got
    assert got["Tartus"].kind.value == "mention", got["Tartus"]  # where they set out from
    assert got["Masyaf"].kind.value == "mention", got["Masyaf"]  # a source, not an event
    b = extract("An army spokesman denied that rebels had stormed Abu al-Duhur air base, saying "
                "the base had been in government hands for months.", gazetteer)
    kinds = {(c.kind.value, c.prospect) for c in b.claims if "Duhur" in c.mention.text}
    assert ("control", False) in kinds and ("captured", False) not in kinds, kinds


def test_round_fourteen_constructions(gazetteer) -> None:
    """What the fourteenth round's first run missed, as classes: names listed before a
    plural unit noun are places ("the Qqera and Qqerb districts"); a name coordinated with a
    place an event governs is a place ("attacks on Krasna Hora and Qqerc"), an acronym is
    not; a name with a distance in apposition is a place ("Qqerd, about 130 km west of
    Sirte"); "fought their way into X" is an advance, "tried to advance near X" a clash,
    a request ("asked its allies ... to hold") no fact; "Y and nearby X" puts X near Y;
    "the town" is the last place the report called a town."""
    a = extract("Kyiv, 13 January 2023. Gunships fired on columns in the Qqera and Qqerb districts. "
                "Artillery pounded Bakhmut and nearby Chasiv Yar, and attacks on Krasna Hora and "
                "Qqerc were repelled. A car bomb exploded at a checkpoint in Qqerd, about 130 km "
                "west of Kramatorsk. Rebels fought their way into Lyman and tried to advance near "
                "Siversk. Kyiv asked its allies for tanks to help it hold Sloviansk.", gazetteer)
    got = {c.mention.text: c for c in a.claims}
    assert got["Qqera"].kind.value == got["Qqerb"].kind.value == "strike", got
    assert got["Qqerc"].kind.value == "clash", got
    assert got["Qqerd"].kind.value == "strike" and got["Qqerd"].checks[0].relation == "distance"
    assert got["Chasiv Yar"].checks[0].relation == "near" and not got["Bakhmut"].checks
    assert got["Chasiv Yar"].checks[0].reference.name == "Bakhmut"
    assert (got["Lyman"].kind.value, got["Siversk"].kind.value) == ("advance", "clash")
    assert got["Sloviansk"].prospect or got["Sloviansk"].kind.value == "mention"
    b = extract("Kyiv, 13 January 2023. Moscow said it had taken Soledar, a salt-mining town "
                "north-east of Bakhmut. Artillery hit Bakhmut again. Wagner said its men alone "
                "had taken the town.", gazetteer)
    taken = {c.mention.text for c in b.claims if c.kind.value == "captured" and not c.prospect}
    assert taken == {"Soledar"}, taken
    c = extract("Officials said HIV and AIDS killed thousands in Uganda and Kenya.", gazetteer)
    assert "AIDS" not in {m.text for m in c.mentions}


def test_round_fifteen_constructions(gazetteer) -> None:
    """What the fifteenth round's first run missed, as classes: "the city" of the body is
    not the dateline's city unless the body names it; an area at the end of an apposition
    to a phrase that names a place again ("the port city, the last stronghold of X in
    southern Somalia") locates the place and holds no stronghold of its own."""
    a = extract("Kabul, 7 August 2021. Street fighting raged in Lashkar Gah as fighters pressed "
                "deeper into the capital of Helmand province. American bombers struck insurgent "
                "positions in the city overnight.", gazetteer)
    assert {c.mention.text for c in a.claims if c.kind.value == "strike"} == {"Lashkar Gah"}
    b = extract("Nairobi, 29 September 2012. Troops landed north of Kismayo and advanced on the "
                "port city, the last stronghold of al Shabaab in southern Somalia.", gazetteer)
    assert not [c for c in b.claims if "Somalia" in c.mention.text and c.kind.value != "mention"]


def _checked(analysis, place: str, relation: str) -> bool:
    """Whether a claim at ``place`` carries a check of ``relation``."""
    return any(c.mention.text == place and any(k.relation == relation for k in c.checks)
               for c in analysis.claims)


def _facts(analysis, absent: tuple[str, ...]) -> set[tuple[str, str]]:
    """(place, kind) of every claim of fact, after checking that the places ``absent`` have
    none (a mention is no claim of fact)."""
    got = {(c.mention.text, c.kind.value) for c in analysis.claims if not c.prospect}
    assert not {t for t in got if t[0] in absent and t[1] != "mention"}, got
    return got


def test_round_sixteen_constructions(gazetteer) -> None:
    """What the sixteenth round's first run missed, as classes: "walked into X" is an
    advance; a weapon after "with" counts only in its own clause ("the border with Rwanda
    and Burundi, and drones struck ..."); a place listed after a reference point is no
    object of the cue before the reference ("near X, on the border with Y and Z"); a city
    named only as where a force went is not "the city" of the report; what people fled
    ("fled the fighting in X") and a road between two places tell of no event at them."""
    a = extract("Goma, 16 February 2025. M23 rebels walked into the centre of Bukavu on Sunday. "
                "Troops had pulled out toward Uvira. Officials said the city was occupied. "
                "Fighting was reported near Kamanyola, on the border with Rwanda and Burundi, "
                "and drones struck positions outside Nyabibwe.", gazetteer)
    got = _facts(a, absent=("Uvira", "Burundi"))
    assert {("Bukavu", "advance"), ("Bukavu", "control"), ("Kamanyola", "clash"),
            ("Nyabibwe", "strike")} <= got, got
    b = extract("Port Sudan, 19 December 2023. Thousands who fled the fighting in Khartoum "
                "sheltered in Sennar. Warplanes bombed convoys on the highway between Kosti and "
                "Rabak.", gazetteer)
    assert not [c for c in b.claims if c.kind.value != "mention"], b.claims


def test_round_seventeen_constructions(gazetteer) -> None:
    """What the seventeenth round's first run missed, as classes: a hedge in a later clause
    ("..., as the UN prepared to double its force") does not make a taking a prospect; an
    event as a time reference ("since the fall of X") is no claim, nor one to be avoided;
    "the town" is the last place a sentence told an event at, not a place it named in
    passing; "attack toward X and Y, two villages" names two places; cutting a route at a
    place besieges it."""
    a = extract("Kyiv, 17 February 2024. The army said it had withdrawn from Avdiivka to avoid "
                "encirclement, its worst loss since the fall of Bakhmut. Russian forces had "
                "pounded the town with glide bombs. The army said it was pressing its attack "
                "toward Qqera and Qqerb, two villages on its flank. Militias cut the escape "
                "route at Qqerc. The army had retaken Pokrovsk, as the UN prepared to send "
                "more observers.", gazetteer)
    got = _facts(a, absent=("Bakhmut", "Russia"))
    assert {("Avdiivka", "retreat"), ("Avdiivka", "strike"), ("Qqerc", "besieged"),
            ("Pokrovsk", "captured")} <= got, got
    assert {k for n, k in got if n in ("Qqera", "Qqerb")} <= {"advance", "clash"}, got
    assert {n for n, _ in got} >= {"Qqera", "Qqerb"}, got


def test_round_eighteen_constructions(gazetteer) -> None:
    """What the eighteenth round's first run missed, as classes: a participle clause
    continues the strike before it (", wounding 10 people in X and hitting homes in Y"),
    not a source (", according to ... in Z"); "struck 100 targets" is what was struck;
    people and witnesses crossing into or reaching a place make no advance there; "the X
    hill" names a place."""
    a = extract("Beirut, 26 July 2006. Hezbollah fired 90 rockets into northern Israel, wounding "
                "10 people in Haifa and hitting homes in Kiryat Shmona. Aircraft struck more "
                "than 100 targets overnight, hitting roads around Tyre, according to officials "
                "in Sidon. Thousands of refugees crossed into Syria. Fighters drove the militants "
                "back from the Qqera hill.", gazetteer)
    got = _facts(a, absent=("Syria", "Sidon"))
    assert {("Haifa", "strike"), ("Kiryat Shmona", "strike"), ("Tyre", "strike")} <= got, got
    assert {n for n, _ in got} >= {"Qqera"}, got


def test_round_nineteen_constructions(gazetteer) -> None:
    """What the nineteenth round's first run missed, as classes: "X base" names the kind
    of site, no control of it, while "the X base north-west of the city was back in army
    hands" still is; an order or a preparation is no fact ("ordered units to prepare to
    join the battle for X"); "their assault in X" is fighting there."""
    a = extract("Baghdad, 17 May 2015. Fighters arrived at Habbaniya base on Sunday night. The "
                "prime minister ordered units to prepare to join the battle for Anbar. The Qqera "
                "base north-west of Ramadi was back in army hands.", gazetteer)
    assert ("Qqera", "control") in _facts(a, absent=("Habbaniya", "Anbar"))
    b = extract("Kyiv, 21 April 2022. Russian forces kept up their assault in the Donbas, "
                "shelling Kharkiv.", gazetteer)
    assert {("Donbas", "clash"), ("Kharkiv", "strike")} <= _facts(b, absent=())


def test_round_twenty_constructions(gazetteer) -> None:
    """What the twentieth round's first run missed, as classes: a flag raised over a place
    claims it; "pursuing fighters toward X" is an advance toward a place, known or not."""
    a = extract("Moscow, 6 February 2000. Troops raised the national flag over the centre of "
                "Grozny on Sunday. The army was pursuing fighters toward Qqera.", gazetteer)
    assert {("Grozny", "captured"), ("Qqera", "advance")} <= _facts(a, absent=())


def test_round_twenty_one_constructions(gazetteer) -> None:
    """What the twenty-first round's first run missed, as classes: shells that land in a
    place strike it, and where they were fired from is no strike (troops that land at a
    place arrive there; a plane with aid makes no claim); a relative clause on a place
    ("X, where troops have surrounded") is the report's own account, outside the demand
    before it; "X, which rebels seized" makes a name the gazetteer lacks a place."""
    a = extract("Mortar rounds fired from Syria landed in Kilis, wounding three. Paratroopers "
                "landed at Tabqa on Thursday. Aid groups urged the parties to open a corridor "
                "to Madaya, where government forces have encircled thousands of people. In "
                "Qqerba, which rebels seized last week, the market reopened. A plane carrying "
                "aid landed in Latakia.", gazetteer)
    got = _facts(a, absent=("Syria", "Latakia"))
    assert {("Kilis", "strike"), ("Tabqa", "advance"), ("Madaya", "besieged"),
            ("Qqerba", "captured")} <= got, got


def test_round_twenty_two_constructions(gazetteer) -> None:
    """What the twenty-second round's first run missed, as classes: "the Syrian capital" is
    the capital of the country its demonym names, and "north of the capital, X" is a
    reference, not an apposition; "an offensive on Monday" is dated, not aimed at a place,
    and "an offensive ... to drive them out of X" aims at X; "had also taken" is a taking;
    names listed after "the towns of" are places; a road to a place is no one taken to it;
    "wants to push on to X" is an aim; a site far from the town a sentence opens with ("In
    X, fighters clashed near the Catholic mission") is a part of that town."""
    a = extract("Beirut, 3 May 2013. Rebels shelled the Syrian capital on Monday. In Tadef, "
                "about 30 km east of the capital, fighters clashed on Sunday. The army launched an "
                "offensive on Monday to drive the rebels out of Manbij. Its soldiers had also "
                "taken the towns of Qqerab and Qqerib. Troops captured villages on the road to "
                "Raqqa. Turkey wants to push on to Azaz.", gazetteer)
    facts = {(c.mention.query, c.kind.value) for c in a.claims if not c.prospect}
    assert {("Damascus", "strike"), ("Tadef", "clash"), ("Manbij", "target"), ("Qqerab", "captured"),
            ("Qqerib", "captured"), ("Raqqa", "captured")} <= facts, facts
    assert not any(c.mention.text == "Azaz" and not c.prospect and c.kind.value != "mention"
                   for c in a.claims)
    assert _checked(a, "Tadef", "distance")
    b = extract("Bangui, 6 December 2013. In Bossangoa, fighters clashed with militiamen near the "
                "Catholic mission, a priest said. Police were forced out of the Kodori gorge in "
                "Abkhazia, where separatists launched an offensive on Saturday.", gazetteer)
    got = {(c.mention.text, c.kind.value, c.part) for c in b.claims}
    assert ("Bossangoa", "clash", "Catholic mission") in got, got
    assert not any(c.mention.text == "Abkhazia" and c.kind.value == "target" for c in b.claims)


def test_round_twenty_three_constructions(gazetteer) -> None:
    """What the twenty-third round's first run missed, as classes: an event that "spread
    to X" goes on at X with its own kind; "firing on X" is a strike; a post near X that
    "came under fire" is a clash near X; "warned Y against attacking Z" is no attack by or
    at Y; a name whose only match lies abroad is a place when listed before a plural unit
    noun ("the Jebel and Munuki areas"), and then wherever the report names it again."""
    a = extract("Juba, 11 July 2016. Shelling spread to Yei on Monday, with gunships firing on "
                "the Jebel and Munuki areas. Later the rebels withdrew from their base in Jebel. "
                "An army post near Torit came under fire. Kampala warned Juba against attacking "
                "Nimule.", gazetteer)
    got = _facts(a, absent=("Juba", "Kampala"))
    assert {("Yei", "strike"), ("Jebel", "strike"), ("Munuki", "strike"), ("Jebel", "retreat"),
            ("Torit", "clash")} <= got, got
    assert _checked(a, "Torit", "near")


def test_round_twenty_four_constructions(gazetteer) -> None:
    """What the twenty-fourth round's first run missed, as classes: people "held ...
    hostage" in a place are no control of it; "struck positions held by rebels near X" is a
    strike (who holds the target describes it); "advancing towards X and would not stop" is
    an advance, the "would" belongs to a verb phrase of its own."""
    a = extract("Manila, 16 September 2013. Gunmen held 20 villagers hostage in Lamitan for a "
                "day. Jets struck positions held by rebels near Maluso. Troops were advancing "
                "towards Isabela and would not stop until the rebels surrendered.", gazetteer)
    got = _facts(a, absent=("Lamitan",))
    assert {("Maluso", "strike"), ("Isabela", "advance")} <= got, got


def test_round_twenty_five_constructions(gazetteer) -> None:
    """What the twenty-fifth round's first run missed, as classes: "the villages they held
    in X" describes what a verb before it acts on, no control; "denied ... and said aircraft
    had struck X" asserts the strike; a name whose only match lies abroad, with a distance in
    apposition, is a place; a landform keeps its whole name ("Jabal Sinjar", "Mount
    Shalbuzdag") and the claims made of it."""
    a = extract("Moscow, 24 August 1999. Troops drove the rebels out of the last villages they "
                "held in the Kazbek district. Officials denied that fighters had crossed the "
                "border and said aircraft had struck a village near Vedeno. In Balad, about 30 km "
                "north of Makhachkala, militias clashed on Sunday. Troops retook Jabal Sinjar and "
                "Mount Shalbuzdag.", gazetteer)
    got = _facts(a, absent=())
    assert {("Kazbek district", "retreat"), ("Vedeno", "strike"), ("Balad", "clash"),
            ("Jabal Sinjar", "captured"), ("Mount Shalbuzdag", "captured")} <= got, got
    assert not any(c.kind.value == "control" for c in a.claims)
    assert _checked(a, "Balad", "distance")


def test_round_twenty_six_constructions(gazetteer) -> None:
    """What the twenty-sixth round's first run missed, as classes: "the violence spread to
    X" is fighting at X; a name after "the border with" is the border's, no place of the
    strike; "had crossed ... and taken the town" is a taking; a dateline's city is never
    what "the city" refers to; a bare distance after a place with no earlier city is
    measured from the place named before it in the sentence, which keeps its own claim."""
    a = extract("Bamako, 14 June 2022. Gunmen besieged parts of Gao on Thursday. Fighters set "
                "cars on fire across the city. The violence also spread to the town of Ansongo, "
                "where two police officers were shot dead. Helicopters struck a convoy near the "
                "border with Niger. Troops had crossed the river near Bourem and taken the "
                "town.", gazetteer)
    got = _facts(a, absent=("Bamako", "Niger"))
    assert {("Ansongo", "clash"), ("Bourem", "captured")} <= got, got
    b = extract("Bamako, 28 January 2013. Rebels entered Timbuktu and took its airport at "
                "Goundam, about 80 km to the west.", gazetteer)
    assert {("Timbuktu", "advance"), ("Goundam", "captured")} <= _facts(b, absent=())
    goundam = next(c for c in b.claims if c.mention.text == "Goundam")
    assert [(k.relation, k.reference.name) for k in goundam.checks] == [("distance", "Timbuktu")]


def test_round_twenty_seven_constructions(gazetteer) -> None:
    """What the twenty-seventh round's first run missed, as classes: a town "on the edge
    of X" is where the event was, X a reference point; "the city" as where an event
    happens, anywhere in a sentence, is the last city; "X, north of the city" is a bearing
    from it; a place's institution ("a Kenya army spokesman") is no place of the event;
    "parts of X" are in X, not its countryside; people "taken shelter" took nothing; "the
    district of X" is one mention."""
    a = extract("Goma, 20 November 2012. Rebels entered Goma on Tuesday. Artillery shelled rebel "
                "positions in and around the city, the army said. The rebels also took Kibumba, "
                "north of the city. Thousands of families have taken shelter in Sake. Militants "
                "shelled Kismayo on Monday, a Kenya army spokesman said. Fighting went on in the "
                "village on the western edge of Bunia. Rebels seized parts of Rutshuru. Insurgents "
                "captured the district of Andar.", gazetteer)
    got = _facts(a, absent=("Sake", "Kenya", "Bunia"))
    assert {("Goma", "strike"), ("Kibumba", "captured"), ("Kismayo", "strike"),
            ("parts of Rutshuru", "captured"), ("district of Andar", "captured")} <= got, got
    assert any(c.refers_back and c.kind.value == "strike" for c in a.claims)
    kibumba = next(c for c in a.claims if c.mention.text == "Kibumba")
    assert [(k.relation, k.direction, k.reference.name) for k in kibumba.checks] == [
        ("bearing", "north", "Goma")]
    rutshuru = next(m for m in a.mentions if m.text == "parts of Rutshuru")
    assert (rutshuru.role, rutshuru.query, rutshuru.area) == ("location", "Rutshuru", "")
    assert sum("Andar" in m.text for m in a.mentions) == 1


def test_round_twenty_eight_constructions(gazetteer) -> None:
    """What the twenty-eighth round's first run missed, as classes: "a claim that could not
    be confirmed" hedges nothing; "X, a village north-west of the city" is a bearing from
    it; a distance after "near X" is measured too; missiles or rockets that destroy
    something make a strike; a name before an industrial site is a place; "driven the last
    of the troops out of X" is a retreat; a relative clause's verb ("whose units are
    advancing on X, said ...") keeps the main clause's "would" out, and X is no speaker."""
    a = extract("Goma, 20 November 2012. Rebels entered Goma on Tuesday. They said they had "
                "seized Kibumba, a village north-west of the city, a claim that could not be "
                "independently confirmed. Rockets destroyed an arms depot near Rutshuru, about "
                "60 km to the north. Shells hit the Qqerstal fertiliser plant. The militia had "
                "driven the last of the government troops out of Masisi. The army, whose units "
                "are advancing on Sake, said the rebels would be defeated.", gazetteer)
    got = _facts(a, absent=())
    assert {("Kibumba", "captured"), ("Rutshuru", "strike"), ("Qqerstal", "strike"),
            ("Masisi", "retreat"), ("Sake", "advance")} <= got, got
    checks = {c.mention.text: {(k.relation, k.direction, k.reference.name) for k in c.checks}
              for c in a.claims}
    assert ("bearing", "northwest", "Goma") in checks["Kibumba"], checks
    assert ("distance", "north", "Goma") in checks["Rutshuru"], checks


def test_round_twenty_nine_constructions(gazetteer) -> None:
    """What the twenty-ninth round's first run missed, as a class: "taking" a place
    ("after taking the nearby city of X", "were taking X street by street") is a taking;
    "taking part" or "taking shelter" near a place takes nothing."""
    a = extract("Rebels were taking Sake street by street, a day after taking the town of "
                "Kibumba. Soldiers taking part in an exercise near Goma were hurt. Families "
                "taking shelter in Beni were moved.", gazetteer)
    got = _facts(a, absent=("Goma", "Beni"))
    assert {("Sake", "captured"), ("Kibumba", "captured")} <= got, got


def test_round_thirty_constructions(gazetteer) -> None:
    """What the thirtieth round's first run missed, as classes: a country's troops between
    "drove" and "out of" are the object, not a name of their own, so the unknown place
    after them is kept; the retreat is theirs, not the subject's, even where the recogniser
    reads their nationality word as no place name; "fell back" is a retreat
    and, as for "withdrew to", the place fallen back to is a destination, no claim."""
    a = extract("Kenya's army said it had driven Ugandan troops out of Qqerhaba, the oil field "
                "seized a week ago. Rebels fell back from Rutshuru and then to Goma.", gazetteer)
    got = {c.mention.text: (c.kind.value, c.actors) for c in a.claims if not c.prospect}
    assert got["Qqerhaba"] == ("retreat", ["Ugandan armed forces"]), got
    assert got["Rutshuru"][0] == "retreat", got
    assert got.get("Goma", ("mention",))[0] == "mention", got


def test_round_thirty_one_constructions(gazetteer) -> None:
    """What the thirty-first round's first run missed, as classes: "pressed on towards X"
    is an advance, as "pushed on towards X" is; "X, the oil town 80 km away" is a distance
    with no direction from the place the report is about, and it is measured."""
    a = extract("Rebels took the town of Sake on Saturday. Fighters pressed on towards Goma, "
                "the lakeside city 25 km away.", gazetteer)
    got = {c.mention.text: (c.kind.value, [k.relation for k in c.checks]) for c in a.claims
           if not c.prospect}
    assert got["Goma"] == ("advance", ["distance"]), got
    (measured,) = [m for f, m in a.checks if f.subject.text == "Goma"]
    assert measured.check.direction == "" and measured.agrees, measured


def test_round_thirty_two_constructions(gazetteer) -> None:
    """What the thirty-second round's first run missed, as classes: "rebel-held" describes
    the target of the verb before it ("jets pounded rebel-held villages in X" is a strike),
    though with no other verb it still says who holds the place; "the X valley west of the
    city" is a bearing from the city."""
    a = extract("Troops entered the city of Goma. Jets pounded rebel-held villages in the "
                "Rutshuru valley north of the city. Sake remained rebel-held.", gazetteer)
    got = {c.mention.text: (c.kind.value, [k.relation for k in c.checks]) for c in a.claims
           if not c.prospect}
    assert got["Rutshuru"] == ("strike", ["bearing"]), got
    assert got["Sake"][0] == "control", got


def test_round_thirty_three_constructions(gazetteer) -> None:
    """What the thirty-third round's first run missed, as classes: a name joined by "and"
    to a place of the report's countries is a place, though its only match lies abroad, and
    ", to the north-west" after a list is a bearing of each of its places; two names side by
    side that no source knows as one ("Ain Issa") are one unknown place when the words
    around them say so; people counted by their nation ("20,000 Syrians") cross as people,
    not a force."""
    a = extract("Islamabad, 30 May 2009. Troops retook Mingora. Militants still held parts of "
                "Kabal and Matta, to the north-west.", gazetteer)
    got = {c.mention.text: (c.kind.value, [k.relation for k in c.checks]) for c in a.claims
           if not c.prospect}
    assert got["Matta"] == ("control", ["bearing"]), got
    assert got["parts of Kabal"] == ("control", ["bearing"]), got
    a = extract("Beirut, 16 June 2015. Jets struck near Tal Abyad and Ain Issa. More than "
                "5,000 Syrians crossed into Turkey.", gazetteer)
    got = {c.mention.text: (c.kind.value, [k.relation for k in c.checks]) for c in a.claims
           if not c.prospect}
    assert got["Ain Issa"][0] == "strike", got
    (ain,) = [m for m in a.mentions if m.text == "Ain Issa"]
    assert ain.resolution.status.value == "unresolved", ain.resolution
    assert got.get("Turkey", ("mention",))[0] == "mention", got


def test_round_thirty_four_constructions(gazetteer) -> None:
    """What the thirty-fourth round's first run missed, as classes: "secured" a place takes
    it (not "secured the release" of people, and hostages "held in X" are no control);
    "pushing south towards X" is an advance; "used jets and gunships against rebels near X"
    is a strike; a building named in a sentence that tells an event is a place ("the Qqerla
    hotel was ambushed"), and "the capital of X province" is the capital's, not the
    province's."""
    a = extract("Troops secured the town of Qqerbo. Envoys secured the release of hostages "
                "held in Goma. Rebels were pushing south towards Sake. The army used jets and "
                "helicopter gunships against rebels near Rutshuru. A convoy leaving the Qqerla "
                "hotel was ambushed. Fighters pressed into the capital of North Kivu province.",
                gazetteer)
    got = {c.mention.text: c.kind.value for c in a.claims if not c.prospect}
    assert got["Qqerbo"] == "captured" and got.get("Goma", "mention") == "mention", got
    assert got["Sake"] == "advance" and got["Rutshuru"] == "strike", got
    assert got["Qqerla"] == "clash", got
    assert got.get("North Kivu province", "mention") == "mention", got


def test_round_thirty_five_constructions(gazetteer) -> None:
    """What the thirty-fifth round's first run missed, as a class: in "captured X, the
    country's second-largest city, and Y", Y is the last name of the list the verb takes
    (", and" before it opens no clause of its own), past the apposition and its possessive."""
    a = extract("The rebels said they had captured Goma, Congo's largest eastern city, and "
                "Sake in the west.", gazetteer)
    got = {c.mention.text: c.kind.value for c in a.claims if not c.prospect}
    assert got.get("Goma") == "captured" and got.get("Sake") == "captured", got


def test_round_thirty_six_constructions(gazetteer) -> None:
    """What the thirty-sixth round's first run missed, as a class: a name no source knows
    before a lower-case water word ("along the Qqerlo river") is a river, kept whole and
    unresolved with the claims made of it."""
    a = extract("Helicopters bombed insurgent camps along the Qqerlo river.", gazetteer)
    (river,) = [m for m in a.mentions if m.text == "Qqerlo river"]
    assert river.resolution.status.value == "unresolved" and "river" in river.resolution.reason
    assert [(c.mention.text, c.kind.value) for c in a.claims] == [("Qqerlo river", "strike")]


def test_round_thirty_seven_constructions(gazetteer) -> None:
    """What the thirty-seventh round's first run missed, as classes: "pulled its troops out
    of X" is a retreat; a possessive before a part of a city ("X's international airport")
    is the city, not its government; a place in the subject of a verb of speech ("an
    official in X called the withdrawal a mistake") is where the speaker is."""
    a = extract("Kyiv, 1 October 2022. The ministry said it had pulled its troops out of Lyman. "
                "Forces had captured Kharkiv's international airport. An official in Donetsk "
                "called the withdrawal a mistake.", gazetteer)
    got = {c.mention.text: c.kind.value for c in a.claims if not c.prospect}
    assert got["Lyman"] == "retreat" and got["Kharkiv"] == "captured", got
    assert got.get("Donetsk", "mention") == "mention", got


def test_round_thirty_eight_constructions(gazetteer) -> None:
    """What the thirty-eighth round's first run missed, as classes: "the army camp at X" makes
    X a place, and the verb takes X, not the town the camp is outside of; "the occupied X"
    is a name's usual epithet, no claim of control."""
    a = extract("Bamako, 11 March 2012. Rebels said they had seized the army camp at Qqerchach, "
                "outside Tessalit. The operation was the largest in the occupied West Bank.",
                gazetteer)
    got = {c.mention.text: c.kind.value for c in a.claims if not c.prospect}
    assert got.get("Qqerchach") == "captured", got
    assert got.get("Tessalit", "mention") == "mention", got
    assert got.get("West Bank", "mention") == "mention", got


def test_a_passive_said_of_places_and_explosives(gazetteer) -> None:
    """"Qqertown was shelled" makes an unknown name a place ("was attacked", said as often
    of people, does not); a bomb or blast at a place is a strike."""
    a = extract("Qqertown was shelled by gunboats. Qqerman was attacked by gunmen. A car bomb "
                "exploded at a checkpoint in Bunia.", gazetteer)
    got = {c.mention.text: c.kind.value for c in a.claims}
    assert got.get("Qqertown") == "strike" and "Qqerman" not in got, got
    assert got.get("Bunia") == "strike", got


def test_apposition_control_of_bearings_and_rumours(gazetteer) -> None:
    """"X, a town 30 km west of Y, came under fire": X is a place and the verb is X's;
    "regained control of X" keeps X when the gazetteer lacks it; "strikes on positions
    east of X" is a strike said of X with its bearing ("a town east of X" is another
    place); an attack only rumoured is no fact."""
    a = extract("Qqerville, a town 30 km west of Goma, came under rocket fire on Sunday. "
                "The army regained control of Qqermbo. Jets struck rebel positions east of Sake. "
                "Rebels took a village north of Rutshuru. Families fled Bunia after rumours of an "
                "attack.", gazetteer)
    got = {c.mention.text: (c.kind.value, c.prospect, sorted(k.relation for k in c.checks))
           for c in a.claims}
    assert got["Qqerville"] == ("strike", False, ["distance"]), got
    assert got["Qqermbo"][0] == "captured", got
    assert got["Sake"] == ("strike", False, ["bearing"]), got
    for reference in ("Rutshuru", "Goma"):  # points of reference: a mention at most
        assert got.get(reference, ("mention",))[0] == "mention", got
    assert got["Bunia"][0] == "mention" or got["Bunia"][1], got


def test_a_second_event_told_of_a_place_in_words_that_refer_back(gazetteer) -> None:
    """"the town", "its outskirts", "there" after a cue no name took: a claim at the place
    named before, marked as referring back; "residents said" is no subject of the verb."""
    a = extract("Rebels took control of Sake on Monday, residents said, after the army "
                "withdrew from the town. Troops surrounded Masisi and shelled its outskirts.",
                gazetteer)
    got = {(c.kind.value, c.mention.text, c.refers_back) for c in a.claims}
    assert {("captured", "Sake", False), ("retreat", "Sake", True), ("besieged", "Masisi", False),
            ("strike", "Masisi", True)} <= got, got
    a = extract("Residents fled Rutshuru after gunmen set fire to shops there.", gazetteer)
    assert [(c.kind.value, c.mention.text) for c in a.claims] == [("clash", "Rutshuru")]


def test_taken_storming_and_pushing_back(gazetteer) -> None:
    """"had taken X" is a capture ("taken to hospital in X" is none); storming is an
    assault, no capture; "pushed the rebels back from X" keeps X when the gazetteer lacks it."""
    kinds = {c.mention.text: c.kind.value for c in extract(
        "The army said it had taken Rutshuru. Two wounded men were taken to hospital in Goma. "
        "Militiamen stormed the prison in Bunia.", gazetteer).claims}
    assert kinds == {"Rutshuru": "captured", "Goma": "mention", "Bunia": "clash"}, kinds
    a = extract("The army said it had pushed the rebels back from Qqerbuka, near Goma.", gazetteer)
    assert ("retreat", "Qqerbuka") in {(c.kind.value, c.mention.text) for c in a.claims}


def test_a_name_taken_for_a_place_once_is_a_place_throughout(gazetteer) -> None:
    a = extract("Junta aircraft carried out air strikes on Qqerville later that day. Clashes "
                "broke out near Qqerville on Sunday.", gazetteer)
    strike = [c for c in a.claims if c.kind is ClaimKind.STRIKE]
    assert [c.mention.text for c in strike] == ["Qqerville"]
    assert "named as a place elsewhere" in strike[0].mention.cue


def test_a_cue_keeps_a_name_whose_only_match_lies_abroad(gazetteer) -> None:
    a = extract("Kidal, 14 November 2023. The Malian army took Kidal. A drone strike hit a "
                "vehicle near Anefis, 110 km south of Kidal.", gazetteer)
    [m] = [m for m in a.mentions if m.text == "Anefis"]
    assert m.resolution.status.value == "unresolved" and "“near”" in m.resolution.reason
    [claim] = [c for c in a.claims if c.mention is m]
    assert claim.kind is ClaimKind.STRIKE and {k.relation for k in claim.checks} >= {"distance"}


def test_near_a_place_is_said_of_the_place_and_not_measured(gazetteer) -> None:
    a = extract("Sudanese army aircraft bombed RSF positions near Mellit.", gazetteer)
    [claim] = [c for c in a.claims if c.kind is ClaimKind.STRIKE]
    assert claim.mention.text == "Mellit"
    assert [(k.relation, k.said) for k in claim.checks] == [("near", "near Mellit")]
    assert all(measured is None for _, measured in a.checks)


def test_an_actor_before_a_noun_is_no_unknown_place(gazetteer) -> None:
    a = extract("Coalition jets carried out air strikes on Houthi positions in Sirwah.",
                gazetteer)
    assert [c.kind for c in a.claims if c.mention.text == "Sirwah"] == [ClaimKind.STRIKE]


def test_an_event_under_a_threat_after_a_flight_is_a_prospect(gazetteer) -> None:
    a = extract("Residents fled Palma after insurgents threatened to attack the district "
                "headquarters.", gazetteer)
    assert all(c.kind is ClaimKind.MENTION or c.prospect for c in a.claims)


@pytest.mark.parametrize(("text", "place"), [
    ("The army denied reports that militants had captured Marantao on Sunday.", "Marantao"),
    ("Governments demanded that the Serbs withdraw from Srebrenica at once.", "Srebrenica"),
    ("The military threatened to shell Kyaukme if the rebels did not leave.", "Kyaukme"),
    ("Government forces plan to move into Mayadin next week, state media said.", "Mayadin"),
    ("Israeli troops did not enter Tyre, a spokesman said.", "Tyre"),
    ("The ministry said its troops had taken Hlyboke, a claim Kyiv rejected.", "Hlyboke"),
])
def test_denied_demanded_threatened_planned_and_negated_events_are_no_facts(
        gazetteer, text, place) -> None:
    claims = [c for c in extract(text, gazetteer).claims if place in c.mention.text]
    assert claims and all(c.kind is ClaimKind.MENTION or c.prospect for c in claims), claims


def test_the_verb_decides_not_the_noun_of_its_target(gazetteer) -> None:
    a = extract("Sri Lankan jets bombed a rebel base near Kilinochchi on Monday. Artillery "
                "shelled the outskirts of Vavuniya. Fighting continued on the outskirts of "
                "Mannar.", gazetteer)
    kinds = {c.mention.text.removeprefix("outskirts of "): c.kind.value for c in a.claims}
    assert kinds["Kilinochchi"] == "strike" and kinds["Vavuniya"] == "strike"
    assert kinds["Mannar"] == "clash"  # "outskirts" (once an advance cue) is the setting


def test_a_cue_stays_with_a_place_the_gazetteer_lacks(gazetteer) -> None:
    a = extract("Bosnian Serb forces were advancing toward Zepa after taking Bratunac "
                "earlier in the week.", gazetteer)
    by_place = {c.mention.text: c for c in a.claims}
    assert by_place["Zepa"].kind is ClaimKind.ADVANCE
    assert by_place["Zepa"].mention.resolution.status.value == "unresolved"
    # the advance is not moved there; "after taking Bratunac" is a taking of its own (round 29)
    assert by_place["Bratunac"].kind is ClaimKind.CAPTURED


def test_the_town_refers_back_to_the_last_place(gazetteer) -> None:
    a = extract("Rebels captured Sake on Tuesday. The town was later struck by drones.",
                gazetteer)
    strike = next(c for c in a.claims if c.kind is ClaimKind.STRIKE)
    assert strike.mention.text == "Sake" and strike.refers_back


def test_a_bearing_is_checked_as_a_bearing_on_the_claims_place(gazetteer) -> None:
    a = extract("Russian forces captured Lukiantsi north of Kharkiv on Monday.", gazetteer)
    [claim] = [c for c in a.claims if c.kind is ClaimKind.CAPTURED]
    assert claim.mention.text == "Lukiantsi"
    [check] = claim.checks
    assert (check.relation, check.direction, check.km) == ("bearing", "north", None)
    assert not any(c.mention.text == "Kharkiv" and c.kind is not ClaimKind.MENTION
                   for c in a.claims)


STRIKE_AND_CLASH = """\
report: {title: Invented strikes and clashes, outlet: Invented Wire, published: 2024-05-14, country: SY}
claims:
  - {id: s1, kind: strike, date: 2024-05-14, actors: [Invented air force], place: Saraqib,
     summary: "Invented: jets are said to have struck Saraqib."}
  - {id: s2, kind: shelling, date: 2024-05-14, actors: [Invented army], place: Ariha,
     summary: "Invented: artillery is said to have shelled Ariha."}
  - {id: c1, kind: clash, date: 2024-05-14, actors: [Invented army, Invented rebels],
     place: Kafr Nabl, summary: "Invented: fighting is said to have broken out in Kafr Nabl."}
  - {id: c2, kind: ambush, date: 2024-05-14, actors: [Invented rebels],
     place: Afrin District, summary: "Invented: rebels are said to have ambushed a patrol."}
"""


def test_strikes_and_clashes_end_to_end(tmp_path) -> None:
    src = tmp_path / "kinds.yaml"
    src.write_text(STRIKE_AND_CLASH, "utf-8")
    page = tmp_path / "m.html"
    r = run("build", str(src), "-o", str(page), "--no-tiles")
    assert r.exit_code == 0 and "4 of 4 claims mapped" in r.stdout, r.output
    html = page.read_text("utf-8")
    assert "Strike / shelling" in html and "Clash / attack" in html  # legend and layers
    assert "control area" not in r.stdout  # a strike or a clash on an area claims no control
    out = tmp_path / "m.csv"
    assert run("build", str(src), "-o", str(out)).exit_code == 0
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert (rows["s1"]["event_type"], rows["s1"]["sub_event_type"]) == (
        "Explosions/Remote violence", "Air/drone strike")
    assert rows["s2"]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (rows["c1"]["event_type"], rows["c1"]["sub_event_type"]) == ("Battles", "Armed clash")
    for suffix in (".geojson", ".gpkg", ".csv"):
        first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        assert run("build", str(src), "-o", str(first)).exit_code == 0
        assert run("build", str(first), "-o", str(second)).exit_code == 0
    kinds = sorted(f["properties"]["kind"] for f in json.loads(
        (tmp_path / "b.geojson").read_text())["features"])
    assert kinds == ["clash", "clash", "strike", "strike"]
    places = tmp_path / "p.csv"
    places.write_text("name,kind,date,actor\nSaraqib,airstrike,2024-05-14,Invented air force\n"
                      "Ariha,raid,2024-05-14,Invented rebels\n")
    assert "2 of 2 claims mapped" in run("build", str(places), "-o", str(tmp_path / "p.html")).stdout


def test_a_denial_in_another_clause_leaves_a_fact_a_fact(gazetteer) -> None:
    a = extract("The army denied it had withdrawn, but rebels captured Saraqib on Monday.",
                gazetteer)
    [claim] = [c for c in a.claims if c.mention.text == "Saraqib"]
    assert claim.kind is ClaimKind.CAPTURED and not claim.prospect


def test_the_capital_of_the_report_country_is_a_place_of_its_own(gazetteer) -> None:
    """"Advanced on the capital" in a report datelined in Libya is said of Tripoli; "the
    capital of Logar province" and "the capital's airport" are no such mention."""
    a = extract("Tripoli, Libya, 5 April 2019. Forces loyal to Khalifa Haftar advanced on the "
                "capital from Gharyan. The capital's airport was closed.", gazetteer)
    capital = [m for m in a.mentions if m.text == "the capital"]
    assert len(capital) == 1 and capital[0].resolution.located, a.mentions
    assert capital[0].resolution.candidates[0].place.country == "LY"
    assert [c.kind for c in a.claims if c.mention is capital[0]] == [ClaimKind.ADVANCE]
    b = extract("Kabul, Afghanistan. Taliban fighters entered the capital of Logar province.",
                gazetteer)
    assert not [m for m in b.mentions if "capital" in m.text.lower()]


@pytest.mark.parametrize(("text", "place", "kind", "relations"), [
    ("Militants tried to storm Qqertown but were driven back.", "Qqertown", "clash", []),
    ("Fighters captured Al-Qqerwani, a district south of Tripoli.", "Al-Qqerwani", "captured",
     ["bearing"]),
    ("Jets struck targets in Tal Afar.", "Tal Afar", "strike", []),
    ("Fighting went on near Qqerovka, 20 km south-west of Donetsk, on Monday.", "Qqerovka",
     "clash", ["distance", "near"]),
    ("Coalition warplanes carried out raids on positions in Sirwah.", "Sirwah", "strike", []),
    ("Jets pounded rebel positions around Saraqib.", "Saraqib", "strike", []),
    ("Rebels entered Hama after government troops pulled out of the city.", "Hama", "captured",
     []),
    ("Rebels entered Hama on Thursday.", "Hama", "advance", []),
    ("Forces took Hodeidah. Clashes were reported in Bayt al-Faqih, some 60 km south-east of "
     "the city.", "Bayt al-Faqih", "clash", ["distance"]),
    ("A drone attack targeted a fuel depot in Atbara.", "Atbara", "strike", []),
    ("Gunmen targeted a police post in Kidal.", "Kidal", "clash", []),
    ("Rebels said their next target was Homs.", "Homs", "target", []),
    ("Armed groups said they had overrun Laukkai.", "Laukkai", "captured", []),
    ("The army launched an offensive, crossing bridges over the Nile into central Khartoum.",
     "Khartoum", "advance", []),
    ("A military convoy reached Torodi on Sunday.", "Torodi", "advance", []),
    ("The army destroyed a rebel base near Banibangou.", "Banibangou", "clash", ["near"]),
    ("Rebels were advancing on Qqerville.", "Qqerville", "advance", []),
])

def test_attempts_targets_articles_and_distance_appositions(gazetteer, text, place, kind,
                                                          relations) -> None:
    """An attempt to take a place that failed is a clash; "targets" is what was struck, not
    a cue of its own; a name's article stays with it; ", 20 km south-west of Y," is a check
    on the name before it. Aircraft's raids are strikes; entering a place its defenders left
    is taking it (entering alone is an advance); "60 km south-east of the city" measures
    from the place named before."""
    got = {c.mention.text: (c.kind.value, sorted(k.relation for k in c.checks))
           for c in extract(text, gazetteer).claims}
    assert got.get(place) == (kind, relations), got


def test_no_claims_from_an_agreement_reached_or_a_day_advanced_on(gazetteer) -> None:
    a = extract("The two sides reached an agreement in Doha. Rebels were advancing on Monday.",
                gazetteer)
    assert all(c.kind is ClaimKind.MENTION for c in a.claims), a.claims
    assert not [m for m in a.mentions if m.text == "Monday"]


@pytest.mark.parametrize(("text", "town", "part", "kind"), [
    ("Shelling killed at least fifteen civilians in Qqertown's Zzoro district.", "Omdurman",
     "Zzoro district", ClaimKind.STRIKE),
    ("Soldiers pushed into the Zzoro area of Bahri after heavy artillery preparation.", "Bahri",
     "Zzoro area", ClaimKind.ADVANCE),
])
def test_a_part_of_a_town_the_gazetteer_lacks_is_drawn_at_the_town(gazetteer, text, town, part,
                                                                   kind) -> None:
    """"Omdurman's Karari district", "the Halfaya area of Bahri": the part is left
    unresolved (a namesake far away is no answer) and its claim is drawn at the town, with
    a note that says so; the town is no claim of its own."""
    text = text.replace("Qqertown", town)
    a = extract(text, gazetteer)
    assert [(c.kind, c.mention.text, c.part) for c in a.claims] == [(kind, town, part)]
    sub = next(m for m in a.mentions if m.text == part)
    assert not sub.resolution.located
    report = a.to_report()
    assert f"in the {part} of {town}" in report.claims[0].note


def test_a_possessive_ends_a_name(gazetteer) -> None:
    """"Nigeria's Cross River State", "Omdurman's Karari district": the name after the
    possessive is not part of the first name's (issue 26)."""
    a = extract("Gunmen attacked a village in Omdurman's Karari district.", gazetteer)
    assert {m.text: m.role for m in a.mentions}["Omdurman"] == "location"


def test_an_unknown_name_after_an_event_and_a_known_word_inside_it(gazetteer) -> None:
    """"Clashes broke out at Zzor Kupri": the place is the unknown name the event is at,
    not the known "Kupri" inside it nor the next known name; named again ("would hold Zzor
    Kupri, about 50 km south of Erbil") it is the same place, and the distance goes on the
    claim of fact, not on the prospect."""
    a = extract("Commanders said their fighters would hold Zzor Kupri, about 50 km south of Erbil. "
                "On Friday clashes broke out at Zzor Kupri, and troops took the town after several "
                "hours. Heavy fighting was reported around Qqumera, close to the border with Sudan.",
                gazetteer)
    kinds = {(c.kind, c.mention.text, c.prospect): c for c in a.claims}
    assert (ClaimKind.CAPTURED, "Zzor Kupri", False) in kinds
    assert [k.relation for k in kinds[(ClaimKind.CLASH, "Zzor Kupri", False)].checks] == ["distance"]
    assert not kinds[(ClaimKind.CONTROL, "Zzor Kupri", True)].checks
    assert (ClaimKind.CLASH, "Qqumera", False) in kinds
    assert not any(c.mention.text in ("Kupri", "Sudan", "Erbil") and c.kind is not ClaimKind.MENTION
                   for c in a.claims)
    assert {m.text: m.resolution.located for m in a.mentions}["Zzor Kupri"] is False


def test_moving_in_after_the_defenders_left_is_a_capture(gazetteer) -> None:
    """"In Sinjar, militias aligned with Baghdad moved in after Kurdish forces left": a
    capture of Sinjar; Baghdad is a party, and "Kurdish forces" describes a group."""
    a = extract("In Sinjar, Yazidi militias aligned with Baghdad moved in after Kurdish forces "
                "left.", gazetteer)
    assert [(c.kind, c.mention.text) for c in a.claims] == [(ClaimKind.CAPTURED, "Sinjar")]
    # Baghdad is a party (or, with the learned recogniser, no place name here); "Kurdish"
    # an adjective
    roles = {m.text: m.role for m in a.mentions} | {m.text: "set aside" for m in a.rejected}
    assert roles["Baghdad"] in ("actor", "set aside") and roles["Kurdish"] in ("other", "set aside")


def test_a_named_base_is_a_place(gazetteer) -> None:
    a = extract("The Zzuk base north-west of the city was back in army hands.", gazetteer)
    assert [(c.kind, c.mention.text) for c in a.claims] == [(ClaimKind.CONTROL, "Zzuk")]


def test_an_attack_with_a_remote_weapon_is_a_strike(gazetteer) -> None:
    a = extract("Guerrillas attacked a police station in Jamundí with explosives-laden drones.",
                gazetteer)
    assert [(c.kind, c.mention.text) for c in a.claims] == [(ClaimKind.STRIKE, "Jamundí")]


def test_a_withdrawal_is_claimed_where_the_force_left_not_where_it_went(gazetteer) -> None:
    a = extract("Russian troops withdrew from Kupiansk to Svatove on Monday.", gazetteer)
    kinds = {c.mention.text: c.kind for c in a.claims}
    assert kinds["Kupiansk"] is ClaimKind.RETREAT and kinds.get("Svatove") is not ClaimKind.RETREAT


def test_the_city_refers_back_to_the_city_not_to_a_town_named_in_passing(gazetteer) -> None:
    a = extract("Ukrainian troops entered the city of Kherson on Friday. Moscow denied that its "
                "troops had been routed at Beryslav. Russian artillery on the far bank shelled "
                "the city's outskirts that evening.", gazetteer)
    facts = {(c.kind, c.mention.text) for c in a.claims if not c.prospect}
    assert (ClaimKind.STRIKE, "Kherson") in facts
    assert not any(place == "Beryslav" and kind is not ClaimKind.MENTION for kind, place in facts)


def test_a_place_noun_naming_its_own_place_does_not_refer_back(gazetteer) -> None:
    """"The base at Zzule" names a place of its own (here one the gazetteer lacks, kept as
    an unresolved place since "the base at" marks it): the sentence does not speak of the
    last place named."""
    a = extract("Militiamen attacked a camp at Bunia. Peacekeepers from the base at Zzule moved "
                "to protect the site.", gazetteer)
    assert [(c.kind, c.mention.text) for c in a.claims] == [(ClaimKind.CLASH, "Bunia"),
                                                            (ClaimKind.MENTION, "Zzule")]


def test_near_after_an_area_is_said_of_the_place_and_dislodging_is_a_retreat(gazetteer) -> None:
    a = extract("In Djugu territory, the militia burned villages near Qqataki. The army said it "
                "had dislodged the fighters from their positions around Qqargu.", gazetteer)
    got = {c.mention.text: c for c in a.claims}
    assert got["Qqataki"].kind is ClaimKind.CLASH
    assert [k.relation for k in got["Qqataki"].checks] == ["near"]
    assert got["Qqargu"].kind is ClaimKind.RETREAT
    assert "Djugu territory" not in got or got["Djugu territory"].kind is ClaimKind.MENTION


def test_people_captured_are_no_capture_of_ground(gazetteer) -> None:
    a = extract("An Indian pilot was captured after his plane came down near Bhimber. Rebels "
                "captured two soldiers near Kutkai. Rebels captured Konna.", gazetteer)
    kinds = {c.mention.text: c.kind for c in a.claims}
    assert kinds["Bhimber"] is ClaimKind.MENTION and kinds["Kutkai"] is ClaimKind.MENTION
    assert kinds["Konna"] is ClaimKind.CAPTURED


def test_a_capitalised_cue_word_is_part_of_a_name(gazetteer) -> None:
    """"The Line of Control" holds no control cue; "schools were closed in Jammu" is no
    advance; "exchanged heavy fire" is a clash."""
    a = extract("Both armies exchanged heavy fire along the Line of Control in Poonch district. "
                "Schools were closed in Jammu as a precaution.", gazetteer)
    kinds = {c.mention.text: c.kind for c in a.claims}
    assert kinds["Poonch district"] is ClaimKind.CLASH
    assert kinds.get("Jammu", ClaimKind.MENTION) is ClaimKind.MENTION


def test_a_named_air_base_and_an_area_locating_it(gazetteer) -> None:
    """"The al-Zzatiya air base, the last stronghold of X's forces in western Libya": the
    base (with its article) is the place taken; the area only locates it."""
    a = extract("Government forces said they had seized the al-Zzatiya air base, the last "
                "stronghold of the rebels' forces in western Libya. Insurgents took Zzabaly, "
                "some 400 km from the capital.", gazetteer)
    kinds = {c.mention.text: c.kind for c in a.claims if c.kind is not ClaimKind.MENTION}
    assert kinds.get("al-Zzatiya") is ClaimKind.CAPTURED and kinds.get("Zzabaly") is ClaimKind.CAPTURED
    assert "western Libya" not in kinds
