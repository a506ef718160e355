"""Language-neutral material: what must not decide a segment's language.

Agency credits (``Sergei SUPINSKY / AFP -``), capitalised names, numbers, URLs and punctuation
are the same in every language; they are masked before a detector sees the text.
"""

from __future__ import annotations

import re

# "Name SURNAME / AGENCY -", "EFE -", "Europa Press -", "REUTERS/Name -" at the start of a line.
CREDIT_PREFIX = re.compile(
    r"^\s*(?:[\w.'’-]+(?:\s+[\w.'’-]+){0,3}\s*/\s*)?"
    r"(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s+[-–—|:]\s+"
)
_NUMBER = re.compile(r"[\d.,:%$€£/]*\d[\d.,:%$€£/]*")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


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


def content_words(text: str) -> list[str]:
    """Words that carry language evidence: not numbers, not URLs, not mid-sentence names."""
    body = _URL.sub(" ", text[credit_prefix_end(text) :])
    body = _NUMBER.sub(" ", body)
    words: list[str] = []
    for position, match in enumerate(_WORD.finditer(body)):
        word = match.group(0)
        # A capitalised word after the first is most often a name; an all-caps word an acronym.
        if position > 0 and word[0].isupper():
            continue
        if len(word) > 1 and word.isupper():
            continue
        words.append(word)
    return words
