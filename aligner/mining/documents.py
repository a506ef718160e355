"""Document matching: which documents of one collection translate which of the other.

Evidence is sentence-level: the pairs that mining finds across both whole collections. Two
documents that translate each other share many of them; a document and an unrelated one, at
most a few chance pairs. A document pair's score is the share of their sentences that such
pairs link (``2 * links / (sentences of one + sentences of the other)``), and documents are
matched 1-1, best score first (competitive linking), when at least MIN_LINKS pairs and
``min_score`` of their sentences link them. Then a translation split over several documents:
a document left unmatched joins the match of the document it is linked to as well as a match
would be (1-n or n-1, ``part`` True).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.mining.margin import one_to_one

MIN_LINKS = 2
"""One shared sentence (a heading, a boilerplate line) does not make two documents a pair."""
MIN_SCORE = 0.2


@dataclass(frozen=True, slots=True)
class DocumentMatch:
    src: int
    """Index of the source document."""
    tgt: int
    score: float
    links: int
    """Mined sentence pairs between the two documents."""
    part: bool = False
    """A further part of a translation split over several documents (the 1-1 match comes
    first)."""


def match_documents(
    src_doc: np.ndarray,
    tgt_doc: np.ndarray,
    src_sizes: Sequence[int],
    tgt_sizes: Sequence[int],
    min_score: float = MIN_SCORE,
) -> list[DocumentMatch]:
    """1-1 document matches from mined sentence pairs, given as the document of each pair's
    source sentence (``src_doc``) and target sentence (``tgt_doc``); ``*_sizes`` are the
    sentences each document has in mining. Sorted by source document."""
    links = Counter(zip(src_doc.tolist(), tgt_doc.tolist(), strict=True))
    if not links:
        return []
    keys = list(links)
    count = np.array([links[key] for key in keys], dtype=np.float64)
    size = np.array([src_sizes[s] + tgt_sizes[t] for s, t in keys], dtype=np.float64)
    score = 2 * count / np.maximum(size, 1)
    src = np.array([s for s, _ in keys])
    tgt = np.array([t for _, t in keys])
    good = (count >= MIN_LINKS) & (score >= min_score)

    def match(at: int, part: bool = False) -> DocumentMatch:
        return DocumentMatch(
            int(src[at]), int(tgt[at]), round(float(score[at]), 4), int(count[at]), part
        )

    # only documents linked well enough compete: a weak link must not take a document away
    # from its translation
    pool = np.flatnonzero(good)
    matches = [match(int(at)) for at in pool[one_to_one(src[pool], tgt[pool], score[pool])]]
    matched_src = {m.src for m in matches}
    matched_tgt = {m.tgt for m in matches}
    parts = []
    for at in np.argsort(-score, kind="stable"):
        s, t = int(src[at]), int(tgt[at])
        if good[at] and (s in matched_src) != (t in matched_tgt):
            parts.append(match(int(at), part=True))
            matched_src.add(s)
            matched_tgt.add(t)
    return sorted(matches + parts, key=lambda m: (m.src, m.part, m.tgt))
