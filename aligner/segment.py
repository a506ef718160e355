"""Cut a document into segments with character offsets: lines first, then sentences.

Captions live on their own lines, so a line never spans two segments' worth of languages unless
it is a mixed line (handled by ``langid.mixed``). Long prose lines are cut into sentences with
``sentencex`` (rule-based, ~300 languages; as accurate as pysbd on es/en news and about 100x
faster, see BENCHMARKS.md). Surrounding whitespace is never part of a segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aligner.records import UNDETERMINED, Document, Segment

SPLITTER = "sentencex"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``text[start:end]`` without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def lines(text: str) -> Iterator[tuple[int, int, int]]:
    """``(line number, start, end)`` of every non-blank line, whitespace trimmed."""
    position = 0
    for number, line in enumerate(text.split("\n")):
        start, end = trim(text, position, position + len(line))
        if start < end:
            yield number, start, end
        position += len(line) + 1


def sentences(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, as offsets into ``text``.

    ``lang`` picks the splitter's abbreviation rules; an unknown or undetermined language falls
    back to sentencex's language-independent rules.
    """
    import sentencex

    spans: list[tuple[int, int]] = []
    cursor = start
    for sentence in sentencex.segment(lang, text[start:end]):
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, cursor, end)
        if found < 0:  # the splitter normalised something; keep the rest whole rather than guess
            break
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    rest = trim(text, cursor, end)
    if rest[0] < rest[1]:
        if spans and not text[spans[-1][1] : rest[0]].strip():
            spans[-1] = (spans[-1][0], rest[1])
        else:
            spans.append(rest)
    return spans


def labelled_segments(
    document: Document,
    pieces: Iterable[tuple[int, int, int, str, float]],
    split: bool = True,
) -> list[Segment]:
    """The segments of ``document`` from its labelled pieces ``(line, start, end, lang, score)``
    in text order: each piece's sentences (or the piece whole, when not ``split``), numbered
    from 0, each taking its piece's language and score."""
    text = document.text
    segments: list[Segment] = []
    for line_number, piece_start, piece_end, lang, score in pieces:
        splitter_lang = lang if lang != UNDETERMINED else "en"
        spans = (
            sentences(text, piece_start, piece_end, splitter_lang)
            if split
            else [(piece_start, piece_end)]
        )
        for start, end in spans:
            segments.append(
                Segment(
                    doc_id=document.doc_id,
                    index=len(segments),
                    start=start,
                    end=end,
                    text=text[start:end],
                    line=line_number,
                    lang=lang,
                    lang_score=score,
                )
            )
    return segments
