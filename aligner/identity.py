"""What identifies an input from one run to the next: a resumed run checks that its inputs are
the ones the journal holds (``run.journal``)."""

from __future__ import annotations

import hashlib

from aligner.records import Document


def document_key(document: Document) -> str:
    """Identity of a document's input: changes when its id, provenance or text changes."""
    return text_key(document.doc_id, document.source, document.text)


def text_key(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
