"""One review of one report: the extractor's draft, the reviewer's decisions, and the
claims file they make.

The page holds the state while the reviewer works (its undo is the page's); the session
gives the first state, answers gazetteer searches, and turns a submitted state into the
claims file ``build`` reads, with a ``review`` section that keeps every decision and its
provenance, so that reopening the file resumes the review. A save names the revision it
started from: a second tab that saved in between makes it fail (:class:`StaleReview`)
instead of losing the other tab's work.

>>> import pathlib, tempfile
>>> report = pathlib.Path(tempfile.mkdtemp()) / "kidal.txt"
>>> _ = report.write_text("Kidal, 14 November 2023. The Malian army took Kidal.", "utf-8")
>>> s = ReviewSession.open(report)
>>> first = s.state()
>>> [(m["text"], m["role"]) for m in first["mentions"]]
[('Kidal', 'region'), ('Malian', 'other'), ('Kidal', 'region')]
>>> [(c["kind"], c["mention"]) for c in first["claims"]]
[('captured', 'm46-51')]
>>> s.save(first)["revision"], s.output.name
(1, 'kidal.claims.yaml')
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conflictmap.atomic import write_bytes_atomic
from conflictmap.claims.validate import marked_tree
from conflictmap.claims.yamlfile import report_from_document
from conflictmap.errors import InputError
from conflictmap.extract import Analysis, extract
from conflictmap.extract.draft import claim_dict, meta_dict
from conflictmap.extract.roles import ACTOR, LOCATION, OTHER, REGION
from conflictmap.gazetteer import Gazetteer, default_gazetteer
from conflictmap.gazetteer.rank import Context
from conflictmap.geography import km
from conflictmap.kinds import KINDS, ClaimKind

#: What a reviewer may decide about a mention.
ACTIONS = ("accepted", "chosen", "placed", "not a place", "role", "added")
#: Roles a mention may be given.
ROLES = (LOCATION, REGION, ACTOR, OTHER)
#: Limits on what a page may submit (the page is ours, the numbers are not trusted).
MAX_MENTIONS = 5_000
MAX_CLAIMS = 5_000
MAX_LOG = 50_000
MAX_TEXT = 500
MAX_CANDIDATES = 12


class StaleReview(InputError):  # noqa: N818 - a refusal, named for what the reviewer meets
    """The claims file was saved from another page since this one loaded it."""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _place_dict(place: Any, probability: float | None = None) -> dict:
    out = {"name": place.name, "lat": round(place.lat, 5), "lon": round(place.lon, 5),
           "kind": place.kind, "country": place.country, "population": place.population,
           "uncertainty_km": round(place.uncertainty_km, 1), "source": place.source,
           "geonameid": place.geonameid}
    if probability is not None:
        out["probability"] = round(probability, 3)
    return out


def precision_for(uncertainty_km: float) -> int:
    """The claims file's precision (1 exact, 2 near, 3 region) of an uncertainty radius."""
    return 1 if uncertainty_km <= 2 else 2 if uncertainty_km <= 25 else 3


@dataclass
class ReviewSession:
    """The review of ``report`` saved to ``output``."""

    report: Path
    output: Path
    gazetteer: Gazetteer
    analysis: Analysis
    text: str
    saved: dict | None = None  #: the claims file as last read or written

    @classmethod
    def open(cls, report: str | Path, output: str | Path | None = None,
             claims: str | Path | None = None, gazetteer: Gazetteer | None = None
             ) -> ReviewSession:
        """A review of ``report``; ``output`` defaults to ``REPORT.claims.yaml`` beside it.
        An output that exists (or ``claims``, a file written by an earlier review) is
        resumed."""
        report = Path(report)
        try:
            text = report.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the report: {exc}", path=str(report)) from exc
        g = gazetteer or default_gazetteer()
        out = Path(output) if output else report.with_name(report.stem + ".claims.yaml")
        analysis = extract(text, g)
        session = cls(report, out, g, analysis, text)
        earlier = Path(claims) if claims else out
        if earlier.is_file():
            session.saved = _read_review(earlier)
        return session

    # ------------------------------------------------------------------ the first state
    def state(self) -> dict:
        """What the page starts from: the text, every mention with its candidates, the
        claims (resumed from the saved review when there is one) and the kinds."""
        review = (self.saved or {}).get("review") or {}
        if review.get("mentions") is not None and review.get("report_sha") == _sha(self.text):
            drafted = {m["id"]: m["candidates"] for m in self._drafted[0]}
            mentions = [{**m, "candidates": drafted.get(m.get("id"), [])}
                        for m in review["mentions"] if isinstance(m, dict)]
            claims = _claims_back(self.saved or {}, review)
        else:
            mentions, claims = self._drafted
        return {
            "report": self.report.name, "output": str(self.output), "text": self.text,
            "title": meta_dict(self.analysis).get("title", ""),
            "revision": int(review.get("revision", 0)) if review else 0,
            "resumed": bool(review.get("mentions")) if review else False,
            "mentions": mentions, "claims": claims, "log": list(review.get("log") or []),
            "kinds": [{"value": k.value, "label": info.label, "color": info.color}
                      for k, info in KINDS.items()],
            "roles": list(ROLES), "context": self._context_points(mentions),
        }

    @functools.cached_property
    def _drafted(self) -> tuple[list[dict], list[dict]]:
        """The extractor's mentions (with their candidates) and claims in the page's form:
        worked out once per session (searches and the land use them again)."""
        ids = {id(m): f"m{m.start}-{m.end}" for m in self.analysis.mentions}
        others = [(m.resolution.place.lat, m.resolution.place.lon)
                  for m in self.analysis.mentions
                  if m.resolution is not None and m.resolution.likely and m.resolution.place]
        mentions = []
        for m in self.analysis.mentions:
            r = m.resolution
            place = _place_dict(r.place, r.probability) if r and r.located and r.place else None
            mentions.append({
                "id": ids[id(m)], "start": m.start, "end": m.end, "text": m.text,
                "query": m.query, "role": m.role, "status": r.status.value if r else "unresolved",
                "reason": (r.reason if r else "") or m.why, "place": place,
                "candidates": self._candidates_of(r, others),
                "decision": "", "by": "tool"})
        claims = []
        for i, c in enumerate(self.analysis.claims, 1):
            d = claim_dict(c, i, self.analysis)
            claims.append({
                "id": d["id"], "kind": d["kind"], "mention": ids.get(id(c.mention), ""),
                "destinations": [ids.get(id(x), "") for x in c.destinations],
                "actors": d.get("actors", []), "date": d.get("date", ""),
                "prospect": c.prospect, "summary": d["summary"], "note": d["note"],
                "checks": d.get("checks", []), "by": "tool"})
        return mentions, claims

    def _candidates_of(self, r: Any, others: list[tuple[float, float]]) -> list[dict]:
        if r is None:
            return []
        # each runner-up's share among all the candidates (the answer's own is its
        # probability, which adds up the candidates that are the same place)
        probs = self.gazetteer.ranker.probabilities([r.score, *(c.score for c in r.candidates)]) \
            if r.candidates and r.place is not None else []
        ranked = [(r.place, r.probability)] if r.place is not None else []
        ranked += [(c.place, probs[i + 1] if i + 1 < len(probs) else None)
                   for i, c in enumerate(r.candidates)]
        out: list[dict] = []
        seen: set[str] = set()
        for place, p in ranked:
            if place.key in seen or len(out) >= MAX_CANDIDATES:
                continue
            seen.add(place.key)
            d = _place_dict(place, p)
            near = [km((place.lat, place.lon), o) for o in others]
            near = [x for x in near if x > 0.5]
            d["km_to_others"] = round(min(near), 1) if near else None
            out.append(d)
        return out

    def _context_points(self, mentions: list[dict]) -> list[list[float]]:
        return [[m["place"]["lat"], m["place"]["lon"]] for m in mentions if m.get("place")]

    # ------------------------------------------------------------------ search
    def search(self, name: str, near: tuple[float, float] | None = None) -> list[dict]:
        """The gazetteer's candidates for a name the reviewer types, best first, under
        the report's context (and near a point when given)."""
        name = " ".join(str(name).split())[:MAX_TEXT]
        if not name:
            return []
        ctx = Context(near=near) if near else Context()
        others = [tuple(p) for p in self._context_points(self.state_mentions())]
        cands = self.gazetteer.candidates(name, ctx)
        probs = self.gazetteer.ranker.probabilities([c.score for c in cands])
        out = []
        for i, c in enumerate(cands[:MAX_CANDIDATES]):
            d = _place_dict(c.place, probs[i] if i < len(probs) else None)
            dists = [km((c.place.lat, c.place.lon), o) for o in others]  # type: ignore[arg-type]
            d["km_to_others"] = round(min(dists), 1) if dists else None
            out.append(d)
        return out

    def state_mentions(self) -> list[dict]:
        review = (self.saved or {}).get("review") or {}
        return review.get("mentions") or self._drafted[0]

    # ------------------------------------------------------------------ saving
    def document(self, submitted: dict) -> dict:
        """The claims file a submitted state makes (checked as ``build`` checks it)."""
        mentions = _mentions_in(submitted)
        by_id = {m["id"]: m for m in mentions}
        claims_out, review_claims = [], []
        dropped = {i for i, m in by_id.items() if m["decision"] == "not a place"
                   or m["role"] in (ACTOR, OTHER)}
        for c in _claims_in(submitted):
            if c["mention"] in dropped or c["mention"] not in by_id:
                continue
            d: dict = {"id": c["id"], "kind": c["kind"]}
            if c["date"]:
                d["date"] = c["date"]
            if c["actors"]:
                d["actors"] = c["actors"]
            place = _claim_place(by_id[c["mention"]])
            if c["kind"] == ClaimKind.MOVEMENT.value:
                dests = [by_id[x] for x in c["destinations"] if x in by_id and x not in dropped]
                if not dests:
                    raise InputError(f"claim {c['id']}: a movement needs a destination")
                d["from"] = place
                d["to"] = [_claim_place(x) for x in dests]
            else:
                d["place"] = place
            d["summary"] = c["summary"] or f"{by_id[c['mention']]['text']}: {c['kind']}."
            note = c["note"]
            if c["prospect"]:
                note = (note + " " if note else "") + \
                    "The report presents this as a prospect, not as done."
            d["note"] = note
            if c["checks"]:
                d["checks"] = c["checks"]
            claims_out.append(d)
            review_claims.append({"id": c["id"], "mention": c["mention"],
                                  "destinations": c["destinations"], "prospect": c["prospect"],
                                  "by": c["by"]})
        if not claims_out:
            raise InputError("no claim is left to save: every place was set aside")
        not_places = {m["text"]: "set aside in review" if m["by"] == "hand" else
                      f"{m['role']}: set aside by the tool" for i, m in by_id.items() if i in dropped}
        revision = int(submitted.get("revision", 0)) + 1
        doc = {
            "report": meta_dict(self.analysis),
            "claims": claims_out,
            "not_places": [{"name": n, "reading": r} for n, r in sorted(not_places.items())],
            "review": {
                "tool": "conflictmap review", "report": self.report.name,
                "report_sha": _sha(self.text), "revision": revision,
                "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "mentions": [{k: v for k, v in m.items() if k != "candidates"} for m in mentions],
                "claims": review_claims,
                "log": _log_in(submitted),
            },
        }
        report_from_document(marked_tree({k: v for k, v in doc.items() if k != "review"}),
                             str(self.output))
        return doc

    def save(self, submitted: dict) -> dict:
        """Write the reviewed claims file atomically; refused when the file on disk is
        not the revision the page started from."""
        on_disk = _read_review(self.output) if self.output.is_file() else None
        current = int(((on_disk or {}).get("review") or {}).get("revision", 0))
        base = submitted.get("revision", 0)
        if not isinstance(base, int) or base != current:
            raise StaleReview(
                f"{self.output.name} was saved from another page since this one loaded it "
                f"(revision {current}, this page started from {base}); reload to see that "
                "work, then redo this page's changes", path=str(self.output))
        doc = self.document(submitted)
        head = (f"# Claims reviewed with `conflictmap review` from {self.report.name}.\n"
                "# Build the map with `conflictmap build`; reopen the review with "
                "`conflictmap review` to go on.\n")
        data = head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        write_bytes_atomic(self.output, data.encode("utf-8"))
        self.saved = doc
        return {"revision": doc["review"]["revision"], "path": str(self.output),
                "claims": len(doc["claims"])}


    def build_map(self) -> dict:
        """Build the saved claims file into an HTML map beside it (``REPORT.claims.html``),
        as ``conflictmap build`` would; the map opens offline."""
        from conflictmap.publish import ConflictMap  # folium is loaded only when a map is built

        if not self.output.is_file():
            raise InputError("save the review before building its map", path=str(self.output))
        target = self.output.with_suffix(".html")
        cmap = ConflictMap.from_files([self.output], gazetteer=self.gazetteer)
        size = cmap.save(target)
        return {"path": str(target), "claims": len(cmap.claims), "total": cmap.total,
                "kib": round(size / 1024)}


def _read_review(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the claims file to resume: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("a claims file is a mapping with 'report' and 'claims'", path=str(path))
    return data


def _claims_back(saved: dict, review: dict) -> list[dict]:
    """The saved claims in the page's form, tied to their mentions again."""
    ties = {c.get("id"): c for c in review.get("claims") or [] if isinstance(c, dict)}
    out = []
    for c in saved.get("claims") or []:
        if not isinstance(c, dict) or c.get("id") not in ties:
            continue
        tie = ties[c["id"]]
        note = str(c.get("note", ""))
        note = note.replace("The report presents this as a prospect, not as done.", "").strip()
        out.append({"id": c["id"], "kind": c.get("kind", "mention"), "mention": tie.get("mention", ""),
                    "destinations": list(tie.get("destinations") or []),
                    "actors": list(c.get("actors") or []), "date": str(c.get("date", "") or ""),
                    "prospect": bool(tie.get("prospect")), "summary": str(c.get("summary", "")),
                    "note": note, "checks": list(c.get("checks") or []),
                    "by": tie.get("by", "tool")})
    return out


def _claim_place(m: dict) -> Any:
    """A mention as a claim's place: pinned to the coordinates a reviewer decided (so the
    file rebuilds into the same map), else its name, for ``build`` to resolve as it
    resolves a draft's names (with their doubts)."""
    p = m.get("place")
    if not p or m.get("decision") not in ("accepted", "chosen", "placed", "added"):
        return m["query"] or m["text"]
    return {"name": p["name"], "lat": p["lat"], "lon": p["lon"],
            "precision": precision_for(float(p.get("uncertainty_km") or 0))}


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InputError(f"expected text, found {type(value).__name__}")
    return str(value)[:limit]


def _number(value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high:
        raise InputError(f"expected a number from {low} to {high}, found {value!r}")
    return float(value)


def _mentions_in(submitted: dict) -> list[dict]:
    items = submitted.get("mentions")
    if not isinstance(items, list) or len(items) > MAX_MENTIONS:
        raise InputError("'mentions' must be a list (at most 5,000)")
    out = []
    for m in items:
        if not isinstance(m, dict):
            raise InputError("each mention must be a mapping")
        decision, role = _text(m.get("decision")), _text(m.get("role"))
        if decision and decision not in ACTIONS:
            raise InputError(f"unknown decision {decision!r}")
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}")
        place = m.get("place")
        if place is not None:
            if not isinstance(place, dict):
                raise InputError("a mention's place must be a mapping")
            place = {"name": _text(place.get("name")) or _text(m.get("text")),
                     "lat": round(_number(place.get("lat"), -90, 90), 5),
                     "lon": round(_number(place.get("lon"), -180, 180), 5),
                     "kind": _text(place.get("kind")), "country": _text(place.get("country"), 2),
                     "uncertainty_km": round(_number(place.get("uncertainty_km") or 0, 0, 20_000), 1),
                     "source": _text(place.get("source")),
                     "geonameid": place.get("geonameid") if isinstance(place.get("geonameid"), int)
                     and not isinstance(place.get("geonameid"), bool) else None}
        out.append({"id": _text(m.get("id"), 40), "start": int(_number(m.get("start"), 0, 1e9)),
                    "end": int(_number(m.get("end"), 0, 1e9)), "text": _text(m.get("text")),
                    "query": _text(m.get("query")), "role": role,
                    "status": _text(m.get("status"), 20), "reason": _text(m.get("reason"), 2000),
                    "place": place, "candidates": [], "decision": decision,
                    "by": "hand" if _text(m.get("by")) == "hand" else "tool"})
    return out


def _claims_in(submitted: dict) -> list[dict]:
    items = submitted.get("claims")
    if not isinstance(items, list) or len(items) > MAX_CLAIMS:
        raise InputError("'claims' must be a list (at most 5,000)")
    kinds = {k.value for k in KINDS}
    out = []
    for c in items:
        if not isinstance(c, dict):
            raise InputError("each claim must be a mapping")
        kind = _text(c.get("kind"), 40)
        if kind not in kinds:
            raise InputError(f"unknown claim kind {kind!r}")
        actors = c.get("actors") or []
        dests = c.get("destinations") or []
        if not isinstance(actors, list) or not isinstance(dests, list):
            raise InputError("'actors' and 'destinations' must be lists")
        date = _text(c.get("date"), 10)
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError as exc:
                raise InputError(f"claim {c.get('id')!r}: the date must be YYYY-MM-DD, "
                                 f"found {date!r}") from exc
        checks = c.get("checks") or []
        out.append({"id": _text(c.get("id"), 40), "kind": kind, "mention": _text(c.get("mention"), 40),
                    "destinations": [_text(x, 40) for x in dests][:100],
                    "actors": [a for a in (" ".join(_text(x, 200).split()) for x in actors[:20]) if a],
                    "date": date, "prospect": bool(c.get("prospect")),
                    "summary": _text(c.get("summary"), 2000), "note": _text(c.get("note"), 2000),
                    "checks": checks if isinstance(checks, list) and len(checks) <= 20 else [],
                    "by": "hand" if _text(c.get("by")) == "hand" else "tool"})
    return out


def _log_in(submitted: dict) -> list[dict]:
    items = submitted.get("log") or []
    if not isinstance(items, list) or len(items) > MAX_LOG:
        raise InputError("'log' must be a list (at most 50,000 entries)")
    return [{k: _text(v, 300) for k, v in e.items() if isinstance(k, str) and k in
             ("at", "target", "action", "before", "after")}
            for e in items if isinstance(e, dict)]
