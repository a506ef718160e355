"""What a caption pair needs besides a cosine: each side says its own language, and the two
sides are in two languages.

A cosine between two short generic strings (``Précédent`` / ``Suivant``, ``Notable Changes`` /
``Changelog``, two price lines, two URLs) says nothing of translation, and a detector restricted
to two languages labels such strings one way or the other by a hair. So a side must carry
language evidence of its own: words that are not neutral (``neutral.words``: no names, handles,
URLs, numbers, code; nor a capitalised word that neither language lists as a common word) and
that favour its language over the other one in play by MIN_MARGIN nats, no word counting for
more than one word's cap. And the two sides must not read as one language when every language
is a candidate: two French navigation words labelled Spanish and English by a restricted
detector are both French to an open-set one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from aligner.langid import LanguageDetector
from aligner.langid.charngram import CharNgramDetector, capped
from aligner.langid.neutral import word_count, words
from aligner.langid.ngrams import LanguageTable, table_form
from aligner.records import UNDETERMINED

MIN_MARGIN = 4.0
"""Log-odds (nats) a side's evidence words must give its language over the other in play. On
captions-dev, the debdocs caption articles and the real one-language documents
(``bench/real_false_pairs.py``), the true caption pairs have at least 4.5 on each side; the
false pairs between navigation words, headings and code lines mostly under 3."""


def language_margin(text: str, lang: str, other: str, detector: LanguageDetector) -> float:
    """Log-odds that ``text`` is in ``lang`` rather than ``other``, from its evidence words only,
    each capped (a run of Chinese or Japanese characters counts as the words it holds)."""
    tokens = [w for w in words(text) if not w.neutral]
    if not tokens:
        return 0.0
    if isinstance(detector, CharNgramDetector) and detector.covers((lang, other)):
        tables = detector.tables((lang, other))
        # a capitalised word neither language lists among its common words is a name, even
        # where it opens a sentence (``Delacorte, 240 pp., $20.99``)
        tokens = [t for t in tokens if not _unlisted_name(t.text, tables)]
        rows = detector.word_scores(tokens, tables)
        total = 0.0
        for token, row in zip(tokens, rows, strict=True):
            mine, theirs = capped(row, max(1.0, word_count(token.text)))
            total += mine - theirs
        return total
    found, probability = detector.detect(text, (lang, other))
    odds = math.log(max(probability, 1e-9) / max(1.0 - probability, 1e-9))
    return odds if found == lang else -odds if found == other else 0.0


def _unlisted_name(word: str, tables: Sequence[LanguageTable]) -> bool:
    form = table_form(word)
    return word[0].isupper() and all(t.frequent and form not in t.frequent for t in tables)


class TranslationEvidence:
    """Whether two units labelled with the two languages in play may translate each other."""

    def __init__(self, detector: LanguageDetector, langs: Sequence[str]) -> None:
        self.detector = detector
        self.langs = tuple(langs)
        self.name = f"margin{MIN_MARGIN:g}+open-set"
        """Identity and settings, for the reproducibility signature."""
        self._open: dict[str, str] = {}

    def says_its_language(self, text: str, lang: str) -> bool:
        """Whether ``text`` carries evidence of ``lang`` over the other language in play."""
        other = next((code for code in self.langs if code != lang), lang)
        return language_margin(text, lang, other, self.detector) >= MIN_MARGIN

    def open_language(self, text: str) -> str:
        """The language of ``text`` among all the detector's languages (cached)."""
        if text not in self._open:
            self._open[text] = self.detector.detect(text, ())[0]
        return self._open[text]

    def two_languages(self, src: str, src_lang: str, tgt: str, tgt_lang: str) -> bool:
        """False when, with every language a candidate, the two texts read as one language, or
        neither reads as the language it was labelled with."""
        first, second = self.open_language(src), self.open_language(tgt)
        if first == second and first != UNDETERMINED:
            return False
        return first == src_lang or second == tgt_lang

    def may_translate(self, src: str, src_lang: str, tgt: str, tgt_lang: str) -> bool:
        return (
            self.says_its_language(src, src_lang)
            and self.says_its_language(tgt, tgt_lang)
            and self.two_languages(src, src_lang, tgt, tgt_lang)
        )
