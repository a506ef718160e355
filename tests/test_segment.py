import itertools

from aligner.records import Document
from aligner.segment import (
    MAX_BLOCK_CHARS,
    blocks,
    joined,
    labelled_segments,
    lines,
    segment_text,
    sentences,
    wrap_width,
)
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


WRAPPED_ES = (
    "El Gobierno aprobó ayer la nueva ley de vivienda tras meses de\n"
    "negociaciones con los socios parlamentarios. La norma entrará en\n"
    "vigor en enero y afectará a millones de inquilinos.\n"
    "\n"
    "Vecinos protestan frente al ayuntamiento de Valencia durante la\n"
    "manifestación del sábado.\n"
    "Residents protest in front of Valencia city hall during Saturday's\n"
    "demonstration.\n"
)


def test_blocks_join_the_lines_of_a_sentence_that_runs_on_in_lower_case():
    assert [(n, WRAPPED_ES[s:e]) for n, s, e in blocks(WRAPPED_ES)] == [
        (0, WRAPPED_ES[: WRAPPED_ES.index("\n\n")]),
        (4, "Vecinos protestan frente al ayuntamiento de Valencia durante la\n"
            "manifestación del sábado."),
        (6, "Residents protest in front of Valencia city hall during Saturday's\n"
            "demonstration."),
    ]  # fmt: skip


def test_in_hard_wrapped_text_a_full_line_continues_even_before_a_capital():
    text = (
        "Der Bürgermeister besuchte am Montag den neuen Bahnhof in der\n"
        "Innenstadt, der nach vier Jahren Bauzeit endlich eröffnet wurde und\n"
        "Reisenden aus ganz Europa dient. Viele Anwohner kamen zur Feier und\n"
        "lobten die Architekten, die den alten Bau erhalten hatten, obwohl\n"
        "Kritiker die Kosten von mehr als zweihundert Millionen Euro als viel\n"
        "zu hoch bezeichneten.\n"
        "Die Stadt plant weitere Projekte.\n"
    )
    assert wrap_width(text, list(lines(text))) == (68, True, False)
    spans = list(blocks(text))
    assert [(n, text[s:e].count("\n")) for n, s, e in spans] == [(0, 5), (6, 0)]
    document = Document("de", text, "mem")
    split = labelled_segments(document, [(n, s, e, "de", 1.0) for n, s, e in spans])
    assert [s.text for s in split] == [
        "Der Bürgermeister besuchte am Montag den neuen Bahnhof in der Innenstadt, der nach vier "
        "Jahren Bauzeit endlich eröffnet wurde und Reisenden aus ganz Europa dient.",
        "Viele Anwohner kamen zur Feier und lobten die Architekten, die den alten Bau erhalten "
        "hatten, obwohl Kritiker die Kosten von mehr als zweihundert Millionen Euro als viel zu "
        "hoch bezeichneten.",
        "Die Stadt plant weitere Projekte.",
    ]
    # offsets still give the text back, line breaks read as spaces
    assert all(text[s.start : s.end].replace("\n", " ") == s.text for s in split)


def test_captions_on_their_own_lines_stay_apart():
    text = (
        "Vista de la ciudad desde el puerto al amanecer\n"
        "View of the city from the port at dawn\n"
        "El alcalde durante la rueda de prensa en el ayuntamiento\n"
        "The mayor during the press conference at city hall\n"
        "Una calle del centro histórico tras la lluvia\n"
        "A street in the old town after the rain\n"
    )
    assert not wrap_width(text, list(lines(text)))[1]
    assert list(blocks(text)) == list(lines(text))
    seed = SEED.read_text(encoding="utf-8")
    assert list(blocks(seed)) == list(lines(seed))


def test_a_list_item_starts_its_own_block_in_wrapped_text():
    text = (
        "Please bring the following items to the meeting on Monday morning at the\n"
        "- your laptop with the latest version of the quarterly report and the\n"
        "slides for the board\n"
        "- the printed handouts for everyone who registered for the session, and\n"
        "2. the signed contracts for the new office lease in the city centre and\n"
        "the keys\n"
    )
    assert [(n, text[s:e].count("\n")) for n, s, e in blocks(text)] == [
        (0, 0), (1, 1), (3, 0), (4, 1),
    ]  # fmt: skip


def fold_bytes(text: str, width: int) -> str:
    """``fold -s -w WIDTH``: break at the last space within WIDTH bytes, the space kept."""
    out, line = [], ""
    for word in text.split(" "):
        candidate = f"{line}{word} "
        if len(candidate.rstrip().encode("utf-8")) > width and line:
            out.append(line)
            line = f"{word} "
        else:
            line = candidate
    return "\n".join([*out, line.rstrip()]) + "\n"


def test_text_folded_by_bytes_is_unwrapped_like_text_wrapped_by_characters():
    paragraph = (
        "El proyecto está financiado por una fundación privada y cuenta con la colaboración "
        "de tres universidades españolas. Los investigadores publicarán sus resultados en "
        "una revista científica el próximo año, según informó la institución en un comunicado."
    )
    text = fold_bytes(paragraph, 45)
    # a line of accents holds fewer than 45 characters: counted in characters, it had room
    assert "españolas." in text and "científica el \npróximo" in text
    [(_, start, end)] = blocks(text)
    assert (start, end) == (0, len(text) - 1)
    assert wrap_width(text, list(lines(text))).in_bytes


# Debian Administrator's Handbook, zh-CN translation (advanced-administration; GPL-2+ or
# CC BY-SA 3.0, https://debian-handbook.info)
HANDBOOK_ZH = (
    "它值得一提的特性之一是它可以在任意时间点创建文件系统树的快照。该快照一开始不会占用任何磁盘空间，"
    "而它会在副本发生更改时复制数据。该文件系统还会处理文件的透明压缩，以及保证存储数据完整性的校验和。"
)


def test_chinese_text_reads_its_slice_without_spaces_where_lines_or_sentences_touch():
    # wrapped every 20 characters, as Chinese is wrapped: between any two characters
    text = "\n".join(HANDBOOK_ZH[i : i + 20] for i in range(0, len(HANDBOOK_ZH), 20)) + "\n"
    spans = list(blocks(text))
    assert len(spans) == 1
    split = labelled_segments(
        Document("zh", text, "mem"), [(n, s, e, "zh", 1.0) for n, s, e in spans]
    )
    assert [s.text for s in split] == [sentence + "。" for sentence in HANDBOOK_ZH.split("。")[:-1]]
    # a bead of the three sentences reads the slice its offsets span, line breaks left out
    assert joined(split) == HANDBOOK_ZH
    assert segment_text(text, split[0].start, split[-1].end) == HANDBOOK_ZH
    # between Latin words a line break is a space, and so is the gap between two sentences
    latin = "The filesystem also\nhandles compression. Checksums ensure integrity."
    english = labelled_segments(Document("en", latin, "mem"), [(0, 0, len(latin), "en", 1.0)])
    assert [s.text for s in english] == [
        "The filesystem also handles compression.", "Checksums ensure integrity."
    ]  # fmt: skip
    assert joined(english) == segment_text(latin, 0, len(latin))


# Debian Reference (debian-reference, GPL-2+), one paragraph; its quotes do not close on one
# sentence, so the sentence splitter reads on to the end of whatever block it is given
REFERENCE_EN = (
    '(g) All other users (o) also referred to as "world" and "everyone" For the file, each '
    "corresponding permission allows following actions. The read (r) permission allows owner to "
    "examine contents of the file. The write (w) permission allows owner to modify the file. "
)


def test_a_single_line_of_megabytes_is_cut_into_bounded_blocks_at_sentence_ends():
    text = REFERENCE_EN * 1_000  # 250 kB on one line
    spans = list(blocks(text))
    assert len(spans) > len(text) // MAX_BLOCK_CHARS
    assert all(end - start <= MAX_BLOCK_CHARS and text[end - 1] == "." for _, start, end in spans)
    assert {number for number, _, _ in spans} == {0}  # all of line 0
    # nothing but the spaces between blocks is left out
    assert "".join(text[start:end] + " " for _, start, end in spans) == text
    # so the sentences of each block are bounded too
    document = Document("one-line", text, "mem")
    split = labelled_segments(document, [(n, s, e, "en", 1.0) for n, s, e in spans])
    assert max(s.end - s.start for s in split) < MAX_BLOCK_CHARS


def test_table_rows_are_lines_of_their_own():
    # a bilingual README's table as the Markdown reader writes it (cells joined by " | "): the
    # rows hold no sentence end, yet none continues another (they were read as one sentence)
    text = (
        "快速开始 / Quick Start\n\n安装 / Installation\n\n使用 pip 安装最新版本。\n"
        "Install the latest version with pip.\n\npip install mytool\n\n配置 / Configuration\n\n"
        "参数 / Option | 说明 / Description\n"
        "--verbose | 输出详细日志 / Print detailed logs\n"
        "--output | 输出文件路径 / Path of the output file\n\n"
        "注意：本项目仍在开发中。\nNote: this project is still under development."
    )
    assert [text[start:end] for _, start, end in blocks(text)] == [
        line for line in text.split("\n") if line
    ]
