"""Paragraphs, headlines, datelines, bylines and quotation spans, before any parsing.

A line break always ends a paragraph and no sentence crosses one: the engine parses paragraph by
paragraph. Lines that are headlines, bylines or page furniture are recognised here and never parsed
into claims. A dateline ("MOSCOW, November 21 (Sputnik) —") is cut off the front of its paragraph so
that the parser does not take the city or the agency for a speaker.

A title written as a sentence ("Russia denies sending troops into Ukraine.", as many feeds and scrapers
give it) is recognised only at the top of the article, and only when it reads as headline English: short,
one sentence, none of the words a running sentence needs and a headline drops (articles, auxiliaries,
pronouns, past tenses, "said"), over a longer paragraph or a dateline or byline. Its deck (a second line
of headline English) or, after a first line that breaks off at a semicolon, the title's second half go
with it. Anything else stays text: a one-line lede ("The crowd booed.") is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx

# Every character Python or a browser treats as a line break.
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")

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
# "By Jane Doe", not "By a slim margin, ...", "By 58%-33%, ..." or "By July 2013, ...": a byline's
# next word is a capitalised name, and not a month, a day or a sentence's opening word.
_BYLINE = re.compile(
    r"^(?i:by|written by|reporting by|additional reporting by|edited by|editing by|words by|story by)\s+"
    r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday"
    r"|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|These|Then|Now|Contrast|Comparison|Far|Law|Day"
    r"|Night|Noon|Midnight|Year|Week|Month|Next|Last|Early|Late|Mid)\b)[A-Z]"
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

_PAST_CUES = frozenset(w for w in lx.CUE_LEMMA if w.endswith("ed") or w in ("said", "told", "wrote"))
_TIME_WORDS = re.compile(
    r"\b(?:on|last|this|next|early|late|earlier|later)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|week|month|year|night|morning|afternoon|evening|weekend)\b|\b(?:yesterday|today|tonight|tomorrow|ago)\b",
    re.I,
)
# Where a sentence may end inside a line: ". The", "? A"; see `_two_sentences`.
_INNER_SENTENCE_END = re.compile(r"(\S+)[.!?][\"'\u201d\u2019)]*\s+[\"'\u201c\u2018(]*[A-Z]")

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


def _norm_word(word: str) -> str:
    return word.strip("\"'\u201c\u201d\u2018\u2019(),.;:!?").replace("\u2019", "'")


def _running_text_words(line: str) -> list[str]:
    """The words of `line` that mark running text rather than headline English."""
    found = []
    for raw in line.split():
        w = _norm_word(raw)
        low = w.lower()
        base = low[:-2] if low.endswith("'s") else low
        if low in lx.RUNNING_TEXT_WORDS or base in ("he", "she", "it", "that", "there", "who", "what"):
            found.append(low)
        elif "n't" in low or low.endswith(("'re", "'ll", "'d", "'ve", "'m")):
            found.append(low)  # contractions: "isn't", "they're"
        elif low in _PAST_CUES or (w.islower() and w.isalpha() and len(w) > 4 and w.endswith("ed")):
            found.append(low)  # "said", "declined", "picked": a past tense (headlines use the present)
    if _TIME_WORDS.search(line):
        found.append("<time>")
    return found


def is_sentence_title(  # noqa: PLR0911 (a rule cascade reads best as early returns)
    line: str, next_line: str | None, *, next_opens_article: bool = False
) -> bool:
    """A first line in sentence case that ends in a full stop and reads as a title, not as a lede.

    `next_line`: the next paragraph of some length; `next_opens_article`: it starts with a dateline or is
    a byline, which only an article's body or its credit does, so what stands above it is the title.
    """
    words = line.split()
    if not 3 <= len(words) <= 20 or len(line) > 160 or next_line is None:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c\u2018"):
        return False
    stripped = line.rstrip(_CLOSERS)
    if not stripped.endswith(".") or stripped.endswith(".."):
        return False
    if find_dateline(line) or _two_sentences(stripped[:-1]):
        return False
    if next_opens_article:
        return True
    if len(words) > 12 or _norm_word(words[0]).lower() in lx.RUNNING_TEXT_STARTS:
        return False
    if len(next_line.split()) < max(12, 1.5 * len(words)):
        return False
    running = _running_text_words(line)
    return not running


def _two_sentences(line: str) -> bool:
    """Does a sentence end inside `line`? Not after an initial or an abbreviation: "Rep. Welch", "U.S. Army"."""
    for m in _INNER_SENTENCE_END.finditer(line):
        word = m.group(1).lstrip("\"'\u201c\u2018(").lower()
        if m.group(0)[len(m.group(1))] == "." and (len(word) == 1 or "." in word or word in lx.ABBREVIATIONS):
            continue
        return True
    return False


def _title_continues(line: str) -> bool:
    """A first line that breaks off at a semicolon: the title goes on in the next line."""
    words = line.split()
    return 2 <= len(words) <= 20 and line.rstrip(_CLOSERS).endswith(";") and not find_dateline(line)


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


def _opens_article(line: str) -> bool:
    """ "By Jane Doe" (not "By contrast, ...") or "MOSCOW (Reuters) -": an article's credit or body starts here."""
    byline = bool(_BYLINE.match(line)) and len(line) < 120 and line.rsplit(maxsplit=1)[-1][:1].isupper()
    return byline or find_dateline(line) > 0


def _title_block(text: str, lines: list[tuple[int, int]]) -> int:
    """How many of the first lines are a title written as sentences (0, 1 or 2); see the module docstring.

    - "Jobs report gives Democrats a lift;" breaks off, so it is a title, and the line right under it
      (no blank line between) is its second half;
    - a sentence title over a longer paragraph, a dateline or a byline (section labels in capitals such
      as "ABSTRACT." in between are skipped);
    - a title and its deck: two lines of headline English over a longer paragraph.
    """
    if len(lines) < 2:
        return 0
    first = text[lines[0][0] : lines[0][1]]
    if _title_continues(first):
        return 2 if _deck(text, lines) else 1
    k = 1
    while k < min(len(lines), 4) and _is_section_label(text[lines[k][0] : lines[k][1]]):
        k += 1
    if k >= len(lines):
        return 0
    nxt = text[lines[k][0] : lines[k][1]]
    if is_sentence_title(first, nxt, next_opens_article=_opens_article(nxt)):
        return 1
    if k == 1 and len(lines) > 2:
        body = text[lines[2][0] : lines[2][1]]
        opens = _opens_article(body)
        if is_sentence_title(nxt, body, next_opens_article=opens) and is_sentence_title(
            first, body, next_opens_article=opens
        ):
            return 2
    return 0


def _is_section_label(line: str) -> bool:
    return line.isupper() and len(line.split()) <= 3


def _deck(text: str, lines: list[tuple[int, int]]) -> bool:
    """The second half of a title broken at a semicolon, on the very next line (no blank line between)."""
    gap = text[lines[0][1] : lines[1][0]]
    if len(_LINE_BREAK.findall(gap)) > 1 or len(lines) < 3:
        return False
    line = text[lines[1][0] : lines[1][1]]
    words = line.split()
    return 2 <= len(words) <= 25 and line.rstrip(_CLOSERS)[-1:] in ".!?" and not find_dateline(line)


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
    title_lines = 0
    if lines and not is_headline(text[lines[0][0] : lines[0][1]], first=True, followed_by_text=len(lines) > 1):
        title_lines = _title_block(text, lines)
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        para = Paragraph(start=a, end=b, body_start=a)
        if _BYLINE.match(line) and len(line) < 120:
            para.kind = "byline"
        elif _FURNITURE.match(line) and len(line) < 200:
            para.kind = "furniture"
        elif is_headline(line, first=(i == 0), followed_by_text=i + 1 < len(lines)) or i < title_lines:
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
