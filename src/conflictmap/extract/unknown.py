"""Place names the gazetteer does not know, found by the words around them.

A capitalised name that no source knows is still a place when the text says so: "the
village of Kfar Nabudah", "near Tal Rifaat", "the Nuseirat camp", "Qaryatayn district".
Such names become mentions with status ``unresolved`` and the reason, so that a reader
sees them (and can add them to a place list) instead of losing them.

Only strong cues count: a settlement noun and "of" before the name ("the town of X",
"the outskirts of X", "north of X"), "near", "outside" or "the suburb of" before it, a verb
of taking or striking ground right before it ("captured X", "shelled X"), or a
settlement, unit or landform noun after it ("X camp", "X village", "X oblast", "X plain"). "In X", "at X" and
"from X" are not enough on their own ("in Arabic", "in Islamic Sharia", "at FIFA"): on
TR-News each of them added only wrong names. A name holding an organisation's word
("X Army", "X University", "X School District") or a title is not taken, nor a
capitalised word joined to a name the gazetteer knows ("Fort" of "Fort McMurray").

>>> from conflictmap.extract.names import tokens
>>> t = "Shelling hit the village of Kfar Nabudah and the Nuseirat camp near Dummyville."
>>> [(t[a:b], cue) for a, b, cue, _, _ in cued_names(tokens(t), set())]
[('Kfar Nabudah', 'village of'), ('Nuseirat', 'camp'), ('Dummyville', 'near')]
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from conflictmap.extract.lexicon import (
    ORGANISATION_WORDS,
    PLACE_WORDS,
    TITLES,
    UNIT_NOUNS,
    WEEKDAYS,
)
from conflictmap.extract.names import COMMON, Token
from conflictmap.extract.text import MONTHS
from conflictmap.gazetteer.countries import country_words

#: Nouns that make the name after "<noun> of" a place.
SETTLEMENT_OF = frozenset({
    *UNIT_NOUNS, "village", "villages", "town", "towns", "city", "settlement", "settlements",
    "hamlet", "suburb", "suburbs", "outskirts", "neighbourhood", "neighborhood", "subdistrict",
    "oblast", "county", "countryside", "vicinity", "environs", "port", "island", "valley",
    "area", "parts", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
})
#: Sites whose place follows "at": "the army camp at X", "the air base at X".
SITES_AT = frozenset({"camp", "base", "airbase", "airport", "airfield", "garrison", "barracks",
                      "checkpoint", "post", "outpost", "crossing"})
#: Words right before the name that make it a place.
BEFORE = frozenset({"near", "outside", "nearby"})
#: Nouns right after the name (or its last capitalised word) that make it a place.
AFTER = frozenset({*UNIT_NOUNS, "village", "camp", "oblast", "county", "subdistrict", "hromada",
                   "crossing", "checkpoint", "airbase", "refugee", "plain", "valley", "desert",
                   "mountains", "hills", "hill", "base", "airfield", "airport", "area", "neighbourhood",
                   "neighborhood", "quarter", "suburb", "sector", "peninsula", "hilltop", "ridge"})
#: Buildings after a name, places only in a sentence that tells an event (words of
#: :data:`EVENT_WORDS`): "a convoy leaving the Amarula hotel was ambushed"; news names hotels
#: and markets of no event ("the Hyatt Place hotel").
EVENT_SITES = frozenset({"hotel", "market", "mosque", "compound"})
#: Industrial sites, places only with a word of :data:`SITE_ADJECTIVES` before them ("the Azot
#: chemical plant", "the Azovstal steel works"): "the PCA plant" is a company's.
INDUSTRIAL = frozenset({"plant", "works", "steelworks", "factory", "refinery", "mine", "dam", "depot"})
#: Words between a name and a site noun of :data:`AFTER`: "the al-Watiya air base".
SITE_ADJECTIVES = frozenset({"air", "military", "naval", "army", "border", "oil", "gas", "chemical",
                             "steel", "power", "nuclear", "cement", "fertiliser", "fertilizer",
                             "ammunition", "fuel", "hydroelectric"})
#: Verbs of taking, striking or fleeing ground: the capitalised words after them name a place
#: ("fighters retook Bulo Burte", "residents fled Kabkabiya").
TAKING_VERBS = frozenset({
    "captured", "recaptured", "took", "retook", "retaken", "taken", "seized", "entered", "stormed",
    "overran", "shelled", "besieged", "encircled", "liberated", "raided", "bombarded", "fled",
    # the same verbs after "to", "tried to", "would" and in the progressive
    "capture", "capturing", "recapture", "retake", "retaking", "seize", "seizing", "storm",
    "storming", "overrun", "overrunning", "shell", "shelling", "besiege", "besieging",
    "encircle", "encircling", "liberate", "liberating", "raid", "raiding", "bombard",
    "bombarding", "flee", "fleeing"})
#: Words of fighting and striking: "in X", "at X" or "around X" within six words after one is
#: where it happened ("fighting was reported in Kitshanga"); "in X" alone adds only wrong names
#: on news.
EVENT_WORDS = frozenset({"fighting", "clashes", "clashed", "shelling", "shelled", "strike",
                         "strikes", "airstrike", "airstrikes", "struck", "attack", "attacks",
                         "attacked", "battle", "battles", "raid", "raided", "ambush", "ambushed",
                         "bombing", "bombed", "explosion", "explosions", "killed", "fire", "hit",
                         "mortar", "mortars", "rockets", "missiles", "drone", "drones", "bomb",
                         "bombs",
                         "positions", "offensive", "assault", "dislodged", "cut"})
#: Verbs before "control of X": X is a place taken ("regained control of Moqokori").
CONTROL_VERBS = frozenset({"took", "taken", "take", "taking", "seized", "seize", "gained", "gain",
                           "regained", "regain", "established", "assumed", "wrested"})
#: Verbs whose passive makes the name before it a place ("Paletwa was shelled"); verbs said
#: as often of people ("attacked", "captured", "hit") are not among them.
PASSIVE_PLACE_VERBS = frozenset({"shelled", "bombed", "bombarded", "besieged", "encircled",
                                 "overrun", "recaptured", "retaken", "liberated", "occupied",
                                 "raided", "stormed", "evacuated"})
#: Nouns of an apposition that make the name before it a place ("X, a town ...").
APPOSED = frozenset({"town", "village", "city", "settlement", "hamlet", "port", "district",
                     "suburb", "neighbourhood", "neighborhood", "camp", "oasis", "capital",
                     "airport", "airbase", "base", "garrison", "stronghold", "crossing"})
#: "<verb of moving> toward X": X is where the force goes ("advancing toward Zepa").
TOWARD = frozenset({"toward", "towards", "into"})
MOVING = ("advanc", "push", "mov", "march", "head", "clos", "attack", "pursu")
#: Days and months: "advancing on Monday" names no place.
DATE_WORDS = frozenset([*WEEKDAYS, *MONTHS])
#: "<verb of leaving> from X": X is the place left ("the insurgents retreated from Mbau").
LEAVING = frozenset({"retreated", "withdrew", "withdrawn", "pulled", "driven", "expelled",
                     "ousted", "evicted", "fled"})
#: Words of water and relief that are part of a name ("Lake Kivu", "Mount Cameroon", "the
#: Euphrates River", "the Amu Darya": darya and nahr are the Persian and Arabic for a river):
#: the whole phrase is the name of a lake, river or mountain, not the town or person its
#: other word would be on its own.
WATER_HEADS = frozenset({"lake", "mount", "mt", "river", "jabal", "jebel", "wadi", "cape", "gulf",
                         "nahr"})
WATER_TAILS = frozenset({"river", "lake", "sea", "strait", "canal", "reservoir", "darya"})
#: Abbreviations that open a name ("St. Thomas", "Mt. Hermon"); alone they are no names.
_SAINT = frozenset({"st", "ste", "mt", "ft", "pt"})
#: At most this many words in one unknown name.
MAX_WORDS = 4
#: Honorifics and titles: "near President Smith" is a person.
_PEOPLE = TITLES | {"mr", "mrs", "ms", "dr", "sir"}
_NOT_IN_NAME = ORGANISATION_WORDS | _PEOPLE | {"school", "college"}
#: Words after a known name that belong to its phrase, not to a longer name.
_NOT_EXTENDING = frozenset(PLACE_WORDS | AFTER | SETTLEMENT_OF)


#: Prepositions of place that, after an event word, make the name after them where it happened.
_EVENT_AT = frozenset({"in", "at", "around"})


def _run(toks: Sequence[Token], i: int, taken: set[int]) -> int:
    """The last token of the capitalised run starting at ``i``."""
    j = i
    while (j + 1 < len(toks) and j + 1 - i < MAX_WORDS and j + 1 not in taken
           and toks[j + 1].joined and (toks[j + 1].capital or not toks[j + 1].key)):
        j += 1
    while j > i and not toks[j].key:  # a trailing article belongs to the next name
        j -= 1
    return j


def cue_before(toks: Sequence[Token], i: int) -> str:
    k = i - 1
    if k >= 0 and not toks[k].key:  # "near al-Bab": the article is part of the name
        k -= 1
    if k < 0 or not toks[k + 1].joined:
        return ""
    if toks[k].key in BEFORE and not toks[k].capital:
        return toks[k].key
    if toks[k].key in TAKING_VERBS and not toks[k].capital:  # "M23 rebels captured Minova"
        return toks[k].key
    if toks[k].key in _EVENT_AT and any(t.key in EVENT_WORDS for t in toks[max(0, k - 6):k]) \
            and toks[i].key not in DATE_WORDS:
        # "fighting was reported in Kitshanga", "clashes broke out at Altun Kupri"
        return f"{toks[k].key}, after an event"
    if k >= 1 and not toks[k - 1].capital and toks[k].key == "from" and toks[k - 1].key in LEAVING:
        return f"{toks[k - 1].key} from"  # "retreated from Mbau"
    if k >= 2 and not toks[k - 1].capital and (toks[k].key, toks[k - 1].key) in (
            ("from", "back"), ("from", "out"), ("of", "out")):
        # "pushed back from X", "pushed the rebels back from X", "pulled out of X": the verb
        # stands right before "back" or "out", or its object (up to four words) between; a
        # capitalised word there only as a modifier of a common noun ("drove South Sudanese
        # troops out of X")
        for v in range(k - 2, max(-1, k - 7), -1):
            if not toks[v + 1].joined or (toks[v].capital and not _modifier(toks, v, k - 1)):
                break  # a comma or a name between: another clause or another object
            if toks[v].key.startswith(("push", "forc", "driv", "pull", "mov")):
                return f"{toks[v].key} {toks[k - 1].key} {toks[k].key}"
    if toks[k].key in TOWARD and k >= 1 and toks[k - 1].key.startswith(MOVING) \
            and not toks[k - 1].capital:  # "advancing toward Zepa"
        return f"{toks[k - 1].key} {toks[k].key}"
    if toks[k].key in TOWARD and k >= 2 and toks[k - 2].key.startswith(MOVING) \
            and not toks[k - 2].capital and not toks[k - 1].capital and toks[k - 1].joined \
            and toks[k].joined:  # "pursuing fighters toward Eringeti"
        return f"{toks[k - 2].key} {toks[k - 1].key} {toks[k].key}"
    if toks[k].key == "on" and k >= 1 and toks[k - 1].key.startswith(("advanc", "march", "clos")) \
            and not toks[k - 1].capital and toks[i].key not in DATE_WORDS:
        return f"{toks[k - 1].key} on"  # "advancing on Namhsan", not "advancing on Monday"
    if toks[k].key == "of" and k >= 1 and toks[k].joined and toks[k - 1].key in SETTLEMENT_OF \
            and not toks[k - 1].capital:
        return f"{toks[k - 1].key} of"
    if toks[k].key == "at" and k >= 1 and toks[k].joined and toks[k - 1].key in SITES_AT \
            and not toks[k - 1].capital:
        return f"{toks[k - 1].key} at"  # "seized the army camp at Amachach"
    if toks[k].key == "of" and k >= 2 and toks[k - 1].key == "control" and toks[k].joined \
            and toks[k - 2].key in CONTROL_VERBS:  # "regained control of Moqokori"
        return f"{toks[k - 2].key} control of"
    return ""


def _modifier(toks: Sequence[Token], v: int, end: int) -> bool:
    """Token ``v`` is a capitalised word inside a noun phrase that a common noun before
    token ``end`` closes ("South Sudanese troops"), not a name of its own."""
    return any(not t.capital and t.key and t.joined for t in toks[v + 1:end]) \
        and not toks[v].sentence_start


def passive_after(toks: Sequence[Token], j: int) -> str:
    """A passive of a verb said of places right after a name ending at token ``j``
    ("Paletwa was shelled", "X has been besieged"): it makes the name a place."""
    k = j + 1
    if k < len(toks) and toks[k].key in ("has", "had", "have") and k + 1 < len(toks) \
            and toks[k + 1].key == "been":
        k += 1
    elif k >= len(toks) or toks[k].key not in ("was", "were"):
        return ""
    if k + 1 < len(toks) and toks[k + 1].joined and toks[k + 1].key in PASSIVE_PLACE_VERBS \
            and all(t.joined for t in toks[j + 1:k + 2]):
        return f"{toks[k].key} {toks[k + 1].key}"
    return ""


def relative_after(toks: Sequence[Token], j: int) -> str:
    """A relative clause on a name ending at token ``j`` whose verb is said of places
    ("Konna, which the army recaptured", "X, where fighting broke out"): a place."""
    k = j + 1
    if k + 1 >= len(toks) or toks[k].joined or toks[k].key not in ("which", "where"):
        return ""
    for t in toks[k + 1:k + 6]:
        if not t.joined:
            return ""  # the clause ended before a verb of the kind
        if not t.capital and (t.key in TAKING_VERBS or t.key in EVENT_WORDS
                              or t.key in PASSIVE_PLACE_VERBS):
            return f"{toks[k].key} {t.key}"
    return ""


#: Words before a distance in an apposition: "X, about 130 km west of Y".
_ABOUT = frozenset({"about", "some", "around", "roughly", "nearly", "almost", "approximately"})
_UNITS = frozenset({"km", "kms", "kilometres", "kilometers", "miles", "mi"})


def apposed(toks: Sequence[Token], j: int) -> str:
    """The settlement noun of an apposition right after a name ending at token ``j``
    ("Galcad, a town 60 km east of X", "Sake, the main town of the area"), or a distance
    ("Abu Grein, about 130 km west of Sirte"): it makes the name a place."""
    k = j + 1
    if k < len(toks) and not toks[k].joined:
        d = k + 1 if toks[k].key in _ABOUT else k
        if d + 1 < len(toks) and toks[d].key.isdigit() and toks[d + 1].key in _UNITS:
            return "a distance"
    if k >= len(toks) or toks[k].joined or toks[k].key not in ("a", "an", "the"):
        return ""
    for q in range(k + 1, min(len(toks), k + 5)):
        t = toks[q]
        if not t.joined or t.capital:
            return ""
        if t.key in APPOSED or (t.key.endswith("s") and t.key[:-1] in APPOSED):
            nxt = toks[q + 1] if q + 1 < len(toks) else None
            if nxt is not None and nxt.joined and nxt.key and not nxt.capital \
                    and nxt.key not in _AFTER_APPOSED and not nxt.key[0].isdigit():
                return ""  # "Michael Racey, a city spokesman": the noun is a modifier
            return f"a {t.key}"  # "X and Y, two villages on its flank"
    return ""


#: Words that may follow the settlement noun of an apposition ("a town near X", "a village
#: 20 km north of X", "a town which ..."): the noun ends its phrase.
_AFTER_APPOSED = frozenset({"of", "in", "on", "near", "at", "to", "from", "by", "outside", "off",
                            "along", "across", "close", "just", "some", "about", "around", "north",
                            "south", "east", "west", "northeast", "northwest", "southeast",
                            "southwest", "that", "which", "where", "with", "and", "or", "held",
                            "controlled", "seized", "captured", "taken", "under", "between",
                            "overlooking", "whose", "known", "home", "inside", "within", "located",
                            "situated", "lying", "perched", "bordering", "surrounded", "populated",
                            "inhabited", "straddling", "up", "down", "beyond", "past", "toward", "towards"})


def cued_names(toks: Sequence[Token], taken: set[int]) -> list[tuple[int, int, str, int, int]]:
    """Unknown names with a cue, as (start, end, cue, first token, last token); ``taken``
    holds the token indices of names the gazetteer matched."""
    out = []
    named: set[int] = set()  #: the tokens of unknown names found so far ("toward X and Y")
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        saint = t.key in _SAINT and i + 1 < n and toks[i + 1].joined  # "St. Thomas"
        if i in taken or not t.upper or not t.key or (t.key in COMMON and not saint):
            i += 1
            continue
        j = _run(toks, i, taken)
        if (j + 1 in taken and toks[j + 1].joined) or (i - 1 in taken and t.joined):
            i = j + 1  # part of a longer known name ("Fort" before "McMurray")
            continue
        words = [x.key for x in toks[i:j + 1] if x.key]
        cue = cue_before(toks, i)
        if not cue and len(words) > 1 and (words[0] in WATER_HEADS or words[-1] in WATER_TAILS):
            cue = words[0] if words[0] in WATER_HEADS else words[-1]  # "Lake Lanao", "Amu Darya"
        if not cue and j + 1 < n and toks[j + 1].joined and toks[j + 1].key in WATER_TAILS \
                and not toks[j + 1].upper and j + 1 not in taken:
            j += 1  # "along the Messalo river": the name with its water word
            cue = toks[j].key
            words = [*words, toks[j].key]
        if not cue and j + 1 < n and toks[j + 1].joined and j + 1 not in taken and (
                toks[j + 1].key in AFTER or (toks[j + 1].key in EVENT_SITES and any(
                    x.key in EVENT_WORDS and not x.upper for x in toks))):
            cue = toks[j + 1].key
        if not cue and j + 2 < n and toks[j + 1].key in SITE_ADJECTIVES and toks[j + 1].joined \
                and toks[j + 2].joined and (toks[j + 2].key in AFTER or toks[j + 2].key in INDUSTRIAL) \
                and j + 2 not in taken:
            cue = f"{toks[j + 1].key} {toks[j + 2].key}"  # "the al-Watiya air base"
        if not cue:
            cue = apposed(toks, j) or passive_after(toks, j) or relative_after(toks, j) \
                or _listed(toks, i, j, taken, named)
        if not cue and len(words) > 1 and words[-1] in AFTER:
            cue = words[-1]
            words = words[:-1]
            j -= 1
        if cue and words and not (set(words) & _NOT_IN_NAME) \
                and not any(w.isdigit() for w in words) and len(words[0]) > 1:
            # with its article: "Al-Swani", "al-Watiya"
            first = i - 1 if i and not toks[i - 1].key and t.joined and (
                toks[i - 1].upper or t.start - toks[i - 1].end == 1) else i
            out.append((toks[first].start, toks[j].end, cue, first, j))  # with "Al-" of "Al-Swani"
            named.update(range(first, j + 1))
        i = j + 1
    return out


def _plural_unit(key: str) -> bool:
    """"districts", "provinces", "villages", "territories": a plural of :data:`AFTER`."""
    return (key.endswith("ies") and key[:-3] + "y" in AFTER) or (
        key.endswith("s") and key[:-1] in AFTER)


def _listed(toks: Sequence[Token], i: int, j: int, taken: AbstractSet[int],
            named: AbstractSet[int]) -> str:
    """A name in a list of names that a plural unit noun ends ("the Chagoua and Dembé
    districts", "Surin, Sisaket and Ubon Ratchathani provinces"), or a name coordinated
    with a place an event word governs ("attacks on Krasna Hora and Paraskoviivka"): the
    list makes it a place. A single name before a plural ("Arab villages") is not enough.
    ``named`` holds the tokens of the unknown names found before it."""
    n = len(toks)

    def a_name(k: int) -> bool:
        return k in taken or k in named
    # forward: more names, then the plural noun
    k, names, joined_and = j + 1, 0, False
    while k < n and k - j <= 12:
        t = toks[k]
        if t.key in ("and", "or") and not t.capital:
            joined_and = True
        elif t.upper and t.key and not t.sentence_start:
            names += 1
        elif t.key and _plural_unit(t.key) and t.joined and joined_and and names:
            return f"listed before {t.key}"
        else:
            break
        k += 1
    # the last of the list: "<name> and <name> districts"
    k = i - 1
    if j + 1 < n and toks[j + 1].joined and toks[j + 1].key and _plural_unit(toks[j + 1].key) \
            and k >= 1 and toks[k].key in ("and", "or") and not toks[k].capital \
            and toks[k - 1].upper and toks[k].joined:
        return f"listed before {toks[j + 1].key}"
    # backward: "<event word> ... <known place> and <name>"
    if k >= 1 and toks[k].key in ("and", "or") and not toks[k].capital and toks[k].joined \
            and toks[i].joined and a_name(k - 1) and not toks[i].caps:  # "HIV and AIDS"
        h = k - 1
        while a_name(h - 1) and toks[h].joined and k - 1 - h < MAX_WORDS:  # one name's words
            h -= 1
        before = cue_before(toks, h)
        if h >= 1 and toks[h - 1].key in ("by", "between", "with", "from", "of") and not (
                toks[h - 1].key == "of" and before):  # "the towns of X and Y" lists places
            return ""
        if before or any((t.key in EVENT_WORDS or t.key in TAKING_VERBS)
                         and (not t.upper or t.sentence_start)  # no name ("Tojquah Battle")
                         for t in toks[max(0, h - 6):h]):
            return "and, after a place"
    return ""


def listed(toks: Sequence[Token], i: int, j: int, names: AbstractSet[int] = frozenset()) -> str:
    """A name the gazetteer matched (tokens ``i`` to ``j``) in a list of names that a plural
    unit noun ends ("the Jebel and Gudele areas"), or listed after a place an event word or
    a cue governs (``names``: the tokens of the sentence's other names): the list makes it
    a place."""
    return _listed(toks, i, j, names, frozenset())


def cued_extensions(toks: Sequence[Token], known: list[int], taken: set[int]
                     ) -> list[tuple[int, int, str, int, int]]:
    """A one-word name the gazetteer knows, followed by capitalised words no name holds and
    marked by a strong cue (before it, a settlement noun after the run as in "the Nur Shams
    camp", or a verb of taking ground before it as in "retook Bulo Burte"), is the first
    word of a longer unknown name ("the district of Ain Zara" is not the French department
    of Ain); so is it the last, after such words and a strong cue before them ("clashes
    broke out at Altun Kupri" is not the known "Kupri"): as (start, end, cue, first token,
    last token). ``known`` holds the token
    indices of the one-word names found; words that go with places ("Province", "City"),
    demonyms and common words do not extend a name, nor does a possessive ("Sudan's
    Darfur region" is two names).

    >>> from conflictmap.extract.names import tokens
    >>> t = "Clashes spread to the district of Ain Zara and the city of Aleppo Monday."
    >>> toks = tokens(t)
    >>> [(t[a:b], cue) for a, b, cue, _, _ in cued_extensions(toks, [6, 12], {6, 12})]
    [('Ain Zara', 'district of')]
    """
    out = []
    demonyms = country_words().demonyms
    single = set(known)
    for i in known:
        j = i
        while j + 1 < len(toks) and j + 1 - i < MAX_WORDS and (j + 1 not in taken or j + 1 in single):
            nxt = toks[j + 1]
            if not nxt.key and j + 2 < len(toks) and j + 2 not in taken and toks[j + 2].upper \
                    and toks[j + 2].key and nxt.start - toks[j].end == 1 \
                    and toks[j + 2].start - nxt.end == 1:
                j += 2  # an article glued to the next word: "Jabal al-Dukhan"
                continue
            if not (nxt.joined and nxt.upper and nxt.key) or nxt.start - toks[j].end != 1 \
                    or nxt.key in COMMON \
                    or nxt.key in _NOT_EXTENDING or nxt.key in demonyms or nxt.key in _NOT_IN_NAME:
                break
            j += 1
        h = _unknown_words_before(toks, i, taken, demonyms)
        if h < i and (cue := cue_before(toks, h)):
            out.append((toks[h].start, toks[j].end, cue, h, j))  # "clashes broke out at Altun Kupri"
            continue
        if j == i or (i - 1 in taken and toks[i].joined):
            continue
        cue = cue_before(toks, i)
        if not cue and (toks[i].key in WATER_HEADS or toks[j].key in WATER_TAILS):
            cue = toks[i].key if toks[i].key in WATER_HEADS else toks[j].key  # "Lake Kivu"
        if not cue and j + 1 < len(toks) and toks[j + 1].joined and toks[j + 1].key in AFTER:
            cue = toks[j + 1].key  # "the Nur Shams camp", "Bulo Burte district"
        if not cue and i > 0 and toks[i].joined and toks[i - 1].key in TAKING_VERBS \
                and not toks[i - 1].capital:
            cue = toks[i - 1].key  # "fighters retook Bulo Burte"
        if cue:
            out.append((toks[i].start, toks[j].end, cue, i, j))
    return out


def _unknown_words_before(toks: Sequence[Token], i: int, taken: set[int], demonyms) -> int:
    """The first of the capitalised words no name holds right before token ``i`` (``i``
    itself when there are none)."""
    h = i
    while h > 0 and i - h + 1 < MAX_WORDS and h - 1 not in taken:
        prev = toks[h - 1]
        if not (toks[h].joined and prev.upper and prev.key) or toks[h].start - prev.end != 1 \
                or prev.sentence_start or prev.key in COMMON or prev.key in _NOT_EXTENDING \
                or prev.key in demonyms or prev.key in _NOT_IN_NAME or prev.key in WATER_HEADS:
            break  # "Jabal Sinjar": a landform's name is judged as one (places.water_body)
        h -= 1
    return h


def spelled_runs(toks: Sequence[Token], taken: set[int]) -> list[tuple[int, int, int, int]]:
    """Capitalised runs of two to four words that no exact key matched and no cue marks,
    as (start, end, first token, last token): candidates for a place written in another
    spelling ("Lower Shabelle" for Shabeellaha Hoose, "Pétion-Ville" for Pétionville).
    The extractor keeps one only when the gazetteer places it in the report's countries."""
    out = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if i in taken or not t.upper or not t.key or (t.sentence_start and t.key in COMMON):
            i += 1
            continue
        j = _run(toks, i, taken)
        words = [x.key for x in toks[i:j + 1] if x.key]
        touching = (j + 1 in taken and toks[j + 1].joined) or (i - 1 in taken and t.joined)
        if len(words) >= 2 and not touching and not (set(words) & _NOT_IN_NAME) \
                and not any(w.isdigit() or w in COMMON for w in words):
            out.append((t.start, toks[j].end, i, j))
        i = j + 1
    return out
