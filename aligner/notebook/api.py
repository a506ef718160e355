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

from aligner.captions.pairing import PairingConfig
from aligner.embed import DEFAULT_ENCODER
from aligner.errors import UsageError
from aligner.langid import DEFAULT_DETECTOR
from aligner.notebook.evidence import EXPLAIN_LIMIT, PairEvidence, pair_evidence
from aligner.records import Document, DocumentResult
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

TEXT_ID = "text"
"""The document id of ``align_texts``' one document pair."""


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
        from aligner.notebook.plots import plot_evidence

        return plot_evidence(self.explain(doc_id), ax=ax)

    def plot_scores(self, ax: Axes | None = None) -> Axes:
        """Distribution of pair scores with the threshold marked."""
        from aligner.notebook.plots import score_distribution

        return score_distribution(self.pairs["score"], self.threshold, ax=ax)

    def plot_languages(self, ax: Axes | None = None) -> Axes:
        """Segments per language in each document."""
        import pandas as pd

        from aligner.notebook.plots import language_mix

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
        from aligner.notebook.html import pairs_html

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
    from aligner.captions.aligner import RunConfig
    from aligner.langid.codes import lang_pair
    from aligner.notebook.html import document_html, side_by_side_html
    from aligner.read import read_inputs
    from aligner.run.runner import align_dump as align_dump_stream
    from aligner.table import corpus_tables

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
    aligner, stream = align_dump_stream(documents, config)
    for notice in aligner.language_notices:
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
        if result.alignment is None:
            return aligner.explain(document)
        return pair_evidence(result, aligner.encoder.encode, EXPLAIN_LIMIT)

    def render(doc_id: str) -> str:
        document, result = by_id[doc_id]
        if result.alignment is None:
            return document_html(document.text, result)
        return side_by_side_html(result)

    return Corpus(
        pairs,
        unaligned,
        results,
        aligner.signature(),
        explainer=explain,
        renderer=render,
        threshold=min_score,
    )


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
    from aligner.align.engine import AlignConfig
    from aligner.documents.aligner import PairSettings, with_usual_langs
    from aligner.documents.inputs import document_pairs
    from aligner.langid.codes import side_langs
    from aligner.notebook.html import side_by_side_html
    from aligner.run.task import align_all, loaded
    from aligner.table import corpus_tables

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
    aligner = loaded(settings)
    aligned = {r.doc_id: r for r in align_all(settings, pairs_of) if isinstance(r, DocumentResult)}
    results = list(aligned.values())
    pairs, unaligned = corpus_tables(results)

    def explain(doc_id: str) -> PairEvidence:
        chosen = aligned[doc_id]
        return pair_evidence(chosen, aligner.encoder_for(chosen.langs or ()).encode, limit)

    return Corpus(
        pairs,
        unaligned,
        results,
        aligner.signature({r.langs for r in results if r.langs}),
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
    from aligner.align.engine import AlignConfig
    from aligner.documents.aligner import PairSettings
    from aligner.langid.codes import side_langs
    from aligner.notebook.html import side_by_side_html
    from aligner.run.task import loaded
    from aligner.table import corpus_tables

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
    aligner = loaded(settings)
    result = aligner.align_documents(*documents)
    langs = result.langs or ("", "")
    pairs, unaligned = corpus_tables([result])
    return Corpus(
        pairs,
        unaligned,
        [result],
        aligner.signature([langs]),
        explainer=lambda _: pair_evidence(result, aligner.encoder_for(langs).encode, limit),
        renderer=lambda _: side_by_side_html(result),
    )
