"""Read dumps into Documents: files, folders (recursive), JSONL, gzip/bz2/xz, and ``-`` (stdin).

Documents are streamed one at a time, in a stable order (sorted paths), so a large dump is never
held in memory whole. Every problem is an InputError naming the file (and line).
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aligner.errors import InputError, InputNotFoundError
from aligner.records import Document
from aligner.registry import Registry

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
}
_MAGIC = {b"\x1f\x8b": ".gz", b"BZh": ".bz2", b"\xfd7zXZ": ".xz"}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    id_field: str = "id"
    text_field: str = "text"
    on_bad: Callable[[InputError], None] | None = None
    """``--skip-bad``: called with the error of each unusable input (a file, a JSONL line),
    which is then skipped; None raises the error and stops the run."""


def _reject(error: InputError, options: ReadOptions) -> None:
    """Raise ``error``, or report it and return when bad inputs are skipped."""
    if options.on_bad is None:
        raise error
    options.on_bad(error)


Reader = Callable[[str, str, str, ReadOptions], Iterator[Document]]
"""(decoded content, source name, default document id, options) -> documents."""

readers: Registry[Reader] = Registry("input format")


@readers.register("text")
def read_text(content: str, source: str, doc_id: str, options: ReadOptions) -> Iterator[Document]:
    """A plain-text file is one document."""
    if not content.strip():
        raise InputError(f"{source}: file is empty, nothing to align")
    yield Document(doc_id=doc_id, text=content, source=source)


@readers.register("jsonl")
def read_jsonl(content: str, source: str, doc_id: str, options: ReadOptions) -> Iterator[Document]:
    """One JSON object per line, with a text field and an optional id field."""
    seen = 0
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1  # a bad line counts: with --skip-bad it is reported once, as itself
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _reject(InputError(f"{source}:{number}: invalid JSON ({exc.msg})"), options)
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            _reject(InputError(f"{source}:{number}: expected a JSON object, got {kind}"), options)
            continue
        text = record.get(options.text_field)
        if not isinstance(text, str):
            _reject(
                InputError(
                    f"{source}:{number}: no string field {options.text_field!r} "
                    f"(fields: {', '.join(record) or 'none'}; choose one with --text-field)"
                ),
                options,
            )
            continue
        record_id = record.get(options.id_field)
        yield Document(
            doc_id=str(record_id) if record_id is not None else f"{doc_id}:{number}",
            text=text,
            source=f"{source}:{number}",
        )
    if not seen:
        raise InputError(f"{source}: no JSON records, nothing to align")


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{source}: looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte {exc.start}); convert it first, "
            f"e.g. iconv -f latin1 -t utf-8"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_compression(name: str) -> tuple[str, str | None]:
    for suffix in _DECOMPRESS:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def _format_of(name: str) -> str:
    return "jsonl" if name.endswith(JSONL_SUFFIXES) else "text"


def _decompress(data: bytes, compression: str, source: str) -> bytes:
    try:
        return _DECOMPRESS[compression](data)
    except (OSError, EOFError, ValueError, lzma.LZMAError) as exc:
        reason = str(exc) or type(exc).__name__
        raise InputError(f"{source}: cannot decompress {compression} data ({reason})") from None


def _read_bytes(path: Path, compression: str | None) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return _decompress(data, compression, str(path)) if compression else data


def read_file(path: Path, options: ReadOptions, doc_id: str | None = None) -> Iterator[Document]:
    plain_name, compression = _strip_compression(path.name)
    content = _decode(_read_bytes(path, compression), str(path))
    stem = doc_id or Path(plain_name).stem
    yield from readers.get(_format_of(plain_name))(content, str(path), stem, options)


def read_stdin(options: ReadOptions, stream: BinaryIO | None = None) -> Iterator[Document]:
    """stdin holds JSONL (first non-blank character ``{``) or one plain-text document;
    gzip, bz2 and xz are recognised by their magic bytes."""
    data = (stream or sys.stdin.buffer).read()
    for magic, compression in _MAGIC.items():
        if data.startswith(magic):
            data = _decompress(data, compression, "<stdin>")
            break
    content = _decode(data, "<stdin>")
    kind = "jsonl" if content.lstrip().startswith("{") else "text"
    yield from readers.get(kind)(content, "<stdin>", "stdin", options)


def _is_input_file(path: Path) -> bool:
    plain_name, _ = _strip_compression(path.name)
    return plain_name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES) and not path.name.startswith(".")


def list_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and _is_input_file(p))


def read_inputs(inputs: Sequence[str], options: ReadOptions | None = None) -> Iterator[Document]:
    """Documents from every input in order: ``-`` is stdin, a folder is read recursively
    (.txt, .md, .jsonl, .ndjson, each optionally .gz/.bz2/.xz), a file is read as it is."""
    options = options or ReadOptions()
    if not inputs:
        raise InputError("no input given: name files, folders, or - for stdin")
    for item in inputs:
        if item == "-":
            yield from _skipping(read_stdin(options), options)
            continue
        path = Path(item)
        if path.is_dir():
            files = list_files(path)
            if not files:
                _reject(
                    InputError(
                        f"{path}: no .txt, .md or .jsonl files (optionally compressed) "
                        "in this folder"
                    ),
                    options,
                )
            for file in files:
                relative = file.relative_to(path)
                plain, _ = _strip_compression(str(relative))
                doc_id = str(Path(plain).with_suffix(""))
                yield from _skipping(read_file(file, options, doc_id=doc_id), options)
        elif path.exists():
            yield from _skipping(read_file(path, options), options)
        else:
            _reject(InputNotFoundError(f"{path}: no such file or folder"), options)


def _skipping(documents: Iterator[Document], options: ReadOptions) -> Iterator[Document]:
    """The documents of one input; with ``on_bad``, an input that fails is reported and the
    run goes on with the next one (documents it gave before failing are kept)."""
    try:
        yield from documents
    except InputError as error:
        _reject(error, options)
