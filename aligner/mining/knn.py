"""Exact k-nearest-neighbour search by cosine, in tiles, in both directions at once.

Both sides are L2-normalised float32 rows, so cosine is a dot product. The similarity matrix of
two collections never exists whole: it is computed one (source block x target block) tile at a
time, and each tile updates the running top-k of its source rows *and* of its target rows, so
one pass over the tiles serves the forward and the backward search that the margin needs.
Memory: the two sides, plus two BLOCK x BLOCK tiles (128 MiB).

The tiling is fixed (BLOCK rows per side), whatever runs the tiles: a shard of the target side
is a run of whole target blocks, so the same tiles are multiplied with the same shapes in one
process or on a Dask cluster, and ``merge`` of the shards' forward lists gives the
single-process result bit for bit. Ties go to the lower index.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np

from aligner.run.executors import Executor

BLOCK = 4096
"""Rows per tile on each side: a BLAS call this large runs near peak speed."""
_STRIP = 256
"""Rows transposed at a time: a cache-sized strip copies several times faster than a whole
transposed tile."""
_NO_ID = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The ``k`` nearest rows of the other side for each row: cosines, best first, and their
    indices (-1 and -inf where the other side has fewer than ``k`` rows)."""

    scores: np.ndarray
    """(rows, k) float32."""
    ids: np.ndarray
    """(rows, k) int64."""


def _empty(rows: int, k: int) -> Neighbours:
    return Neighbours(
        np.full((rows, k), -np.inf, dtype=np.float32), np.full((rows, k), -1, dtype=np.int64)
    )


def _best(scores: np.ndarray, ids: np.ndarray, k: int) -> Neighbours:
    """The ``k`` best candidates of each row: higher cosine first, then lower index."""
    order = np.lexsort((np.where(ids < 0, _NO_ID, ids), -scores), axis=1)[:, :k]
    return Neighbours(
        np.take_along_axis(scores, order, axis=1), np.take_along_axis(ids, order, axis=1)
    )


def _tile_best(tile: np.ndarray, offset: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` best columns (their cosines and ``offset`` + column), best first; the
    tile is spent (its best cells are overwritten)."""
    rows = np.arange(len(tile))
    take = min(k, tile.shape[1])
    scores = np.empty((len(tile), take), dtype=np.float32)
    ids = np.empty((len(tile), take), dtype=np.int64)
    for n in range(take):  # k is small: k argmax passes beat a partition of the whole row
        best = tile.argmax(axis=1)  # the first of equal maxima: the lower index
        scores[:, n] = tile[rows, best]
        ids[:, n] = best + offset
        tile[rows, best] = -np.inf
    return scores, ids


def _transposed(tile: np.ndarray, out: np.ndarray) -> np.ndarray:
    view = out[: tile.shape[1], : tile.shape[0]]
    for start in range(0, len(tile), _STRIP):
        view[:, start : start + _STRIP] = tile[start : start + _STRIP].T
    return view


def _update(found: Neighbours, at: slice, scores: np.ndarray, ids: np.ndarray, k: int) -> None:
    best = _best(
        np.concatenate([found.scores[at], scores], axis=1),
        np.concatenate([found.ids[at], ids], axis=1),
        k,
    )
    found.scores[at], found.ids[at] = best.scores, best.ids


def merge(first: Neighbours, second: Neighbours, k: int) -> Neighbours:
    """The ``k`` best of two candidate lists for the same rows (e.g. two target shards)."""
    return _best(
        np.concatenate([first.scores, second.scores], axis=1),
        np.concatenate([first.ids, second.ids], axis=1),
        k,
    )


def search(
    src: np.ndarray, tgt: np.ndarray, k: int, tgt_offset: int = 0
) -> tuple[Neighbours, Neighbours]:
    """Forward (each source row's ``k`` nearest target rows) and backward (each target row's
    ``k`` nearest source rows) neighbours by exact cosine. ``tgt`` may be a shard of the target
    side that starts at row ``tgt_offset`` (a multiple of BLOCK): forward indices are global,
    and the forward lists of all shards ``merge`` into the whole search's."""
    if tgt_offset % BLOCK:
        raise ValueError(f"a target shard must start at a multiple of {BLOCK}")
    src = np.ascontiguousarray(src, dtype=np.float32)
    tgt = np.ascontiguousarray(tgt, dtype=np.float32)
    forward, backward = _empty(len(src), k), _empty(len(tgt), k)
    flipped = np.empty((min(BLOCK, len(tgt)), min(BLOCK, len(src))), dtype=np.float32)
    for i in range(0, len(src), BLOCK):
        rows = slice(i, i + BLOCK)
        for j in range(0, len(tgt), BLOCK):
            cols = slice(j, j + BLOCK)
            tile = src[rows] @ tgt[cols].T
            _update(backward, cols, *_tile_best(_transposed(tile, flipped), i, k), k)
            _update(forward, rows, *_tile_best(tile, tgt_offset + j, k), k)
    return forward, backward


def _shard_search(
    src: np.ndarray, k: int, shard: tuple[int, np.ndarray]
) -> tuple[Neighbours, Neighbours]:
    offset, tgt = shard
    return search(src, tgt, k, offset)


def sharded_search(
    src: np.ndarray, tgt: np.ndarray, k: int, executor: Executor, shard_blocks: int | None = None
) -> tuple[Neighbours, Neighbours]:
    """``search`` with the target side cut into shards of ``shard_blocks`` blocks, each searched
    against the whole source side as one task of ``executor`` (a process pool, a Dask cluster):
    the same neighbours as ``search``, bit for bit. Each task carries the whole source side, so
    by default there are two shards per worker: enough to balance, few enough to send."""
    blocks = -(-len(tgt) // BLOCK)
    if shard_blocks is None:
        shard_blocks = max(1, -(-blocks // (2 * getattr(executor, "workers", 1))))
    rows = BLOCK * shard_blocks
    shards = [(start, tgt[start : start + rows]) for start in range(0, len(tgt), rows)]
    forward, backward = _empty(len(src), k), []
    with warnings.catch_warnings():
        # Dask warns about every task this large; sending the source side is the design
        warnings.filterwarnings("ignore", "Sending large graph")
        for shard_forward, shard_backward in executor.map(
            functools.partial(_shard_search, src, k), shards
        ):
            forward = merge(forward, shard_forward, k)
            backward.append(shard_backward)
    if not backward:
        return forward, _empty(0, k)
    return forward, Neighbours(
        np.concatenate([b.scores for b in backward]), np.concatenate([b.ids for b in backward])
    )
