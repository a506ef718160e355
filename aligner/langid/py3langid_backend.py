"""py3langid (langid.py's naive Bayes over byte n-grams, 97 languages), restricted per call.

The default detector hands it the languages its own model lacks (Galician, Asturian, Occitan,
...): on short segments it is far better than langdetect there.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

from aligner.langid.neutral import content_words
from aligner.records import UNDETERMINED

VERSION = "0.3.0"
_lock = threading.Lock()


@cache
def _full_model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


@cache
def languages() -> frozenset[str]:
    """ISO 639-1 codes py3langid knows."""
    return frozenset(_full_model().nb_classes)


@cache
def _restricted(langs: tuple[str, ...]) -> Any:
    from py3langid.langid import LanguageIdentifier

    full = _full_model()
    model = LanguageIdentifier(
        full.nb_ptc,
        full.nb_pc,
        full.nb_numfeats,
        full.nb_classes,
        full.tk_nextmove,
        full.tk_output,
        norm_probs=True,
    )
    if langs:
        model.set_languages(list(langs))
    return model


class Py3langidDetector:
    """py3langid over the text with neutral material masked, restricted to the candidates."""

    def __init__(self) -> None:
        self.name = f"py3langid-{VERSION}"

    @property
    def open_languages(self) -> frozenset[str]:
        return languages()

    def detect(self, text: str, langs: Sequence[str]) -> tuple[str, float]:
        """Best language of ``text`` among ``langs`` (those py3langid knows) and its
        probability, or ``("und", 0.0)`` when no word carries evidence."""
        body = " ".join(content_words(text))
        known = tuple(sorted(set(langs) & languages()))
        if not body or (langs and not known):
            return UNDETERMINED, 0.0
        with _lock:
            return _classify(_restricted(known), body)


def _classify(model: Any, text: str) -> tuple[str, float]:
    """py3langid's ``classify``, over the features ``text`` holds (some tens of the model's
    7,480: its dense count vector and product read the whole matrix, 200 µs a line), in
    float64, and the probability of the best language alone."""
    import numpy as np

    found = np.asarray(_features(model, text), dtype=np.intp)
    held, counts = np.unique(found, return_counts=True)
    log_likelihoods = counts.astype(np.float64) @ model.nb_ptc[held].astype(np.float64)
    log_likelihoods += model.nb_pc
    best = int(np.argmax(log_likelihoods))
    probability = 1.0 / np.exp(log_likelihoods - log_likelihoods[best]).sum()
    return str(model.nb_classes[best]), float(probability)


def _features(model: Any, text: str) -> list[int]:
    """The model's byte n-gram features in ``text``, once per occurrence: py3langid's automaton
    (``instance2fv``), run over the UTF-8 bytes."""
    next_state, features_of = model.tk_nextmove, model.tk_output
    state, found = 0, []
    for byte in text.encode("utf8", errors="surrogatepass"):
        state = next_state[(state << 8) + byte]
        found += features_of.get(state, ())
    return found
