"""``aligner detect``: the language of every line of a file, optionally split where it changes."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from aligner.cli import app, user_errors
from aligner.errors import UsageError
from aligner.langid import DEFAULT_DETECTOR


class Format(StrEnum):
    tsv = "tsv"
    json = "json"


def parse_langs(value: str | None) -> list[str]:
    """``"es,en"`` -> ``["es", "en"]``; every code must be one a detector knows."""
    from aligner.langid import check_langs

    codes = [code.strip().lower() for code in (value or "").split(",") if code.strip()]
    check_langs(codes)
    return codes


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
        str, typer.Argument(help="A text file (one segment per line) or - for stdin.")
    ],
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
) -> None:
    """Print the language of every line: one row per piece, with character offsets into the
    line (0-based line numbers; blank lines give no row; 'und' = too short or neutral)."""
    from aligner.langid import load_detector
    from aligner.langid.lines import line_pieces
    from aligner.read import read_inputs

    candidates = parse_langs(langs)
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
