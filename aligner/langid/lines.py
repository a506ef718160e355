"""Language of every line of a text, as pieces with offsets into their line: what
``aligner detect`` prints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from aligner.langid import LanguageDetector
from aligner.langid.mixed import Piece, split_mixed
from aligner.langid.outsiders import OutsiderCheck
from aligner.segment import trim


def line_pieces(
    text: str, langs: Sequence[str], detector: LanguageDetector, split: bool
) -> Iterator[tuple[int, str, Piece]]:
    """``(0-based line number, line, piece)`` for every non-blank line; one piece per line
    unless ``split``, when a line holding two languages gives one piece per language. With
    ``langs``, a piece clearly in another language gets that language (``outsiders``)."""
    outsiders = OutsiderCheck(detector, langs) if langs else None
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        if split:
            pieces = split_mixed(line, langs, detector)
        else:
            start, end = trim(line, 0, len(line))
            pieces = [Piece(start, end, *detector.detect(line[start:end], langs))]
        for piece in pieces:
            label = (piece.lang, piece.score)
            if outsiders:
                label = outsiders.label(line[piece.start : piece.end], *label)
            yield number, line, Piece(piece.start, piece.end, *label)
