"""Every output format on real content (the seed's tables): round trips, validity, atomicity."""

import pandas as pd
import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.errors import ExportError, UsageError
from aligner.export import (
    ExportFilter,
    ExportOptions,
    atomic_outputs,
    read_table,
    write_pairs,
    write_table,
)
from aligner.export.delimited import excel_safe
from aligner.export.filters import copy_key
from aligner.read import read_inputs
from aligner.signature import parse_signature
from aligner.table import corpus_tables
from tests.conftest import ROOT, SEED, SEED_EN, SEED_ES

DTD = ROOT / "tests" / "data" / "tmx14-level1.dtd"
TABLE_FORMATS = ["csv", "tsv", "jsonl", "parquet", "tmx"]


@pytest.fixture(scope="module")
def seed_tables(encoder, detector):
    """(pairs, unaligned, signature) of the seed article, plus two hard rows: markup
    characters, a control character, a line break and a tab, a formula-like cell."""
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=encoder, detector=detector)
    pairs, unaligned = corpus_tables(aligner.align(doc) for doc in read_inputs([str(SEED)]))
    hard = pairs.iloc[[0, 0]].assign(
        doc_id=["hard-1", "hard-2"],
        src_text=['Dijo "sí" <b>&amp; \x0bse fue', "=SUMA(A1:A2)\nsegunda línea"],
        tgt_text=["He said 'yes' & left", "-2 degrees\tat night"],
        score=[0.7, 0.8123],
    )
    return pd.concat([pairs, hard], ignore_index=True), unaligned, aligner.signature()


def test_the_seed_has_its_caption_pair(seed_tables):
    pairs, unaligned, _ = seed_tables
    assert pairs[["src_text", "tgt_text"]].iloc[0].tolist() == [SEED_ES, SEED_EN]
    assert len(unaligned) == 21


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_pair_table_round_trips(tmp_path, seed_tables, fmt):
    pairs, _, signature = seed_tables
    path = tmp_path / f"pairs.{fmt}"
    notices = write_table(pairs, path, signature)
    back, back_signature = read_table(path)
    assert back_signature == signature
    expected = pairs.copy()
    if fmt == "tsv":  # TSV cannot hold tabs or line breaks
        for column in ("src_text", "tgt_text"):
            expected[column] = expected[column].str.replace(r"[\t\n]", " ", regex=True)
        assert notices == ["2 TSV cells held tabs or line breaks; they became spaces"]
    if fmt == "tmx":  # XML cannot hold U+000B
        expected["src_text"] = expected["src_text"].str.replace("\x0b", "")
        assert notices == ["1 character that XML does not allow was removed from the TMX"]
    pd.testing.assert_frame_equal(
        back.astype(object), expected.astype(object), check_dtype=False, check_exact=True
    )
    assert back["score"].dtype == "float64" and back["src_start"].dtype == "int64"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_unaligned_table_round_trips(tmp_path, seed_tables, fmt):
    _, unaligned, signature = seed_tables
    write_table(unaligned, tmp_path / f"rest.{fmt}", signature)
    back, _ = read_table(tmp_path / f"rest.{fmt}")
    pd.testing.assert_frame_equal(back.astype(object), unaligned.astype(object))


@pytest.mark.parametrize("fmt", [*TABLE_FORMATS, "moses"])
def test_reruns_are_byte_identical(tmp_path, seed_tables, fmt):
    pairs, _, signature = seed_tables
    outputs = []
    for name in ("a", "b"):
        target = tmp_path / name / ("out.es" if fmt == "moses" else f"out.{fmt}")
        write_table(pairs, target, signature)
        outputs.append(sorted((p.name, p.read_bytes()) for p in target.parent.iterdir()))
    assert outputs[0] == outputs[1]


def test_tsv_has_bitextor_columns_first(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    write_table(pairs, tmp_path / "pairs.tsv", signature)
    header, first = (tmp_path / "pairs.tsv").read_text(encoding="utf-8").split("\n")[:2]
    assert header.split("\t")[:5] == ["src_doc", "tgt_doc", "src_text", "tgt_text", "score"]
    assert first.split("\t")[:5] == [
        "000_99d82873baad0043", "000_99d82873baad0043", SEED_ES, SEED_EN, str(pairs.score[0])
    ]  # fmt: skip


def test_parquet_keeps_types_and_puts_the_signature_in_the_schema(tmp_path, seed_tables):
    import pyarrow.parquet as pq

    pairs, _, signature = seed_tables
    write_table(pairs, tmp_path / "pairs.parquet", signature)
    schema = pq.read_schema(tmp_path / "pairs.parquet")
    assert schema.metadata[b"aligner.signature"].decode() == signature
    assert str(schema.field("score").type) == "double"
    assert str(schema.field("src_start").type) == "int64"
    assert "signature" not in schema.names
    with pytest.raises(UsageError, match="parquet cannot be written to stdout"):
        write_table(pairs, "-", signature, "parquet")


def test_tmx_is_valid_level_1_and_read_by_an_independent_reader(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    path = tmp_path / "pairs.tmx"
    write_table(pairs, path, signature)
    tree = etree.parse(str(path))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.find("header")
    assert header.get("srclang") == "es" and header.get("creationdate") is None
    assert {
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "datatype",
    } <= set(header.attrib)
    store = tmxfile.parsefile(str(path))  # translate-toolkit, GPL: a test-only oracle
    units = [(u.source, u.target) for u in store.units]
    assert units[0] == (SEED_ES, SEED_EN)
    assert units[1] == ('Dijo "sí" <b>&amp; se fue', "He said 'yes' & left")
    assert len(units) == len(pairs)


def test_the_dtd_rejects_an_incomplete_header():
    # OpusTools' header: no creationtool, creationtoolversion or o-tmf (ecosystem notes 2.1).
    opus = b'<tmx version="1.4"><header srclang="es" adminlang="en" segtype="sentence" datatype="plaintext"/><body/></tmx>'  # noqa: E501
    dtd = etree.DTD(str(DTD))
    assert not dtd.validate(etree.fromstring(opus))
    assert len(dtd.error_log.filter_from_errors()) == 3


def test_moses_writes_two_line_aligned_files(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    with_empty = pd.concat([pairs, pairs.iloc[[0]].assign(tgt_text="")], ignore_index=True)
    notices = write_table(with_empty, tmp_path / "corpus.es", signature)
    es = (tmp_path / "corpus.es").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(es) == len(en) == len(pairs)
    assert (es[0], en[0]) == (SEED_ES, SEED_EN)
    assert (es[2], en[2]) == ("=SUMA(A1:A2) segunda línea", "-2 degrees at night")
    assert notices[1:] == [
        "3 segments held line breaks or tabs; they became spaces",
        "1 pair with an empty side left out",
    ]
    write_table(pairs, tmp_path / "named", signature, "moses")
    assert (tmp_path / "named.es").read_bytes() == (tmp_path / "corpus.es").read_bytes()
    with pytest.raises(UsageError, match="names neither language"):
        write_table(pairs, tmp_path / "corpus.fr", signature)


def test_moses_sides_appear_together_or_not_at_all(tmp_path):
    sides = [tmp_path / "c.es", tmp_path / "c.en"]
    with pytest.raises(RuntimeError), atomic_outputs(sides) as streams:
        streams[0].write("written\n")
        raise RuntimeError("killed before the second side")
    assert list(tmp_path.iterdir()) == []


def test_tmx_and_moses_refuse_the_unaligned_table(tmp_path, seed_tables):
    _, unaligned, signature = seed_tables
    for name in ("rest.tmx", "rest.es"):
        with pytest.raises(UsageError, match="holds translation pairs"):
            write_table(unaligned, tmp_path / name, signature)
    assert list(tmp_path.iterdir()) == []


def test_excel_safe_is_off_by_default_and_neutralises_formulas_when_asked(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    write_table(pairs, tmp_path / "plain.csv", signature)
    write_table(pairs, tmp_path / "safe.csv", signature, options=ExportOptions(excel_safe=True))
    plain = pd.read_csv(tmp_path / "plain.csv", keep_default_na=False)
    safe = pd.read_csv(tmp_path / "safe.csv", keep_default_na=False, encoding="utf-8-sig")
    assert plain["src_text"].iloc[-1].startswith("=SUMA")
    assert safe["src_text"].iloc[-1].startswith("'=SUMA")
    assert safe["tgt_text"].iloc[-1] == "'-2 degrees\tat night"
    assert safe["score"].tolist() == plain["score"].tolist()  # numbers are not text cells
    assert (tmp_path / "safe.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.DataFrame({"text": ["@cmd", "+1", "ok", "a=b"]})
    assert excel_safe(frame)["text"].tolist() == ["'@cmd", "'+1", "ok", "a=b"]


def test_filters_count_what_they_remove_and_sign_the_output(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    doubled = pd.concat([pairs, pairs.iloc[[0]]], ignore_index=True)
    keep = ExportFilter(min_score=0.75, max_length_ratio=1.3, dedupe=True)
    notices, written = write_pairs(doubled, tmp_path / "kept.csv", signature, keep=keep)
    assert notices == [
        "1 pair left out (below the min score)",
        "1 pair left out (over the length ratio)",
        "1 pair left out (duplicated)",
    ]
    back, back_signature = read_table(tmp_path / "kept.csv")
    assert back["src_text"].tolist() == [SEED_ES] and written == 1
    assert parse_signature(back_signature)["export"] == "min=0.75,ratio=1.3,dedupe"
    assert back_signature.startswith(signature)


def test_a_copy_is_the_same_text_once_case_spaces_and_punctuation_are_set_aside():
    pairs = pd.DataFrame(
        {
            "src_text": ["Python 3.8", "npm install x", "Hola", "Ｒｉｃｈ"],
            "tgt_text": ["python 3.8!", "npm  install  x", "Hello", "Rich"],
            "score": [0.9, 0.9, 0.9, 0.9],
        }
    )
    kept, removed = ExportFilter(drop_copies=True).apply(pairs)
    assert kept["src_text"].tolist() == ["Hola"]
    assert removed == {"the same text on both sides": 3}
    assert copy_key("¿Qué?") == "qué"


def test_languages_are_needed_for_tmx_and_moses(tmp_path, seed_tables):
    pairs, _, _ = seed_tables
    with pytest.raises(ExportError, match="cannot tell the languages"):
        write_table(pairs.iloc[:0], tmp_path / "empty.tmx", "aligner:0.1.0")
    write_table(pairs.iloc[:1], tmp_path / "one.tmx", "aligner:0.1.0")  # from the rows
    assert 'srclang="es"' in (tmp_path / "one.tmx").read_text(encoding="utf-8")


def test_xml_that_is_not_tmx_is_refused(tmp_path):
    from aligner.errors import InputError

    path = tmp_path / "page.tmx"
    path.write_text("<html><body><tu/></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TMX document"):
        read_table(path)


def test_the_length_ratio_weighs_a_chinese_character_as_three_letters():
    from aligner.segment import translation_length

    assert translation_length("北京市政府周一宣布了新的交通管制措施。") == 19 * 3
    assert translation_length("Beijing, Monday") == 15
    pairs = pd.DataFrame(
        {
            "src_text": ["北京市政府周一宣布了新的交通管制措施。", "北京"],
            "tgt_text": [
                "Beijing's city government announced new traffic control measures on Monday.",
                "Beijing's city government announced new traffic control measures on Monday.",
            ],
            "score": [1.0, 1.0],
        }
    )
    kept, removed = ExportFilter(max_length_ratio=1.5).apply(pairs)
    assert kept["src_text"].tolist() == ["北京市政府周一宣布了新的交通管制措施。"]
    assert removed == {"over the length ratio": 1}


def _two_language_pairs(pairs):
    """The seed's caption pair plus the same row as a German/English pair."""
    german = pairs.iloc[[0]].assign(doc_id="de-doc", src_lang="de", src_text="Der Präsident.")
    return pd.concat([pairs.iloc[[0]], german], ignore_index=True)


def test_moses_refuses_a_table_of_several_language_pairs(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    with pytest.raises(ExportError, match=r"holds 2 language pairs \(es-en, de-en\)"):
        write_table(_two_language_pairs(pairs), tmp_path / "corpus.en", signature)
    assert list(tmp_path.iterdir()) == []


def test_tmx_names_each_units_source_language_when_they_differ(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    path = tmp_path / "mixed.tmx"
    write_table(_two_language_pairs(pairs), path, signature)
    tree = etree.parse(str(path))
    assert etree.DTD(str(DTD)).validate(tree)
    assert tree.find("header").get("srclang") == "*all*"
    assert [unit.get("srclang") for unit in tree.iter("tu")] == ["es", "de"]
    langs = [[v.get("{http://www.w3.org/XML/1998/namespace}lang") for v in unit.iter("tuv")]
             for unit in tree.iter("tu")]  # fmt: skip
    assert langs == [["es", "en"], ["de", "en"]]
    # one source language: the header names it and the units do not repeat it
    write_table(pairs, tmp_path / "one.tmx", signature)
    assert {unit.get("srclang") for unit in etree.parse(str(tmp_path / "one.tmx")).iter("tu")} == {
        None
    }


def test_tsv_target_document_of_a_document_pair_is_the_target_file(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    document_pair = pairs.iloc[[0]].assign(
        doc_id="a.en.txt", source="docs/a.en.txt | docs/a.es.txt"
    )
    write_table(document_pair, tmp_path / "pairs.tsv", signature)
    row = (tmp_path / "pairs.tsv").read_text(encoding="utf-8").split("\n")[1].split("\t")
    assert row[:2] == ["a.en.txt", "a.es.txt"]
    back, _ = read_table(tmp_path / "pairs.tsv")
    assert back["doc_id"].tolist() == ["a.en.txt"]


def test_an_excel_safe_table_reads_back_as_it_was_written(tmp_path, seed_tables):
    pairs, _, signature = seed_tables
    tricky = pairs.iloc[[0, 0]].assign(src_text=["=SUMA(A1)", "'=already quoted"])
    path = tmp_path / "safe.csv"
    write_table(tricky, path, signature, options=ExportOptions(excel_safe=True))
    cells = pd.read_csv(path, keep_default_na=False, encoding="utf-8-sig")["src_text"]
    assert cells.tolist() == ["'=SUMA(A1)", "''=already quoted"]
    back, back_signature = read_table(path)
    assert back["src_text"].tolist() == ["=SUMA(A1)", "'=already quoted"]
    assert back_signature == signature
    assert pd.read_csv(path, encoding="utf-8-sig")["signature"][0].endswith("|excel:safe")


def test_tmx_keeps_words_apart_where_it_removes_a_control_character(tmp_path, seed_tables):
    pairs = (
        seed_tables[0]
        .iloc[[0]]
        .assign(
            src_text="Página 3\x0cEl alcalde\x01\x02 inaugura\x0b",
            tgt_text="Page 3\x0c\x0cThe mayor",
        )
    )
    path = tmp_path / "pairs.tmx"
    notices = write_table(pairs, path, seed_tables[2])
    assert notices == ["6 characters that XML does not allow were removed from the TMX"]
    back, _ = read_table(path)
    assert back[["src_text", "tgt_text"]].iloc[0].tolist() == [
        "Página 3 El alcalde inaugura", "Page 3 The mayor"
    ]  # fmt: skip
