"""How much a bead looks like a translation: the score the DP maximises.

A non-null bead ``src[i-a:i] <-> tgt[j-b:j]`` scores the cosine of its two window vectors, minus a
margin: the mean similarity of each side to the sentences right next to the other side (so that a
generic sentence, similar to everything around, does not win; after Bertalign and Vecalign), then
times a length-agreement factor. Null beads score a constant ``skip``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.align.dp import NEG
from aligner.align.windows import Windows


@dataclass(frozen=True, slots=True)
class ScoreParams:
    skip: float = -0.1
    """Score of a 1-0 or 0-1 bead; lower means fewer null beads."""
    margin: float = 1.0
    """Weight of the neighbour-similarity margin."""
    length_penalty: bool = True
    merge_bonus: float = 0.0
    """Added per extra sentence of a bead, to offset the lower cosine of long windows."""


class BeadScorer:
    """Scores of every bead shape ending in one DP row, computed a row at a time."""

    def __init__(
        self,
        src: Windows,
        tgt: Windows,
        shapes: list[tuple[int, int]],
        params: ScoreParams,
    ) -> None:
        self.src, self.tgt, self.params = src, tgt, params
        self.shapes = shapes
        self.a = np.array([a for a, _ in shapes], dtype=np.int64)
        self.b = np.array([b for _, b in shapes], dtype=np.int64)
        self.max_a = int(self.a.max()) if shapes else 0
        self.max_b = int(self.b.max()) if shapes else 0
        src_chars = float(src.lengths[0].sum()) or 1.0
        tgt_chars = float(tgt.lengths[0].sum()) or 1.0
        self.char_ratio = src_chars / tgt_chars
        self.bonus = params.merge_bonus * (self.a + self.b - 2)

    def __call__(self, i: int, cols: np.ndarray) -> np.ndarray:
        src, tgt, p = self.src, self.tgt, self.params
        width = cols.size
        # source windows ending at i, and the single sentences left and right of each of them
        x = src.vectors[: self.max_a, i]
        left_src = i - 1 - np.arange(1, self.max_a + 1)  # sentence before a window of size a
        right_src = i  # the sentence after every window ending at i
        nb_src_ids = np.concatenate([left_src, [right_src]])
        nb_src_ok = (nb_src_ids >= 0) & (nb_src_ids < src.n)
        nb_src = src.singles[np.clip(nb_src_ids, 0, max(src.n - 1, 0))] * nb_src_ok[:, None]
        y = tgt.vectors[: self.max_b][:, cols]  # (B, W, d)
        lhs = np.concatenate([x, nb_src], axis=0)
        sims = (lhs @ y.reshape(-1, y.shape[-1]).T).reshape(lhs.shape[0], self.max_b, width)
        ai, bi = self.a - 1, self.b - 1
        score = sims[ai, bi]  # (S, W)
        if p.margin:
            # target-side neighbours of a window ending at j of size b: sentences j-b-1 and j
            lo, hi = int(cols[0]) - self.max_b - 1, int(cols[-1]) + 1
            ext = np.arange(lo, hi + 1)
            ext_ok = (ext >= 0) & (ext < tgt.n)
            nb_tgt = (x @ tgt.singles[np.clip(ext, 0, max(tgt.n - 1, 0))].T) * ext_ok  # (A, E)
            left_t = cols[None, :] - self.b[:, None] - 1 - lo
            right_t = cols[None, :] - lo
            left_t_ok = ext_ok[left_t]
            right_t_ok = ext_ok[right_t]
            tgt_side = _mean_present(
                nb_tgt[ai[:, None], left_t], left_t_ok, nb_tgt[ai[:, None], right_t], right_t_ok
            )
            left_s = sims[self.max_a + ai, bi]
            right_s = sims[self.max_a + self.max_a, bi]
            src_side = _mean_present(
                left_s, nb_src_ok[ai][:, None], right_s, np.full_like(left_s, nb_src_ok[-1], bool)
            )
            score = score - p.margin * (tgt_side + src_side) / 2
        if p.length_penalty:
            src_len = src.lengths[ai, i][:, None]
            tgt_len = tgt.lengths[bi[:, None], cols[None, :]] * self.char_ratio
            short, long = np.minimum(src_len, tgt_len), np.maximum(src_len, tgt_len)
            score = score * np.log2(1 + short / np.maximum(long, 1e-9))
        score = score + self.bonus[:, None]
        fits = (self.a[:, None] <= i) & (self.b[:, None] <= cols[None, :])
        return np.where(fits, score, NEG)


def _mean_present(
    left: np.ndarray, left_ok: np.ndarray, right: np.ndarray, right_ok: np.ndarray
) -> np.ndarray:
    """Mean of the neighbours that exist (a window at a document edge has only one)."""
    count = left_ok.astype(np.float32) + right_ok
    return (left * left_ok + right * right_ok) / np.maximum(count, 1)
