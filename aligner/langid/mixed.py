"""Split a segment that holds two languages (``<es caption> / <en caption>``) at the change.

Each evidence word gets a log-likelihood per candidate language; a Viterbi pass over the words finds
the language sequence that maximises the likelihood minus a cost for every change. A change is cheap
at a sentence end or a separator (`` / ``, `` - ``, `` | ``, `` – ``, `` · ``, a tab, ``?¿``),
dearer at a clause break (a comma, an opening bracket: ``Calle Mayor (Main Street)``, whose brackets
go with the separator) and dearest inside a clause, so separators are evidence, not rules: a line
whose two halves read as one language stays whole, whatever stands between them. Neutral words
(names, acronyms, a credit such as ``Sergei SUPINSKY / AFP -``) weigh nothing either way, and a
capitalised word that may be a name even where a sentence may start (``Merkel in Berlin -
Parliament debate.``) nearly nothing (``neutral.maybe_name``), so names alone never cut a line; a
leading credit belongs to the first piece, and the separator between two pieces to neither.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from aligner.langid import LanguageDetector
from aligner.langid.charngram import (
    WORD_EVIDENCE_CAP,
    CharNgramDetector,
    capped,
    posteriors,
)
from aligner.langid.neutral import (
    MASK,
    NAME_EVIDENCE_CAP,
    Word,
    in_a_name,
    masked,
    maybe_name,
    one_token,
    opens_sentence,
    spans,
    word_count,
    words,
)
from aligner.langid.ngrams import LanguageTable
from aligner.records import UNDETERMINED
from aligner.segment import trim

# Costs of a change of language, in nats (log prior odds against it). A bilingual caption
# changes language at a sentence end or a separator; a change mid-sentence needs overwhelming
# evidence (a quoted title, a code-switch).
SENTENCE_SWITCH = 6.0
CLAUSE_SWITCH = 14.0
WORD_SWITCH = 20.0
SEPARATED_SWITCH = 30.0
"""The cost of a change elsewhere than at a sentence end in a line that holds a separator."""

_GAP_SEPARATOR = re.compile(r"\s+[/|\-–—·•]\s+|\s*\t\s*")
_DASH = re.compile(r"\s[-–—]\s")
_GAP_SENTENCE_END = re.compile(r"[.!?…]+[»”)\]\"']*")
_SEPARATORS = " \t/|-–—·•"
_JOINERS = "-‐/" + MASK
_SENTENCE_END = re.compile(r"[.!?…\t]|\s[/|\-–—·•]\s|^[/|–—·•]$")
# A clause ends at a comma or a closing bracket, and a bracket or quote opened after a space
# starts one: "Calle Mayor (Main Street)" changes language there.
_OPENERS = "([«“"
_CLAUSE_BREAK = re.compile(rf"[,;:)\]»”\"]|\s[{re.escape(_OPENERS)}]")
_BRACKETS = {"(": ")", "[": "]"}
"""Brackets around a whole piece are dropped with it; quotes belong to the quoted sentence."""


@dataclass(frozen=True, slots=True)
class Piece:
    """``text[start:end]`` is in ``lang`` (or ``und``) with probability ``score``."""

    start: int
    end: int
    lang: str
    score: float


def switch_cost(text: str, left: Word, right: Word) -> float:
    """Cost of a change of language between two consecutive words; infinite inside one token
    (``ssh-agent``, ``pic.twitter.com/x``). ``text`` is the line as ``neutral.masked`` gives
    it, so that the full stop of ``$17.99`` or ``1.4`` ends no sentence."""
    gap = text[left.end : right.start]
    if one_token(text, left.end, right.start) or (gap and not gap.strip(_JOINERS)):
        # one token, or two words joined by a hyphen or a slash (``@testing-library``)
        return math.inf
    if opens_sentence(text, left, right.start) and (
        _SENTENCE_END.search(gap) or not gap or not gap.strip(_SEPARATORS)
    ):
        return SENTENCE_SWITCH
    if _CLAUSE_BREAK.search(gap):
        return CLAUSE_SWITCH
    return WORD_SWITCH


def cut(text: str, left_end: int, right_start: int) -> tuple[int, int]:
    """Where the first piece ends and the second begins, in the gap between two words of
    ``text`` (``neutral.masked``).

    The gap may hold a number (``at 2:30. / Llegué``), never cut: the cut is at its last
    separator or sentence end outside a token, else after the last token; closing punctuation
    stays left, spaces and separators belong to neither, and so does a bracket opened before
    the second piece (``Calle Mayor (Main Street)``).
    """
    gap = text[left_end:right_start]
    separators = list(_GAP_SEPARATOR.finditer(gap))
    if separators:
        separator = separators[-1]
        end, start = left_end + separator.start(), left_end + separator.end()
    else:
        ends = [m.end() for m in _GAP_SENTENCE_END.finditer(gap)]
        last = gap.rstrip()[-1:]
        opening = bool(last) and last in _OPENERS and not ends
        end = left_end + (ends[-1] if ends else len(gap.rstrip()) - opening)
        start = end
    while start < right_start and text[start] in _SEPARATORS:
        start += 1
    if start < right_start and text[start] in _BRACKETS:
        start += 1
    return trim(text, 0, end)[1], start


def _unbracketed(text: str, start: int, end: int) -> int:
    """The end of a piece that follows an opening bracket, without the bracket's partner."""
    opened = text[start - 1] if start else ""
    closing = _BRACKETS.get(opened)
    if closing and text[start:end].rstrip().endswith(closing):
        return trim(text, start, text.rindex(closing, start, end))[1]
    return end


def _emissions(
    tokens: Sequence[Word],
    langs: Sequence[str],
    detector: LanguageDetector,
    headings: Collection[int] = (),
) -> tuple[list[str], list[Sequence[float]]]:
    """Candidate languages and, per token, a log-likelihood for each of them; a word that may
    be a name weighs at most NAME_EVIDENCE_CAP, unless it is in one of the ``headings``."""
    if isinstance(detector, CharNgramDetector) and detector.covers(langs):
        tables = detector.tables(langs)
        scored = detector.word_scores(tokens, tables)
        return [t.lang for t in tables], [
            capped(row, NAME_EVIDENCE_CAP / WORD_EVIDENCE_CAP)
            if i not in headings and _of_a_name(tokens, i, tables)
            else row
            for i, row in enumerate(scored)
        ]
    # Any other detector: its per-word answer, as a probability spread over the candidates.
    names = list(langs)
    rows: list[Sequence[float]] = []
    for token in tokens:
        lang, score = (UNDETERMINED, 0.0) if token.neutral else detector.detect(token.text, names)
        if lang not in names or len(names) < 2:
            rows.append([0.0] * len(names))
            continue
        rest = math.log(max(1.0 - score, 1e-6) / (len(names) - 1))
        row = [math.log(max(score, 1e-6)) if n == lang else rest for n in names]
        name = len(rows) not in headings and _of_a_name(tokens, len(rows), ())
        rows.append(capped(row, NAME_EVIDENCE_CAP / WORD_EVIDENCE_CAP) if name else row)
    return names, rows


def _headings(tokens: Sequence[Word], costs: Sequence[float], gaps: str) -> set[int]:
    """Indices of the words of the pieces that are headings in title case: a piece between two
    sentence ends or separators (or the line's edges) whose every word is capitalised, two or
    more of them where no dash stands beside it (``快速开始 / Quick Start``, ``Preguntas
    frecuentes / Frequently Asked Questions``; after a dash a place is named: ``... en la zona
    - Brooklyn Bridge.``), or one in another script than the rest of the line (``安装 /
    Installation``). There capitals say nothing of names, and the words are evidence of their
    language; a name inside a sentence (``Merkel in Berlin - Parliament debate.``) is in no
    such piece."""
    pieces: list[list[int]] = [[]]
    dashed: list[bool] = [False]  # whether a dash stands at either end of the piece
    for index in range(len(tokens)):
        pieces[-1].append(index)
        if index < len(costs) and costs[index] <= SENTENCE_SWITCH:
            dash = bool(_DASH.search(gaps, tokens[index].end, tokens[index + 1].start))
            dashed[-1] = dashed[-1] or dash
            pieces.append([])
            dashed.append(dash)
    worded = [[i for i in piece if not tokens[i].neutral or tokens[i].name] for piece in pieces]
    found: set[int] = set()
    for number, (piece, dash) in enumerate(zip(pieces, dashed, strict=True)):
        own = worded[number]
        if not own or not all(tokens[i].text[0].isupper() for i in own):
            continue
        scripts = {_script(tokens[i].text) for i in own}
        elsewhere = {_script(t.text) for i, t in enumerate(tokens) if i not in piece} - {""}
        if (
            (len(own) >= 2 and not dash)
            or (elsewhere and not scripts & elsewhere)
            or (not dash and _beside_its_translation(number, pieces, worded, tokens, gaps))
        ):
            found.update(own)
    return found


SHORT_PIECE_WORDS = 3
"""The most words of a piece that a one-word heading stands beside (``Instalación /
Installation``, ``Fichier /etc/sysctl.conf<TAB>The /etc/sysctl.conf file``)."""


def _beside_its_translation(
    number: int,
    pieces: Sequence[Sequence[int]],
    worded: Sequence[Sequence[int]],
    tokens: Sequence[Word],
    gaps: str,
) -> bool:
    """Whether the one-word piece ``pieces[number]`` is one of exactly two pieces parted by a
    separator, the other as short: the layout of a bilingual heading or label. A one-word name
    stands beside a sentence (``Berlin / Parliament debate in the capital.``)."""
    if len(pieces) != 2 or len(worded[number]) != 1:
        return False
    left, right = pieces
    if not _GAP_SEPARATOR.search(gaps, tokens[left[-1]].end, tokens[right[0]].start):
        return False
    return 1 <= len(worded[1 - number]) <= SHORT_PIECE_WORDS


def _script(word: str) -> str:
    """The script of a word's first letter, as Unicode names it (LATIN, CJK, CYRILLIC...)."""
    letter = next((ch for ch in word if ch.isalpha()), "")
    return unicodedata.name(letter, "").split(" ")[0] if letter else ""


def _of_a_name(tokens: Sequence[Word], index: int, tables: Sequence[LanguageTable]) -> bool:
    """Whether ``tokens[index]`` may be a name or a link inside one (``Place de la République``)."""
    return maybe_name(tokens[index].text, tables) or in_a_name(tokens, index)


def _token_evidence(
    tokens: Sequence[Word], emissions: Sequence[Sequence[float]], costs: list[float]
) -> list[list[float]]:
    """Emissions capped per token: the words of one token (``ssh-agent``) share one cap, held
    by its first word, and a run of Chinese or Japanese characters counts as the words it
    holds (``outsiders.evidence_words``), as the other words of the line do."""
    rows: list[list[float]] = []
    first = 0  # the first word of the current token
    for i, row in enumerate(emissions):
        if i and math.isinf(costs[i - 1]):  # inside the token of the word before
            total = [a + b for a, b in zip(rows[first], row, strict=True)]
            weight = max(max(1.0, word_count(t.text)) for t in tokens[first : i + 1])
            rows[first] = capped(total, weight)
            rows.append([0.0] * len(row))
            continue
        first = i
        rows.append(capped(row, max(1.0, word_count(tokens[i].text))))
    return rows


def _viterbi(emissions: Sequence[Sequence[float]], costs: list[float]) -> list[int]:
    """Best state per token; ``costs[i]`` is the price of a change before token ``i + 1``.
    On a tie the path stays, so a change happens at the earliest of equal boundaries."""
    states = range(len(emissions[0]))
    score = list(emissions[0])
    back: list[list[int]] = []
    for i in range(1, len(emissions)):
        best_prev = max(states, key=score.__getitem__)
        pointers, new = [], []
        for s in states:
            stay, switch = score[s], score[best_prev] - costs[i - 1]
            pointers.append(s if stay >= switch else best_prev)
            new.append(max(stay, switch) + emissions[i][s])
        back.append(pointers)
        score = new
    path = [max(states, key=score.__getitem__)]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


def _no_change_pays(
    tokens: Sequence[Word], langs: Sequence[str], detector: LanguageDetector
) -> bool:
    """Whether, between two languages, no change of language can pay for itself, so that the
    Viterbi pass (and the gaps, switch costs and headings it needs) is skipped with the same
    answer: one piece. For most one-language lines this is all the work.

    With two languages the path turns only on each word's difference of log-likelihoods,
    which the caps for names and tokens (``capped``) clip and never enlarge. A stretch read as
    the other language gains at most that language's positive differences, so when all of them
    in the line come to less than the cheapest change (SENTENCE_SWITCH), every path with a
    change scores below staying in one language throughout."""
    if len(langs) != 2 or not isinstance(detector, CharNgramDetector):
        return False
    if not detector.covers(langs):
        return False
    for_first = for_second = 0.0
    for first, second in detector.word_scores(tokens, detector.tables(langs)):
        if first > second:
            for_first += first - second
        else:
            for_second += second - first
    return min(for_first, for_second) < SENTENCE_SWITCH - _ROUNDING


_ROUNDING = 1e-6
"""Room for float rounding in a comparison that must never differ from the Viterbi pass's."""


def split_mixed(text: str, langs: Sequence[str], detector: LanguageDetector) -> list[Piece]:
    """Pieces of ``text`` (offsets into it) with their language; one piece when no change.

    ``langs`` are the candidate languages (at least two for a split to be possible). The pieces
    cover the text but for whitespace and the separators between pieces.
    """
    start, end = trim(text, 0, len(text))
    lang, score = detector.detect(text[start:end], langs)
    whole = [Piece(start, end, lang, score)]
    # Neutral words stay in the sequence, weighing nothing, so that the gaps are the real ones.
    tokens = words(text)
    if sum(not w.neutral for w in tokens) < 2 or len(set(langs)) < 2:
        return whole
    if _no_change_pays(tokens, langs, detector):
        return whole
    gaps = masked(text, spans(text))
    costs = [switch_cost(gaps, a, b) for a, b in itertools.pairwise(tokens)]
    names, emissions = _emissions(tokens, langs, detector, _headings(tokens, costs, gaps))
    if any(_GAP_SEPARATOR.search(gaps, a.end, b.start) for a, b in itertools.pairwise(tokens)):
        # a line with a separator changes language there (or at a sentence end), not at a
        # clause break: command names or a quoted title in one half do not pull the change in
        costs = [max(c, SEPARATED_SWITCH) if c > SENTENCE_SWITCH else c for c in costs]
    emissions = _token_evidence(tokens, emissions, costs)
    path = _viterbi(emissions, costs)
    if len(set(path)) == 1:
        return whole
    pieces: list[Piece] = []
    piece_start, first = start, 0
    for i in range(1, len(tokens) + 1):
        if i < len(tokens) and path[i] == path[first]:
            continue
        if i == len(tokens):
            piece_end, next_start = end, end
        else:
            piece_end, next_start = cut(gaps, tokens[i - 1].end, tokens[i].start)
        totals = [sum(row[s] for row in emissions[first:i]) for s in range(len(names))]
        probability = posteriors(totals)[path[first]]
        piece_end = _unbracketed(text, piece_start, piece_end)
        pieces.append(Piece(piece_start, piece_end, names[path[first]], probability))
        piece_start, first = next_start, i
    return pieces
