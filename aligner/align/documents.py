"""Document pairs: segment both sides, align them, and turn beads into pairs and unaligned
segments (the records every table and export already understands)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aligner import segment
from aligner.align.engine import AlignConfig, Encode, align_sentences
from aligner.align.inputs import resolve_langs
from aligner.langid import DEFAULT_DETECTOR, load_detector
from aligner.records import Bead, Document, DocumentResult, Pair, Segment
from aligner.signature import signature

METHOD = "document"


def split_sides(document: Document, lang: str, presplit: bool) -> list[Segment]:
    """One side's sentences: each non-blank line (``presplit``) or the sentences of each line."""
    lines = segment.lines(document.text)
    pieces = ((number, start, end, lang, 1.0) for number, start, end in lines)
    return segment.labelled_segments(document, pieces, split=not presplit)


def beads_to_result(
    doc_id: str, source: str, src: list[Segment], tgt: list[Segment], beads: list[Bead]
) -> DocumentResult:
    """Non-null beads become pairs; the sentences of null beads are unaligned."""
    pairs: list[Pair] = []
    unaligned: list[Segment] = []
    for bead in beads:
        src_part = tuple(src[i] for i in bead.src)
        tgt_part = tuple(tgt[j] for j in bead.tgt)
        if src_part and tgt_part:
            pairs.append(Pair(doc_id, src_part, tgt_part, bead.score, METHOD))
        else:
            unaligned.extend(src_part + tgt_part)
    return DocumentResult(
        doc_id=doc_id, segments=src + tgt, source=source, pairs=pairs, unaligned=unaligned
    )


@dataclass(frozen=True, slots=True)
class AlignedDocuments:
    """One aligned document pair: the table-ready result and the beads behind it."""

    src: Document
    tgt: Document
    langs: tuple[str, str]
    src_segments: list[Segment]
    tgt_segments: list[Segment]
    beads: list[Bead]
    result: DocumentResult
    """Named after ``src``; its segments are the source's then the target's."""


def align_pairs(
    pairs: Iterable[tuple[Document, Document]],
    encode: Encode,
    config: AlignConfig,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    detector: str = DEFAULT_DETECTOR,
    presplit: bool = False,
    refine: Encode | None = None,
) -> Iterator[AlignedDocuments]:
    """Align each (source, target) document pair; languages are given or detected per pair
    (the ``detector`` is loaded only when a language is missing); ``refine`` re-aligns the
    uncertain stretches (``engine.align_sentences``). The CLI and the Python API both run
    this."""
    language_detector = load_detector(detector) if src_lang is None or tgt_lang is None else None
    for src, tgt in pairs:
        langs = resolve_langs(src, tgt, src_lang, tgt_lang, language_detector)
        src_segments = split_sides(src, langs[0], presplit)
        tgt_segments = split_sides(tgt, langs[1], presplit)
        beads, _ = align_sentences(
            [s.text for s in src_segments],
            [s.text for s in tgt_segments],
            encode,
            config,
            refine,
        )
        source = f"{src.source} | {tgt.source}"
        result = beads_to_result(src.doc_id, source, src_segments, tgt_segments, beads)
        yield AlignedDocuments(src, tgt, langs, src_segments, tgt_segments, beads, result)


def pairs_signature(
    encoder_name: str,
    config: AlignConfig,
    langs: Iterable[tuple[str, str]],
    presplit: bool,
    refine_name: str | None = None,
) -> str:
    refined = {"refine": refine_name} if refine_name else {}
    return signature(
        {
            "encoder": encoder_name,
            **refined,
            "splitter": "presplit" if presplit else segment.SPLITTER,
            "langs": ",".join(sorted({f"{a}-{b}" for a, b in langs})),
            "align": config.describe(),
        }
    )
