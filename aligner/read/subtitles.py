"""Subtitles: SRT (the ``srt`` package) and WebVTT (``webvtt-py``).

A subtitle file is one document whose text has one line per cue. A bilingual cue (a line in
each language) thus becomes one mixed-language line, which the pipeline's mixed-language
splitter cuts, exactly like a bilingual caption: the cue's lines are joined with a space after
a sentence end, and with `` / `` otherwise (the usual way to write a line break inline), so
that the splitter has a place to cut even when the subtitler left out the punctuation. The cue
times are kept on the document (``TimedDocument``) and given to its segments (``Segment.time``).
Needs ``pip install 'aligner[subtitles]'``.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from aligner.dependencies import need
from aligner.errors import InputError, UsageError
from aligner.read.base import ReadOptions, decode, input_format, open_input
from aligner.records import Document

if TYPE_CHECKING:
    pass

# Formatting that SRT players accept but that is not text: <i>, <font ...>, ASS {\an8}.
_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SENTENCE_END = re.compile(r"[.!?…»”\"')]$")
_TIMING_LINE = re.compile(r"^[^\n]*-->[^\n]*$", re.MULTILINE)
_VTT_TIME = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_VTT_TIMING = re.compile(rf"{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Cue:
    start: float
    """Seconds from the start of the video."""
    end: float
    lines: tuple[str, ...]
    """The cue's lines, markup removed."""

    @property
    def text(self) -> str:
        """The lines joined with a space: the cue as one sentence."""
        return " ".join(self.lines)

    @property
    def inline(self) -> str:
        """The cue on one line, a line break kept as `` / `` where no sentence ends."""
        parts = [self.lines[0]] if self.lines else []
        for line in self.lines[1:]:
            parts.append(" " if _SENTENCE_END.search(parts[-1]) else " / ")
            parts.append(line)
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class TimedDocument(Document):
    """A document read from subtitles: line i of ``text`` is cue i."""

    cues: tuple[Cue, ...] = ()


def _clean_lines(text: str) -> tuple[str, ...]:
    return tuple(html.unescape(line).strip() for line in text.split("\n") if line.strip())


def _line_of(content: str, char: int) -> int:
    return content.count("\n", 0, char) + 1


def parse_srt(content: str, source: str) -> list[Cue]:
    """The cues of an SRT file; a block that is not a cue is an error naming its line."""
    srt = need("srt", "subtitles", "reading SRT subtitles")
    try:
        subtitles = list(srt.parse(content))
    except srt.SRTParseError as exc:
        raise InputError(
            f"{source}:{_line_of(content, exc.expected_start)}: not an SRT cue "
            f"(expected a number, a 'start --> end' line and text)"
        ) from None
    return [
        Cue(
            s.start.total_seconds(),
            s.end.total_seconds(),
            _clean_lines(_MARKUP.sub("", s.content)),
        )
        for s in subtitles
    ]


def parse_vtt(content: str, source: str) -> list[Cue]:
    """The cues of a WebVTT file; a timing line that did not become a cue is an error."""
    webvtt = need("webvtt", "subtitles", "reading WebVTT subtitles")
    try:
        captions = list(webvtt.from_buffer(io.StringIO(content)))
    except webvtt.errors.MalformedFileError as exc:
        raise InputError(f"{source}:1: not a WebVTT file ({exc})") from None
    # webvtt-py skips a block whose timing it cannot parse; a lost cue must not pass silently.
    timings = list(_TIMING_LINE.finditer(content))
    if len(timings) != len(captions):
        bad = next((m for m in timings if not _VTT_TIMING.match(m.group())), timings[-1])
        raise InputError(f"{source}:{_line_of(content, bad.start())}: not a WebVTT cue timing")
    return [
        Cue(
            c.start_time.in_milliseconds() / 1000,
            c.end_time.in_milliseconds() / 1000,
            _clean_lines(c.text),
        )
        for c in captions
    ]


def _subtitle_document(cues: list[Cue], source: str, doc_id: str) -> TimedDocument:
    if not cues:
        raise InputError(f"{source}: no subtitle cues, nothing to align")
    return TimedDocument(
        doc_id=doc_id, text="\n".join(c.inline for c in cues), source=source, cues=tuple(cues)
    )


@input_format("srt", ".srt")
def read_srt(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """An SRT file is one document, one line per cue."""
    yield _subtitle_document(parse_srt(decode(stream.read(), source), source), source, doc_id)


@input_format("vtt", ".vtt")
def read_vtt(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """A WebVTT file is one document, one line per cue."""
    yield _subtitle_document(parse_vtt(decode(stream.read(), source), source), source, doc_id)


def cue_line_spans(document: TimedDocument) -> Iterator[tuple[int, int, int]]:
    """``(cue number, start, end)`` of every line of every cue in ``document.text``: a cue is
    one line of the text (``Cue.inline``), and its own lines are where a bilingual cue changes
    language, whatever punctuation they end with."""
    text, position = document.text, 0
    for number, inline in enumerate(text.split("\n")):
        cursor = position
        for line in document.cues[number].lines:
            start = text.index(line, cursor)
            cursor = start + len(line)
            yield number, start, cursor
        position += len(inline) + 1


CUE_PARSERS = {".srt": parse_srt, ".vtt": parse_vtt}


def read_cues(path: Path) -> list[Cue]:
    """The cues of one subtitle file, SRT or WebVTT by extension."""
    parser = CUE_PARSERS.get(path.suffix.lower())
    if parser is None:
        raise UsageError(f"{path}: not a subtitle file (.srt or .vtt)")
    with open_input(path) as stream:
        data = stream.read()
    return list(_subtitle_document(parser(decode(data, str(path)), str(path)), str(path), "").cues)
