"""Numbers as alignment anchors: a translation keeps its numbers (altitudes, years, counts,
prices), so two windows that share them are likely to translate each other and a window whose
numbers are absent from the other side is likely not its translation. The signal is independent
of the encoder, which blurs numbers into their context."""

from __future__ import annotations

import re
import zlib

import numpy as np

NUMBER = re.compile(r"\d+(?:[.,'’]\d+)*")
BUCKETS = 64
"""Numbers are hashed into this many buckets: collisions need two different numbers in the few
sentences of one bead and its neighbours, which is rare."""


def number_key(number: str) -> str:
    """The digits of a number, without group or decimal separators (``8'848``, ``8.848`` and
    ``8,848`` are the same number; the separator conventions differ between languages)."""
    return re.sub(r"\D", "", number)


def number_bags(sentences: list[str]) -> np.ndarray:
    """``bags[k, h]``: how many numbers of sentence ``k`` fall in hash bucket ``h``."""
    bags = np.zeros((len(sentences), BUCKETS), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        for match in NUMBER.finditer(sentence):
            key = number_key(match.group())
            bags[row, zlib.crc32(key.encode()) % BUCKETS] += 1
    return bags
