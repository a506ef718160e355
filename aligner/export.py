"""Write corpus tables to files, atomically: a reader never sees a half-written output.

Writers are registered by format name; the format comes from ``--format`` or the file extension.
Every writer records the run's signature (CSV: a trailing ``signature`` column).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from aligner.errors import ExportError, UsageError
from aligner.registry import Registry

if TYPE_CHECKING:
    import pandas as pd

Writer = Callable[["pd.DataFrame", IO[str], str], None]
"""(table, open text stream, signature) -> None."""

writers: Registry[Writer] = Registry("output format")
_EXTENSIONS = {".csv": "csv"}


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[str]]:
    """A text stream that becomes ``path`` only when the block ends without error; ``-`` is
    stdout. The temporary file sits beside the target so the final rename is atomic."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@writers.register("csv")
def write_csv(frame: pd.DataFrame, stream: IO[str], signature: str) -> None:
    """UTF-8 CSV with a header and standard (minimal) quoting; newlines in cells are quoted."""
    frame.assign(signature=signature).to_csv(stream, index=False, lineterminator="\n")


def format_for(path: str | Path, explicit: str | None = None) -> str:
    if explicit:
        writers.get(explicit)  # fail early, listing the available formats
        return explicit
    suffix = Path(str(path)).suffix.lower()
    if str(path) == "-" or not suffix:
        return "csv"
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        known = ", ".join(sorted(_EXTENSIONS))
        raise UsageError(
            f"{path}: unknown output extension {suffix!r} (known: {known}); use --format"
        ) from None


def write_table(
    frame: pd.DataFrame, path: str | Path, signature: str, fmt: str | None = None
) -> None:
    """Write ``frame`` to ``path`` (``-`` for stdout) in ``fmt`` or the format its extension
    names, atomically."""
    writer = writers.get(format_for(path, fmt))
    try:
        with atomic_output(path) as stream:
            writer(frame, stream, signature)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


# Streaming: a table too large for memory arrives as chunks (``table.table_chunks``).
HEADER_LINES = {"csv": 1}
"""Formats that can be written chunk by chunk, and how many header lines each chunk's output
starts with (written for the first chunk only). A format not listed is gathered whole first."""


def write_table_chunks(
    chunks: Iterable[pd.DataFrame], path: str | Path, signature: str, fmt: str | None = None
) -> None:
    """Like ``write_table`` for a table given as DataFrames of the same columns (at least one),
    atomically; the bytes are those ``write_table`` gives for the whole table."""
    name = format_for(path, fmt)
    if name not in HEADER_LINES:
        import pandas as pd

        write_table(pd.concat(list(chunks), ignore_index=True), path, signature, name)
        return
    writer = writers.get(name)
    try:
        with atomic_output(path) as stream:
            for number, chunk in enumerate(chunks):
                buffer = io.StringIO()
                writer(chunk, buffer, signature)
                text = buffer.getvalue()
                if number:
                    for _ in range(HEADER_LINES[name]):
                        text = text.partition("\n")[2]
                stream.write(text)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
