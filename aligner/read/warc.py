"""WARC files from crawls (warcio): each HTML response record is one document.

The document id is the record's ``WARC-Target-URI``, its source ``file:offset`` with the offset
of the record in the file as stored (compressed or not), the way a crawl index (Common Crawl's
CDX) addresses it. Pages with no article text are kept as empty documents, so the document count
still matches the crawl. Needs ``pip install 'aligner[warc]'``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from aligner.dependencies import need
from aligner.errors import InputError
from aligner.read.base import ReadOptions, input_format
from aligner.read.html import html_text
from aligner.records import Document


@dataclass(frozen=True, slots=True)
class Page:
    uri: str
    offset: int
    html: bytes


def html_pages(stream: BinaryIO, source: str) -> Iterator[Page]:
    """The HTML responses of a WARC file, in file order; anything that is not a WARC record
    is an InputError naming the offset after the last good record."""
    archive = need("warcio.archiveiterator", "warc", "reading WARC")
    exceptions = need("warcio.exceptions", "warc", "reading WARC")
    records = archive.ArchiveIterator(stream)
    offset, seen = 0, 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            # warcio also reads ARC and takes any text line for an ARC header: refuse those.
            if record.format != "warc" or not record.rec_type:
                raise exceptions.ArchiveLoadFailed("no WARC/1.x header")
            content_type = (
                record.http_headers.get_header("Content-Type", "") if (record.http_headers) else ""
            )
            is_page = record.rec_type == "response" and "html" in content_type.lower()
            body = record.content_stream().read() if is_page else b""
            # Only now: warcio finds the offset by reading the record to its end.
            offset = records.get_record_offset()
        # AttributeError: warcio's reaction to a header block cut short.
        except (exceptions.ArchiveLoadFailed, EOFError, OSError, zlib.error, AttributeError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise InputError(
                f"{source}: not a valid WARC record after offset {offset} ({reason})"
            ) from None
        seen += 1
        if is_page:
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}:{offset}"
            yield Page(uri, offset, body)
    if not seen:
        raise InputError(f"{source}: no WARC records, nothing to align")


@input_format("warc", ".warc", decompresses=True, several=True)
def read_warc(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """Every ``response`` record with an HTML payload, in file order, read record by record."""
    for page in html_pages(stream, source):
        where = f"{source}:{page.offset}"
        yield Document(doc_id=page.uri, text=html_text(page.html, where), source=where)
