"""Which multi-sentence windows deserve a real encoding.

Every bead is first scored cheaply (approximate window vectors; cosine, length and merge
bonus, without the margin and member terms). A bead whose best complete path (its
max-marginal: best path to its start + its score + best path from its end) comes within ``slack``
of the best path overall is a real contender; only the windows of contending multi-sentence beads
are encoded. Confident stretches (one clear path) cost nothing beyond their single sentences.

The same max-marginals tell where a stronger encoder is worth its cost: the stretches of the
best path where another path comes close (``uncertain_stretches``).
"""

from __future__ import annotations

import numpy as np

from aligner.align.dp import Band, Forward


def contending_windows(
    table: Forward,
    to_end: np.ndarray,
    shapes: list[tuple[int, int]],
    slack: float,
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Ends of the source and target windows (by size, sizes >= 2) of every bead shape whose
    max-marginal is within ``slack`` of the best total."""
    if table.candidates is None:
        raise ValueError("contending_windows needs a table filled with keep_candidates=True")
    band = table.band
    n = band.lo.size - 1
    best = float(table.total[n, int(band.hi[n]) - int(band.lo[n])])
    src: dict[int, set[int]] = {}
    tgt: dict[int, set[int]] = {}
    for s, (a, b) in enumerate(shapes):
        if a == 1 and b == 1:
            continue
        marginal = table.candidates[:, s, :] + to_end
        rows, offsets = np.nonzero(marginal >= best - slack)
        ends_j = band.lo[rows] + offsets
        if a > 1:
            src.setdefault(a, set()).update(rows.tolist())
        if b > 1:
            tgt.setdefault(b, set()).update(ends_j.tolist())
    return src, tgt


def narrow_band(table: Forward, to_end: np.ndarray, slack: float) -> Band:
    """The cells whose best complete path (any last bead) is within ``slack`` of the best path:
    the final pass, with exact windows, only needs to look where a path could still win."""
    band = table.band
    n = band.lo.size - 1
    m = int(band.hi[n])
    best = float(table.total[n, m - int(band.lo[n])])
    keep = (table.total + to_end) >= best - slack
    cols = band.lo[:, None] + np.arange(band.width)[None, :]
    keep &= cols <= band.hi[:, None]
    any_kept = keep.any(axis=1)
    lo = np.where(any_kept, np.where(keep, cols, m).min(axis=1), m)
    hi = np.where(any_kept, np.where(keep, cols, 0).max(axis=1), 0)
    # rows with no kept cell borrow their neighbours' span; spans never move backwards
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    # a row that the best paths jump over (a bead of two or more source sentences spans it)
    # keeps no cell: give it one, so that every row's span is a real range
    hi = np.maximum(hi, lo)
    lo[0], hi[n] = 0, m
    return Band(np.maximum(lo, band.lo), np.minimum(hi, band.hi))


def uncertain_stretches(
    table: Forward,
    to_end: np.ndarray,
    shapes: list[tuple[int, int]],
    beads: list[tuple[int, int, int, int, float]],
    slack: float,
) -> list[tuple[int, int, int, int]]:
    """Stretches ``(i0, i1, j0, j1)`` of the best path (``beads``) that another path within
    ``slack`` of the best could align differently.

    The best path is cut at each bead boundary ``(i, j)`` that every path within ``slack``
    passes through: the only kept cell of row ``i`` and of column ``j``, and no contending bead
    jumps over row ``i`` or column ``j``. A stretch between two consecutive cuts that holds more
    than one bead of the best path has rivals; one bead alone between two cuts has none."""
    if table.candidates is None:
        raise ValueError("uncertain_stretches needs a table filled with keep_candidates=True")
    band = table.band
    n = band.lo.size - 1
    m = int(band.hi[n])
    best = float(table.total[n, m - int(band.lo[n])])
    cols = band.lo[:, None] + np.arange(band.width)[None, :]
    kept = ((table.total + to_end) >= best - slack) & (cols <= band.hi[:, None])
    cells_in_row = kept.sum(axis=1)
    cells_in_col = np.bincount(cols[kept], minlength=m + 1)
    jumped_row = np.zeros(n + 1, dtype=bool)
    jumped_col = np.zeros(m + 1, dtype=bool)
    for s, (a, b) in enumerate(shapes):
        if a == 1 and b == 1:
            continue
        rows, offsets = np.nonzero(table.candidates[:, s, :] + to_end >= best - slack)
        ends_j = band.lo[rows] + offsets
        for k in range(1, a):
            jumped_row[rows - k] = True
        for k in range(1, b):
            jumped_col[ends_j - k] = True

    lone_row = (cells_in_row == 1) & ~jumped_row
    lone_col = (cells_in_col == 1) & ~jumped_col
    stretches: list[tuple[int, int, int, int]] = []
    start, held = (0, 0), 0
    for _, i1, _, j1, _ in beads:
        held += 1
        if (i1, j1) == (n, m) or (lone_row[i1] and lone_col[j1]):
            if held > 1:
                stretches.append((start[0], i1, start[1], j1))
            start, held = (i1, j1), 0
    return stretches
