"""Language identification for short segments, restricted to the languages in play.

A detector answers ``(lang, score)`` for one text among candidate languages, or
``(UNDETERMINED, score)`` when the text is too short or too neutral (names, numbers, agency
credits) to call. ``split_mixed`` cuts a segment that holds two languages at the change.

Detectors: ``charngram`` (default; character n-grams, word boundaries and word frequencies from
the model in ``data/``, see ``models/README.md``), ``py3langid`` and ``langdetect`` (seeded).
With no candidate languages, ``charngram`` compares the 40 languages of its open set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from aligner.registry import Registry

DEFAULT_DETECTOR = "charngram"


class LanguageDetector(Protocol):
    name: str
    """Identity and settings, for the reproducibility signature."""

    def detect(self, text: str, langs: Sequence[str]) -> tuple[str, float]:
        """Best language of ``text`` among ``langs`` (ISO 639-1) and its probability, or
        ``("und", score)``. Never raises, whatever the text."""
        ...

    @property
    def open_languages(self) -> frozenset[str]:
        """The languages ``detect(text, ())`` chooses among."""
        ...


detectors: Registry[LanguageDetector] = Registry("language detector", "aligner.detectors")


@detectors.register("langdetect")
def _langdetect() -> LanguageDetector:
    from aligner.langid.langdetect_backend import LangdetectDetector

    return LangdetectDetector()


@detectors.register("charngram")
def _charngram() -> LanguageDetector:
    from aligner.langid.charngram import CharNgramDetector

    return CharNgramDetector()


@detectors.register("py3langid")
def _py3langid() -> LanguageDetector:
    from aligner.langid.py3langid_backend import Py3langidDetector

    return Py3langidDetector()


def load_detector(name: str = DEFAULT_DETECTOR) -> LanguageDetector:
    """A detector by its registered name (``charngram``, the default, or ``langdetect``)."""
    return detectors.get(name)()


def known_languages() -> frozenset[str]:
    """ISO 639-1 codes some detector can answer: the n-gram model's, py3langid's and
    langdetect's."""
    from aligner.langid import langdetect_backend, py3langid_backend
    from aligner.langid.ngrams import available_languages

    return available_languages() | py3langid_backend.languages() | langdetect_backend.languages()
