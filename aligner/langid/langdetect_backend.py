"""``langdetect`` (Google's language-detection port), made deterministic and restricted."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from aligner.langid.neutral import content_words
from aligner.records import UNDETERMINED

_SEED = 0
_lock = threading.Lock()
# langdetect's two Chinese profiles; a language code names the base language (``codes``)
_VARIANTS = {"zh": ("zh-cn", "zh-tw")}
_BASE = {variant: base for base, variants in _VARIANTS.items() for variant in variants}


def languages() -> frozenset[str]:
    """ISO 639-1 codes langdetect knows: one profile each."""
    from importlib import resources

    return frozenset(p.name for p in resources.files("langdetect").joinpath("profiles").iterdir())


class LangdetectDetector:
    """Seeded langdetect over the text with neutral material masked; probabilities are
    renormalised over the candidate languages."""

    def __init__(self, min_letters: int = 3) -> None:
        from langdetect import DetectorFactory

        DetectorFactory.seed = _SEED
        self.min_letters = min_letters
        self.name = f"langdetect-1.0.9:seed={_SEED}"

    @property
    def open_languages(self) -> frozenset[str]:
        return frozenset(_BASE.get(lang, lang) for lang in languages())

    def detect(self, text: str, langs: Sequence[str]) -> tuple[str, float]:
        """Best language of ``text`` among ``langs`` and its probability, or ``("und", 0.0)``
        when too short, neutral, or none of ``langs`` is one langdetect knows."""
        from langdetect import detector_factory
        from langdetect.lang_detect_exception import LangDetectException

        words = content_words(text)
        if sum(len(w) for w in words) < self.min_letters:
            return UNDETERMINED, 0.0
        with _lock:
            detector_factory.init_factory()
            factory = detector_factory._factory
            wanted = [variant for lang in langs for variant in _VARIANTS.get(lang, (lang,))]
            known = [lang for lang in wanted if lang in factory.langlist]
            if langs and not known:
                return UNDETERMINED, 0.0
            detector = factory.create()
            if known:
                # A zero prior keeps a language out of the sampling altogether: a true
                # restriction, which is also faster than filtering the answer afterwards.
                detector.set_prior_map(dict.fromkeys(known, 1.0))
            detector.append(" ".join(words))
            try:
                guesses = detector.get_probabilities()
            except (LangDetectException, IndexError):
                return UNDETERMINED, 0.0
        if not guesses:
            return UNDETERMINED, 0.0
        found: dict[str, float] = {}
        for guess in guesses:  # zh-cn and zh-tw are zh, unless a variant was asked for
            base = _BASE.get(guess.lang, guess.lang)
            lang = base if not langs or base in langs else guess.lang
            found[lang] = found.get(lang, 0.0) + guess.prob
        best = max(found, key=found.__getitem__)
        return best, found[best]
