"""The bead DP on hand-made cases whose right answer is known.

Sentences are bags of "concept" tokens and the fake encoder maps a text to the normalised sum of
its tokens' one-hot vectors, so a translation is the same tokens and a joined window is exactly
the sum of its sentences: any error is the DP's or the score's, not an encoder's.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import corridor
from aligner.align.dp import (
    Band,
    Nulls,
    align_band,
    backtrack,
    backward,
    band_around,
    bead_shapes,
    forward,
    full_band,
)
from aligner.align.engine import AlignConfig, align_sentences
from aligner.align.refine import contending_windows

VOCAB = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [f"w{k}" for k in range(400)]


def bag_encode(texts: list[str]) -> np.ndarray:
    vectors = np.zeros((len(texts), len(VOCAB)), dtype=np.float32)
    for row, text in enumerate(texts):
        for token in text.split():
            vectors[row, VOCAB.index(token)] += 1.0
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def beads_of(src: list[str], tgt: list[str], **config: object) -> list[tuple[list[int], list[int]]]:
    beads, _ = align_sentences(src, tgt, bag_encode, AlignConfig(**config))  # type: ignore[arg-type]
    return [(list(b.src), list(b.tgt)) for b in beads]


@pytest.mark.parametrize("windows", ["all", "selective", "none"])
def test_identical_documents_align_one_to_one(windows: str) -> None:
    doc = ["a b", "c", "d e", "f", "g h"]
    assert beads_of(doc, doc, windows=windows) == [([k], [k]) for k in range(5)]


@pytest.mark.parametrize("windows", ["all", "selective"])
def test_one_to_two_merge(windows: str) -> None:
    src = ["a b", "c d", "e f", "g h"]
    tgt = ["a b", "c", "d", "e f", "g h"]
    assert beads_of(src, tgt, windows=windows) == [
        ([0], [0]),
        ([1], [1, 2]),
        ([2], [3]),
        ([3], [4]),
    ]


def test_two_to_one_merge() -> None:
    src = ["a b", "c", "d", "e f", "g h"]
    tgt = ["a b", "c d", "e f", "g h"]
    assert beads_of(src, tgt) == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3])]


def test_deleted_source_sentence_is_a_null_bead() -> None:
    src = ["a b", "c d", "x y z", "e f", "g h"]
    tgt = ["a b", "c d", "e f", "g h"]
    assert ([2], []) in beads_of(src, tgt)
    assert len(beads_of(src, tgt)) == 5


def test_inserted_target_sentence_is_a_null_bead() -> None:
    src = ["a b", "c d", "e f", "g h"]
    tgt = ["a b", "x y z", "c d", "e f", "g h"]
    assert beads_of(src, tgt) == [([0], [0]), ([], [1]), ([1], [2]), ([2], [3]), ([3], [4])]


def test_one_empty_side_gives_only_null_beads() -> None:
    assert beads_of([], ["a", "b"]) == [([], [0]), ([], [1])]
    assert beads_of(["a"], []) == [([0], [])]
    assert beads_of([], []) == []


def test_every_sentence_is_in_exactly_one_bead() -> None:
    src = ["a b", "c", "d", "x", "e f", "g h i"]
    tgt = ["a", "b", "c d", "e f", "y", "g", "h i"]
    beads = beads_of(src, tgt, max_align=6)
    assert [i for s, _ in beads for i in s] == list(range(len(src)))
    assert [j for _, t in beads for j in t] == list(range(len(tgt)))


def test_bead_shapes_respect_max_align() -> None:
    assert bead_shapes(3) == [(1, 1), (1, 2), (2, 1)]
    assert all(a + b <= 5 for a, b in bead_shapes(5))


def test_band_around_is_monotone_and_covers_path() -> None:
    path = [(0, 0), (1, 1), (2, 1), (3, 3), (4, 4)]
    band = band_around(path, 4, 4, radius=1)
    assert (np.diff(band.lo) >= 0).all() and (np.diff(band.hi) >= 0).all()
    assert all(band.lo[i] <= j <= band.hi[i] for i, j in path)


def test_dp_in_a_band_matches_the_full_table_when_the_band_holds_the_answer() -> None:
    rng = np.random.default_rng(0)
    n = m = 12
    sims = rng.uniform(-0.2, 0.2, size=(n, m)) + np.eye(n)

    def table(band: Band) -> np.ndarray:
        out = np.full((n + 1, 1, band.width), -1e18)
        for i in range(1, n + 1):
            cols = np.arange(band.lo[i], band.hi[i] + 1)
            out[i, 0, : cols.size] = np.where(
                cols >= 1, sims[i - 1, np.clip(cols - 1, 0, m - 1)], -1e18
            )
        return out

    nulls = Nulls.constant(n, m, -0.1)
    full = align_band(full_band(n, m), [(1, 1)], table(full_band(n, m)), nulls)
    narrow = band_around([(k, k) for k in range(n + 1)], n, m, 2)
    banded = align_band(narrow, [(1, 1)], table(narrow), nulls)
    assert (
        [b[:4] for b in full] == [b[:4] for b in banded] == [(k, k + 1, k, k + 1) for k in range(n)]
    )


def test_long_documents_use_the_coarse_first_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = [f"w{k}" for k in range(400)]
    src = [f"{tokens[2 * k]} {tokens[2 * k + 1]}" for k in range(150)]
    tgt = list(src)
    tgt[40:41] = [tokens[80], tokens[81]]  # one 1-2 split
    monkeypatch.setattr(corridor, "DENSE_CELLS", 500)
    _, band = corridor.first_pass(bag_encode(src), bag_encode(tgt), radius=4)
    assert isinstance(band, Band) and band.width < 60
    beads = beads_of(src, tgt)
    assert ([40], [40, 41]) in beads
    assert len(beads) == 150


def test_forward_plus_backward_is_the_best_total_exactly_on_the_best_path() -> None:
    rng = np.random.default_rng(1)
    n, m = 9, 11
    band = full_band(n, m)
    shapes = bead_shapes(4)
    scores = rng.uniform(-0.5, 1.0, size=(n + 1, len(shapes), band.width))
    for i in range(n + 1):  # shapes that do not fit must score NEG, as score_table guarantees
        for s, (a, b) in enumerate(shapes):
            scores[i, s, :b] = -1e18
            if a > i:
                scores[i, s] = -1e18
    # uneven null scores: each sentence its own, so that a mix-up of rows and columns shows
    nulls = Nulls(rng.uniform(-0.5, 0.1, size=n), rng.uniform(-0.5, 0.1, size=m))
    table = forward(band, shapes, scores, nulls, keep_candidates=True)
    to_end = backward(band, shapes, scores, nulls)
    best = table.total[n, m]
    through = table.total + to_end
    assert np.isclose(to_end[0, 0], best)
    assert (through <= best + 1e-9).all()
    beads = backtrack(table, shapes, nulls)
    assert np.isclose(sum(score for *_, score in beads), best)
    for _, i1, _, j1, _ in beads:
        assert np.isclose(through[i1, j1], best)
    # slack of rounding only: forward and backward add the same scores in different orders
    src, tgt = contending_windows(table, to_end, shapes, slack=1e-9)
    for i0, i1, j0, j1, _ in beads:
        if i1 - i0 >= 2 and j1 > j0:
            assert i1 in src[i1 - i0]
        if j1 - j0 >= 2 and i1 > i0:
            assert j1 in tgt[j1 - j0]


def hashed_encode(texts: list[str]) -> np.ndarray:
    """A fake model for long inputs: a seeded random unit vector per text."""
    rows = []
    for text in texts:
        vector = np.random.default_rng(list(text.encode("utf-8"))).normal(size=48)
        rows.append(vector / np.linalg.norm(vector))
    return np.array(rows, dtype=np.float32).reshape(len(texts), 48)


def test_a_long_pair_is_aligned_in_a_narrow_band() -> None:
    n = 3000
    src = [f"s{k}" for k in range(n)]
    tgt = [*src[:1000], "extra one", "extra two", *src[1000:]]
    _, band = corridor.first_pass(hashed_encode(src), hashed_encode(tgt), radius=5)
    assert n * len(tgt) > corridor.DENSE_CELLS  # the coarse first pass was used
    assert band.width < 60  # memory and time grow with n * width, not n * m
    beads, _ = align_sentences(src, tgt, hashed_encode, AlignConfig())
    nulls = [(b.src, b.tgt) for b in beads if not b.src or not b.tgt]
    assert nulls == [((), (1000,)), ((), (1001,))]
    assert len(beads) == n + 2


def test_per_sentence_null_scores_decide_which_sentences_stay_unaligned() -> None:
    n = m = 4
    band = full_band(n, m)
    scores = np.full((n + 1, 1, band.width), -1e18)
    scores[1:, 0, 1:] = 0.05  # every pair is a weak match
    assert [b[:4] for b in align_band(band, [(1, 1)], scores, Nulls.constant(n, m, -0.1))] == [
        (k, k + 1, k, k + 1) for k in range(4)
    ]
    # sources 0-1 and targets 2-3 are cheap to leave out: the path goes around them
    nulls = Nulls(np.array([0.1, 0.1, -0.1, -0.1]), np.array([-0.1, -0.1, 0.1, 0.1]))
    beads = align_band(band, [(1, 1)], scores, nulls)
    assert [b[:4] for b in beads] == [
        (0, 1, 0, 0),
        (1, 2, 0, 0),
        (2, 3, 0, 1),
        (3, 4, 1, 2),
        (4, 4, 2, 3),
        (4, 4, 3, 4),
    ]
    assert [round(b[4], 6) for b in beads] == [0.1, 0.1, 0.05, 0.05, 0.1, 0.1]


def test_unmatched_runs_are_long_one_sided_stretches_of_the_first_pass() -> None:
    path = [(0, 0), (1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (5, 3), (5, 4), (6, 5)]
    src_gap, tgt_gap = corridor.unmatched_runs(path, 6, 5, min_run=3)
    assert src_gap.tolist() == [False, True, True, True, False, False]
    assert tgt_gap.tolist() == [False, False, False, False, False]  # a run of 2 is not enough
    src_gap, tgt_gap = corridor.unmatched_runs(path, 6, 5, min_run=2)
    assert tgt_gap.tolist() == [False, False, True, True, False]
