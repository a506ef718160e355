"""The Python API that notebooks and other programs use; the CLI runs the same code.

- ``align_dump(inputs, langs=...)`` pairs the translations inside each document (captions);
- ``align_documents(src, tgt, ...)`` aligns documents that translate each other, in beads.

Both return a ``Corpus``: the pairs and unaligned tables as pandas DataFrames, the results per
document, and ``explain(doc_id)`` for the evidence behind a decision, which ``plot_similarity``
and ``show`` draw.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aligner.embed import DEFAULT_ENCODER
from aligner.errors import UsageError
from aligner.langid import DEFAULT_DETECTOR
from aligner.pair import PairingConfig
from aligner.records import Bead, Document, DocumentResult
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from aligner.align.documents import AlignedDocuments

TEXT_ID = "text"
"""The document id of ``align_texts``' one document pair."""


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """A document pair's beads over the cosine similarity of its sentences."""

    aligned: AlignedDocuments
    similarity: np.ndarray
    """Source sentences x target sentences (the first ``limit`` of each side)."""


@dataclass
class Corpus:
    """An aligned corpus: ``pairs`` and ``unaligned`` tables (schemas in README), the results
    per document, and the signature of the settings that produced them."""

    pairs: pd.DataFrame
    unaligned: pd.DataFrame
    results: list[DocumentResult]
    signature: str
    explainer: Callable[[str], object]
    """doc_id -> the evidence behind its pairs (CaptionEvidence or PairEvidence)."""
    renderer: Callable[[str], str]
    """doc_id -> an HTML view of the document's alignment."""
    threshold: float | None = None
    """The score below which pairs were rejected, where there is one."""

    def result(self, doc_id: str) -> DocumentResult:
        for result in self.results:
            if result.doc_id == doc_id:
                return result
        known = ", ".join(r.doc_id for r in self.results[:5])
        raise UsageError(f"no document {doc_id!r} in this corpus (e.g. {known})")

    def explain(self, doc_id: str | None = None) -> object:
        """The evidence behind one document's pairs (default: the first document with a pair,
        else the first document)."""
        return self.explainer(self._pick(doc_id))

    def plot_similarity(self, doc_id: str | None = None, ax: Axes | None = None) -> Axes:
        """One document's similarity matrix with the chosen pairs (or beads) drawn over it."""
        from aligner.plots import plot_evidence

        return plot_evidence(self.explain(doc_id), ax=ax)

    def plot_scores(self, ax: Axes | None = None) -> Axes:
        """Distribution of pair scores with the threshold marked."""
        from aligner.plots import score_distribution

        return score_distribution(self.pairs["score"], self.threshold, ax=ax)

    def plot_languages(self, ax: Axes | None = None) -> Axes:
        """Segments per language in each document."""
        import pandas as pd

        from aligner.plots import language_mix

        rows = [(r.doc_id, s.lang) for r in self.results for s in r.segments]
        return language_mix(pd.DataFrame(rows, columns=["doc_id", "lang"]), ax=ax)

    def show(self, doc_id: str | None = None) -> object:
        """One document's alignment as HTML: pairs highlighted, unaligned segments marked."""
        markup = self.renderer(self._pick(doc_id))
        try:
            from IPython.display import HTML
        except ImportError:
            return markup
        return HTML(markup)

    def write(self, path: str | Path, unaligned: str | Path | None = None) -> None:
        """Write the pairs (and optionally the unaligned segments) as the CLI does; the
        format comes from the extension."""
        from aligner.export import write_table

        write_table(self.pairs, path, self.signature)
        if unaligned is not None:
            write_table(self.unaligned, unaligned, self.signature)

    def _pick(self, doc_id: str | None) -> str:
        if doc_id is not None:
            return self.result(doc_id).doc_id
        if not self.results:
            raise UsageError("this corpus holds no document")
        return next((r.doc_id for r in self.results if r.pairs), self.results[0].doc_id)

    def _repr_html_(self) -> str:
        from aligner.views import pairs_html

        segments = sum(len(r.segments) for r in self.results)
        return (
            f"<p><b>Corpus</b>: {amount(len(self.results), 'document')}, "
            f"{amount(segments, 'segment')}, {amount(len(self.pairs), 'pair')}, "
            f"{len(self.unaligned)} unaligned<br>"
            f"<code>{self.signature}</code></p>" + pairs_html(self.pairs)
        )


def align_dump(
    inputs: Sequence[str | Path],
    langs: Sequence[str] | str | None = None,
    encoder: str = DEFAULT_ENCODER,
    detector: str = DEFAULT_DETECTOR,
    min_score: float = PairingConfig().min_score,
    split_mixed: bool = True,
    cache_dir: str | Path | None = None,
    whole_articles: bool = True,
) -> Corpus:
    """Pair the translations inside every document of ``inputs`` (files, folders, ``-``).

    ``langs`` is ``("es", "en")``, ``["es", "en"]`` or ``"es,en"`` (source first; ``pt-BR``,
    ``ZH`` and ``spa`` read as ``pt``, ``zh``, ``es``); None infers them from the dump.
    ``cache_dir`` keeps embeddings between runs. ``whole_articles`` aligns a document that
    holds an article in each language sentence by sentence. Same pipeline as ``aligner run``.
    """
    from aligner.langid.codes import lang_pair
    from aligner.pipeline import RunConfig
    from aligner.pipeline import align_dump as stream_dump
    from aligner.read import read_inputs
    from aligner.table import corpus_tables
    from aligner.views import document_html, side_by_side_html

    config = RunConfig(
        langs=lang_pair(langs, "langs"),
        encoder=encoder,
        detector=detector,
        split_mixed=split_mixed,
        pairing=PairingConfig(min_score=min_score),
        whole_articles=whole_articles,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
    )
    documents = list(read_inputs([str(i) for i in inputs]))
    aligner, stream = stream_dump(documents, config)
    for notice in aligner.notices:
        warnings.warn(notice, stacklevel=2)
    results = list(stream)
    pairs, unaligned = corpus_tables(results)
    # Lookups by id for explain/show: two documents may share an id (JSONL records), and both
    # stay in the tables; the views show the first.
    by_id: dict[str, tuple[Document, DocumentResult]] = {}
    for document, result in zip(documents, results, strict=True):
        by_id.setdefault(document.doc_id, (document, result))

    def explain(doc_id: str) -> object:
        document, result = by_id[doc_id]
        halves = halves_as_pair(document, result, aligner.langs)
        if halves is None:
            return aligner.explain(document)
        return pair_evidence(halves, aligner.encoder.encode, EXPLAIN_LIMIT)

    def render(doc_id: str) -> str:
        document, result = by_id[doc_id]
        halves = halves_as_pair(document, result, aligner.langs)
        return document_html(document.text, result) if halves is None else side_by_side_html(halves)

    return Corpus(
        pairs,
        unaligned,
        results,
        aligner.signature,
        explainer=explain,
        renderer=render,
        threshold=min_score,
    )


def pair_evidence(
    aligned: AlignedDocuments, encode: Callable[[list[str]], np.ndarray], limit: int
) -> PairEvidence:
    """The beads of ``aligned`` over the similarity of the first ``limit`` sentences a side."""
    src = encode([s.text for s in aligned.src_segments[:limit]])
    tgt = encode([s.text for s in aligned.tgt_segments[:limit]])
    return PairEvidence(aligned, src @ tgt.T)


EXPLAIN_LIMIT = 400
"""Sentences per side that ``explain`` compares for a document aligned in halves."""


def halves_as_pair(
    document: Document, result: DocumentResult, langs: tuple[str, str]
) -> AlignedDocuments | None:
    """A document that ``aligner run`` aligned in two halves (``halves``), as the document
    pair it holds, beads in order; None for a document whose translations were paired as
    captions."""
    from aligner.align.documents import METHOD, AlignedDocuments

    if not result.pairs or any(pair.method != METHOD for pair in result.pairs):
        return None
    src = [s for s in result.segments if s.lang == langs[0]]
    tgt = [s for s in result.segments if s.lang == langs[1]]
    src_at = {s.index: k for k, s in enumerate(src)}
    tgt_at = {s.index: k for k, s in enumerate(tgt)}
    beads = [
        Bead(tuple(src_at[s.index] for s in p.src), tuple(tgt_at[s.index] for s in p.tgt), p.score)
        for p in result.pairs
    ]
    beads += [Bead((src_at[s.index],), ()) for s in result.unaligned if s.index in src_at]
    beads += [Bead((), (tgt_at[s.index],)) for s in result.unaligned if s.index in tgt_at]

    def progress(bead: Bead) -> float:  # beads are monotone: order them by how far they reach
        reach = [i / len(src) for i in bead.src] + [j / len(tgt) for j in bead.tgt]
        return sum(reach) / len(reach)

    beads.sort(key=progress)
    return AlignedDocuments(document, document, langs, src, tgt, beads, result)


def align_documents(
    src: str | Path,
    tgt: str | Path,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    presplit: bool = False,
    encoder: str = DEFAULT_ENCODER,
    detector: str = DEFAULT_DETECTOR,
    max_align: int | None = None,
    cache_dir: str | Path | None = None,
    limit: int = 400,
    refine: str | None = None,
) -> Corpus:
    """Align a document with its translation (two files), or every same-named pair of files
    in two folders, in many-to-many beads. Same code and defaults as ``aligner align``.

    Languages are detected when not given. ``cache_dir`` keeps embeddings between runs.
    ``refine`` names a stronger encoder that aligns the uncertain stretches again
    (``aligner align --refine``).
    ``limit`` caps the sentences per side that ``explain``/``plot_similarity`` compare.
    """
    from aligner.align.documents import (
        AlignedDocuments,
        PairSettings,
        align_pairs,
        aligner_for,
        with_usual_langs,
    )
    from aligner.align.engine import AlignConfig
    from aligner.align.inputs import document_pairs
    from aligner.langid.codes import side_langs
    from aligner.table import corpus_tables
    from aligner.views import side_by_side_html

    if not all(isinstance(path, str | Path) for path in (src, tgt)):
        raise TypeError(
            "align_documents takes two file or folder paths; for texts or lists of sentences "
            "use aligner.align_texts"
        )
    src_lang, tgt_lang = side_langs(src_lang, tgt_lang)
    src, tgt = Path(src), Path(tgt)
    folders = src.is_dir()
    pairs_of = document_pairs(
        None if folders else src, None if folders else tgt,
        src if folders else None, tgt if folders else None,
    )  # fmt: skip
    settings = PairSettings(
        encoder=encoder,
        refine=refine,
        cache_dir=str(cache_dir) if cache_dir else None,
        config=AlignConfig() if max_align is None else AlignConfig(max_align=max_align),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        detector=detector,
        presplit=presplit,
    )
    settings, notices = with_usual_langs(settings, pairs_of)
    for notice in notices:
        warnings.warn(notice, stacklevel=2)
    aligner = aligner_for(settings)
    runs = align_pairs(pairs_of, settings)
    aligned = {a.result.doc_id: a for a in runs if isinstance(a, AlignedDocuments)}
    results = [a.result for a in aligned.values()]
    pairs, unaligned = corpus_tables(results)

    def explain(doc_id: str) -> PairEvidence:
        chosen = aligned[doc_id]
        return pair_evidence(chosen, aligner.encoder_for(chosen.langs).encode, limit)

    return Corpus(
        pairs,
        unaligned,
        results,
        aligner.signature(a.langs for a in aligned.values()),
        explainer=explain,
        renderer=lambda doc_id: side_by_side_html(aligned[doc_id]),
    )


def align_texts(
    src: str | Sequence[str],
    tgt: str | Sequence[str],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    encoder: str = DEFAULT_ENCODER,
    max_align: int | None = None,
    refine: str | None = None,
    limit: int = 400,
) -> Corpus:
    """Align a text with its translation, given in memory: two strings (split into lines and
    sentences, as ``aligner align`` splits files) or two lists of sentences (aligned as they
    are). Same aligner and defaults as ``align_documents``; the document is called ``text``.

    >>> corpus = align_texts(["Hola.", "¿Qué tal?"], ["Hello.", "How are you?"], "es", "en")
    """
    from aligner.align.documents import PairSettings, aligner_for
    from aligner.align.engine import AlignConfig
    from aligner.langid.codes import side_langs
    from aligner.table import corpus_tables
    from aligner.views import side_by_side_html

    src_lang, tgt_lang = side_langs(src_lang, tgt_lang)
    presplit = not isinstance(src, str)
    if presplit == isinstance(tgt, str):
        raise TypeError("align_texts takes two strings or two lists of sentences, not one of each")
    documents = [
        Document(TEXT_ID, side if isinstance(side, str) else "\n".join(
            " ".join(sentence.split()) for sentence in side
        ), f"<{name}>")
        for side, name in ((src, "src"), (tgt, "tgt"))
    ]  # fmt: skip
    settings = PairSettings(
        encoder=encoder,
        refine=refine,
        config=AlignConfig() if max_align is None else AlignConfig(max_align=max_align),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        presplit=presplit,
    )
    aligner = aligner_for(settings)
    aligned = aligner.align(*documents)
    pairs, unaligned = corpus_tables([aligned.result])
    return Corpus(
        pairs,
        unaligned,
        [aligned.result],
        aligner.signature([aligned.langs]),
        explainer=lambda _: pair_evidence(
            aligned, aligner.encoder_for(aligned.langs).encode, limit
        ),
        renderer=lambda _: side_by_side_html(aligned),
    )
