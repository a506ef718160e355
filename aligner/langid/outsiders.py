"""Text in neither of the languages in play: a French caption in a Spanish/English dump.

A detector restricted to ``es`` and ``en`` calls a French sentence one of them, and the French
caption would then be paired as Spanish. A piece is instead labelled with a third language when
two detectors, each choosing among all the languages it knows, agree on that language with high
probability, and the piece has enough words to judge (more for a close relative of a language in
play). One open-set detector alone misreads a short sentence now and then (``He has lost his
umbrella.`` reads as Vietnamese to the n-gram model); two independent models rarely make the
same mistake. On the language-ID benchmark (``bench/outsiders_bench.py``, BENCHMARKS.md), 0 to
0.15 % of the segments in the two languages are taken for a third language, and 51 to 67 % of
the others get their own language (the rest stay labelled as one of the two, as every segment
did before).

No check is made when a language in play is one a detector cannot name (Galician is in neither
open set): its text would be read as a neighbour, Portuguese or Spanish.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.langid import LanguageDetector, load_detector
from aligner.langid.neutral import word_count, words
from aligner.langid.ngrams import load_table, open_set, table_form
from aligner.records import UNDETERMINED

MIN_WORDS = 2.0
"""Evidence words (not names, numbers or credits) a piece needs before it can be outside."""
MIN_WORDS_RELATIVE = 8.0
"""The same for a language close to one in play, which shares most of its words: a short Czech
sentence often reads as Slovak to both detectors, a Spanish one as Portuguese."""
RELATIVES = (
    frozenset({"es", "pt", "gl", "ca"}),
    frozenset({"cs", "sk"}),
    frozenset({"hr", "sr", "bs", "sl"}),
    frozenset({"da", "nb", "nn", "no", "sv"}),
    frozenset({"ru", "uk", "be", "bg", "mk"}),
    frozenset({"id", "ms"}),
    frozenset({"nl", "af"}),
)
MIN_PROBABILITY = 0.99
"""Both detectors' probability for the third language."""
COMMON_WORDS_SHARE = 0.85
"""A piece whose evidence words are nearly all common words of the languages in play is taken
to be in play without asking the detectors: on the language-ID set, that settles about 80 % of
the segments in play and loses under 0.5 % of the third-language ones that would be caught."""


def evidence_words(text: str) -> float:
    """How many words of ``text`` can tell its language."""
    return _evidence_count([w.text for w in words(text) if not w.neutral])


def _evidence_count(tokens: Sequence[str]) -> float:
    return sum(map(word_count, tokens))


class OutsiderCheck:
    """Whether a piece is in a language other than the two in play."""

    def __init__(self, detector: LanguageDetector, langs: Sequence[str]) -> None:
        second = "charngram" if detector.name.startswith("py3langid") else "py3langid"
        # py3langid answers over all its languages in a fifth of the n-gram model's time, and
        # most pieces are settled by the first opinion: ask it first
        pair = (detector, load_detector(second))
        self.detectors = pair if second == "charngram" else pair[::-1]
        self.langs = frozenset(langs)
        self.active = all(self.langs <= d.open_languages for d in self.detectors)
        self.name = f"outsiders:{second}@{MIN_PROBABILITY}x{MIN_WORDS:g}" if self.active else "no"
        # the n-gram model's lists of each language's most frequent words, where it has them
        covered = self.active and self.langs <= set(open_set())
        lists = [load_table(lang).frequent or {} for lang in sorted(self.langs)] if covered else []
        self._common: frozenset[str] = frozenset().union(*lists)

    def label(self, text: str, lang: str, score: float) -> tuple[str, float]:
        """``(lang, score)``, a restricted detector's answer for ``text``, or the third language
        ``text`` is in and the lower of the two detectors' probabilities."""
        if lang == UNDETERMINED or not self.active:
            return lang, score
        tokens = [w.text.lower() for w in words(text) if not w.neutral]
        if "’" in text:  # the tables' form (``table_form``), made only where it differs
            tokens = list(map(table_form, tokens))
        evidence = _evidence_count(tokens)
        if evidence < MIN_WORDS or self._common_share(tokens) >= COMMON_WORDS_SHARE:
            return lang, score
        answers = []
        for detector in self.detectors:
            other, probability = detector.detect(text, ())
            if other in self.langs or other == UNDETERMINED or probability < MIN_PROBABILITY:
                return lang, score
            answers.append((other, probability))
        (first, p1), (second, p2) = answers
        if first != second or (self._related(first) and evidence < MIN_WORDS_RELATIVE):
            return lang, score
        return first, min(p1, p2)

    def _common_share(self, tokens: Sequence[str]) -> float:
        if not self._common:
            return 0.0
        return sum(map(self._common.__contains__, tokens)) / len(tokens)

    def _related(self, lang: str) -> bool:
        return any(lang in group and group & self.langs for group in RELATIVES)
