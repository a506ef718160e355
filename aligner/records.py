"""The typed records that flow through the pipeline: Document -> Segment -> Pair / Bead."""

from __future__ import annotations

from dataclasses import dataclass, field

UNDETERMINED = "und"
"""Language code for a segment too short or too neutral (names, numbers, credits) to call."""


@dataclass(frozen=True, slots=True)
class Document:
    """One article of a dump: its text and where it came from."""

    doc_id: str
    text: str
    source: str
    """Provenance: the file path (plus ``:line`` for JSONL), or ``<stdin>``."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of a document's text: ``document.text[start:end] == text``."""

    doc_id: str
    index: int
    """Position of the segment in its document, 0-based."""
    start: int
    end: int
    text: str
    line: int
    """0-based line of the document the segment lies on."""
    lang: str = UNDETERMINED
    lang_score: float = 0.0
    time: tuple[float, float] | None = None
    """Start and end in seconds of the subtitle cue the segment belongs to; None outside
    subtitles."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two spans that translate each other: one segment or several consecutive ones per side.

    A pair of single segments is a 1-1 bead; document alignment also yields 1-2, 2-1, ... beads.
    """

    doc_id: str
    src: tuple[Segment, ...]
    tgt: tuple[Segment, ...]
    score: float
    method: str

    @property
    def bead(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass(frozen=True, slots=True)
class Bead:
    """One step of a monotonic alignment between two segment lists, by index (0-based).

    Empty ``src`` or ``tgt`` is a null bead (an insertion or a deletion).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class BeadAlignment:
    """Two sentence lists aligned in beads (a document pair, or a document holding a whole
    article in each language): each bead's indices point into ``src`` and ``tgt``."""

    src: list[Segment]
    tgt: list[Segment]
    beads: list[Bead]


@dataclass(slots=True)
class DocumentResult:
    """What aligning one document (or one document pair) produced: every input segment is
    in exactly one pair or in ``unaligned``."""

    doc_id: str
    segments: list[Segment]
    source: str = ""
    """Where the document came from (``Document.source``); for a document pair, the source
    side's."""
    pairs: list[Pair] = field(default_factory=list)
    unaligned: list[Segment] = field(default_factory=list)
    target_source: str | None = None
    """For a document pair (two files, two subtitle tracks): where the target side came from."""
    langs: tuple[str, str] | None = None
    """The (source, target) languages the document was aligned in."""
    alignment: BeadAlignment | None = None
    """The beads behind ``pairs``, where a bead aligner made them (document pairs, a document
    in two halves); None for pairs chosen one by one (captions)."""
