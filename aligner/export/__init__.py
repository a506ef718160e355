"""Write corpus tables to files, atomically: a reader never sees a half-written output.

Writers are registered by format name (one module per format: ``delimited`` for CSV and TSV,
``jsonl``, ``parquet``, ``tmx``, ``moses``); the format comes from ``--format`` or the file
extension. Every output records the run's signature. Formats that hold a whole table (CSV, TSV,
JSONL, Parquet, TMX) are also read back by ``read_table``, for ``aligner convert``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from aligner.errors import ExportError, InputError, InputNotFoundError, UsageError
from aligner.export import delimited, jsonl, moses, parquet, tmx  # noqa: F401  (they register)
from aligner.export.atomic import atomic_output, atomic_outputs
from aligner.export.base import (
    EXTENSIONS,
    ExportOptions,
    format_for,
    refuse_clobbering,
    table_readers,
    writers,
)
from aligner.export.beads import write_beads
from aligner.export.delimited import csv_lines, write_csv_lines, write_csv_rows
from aligner.export.filters import ExportFilter
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ExportFilter",
    "ExportOptions",
    "atomic_output",
    "atomic_outputs",
    "csv_lines",
    "format_for",
    "read_table",
    "refuse_clobbering",
    "table_readers",
    "write_beads",
    "write_pairs",
    "write_table",
    "write_table_lines",
    "write_table_rows",
    "writers",
]


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    signature: str,
    fmt: str | None = None,
    options: ExportOptions | None = None,
) -> list[str]:
    """Write ``frame`` to ``path`` (``-`` for stdout) in ``fmt`` or the format its extension
    names, atomically. Returns notices for the user (e.g. characters TMX could not hold)."""
    writer = writers.get(format_for(path, fmt))
    try:
        return writer(frame, str(path), signature, options or ExportOptions())
    except BrokenPipeError:  # stdout's reader stopped reading (| head): not a write error
        raise
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_table_rows(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    path: str | Path,
    signature: str,
    fmt: str | None = None,
    options: ExportOptions | None = None,
) -> list[str]:
    """``write_table`` for a table given as rows (the values of ``columns``, in order): the
    same bytes; CSV is written row by row, so a table of any length fits in memory, and the
    other formats gather the rows into a DataFrame first."""
    name = format_for(path, fmt)
    options = options or ExportOptions()
    if name != "csv":
        import pandas as pd

        frame = pd.DataFrame(list(rows), columns=columns)
        return write_table(frame, path, signature, name, options)
    _write_csv(path, lambda stream: write_csv_rows(rows, columns, stream, signature, options))
    return []


def write_table_lines(
    chunks: Iterable[str], columns: Sequence[str], path: str | Path, signature: str
) -> None:
    """A CSV table whose rows were kept as ``csv_lines`` (the run journal's unaligned rows):
    the bytes ``write_table_rows`` writes for them, with each chunk copied whole."""
    _write_csv(path, lambda stream: write_csv_lines(chunks, columns, stream, signature))


def _write_csv(path: str | Path, fill: Callable[[IO[str]], None]) -> None:
    try:
        with atomic_output(path) as stream:
            fill(stream)
    except BrokenPipeError:  # stdout's reader stopped reading (| head): not a write error
        raise
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_pairs(
    pairs: pd.DataFrame,
    path: str | Path,
    signature: str,
    fmt: str | None = None,
    options: ExportOptions | None = None,
    keep: ExportFilter | None = None,
) -> tuple[list[str], int]:
    """Filter the pair table with ``keep`` (its settings join the signature), then write it.
    Returns the notices (what each filter removed, then the writer's own) and how many pairs
    were written."""
    keep = keep or ExportFilter()
    kept, removed = keep.apply(pairs)
    notices = [
        f"{amount(count, 'pair')} left out ({reason})" for reason, count in removed.items() if count
    ]
    return notices + write_table(kept, path, keep.sign(signature), fmt, options), len(kept)


def read_table(path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, str]:
    """A table written by aligner (CSV, TSV, JSONL, Parquet or TMX) and its signature."""
    source = Path(path)
    if fmt is None and source.suffix.lower() not in EXTENSIONS:
        writers.load_plugins()  # a plugin format's extension joins EXTENSIONS
    name = fmt or EXTENSIONS.get(source.suffix.lower(), "")
    if name not in table_readers:
        readable = ", ".join(table_readers)
        what = f"{name} cannot be read back" if name else "cannot tell the format from its name"
        raise UsageError(f"{path}: {what} (readable: {readable}); use --input-format")
    if not source.is_file():
        raise InputNotFoundError(f"{path}: no such file")
    try:
        return table_readers.get(name)(source)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
