"""Embeddings and lengths of windows of consecutive sentences (the sides of multi-sentence beads).

A window is indexed by its size ``k`` and its end ``e``: sentences ``e - k .. e - 1``. A window's
vector is either the encoding of the joined sentences (exact) or, where it was not encoded, the
normalised sum of its sentences' vectors (a free approximation, good enough to rank candidates).
"""

from __future__ import annotations

import numpy as np


class Windows:
    """Vectors ``vectors[k - 1, e]`` and character lengths ``lengths[k - 1, e]`` of every window
    of ``1 .. max_size`` sentences of one side; rows with ``e < k`` are zero."""

    def __init__(self, singles: np.ndarray, lengths: np.ndarray, max_size: int) -> None:
        n, dim = singles.shape
        self.n = n
        self.max_size = max_size
        self.singles = singles.astype(np.float32, copy=False)
        self.vectors = np.zeros((max_size, n + 1, dim), dtype=np.float32)
        self.lengths = np.zeros((max_size, n + 1), dtype=np.float64)
        self.exact = np.zeros((max_size, n + 1), dtype=bool)
        # running sums window by window (never a difference of two long prefix sums, which would
        # cancel digits in float32)
        summed = np.zeros((n + 1, dim), dtype=np.float32)
        chars = np.zeros(n + 1, dtype=np.float64)
        for k in range(1, min(max_size, n) + 1):
            summed[k:] = summed[k - 1 : -1] + self.singles[k - 1 :]
            summed[k - 1] = 0.0
            chars[k:] = chars[k - 1 : -1] + lengths[k - 1 :]
            chars[k - 1] = 0.0
            norms = np.linalg.norm(summed[k:], axis=1, keepdims=True)
            self.vectors[k - 1, k:] = summed[k:] / np.maximum(norms, np.float32(1e-12))
            self.lengths[k - 1, k:] = chars[k:]
        self.exact[0, 1:] = True

    def set_exact(self, size: int, ends: np.ndarray, vectors: np.ndarray) -> None:
        """Replace approximations by the encodings of the joined sentences."""
        self.vectors[size - 1, ends] = vectors
        self.exact[size - 1, ends] = True


def window_text(sentences: list[str], size: int, end: int, joiner: str = " ") -> str:
    """The text a window stands for: its sentences joined (``""`` joiner for languages written
    without spaces between sentences)."""
    return joiner.join(sentences[end - size : end])
