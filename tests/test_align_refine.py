"""Refinement: finding the stretches where the best path has close rivals, and aligning only
those again with a second, stronger encoder."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.dp import NEG, Nulls, backtrack, backward, bead_shapes, forward, full_band
from aligner.align.engine import AlignConfig, align_sentences
from aligner.align.refine import narrow_band, uncertain_stretches
from aligner.align.windows import Surroundings, Windows
from tests.test_align_dp import VOCAB, bag_encode


def one_close_call(rival: float):
    """Four source and five target sentences: a clear 1-1, then a 1-2 bead (score 0.9) whose
    rival is a 1-1 of the same source sentence (score ``rival``) plus a 0-1, then two clear
    1-1s."""
    n, m = 4, 5
    band = full_band(n, m)
    shapes = bead_shapes(3)
    scores = np.full((n + 1, len(shapes), band.width), NEG)
    one, one_two = shapes.index((1, 1)), shapes.index((1, 2))
    scores[1:, one, 1:] = -1.0
    scores[1:, one_two, 2:] = -1.0
    scores[1, one, 1] = 1.0
    scores[2, one_two, 3] = 0.9
    scores[2, one, 2] = rival
    scores[3, one, 4] = 1.0
    scores[4, one, 5] = 1.0
    nulls = Nulls.constant(n, m, -0.1)
    table = forward(band, shapes, scores, nulls, keep_candidates=True)
    to_end = backward(band, shapes, scores, nulls)
    return table, to_end, shapes, backtrack(table, shapes, nulls)


def test_uncertain_stretches_hold_the_beads_a_close_rival_path_would_change():
    table, to_end, shapes, beads = one_close_call(rival=0.85)
    assert [b[:4] for b in beads] == [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 4), (3, 4, 4, 5)]
    # the rival path totals 0.15 less: (1)-(1), then target 2 alone, rejoining at (2)-(3)
    assert uncertain_stretches(table, to_end, shapes, beads, slack=0.1) == []
    assert uncertain_stretches(table, to_end, shapes, beads, slack=0.2) == [(1, 3, 1, 4)]
    # with room for every path, nothing is certain: one stretch, the whole document
    assert uncertain_stretches(table, to_end, shapes, beads, slack=3.0) == [(0, 4, 0, 5)]


def test_uncertain_stretches_need_the_candidates_of_the_forward_pass():
    table, to_end, shapes, beads = one_close_call(rival=0.85)
    plain = forward(table.band, shapes, np.zeros_like(table.candidates), Nulls.constant(4, 5, 0))
    with pytest.raises(ValueError, match="keep_candidates"):
        uncertain_stretches(plain, to_end, shapes, beads, slack=0.1)


def test_a_row_that_every_kept_path_jumps_over_still_gets_a_cell():
    n, m = 3, 2
    band = full_band(n, m)
    shapes = bead_shapes(3)
    scores = np.full((n + 1, len(shapes), band.width), NEG)
    scores[1, shapes.index((1, 1)), 1] = 1.0
    scores[3, shapes.index((2, 1)), 2] = 1.0  # sources 1 and 2 into target 1: row 2 is jumped
    nulls = Nulls.constant(n, m, -1.0)
    table = forward(band, shapes, scores, nulls)
    to_end = backward(band, shapes, scores, nulls)
    kept = narrow_band(table, to_end, slack=0.0)
    assert (kept.hi >= kept.lo).all()
    assert (kept.lo.tolist(), kept.hi.tolist()) == ([0, 1, 2, 2], [0, 1, 2, 2])
    # the same scores, re-indexed to the narrow band's columns (``j - lo[i]``)
    narrow = np.stack([scores[i, :, kept.lo[i] : kept.lo[i] + kept.width] for i in range(n + 1)])
    again = backtrack(forward(kept, shapes, narrow, nulls), shapes, nulls)
    assert [b[:4] for b in again] == [(0, 1, 0, 1), (1, 3, 1, 2)]


def test_a_stretch_sees_the_sentences_around_it_and_the_whole_side_lengths():
    vectors = np.eye(4, dtype=np.float32)
    before, after = np.full(4, 0.5, dtype=np.float32), None
    lengths = np.array([10, 50])
    stretch = Windows(vectors[1:3], lengths, 3, None, Surroundings(before, after, 400.0, 40.0))
    found, present = stretch.neighbours(np.array([-2, -1, 0, 1, 2]))
    assert present.tolist() == [False, True, True, True, False]
    assert np.array_equal(found[1], before) and not found[4].any()
    assert (stretch.chars, stretch.typical_length) == (400.0, 40.0)
    assert stretch.weights[1:].tolist() == [0.25, 1.0]  # against the document's median length
    alone = Windows(vectors[1:3], lengths, 3)
    assert alone.neighbours(np.array([-1]))[1].tolist() == [False]
    assert (alone.chars, alone.typical_length) == (60.0, 30.0)


def partly_blind(texts: list[str]) -> np.ndarray:
    """A weak encoder: it knows only the token w20 well and every other token at 0.6 of its
    weight, so two sentences that share w20 look more alike to it than they are."""
    weights = np.array([1.0 if token == "w20" else 0.6 for token in VOCAB], dtype=np.float32)
    vectors = bag_encode(texts) * weights
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


COMMON = ["w1 w2 w3", "w4 w5 w6", "w7 w8 w9", "w10 w11 w12", "w13 w14 w15", "w16 w17 w18"]
SRC = [*COMMON[:3], "w20 w21 w22 w23", *COMMON[3:]]
TGT = [*COMMON[:3], "w20 w30 w31 w32", *COMMON[3:]]


def test_a_stronger_encoder_overrules_a_weak_one_only_where_it_was_unsure():
    seen: list[str] = []

    def strong(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return bag_encode(texts)

    weak_only, _ = align_sentences(SRC, TGT, partly_blind, AlignConfig())
    refined, stats = align_sentences(SRC, TGT, partly_blind, AlignConfig(), refine=strong)
    pairs = [(b.src, b.tgt) for b in refined]
    # the weak encoder pairs the two sentences that only share w20; the strong one, asked
    # about that stretch alone, leaves both unaligned
    assert ((3,), (3,)) in [(b.src, b.tgt) for b in weak_only]
    assert pairs == [((k,), (k,)) for k in range(3)] + [((), (3,)), ((3,), ())] + [
        ((k,), (k,)) for k in range(4, 7)
    ]
    # the stretch (sentences 2-4 of each side) and one neighbour on either side, nothing else
    assert sorted(seen) == sorted(SRC[1:6] + TGT[1:6])
    assert stats.refine_strings == len(seen) < stats.strings


def test_a_clear_path_sends_nothing_to_the_refining_encoder():
    def strong(texts: list[str]) -> np.ndarray:
        raise AssertionError(f"asked to encode {texts}")

    beads, stats = align_sentences(COMMON, COMMON, bag_encode, AlignConfig(), refine=strong)
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(6)]
    assert stats.refine_strings == 0


def test_refined_beads_still_cover_every_sentence_once_in_order():
    rng = np.random.default_rng(0)

    def sentences(count: int, vocab: int) -> list[str]:
        sizes = rng.integers(1, 5, size=count)
        return [" ".join(f"w{int(t)}" for t in rng.integers(0, vocab, size=k)) for k in sizes]

    for _ in range(150):
        vocab = int(rng.integers(3, 40))  # few words: many near-ties, many stretches
        src = sentences(int(rng.integers(0, 25)), vocab)
        tgt = list(src) if rng.random() < 0.3 else sentences(int(rng.integers(0, 25)), vocab)
        config = AlignConfig(
            max_align=int(rng.integers(2, 9)), refine_slack=float(rng.choice([0.05, 0.5, 2.0]))
        )
        beads, _ = align_sentences(src, tgt, partly_blind, config, refine=bag_encode)
        assert [i for b in beads for i in b.src] == list(range(len(src)))
        assert [j for b in beads for j in b.tgt] == list(range(len(tgt)))
        assert all(len(b.src) + len(b.tgt) <= config.max_align for b in beads)
