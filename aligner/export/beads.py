"""``--beads-out``: one bead file per aligned document pair, named after its source document
(the file's name, or its path inside ``--src-dir``), in the format of ``align.beads``."""

from __future__ import annotations

from pathlib import Path

from aligner.align.beads import format_beads
from aligner.export.atomic import atomic_output
from aligner.records import DocumentResult


def write_beads(result: DocumentResult, folder: Path) -> None:
    """The beads behind ``result``'s pairs, atomically; nothing for a result without beads."""
    if result.alignment is not None:
        with atomic_output(folder / result.doc_id) as stream:
            stream.write(format_beads(result.alignment.beads))
