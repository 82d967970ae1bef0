"""A light language guess: is this English the engine can read, and if not, what is it likely to be.

No model: the share of very common function words among the alphabetic words, and the share of
letters in non-Latin scripts. Good enough to tell English news from other languages; it does not try to
tell close languages apart precisely (Cyrillic text without Russian or Ukrainian function words is "und").
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "a",
            "in",
            "is",
            "that",
            "for",
            "it",
            "on",
            "was",
            "with",
            "as",
            "he",
            "be",
            "by",
            "at",
            "are",
            "this",
            "from",
            "his",
            "have",
            "has",
            "not",
            "but",
            "or",
            "an",
            "they",
            "which",
            "you",
            "were",
            "her",
            "she",
            "their",
            "been",
            "we",
            "its",
            "had",
            "will",
            "would",
            "there",
            "said",
            "who",
            "all",
            "can",
            "more",
            "about",
            "than",
            "also",
            "after",
            "into",
            "when",
            "what",
            "over",
            "our",
            "new",
            "one",
            "could",
            "some",
            "these",
            "them",
            "up",
            "out",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "de",
            "des",
            "du",
            "et",
            "est",
            "un",
            "une",
            "que",
            "qui",
            "dans",
            "pour",
            "pas",
            "sur",
            "au",
            "aux",
            "avec",
            "ce",
            "cette",
            "il",
            "elle",
            "sont",
            "ont",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "ein",
            "eine",
            "zu",
            "den",
            "dem",
            "mit",
            "sich",
            "auf",
            "für",
            "von",
            "im",
            "des",
            "ich",
            "auch",
            "wird",
            "sind",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "y",
            "que",
            "en",
            "un",
            "una",
            "por",
            "con",
            "para",
            "es",
            "se",
            "no",
            "su",
            "al",
            "lo",
            "como",
            "más",
            "pero",
            "sus",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "di",
            "del",
            "della",
            "e",
            "che",
            "è",
            "un",
            "una",
            "per",
            "non",
            "con",
            "si",
            "sono",
            "nel",
            "alla",
            "anche",
            "come",
            "più",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "que",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "se",
            "no",
            "na",
            "por",
            "mais",
            "como",
            "foi",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "is",
            "dat",
            "op",
            "te",
            "zijn",
            "niet",
            "met",
            "voor",
            "die",
            "er",
            "aan",
            "ook",
            "als",
            "bij",
            "wordt",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "не",
            "на",
            "что",
            "с",
            "по",
            "как",
            "это",
            "он",
            "она",
            "они",
            "из",
            "за",
            "от",
            "для",
            "но",
            "к",
            "о",
            "же",
            "то",
            "все",
            "был",
            "была",
        ]
    ),
    "uk": frozenset(
        [
            "і",
            "в",
            "не",
            "на",
            "що",
            "з",
            "по",
            "як",
            "це",
            "він",
            "вона",
            "вони",
            "із",
            "за",
            "від",
            "для",
            "але",
            "до",
            "та",
            "також",
            "був",
        ]
    ),
}

# First letter of the Unicode character name -> ISO 639-1 guess for scripts used mainly by one language.
_SCRIPTS = (
    ("CJK", "zh"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
    ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("CYRILLIC", "cyrillic"),
)

# Text shorter than this many words is judged leniently: a few words say little about their language.
_SHORT = 8


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for prefix, code in _SCRIPTS:
        if name.startswith(prefix):
            return code
    return "latin" if name.startswith("LATIN") else "other"


def detect_language(text: str, sample_chars: int = 20000) -> str:  # noqa: PLR0911
    """ISO 639-1 code ("en", "fr", ...) or "und" when the text gives too little to go on."""
    sample = text[:sample_chars]
    scripts: dict[str, int] = {}
    letters = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            code = _script(ch)
            scripts[code] = scripts.get(code, 0) + 1
    if letters == 0:
        return "und"
    top, count = max(scripts.items(), key=lambda kv: kv[1])
    if top not in ("latin", "cyrillic", "other") and count / letters >= 0.3:
        # Japanese mixes kanji with kana: any kana at all means Japanese rather than Chinese.
        if top == "zh" and scripts.get("ja", 0) > 0.05 * letters:
            return "ja"
        return top
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(sample)]
    if not words:
        return "und"
    scores = {lang: sum(w in fw for w in words) / len(words) for lang, fw in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if top == "cyrillic" and count / letters >= 0.3:
        return best if best in ("ru", "uk") and scores[best] > 0.05 else "und"
    if top == "other" and count / letters >= 0.5:
        return "und"
    if len(words) < _SHORT:
        # Short Latin-script text: English unless another language's function words clearly win.
        if scores[best] > scores["en"] and best != "en":
            return best
        return "en" if scores["en"] > 0 or len(words) <= 3 else "und"
    if best == "en" and scores["en"] >= 0.12:
        return "en"
    if scores[best] >= 0.12:
        return best
    return "und"
