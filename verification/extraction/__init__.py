"""Django-free claim extraction: text in, plain dataclasses out (see EXTRACTION_FORMAT in the README)."""

from .engine import ENGINE_VERSION, MAX_TEXT_CHARS, MODEL_PACKAGE, MODEL_VERSION, Engine, load_nlp
from .language import detect_language
from .text import html_to_text, looks_like_html, normalize_text
from .types import CLAIM_KINDS, FLAG_CODES, ArticleResult, Claim, Entity, ExtractionError, Flag

__all__ = [
    "CLAIM_KINDS",
    "ENGINE_VERSION",
    "FLAG_CODES",
    "MAX_TEXT_CHARS",
    "MODEL_PACKAGE",
    "MODEL_VERSION",
    "ArticleResult",
    "Claim",
    "Engine",
    "Entity",
    "ExtractionError",
    "Flag",
    "detect_language",
    "html_to_text",
    "load_nlp",
    "looks_like_html",
    "normalize_text",
]
