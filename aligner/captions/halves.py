"""A document that holds a whole article twice: all of it in one language, then all of it in the
other (a bilingual press release, a dump record with both editions).

Pairing such a document's paragraphs one to one, as captions are paired, gives paragraph-sized
pairs and loses a sentence whenever the two editions break paragraphs differently. Its two halves
are instead aligned sentence by sentence with the document-pair aligner (``align.engine``), in
many-to-many beads. Pure logic: segments in, the two halves out.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.records import UNDETERMINED, Segment

MIN_SENTENCES = 3
"""Fewer sentences (read as some language) on a side is a caption and its translation, which
caption pairing handles."""
MAX_SIZE_RATIO = 2.0
"""The larger half has at most this many times the sentences of the smaller: a translation, not
a caption beside its article. Sentences, not characters: Chinese takes far fewer characters
than English for the same text."""
MIN_PURITY = 0.7
"""Share of each half's sentences read as its own language (of those read as any). An edition
quotes a title, a command or a paragraph in the other language now and then, and short segments
are misread; a caption layout interleaves the languages and falls far below."""


@dataclass(frozen=True, slots=True)
class Halves:
    src: list[Segment]
    tgt: list[Segment]
    """Every segment of each half, labelled with the half's language."""


def article_halves(segments: Sequence[Segment], langs: tuple[str, str]) -> Halves | None:
    """The document's two halves when a cut leaves one language before it and the other after
    it: the cut that puts the most sentences on the side of their language, with MIN_PURITY on
    each side, at least MIN_SENTENCES each and sizes a translation could have; None for any
    other layout."""
    size = len(segments)
    # sentences read as each language before each cut, and those read as any language: a
    # language tag, a credit, a name or a number is no sentence of either edition
    votes = [(s.lang == langs[0], s.lang == langs[1]) for s in segments]
    read = list(itertools.accumulate((s.lang != UNDETERMINED for s in segments), initial=0))
    before = list(
        itertools.accumulate(votes, lambda a, b: (a[0] + b[0], a[1] + b[1]), initial=(0, 0))
    )
    total = before[-1]
    cuts = [
        (before[cut][first] + total[1 - first] - before[cut][1 - first], cut, first)
        for cut in range(1, size)
        if min(read[cut], read[size] - read[cut]) >= MIN_SENTENCES
        for first in (0, 1)
    ]
    if not cuts:
        return None
    _, cut, first = max(cuts, key=lambda c: (c[0], -c[1], -c[2]))  # ties: the earliest cut
    head, tail = before[cut], (total[0] - before[cut][0], total[1] - before[cut][1])
    sizes = (read[cut], read[size] - read[cut])
    # purity among the sentences read as some language: a half of text in a third language
    # (an edition that left passages untranslated) is impure
    purity = min(head[first] / sizes[0], tail[1 - first] / sizes[1])
    if purity < MIN_PURITY or max(sizes) > MAX_SIZE_RATIO * min(sizes):
        return None
    before_cut = [dataclasses.replace(s, lang=langs[first]) for s in segments[:cut]]
    after_cut = [dataclasses.replace(s, lang=langs[1 - first]) for s in segments[cut:]]
    return Halves(before_cut, after_cut) if first == 0 else Halves(after_cut, before_cut)
