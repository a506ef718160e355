"""The default detector: a character n-gram model restricted to the languages in play.

Each candidate language scores the segment's evidence words (see ``neutral.words``) with its
n-gram table; the scores are turned into probabilities over the candidates. A candidate set the
model does not cover (Galician is in none of its sources) goes to py3langid when it knows every
candidate, else to langdetect.

Chinese and Japanese are written without spaces, so one evidence word of theirs is a whole run
of characters, and the Latin words such text borrows (``logcheck``, ``iPhone``) are unseen by
their tables and weigh heavily against them. Between those languages and the others, the
script decides first, as in lingua's rules: each Chinese or Japanese character counts as a
word, and the script with more words keeps its candidates (``_by_script``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from aligner.langid import LanguageDetector, load_detector
from aligner.langid.neutral import Word, words
from aligner.langid.ngrams import (
    LanguageTable,
    available_languages,
    load_tables,
    open_set,
    table_form,
)
from aligner.records import UNDETERMINED

MODEL_VERSION = "ngrams-1"


def posteriors(scores: Sequence[float]) -> list[float]:
    """Softmax of log-likelihoods: the probability of each candidate, uniform prior."""
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


WORD_EVIDENCE_CAP = 10.0
"""No single word may count for more than these odds (e^10) between two languages: a name or a
loanword at a sentence start ("Kate tiene...", "jets") must not outweigh a whole sentence."""


def capped(row: Sequence[float], words: float = 1.0) -> list[float]:
    """``row`` with no language more than ``words`` times WORD_EVIDENCE_CAP behind the best."""
    top = max(row)
    return [max(value, top - WORD_EVIDENCE_CAP * words) for value in row]


ROW_CACHE_LIMIT = 100_000
"""Token rows kept per set of tables (``word_scores``); the cache starts over beyond this."""
ROW_CACHE_SETS = 64
"""Sets of tables whose rows are kept."""
# Open-set detection scores every language on the first words, then only the best few.
SHORTLIST = 8
SHORTLIST_WORDS = 4
# A word this frequent (0.1 % of running text: "the", "in", "de", "y") is a function word.
FUNCTION_WORD = math.log(1e-3)


def names_only(found: Sequence[Word], tables: Sequence[LanguageTable]) -> bool:
    """Two or more words, every one capitalised, none a function word of a candidate language,
    and no word that is common in some candidate languages but not in the others:
    ``Kori Schulman``, ``Nueva York``... but not ``The Great Powers`` (a function word) nor
    ``Capitol Hill`` (``hill`` is an English word, not a Spanish one)."""
    if len(found) < 2 or not all(w.text[0].isupper() for w in found):
        return False
    lowered = [w.text.lower() for w in found]
    if any(t.frequent.get(w, -math.inf) >= FUNCTION_WORD for t in tables for w in lowered):
        return False
    listed = [frozenset(w for w in lowered if w in t.frequent) for t in tables]
    return all(words_listed == listed[0] for words_listed in listed)


WRITTEN_WITHOUT_SPACES = frozenset({"zh", "ja"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_OTHER_LETTER = re.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _by_script(tokens: Sequence[Word], langs: Sequence[str]) -> list[str]:
    """The candidates of the script with more words in ``tokens``: Chinese and Japanese
    characters count one word each, any other word one; all of ``langs`` when they share a
    script. Between Chinese and Japanese, kana means Japanese and its absence Chinese."""
    unspaced = [lang for lang in langs if lang in WRITTEN_WITHOUT_SPACES]
    spaced = [lang for lang in langs if lang not in WRITTEN_WITHOUT_SPACES]
    if not unspaced:
        return list(langs)
    characters = sum(len(_CJK.findall(token.text)) for token in tokens)
    others = sum(bool(_OTHER_LETTER.search(token.text)) for token in tokens)
    if spaced and characters <= others:
        return spaced
    if len(unspaced) > 1 and characters:
        return ["ja" if any(_KANA.search(token.text) for token in tokens) else "zh"]
    return unspaced


class CharNgramDetector:
    """Naive-Bayes over character n-grams with word boundaries; deterministic, no sampling."""

    def __init__(self, und_for_names: bool = True) -> None:
        """``und_for_names``: a line of capitalised words only, none of them a function word
        (``Kori Schulman``), is ``und``; False guesses its language like any other text."""
        self.und_for_names = und_for_names
        self.name = f"charngram:{MODEL_VERSION}" + ("" if und_for_names else ":names-guessed")
        self._fallbacks: dict[str, LanguageDetector] = {}
        self._rows: dict[tuple[str, ...], dict[str, tuple[float, ...]]] = {}
        """Per set of tables, each token text's row of ``word_scores``."""

    @property
    def open_languages(self) -> frozenset[str]:
        return frozenset(open_set())

    def covers(self, langs: Sequence[str]) -> bool:
        """Whether the n-gram model has every language of ``langs`` (all of them when empty)."""
        return set(langs) <= available_languages()

    def tables(self, langs: Sequence[str]) -> list[LanguageTable]:
        """The tables of ``langs``, or of the open set when ``langs`` is empty."""
        return list(load_tables(tuple(langs or open_set())))

    def word_scores(
        self, tokens: Sequence[Word], tables: Sequence[LanguageTable]
    ) -> list[tuple[float, ...]]:
        """Per token, the log-likelihood under each table; zeros for neutral tokens. A
        capitalised word may be a name whatever its place (``Sánchez and Díaz at the Congress``):
        it counts for at most WORD_EVIDENCE_CAP.

        A kind of evidence (word boundaries, word frequencies) counts only when every table
        has it, so that no language wins by having more of the model.

        The rows are tuples, shared with every caller and every later line rather than copied
        for each: most words recur from line to line.
        """
        with_edges = all(t.edges for t in tables)
        with_words = all(t.frequent for t in tables)
        # A token's row depends on its text alone: a line is scored by ``detect`` and again by
        # ``split_mixed``, and most words recur from line to line.
        if len(self._rows) > ROW_CACHE_SETS:  # open-set shortlists vary: keep memory bounded
            self._rows.clear()
        known = self._rows.setdefault(tuple(t.lang for t in tables), {})
        if len(known) >= ROW_CACHE_LIMIT:
            known.clear()
        zeros = (0.0,) * len(tables)
        rows = []
        for token in tokens:
            if token.neutral:
                rows.append(zeros)
                continue
            row = known.get(token.text)
            if row is None:
                word = table_form(token.text)
                scores = [t.word_logprob(word, with_edges, with_words) for t in tables]
                row = tuple(capped(scores) if token.text[0].isupper() else scores)
                known[token.text] = row
            rows.append(row)
        return rows

    def detect(self, text: str, langs: Sequence[str]) -> tuple[str, float]:
        """Best language of ``text`` among ``langs`` and its probability, or ``("und", 0.0)``
        when no word carries evidence (empty, numbers, names only, a credit)."""
        if not self.covers(langs):
            return self._fallback(langs).detect(text, langs)
        found = words(text)
        tokens = [w for w in found if not w.neutral]
        if not tokens:
            return UNDETERMINED, 0.0
        tables = self.tables(_by_script(tokens, langs or open_set()))
        if self.und_for_names and names_only(found, tables):
            return UNDETERMINED, 0.0
        if len(tables) > SHORTLIST and len(tokens) > SHORTLIST_WORDS:
            # Open set: the first words already rule most languages out; score the rest of the
            # text for the likeliest few only.
            head = self._totals(tokens[:SHORTLIST_WORDS], tables)
            ranked = sorted(range(len(tables)), key=lambda i: -head[i])
            tables = [tables[i] for i in sorted(ranked[:SHORTLIST])]
        totals = self._totals(tokens, tables)
        probabilities = posteriors(totals)
        best = max(range(len(tables)), key=probabilities.__getitem__)
        return tables[best].lang, probabilities[best]

    def _totals(self, tokens: Sequence[Word], tables: Sequence[LanguageTable]) -> list[float]:
        return [sum(column) for column in zip(*self.word_scores(tokens, tables), strict=True)]

    def _fallback(self, langs: Sequence[str]) -> LanguageDetector:
        from aligner.langid import py3langid_backend

        name = "py3langid" if set(langs) <= py3langid_backend.languages() else "langdetect"
        if name not in self._fallbacks:
            self._fallbacks[name] = load_detector(name)
        return self._fallbacks[name]
