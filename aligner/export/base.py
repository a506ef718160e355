"""What every output format shares: the registries, the options, and the table's languages.

A format module registers a writer (and, where the format can hold a whole table, a reader for
``aligner convert``) under its name and the file extensions that select it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import ExportError, InputError, UsageError
from aligner.registry import Registry
from aligner.signature import parse_signature
from aligner.table import FLOAT_COLUMNS, INT_COLUMNS, PAIR_COLUMNS, TIME_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class ExportOptions:
    excel_safe: bool = False
    """Prefix a ``'`` to text cells that a spreadsheet would run as a formula (CSV, TSV)."""


Writer = Callable[["pd.DataFrame", str, str, ExportOptions], list[str]]
"""(table, path or ``-``, signature, options) -> notices for the user (characters removed, ...).
A writer writes atomically: nothing is left at ``path`` if it fails."""
TableReader = Callable[[Path], tuple["pd.DataFrame", str]]
"""path -> (table, signature); the inverse of the writer of the same name."""

writers: Registry[Writer] = Registry("output format", "aligner.writers")
table_readers: Registry[TableReader] = Registry("table format", "aligner.table_readers")
EXTENSIONS: dict[str, str] = {}
"""File extension -> format name."""
LANG_SUFFIX = re.compile(r"\.[a-z]{2}$")
"""``out.es``: an ISO 639-1 code as the extension names one side of a Moses corpus."""


def output_format(name: str, *suffixes: str) -> Callable[[Writer], Writer]:
    """Register a writer under ``name`` and the extensions that select it."""

    def decorator(writer: Writer) -> Writer:
        writers.register(name)(writer)
        EXTENSIONS.update(dict.fromkeys(suffixes, name))
        return writer

    return decorator


def _adopt_writer(name: str, writer: Writer) -> None:
    """A writer plugin, registered as ``output_format`` does: its ``suffixes`` attribute (if
    any) lists the extensions that select it."""
    output_format(name, *getattr(writer, "suffixes", ()))(writer)


writers.adopt = _adopt_writer


PAIRS_ONLY = frozenset({"tmx", "moses"})
"""Formats that hold translation pairs, not the unaligned table."""


def _format_named(path: str | Path, explicit: str | None) -> str:
    if explicit:
        writers.get(explicit)  # fail early, listing the available formats
        return explicit
    suffix = Path(str(path)).suffix.lower()
    if str(path) == "-" or not suffix:
        return "csv"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if LANG_SUFFIX.fullmatch(suffix):
        return "moses"
    writers.load_plugins()  # no built-in writes it: the plugins' extensions join EXTENSIONS
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(sorted(EXTENSIONS))
    raise UsageError(
        f"{path}: unknown output extension {suffix!r} (known: {known}, or a language code "
        f"such as .es for Moses); use --format"
    )


def refuse_clobbering(
    inputs: Sequence[str | Path],
    pairs: str | Path | None,
    fmt: str | None = None,
    others: Sequence[str | Path | None] = (),
) -> None:
    """Refuse, before any work, outputs (the pair table in ``fmt``, then ``others``) that are
    folders or would overwrite an input file or each other. A Moses table ``-o news.es`` also writes
    ``news.<other language>``, which must not be an input either (``news.en``)."""
    named = [Path(o) for o in (pairs, *others) if o is not None and str(o) != "-"]
    for output in named:
        if output.is_dir():
            raise UsageError(
                f"{output}: is a folder; name a file to write, e.g. {output}/pairs.csv"
            )
    written = [o.resolve() for o in named]
    if len(set(written)) < len(written):
        raise UsageError("two outputs name the same file; give each output its own path")
    read = {Path(i).resolve() for i in inputs if str(i) != "-" and Path(i).is_file()}
    for output, path in zip(named, written, strict=True):
        if path in read:
            raise UsageError(f"{output}: is also an input; write the output to another file")
    if pairs is None or str(pairs) == "-" or format_for(pairs, fmt) != "moses":
        return
    table = Path(pairs)
    base = (
        table.with_suffix("") if LANG_SUFFIX.fullmatch(table.suffix.lower()) else table
    ).resolve()
    for path in read:
        if LANG_SUFFIX.fullmatch(path.suffix.lower()) and path.with_suffix("") == base:
            raise UsageError(
                f"{pairs}: the Moses files are named {base.name}.<language> and could overwrite "
                f"the input {path.name}; write the corpus under another name"
            )


def format_for(path: str | Path, explicit: str | None = None, pairs: bool = True) -> str:
    """The output format: ``explicit`` if given, else the one the extension names (``-`` and
    no extension: CSV; a two-letter language code: Moses). With ``pairs=False`` (the unaligned
    table), TMX and Moses are refused, before any work is done."""
    fmt = _format_named(path, explicit)
    if not pairs and fmt in PAIRS_ONLY:
        require_pairs(None, str(path), fmt)
    return fmt


def is_pair_table(frame: pd.DataFrame) -> bool:
    return {"src_text", "tgt_text"} <= set(frame.columns)


def require_pairs(frame: pd.DataFrame | None, path: str, fmt: str) -> None:
    """TMX and Moses hold translation pairs only, not the unaligned table (``None``)."""
    if frame is None or not is_pair_table(frame):
        raise UsageError(
            f"{path}: {fmt} holds translation pairs; write this table as csv, tsv, jsonl or parquet"
        )


def require_file(path: str, fmt: str) -> None:
    if path == "-":
        raise UsageError(f"{fmt} cannot be written to stdout; name a file with -o")


def language_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The (source, target) languages of a pair table's rows, each once, in order of appearance
    (``aligner align`` detects languages per document, so a folder can give several)."""
    pairs = zip(frame["src_lang"].astype(str), frame["tgt_lang"].astype(str), strict=True)
    return list(dict.fromkeys(pairs))


def table_langs(frame: pd.DataFrame, signature: str, path: str) -> tuple[str, str]:
    """(source, target) language of a pair table that holds one language pair: its rows', else
    (no rows) the signature's ``langs`` field."""
    found = language_pairs(frame)
    if len(found) > 1:
        named = ", ".join(f"{src}-{tgt}" for src, tgt in found)
        raise ExportError(
            f"{path}: the table holds {len(found)} language pairs ({named}) and this format one; "
            "write CSV, TSV, JSONL, Parquet or TMX, or align each language pair on its own"
        )
    if found:
        return found[0]
    langs = parse_signature(signature).get("langs", "")
    if langs.count("-") == 1:
        src, tgt = langs.split("-")
        return src, tgt
    raise ExportError(f"{path}: cannot tell the languages of an empty table without a signature")


def restore_types(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Give columns read back from a text format the table's types (offsets int, scores
    float), in the table's column order; every other column stays text."""
    import pandas as pd

    typed = {}
    for column in [c for c in frame.columns if c in INT_COLUMNS | FLOAT_COLUMNS]:
        try:
            values = pd.to_numeric(frame[column])
            typed[column] = values.astype("int64" if column in INT_COLUMNS else "float64")
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path}: column {column!r} is not numeric ({exc})") from None
    frame = frame.assign(**typed) if typed else frame
    order = [c for c in (*PAIR_COLUMNS, *TIME_COLUMNS) if c in frame.columns]
    return frame[order + [c for c in frame.columns if c not in order]]
