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
            lang, probability = _restricted(known).classify(body)
        return str(lang), float(probability)
