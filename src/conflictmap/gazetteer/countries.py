"""Country words: national capitals and demonyms, from countryinfo (MIT).

The extractor needs them to tell "Ankara will…" (a government) and "Turkish
threats" (an adjective) from places where something happens.

>>> words = country_words()
>>> words.capitals["ankara"], words.demonyms["turkish"], words.demonym_of["SY"]
('TR', 'TR', 'Syrian')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from conflictmap.gazetteer.bulk import _countryinfo, _extra_names, demonym_owners
from conflictmap.gazetteer.names import normalise


@dataclass(frozen=True)
class CountryWords:
    capitals: dict[str, str]  #: normalised capital name -> ISO code
    demonyms: dict[str, str]  #: normalised demonym -> ISO code
    demonym_of: dict[str, str]  #: ISO code -> demonym
    name_of: dict[str, str]  #: ISO code -> short English name
    #: normalised abbreviations news uses for countries ("us", "uk", "drc"; country_names.csv)
    abbreviations: frozenset[str] = frozenset()
    capital_of: dict[str, str] = field(default_factory=dict)  #: ISO code -> the capital's name


@functools.lru_cache(maxsize=1)
def country_words() -> CountryWords:
    capitals: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    name_of: dict[str, str] = {}
    capital_of: dict[str, str] = {}
    owners = demonym_owners()
    for iso, info in _countryinfo().items():
        name_of[iso] = info.get("name", iso)
        capital = info.get("capital") or ""
        if capital:
            capitals.setdefault(normalise(capital), iso)
            capital_of[iso] = capital
        demonym = info.get("demonym") or ""
        if demonym:
            if owners.get(demonym) == iso:
                demonyms[normalise(demonym)] = iso
            demonym_of[iso] = demonym
    capitals.setdefault("kiev", "UA")  # the older spelling news reports still use
    capitals.setdefault("washington", "US")  # countryinfo has "Washington D.C."
    abbreviations = frozenset(normalise(n) for names in _extra_names("country_names.csv", "iso").values()
                              for n in names if n.replace(".", "").isupper())
    return CountryWords(capitals, demonyms, demonym_of, name_of, abbreviations, capital_of)
