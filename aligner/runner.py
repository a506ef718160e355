"""A whole run, from inputs to output files: read (skipping bad inputs when asked), align on an
executor, journal each document, then write the tables atomically from the journal. ``run_dump``
pairs the translations inside each document of a dump (``aligner run``); ``run_pairs`` aligns
document pairs (``aligner align``).

Nothing is lost: every document read is in the journal before an output is written, and every
input that could not be read is either an error that stops the run or a line of the bad-input
report. Nothing half-done looks complete: outputs appear only whole (``export.atomic_output``),
and an interrupted run leaves its journal for ``--resume``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligner.align.documents import (
    AlignedDocuments,
    PairSettings,
    SkippedPair,
    align_pairs,
    aligner_for,
)
from aligner.align.inputs import FilePair, pair_key, pair_name
from aligner.embed import Encoder, language_notice
from aligner.engine import Executor
from aligner.errors import InputError, UsageError, stopped_run
from aligner.export import (
    ExportFilter,
    ExportOptions,
    atomic_output,
    write_pairs,
    write_table_rows,
)
from aligner.journal import Journal, Totals
from aligner.lock import output_lock
from aligner.pipeline import RunConfig, align_dump
from aligner.read import ReadOptions, read_inputs
from aligner.read.subtitles import CueClock
from aligner.records import DocumentResult
from aligner.table import PAIR_COLUMNS, UNALIGNED_COLUMNS

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


def run_dump(
    inputs: Sequence[str],
    outputs: Outputs,
    config: RunConfig,
    executor: Executor,
    read_options: ReadOptions | None = None,
    skip_bad: bool = False,
    resume: bool = False,
    on_document: Callable[[DocumentResult], None] | None = None,
) -> RunSummary:
    """Align every document of ``inputs`` and write ``outputs``; see the module docstring."""
    if resume and outputs.journal is None:
        raise UsageError("--resume needs an output file (-o PATH): stdout keeps no journal")
    skipped: list[str] = []
    options = read_options or ReadOptions()
    if skip_bad:
        options = dataclasses.replace(options, on_bad=lambda error: skipped.append(str(error)))
    clock = CueClock()  # subtitle cue times, for the time columns of the pairs table
    with _journal_path(outputs) as path:
        journal = Journal(path)
        try:
            # align_dump is lazy: journal.track only runs once results are drawn, after begin.
            aligner, results = align_dump(
                clock.watch(read_inputs(inputs, options)),
                config,
                executor=executor,
                on_document=on_document,
                select=journal.track,
            )
            journal.begin(aligner.signature, resume)
            for result in results:
                journal.append(result)
        except BaseException:
            journal.discard_if_empty()
            raise
        journal.close()
        notices = _write_outputs(journal, outputs, aligner.signature, clock, skipped, skip_bad)
    notices += aligner.notices + _language_notices(aligner.encoder, aligner.langs)
    langs = "-".join(aligner.langs)
    return RunSummary(langs, journal.totals, journal.resumed, skipped, notices)


def run_pairs(
    file_pairs: Sequence[FilePair],
    outputs: Outputs,
    settings: PairSettings,
    executor: Executor,
    skip_bad: bool = False,
    resume: bool = False,
    on_pair: Callable[[AlignedDocuments | SkippedPair], None] | None = None,
    on_resumed: Callable[[int], None] | None = None,
) -> RunSummary:
    """Align every document pair and write ``outputs``, with the guarantees of ``run_dump``
    (journal, ``resume``, ``skip_bad``, atomic outputs written in bounded memory);
    ``on_pair`` sees each pair aligned (or skipped) in this run, in input order, and
    ``on_resumed`` how many pairs the journal already held."""
    if resume and outputs.journal is None:
        raise UsageError("--resume needs an output file (-o PATH): stdout keeps no journal")
    aligner = aligner_for(settings)  # before any work: a bad encoder name fails at once
    with _journal_path(outputs) as path:
        journal = Journal(path)
        try:
            todo = journal.track_inputs(iter(file_pairs), pair_key, pair_name)
            journal.begin(aligner.settings_signature(), resume)
            if on_resumed:
                on_resumed(journal.resumed)
            for outcome in align_pairs(todo, settings, executor, skip_bad):
                if isinstance(outcome, SkippedPair):
                    journal.skip(outcome.reason)
                else:
                    journal.append(outcome.result, outcome.langs)
                if on_pair:
                    on_pair(outcome)
        except BaseException:
            journal.discard_if_empty()
            raise
        journal.close()
        skipped = journal.totals.skipped
        signature = aligner.signature(journal.totals.langs)
        notices = _write_outputs(journal, outputs, signature, CueClock(), skipped, skip_bad)
    in_play: dict[str, tuple[Encoder, set[str]]] = {}  # by encoder: auto may have used two
    for pair in sorted(journal.totals.langs):
        encoder = aligner.encoder_for(pair)
        in_play.setdefault(encoder.name, (encoder, set()))[1].update(pair)
    for encoder, langs_of_encoder in in_play.values():
        notices += _language_notices(encoder, langs_of_encoder)
    langs = ",".join(sorted(f"{a}-{b}" for a, b in journal.totals.langs))
    return RunSummary(langs, journal.totals, journal.resumed, skipped, notices)


def _language_notices(encoder: Encoder, langs: Iterable[str]) -> list[str]:
    notice = language_notice(encoder, langs)
    return [notice] if notice else []


def _write_outputs(
    journal: Journal,
    outputs: Outputs,
    signature: str,
    clock: CueClock,
    skipped: list[str],
    skip_bad: bool,
) -> list[str]:
    """The bad-input report, then the tables from the journal, which is removed once they are
    written; returns the export notices. When a run writes two tables, each one's signature
    ends with the run's id (``run:``): the same in both tables of one run, so a set torn by a
    kill between the two renames shows."""
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
    try:
        notices = []
        if outputs.pairs:
            notices += _write_pairs(journal, outputs.pairs, outputs, signature, clock)
            written.append(outputs.pairs)
        if outputs.unaligned is not None:
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
    return notices


def one_line(text: str) -> str:
    """``text`` for a report of one entry per line: a line break (in a file name) escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _write_pairs(
    journal: Journal, target: str, outputs: Outputs, signature: str, clock: CueClock
) -> list[str]:
    """The pairs table: streamed row by row (bounded memory) unless a filter or the cue
    times need the whole table at once."""
    rows = journal.rows("pairs")
    if not outputs.keep.describe() and not clock.active:
        return write_table_rows(rows, PAIR_COLUMNS, target, signature, outputs.fmt, outputs.options)
    import pandas as pd

    pairs = clock.annotate(pd.DataFrame(list(rows), columns=PAIR_COLUMNS))
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
