"""The options shared by the commands that spread documents over workers (run, align), and
their progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aligner.cli import stderr

if TYPE_CHECKING:
    from rich.progress import Progress

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
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--engine dask; the "
        "cluster's workers are used and --jobs is ignored).",
    ),
]


def progress_bar() -> Progress:
    """A bar on stderr (stdout may carry the output) that disappears when the run ends."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
