"""Export filters a corpus builder applies before training: score threshold, length ratio,
duplicates. Each one counts what it removed, and an active filter is part of the signature."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aligner.segment import translation_length

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class ExportFilter:
    min_score: float | None = None
    """Drop pairs scoring below this."""
    max_length_ratio: float | None = None
    """Drop pairs whose longer side has more than this many times the characters of the
    shorter one (a caption and a paragraph are rarely translations)."""
    dedupe: bool = False
    """Keep the first of identical (source text, target text) pairs."""
    drop_copies: bool = False
    """Drop pairs whose two sides are one text (``copy_key``): code, names, badges and lines
    left untranslated teach a translation model to copy."""

    def describe(self) -> str:
        """The signature field, e.g. ``min=0.8,ratio=3.0,dedupe``; empty when no filter is on."""
        parts = []
        if self.min_score is not None:
            parts.append(f"min={self.min_score:g}")
        if self.max_length_ratio is not None:
            parts.append(f"ratio={self.max_length_ratio:g}")
        if self.dedupe:
            parts.append("dedupe")
        if self.drop_copies:
            parts.append("no-copies")
        return ",".join(parts)

    def sign(self, signature: str) -> str:
        """``signature`` with this filter appended as an ``export:`` field."""
        described = self.describe()
        return f"{signature}|export:{described}" if described else signature

    def apply(self, pairs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
        """The pairs that pass, and how many each filter removed (in the order applied)."""
        removed: dict[str, int] = {}
        if self.min_score is not None:
            keep = pairs["score"] >= self.min_score
            removed["below the min score"] = int((~keep).sum())
            pairs = pairs[keep]
        if self.max_length_ratio is not None:
            src = pairs["src_text"].map(translation_length)
            tgt = pairs["tgt_text"].map(translation_length)
            ratio = src.combine(tgt, max) / src.combine(tgt, min).clip(lower=1)
            keep = ratio <= self.max_length_ratio
            removed["over the length ratio"] = int((~keep).sum())
            pairs = pairs[keep]
        if self.dedupe:
            keep = ~pairs.duplicated(subset=["src_text", "tgt_text"])
            removed["duplicated"] = int((~keep).sum())
            pairs = pairs[keep]
        if self.drop_copies:
            keep = pairs["src_text"].map(copy_key) != pairs["tgt_text"].map(copy_key)
            removed["the same text on both sides"] = int((~keep).sum())
            pairs = pairs[keep]
        return pairs.reset_index(drop=True), removed


def copy_key(text: str) -> str:
    """``text`` as compared for copies: compatibility-normalised, case-folded, letters and
    digits only (``Python 3.8`` and ``python 3.8!`` are one text)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
