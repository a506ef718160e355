"""Margin scoring of nearest-neighbour candidates and the choice of pairs among them.

The ratio margin (Artetxe and Schwenk, 2019) divides a pair's cosine by the mean cosine of both
sentences' ``k`` nearest neighbours: ``margin(x, y) = cos(x, y) / ((mean_k(x) + mean_k(y)) / 2)``.
A margin of 1.2 says the pair is 20 % more similar than the two sentences are, on average, to
their closest other candidates; it corrects for hubs (sentences close to everything) and for
sentences close to nothing, which a bare cosine threshold cannot.

Selections: ``forward`` (each source sentence's best target), ``backward`` (each target's best
source), ``mutual`` (pairs that are both: the published method's intersection), ``max-score``
(both lists, best score first, each sentence used once) and ``competitive`` (every candidate of
both kNN lists, best score first, each sentence used once: 1-1 competitive linking).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.mining.knn import Neighbours

SELECTIONS = ("competitive", "mutual", "max-score", "forward", "backward")


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate pairs from both kNN lists, each (source, target) once."""

    src: np.ndarray
    tgt: np.ndarray
    cosine: np.ndarray
    margin: np.ndarray
    forward: np.ndarray
    """True where the pair is its source's best target by margin."""
    backward: np.ndarray
    """True where the pair is its target's best source by margin."""


def neighbour_means(found: Neighbours) -> np.ndarray:
    """Each row's mean cosine to its neighbours (those that exist)."""
    present = found.ids >= 0
    total = np.where(present, found.scores, 0.0).sum(axis=1)
    return (total / np.maximum(present.sum(axis=1), 1)).astype(np.float32)


def candidates(forward: Neighbours, backward: Neighbours) -> Candidates:
    """Every pair found by either search, scored by ratio margin."""
    fwd_mean, bwd_mean = neighbour_means(forward), neighbour_means(backward)
    k = forward.ids.shape[1]
    src = np.concatenate([np.repeat(np.arange(len(forward.ids)), k), backward.ids.ravel()])
    tgt = np.concatenate([forward.ids.ravel(), np.repeat(np.arange(len(backward.ids)), k)])
    cosine = np.concatenate([forward.scores.ravel(), backward.scores.ravel()])
    keep = (src >= 0) & (tgt >= 0)
    src, tgt, cosine = src[keep], tgt[keep], cosine[keep]
    # a pair found from both sides appears twice with the same cosine: keep one
    order = np.lexsort((tgt, src))
    src, tgt, cosine = src[order], tgt[order], cosine[order]
    first = np.ones(len(src), dtype=bool)
    first[1:] = (src[1:] != src[:-1]) | (tgt[1:] != tgt[:-1])
    src, tgt, cosine = src[first], tgt[first], cosine[first]
    denominator = np.maximum((fwd_mean[src] + bwd_mean[tgt]) / 2, 1e-6)
    margin = (cosine / denominator).astype(np.float32)
    return Candidates(
        src, tgt, cosine, margin,
        _best_of(src, margin, len(forward.ids)), _best_of(tgt, margin, len(backward.ids)),
    )  # fmt: skip


def _best_of(keys: np.ndarray, score: np.ndarray, size: int) -> np.ndarray:
    """True at the best-scoring candidate of each key (the first one on a tie)."""
    order = np.lexsort((-score, keys))  # by key, best score first
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    best = np.zeros(len(keys), dtype=bool)
    best[order[first]] = True
    return best


def one_to_one(src: np.ndarray, tgt: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of the candidates chosen greedily, best score first, each source and each target
    used at most once (ties: the earlier candidate)."""
    taken_src: set[int] = set()
    taken_tgt: set[int] = set()
    chosen = []
    for at in np.argsort(-score, kind="stable"):
        s, t = int(src[at]), int(tgt[at])
        if s not in taken_src and t not in taken_tgt:
            taken_src.add(s)
            taken_tgt.add(t)
            chosen.append(at)
    return np.array(chosen, dtype=np.int64)


def select(found: Candidates, score: np.ndarray, selection: str) -> np.ndarray:
    """Indices of the candidates a selection keeps (before any threshold)."""
    if selection == "forward":
        return np.flatnonzero(found.forward)
    if selection == "backward":
        return np.flatnonzero(found.backward)
    if selection == "mutual":
        return np.flatnonzero(found.forward & found.backward)
    if selection == "max-score":
        pool = np.flatnonzero(found.forward | found.backward)
        return pool[one_to_one(found.src[pool], found.tgt[pool], score[pool])]
    if selection == "competitive":
        return one_to_one(found.src, found.tgt, score)
    raise ValueError(f"unknown selection {selection!r} (choose from {', '.join(SELECTIONS)})")


def runner_up(keys: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Each key's second-best candidate score (keys with one candidate have none)."""
    order = np.lexsort((-score, keys))  # by key, best score first
    ordered = keys[order]
    second = np.zeros(len(order), dtype=bool)
    second[1:] = ordered[1:] == ordered[:-1]
    second[2:] &= ordered[2:] != ordered[:-2]
    return score[order[second]]


def calibrated_threshold(selected: np.ndarray, null: np.ndarray, floor: float) -> float:
    """The threshold with the best estimated F1, from the distribution of the scores alone.

    A sentence's runner-up candidate is almost never its translation, so the runner-up scores
    (``null``, of both sides) show how high a non-translation scores. Above a threshold ``t``,
    the selected pairs that are not translations are estimated as the share of ``null`` above
    ``t``; the rest are translations. That gives, at every ``t``, estimated precision and
    recall (the translations being the most ever estimated), and ``t`` maximises their F1.
    """
    if not len(selected):
        return floor
    steps = np.unique(np.concatenate([selected[selected >= floor], [floor]]))
    kept = len(selected) - np.searchsorted(np.sort(selected), steps, side="left")
    false = (len(null) - np.searchsorted(np.sort(null), steps, side="left")) / 2
    true = np.maximum(kept - false, 0)
    f1 = 2 * true / np.maximum(kept + true.max(), 1)
    return float(steps[int(np.argmax(f1))])
