from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.langid import load_detector
from aligner.langid.lines import line_pieces
from aligner.langid.outsiders import OutsiderCheck, evidence_words
from aligner.records import Document

FRENCH = "Le Conseil fédéral présente son plan d'économies d'énergie à Berne."
SPANISH = "El Consejo Federal presenta su plan de ahorro energético en Berna."
ENGLISH = "The Federal Council presents its energy-saving plan in Bern."


def test_a_french_sentence_in_a_spanish_english_dump_is_french(detector):
    check = OutsiderCheck(detector, ("es", "en"))
    lang, probability = check.label(FRENCH, "es", 1.0)
    assert lang == "fr" and probability >= 0.99


def test_sentences_in_the_languages_in_play_keep_their_label(detector):
    check = OutsiderCheck(detector, ("es", "en"))
    assert check.label(SPANISH, "es", 0.97) == ("es", 0.97)
    assert check.label(ENGLISH, "en", 0.98) == ("en", 0.98)
    assert check.label("Kori Schulman, EFE", "und", 0.0) == ("und", 0.0)


def test_too_few_words_or_a_close_relative_need_more_evidence(detector):
    # "Bonjour" alone: one word is not enough to leave the two languages
    assert OutsiderCheck(detector, ("es", "en")).label("Bonjour", "es", 0.9) == ("es", 0.9)
    # a six-word Czech sentence reads as Slovak to both detectors; Slovak is a close relative
    czech = "Spusťte počítač bez zasunutého bezdrátového adaptéru."
    assert OutsiderCheck(detector, ("cs", "en")).label(czech, "cs", 1.0) == ("cs", 1.0)


def test_no_check_when_a_language_in_play_has_no_open_set_model(detector):
    # Galician is in neither open set: its text would be read as Portuguese or Spanish
    check = OutsiderCheck(detector, ("gl", "en"))
    assert not check.active and check.name == "no"
    assert check.label(FRENCH, "gl", 1.0) == ("gl", 1.0)


def test_evidence_words_count_chinese_characters_in_pairs():
    # names (Consejo Federal) are no evidence
    assert evidence_words("El Consejo Federal presenta su plan") == 4
    assert evidence_words("联邦委员会在伯尔尼提出节能计划") == 7.5


def test_third_language_caption_is_not_paired_as_one_of_the_two(encoder, detector):
    text = "\n".join(
        [
            "Le Conseil fédéral a présenté mercredi à Berne son plan pour réduire la "
            "consommation d'électricité cet hiver.",
            SPANISH,
            ENGLISH,
            FRENCH,
        ]
    )
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=encoder, detector=detector)
    result = aligner.align(Document("swiss", text, "test"))
    [pair] = result.pairs
    assert (pair.src[0].text, pair.tgt[0].text) == (SPANISH, ENGLISH)
    assert [(s.lang, s.text) for s in result.unaligned][1] == ("fr", FRENCH)
    assert {s.lang for s in result.unaligned} == {"fr"}
    assert "outsiders:py3langid" in aligner.signature()


def test_detect_command_pieces_name_the_third_language():
    detector = load_detector()
    text = f"{SPANISH} / {ENGLISH}\n{FRENCH}"
    labels = [piece.lang for _, _, piece in line_pieces(text, ["es", "en"], detector, True)]
    assert labels == ["es", "en", "fr"]
