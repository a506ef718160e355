"""How much a bead looks like a translation: the score the DP maximises.

A non-null bead ``src[i-a:i] <-> tgt[j-b:j]`` scores the cosine of its two window vectors, minus a
margin: the mean similarity of each side to the sentences right next to the other side (so that a
generic sentence, similar to everything around, does not win; after Bertalign and Vecalign), times
a length-agreement factor; then a member penalty (a sentence of a multi-sentence side that does
not resemble the other side belongs in a null bead, not in the merge), a small merge bonus and a
number-agreement term (``anchors``).
Null beads score ``skip``, or ``gap_null`` inside a stretch the first pass found unmatched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.align.dp import NEG, Band
from aligner.align.windows import Windows

CHUNK_ROWS = 32
"""Rows scored per matrix product: large enough to amortise numpy's per-call cost, small enough
to keep the gathered target windows (rows x shapes x width x dim) to tens of MB."""


@dataclass(frozen=True, slots=True)
class ScoreParams:
    # Defaults chosen on the tuning documents only (Text+Berg dev, MAC-Dev, debdocs);
    # BENCHMARKS.md.
    skip: float = -0.14
    """Score of a 1-0 or 0-1 bead; lower means fewer null beads."""
    gap_null: float = 0.1
    """Score of a 1-0 or 0-1 bead for a sentence of an unmatched run of the first pass
    (``corridor.unmatched_runs``): above zero, so that no run of chance pairs, each scoring
    near zero, beats leaving the stretch unaligned, while a real pair still can."""
    margin: float = 0.3
    """Weight of the neighbour-similarity margin (Bertalign subtracts it whole: 1.0)."""
    length_penalty: bool = True
    merge_bonus: float = 0.03
    """Added per extra sentence of a bead, to offset the lower cosine of long windows."""
    coverage: float = 0.65
    """Weight of the member penalty (see ``_member_shortfall``)."""
    coverage_floor: float = 0.5
    """Members count as related above this fraction of the document's typical similarity of a
    sentence to its best match (so the floor follows the encoder and the language pair)."""
    numbers: float = 0.15
    """Added for each number of a bead that finds its counterpart on the other side, taken off
    for each that does not (see ``_number_agreement``); beads without numbers are unaffected."""


def score_table(
    src: Windows,
    tgt: Windows,
    band: Band,
    shapes: list[tuple[int, int]],
    params: ScoreParams,
    typical: float,
) -> np.ndarray:
    """``table[i, s, j - lo[i]]``: score of the bead of shape ``s`` ending at cell ``(i, j)``,
    ``NEG`` where the shape does not fit or the cell is outside the band. ``typical`` is the
    document's typical best-match similarity (``corridor.typical_similarity``)."""
    n = band.lo.size - 1
    width = band.width
    table = np.full((n + 1, len(shapes), width), NEG, dtype=np.float32)
    if not shapes:
        return table
    for first in range(1, n + 1, CHUNK_ROWS):
        rows = np.arange(first, min(n + 1, first + CHUNK_ROWS))
        chunk = _score_rows(src, tgt, band, shapes, params, typical, rows)
        table[rows, :, : chunk.shape[2]] = chunk
    return table


def _score_rows(
    src: Windows,
    tgt: Windows,
    band: Band,
    shapes: list[tuple[int, int]],
    p: ScoreParams,
    typical: float,
    rows: np.ndarray,
) -> np.ndarray:
    a = np.array([s for s, _ in shapes])
    b = np.array([t for _, t in shapes])
    ai, bi = a - 1, b - 1
    max_a, max_b = int(a.max()), int(b.max())
    # the widest row of this chunk, not of the whole band: narrow stretches cost less
    width = int((band.hi[rows] - band.lo[rows]).max()) + 1
    cols = band.lo[rows][:, None] + np.arange(width)[None, :]  # (R, W)
    in_band = cols <= band.hi[rows][:, None]
    safe_cols = np.minimum(cols, tgt.n)
    # source windows ending at each row, then the sentence before each and the one after all
    x = src.block(int(rows[0]), int(rows[-1]), max_a).transpose(1, 0, 2)  # (R, A, d)
    # the single sentences around each window matter only to the margin and the member penalty
    # (screening leaves both out, and then costs half as much)
    with_neighbours = bool(p.margin or p.coverage)
    if with_neighbours:
        nb_ids = np.concatenate(
            [rows[:, None] - 1 - np.arange(1, max_a + 1)[None, :], rows[:, None]], axis=1
        )
        nb_vecs, nb_ok = src.neighbours(nb_ids)
        lhs = np.concatenate([x, nb_vecs], axis=1)  # (R, K = 2A + 1, d)
    else:
        lhs = x
    # the band's columns of a chunk of rows lie in one short contiguous range: one dense product
    # over that range, then each row picks its own columns
    first, last = int(band.lo[rows[0]]), int(band.hi[rows[-1]])
    span = tgt.block(first, last, max_b)  # (B, U, d)
    dense = np.matmul(lhs.reshape(1, -1, lhs.shape[-1]), span.transpose(0, 2, 1))  # (B, R*K, U)
    # sims[r, k, t, w] = dense[t, r * K + k, cols[r, w] - first]: one flat gather (a pure copy,
    # cheaper than take_along_axis on the transposed product)
    n_k, n_u = lhs.shape[1], span.shape[1]
    picks = np.clip(cols - first, 0, n_u - 1)  # (R, W)
    row_base = (np.arange(rows.size) * n_k)[:, None] + np.arange(n_k)[None, :]  # (R, K)
    flat_idx = (
        (np.arange(max_b) * (rows.size * n_k * n_u))[None, None, :, None]
        + (row_base * n_u)[:, :, None, None]
        + picks[:, None, None, :]
    )
    sims = dense.reshape(-1)[flat_idx]  # (R, K, B, W)
    score = sims[:, ai, bi, :]  # (R, S, W)
    if with_neighbours:
        # source windows against the single target sentences around the chunk's columns
        start = first - max_b - 1
        ext = np.arange(start, last + 2)
        ext_vecs, ext_ok = tgt.neighbours(ext)
        nb_dense = np.matmul(x, ext_vecs.T)  # (R, A, E)
    if p.margin:
        # target sentences next to a window ending at j of size b: j - b - 1 and j
        # columns past the band (padding) are clipped here and masked at the end
        left_idx = np.clip(cols[:, None, :] - b[None, :, None] - 1 - start, 0, ext.size - 1)
        right_idx = np.broadcast_to(
            np.clip(cols - start, 0, ext.size - 1)[:, None, :], left_idx.shape
        )
        left_t = np.take_along_axis(nb_dense[:, ai, :], left_idx, axis=2)
        right_t = np.take_along_axis(nb_dense[:, ai, :], right_idx, axis=2)
        tgt_side = _mean_present(left_t, ext_ok[left_idx], right_t, ext_ok[right_idx])
        left_s = sims[:, max_a + ai, bi, :]
        right_s = sims[:, 2 * max_a, bi, :]
        src_side = _mean_present(
            left_s, nb_ok[:, ai][..., None], right_s, nb_ok[:, max_a][:, None, None]
        )
        score = score - p.margin * (tgt_side + src_side) / 2
    if p.length_penalty:
        ratio = (src.chars or 1.0) / (tgt.chars or 1.0)
        src_len = src.lengths[ai][:, rows].T[..., None]  # (R, S, 1)
        tgt_len = tgt.lengths[bi][:, safe_cols].transpose(1, 0, 2) * ratio  # (R, S, W)
        short, long = np.minimum(src_len, tgt_len), np.maximum(src_len, tgt_len)
        score = score * np.log2(1 + short / np.maximum(long, 1e-9))
    if p.coverage:
        # member k of a window ending at e is the sentence whose size-1 window ends at e - k
        src_w = src.weights[np.clip(rows[:, None] - np.arange(max_a)[None, :], 0, src.n)]
        tgt_ids = np.clip(cols[:, None, :] - np.arange(max_b)[None, :, None], 0, tgt.n)
        tgt_w = tgt.weights[tgt_ids]  # (R, B, W)
        score = score - p.coverage * _member_shortfall(
            sims, nb_dense, cols, start, ext.size, a, b, p.coverage_floor * typical, src_w, tgt_w
        )
    score = score + np.float32(p.merge_bonus) * (a + b - 2).astype(np.float32)[None, :, None]
    if p.numbers and _has_numbers(src, tgt, rows, cols, max_a, max_b):
        agreement = _number_agreement(src, tgt, rows, cols, a, b)
        score = score + np.float32(p.numbers) * agreement
    fits = (
        (a[None, :, None] <= rows[:, None, None])
        & (b[None, :, None] <= cols[:, None, :])
        & in_band[:, None, :]
    )
    score[~fits] = NEG  # a fresh array here: mask it in place
    return score


def _member_shortfall(
    sims: np.ndarray,
    nb_dense: np.ndarray,
    cols: np.ndarray,
    start: int,
    ext_size: int,
    a: np.ndarray,
    b: np.ndarray,
    floor: float,
    src_w: np.ndarray,
    tgt_w: np.ndarray,
) -> np.ndarray:
    """How far each sentence of a multi-sentence side falls below ``floor`` in similarity to the
    whole other side, weighted by its length weight and summed: a whole sentence absorbed into a
    bead instead of a null bead of its own is unrelated to the other side and costs about as
    much as the null it avoids, while the pieces of a true split resemble the whole, and a short
    fragment (an OCR line break, a clause split off) costs little either way."""
    max_a = nb_dense.shape[1]
    max_b = sims.shape[2]
    # source sentence i-1-k is the size-1 window (k = 0) or the left neighbour of size k
    member_rows = np.concatenate([[0], max_a + np.arange(max_a - 1)])
    src_short = np.cumsum(
        np.maximum(0.0, floor - sims[:, member_rows]) * src_w[:, :, None, None], axis=1
    )
    rows = cols.shape[0]
    k = np.arange(max_b)
    idx = np.clip(cols[:, None, :] - 1 - k[None, :, None] - start, 0, ext_size - 1)
    tgt_members = np.take_along_axis(nb_dense, idx.reshape(rows, 1, -1), axis=2)
    tgt_members = tgt_members.reshape(rows, max_a, max_b, -1)
    tgt_short = np.cumsum(np.maximum(0.0, floor - tgt_members) * tgt_w[:, None, :, :], axis=2)
    return (
        src_short[:, a - 1, b - 1, :] * (a >= 2)[None, :, None]
        + tgt_short[:, a - 1, b - 1, :] * (b >= 2)[None, :, None]
    )


def _has_numbers(
    src: Windows, tgt: Windows, rows: np.ndarray, cols: np.ndarray, max_a: int, max_b: int
) -> bool:
    """Whether any sentence the chunk's beads can hold has a number (most chunks of most texts
    have none, and then the agreement term is zero everywhere)."""
    if not src.number_prefix.shape[1]:
        return False
    src_first, src_last = max(int(rows[0]) - max_a, 0), int(rows[-1])
    tgt_first, tgt_last = max(int(cols.min()) - max_b, 0), min(int(cols.max()), tgt.n)
    in_src = src.number_prefix[src_last] - src.number_prefix[src_first]
    in_tgt = tgt.number_prefix[tgt_last] - tgt.number_prefix[tgt_first]
    return bool(in_src.any() or in_tgt.any())


def _number_agreement(
    src: Windows, tgt: Windows, rows: np.ndarray, cols: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Numbers of a bead that find their counterpart on the other side, minus those that do not,
    ``(R, S, W)``. Matches add up the same way whether a stretch is cut into small beads or
    large ones, so the term favours no bead size; a number left without counterpart tells an
    absorbed neighbour or a shifted boundary."""
    src_prefix, tgt_prefix = src.number_prefix, tgt.number_prefix
    safe_cols = np.minimum(cols, tgt.n)  # (R, W)
    src_bags = src_prefix[rows][:, None, :] - src_prefix[np.maximum(rows[:, None] - a, 0)]
    tgt_start = np.maximum(safe_cols[:, None, :] - b[None, :, None], 0)  # (R, S, W)
    tgt_bags = tgt_prefix[safe_cols][:, None, :, :] - tgt_prefix[tgt_start]  # (R, S, W, D)
    shared = np.minimum(src_bags[:, :, None, :], tgt_bags).sum(axis=3)
    total = src_bags.sum(axis=2)[..., None] + tgt_bags.sum(axis=3)
    return (shared - (total - 2 * shared)).astype(np.float32)


def _mean_present(
    left: np.ndarray, left_ok: np.ndarray, right: np.ndarray, right_ok: np.ndarray
) -> np.ndarray:
    """Mean of the neighbours that exist (a window at a document edge has only one)."""
    count = left_ok.astype(np.float32) + right_ok
    return (left * left_ok + right * right_ok) / np.maximum(count, 1)
