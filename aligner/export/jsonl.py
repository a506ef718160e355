"""JSON Lines: one object per row, every column plus ``signature``, UTF-8 (not escaped)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import InputError
from aligner.export.atomic import atomic_output
from aligner.export.base import ExportOptions, output_format, restore_types, table_readers

if TYPE_CHECKING:
    import pandas as pd


def _plain(value: object) -> object:
    # JSON has no NaN: a missing number (no cue time) is null.
    return None if isinstance(value, float) and math.isnan(value) else value


@output_format("jsonl", ".jsonl", ".ndjson")
def write_jsonl(
    frame: pd.DataFrame, path: str, signature: str, options: ExportOptions
) -> list[str]:
    """One JSON object per row, keys in the table's column order."""
    with atomic_output(path) as stream:
        for record in frame.to_dict("records"):
            row = {str(key): _plain(value) for key, value in record.items()}
            row["signature"] = signature
            stream.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
    return []


@table_readers.register("jsonl")
def read_jsonl(path: Path) -> tuple[pd.DataFrame, str]:
    """A JSONL table written by aligner: the table and its signature."""
    import pandas as pd

    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: expected a JSON object per line")
            records.append(record)
    frame = pd.DataFrame.from_records(records)
    signature = str(records[0].get("signature", "")) if records else ""
    frame = frame.drop(columns=["signature"], errors="ignore")
    return restore_types(frame, path), signature
