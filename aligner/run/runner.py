"""A whole run, from inputs to output files: read (skipping bad inputs when asked), align on an
executor, journal each document, then write the tables atomically from the journal. One loop
(``run``) for every job (``run.task``): ``run_dump`` pairs the translations inside each document
of a dump (``aligner run``), ``run_pairs`` aligns document pairs (``aligner align``) and
``run_subtitles`` two subtitle tracks (``aligner subtitles``).

Nothing is lost: every document read is in the journal before an output is written, and every
input that could not be read is either an error that stops the run or a line of the bad-input
report. Nothing half-done looks complete: outputs appear only whole (``export.atomic_output``),
and an interrupted run leaves its journal for ``--resume``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.embed.cache import load_cached_encoder
from aligner.errors import InputError, UsageError, stopped_run
from aligner.export import (
    ExportFilter,
    ExportOptions,
    atomic_output,
    format_for,
    write_pairs,
    write_table_lines,
    write_table_rows,
)
from aligner.read import ReadOptions, input_bytes, read_inputs
from aligner.records import Document, DocumentResult
from aligner.run.encoder_process import EncoderProcess, worth_a_process
from aligner.run.executors import Executor, SequentialExecutor
from aligner.run.journal import Journal, Totals, UnalignedForm
from aligner.run.lock import output_lock
from aligner.run.task import Aligner, Item, Job, Outcome, Skipped, align_all, loaded, preload
from aligner.table import PAIR_COLUMNS, UNALIGNED_COLUMNS

if TYPE_CHECKING:
    from aligner.captions.aligner import CaptionAligner, RunConfig
    from aligner.documents.aligner import PairSettings
    from aligner.documents.inputs import FilePair
    from aligner.embed import Encoder
    from aligner.subtitles.aligner import SubtitleSettings

JOURNAL_SUFFIX = ".journal"
BAD_REPORT_SUFFIX = ".bad.txt"


@dataclass(frozen=True, slots=True)
class Outputs:
    pairs: str | None
    """Path of the pairs table, ``-`` for stdout, None for none (``aligner align`` writing only
    bead files)."""
    unaligned: Path | None = None
    bad_report: Path | None = None
    """Where skipped inputs are listed (with ``skip_bad``); None: only in the summary."""
    fmt: str | None = None
    """Format of the pairs table; None: from its extension."""
    options: ExportOptions = field(default_factory=ExportOptions)
    keep: ExportFilter = field(default_factory=ExportFilter)

    @property
    def journal(self) -> Path | None:
        """Beside the pairs output; None for stdout or no pairs table (a temporary journal, not
        resumable)."""
        return None if self.pairs in (None, "-") else Path(self.pairs + JOURNAL_SUFFIX)


def default_bad_report(output: str | None) -> Path | None:
    return None if output in (None, "-") else Path(output + BAD_REPORT_SUFFIX)


@dataclass(slots=True)
class RunSummary:
    langs: str
    """The language pair, or the pairs found (``de-fr,en-fr``) when each document had its own."""
    totals: Totals
    resumed: int = 0
    """Documents taken from the journal of an interrupted run."""
    skipped: list[str] = field(default_factory=list)
    """One line per input skipped as unusable: ``path[:line]: reason``."""
    notices: list[str] = field(default_factory=list)
    """What the export changed or left out (filters, characters a format cannot hold)."""
    pairs_written: int | None = None
    """Rows of the pairs table written: ``totals.pairs`` less what the export filters left
    out; None without a pairs table."""

    @property
    def shown_pairs(self) -> int:
        """The pairs to report: those written, or those found when no table was written."""
        return self.totals.pairs if self.pairs_written is None else self.pairs_written


def run(
    job: Job[Item],
    items: Iterable[Item],
    outputs: Outputs,
    executor: Executor,
    aligner: Aligner[Item] | None = None,
    skip_bad: bool = False,
    resume: bool = False,
    read_skips: list[str] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_resumed: Callable[[int], None] | None = None,
) -> RunSummary:
    """Align every input of ``items`` with ``job`` and write ``outputs``; see the module
    docstring. ``aligner``: the job's aligner already loaded in this process (else loaded here,
    before any work, so that a bad encoder name fails at once). ``read_skips``: inputs skipped
    while ``items`` are read (filled as they are drawn). ``on_outcome`` sees each input aligned
    (or skipped) in this run, in input order, once it is in the journal; ``on_resumed`` how
    many the journal already held."""
    if resume and outputs.journal is None:
        raise UsageError("--resume needs an output file (-o PATH): stdout keeps no journal")
    aligner = aligner or loaded(job)
    preload(job, aligner)
    with _journal_path(outputs) as path:
        journal = Journal(path, _unaligned_form(outputs))
        try:
            todo = journal.track_inputs(iter(items), job.key, job.name)
            journal.begin(aligner.resume_signature(), resume)
            if on_resumed:
                on_resumed(journal.resumed)
            for outcome in align_all(job, todo, executor, skip_bad):
                if isinstance(outcome, Skipped):
                    journal.skip(outcome.reason)
                else:
                    journal.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
        except BaseException:
            journal.discard_if_empty()
            raise
        journal.close()
        seen = journal.totals.langs
        skipped = [*(read_skips or []), *journal.totals.skipped]
        signature = aligner.signature(seen)
        notices, written = _write_outputs(journal, outputs, signature, skipped, skip_bad)
    notices += aligner.notices(seen)
    return RunSummary(
        aligner.describe_langs(seen), journal.totals, journal.resumed, skipped, notices, written
    )


def run_dump(
    inputs: Sequence[str],
    outputs: Outputs,
    config: RunConfig,
    executor: Executor,
    read_options: ReadOptions | None = None,
    skip_bad: bool = False,
    resume: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
    encoder_process: bool = True,
) -> RunSummary:
    """Pair the translations inside every document of ``inputs`` (``captions.aligner``);
    without ``config.langs``, the first documents are read ahead to infer them. With
    ``encoder_process``, a run in this process encodes in a second one where that pays
    (``run.encoder_process.worth_a_process``); the outputs are the same either way."""
    from aligner.captions.aligner import caption_job

    skipped: list[str] = []
    options = read_options or ReadOptions()
    if skip_bad:
        options = dataclasses.replace(options, on_bad=lambda error: skipped.append(str(error)))
    job, aligner, documents = caption_job(read_inputs(inputs, options), config)
    with contextlib.ExitStack() as stack:
        if (
            encoder_process
            and isinstance(executor, SequentialExecutor)
            and worth_a_process(aligner.encoder, input_bytes(inputs))
        ):
            build = functools.partial(
                load_cached_encoder, config.encoder, job.langs, config.cache_dir
            )
            aligner.encoder = stack.enter_context(EncoderProcess(aligner.encoder, build))
        return run(
            job, documents, outputs, executor, aligner, skip_bad, resume, skipped, on_outcome
        )


def align_dump(
    documents: Iterable[Document],
    config: RunConfig,
    encoder: Encoder | None = None,
    executor: Executor | None = None,
) -> tuple[CaptionAligner, Iterator[DocumentResult]]:
    """A dump aligned in memory, without journal or outputs (the Python API, benchmarks): its
    aligner (signature, notices) and a lazy stream of results in input order. An injected
    ``encoder`` serves the tasks run in this process."""
    from aligner.captions.aligner import caption_job

    job, aligner, stream = caption_job(documents, config, encoder)
    preload(job, aligner)
    outcomes = align_all(job, stream, executor)
    return aligner, (outcome for outcome in outcomes if isinstance(outcome, DocumentResult))


def run_pairs(
    file_pairs: Sequence[FilePair],
    outputs: Outputs,
    settings: PairSettings,
    executor: Executor,
    skip_bad: bool = False,
    resume: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_resumed: Callable[[int], None] | None = None,
) -> RunSummary:
    """Align every document pair (``documents.aligner``)."""
    return run(
        settings, file_pairs, outputs, executor, None, skip_bad, resume, None, on_outcome,
        on_resumed,
    )  # fmt: skip


def run_subtitles(
    tracks: Sequence[FilePair],
    outputs: Outputs,
    settings: SubtitleSettings,
    executor: Executor,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunSummary:
    """Pair the cues of each pair of subtitle tracks (``subtitles.aligner``)."""
    return run(settings, tracks, outputs, executor, on_outcome=on_outcome)


def _write_outputs(
    journal: Journal,
    outputs: Outputs,
    signature: str,
    skipped: list[str],
    skip_bad: bool,
) -> tuple[list[str], int | None]:
    """The bad-input report, then the tables from the journal, which is removed once they are
    written; returns the export notices. When a run writes two tables, each one's signature
    ends with the run's id (``run:``): the same in both tables of one run, so a set torn by a
    kill between the two renames shows. Also returns how many pairs were written."""
    if outputs.pairs and outputs.unaligned is not None:
        signature = f"{signature}|run:{journal.run_id}"
    # skips can also come from the journal of a --skip-bad run that this run resumed
    if (skip_bad or skipped) and outputs.bad_report is not None:
        with atomic_output(outputs.bad_report) as stream:
            stream.writelines(f"{one_line(line)}\n" for line in skipped)
    if skipped and not journal.totals.documents:
        where = f"; see {outputs.bad_report}" if outputs.bad_report else ""
        what = "the only input was" if len(skipped) == 1 else f"all {len(skipped)} inputs were"
        raise InputError(f"no usable input: {what} skipped{where}")
    written: list[str] = []
    pairs_written = None
    try:
        notices = []
        if outputs.pairs:
            pair_notices, pairs_written = _write_pairs(journal, outputs.pairs, outputs, signature)
            notices += pair_notices
            written.append(outputs.pairs)
        if outputs.unaligned is not None:
            if journal.unaligned == "csv":
                write_table_lines(
                    journal.unaligned_csv(), UNALIGNED_COLUMNS, outputs.unaligned, signature
                )
            else:
                notices += write_table_rows(
                    journal.rows("unaligned"),
                    UNALIGNED_COLUMNS,
                    outputs.unaligned,
                    signature,
                    options=outputs.options,
                )
    except KeyboardInterrupt as stop:
        if not written or outputs.journal is None:
            raise
        raise stopped_run(
            stop,
            f"interrupted while writing the outputs: {', '.join(written)} written, not the "
            f"others; finished documents are kept in {outputs.journal}, rerun with --resume to "
            "write them all",
        ) from None
    journal.remove()
    return notices, pairs_written


def _unaligned_form(outputs: Outputs) -> UnalignedForm:
    """How the journal keeps the unaligned rows, for the table the run writes."""
    if outputs.unaligned is None:
        return "none"
    if format_for(outputs.unaligned, pairs=False) == "csv" and not outputs.options.excel_safe:
        return "csv"
    return "rows"


def one_line(text: str) -> str:
    """``text`` for a report of one entry per line: a line break (in a file name) escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _write_pairs(
    journal: Journal, target: str, outputs: Outputs, signature: str
) -> tuple[list[str], int]:
    """The pairs table: streamed row by row (bounded memory) unless a filter or the cue
    times need the whole table at once; its notices and how many pairs it holds."""
    rows = journal.rows("pairs")
    if not outputs.keep.describe() and not journal.totals.timed:
        width = len(PAIR_COLUMNS)  # a row's cue times, all empty, are not written
        notices = write_table_rows(
            (row[:width] for row in rows),
            PAIR_COLUMNS,
            target,
            signature,
            outputs.fmt,
            outputs.options,
        )
        return notices, journal.totals.pairs
    from aligner.table import pairs_frame

    pairs = pairs_frame(rows, timed=journal.totals.timed)
    return write_pairs(pairs, target, signature, outputs.fmt, outputs.options, outputs.keep)


@contextlib.contextmanager
def _journal_path(outputs: Outputs) -> Iterator[Path]:
    """The journal beside the output, kept when the run fails, held by this run alone
    (``output_lock``); for stdout, a temporary one that is always removed."""
    if outputs.journal is not None:
        with output_lock(str(outputs.pairs)):
            yield outputs.journal
        return
    handle, name = tempfile.mkstemp(prefix="aligner-", suffix=JOURNAL_SUFFIX)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
