"""The language guess: English is read, anything else gets no claims."""

from __future__ import annotations

import pytest

from verification.extraction import Engine, detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NATO said on Friday that it had observed Russian tanks crossing into Ukraine.", "en"),
        ("Le gouvernement a annoncé que les négociations sont suspendues pour une durée indéterminée.", "fr"),
        ("Die Regierung hat angekündigt, dass die Verhandlungen auf unbestimmte Zeit ausgesetzt sind.", "de"),
        ("El gobierno anunció que las negociaciones se suspenden por tiempo indefinido con los socios.", "es"),
        ("Правительство заявило, что переговоры приостановлены на неопределенный срок и не будут.", "ru"),
        ("政府宣布谈判无限期暂停。", "zh"),
        ("政府は交渉を無期限に中断すると発表した。", "ja"),
        ("الحكومة أعلنت أن المفاوضات معلقة إلى أجل غير مسمى", "ar"),
        ("", "und"),
        ("!!! 123 ...", "und"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_non_english_text_gets_no_claims(engine: Engine) -> None:
    text = "Le gouvernement a annoncé que les négociations sont suspendues. Les diplomates ont dit qu'ils sont déçus."
    result = engine.extract(text)
    assert result.language == "fr"
    assert result.claims == []


def test_english_with_a_foreign_quote_is_english(engine: Engine) -> None:
    text = 'The minister said in Paris that "la situation est grave" and that the talks would resume on Monday.'
    result = engine.extract(text)
    assert result.language == "en"
    assert result.claims
