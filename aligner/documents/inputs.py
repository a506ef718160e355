"""Find and read the document pairs to align: two files, or two folders matched by file name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from aligner.errors import InputError, InputNotFoundError, UsageError
from aligner.identity import text_key
from aligner.langid import LanguageDetector
from aligner.langid.document import (
    DocumentLanguage,
    counted,
    document_language,
    language_letters,
)
from aligner.read import ReadOptions, read_file
from aligner.records import UNDETERMINED, Document


class FilePair(NamedTuple):
    """A source file and its translation."""

    src: Path
    tgt: Path
    doc_id: str
    """The source file's name, or its path inside ``--src-dir`` (``econ/a.txt``)."""


def pair_key(pair: FilePair) -> str:
    """Identity of a file pair's input for a resumed run: the paths, sizes and modification
    times (read without opening the files, which the workers read)."""
    stats = [path.stat() for path in (pair.src, pair.tgt)]
    paths = (str(pair.src), str(pair.tgt))
    return text_key(*paths, *(f"{st.st_size}:{st.st_mtime_ns}" for st in stats))


def pair_name(pair: FilePair) -> tuple[str, str]:
    """The doc_id of a file pair's result and how to call it."""
    return pair.doc_id, f"{pair.src} | {pair.tgt}"


def read_pair(pair: FilePair) -> tuple[Document, Document]:
    """Both documents of a file pair, the source named ``pair.doc_id``, the target after its
    file."""
    return _read_one(pair.src, pair.doc_id), _read_one(pair.tgt, pair.tgt.name)


def _read_one(path: Path, doc_id: str) -> Document:
    # an empty file is an empty document: the other side's sentences stay unaligned
    documents = list(read_file(path, ReadOptions()))
    if len(documents) != 1:
        raise InputError(f"{path}: holds {len(documents)} documents; align takes one per file")
    return Document(doc_id=doc_id, text=documents[0].text, source=str(path))


def _listing(folder: Path) -> dict[str, Path]:
    """The files under ``folder``, subfolders included, by their path inside it; hidden files
    and folders are left out."""
    if folder.is_file():
        raise UsageError(f"{folder}: is a file; give two files as SRC TGT, folders as --src-dir")
    if not folder.is_dir():
        raise InputNotFoundError(f"{folder}: no such folder")
    files = {}
    for path in sorted(folder.rglob("*")):
        inside = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in inside.parts):
            files[inside.as_posix()] = path
    return files


def document_pairs(
    src: Path | None, tgt: Path | None, src_dir: Path | None, tgt_dir: Path | None
) -> list[FilePair]:
    """The (source, target) files named on the command line, checked before any work: both
    exist, and every file of one folder has its namesake at the same place in the other
    (subfolders included). They are read when
    aligned (``read_pair``), so a folder of many documents is never held in memory whole."""
    files, folders = src is not None or tgt is not None, src_dir is not None or tgt_dir is not None
    if files == folders:
        raise UsageError("give either SRC and TGT files or --src-dir and --tgt-dir folders")
    if files:
        if src is None or tgt is None:
            raise UsageError("give both SRC and TGT")
        for path in (src, tgt):
            if path.is_dir():
                raise UsageError(f"{path}: is a folder; give folders as --src-dir and --tgt-dir")
            if not path.is_file():
                raise InputNotFoundError(f"{path}: no such file")
        return [FilePair(src, tgt, src.name)]
    if src_dir is None or tgt_dir is None:
        raise UsageError("give both --src-dir and --tgt-dir")
    sources, targets = _listing(src_dir), _listing(tgt_dir)
    if not sources:
        raise InputError(f"{src_dir}: no files to align")
    unmatched = sorted(set(sources) ^ set(targets))
    if unmatched:
        shown = ", ".join(unmatched[:5]) + (" ..." if len(unmatched) > 5 else "")
        raise InputError(
            f"{len(unmatched)} file(s) have no counterpart of the same name in the other folder "
            f"({src_dir} vs {tgt_dir}): {shown}"
        )
    return [FilePair(sources[name], targets[name], name) for name in sources]


SIDE_SAMPLE = 50
"""Document pairs read to find each side's usual language."""
MAX_NOTICES = 5
"""Documents named in the notices about unsure languages; the rest are counted."""
_SIDES = ("--src-lang", "--tgt-lang")


def side_languages(
    pairs: Sequence[FilePair],
    detector: LanguageDetector,
    given: tuple[str | None, str | None] = (None, None),
) -> tuple[tuple[str | None, str | None], list[str]]:
    """Each side's usual language: the language of the prose of its documents in the first
    SIDE_SAMPLE pairs counted together, when that count is sure (``DocumentLanguage.sure``),
    else None; what a document too short to tell is taken to be in (``resolve_langs``). And
    one notice per sampled document whose language is unsure and has no usual language to
    take, naming the file, its top candidates and the option that sets it. Sides in ``given``
    are not detected; pairs that cannot be read are left out."""
    found: list[list[tuple[Path, Counter[str]]]] = [[], []]
    for pair in pairs[:SIDE_SAMPLE]:
        try:
            documents = read_pair(pair)
        except InputError:
            continue
        for side, (path, document) in enumerate(zip(pair[:2], documents, strict=True)):
            if not given[side]:
                found[side].append((path, language_letters(document.text, detector)))
    sides = [counted(sum((votes for _, votes in side), Counter())) for side in found]
    usual = [side.lang if side.sure else None for side in sides]
    unsure = [
        f"{path}: language unsure ({language.describe()}); set it with {_SIDES[side]} CODE"
        for side in (0, 1)
        if usual[side] is None
        for path, votes in found[side]
        if not (language := counted(votes)).sure and language.lang != UNDETERMINED
    ]
    if len(unsure) > MAX_NOTICES:
        unsure[MAX_NOTICES:] = [f"... and {len(unsure) - MAX_NOTICES} more documents unsure"]
    return (usual[0], usual[1]), unsure


def resolve_langs(
    src: Document,
    tgt: Document,
    src_lang: str | None,
    tgt_lang: str | None,
    detector: LanguageDetector | None,
    usual: tuple[str | None, str | None] = (None, None),
) -> tuple[str, str]:
    """The languages given on the command line (normalised by ``langid.codes``), or each
    document's (``langid.document``); a document whose language is not sure takes its
    side's ``usual`` language, if any (``side_languages``). A pair translates between two
    languages: when both sides come out in one, the side that holds less of it takes its
    runner-up (a translation that left part of its original untranslated)."""
    langs: list[str] = []
    found: list[DocumentLanguage | None] = []
    for document, given, fallback in ((src, src_lang, usual[0]), (tgt, tgt_lang, usual[1])):
        language = None
        if given:
            langs.append(given)
        elif detector is not None:
            language = document_language(document.text, detector)
            langs.append(fallback if fallback and not language.sure else language.lang)
        else:  # pragma: no cover - the CLI loads a detector whenever a language is missing
            langs.append(UNDETERMINED)
        found.append(language if language and language.lang == langs[-1] else None)
    if langs[0] == langs[1] != UNDETERMINED and (weaker := _weaker_side(found)):
        side, runner_up = weaker
        langs[side] = runner_up
    return langs[0], langs[1]


MIN_RUNNER_UP = 0.2
"""Share of a document's prose letters its runner-up language needs to be taken instead."""


def _weaker_side(found: list[DocumentLanguage | None]) -> tuple[int, str] | None:
    """The detected side whose winner holds the smaller share, with its runner-up language,
    when that runner-up holds at least MIN_RUNNER_UP; None when no side has one."""
    sides = [
        (language.share, side, language.candidates[1][0])
        for side, language in enumerate(found)
        if language and len(language.candidates) > 1 and language.candidates[1][1] >= MIN_RUNNER_UP
    ]
    return min(sides)[1:] if sides else None
