"""Claims from a report's sentences, in reading order: the kind each sentence tells at each
place it names, its scope (denied, demanded, hoped for), movements between places, places
referred back to ("the town", "it"), and the distances and bearings to check.

:func:`draft_claims` is the pass over a report's body; :mod:`conflictmap.extract.claims`
holds what it asks of one clause (its cue, actors, date and checks).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from conflictmap.checks import Measured, measure
from conflictmap.extract import lexicon as lx
from conflictmap.extract.claims import (
    CLAUSE_BREAK,
    REFERENCE_BEFORE,
    SETTLEMENT_BEFORE,
    WINDOW,
    DraftClaim,
    FoundCheck,
    actors_in,
    claim_kind,
    cue_start,
    cues,
    find_checks,
    mention_start,
    near,
    occupier,
    sentence_date,
    subject_actors,
)
from conflictmap.extract.roles import LOCATION, REGION, Mention
from conflictmap.extract.text import Document
from conflictmap.gazetteer.countries import country_words
from conflictmap.kinds import ClaimKind

_FROM = re.compile(r"\b(?:from|in|out of|at)\b[^,;]{0,40}$", re.I)
_TO = re.compile(r"\b(?:to|towards|toward|into)\b", re.I)


def _movement(text: str, here: list[Mention], cue: int) -> tuple[Mention, list[Mention]] | None:
    """A movement's origin ("from X" after the cue) and destinations ("to Y, Z"), looked
    for within :data:`~conflictmap.extract.claims.WINDOW` characters of the cue."""
    after = near(here, cue + 1, cue + WINDOW, mention_start)
    origin = next((m for m in after if _FROM.search(text, max(cue, m.start - 60), m.start)), None)
    if origin is None:
        return None
    to = _TO.search(text, origin.end, min(origin.end + WINDOW, here[-1].end))
    if not to:
        return None
    dests = near(here, to.end(), to.end() + WINDOW, mention_start)
    return (origin, dests) if dests else None


def draft_claims(doc: Document, mentions: list[Mention], spans: list[tuple[int, int]], country: str,
                 towns: dict[int, Mention], demonyms: Sequence[Mention] = ()
                 ) -> tuple[list[DraftClaim], list[tuple[FoundCheck, Measured | None]]]:
    """Draft claims and checks, sentence by sentence; ``demonyms`` are nationality words
    read as no place name, which still tell whose forces act ("Ugandan troops")."""
    text = doc.text
    words = country_words()
    demonym = words.demonym_of.get(country, "")
    report_date = doc.meta.published
    last_actors: list[str] = []
    last_location: Mention | None = None
    last_city: Mention | None = None  #: the last place the report makes a city ("the city")
    last_town: Mention | None = None  #: the last place the report calls a town ("the town")
    passing: set[int] = set()  #: places named only as where a force went or came from
    claims: list[DraftClaim] = []
    checks: list[tuple[FoundCheck, Measured | None]] = []
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    forces_of: dict[tuple[int, int], list[Mention]] = {}
    for m in demonyms:
        forces_of.setdefault(m.sentence, []).append(m)
    for sentence in spans:  # body sentences only: a headline is not drafted
        ms = by_sentence.get(sentence)
        if not ms:
            if last_location is not None and _refers_back(text, sentence[0], sentence[1]):
                _refer_back(text, sentence, _antecedent(text, sentence, last_location, last_city, last_town),
                            last_actors, report_date, claims)
            continue
        s0, s1 = sentence
        found_checks = find_checks(text, sentence, ms, last_location, last_city)
        landmarks = {f.check.reference.name for f in found_checks
                     if f.subject is not f.reference and f.landmark}
        placed = [m for m in ms if m.role in (LOCATION, REGION) and m.qualifies is None
                  and not (m.query in landmarks and m.role == LOCATION
                           and any(f.subject is not m for f in found_checks))]
        placed_actors = actors_in(text, s0, s1, demonym, [*ms, *forces_of.get(sentence, ())],
                                  words.name_of)
        if lx.PRONOUNS.match(text[s0:s1].lower()):  # "They forced...": the last actors, here
            placed_actors = [*((s0, a) for a in last_actors),
                             *((p, a) for p, a in placed_actors if a not in last_actors)]
        actors = [name for _, name in placed_actors]
        if actors:
            last_actors = actors
        date, time_precision = sentence_date(text[s0:s1], report_date)
        sentence_cues = cues(text, sentence)
        kinds = {id(m): claim_kind(text, m, ms, sentence_cues) for m in placed}
        consumed: set[int] = set()
        before = len(claims)
        for m in placed:
            kind, cue = kinds[id(m)]
            if kind is ClaimKind.MOVEMENT and id(m) not in consumed:
                move = _movement(text, placed, cue)
                if move is not None:
                    origin, dests = move
                    consumed |= {id(origin), *(id(d) for d in dests)}
                    claims.append(DraftClaim(ClaimKind.MOVEMENT, origin, dests, actors, date,
                                             time_precision, sentences=[sentence]))
        for m in placed:
            if id(m) in consumed:
                continue
            kind, cue = kinds[id(m)]
            if kind is ClaimKind.MOVEMENT:
                kind = ClaimKind.MENTION  # a movement without a from and a to
            prospect = False
            c0 = max(s0, m.start - WINDOW, text.rfind(",", max(s0, m.start - WINDOW), m.start) + 1)
            if kind is ClaimKind.CLASH and text.startswith("spread", cue):
                # "fighting spread across X", "the shelling spread to X": the event before it;
                # "the violence spread to X" is fighting there
                events = [k for a, _, k in near(sentence_cues, max(s0, cue - WINDOW), cue - 1, cue_start)
                          if k in (ClaimKind.STRIKE, ClaimKind.CLASH) and not text.startswith("spread", a)]
                kind = events[-1] if events else ClaimKind.CLASH if _UNREST.search(
                    text, max(s0, cue - 40), cue) else ClaimKind.MENTION
            if kind in (ClaimKind.CAPTURED, ClaimKind.TARGET, ClaimKind.ADVANCE) and cue >= 0 and \
                    lx.ATTEMPT.search(text[max(c0, cue - 30):cue].lower()):
                kind = ClaimKind.CLASH  # "tried to storm X but were driven back", "tried to advance near X"
            elif kind is ClaimKind.TARGET and text[cue:cue + 9].lower() in ("targeted ",
                                                                              "targeting"):
                # the verb "targeted" reports an attack; the noun "target" names an objective
                kind = ClaimKind.STRIKE if any(
                    k is ClaimKind.STRIKE and c0 <= a for a, _, k in sentence_cues
                ) or lx.AIRCRAFT.search(text[c0:s1].lower()) else ClaimKind.CLASH
            elif kind is ClaimKind.CLASH and cue >= 0 and (
                    lx.AIRCRAFT.search(text[c0:cue].lower()) or lx.PROJECTILES.search(
                        text[c0:cue].lower()) or lx.REMOTE_WEAPON.match(text, cue, s1)):
                # "warplanes carried out raids on X", "missiles destroyed a depot near X",
                # "attacked X with drones"
                kind = ClaimKind.STRIKE
            elif kind is ClaimKind.RETREAT and 0 <= cue < m.start and lx.DESTINATION.search(
                    text, cue, m.start):
                kind = ClaimKind.MENTION  # "withdrew its forces to the eastern bank of the Dnipro"
                passing.add(id(m))
            elif kind is ClaimKind.STRIKE and text.startswith("landed", cue) and not \
                    lx.PROJECTILES.search(text[c0:cue].lower()):
                # "paratroopers landed at X": a force arrives there; a plane with aid does not
                kind = ClaimKind.ADVANCE if lx.LANDING_FORCES.search(text[c0:cue].lower()) \
                    else ClaimKind.MENTION
            if kind in (ClaimKind.ADVANCE, ClaimKind.STRIKE, ClaimKind.CLASH) and 0 <= cue < m.start \
                    and lx.ORIGIN.search(text, cue, m.start):
                # "reached the city from X", "shells fired from X": where they set out
                kind = ClaimKind.MENTION
                passing.add(id(m))
            elif kind is ClaimKind.ADVANCE and lx.ENTERING.match(text, cue) and \
                    lx.LEFT_BY_DEFENDERS.search(text[max(m.end, cue):s1].lower()):
                kind = ClaimKind.CAPTURED  # "entered X after the troops pulled out"
            if kind is not ClaimKind.MENTION and (lx.ROAD_BETWEEN.search(text, max(s0, m.start - 60),
                                                                        m.start)
                                                  or _BORDER_WITH.search(text, max(s0, m.start - 30),
                                                                         m.start)):
                kind = ClaimKind.MENTION  # "bombed convoys on the highway between X and Y"
            if kind is ClaimKind.CAPTURED and 0 <= cue < m.start and lx.TAKEN_TO.search(
                    text, cue, m.start):
                kind = ClaimKind.MENTION  # "families were taken by bus to X": where they went
                passing.add(id(m))
            if kind is ClaimKind.CAPTURED and cue >= 0 and (
                    lx.PEOPLE_TAKEN_BEFORE.search(text, max(s0, cue - 40), cue) or
                    lx.PEOPLE_TAKEN_AFTER.match(text, max(cue, text.find(" ", cue, s1)), s1)):
                kind = ClaimKind.MENTION  # "a pilot was captured near X": people, not ground
            if kind in (ClaimKind.CAPTURED, ClaimKind.ADVANCE) and _hedged(text, c0, s1, m, cue):
                kind, prospect = ClaimKind.TARGET, True
            elif kind is not ClaimKind.MENTION and out_of_account(text, s0, s1, cue):
                prospect = True  # denied, demanded, threatened, planned, negated: no fact
            if kind is ClaimKind.MENTION and m.role == LOCATION:
                kind, cue = _participle_event(text, m, s0, sentence_cues)
                prospect = kind is not ClaimKind.MENTION and out_of_account(text, s0, s1, cue)
            if kind is ClaimKind.CONTROL and cue > s0 and text.startswith("held", cue) and \
                    _HELD_OBJECT.search(text, max(s0, cue - 40), cue):
                # "struck positions held by intruders in X": who holds the target describes
                # it; the verb before says what happened at X
                kind, cue = claim_kind(text, m, ms, [c for c in sentence_cues if c[0] != cue])
            if kind is ClaimKind.ADVANCE and cue >= 0 and lx.CIVILIANS.search(
                    text, max(c0, cue - 60), cue):
                kind = ClaimKind.MENTION  # "thousands of refugees have crossed into X", "people who reached X"
            if kind is ClaimKind.RETREAT and lx.CIVILIANS.search(text, max(c0, cue - 60), cue):
                # "thousands fled into Sudan": people flee, no party retreats; another cue of
                # the clause may still say what happened ("fled X after an attack on it")
                kind, cue = claim_kind(text, m, ms, [c for c in sentence_cues if c[0] != cue])
                if kind in (ClaimKind.RETREAT, ClaimKind.MOVEMENT):
                    kind = ClaimKind.MENTION
                prospect = kind is not ClaimKind.MENTION and out_of_account(text, s0, s1, cue)
            ref = (REFERENCE_BEFORE.search(text, max(s0, m.start - 60), m.start)
                   or _EDGE_OF.search(text, max(s0, m.start - 60), m.start)) if text[
                max(s0, m.start - 20):m.start].rstrip().endswith((" of", " from")) else None
            if kind is not ClaimKind.MENTION and ref and (
                    SETTLEMENT_BEFORE.search(text, max(s0, ref.start() - 40), ref.start())
                    or any(o.end <= ref.start() for o in placed if o is not m)):
                # "an industrial town north of X", "Y, 30 km west of X": X is a reference point
                # (with no place before it, "positions east of X" is said of X)
                kind = ClaimKind.MENTION
            if kind is not ClaimKind.MENTION and m.role == REGION and _CAPITAL_OF.search(
                    text, max(s0, m.start - 40), m.start):
                kind = ClaimKind.MENTION  # "pressed into the capital of X province": its capital's
            if kind is ClaimKind.MENTION and m.role != LOCATION:
                continue  # an area named as a scope: not an event
            who = (_driven(cue, sentence_cues, kind, placed_actors)
                   or subject_actors(text, s0, cue, placed_actors) or actors) \
                if kind is not ClaimKind.MENTION else []
            if kind is ClaimKind.CONTROL and occupier(m, words.name_of) and cue < m.end:
                who = [occupier(m, words.name_of)]
            claims.append(DraftClaim(kind, m, [], who, date, time_precision, prospect,
                                     sentences=[sentence]))
        _claims_said_back(text, sentence, placed, kinds, sentence_cues, placed_actors, actors,
                          date, time_precision, claims)
        for f in found_checks:
            checks.append((f, _measure(f)))
        if last_location is not None and not any(m.role == LOCATION for m in placed) and not any(
                c.sentences == [sentence] and c.kind is not ClaimKind.MENTION for c in claims[before:]
        ) and _refers_back(text, s0, s1):
            _refer_back(text, sentence, _antecedent(text, sentence, last_location, last_city, last_town),
                        actors or last_actors, report_date, claims)
        landmarks_here = {id(f.reference) for f in found_checks
                          if f.subject is not f.reference and f.landmark}
        last_city = next((m for m in reversed(ms) if m.role == LOCATION and id(m) not in landmarks_here
                          and _a_city(text, m) and not _dateline(text, m)
                          and id(m) not in passing), last_city)
        last_town = next((m for m in reversed(ms) if m.role == LOCATION and _a_town(text, m)),
                         last_town)
        if found_checks:  # "this town, 30 km west of X": the town stays the topic, not X
            last_location = found_checks[-1].subject
        else:  # the last place the sentence tells an event at; else the last it names
            # (a dateline's place is where the report was filed, no place of its events)
            locs = [m for m in ms if m.role == LOCATION and not _dateline(text, m)]
            told = {id(c.mention) for c in claims[before:]
                    if c.kind is not ClaimKind.MENTION and not c.prospect}
            eventful = [m for m in locs if id(m) in told]
            last_location = eventful[-1] if eventful else locs[-1] if locs else last_location
    for c in claims:  # a claim at a part of a town the gazetteer lacks is drawn at the town
        town = towns.get(id(c.mention))
        if town is not None and not (c.mention.resolution and c.mention.resolution.located):
            c.part, c.mention = c.mention.text, town
    claims = _merge(claims)
    first_claim: dict[str, DraftClaim] = {}  #: a place's checks go on its first claim of fact
    for c in sorted(claims, key=lambda c: c.prospect or c.kind is ClaimKind.MENTION):
        first_claim.setdefault(c.mention.place_key, c)
    for f, _ in checks:
        target = first_claim.get(f.subject.place_key)
        if target is not None:
            target.checks.append(f.check)
    return claims, checks


#: Violence as the subject of "spread": "the violence also spread to X".
_UNREST = re.compile(r"\b(?:violence|unrest|insurgency|hostilities)\s+(?:\w+\s+)?$", re.IGNORECASE)
#: After "the border with" a name is the border's, no place of the event ("struck a convoy
#: near the border with Niger").
_BORDER_WITH = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?$", re.IGNORECASE)
#: A later clause of a sentence, opened after a comma by a conjunction, or a verb phrase of its
#: own after "and" ("were advancing towards X and would not stop until ...").
_LATER_CLAUSE = re.compile(r",\s+(?:as|while|when|after|before|since|but|and|whereas|"
                           # the main verb after a relative clause ("whose troops are
                           # advancing on X, said Y would fall")
                           r"said|says|told|added|announced)\s|"
                           r"\s(?:and|but)\s+(?=(?:would|will|could|might|may|vowed|promised)\b)",
                           re.IGNORECASE)
#: An edge of a place, said of a town before it ("fighting in the town on the north-western
#: edge of the capital"): the town is where it happened, the place after is a reference point
#: (with no town or place before, "fighting on the outskirts of X" is at X).
_EDGE_OF = re.compile(rf"\b(?:on|at|along)\s+(?:the|its)\s+(?:{lx.DIRECTION}(?:ern)?\s+)?"
                      r"(?:edges?|outskirts|fringes?|outer\s+edge|limits)\s+of\s+$", re.IGNORECASE)
def _driven(cue: int, sentence_cues: list[tuple[int, int, ClaimKind]], kind: ClaimKind,
            placed_actors: list[tuple[int, str]]) -> list[str]:
    """The actors a retreat's cue holds as its object: "the army drove South Sudanese
    troops out of X" is the troops' retreat, not the army's."""
    if kind is not ClaimKind.RETREAT or cue < 0:
        return []
    end = next((b for a, b, k in sentence_cues if a == cue and k is kind), cue)
    return [name for pos, name in placed_actors if cue < pos < end]


#: An area named as the one whose capital the event is at ("the capital of Helmand province").
_CAPITAL_OF = re.compile(r"\bcapital of\s+(?:the\s+)?$", re.IGNORECASE)


#: The target a "held by" describes ("positions held by intruders"), or the object of a
#: relative clause of holding ("the last villages they held in X").
_HELD_OBJECT = re.compile(r"\b(?:positions?|trenches|bunkers|posts?|bases?|lines?|depots?)\s+$|"
                          r"\b(?:villages?|towns?|areas?|positions?|territory|territories|"
                          r"strongholds?|bases?)\s+(?:(?:that|which)\s+)?(?:they|it|he|she|the\s+\w+)"
                          r"\s+(?:(?:still|had|have|once|previously)\s+)?$", re.IGNORECASE)


def _hedged(text: str, c0: int, s1: int, m: Mention, cue: int) -> bool:
    """A hedge on a taking, within the window and not in a later clause of its own ("had
    retaken X, ..., as the UN prepared to double its force")."""
    end = min(s1, max(m.end, cue) + WINDOW)
    later = _LATER_CLAUSE.search(text, max(m.end, cue), end)
    return lx.HEDGES.search(text[c0:later.start() if later else end].lower()) is not None


#: A participle clause after a comma: ", hitting roads around X", ", wounding 10 people in X".
_PARTICIPLE = re.compile(r",\s+(?:[a-z]+ly\s+)?(?!according|during|saying|adding|citing|quoting)"
                         r"[a-z]+ing\b")


def _participle_event(text: str, m: Mention, s0: int,
                      sentence_cues: list[tuple[int, int, ClaimKind]]) -> tuple[ClaimKind, int]:
    """The strike or clash a participle clause continues: "fired 90 rockets into the north,
    wounding 10 people in X and hitting homes in Y" tells of rockets at X and Y. The
    clause must open between the main verb and the place; else a mention stays one."""
    lo = max(s0, m.start - WINDOW)  # as a cue, within the window: bounded work per place
    opened = [p.start() for p in _PARTICIPLE.finditer(text, lo, m.start)]
    if not opened or "," in text[opened[-1] + 1:m.start]:
        return ClaimKind.MENTION, -1  # no participle, or the place is past its clause
    main = [(a, kind) for a, _, kind in near(sentence_cues, lo, opened[-1] - 1, cue_start)
            if kind in (ClaimKind.STRIKE, ClaimKind.CLASH)]
    if not main or CLAUSE_BREAK.search(text, main[-1][0], m.start):
        return ClaimKind.MENTION, -1
    return main[-1][1], main[-1][0]


_SCOPE_BREAK = re.compile(rf"{CLAUSE_BREAK.pattern}|, (?:where|which) |"
                          r"\s(?:and|but) (?:said|says|added|insisted|claimed) ")


def out_of_account(text: str, s0: int, s1: int, cue: int) -> bool:
    """The event at ``cue`` is no fact of the report's own account: a scope word before it
    in its sentence (denied, demanded, threatened, planned, "would", "if", "failed to"), a
    negation right before it, or, after it, a claim the sentence says was denied."""
    if cue < s0:
        return False
    # "X denied it, but rebels took Y"; "called for help for X, where troops have surrounded
    # its districts": a relative clause on a place is the report's own account. Within the
    # cue's window: bounded work per claim, however long the sentence
    s0 = max(s0, cue - WINDOW)
    for brk in _SCOPE_BREAK.finditer(text, s0, cue):
        s0 = brk.end()
    before = text[s0:cue].lower()
    return bool(lx.SCOPE.search(before) or lx.NEGATED.search(before)
                or lx.DENIAL.search(text[cue:min(s1, cue + WINDOW)].lower()))


_NOUN = (r"(?:this|the|that) (?:town|village|city|settlement|hill|"
         r"(?:temple |military |air )?(?:compound|base|camp|airport|checkpoint|"
         r"post|crossing))\b(?!\s+(?:at|in|of|near|outside)\s+(?-i:[A-Z]))")
_PLACE_NOUN = re.compile(rf"\b{_NOUN}", re.IGNORECASE)
#: The same noun as where a sentence's event happens, anywhere in it ("strikes on positions in
#: and around the city").
_PLACE_NOUN_AS_PLACE = re.compile(rf"\b(?:in|at|on|around|into|inside|outside|near)\s+{_NOUN}",
                                  re.IGNORECASE)
#: "It" as the sentence's subject ("It was shelled again", "In the modern Syria, it is
#: known as ..."); after a verb ("the army said it had retaken X") it is the actor.
_IT_SUBJECT = re.compile(r"(?:[^,;.]{0,60},\s*)?\W*it (?:is|was|has|had|remains|lies|hosts)\b",
                         re.IGNORECASE)


#: Where the clause of a cue opens: after a comma or a word that opens a clause of its own.
_CLAUSE_OPEN = re.compile(r",|\b(?:after|before|as|when|while|since|because|once|where)\b", re.I)

#: The object of a cue that refers back to a place named before it in the sentence: "withdrew
#: from the town", "shelled its outskirts", "set fire to homes there", "retook it".
_SAID_BACK = re.compile(
    r"\s+(?:(?:from|on|in|into|at|to|toward|towards|near|around|inside|out of)\s+)?"
    r"(?:the|this|that)\s+(?:town|village|city|settlement|camp|base|compound|airport|market)\b"
    r"(?!\s+of\b)|"
    r"\s+(?:\w+\s+){0,2}?its\s+(?:outskirts|centre|center|edges?|suburbs|districts?|"
    r"neighbou?rhoods?|market|airport|defen[cs]es|positions)\b|"
    r"\s+(?:\w+\s+){0,3}?there\b|\s+it\b", re.IGNORECASE)


#: The same, with the place as the subject before the cue ("the base had been in government
#: hands", "the town was retaken").
_SAID_BACK_SUBJECT = re.compile(
    r"\b(?:the|this|that)\s+(?:town|village|city|settlement|camp|base|compound|airport|market)"
    r"\s+(?:(?:had|has|have|was|is|were|remained|remains|stayed|stays|still|long|already|now|"
    r"again|been|being)\s+){0,3}$", re.IGNORECASE)


def _claims_said_back(text: str, sentence: tuple[int, int], placed: list[Mention],
                      kinds: dict[int, tuple[ClaimKind, int]],
                      sentence_cues: list[tuple[int, int, ClaimKind]],
                      placed_actors: list[tuple[int, str]], actors: list[str], date,
                      time_precision: int, claims: list[DraftClaim]) -> None:
    """A second event a sentence tells of a place it has named, in words that refer back to
    it ("took control of Lalibela after troops withdrew from the town", "encircled Kobo and
    shelled its outskirts", "denied storming X, saying the base had long been in government
    hands"): a cue no mention took, whose object refers back, is a claim at
    the last place named before it."""
    s0, s1 = sentence
    used = {cue for _, cue in kinds.values()}
    for a, b, kind in sentence_cues:
        if a in used or kind in (ClaimKind.MOVEMENT, ClaimKind.MENTION) or not (
                _SAID_BACK.match(text, b, min(s1, b + 60))
                or _SAID_BACK_SUBJECT.search(text, max(s0, a - 60), a)):
            continue
        i = bisect_left(placed, a, key=mention_start) - 1  # the last place named before the cue
        while i >= 0 and placed[i].end > a:
            i -= 1
        if i < 0:
            continue  # a sentence naming no place before it: see _refer_back
        clause = max([s0, a - 60, *(h.end() for h in _CLAUSE_OPEN.finditer(text, max(s0, a - 60), a))])
        if kind is ClaimKind.RETREAT and lx.CIVILIANS.search(text, clause, a):
            continue  # people flee; no party retreats ("residents said" before is no subject)
        prospect = out_of_account(text, s0, s1, a)
        if kind in (ClaimKind.CAPTURED, ClaimKind.ADVANCE) and lx.HEDGES.search(text[a:s1].lower()):
            kind, prospect = ClaimKind.TARGET, True
        who = subject_actors(text, s0, a, placed_actors) or actors
        claims.append(DraftClaim(kind, placed[i], [], who, date, time_precision, prospect,
                                 sentences=[sentence], refers_back=True))


#: A city, by the words before its name or its population.
_CITY_BEFORE = re.compile(r"\bcity of\s+$", re.IGNORECASE)
CITY_POPULATION = 100_000


def _a_city(text: str, m: Mention) -> bool:
    """Whether the report makes the place a city: "the city of X", or a place of at least
    :data:`CITY_POPULATION` people."""
    if _CITY_BEFORE.search(text, max(0, m.start - 12), m.start):
        return True
    r = m.resolution
    return r is not None and r.located and r.place is not None and (r.place.population or 0) >= CITY_POPULATION


#: A place the report calls a town: "the town of X", "X, a salt-mining town".
_TOWN_BEFORE = re.compile(r"\btown of\s+$", re.IGNORECASE)
_TOWN_AFTER = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?town\b", re.IGNORECASE)


def _a_town(text: str, m: Mention) -> bool:
    return bool(_TOWN_BEFORE.search(text, max(0, m.start - 12), m.start)
                or _TOWN_AFTER.match(text, m.end, min(len(text), m.end + 50)))


def _dateline(text: str, m: Mention) -> bool:
    """Whether the mention opens a line and a comma follows it ("Kabul, 7 August 2021."):
    where the report was filed, which "the city" of its body does not mean unless it names
    the place again."""
    if text[m.end:m.end + 1] != ",":
        return False
    lo = max(0, m.start - 80)  # only blanks may stand before it on its line: a few characters
    head = text[lo:m.start]
    line = head.rfind("\n")
    return not head[line + 1:].strip() and (line >= 0 or lo == 0)


def _antecedent(text: str, sentence: tuple[int, int], last: Mention, city: Mention | None,
                town: Mention | None = None) -> Mention:
    """The place a sentence speaks of without naming it: the last place named, or, when it
    says "the city", the last city named ("the city's outskirts" after a small town named
    in passing is the city of the report), and when it says "the town", the last place the
    report called a town ("Soledar, a salt-mining town north-east of Bakhmut", then "had
    taken the town" after Bakhmut was named again)."""
    hit = _PLACE_NOUN.search(text, sentence[0], min(sentence[1], sentence[0] + 80)) or \
        _PLACE_NOUN_AS_PLACE.search(text, sentence[0], sentence[1])
    said = hit.group(0).lower() if hit is not None else ""
    if city is not None and said.endswith("city"):
        return city
    if town is not None and said.endswith("town"):
        return town
    return last


def _refers_back(text: str, s0: int, s1: int) -> bool:
    """Whether a sentence speaks of the last place: "the town …" within its first 80
    characters or as where its event happens ("in and around the city"), or "it was …" as
    its subject, first or after an opening phrase."""
    return _PLACE_NOUN.search(text, s0, min(s1, s0 + 80)) is not None or \
        _IT_SUBJECT.match(text, s0, min(s1, s0 + 80)) is not None or \
        _PLACE_NOUN_AS_PLACE.search(text, s0, s1) is not None


def _refer_back(text: str, sentence: tuple[int, int], place: Mention, actors: list[str],
                report_date, claims: list[DraftClaim]) -> None:
    """A sentence that names no place but opens with "this town…" or "it is…"
    (within its first 80 characters) speaks of the last place named: a cue in it
    becomes a claim there, marked as such."""
    found = [(a, kind) for a, _, kind in cues(text, sentence) if kind is not ClaimKind.MOVEMENT]
    if not found:
        return
    kind = found[0][1]
    said = text[sentence[0]:sentence[1]]
    prospect = (kind in (ClaimKind.CAPTURED, ClaimKind.ADVANCE) and lx.HEDGES.search(
        said.lower()) is not None  # "when the army enters the city, ... will welcome"
                ) or out_of_account(text, sentence[0], sentence[1], found[0][0])
    if prospect:
        kind = ClaimKind.TARGET
    date, time_precision = sentence_date(said, report_date)
    claims.append(DraftClaim(kind, place, [], list(actors), date, time_precision, prospect,
                             sentences=[sentence], refers_back=True))


def _measure(f: FoundCheck) -> Measured | None:
    if f.subject is f.reference:
        return None  # "near X" said of X itself: how near is not measurable
    subject, ref = f.subject.resolution, f.reference.resolution
    if subject is None or ref is None or not subject.located or not ref.located:
        return None
    return measure(f.check, subject.place, ref.place)  # type: ignore[arg-type]


def _merge(claims: list[DraftClaim]) -> list[DraftClaim]:
    """One claim per kind and place; a plain mention only for places with no other claim."""
    out: dict[tuple, DraftClaim] = {}
    seen: dict[tuple, set[tuple[int, int]]] = {}  #: the sentences of each kept claim
    for c in claims:
        key = (c.kind, c.mention.place_key, tuple(d.place_key for d in c.destinations))
        if key in out:
            kept = out[key]
            for sentence in c.sentences:
                if sentence not in seen[key]:
                    seen[key].add(sentence)
                    kept.sentences.append(sentence)
            kept.actors += [a for a in c.actors if a not in kept.actors]
            kept.prospect = kept.prospect and c.prospect
        else:
            out[key] = c
            seen[key] = set(c.sentences)
    eventful = {c.mention.place_key for c in out.values() if c.kind is not ClaimKind.MENTION}
    eventful |= {d.place_key for c in out.values() for d in c.destinations}
    return [c for c in out.values() if c.kind is not ClaimKind.MENTION
            or c.mention.place_key not in eventful]
