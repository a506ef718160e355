"""Align two sentence lists with an encoder: first pass, windows, bead DP."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from aligner.align.corridor import search_band
from aligner.align.dp import align_band, bead_shapes
from aligner.align.score import BeadScorer, ScoreParams
from aligner.align.windows import Windows, window_text
from aligner.records import Bead

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class AlignConfig:
    max_align: int = 5
    radius: int = 5
    windows: str = "all"
    """Which multi-sentence windows are encoded: "all" in the band, "none" (approximations)."""
    params: ScoreParams = field(default_factory=ScoreParams)


@dataclass(slots=True)
class AlignStats:
    encode_s: float = 0.0
    align_s: float = 0.0
    strings: int = 0


def _timed_encode(encode: Encode, texts: list[str], stats: AlignStats) -> np.ndarray:
    start = time.perf_counter()
    vectors = encode(texts)
    stats.encode_s += time.perf_counter() - start
    stats.strings += len(texts)
    return vectors


def _encode_windows(
    side: Windows, sentences: list[str], ends_by_size: dict[int, np.ndarray], encode: Encode,
    stats: AlignStats,
) -> None:
    texts: list[str] = []
    spans: list[tuple[int, np.ndarray]] = []
    for size, ends in ends_by_size.items():
        ends = ends[~side.exact[size - 1, ends]]
        if ends.size:
            texts.extend(window_text(sentences, size, int(e)) for e in ends)
            spans.append((size, ends))
    if not texts:
        return
    vectors = _timed_encode(encode, texts, stats)
    offset = 0
    for size, ends in spans:
        side.set_exact(size, ends, vectors[offset : offset + ends.size])
        offset += ends.size


def align_sentences(
    src: list[str], tgt: list[str], encode: Encode, config: AlignConfig | None = None
) -> tuple[list[Bead], AlignStats]:
    config = config or AlignConfig()
    stats = AlignStats()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return beads, stats
    src_vecs = _timed_encode(encode, src, stats)
    tgt_vecs = _timed_encode(encode, tgt, stats)
    start = time.perf_counter()
    band = search_band(src_vecs, tgt_vecs, config.radius)
    shapes = bead_shapes(config.max_align)
    max_a = max(a for a, _ in shapes)
    max_b = max(b for _, b in shapes)
    src_w = Windows(src_vecs, np.array([len(s) for s in src]), max_a)
    tgt_w = Windows(tgt_vecs, np.array([len(s) for s in tgt]), max_b)
    stats.align_s += time.perf_counter() - start
    if config.windows == "all":
        rows = np.arange(n + 1)
        _encode_windows(src_w, src, {k: np.arange(k, n + 1) for k in range(2, max_a + 1)}, encode, stats)
        _encode_windows(tgt_w, tgt, {k: np.arange(k, m + 1) for k in range(2, max_b + 1)}, encode, stats)
        del rows
    start = time.perf_counter()
    scorer = BeadScorer(src_w, tgt_w, shapes, config.params)
    raw = align_band(n, m, band, shapes, scorer, config.params.skip)
    stats.align_s += time.perf_counter() - start
    beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), s) for i0, i1, j0, j1, s in raw]
    return beads, stats
