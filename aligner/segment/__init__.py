"""Cut a document into segments with character offsets: blocks (lines) first, then sentences.

Captions live on their own lines, so a line never spans two segments' worth of languages unless
it is a mixed line (handled by ``langid.mixed``). In hard-wrapped text (a paragraph broken into
lines of about one width, as in e-mail, wire copy and e-text archives) a sentence runs on over
the line break, so the lines that continue one another are joined into one block first
(``blocks``). Blocks are cut into sentences with ``sentencex`` (rule-based, ~300 languages; as
accurate as pysbd on es/en news and about 100x faster, see BENCHMARKS.md). Surrounding
whitespace is never part of a segment, and a line break inside one reads as a space.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from aligner.records import UNDETERMINED, Document, Segment

SPLITTER = "sentencex:unwrap-4"
"""The sentence splitter, and the version of the rules that join hard-wrapped lines (``blocks``)."""


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


# A line ending in one of these ends its sentence (or its caption), so the next line is new.
_TERMINAL = frozenset(".!?…:;\"'»”)]。！？")
_WORD = re.compile(r"\S+")
# A list item starts its own line, whatever the line before: "- item", "* item", "2. item".
_BULLET = re.compile(r"[-*•–—]\s|\d{1,3}[.)]\s")
# A table row (cells joined by " | ", as the Markdown reader writes them, or drawn "| a | b |")
# is a line of its own, whatever the lines around it.
_CELL_SEPARATOR = re.compile(r"\s\|\s|^\||\|$", re.MULTILINE)
MAX_WRAP_WIDTH = 120
"""Wider lines are paragraphs on one line, not wrapped text."""
MIN_BROKEN_LINES = 2
"""Fewer lines broken off mid-sentence are no evidence of wrapping."""
WRAPPED_SHARE = 0.6
"""Share of the lines broken off mid-sentence that must be full for the text to count as
hard-wrapped."""
OVERLONG = 1.25
"""A line longer than this many times the wrap width, with a place to break it, was not written
by a word wrapper at that width: a paragraph on one line."""
OVERLONG_SHARE = 0.1
"""Share of the lines that may be paragraphs on one line in hard-wrapped text (a line pasted
unwrapped); more, and the text has one paragraph per line."""


def _length(text: str, start: int, end: int, in_bytes: bool) -> int:
    """Length of ``text[start:end]`` in characters, or in UTF-8 bytes (``fold -w`` counts
    bytes, so its lines with accents hold fewer characters)."""
    return len(text[start:end].encode("utf-8")) if in_bytes else end - start


def _full(text: str, end: int, following: int, width: int, in_bytes: bool = False) -> bool:
    """Whether the line ending at ``end`` had no room for the first word of the next line, the
    mark of a line broken by word wrapping at ``width`` rather than by its writer."""
    start = text.rfind("\n", 0, end) + 1
    length = _length(text, start, end, in_bytes)
    # Chinese and Japanese wrap between any two characters, without a space
    if unicodedata.east_asian_width(text[following]) in "WF":
        return length + 1 > width
    word = _WORD.match(text, following)
    return length + 1 + (_length(text, following, word.end(), in_bytes) if word else 0) > width


def _overlong(text: str, start: int, end: int, width: int, in_bytes: bool) -> bool:
    """Whether the line ``text[start:end]`` is too long to come from word wrapping at ``width``:
    far longer, and with a space (or a Chinese or Japanese character) where a wrapper would
    have broken it; a single long word (a URL) overflows any width."""
    if _length(text, start, end, in_bytes) <= OVERLONG * width:
        return False
    return any(ch.isspace() or _wide(ch) for ch in text[start:end])


class Wrap(NamedTuple):
    width: int | None
    """Where lines break, None when they are too long for word wrapping."""
    wrapped: bool
    """Whether the text is hard-wrapped at ``width``."""
    in_bytes: bool = False
    """Whether ``width`` counts UTF-8 bytes (``fold``) rather than characters."""


def wrap_width(text: str, spans: list[tuple[int, int, int]]) -> Wrap:
    """The width at which lines of ``text`` would be broken by word wrapping, and whether
    ``text`` is hard-wrapped at it, in characters or, where that explains more lines, in bytes.

    Looks at the lines broken off mid-sentence (no sentence end, another non-blank line next):
    in wrapped text they are full, the next line's first word would not have fitted; captions,
    titles and list items on lines of their own leave room. Text where more than
    OVERLONG_SHARE of the lines are paragraphs on one line (``_overlong``) is not wrapped at
    that width: there, the short lines broken off mid-sentence are captions and titles, whose
    lengths alone would make a width they fill.
    """
    inner = [
        (start, end, following_start)
        for (number, start, end), (following, following_start, _) in itertools.pairwise(spans)
        if following == number + 1 and text[end - 1] not in _TERMINAL
    ]
    if len(inner) < MIN_BROKEN_LINES:
        return Wrap(None, False)
    found = []
    for in_bytes in (False, True):
        lengths = [_length(text, start, end, in_bytes) for start, end, _ in inner]
        width = round(statistics.quantiles(lengths, n=10, method="inclusive")[-1])
        if width > MAX_WRAP_WIDTH:
            continue
        # fold never writes a line longer than its width: a text with longer lines (captions
        # or paragraphs on lines of their own) is not folded by bytes
        if in_bytes and any(_length(text, a, b, True) > width + 1 for _, a, b in spans):
            continue
        full = sum(_full(text, end, following, width, in_bytes) for _, end, following in inner)
        overlong = sum(_overlong(text, a, b, width, in_bytes) for _, a, b in spans)
        if overlong > OVERLONG_SHARE * len(spans):
            continue
        found.append(
            (full, not in_bytes, Wrap(width, full >= WRAPPED_SHARE * len(inner), in_bytes))
        )
    if not found:
        return Wrap(None, False)
    return max(found)[2]  # the measure that explains more breaks; characters on a tie


def _continues(text: str, end: int, following: int, wrap: Wrap) -> bool:
    """Whether the line at ``following`` continues the sentence of the line ending at ``end``:
    no sentence end before the break, the line was full, and the text is hard-wrapped or the
    next line goes on in lower case. A paragraph on one line (``_overlong``) ends there."""
    if wrap.width is None or text[end - 1] in _TERMINAL or _BULLET.match(text, following):
        return False
    start = text.rfind("\n", 0, end) + 1
    following_end = text.find("\n", following)
    if _CELL_SEPARATOR.search(text, start, end) or _CELL_SEPARATOR.search(
        text, following, following_end if following_end >= 0 else len(text)
    ):
        return False
    if _overlong(text, start, end, wrap.width, wrap.in_bytes):
        return False
    if not _full(text, end, following, wrap.width, wrap.in_bytes):
        return False
    return wrap.wrapped or text[following].islower()


MAX_BLOCK_CHARS = 20_000
"""Longer blocks (a dump written on a single line) are cut into pieces of at most this many
characters, so that labelling, sentence splitting and embedding work on bounded pieces: their
time and memory do not grow with the line."""
# Where a long block is best cut: after a sentence end (closing quotes and brackets included),
# or after a Chinese or Japanese full stop, which takes no space
_SENTENCE_END = re.compile(r"[.!?…]['\"»”’)\]]*\s+|[。！？]\s*")
_SPACE = re.compile(r"\s+")


def _last_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    """The end of the last match of ``pattern`` inside ``text[start:end]``."""
    last = None
    for found in pattern.finditer(text, start, end):
        last = found.end()
    return last


def bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most MAX_BLOCK_CHARS, each cut after the last
    sentence end in its second half, else after its last space, else at the limit; surrounding
    whitespace trimmed."""
    while end - start > MAX_BLOCK_CHARS:
        half, limit = start + MAX_BLOCK_CHARS // 2, start + MAX_BLOCK_CHARS
        cut = (
            _last_end(_SENTENCE_END, text, half, limit)
            or _last_end(_SPACE, text, half, limit)
            or limit
        )
        yield trim(text, start, cut)
        start = trim(text, cut, end)[0]
    yield start, end


def blocks(text: str) -> Iterator[tuple[int, int, int]]:
    """``(first line number, start, end)`` of every block: a non-blank line, joined with the
    lines after it that continue its sentence (``_continues``; no blank line between), and cut
    where it is longer than MAX_BLOCK_CHARS (``bounded``). A block may hold line breaks;
    ``flat`` reads them as spaces."""
    spans = list(lines(text))
    wrap = wrap_width(text, spans)
    first: tuple[int, int] | None = None  # line number and start of the open block
    for (number, start, end), following in itertools.zip_longest(spans, spans[1:]):
        first = first or (number, start)
        if not (
            following is not None
            and following[0] == number + 1
            and _continues(text, end, following[1], wrap)
        ):
            for piece_start, piece_end in bounded(text, first[1], end):
                yield first[0], piece_start, piece_end
            first = None


WIDE_CHARACTER_LENGTH = 3.0
"""What one Chinese, Japanese or Korean (wide) character weighs against a Latin letter when the
lengths of a text and its translation are compared: English takes 3.6-3.9 characters per
Chinese character (median over 1-1 beads of MAC-Dev and debdocs zh-en); Japanese and Korean
take fewer."""


def translation_length(text: str) -> float:
    """Length of ``text`` for comparing it with its translation: characters, each wide one
    weighing WIDE_CHARACTER_LENGTH, so a Chinese caption and its English translation measure
    alike."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return len(text) + (WIDE_CHARACTER_LENGTH - 1) * wide


def flat(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with line breaks read as spaces (same length, same offsets)."""
    return text[start:end].replace("\n", " ")


def _wide(ch: str) -> bool:
    """Whether ``ch`` is a Chinese, Japanese or Korean (wide) character."""
    return unicodedata.east_asian_width(ch) in "WF"


def segment_text(text: str, start: int, end: int) -> str:
    """A segment's text, ``text[start:end]`` with each line break read as a space, or as
    nothing between two wide characters (Chinese and Japanese wrap without a space): how a
    segment's text reads its offsets' slice."""
    piece = text[start:end]
    if "\n" not in piece:
        return piece
    parts = piece.split("\n")
    out = [parts[0]]
    for part in parts[1:]:
        touching = out[-1] and part and _wide(out[-1][-1]) and _wide(part[0])
        out.append(part if touching else " " + part)
    return "".join(out)


def joined(segments: Iterable[Segment]) -> str:
    """The text of consecutive segments of one side: each segment's text, with a space between
    two segments where the document has any text between them, none where they touch (Chinese
    and Japanese sentences follow each other without a space)."""
    out: list[str] = []
    previous: Segment | None = None
    for current in segments:
        if previous is not None and previous.end != current.start:
            out.append(" ")
        out.append(current.text)
        previous = current
    return "".join(out)


def sentences(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, as offsets into ``text``.

    ``lang`` picks the splitter's abbreviation rules; an unknown or undetermined language falls
    back to sentencex's language-independent rules.
    """
    import sentencex

    spans: list[tuple[int, int]] = []
    block = flat(text, start, end)  # a line break inside a block does not end a sentence
    cursor = 0
    for sentence in sentencex.segment(lang, block):
        piece = sentence.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # the splitter normalised something; keep the rest whole rather than guess
            break
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    rest = trim(text, start + cursor, end)
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
                    text=segment_text(text, start, end),
                    line=line_number,
                    lang=lang,
                    lang_score=score,
                )
            )
    return segments
