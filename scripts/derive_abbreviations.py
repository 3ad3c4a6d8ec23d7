"""Write geodata/gazetteer/abbreviations.csv: the abbreviations news writers use for
first-level units (US states, Canadian provinces and territories, Australian states),
matched to the units by their ISO 3166-2 code.

Run by a maintainer, never at install or run time:

    pip download --no-deps us==3.2.0 && unzip us-3.2.0-py3-none-any.whl -d us-wheel
    python scripts/derive_abbreviations.py us-wheel/

US states: the Associated Press abbreviations of PyPI ``us`` 3.2.0 (BSD-3-Clause,
Sunlight Labs). Canada and Australia: the provinces' and states' abbreviations in the
Canadian Press and Australian government style guides (facts, listed here). Left out on
purpose, because they are also common words or names in news text: Mass., Miss., La.
(Louisiana), Man. (Manitoba), Vic. (Victoria), S.A. (South Australia). Bare two-letter
postal codes are not names here either ("IN", "OR", "ME" are words).
"""

from __future__ import annotations

import ast
import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geodata" / "gazetteer" / "abbreviations.csv"
LEFT_OUT = {"Mass.", "Miss.", "La."}
CANADA = {  # ISO 3166-2 code: abbreviations (Canadian Press style)
    "CA-AB": ["Alta."], "CA-BC": ["B.C."], "CA-NB": ["N.B."], "CA-NL": ["N.L.", "Nfld."],
    "CA-NS": ["N.S."], "CA-ON": ["Ont."], "CA-PE": ["P.E.I."], "CA-QC": ["Que."],
    "CA-SK": ["Sask."], "CA-NT": ["N.W.T."], "CA-YT": ["Y.T."], "CA-NU": ["Nun."],
}
AUSTRALIA = {  # Australian government style abbreviations
    "AU-NSW": ["N.S.W.", "NSW"], "AU-QLD": ["Qld"], "AU-WA": ["W.A."], "AU-TAS": ["Tas."],
    "AU-NT": ["N.T."], "AU-ACT": ["A.C.T."],
}


def us_states(wheel: Path) -> list[dict]:
    """The State(**{...}) records of ``us/states.py``, read as literals (the module
    itself imports jellyfish, which this needs not)."""
    tree = ast.parse((wheel / "us" / "states.py").read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "State" \
                and node.keywords and node.keywords[0].arg is None:
            out.append(ast.literal_eval(node.keywords[0].value))
    return out


def main(us_wheel: str) -> None:
    rows = []
    for state in sorted(us_states(Path(us_wheel)), key=lambda s: s["abbr"]):
        ap = state.get("ap_abbr")
        if ap and ap != state["name"] and ap not in LEFT_OUT and not state.get("is_obsolete"):
            rows.append((f"US-{state['abbr']}", ap,
                         "Associated Press, via PyPI us 3.2.0 (BSD-3-Clause)"))
    for code, names in CANADA.items():
        rows += [(code, n, "Canadian Press style") for n in names]
    for code, names in AUSTRALIA.items():
        rows += [(code, n, "Australian government style manual") for n in names]
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["iso", "abbreviation", "source"])
        w.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} abbreviations")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
