"""What a caption pair needs besides a cosine: each side says its own language, and the two
sides are in two languages.

A cosine between two short generic strings (``Précédent`` / ``Suivant``, ``Notable Changes`` /
``Changelog``, two price lines, two URLs) says nothing of translation, and a detector restricted
to two languages labels such strings one way or the other by a hair. So a side must carry
language evidence of its own: words that are not neutral (``neutral.words``: no names, handles,
URLs, numbers, code; nor a capitalised word that neither language lists as a common word) and
that favour its language over the other one in play by MIN_MARGIN nats, no word counting for
more than one word's cap. In a language that capitalises its nouns (German), a capitalised word
that reads as that language is a noun and evidence of it (``Datenbanksicherungen``), one that
does not is a name and weighs nothing. A side that holds enough function words of the other
language (MIXED_SHARE) outside names (``Spatial computing with React par Michał Pierzchała``,
``guide de migration``) is mixed, and no evidence of either. And the two sides must not read as one
language when every language is a candidate: two French navigation words labelled Spanish and
English by a restricted detector are both French to an open-set one.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence

from aligner.langid import LanguageDetector
from aligner.langid.charngram import FUNCTION_WORD, CharNgramDetector, capped
from aligner.langid.neutral import CAPITALISED_NOUNS, Word, in_a_name, word_count, words
from aligner.langid.ngrams import LanguageTable, table_form
from aligner.records import UNDETERMINED

MIN_MARGIN = 4.0
"""Log-odds (nats) a side's evidence words must give its language over the other in play. On
captions-dev, the debdocs caption articles and the real one-language documents
(``bench/real_false_pairs.py``), the true caption pairs have at least 4.5 on each side; the
false pairs between navigation words, headings and code lines mostly under 3."""
MIXED_SHARE = 3
"""A side is mixed when two or more, and one in MIXED_SHARE or more, of its function words are
the other language's, or any when it has fewer of its own: a line of English titles joined by
``par`` and ``et``, ``guide de migration``; not a long text that quotes a foreign title once,
nor a French line holding one command name that is an English word (``make``)."""
FOREIGN_WORD = math.log(100.0)
"""How much likelier (nats) a function word of the other language must be there than in a
side's own language to count against the side: ``par``, ``et``, ``de`` in English text, not
``son`` (a French function word, and an English noun)."""


def language_margin(text: str, lang: str, other: str, detector: LanguageDetector) -> float:
    """Log-odds that ``text`` is in ``lang`` rather than ``other``, from its evidence words only,
    each capped (a run of Chinese or Japanese characters counts as the words it holds); 0 for
    a text that holds function words of ``other`` (MIXED_SHARE), which is mixed."""
    found = words(text)
    nouns = lang in CAPITALISED_NOUNS
    # in German, a capitalised word inside a sentence is read like any other word
    tokens = [
        w._replace(neutral=False) if nouns and w.name else w
        for w in found
        if not w.neutral or (nouns and w.name)
    ]
    if not tokens:
        return 0.0
    if isinstance(detector, CharNgramDetector) and detector.covers((lang, other)):
        tables = detector.tables((lang, other))
        # a capitalised word neither language lists among its common words is a name, even
        # where it opens a sentence (``Delacorte, 240 pp., $20.99``), but in German a noun
        tokens = [t for t in tokens if nouns or not _unlisted_name(t.text, tables)]
        rows = detector.word_scores(tokens, tables)
        if _holds_function_words(text, found, tokens, rows, tables):
            return 0.0
        total = 0.0
        for token, row in zip(tokens, rows, strict=True):
            mine, theirs = capped(row, max(1.0, word_count(token.text)))
            if nouns and token.text[0].isupper():
                # a noun of its language, or a name that weighs nothing (``Joe Biden``)
                total += max(mine - theirs, 0.0)
            else:
                total += mine - theirs
        return total
    found, probability = detector.detect(text, (lang, other))
    odds = math.log(max(probability, 1e-9) / max(1.0 - probability, 1e-9))
    return odds if found == lang else -odds if found == other else 0.0


def _holds_function_words(
    text: str,
    found: Sequence[Word],
    tokens: Sequence[Word],
    rows: Sequence[Sequence[float]],
    tables: Sequence[LanguageTable],
) -> bool:
    """Whether the lower-case evidence words of ``tokens`` (with their ``[mine, theirs]`` rows,
    ``tables`` in that order) hold function words of the other language as MIXED_SHARE says.
    One counts when it is FOREIGN_WORD likelier in the other language, in the script most of
    the text is written in, and neither a link inside a name (``Palacio de la Moncloa``) nor
    part of a joined token (``apt-get``); ``found`` is every word of ``text``. Words of another
    script are borrowed as they are (``注册到 the Debian keyring``)."""
    if not tokens:
        return False
    mine_table, other_table = tables
    position = {word.start: i for i, word in enumerate(found)}
    scripts: Counter[str] = Counter()
    for token in tokens:
        scripts[_script(token.text)] += word_count(token.text)
    main_script = scripts.most_common(1)[0][0]
    own = foreign = 0
    for token, (mine, theirs) in zip(tokens, rows, strict=True):
        form = table_form(token.text)
        if token.text[0].isupper():
            continue
        joined = text[token.start - 1 : token.start] in _JOINERS or (
            text[token.end : token.end + 1] in _JOINERS
        )
        if (
            other_table.frequent.get(form, -math.inf) >= FUNCTION_WORD
            and theirs - mine >= FOREIGN_WORD
            and _script(token.text) == main_script
            and not joined
            and not in_a_name(found, position[token.start])
        ):
            foreign += 1
        elif mine_table.frequent.get(form, -math.inf) >= FUNCTION_WORD:
            own += 1
    return foreign > own or (foreign > 1 and foreign * MIXED_SHARE >= foreign + own)


_JOINERS = tuple("-‐/")


def _script(word: str) -> str:
    """The script of a word's first letter (``LATIN``, ``CJK``, ``CYRILLIC``...)."""
    return unicodedata.name(word[0], "?").split()[0]


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
