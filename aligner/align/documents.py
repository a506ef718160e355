"""Document pairs: segment both sides, align them, and turn beads into pairs and unaligned
segments (the records every table and export already understands)."""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from aligner import segment
from aligner.align.beads import below_as_nulls
from aligner.align.engine import AlignConfig, align_sentences
from aligner.align.inputs import FilePair, read_pair, resolve_langs, side_languages
from aligner.embed import (
    AUTO,
    DEFAULT_ENCODER,
    Encoder,
    auto_choices,
    choose_encoder,
    load_encoder,
)
from aligner.embed.cache import cached
from aligner.engine import Executor, SequentialExecutor
from aligner.errors import InputError
from aligner.langid import DEFAULT_DETECTOR, load_detector
from aligner.records import Bead, Document, DocumentResult, Pair, Segment
from aligner.signature import signature
from aligner.table import PAIR_SOURCE

METHOD = "document"


def split_sides(document: Document, lang: str, presplit: bool) -> list[Segment]:
    """One side's sentences: each non-blank line (``presplit``) or the sentences of each block
    (a line, or the lines of a hard-wrapped paragraph, ``segment.blocks``)."""
    spans = segment.lines(document.text) if presplit else segment.blocks(document.text)
    pieces = ((number, start, end, lang, 1.0) for number, start, end in spans)
    return segment.labelled_segments(document, pieces, split=not presplit)


def bead_pairs(
    doc_id: str, src: list[Segment], tgt: list[Segment], beads: list[Bead]
) -> list[Pair]:
    """The non-null beads as pairs of the sentences they join."""
    return [
        Pair(doc_id, tuple(src[i] for i in bead.src), tuple(tgt[j] for j in bead.tgt),
             bead.score, METHOD)
        for bead in beads
        if bead.src and bead.tgt
    ]  # fmt: skip


def beads_to_result(
    doc_id: str, source: str, src: list[Segment], tgt: list[Segment], beads: list[Bead]
) -> DocumentResult:
    """Non-null beads become pairs; the sentences of null beads are unaligned."""
    pairs = bead_pairs(doc_id, src, tgt, beads)
    unaligned = [
        segment
        for bead in beads
        if not (bead.src and bead.tgt)
        for segment in (*(src[i] for i in bead.src), *(tgt[j] for j in bead.tgt))
    ]
    return DocumentResult(
        doc_id=doc_id, segments=src + tgt, source=source, pairs=pairs, unaligned=unaligned
    )


@dataclass(frozen=True, slots=True)
class AlignedDocuments:
    """One aligned document pair: the table-ready result and the beads behind it."""

    src: Document
    tgt: Document
    langs: tuple[str, str]
    src_segments: list[Segment]
    tgt_segments: list[Segment]
    beads: list[Bead]
    result: DocumentResult
    """Named after ``src``; its segments are the source's then the target's."""


@dataclass(frozen=True, slots=True)
class PairSettings:
    """Everything a worker needs to align document pairs: small and picklable, so an engine
    ships it with each task instead of the loaded models."""

    encoder: str = DEFAULT_ENCODER
    """``auto`` is chosen per pair, for its two languages (``embed.choose_encoder``)."""
    refine: str | None = None
    """A stronger encoder for the uncertain stretches (``engine.align_sentences``)."""
    cache_dir: str | None = None
    config: AlignConfig = field(default_factory=AlignConfig)
    src_lang: str | None = None
    tgt_lang: str | None = None
    detector: str = DEFAULT_DETECTOR
    """Loaded only when a language is not given."""
    usual_langs: tuple[str | None, str | None] = (None, None)
    """The language most documents of each side are in (``inputs.side_languages``), for a
    document too short to tell."""
    presplit: bool = False
    min_score: float | None = None
    """Beads scoring below this leave their sentences unaligned (``beads.below_as_nulls``)."""


def with_usual_langs(
    settings: PairSettings, pairs: Sequence[FilePair]
) -> tuple[PairSettings, list[str]]:
    """``settings`` with each side's usual language (``inputs.side_languages``) when languages
    are detected, and the notices about documents whose language is unsure."""
    if settings.src_lang and settings.tgt_lang:
        return settings, []
    given = (settings.src_lang, settings.tgt_lang)
    usual, notices = side_languages(pairs, load_detector(settings.detector), given)
    return replace(settings, usual_langs=usual), notices


class DocumentAligner:
    """The models of one ``PairSettings``, loaded once per process."""

    def __init__(self, settings: PairSettings) -> None:
        self.settings = settings
        self._folder = Path(settings.cache_dir) if settings.cache_dir else None
        self._encoders: dict[str, Encoder] = {}
        if settings.encoder != AUTO:
            self.encoder_for(())  # a bad encoder name fails here, before any work
        refiner = load_encoder(settings.refine) if settings.refine else None
        self.refiner = cached(refiner, self._folder) if refiner else None
        missing = settings.src_lang is None or settings.tgt_lang is None
        self.detector = load_detector(settings.detector) if missing else None

    def encoder_for(self, langs: Iterable[str]) -> Encoder:
        """The encoder for a pair in these languages (the same one unless ``auto``)."""
        return self._loaded(choose_encoder(self.settings.encoder, langs))

    def _loaded(self, spec: str) -> Encoder:
        if spec not in self._encoders:
            self._encoders[spec] = cached(load_encoder(spec), self._folder)
        return self._encoders[spec]

    def align(self, src: Document, tgt: Document) -> AlignedDocuments:
        s = self.settings
        langs = resolve_langs(src, tgt, s.src_lang, s.tgt_lang, self.detector, s.usual_langs)
        src_segments = split_sides(src, langs[0], s.presplit)
        tgt_segments = split_sides(tgt, langs[1], s.presplit)
        beads, _ = align_sentences(
            [segment.text for segment in src_segments],
            [segment.text for segment in tgt_segments],
            self.encoder_for(langs).encode,
            s.config,
            self.refiner.encode if self.refiner else None,
        )
        if s.min_score is not None:
            beads = below_as_nulls(beads, s.min_score)
        source = f"{src.source}{PAIR_SOURCE}{tgt.source}"
        result = beads_to_result(src.doc_id, source, src_segments, tgt_segments, beads)
        return AlignedDocuments(src, tgt, langs, src_segments, tgt_segments, beads, result)

    def settings_signature(self) -> str:
        """The signature before any language is detected: what a resumed run must share. For
        ``auto``, the encoders it can pick on this installation."""
        s = self.settings
        if s.encoder == AUTO:
            encoder = f"auto({','.join(self._loaded(c).name for c in auto_choices())})"
        else:
            encoder = self.encoder_for(()).name
        langs = [(s.src_lang or "detected", s.tgt_lang or "detected")]
        return self._signature(encoder, langs)

    def signature(self, langs: Iterable[tuple[str, str]]) -> str:
        """The signature of the pairs aligned in ``langs``, naming every encoder they used."""
        langs = list(langs)
        names = sorted({self.encoder_for(pair).name for pair in langs} or {self.settings.encoder})
        return self._signature(",".join(names), langs)

    def _signature(self, encoder: str, langs: Iterable[tuple[str, str]]) -> str:
        refine_name = self.refiner.name if self.refiner else None
        s = self.settings
        return pairs_signature(encoder, s.config, langs, s.presplit, refine_name, s.min_score)


_LOADED: dict[PairSettings, DocumentAligner] = {}
_LOADED_LOCK = threading.Lock()  # a Dask worker may run several tasks in threads


def aligner_for(settings: PairSettings) -> DocumentAligner:
    """This process's aligner for ``settings``, loaded on first use."""
    with _LOADED_LOCK:
        if settings not in _LOADED:
            _LOADED[settings] = DocumentAligner(settings)
        return _LOADED[settings]


@dataclass(frozen=True, slots=True)
class SkippedPair:
    """A file pair that could not be read, skipped (``skip_bad``) instead of stopping the run."""

    reason: str


def align_batch(
    settings: PairSettings, skip_bad: bool, batch: list[FilePair]
) -> list[AlignedDocuments | SkippedPair]:
    """The task every engine maps: read and align a batch of file pairs."""
    aligner = aligner_for(settings)
    outcomes: list[AlignedDocuments | SkippedPair] = []
    for pair in batch:
        try:
            documents = read_pair(pair)
        except InputError as error:
            if not skip_bad:
                raise
            outcomes.append(SkippedPair(str(error)))
            continue
        outcomes.append(aligner.align(*documents))
    return outcomes


def align_pairs(
    pairs: Iterable[FilePair],
    settings: PairSettings,
    executor: Executor | None = None,
    skip_bad: bool = False,
) -> Iterator[AlignedDocuments | SkippedPair]:
    """Align each (source, target) file pair, in input order, in this process or on an
    engine's workers (each loads the models once); with ``skip_bad`` a pair that cannot be read
    gives a SkippedPair instead of an error. The CLI and the Python API both run this."""
    executor = executor or SequentialExecutor()
    task = functools.partial(align_batch, settings, skip_bad)
    stream = iter(pairs)
    batches = iter(lambda: list(itertools.islice(stream, executor.batch_size)), [])
    for batch in executor.map(task, batches):
        yield from batch


def pairs_signature(
    encoder_name: str,
    config: AlignConfig,
    langs: Iterable[tuple[str, str]],
    presplit: bool,
    refine_name: str | None = None,
    min_score: float | None = None,
) -> str:
    refined = {"refine": refine_name} if refine_name else {}
    floor = {"min_score": f"{min_score:g}"} if min_score is not None else {}
    return signature(
        {
            "encoder": encoder_name,
            **refined,
            "splitter": "presplit" if presplit else segment.SPLITTER,
            "langs": ",".join(sorted({f"{a}-{b}" for a, b in langs})),
            "align": config.describe(),
            **floor,
        }
    )
