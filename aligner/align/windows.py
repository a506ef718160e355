"""Embeddings and lengths of windows of consecutive sentences (the sides of multi-sentence beads).

A window is indexed by its size ``k`` and its end ``e``: sentences ``e - k .. e - 1``. A window's
vector is the encoding of the joined sentences where that was encoded (exact) and otherwise the
normalised sum of its sentences' vectors (a free approximation, good enough to rank candidates).
Approximations are built on demand for a block of ends, so no ``sizes x n x dim`` array is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What a stretch of a document, aligned on its own, needs from the rest of the document:
    the vectors of the sentences just before and after it (``None`` at the document's edges),
    which margins compare against, and the whole side's length statistics."""

    before: np.ndarray | None
    after: np.ndarray | None
    chars: float
    typical_length: float


class Windows:
    """The windows of ``1 .. max_size`` sentences of one side."""

    def __init__(
        self,
        singles: np.ndarray,
        lengths: np.ndarray,
        max_size: int,
        numbers: np.ndarray | None = None,
        surroundings: Surroundings | None = None,
    ) -> None:
        n = singles.shape[0]
        self.n = n
        self.max_size = max_size
        before, after = (surroundings.before, surroundings.after) if surroundings else (None, None)
        self._known = np.array([before is not None, after is not None])
        self._padded = np.zeros((n + 2, singles.shape[1]), dtype=np.float32)
        """The singles between the sentences just before and just after them: those of the rest
        of the document when this side is a stretch of it, zero otherwise."""
        self._padded[1 : n + 1] = singles
        for row, vector in ((0, before), (n + 1, after)):
            if vector is not None:
                self._padded[row] = vector
        self.singles = self._padded[1 : n + 1]
        chars = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        self.lengths = np.zeros((max_size, n + 1), dtype=np.float32)
        """``lengths[k - 1, e]``: characters of the window (0 where ``e < k``)."""
        for k in range(1, min(max_size, n) + 1):
            self.lengths[k - 1, k:] = chars[k:] - chars[:-k]
        self.chars = surroundings.chars if surroundings else float(np.sum(lengths))
        """Characters of the whole side, which the length penalty compares."""
        if surroundings:
            self.typical_length = surroundings.typical_length
        else:
            self.typical_length = max(float(np.median(lengths)), 1.0) if n else 1.0
        self.weights = np.minimum(1.0, self.lengths[0] / self.typical_length)
        """``weights[e]``: length of sentence ``e - 1`` against the median sentence, capped at 1."""
        bags = numbers if numbers is not None else np.zeros((n, 0), dtype=np.float32)
        self.number_prefix = np.concatenate(
            [np.zeros((1, bags.shape[1]), dtype=np.float32), np.cumsum(bags, axis=0)]
        )
        """``number_prefix[e]``: number bags (``anchors.number_bags``) of sentences ``0 .. e - 1``
        summed; a window's bag is a difference of two rows."""
        self.exact = np.zeros((max_size, n + 1), dtype=bool)
        self.exact[0, 1:] = True
        self._slot = np.full((max_size, n + 1), -1, dtype=np.int64)
        self._matrix = np.zeros((0, singles.shape[1]), dtype=np.float32)

    def neighbours(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of sentences ``ids`` (``-1`` and ``n`` are the sentences just outside) and
        whether each exists; zero where it does not."""
        present = ((ids >= 0) & (ids < self.n)) | ((ids == -1) & self._known[0])
        present |= (ids == self.n) & self._known[1]
        return self._padded[np.clip(ids + 1, 0, self.n + 1)] * present[..., None], present

    def set_exact(self, size: int, ends: np.ndarray, vectors: np.ndarray) -> None:
        """Use the encodings of the joined sentences instead of approximations."""
        self._slot[size - 1, ends] = len(self._matrix) + np.arange(ends.size)
        self._matrix = np.concatenate([self._matrix, np.asarray(vectors, dtype=np.float32)])
        self.exact[size - 1, ends] = True

    def block(self, first: int, last: int, sizes: int) -> np.ndarray:
        """``out[k - 1, e - first]``: vector of the window of size ``k`` ending at ``e``, for
        ``e = first .. last`` and ``k = 1 .. sizes``; zero where the window does not exist."""
        base = max(first - sizes, 0)
        dim = self.singles.shape[1]
        # a short local running sum: differences of nearby prefixes lose no precision
        local = np.zeros((last - base + 1, dim), dtype=np.float32)
        np.cumsum(self.singles[base:last], axis=0, out=local[1:])
        out = np.zeros((sizes, last - first + 1, dim), dtype=np.float32)
        for k in range(1, sizes + 1):
            start = max(first, k)  # the first end with a whole window of size k
            if start > last:
                continue
            target = out[k - 1, start - first :]
            if k == 1:
                target[:] = self.singles[start - 1 : last]
                continue
            np.subtract(
                local[start - base : last - base + 1],
                local[start - k - base : last - k - base + 1],
                out=target,
            )
            target /= np.maximum(np.sqrt(np.einsum("ij,ij->i", target, target)), 1e-12)[:, None]
            slots = self._slot[k - 1, start : last + 1]
            exact = slots >= 0
            if exact.any():
                target[exact] = self._matrix[slots[exact]]
        return out


def window_text(sentences: list[str], size: int, end: int, joiner: str = " ") -> str:
    """The text a window stands for: its sentences joined (``""`` joiner for languages written
    without spaces between sentences)."""
    return joiner.join(sentences[end - size : end])
