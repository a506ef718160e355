"""A whole document's language, from its prose: what ``run``, ``align``, ``detect --document``
and the API take a document to be written in.

One detector call over a whole document reads its code, URLs, markup, command names and
lists of names as text, and answers with confidence for a language it is not in (a Spanish
README read as Indonesian). Here the prose is set apart first (``prose_lines``): fenced and
indented code, code spans, HTML tags and comments, URLs, e-mail addresses and paths, link
targets, tables of symbols, and lines that only list names or links (``English | Español |
Français``) are left out. Each prose line is detected on its own and votes with its letters
(``DocumentLanguage``): the answer is the language with most prose letters, and its share of
them is a confidence a person can read.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from aligner.langid import LanguageDetector
from aligner.records import UNDETERMINED
from aligner.segment import translation_length

MIN_PROSE_LETTERS = 60
"""Fewer prose letters than this (a title, ``Hello.``, a page of code; a dozen words) tell
no language surely."""
SURE_SHARE = 0.6
"""The winner's share of the prose letters needed to be sure..."""
SURE_MARGIN = 0.3
"""...and its lead over the runner-up."""
MAX_PROSE_LETTERS = 20_000
"""Prose letters read: a long document's language is clear long before its end, and each
line costs a detector call."""
LINE_MIN_LETTERS = 4
PAIR_SECOND_LEAD = 3.0
"""In a dump, the second language holds this many times the third's letters to be sure."""

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INDENT = ("    ", "\t")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
# URLs, e-mail addresses, file paths and dotted or snake_case identifiers (rich.print,
# max_align, README.md): the same in every language
_NEUTRAL = re.compile(
    r"\b(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|(?<![\w/])[~.]{0,2}/[\w.~-]+(?:/[\w.~-]*)*|\b\w+(?:[._]\w+)+\b"
)
# a list of names or links: items of one to three words between separators
_SEPARATOR = re.compile(r"\s*[|•·/,]\s*|\s{2,}")
# list, heading and quote markers, a table row's outer bars, emphasis; a bar or a tab inside
# a line may separate a caption from its translation (``inference.infer_langs``) and stays
_MARKUP = re.compile(r"^\s*(?:[#>*+|-]+|\d+[.)])\s+(?:\[[ xX]\]\s+)?|\s*\|\s*$|[*_~#>]+")
_SPACES = re.compile(r"[^\S\t]+")


@dataclass(frozen=True, slots=True)
class DocumentLanguage:
    """A document's language: the language with most prose letters (``lang``), its share of
    them (``share``, the confidence) and the shares of the others, best first."""

    lang: str
    share: float
    candidates: tuple[tuple[str, float], ...]
    """``(language, share of the prose letters)``, best first, the winner included."""
    letters: int
    """Prose letters that voted (a Chinese character counts as its translation's letters)."""

    @property
    def margin(self) -> float:
        """The winner's lead over the runner-up, in share of the prose letters."""
        runner_up = self.candidates[1][1] if len(self.candidates) > 1 else 0.0
        return self.share - runner_up

    @property
    def sure(self) -> bool:
        """Enough prose, a clear majority and a clear lead."""
        return (
            self.lang != UNDETERMINED
            and self.letters >= MIN_PROSE_LETTERS
            and self.share >= SURE_SHARE
            and self.margin >= SURE_MARGIN
        )

    def describe(self, top: int = 3) -> str:
        """``es 71 %, ca 18 %, pt 6 % of 2,140 prose letters``."""
        if not self.candidates:
            return f"no prose ({self.letters} letters)"
        shown = ", ".join(
            f"{lang} {share:.0%}" for lang, share in self.candidates[:top] if share >= 0.005
        )
        return f"{shown} of {self.letters:,} prose letters"


def document_language(
    text: str, detector: LanguageDetector, langs: Sequence[str] = ()
) -> DocumentLanguage:
    """The language of ``text``'s prose among ``langs`` (every language the detector knows
    when empty): each prose line detected alone, voting with its letters."""
    return counted(language_letters(text, detector, langs))


def counted(votes: Counter[str]) -> DocumentLanguage:
    """The language with most of the letters in ``votes`` (letters per language)."""
    total = sum(votes.values())
    if not total:
        return DocumentLanguage(UNDETERMINED, 0.0, (), 0)
    ranked = tuple((lang, count / total) for lang, count in votes.most_common())
    return DocumentLanguage(ranked[0][0], ranked[0][1], ranked, round(total))


def pair_notice(found: DocumentLanguage, where: str) -> str | None:
    """A notice when the two languages with most letters in a dump (``found``) are not clearly
    its two languages: too little text in the second, or a third language nearly as present
    (a dump in one language, whose second "language" is names and noise); else None."""
    shares = [share for _, share in found.candidates] + [0.0, 0.0, 0.0]
    second_letters = shares[1] * found.letters
    if second_letters >= MIN_PROSE_LETTERS and shares[1] >= PAIR_SECOND_LEAD * shares[2]:
        return None
    langs = ",".join(lang for lang, _ in found.candidates[1::-1])
    return (
        f"{where}: languages unsure ({found.describe()}); aligned as {langs}; set them with "
        "--langs SRC,TGT"
    )


def language_letters(
    text: str, detector: LanguageDetector, langs: Sequence[str] = ()
) -> Counter[str]:
    """Prose letters of ``text`` per detected language (undetermined lines left out), read
    until MAX_PROSE_LETTERS."""
    votes: Counter[str] = Counter()
    read = 0.0
    for line in prose_lines(text):
        size = prose_letters(line)
        if size < LINE_MIN_LETTERS:
            continue
        lang = _script_language(line, detector, langs) or detector.detect(line, langs)[0]
        if lang != UNDETERMINED:
            votes[lang] += size
        read += size
        if read >= MAX_PROSE_LETTERS:
            break
    return votes


# Scripts written by one language only (of those some detector knows): a line in them is in
# that language, which the default detector's open set may lack (Thai, Malayalam, Lao).
SCRIPT_LANGUAGES = {
    "THAI": "th", "LAO": "lo", "KHMER": "km", "GEORGIAN": "ka", "ARMENIAN": "hy",
    "SINHALA": "si", "MALAYALAM": "ml", "TELUGU": "te", "KANNADA": "kn", "GUJARATI": "gu",
    "GURMUKHI": "pa", "ORIYA": "or", "ETHIOPIC": "am", "TIBETAN": "dz",
}  # fmt: skip


def _script_language(line: str, detector: LanguageDetector, langs: Sequence[str]) -> str | None:
    """The language of a line mostly written in a script only it uses, when the detector
    cannot name it (not among its open languages) and it is a candidate; else None."""
    scripts = Counter(unicodedata.name(ch, "").split(" ")[0] for ch in line if ch.isalpha())
    if not scripts:
        return None
    script, count = scripts.most_common(1)[0]
    lang = SCRIPT_LANGUAGES.get(script)
    if lang is None or count * 2 <= scripts.total() or lang in detector.open_languages:
        return None
    return lang if not langs or lang in langs else None


def prose_letters(text: str) -> float:
    """Letters of ``text``, a Chinese or Japanese character weighing as much as its
    translation's letters (so a dump's captions and their translations count alike)."""
    return translation_length("".join(ch for ch in text if ch.isalpha()))


def prose_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` that are prose, stripped of markup, code, URLs and link targets
    (see the module docstring); a line that is left with no letter is not yielded."""
    text = _HTML_COMMENT.sub(" ", _FRONT_MATTER.sub("", text.replace("\r\n", "\n")))
    lines = text.split("\n")
    # where most lines are indented, indentation is the text's layout (paragraphs of a plain
    # text, a man page), not code
    indented_lines = sum(line.startswith(_INDENT) and bool(line.strip()) for line in lines)
    code_indents = indented_lines * 2 <= sum(bool(line.strip()) for line in lines)
    fence = ""
    previous_blank = True
    in_indented_code = False
    for raw in lines:
        opening = _FENCE.match(raw)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        blank = not raw.strip()
        indented = code_indents and raw.startswith(_INDENT)
        # indented code opens after a blank line and runs until a line that is not indented
        in_indented_code = indented and not blank and (previous_blank or in_indented_code)
        previous_blank = blank if not in_indented_code else previous_blank
        if blank or in_indented_code or _LINK_DEFINITION.match(raw):
            continue
        line = _prose_of(raw)
        if line:
            yield line


def _prose_of(raw: str) -> str:
    """One line's prose: markup, code spans and neutral tokens removed; empty for a line that
    only lists names or links, or holds no letter."""
    line = _TAG.sub(" ", raw)
    line = html.unescape(_CODE_SPAN.sub(" ", line))
    line = _IMAGE.sub(" ", line)
    titles = [m.group(1) or m.group(2) or "" for m in _LINK.finditer(line)]
    outside = _NEUTRAL.sub(" ", _LINK.sub(" ", line))  # what is not a link's text
    line = _SPACES.sub(" ", _MARKUP.sub(" ", _NEUTRAL.sub(" ", _LINK.sub(r"\1\2", line)))).strip()
    if not any(ch.isalpha() for ch in line):
        return ""
    # a link or links with nothing around them, each a name: a menu, a language switcher
    names_of_links = (
        titles
        and not any(ch.isalpha() for ch in outside)
        and all(len(title.split()) <= 3 for title in titles)
    )
    return "" if names_of_links or _names_list(line) else line


def _names_list(line: str) -> bool:
    """Two or more items of one to three words between separators, each item capitalised:
    ``English | Español | Français``, ``Linux, macOS, Windows``."""
    items = [item for item in _SEPARATOR.split(line) if item.strip()]
    return len(items) >= 2 and all(
        len(item.split()) <= 3 and not item[0].islower() for item in items
    )
