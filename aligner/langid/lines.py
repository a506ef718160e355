"""Language of every line of a text, as pieces with offsets into their line: what
``aligner detect`` prints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from aligner.langid import LanguageDetector
from aligner.langid.mixed import Piece, split_mixed
from aligner.segment import trim


def line_pieces(
    text: str, langs: Sequence[str], detector: LanguageDetector, split: bool
) -> Iterator[tuple[int, str, Piece]]:
    """``(0-based line number, line, piece)`` for every non-blank line; one piece per line
    unless ``split``, when a line holding two languages gives one piece per language."""
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        if split:
            for piece in split_mixed(line, langs, detector):
                yield number, line, piece
            continue
        start, end = trim(line, 0, len(line))
        yield number, line, Piece(start, end, *detector.detect(line[start:end], langs))
