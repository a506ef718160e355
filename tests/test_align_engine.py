"""The aligner with the real default encoder on small hand-written document pairs."""

from __future__ import annotations

import pytest

from aligner.align.engine import AlignConfig, align_sentences

DE = [
    "Der Hund schläft im Garten.",
    "Ich habe heute frisches Brot beim Bäcker gekauft.",
    "Morgen fahren wir mit dem Zug nach Bern.",
    "Das Wetter soll schön werden.",
    "Am Abend essen wir mit Freunden.",
    "Danach gehen wir früh ins Bett.",
]
FR = [
    "Le chien dort dans le jardin.",
    "J'ai acheté du pain frais chez le boulanger aujourd'hui.",
    "Demain, nous prenons le train pour Berne.",
    "Le temps devrait être beau.",
    "Le soir, nous mangeons avec des amis.",
    "Ensuite, nous allons nous coucher tôt.",
]
UNRELATED = [
    "The committee approved the new budget for road repairs.",
    "Stock prices fell sharply after the announcement.",
    "The court rejected the appeal of the software company.",
]


@pytest.fixture(scope="module")
def encode(encoder):
    return encoder.encode


def beads(src, tgt, encode, **config):
    found, _ = align_sentences(src, tgt, encode, AlignConfig(**config))
    return [(list(b.src), list(b.tgt)) for b in found]


def test_translation_aligns_one_to_one(encode):
    assert beads(DE, FR, encode) == [([k], [k]) for k in range(6)]


def test_a_block_of_unrelated_sentences_becomes_null_beads_not_a_merge(encode):
    tgt = FR[:3] + UNRELATED + FR[3:]
    result = beads(DE, tgt, encode)
    assert [([], [j]) for j in (3, 4, 5)] == [b for b in result if not b[0]]
    assert [b for b in result if b[0]] == [([k], [k if k < 3 else k + 3]) for k in range(6)]


def test_selective_encoding_matches_encoding_every_window(encode):
    src = [DE[0], DE[1] + " " + DE[2], *DE[3:]]
    assert beads(src, FR, encode) == beads(src, FR, encode, windows="all")
    assert ([1], [1, 2]) in beads(src, FR, encode)
