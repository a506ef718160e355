"""A document's language from its prose, and language codes as people write them."""

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import aligner
from aligner.cli import app
from aligner.documents.inputs import resolve_langs
from aligner.errors import UsageError
from aligner.langid.codes import lang_pair, normalise_lang, parse_langs
from aligner.langid.document import document_language, pair_notice, prose_lines
from aligner.langid.inference import infer_langs
from aligner.read import read_inputs
from aligner.records import Document
from tests.conftest import SEED

README = Path(__file__).parent / "data" / "readme"  # real excerpts, see NOTICE.md there
runner = CliRunner()


def test_a_readme_and_its_translation_are_in_their_prose_languages(detector):
    # Both open with a line of 30 language links; the checklist items hold code spans.
    english = document_language((README / "README.md").read_text(), detector)
    spanish = document_language((README / "README.es.md").read_text(), detector)
    assert (english.lang, spanish.lang) == ("en", "es")
    assert english.sure and spanish.sure
    assert spanish.share > 0.95 and spanish.margin > 0.9
    assert spanish.describe().startswith("es 99%, en 1% of ")


def test_a_translation_left_partly_in_english_is_paired_with_the_english_as_its_runner_up(
    detector,
):
    # the traditional Chinese checklist kept its newer sections in English
    partial = Document("tw", (README / "README.zh-tw.md").read_text(), "README-tw.md")
    english = Document("en", (README / "README.md").read_text(), "README.md")
    found = document_language(partial.text, detector)
    assert [lang for lang, _ in found.candidates[:2]] == ["en", "zh"]
    assert resolve_langs(partial, english, None, None, detector) == ("zh", "en")
    assert resolve_langs(partial, english, None, "en", detector) == ("zh", "en")
    # two English documents: no runner-up holds enough to be taken instead
    assert resolve_langs(english, english, None, None, detector) == ("en", "en")


def test_prose_leaves_out_code_links_urls_and_markup():
    lines = list(prose_lines((README / "rich.es.md").read_text()))
    assert lines == [
        "Rich es un paquete de Python para texto enriquecido y un hermoso formato en la terminal.",
        "La API Rich facilita la adición de color y estilo a la salida del terminal. Rich también "
        "puede representar tablas bonitas, barras de progreso, markdown, código fuente resaltado "
        "por sintaxis, trazas y más — listo para usar.",
        "Para ver un vídeo de introducción a Rich, consulte de @fishnets88.",
        "Vea lo que la gente dice sobre Rich.",
        "Compatibilidad",
        "Rich funciona con Linux, macOS y Windows. True color / emoji funciona con la nueva "
        "Terminal de Windows; la terminal clásica está limitada a 16 colores. Rich requiere "
        "Python o posterior.",
        "Rich funciona con Jupyter notebooks sin necesidad de configuración adicional.",
        "Instalación",
        "Instale con o su administrador de paquetes PyPI favorito.",
        "Ejecute lo siguiente para probar la salida de Rich sobre su terminal:",
    ]


def test_lists_of_names_indented_code_html_and_paths_are_no_prose():
    text = (
        "English | Español | Français\n"
        "[Deutsch](README.de.md) · [日本語](README.ja.md)\n\n"
        "    pip install rich\n\n"
        "See <b>the</b> docs at https://x.org or mail a@b.org, C&oacute;digo ~/.bashrc\n"
        "<!-- a comment -->\n"
        "- [x] Use `Max Retry` in rich.print and max_align.\n"
    )
    assert list(prose_lines(text)) == [
        "See the docs at or mail , Código",
        "Use in and .",
    ]


def test_a_text_indented_throughout_is_prose_not_code():
    text = "    Vista aérea de la playa.\n\n    Aerial view of the beach.\n\n    pip install rich\n"
    assert len(list(prose_lines(text))) == 3
    assert list(prose_lines("Install it:\n\n    pip install rich\n\nThen run it.\n")) == [
        "Install it:",
        "Then run it.",
    ]


def test_too_little_prose_or_a_close_call_is_unsure(detector):
    short = document_language("Hello.", detector)
    assert not short.sure and short.letters == 5
    assert document_language("```\nprint('hola')\n```\n", detector).describe() == (
        "no prose (0 letters)"
    )
    close = document_language(
        "El museo abre un ala nueva la próxima primavera con obras del siglo pasado.\n"
        "Il museo apre una nuova ala la prossima primavera con opere del secolo scorso.\n",
        detector,
    )
    assert {lang for lang, _ in close.candidates[:2]} == {"es", "it"} and not close.sure


def test_align_says_which_document_is_unsure_and_how_to_set_it(tmp_path):
    src, tgt = tmp_path / "a.es.txt", tmp_path / "a.en.txt"
    src.write_text("Hola.\n", encoding="utf-8")
    tgt.write_text((README / "README.md").read_text(), encoding="utf-8")
    result = runner.invoke(
        app, ["align", str(src), str(tgt), "-o", str(tmp_path / "p.csv"), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert notes[0].startswith(f"note: {src}: language unsure (")
    assert notes[0].endswith("set it with --src-lang CODE")
    assert pd.read_csv(tmp_path / "p.csv")["tgt_lang"].unique().tolist() == ["en"]


def test_the_api_warns_about_a_document_whose_language_is_unsure(tmp_path):
    src = tmp_path / "a.es.txt"
    src.write_text("Hola.\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"a\.es\.txt: language unsure \(.*--src-lang CODE$"):
        corpus = aligner.align_documents(src, README / "README.md")
    assert corpus.pairs["tgt_lang"].unique().tolist() == ["en"]


def test_run_says_when_the_two_languages_it_inferred_are_unsure(detector):
    # an English article whose only other text is one short Spanish caption
    text = (
        "The city council approved the new budget on Tuesday after a long debate.\n"
        "Most of the money goes to schools, parks and the repair of old bridges.\n"
        "Vista aérea de la playa de la Malvarrosa en verano.\n"
    )
    langs, found = infer_langs([Document("d", text, "news.txt")], detector)
    assert langs[1] == "en"
    notice = pair_notice(found, "news.txt")
    assert notice is not None and notice.startswith("news.txt: languages unsure (en ")
    assert notice.endswith("set them with --langs SRC,TGT")
    _, sure = infer_langs(read_inputs([str(SEED)]), detector)
    assert pair_notice(sure, str(SEED)) is None


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("es", "es"), (" ES ", "es"), ("zh-CN", "zh"), ("zh_TW", "zh"), ("zh-Hans", "zh"),
        ("pt-BR", "pt"), ("en-US", "en"), ("spa", "es"), ("deu", "de"), ("ger", "de"),
    ],
)  # fmt: skip
def test_codes_are_read_as_their_base_language(written, code):
    assert normalise_lang(written) == code


def test_codes_that_name_no_language_or_one_twice_are_usage_errors():
    for bad in ("xx", "english", "", "e5"):
        with pytest.raises(UsageError, match="aligner detect --list-langs"):
            normalise_lang(bad)
    assert lang_pair("es,en") == lang_pair(["ES", "en-GB"]) == lang_pair(("spa", "eng"))
    assert parse_langs(None) == () and lang_pair(None) is None
    with pytest.raises(UsageError, match="names one language twice"):
        lang_pair("pt,pt-BR")
    with pytest.raises(UsageError, match="takes two language codes"):
        lang_pair(["es"])


def test_cli_options_read_codes_alike():
    same = runner.invoke(
        app, ["align", str(SEED), str(SEED), "--src-lang", "de", "--tgt-lang", "DE"]
    )
    assert same.exit_code == 2
    assert same.stderr.strip().splitlines() == [
        "error: --src-lang/--tgt-lang names one language twice (de); give two different ones"
    ]
    unknown = runner.invoke(app, ["run", str(SEED), "--langs", "zz,en"])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == (
        "error: unknown language code 'zz'; see the known codes with: aligner detect --list-langs"
    )
    listed = runner.invoke(app, ["detect", "--list-langs"]).stdout.split()
    assert {"es", "zh", "pt", "kn"} <= set(listed) and "zh-cn" not in listed
    rows = runner.invoke(app, ["detect", "-", "--langs", "ES,en-GB"], input="¿Puedo ir?\n")
    assert rows.stdout.split("\t")[3] == "es"


def test_detect_prints_each_documents_language(tmp_path):
    result = runner.invoke(app, ["detect", str(README / "README.es.md"), "--document"])
    source, lang, share, _, sure, described = result.stdout.rstrip("\n").split("\t")
    assert (source, lang, sure) == (str(README / "README.es.md"), "es", "sure")
    assert float(share) > 0.95 and described.startswith("es 99%")


def test_api_takes_codes_as_a_string_a_list_or_a_tuple():
    from_list = aligner.align_dump([SEED], langs=["ES", "en-US"])
    assert from_list.pairs[["src_lang", "tgt_lang"]].values.tolist() == [["es", "en"]]
    corpus = aligner.align_texts(["Hola."], ["Hello."], "spa", "en-GB")
    assert corpus.pairs[["src_lang", "tgt_lang"]].values.tolist() == [["es", "en"]]
    with pytest.raises(UsageError, match="names one language twice"):
        aligner.align_texts(["Hola."], ["Hello."], "de", "DE")
    with pytest.raises(UsageError, match="language codes are strings"):
        aligner.align_dump([SEED], langs=("es", 1))
