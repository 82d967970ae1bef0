"""Paragraphs, headlines, datelines, bylines and quotation spans, before any parsing.

A line break always ends a paragraph and no sentence crosses one: the engine parses paragraph by
paragraph. Lines that are headlines, bylines or page furniture are recognised here and never parsed
into claims. A dateline ("MOSCOW, November 21 (Sputnik) —") is cut off the front of its paragraph so
that the parser does not take the city or the agency for a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every character Python or a browser treats as a line break.
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")

_TERMINAL = ".!?;:,\u2026"
_CLOSERS = "\"'\u201d\u2019)]\u00bb"
# Words left lower case in title-case headlines.
_MINOR = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "so",
        "yet",
        "as",
        "at",
        "by",
        "in",
        "of",
        "off",
        "on",
        "per",
        "to",
        "up",
        "via",
        "vs",
        "vs.",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "amid",
        "than",
        "that",
        "is",
        "are",
        "be",
        "if",
        "out",
    ]
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|additional reporting by|edited by|editing by|words by|story by)\s+\S", re.I
)
_FURNITURE = re.compile(
    r"^(?:\(?(?:photo|image|picture|video|credit|source|caption|file photo|getty images|ap photo|reuters)\b.{0,80}$"
    r"|read (?:more|the rest|the full|also)\b|click here\b|sign up\b|subscribe\b|advertisement$|share this\b"
    r"|follow (?:us|him|her|them)\b|related:|see also\b|copyright\b|\u00a9)",
    re.I,
)
# CITY[, Region][, Month Day][ (Agency)] — ; the city is in capitals, as wire services write it.
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'\u2019-]+(?:[ ][A-Z][A-Z.'\u2019-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2})?"
    r"(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^()\n]{1,40}\))?"
    r"\s*(?:\u2014|\u2013|--|-|:)\s+)"
)
_DATELINE_STRICT_CITY = re.compile(r"^[A-Z][A-Z.'\u2019-]{2,}")

# Paragraphs longer than this are parsed in pieces cut at sentence ends (the parser's cost and memory
# grow with the document, and one pasted wall of text must not stall a worker).
MAX_CHUNK = 5000


@dataclass(slots=True)
class Paragraph:
    start: int  # offsets into the article text; body_start skips a dateline
    end: int
    body_start: int
    kind: str = "text"  # "text", "headline", "byline", "furniture"
    dateline: tuple[int, int] | None = None
    chunks: list[tuple[int, int]] = field(default_factory=list)


def _words(line: str) -> list[str]:
    return line.split()


def _title_case_ratio(words: list[str]) -> float:
    content = [
        w
        for w in words
        if w.lower().strip("\"'\u201c\u201d\u2018\u2019()") not in _MINOR and w.lstrip("\"'\u201c\u2018(")[:1].isalnum()
    ]
    if not content:
        return 0.0
    caps = sum(1 for w in content if w.lstrip("\"'\u201c\u2018(")[:1].isupper() or w[:1].isdigit())
    return caps / len(content)


def is_headline(line: str, *, first: bool, followed_by_text: bool) -> bool:
    """A short line that reads as a title: no sentence-final punctuation, or title case at the top."""
    words = _words(line)
    if not words or len(words) > 20 or len(line) > 160:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018"):
        return False
    stripped = line.rstrip(_CLOSERS)
    last = stripped[-1:] if stripped else ""
    ratio = _title_case_ratio(words)
    if last and last in _TERMINAL:
        # A first line in title case is the article's title even when it ends in a full stop or a
        # question mark, as many feeds write it; elsewhere a full stop makes it a sentence.
        # Every content word capitalised: "Senator Jane Doe spoke in Des Moines." is a sentence.
        return first and followed_by_text and last in ".?!" and ratio == 1.0 and len(words) >= 3
    if len(words) == 1:
        return line[0].isupper() and followed_by_text
    # Sentence-case subheadings are short; title-case ones may run longer.
    return ratio >= 0.6 or len(words) <= 12


def find_dateline(line: str) -> int:
    """Length of a wire-service dateline at the start of a paragraph, or 0."""
    m = _DATELINE.match(line)
    if not m:
        return 0
    dl = m.group("dl")
    # "NATO - the alliance ..." is not a dateline: ask for a city of 3+ capitals and something more
    # than a lone capitalised word before the dash (a region, a date or an agency).
    if not _DATELINE_STRICT_CITY.match(dl):
        return 0
    head = dl.rstrip(" \u2014\u2013-:")
    if "," not in head and "(" not in head and not dl.rstrip().endswith(("\u2014", "\u2013", "--")):
        return 0
    if len(dl) >= len(line.rstrip()):
        return 0
    return len(dl)


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= MAX_CHUNK:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > MAX_CHUNK:
        window = text[pos : pos + MAX_CHUNK]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < MAX_CHUNK // 4:
            cut = window.rfind(" ")
        cut = MAX_CHUNK if cut < MAX_CHUNK // 4 else cut + 1
        piece_end = pos + cut
        # Trim the whitespace at the cut so that no chunk starts or ends with a blank.
        a, b = pos, piece_end
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        pos = piece_end
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        out.append((pos, end))
    return out


def segment(text: str) -> list[Paragraph]:
    """Paragraphs of the article with their kind; offsets are into `text`."""
    lines: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        a, b = m.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            lines.append((a, b))
    paragraphs: list[Paragraph] = []
    text_paragraphs = 0
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        para = Paragraph(start=a, end=b, body_start=a)
        if _BYLINE.match(line) and len(line) < 120:
            para.kind = "byline"
        elif _FURNITURE.match(line) and len(line) < 200:
            para.kind = "furniture"
        elif is_headline(line, first=(i == 0), followed_by_text=i + 1 < len(lines)):
            para.kind = "headline"
        else:
            if text_paragraphs < 3:
                n = find_dateline(line)
                if n:
                    para.dateline = (a, a + n)
                    para.body_start = a + n
                    while para.body_start < b and text[para.body_start].isspace():
                        para.body_start += 1
            text_paragraphs += 1
            para.chunks = _chunks(text, para.body_start, b)
        paragraphs.append(para)
    return paragraphs


# Quotation marks. Straight double quotes and the NYT's doubled apostrophes toggle; curly and
# guillemet quotes open and close. Single curly quotes count only where they cannot be apostrophes.
_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c", "\u2018": "\u2019"}


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of quoted stretches in text[start:end]; an unclosed quote runs to `end`."""
    spans: list[tuple[int, int, bool]] = []
    i = start
    open_at = -1
    closer = ""
    while i < end:
        ch = text[i]
        two = text[i : i + 2]
        if open_at < 0:
            if ch == '"' or two in ("''", "``"):
                open_at, closer = i, ('"' if ch == '"' else "''")
                i += 1 if ch == '"' else 2
                continue
            if ch in _OPEN:
                if ch == "\u2018" and i > start and text[i - 1].isalnum():
                    i += 1
                    continue
                open_at, closer = i, _OPEN[ch]
            i += 1
            continue
        # inside a quote
        if closer == '"' and ch == '"':
            spans.append((open_at, i + 1, True))
            open_at = -1
        elif closer == "''" and two == "''":
            spans.append((open_at, i + 2, True))
            open_at = -1
            i += 2
            continue
        elif closer == "\u2019" and ch == "\u2019":
            nxt = text[i + 1 : i + 2]
            if not nxt.isalpha():
                spans.append((open_at, i + 1, True))
                open_at = -1
        elif closer not in ('"', "''", "\u2019") and (ch == closer or (closer == "\u201d" and ch == '"')):
            spans.append((open_at, i + 1, True))
            open_at = -1
        elif (
            closer == "\u201d"
            and ch == "\u201c"
            and text[i - 1 : i] in (",", ".", "!", "?", "\u2026")
            and (i + 1 >= end or text[i + 1].isspace())
        ):
            # `here,“ said Jim Clyburn`: an opening mark typed where the closing one belongs.
            spans.append((open_at, i + 1, True))
            open_at = -1
        elif closer == "\u201d" and ch == "\u201c" and i - open_at > 1:
            # A new opening quote before any closing one: the previous quote was left open by the writer.
            spans.append((open_at, i, False))
            open_at = i
        i += 1
    if open_at >= 0:
        spans.append((open_at, end, False))
    return spans


def starts_with_quote(text: str) -> bool:
    return text[:1] in ('"', "\u201c", "\u00ab", "\u201e", "\u2018") or text[:2] in ("''", "``")
