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
class Nulls:
    """The score of leaving each sentence without a counterpart: ``src[i]`` for the 1-0 bead of
    source sentence ``i``, ``tgt[j]`` for the 0-1 bead of target sentence ``j``."""

    src: np.ndarray
    tgt: np.ndarray

    @classmethod
    def constant(cls, n: int, m: int, score: float) -> Nulls:
        return cls(np.full(n, score, dtype=np.float64), np.full(m, score, dtype=np.float64))

    def tgt_prefix(self) -> np.ndarray:
        """``prefix[j]``: total score of the 0-1 beads of target sentences ``0 .. j - 1``; a run
        of 0-1 beads from column ``k`` to ``j`` scores ``prefix[j] - prefix[k]``."""
        return np.concatenate([[0.0], np.cumsum(self.tgt, dtype=np.float64)])


@dataclass(frozen=True, slots=True)
class Forward:
    """The filled DP table: ``total[i, j - lo[i]]`` is the best score of a path to ``(i, j)``."""

    band: Band
    total: np.ndarray
    back: np.ndarray
    candidates: np.ndarray | None
    """``candidates[i, s, j - lo[i]]``: best path to ``(i, j)`` whose last bead has shape ``s``."""


CHUNK_ROWS = 256
"""Rows whose gather indices are computed in one vectorised step: the per-row loop then only
gathers and adds, and the index arrays stay small (rows x shapes x width)."""


def _gather_index(
    src_rows: np.ndarray,
    src_cols: np.ndarray,
    width: int,
    n: int,
) -> np.ndarray:
    """Flat indices into a ``(n + 2, width + 1)`` padded table (last row and column ``NEG``) of
    the cells ``(src_rows, src_cols + w)`` for every offset ``w`` of the band: rows past either
    end and columns outside ``0 .. width - 1`` land on the padding, so lookups outside the band
    read ``NEG`` without masking. A flat ``take`` is much cheaper per row than 2-D indexing."""
    stride = width + 1
    cols = src_cols[..., None] + np.arange(width)
    cols = np.where((cols < 0) | (cols >= width), width, cols)
    safe_rows = np.where((src_rows < 0) | (src_rows > n), n + 1, src_rows)
    return safe_rows[..., None] * stride + cols


def forward(
    band: Band,
    shapes: list[tuple[int, int]],
    scores: np.ndarray,
    nulls: Nulls,
    keep_candidates: bool = False,
) -> Forward:
    """Fill the DP table row by row. ``scores[i, s, j - lo[i]]`` is the score of the bead of
    shape ``s`` ending at ``(i, j)`` (``NEG`` where it does not fit); null beads score ``nulls``."""
    n = band.lo.size - 1
    width = band.width
    lo = band.lo
    sizes = band.hi - lo + 1
    # one spare row and column of NEG: lookups outside the band land there and need no masking
    padded = np.full((n + 2, width + 1), NEG)
    flat = padded.reshape(-1)
    total = padded[: n + 1, :width]
    # back-pointer per cell: index into shapes, or len(shapes) for 1-0 and +1 for 0-1
    back = np.full((n + 1, width), -1, dtype=np.int16)
    candidates = np.full((n + 1, len(shapes), width), NEG) if keep_candidates else None
    delete, insert = len(shapes), len(shapes) + 1
    shape_a = np.array([a for a, _ in shapes], dtype=np.int64)
    shape_b = np.array([b for _, b in shapes], dtype=np.int64)
    offsets = np.arange(width)
    prefix = nulls.tgt_prefix()
    # row 0: only the cell (0, 0) starts a path
    total[0, : sizes[0]][lo[0] + offsets[: sizes[0]] == 0] = 0.0
    _chain_insert(total[0, : sizes[0]], back[0, : sizes[0]], prefix[lo[0] :], insert)
    for first in range(1, n + 1, CHUNK_ROWS):
        rows = np.arange(first, min(n + 1, first + CHUNK_ROWS))
        up_index = _gather_index(rows - 1, lo[rows] - lo[rows - 1], width, n)
        if shapes:
            prev = rows[:, None] - shape_a[None, :]
            prev_lo = lo[np.maximum(prev, 0)]
            bead_index = _gather_index(prev, lo[rows][:, None] - shape_b - prev_lo, width, n)
        for r, i in enumerate(rows.tolist()):
            size = int(sizes[i])
            # the row is built in place in the table (still NEG and -1): beads only read rows
            # above it, so nothing reads it before it is complete
            best, arg = total[i, :size], back[i, :size]
            if shapes:
                cand = flat.take(bead_index[r, :, :size])
                cand += scores[i, :, :size]
                if candidates is not None:
                    candidates[i, :, :size] = cand
                arg[:] = cand.argmax(axis=0)
                # the same value as cand[argmax]: no NaN, and no -0.0 (totals start at +0.0)
                cand.max(axis=0, out=best)
            from_up = flat.take(up_index[r, :size])
            from_up += nulls.src[i - 1]
            better = from_up > best
            np.copyto(best, from_up, where=better)
            arg[better] = delete
            _chain_insert(best, arg, prefix[lo[i] :], insert)
    return Forward(band, total, back, candidates)


def _chain_insert(best: np.ndarray, arg: np.ndarray, prefix: np.ndarray, insert: int) -> None:
    """Add 0-1 chains inside a row, in place: ``best[j] = max_k (best[k] + prefix[j] -
    prefix[k])``, a running max (``prefix`` starts at the row's first column); ``arg`` becomes
    ``insert`` where a chain wins."""
    steps = prefix[: best.size]
    run = best - steps
    np.maximum.accumulate(run, out=run)
    run += steps
    chained = run > best + 1e-12
    np.copyto(best, run, where=chained)
    arg[chained] = insert


def backtrack(
    table: Forward, shapes: list[tuple[int, int]], nulls: Nulls
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
            a, b, gain = 0, 1, float(nulls.tgt[j - 1])
        elif k == delete:
            a, b, gain = 1, 0, float(nulls.src[i - 1])
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
    band: Band, shapes: list[tuple[int, int]], scores: np.ndarray, nulls: Nulls
) -> np.ndarray:
    """``to_end[i, j - lo[i]]``: best score of a path from ``(i, j)`` to the last cell."""
    n = band.lo.size - 1
    lo, hi = band.lo, band.hi
    sizes = hi - lo + 1
    width = band.width
    padded = np.full((n + 2, width + 1), NEG)  # spare row and column of NEG, as in forward
    flat = padded.reshape(-1)
    to_end = padded[: n + 1, :width]
    shape_a = np.array([a for a, _ in shapes], dtype=np.int64)
    shape_b = np.array([b for _, b in shapes], dtype=np.int64)
    offsets = np.arange(width)
    prefix = nulls.tgt_prefix()
    flat_scores = scores.reshape(-1)
    # scores[row, s, col] as a flat index (the table is contiguous: (n + 1, shapes, width))
    shape_base = np.arange(len(shapes)) * scores.shape[2]
    row_stride = len(shapes) * scores.shape[2]
    to_end[n, : sizes[n]][lo[n] + offsets[: sizes[n]] == hi[n]] = 0.0
    _chain_to_end(to_end[n, : sizes[n]], prefix[lo[n] :])
    for last in range(n - 1, -1, -CHUNK_ROWS):
        rows = np.arange(last, max(-1, last - CHUNK_ROWS), -1)
        below_index = _gather_index(rows + 1, lo[rows] - lo[rows + 1], width, n)
        if shapes:
            next_rows = rows[:, None] + shape_a[None, :]
            clipped = np.minimum(next_rows, n)
            nc = lo[rows][:, None] + shape_b - lo[clipped]  # (R, S)
            # a bead past the last row reads the NEG padding row, its score from row n
            bead_index = _gather_index(next_rows, nc, width, n)
            score_cols = np.clip(nc[..., None] + offsets, 0, width - 1)
            score_index = (clipped * row_stride + shape_base)[..., None] + score_cols
        for r, i in enumerate(rows.tolist()):
            size = int(sizes[i])
            # built in place in the table (still NEG): beads only read rows below it
            best = to_end[i, :size]
            if shapes:
                cand = flat.take(bead_index[r, :, :size])
                cand += flat_scores.take(score_index[r, :, :size])
                cand.max(axis=0, out=best)
            below = flat.take(below_index[r, :size])
            below += nulls.src[i]
            np.maximum(best, below, out=best)
            _chain_to_end(best, prefix[lo[i] :])
    return to_end


def _chain_to_end(best: np.ndarray, prefix: np.ndarray) -> None:
    """Add 0-1 chains to the right, in place: ``best[j] = max_k>=j (best[k] + prefix[k] -
    prefix[j])`` (``prefix`` starts at the row's first column)."""
    steps = prefix[: best.size]
    run = np.maximum.accumulate((best + steps)[::-1])[::-1]
    run -= steps
    np.maximum(best, run, out=best)


def align_band(
    band: Band, shapes: list[tuple[int, int]], scores: np.ndarray, nulls: Nulls
) -> list[tuple[int, int, int, int, float]]:
    """Best-scoring monotone path through ``band``: beads ``(i0, i1, j0, j1, score)``."""
    return backtrack(forward(band, shapes, scores, nulls), shapes, nulls)
