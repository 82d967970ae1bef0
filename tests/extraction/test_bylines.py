"""A byline is "By" and a name; a sentence that opens with "By" is text, and its claim is kept."""

from __future__ import annotations

import pytest

from verification.extraction.segmentation import _BYLINE


@pytest.mark.parametrize("line", ["By Jane Doe", "BY JANE DOE", "Reporting by Tom Miles; editing by Alison Williams",
                                  "By Dmitry Solovyov and Gabriela Baczynska"])  # fmt: skip
def test_bylines(line: str) -> None:
    assert _BYLINE.match(line)


@pytest.mark.parametrize(
    "line",
    [
        "By a slim margin, voters approved the levy.",
        "By 58%-33%, voters said the economy was the top issue.",
        "By July 2013, the programme had cost $4 billion.",
        "By contrast, exports rose 3 percent.",
        "By Friday, the ministry had denied the report.",
        "By the end of the year, unemployment fell to 5 percent.",
    ],
)
def test_sentences_that_open_with_by_are_text(line: str) -> None:
    assert not _BYLINE.match(line)
