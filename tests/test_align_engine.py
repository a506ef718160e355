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


LIBRARY_DE = [
    "Die Gemeinde hat im Frühjahr eine neue Bibliothek eröffnet.",
    "Sie liegt direkt neben dem Bahnhof und ist sechs Tage in der Woche geöffnet.",
    "Der Bau hat fast drei Jahre gedauert.",
    "Viele Eltern bringen ihre Kinder am Samstag zur Lesestunde.",
    "Die Stadt plant außerdem einen kleinen Park hinter dem Gebäude.",
    "Im Sommer sollen dort Konzerte unter freiem Himmel stattfinden.",
    "Der Bürgermeister sprach von einem großen Erfolg für die Region.",
    "Kritiker bemängeln jedoch die hohen Kosten des Projekts.",
    "Die Heizung des alten Rathauses muss ebenfalls erneuert werden.",
    "Darüber wird der Gemeinderat im Herbst entscheiden.",
]
HARVEST_DE = [
    "Am Montag begann die Ernte in den Weinbergen am Fluss.",
    "Die Winzer rechnen mit einem guten Jahrgang.",
    "Der warme September hat den Trauben viel Zucker gegeben.",
    "Trotzdem fehlen in vielen Betrieben Erntehelfer.",
    "Einige Familien arbeiten deshalb bis spät in die Nacht.",
    "Die ersten Weine werden im Frühling verkauft.",
    "Touristen können die Keller am Wochenende besichtigen.",
    "Eine Führung dauert ungefähr eine Stunde.",
    "Danach gibt es eine kleine Weinprobe mit Brot und Käse.",
    "Die Nachfrage ist in diesem Jahr besonders groß.",
]
HARVEST_EN = [
    "On Monday the harvest began in the vineyards by the river.",
    "The winegrowers expect a good vintage.",
    "The warm September gave the grapes a lot of sugar.",
    "Nevertheless, many estates are short of harvest workers.",
    "Some families therefore work late into the night.",
    "The first wines will be sold in the spring.",
    "Tourists can visit the cellars at the weekend.",
    "A guided tour takes about an hour.",
    "Afterwards there is a small tasting with bread and cheese.",
    "Demand is particularly high this year.",
]


@pytest.mark.parametrize("untranslated_first", [True, False])
def test_the_untranslated_half_of_a_partial_translation_is_left_unaligned(
    encode, untranslated_first
):
    # the English side translates only the harvest story; the library story has no counterpart
    # and, read sentence by sentence, pairs by chance about as well as a weak translation
    if untranslated_first:
        src = LIBRARY_DE + HARVEST_DE
        expected = [([k], []) for k in range(10)] + [([10 + k], [k]) for k in range(10)]
    else:
        src = HARVEST_DE + LIBRARY_DE
        expected = [([k], [k]) for k in range(10)] + [([10 + k], []) for k in range(10)]
    assert beads(src, HARVEST_EN, encode) == expected
