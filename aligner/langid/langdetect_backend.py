"""``langdetect`` (Google's language-detection port), made deterministic and restricted."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from aligner.langid.neutral import content_words
from aligner.records import UNDETERMINED

_SEED = 0
_lock = threading.Lock()


class LangdetectDetector:
    """Seeded langdetect over the text with neutral material masked; probabilities are
    renormalised over the candidate languages."""

    def __init__(self, min_letters: int = 3) -> None:
        from langdetect import DetectorFactory

        DetectorFactory.seed = _SEED
        self.min_letters = min_letters
        self.name = f"langdetect-1.0.9:seed={_SEED}"

    def detect(self, text: str, langs: Sequence[str]) -> tuple[str, float]:
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        words = content_words(text)
        if sum(len(w) for w in words) < self.min_letters:
            return UNDETERMINED, 0.0
        with _lock:
            try:
                guesses = detect_langs(" ".join(words))
            except (LangDetectException, IndexError):
                return UNDETERMINED, 0.0
        probabilities = {g.lang: g.prob for g in guesses if not langs or g.lang in langs}
        total = sum(probabilities.values())
        if not total:
            return UNDETERMINED, 0.0
        lang = max(probabilities, key=probabilities.__getitem__)
        return lang, probabilities[lang] / total
