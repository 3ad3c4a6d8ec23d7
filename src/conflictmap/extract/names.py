"""Finding every gazetteer name in a text in one pass.

The text is cut into word tokens, each folded with the gazetteer's own
normaliser; articles ("al-", "el-", "ash-Sh…", "ال") are dropped exactly as in
name keys. A token trie over all known name keys (the set of full keys plus the
set of their proper prefixes) is then walked from each token: leftmost-longest,
non-overlapping, so "Mount Simeon District" wins over "Mount Simeon", and the
work per token is a few hash lookups whatever the size of the gazetteer.

A match must look like a name in the text: its first or another word is
capitalised (or in a non-Latin script), and a single word is not a common
English word at the start of a sentence ("The", "Will", "Support").

>>> m = NameMatcher(["darat izza", "aleppo", "sham", "mount simeon", "mount simeon district"])
>>> t = "Troops neared Darat Izza and the Mount Simeon District, west of Aleppo."
>>> [(t[f.start:f.end], f.key) for f in m.find(t)]
[('Darat Izza', 'darat izza'), ('Mount Simeon District', 'mount simeon district'), ('Aleppo', 'aleppo')]
>>> t = "units of Hayat Tahrir al-Sham"
>>> [t[f.start:f.end] for f in m.find(t)]
['al-Sham']
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from conflictmap.atomic import write_bytes_atomic
from conflictmap.errors import OutputError
from conflictmap.gazetteer.countries import country_words
from conflictmap.gazetteer.index import GazetteerIndex, cache_dir
from conflictmap.gazetteer.names import _ARTICLES, _SUN_ARTICLES, normalise
from conflictmap.progress import log

_SPLIT = re.compile(r"([^\W_]+(?:['’‘ʿʾ`][^\W_]+)*)")
_JOIN = re.compile(r"[ \t\u00a0\-‐‑–—'’ʿʾ`‘]*\n?[ \t\u00a0]*")  # what may stand between words of one name
_ARABIC_PREFIXES = ("و", "ب", "ل", "ف")
_ARTICLE_KEYS = frozenset(_ARTICLES) | frozenset(_SUN_ARTICLES)
_SENTENCE_GAP = re.compile(r"[.!?:\n]\W*$")

# Capitalised single words that start English sentences or stand in tag lines: a
# one-word match on one of these is not taken as a place.
COMMON = frozenset("""
a about above after again against all also although an and another any are around as at be
because been before being below between both but by can cannot could did do does down
during each even every few for from further furthermore had has have having he her here
hers him his how however i if in into is it its itself just last later many may me
meanwhile more most much must my near neither never next no nor not now of off on once one
only or other our out over own per perhaps same several she should since so some still such
than that the their them then there therefore these they this those though thus to today
together too under until up upon us very was we were what when where whether which while
who whom whose why will with within without would yet you your according again along
already among amid despite earlier following instead moreover nevertheless overall recently
reportedly similarly soon taking turning video photo monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december president minister general colonel commander spokesman sources source
report reports government army forces troops police rebels militants update breaking live
read watch
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
st mt ft jr sr inc ltd corp co dept gov sen rep rev gen col lt sgt capt maj dr mr mrs ms
ph mw kw vs
""".split())  # noqa: SIM905 - a word list reads best as text
#: Abbreviations that begin or continue a place's name, joined to the next word over
#: their full stop (alone, they are no names: see COMMON).
_NAME_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft", "Pt"})
#: Titles abbreviated with a full stop, joined to the name after them so that the name
#: reads as a person's ("Gov. Brown", "Sen. Warren", "Dr. Haddad").
_TITLE_ABBREVIATIONS = frozenset({"Gov", "Sen", "Rep", "Rev", "Gen", "Col", "Lt", "Maj", "Sgt",
                                  "Capt", "Dr", "Mr", "Mrs", "Ms", "Prof", "Insp", "Const"})
_JOINED_ABBREVIATIONS = _NAME_ABBREVIATIONS | _TITLE_ABBREVIATIONS
#: English contractions ("I've", "I'd", "we'll", "Don't"): a capital in them says nothing.
_PRONOUN_CONTRACTION = re.compile(r"(?i)(?:i|you|we|they|he|she|it|that|there|who|what|let)['’]"
                                  r"(?:ve|d|ll|re|m|s)|[a-z]+n['’]t")


class Token(NamedTuple):
    start: int
    end: int
    key: str  #: the folded word ("" for a dropped article)
    capital: bool  #: starts with an upper-case letter, or is in a script without case
    upper: bool  #: starts with an upper-case letter
    joined: bool  #: only spaces or a hyphen separate it from the previous token
    sentence_start: bool  #: (only worked out for capitalised words)
    caps: bool = False  #: two or more letters, all upper-case ("US", "UK")


@dataclass(frozen=True)
class Found:
    """A gazetteer name found in the text."""

    start: int
    end: int
    key: str
    first: int  #: index of its first token
    last: int  #: index of its last token


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of a span with their folded keys; articles fold to ""."""
    end = len(text) if end is None else end
    parts = _SPLIT.split(text[start:end])  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    gaps = parts[0::2]  # one more gap than words
    n = len(words)
    gaps[0] = gaps[-1] = "."
    join = _JOIN.fullmatch
    joins = [g == " " or (g != "." and join(g) is not None) for g in gaps]
    for i in range(1, n):
        g = gaps[i]
        if g == "." or g == ". ":
            w0, w1 = words[i - 1], words[i]
            if g == "." and len(w0) <= 2 and len(w1) <= 3 and w0[0].isupper() and w1[0].isupper():
                joins[i] = True  # initials: "U.S.", "B.C.", "W.Va.", "N.S.W."
            elif w0 in _JOINED_ABBREVIATIONS:
                joins[i] = True  # "St. Thomas", "Fort St. John", "Mt. Hermon"; "Gov. Brown"
    joins[0] = False
    keys = [normalise(w) for w in words]
    new = tuple.__new__
    out: list[Token] = []
    append = out.append
    pos = start
    for i in range(n):
        word = words[i]
        a = pos + len(parts[2 * i])
        pos = b = a + len(word)
        key = keys[i]
        if word[-1] in "sS" and len(word) > 2 and word[-2] in "'’":  # a possessive: "Tehran's"
            word, b = word[:-2], b - 2
            key = normalise(word)
            if i + 1 < n:  # "'s" separates: "Omdurman's Karari district" is two names
                joins[i + 1] = False
        if key in _ARTICLE_KEYS and joins[i + 1] and i + 1 < n and (
                key in _ARTICLES or (keys[i + 1].startswith(_SUN_ARTICLES[key]) and (
                    "-" in gaps[i + 1] or (word[0].isupper() and words[i + 1][0].isupper()
                                           and i > 0 and gaps[i] == " ")))):
            key = ""  # "al-", "ash-Sh…"; "En Nahud", "Ar Raqqah" inside a sentence
        first = word[0]
        if first.islower():  # most words: no capital, so no name start and no sentence start
            append(new(Token, (a, b, key, False, False, joins[i], False, False)))
            continue
        upper = first.isupper()
        capital = upper or (first.isalpha() and not first.isascii())
        if capital and ("'" in word or "’" in word) and _PRONOUN_CONTRACTION.fullmatch(word):
            capital = upper = False  # "I've", "It's", "Don't" are no names
        sentence_start = capital and (i == 0 or (gaps[i] != " " and
                                                 _SENTENCE_GAP.search(gaps[i]) is not None))
        append(new(Token, (a, b, key, capital, upper, joins[i], sentence_start,
                           upper and len(word) > 1 and word.isupper())))
    return out


def _abbreviation(toks: Sequence[Token], i: int) -> bool:
    """A common word written in capitals, among words that are not, that news uses for a
    country ("the US", not "us"; in a headline in capitals "US" says nothing; "MW" is no
    country's name in news)."""
    t = toks[i]
    if not t.caps or t.key not in country_words().abbreviations:
        return False
    return any(not u.caps for u in (*toks[max(0, i - 3):i], *toks[i + 1:i + 4]))


class NameMatcher:
    """All names of a gazetteer as a token trie."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.full: set[str] = set()
        self.prefixes: set[str] = set()
        for key in keys:
            if not key:
                continue
            self.full.add(key)
            space = key.find(" ")
            while space != -1:
                self.prefixes.add(key[:space])
                space = key.find(" ", space + 1)

    def __len__(self) -> int:
        return len(self.full)

    @classmethod
    def for_gazetteer(cls, gazetteer) -> NameMatcher:
        """Every name the gazetteer's sources know; large indexes are cached as one text file."""
        keys: list[str] = []
        for source in gazetteer.sources:
            index = getattr(source, "index", None)
            if index is not None and index.meta.get("fingerprint"):
                keys.extend(_cached_keys(index))
            elif hasattr(source, "names"):
                keys.extend(source.names())
        return cls(keys)

    def _accept(self, toks: Sequence[Token], i: int, j: int) -> bool:
        if i == j:  # one word (the common case): capitalised, not a common word
            t = toks[i]
            return t.capital and len(t.key) >= 2 and (t.key not in COMMON or _abbreviation(toks, i))
        words = [t for t in toks[i:j + 1] if t.key]
        if not any(t.capital and not (t.sentence_start and t.key in COMMON) for t in words):
            return False
        if len(words) == 1:
            t = words[0]
            if t.key in COMMON or len(t.key) < 2:
                return False
            if not toks[i].capital and toks[i].key:  # a lower-case single word
                return False
        return True

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Found]:
        """Leftmost-longest name matches in ``text[start:end]``."""
        return self.find_tokens(tokens(text, start, end))

    def find_tokens(self, toks: Sequence[Token]) -> list[Found]:
        """Leftmost-longest name matches in a token sequence (see :func:`tokens`)."""
        out: list[Found] = []
        full, prefixes = self.full, self.prefixes
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if not t.key:  # an article: the name starts at the next word
                k = i + 1
                if k < n and toks[k].joined:
                    best = self._longest(toks, k, full, prefixes)
                    if best is not None and self._accept(toks, i, best):
                        out.append(Found(t.start, toks[best].end, _phrase(toks, k, best), i, best))
                        i = best + 1
                        continue
                i += 1
                continue
            if not t.capital:  # a lower-case word is a name only as the start of a longer one
                if t.key not in prefixes or i + 1 >= n or not toks[i + 1].joined:
                    i += 1
                    continue
                second = toks[i + 1].key
                if second and f"{t.key} {second}" not in prefixes and f"{t.key} {second}" not in full:
                    i += 1  # (the quick test of the two first words, before the full search)
                    continue
            best = self._longest(toks, i, full, prefixes)
            if best is None and not t.key.isascii() and t.key[0] in _ARABIC_PREFIXES:
                stripped = t.key[1:]
                if stripped in full:
                    out.append(Found(t.start, t.end, stripped, i, i))
                    i += 1
                    continue
            if best is not None and self._accept(toks, i, best):
                out.append(Found(t.start, toks[best].end, _phrase(toks, i, best), i, best))
                i = best + 1
            else:
                i += 1
        return out

    @staticmethod
    def _longest(toks: Sequence[Token], i: int, full: set[str], prefixes: set[str]) -> int | None:
        phrase = toks[i].key
        best = i if phrase in full else None
        j = i
        while phrase in prefixes and j + 1 < len(toks) and toks[j + 1].joined:
            j += 1
            if toks[j].key:
                phrase = f"{phrase} {toks[j].key}"
                if phrase in full:
                    best = j
        return best


def _phrase(toks: Sequence[Token], i: int, j: int) -> str:
    return " ".join(t.key for t in toks[i:j + 1] if t.key)


_NAMES_HEADER = b"#conflictmap name keys v2 "


def _read_keys(path: Path, names: int) -> list[str] | None:
    """The keys of a name-key file, or ``None`` when it is missing or not the one written
    for this index (its header states the count and the SHA-256 of the keys)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if not head.startswith(_NAMES_HEADER):
        return None
    fields = dict(f.split(b"=", 1) for f in head[len(_NAMES_HEADER):].split() if b"=" in f)
    if fields.get(b"sha256") != hashlib.sha256(body).hexdigest().encode():
        return None
    try:
        keys = body.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if fields.get(b"count") != str(len(keys)).encode() or len(keys) < min(names, 1):
        return None
    return keys


def _cached_keys(index: GazetteerIndex) -> list[str]:
    """The distinct name keys of a large index, kept as a text file beside it and checked
    like the index: a file that is not the one written for it is rebuilt."""
    tag = hashlib.sha256(repr(sorted(index.meta.items())).encode()).hexdigest()[:16]
    folder = cache_dir()
    path = folder / f"names-{tag}.txt"
    keys = _read_keys(path, 1 if int(index.meta.get("names", "0")) else 0)
    if keys is not None:
        return keys
    if path.exists():
        log.warning("the name list %s is damaged or not this index's; rebuilding it", path)
    keys = index.keys()
    body = "\n".join(keys).encode("utf-8")
    head = _NAMES_HEADER + f"count={len(keys)} sha256={hashlib.sha256(body).hexdigest()}".encode()
    with contextlib.suppress(OutputError):  # unwritable: the next run reads the index again
        write_bytes_atomic(path, head + b"\n" + body)
    for old in folder.glob("names-*.txt"):
        if old != path:
            old.unlink(missing_ok=True)
    return keys
