"""Split a segment that holds two languages (``<es caption> / <en caption>``) at the change.

First version: candidate cut points are separators and sentence ends outside a leading credit;
the cut whose two halves are confidently in two different languages, with the best combined
confidence, wins. A segment whose halves agree is left whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.langid import LanguageDetector
from aligner.langid.neutral import credit_prefix_end
from aligner.records import UNDETERMINED

# A cut lies after the separator: the second piece starts at the match's end.
_CUT_POINTS = re.compile(r"\s+[/|\-–—]\s+|(?<=[.!?»”\")])\s+(?=[¿¡\"“«]?[A-ZÁÉÍÓÚÑ])")


@dataclass(frozen=True, slots=True)
class Piece:
    start: int
    end: int
    lang: str
    score: float


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_mixed(
    text: str, langs: Sequence[str], detector: LanguageDetector, min_score: float = 0.8
) -> list[Piece]:
    """Pieces of ``text`` (offsets into it) with their language; one piece when no change."""
    start, end = _trimmed(text, 0, len(text))
    whole_lang, whole_score = detector.detect(text[start:end], langs)
    whole = [Piece(start, end, whole_lang, whole_score)]
    credit_end = credit_prefix_end(text)
    best: tuple[float, list[Piece]] | None = None
    for match in _CUT_POINTS.finditer(text):
        if match.start() < credit_end:
            continue
        left = _trimmed(text, start, match.start())
        right = _trimmed(text, match.end(), end)
        if left[0] == left[1] or right[0] == right[1]:
            continue
        left_lang, left_score = detector.detect(text[left[0] : left[1]], langs)
        right_lang, right_score = detector.detect(text[right[0] : right[1]], langs)
        if UNDETERMINED in (left_lang, right_lang) or left_lang == right_lang:
            continue
        if min(left_score, right_score) < min_score:
            continue
        combined = left_score * right_score
        if best is None or combined > best[0]:
            best = (
                combined,
                [Piece(*left, left_lang, left_score), Piece(*right, right_lang, right_score)],
            )
    return whole if best is None else best[1]
