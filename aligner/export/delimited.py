"""CSV (for spreadsheets and pandas) and TSV (bitextor / OPUS style, for corpus tools).

TSV columns, in this fixed order: ``src_doc, tgt_doc, src_text, tgt_text, score`` (bitextor's
first five, so ``--scol 3 --tcol 4`` style tools work), then ``src_lang, tgt_lang, bead``, then
the rest of the table's columns, then ``signature``. TSV has no quoting: tabs and line breaks
inside a cell become spaces (and are counted in a notice).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from aligner.errors import InputError
from aligner.export.atomic import atomic_output
from aligner.export.base import (
    ExportOptions,
    is_pair_table,
    output_format,
    restore_types,
    table_readers,
)
from aligner.table import target_document
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd

TSV_LEAD = ["src_doc", "tgt_doc", "src_text", "tgt_text", "score", "src_lang", "tgt_lang", "bead"]
_FORMULA_START = ("=", "+", "-", "@")
_PREFIXED = tuple(f"'{start}" for start in _FORMULA_START)
"""How ``excel_safe`` leaves a formula-like cell; a cell that already starts so gets one more
``'``, so that ``without_excel_prefixes`` restores every cell."""
_TSV_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]")


def _excel_cell(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START + _PREFIXED):
        return f"'{cell}"
    return cell


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells that start like a formula (``= + - @``), so a spreadsheet
    shows them as text instead of running them."""
    text_columns = [c for c in frame.columns if frame[c].dtype.kind in "OUT"]
    return frame.assign(**{column: frame[column].map(_excel_cell) for column in text_columns})


EXCEL_SAFE_FIELD = "excel:safe"
"""Signed onto an excel-safe table, so that reading it back removes the prefixes again."""


def without_excel_prefixes(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of ``excel_safe`` on a table read back as text."""
    protected = _FORMULA_START + _PREFIXED
    return frame.apply(
        lambda column: column.map(
            lambda cell: cell[1:] if cell[:1] == "'" and cell[1:].startswith(protected) else cell
        )
    )


def _prepared(frame: pd.DataFrame, signature: str, options: ExportOptions) -> pd.DataFrame:
    if not options.excel_safe:
        return frame.assign(signature=signature)
    return excel_safe(frame.assign(signature=f"{signature}|{EXCEL_SAFE_FIELD}"))


def write_csv_rows(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    stream: IO[str],
    signature: str,
    options: ExportOptions,
) -> None:
    """CSV of ``rows`` (the values of ``columns``, in order), one header, written row by row:
    a table of any length is never held, and pandas is not imported (it costs a run 0.3 s and
    100 MB). The bytes are those ``write_csv`` writes for the same table, since pandas'
    ``to_csv`` uses this csv writer too: cells as ``str`` gives them (a float's shortest repr),
    None empty."""
    if options.excel_safe:
        stream.write("\ufeff")
        signature = f"{signature}|{EXCEL_SAFE_FIELD}"
    csv.writer(stream, lineterminator="\n").writerow([*columns, "signature"])
    if options.excel_safe:
        rows = ([_excel_cell(cell) for cell in row] for row in rows)
    if len(columns) > 1:
        csv.writer(_Signed(stream, _excel_cell(signature)), lineterminator="\n").writerows(rows)
    else:  # a row of one empty cell is written '""', not '': the signature is a cell like it
        rows = ([*row, _excel_cell(signature)] for row in rows)
        csv.writer(stream, lineterminator="\n").writerows(rows)


class _Signed:
    """Where ``csv.writer`` writes the rows: each line it writes (one per row) gets the
    signature's cell, quoted once for the whole table. Quoting it on every row, as a cell like
    the others, took two thirds of writing a 3 MB dump's unaligned table."""

    def __init__(self, stream: IO[str], signature: object) -> None:
        self._write = stream.write
        self._tail = _signature_tail(signature)

    def write(self, line: str) -> int:
        return self._write(line[:-1] + self._tail)


def _signature_tail(signature: object) -> str:
    """The end of every row of a signed table: a comma, the signature's cell, the line end."""
    tail = io.StringIO()
    csv.writer(tail, lineterminator="\n").writerow(["", signature])
    return tail.getvalue()


_SLOT = "\n"
"""The last cell of a row kept by ``csv_lines``, where the signature goes once it is known."""
_SLOT_END = _signature_tail(_SLOT)
"""How such a row ends: ``,"\\n"\\n``. No other place in the lines can read so: inside a
quoted cell every ``"`` is doubled, and only the last cell of a row meets the line end."""


def csv_lines(rows: Iterable[Sequence[object]]) -> str:
    """``rows`` as the CSV lines of a signed table, before its signature is known (the run
    journal keeps a dump's unaligned rows so): ``write_csv_lines`` fills them in."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows((*row, _SLOT) for row in rows)
    return buffer.getvalue()


def write_csv_lines(
    chunks: Iterable[str], columns: Sequence[str], stream: IO[str], signature: str
) -> None:
    """The table of the rows ``csv_lines`` gave as ``chunks``, with a header: the bytes
    ``write_csv_rows`` writes for those rows (without ``excel_safe``), and no row parsed."""
    csv.writer(stream, lineterminator="\n").writerow([*columns, "signature"])
    tail = _signature_tail(signature)
    for chunk in chunks:
        stream.write(chunk.replace(_SLOT_END, tail))


@output_format("csv", ".csv")
def write_csv(frame: pd.DataFrame, path: str, signature: str, options: ExportOptions) -> list[str]:
    """UTF-8 CSV with a header and standard (minimal) quoting; newlines in cells are quoted.
    With ``excel_safe`` a BOM is written too, so Excel detects the encoding."""
    with atomic_output(path) as stream:
        stream.write("\ufeff" if options.excel_safe else "")
        _prepared(frame, signature, options).to_csv(stream, index=False, lineterminator="\n")
    return []


def tsv_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The table in TSV's column order (pair tables get bitextor's leading columns)."""
    if not is_pair_table(frame):
        return frame
    targets = [target_document(d, s) for d, s in zip(frame["doc_id"], frame["source"], strict=True)]
    lead = frame.assign(src_doc=frame["doc_id"], tgt_doc=targets)
    rest = [c for c in frame.columns if c not in TSV_LEAD and c != "doc_id"]
    return lead[TSV_LEAD + rest]


@output_format("tsv", ".tsv")
def write_tsv(frame: pd.DataFrame, path: str, signature: str, options: ExportOptions) -> list[str]:
    """Tab-separated, a header row, no quoting; see the module docstring for the columns."""
    table = _prepared(tsv_columns(frame), signature, options).astype(str)
    flattened = 0
    with atomic_output(path) as stream:
        stream.write("\t".join(table.columns) + "\n")
        for row in table.itertuples(index=False):
            cells = [_TSV_BREAKS.sub(" ", cell) for cell in row]
            flattened += sum(new != old for new, old in zip(cells, row, strict=True))
            stream.write("\t".join(cells) + "\n")
    if flattened:
        return [f"{amount(flattened, 'TSV cell')} held tabs or line breaks; they became spaces"]
    return []


def _read_delimited(path: Path, sep: str) -> tuple[pd.DataFrame, str]:
    import pandas as pd

    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise InputError(f"{path}: not a table aligner can read ({reason})") from None
    signature = str(frame["signature"].iloc[0]) if "signature" in frame and len(frame) else ""
    frame = frame.drop(columns=["signature"], errors="ignore")
    if signature.endswith(f"|{EXCEL_SAFE_FIELD}"):
        frame = without_excel_prefixes(frame)
        signature = signature.removesuffix(f"|{EXCEL_SAFE_FIELD}")
    if "src_doc" in frame:
        frame = frame.rename(columns={"src_doc": "doc_id"}).drop(columns=["tgt_doc"])
    return restore_types(frame, path), signature


@table_readers.register("csv")
def read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    """A CSV written by aligner: the table and its signature."""
    return _read_delimited(path, ",")


@table_readers.register("tsv")
def read_tsv(path: Path) -> tuple[pd.DataFrame, str]:
    """A TSV written by aligner (doc_id comes back from ``src_doc``)."""
    return _read_delimited(path, "\t")
