"""The Python API that notebooks and other programs use; the CLI runs the same code.

``align_dump(inputs, langs=...)`` returns a ``Corpus``: the pairs and unaligned tables as pandas
DataFrames, the per-document results with their segments, and ``explain(doc_id)`` to see the
evidence behind a decision (units, similarity matrix, chosen pairs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.embed import DEFAULT_ENCODER
from aligner.errors import UsageError
from aligner.langid import DEFAULT_DETECTOR
from aligner.pair import PairingConfig
from aligner.records import Document, DocumentResult

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from aligner.pipeline import CaptionAligner, CaptionEvidence


@dataclass
class Corpus:
    """An aligned dump: ``pairs`` and ``unaligned`` tables (schemas in README), the results per
    document, and the signature of the settings that produced them."""

    pairs: pd.DataFrame
    unaligned: pd.DataFrame
    results: list[DocumentResult]
    signature: str
    documents: dict[str, Document]
    aligner: CaptionAligner

    def result(self, doc_id: str) -> DocumentResult:
        for result in self.results:
            if result.doc_id == doc_id:
                return result
        known = ", ".join(r.doc_id for r in self.results[:5])
        raise UsageError(f"no document {doc_id!r} in this corpus (e.g. {known})")

    def explain(self, doc_id: str | None = None) -> CaptionEvidence:
        """The evidence behind one document's pairs (default: the first document with a pair,
        else the first document)."""
        return self.aligner.explain(self.documents[self._pick(doc_id)])

    def plot_similarity(self, doc_id: str | None = None, ax: Axes | None = None) -> Axes:
        """Similarity matrix of one document's units with the chosen pairs marked."""
        from aligner.plots import similarity_matrix

        return similarity_matrix(self.explain(doc_id), ax=ax)

    def plot_scores(self, ax: Axes | None = None) -> Axes:
        """Distribution of pair scores with the threshold marked."""
        from aligner.plots import score_distribution

        return score_distribution(self.pairs["score"], self.aligner.config.pairing.min_score, ax=ax)

    def plot_languages(self, ax: Axes | None = None) -> Axes:
        """Segments per language in each document."""
        import pandas as pd

        from aligner.plots import language_mix

        rows = [(r.doc_id, s.lang) for r in self.results for s in r.segments]
        return language_mix(pd.DataFrame(rows, columns=["doc_id", "lang"]), ax=ax)

    def show(self, doc_id: str | None = None) -> object:
        """One document with its pairs highlighted and its unaligned segments greyed (HTML)."""
        from aligner.views import document_html

        doc = self._pick(doc_id)
        markup = document_html(self.documents[doc].text, self.result(doc))
        try:
            from IPython.display import HTML
        except ImportError:
            return markup
        return HTML(markup)

    def write(self, path: str | Path, unaligned: str | Path | None = None) -> None:
        """Write the pairs (and optionally the unaligned segments) as the CLI does."""
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
            f"<p><b>Corpus</b>: {len(self.results)} documents, {segments} segments, "
            f"{len(self.pairs)} pairs, {len(self.unaligned)} unaligned<br>"
            f"<code>{self.signature}</code></p>" + pairs_html(self.pairs)
        )


def align_dump(
    inputs: Sequence[str | Path],
    langs: tuple[str, str] | str | None = None,
    encoder: str = DEFAULT_ENCODER,
    detector: str = DEFAULT_DETECTOR,
    min_score: float = PairingConfig().min_score,
    split_mixed: bool = True,
) -> Corpus:
    """Pair the translations inside every document of ``inputs`` (files, folders, ``-``).

    ``langs`` is ``("es", "en")`` or ``"es,en"`` (source first); None infers them from the dump.
    Same pipeline and defaults as ``aligner run``.
    """
    from aligner.pipeline import RunConfig, parse_langs
    from aligner.pipeline import align_dump as stream_dump
    from aligner.read import read_inputs
    from aligner.table import corpus_tables

    config = RunConfig(
        langs=parse_langs(langs) if isinstance(langs, str) else langs,
        encoder=encoder,
        detector=detector,
        split_mixed=split_mixed,
        pairing=PairingConfig(min_score=min_score),
    )
    documents = {d.doc_id: d for d in read_inputs([str(i) for i in inputs])}
    aligner, stream = stream_dump(documents.values(), config)
    results = list(stream)
    pairs, unaligned = corpus_tables(results)
    return Corpus(pairs, unaligned, results, aligner.signature, documents, aligner)
