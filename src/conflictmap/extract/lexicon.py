"""The words the extractor reads roles, claim kinds, actors and dates from.

Plain data, kept in one place so that a reader can see (and extend) what the
rules look for (the cue words of each claim kind are in the kind table,
:data:`conflictmap.kinds.KINDS`). All patterns are matched on lower-cased text; a few Arabic verbs of control,
advance, withdrawal, siege and shelling are included.
"""

from __future__ import annotations

import re

DIRECTION = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"

# Words that make a capture or advance a prospect rather than a report of fact.
HEDGES = re.compile(r"\b(?:will|would|could(?! not be (?:independently )?(?:verified|confirmed))|"
                    r"(?<!\d )may(?! \d)|might|possible|possibly|if|plans? to|"
                    r"prepar\w+ to|threat\w*|aims? to|expected to|likely|attempts? to|hop(?:e|es|ed|ing)|"
                    r"intend(?:s|ed)? to|vow(?:s|ed)? to|wants? to|wanted to|seeks? to|seeking to)\b")

# Words that put an event out of the report's own account: denied, demanded, threatened,
# planned, conditional, failed or rumoured ("the army denied that militants had captured X", "the
# government demanded that the rebels withdraw from X", "troops did not enter X").
SCOPE = re.compile(r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
                   r"dismiss(?:es|ed|ing)?|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|"
                   r"call(?:s|ed|ing)? (?:on|for)|ask(?:s|ed|ing)?|threat\w*|plans? to|planned to|"
                   r"avoid(?:s|ed|ing)?|prevent(?:s|ed|ing)?|prepar\w+ to|order(?:s|ed|ing)?|"
                   r"would|if|unless|failed to|fails to|rumou?rs?|fears? of|feared|"
                   r"warn(?:s|ed|ing)? (?:[\w'’-]+ ){0,3}?against)\b")
#: Capitalised words after a cue that name no place of their own ("attacked Government
#: positions", "struck Monday").
NOT_OBJECTS = frozenset({"government", "army", "monday", "tuesday", "wednesday", "thursday",
                         "friday", "saturday", "sunday", "january", "february", "march", "april",
                         "may", "june", "july", "august", "september", "october", "november",
                         "december", "islamic", "state", "opposition", "rebel", "rebels"})
#: A claim the sentence then says was denied ("had taken X, a claim Kyiv denied").
DENIAL = re.compile(r"\bclaims?\b[^.;]{0,60}?\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|refut(?:es|ed)|"
                    r"dismiss(?:es|ed))\b")
#: An attempt right before a verb of taking ("tried to storm X"): the assault took place, the
#: taking did not (or is not told): a clash at X, as ACLED codes an attack that takes nothing.
ATTEMPT = re.compile(r"\b(?:tried|attempted|sought)\s+to\s+$")
#: Aircraft as the doer of a clause: their raids and attacks are strikes, not clashes.
AIRCRAFT = re.compile(r"\b(?:warplanes?|(?:fighter )?jets?|aircraft|drones?|helicopters?|"
                      r"gunships?|bombers?|air ?force)\b")
#: "entered X after the army pulled out", "moved in after the troops left": the other side
#: left, so entering is taking.
LEFT_BY_DEFENDERS = re.compile(r"^[^.;]{0,40}\bafter\b[^.;]{0,60}\b(?:pulled out|pulled back|"
                               r"withdr(?:ew|awn|awal)|retreated|abandoned|left|fled)\b")
#: An attack made with a remote weapon is a strike: "attacked a police station with drones".
REMOTE_WEAPON = re.compile(r"[^.;]{0,60}?\bwith\b[^.;,]{0,30}\b(?:drones?|missiles?|rockets?|"
                           r"artillery|mortars?|shells|bombs?|air ?strikes?)\b")
#: Between a verb of taking and a name: where people or things were taken, not ground
#: taken ("families were taken by bus to X", "captured and taken to X").
TAKEN_TO = re.compile(r"(?<!close )(?<!next )(?<!road )(?<!route )(?<!highway )(?<!way )"
                      r"\b(?:to|towards?)\s+(?:the\s+)?(?:[a-z]+\s+of\s+)?$")
#: Before a name: a road between two places ("convoys on the highway between X and Y"): the
#: event is on the road, at neither end (a road "to X" is coded at X, as ACLED codes an
#: event at the nearest named place).
ROAD_BETWEEN = re.compile(r"\b(?:road|highway|route|railway|motorway)s?\s+(?:linking|between|"
                          r"connecting)\s+[^,;.]{0,40}$", re.IGNORECASE)
#: Between an advance and a name: where the advance set out from, not where it went.
ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?(?:[a-z]+\s+of\s+)?$")
#: Before a name after a withdrawal cue: where the force went, not the place it left.
DESTINATION = re.compile(r"\b(?:to|towards?|into|behind|across)\b[^,;.]{0,40}$")
#: Verbs of going in: what the other side's leaving makes a capture.
ENTERING = re.compile(r"enter|(?:moved|rolled|drove|marched|swept|poured|walked|strolled) in",
                      re.IGNORECASE)
#: What falls or lands at a place when a strike hits it ("shells landed in X"); troops that
#: land somewhere arrive there instead ("paratroopers landed at the airport").
PROJECTILES = re.compile(r"\b(?:shells?|rockets?|missiles?|mortars?|bombs?|projectiles?|"
                         r"drones?|grads?|katyushas?|munitions?|rounds)\b")
#: Armed people whose landing at a place is an arrival there ("paratroopers landed at X");
#: a plane that lands (with aid, with a minister) makes no claim.
LANDING_FORCES = re.compile(r"\b(?:troops|paratroopers|forces|marines|soldiers|commandos|"
                            r"fighters|units|special forces)\b")
#: A verb negated right before it ("troops did not enter X").
NEGATED = re.compile(r"\b(?:not|never|no longer|n't)\s+(?:\w+\s+)?$")

# --- roles -----------------------------------------------------------------------------------
# Organisations whose names contain place words (own list; extend freely).
ORGANISATIONS = [
    "Hayat Tahrir al-Sham", "Tahrir al-Sham", "Jabhat al-Nusra", "Jabhat Fatah al-Sham",
    "Ahrar al-Sham", "Faylaq al-Sham", "Jaysh al-Islam", "Jaish al-Izza", "Jaysh al-Izza",
    "Islamic State of Iraq and the Levant", "Islamic State of Iraq and Syria",
    "Islamic State in Iraq and Syria", "Islamic State of Iraq", "Hurras al-Din",
    "Free Syrian Army", "Syrian National Army", "Syrian Democratic Forces", "National Front for Liberation",
    "Turkistan Islamic Party", "Syrian Arab Army", "Syrian Army", "Syrian Observatory for Human Rights",
    "Syrian Civil Defence", "Libyan National Army", "Iraqi Security Forces", "Popular Mobilization Forces",
    "Kurdistan Workers' Party", "Azov Regiment", "Wagner Group", "Global Research", "South Front",
    "Al Jazeera", "Radio Free Europe", "Voice of America", "Hezbollah",
]
ORGANISATION_WORDS = {
    "army", "forces", "front", "party", "council", "brigade", "brigades", "battalion",
    "regiment", "division", "corps", "movement", "research", "news", "times", "post", "press",
    "agency", "ministry", "university", "airlines", "airways", "club", "observatory",
    "committee", "union", "bank", "institute", "foundation", "media", "tv", "radio", "guard",
    "guards", "militia", "group", "network", "monitor", "herald", "tribune", "journal",
    "gazette", "daily", "weekly", "review", "company", "force", "command",
}
TITLES = {"president", "minister", "general", "gen", "colonel", "col", "commander", "mr", "mrs",
          "ms", "dr", "prime", "king", "emir", "sheikh", "imam", "spokesman", "spokeswoman",
          "ambassador", "envoy", "leader", "chief", "lt", "maj", "sgt", "capt", "admiral"}
# Capitalised words a place name may carry before or after it ("Greater Idlib",
# "Idlib City", "Northern Aleppo").
PLACE_WORDS = {
    "greater", "upper", "lower", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "central", "old", "new", "mount", "city", "town", "village",
    "province", "governorate", "district", "region", "countryside", "valley", "plain",
    "river", "lake", "airport", "airbase", "border", "crossing", "highway", "road", "dam",
    "camp", "area", "hills", "hill", "mountains", "subdistrict", "oblast", "state",
}
PROCESS = re.compile(r"^[\s’']*(?:s\s+)?(?:format|process|talks|agreement|agreements|accords?|"
                     r"memorandum|summit|deal|declaration|protocol|ceasefire|negotiations|"
                     r"platform|conference|communiqu\w+|framework|formula|guarantors)\b")
GROUP_NOUNS = re.compile(r"^\s*(?:rebels?|militants?|groups?|fighters?|factions?|militias?|"
                         r"jihadists?|insurgents?|opposition|supporters?|grant-eaters|activists?|"
                         r"outlets?|terrorists?|gunmen|radicals|extremists?|clans?|tribes?|forces|troops|"
                         r"soldiers|units|brigades?|battalions?|police|peshmerga|"
                         # an institution of the place's: "a US military spokesman said"
                         r"military|army|navy|air force|spokes(?:man|woman|person)|envoys?|"
                         r"embassy|commanders?|warplanes|special forces)\b")
#: Before a country or capital: it stands for a party ("militias aligned with Baghdad").
ALIGNED_WITH = re.compile(r"\b(?:aligned with|allied (?:to|with)|loyal to|backed by|supported by|"
                          r"sponsored by|armed by)\s+(?:the\s+)?$")
GOVERNMENT = re.compile(r"^\s*(?:government|regime|authorities|leadership|administration|"
                        r"officials?|cabinet|foreign ministry|diplomats?|negotiators?|"
                        # a possessive, but not of a part of the city ("Tripoli's airport")
                        r"[’']s\b(?!\s+(?:[\w-]+\s+)?(?:airport|airbase|port|harbour|outskirts|"
                        r"cent(?:re|er)|suburbs?|streets|districts?|neighbou?rhoods?|old city|"
                        r"hospitals?|main square|eastern|western|northern|southern)\b))")
AGENCY_VERBS = re.compile(
    r"^\s*(?:(?:also|still|not|now|already|reportedly|then|later|again|further|"
    r"repeatedly|officially|publicly|quickly|finally|apparently|openly|never)\s+)*"
    r"(?:will|would|could|can|cannot|can't|won't|must|should|may|might|said|says|say|"
    r"announced?|announces|declared?|declares|denied|denies|deny|accused|accuses|warned|"
    r"warns|agreed|agrees?|refused|refuses|rejected|rejects|demanded|demands|insist(?:s|ed)?|"
    r"threaten(?:s|ed)?|started|starts?|began|begins?|launched|launches|sent|sends|signed|"
    r"signs|supports?|supported|backs|backed|condemned|condemns|claimed|claims|stated|"
    r"states|responded|responds|hopes?|hoped|finds?|found|failed|fails|decided|decides|"
    r"plans?|planned|seeks?|sought|called|calls|urged|urges|offered|offers|proposed|proposes|"
    r"expects?|expected|believes?|considers?|continues?|continued|wants?|wanted|tries|tried|"
    r"has|have|had|is trying|was trying|are|were|insisted|negotiated|negotiates|"
    r"recognised|recognized|retaliated|vowed|vows|pledged|pledges|admitted|admits)\b")
TALKS = re.compile(r"\b(?:talks|negotiations|agreement|deal|meeting|summit|dialogue|contacts|"
                   r"relations|tensions|ties|understanding|ceasefire|consultations|round)\b")
BETWEEN = re.compile(r"\b(?:between|with|by)\s+(?:\S+\s+(?:and|,)\s+)?$")
COORDINATED = re.compile(r"^\s*(?:,|and|or|,\s*and)\s+")

# --- places ----------------------------------------------------------------------------------
#: Administrative units as reports name them after a place ("Idlib province", "Maungdaw
#: township", "Bakhmut raion"): one list for the role finder and the unknown-name cues. It is
#: narrower than the gazetteer's own (:mod:`conflictmap.gazetteer.areas`): "state" and
#: "department" after a capitalised word name groups and offices too ("Islamic State").
UNIT_NOUNS = ("province", "governorate", "district", "region", "territory", "township", "woreda", "raion",
              "rayon", "tehsil", "locality", "commune", "municipality")

# --- actors ----------------------------------------------------------------------------------
#: After a demonym, words that make it an armed actor: "Israeli tanks", "Ethiopian troops".
FORCES_AFTER = re.compile(r"\s+(?:armed forces|forces|troops|army|soldiers|tanks|aircraft|"
                          r"warplanes|jets|drones|navy|military|artillery|units|special forces)\b",
                          re.IGNORECASE)
#: A named armed force the lexicon does not list: two to five capitalised words ending in
#: a force noun ("the Rapid Support Forces", "the Arakan Army", "Tigray Defence Forces").
FORCE_NOUNS = ("Forces", "Army", "Front", "Brigade", "Militia", "Corps", "Guard", "Battalion",
               "Regiment", "Alliance")
NAMED_FORCES = re.compile(r"(?:\b(?:The|A|An) )?(?P<name>(?:[A-Z][\w'’-]+ ){1,4}(?:"
                          + "|".join(FORCE_NOUNS) + r")s?\b)")
#: People taken, not ground: "a pilot was captured", "captured two soldiers".
_PEOPLE_TAKEN = r"pilots?|soldiers?|officers?|commanders?|journalists?|hostages?|civilians?|workers?|crew"
#: (as subjects also the groups: "rebels were captured"; not as objects: "captured rebel-held X")
PEOPLE_TAKEN_BEFORE = re.compile(rf"\b(?:{_PEOPLE_TAKEN}|fighters?|leaders?|men|women|children|troops|"
                                 r"militants?|rebels?)\s+(?:was|were|had been|has been|have been|"
                                 r"being)\s+$")
PEOPLE_TAKEN_AFTER = re.compile(r"\s+(?:(?:a|an|the|two|three|four|five|several|dozens of|"
                                rf"hundreds of|\d+)\s+)?(?:\w+\s+)?(?:{_PEOPLE_TAKEN}|prisoners?)\b")
#: People who flee without being a party: "thousands fled", "families fled" is no retreat.
CIVILIANS = re.compile(r"\b(?:thousands|hundreds|families|residents|civilians|people|refugees|"
                       r"villagers|inhabitants|locals|children|women|witnesses|the displaced|displaced "
                       r"people|migrants)\b|"
                       # "20,000 Syrians crossed into Turkey": people of a nation, counted
                       r"\b\d[\d,.]*\s+[a-z]+(?:ians|ans|is|ese)\b", re.IGNORECASE)
# The first pattern is filled with the demonym of the report's main country.
GOVERNMENT_FORCES = (r"\b(?:{demonym} )?(?:government|regime|pro-government|loyalist) "
                     r"(?:forces|troops|units|artillery|aircraft|warplanes|jets)\b|"
                     r"\b(?:the )?{demonym} (?:arab )?army\b|"
                     r"\bgovernment troops\b|\bthe army\b|\bthe military\b|\bassad forces\b")
ACTOR_PHRASES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\bhayat tahrir al-sham\b|\bhts\b|\btahrir al-sham\b"), "Hayat Tahrir al-Sham"),
    (re.compile(r"\b(?:jabhat al-nusra|al-nusra front|nusra front)\b"), "Jabhat al-Nusra"),
    (re.compile(r"\b(?:islamic state|isis|isil|daesh)\b"), "Islamic State"),
    (re.compile(r"\b(?:syrian democratic forces|sdf)\b"), "Syrian Democratic Forces"),
    (re.compile(r"\b(?:free syrian army|fsa|syrian national army|sna|turkish-backed \w+)\b"),
     "Turkish-backed armed groups"),
    (re.compile(r"\bturkish (?:forces|troops|army|military|armed forces)\b"), "Turkish Armed Forces"),
    (re.compile(r"\brussian (?:forces|troops|army|military|aircraft|warplanes|jets)\b"),
     "Russian armed forces"),
    (re.compile(r"\b(?:rebels|militants|opposition (?:fighters|forces|groups)|armed groups|"
                r"jihadists|jihadist (?:fighters|groups)|islamist (?:fighters|militants)|"
                r"insurgents)\b"), "Armed opposition"),
    (re.compile(r"\b(?:armed gangs|gangs|gang members)\b"), "Gangs (unnamed)"),
    (re.compile(r"\b(?:militia fighters|militiamen|militias|gunmen|armed men)\b"),
     "Militias (unnamed)"),
]
# A sentence that opens with one of these continues the previous sentence's actors.
PRONOUNS = re.compile(r"^\W*(?:(?:furthermore|moreover|meanwhile|however|then|also|later|"
                      r"in addition|at the same time|thus|therefore)\s*,?\s*)?"
                      r"(?:they|the group|the militants|the army|its forces|the troops)\b")
OCCUPIER = re.compile(r"\b(\w+)-(?:occupied|held|controlled|backed)\b")

# --- dates -----------------------------------------------------------------------------------
RELATIVE_DAYS = {"yesterday": -1, "today": 0, "this morning": 0, "tonight": 0,
                 "last night": -1, "overnight": 0, "the day before yesterday": -2}
SPAN_WORDS = re.compile(r"\b(?:during|over|in) the (?:past|last) (?:24|48|72) hours\b|"
                        r"\b(?:during|over|in) the (?:past|last) (?:few )?days\b|"
                        r"\b(?:this|last|past) week\b|\b(?:this|last|past) month\b|\brecent weeks\b")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

#: Capitalised words of a date, which may follow a place without being part of its name
#: ("entered Saraqib Monday", "in Kherson March 3").
DATE_WORDS = frozenset([*WEEKDAYS, "january", "february", "march", "april", "may", "june",
                        "july", "august", "september", "october", "november", "december"])
