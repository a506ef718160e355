"""The character n-gram model behind the default detector: per-language word log-likelihoods.

Each language's table (``data/ngrams.zip`` and ``data/words.zip``, built by
``models/build_langid.py``) holds conditional log-probabilities of in-word 1- to 5-grams (from
lingua's models), of how words start and end (from langdetect's profiles) and the frequencies of
its most common words (from wordfreq). A word's log-likelihood is a back-off Markov chain over
its letters, plus its start and end, mixed with its listed frequency. Tables are read lazily,
the languages asked for together and nothing else, so a detector restricted to two languages
starts fast.
"""

from __future__ import annotations

import contextlib
import math
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources

QUANTUM = 8.0
MAX_ORDER = 5
# Stupid back-off: each step down to a shorter context costs ln(0.4) (Brants et al., 2007).
BACKOFF = math.log(0.4)
UNSEEN_LETTER = math.log(1e-7)
_CACHE_LIMIT = 100_000
# Word-boundary evidence not in the profile: a rare second letter, an unknown end rate.
_UNSEEN_SECOND = math.log(1e-3)
_DEFAULT_END = math.log(0.1)
_DEFAULT_CONTINUE = math.log(0.9)
_MOST_LIKELY_END = math.log(0.99)
_lock = threading.Lock()


def table_form(word: str) -> str:
    """How a word is looked up in the tables: lower case, a typographic apostrophe as ``'``."""
    return word.lower().replace("’", "'")


class LanguageTable:
    """One language's n-gram tables and a cache of word log-likelihoods."""

    def __init__(
        self,
        lang: str,
        inner: dict[str, float],
        edges: dict[str, float],
        frequent: dict[str, float] | None = None,
    ) -> None:
        self.lang = lang
        self.inner = inner
        self.edges = edges
        self.frequent = frequent or {}
        # The mass the word list leaves to every other word, which the letters model shares.
        listed = sum(map(math.exp, self.frequent.values()))
        self.log_unlisted = math.log(max(1.0 - listed, 1e-3))
        starts = [v for g, v in edges.items() if len(g) == 2 and g[0] == " "]
        # Profiles are pruned: an unseen first letter is rarer than any kept one.
        self.unseen_start = min(starts, default=0.0) - 1.0
        self.continues = {
            g: math.log1p(-math.exp(min(v, _MOST_LIKELY_END)))
            for g, v in edges.items()
            if g[-1] == " "
        }
        # one cache per kind of evidence: a word is its own key, with nothing to build per call
        self._caches: dict[tuple[bool, bool], dict[str, float]] = {}

    def word_logprob(self, word: str, with_edges: bool, with_words: bool) -> float:
        """Log-likelihood of a lowercased word: its letters; where it starts and ends when
        ``with_edges``; its frequency, where the word list has it, when ``with_words``."""
        cache = self._caches.setdefault((with_edges, with_words), {})
        cached = cache.get(word)
        if cached is not None:
            return cached
        total = sum(self._inner_logprob(part) for part in word.split("'"))
        if with_edges:
            total += self._edge_logprob(word.replace("'", ""))
        if with_words:
            total = self._mixed_with_list(word, total)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[word] = total
        return total

    def _mixed_with_list(self, word: str, letters: float) -> float:
        """P(word) = P(listed word) + P(unlisted) * P(letters), in log space."""
        unlisted = self.log_unlisted + letters
        listed = self.frequent.get(word)
        if listed is None:
            return unlisted
        top = max(listed, unlisted)
        return top + math.log(math.exp(listed - top) + math.exp(unlisted - top))

    def _edge_logprob(self, word: str) -> float:
        edges = self.edges
        total = edges.get(" " + word[0], self.unseen_start)
        if len(word) > 1:
            total += edges.get(" " + word[:2], _UNSEEN_SECOND)
        padded = " " + word
        last = len(word) - 1
        for i in range(len(word)):
            context = padded[i : i + 2] + " "
            if i == last:
                total += edges.get(context, _DEFAULT_END)
            else:
                total += self.continues.get(context, _DEFAULT_CONTINUE)
        return total

    def _inner_logprob(self, word: str) -> float:
        inner = self.inner
        total = 0.0
        for end in range(1, len(word) + 1):
            penalty = 0.0
            for start in range(max(0, end - MAX_ORDER), end):
                logp = inner.get(word[start:end])
                if logp is not None:
                    total += logp + penalty
                    break
                penalty += BACKOFF
            else:
                total += UNSEEN_LETTER + penalty
        return total


# A table's lines: ``ngram<TAB>quantised -log p``, an edge's with ``<TAB>e`` after (its spaces
# written ``_``); a listed word's ``word<TAB>-centibels``. A table is split into its fields in
# C, its lines never made strings of their own (``_pairs``), and each distinct number converted
# once (``_Converted``): the 40 languages of the open set are read in 0.28 s, against 0.5-0.7 s
# line by line (a tenth of labelling a 3 MB dump) and 0.35-0.46 s with a string per line.
_EDGE_MARK = "\te\n"


class _Converted(dict[str, float]):
    """The value of each number as written, converted by ``convert`` the first time."""

    def __init__(self, convert: Callable[[int], float]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, written: str) -> float:
        value = self[written] = self.convert(int(written))
        return value


_CENTIBELS = _Converted(lambda centibels: -centibels / 100 * math.log(10))
_QUANTISED = _Converted(lambda quantised: -quantised / QUANTUM)


def _pairs(raw: str, convert: _Converted) -> dict[str, float]:
    """``{key: convert[number]}`` of the lines ``key<TAB>number`` of ``raw``, each ended by a
    newline."""
    fields = raw.replace("\n", "\t").split("\t")[:-1] if raw else []
    try:
        if len(fields) != 2 * raw.count("\n"):
            raise ValueError
        return dict(zip(fields[::2], map(convert.__getitem__, fields[1::2]), strict=True))
    except ValueError:  # the cause of the first bad line is named
        bad = next(line for line in raw.splitlines() if not _a_pair(line))
        raise ValueError(f"a line of the language model is not key<TAB>number: {bad!r}") from None


def _a_pair(line: str) -> bool:
    fields = line.split("\t")
    return len(fields) == 2 and fields[1].isdigit()


def _parse_words(raw: str) -> dict[str, float]:
    return _pairs(_ended(raw), _CENTIBELS)


def _ended(raw: str) -> str:
    return raw if not raw or raw.endswith("\n") else raw + "\n"


def _parse(lang: str, raw: str, frequent: dict[str, float] | None) -> LanguageTable:
    # models/build_langid.py writes the n-grams, then the edges
    raw = _ended(raw)
    mark = raw.find(_EDGE_MARK)
    first_edge = raw.rfind("\n", 0, mark) + 1 if mark >= 0 else len(raw)
    inner, edges = raw[:first_edge], raw[first_edge:]
    if edges.count(_EDGE_MARK) != edges.count("\n"):
        raise ValueError(f"{lang}: the language model's edges do not follow its n-grams")
    # no number holds ``_``: the edges' spaces are restored over the whole text at once
    edges = edges.replace(_EDGE_MARK, "\n").replace("_", " ")
    return LanguageTable(lang, _pairs(inner, _QUANTISED), _pairs(edges, _QUANTISED), frequent)


@cache
def available_languages() -> frozenset[str]:
    """ISO 639-1 codes the shipped model covers."""
    with _open_model("ngrams.zip") as archive:
        return frozenset(n.removesuffix(".tsv") for n in archive.namelist() if n.endswith(".tsv"))


@cache
def open_set() -> tuple[str, ...]:
    """The languages compared when none are named: those with n-grams, word boundaries and a
    word list, so that none is favoured by having more kinds of evidence than another."""
    with _open_model("ngrams.zip") as archive:
        return tuple(archive.read("open-set.txt").decode("utf-8").split())


_loaded: dict[str, LanguageTable] = {}


def _read_tables(langs: Iterable[str]) -> None:
    """Read the tables of ``langs`` not read yet, opening each archive once for all of them."""
    missing = [lang for lang in dict.fromkeys(langs) if lang not in _loaded]
    if not missing:
        return
    with _open_model("words.zip") as words, _open_model("ngrams.zip") as ngrams:
        listed = set(words.namelist())
        for lang in missing:
            member = f"{lang}.tsv"
            frequent = None
            if member in listed:
                frequent = _parse_words(words.read(member).decode("utf-8"))
            _loaded[lang] = _parse(lang, ngrams.read(member).decode("utf-8"), frequent)


def load_table(lang: str) -> LanguageTable:
    """The table of one language (read once per process); KeyError when not covered."""
    return load_tables((lang,))[0]


@lru_cache(maxsize=64)
def load_tables(langs: tuple[str, ...]) -> tuple[LanguageTable, ...]:
    """The tables of ``langs``, in that order (each read once per process); KeyError when one is
    not covered. Asked for once per line or more, so the set is kept whole (a few sets: the
    languages in play, each script's share of the open set)."""
    uncovered = set(langs) - available_languages()
    if uncovered:
        raise KeyError(min(uncovered))
    with _lock:
        _read_tables(langs)
        return tuple(_loaded[lang] for lang in langs)


def unload() -> None:
    """Forget every loaded table and its word cache: frees the memory, or times a cold start."""
    with _lock:
        _loaded.clear()
        load_tables.cache_clear()


@contextlib.contextmanager
def _open_model(name: str) -> Iterator[zipfile.ZipFile]:
    # a ZipFile does not close a stream it was given: both are closed here
    with (
        resources.files("aligner.langid").joinpath("data", name).open("rb") as stream,
        zipfile.ZipFile(stream) as archive,
    ):
        yield archive
