"""What the commands that work through many documents (run, align) share: the options for
workers, bad inputs and resuming, the progress bar, and the lines they print at the end."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aligner.cli.base import stderr
from aligner.cli.export_options import report
from aligner.read.base import Markup
from aligner.wording import amount

if TYPE_CHECKING:
    from rich.progress import Progress

    from aligner.run.runner import Outputs, RunSummary

JobsOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="Worker processes (local engine: a process pool; dask: a local cluster's size).",
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(help="Where documents are aligned: local, or dask (needs aligner[dask])."),
]
MarkupOption = Annotated[
    Markup,
    typer.Option(
        case_sensitive=False,
        help="How the JSONL text field is written: auto detects it per record (Markdown, HTML "
        "or plain text); html and markdown are read as the text their page shows.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--engine dask; the "
        "cluster's workers are used and --jobs is ignored).",
    ),
]


def progress_bar() -> Progress:
    """A bar on stderr (stdout may carry the output) that disappears when the run ends; none
    when stderr is not a terminal (a log file, CI), where it would only leave a blank line."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )


SkipBadOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad",
        help="Skip unusable inputs (binary, not UTF-8, malformed JSONL lines, ...) and list "
        "them in the bad-input report instead of stopping.",
    ),
]
BadReportOption = Annotated[
    Path | None,
    typer.Option(help="Where --skip-bad lists skipped inputs. Default: OUTPUT.bad.txt."),
]
ResumeOption = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Continue an interrupted run from its journal (OUTPUT.journal), skipping the "
        "documents already done.",
    ),
]


def checked_outputs(
    inputs: Sequence[str | Path],
    output: str | None,
    fmt: str | None,
    unaligned_out: Path | None,
    skip_bad: bool,
    bad_report: Path | None,
    excel_safe: bool,
    max_length_ratio: float | None,
    dedupe: bool,
    drop_copies: bool,
) -> Outputs:
    """The outputs the options name, checked before any work is done: a bad extension,
    --bad-report without --skip-bad or an output that would overwrite an input or another
    output is a usage error now, not after the run."""
    from aligner.errors import UsageError
    from aligner.export import ExportFilter, ExportOptions, format_for, refuse_clobbering
    from aligner.run.runner import Outputs, default_bad_report

    if bad_report is not None and not skip_bad:
        raise UsageError("--bad-report needs --skip-bad")
    if output is not None:
        format_for(output, fmt)
    if unaligned_out is not None:
        format_for(unaligned_out, pairs=False)
    report_path = bad_report or default_bad_report(output)
    refuse_clobbering(inputs, output, fmt, [unaligned_out, report_path if skip_bad else None])
    return Outputs(
        pairs=output,
        unaligned=unaligned_out,
        bad_report=report_path,
        fmt=fmt,
        options=ExportOptions(excel_safe=excel_safe),
        keep=ExportFilter(
            max_length_ratio=max_length_ratio, dedupe=dedupe, drop_copies=drop_copies
        ),
    )


@contextmanager
def journal_kept_on_interrupt(outputs: Outputs) -> Iterator[None]:
    """Ctrl-C, SIGTERM or dead workers as one line that says where the finished work is kept
    and how to go on."""
    from aligner.errors import EngineError, stopped_run

    def kept() -> str:
        if outputs.journal and outputs.journal.exists():
            return (
                f"; finished documents are kept in {outputs.journal}, rerun with --resume to "
                "continue"
            )
        return ""

    try:
        yield
    except KeyboardInterrupt as stop:
        raise stopped_run(stop, f"interrupted; no output was written{kept()}") from None
    except EngineError as exc:  # workers died: the work they finished is not lost
        raise EngineError(f"{exc}{kept()}") from None


def summary_notes(summary: RunSummary, outputs: Outputs, skip_bad: bool) -> str:
    """Print the run's notices (and the skipped inputs, one per line, when there is no
    bad-input report to hold them); returns the end of the summary line (resumed and skipped
    inputs)."""
    from aligner.run.runner import one_line

    report(summary.notices)
    if outputs.bad_report is None:
        for line in summary.skipped:
            stderr.print(
                f"skipped: {one_line(line)}", highlight=False, markup=False, soft_wrap=True
            )
    notes = []
    if summary.resumed:
        notes.append(f"{summary.resumed} resumed from the journal")
    if skip_bad or summary.skipped:
        where = f", listed in {outputs.bad_report}" if outputs.bad_report else ""
        notes.append(f"{amount(len(summary.skipped), 'input')} skipped{where}")
    return "".join(f"; {note}" for note in notes)
