"""Numbers as anchors: the bags the scorer compares, and a null bead they decide."""

from __future__ import annotations

import numpy as np

from aligner.align.anchors import BUCKETS, number_bags, number_key
from aligner.align.engine import AlignConfig, align_sentences
from aligner.align.score import ScoreParams


def test_number_key_ignores_group_and_decimal_separators():
    assert {number_key(x) for x in ("8'848", "8,848", "8.848", "8848")} == {"8848"}
    assert number_key("8839,8") == number_key("8839.8") == "88398"


def test_number_bags_count_each_number_once_per_occurrence():
    bags = number_bags(["Höhe 8848 m, früher 8840 m.", "Kein Wert hier.", "1952 und 1952"])
    assert bags.shape == (3, BUCKETS)
    assert bags.sum(axis=1).tolist() == [2.0, 0.0, 2.0]
    assert np.count_nonzero(bags[2]) == 1
    # the same number in two scripts' texts lands in the same bucket
    assert np.array_equal(number_bags(["高度为8848米"]), number_bags(["8,848 metres high"]))


DE = [
    "Im Jahr 1952 stieg der Preis der Hütte auf 300 Franken.",
    "Im Jahr 1960 stieg der Preis der Hütte auf 450 Franken.",
    "Im Jahr 1971 stieg der Preis der Hütte auf 520 Franken.",
    "Im Jahr 1985 stieg der Preis der Hütte auf 610 Franken.",
]
FR = [
    "En 1952, le prix de la cabane est monté à 300 francs.",
    "En 1971, le prix de la cabane est monté à 520 francs.",
    "En 1985, le prix de la cabane est monté à 610 francs.",
]


def beads(encoder, **config) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    found, _ = align_sentences(DE, FR, encoder.encode, AlignConfig(**config))
    return [(b.src, b.tgt) for b in found]


NULL_LEFT_OUT = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]


def test_numbers_leave_the_untranslated_sentence_out_instead_of_merging_it(encoder):
    # sentences that differ only in their numbers look alike to the encoder: on the raw
    # similarity (no centring) and without the number term, the 1960 sentence is merged
    raw = {"center": 0.0}
    assert beads(encoder, **raw, params=ScoreParams(numbers=0.0)) != NULL_LEFT_OUT
    assert beads(encoder, **raw) == NULL_LEFT_OUT
    assert beads(encoder) == NULL_LEFT_OUT


def test_centring_alone_tells_the_sentences_apart(encoder):
    # what the four sentences share is removed, so their numbers weigh more in the embedding
    assert beads(encoder, params=ScoreParams(numbers=0.0)) == NULL_LEFT_OUT
