"""Markdown is read as the text its rendered page shows, in the source's lines."""

from aligner.read import read_inputs
from aligner.read.markdown import markdown_text
from tests.conftest import ROOT

README = ROOT / "tests" / "data" / "readme"


def test_markup_becomes_the_text_a_reader_sees():
    source = (
        "---\n"
        "title: C&oacute;mo contribuir\n"
        'description: "Una gu&iacute;a"\n'
        "---\n"
        "\n"
        "# Gu&iacute;a\n"
        "\n"
        "Lee la [gu&iacute;a](https://example.org/guia) y **ejecuta** `make test`<br>ahora.\n"
        "\n"
        "![Foto: el puerto al amanecer](puerto.jpg)\n"
        "*Photo: the harbour at dawn*\n"
        "\n"
        "- [x] Hecho\n"
        "\n"
        "| es | en |\n"
        "|----|----|\n"
        "| Hola | Hello |\n"
        "\n"
        '<p align="center"><img alt="Logo del proyecto" src="logo.png"></p>\n'
        "\n"
        "```sh\n"
        "npm install x\n"
        "```\n"
    )
    assert markdown_text(source) == (
        "Cómo contribuir\n"
        "\n"
        "Una guía\n"
        "\n"
        "Guía\n"
        "\n"
        "Lee la guía y ejecuta make test\n"
        "ahora.\n"
        "\n"
        "Foto: el puerto al amanecer\n"
        "Photo: the harbour at dawn\n"
        "\n"
        "Hecho\n"
        "\n"
        "es | en\n"
        "Hola | Hello\n"
        "\n"
        "Logo del proyecto\n"
        "\n"
        "npm install x"
    )


def test_a_translated_readme_reads_without_links_or_checkbox_markup():
    # shieldfy/API-Security-Checklist (MIT), tests/data/readme/NOTICE.md
    [document] = read_inputs([README / "README.es.md"])
    lines = document.text.split("\n")
    assert lines[0].startswith("English | 繁中版 | 简中版 | العربية | Azərbaycan")
    assert lines[2:5] == [
        "Lista de seguridad en APIs",
        "",
        "Lista de las contramedidas de seguridad más importantes en cuanto al diseño, testing y "
        "publicación de tu API.",
    ]
    assert "No usa Basic Auth. Usa la autenticación estándar en su lugar." in lines
    assert "](" not in document.text and "`" not in document.text
