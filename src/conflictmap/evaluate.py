"""Scoring toponym resolution on annotated corpora (LGL, GeoWebNews, TR-News XML;
GeoVirus/WikiNews).

Each ``<article>`` has its ``<text>`` and ``<toponym>`` elements with the phrase, its
character span and a gold answer (a ``<gaztag geonameid=...>`` with ``<lat>``/``<lon>``,
or ``<lat>``/``<lon>`` directly); GeoVirus writes ``<location>`` elements with
``<name>``, ``<start>``, ``<end>``, ``<lat>`` and ``<lon>``. Spans are given ("gold spans"): we score resolution
only, with the whole article as context, the way geoparsers report it.

>>> from conflictmap.evaluate import Scores
>>> s = Scores()
>>> s.add("PPL", 10.0, True); s.add("ADM1", 300.0, False, True); s.add("PPL", None, False)
>>> s.summary()["within_161km"], s.summary()["exact_id"], s.summary()["coverage"]
(0.333, 0.333, 0.667)
>>> s.summary()["within_or_inside"], s.summary()["right_entity"]
(0.667, 0.333)

"Right entity" counts an answer within 161 km of the gold point, or with the gold's
GeoNames id (a country or province whose representative point differs from GeoNames').
The end-to-end mode (:func:`end_to_end`) finds the names itself with
:func:`conflictmap.extract.extract`: a predicted mention matches a gold toponym when their
spans overlap; it reports precision, recall and F1 of recognition, and the right entity
among the matched.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely import Point, wkt

from conflictmap.errors import InputError
from conflictmap.gazetteer.document import Occurrence, resolve_occurrences
from conflictmap.gazetteer.rank import km
from conflictmap.model import Feature

#: The customary "accuracy at 161 km" (100 miles) of the geoparsing literature.
WITHIN_KM = 161.0


@dataclass(frozen=True)
class Gold:
    phrase: str
    start: int
    end: int
    lat: float
    lon: float
    geonameid: int | None
    fcode: str


@dataclass(frozen=True)
class Article:
    docid: str
    text: str
    toponyms: tuple[Gold, ...]


def _num(el: ET.Element | None, tag: str) -> str:
    found = el.find(tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def read_corpus(path: str | Path) -> list[Article]:
    """Articles with gold toponyms; toponyms without a gold position are skipped."""
    path = Path(path)
    try:
        # a corpus the user chose; ElementTree resolves no external entities and the
        # expat Python 3.11 ships limits entity amplification
        root = ET.parse(path).getroot()  # noqa: S314
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"not a corpus XML file: {exc}", path=str(path), line=line) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    articles = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        golds = []
        for top in (*art.iter("toponym"), *art.iter("location")):
            tag = top.find("gaztag")
            holder = tag if tag is not None and tag.find("lat") is not None else top
            try:
                lat, lon = float(_num(holder, "lat")), float(_num(holder, "lon"))
                start, end = int(_num(top, "start")), int(_num(top, "end"))
            except ValueError:
                continue  # no gold answer (or no span): not scorable
            gid = tag.get("geonameid") if tag is not None else None
            phrase = (_num(top, "phrase") or _num(top, "extractedName") or _num(top, "name")
                      or text[start:end])
            golds.append(Gold(phrase, start, end, lat, lon,
                              int(gid) if gid and gid.isdigit() else None,
                              _num(tag, "fcode") if tag is not None else ""))
        articles.append(Article(art.get("docid") or str(n), text, tuple(golds)))
    if not articles:
        raise InputError("no <article> elements found", path=str(path))
    return articles


#: The development corpora the training scripts read (for reading and training only).
DEVELOPMENT_CORPORA = ("TR-News.xml", "lgl-dev.xml", "GeoVirus.xml")


def development_corpora(folder: Path, extra: Sequence[Path] = ()) -> dict[str, list[Article]]:
    """The development corpora found in ``folder``, then any reviewed corpora in ``extra``
    (``conflictmap review --export-training``), by file name."""
    corpora = {name: read_corpus(folder / name) for name in DEVELOPMENT_CORPORA
               if (folder / name).is_file()}
    corpora.update({path.name: read_corpus(path) for path in extra})
    return corpora


def right_entity(error_km: float | None, exact: bool) -> bool:
    """The right entity: within 161 km of the gold point, or the gold's GeoNames id."""
    return (error_km is not None and error_km <= WITHIN_KM) or exact


@dataclass
class Scores:
    """Accumulated results, overall and per gold feature code."""

    errors: list[float | None] = field(default_factory=list)  #: km, None = not resolved
    exact: list[bool] = field(default_factory=list)
    inside: list[bool] = field(default_factory=list)  #: gold point inside the answer's area
    by_feature: dict[str, list[tuple[float | None, bool, bool]]] = field(
        default_factory=lambda: defaultdict(list))
    #: (status, probability, right entity, right or an area around the gold point) of each
    #: answer, for the resolved share and the reliability of the ranker's probabilities
    answers: list[tuple[str, float | None, bool, bool]] = field(default_factory=list)

    def add(self, fcode: str, error_km: float | None, exact: bool, inside: bool = False,
            status: str = "", probability: float | None = None) -> None:
        self.errors.append(error_km)
        self.exact.append(exact)
        self.inside.append(inside)
        self.by_feature[fcode or "?"].append((error_km, exact, inside))
        if status:
            ok = right_entity(error_km, exact)
            self.answers.append((status, probability, ok, ok or inside))

    def resolved(self) -> dict:
        """How many answers are given as ``resolved``, and how many of those are wrong: not
        the right entity, and (``resolved_wrong_outside``) not even an area the gold point
        lies in, as the model's training counts an answer (a corpus that gives Wikipedia's
        point for a country and no GeoNames id finds the country's own point far away)."""
        sure = [a for a in self.answers if a[0] == "resolved"]
        n = len(self.answers)
        return {"resolved_share": round(len(sure) / n, 3) if n else 0.0,
                "resolved_wrong": round(sum(not a[2] for a in sure) / len(sure), 3) if sure else 0.0,
                "resolved_wrong_outside":
                    round(sum(not a[3] for a in sure) / len(sure), 3) if sure else 0.0}

    def reliability(self, bins: int = 10) -> list[dict]:
        """The ranker's probability of its answer in bins, against how often the answer
        was the right entity (answers left unresolved count with their best candidate's
        probability as wrong)."""
        rows: list[list[bool]] = [[] for _ in range(bins)]
        for _, p, right, _ in self.answers:
            if p is not None:
                rows[min(int(p * bins), bins - 1)].append(right)
        return [{"probability": f"{i / bins:.1f}-{(i + 1) / bins:.1f}", "answers": len(r),
                 "right": round(sum(r) / len(r), 3)} for i, r in enumerate(rows) if r]

    @staticmethod
    def _summary(errors: list[float | None], exact: list[bool], inside: list[bool]) -> dict:
        n = len(errors)
        got = [e for e in errors if e is not None]
        near_or_in = sum((e is not None and e <= WITHIN_KM) or i for e, i in zip(errors, inside, strict=True))
        right = sum(right_entity(e, x) for e, x in zip(errors, exact, strict=True))
        return {
            "toponyms": n,
            "coverage": round(len(got) / n, 3) if n else 0.0,
            "within_161km": round(sum(e <= WITHIN_KM for e in got) / n, 3) if n else 0.0,
            "exact_id": round(sum(exact) / n, 3) if n else 0.0,
            "median_km": round(statistics.median(got), 1) if got else None,
            "mean_km": round(statistics.fmean(got), 1) if got else None,
            "within_or_inside": round(near_or_in / n, 3) if n else 0.0,
            "right_entity": round(right / n, 3) if n else 0.0,
        }

    def summary(self) -> dict:
        return self._summary(self.errors, self.exact, self.inside)

    def features(self) -> dict[str, dict]:
        return {f: self._summary([e for e, _, _ in rows], [x for _, x, _ in rows],
                                 [i for _, _, i in rows])
                for f, rows in sorted(self.by_feature.items(), key=lambda kv: -len(kv[1]))}


def covers(place, gold: Gold) -> bool:
    """Whether the answer is an area around the gold point: its outline (with 0.05° of slack)
    contains the point, or, for an area with no outline, the point lies within its radius
    (GeoVirus gives Wikipedia's point for a country, far from the country's own point). The
    scores' "in area" and the ranker's training labels both count answers so."""
    if place is None:
        return False
    if place.geometry_wkt:
        return wkt.loads(place.geometry_wkt).buffer(0.05).contains(Point(gold.lon, gold.lat))
    return place.feature is Feature.AREA and km((gold.lat, gold.lon), (place.lat, place.lon)) \
        <= place.uncertainty_km


def evaluate(articles: list[Article], gazetteer, *, misses: list | None = None) -> Scores:
    """Resolve every gold span with its article as context and score the answers."""
    scores = Scores()
    for art in articles:
        mentions = [Occurrence(g.phrase, g.start, g.end) for g in art.toponyms]
        answers = resolve_occurrences(gazetteer, mentions, art.text)
        for gold, res in zip(art.toponyms, answers, strict=True):
            place = res.place if res.located else None
            err = km((gold.lat, gold.lon), (place.lat, place.lon)) if place else None
            exact = bool(place and gold.geonameid and place.geonameid == gold.geonameid)
            scores.add(gold.fcode, err, exact, covers(place, gold), res.status.value,
                       res.probability)
            if misses is not None and not right_entity(err, exact):
                misses.append((art.docid, gold, res))
    return scores


@dataclass
class EndToEnd:
    """Recognition and resolution of names found by the extractor, against gold spans."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    resolution: Scores = field(default_factory=Scores)  #: of the matched gold toponyms
    missed: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    spurious: list[str] = field(default_factory=list)  #: predicted names with no gold
    unfound: list[str] = field(default_factory=list)  #: gold names not predicted

    def summary(self) -> dict:
        p = self.true_pos / (self.true_pos + self.false_pos) if self.true_pos + self.false_pos else 0.0
        r = self.true_pos / (self.true_pos + self.false_neg) if self.true_pos + self.false_neg else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"gold": self.true_pos + self.false_neg, "predicted": self.true_pos + self.false_pos,
                "matched": self.true_pos, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(f1, 3), "resolution": self.resolution.summary(),
                "recall_by_feature": {f: round(found / n, 3) for f, (found, n) in sorted(
                    self.missed.items(), key=lambda kv: -kv[1][1])}}


def end_to_end(articles: list[Article], gazetteer) -> EndToEnd:
    """Find the names with :func:`conflictmap.extract.extract` and score them (see the
    module docstring). Every name the extractor keeps counts, whatever its role; "the
    capital" it reads as the report country's capital is no name and is not scored."""
    from conflictmap.extract import CAPITAL_CUE, extract  # the name finder: only end to end

    out = EndToEnd()
    for art in articles:
        found = [m for m in extract(art.text, gazetteer).mentions if m.cue != CAPITAL_CUE]
        used: set[int] = set()
        for gold in art.toponyms:
            match = next((i for i, m in enumerate(found) if i not in used
                          and m.start < gold.end and gold.start < m.end), None)
            stats = out.missed[gold.fcode or "?"]
            stats[1] += 1
            if match is None:
                out.false_neg += 1
                out.unfound.append(gold.phrase)
                continue
            used.add(match)
            stats[0] += 1
            out.true_pos += 1
            res = found[match].resolution
            place = res.place if res is not None and res.located else None
            err = km((gold.lat, gold.lon), (place.lat, place.lon)) if place else None
            exact = bool(place and gold.geonameid and place.geonameid == gold.geonameid)
            out.resolution.add(gold.fcode, err, exact, covers(place, gold),
                               res.status.value if res is not None else "",
                               res.probability if res is not None else None)
        for i, m in enumerate(found):
            if i not in used and not any(m.start < g.end and g.start < m.end
                                         for g in art.toponyms):
                out.false_pos += 1
                out.spurious.append(m.text)
    return out


#: The points of the five Darfur states (GeoNames admin1, geodata/gazetteer/admin_areas.tsv.gz):
#: an answer within 161 km of one of them is in Darfur.
#: The South Caucasus: the points countryinfo gives Armenia, Azerbaijan and Georgia;
#: Kordofan: its three states.
_REGIONS = {"darfur": [(13.8514, 25.2497), (11.3554, 24.3470), (13.4676, 22.4633),
                       (12.9092, 23.4706), (12.4388, 26.1258)],
            "south-caucasus": [(40.0, 45.0), (40.5, 47.5), (42.0, 43.5)],
            # North, South and West Kordofan states (GeoNames admin1, admin_areas.tsv.gz)
            "kordofan": [(13.1377, 30.6359), (11.4288, 29.9090), (11.4626, 28.3680)]}


@dataclass(frozen=True)
class GoldPlace:
    """One row of a report gold file (``tests/data/reports/places-gold.tsv``)."""

    file: str
    text: str
    occurrence: int
    answer: str  #: a GeoNames id, region:NAME, river:NAME, sea:NAME, lake:NAME, airport:ICAO or none
    lat: float | None
    lon: float | None


def read_gold_places(path: str | Path) -> list[GoldPlace]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("file\t") or not line.strip():
            continue
        f, text, occ, answer, lat, lon, _kind = line.split("\t")
        rows.append(GoldPlace(f, text, int(occ), answer, float(lat) if lat else None,
                              float(lon) if lon else None))
    return rows


def _nth(text: str, phrase: str, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = text.index(phrase, pos + 1)
    return pos


def right_place(gold: GoldPlace, res) -> bool:
    """Whether a resolution (or None: no mention found) is right for a gold place."""
    place = res.place if res is not None and res.located else None
    if gold.answer == "none":
        return place is None
    if place is None:
        return False
    kind, _, name = gold.answer.partition(":")
    if kind == "region":
        return any(km(p, (place.lat, place.lon)) <= WITHIN_KM for p in _REGIONS[name])
    if kind in ("river", "sea", "lake"):
        return name.lower() in place.name.lower() and kind in place.kind.lower()
    assert gold.lat is not None and gold.lon is not None
    if not gold.answer.isdigit():  # "airport:FZMA": a position from another registry
        return km((gold.lat, gold.lon), (place.lat, place.lon)) <= WITHIN_KM
    return place.geonameid == int(gold.answer) or km((gold.lat, gold.lon),
                                                      (place.lat, place.lon)) <= WITHIN_KM


def score_reports(gold_file: str | Path, gazetteer,
                  unexplained: list[tuple[str, Any]] | None = None
                  ) -> list[tuple[GoldPlace, Any, bool]]:
    """Extract each report of the gold file (from its folder) and judge every gold place:
    (gold, the overlapping mention's resolution or None, right). The places a map would
    draw that no gold place explains (a location or region given a position) are
    appended to ``unexplained`` as (file, mention) when it is given."""
    from conflictmap.extract import extract_file  # the name finder: reports only
    from conflictmap.extract.roles import LOCATION, REGION  # with the name finder: reports only

    gold_file = Path(gold_file)
    golds = read_gold_places(gold_file)
    out = []
    for name in dict.fromkeys(g.file for g in golds):
        path = gold_file.parent / name
        analysis = extract_file(path, gazetteer)
        text = analysis.document.text
        spans = []
        for g in (g for g in golds if g.file == name):
            start = _nth(text, g.text, g.occurrence)
            end = start + len(g.text)
            spans.append((start, end))
            m = next((m for m in analysis.mentions if m.start < end and start < m.end), None)
            res = m.resolution if m is not None else None
            out.append((g, res, right_place(g, res)))
        if unexplained is not None:
            unexplained.extend(
                (name, m) for m in analysis.mentions
                if m.role in (LOCATION, REGION) and m.resolution is not None and m.resolution.located
                and not any(m.start < b and a < m.end for a, b in spans))
    return out
