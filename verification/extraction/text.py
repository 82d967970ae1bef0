"""Turning what an editor pasted into the stored article text that claim offsets point into."""

from __future__ import annotations

import re
import unicodedata

import trafilatura

_HTML_HINT = re.compile(r"<\s*(html|body|p|div|span|br|h[1-6]|article|section|a|li|ul|ol|table|meta)\b", re.I)
_BLANKS = re.compile(r"[ \t\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def looks_like_html(raw: str) -> bool:
    """True when the paste is markup copied from a browser rather than plain text."""
    return len(_HTML_HINT.findall(raw[:20000])) >= 1


def html_to_text(raw: str) -> str:
    """Main text of an HTML page, paragraphs on their own lines; never renders or runs anything."""
    text = trafilatura.extract(
        raw,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text:
        # trafilatura gives up on fragments without a page around them: wrap and retry.
        text = trafilatura.extract(f"<html><body><article>{raw}</article></body></html>", favor_recall=True)
    return normalize_text(text or "")


def normalize_text(raw: str) -> str:
    """One newline convention, no control characters, trimmed lines; the text stays otherwise as pasted."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
