"""Django-free claim extraction: text in, plain dataclasses out (see EXTRACTION_FORMAT in the README)."""

from .engine import ENGINE_VERSION, MODEL_PACKAGE, MODEL_VERSION, Engine, load_nlp
from .text import html_to_text, looks_like_html, normalize_text
from .types import CLAIM_KINDS, FLAG_CODES, ArticleResult, Claim, Entity, Flag

__all__ = [
    "CLAIM_KINDS",
    "ENGINE_VERSION",
    "FLAG_CODES",
    "MODEL_PACKAGE",
    "MODEL_VERSION",
    "ArticleResult",
    "Claim",
    "Engine",
    "Entity",
    "Flag",
    "html_to_text",
    "load_nlp",
    "looks_like_html",
    "normalize_text",
]
