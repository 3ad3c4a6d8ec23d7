"""Names that are not places in this text: people ("Mr Paterson", "Vladimir Putin",
"Paterson said"), common words that are also the names of small places ("Day",
"University", "Center") and news agencies ("Xinhua").

Only one-word mentions whose best reading is a small place are judged: a country, a
first-level unit, a national capital or a place of the curated gazetteer is never taken
for a person (a capital that "said" something is an actor, see
:mod:`conflictmap.extract.roles`). A surname found once is a person wherever it stands
alone later in the same report.

>>> from conflictmap.extract.names import tokens
>>> text = "Mr Paterson visited the site."
>>> person_reason(text, tokens(text), 1, 1, set())
'a person: after the title Mr'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from conflictmap.extract.lexicon import PLACE_WORDS, TITLES
from conflictmap.extract.names import COMMON, Token
from conflictmap.extract.unknown import MOVING, TAKING_VERBS, TOWARD
from conflictmap.gazetteer.countries import country_words

#: Words before a surname (in addition to the titles of military and political office).
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "gov", "sen",
              "rep", "senator", "governor", "judge", "justice", "officer", "sergeant", "pope",
              "mayor", "professor", "prof", "rev", "reverend", "father", "bishop", "cardinal",
              "coach", "detective", "inspector", "constable", "deputy", "agent", "chairman",
              "secretary", "councillor", "councilman", "congressman", "congresswoman"}
TITLE_WORDS = TITLES | HONORIFICS

#: Capitalised words that may stand before or after a place name without making it a
#: person's ("Fort Worth", "Port Sudan", "Kobani Canton"), beyond the lexicon's PLACE_WORDS.
NEXT_TO_PLACES = PLACE_WORDS | {
    "fort", "port", "saint", "st", "san", "santa", "cape", "point", "bay", "gulf", "sea",
    "island", "islands", "canton", "county", "parish", "municipality", "prefecture",
    "department", "sub-district", "neighbourhood", "neighborhood", "quarter", "square",
    "bridge", "street", "avenue", "station", "base", "camp", "plain", "desert", "strip",
    "heights", "peninsula", "coast", "front", "frontline", "side", "outskirts", "al", "el",
    "ash", "as", "ad", "an", "ar", "at", "az", "adh", "ath", "abu", "umm", "tell", "tal",
    "kafr", "ain", "ras", "bab", "deir", "jabal", "jebel", "wadi", "nahr", "bir", "khan",
    "international", "national", "federal", "islamic", "arab", "republic", "kingdom",
}

#: Prepositions after which a name is a place, not a speaker ("officials in Naqoura said").
LOCATIVES = frozenset({"in", "at", "near", "outside", "from", "into", "inside", "around"})

#: Capitalised common nouns (and news agencies) that are also names of small places; as
#: one-word mentions they are the words, not the places.
WORDS = frozenset("""
day days night morning evening week weekend year years university college school academy
center centre centers centres law laws road roads street streets avenue central justice
secretary christmas easter ramadan eid thanksgiving halloween lakes lake park parks hospital
church mosque temple museum hotel court courts house senate congress parliament office
department ministry agency union council committee party club company bank group times post
news press herald daily journal tribune mail star sun independent guardian telegraph
observer mirror express globe chronicle gazette federal national international royal
republic republican republicans democrat democrats democratic conservative conservatives
liberal liberals labour labor green greens liberty independence victory peace hope unity
freedom spring summer autumn fall winter gold silver diamond crystal amber ruby pearl
jade jasmine rose lily ivy holly heather iris olive hazel violet dawn grace faith joy
mercy glory honor honour pride power energy trade market markets exchange capital
state states city cities county province region area zone district town village country
cathedral stadium tower palace castle bridge airport station harbour harbor port
world earth global continental western eastern northern southern west east north south
black white red blue brown grey gray orange pink purple
internet online web facebook twitter instagram youtube google microsoft apple
mrs mr ms dr sir
xinhua reuters tass interfax anadolu yonhap kyodo bernama irna sana afp ria itar
""".split())  # noqa: SIM905 - a word list reads best as text

_REPORTING = re.compile(r"^[\s,]*(?:said|says|told|tells|added|adds|wrote|writes|argued|"
                        r"argues|explained|noted|notes|asked|asks|replied|replies|insisted|"
                        r"claimed|stated|recalled|warned|announced)\b")
_REPORTED = re.compile(r"\b(?:said|says|according to|told|asked|added)\s*,?\s*$")


def _name_word(text: str, t: Token) -> bool:
    """A capitalised word that can be part of a person's name: not an acronym ("CBC"), a
    common word, a word that goes with places, or a demonym ("Russian")."""
    word = text[t.start:t.end]
    return (t.upper and bool(t.key) and (not word.isupper() or len(word) == 1)
            and t.key not in COMMON and t.key not in NEXT_TO_PLACES and t.key not in WORDS
            and t.key not in country_words().demonyms)


def _run(text: str, toks: Sequence[Token], i: int, step: int) -> list[Token]:
    """The capitalised words next to token ``i`` (before it: step -1; after: +1), each
    separated by one space (or an initial's full stop), at most three."""
    out: list[Token] = []
    j = i + step
    while 0 <= j < len(toks) and len(out) < 3:
        a, b = (toks[j], toks[j - step]) if step < 0 else (toks[j - step], toks[j])
        gap = text[a.end:b.start]
        initial = gap == ". " and (a.end - a.start == 1 or a.key in TITLE_WORDS)  # "Gov. Brown"
        if not (toks[j].upper and (gap == " " or initial)):
            break
        out.append(toks[j])
        j += step
    return out


#: Words that coordinate names in a list ("Bama and Gwoza", "Bama, Dikwa or Gwoza").
_COORDINATORS = frozenset({"and", "or"})


def _after_a_locative(toks: Sequence[Token], first: int) -> bool:
    """Whether the name at ``first`` follows a locative, a movement's direction ("advancing
    on", "moving towards") or "of" after a lower-case noun ("residents of Gwoza"), directly
    or as a later member of a list of capitalised names ("in Bama and Gwoza", "residents of
    Bama, Dikwa or Gwoza")."""
    k = first - 1
    while k >= 0 and first - k <= 12 and (toks[k].capital or not toks[k].key
                                          or toks[k].key in _COORDINATORS):
        k -= 1  # back over the names (and articles) of a list and its "and"/"or"
    if k < 0:
        return False
    between = toks[k + 1:first]
    if between and not any(t.key in _COORDINATORS for t in between):
        return False  # "in Bama Gwoza": no list
    if toks[k].key in LOCATIVES:
        return True
    if toks[k].key in (*TOWARD, "on") and k >= 1 and toks[k - 1].key.startswith(MOVING):
        return True  # "units advancing on Sake, said ...": where they go
    noun = toks[k - 1] if k >= 1 else None  # "residents of", not "Bank of"
    return toks[k].key == "of" and noun is not None and bool(noun.key) \
        and (not noun.capital or noun.sentence_start)


def person_reason(text: str, toks: Sequence[Token], first: int, last: int,
                  people: set[str], *, big: bool = False) -> str:
    """Why the one-word mention at token ``first`` (== ``last``) reads as a person's name
    (or a common word), or "". ``people`` holds the surnames found so far in the report;
    a new one found here is added. A ``big`` place (a city of more than 150,000 people)
    is taken for a person only after a title ("President Vladimir Putin")."""
    t = toks[first]
    key = t.key
    word = text[t.start:t.end]
    before = _run(text, toks, first, -1)
    after = _run(text, toks, last, +1)
    if key in WORDS:
        return "a common word (or a news agency) that is also the name of a place"
    titled = next((b for b in before if b.key in TITLE_WORDS), None)
    if titled is not None:
        if not big:
            people.add(key)
        return f"a person: after the title {text[titled.start:titled.end]}"
    if big:
        return ""
    if key in people:
        return "a person named earlier in the report"
    if first > 0 and toks[first - 1].key in TAKING_VERBS and not toks[first - 1].capital:
        return ""  # "fighters retook Bulo Burte": ground is taken, not a person
    name_like = not word.isupper()
    # "Richard Spencer", "Donnie Ray Smith", "Justine Margaret Murphy", "Scott L. Berrey":
    # one to three name words around it, none of them an acronym, a place word or a demonym
    if name_like and before and len(before) <= 2 and all(_name_word(text, b) for b in before):
        people.add(key)
        return f"a person: {text[before[-1].start:t.end]} reads as a person's name"
    if name_like and after and len(after) <= 2 and all(_name_word(text, a) for a in after):
        return f"a person: {text[t.start:after[-1].end]} reads as a person's name"
    if _after_a_locative(toks, first):
        return ""  # "peacekeepers in Naqoura said", "residents of Bama and Gwoza said": a place
    sentence_end = min(len(text), t.end + 40)
    if _REPORTING.match(text[t.end:sentence_end]) or _REPORTED.search(
            text[max(0, t.start - 40):t.start]):
        people.add(key)
        return "a person or an organisation: it says or is quoted"
    return ""
