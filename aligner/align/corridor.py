"""The first pass: a cheap 1-1 path through the similarity of single sentences, and the band
around it that the bead DP searches.

Short documents get a dense pass; long ones are first aligned on block averages (``factor``
sentences per block), so no full-resolution ``n x m`` matrix is ever built.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from aligner.align.dp import NEG, Band, Nulls, align_band, band_around, full_band

DENSE_CELLS = 1_000_000
"""Largest ``n * m`` aligned densely; above it the first pass works on block averages."""
TOP_K = 3
CHUNK_ROWS = 64


def _blocks(vectors: np.ndarray, factor: int) -> np.ndarray:
    n = vectors.shape[0]
    groups = math.ceil(n / factor)
    padded = np.zeros((groups * factor, vectors.shape[1]), dtype=np.float64)
    padded[:n] = vectors
    summed = padded.reshape(groups, factor, -1).sum(axis=1)
    return (summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)).astype(
        np.float32
    )


def _band_similarities(src: np.ndarray, tgt: np.ndarray, band: Band) -> np.ndarray:
    """``sims[i, j - lo[i]]``: cosine of source sentence ``i - 1`` and target ``j - 1`` for the
    band's cells, ``NEG`` elsewhere (row 0, column 0 and padding)."""
    n, m = src.shape[0], tgt.shape[0]
    width = band.width
    sims = np.full((n + 1, width), NEG)
    for first_row in range(1, n + 1, CHUNK_ROWS):
        rows = np.arange(first_row, min(n + 1, first_row + CHUNK_ROWS))
        cols = band.lo[rows][:, None] + np.arange(width)[None, :]
        ok = (cols >= 1) & (cols <= band.hi[rows][:, None]) & (cols <= m)
        first = max(int(band.lo[rows[0]]), 1)
        last = max(min(int(band.hi[rows[-1]]), m), first)
        # float64, so that NEG stays exactly NEG and "> NEG" tells the cells of the band
        dense = (src[rows - 1] @ tgt[first - 1 : last].T).astype(np.float64)  # (R, U)
        picks = np.clip(cols - first, 0, dense.shape[1] - 1)
        sims[rows] = np.where(ok, np.take_along_axis(dense, picks, axis=1), NEG)
    return sims


def one_to_one_path(src: np.ndarray, tgt: np.ndarray, band: Band) -> list[tuple[int, int]]:
    """Cells of the best path made of 1-1 and null beads, where a 1-1 bead scores its cosine if
    the target is among the source sentence's ``TOP_K`` most similar in the band (else nothing)
    and null beads score nothing: a path through confident, mutually consistent anchors."""
    sims = _band_similarities(src, tgt, band)
    valid = sims > NEG
    if sims.shape[1] > TOP_K:
        kth = np.partition(sims, -TOP_K, axis=1)[:, -TOP_K : -TOP_K + 1]
        sims = np.where(sims >= kth, sims, np.where(valid, 0.0, NEG))
    scores = sims[:, None, :]
    beads = align_band(band, [(1, 1)], scores, Nulls.constant(src.shape[0], tgt.shape[0], 0.0))
    return [(0, 0)] + [(i1, j1) for _, i1, _, j1, _ in beads]


def first_pass(src: np.ndarray, tgt: np.ndarray, radius: int) -> tuple[list[tuple[int, int]], Band]:
    """The first-pass path (its cells, from ``(0, 0)`` to ``(n, m)``) and the band of cells
    within ``radius`` of it."""
    n, m = src.shape[0], tgt.shape[0]
    if n == 0 or m == 0:  # nothing to pair: every step is a null
        return [(i, j) for i in range(n + 1) for j in range(m + 1)], full_band(n, m)
    if n * m <= DENSE_CELLS:
        path = one_to_one_path(src, tgt, full_band(n, m))
        return path, band_around(path, n, m, radius)
    factor = math.ceil(math.sqrt(n * m / DENSE_CELLS))
    coarse_src, coarse_tgt = _blocks(src, factor), _blocks(tgt, factor)
    coarse = one_to_one_path(coarse_src, coarse_tgt, full_band(len(coarse_src), len(coarse_tgt)))
    projected = [(min(i * factor, n), min(j * factor, m)) for i, j in coarse]
    fine_band = band_around(projected, n, m, 2 * factor)
    path = one_to_one_path(src, tgt, fine_band)
    return path, band_around(path, n, m, radius)


def unmatched_runs(
    path: list[tuple[int, int]], n: int, m: int, min_run: int
) -> tuple[np.ndarray, np.ndarray]:
    """Which source and target sentences lie in a run of at least ``min_run`` consecutive null
    steps of the first-pass path: stretches where no sentence found a confident counterpart,
    such as an untranslated passage or the half of an article a translation left out."""
    src_gap = np.zeros(n, dtype=bool)
    tgt_gap = np.zeros(m, dtype=bool)
    # each step as (0, source sentence) for a source null, (1, target sentence) for a target
    # null, (-1, 0) for a pair
    steps = [
        (0, i0) if j1 == j0 else (1, j0) if i1 == i0 else (-1, 0)
        for (i0, j0), (i1, j1) in itertools.pairwise(path)
    ]
    for side, run in itertools.groupby(steps, key=lambda step: step[0]):
        sentences = [sentence for _, sentence in run]
        if side >= 0 and len(sentences) >= min_run:
            (src_gap if side == 0 else tgt_gap)[sentences[0] : sentences[-1] + 1] = True
    return src_gap, tgt_gap


def best_matches(src: np.ndarray, tgt: np.ndarray, band: Band) -> np.ndarray:
    """Each source sentence's similarity to its best match in the band (those with a cell)."""
    best = _band_similarities(src, tgt, band)[1:].max(axis=1)
    return best[best > NEG]


def typical_similarity(src: np.ndarray, tgt: np.ndarray, band: Band) -> float:
    """Median over source sentences of the similarity to their best match in the band: what a
    translation scores with this encoder and language pair."""
    best = best_matches(src, tgt, band)
    return float(np.median(best)) if best.size else 0.0
