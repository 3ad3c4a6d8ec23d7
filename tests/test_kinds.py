"""Every claim kind is complete in the one kind table, and its cue words are reachable."""

from __future__ import annotations

import re

import pytest

from conflictmap.extract.claims import cues
from conflictmap.kinds import KINDS, ClaimKind, acled_type
from conflictmap.render.style import icon_svg, style_table

ACLED_EVENT_TYPES = {"Battles", "Strategic developments", "Violence against civilians",
                     "Explosions/Remote violence", "Riots", "Protests"}
#: A few phrases per kind that must be read as that kind (cue words in context).
PHRASES = {
    ClaimKind.CAPTURED: ["troops took control of the town", "rebels captured the village",
                         "the army recaptured the hill", "the town fell to the army"],
    ClaimKind.ADVANCE: ["forces advanced towards the town", "troops pushed toward the dam"],
    ClaimKind.RETREAT: ["fighters withdrew from the town", "units pulled out of the village"],
    ClaimKind.BESIEGED: ["the army besieged the city", "troops encircled the town"],
    ClaimKind.STRIKE: ["artillery shelled the village", "jets struck the town",
                       "a drone strike on the depot", "rockets hit the market"],
    ClaimKind.CLASH: ["fighting broke out in the town", "gunmen ambushed a patrol",
                      "militants attacked the checkpoint", "heavy clashes in the city"],
    ClaimKind.TARGET: ["an offensive on the town", "troops won a foothold near the town"],
    ClaimKind.MOVEMENT: ["a convoy moved to the border", "troops were redeployed"],
    ClaimKind.CONTROL: ["the town is held by rebels", "a Turkish-occupied region"],
}


@pytest.mark.parametrize("kind", list(ClaimKind))
def test_every_kind_has_every_field(kind) -> None:
    info = KINDS[kind]
    assert info.label and re.fullmatch(r"#[0-9A-F]{6}", info.color)
    assert re.fullmatch(r"[MmLlHhVvCcSsQqTtAaZz0-9 .,-]+", info.glyph)
    assert info.acled[0] in ACLED_EVENT_TYPES and info.acled[1]
    assert "{place}" in info.summary
    if kind is ClaimKind.MOVEMENT:
        assert "{to}" in info.summary
    if kind is not ClaimKind.MENTION:  # a mention has no cue: it is what is left
        assert info.cue is not None and info.cue_starts
    assert ClaimKind.parse(kind.value) is kind
    for word in info.synonyms:
        assert ClaimKind.parse(word) is kind
    assert kind.value in style_table() and icon_svg(kind).startswith("<svg")


def test_colours_are_distinct() -> None:
    colours = [i.color for i in KINDS.values()]
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize("kind", [k for k in ClaimKind if k is not ClaimKind.MENTION])
def test_cue_words_are_found_in_sentences(kind) -> None:
    for phrase in PHRASES[kind]:
        found = {k for _, _, k in cues(phrase, (0, len(phrase)))}
        assert kind in found, (kind, phrase, found)


def test_every_cue_start_begins_a_word_the_cue_can_match() -> None:
    """A cue start that no cue alternative begins with would be dead weight; a cue
    alternative whose first letters are not a start would never be tried."""
    for kind, info in KINDS.items():
        if info.cue is None:
            continue
        alternatives = info.cue.pattern.split("|")
        for start in info.cue_starts.split():
            assert any(start[:2] in alt for alt in alternatives), (kind, start)


def test_acled_type_depends_on_the_actor_for_captures() -> None:
    assert acled_type("captured", ["Syrian Arab Army"]) == ("Battles", "Government regains territory")
    assert acled_type("control", [], "a military base") == ("Strategic developments",
                                                            "Headquarters or base established")
