"""From report text to a draft claims file: place mentions, their roles, claim
kinds, actors, dates and checked distances.

:func:`extract` reads a :class:`~conflictmap.extract.text.Document` and returns an
:class:`Analysis`; :func:`conflictmap.extract.draft.draft_yaml` turns it into a
claims file that ``conflictmap build`` reads. The draft is for a person to
correct: every claim says which sentence it came from.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from conflictmap.atomic import write_bytes_atomic
from conflictmap.checks import Measured
from conflictmap.extract import lexicon as lx
from conflictmap.extract.claims import DraftClaim, FoundCheck, mention_start
from conflictmap.extract.draft import claim_dict, draft_report, draft_yaml, meta_dict
from conflictmap.extract.drafting import draft_claims
from conflictmap.extract.names import COMMON, NameMatcher, tokens
from conflictmap.extract.namesakes import (
    acronym_reason,
    far_namesakes,
    listed_countries,
    news_short_names,
    qualifier_units,
)
from conflictmap.extract.places import (
    across_a_named_border,
    named_and_anchors,
    not_a_place,
    plausible,
    qualifying_unit,
    report_countries,
    resolve_mentions,
    spelled_places,
    unknown_place,
    water_body,
    whole_name,
)
from conflictmap.extract.recognise import RECORD, Signals, features, get_recogniser
from conflictmap.extract.roles import (
    LOCATION,
    OTHER,
    REGION,
    Mention,
    assign_role,
    extend_area,
)
from conflictmap.extract.sequence import (
    SEQUENCES,
    SequenceModel,
    get_sequence_model,
    runs,
    sentence_features,
)
from conflictmap.extract.text import Document, parse_text, read_document, sentences
from conflictmap.extract.unknown import (
    apposed,
    cue_before,
    cued_extensions,
    cued_names,
    listed,
    passive_after,
    relative_after,
    spelled_runs,
)
from conflictmap.gazetteer import Gazetteer, default_gazetteer
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.names import normalise
from conflictmap.gazetteer.qualified import requalified
from conflictmap.geography import km
from conflictmap.model import Report, Resolution, Status

_ORGS = re.compile("|".join(re.escape(o) for o in sorted(lx.ORGANISATIONS, key=len, reverse=True)),
                   re.IGNORECASE)
_ORG_WORDS = {w for o in lx.ORGANISATIONS for w in normalise(o).split()}
_QUALIFIER_GAP = re.compile(r"^\s*(?:,\s*in|,|of|in|near|في)\s*(?:the\s+)?$", re.IGNORECASE)
#: An apposition after a place (or a phrase that names it again) that ends by locating it:
#: "the al-Watiya air base, the last stronghold of Haftar's forces in western Libya",
#: "Kismayo ... advanced on the port city, the last stronghold of al Shabaab in southern
#: Somalia" (the area locates the place; it holds no stronghold of its own).
_APPOSED_IN = re.compile(r"^[^;.]{0,120},\s+(?:a|an|the)\s+[^,;.]{0,80}\bin\s+(?:the\s+)?"
                         r"(?:(?:north|south|east|west|central)\w*\s+)?$", re.IGNORECASE)


@dataclass
class Analysis:
    """What :func:`extract` found in a report: place mentions (text, span, role and
    resolution), names it rejected, draft claims and the spatial statements checked."""

    document: Document
    mentions: list[Mention]
    rejected: list[Mention]
    claims: list[DraftClaim]
    checks: list[tuple[FoundCheck, Measured | None]]
    country: str = ""

    def to_report(self) -> Report:
        """The draft as a :class:`~conflictmap.model.Report`, the same one
        ``conflictmap build`` reads back from the draft YAML."""
        return draft_report(self)

    def draft_yaml(self, source_name: str = "") -> str:
        """The draft claims file (YAML) that ``conflictmap build`` reads."""
        name = source_name or (Path(self.document.path).name if self.document.path else "")
        return draft_yaml(self, name)

    def save_draft(self, path: str | Path) -> int:
        """Write the draft claims file atomically; returns its size in bytes."""
        data = self.draft_yaml().encode("utf-8")
        write_bytes_atomic(Path(path), data)
        return len(data)

    def as_dict(self) -> dict:
        """Mentions, rejected names, claims, checks and furniture as JSON-ready data."""
        return {
            "report": meta_dict(self),
            "mentions": [m.as_dict() for m in self.mentions],
            "rejected": [{"text": m.text, "start": m.start, "end": m.end, "why": m.why}
                         for m in self.rejected],
            "claims": [claim_dict(c, i, self) for i, c in enumerate(self.claims, 1)],
            "checks": [_check_dict(f, measured) for f, measured in self.checks],
            "furniture": [{"start": b.start, "end": b.end, "why": b.why}
                          for b in self.document.blocks if b.kind == "furniture"],
        }


def _check_dict(found: FoundCheck, measured: Measured | None) -> dict:
    base = {"place": found.subject.text, "start": found.start, "end": found.end,
            "said": found.check.said}
    if measured is None:
        return base | {"agrees": None, "text": "not measured: a place is not located"}
    return base | measured.as_dict()


# Words that could start a name: a capital, or a script without (or outside ASCII) case.
# A conservative filter: a sentence without one cannot hold a name the finder accepts.
_NAME_START = re.compile(r"\b[A-Z\u00c0-\u00de\u0100-\u024f\u0370-\u03ff\u0400-\u052f"
                         r"\u0590-\u08ff\u0900-\u0fff\u1000-\u1fff\u3000-\u9fff\uac00-\ud7af]")


def _may_name(text: str, s0: int, s1: int) -> bool:
    starts = _NAME_START.finditer(text, s0, s1)
    first = next(starts, None)
    if first is None:
        return False
    if next(starts, None) is not None:
        return True
    word = re.match(r"\w+", text[first.start():s1])
    leading = not text[s0:first.start()].strip(" \t\"'“‘(*_[")
    if not leading or word is None or word.group(0).lower() not in COMMON:
        return True
    return word.group(0).isupper() and normalise(word.group(0)) in country_words().abbreviations


#: A lower-case particle joined by hyphens: the name goes on ("Petite-Rivière-de-l'Artibonite"
#: is one town; "Petite-Rivière" alone is another, in Mauritius). Case matters: "Syria-Lebanon"
#: and "Aleppo-Deir ez-Zor" are two names each.
_COMPOUND_TAIL = re.compile(r"[-‐‑](?:(?:de|du|des|la|le|les|sur|en|aux|lès)\b|[dl]['’])")
_COMPOUND_HEAD = re.compile(r"[-‐‑](?:de|du|des|la|le|les|sur|en|aux|lès)[-‐‑]$|[-‐‑][dl]['’]$")
_HYPHENS = ("-", "‐", "‑")


def _in_compound(text: str, start: int, end: int) -> bool:
    """Whether a name is only part of a longer hyphenated one."""
    return _COMPOUND_TAIL.match(text, end) is not None or \
        _COMPOUND_HEAD.search(text, max(0, start - 5), start) is not None


def _glued(text: str, toks: list, first: int, last: int, known: set[int],
           singles: frozenset[int] = frozenset()) -> bool:
    """Whether a one-word name is hyphened to a capitalised word no name holds, or followed
    by one: perhaps part of a compound in another spelling ("Ville" of "Pétion-Ville",
    "Tal" of "Tal Tamr", GeoNames' Tall Tamr), not a place of its own ("Aleppo-Damascus"
    keeps both, each a name). Two one-word names side by side with a space between
    (``singles``: the first tokens of one-word names) are perhaps one name too ("Khwaja
    Omari", GeoNames' Khwājah ‘Omarī, whose words are each a village's name elsewhere).
    The compound is tried; the names stay if it is no place."""
    if first != last:
        return False
    t = toks[first]
    if first > 0 and first - 1 not in known and toks[first - 1].capital \
            and text[toks[first - 1].end:t.start] in _HYPHENS:
        return True
    if first > 0 and first - 1 in singles and _word_of_name(text, toks, first - 1, first):
        return True
    if first + 1 >= len(toks) or not toks[first + 1].capital:
        return False
    if first + 1 in known:
        return first + 1 in singles and _word_of_name(text, toks, first, first + 1)
    gap = text[t.end:toks[first + 1].start]
    return gap in _HYPHENS or (gap == " " and _name_word(toks[first + 1]))


def _name_word(t) -> bool:
    """Whether a capitalised token may be a word of a longer name: no common word, place
    word ("Province") or date word."""
    return t.upper and t.key not in COMMON and t.key not in lx.PLACE_WORDS \
        and t.key not in lx.DATE_WORDS


def _word_of_name(text: str, toks: list, i: int, j: int) -> bool:
    """Whether two capitalised tokens, a space apart, may be words of one name."""
    return text[toks[i].end:toks[j].start] == " " and _name_word(toks[i]) and _name_word(toks[j])


def _sentence_case(toks: list) -> bool:
    """A headline written as a sentence ("Somalia: al-Shabaab retakes towns in Middle
    Shabelle"): most of its words are lower-case, so its capitals mark names."""
    words = [t for t in toks if t.key]
    return len(words) >= 4 and sum(t.upper for t in words) * 2 < len(words)


def _sequence(model: SequenceModel | None, text: str, toks: list, sentence: tuple[int, int],
              known: list, cued: list, here: list[Mention], taken: set[int]) -> list[Mention]:
    """What the learned sequence model says of a sentence's tokens: each candidate's
    probability of being a place name (``Mention.seq``), and the runs it reads as places
    where the rules found nothing (:mod:`conflictmap.extract.sequence`)."""
    features = sentence_features(
        toks, frozenset(k for f in known for k in range(f.first, f.last + 1)),
        frozenset(f.first for f in known), frozenset(k for *_, i, j in cued for k in range(i, j + 1)),
        text)
    if SEQUENCES:  # the training script records the features
        SEQUENCES[-1].append((sentence, [(t.start, t.end) for t in toks], features))
    if model is None:
        return here
    labels, place = model.place_probabilities(features)
    for m in here:  # the model judges only names whose words it has learned
        if all(not t.key or t.key in model.words for t in toks[m.first:m.last + 1]):
            m.seq = max(place[m.first:m.last + 1])
    found = [Mention(text[toks[i].start:toks[j].end], toks[i].start, toks[j].end,
                     normalise(text[toks[i].start:toks[j].end]), sentence, i, j,
                     cue=LEARNED_CUE, seq=min(place[i:j + 1]))
             for i, j in runs(labels, place, toks, model.add_from)
             if not any(k in taken for k in range(i, j + 1))]
    return sorted(here + found, key=mention_start) if found else here


#: The cue of a name only the learned sequence model found.
LEARNED_CUE = "read as a place name by the learned recogniser"


def find_mentions(doc: Document, matcher: NameMatcher,
                  spans: list[tuple[int, int]] | None = None) -> list[tuple[Mention, list]]:
    """Every gazetteer name in the body of the report, with the sentence's tokens.
    The body's sentence spans are appended to ``spans`` when it is given."""
    out: list[tuple[Mention, list]] = []
    text = doc.text
    read: list = []  #: each sentence's span, tokens, the tokens names hold, and whether a title
    model = get_sequence_model()  #: once per report, not per sentence
    for block in doc.body():
        for s0, s1 in sentences(text, block.start, block.end):
            if spans is not None and block.kind == "body":
                spans.append((s0, s1))
            if not _may_name(text, s0, s1):
                continue
            toks = tokens(text, s0, s1)
            previous: Mention | None = None
            title = block.kind == "title"
            known = [f for f in matcher.find_tokens(toks) if not _in_compound(text, f.start, f.end)]
            here = [Mention(text[f.start:f.end], f.start, f.end, f.key, (s0, s1), f.first, f.last,
                            in_title=title) for f in known]
            taken = {k for f in known for k in range(f.first, f.last + 1)}
            if not title or _sentence_case(toks):  # a Title Case headline's capitals say nothing
                longer = cued_extensions(toks, [f.first for f in known if f.first == f.last], taken)
                if longer:  # "the district of Ain Zara": not the known "Ain"
                    inside = {k for *_, i, j in longer for k in range(i, j + 1)}
                    known = [f for f in known if f.first not in inside]
                    here = [m for m in here if m.first not in inside]
                    taken |= inside
                cued = longer + cued_names(toks, taken)
                unknown = [Mention(text[a:b], a, b, normalise(text[a:b]), (s0, s1), i, j, cue=cue)
                           for a, b, cue, i, j in cued]
                # a one-word name hyphened to an unknown capitalised word ("Ville" of
                # "Pétion-Ville") may be part of a compound: the compound is tried as well
                singles = frozenset(f.first for f in known if f.first == f.last)
                glued = {f.first for f in known if _glued(text, toks, f.first, f.last, taken, singles)}
                taken = (taken - glued) | {k for *_, i, j in cued for k in range(i, j + 1)}
                unknown += [Mention(text[a:b], a, b, normalise(text[a:b]), (s0, s1), i, j,
                                    spelled=True) for a, b, i, j in spelled_runs(toks, taken)
                            if not _in_compound(text, a, b)]
                if unknown:
                    here = sorted(here + unknown, key=mention_start)
                    taken |= {k for m in unknown for k in range(m.first, m.last + 1)}
                if block.kind == "body" and (SEQUENCES or model is not None):
                    here = _sequence(model, text, toks, (s0, s1), known, cued, here, taken)
            read.append(((s0, s1), toks, taken, title))
            for m in here:
                own_start = m.start
                extend_area(m, text, previous)
                if previous is not None and m.start <= previous.start < own_start and out \
                        and out[-1][0] is previous:
                    out.pop()  # "Eastern" of "Eastern Congo": a word of the area phrase
                out.append((m, toks))
                previous = m
    again = _named_again(text, read, [m for m, _ in out if m.cue])
    if not again:
        return out
    spans = [(m.start, m.end) for m, _ in again]
    out = [(m, toks) for m, toks in out
           if not any(a <= m.start and m.end <= b for a, b in spans)]  # a word of the name
    return sorted(out + again, key=lambda pair: pair[0].start)


def _named_again(text: str, read: list, cued: list[Mention]) -> list[tuple[Mention, list]]:
    """The other mentions of names taken for places by a cue ("air strikes on Hsipaw",
    then "40 km south-west of Hsipaw"): a name means one place throughout a report. Only
    the same capitalised run counts, not a word of a longer name; a known name inside the
    run is a word of it ("Altun Kupri" is not the known "Kupri")."""
    names: dict[str, dict[tuple[str, ...], str]] = {}  #: by first word: one look-up a token
    # the cued names' own tokens (an area phrase may have moved a mention's start to its
    # words: "the district of X")
    found = {(m.sentence, k) for m in cued for k in range(m.first, m.last + 1)}
    for m in cued:
        if m.key:
            names.setdefault(m.key.split()[0], {})[tuple(m.key.split())] = m.cue
    out: list[tuple[Mention, list]] = []
    if not names:
        return out
    for sentence, toks, taken, title in read:
        for i, t in enumerate(toks):
            if not t.upper or t.key not in names or (sentence, i) in found:
                continue
            for words, cue in names[t.key].items():
                j = i + len(words) - 1
                if j >= len(toks) or tuple(x.key for x in toks[i:j + 1]) != words \
                        or (j == i and i in taken) \
                        or (i > 0 and toks[i - 1].capital and t.joined) \
                        or (j + 1 < len(toks) and toks[j + 1].capital and toks[j + 1].joined):
                    continue
                a, b = t.start, toks[j].end
                out.append((Mention(text[a:b], a, b, normalise(text[a:b]), sentence, i, j,
                                    query=text[a:b], in_title=title,
                                    cue=f"named as a place elsewhere in the report, after “{cue}”"),
                            toks))
                break
    return out


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector while a report is analysed: the analysis makes
    many small objects and no reference cycles, and the collector's passes over them
    (and over the loaded gazetteer) cost about a quarter of the time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def extract(text: str | Document, gazetteer: Gazetteer | None = None, *,
            matcher: NameMatcher | None = None, country: str | None = None) -> Analysis:
    """Analyse a report's text (plain text or Markdown, or a parsed :class:`Document`):
    place mentions with their roles and resolutions, draft claims and checks.

    >>> a = extract("Government troops took control of Saraqib in Idlib province.")
    >>> [(m.text, m.role) for m in a.mentions]
    [('Saraqib', 'location'), ('Idlib province', 'region')]
    >>> [(c.kind.value, c.place.name, c.actors) for c in a.to_report().claims]
    [('captured', 'Saraqib', ('Syrian government forces',))]
    """
    doc = parse_text(text) if isinstance(text, str) else text
    gazetteer = gazetteer or default_gazetteer()
    if matcher is None:
        matcher = default_matcher() if gazetteer is default_gazetteer() \
            else NameMatcher.for_gazetteer(gazetteer)
    with _no_cycle_collection():
        return _extract(doc, gazetteer, matcher, (country or "").upper())


def extract_file(path: str | Path, gazetteer: Gazetteer | None = None, *,
                 country: str | None = None) -> Analysis:
    """Analyse a report file: plain text, Markdown or HTML (see :func:`extract`)."""
    return extract(read_document(path), gazetteer, country=country)


@functools.lru_cache(maxsize=1)
def default_matcher() -> NameMatcher:
    """The name finder over every name of the default gazetteer (built once)."""
    return NameMatcher.for_gazetteer(default_gazetteer())


def _extract(doc: Document, gazetteer, matcher: NameMatcher, country: str) -> Analysis:
    text = doc.text
    spans: list[tuple[int, int]] = []
    pairs = find_mentions(doc, matcher, spans)
    spelled = [(m, toks) for m, toks in pairs if m.spelled]
    pairs = [(m, toks) for m, toks in pairs if not m.spelled]
    found = [m for m, _ in pairs]
    countries = resolve_mentions(found, gazetteer, country, text)
    kept = spelled_places(spelled, gazetteer, countries, country) if spelled else []
    kept += _cued_spellings([pair for pair in spelled if pair not in kept], pairs, gazetteer)
    if kept:  # judged after the others, so that they cannot sway the document's context
        over = [(m.start, m.end) for m, _ in kept]  # a compound replaces the name inside it
        pairs = sorted([(m, toks) for m, toks in pairs
                        if not any(a < m.end and m.start < b for a, b in over)] + kept,
                       key=lambda pair: pair[0].start)
        found = [m for m, _ in pairs]
    if not country and countries:
        counts = Counter(m.resolution.place.country for m in found if m.resolution
                         and m.resolution.place and m.resolution.place.country in countries)
        country = counts.most_common(1)[0][0] if counts else ""  # none of them located
    for m in found:
        if m.cue:
            unknown_place(m)
    listed_countries(found, text, gazetteer)
    qualifier_units(found, text, gazetteer)
    evidence = report_countries(found, text)
    news_short_names(found, countries, evidence, gazetteer)
    mentions: list[Mention] = []
    rejected: list[Mention] = []
    kept_pairs = []
    abroad_only: list[tuple[Mention, list, str]] = []  #: left out only as a namesake abroad
    rescued: set[str] = set()  #: names the words around them made places
    people: set[str] = set()
    named, anchors = named_and_anchors(found, countries)
    previous: Mention | None = None
    recogniser = get_recogniser()
    sequence = get_sequence_model()
    record = RECORD[-1] if RECORD else None
    for m, toks in pairs:
        previous, m_before = m, previous
        # the rules' judgements: each is a feature of the learned recogniser too
        why = not_a_place(m, toks, text, people)
        acronym = acronym_reason(m, named, evidence) if not why else ""
        water = water_body(text, m) if not (why or acronym) else ""
        fits = bool(water) or plausible(m, countries) or across_a_named_border(m, named, anchors) \
            or qualifying_unit(m, m_before, text)
        far = far_namesakes(m, named, evidence, country) if fits and not (water or why or acronym) \
            else ""
        rescue = cue_before(toks, m.first) or passive_after(toks, m.last) or relative_after(
            toks, m.last) or apposed(toks, m.last) or listed(toks, m.first, m.last) \
            if not (fits or why or acronym) else ""
        p = m.resolution.place if m.resolution else None
        where = f" ({p.name}, {p.country})" if p else ""
        abroad = "" if fits or rescue else (f"a one-word name whose only match is a small place "
                                            f"outside the report's countries{where}")
        rules_keep = not (why or acronym or abroad)
        keep, chance = rules_keep, None
        if recogniser is not None or record is not None:
            x = features(m, toks, text, Signals(rules_keep, why or acronym or abroad, bool(acronym),
                                                bool(abroad), bool(far), bool(water)))
            if record is not None:
                record.append([m.start, m.end, x])
            if recogniser is not None:
                keep, chance = recogniser.keep(x)
        if keep and m.seq is not None and sequence is not None and m.seq <= 1 - sequence.veto_from:
            keep, rules_keep = False, True
            chance = m.seq  # the sequence model reads its words as no place name
        if not keep:
            m.role = OTHER
            m.why = (why or acronym or abroad) if not rules_keep else (
                f"not read as a place name here (the recogniser gives {chance:.0%})")
            rejected.append(m)
            if abroad and not (why or acronym):
                abroad_only.append((m, toks, where))
            continue
        if water:
            _widen(m, toks, whole_name(text, m), text)  # "Jabal Sinjar" is the name, not "Sinjar"
            m.resolution = Resolution(m.query, Status.UNRESOLVED, reason=water)
        elif far:
            m.resolution = Resolution(m.query, Status.UNRESOLVED, candidates=(
                m.resolution.candidates if m.resolution else ()), reason=far)
        elif rescue:  # "a drone strike near Anefis": a place, though not the one matched
            _rescued(m, rescue, where)
            rescued.add(m.key)
        kept_pairs.append((m, toks))
    # a name the words around it made a place once is that place wherever the report names
    # it ("gunships fired on the Jebel and Gudele areas ... withdrew from their base in Jebel")
    # (or it is listed with a place of the report: "held parts of Kabal and Matta")
    kept_starts = [o.start for o, _ in kept_pairs]  # in reading order
    again = [(m, toks, where, cue) for m, toks, where in abroad_only
             if (cue := "named again, after the words around it made it a place"
                 if m.key in rescued else _listed_with_a_place(m, text, kept_pairs, kept_starts,
                                                               countries))]
    if again:
        back = {id(m) for m, *_ in again}
        rejected = [m for m in rejected if id(m) not in back]
    for m, toks, where, cue in again:
        m.why = ""
        _rescued(m, cue, where)
        kept_pairs.append((m, toks))
    if again:
        kept_pairs.sort(key=lambda pair: pair[0].start)
    for i, (m, toks) in enumerate(kept_pairs):
        nxt = kept_pairs[i + 1][0] if i + 1 < len(kept_pairs) else None
        around = []
        if set(m.key.split()) & _ORG_WORDS:  # look for an organisation's name around it
            a = max(m.sentence[0], m.start - 60)
            around = [(o.start(), o.end(), o.group(0))
                      for o in _ORGS.finditer(text, a, min(m.sentence[1], m.end + 60))]
        assign_role(m, text, toks, around, mentions, nxt)
        mentions.append(m)
    _qualifiers(mentions, text)
    _inside_qualifiers(mentions, text, gazetteer)
    towns = _parts(mentions, text)
    mentions = _the_capital(text, spans, mentions, country, gazetteer)
    # a demonym the recogniser reads as no place name still names whose forces they are
    # ("driven Ugandan troops out of X")
    demonyms = country_words().demonyms
    forces = [m for m in rejected if m.key in demonyms]
    claims, checks = draft_claims(doc, mentions, spans, country, towns, forces)
    return Analysis(doc, mentions, rejected, claims, checks, country)


def _widen(m: Mention, toks: list, span: tuple[int, int] | None, text: str) -> None:
    """The mention becomes the whole name ``span`` holds (its feature word included)."""
    if span is None or span == (m.start, m.end):
        return
    a, b = span  # the feature word and the words between stand within a few tokens
    inside = [k for k in range(max(0, m.first - 3), min(len(toks), m.last + 6))
              if a <= toks[k].start and toks[k].end <= b]
    if not inside:
        return
    m.first, m.last = inside[0], inside[-1]
    m.start, m.end, m.text = a, b, text[a:b]
    m.query, m.key = m.text, normalise(m.text)


def _cued_spellings(spelled: list, pairs: list, gazetteer: Gazetteer) -> list:
    """Two names side by side that are no place in another spelling either, but whose
    words around them make them one ("air strikes near Tal Abyad and Ain Issa"): one name
    the gazetteer lacks, kept unresolved with its cue, not two names of places abroad."""
    out = []
    by_sentence: dict[int, set[int]] = {}  #: the token indices of each sentence's names
    for o, t in pairs:
        by_sentence.setdefault(id(t), set()).update(range(o.first, o.last + 1))
    for m, toks in spelled:
        # its own words are in it too: the list is read before and after them only
        names: AbstractSet[int] = by_sentence.get(id(toks), frozenset())
        cue = cue_before(toks, m.first) or passive_after(toks, m.last) or relative_after(
            toks, m.last) or apposed(toks, m.last) or listed(toks, m.first, m.last, names)
        if cue:
            m.cue, m.spelled = cue, False
            m.resolution = gazetteer.resolve(m.query)  # unresolved: its reason says why
            out.append((m, toks))
    return out


#: Between two names joined as one list: "X and Y", "X, and Y", "X or Y" (a comma alone
#: also lists people, brands and titles: "Frank Chiaramonte, Litchfield Selectman").
_JOINED = re.compile(r",?\s+(?:and|or)\s+")
#: What a list of two names may be, other than places: "between Clairmont and North Druid
#: Hills roads".
_NOT_PLACES_AFTER = re.compile(r"\s+(?:roads?|streets?|avenues?|drives?|lanes?|boulevards?|"
                               r"schools?|churches|companies|brands|labels|families|teams)\b")


def _listed_with_a_place(m: Mention, text: str, kept: list, starts: list[int],
                         countries: set[str]) -> str:
    """A name joined by "and" or "or" to a place of the report's countries (no country
    itself) or to a place the words around it mark: "militants held parts of Kabal and
    Matta", where Matta's only match lies abroad. A word that goes with place names
    ("Southern and Eastern Kentucky") is no name of its own. Returns the cue, or ""."""
    if m.key in lx.PLACE_WORDS:
        return ""
    i = bisect_left(starts, m.start)  # ``starts``: the kept names' starts; its neighbours only
    for o, _ in kept[max(0, i - 1):i + 1]:
        if o.sentence != m.sentence or o is m:
            continue
        a, b = (o.end, m.start) if o.end <= m.start else (m.end, o.start)
        p = o.resolution.place if o.resolution else None
        here = o.cue or (p is not None and p.country in countries and p.kind != "country")
        if here and 0 <= b - a <= 7 and _JOINED.fullmatch(text, a, b) \
                and not _NOT_PLACES_AFTER.match(text, max(m.end, o.end)):
            return f"listed with {o.text}"
    return ""


def _rescued(m: Mention, cue: str, where: str) -> None:
    """A name whose only match lies abroad, kept as a place the gazetteer lacks."""
    m.cue = cue
    m.resolution = Resolution(m.query, Status.UNRESOLVED, candidates=(
        m.resolution.candidates if m.resolution else ()), reason=(
        f"its only match is a small place outside the report's countries{where}; "
        f"taken for a place by the words around it (“{cue}”): add it to a "
        f"place list to map it"))


#: "the capital", on its own: not "the capital of X", "the capital's airport", "the capital,
#: Tripoli" or an apposition ("Kyiv, the capital").
_THE_CAPITAL = re.compile(r"(?<!, )\b[Tt]he (?:country's |nation's |(?P<demonym>(?:[A-Z][a-z]+ ){1,2}))?"
                          r"capital\b(?!['’]s|\s+(?:of|city of)\b)")
#: After "the capital": its name in apposition ("the capital, Tripoli").
_APPOSED_NAME = re.compile(r",?\s+")
#: The cue of a mention that is no name but "the capital" of the report's country.
CAPITAL_CUE = "the capital of the report's country"


def _the_capital(text: str, spans: list[tuple[int, int]], mentions: list[Mention],
                 country: str, gazetteer) -> list[Mention]:
    """"Rebels advanced on the capital": in the body of a report on one country, "the
    capital" is that country's capital, a place of its own for claims and checks; "the
    Central African capital" is the capital of the country the demonym names."""
    words = country_words()
    found: dict[str, Resolution | None] = {}  #: the capital's answer, by country

    def capital_of(code: str) -> Resolution | None:
        if code not in found:
            name = words.capital_of.get(code, "")
            res = gazetteer.resolve(name, country=code) if name else None
            found[code] = res if res is not None and res.located else None
        return found[code]
    added = []
    starts = [m.start for m in mentions]
    for s0, s1 in spans:
        for hit in _THE_CAPITAL.finditer(text, s0, s1):
            named = hit.group("demonym")
            code = words.demonyms.get(normalise(named), "") if named else country
            start = hit.start("demonym") if named else hit.start()
            res = capital_of(code) if code else None
            gap = _APPOSED_NAME.match(text, hit.end())
            after = gap.end() if gap else -1
            # the mentions that start before the phrase ends (those before it by less than a
            # name's length could overlap it), found by bisection: bounded work per phrase
            nearby = mentions[bisect_left(starts, start - 200):bisect_left(starts, max(hit.end(), after + 1))]
            if res is None or any((m.start < hit.end() and start < m.end and m.role != OTHER)
                                  or (m.start == after and m.role in (LOCATION, REGION))
                                  for m in nearby):
                continue  # no capital known, or a name of its own there or right after
            added.append(Mention(hit.group(0), hit.start(), hit.end(), normalise(res.query),
                                 (s0, s1), query=res.query, role=LOCATION,
                                 why=f"the capital of {words.name_of.get(code, code)}",
                                 resolution=res, cue=CAPITAL_CUE))
    return sorted([*mentions, *added], key=mention_start) if added else mentions


def _qualifiers(mentions: list[Mention], text: str) -> None:
    """"X of Y province", "X, Y", "X in Y": Y locates X and is not a claim of its own. So
    does a town for a part of it the text names: "the Halfaya area of Bahri", "Omdurman's
    Karari district" (:func:`_parts`)."""
    for i in range(1, len(mentions)):
        p, m = mentions[i - 1], mentions[i]
        if p.sentence != m.sentence or p.role not in (LOCATION, REGION):
            continue
        gap = text[p.end:m.start]
        if m.role == REGION and (_QUALIFIER_GAP.match(gap) or _APPOSED_IN.match(gap)):
            m.qualifies = i - 1
        elif m.role == LOCATION and _part_word(p) and gap.strip().lower() == "of":
            m.qualifies = i - 1  # "the Halfaya area of Bahri"
        elif p.role == LOCATION and _part_word(m) and gap in ("'s ", "’s ") and (
                m.resolution is None or not m.resolution.located or _outside(m, p)):
            p.qualifies = i  # "Omdurman's Karari district" (not "Omdurman's Bahri district")
    for i, town in enumerate(mentions):  # "In X, fighters clashed near the Y mission"
        if town.role not in (LOCATION, REGION) or town.qualifies is not None or not _opens(town, text):
            continue
        k, part = i + 1, None
        while k < len(mentions) and mentions[k].sentence == town.sentence:  # its sentence only
            if mentions[k].role == LOCATION and _part_word(mentions[k]):
                part = mentions[k]
                break
            k += 1
        if part is not None and (part.resolution is None or not part.resolution.located
                                 or _outside(part, town)):
            town.qualifies = k


#: A sentence opened by the town it tells of: "In X, ...".
_IN_TOWN = re.compile(r"\W*In\s+(?:the\s+)?")


def _opens(town: Mention, text: str) -> bool:
    """Whether the sentence opens with "In <town>,"."""
    return _IN_TOWN.fullmatch(text, town.sentence[0], town.start) is not None \
        and text.startswith(",", town.end)


#: The last word of a name that makes it a part of a town.
_PART_WORDS = frozenset({"area", "district", "neighbourhood", "neighborhood", "quarter",
                         "suburb", "camp", "township",
                         # sites in a town: "the Catholic mission", "the Ibn Sina hospital"
                         "mission", "hospital", "market", "compound", "school", "university",
                         "mosque", "church", "stadium", "prison", "hall"})
#: A part of a town lies this close to its centre (km); a namesake farther off is not it.
PART_KM = 40.0


def _part_word(m: Mention) -> bool:
    return m.text.rsplit(None, 1)[-1].lower() in _PART_WORDS and " " in m.text.strip()


def _outside(part: Mention, town: Mention) -> bool:
    """Whether the part's answer lies farther from the town than a part of it can."""
    a, b = part.resolution, town.resolution
    if a is None or b is None or not (a.located and b.located) or a.place is None or b.place is None:
        return False
    return km((a.place.lat, a.place.lon), (b.place.lat, b.place.lon)) > PART_KM


def _parts(mentions: list[Mention], text: str) -> dict[int, Mention]:
    """Each part of a town the text names ("the Halfaya area of Bahri"), by id, with the
    town it is part of. A part found nowhere near the town is no answer: it is left
    unresolved, with the reason, and its claims are drawn at the town."""
    towns: dict[int, Mention] = {}
    for town in mentions:
        if town.qualifies is None or not (town.role == LOCATION or (
                town.role == REGION and _opens(town, text))):
            continue
        part = mentions[town.qualifies]
        if not _part_word(part) or town.resolution is None or not town.resolution.located:
            continue
        towns[id(part)] = town
        if _outside(part, town):
            far = part.resolution.place if part.resolution else None
            part.resolution = Resolution(part.query, Status.UNRESOLVED, reason=(
                f"not found within {PART_KM:.0f} km of {town.text}, the place the report puts it "
                f"in" + (f"; a namesake: {far.name} ({far.country})" if far else "")))
    return towns


def _inside_qualifiers(mentions: list[Mention], text: str, gazetteer) -> None:
    """"London, Ont.", "Paris, Texas", "a village in Kherson oblast": a place qualified by a
    country or first-level unit is chosen inside it, whatever the rest of the document
    prefers (:func:`~conflictmap.gazetteer.qualified.requalified`)."""
    for m in mentions:
        if m.qualifies is None or m.resolution is None:
            continue
        p = mentions[m.qualifies]
        if p.resolution is None or "near" in text[p.end:m.start]:
            continue
        within = requalified(gazetteer, p.query, p.resolution, m.resolution)
        if within is not None and (within.located or not p.cue):
            p.resolution = within  # an unknown name keeps the reason of its cue


