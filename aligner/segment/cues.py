"""Which language each line of a bilingual subtitle cue is in, from the file's layout.

A bilingual subtitle file writes every cue the same way: a line in one language, then its
translation (``Hola. / Hello.``). Where most cues that hold both languages put them in one order,
that order is the file's layout, and it labels the lines of a two-line cue that language
identification could not tell (``¡Miau!`` / ``Meow!``, too short to say): the cue's place in
the file says more than five letters do. A line already labelled keeps its label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aligner.records import UNDETERMINED

LAYOUT_MIN_SHARE = 0.5
"""Share of the cues holding a labelled line that must show both languages in one order."""


def file_layout(cues: Sequence[Sequence[str]], langs: tuple[str, str]) -> tuple[str, str] | None:
    """The order in which the cues of a bilingual file give ``langs`` (each cue: its lines'
    languages), or None when the file is not written that way."""
    labelled = [[lang for lang in cue if lang in langs] for cue in cues]
    orders: Counter[tuple[str, str]] = Counter()
    for cue in labelled:
        if len(set(cue)) == 2:
            orders[(cue[0], cue[-1])] += 1
    holding = sum(1 for cue in labelled if cue)
    if not orders or not holding:
        return None
    order, count = orders.most_common(1)[0]
    if order[0] == order[1] or count < LAYOUT_MIN_SHARE * holding:
        return None
    return order


def layout_labels(cues: Sequence[Sequence[str]], langs: tuple[str, str]) -> list[list[str]]:
    """The languages of every cue's lines, an undetermined line of a two-line cue labelled by
    the file's layout when the other line does not contradict it."""
    order = file_layout(cues, langs)
    relabelled = [list(cue) for cue in cues]
    if order is None:
        return relabelled
    for cue in relabelled:
        if (
            len(cue) == 2
            and UNDETERMINED in cue
            and all(
                lang in (UNDETERMINED, expected) for lang, expected in zip(cue, order, strict=True)
            )
        ):
            cue[:] = order
    return relabelled


def closed_cues(cues: Sequence[Sequence[str]], langs: tuple[str, str]) -> set[int]:
    """The cues (positions in ``cues``) whose lines pair only with each other: every cue of a
    file laid out bilingually (a cue is its own translation there, even where language
    identification saw one language twice), else the cues that hold both languages."""
    if file_layout(cues, langs) is not None:
        return set(range(len(cues)))
    return {i for i, cue in enumerate(cues) if set(langs) <= set(cue)}
