import itertools

from aligner.records import Document
from aligner.segment import labelled_segments, lines, sentences
from tests.conftest import SEED


def test_lines_skip_blank_lines_and_trim_whitespace():
    text = "  Title  \n\n\tSecond line.\n   \nLast"
    assert [(n, text[s:e]) for n, s, e in lines(text)] == [
        (0, "Title"),
        (2, "Second line."),
        (4, "Last"),
    ]


def test_sentences_keep_offsets_into_the_document():
    text = 'Intro\nHe paid $2.53 billion. Then U.S. officials left. "We need it," he said.'
    [_, (_number, start, end)] = list(lines(text))
    spans = sentences(text, start, end, "en")
    assert [text[s:e] for s, e in spans] == [
        "He paid $2.53 billion.",
        "Then U.S. officials left.",
        '"We need it," he said.',
    ]


def test_spanish_abbreviations_do_not_end_a_sentence():
    caption = "El presidente, Volodymyr Zelensky (dcha.), y Jens Stoltenberg (izda.)"
    assert sentences(caption, 0, len(caption), "es") == [(0, len(caption))]


def test_every_seed_span_reproduces_its_text():
    text = SEED.read_text(encoding="utf-8")
    spans = [span for _, start, end in lines(text) for span in sentences(text, start, end, "en")]
    assert len(spans) == 23
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_labelled_segments_number_sentences_across_pieces_and_keep_labels():
    document = Document("d1", "Hola. Adiós.\nHello there. Bye.", "mem")
    pieces = [(0, 0, 12, "es", 0.9), (1, 13, 30, "en", 0.8)]
    split = labelled_segments(document, pieces)
    assert [(s.index, s.text, s.line, s.lang, s.lang_score) for s in split] == [
        (0, "Hola.", 0, "es", 0.9),
        (1, "Adiós.", 0, "es", 0.9),
        (2, "Hello there.", 1, "en", 0.8),
        (3, "Bye.", 1, "en", 0.8),
    ]
    assert all(document.text[s.start : s.end] == s.text for s in split)
    whole = labelled_segments(document, pieces, split=False)
    assert [s.text for s in whole] == ["Hola. Adiós.", "Hello there. Bye."]
