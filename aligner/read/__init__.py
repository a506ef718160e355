"""Read dumps into Documents: files, folders (recursive), ``-`` (stdin), gzip/bz2/xz.

One module per input format, each registering its reader and extensions: ``text`` (.txt),
``markdown`` (.md, .markdown), ``jsonl`` (.jsonl, .ndjson), ``html`` (.html, .htm), ``warc``
(.warc, .warc.gz), ``srt`` and ``vtt``. Documents are streamed one at a time, in a stable order
(sorted paths), so a large dump is never held in memory whole. Every problem is an InputError
naming the file (and line).
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from aligner.errors import InputError, InputNotFoundError
from aligner.read import html, markdown, subtitles, text, warc  # noqa: F401  (they register)
from aligner.read.base import (
    DECOMPRESS,
    MAGIC,
    SELF_DECOMPRESSING,
    SEVERAL_DOCUMENTS,
    SUFFIXES,
    Reader,
    ReadOptions,
    format_of,
    open_input,
    readers,
    reading,
    reject,
    rejoin,
    strip_compression,
)
from aligner.records import Document

__all__ = [
    "ReadOptions",
    "Reader",
    "document_count",
    "list_files",
    "read_file",
    "read_inputs",
    "read_stdin",
    "readers",
]

_STDIN_PREFIXES = {
    re.compile(r'\{\s*["}]'): "jsonl",
    re.compile(r"WEBVTT"): "vtt",
    re.compile(r"WARC/"): "warc",
    re.compile(r"<[A-Za-z!?]"): "html",
}
"""How stdin announces its format (its first non-blank characters: a JSON object, a tag);
anything else, ``<<Exclusiva>> El Gobierno...`` or ``{Nota}`` included, is text."""


_SNIFF_BYTES = 4096


def read_file(path: Path, options: ReadOptions, doc_id: str | None = None) -> Iterator[Document]:
    """The documents of one file, read as its extension says (plain text when it says none
    that aligner knows), streamed: a compressed file is decompressed as it is read."""
    plain_name, compression = strip_compression(path.name)
    fmt = format_of(path.name) or "text"
    if fmt in SELF_DECOMPRESSING:
        compression = None
    stem = doc_id or Path(plain_name).stem
    with open_input(path) as raw:
        stream = DECOMPRESS[compression](raw) if compression else raw
        documents = readers.get(fmt)(stream, str(path), stem, options)
        yield from reading(documents, str(path), compression)


def read_stdin(options: ReadOptions, stream: BinaryIO | None = None) -> Iterator[Document]:
    """stdin holds JSONL (first non-blank character ``{``), WebVTT, WARC, HTML (``<``) or one
    plain-text document; gzip, bz2 and xz are recognised by their magic bytes."""
    if stream is None and sys.stdin is None:
        raise InputError("-: standard input is closed: nothing to read")
    raw = stream or sys.stdin.buffer
    head = raw.read(_SNIFF_BYTES)
    compression = next((c for magic, c in MAGIC.items() if head.startswith(magic)), None)
    documents = _read_sniffed(rejoin(head, raw), head, compression, options)
    yield from reading(documents, "<stdin>", compression)


def _read_sniffed(
    stream: BinaryIO, head: bytes, compression: str | None, options: ReadOptions
) -> Iterator[Document]:
    """Read ``stream`` (whose first bytes are ``head``) as its first characters say; a
    compressed stream is sniffed again once decompressed."""
    if compression:
        decompressed = DECOMPRESS[compression](stream)
        head = decompressed.read(_SNIFF_BYTES)
        stream = rejoin(head, decompressed)
    start = head[:64].lstrip().decode("utf-8", errors="replace").removeprefix("\ufeff")
    kind = next((fmt for mark, fmt in _STDIN_PREFIXES.items() if mark.match(start)), "text")
    yield from readers.get(kind)(stream, "<stdin>", "stdin", options)


def _is_input_file(path: Path) -> bool:
    return format_of(path.name) is not None and not path.name.startswith(".")


def list_files(root: Path) -> list[Path]:
    """The files under ``root`` that aligner reads, in sorted order."""
    return sorted(p for p in root.rglob("*") if p.is_file() and _is_input_file(p))


def document_count(inputs: Sequence[str]) -> int | None:
    """How many documents ``read_inputs`` will give, known before reading when every input is
    a file or folder of one-document files (text, HTML, subtitles); None when stdin, a JSONL
    or WARC file, or a missing path is among them."""
    count = 0
    for item in inputs:
        path = Path(item)
        if item == "-" or not path.exists():
            return None
        files = list_files(path) if path.is_dir() else [path]
        if any((format_of(f.name) or "text") in SEVERAL_DOCUMENTS for f in files):
            return None
        count += len(files)
    return count


def input_bytes(inputs: Sequence[str]) -> int | None:
    """The size on disk of the files ``read_inputs`` reads (compressed as they are); None when
    stdin is among them. A path that cannot be read counts nothing (reading it says why)."""
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        try:
            files = list_files(path) if path.is_dir() else [path]
            total += sum(f.stat().st_size for f in files)
        except OSError:
            continue
    return total


def read_inputs(inputs: Sequence[str], options: ReadOptions | None = None) -> Iterator[Document]:
    """Documents from every input in order: ``-`` is stdin, a folder is read recursively
    (every extension aligner reads, each optionally .gz/.bz2/.xz), a file is read as its
    extension says. An empty JSONL file holds no document (a shard of a split dump may be
    empty); inputs that hold none at all, with none rejected, are an error."""
    options = options or ReadOptions()
    if not inputs:
        raise InputError("no input given: name files, folders, or - for stdin")
    rejected: list[InputError] = []
    if options.on_bad is not None:
        report = options.on_bad

        def counted(error: InputError) -> None:
            rejected.append(error)
            report(error)

        options = dataclasses.replace(options, on_bad=counted)
    found = 0
    for document in _documents(inputs, options):
        found += 1
        yield document
    if not found and not rejected:
        named = ", ".join(inputs)
        raise InputError(f"{named}: no documents (no JSON records), nothing to align")


def _documents(inputs: Sequence[str], options: ReadOptions) -> Iterator[Document]:
    for item in inputs:
        if item == "-":
            yield from _skipping(read_stdin(options), options)
            continue
        path = Path(item)
        if path.is_dir():
            files = list_files(path)
            if not files:
                known = " ".join(sorted(SUFFIXES))
                reject(
                    InputError(
                        f"{path}: no input files in this folder (aligner reads {known}, "
                        f"optionally .gz/.bz2/.xz)"
                    ),
                    options,
                )
            for file in files:
                relative = file.relative_to(path)
                plain, _ = strip_compression(str(relative))
                doc_id = str(Path(plain).with_suffix(""))
                yield from _skipping(read_file(file, options, doc_id=doc_id), options)
        elif path.exists():
            yield from _skipping(read_file(path, options), options)
        elif path.is_symlink():
            reject(InputNotFoundError(f"{path}: {_broken_link(path)}"), options)
        else:
            reject(InputNotFoundError(f"{path}: no such file or folder"), options)


def _broken_link(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links (each leads to another, never to a file)"
    return f"a symbolic link to {os.readlink(path)}, which does not exist"


def _skipping(documents: Iterator[Document], options: ReadOptions) -> Iterator[Document]:
    """The documents of one input; with ``on_bad``, an input that fails is reported and the
    run goes on with the next one (documents it gave before failing are kept)."""
    try:
        yield from documents
    except InputError as error:
        reject(error, options)
