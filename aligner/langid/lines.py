"""Language of every line of a text, as pieces with offsets into their line: the labelling
``aligner run`` gives each line before it cuts sentences, and what ``aligner detect`` prints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from aligner.langid import LanguageDetector
from aligner.langid.mixed import Piece, split_mixed
from aligner.langid.neutral import in_no_language, language_tag_end
from aligner.langid.outsiders import OutsiderCheck
from aligner.records import UNDETERMINED
from aligner.segment import trim

MIXED_LINE_MAX_CHARS = 2_000
"""Longer lines are not searched for a language change: the search detects both halves at every
candidate cut, so its cost grows with the square of the line (a 300 kB line took minutes), and a
line holding a caption and its translation is far shorter than this."""


def detected_pieces(
    line: str, langs: Sequence[str], detector: LanguageDetector, split: bool
) -> list[Piece]:
    """The line as one piece, or with ``split`` cut where its language changes (lines up to
    MIXED_LINE_MAX_CHARS), labelled by the detector alone."""
    if split and len(line) <= MIXED_LINE_MAX_CHARS:
        return split_mixed(line, langs, detector)
    start, end = trim(line, 0, len(line))
    return [Piece(start, end, *detector.detect(line[start:end], langs))]


def labelled_pieces(
    line: str, found: list[Piece], langs: Sequence[str], outsiders: OutsiderCheck | None
) -> Iterator[Piece]:
    """``found`` relabelled: a piece clearly in a third language gets it (``outsiders``), and a
    language tag opening a piece ("ES: caption") becomes a piece of no language of its own, kept
    out of the caption."""
    for piece in found:
        label = (piece.lang, piece.score)
        if outsiders:
            label = outsiders.label(line[piece.start : piece.end], *label)
        start = language_tag_end(line, piece.start, piece.end, langs)
        if start > piece.start:
            yield Piece(piece.start, start, UNDETERMINED, 0.0)
        yield Piece(start, piece.end, *label)


def line_pieces(
    text: str, langs: Sequence[str], detector: LanguageDetector, split: bool
) -> Iterator[tuple[int, str, Piece]]:
    """``(0-based line number, line, piece)`` for every non-blank line, labelled as ``aligner
    run`` labels it; a piece that says no language (no letter, a picture credit, program code)
    is ``und``, as run's sentences are."""
    outsiders = OutsiderCheck(detector, langs) if langs else None
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        found = detected_pieces(line, langs, detector, split)
        for piece in labelled_pieces(line, found, langs, outsiders):
            if in_no_language(line[piece.start : piece.end]):
                piece = Piece(piece.start, piece.end, UNDETERMINED, 0.0)
            yield number, line, piece
