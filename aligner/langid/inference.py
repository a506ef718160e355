"""The two languages of a dump, inferred from its prose when ``--langs`` is not given."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from aligner.errors import UsageError
from aligner.langid import LanguageDetector
from aligner.langid.document import DocumentLanguage, counted, prose_letters, prose_lines
from aligner.langid.lines import MIXED_LINE_MAX_CHARS
from aligner.langid.mixed import split_mixed
from aligner.records import UNDETERMINED, Document

LANG_SAMPLE_DOCUMENTS = 200
"""Documents read ahead to infer the languages of a dump when --langs is not given."""
_MIN_LETTERS_FOR_INFERENCE = 30


def infer_langs(
    documents: Iterable[Document], detector: LanguageDetector
) -> tuple[tuple[str, str], DocumentLanguage]:
    """The two languages with the most prose letters in ``documents`` (``langid.document``:
    code, URLs and markup left out), and the count they rest on (``pair_notice``); the less
    frequent one is the source side (in a dump of English articles, the Spanish captions are
    what hides). A line that holds both (``caption | its translation``) counts its two pieces
    apart."""
    letters: Counter[str] = Counter()
    mixed: list[tuple[str, str]] = []  # lines that may hold two languages, counted last
    for document in documents:
        for line in prose_lines(document.text):
            size = prose_letters(line)
            if size < _MIN_LETTERS_FOR_INFERENCE:
                continue
            lang, _ = detector.detect(line, ())
            if lang == UNDETERMINED:
                continue
            if len(line) <= MIXED_LINE_MAX_CHARS and _MAYBE_MIXED.search(line):
                mixed.append((line, lang))
            else:
                letters[lang] += size
    for line, lang in mixed:
        found = [known for known, _ in letters.most_common(2)]
        if len(found) < 2:  # no two languages to split between: the line counts whole
            letters[lang] += prose_letters(line)
            continue
        for piece in split_mixed(line, found, detector):
            letters[piece.lang] += prose_letters(line[piece.start : piece.end])
    found = [lang for lang, _ in letters.most_common(2) if lang != UNDETERMINED]
    if len(found) < 2:
        seen = ", ".join(found) or "none"
        raise UsageError(
            f"cannot infer two languages from the input (found: {seen}); pass --langs, e.g. es,en"
        )
    return (found[1], found[0]), counted(letters)


_MAYBE_MIXED = re.compile(r"\s[/|\-–—·•]\s|\t")
"""A separator inside a line, where a caption may be followed by its translation."""
