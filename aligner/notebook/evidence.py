"""What a document's alignment rests on, for notebooks and plots: a caption document's
candidate scores (``captions.aligner.CaptionEvidence``), or a bead alignment's beads over the
similarity of its sentences (``PairEvidence``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from aligner.records import BeadAlignment, DocumentResult

EXPLAIN_LIMIT = 400
"""Sentences per side that ``explain`` compares for a document aligned in beads."""


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """A bead alignment's beads over the cosine similarity of its sentences."""

    result: DocumentResult
    alignment: BeadAlignment
    similarity: np.ndarray
    """Source sentences x target sentences (the first ``limit`` of each side)."""

    @property
    def names(self) -> tuple[str, str]:
        """The two documents' ids (the same for a document aligned in two halves)."""
        src, tgt = self.alignment.src, self.alignment.tgt
        return (
            src[0].doc_id if src else self.result.doc_id,
            tgt[0].doc_id if tgt else self.result.doc_id,
        )

    @property
    def langs(self) -> tuple[str, str]:
        return self.result.langs or ("", "")


def pair_evidence(
    result: DocumentResult, encode: Callable[[list[str]], np.ndarray], limit: int = EXPLAIN_LIMIT
) -> PairEvidence:
    """The beads of ``result`` over the similarity of the first ``limit`` sentences a side."""
    if result.alignment is None:
        raise ValueError(f"{result.doc_id}: its pairs were not aligned in beads")
    alignment = result.alignment
    src = encode([s.text for s in alignment.src[:limit]])
    tgt = encode([s.text for s in alignment.tgt[:limit]])
    return PairEvidence(result, alignment, src @ tgt.T)
