"""``aligner subtitles``: pair two monolingual subtitle tracks of one video."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli import app, stderr, user_errors
from aligner.cli.cache_options import CacheDirOption, CacheOption, cache_folder
from aligner.cli.export_options import (
    DedupeOption,
    DropCopiesOption,
    ExcelSafeOption,
    FormatOption,
    MaxLengthRatioOption,
    report,
)
from aligner.embed import DEFAULT_ENCODER
from aligner.subtitles import SubtitlePairing
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
    from aligner.embed import load_encoder
    from aligner.embed.cache import cached
    from aligner.export import (
        ExportFilter,
        ExportOptions,
        format_for,
        refuse_clobbering,
        write_pairs,
        write_table,
    )
    from aligner.langid import load_detector
    from aligner.langid.codes import lang_pair
    from aligner.read.subtitles import read_cues
    from aligner.signature import signature
    from aligner.subtitles import detect_langs, pair_cues, subtitle_tables

    format_for(output, fmt)
    if unaligned_out is not None:
        format_for(unaligned_out, pairs=False)
    refuse_clobbering([source, target], output, fmt, [unaligned_out])
    config = SubtitlePairing(min_score=min_score, time_weight=time_weight, max_gap=max_gap)
    cues = (read_cues(source), read_cues(target))
    pair_langs = lang_pair(langs) or detect_langs(cues, load_detector(), (source, target))
    loaded = cached(load_encoder(encoder, pair_langs), cache_folder(cache, cache_dir))
    beads = pair_cues(*cues, loaded, config)
    pairs, unaligned = subtitle_tables((source, target), cues, pair_langs, beads)
    sign = signature(
        {"encoder": loaded.name, "langs": "-".join(pair_langs), "subtitles": config.describe()}
    )
    options = ExportOptions(excel_safe=excel_safe)
    keep = ExportFilter(max_length_ratio=max_length_ratio, dedupe=dedupe, drop_copies=drop_copies)
    notices = write_pairs(pairs, output, sign, fmt, options, keep)
    if unaligned_out is not None:
        notices += write_table(unaligned, unaligned_out, sign, options=options)
    report(notices)
    stderr.print(
        f"{len(cues[0])} + {amount(len(cues[1]), 'cue')}, {amount(len(pairs), 'pair')}, "
        f"{len(unaligned)} unaligned "
        f"({'-'.join(pair_langs)}) -> {output}",
        highlight=False,
        markup=False,
    )
