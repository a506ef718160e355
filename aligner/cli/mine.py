"""``aligner mine``: find the translations between two collections (documents, then sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.base import app, stderr, user_errors
from aligner.cli.cache_options import CacheDirOption, CacheOption, cache_folder
from aligner.cli.export_options import (
    DedupeOption,
    DropCopiesOption,
    ExcelSafeOption,
    FormatOption,
    MaxLengthRatioOption,
    report,
)
from aligner.cli.run_options import (
    EngineOption,
    JobsOption,
    MarkupOption,
    SchedulerOption,
    checked_outputs,
)
from aligner.embed import DEFAULT_ENCODER
from aligner.langid import DEFAULT_DETECTOR
from aligner.mining.documents import MIN_SCORE
from aligner.mining.margin import SELECTIONS
from aligner.read.base import Markup
from aligner.run.executors import DEFAULT_ENGINE


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner mine news-es/ --tgt news-en/ --langs es,en -o pairs.csv\n\n"
        "  aligner mine es.jsonl --tgt en.jsonl --langs es,en --sentences --threshold 1.1 "
        "-o mined.tsv\n\n"
        "  aligner mine es/ --tgt en/ --langs es,en --engine dask --jobs 2 -o pairs.csv"
    )
)
@user_errors
def mine(
    src: Annotated[
        list[str],
        typer.Argument(
            help="The source collection: files, folders or - for stdin, as aligner run reads.",
            show_default=False,
        ),
    ],
    tgt: Annotated[
        list[str],
        typer.Option(
            "--tgt",
            help="The target collection (repeat for several inputs; - for stdin).",
            show_default=False,
        ),
    ],
    langs: Annotated[str, typer.Option(help="Source,target languages (ISO 639-1), e.g. es,en.")],
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            help="Where the pairs go; the extension picks the format; - for stdout (CSV).",
        ),
    ] = "-",
    fmt: FormatOption = None,
    unaligned_out: Annotated[
        Path | None,
        typer.Option(help="Also write the segments left without a pair to this file."),
    ] = None,
    matches_out: Annotated[
        Path | None,
        typer.Option(
            help="Also write the matched documents (CSV: both documents, score, links, and part: "
            "true for a further part of a translation split over several documents).",
        ),
    ] = None,
    sentences: Annotated[
        bool,
        typer.Option(
            "--sentences",
            help="Mine sentences only: no document matching (every sentence against every "
            "sentence of the other side).",
        ),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Keep mined pairs scoring at least this ratio margin (1.1: the pair's cosine is "
            "10 % above the mean cosine of both sentences' nearest neighbours). Default: "
            "calibrated on the run's own score distribution.",
            min=0.0,
            show_default=False,
        ),
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Neighbours in the margin.")] = 4,
    selection: Annotated[
        str,
        typer.Option(
            help="competitive (every candidate, best first, each sentence once), mutual (each "
            "other's best: the published method), max-score, forward or backward."
        ),
    ] = "competitive",
    min_document_score: Annotated[
        float,
        typer.Option(
            help="Share of two documents' sentences that mined pairs must link for a match.",
            min=0.0,
            max=1.0,
        ),
    ] = MIN_SCORE,
    encoder: Annotated[
        str, typer.Option(help="Sentence encoder (as for aligner run).")
    ] = DEFAULT_ENCODER,
    detector: Annotated[str, typer.Option(help="Language detector.")] = DEFAULT_DETECTOR,
    id_field: Annotated[str, typer.Option(help="JSONL field with the document id.")] = "id",
    text_field: Annotated[str, typer.Option(help="JSONL field with the document text.")] = "text",
    markup: MarkupOption = Markup.AUTO,
    jobs: JobsOption = 1,
    engine: EngineOption = DEFAULT_ENGINE,
    scheduler: SchedulerOption = None,
    cache_dir: CacheDirOption = None,
    cache: CacheOption = True,
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    drop_copies: DropCopiesOption = False,
    excel_safe: ExcelSafeOption = False,
) -> None:
    """Find which documents, then which sentences, of two collections translate each other.

    Matched documents are aligned in beads (method document); the sentences they leave are mined
    by margin over their nearest neighbours (method mined). Sentences in neither language, and
    repeats of a sentence already seen on their side, are not mined. Every segment of both sides
    ends up in a pair or in the unaligned table.
    """
    from aligner.errors import UsageError
    from aligner.export import atomic_output, write_pairs, write_table
    from aligner.mining.sentences import MineSettings
    from aligner.notebook.mine import mine_inputs
    from aligner.read import ReadOptions

    if selection not in SELECTIONS:
        raise UsageError(f"--selection takes one of {', '.join(SELECTIONS)} (got {selection!r})")
    if src.count("-") + tgt.count("-") > 1:
        raise UsageError("only one input can be - (stdin)")
    outputs = checked_outputs(
        [*src, *tgt], output, fmt, unaligned_out, False, None, excel_safe, max_length_ratio,
        dedupe, drop_copies,
    )  # fmt: skip
    folder = cache_folder(cache, cache_dir)
    found = mine_inputs(
        src,
        tgt,
        langs,
        encoder=encoder,
        detector=detector,
        settings=MineSettings(k=k, selection=selection, threshold=threshold),
        documents=not sentences,
        min_document_score=min_document_score,
        cache_dir=folder,
        read_options=ReadOptions(id_field=id_field, text_field=text_field, markup=markup),
        engine=engine,
        jobs=jobs,
        scheduler=scheduler,
    )
    corpus = found.corpus
    notices, _ = write_pairs(
        corpus.pairs, output, corpus.signature, fmt, outputs.options, outputs.keep
    )
    if unaligned_out is not None:
        notices += write_table(corpus.unaligned, unaligned_out, corpus.signature, None,
                               outputs.options)  # fmt: skip
    if matches_out is not None:
        with atomic_output(matches_out) as stream:
            found.matches.to_csv(stream, index=False)
    report(notices)
    counts = found.counts
    methods = corpus.pairs["method"].value_counts()
    cut = f"threshold {found.threshold:.3f}" if len(found.selected) else "none left to mine"
    stderr.print(
        f"{found.documents[0]}+{found.documents[1]} documents, {len(found.matches)} matched; "
        f"{methods.get('document', 0)} document pairs, {methods.get('mined', 0)} mined pairs "
        f"({cut}), {len(corpus.unaligned)} unaligned; not mined: "
        f"{counts[0].other_language}+{counts[1].other_language} in another language, "
        f"{counts[0].duplicates}+{counts[1].duplicates} duplicates ({found.langs}) -> {output}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
