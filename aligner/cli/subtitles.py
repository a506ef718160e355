"""``aligner subtitles``: pair two monolingual subtitle tracks of one video."""

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
from aligner.cli.run_options import checked_outputs, journal_kept_on_interrupt
from aligner.embed import DEFAULT_ENCODER
from aligner.subtitles.pairing import SubtitlePairing
from aligner.wording import amount


@app.command(
    epilog=(
        "Examples:\n\n"
        "  aligner subtitles film.es.srt film.en.srt -o film.tmx\n\n"
        "  aligner subtitles talk.es.vtt talk.en.srt --langs es,en -o talk.es --unaligned-out "
        "rest.csv\n\n"
        "A bilingual subtitle file (a line of each language in every cue) needs no partner: "
        "aligner run film.es-en.srt --langs es,en"
    )
)
@user_errors
def subtitles(
    source: Annotated[
        Path, typer.Argument(help="Source-language subtitles (.srt or .vtt).", show_default=False)
    ],
    target: Annotated[
        Path, typer.Argument(help="Target-language subtitles (.srt or .vtt).", show_default=False)
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Where the pairs go; - for stdout.")
    ] = "-",
    fmt: FormatOption = None,
    langs: Annotated[
        str | None,
        typer.Option(help="Source,target languages, e.g. es,en. Default: detected per file."),
    ] = None,
    encoder: Annotated[
        str, typer.Option(help="Sentence encoder (as for aligner run).")
    ] = DEFAULT_ENCODER,
    min_score: Annotated[
        float, typer.Option(help="Beads scoring below this stay unaligned.")
    ] = SubtitlePairing().min_score,
    time_weight: Annotated[
        float,
        typer.Option(
            help="Weight of the time overlap (0-1) added to the similarity.", min=0.0, max=1.0
        ),
    ] = SubtitlePairing().time_weight,
    max_gap: Annotated[
        float,
        typer.Option(
            help="Seconds apart (after the tracks' offset is taken out) beyond which two cues "
            "are never paired.",
            min=0.0,
        ),
    ] = SubtitlePairing().max_gap,
    unaligned_out: Annotated[
        Path | None, typer.Option(help="Also write the cues left without a pair here.")
    ] = None,
    max_length_ratio: MaxLengthRatioOption = None,
    dedupe: DedupeOption = False,
    drop_copies: DropCopiesOption = False,
    excel_safe: ExcelSafeOption = False,
    cache_dir: CacheDirOption = None,
    cache: CacheOption = True,
) -> None:
    """Pair the cues of two subtitle files of the same video by time overlap and meaning
    (1-1, 1-2 and 2-1 beads); every cue ends up in a pair or in the unaligned table."""
    from aligner.langid.codes import lang_pair
    from aligner.records import DocumentResult
    from aligner.run.executors import SequentialExecutor
    from aligner.run.runner import run_subtitles
    from aligner.run.task import Outcome
    from aligner.subtitles.aligner import SubtitleSettings, track_pair

    outputs = checked_outputs(
        [source, target], output, fmt, unaligned_out, False, None, excel_safe,
        max_length_ratio, dedupe, drop_copies,
    )  # fmt: skip
    folder = cache_folder(cache, cache_dir)
    settings = SubtitleSettings(
        encoder=encoder,
        langs=lang_pair(langs),
        pairing=SubtitlePairing(min_score=min_score, time_weight=time_weight, max_gap=max_gap),
        cache_dir=str(folder) if folder else None,
    )
    cues = [0, 0]

    def count_cues(outcome: Outcome) -> None:
        if isinstance(outcome, DocumentResult) and outcome.langs:
            for side, lang in enumerate(outcome.langs):
                cues[side] += sum(1 for s in outcome.segments if s.lang == lang)

    with journal_kept_on_interrupt(outputs):
        summary = run_subtitles(
            [track_pair(source, target)], outputs, settings, SequentialExecutor(), count_cues
        )
    report(summary.notices)
    totals = summary.totals
    stderr.print(
        f"{cues[0]} + {amount(cues[1], 'cue')}, {amount(summary.shown_pairs, 'pair')}, "
        f"{totals.unaligned} unaligned ({summary.langs}) -> {output}",
        highlight=False,
        markup=False,
    )
