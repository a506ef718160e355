"""``aligner convert``: re-export a table aligner wrote, in another format, without re-aligning."""

from __future__ import annotations

from typing import Annotated

import typer

from aligner.cli.base import app, stderr, user_errors
from aligner.cli.export_options import (
    DedupeOption,
    DropCopiesOption,
    ExcelSafeOption,
    FormatOption,
    MaxLengthRatioOption,
    report,
)
from aligner.errors import UsageError
from aligner.wording import amount


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner convert out/seed-corpus.csv out/seed-corpus.tmx\n\n"
        "  aligner convert pairs.parquet corpus.es --min-score 0.9 --dedupe"
        "   (Moses: corpus.es + corpus.en)\n\n"
        "  aligner convert pairs.tmx pairs.tsv --max-length-ratio 3"
    )
)
@user_errors
def convert(
    source: Annotated[
        str,
        typer.Argument(
            help="A table written by aligner: .csv .tsv .jsonl .parquet .tmx.", show_default=False
        ),
    ],
    output: Annotated[
        str,
        typer.Argument(
            help="Where it goes, format from the extension (a language code such as .es: "
            "Moses); - for stdout.",
            show_default=False,
        ),
    ],
    fmt: FormatOption = None,
    input_format: Annotated[
        str | None,
        typer.Option(help="Format of SOURCE when its extension does not say.", show_default=False),
    ] = None,
    min_score: Annotated[
        float | None, typer.Option(help="Leave out pairs scoring below this.", show_default=False)
    ] = None,
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    drop_copies: DropCopiesOption = False,
    excel_safe: ExcelSafeOption = False,
) -> None:
    """Convert a pair table between CSV, TSV, JSONL, Parquet and TMX (and write Moses),
    optionally filtering it. The signature is carried over, with the filters added."""
    from aligner.export import (
        ExportFilter,
        ExportOptions,
        format_for,
        read_table,
        refuse_clobbering,
        write_pairs,
    )

    format_for(output, fmt)  # a bad output extension is a usage error before reading
    refuse_clobbering([source], output, fmt)
    table, signature = read_table(source, input_format)
    keep = ExportFilter(
        min_score=min_score,
        max_length_ratio=max_length_ratio,
        dedupe=dedupe,
        drop_copies=drop_copies,
    )
    if keep.describe() and "score" not in table:
        raise UsageError(f"{source}: filters apply to pair tables; this one has no pairs")
    notices, _ = write_pairs(table, output, signature, fmt, ExportOptions(excel_safe), keep)
    report(notices)
    rows = amount(len(table), "row")
    stderr.print(f"{rows} from {source} -> {output}", highlight=False, markup=False)
