"""A report as text: plain text, Markdown or HTML, split into blocks and sentences,
with page furniture recognised and the report's metadata read where the text gives it.

Offsets (``start``, ``end``) index :attr:`Document.text`: the file itself for plain
text and Markdown, the extracted text for HTML.

>>> doc = parse_text("Region: Middle East\\n\\nTroops entered Saraqib on 3 March.\\n"
...                  "Support us: https://example.org/donate\\n")
>>> [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
[('furniture', 'Region: Middle East'), ('body', 'Troops entered Saraqib on 3 March.'), \
('furniture', 'Support us: https://example.org/donate')]
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from conflictmap.claims.read import read_text


@dataclass(frozen=True)
class Block:
    """A line or paragraph of the report."""

    start: int
    end: int
    kind: str  #: "title", "meta" (byline, dateline), "body" or "furniture"
    why: str = ""  #: for furniture: tag line, share, donate, copyright, link-only...


@dataclass
class Meta:
    """What the text says about itself."""

    title: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: dt.date | None = None
    republished_by: str = ""
    republished: dt.date | None = None


@dataclass
class Document:
    text: str
    blocks: list[Block]
    meta: Meta = field(default_factory=Meta)
    path: str = ""

    def body(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind in ("body", "title"))


# --- dates -----------------------------------------------------------------------------------

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS |= {m[:3]: n for m, n in MONTHS.items()} | {"sept": 9}
_MONTH = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE_PATTERNS = [
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),  # ISO
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE),
]


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first full date in a text, with its span.

    >>> find_date("Global Research, February 19, 2020")[0]
    datetime.date(2020, 2, 19)
    >>> find_date("18 February 2020")[0]
    datetime.date(2020, 2, 18)
    """
    best = None
    for i, pattern in enumerate(DATE_PATTERNS):
        m = pattern.search(text)
        if not m or (best and best[1] <= m.start()):
            continue
        g = m.groups()
        try:
            if i == 0:
                d = dt.date(int(g[0]), int(g[1]), int(g[2]))
            elif i == 1:
                d = dt.date(int(g[2]), MONTHS[g[1].lower().rstrip(".")], int(g[0]))
            else:
                d = dt.date(int(g[2]), MONTHS[g[0].lower().rstrip(".")], int(g[1]))
        except (ValueError, KeyError):
            continue
        best = (d, m.start(), m.end())
    return best


# --- furniture -------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)|<(https?://[^>\s]+|mailto:[^>\s]+)>"
                   r"|\bhttps?://[^\s)>\]]+|\bwww\.[^\s)>\]]+|[\w.+-]+@[\w-]+\.[\w.-]+")
_TAG_LINE = re.compile(
    r"^\W*(region|regions|theme|themes|topic|topics|tags?|categor(?:y|ies)|filed under|"
    r"in-depth report|keywords|related|section)s?\s*:", re.IGNORECASE)
_FURNITURE = [
    ("share", re.compile(r"share (?:this|buttons)|forward this article|crosspost|"
                         r"comment on .* (?:facebook|twitter)|follow us|like us on", re.I)),
    ("subscribe", re.compile(r"\bsubscribe\b|newsletter|become a (?:member|patron)|sign up", re.I)),
    ("donate", re.compile(r"\bdonat(?:e|ion)|paypal|patreon|support (?:us|the project|our work|"
                          r"\w+ \w+ in its)", re.I)),
    ("copyright", re.compile(r"copyright|©|all rights reserved|original source of this article|"
                             r"^\W*articles by\s*:", re.I)),
    ("disclaimer", re.compile(r"disclaimer|fair use|the views expressed|media inquiries|"
                              r"sole responsibility of the author", re.I)),
]
# After one of these, the rest of the page is furniture (when it starts late in the page).
_TAIL = re.compile(r"^\W*(note to readers|the original source of this article|copyright|"
                   r"disclaimer|related (?:articles|posts)|share this)", re.IGNORECASE)
_BYLINE = re.compile(r"^\W*(?:by|written by|author\s*:)\s+(.{2,80}?)\W*$", re.IGNORECASE)


#: Share buttons, copyright and newsletter lines are short: a longer line is body text.
FURNITURE_CHARS = 400


#: What every link, URL or address holds: a line without it has none (a quick test
#: first, since the address pattern tries every word of a long line).
_MAY_LINK = re.compile(r"[\[<@]|https?:|www\.")


def strip_links(line: str) -> str:
    """A line with Markdown links reduced to their text and bare URLs removed."""
    if _MAY_LINK.search(line) is None:
        return line
    return _LINK.sub(lambda m: m.group(1) or "", line)


def furniture(line: str) -> str:
    """Why a line is page furniture, or "" when it is not.

    >>> furniture("Theme: [Intelligence](#)"), furniture("[https://x.org/a.mp4](https://x.org/a.mp4)")
    ('tag line', 'link-only')
    >>> furniture("Troops entered the town.")
    ''
    """
    if _TAG_LINE.match(line):
        return "tag line"
    if len(line) > FURNITURE_CHARS:
        return ""  # a paragraph of the body that mentions "copyright" or "newsletter"
    for why, pattern in _FURNITURE:
        if pattern.search(line):
            return why
    words = re.findall(r"[^\W\d_]{2,}", _LINK.sub(" ", line))
    if _LINK.search(line) and len(words) < 3:
        return "link-only"
    if not re.search(r"[^\W\d_]", line):
        return "separator"
    return ""


# --- reading ---------------------------------------------------------------------------------


def _raw_lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        if body.strip():
            yield pos + lead, pos + len(body.rstrip())
        pos += len(line)


#: A line that ends a sentence (or a heading, a label) does not run on into the next.
_ENDS = re.compile(r"[.!?:;]['\"”’)\]*_]*$")
#: A line that opens a block of its own: a Markdown heading, list item, quote or table row.
_OPENS_BLOCK = re.compile(r"^(?:#|[-*+•] |\d{1,3}[.)] |>|\|)")
WRAP_MIN = 40  #: a line this long that stops mid-sentence was wrapped, not ended


def _title_case(line: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) * 10 >= len(words) * 7


def _runs_on(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues the sentence ``prev`` was wrapped in (hard-wrapped text
    and Markdown paragraphs): ``prev`` stops mid-sentence and either ``nxt`` goes on in
    lower case or ``prev`` is a long line of running text (not a headline)."""
    if _ENDS.search(prev) or _OPENS_BLOCK.match(nxt) or _OPENS_BLOCK.match(prev) \
            or furniture(prev) or furniture(nxt):
        return False
    return nxt[:1].islower() or (len(prev) >= WRAP_MIN and not _title_case(prev))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Blocks of text: its lines, with a sentence wrapped over several lines kept as one
    ("... residents" / "said."), so that no sentence is cut at a line break."""
    start = end = last = -1  #: the block so far, and where its last line starts
    for a, b in _raw_lines(text):
        if start >= 0 and text.count("\n", end, a) == 1 and _runs_on(text[last:end], text[a:b]):
            end, last = b, a
            continue
        if start >= 0:
            yield start, end
        start, end, last = a, b, a
    if start >= 0:
        yield start, end


def parse_text(text: str, path: str = "", *, furniture_at: Container[int] = ()) -> Document:
    """Split plain text or Markdown into blocks and read its metadata. Lines that
    start at an offset in ``furniture_at`` are page furniture whatever they say (an
    HTML page's navigation, footer, asides and forms)."""
    spans = list(_lines(text))
    blocks: list[Block] = []
    meta = Meta()
    tail = False
    seen_body = False
    for start, end in spans:
        line = text[start:end]
        if start in furniture_at:
            blocks.append(Block(start, end, "furniture", "navigation, footer or aside"))
            continue
        plain = strip_links(line).strip(" *_#>\\")
        if not tail and _TAIL.match(plain) and start > len(text) * 0.5:
            tail = True
        if not tail and not seen_body and _is_meta(plain, meta):
            blocks.append(Block(start, end, "meta"))
            continue
        why = (furniture(line) or "end matter") if tail else furniture(line)
        if why:
            if not meta.url and why == "link-only" and seen_body:
                url = re.search(r"https?://[^\s)\]>]+", line)
                meta.url = url.group(0).replace("\\", "") if url else ""
            blocks.append(Block(start, end, "furniture", why))
            continue
        if not meta.title and line.lstrip().startswith("#"):
            meta.title = plain
            blocks.append(Block(start, end, "title"))
            continue
        if not meta.title and not seen_body and len(plain) < 150 and not plain.endswith("."):
            meta.title = plain
            blocks.append(Block(start, end, "title"))
            continue
        seen_body = True
        blocks.append(Block(start, end, "body"))
    if meta.republished_by and not meta.outlet:
        meta.outlet, meta.published = meta.republished_by, meta.republished
        meta.republished_by, meta.republished = "", None
    meta.title = meta.title or (Path(path).stem if path else "Untitled report")
    return Document(text, blocks, meta, path)


def _is_meta(plain: str, meta: Meta) -> bool:
    """Bylines and datelines before the body fill the metadata."""
    if len(plain) > 120:
        return False
    by = _BYLINE.match(plain)
    if by:
        meta.author = meta.author or by.group(1).strip()
        return True
    found = find_date(plain)
    if not found:
        return False
    date, a, b = found
    name = (plain[:a] + plain[b:]).strip(" ,;|-\u2013\u2014")
    if len(name.split()) > 6:
        return False
    if name and name == (meta.author or name) and not meta.outlet:
        meta.outlet, meta.published = name, date
    elif name and not meta.republished_by and name != meta.outlet:
        meta.republished_by, meta.republished = name, date
    elif not meta.published:
        meta.published = date
    return True


class _HTMLText(HTMLParser):
    """Text of an HTML page as lines: block elements end a line, scripts and styles
    vanish, and each line knows whether it stood in navigation, a footer, an aside or
    a form (page furniture)."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "header", "footer", "nav", "aside", "blockquote", "figcaption", "time"}
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    FURNITURE = {"nav", "footer", "aside", "form"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, bool]] = []  #: (text, is furniture)
        self._words: list[str] = []
        self._words_furniture = False
        self.skip = 0
        self.furniture = 0
        self.meta: dict[str, str] = {}
        self.in_title = False

    def _flush(self) -> None:
        if self._words:
            self.lines.append((" ".join(self._words), self._words_furniture))
            self._words = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag in self.BLOCKS or tag in self.FURNITURE:
            self._flush()
        if tag in self.FURNITURE:
            self.furniture += 1
        if tag == "h1":
            self._words.append("#")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCKS or tag in self.FURNITURE:
            self._flush()
        if tag in self.FURNITURE and self.furniture:
            self.furniture -= 1

    def handle_data(self, data):
        if self.in_title:
            self.meta.setdefault("title", data.strip())
        if self.skip or not data.split():
            return
        if self._words and self._words_furniture != bool(self.furniture):
            self._flush()
        self._words_furniture = bool(self.furniture)
        self._words.append(" ".join(data.split()))

    def close(self) -> None:
        super().close()
        self._flush()


def parse_html(source: str, path: str = "") -> Document:
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    text, furniture_at, pos = [], set(), 0
    for line, is_furniture in parser.lines:
        if is_furniture:
            furniture_at.add(pos)
        text.append(line)
        pos += len(line) + 2
    doc = parse_text("\n\n".join(text) + "\n", path, furniture_at=furniture_at)
    m = parser.meta
    doc.meta.title = html.unescape(m.get("og:title") or doc.meta.title or m.get("title", ""))
    doc.meta.outlet = m.get("og:site_name") or doc.meta.outlet
    doc.meta.author = m.get("author") or doc.meta.author
    url = m.get("canonical") or m.get("og:url") or ""
    doc.meta.url = url if re.match(r"^https?://", url) else doc.meta.url
    for key in ("article:published_time", "date", "time"):
        if m.get(key):
            found = find_date(m[key][:10])
            if found:
                doc.meta.published = found[0]
                break
    return doc


def read_document(path: str | Path) -> Document:
    """Read a report file (plain text, Markdown or HTML) into a :class:`Document`."""
    path = Path(path)
    return document_of(read_text(path, "a report (text, Markdown or HTML)"), str(path))


def document_of(text: str, path: str = "") -> Document:
    """A report's text as a :class:`Document`: HTML (by the name's suffix or its first
    tags) or plain text and Markdown."""
    head = text[:2000].lower()
    if Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or "<html" in head \
            or "<body" in head:
        return parse_html(text, path)
    return parse_text(text, path)


# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = {"no", "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "sgt", "capt",
                  "u.s", "u.n", "vs", "etc", "e.g", "i.e", "approx", "jan", "feb", "aug", "sept",
                  "oct", "nov", "dec", "mt", "ft", "ste", "pt", "gov", "sen", "rep", "rev", "jr",
                  "sr"}
_LAST_WORD = re.compile(r"([\w.]+)[.!?]*$")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9\u0600-\u06ff])")


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside one block.

    >>> t = "Observation post No. 3 was cut off. Troops left Anjara."
    >>> [t[a:b] for a, b in sentences(t, 0, len(t))]
    ['Observation post No. 3 was cut off.', 'Troops left Anjara.']
    """
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        word = _LAST_WORD.search(text, max(pos, m.start() - 12), m.start() + 1)
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        yield pos, m.start() + len(m.group(0).rstrip())
        pos = m.end()
    if pos < end:
        yield pos, end
