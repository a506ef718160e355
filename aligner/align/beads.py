"""The bead file format of the benchmarks and of ``--beads-out``: one bead per line,
``[src ids]:[tgt ids]``, 0-based, ``[]`` on one side for a null bead."""

from __future__ import annotations

from collections.abc import Iterable

from aligner.records import Bead


def format_bead(bead: Bead) -> str:
    """``[3]:[4, 5]``; a null bead is ``[]:[7]`` or ``[3]:[]``."""
    return f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"


def format_beads(beads: Iterable[Bead]) -> str:
    """The whole file: every bead on its own line."""
    return "".join(format_bead(bead) + "\n" for bead in beads)
