"""Pictures that explain an alignment (matplotlib, imported on first use).

Each function draws on a given ``Axes`` (or a new figure) and returns the ``Axes``, so notebooks
can compose them; all are static images that render on a plain nbviewer too.
"""

from __future__ import annotations

from functools import singledispatch
from typing import TYPE_CHECKING

import numpy as np

from aligner.captions.aligner import CaptionEvidence
from aligner.notebook.evidence import PairEvidence
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=size, layout="constrained")
    return new_ax


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@singledispatch
def plot_evidence(evidence: object, ax: Axes | None = None) -> Axes:
    """Draw whatever evidence ``Corpus.explain`` returned (captions or a document pair)."""
    raise TypeError(f"no plot for {type(evidence).__name__}")


@plot_evidence.register(CaptionEvidence)
def similarity_matrix(evidence: CaptionEvidence, ax: Axes | None = None) -> Axes:
    """Cosine similarity of every source unit (rows) to every target unit (columns) of one
    document, with the chosen pairs circled in red."""
    candidates = evidence.candidates
    if candidates is None:
        raise ValueError(
            f"{evidence.document.doc_id}: {len(evidence.units)} units, paired in windows; too "
            "many to draw as one matrix"
        )
    rows, columns = len(candidates.src), len(candidates.tgt)
    ax = _axes(ax, (min(5 + 0.5 * columns, 16), 2 + 0.45 * max(rows, 1)))
    image = ax.imshow(
        candidates.similarity if candidates.similarity.size else np.zeros((1, 1)),
        cmap="viridis", vmin=0, vmax=1, aspect="auto",
    )  # fmt: skip
    row_of = {int(u): r for r, u in enumerate(candidates.src)}
    column_of = {int(u): c for c, u in enumerate(candidates.tgt)}
    for pair in evidence.pairs:
        ax.scatter(
            [column_of[pair.tgt]], [row_of[pair.src]],
            s=300, facecolors="none", edgecolors="red", linewidths=2,
        )  # fmt: skip
    units = evidence.units
    ax.set_yticks(range(rows), [_short(units[int(u)].text) for u in candidates.src])
    ax.set_xticks(range(columns), [f"line {units[int(u)].line}" for u in candidates.tgt])
    ax.tick_params(axis="x", labelrotation=90)
    ax.set_title(f"{evidence.document.doc_id}: similarity of units (red: chosen pairs)")
    ax.figure.colorbar(image, ax=ax, label="cosine similarity")
    return ax


@plot_evidence.register(PairEvidence)
def bead_path(evidence: PairEvidence, ax: Axes | None = None) -> Axes:
    """Cosine similarity of every source sentence (rows) to every target sentence (columns) of
    a document pair, with the chosen beads outlined: a bead covering several sentences is a
    rectangle, a sentence without counterpart (null bead) a red cross on its row or column."""
    from matplotlib.patches import Rectangle

    similarity = evidence.similarity
    rows, columns = similarity.shape
    ax = _axes(ax, (min(5.5 + 0.12 * columns, 14), min(3.5 + 0.12 * rows, 12)))
    image = ax.imshow(similarity, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for bead in evidence.alignment.beads:
        if bead.src and bead.tgt:
            if bead.src[0] >= rows or bead.tgt[0] >= columns:
                continue
            ax.add_patch(
                Rectangle(
                    (bead.tgt[0] - 0.5, bead.src[0] - 0.5), len(bead.tgt), len(bead.src),
                    fill=False, edgecolor="white", linewidth=1.5,
                )
            )  # fmt: skip
        elif bead.src and bead.src[0] < rows:
            ax.plot([-0.5], [bead.src[0]], marker="x", color="red", markersize=8, clip_on=False)
        elif bead.tgt and bead.tgt[0] < columns:
            ax.plot([bead.tgt[0]], [-0.5], marker="x", color="red", markersize=8, clip_on=False)
    (src_name, tgt_name), (src_lang, tgt_lang) = evidence.names, evidence.langs
    ax.set_xlabel(f"{tgt_name} ({tgt_lang}) sentences")
    ax.set_ylabel(f"{src_name} ({src_lang}) sentences")
    ax.set_title("beads (white) over similarity; x: no counterpart")
    ax.figure.colorbar(image, ax=ax, label="cosine similarity")
    return ax


def score_distribution(
    scores: pd.Series, threshold: float | None = None, ax: Axes | None = None, bins: int = 30
) -> Axes:
    """Histogram of pair scores, with the acceptance threshold marked where there is one."""
    ax = _axes(ax, (7, 3))
    values = scores.to_numpy(dtype=float)
    ax.hist(values, bins=bins, color="tab:blue", alpha=0.8)
    if threshold is not None:
        ax.axvline(threshold, color="red", linestyle="--", label=f"--min-score {threshold:g}")
        ax.legend()
    ax.set_xlabel("pair score")
    ax.set_ylabel("pairs")
    ax.set_title(amount(len(values), "pair"))
    return ax


def language_mix(segments: pd.DataFrame, ax: Axes | None = None, top: int = 30) -> Axes:
    """Segments per language in each document (stacked bars), for the ``top`` documents with
    the most segments. ``segments`` needs ``doc_id`` and ``lang`` columns."""
    counts = segments.groupby(["doc_id", "lang"]).size().unstack(fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index[:top]]
    ax = _axes(ax, (min(2 + 0.4 * len(counts), 14), 3.5))
    bottom = np.zeros(len(counts))
    for lang in counts.columns:
        ax.bar(range(len(counts)), counts[lang], bottom=bottom, label=lang)
        bottom += counts[lang].to_numpy()
    ax.set_xticks(range(len(counts)), [_short(str(d), 18) for d in counts.index])
    ax.tick_params(axis="x", labelrotation=90)
    ax.set_ylabel("segments")
    ax.set_title("language mix per document")
    ax.legend(title="language")
    return ax
