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
        running = np.zeros((n + 1, dim), dtype=np.float64)
        np.cumsum(singles, axis=0, out=running[1:])
        char_running = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        self.vectors = np.zeros((max_size, n + 1, dim), dtype=np.float32)
        self.lengths = np.zeros((max_size, n + 1), dtype=np.float64)
        self.exact = np.zeros((max_size, n + 1), dtype=bool)
        for k in range(1, max_size + 1):
            if k > n:
                break
            summed = running[k:] - running[:-k]
            norms = np.linalg.norm(summed, axis=1, keepdims=True)
            self.vectors[k - 1, k:] = summed / np.maximum(norms, 1e-12)
            self.lengths[k - 1, k:] = char_running[k:] - char_running[:-k]
        self.exact[0, 1:] = True

    def set_exact(self, size: int, ends: np.ndarray, vectors: np.ndarray) -> None:
        """Replace approximations by the encodings of the joined sentences."""
        self.vectors[size - 1, ends] = vectors
        self.exact[size - 1, ends] = True


def window_text(sentences: list[str], size: int, end: int, joiner: str = " ") -> str:
    """The text a window stands for: its sentences joined (``""`` joiner for languages written
    without spaces between sentences)."""
    return joiner.join(sentences[end - size : end])
