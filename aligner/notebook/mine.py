"""``aligner.mine``: the Python side of ``aligner mine``, returning tables and the score
distribution instead of writing files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aligner.embed import DEFAULT_ENCODER
from aligner.langid import DEFAULT_DETECTOR
from aligner.mining.collections import MineConfig, Miner, SideCounts
from aligner.mining.documents import MIN_SCORE
from aligner.mining.sentences import MineSettings
from aligner.records import Document

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from aligner.notebook.api import Corpus
    from aligner.read import ReadOptions

MATCH_COLUMNS = ["src_doc", "src_source", "tgt_doc", "tgt_source", "score", "links", "part"]


@dataclass
class MinedCorpus:
    """What mining two collections found: ``corpus`` (the pairs and unaligned tables, as
    ``align_dump`` returns them), the document ``matches``, and the sentence-mining scores."""

    corpus: Corpus
    matches: pd.DataFrame
    """One row per matched document pair (``MATCH_COLUMNS``)."""
    threshold: float
    """The margin score below which mined pairs were rejected (given or calibrated)."""
    selected: np.ndarray
    """Score of every pair the selection chose, above the threshold or not."""
    counts: tuple[SideCounts, SideCounts]
    documents: tuple[int, int]
    langs: str

    @property
    def pairs(self) -> pd.DataFrame:
        return self.corpus.pairs

    @property
    def unaligned(self) -> pd.DataFrame:
        return self.corpus.unaligned

    def plot_scores(self, ax: Axes | None = None) -> Axes:
        """The distribution of the selection's margin scores, with the threshold marked."""
        import pandas as pd

        from aligner.notebook.plots import score_distribution

        ax = score_distribution(pd.Series(self.selected), self.threshold, ax=ax)
        ax.set_xlabel("margin score of each sentence's chosen candidate")
        return ax

    def write(self, path: str | Path, unaligned: str | Path | None = None) -> None:
        self.corpus.write(path, unaligned)


def mine(
    src: Sequence[str | Path] | Sequence[Document],
    tgt: Sequence[str | Path] | Sequence[Document],
    langs: tuple[str, str] | str,
    encoder: str = DEFAULT_ENCODER,
    detector: str = DEFAULT_DETECTOR,
    threshold: float | None = None,
    k: int = 4,
    selection: str = "competitive",
    documents: bool = True,
    min_document_score: float = MIN_SCORE,
    cache_dir: str | Path | None = None,
) -> MinedCorpus:
    """Find the translations between two collections: inputs as ``aligner run`` reads them
    (files, folders) or Documents. ``langs`` is ``("es", "en")`` or ``"es,en"`` (source
    first). ``threshold`` None calibrates it on the scores; ``documents=False`` mines sentences
    only. Same code and defaults as ``aligner mine``.

    >>> found = mine(["news-es/"], ["news-en/"], "es,en")  # doctest: +SKIP
    >>> found.plot_scores()  # doctest: +SKIP
    """
    settings = MineSettings(k=k, selection=selection, threshold=threshold)
    return mine_inputs(
        src, tgt, langs, encoder, detector, settings, documents, min_document_score,
        Path(cache_dir) if cache_dir is not None else None,
    )  # fmt: skip


def mine_inputs(
    src: Sequence[str | Path] | Sequence[Document],
    tgt: Sequence[str | Path] | Sequence[Document],
    langs: tuple[str, str] | str,
    encoder: str = DEFAULT_ENCODER,
    detector: str = DEFAULT_DETECTOR,
    settings: MineSettings | None = None,
    documents: bool = True,
    min_document_score: float = MIN_SCORE,
    cache_dir: Path | None = None,
    read_options: ReadOptions | None = None,
    engine: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
) -> MinedCorpus:
    """``mine`` with the CLI's extra knobs: how inputs are read and where the search runs."""
    import pandas as pd

    from aligner.errors import UsageError
    from aligner.langid.codes import lang_pair
    from aligner.mining.margin import SELECTIONS
    from aligner.notebook.api import Corpus
    from aligner.notebook.html import pairs_html
    from aligner.run.executors import load_engine
    from aligner.table import corpus_tables

    pair = lang_pair(langs, "langs")
    if pair is None:
        raise UsageError("mine needs two different languages, e.g. langs='es,en'")
    settings = settings or MineSettings()
    if settings.selection not in SELECTIONS:
        raise UsageError(f"selection takes one of {', '.join(SELECTIONS)}")
    sides = [_documents(side, read_options) for side in (src, tgt)]
    config = MineConfig(
        langs=pair,
        encoder=encoder,
        detector=detector,
        sentences=settings,
        documents=documents,
        min_document_score=min_document_score,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
    )
    miner = Miner(config)
    if engine == "local" and jobs <= 1 and not scheduler:
        outcome = miner.mine(*sides)
    else:
        with load_engine(engine, jobs, scheduler) as executor:
            outcome = miner.mine(*sides, executor=executor)
    pairs, unaligned = corpus_tables(outcome.results)
    matches = pd.DataFrame(
        [
            (a.doc_id, a.source, b.doc_id, b.source, m.score, m.links, m.part)
            for a, b, m in outcome.matches
        ],
        columns=MATCH_COLUMNS,
    )
    first = {}
    for result in outcome.results:
        first.setdefault(result.doc_id, result)
    corpus = Corpus(
        pairs,
        unaligned,
        outcome.results,
        outcome.signature,
        explainer=lambda doc_id: first[doc_id],
        renderer=lambda doc_id: pairs_html(pairs[pairs["doc_id"] == doc_id]),
        threshold=outcome.mined.threshold,
    )
    return MinedCorpus(
        corpus, matches, outcome.mined.threshold, outcome.mined.selected, outcome.counts,
        (len(sides[0]), len(sides[1])), "-".join(pair),
    )  # fmt: skip


def _documents(
    side: Sequence[str | Path] | Sequence[Document], options: ReadOptions | None
) -> list[Document]:
    from aligner.read import read_inputs

    if all(isinstance(item, Document) for item in side):
        return list(side)  # type: ignore[arg-type]
    return list(read_inputs([str(item) for item in side], options))
