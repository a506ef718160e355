"""Language of every line of a text, as pieces with offsets into their line, then the labelled
sentences of a document: the one labelling ``aligner run`` (``segment_document``), ``aligner
mine`` and ``aligner detect`` (``line_pieces``) share."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterable, Iterator, Sequence

from threadpoolctl import ThreadpoolController

from aligner import segment
from aligner.langid import LanguageDetector
from aligner.langid.mixed import Piece, split_mixed
from aligner.langid.neutral import in_no_language, language_tag_end
from aligner.langid.outsiders import OutsiderCheck
from aligner.read.subtitles import TimedDocument, cue_line_spans
from aligner.records import UNDETERMINED, Document, Segment
from aligner.segment import trim
from aligner.segment.cues import layout_labels

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


def segment_document(
    document: Document,
    langs: tuple[str, ...],
    detector: LanguageDetector,
    mixed: bool = True,
    outsiders: OutsiderCheck | None = None,
) -> list[Segment]:
    """Blocks (lines, joined where hard-wrapped text runs a sentence on; in subtitles, each
    line of each cue), then sentences, labelled with their language among ``langs`` (or, with
    ``outsiders``, another language where the text is clearly in neither).

    A block that holds two languages is first cut at the change; each piece is then cut into
    sentences, which take the piece's language (a whole piece is better evidence than one
    short sentence).
    """
    with _one_blas_thread():
        return _segment_document(document, langs, detector, mixed, outsiders)


@functools.cache
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """One BLAS thread while labelling: py3langid's matrix-vector product (the outsider check)
    took 7x longer with two threads than with one (waking a thread costs more than the product),
    and with one its answers do not depend on the machine's cores."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _segment_document(
    document: Document,
    langs: tuple[str, ...],
    detector: LanguageDetector,
    mixed: bool,
    outsiders: OutsiderCheck | None,
) -> list[Segment]:
    text = document.text
    timed = isinstance(document, TimedDocument)
    # a subtitle cue is one unit of structure: never joined with the next, cut at its lines
    spans = cue_line_spans(document) if timed else segment.blocks(text)
    # Lazily, so that each line is labelled and relabelled in a row (its words read once) and
    # no list of every line is held; subtitle cues are labelled by the file's layout, which
    # needs them all.
    lines: Iterable[tuple[int, int, str, list[Piece]]] = (
        (line_number, line_start, line, detected_pieces(line, langs, detector, mixed))
        for line_number, line_start, line_end in spans
        for line in [segment.flat(text, line_start, line_end)]
    )
    if timed and len(langs) == 2:
        lines = list(lines)
        _label_cue_lines(lines, (langs[0], langs[1]))
    pieces: list[tuple[int, int, int, str, float]] = []
    for line_number, line_start, line, found in lines:
        for piece in labelled_pieces(line, found, langs, outsiders):
            start, end = line_start + piece.start, line_start + piece.end
            pieces.append((line_number, start, end, piece.lang, piece.score))
    # a sentence without a letter or one that only credits a picture stays out of the caption
    # beside it, where a credit would also make two captions look alike
    segments = [
        dataclasses.replace(s, lang=UNDETERMINED, lang_score=0.0) if in_no_language(s.text) else s
        for s in segment.labelled_segments(document, pieces)
    ]
    if isinstance(document, TimedDocument):  # a segment's line is its cue's number
        cues = document.cues
        return [
            dataclasses.replace(s, time=(cues[s.line].start, cues[s.line].end)) for s in segments
        ]
    return segments


def _label_cue_lines(
    lines: list[tuple[int, int, str, list[Piece]]], langs: tuple[str, str]
) -> None:
    """Label the undetermined lines of two-line cues by the file's layout (``segment.cues``); a
    line cut in two languages counts as neither and is left as found."""
    cues: dict[int, list[int]] = {}
    for position, (cue, *_) in enumerate(lines):
        cues.setdefault(cue, []).append(position)
    line_langs = [found[0].lang if len(found) == 1 else "mixed" for *_, found in lines]
    members = list(cues.values())
    labels = layout_labels([[line_langs[i] for i in cue] for cue in members], langs)
    for cue, cue_labels in zip(members, labels, strict=True):
        for position, lang in zip(cue, cue_labels, strict=True):
            number, start, line, _ = lines[position]
            if lang != line_langs[position]:
                lines[position] = (number, start, line, [Piece(0, len(line), lang, 0.0)])
