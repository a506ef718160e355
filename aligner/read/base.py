"""What every input format shares: options, the registry of readers and the extensions that
select them, streaming decompression, and the checks that turn bytes into text (UTF-8, no NUL
bytes)."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from aligner.errors import InputError
from aligner.records import Document
from aligner.registry import Registry

DECOMPRESS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    ".gz": lambda raw: gzip.GzipFile(fileobj=raw),
    ".bz2": bz2.BZ2File,
    ".xz": lzma.LZMAFile,
}
"""Compression extension -> a stream that decompresses as it is read (a dump is never
decompressed whole into memory)."""
STREAM_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)
"""What reading a file, or decompressing it, raises on a truncated or corrupt input."""
MAGIC = {b"\x1f\x8b": ".gz", b"BZh": ".bz2", b"\xfd7zXZ": ".xz"}


def open_input(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes; an InputError naming it when that fails."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


class Markup(StrEnum):
    """How a JSONL text field is written (``read.markup``); ``auto`` detects it per record."""

    AUTO = "auto"
    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    id_field: str = "id"
    text_field: str = "text"
    markup: Markup = Markup.AUTO
    on_bad: Callable[[InputError], None] | None = None
    """``--skip-bad``: called with the error of each unusable input (a file, a JSONL line),
    which is then skipped; None raises the error and stops the run."""


def reject(error: InputError, options: ReadOptions) -> None:
    """Raise ``error``, or report it and return when bad inputs are skipped."""
    if options.on_bad is None:
        raise error
    options.on_bad(error)


Reader = Callable[[BinaryIO, str, str, ReadOptions], Iterator[Document]]
"""(the file's content as a binary stream, decompressed unless the format decompresses itself;
source name; default document id; options) -> documents. Formats of one document per file read
the stream whole; JSONL and WARC read it record by record."""

readers: Registry[Reader] = Registry("input format", "aligner.readers")
SUFFIXES: dict[str, str] = {}
"""File extension (without compression) -> input format name."""
SELF_DECOMPRESSING: set[str] = set()
"""Formats whose library reads compressed files itself (WARC: record offsets stay those of the
compressed file, which is what a crawl index such as Common Crawl's CDX points at)."""
SEVERAL_DOCUMENTS: set[str] = set()
"""Formats whose file may hold any number of documents (JSONL, WARC); a file of any other
format is one document."""


def input_format(
    name: str, *suffixes: str, decompresses: bool = False, several: bool = False
) -> Callable[[Reader], Reader]:
    """Register a reader under ``name`` and the extensions that select it in folders;
    ``several`` when one file may hold several documents."""

    def decorator(reader: Reader) -> Reader:
        readers.register(name)(reader)
        SUFFIXES.update(dict.fromkeys(suffixes, name))
        if decompresses:
            SELF_DECOMPRESSING.add(name)
        if several:
            SEVERAL_DOCUMENTS.add(name)
        return reader

    return decorator


def _adopt_reader(name: str, reader: Reader) -> None:
    """A reader plugin, registered as ``input_format`` does: its attributes ``suffixes``,
    ``decompresses`` and ``several`` (all optional) are the decorator's arguments."""
    suffixes = getattr(reader, "suffixes", ())
    decompresses = getattr(reader, "decompresses", False)
    several = getattr(reader, "several", False)
    input_format(name, *suffixes, decompresses=decompresses, several=several)(reader)


readers.adopt = _adopt_reader


def refuse_binary(head: bytes, source: str, expected: str) -> None:
    """An InputError when ``head`` (a file's first bytes) holds NUL bytes: UTF-16 text, said so
    with how to convert it, or a binary file."""
    if b"\x00" not in head:
        return
    if _utf16(head):
        raise InputError(
            f"{source}: looks like UTF-16 text; aligner reads UTF-8: convert it with "
            f"iconv -f UTF-16 -t UTF-8 {source} > {source}.utf8"
        )
    raise InputError(f"{source}: looks like a binary file (NUL bytes), not {expected}")


def _utf16(head: bytes) -> bool:
    """A byte-order mark, or (without one) the zero high bytes of Latin text: NULs in one of the
    two byte places, hardly any in the other."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    fewer, more = sorted((head[0::2].count(0), head[1::2].count(0)))
    return more >= max(2, len(head) // 8) and fewer * 10 <= more


def decode(data: bytes, source: str) -> str:
    """UTF-8 text with a BOM removed and line ends made ``\\n``, or an InputError."""
    refuse_binary(data[:8192], source, "text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte {exc.start}); convert it first, "
            f"e.g. iconv -f latin1 -t utf-8"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def reading(
    documents: Iterator[Document], source: str, compression: str | None
) -> Iterator[Document]:
    """``documents`` with the errors of the stream beneath them (a truncated or corrupt file)
    turned into an InputError naming the input."""
    try:
        yield from documents
    except STREAM_ERRORS as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if compression:
            raise InputError(f"{source}: cannot decompress {compression} data ({reason})") from None
        raise InputError(f"{source}: cannot read ({reason})") from None


class _Rejoined(io.RawIOBase):
    """Bytes already read from a stream (to sniff its format), then the rest of it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def rejoin(head: bytes, rest: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_Rejoined(head, rest))


def strip_compression(name: str) -> tuple[str, str | None]:
    """``dump.jsonl.gz`` -> (``dump.jsonl``, ``.gz``)."""
    for suffix in DECOMPRESS:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def format_of(name: str) -> str | None:
    """The input format a file name selects (compression extension ignored), or None."""
    plain, _ = strip_compression(name.lower())
    for suffix, fmt in SUFFIXES.items():
        if plain.endswith(suffix):
            return fmt
    if readers.load_plugins():  # no built-in reads it: the plugins' extensions join SUFFIXES
        return format_of(name)
    return None
