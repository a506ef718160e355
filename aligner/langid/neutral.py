"""Language-neutral material: what must not decide a segment's language.

Agency credits (``Sergei SUPINSKY / AFP -``), capitalised names, acronyms, numbers, URLs, e-mail
addresses, file paths and punctuation are the same in every language; detectors see only the
other words.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Collection, Sequence
from typing import NamedTuple

from aligner.langid.code import is_code
from aligner.langid.ngrams import LanguageTable, table_form

# "Name SURNAME / AGENCY -", "EFE -", "Europa Press -", "REUTERS/Name -" at the start of a line.
CREDIT_PREFIX = re.compile(
    r"^\s*(?:[\w.'’-]+(?:\s+[\w.'’-]+){0,3}\s*/\s*)?"
    r"(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s+[-–—|:]\s+"
)
# Tokens that are the same in every language, each a span no cut may enter: URLs with or without
# a scheme (``pic.twitter.com/zK8Q``, ``example.org``), e-mail addresses, file paths
# (``/usr/share/doc``, ``~/.bashrc``, ``debian/rules``), @handles, #tags and scoped packages
# (``@testing-library/react``), inline code, command
# options, and numbers with their
# signs, units and inner punctuation (``$17.99``, ``1.4``, ``3-7``, ``12:30``, ``2,000``, ``5GB``).
_TOP_LEVEL = (
    r"com|org|net|edu|gov|int|mil|io|co|info|biz|dev|app|ai|me|tv|ly|gl|fm|to|uk|us|ca|au|de|fr"
    r"|es|pt|br|it|nl|be|ch|at|se|no|dk|fi|pl|cz|ru|cn|jp|kr|in|mx|ar|cl|eu"
)
_TOKEN = re.compile(
    r"(?P<url>(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"]+"
    rf"|\b(?:[a-z0-9](?:[\w-]*[a-z0-9])?\.)+(?:[a-z]{{2,}}/[^\s<>\"]*|(?:{_TOP_LEVEL})\b)"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w/])[~.]{0,2}/[\w.~*-]+(?:/[\w.~*-]*)*"
    r"|(?<![\w/.])[\w.~*-]+(?:(?:/[\w.~*-]+){2,}/?|/[\w~*-]*\.[\w.~*-]+|/[\w.~*-]+/))"
    r"|(?P<neutral>(?<![\w@#])[@#][^\W_][\w-]*(?:[/.][\w-]+)*"
    r"|`[^`\n]+`"
    # command-line options and file extensions (-m, --size, .changes)
    r"|(?<!\S)--?[a-zA-Z][\w-]*|(?<![\w.])\.[a-z]\w*"
    r"|[$€£¥]?\d+(?:[.,:/-]\d+)*(?:%|[a-zA-Z]{1,3}\b)?"
    # code and file names: letters with digits or underscores (python3, x86_64, mod_ssl), an
    # inner full stop before a small letter (index.html, Node.js)
    r"|(?<![\w.])[a-zA-Z0-9_]+(?:\.[a-z0-9][a-zA-Z0-9_]*)+(?![\w])"
    r"|(?<![\w.])(?=[a-zA-Z0-9_]*[\d_])[a-zA-Z0-9_]*[a-zA-Z][a-zA-Z0-9_]*(?![\w])"
    # $variables, and identifiers in camel case: a capital inside a word that starts with one
    # (ModLoad, JavaScript) or after a short prefix (useState, iPhone), not a glued sentence's
    # (equinocciosThree)
    r"|\$\w+|(?<![\w.])(?:[A-Z]+[a-z]+|[a-z]{1,4})[A-Z][a-zA-Z]*(?![\w]))"
    # words joined by hyphens or a slash (ssh-agent, ctrl-c, co-working, km/h, and/or): one
    # token, but language evidence. Not after a letter: from a word's later letters the search
    # only repeats, to the word's end, the one its first letter failed (after a digit it does
    # not: ``10GBASE-T`` is a number, then ``GBASE-T``)
    r"|(?P<joined>(?<![^\W\d_])[^\W_]+(?:[-‐/][^\W_]+)+)"
)
# What every token of _TOKEN holds somewhere: a digit or a sign, an inner full stop, an inner
# hyphen, a capital after a small letter, ``www.`` (``maybe_a_token``).
_SIGN = re.compile(r"[\d@#/`$~_‐]")
_INNER_STOP = re.compile(r"\.\w")
_INNER_HYPHEN = re.compile(r"\w-|-\w")
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
_WWW = re.compile(r"www\.")  # www.(...) holds no other sign
# What a URL or a path does not end with: the punctuation of the sentence around it.
_TRAILING = ".,;:!?)]}'’\"”»"
MASK = "_"
"""What ``masked`` puts in place of a token's characters: neither a letter nor a separator."""


# Letters, with inner apostrophes (don't, l'avi): digits split a token.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# What may stand between a sentence's end and the next sentence's first word. Quotes are not
# in it: a capital after a quote is as often a quoted title's ("Stranger Things").
_SENTENCE_BREAK = re.compile(r"[.!?¿¡:;/|–—\-·•\t]")
# Abbreviations whose full stop does not end a sentence: titles and caption abbreviations.
ABBREVIATIONS = frozenset(
    {
        "sr",
        "sra",
        "srta",
        "sres",
        "dr",
        "dra",
        "drs",
        "mr",
        "mrs",
        "ms",
        "st",
        "prof",
        "gral",
        "lic",
        "ing",
        "av",
        "etc",
        "ej",
        "pág",
        "núm",
        "vs",
        "cf",
        "pp",
        "ud",
        "uds",
        "jr",
        "dcha",
        "izda",
        "izq",
        "dcho",
        "dña",
        "d",
    }
)


class Word(NamedTuple):
    """A word of a text: ``text[start:end]``; ``neutral`` words carry no language evidence."""

    start: int
    end: int
    text: str
    neutral: bool
    name: bool = False
    """Neutral only as a capitalised word inside a sentence: most often a name, but in a
    language that capitalises its nouns (CAPITALISED_NOUNS) as often a noun."""


def credit_prefix_end(text: str) -> int:
    """Length of a leading agency/photographer credit such as ``Sergei SUPINSKY / AFP - ``,
    or 0. Only credits whose words are all capitalised count, so prose is never taken."""
    match = CREDIT_PREFIX.match(text)
    if not match:
        return 0
    words = _WORD.findall(match.group(0))
    if not words or not all(w[0].isupper() for w in words):
        return 0
    return match.end()


# "(Foto: Europa Press)", "Photo : Jeff Pachoud / AFP", "[Imagen: EFE]": a picture credit.
_CREDIT_WORD = (
    r"fotos?|fotografía|photos?|photograph|picture|image|imagen|immagine|bild|crédito|credits?"
    r"|illustration|ilustración|vídeo|video|фото"
)
_CREDIT = re.compile(
    rf"[(\[]?\s*(?:{_CREDIT_WORD})\s*:\s*(?P<names>[^()\[\]:]{{1,80}}?)\s*[)\]]?\s*$",
    re.IGNORECASE,
)
# lower-case words a name may hold: "Agencia de Noticias", "Smith and Jones", "Karl von Habsburg"
NAME_LINKS = frozenset(
    {"de", "del", "la", "le", "du", "des", "y", "e", "and", "und", "et", "van", "von", "der"}
    | {"da", "di", "dos", "das", "do", "zu"}
)


def _credit_at(text: str, start: int) -> bool:
    match = _CREDIT.match(text, start)
    if not match:
        return False
    names = _WORD.findall(match.group("names"))
    return bool(names) and all(w[0].isupper() or w in NAME_LINKS for w in names)


def is_credit(text: str) -> bool:
    """Whether ``text`` is nothing but a picture credit (``(Foto: Europa Press)``), which names
    no language and translates nothing. Only credits whose names are capitalised count."""
    return _credit_at(text, 0)


# where an unbracketed credit may open: after a sentence end ("... rents. Photo: Europa Press")
_CREDIT_OPENING = re.compile(rf"(?:^|(?<=[.!?…]\s))\s*(?={_CREDIT_WORD})", re.IGNORECASE)
_CREDIT_REACH = 120
"""How far from the end a closing credit may start: a credit word, a colon and 80 characters."""


def credit_suffix_start(text: str) -> int:
    """Where a closing picture credit starts, bracketed (``... en el Congreso (Foto: Europa
    Press)``) or after a sentence end (``... rents. Photo: Europa Press``), or ``len(text)``."""
    if ":" not in text:  # every credit has its colon: most lines are settled here
        return len(text)
    for opening in (text.rfind("("), text.rfind("[")):
        if opening >= 0 and _credit_at(text, opening):
            return opening
    for opening in _CREDIT_OPENING.finditer(text, max(len(text) - _CREDIT_REACH, 0)):
        if _credit_at(text, opening.end()):
            return opening.end()
    return len(text)


def in_no_language(text: str) -> bool:
    """Whether a segment says nothing in any language: no letter (``!``, ``2024.``), only a
    picture credit, or a line of program code (``code.is_code``)."""
    return not any(ch.isalpha() for ch in text) or is_credit(text) or is_code(text)


# "ES: ", "[EN] ", "(FR) ", "DE - " before a caption: a code in capitals, bracketed or followed
# by a separator
_LANGUAGE_TAG = re.compile(r"(?:\[([A-Z]{2})\]|\(([A-Z]{2})\)|([A-Z]{2})\s*[:|–—-])\s+")


def language_tag_end(text: str, start: int, end: int, langs: Collection[str]) -> int:
    """Where the text after a language tag opening ``text[start:end]`` begins, for a tag that
    names one of ``langs``; ``start`` when there is none."""
    tag = _LANGUAGE_TAG.match(text, start, end)
    if tag is None or next(code for code in tag.groups() if code).lower() not in langs:
        return start
    return tag.end()


class Span(NamedTuple):
    """A token no cut may enter, ``text[start:end]``: a URL, a number, a joined word..."""

    start: int
    end: int
    neutral: bool
    """Whether the token says no language (all but words joined by hyphens)."""


def spans(text: str, start: int = 0) -> list[Span]:
    """The tokens of ``text`` from ``start`` that hold several words or other characters and are
    still one token, in order: URLs (with or without a scheme), e-mail addresses, paths,
    @handles, #tags, inline code, numbers and prices, code and file names, hyphenated words."""
    found: list[Span] = []
    for begin, end in _token_ranges(text, start):
        for match in _TOKEN.finditer(text, begin, end):
            stop = match.end()
            if match.lastgroup == "url":
                stop = match.start() + len(match.group().rstrip(_TRAILING))
            found.append(Span(match.start(), stop, match.lastgroup != "joined"))
    return found


# A sign any token of _TOKEN holds: the kinds ``maybe_a_token`` looks for, one per branch.
_TOKEN_SIGN = re.compile(
    "|".join(kind.pattern for kind in (_SIGN, _INNER_STOP, _INNER_HYPHEN, _INNER_CAPITAL, _WWW))
)


def _token_ranges(text: str, start: int) -> list[tuple[int, int]]:
    """Where in ``text`` from ``start`` the tokens of ``spans`` can be: the stretches between
    two spaces that hold a sign of one (``_TOKEN_SIGN``). No token but inline code holds a
    space, so each stretch is searched alone and finds what a search of the whole text would
    (``finditer`` with bounds still sees the space before and stops at the one after). Searched
    whole, a line with a number in it cost 0.6 µs a character: a tenth of the labelling floor."""
    if not maybe_a_token(text, start):  # most prose: found without looking for each sign
        return []
    if "`" in text:  # inline code may hold spaces
        return [(start, len(text))]
    ranges: list[tuple[int, int]] = []
    reached = start
    for sign in _TOKEN_SIGN.finditer(text, start):
        at = sign.start()
        if at < reached:  # in the stretch of a sign before it
            continue
        space = text.rfind(" ", start, at)
        reached = text.find(" ", sign.end())
        reached = len(text) if reached < 0 else reached
        ranges.append((space + 1 if space >= 0 else start, reached))
    return ranges


def maybe_a_token(text: str, start: int = 0) -> bool:
    """Whether ``text`` from ``start`` holds what every token of ``spans`` holds. One search per
    kind, each cheap alone (a character class, or a literal the line must hold first): one
    pattern for all of them tried every kind at every character, 15 µs a line."""
    return bool(
        _SIGN.search(text, start)
        or ("." in text and _INNER_STOP.search(text, start))
        or ("-" in text and _INNER_HYPHEN.search(text, start))
        or _INNER_CAPITAL.search(text, start)
        or ("www." in text and _WWW.search(text, start))
    )


def masked(text: str, found: Sequence[Span]) -> str:
    """``text`` with every character of the tokens ``found`` replaced by ``MASK``: what stands
    between two tokens is then only what separates them (the full stop of ``$17.99`` ends no
    sentence), and two words of one token have nothing but ``MASK`` between them."""
    if not found:
        return text
    chars = list(text)
    for span in found:
        chars[span.start : span.end] = MASK * (span.end - span.start)
    return "".join(chars)


def one_token(text: str, left_end: int, right_start: int) -> bool:
    """Whether the words that end at ``left_end`` and start at ``right_start`` of a ``masked``
    text are parts of one token."""
    return not text[max(left_end - 1, 0) : right_start + 1].strip(MASK)


def words(text: str) -> list[Word]:
    """Every word of ``text`` after a leading credit, each marked neutral or not.

    Neutral: words inside URLs, e-mail addresses, paths, handles, code and file names (see
    ``spans``), acronyms (``AFP``, ``OTAN``), a closing picture credit (``(Photo: Europa
    Press)``), and capitalised words that do not open a sentence, which are most often names. A
    capital after a sentence end or a separator (``... Francia. He has``, ``¿Puedo ir?May I``)
    opens a sentence and counts.
    """
    found = _recent_words.get(text)
    if found is None:
        found = _words(text)
        _recent_words.put(text, found)
    return list(found)


class _RecentTexts:
    """The words of the texts read last, held for at most ``budget`` characters of text: a line
    is read word by word three times in a row (its language, a change of language in it, a
    third language) and a caption's evidence once per candidate pair, so each is tokenised
    once; a budget in characters rather than in texts keeps memory flat on long blocks (256
    blocks of a 20 MB one-line document held 170 MB of words)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        # oldest first; a dict's first key is found by skipping the slots of the keys taken
        # out before it, an OrderedDict's at once
        self._held: OrderedDict[str, tuple[Word, ...]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()  # a Dask worker may label in several threads

    def get(self, text: str) -> tuple[Word, ...] | None:
        with self._lock:
            found = self._held.get(text)
            if found is not None:
                self._held.move_to_end(text)  # now the newest
            return found

    def put(self, text: str, found: tuple[Word, ...]) -> None:
        if len(text) > self.budget:
            return
        with self._lock:
            if text in self._held:
                return
            self._held[text] = found
            self._chars += len(text)
            while self._chars > self.budget:
                oldest, _ = self._held.popitem(last=False)
                self._chars -= len(oldest)


RECENT_WORDS_CHARS = 200_000
"""Characters of text whose words ``words`` keeps: ten blocks of the longest (``segment``'s
20,000), or some thousand captions."""
_recent_words = _RecentTexts(RECENT_WORDS_CHARS)


def _words(text: str) -> tuple[Word, ...]:
    start = credit_prefix_end(text)
    credit = credit_suffix_start(text)
    tokens = spans(text, start)
    neutral = [(s.start, s.end) for s in tokens if s.neutral]
    gaps = masked(text, tokens)
    found: list[Word] = []
    previous: Word | None = None
    next_token, count = 0, len(neutral)  # words and tokens both go left to right
    for begin, end in _spans(text, start):
        word = text[begin:end]
        in_token = begin >= credit
        if next_token < count:
            while next_token < count and neutral[next_token][1] <= begin:
                next_token += 1
            in_token = in_token or (next_token < count and neutral[next_token][0] <= begin)
        if word.islower():  # most words: neither an acronym nor a name
            previous = _word((begin, end, word, in_token, False))
        else:
            acronym = len(word) > 1 and word.isupper()
            name = word[0].isupper() and len(word) > 1 and not opens_sentence(gaps, previous, begin)
            only_a_name = name and not (in_token or acronym)
            previous = _word((begin, end, word, in_token or acronym or name, only_a_name))
        found.append(previous)
    return tuple(found)


# Word's own constructor runs a Python frame per word (half a microsecond, 3 % of labelling)
_word = functools.partial(tuple.__new__, Word)


def _spans(text: str, start: int) -> list[tuple[int, int]]:
    """Word spans; two sentences glued together (``equinocciosThree``) are two words."""
    if text.isascii() and not _INNER_CAPITAL.search(text, start):  # no word to cut: most lines
        return [match.span() for match in _WORD.finditer(text, start)]
    spans = []
    for match in _WORD.finditer(text, start):
        span = match.span()
        first, end = span
        if text[first + 1 : end].islower():  # no capital after the first letter
            spans.append(span)
            continue
        begin = first
        for i in range(first + 1, end):
            if text[i].isupper() and text[i - 1].islower():
                spans.append((begin, i))
                begin = i
        spans.append((begin, end))
    return spans


def opens_sentence(text: str, previous: Word | None, start: int) -> bool:
    """Whether the word at ``start``, after the word ``previous`` (None: the first), opens a
    sentence."""
    if previous is None:
        return True
    if previous.end == start:  # glued: "equinocciosThree"
        return True
    gap = text[previous.end : start]
    if not _SENTENCE_BREAK.search(gap):
        return False
    after_stop = gap.lstrip()[1:] if gap.lstrip().startswith(".") else None
    abbreviation = after_stop is not None and previous.text.lower() in ABBREVIATIONS
    return not (abbreviation and not _SENTENCE_BREAK.search(after_stop or ""))


CAPITALISED_NOUNS = frozenset({"de", "lb"})
"""Languages that capitalise every noun (German, Luxembourgish): a capitalised word inside a
sentence is there a noun as often as a name."""
NAME_EVIDENCE_CAP = 1.0
"""The most a word that may be a name (``maybe_name``) weighs as evidence of a language, in nats,
wherever it stands: at the start of a line or after a separator it is as often a name
(``Merkel in Berlin - Parliament debate.``, ``the Nhon - Hanoi Station line.``) as a sentence's
first word, and a name says where a story happens, not in which language it is told."""
COMMON_WORD = math.log(3e-4)
"""A word this frequent in a language's running text (``why``, ``die``, ``por``: its few hundred
commonest words) is a common word there even when capitalised; names are rarer (``merkel``,
``hanoi``, ``europa``: under 3e-4)."""


def maybe_name(word: str, tables: Sequence[LanguageTable]) -> bool:
    """Whether ``word`` may be a name: capitalised, more than a letter, and not a common word
    (COMMON_WORD) of a candidate language (``tables``; none given: any capitalised word)."""
    if len(word) < 2 or not word[0].isupper():
        return False
    form = table_form(word)
    return not any(t.frequent.get(form, -math.inf) >= COMMON_WORD for t in tables)


def in_a_name(found: Sequence[Word], index: int) -> bool:
    """Whether ``found[index]`` is a lower-case link inside a name (``Palacio de la Moncloa``,
    ``Sánchez and Díaz``): a NAME_LINKS word between two capitalised words, with at most one
    other link beside it."""
    if found[index].text not in NAME_LINKS:
        return False
    before, after = index - 1, index + 1
    if before >= 0 and found[before].text in NAME_LINKS:
        before -= 1
    elif after < len(found) and found[after].text in NAME_LINKS:
        after += 1
    capitalised = [0 <= i < len(found) and found[i].text[0].isupper() for i in (before, after)]
    return all(capitalised)


def content_words(text: str) -> list[str]:
    """Words that carry language evidence: not numbers, URLs, acronyms or mid-sentence names."""
    return [w.text for w in words(text) if not w.neutral]


WIDE_CHARACTERS_PER_WORD = 2
"""Chinese and Japanese words run together; about two characters make one."""


def word_count(token: str) -> float:
    """How many words a token holds: one, or for a run of Chinese or Japanese characters about
    one per WIDE_CHARACTERS_PER_WORD characters."""
    if token.isascii():  # no wide character: most words, asked once per word per line
        return 1.0
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in token)
    return wide / WIDE_CHARACTERS_PER_WORD if wide else 1.0
