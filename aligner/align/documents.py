"""Document pairs: segment both sides, align them, and turn beads into pairs and unaligned
segments (the records every table and export already understands)."""

from __future__ import annotations

from aligner import segment
from aligner.align.engine import AlignConfig, AlignStats, Encode, align_sentences
from aligner.records import UNDETERMINED, Bead, Document, DocumentResult, Pair, Segment

METHOD = "document"


def split_sides(document: Document, lang: str, presplit: bool) -> list[Segment]:
    """One side's sentences: each non-blank line (``presplit``) or the sentences of each line."""
    text = document.text
    segments: list[Segment] = []
    splitter_lang = lang if lang != UNDETERMINED else "en"
    for line_number, start, end in segment.lines(text):
        spans = [(start, end)] if presplit else segment.sentences(text, start, end, splitter_lang)
        for span_start, span_end in spans:
            segments.append(
                Segment(
                    doc_id=document.doc_id,
                    index=len(segments),
                    start=span_start,
                    end=span_end,
                    text=text[span_start:span_end],
                    line=line_number,
                    lang=lang,
                    lang_score=1.0,
                )
            )
    return segments


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


def align_document_pair(
    src: Document,
    tgt: Document,
    langs: tuple[str, str],
    encode: Encode,
    config: AlignConfig,
    presplit: bool = False,
) -> tuple[DocumentResult, list[Bead], AlignStats]:
    """Align two documents that translate each other; the result is named after ``src``."""
    src_segments = split_sides(src, langs[0], presplit)
    tgt_segments = split_sides(tgt, langs[1], presplit)
    beads, stats = align_sentences(
        [s.text for s in src_segments], [s.text for s in tgt_segments], encode, config
    )
    result = beads_to_result(
        src.doc_id, f"{src.source} | {tgt.source}", src_segments, tgt_segments, beads
    )
    return result, beads, stats
