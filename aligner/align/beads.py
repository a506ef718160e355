"""Beads as records and files: the pairs and unaligned sentences of an alignment; the bead file
format of the benchmarks and of ``--beads-out`` (one bead per line, ``[src ids]:[tgt ids]``,
0-based, ``[]`` on one side for a null bead); and the ``--min-score`` rule that leaves a weak
bead's sentences without counterpart."""

from __future__ import annotations

from collections.abc import Iterable

from aligner.records import Bead, BeadAlignment, DocumentResult, Pair, Segment

METHOD = "document"
"""The ``method`` of the pairs a bead alignment makes."""


def format_bead(bead: Bead) -> str:
    """``[3]:[4, 5]``; a null bead is ``[]:[7]`` or ``[3]:[]``."""
    return f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"


def format_beads(beads: Iterable[Bead]) -> str:
    """The whole file: every bead on its own line."""
    return "".join(format_bead(bead) + "\n" for bead in beads)


def below_as_nulls(beads: Iterable[Bead], min_score: float) -> list[Bead]:
    """``beads`` with every non-null bead scoring below ``min_score`` split into the null beads
    of its sentences (the source's, then the target's), so they go to the unaligned table."""
    kept: list[Bead] = []
    for bead in beads:
        if not (bead.src and bead.tgt) or bead.score >= min_score:
            kept.append(bead)
            continue
        kept.extend(Bead((i,), ()) for i in bead.src)
        kept.extend(Bead((), (j,)) for j in bead.tgt)
    return kept


def bead_pairs(
    doc_id: str, src: list[Segment], tgt: list[Segment], beads: list[Bead]
) -> list[Pair]:
    """The non-null beads as pairs of the sentences they join."""
    return [
        Pair(doc_id, tuple(src[i] for i in bead.src), tuple(tgt[j] for j in bead.tgt),
             bead.score, METHOD)
        for bead in beads
        if bead.src and bead.tgt
    ]  # fmt: skip


def beads_to_result(
    doc_id: str,
    sources: tuple[str, str],
    langs: tuple[str, str],
    alignment: BeadAlignment,
) -> DocumentResult:
    """Two documents aligned in beads (``sources``: where each came from): non-null beads
    become pairs, the sentences of null beads are unaligned."""
    src, tgt, beads = alignment.src, alignment.tgt, alignment.beads
    unaligned = [
        segment
        for bead in beads
        if not (bead.src and bead.tgt)
        for segment in (*(src[i] for i in bead.src), *(tgt[j] for j in bead.tgt))
    ]
    return DocumentResult(
        doc_id=doc_id,
        segments=src + tgt,
        source=sources[0],
        pairs=bead_pairs(doc_id, src, tgt, beads),
        unaligned=unaligned,
        target_source=sources[1],
        langs=langs,
        alignment=alignment,
    )
