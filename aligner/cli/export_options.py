"""Export options shared by the commands that write a pair table (run, convert, subtitles)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from aligner.cli.base import stderr

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="Output format: csv, tsv, jsonl, parquet, tmx or moses. Default: from the -o "
        "extension (.csv .tsv .jsonl .parquet .tmx; a language code such as .es for Moses).",
        show_default=False,
    ),
]
ExcelSafeOption = Annotated[
    bool,
    typer.Option(
        "--excel-safe",
        help="CSV/TSV for spreadsheets: prefix ' to cells starting with = + - @ (a formula "
        "risk); a CSV also starts with a BOM. Off by default: corpus text is never altered "
        "silently.",
    ),
]
MaxLengthRatioOption = Annotated[
    float | None,
    typer.Option(
        help="Leave out pairs whose longer side has more than this many times the characters "
        "of the shorter side, e.g. 3.",
        min=1.0,
    ),
]
DedupeOption = Annotated[
    bool, typer.Option("--dedupe", help="Keep only the first of identical (source, target) pairs.")
]
DropCopiesOption = Annotated[
    bool,
    typer.Option(
        "--drop-copies",
        help="Leave out pairs whose two sides are the same text once case, spaces and "
        "punctuation are set aside: code, names, badges, lines left untranslated.",
    ),
]


def report(notices: list[str]) -> None:
    """Show what an export changed or left out, on stderr."""
    for notice in notices:  # a notice is plain text: brackets in it are not markup
        stderr.print(f"[yellow]note:[/] {escape(notice)}", highlight=False, soft_wrap=True)
