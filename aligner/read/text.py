"""Plain text (one document per file) and JSONL (one document per line, configurable fields)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from aligner.errors import InputError
from aligner.read.base import ReadOptions, decode, input_format, refuse_binary, reject
from aligner.read.markup import shown_text
from aligner.records import Document


@input_format("text", ".txt")
def read_text(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """A plain-text file is one document; an empty (or blank) file is an empty document, whose
    provenance a run still counts."""
    yield Document(doc_id=doc_id, text=decode(stream.read(), source), source=source)


def field(record: dict[str, Any], name: str) -> Any:
    """``record[name]``, or for a dotted name (``body.text``) the field inside nested objects
    when the record has no field of that exact name; None when there is none."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


@input_format("jsonl", ".jsonl", ".ndjson", several=True)
def read_jsonl(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """One JSON object per line, with a text field and an optional id field; read a line at a
    time, so a dump of any size streams. A text field in HTML or Markdown is read as the text
    its page shows (``markup.shown_text``). An empty file holds no record."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            refuse_binary(raw[:8192], source, "JSON lines")
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            reject(InputError(f"{source}:{number}: not valid UTF-8 (byte {exc.start})"), options)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"{exc.msg.removesuffix(' at')}, column {exc.colno}"
            reject(InputError(f"{source}:{number}: invalid JSON ({reason})"), options)
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            reject(InputError(f"{source}:{number}: expected a JSON object, got {kind}"), options)
            continue
        text = field(record, options.text_field)
        if not isinstance(text, str):
            found = "no field" if text is None else f"a {type(text).__name__}, not text, in"
            reject(
                InputError(
                    f"{source}:{number}: {found} {options.text_field!r} "
                    f"(fields: {', '.join(record) or 'none'}; choose one with --text-field)"
                ),
                options,
            )
            continue
        record_id = field(record, options.id_field)
        if record_id is not None and not isinstance(record_id, str):
            record_id = json.dumps(record_id, ensure_ascii=False, sort_keys=True)
        yield Document(
            doc_id=record_id if record_id is not None else f"{doc_id}:{number}",
            text=shown_text(text, options.markup, f"{source}:{number}"),
            source=f"{source}:{number}",
        )
