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
from aligner.align.corridor import (
    best_matches,
    first_pass,
    typical_similarity,
    unmatched_runs,
)
from aligner.align.dp import Band, Nulls, backtrack, backward, bead_shapes, forward
from aligner.align.refine import contending_windows, narrow_band, uncertain_stretches
from aligner.align.score import ScoreParams, score_table
from aligner.align.windows import Surroundings, Windows, window_text
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
    refine_slack: float = 0.1
    """With a refining encoder: a stretch is aligned again when a path other than the best one
    comes within ``refine_slack`` of it there (see ``refine.uncertain_stretches``)."""
    params: ScoreParams = field(default_factory=ScoreParams)

    def describe(self) -> str:
        """The settings that change the beads, for the output signature."""
        p = self.params
        return (
            f"max{self.max_align}-r{self.radius}-{self.windows}{self.slack}x{self.rounds}"
            f"-refine{self.refine_slack}"
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
    refine_s: float = 0.0
    """Of ``encode_s``, the seconds the refining encoder took."""
    refine_strings: int = 0
    """Of ``strings``, those sent to the refining encoder."""


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

    def __init__(self, encode: Encode, stats: AlignStats, refining: bool = False) -> None:
        self.encode_fn, self.stats, self.refining = encode, stats, refining

    def encode(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        # similar lengths side by side: encoders that pad a batch to its longest text waste less
        order = np.argsort([len(t) for t in texts], kind="stable")
        vectors = np.empty((len(texts), 0), dtype=np.float32)
        if texts:
            encoded = self.encode_fn([texts[k] for k in order])
            vectors = np.empty_like(encoded)
            vectors[order] = encoded
        spent = time.perf_counter() - start
        self.stats.encode_s += spent
        self.stats.strings += len(texts)
        if self.refining:
            self.stats.refine_s += spent
            self.stats.refine_strings += len(texts)
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


def _sides(run: _Run, src: list[str], tgt: list[str], config: AlignConfig) -> tuple[_Side, _Side]:
    """Encode every sentence of both sides once and centre each side."""
    src_vecs, tgt_vecs = np.split(run.encode(src + tgt), [len(src)])
    with _aligning(run.stats):
        src_mean = _side_mean(src_vecs, config.center)
        tgt_mean = _side_mean(tgt_vecs, config.center)
        return (
            _side(src, _centred(src_vecs, src_mean), src_mean, config.max_align),
            _side(tgt, _centred(tgt_vecs, tgt_mean), tgt_mean, config.max_align),
        )


def _side(
    sentences: list[str],
    centred: np.ndarray,
    mean: np.ndarray,
    max_align: int,
    surroundings: Surroundings | None = None,
) -> _Side:
    lengths = np.array([len(s) for s in sentences])
    # the widest side of a bead: the other side holds at least one sentence (bead_shapes)
    widest = max_align - 1
    windows = Windows(centred, lengths, widest, number_bags(sentences), surroundings)
    return _Side(sentences, windows, mean)


@dataclass(frozen=True, slots=True)
class _Rows:
    """Vectors of some sentences of a side, looked up by sentence number."""

    ids: np.ndarray
    vectors: np.ndarray

    def stretch(self, start: int, end: int, whole: Windows) -> tuple[np.ndarray, Surroundings]:
        """The vectors of sentences ``start .. end - 1`` of the side ``whole``, and what their
        alignment needs from the rest of it."""
        first, last = np.searchsorted(self.ids, [start, end])
        before = self.vectors[first - 1] if start > 0 else None
        after = self.vectors[last] if end < whole.n else None
        surroundings = Surroundings(before, after, whole.chars, whole.typical_length)
        return self.vectors[first:last], surroundings


def _final_scores(
    run: _Run,
    src: _Side,
    tgt: _Side,
    band: Band,
    nulls: Nulls,
    typical: float,
    config: AlignConfig,
) -> tuple[Band, np.ndarray]:
    """Encode the windows that can still change the best path, then score every bead of the
    (narrowed) band: the band and score table the final DP runs on."""
    params = config.params
    shapes = bead_shapes(config.max_align)
    n, m = src.windows.n, tgt.windows.n
    if config.windows == "all":
        _encode_windows(
            run,
            [
                (src, {k: np.arange(k, n + 1) for k in range(2, src.windows.max_size + 1)}),
                (tgt, {k: np.arange(k, m + 1) for k in range(2, tgt.windows.max_size + 1)}),
            ],
        )
    elif config.windows == "selective":
        # screening only ranks beads, so the cheap terms are enough: cosine and length
        screen = replace(params, margin=0.0, coverage=0.0)
        for _ in range(config.rounds):
            with _aligning(run.stats):
                scores = score_table(src.windows, tgt.windows, band, shapes, screen, typical)
                ahead = forward(band, shapes, scores, nulls, keep_candidates=True)
                to_end = backward(band, shapes, scores, nulls)
                want_src, want_tgt = contending_windows(ahead, to_end, shapes, config.slack)
                band = narrow_band(ahead, to_end, config.keep)
            if not _encode_windows(run, [(src, want_src), (tgt, want_tgt)]):
                break
    with _aligning(run.stats):
        return band, score_table(src.windows, tgt.windows, band, shapes, params, typical)


def align_sentences(
    src: list[str],
    tgt: list[str],
    encode: Encode,
    config: AlignConfig | None = None,
    refine: Encode | None = None,
) -> tuple[list[Bead], AlignStats]:
    """Monotonic beads covering every sentence of both sides, and where the time went.

    With ``refine`` (a slower, stronger encoder), the stretches where the best path is not
    clearly ahead of the others (``refine.uncertain_stretches``) are aligned again with it."""
    config = config or AlignConfig()
    stats = AlignStats()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return beads, stats
    run = _Run(encode, stats)
    params = config.params
    shapes = bead_shapes(config.max_align)
    src_side, tgt_side = _sides(run, src, tgt, config)
    with _aligning(stats):
        src_vecs, tgt_vecs = src_side.windows.singles, tgt_side.windows.singles
        path, band = first_pass(src_vecs, tgt_vecs, config.radius)
        typical = typical_similarity(src_vecs, tgt_vecs, band)
        # a run of first-pass nulls longer than any bead is a stretch without counterpart
        src_gap, tgt_gap = unmatched_runs(path, n, m, config.max_align)
        nulls = Nulls(
            np.where(src_gap, params.gap_null, params.skip),
            np.where(tgt_gap, params.gap_null, params.skip),
        )
    band, scores = _final_scores(run, src_side, tgt_side, band, nulls, typical, config)
    with _aligning(stats):
        ahead = forward(band, shapes, scores, nulls, keep_candidates=refine is not None)
        raw = backtrack(ahead, shapes, nulls)
        if refine is not None:
            to_end = backward(band, shapes, scores, nulls)
            stretches = uncertain_stretches(ahead, to_end, shapes, raw, config.refine_slack)
            kept = narrow_band(ahead, to_end, config.refine_slack)
    if refine is not None and stretches:
        first = (src_side, tgt_side, typical)
        raw = _refined(
            _Run(refine, stats, refining=True), first, raw, stretches, kept, nulls, config
        )
    beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), s) for i0, i1, j0, j1, s in raw]
    return beads, stats


RawBead = tuple[int, int, int, int, float]


def _with_neighbours(spans: list[tuple[int, int]], n: int) -> np.ndarray:
    """The sentences of the spans ``start .. end - 1`` and the one on either side of each (which
    margins compare against), sorted and without repeats."""
    return np.unique(np.concatenate([np.arange(max(a - 1, 0), min(b + 1, n)) for a, b in spans]))


def _refined(
    run: _Run,
    first: tuple[_Side, _Side, float],
    raw: list[RawBead],
    stretches: list[tuple[int, int, int, int]],
    kept: Band,
    nulls: Nulls,
    config: AlignConfig,
) -> list[RawBead]:
    """``raw`` with the beads of each stretch ``(i0, i1, j0, j1)`` replaced by an alignment of
    ``src[i0:i1]`` and ``tgt[j0:j1]`` with the refining encoder, inside the cells of ``kept``
    (those whose best path came within ``refine_slack`` of the best). ``first`` is the first
    encoder's two sides and typical similarity."""
    first_src, first_tgt, first_typical = first
    src, tgt = first_src.sentences, first_tgt.sentences
    src_ids = _with_neighbours([(i0, i1) for i0, i1, _, _ in stretches], len(src))
    tgt_ids = _with_neighbours([(j0, j1) for _, _, j0, j1 in stretches], len(tgt))
    vectors = run.encode([src[i] for i in src_ids] + [tgt[j] for j in tgt_ids])
    shapes = bead_shapes(config.max_align)
    with _aligning(run.stats):
        src_vecs, tgt_vecs = np.split(vectors, [src_ids.size])
        # the stretches together stand for the document: one mean per side
        src_mean = _side_mean(src_vecs, config.center)
        tgt_mean = _side_mean(tgt_vecs, config.center)
        src_rows = _Rows(src_ids, _centred(src_vecs, src_mean))
        tgt_rows = _Rows(tgt_ids, _centred(tgt_vecs, tgt_mean))
        pieces = []
        for i0, i1, j0, j1 in stretches:
            band = Band(
                np.clip(kept.lo[i0 : i1 + 1] - j0, 0, j1 - j0),
                np.clip(kept.hi[i0 : i1 + 1] - j0, 0, j1 - j0),
            )
            band.lo[0], band.hi[-1] = 0, j1 - j0
            pieces.append(
                (
                    band,
                    src_rows.stretch(i0, i1, first_src.windows),
                    tgt_rows.stretch(j0, j1, first_tgt.windows),
                )
            )
        # the stretches are where matches are weakest: their own median would understate what
        # a translation scores, so the document's typical similarity is carried over to the
        # new encoder by the ratio of both encoders' best matches on the same sentences
        refined_best = np.concatenate([best_matches(s[0], t[0], b) for b, s, t in pieces])
        first_best = np.concatenate(
            [
                best_matches(
                    first_src.windows.singles[i0:i1], first_tgt.windows.singles[j0:j1], band
                )
                for (i0, i1, j0, j1), (band, _, _) in zip(stretches, pieces, strict=True)
            ]
        )
        typical = first_typical * float(np.median(refined_best) / max(np.median(first_best), 1e-6))
    spliced: list[RawBead] = []
    k = 0
    for (i0, i1, j0, j1), (band, sub_src, sub_tgt) in zip(stretches, pieces, strict=True):
        while raw[k][0] != i0 or raw[k][2] != j0:  # a stretch starts where a bead does
            spliced.append(raw[k])
            k += 1
        sub_nulls = Nulls(nulls.src[i0:i1], nulls.tgt[j0:j1])
        src_side = _side(src[i0:i1], sub_src[0], src_mean, config.max_align, sub_src[1])
        tgt_side = _side(tgt[j0:j1], sub_tgt[0], tgt_mean, config.max_align, sub_tgt[1])
        band, scores = _final_scores(run, src_side, tgt_side, band, sub_nulls, typical, config)
        with _aligning(run.stats):
            sub_raw = backtrack(forward(band, shapes, scores, sub_nulls), shapes, sub_nulls)
        spliced.extend((a0 + i0, a1 + i0, b0 + j0, b1 + j0, s) for a0, a1, b0, b1, s in sub_raw)
        while k < len(raw) and (raw[k][0] != i1 or raw[k][2] != j1):  # and ends where one does
            k += 1
    spliced.extend(raw[k:])
    return spliced
