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
