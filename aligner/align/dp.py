"""Monotonic bead alignment by dynamic programming inside a band of cells.

Pure numpy, no model: the caller supplies the scores. Cells ``(i, j)`` mean "the first ``i``
source and ``j`` target sentences are aligned"; a bead of shape ``(a, b)`` moves from
``(i - a, j - b)`` to ``(i, j)``. Each row keeps only the columns of its band, so time and memory
grow with ``n * band width``, not ``n * m``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG = -1e18
"""Score of an unreachable cell; finite so that sums stay comparable and free of NaN."""


def bead_shapes(max_align: int) -> list[tuple[int, int]]:
    """Every non-null shape ``(a, b)`` with ``a + b <= max_align`` (1-1 first)."""
    return [(a, b) for a in range(1, max_align) for b in range(1, max_align) if a + b <= max_align]


@dataclass(frozen=True, slots=True)
class Band:
    """Allowed columns ``lo[i] .. hi[i]`` (inclusive) of every row ``i = 0 .. n``."""

    lo: np.ndarray
    hi: np.ndarray

    @property
    def width(self) -> int:
        return int((self.hi - self.lo).max()) + 1


def full_band(n: int, m: int) -> Band:
    """Every cell: for short documents, where a band saves nothing."""
    return Band(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))


def band_around(path: list[tuple[int, int]], n: int, m: int, radius: int) -> Band:
    """The cells within ``radius`` rows or columns of a monotone path from (0, 0) to (n, m).

    The band is widened so that ``lo`` and ``hi`` never decrease, which keeps every cell of it
    reachable by some monotone path.
    """
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i, j in path:
        top, bottom = max(0, i - radius), min(n, i + radius)
        lo[top : bottom + 1] = np.minimum(lo[top : bottom + 1], max(0, j - radius))
        hi[top : bottom + 1] = np.maximum(hi[top : bottom + 1], min(m, j + radius))
    # a monotone path only ever needs lo non-decreasing (from the end) and hi non-decreasing
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return Band(lo, hi)


@dataclass(frozen=True, slots=True)
class Forward:
    """The filled DP table: ``total[i, j - lo[i]]`` is the best score of a path to ``(i, j)``."""

    band: Band
    total: np.ndarray
    back: np.ndarray
    candidates: np.ndarray | None
    """``candidates[i, s, j - lo[i]]``: best path to ``(i, j)`` whose last bead has shape ``s``."""


def forward(
    band: Band,
    shapes: list[tuple[int, int]],
    scores: np.ndarray,
    skip: float,
    keep_candidates: bool = False,
) -> Forward:
    """Fill the DP table row by row. ``scores[i, s, j - lo[i]]`` is the score of the bead of
    shape ``s`` ending at ``(i, j)`` (``NEG`` where it does not fit); null beads score ``skip``."""
    n = band.lo.size - 1
    width = band.width
    lo = band.lo
    # one spare row and column of NEG: index -1 in either lands there, so lookups outside the
    # band need no masking
    padded = np.full((n + 2, width + 1), NEG)
    total = padded[: n + 1, :width]
    # back-pointer per cell: index into shapes, or len(shapes) for 1-0 and +1 for 0-1
    back = np.full((n + 1, width), -1, dtype=np.int16)
    candidates = np.full((n + 1, len(shapes), width), NEG) if keep_candidates else None
    delete, insert = len(shapes), len(shapes) + 1
    shape_a = np.array([a for a, _ in shapes], dtype=np.int64)
    shape_b = np.array([b for _, b in shapes], dtype=np.int64)
    offsets = np.arange(width)
    for i in range(n + 1):
        size = int(band.hi[i] - lo[i]) + 1
        w = offsets[:size]
        best = np.full(size, NEG)
        arg = np.full(size, -1, dtype=np.int16)
        if i == 0:
            best[lo[0] + w == 0] = 0.0
        else:
            if shapes:
                prev_rows = np.maximum(i - shape_a, -1)
                pc = (lo[i] - shape_b - lo[prev_rows])[:, None] + w[None, :]
                cand = padded[prev_rows[:, None], np.clip(pc, -1, width)] + scores[i, :, :size]
                if candidates is not None:
                    candidates[i, :, :size] = cand
                k = np.argmax(cand, axis=0)
                best = cand[k, w]
                arg = k.astype(np.int16)
            from_up = padded[i - 1, np.clip(lo[i] - lo[i - 1] + w, -1, width)] + skip
            better = from_up > best
            best = np.where(better, from_up, best)
            arg = np.where(better, delete, arg).astype(np.int16)
        # 0-1 chains inside the row: best[j] = max_k (best[k] + (j - k) * skip), a running max
        steps = w * skip
        run = np.maximum.accumulate(best - steps) + steps
        chained = run > best + 1e-12
        arg = np.where(chained, insert, arg).astype(np.int16)
        best = np.where(chained, run, best)
        total[i, :size] = best
        back[i, :size] = arg
    return Forward(band, total, back, candidates)


def backtrack(
    table: Forward, shapes: list[tuple[int, int]], skip: float
) -> list[tuple[int, int, int, int, float]]:
    """The beads ``(i0, i1, j0, j1, score)`` of the best path to the last cell."""
    lo, total, back = table.band.lo, table.total, table.back
    n = lo.size - 1
    m = int(table.band.hi[n])
    delete, insert = len(shapes), len(shapes) + 1
    beads: list[tuple[int, int, int, int, float]] = []
    i, j = n, m
    while i > 0 or j > 0:
        col = j - lo[i]
        k = int(back[i, col])
        if k == insert:
            a, b, gain = 0, 1, skip
        elif k == delete:
            a, b, gain = 1, 0, skip
        elif k >= 0:
            a, b = shapes[k]
            gain = float(total[i, col] - total[i - a, j - b - lo[i - a]])
        else:  # pragma: no cover - the band always joins (0, 0) to (n, m)
            raise RuntimeError(f"no path reaches cell ({i}, {j}) of the band")
        beads.append((i - a, i, j - b, j, gain))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def backward(
    band: Band, shapes: list[tuple[int, int]], scores: np.ndarray, skip: float
) -> np.ndarray:
    """``to_end[i, j - lo[i]]``: best score of a path from ``(i, j)`` to the last cell."""
    n = band.lo.size - 1
    lo, hi = band.lo, band.hi
    width = band.width
    padded = np.full((n + 2, width + 1), NEG)  # spare row and column of NEG, as in forward
    to_end = padded[: n + 1, :width]
    shape_a = np.array([a for a, _ in shapes], dtype=np.int64)
    shape_b = np.array([b for _, b in shapes], dtype=np.int64)
    shape_ids = np.arange(len(shapes))[:, None]
    offsets = np.arange(width)
    for i in range(n, -1, -1):
        size = int(hi[i] - lo[i]) + 1
        w = offsets[:size]
        best = np.full(size, NEG)
        if i == n:
            best[lo[n] + w == hi[n]] = 0.0
        else:
            if shapes:
                next_rows = i + shape_a
                rows = np.minimum(next_rows, n)
                nc = (lo[i] + shape_b - lo[rows])[:, None] + w[None, :]
                gain = scores[rows[:, None], shape_ids, np.clip(nc, 0, width - 1)]
                lookup = np.where(next_rows > n, n + 1, next_rows)
                best = (padded[lookup[:, None], np.clip(nc, -1, width)] + gain).max(axis=0)
            below = padded[i + 1, np.clip(lo[i] - lo[i + 1] + w, -1, width)] + skip
            best = np.maximum(best, below)
        # 0-1 chains to the right: best[j] = max_k>=j (best[k] + (k - j) * skip)
        steps = w * skip
        run = np.maximum.accumulate((best + steps)[::-1])[::-1] - steps
        to_end[i, :size] = np.maximum(best, run)
    return to_end


def align_band(
    band: Band, shapes: list[tuple[int, int]], scores: np.ndarray, skip: float
) -> list[tuple[int, int, int, int, float]]:
    """Best-scoring monotone path through ``band``: beads ``(i0, i1, j0, j1, score)``."""
    return backtrack(forward(band, shapes, scores, skip), shapes, skip)
