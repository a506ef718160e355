"""A document that holds a whole article in each language: finding its two halves."""

from aligner.captions.halves import article_halves
from aligner.records import Segment

LANGS = ("es", "en")


def document(*langs_and_sizes):
    """Segments in order, each ``(lang, characters)``."""
    segments, start = [], 0
    for index, (lang, size) in enumerate(langs_and_sizes):
        segments.append(Segment("d", index, start, start + size, "x" * size, index, lang, 1.0))
        start += size + 1
    return segments


def test_an_article_then_its_translation_gives_two_halves_in_the_languages_order():
    segments = document(("en", 40), ("en", 50), ("en", 30), ("es", 45), ("es", 55), ("es", 35))
    halves = article_halves(segments, LANGS)
    assert halves is not None
    assert [s.index for s in halves.src] == [3, 4, 5]  # Spanish is the source of es,en
    assert [s.index for s in halves.tgt] == [0, 1, 2]


def test_a_misread_or_quoted_sentence_stays_in_its_half_and_takes_its_language():
    segments = document(
        ("es", 60), ("en", 12), ("es", 50), ("und", 8), ("es", 40),
        ("en", 55), ("en", 45), ("es", 10), ("en", 40),
    )  # fmt: skip
    halves = article_halves(segments, LANGS)
    assert halves is not None
    assert [(s.index, s.lang) for s in halves.src] == [(0, "es"), (1, "es"), (2, "es"),
                                                        (3, "es"), (4, "es")]  # fmt: skip
    assert [(s.index, s.lang) for s in halves.tgt] == [(5, "en"), (6, "en"), (7, "en"),
                                                        (8, "en")]  # fmt: skip


def test_captions_inside_an_article_are_not_halves():
    segments = document(
        ("en", 80), ("en", 90), ("es", 40), ("en", 38), ("en", 85), ("en", 70), ("es", 42),
        ("en", 41), ("en", 60),
    )  # fmt: skip
    assert article_halves(segments, LANGS) is None


def test_halves_need_three_sentences_each_and_sizes_a_translation_could_have():
    assert article_halves(document(("es", 40), ("es", 40), ("en", 40), ("en", 40)), LANGS) is None
    uneven = document(("es", 40), ("es", 40), ("es", 40), *[("en", 40)] * 7)
    assert article_halves(uneven, LANGS) is None
    even = document(("es", 40), ("es", 40), ("es", 40), *[("en", 40)] * 6)
    assert article_halves(even, LANGS) is not None


def test_a_half_in_a_third_language_is_not_a_half():
    # a French caption, four French lines, then an edition's passage left in English with one
    # German line: the English is read as English, so the German "half" is impure
    segments = document(
        ("de", 60), ("fr", 60), ("fr", 50), ("fr", 70), ("fr", 40),
        ("en", 55), ("en", 45), ("en", 50), ("en", 40), ("de", 50),
    )  # fmt: skip
    assert article_halves(segments, ("de", "fr")) is None
    # the same passage read as German (before third languages were told apart) made halves
    read_as_german = [
        Segment(
            s.doc_id,
            s.index,
            s.start,
            s.end,
            s.text,
            s.line,
            "de" if s.lang == "en" else s.lang,
            1.0,
        )
        for s in segments
    ]
    assert article_halves(read_as_german, ("de", "fr")) is not None


def test_tags_credits_and_names_are_no_sentences_of_a_half():
    # two Spanish captions with their tags, then three English lines: not two editions
    segments = document(
        ("und", 3), ("es", 40), ("und", 4), ("es", 45), ("und", 3), ("en", 40), ("en", 50),
        ("en", 45),
    )  # fmt: skip
    assert article_halves(segments, LANGS) is None
    with_third = document(
        ("und", 3), ("es", 40), ("und", 4), ("es", 45), ("es", 30), ("und", 3), ("en", 40),
        ("en", 50), ("en", 45),
    )  # fmt: skip
    halves = article_halves(with_third, LANGS)
    assert halves is not None
    assert [s.index for s in halves.src] == [0, 1, 2, 3, 4]
    assert [s.index for s in halves.tgt] == [5, 6, 7, 8]
