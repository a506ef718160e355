"""Pictures that explain an alignment (matplotlib, imported on first use).

Each function draws on a given ``Axes`` (or a new figure) and returns the ``Axes``, so notebooks
can compose them; all are static images that render on a plain nbviewer too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from aligner.pipeline import CaptionEvidence


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=size, layout="constrained")
    return new_ax


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def similarity_matrix(evidence: CaptionEvidence, ax: Axes | None = None) -> Axes:
    """Cosine similarity of every source unit (rows) to every target unit (columns) of one
    document, with the chosen pairs circled in red."""
    candidates = evidence.candidates
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


def score_distribution(
    scores: pd.Series, threshold: float, ax: Axes | None = None, bins: int = 30
) -> Axes:
    """Histogram of pair scores with the acceptance threshold marked."""
    ax = _axes(ax, (7, 3))
    values = scores.to_numpy(dtype=float)
    ax.hist(values, bins=bins, color="tab:blue", alpha=0.8)
    ax.axvline(threshold, color="red", linestyle="--", label=f"--min-score {threshold:g}")
    ax.set_xlabel("pair score")
    ax.set_ylabel("pairs")
    ax.set_title(f"{len(values)} pairs")
    ax.legend()
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
