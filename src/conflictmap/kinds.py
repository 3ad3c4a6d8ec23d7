"""Claim kinds: what a report says happened at a place, and everything each kind needs
in one table — its label, colour and glyph on the map, the nearest ACLED event type,
the words that name it in input files, the cue words the extractor reads it from, and
the sentence a draft summary is made of.

Adding a kind means adding one :class:`ClaimKind` member and one :data:`KINDS` row; a
test checks that every kind has every field.

>>> ClaimKind.parse("Took control").value
'captured'
>>> KINDS[ClaimKind.RETREAT].label
'Retreat / withdrawal'
>>> acled_type(ClaimKind.CAPTURED, ["Syrian government forces"])
('Battles', 'Government regains territory')
>>> acled_type(ClaimKind.CAPTURED, ["Hayat Tahrir al-Sham"])
('Battles', 'Non-state actor overtakes territory')
>>> acled_type(ClaimKind.STRIKE, [], "Israeli jets struck the village")
('Explosions/Remote violence', 'Air/drone strike')
>>> acled_type(ClaimKind.STRIKE, [], "Artillery shelled the town")
('Explosions/Remote violence', 'Shelling/artillery/missile attack')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ClaimKind(StrEnum):
    """What a report says happened at a place."""

    CAPTURED = "captured"
    ADVANCE = "advance"
    RETREAT = "retreat"
    BESIEGED = "besieged"
    STRIKE = "strike"
    CLASH = "clash"
    TARGET = "target"
    MOVEMENT = "movement"
    CONTROL = "control"
    MENTION = "mention"

    @property
    def label(self) -> str:
        return KINDS[self].label

    @property
    def info(self) -> KindInfo:
        return KINDS[self]

    @classmethod
    def parse(cls, text: str) -> ClaimKind:
        """Accept the value or a documented synonym (raises ``ValueError`` otherwise).

        >>> ClaimKind.parse("foothold").value
        'target'
        """
        key = " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())
        found = _SYNONYMS.get(key)
        if found is None:
            raise ValueError(key)
        return found


@dataclass(frozen=True)
class KindInfo:
    """Everything about one claim kind."""

    label: str  #: the legend's words
    color: str  #: Okabe–Ito (colour-blind safe) marker colour
    glyph: str  #: SVG path on a 24×24 grid, drawn white on the marker
    acled: tuple[str, str]  #: nearest ACLED (event_type, sub_event_type)
    synonyms: tuple[str, ...]  #: other words input files may use for the kind
    summary: str  #: draft summary template: {place}, {to}, {by}, {of}
    cue: re.Pattern | None = None  #: words in lower-cased text that report the kind
    #: the first letters (up to 4) of the first word of each cue, separated by spaces: a
    #: kind's ``cue`` is tried only where a word starts with one of them
    cue_starts: str = ""


#: What is taken that is no ground ("taken to hospital", "taken part", "taking shelter in X").
_NOT_GROUND = ("to|into|in|part|place|prisoners?|hostages?|captives?|away|off|care|shelter|refuge|"
               "cover|steps|measures|action|responsibility")

KINDS: dict[ClaimKind, KindInfo] = {
    ClaimKind.CAPTURED: KindInfo(
        label="Captured / took control", color="#D55E00",
        glyph="M8 5v14M8 5h9l-2.5 3.5L17 12H8",
        acled=("Battles", "Non-state actor overtakes territory"),
        synonyms=("capture", "took control", "taken"),
        summary="{place} reported taken{by}.",
        cue=re.compile(
            r"\b(?:took|take|taken|taking|seized?|seizing|(?:re)?gained|(?:re)?gain|establish(?:ed)?|"
            r"wrested|assumed) (?:full )?"
            r"control(?: over| of)?|\bcaptur(?:e|ed|es|ing)\b|\bseiz(?:ed|es|ing)\b|\b(?:re)?took\b|"
            r"\bliberat(?:ed|es|ing|ion of)\b|\bfell to\b|\bfall of\b|\bfallen\b|\boverr?(?:an|un)\b|"
            # "had taken X", "was taken by": a perfect or a passive of taking; not "taken to
            # hospital", "taken part", "taken prisoner", "taken shelter in X"
            # ("had also taken X", "have now taken X": an adverb between)
            r"(?:(?<=\bhad )|(?<=\bhas )|(?<=\bhave )|(?<=\bhaving )|(?<=\bbeen )|(?<=\bwas )|"
            r"(?<=\bwere )|(?<=\band )|\b(?:had|has|have|having|been) (?:also|already|now|since|just|"
            rf"reportedly|finally|again) )taken\b(?! (?:{_NOT_GROUND}|ill|aback|seriously)\b)|"
            # "after taking the nearby city of X"; not "taking part", "taking shelter in X"
            rf"\btaking\b(?! (?:{_NOT_GROUND}|aim|note|notice|advantage|photos?|pictures?|time|"
            r"turns|questions|office|power|charge|hold|out|up|on|a|an|their|his|her|its|our|my|"
            r"them|him|people|civilians|residents)\b)|"
            r"\bretaken\b|\btaken back\b|\bvictory (?:in|at|over)\b|\bsuccess(?:es)? in\b|"
            # "secured the town", "had secured the area around X"; not a release, a deal or funds
            r"\bsecur(?:ed|ing)\b(?! (?:the |a |an |their |its )?(?:release|deal|agreement|funding|"
            r"funds|support|votes?|loans?|access|passage|future|border|borders|nomination|seats?|"
            r"majority|win|victory|contracts?|rights|investment|financing|approval)\b)|"
            r"\brecaptur\w+|سيطر\w*|"
            # a flag raised over a place claims it ("raised the national flag over the centre of X")
            r"\braised (?:the|their|its|a|his) (?:[\w-]+ ){0,2}flags? (?:over|on|above|in)\b|"
            r"\bحرر\w*|\bتحرير\b"),
        cue_starts="took take taki seiz gain rega esta wres assu capt reto libe fell fall over reta vict secu "
                   "succ reca rais had has have havi been "
                   "سيطر حرر تحري"),
    ClaimKind.ADVANCE: KindInfo(
        label="Advance", color="#E69F00", glyph="M6 13l6-6 6 6M6 18l6-6 6 6",
        acled=("Battles", "Armed clash"), synonyms=("advanced",),
        summary="An advance at {place} is reported{by}.",
        cue=re.compile(
            r"\badvanc(?:e|ed|es|ing)\b|\bmak(?:ing|es?) (?:\w+ )?gains\b|\bgains in\b|"
            r"\b(?:push|press)(?:ed|ing)? (?:(?:north|south|east|west|further|deeper|ahead|on) )?"
            r"(?:on|toward|towards|into)\b|\bprogress(?:ed)?\b|"
            r"\bdeploy(?:ed|ment)? (?:in|on|near|around|to)\b|\bdeployment of\b|\bclos(?:ed|ing) in on\b|"
            r"\bapproach(?:ed|ing)\b|\boutskirts\b|"
            r"\b(?:moved|rolled|drove|marched|swept|poured|walked|strolled) in(?:to)?\b|"
            r"\benter(?:ed|ing|s)?\b|\bcross(?:ed|ing) (?:[\w-]+ ){0,5}?into\b|"
            # "a convoy reached X"; not "reached an agreement"
            r"\breach(?:ed|ing)\b(?! (?:an?|the|its|their) (?:\w+ )?(?:agreement|deal|accord|"
            r"settlement|ceasefire|truce|compromise|understanding|decision|conclusion)\b)|"
            # "fought their way into X": the fighting is how they advanced
            r"\bpursu(?:ed|ing)\b(?= (?:\w+ ){0,3}?(?:toward|towards|into)\b)|"
            r"\b(?:fought|fighting|forced|forcing|battled|battling|pushed|pushing|made|making) "
            r"(?:their|its|his|her|our) way (?:in|into|to|toward|towards|through)\b|"
            r"\bتقدم\w*"),
        cue_starts="adva maki make made gain push pres prog depl clos appr outs move roll drov marc swep "
                   "pour ente cros reac foug figh forc batt walk stro purs تقدم"),
    ClaimKind.RETREAT: KindInfo(
        label="Retreat / withdrawal", color="#0072B2", glyph="M6 6l6 6 6-6M6 11l6 6 6-6",
        acled=("Strategic developments", "Change to group/activity"),
        synonyms=("withdrew", "withdrawal"),
        summary="A withdrawal from {place} is reported.",
        cue=re.compile(
            r"\bretreat(?:ed|ing|s)?\b|\bwithdr[ae]w\w*|\bwithdrawal\b|\bpull(?:ed|ing)? (?:out|back)\b|"
            r"\b(?:fell|fall(?:s|ing)?) back\b|"
            r"\b(?:pushed|forced|drove|driven|pulled) (?:\w+ ){0,6}?(?:out|back)\b|\bfled\b|"
            r"\babandon(?:ed|ing)?\b|\bdislodg(?:e|ed|ing)\b|"
            r"\bevacuated from\b|انسحب\w*|\bانسحاب\b"),
        cue_starts="retr with pull push forc drov driv fled aban disl evac fell fall انسح"),
    ClaimKind.BESIEGED: KindInfo(
        label="Besieged / encircled", color="#CC79A7",
        glyph="M12 8a4 4 0 1 0 0.01 0M12 3v3M12 18v3M3 12h3M18 12h3",
        acled=("Battles", "Armed clash"), synonyms=("siege", "encircled"),
        summary="{place} reported besieged or cut off{by}.",
        cue=re.compile(
            r"\bbesieg(?:e|ed|ing)\b|\bsiege\b|\bencircl(?:e|ed|ing|ement)\b|\bsurround(?:ed|ing)\b|"
            r"\bcut off\b|\bblockad(?:e|ed)\b|\btrapped\b|\bحصار\b|\bمحاصر\w*|"
            # "cut the militants' escape route at X", "cut the main supply road into X"
            r"\bcut (?:[\w'’-]+ ){0,3}?(?:roads?|routes?|highways?|supply lines?|lines of supply)\b"),
        cue_starts="besi sieg enci surr cut bloc trap حصا محاص"),
    ClaimKind.STRIKE: KindInfo(
        label="Strike / shelling", color="#000000",
        glyph="M12 3l2 5 5-2-2 5 5 2-5 2 2 5-5-2-2 5-2-5-5 2 2-5-5-2 5-2-2-5 5 2z",
        acled=("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        synonyms=("airstrike", "air strike", "drone strike", "shelling", "bombing", "missile attack",
                  "rocket attack", "artillery"),
        summary="A strike on {place} is reported{by}.",
        cue=re.compile(
            r"\bstruck\b|\bstrik(?:e|es|ing) (?:on|against|at)\b|"
            r"\b(?:air|drone|missile|rocket|artillery) ?(?:strikes?|raids?|attacks?|fire)\b|"
            r"\bairstrikes?\b|\bshell(?:ed|ing|s)\b|\bpound(?:ed|ing)\b|\bbomb(?:ed|ing|ings|ard\w*)\b|\bartillery\b|"
            r"\bmissiles?\b|\brockets?\b|\bmortars?\b|\bfir(?:ed|ing) (?:\w+ )?(?:at|on|into)\b|\bhit\b|"
            r"\bhitting\b|\blanded (?:in|on|near|inside|at)\b|\bfell on\b|"
            # explosives set off at a place (ACLED: remote explosive, IED, suicide bomb)
            r"\bbombs?\b|\bexplo(?:ded|sions?)\b|\bblasts?\b|\bieds?\b|\bsuicide bomber\b|"
            # "used jets and helicopter gunships against rebels near X"
            r"\bused (?:[\w-]+ ){0,4}?(?:jets|warplanes|aircraft|gunships|helicopters|drones|"
            r"artillery|rockets|missiles|mortars|air power)\b|"
            r"\bقصف\w*"),
        cue_starts="stru stri air dron miss rock mort arti airs shel poun bomb fire firi hit expl blas ied "
                   "suic land fell used قصف"),
    ClaimKind.CLASH: KindInfo(
        label="Clash / attack", color="#56B4E9",
        glyph="M5 5l14 14M19 5L5 19M5 5v4M5 5h4M19 5v4M19 5h-4",
        acled=("Battles", "Armed clash"),
        synonyms=("clashes", "fighting", "attack", "raid", "ambush", "battle"),
        summary="Fighting at {place} is reported{by}.",
        cue=re.compile(
            r"\bclash(?:ed|es|ing)?\b|\bfighting\b|\bfought\b|\bbattl(?:e|es|ed|ing)\b|"
            r"\battack(?:ed|s|ing)?\b|\braid(?:ed|s|ing)?\b|\bambush(?:ed|es|ing)?\b|"
            r"\brepel(?:led|s|ling)?\b|\brepulsed\b|\bfirefights?\b|\bskirmish(?:es)?\b|"
            r"\bexchanges? of fire\b|\bexchanged (?:\w+ ){0,2}fire\b|\bgun ?battles?\b|\bassaults\b|"
            r"\bassault (?:in|around|near)\b|"
            # "the post came under fire": an attack of unstated weapons; "came under rocket
            # fire" is a strike's cue
            r"\b(?:came|come|comes|coming) under (?:heavy |sustained )?(?:fire|attack)\b|"
            # "fighting spread across the capital": the event before it goes on there
            r"\bspread (?:across|to|into|through|over)\b|"
            # storming is an assault: whether the place was taken, another word says
            r"\bstorm(?:ed|ing)\b|\bdestroy(?:ed|ing|s)?\b|"
            # arson as an attack on a place ("set fire to homes there", "torched the market")
            r"\bset (?:\w+ )?(?:fire to|ablaze|alight)\b|\btorch(?:ed|ing)\b|\bburn(?:ed|t)(?: down)?\b|"
            r"\barson\b|\bاشتباك\w*"),
        cue_starts="clas figh foug batt atta raid ambu repe repu fire skir exch gun assa stor dest set "
                   "torc burn arso came come comi spre اشتب"),
    ClaimKind.TARGET: KindInfo(
        label="Target / foothold", color="#9E1B32",
        glyph="M12 6a6 6 0 1 0 0.01 0M12 10a2 2 0 1 0 0.01 0M12 2v5M12 17v5M2 12h5M17 12h5",
        acled=("Strategic developments", "Other"),
        synonyms=("foothold", "offensive", "target/foothold"),
        summary="{place} named as a target or objective{of}.",
        cue=re.compile(
            r"\bfoothold\b|\boffensive (?:on|against|toward|towards)\b(?! (?:monday|tuesday|wednesday|thursday|"
            r"friday|saturday|sunday|\d))|"
            # "launched an offensive on Wednesday to drive the militias out of X": its aim
            r"\boffensive(?: (?:on|this|last) \w+day)? to\b|\bassault (?:on|against)\b|"
            # "struck more than 100 targets across the south": the plural is what was struck
            r"\btarget(?:ed|ing)?\b|\bstorm\b|\bobjective\b"),
        cue_starts="foot offe assa targ stor obje"),
    ClaimKind.MOVEMENT: KindInfo(
        label="Movement / redeployment", color="#009E73", glyph="M4 12h13M13 7l5 5-5 5",
        acled=("Strategic developments", "Change to group/activity"),
        synonyms=("evacuation", "redeployment"),
        summary="A movement from {place} to {to} is reported{by}.",
        cue=re.compile(
            r"\bevacuat(?:e|ed|es|ing|ion)\b|\bredeploy\w*|\brelocat\w+|\btransferr?\w*|"
            r"\bmov(?:e|ed|es|ing)\b|\bconvoys?\b|\breinforcements?\b|\bshift(?:ed|ing)?\b"),
        cue_starts="evac rede relo tran move movi mov conv rein shif"),
    ClaimKind.CONTROL: KindInfo(
        label="Control / occupation", color="#3B5BA9",
        glyph="M12 4l6 2.2v5c0 4-2.7 6.8-6 8-3.3-1.2-6-4-6-8v-5z",
        acled=("Strategic developments", "Other"),
        synonyms=("occupation", "occupied", "control/occupation"),
        summary="{place} reported held or occupied{by}.",
        cue=re.compile(
            r"occupied\b|\boccupation\b|\bheld by\b|\bcontrolled by\b|\bunder (?:the )?control\b|"
            r"\bstronghold\b|\b(?:main )?base\b|\bin the hands of\b|\bin (?:\w+ )?hands\b|"
            r"\bhold(?:s|ing)?\b|\bcontrols?\b|"
            # "still held the port of X"; not people held, nor talks, votes or rallies held
            # nor people held ("hostages held in X")
            r"(?<!was )(?<!were )(?<!been )(?<!being )(?<!hostages )(?<!prisoners )(?<!captives )"
            r"(?<!detainees )(?<!people )(?<!civilians )\bheld\b(?! (?:talks|an?|elections?|"
            r"hostages?|prisoners?|captive|meetings?|rall\w*|protests?|up|back|responsible|"
            r"funerals?|discussions|consultations|a vote|votes|celebrations)\b)"
            # "held dozens of residents hostage": people held
            r"(?! (?:[\w-]+ ){1,4}?(?:hostages?|captive|prisoners?)\b)"),
        cue_starts="occu held cont unde stro base main in hold"),
    ClaimKind.MENTION: KindInfo(
        label="Mentioned", color="#6B6B6B", glyph="M12 10a2 2 0 1 0 0.01 0",
        acled=("Strategic developments", "Other"), synonyms=(),
        summary="{place} is named in the report; no event is stated there."),
}

_SYNONYMS: dict[str, ClaimKind] = {k.value: k for k in ClaimKind} | {
    word: kind for kind, info in KINDS.items() for word in info.synonyms}

_GOVERNMENT_WORDS = ("government", "army", "armed forces", "state")
_BASE_WORDS = ("base", "stronghold", "headquarters")
_AIR_WORDS = re.compile(r"(?i)\b(?:air|drones?|aircraft|jets?|warplanes?|helicopters?|airstrikes?)\b")


def acled_type(kind: ClaimKind | str, actors: Sequence[str], summary: str = "") -> tuple[str, str]:
    """ACLED ``event_type`` and ``sub_event_type`` nearest to a claim kind: a capture
    by a government is "Government regains territory", a held base "Headquarters or
    base established"."""
    kind = ClaimKind(kind)
    if kind is ClaimKind.CAPTURED:
        first = (actors[0] if actors else "").lower()
        if any(w in first for w in _GOVERNMENT_WORDS):
            return "Battles", "Government regains territory"
    if kind is ClaimKind.CONTROL and any(w in summary.lower() for w in _BASE_WORDS):
        return "Strategic developments", "Headquarters or base established"
    if kind is ClaimKind.STRIKE and _AIR_WORDS.search(summary):
        return "Explosions/Remote violence", "Air/drone strike"
    return KINDS[kind].acled
