"""WARC files from crawls (warcio): each HTML response record is one document.

The document id is the record's ``WARC-Target-URI``, its source ``file:offset`` with the offset
of the record in the file as stored (compressed or not), the way a crawl index (Common Crawl's
CDX) addresses it. Pages with no article text are kept as empty documents, so the document count
still matches the crawl. Needs ``pip install 'aligner[warc]'``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from aligner.errors import InputError
from aligner.extras import need
from aligner.read.base import ReadOptions, input_format
from aligner.read.html import html_text
from aligner.records import Document


@input_format("warc", ".warc", ".arc", decompresses=True)
def read_warc(data: bytes, source: str, doc_id: str, options: ReadOptions) -> Iterator[Document]:
    """Every ``response`` record with an HTML payload, in file order."""
    archive = need("warcio.archiveiterator", "warc", "reading WARC")
    exceptions = need("warcio.exceptions", "warc", "reading WARC")
    records = archive.ArchiveIterator(io.BytesIO(data))
    offset, seen = 0, 0
    try:
        for record in records:
            offset = records.get_record_offset()
            seen += 1
            content_type = (
                record.http_headers.get_header("Content-Type", "") if (record.http_headers) else ""
            )
            if record.rec_type != "response" or "html" not in content_type.lower():
                continue
            where = f"{source}:{offset}"
            uri = record.rec_headers.get_header("WARC-Target-URI") or where
            yield Document(
                doc_id=uri, text=html_text(record.content_stream().read(), where), source=where
            )
    except exceptions.ArchiveLoadFailed as exc:
        reason = " ".join(str(exc).split())
        raise InputError(
            f"{source}: not a valid WARC record after offset {offset} ({reason})"
        ) from None
    if not seen:
        raise InputError(f"{source}: no WARC records, nothing to align")
