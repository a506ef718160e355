"""Align two sentence lists with an encoder: first pass, approximate windows, selective
encoding of contending windows, final bead DP."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from aligner.align.anchors import number_bags
from aligner.align.corridor import first_pass, typical_similarity, unmatched_runs
from aligner.align.dp import Nulls, backtrack, backward, bead_shapes, forward
from aligner.align.refine import contending_windows, narrow_band
from aligner.align.score import ScoreParams, score_table
from aligner.align.windows import Windows, window_text
from aligner.records import Bead

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class AlignConfig:
    max_align: int = 8
    """Largest bead: source plus target sentences."""
    radius: int = 5
    """Half-width of the band around the first-pass path, in sentences."""
    windows: Literal["selective", "all", "none"] = "selective"
    """Which multi-sentence windows are encoded: "all", "none" (approximations only) or
    "selective" (those of contending beads, see ``refine``)."""
    slack: float = 0.2
    """A bead whose best complete path scores within ``slack`` of the best path is a contender."""
    keep: float = 1.0
    """The final pass searches only cells whose best path is within ``keep`` of the best."""
    center: float = 1.0
    """How much of each side's mean vector is removed before comparing (1: all of it, shrunk
    for short documents, where the mean is mostly the sentences themselves). What all sentences
    of a side share (its language, its topic) says nothing about which of them match, and
    removing it spreads the similarities of true and false pairs apart."""
    rounds: int = 1
    """Rounds of (score, find contenders, encode them) before the final DP."""
    params: ScoreParams = field(default_factory=ScoreParams)

    def describe(self) -> str:
        """The settings that change the beads, for the output signature."""
        p = self.params
        return (
            f"max{self.max_align}-r{self.radius}-{self.windows}{self.slack}x{self.rounds}"
            f"-center{self.center}"
            f"-skip{p.skip}-gap{p.gap_null}-margin{p.margin}-len{int(p.length_penalty)}-merge{p.merge_bonus}"
            f"-cover{p.coverage}@{p.coverage_floor}-numbers{p.numbers}"
        )


@dataclass(slots=True)
class AlignStats:
    """Where one alignment spent its time, and how many strings it sent to the encoder."""

    encode_s: float = 0.0
    align_s: float = 0.0
    align_cpu_s: float = 0.0
    """CPU seconds of the alignment steps: steady when other jobs share the machine."""
    strings: int = 0


@contextmanager
def _aligning(stats: AlignStats) -> Iterator[None]:
    """Add the wall and CPU time of the block to the alignment totals."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        stats.align_s += time.perf_counter() - wall
        stats.align_cpu_s += time.process_time() - cpu


class _Run:
    """The encoder as one alignment uses it: timed, counted, texts batched by length."""

    def __init__(self, encode: Encode, stats: AlignStats) -> None:
        self.encode_fn, self.stats = encode, stats

    def encode(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        # similar lengths side by side: encoders that pad a batch to its longest text waste less
        order = np.argsort([len(t) for t in texts], kind="stable")
        vectors = np.empty((len(texts), 0), dtype=np.float32)
        if texts:
            encoded = self.encode_fn([texts[k] for k in order])
            vectors = np.empty_like(encoded)
            vectors[order] = encoded
        self.stats.encode_s += time.perf_counter() - start
        self.stats.strings += len(texts)
        return vectors


@dataclass(frozen=True, slots=True)
class _Side:
    """One document of the pair as the alignment sees it."""

    sentences: list[str]
    windows: Windows
    mean: np.ndarray
    """Removed from every vector of this side before comparing (see ``AlignConfig.center``)."""


def _encode_windows(
    run: _Run, wanted: list[tuple[_Side, dict[int, set[int]] | dict[int, np.ndarray]]]
) -> int:
    """Encode the requested windows (ends by size) of both sides in one batch; returns how many
    were new."""
    texts: list[str] = []
    todo: list[tuple[_Side, int, np.ndarray]] = []
    for side, ends_by_size in wanted:
        for size, ends in ends_by_size.items():
            ends = np.fromiter(ends, dtype=np.int64) if isinstance(ends, set) else ends
            ends = ends[~side.windows.exact[size - 1, ends]]
            if ends.size:
                texts.extend(window_text(side.sentences, size, int(e)) for e in ends)
                todo.append((side, size, ends))
    if not texts:
        return 0
    vectors = run.encode(texts)
    offset = 0
    for side, size, ends in todo:
        chunk = _centred(vectors[offset : offset + ends.size], side.mean)
        side.windows.set_exact(size, ends, chunk)
        offset += ends.size
    return len(texts)


MEAN_SHRINK = 10
"""A side's mean counts fully only well above this many sentences: in a short document the mean
is mostly the sentences themselves, and removing it would erase what they say."""


def _side_mean(vectors: np.ndarray, center: float) -> np.ndarray:
    n = vectors.shape[0]
    return (center * n / (n + MEAN_SHRINK) * vectors.mean(axis=0)).astype(np.float32)


def _centred(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """``vectors`` minus ``mean``, normalised again."""
    shifted = vectors - mean
    return shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-12)


def align_sentences(
    src: list[str], tgt: list[str], encode: Encode, config: AlignConfig | None = None
) -> tuple[list[Bead], AlignStats]:
    """Monotonic beads covering every sentence of both sides, and where the time went."""
    config = config or AlignConfig()
    stats = AlignStats()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return beads, stats
    run = _Run(encode, stats)
    src_vecs, tgt_vecs = np.split(run.encode(src + tgt), [n])
    params = config.params
    shapes = bead_shapes(config.max_align)
    max_a = max(a for a, _ in shapes)
    max_b = max(b for _, b in shapes)
    with _aligning(stats):
        src_mean = _side_mean(src_vecs, config.center)
        tgt_mean = _side_mean(tgt_vecs, config.center)
        src_vecs, tgt_vecs = _centred(src_vecs, src_mean), _centred(tgt_vecs, tgt_mean)
        path, band = first_pass(src_vecs, tgt_vecs, config.radius)
        typical = typical_similarity(src_vecs, tgt_vecs, band)
        # a run of first-pass nulls longer than any bead is a stretch without counterpart
        src_gap, tgt_gap = unmatched_runs(path, n, m, config.max_align)
        nulls = Nulls(
            np.where(src_gap, params.gap_null, params.skip),
            np.where(tgt_gap, params.gap_null, params.skip),
        )
        src_w = Windows(src_vecs, np.array([len(s) for s in src]), max_a, number_bags(src))
        tgt_w = Windows(tgt_vecs, np.array([len(s) for s in tgt]), max_b, number_bags(tgt))
        src_side, tgt_side = _Side(src, src_w, src_mean), _Side(tgt, tgt_w, tgt_mean)
    if config.windows == "all":
        _encode_windows(
            run,
            [
                (src_side, {k: np.arange(k, n + 1) for k in range(2, max_a + 1)}),
                (tgt_side, {k: np.arange(k, m + 1) for k in range(2, max_b + 1)}),
            ],
        )
    elif config.windows == "selective":
        # screening only ranks beads, so the cheap terms are enough: cosine and length
        screen = replace(params, margin=0.0, coverage=0.0)
        for _ in range(config.rounds):
            with _aligning(stats):
                scores = score_table(src_w, tgt_w, band, shapes, screen, typical)
                ahead = forward(band, shapes, scores, nulls, keep_candidates=True)
                to_end = backward(band, shapes, scores, nulls)
                want_src, want_tgt = contending_windows(ahead, to_end, shapes, config.slack)
                band = narrow_band(ahead, to_end, config.keep)
            if not _encode_windows(run, [(src_side, want_src), (tgt_side, want_tgt)]):
                break
    with _aligning(stats):
        scores = score_table(src_w, tgt_w, band, shapes, params, typical)
        raw = backtrack(forward(band, shapes, scores, nulls), shapes, nulls)
    beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), s) for i0, i1, j0, j1, s in raw]
    return beads, stats
