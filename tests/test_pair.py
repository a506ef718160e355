import numpy as np

from aligner.pair import PairingConfig, credit_of, embedding_text, pair_units, units_of
from aligner.records import Segment


def seg(index, line, lang, text="x"):
    return Segment("d", index, 0, len(text), text, line, lang, 1.0)


def test_units_group_runs_of_one_line_and_one_language():
    segments = [seg(0, 0, "en"), seg(1, 0, "en"), seg(2, 1, "es"), seg(3, 1, "en"), seg(4, 3, "en")]
    assert [(u.segments, u.line, u.lang) for u in units_of(segments)] == [
        ((0, 1), 0, "en"),
        ((2,), 1, "es"),
        ((3,), 1, "en"),
        ((4,), 3, "en"),
    ]


def test_credit_prefix_is_recognised_and_kept_out_of_embeddings():
    assert credit_of("EFE - El rey llega a Madrid") == "efe"
    assert credit_of("Sergei SUPINSKY / AFP - Ukrainian President") == "sergei supinsky / afp"
    assert credit_of("The president said - again - no") == ""
    assert embedding_text("Europa Press - La lluvia") == "La lluvia"


def unit_vectors(*rows):
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_pairs_are_one_to_one_and_the_best_wins():
    # Two Spanish captions, two English lines: es0~en2 strongly, es1~en3 strongly,
    # es0~en3 fairly: greedy one-to-one must not give en3 to es0.
    segments = [seg(0, 0, "es"), seg(1, 2, "es"), seg(2, 1, "en"), seg(3, 3, "en")]
    embeddings = unit_vectors([1, 0, 0.1], [0, 1, 0.1], [1, 0.05, 0.1], [0.3, 1, 0.1])
    pairs = pair_units(units_of(segments), embeddings, "es", "en", PairingConfig(min_score=0.5))
    assert [(p.src, p.tgt) for p in pairs] == [(0, 2), (1, 3)]


def test_nothing_similar_enough_means_no_pair():
    segments = [seg(0, 0, "es"), seg(1, 1, "en")]
    embeddings = unit_vectors([1, 0], [0.2, 1])
    assert pair_units(units_of(segments), embeddings, "es", "en") == []


def test_one_language_only_means_no_pair():
    segments = [seg(0, 0, "en"), seg(1, 1, "en")]
    assert pair_units(units_of(segments), unit_vectors([1, 0], [1, 0]), "es", "en") == []
