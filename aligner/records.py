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


@dataclass(slots=True)
class DocumentResult:
    """What aligning one document (or one document pair) produced: every input segment is
    in exactly one pair or in ``unaligned``."""

    doc_id: str
    segments: list[Segment]
    source: str = ""
    pairs: list[Pair] = field(default_factory=list)
    unaligned: list[Segment] = field(default_factory=list)
