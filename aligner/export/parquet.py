"""Parquet (pyarrow): the table's column types kept, the signature in the schema metadata under
``aligner.signature``. Needs ``pip install 'aligner[parquet]'``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aligner.dependencies import need
from aligner.errors import InputError
from aligner.export.atomic import atomic_output
from aligner.export.base import ExportOptions, output_format, require_file, table_readers

if TYPE_CHECKING:
    import pandas as pd

SIGNATURE_KEY = b"aligner.signature"


@output_format("parquet", ".parquet")
def write_parquet(
    frame: pd.DataFrame, path: str, signature: str, options: ExportOptions
) -> list[str]:
    """One Parquet file; the signature is schema metadata, not a repeated column."""
    require_file(path, "parquet")
    pa = need("pyarrow", "parquet", "writing Parquet")
    pq = need("pyarrow.parquet", "parquet", "writing Parquet")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), SIGNATURE_KEY: signature.encode()}
    with atomic_output(path, binary=True) as stream:
        pq.write_table(table.replace_schema_metadata(metadata), stream)
    return []


@table_readers.register("parquet")
def read_parquet(path: Path) -> tuple[pd.DataFrame, str]:
    """A Parquet table written by aligner: the table and its signature."""
    pq = need("pyarrow.parquet", "parquet", "reading Parquet")
    pa = need("pyarrow", "parquet", "reading Parquet")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a Parquet file aligner can read ({exc})") from None
    signature = (table.schema.metadata or {}).get(SIGNATURE_KEY, b"").decode()
    return table.to_pandas(), signature
