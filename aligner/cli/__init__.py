"""The ``aligner`` command line: a thin typer layer over the library. Each command lives in its
own module and registers itself on ``app`` (``cli.base``); they import their heavy parts lazily.
"""

from aligner.cli import align, convert, detect, mine, run, subtitles  # noqa: F401  (they register)
from aligner.cli.base import app, main

__all__ = ["app", "main"]
