"""What every command of the ``aligner`` command line shares: the typer ``app`` they register
on, the stderr console, ``--version``, ``--debug`` and the mapping of errors to one line and an
exit code (1 runtime, 2 usage). Nothing heavy is imported here, so ``aligner --help`` is fast.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from aligner import __version__
from aligner.errors import AlignerError, Terminated, stopped_run

app = typer.Typer(
    name="aligner",
    help=(
        "Find the translations hiding in article dumps and write them as a parallel corpus.\n\n"
        "Example: aligner run seeds/ --langs es,en -o out/seed-corpus.csv"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

# Progress, warnings and errors go to stderr so that stdout stays clean for data ('-o -').
# soft_wrap: a summary or note is one line however narrow the terminal, and not cut at 80
# columns when stderr is a log or a pipe
stderr = Console(stderr=True, soft_wrap=True)
_state = {"debug": False}

SIGPIPE_EXIT = 141
"""What a shell reports for a command that a closed pipe stopped (128 + SIGPIPE)."""

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 1) -> typer.Exit:
    # the message is plain text: "pip install 'aligner[e5]'" must keep its brackets
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn AlignerError (and an interrupted run) into one line on stderr and an exit code;
    with --debug the traceback is shown as well."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AlignerError as exc:
            if _state["debug"]:
                stderr.print_exception()
            raise fail(" ".join(str(exc).split()), exc.exit_code) from None
        except KeyboardInterrupt as stop:
            error = stopped_run(stop, "interrupted; no output was written for the unfinished run")
            raise fail(str(error), error.exit_code) from None
        except BrokenPipeError:
            # the reader of stdout stopped early (aligner run ... | head): end quietly, as a
            # Unix tool killed by SIGPIPE does, and keep Python from flushing into the pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(SIGPIPE_EXIT) from None

    return wrapper


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    # SIGTERM (kill, a scheduler's stop) ends a run as Ctrl-C does: journal kept, one line
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except BrokenPipeError:  # 'aligner ... | head' closed stdout early: not an error
        sys.stderr.close()
