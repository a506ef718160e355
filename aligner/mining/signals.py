"""Cheap evidence a corpus builder trusts, beside the embeddings: a translation keeps the
numbers, URLs and names of its source, and its length stays close to a multiple of the source's.

Each signal is a factor on a pair's margin score: above 1 where the two sides share anchors,
below 1 where their numbers disagree or their length ratio is far from the run's usual one.
Languages write names and numbers differently (``1.000`` / ``1,000``, ``Genève`` / ``Genf``),
so a shared anchor is evidence for a pair while a missing one is no evidence against it; only
two sides that both hold numbers, none of them shared, count against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.segment import translation_length

_NUMBER = re.compile(r"\d+(?:[.,'’\s]\d{3})*(?:[.,]\d+)?")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b\w+(?:[._/-]\w+)+\b")
_NAME = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ][^\W\d_]{2,}")
"""A capitalised word that does not start the sentence (a sentence's first word is always
capitalised, so it is not a name)."""


@dataclass(frozen=True, slots=True)
class SignalWeights:
    shared_anchor: float = 0.05
    """Added to the factor per shared anchor (number, link or name), up to ``max_bonus``."""
    max_bonus: float = 0.15
    number_mismatch: float = 0.85
    """Factor when both sides hold numbers and share none."""
    length: float = 0.02
    """Weight of the length model (``length_factors``): the factor is exp(-length * z**2)."""

    def describe(self) -> str:
        return (
            f"anchor={self.shared_anchor:g}/{self.max_bonus:g},numbers={self.number_mismatch:g},"
            f"length={self.length:g}"
        )


@dataclass(frozen=True, slots=True)
class Anchors:
    numbers: frozenset[str]
    others: frozenset[str]
    """Links, ids and names."""
    length: float


def anchors_of(text: str) -> Anchors:
    numbers = frozenset(re.sub(r"\D", "", n) for n in _NUMBER.findall(text))
    links = _LINK.findall(text)
    names = _NAME.findall(" " + text[text.find(" ") :] if " " in text else "")
    return Anchors(numbers, frozenset(links + names), max(translation_length(text), 1.0))


def factors(
    src: Sequence[Anchors], tgt: Sequence[Anchors], pairs: tuple[np.ndarray, np.ndarray],
    weights: SignalWeights,
) -> np.ndarray:  # fmt: skip
    """The signal factor of each candidate pair (``src[i]``, ``tgt[j]``)."""
    out = np.ones(len(pairs[0]), dtype=np.float32)
    for at, (i, j) in enumerate(zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)):
        a, b = src[i], tgt[j]
        factor = 1.0
        shared = len(a.numbers & b.numbers) + len(a.others & b.others)
        factor += min(weights.max_bonus, weights.shared_anchor * shared)
        if a.numbers and b.numbers and not a.numbers & b.numbers:
            factor *= weights.number_mismatch
        out[at] = factor
    return out


MIN_CONFIDENT = 20
"""Pairs needed to fit the length model; with fewer, length is no evidence."""
MAX_Z = 5.0


def length_factors(log_ratio: np.ndarray, confident: np.ndarray, weight: float) -> np.ndarray:
    """How well each candidate's length ratio fits the run's own: a translation's length is
    close to a fixed multiple of its source's (Gale and Church), and that multiple depends on
    the languages and the text, so it is measured on the candidates already sure to be
    translations (``confident``): the median log ratio and its spread (scaled median absolute
    deviation). A candidate ``z`` spreads away gets exp(-weight * z**2) (z capped at MAX_Z)."""
    if confident.sum() < MIN_CONFIDENT:
        return np.ones(len(log_ratio), dtype=np.float32)
    centre = float(np.median(log_ratio[confident]))
    spread = max(1.4826 * float(np.median(np.abs(log_ratio[confident] - centre))), 0.05)
    z = np.minimum(np.abs(log_ratio - centre) / spread, MAX_Z)
    return np.exp(-weight * z * z).astype(np.float32)
