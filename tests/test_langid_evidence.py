"""What a caption pair needs besides a cosine (``langid.evidence``): exact answers on real
strings that were paired although they translate nothing."""

import pytest

from aligner.langid import load_detector
from aligner.langid.evidence import MIN_MARGIN, TranslationEvidence, language_margin


@pytest.fixture(scope="module")
def detector():
    return load_detector()


@pytest.mark.parametrize(
    ("text", "lang", "other"),
    [
        ("twitter.com/zK8QMCzPDf", "es", "en"),
        ("Delacorte, 240 pp., $20.99", "es", "en"),
        ("Notable Changes", "es", "en"),  # react.dev blog heading (CC-BY-4.0)
        ("Suivant", "en", "es"),  # Debian Administrator's Handbook, fr-FR footer
        ("cn=admin,dc=falcot,dc=com", "en", "pt"),  # the same handbook, pt-BR
    ],
)
def test_names_urls_prices_headings_and_code_say_no_language(detector, text, lang, other):
    assert language_margin(text, lang, other, detector) < MIN_MARGIN


def test_a_short_caption_says_its_language(detector):
    # debian-reference en and fr (GPL-2+): a true pair of short titles
    assert language_margin("Back Up Your Existing Data!", "en", "fr", detector) >= MIN_MARGIN
    assert language_margin("Sauvegardez vos données !", "fr", "en", detector) >= MIN_MARGIN


def test_two_strings_of_one_language_are_no_translation(detector):
    evidence = TranslationEvidence(detector, ("es", "en"))
    assert not evidence.two_languages("Précédent", "es", "Suivant", "en")
    assert evidence.two_languages(
        "La policía detuvo ayer a tres personas.", "es", "Police arrested three people.", "en"
    )
    # the Debian handbook, pt-BR, with --langs fr,en: two Portuguese figure captions
    evidence = TranslationEvidence(detector, ("fr", "en"))
    assert not evidence.two_languages(
        "Figura 13.8. O programa de e-mail Evolution",
        "fr",
        "Figura 13.10. O software de email Thunderbird",
        "en",
    )


@pytest.mark.parametrize(
    "text",
    [
        # react.dev fr blog (CC-BY-4.0): English talk titles joined by French words, and a
        # French heading labelled English by a restricted detector
        "Extending React Native beyond Mobile and Desktop Apps par Chris Traganos et Anisha "
        "Malde Spatial computing with React par Michał Pierzchała",
        "Demystifying accessibility in React apps par Kateryna Porshnieva Pigment CSS, CSS in the "
        "server component age par Olivier Tassinari Real-time React Server Components par Sunil "
        "Pai Let's break React Rules par Charlotte Isambert Solve 100% of your errors par Ryan "
        "Albrecht",
        "React 19 RC : guide de migration",
    ],
)
def test_a_side_holding_function_words_of_the_other_language_is_mixed(detector, text):
    assert language_margin(text, "en", "fr", detector) == 0.0


def test_links_inside_names_are_no_function_words_of_the_other_language(detector):
    text = "The president at the Palacio de la Moncloa, no comment."
    assert language_margin(text, "en", "es", detector) >= MIN_MARGIN
    text = "Biden and his son Hunter visit the Hôtel de Ville in Paris."
    assert language_margin(text, "en", "fr", detector) >= MIN_MARGIN


@pytest.mark.parametrize(
    "text",
    [
        # figure captions of the Debian Administrator's Handbook, de-DE (GPL-2+ / CC-BY-SA-3.0):
        # German capitalises its nouns, which are no names
        "Datenbanksicherungen",
        "Wahlmöglichkeiten",
        "Das aptitude Paketverwaltungsprogramm",
        "Geführtes Partitionieren",
    ],
)
def test_german_nouns_are_evidence_of_german(detector, text):
    assert language_margin(text, "de", "en", detector) >= MIN_MARGIN


def test_names_in_german_count_nothing_against_it(detector):
    with_names = language_margin("Treffen mit Joe Biden in Washington", "de", "en", detector)
    assert with_names >= language_margin("Treffen mit in", "de", "en", detector)
    assert language_margin("Delacorte, 240 pp., $20.99", "de", "en", detector) < MIN_MARGIN


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Debian documentation (debdocs, GPL-2+): command names joined by a hyphen hold English
        # words ("get"), and a Chinese sentence keeps an English name as it is
        (
            "apt-get und apt-cache können über /etc/apt/preferences mehrere Versionen des "
            "gleichen Pakets verwalten, aber dies ist ziemlich mühselig.",
            "de",
        ),
        (
            "[62] 为了连接至信任网络，本 GPG 密钥必须被一名 Debian 开发者签署， 而且必须注册到 "
            "the Debian keyring （Debian密钥环）中。",
            "zh",
        ),
    ],
)
def test_joined_tokens_and_words_of_another_script_are_not_mixed(detector, text, lang):
    assert language_margin(text, lang, "en", detector) >= MIN_MARGIN


def test_one_command_name_that_is_an_english_word_does_not_make_french_mixed(detector):
    # debian-reference fr (GPL-2+)
    text = "Liste des variables automatiques de make"
    assert language_margin(text, "fr", "en", detector) >= MIN_MARGIN


def test_a_long_text_quoting_a_foreign_title_once_is_not_mixed(detector):
    text = (
        "The band played a long set of their old songs and then closed the night with a cover "
        "of a French song, la vie en rose, to loud cheers from the crowd."
    )
    assert language_margin(text, "en", "fr", detector) >= MIN_MARGIN
