"""``aligner detect``: the language of every line of a file, optionally split where it changes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from aligner.cli.base import app, user_errors
from aligner.errors import UsageError
from aligner.langid import DEFAULT_DETECTOR

if TYPE_CHECKING:
    from aligner.langid import LanguageDetector
    from aligner.records import Document


class Format(StrEnum):
    tsv = "tsv"
    json = "json"


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner detect captions.txt --langs es,en --split\n\n"
        "  echo '¿Puedo ir? / May I go?' | aligner detect - --langs es,en --split --format json"
    )
)
@user_errors
def detect(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A text file (one segment per line) or - for stdin.", show_default=False
        ),
    ] = None,
    langs: Annotated[
        str | None,
        typer.Option(
            help="Candidate languages (ISO 639-1), e.g. es,en. Default: the 40 languages the "
            "built-in model knows best.",
        ),
    ] = None,
    split: Annotated[
        bool,
        typer.Option(
            "--split",
            help="Give a line that holds two languages one row per language (needs --langs).",
        ),
    ] = False,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            help="tsv: line, start, end, lang, score; json: one object per row, with the text.",
        ),
    ] = Format.tsv,
    detector: Annotated[str, typer.Option(help="Language detector.")] = DEFAULT_DETECTOR,
    document: Annotated[
        bool,
        typer.Option(
            "--document",
            help="Print each document's language instead, from its prose (code, URLs, markup "
            "and lists of names left out): source, language, share of the prose letters, lead "
            "over the runner-up, sure or unsure, and the top candidates.",
        ),
    ] = False,
    list_langs: Annotated[
        bool, typer.Option("--list-langs", help="Print the language codes known, and exit.")
    ] = False,
) -> None:
    """Print the language of every line: one row per piece, with character offsets into the
    line (0-based line numbers; blank lines give no row; 'und' = too short or neutral)."""
    from aligner.langid import load_detector
    from aligner.langid.codes import base_languages, parse_langs
    from aligner.langid.lines import line_pieces
    from aligner.read import read_inputs

    if list_langs:
        sys.stdout.write("".join(f"{code}\n" for code in sorted(base_languages())))
        return
    if source is None:
        raise UsageError("give a file to detect, or - for stdin")
    candidates = list(parse_langs(langs))
    if document:
        _print_documents(read_inputs([source]), candidates, load_detector(detector))
        return
    if split and len(set(candidates)) < 2:
        raise UsageError("--split needs the languages to split between, e.g. --langs es,en")
    loaded = load_detector(detector)
    out = sys.stdout
    offset = 0
    for document in read_inputs([source]):
        for number, line_text, piece in line_pieces(document.text, candidates, loaded, split):
            line = offset + number
            if output_format is Format.json:
                row = {"line": line, "start": piece.start, "end": piece.end, "lang": piece.lang}
                text = line_text[piece.start : piece.end]
                out.write(json.dumps({**row, "score": round(piece.score, 4), "text": text}) + "\n")
            else:
                out.write(f"{line}\t{piece.start}\t{piece.end}\t{piece.lang}\t{piece.score:.4f}\n")
        offset += document.text.count("\n") + 1


def _print_documents(
    documents: Iterable[Document], candidates: list[str], detector: LanguageDetector
) -> None:
    from aligner.langid.document import document_language

    for document in documents:
        found = document_language(document.text, detector, candidates)
        sure = "sure" if found.sure else "unsure"
        sys.stdout.write(
            f"{document.source}\t{found.lang}\t{found.share:.4f}\t{found.margin:.4f}\t{sure}"
            f"\t{found.describe()}\n"
        )
