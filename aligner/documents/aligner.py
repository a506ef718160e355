"""Document pairs: segment both sides, align them, and turn beads into pairs and unaligned
segments (the records every table and export already understands)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from aligner import segment
from aligner.align.beads import beads_to_result, below_as_nulls
from aligner.align.engine import AlignConfig, align_sentences
from aligner.documents.inputs import (
    FilePair,
    pair_key,
    pair_name,
    read_pair,
    resolve_langs,
    side_languages,
)
from aligner.embed import (
    AUTO,
    DEFAULT_ENCODER,
    Encoder,
    auto_choices,
    choose_encoder,
    language_notice,
    load_encoder,
)
from aligner.embed.cache import cached
from aligner.langid import DEFAULT_DETECTOR, load_detector
from aligner.langid.codes import pairs_listed
from aligner.records import BeadAlignment, Document, DocumentResult, Segment
from aligner.signature import signature


def split_sides(document: Document, lang: str, presplit: bool) -> list[Segment]:
    """One side's sentences: each non-blank line (``presplit``) or the sentences of each block
    (a line, or the lines of a hard-wrapped paragraph, ``segment.blocks``)."""
    spans = segment.lines(document.text) if presplit else segment.blocks(document.text)
    pieces = ((number, start, end, lang, 1.0) for number, start, end in spans)
    return segment.labelled_segments(document, pieces, split=not presplit)


@dataclass(frozen=True, slots=True)
class PairSettings:
    """Everything a worker needs to align document pairs: small and picklable, so an executor
    ships it with each task instead of the loaded models (the job of ``run.task``)."""

    encoder: str = DEFAULT_ENCODER
    """``auto`` is chosen per pair, for its two languages (``embed.choose_encoder``)."""
    refine: str | None = None
    """A stronger encoder for the uncertain stretches (``align.engine.align_sentences``)."""
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

    def load(self) -> DocumentAligner:
        return DocumentAligner(self)

    def key(self, pair: FilePair) -> str:
        return pair_key(pair)

    def name(self, pair: FilePair) -> tuple[str, str]:
        return pair_name(pair)


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

    def align(self, pair: FilePair) -> DocumentResult:
        """Read both files of ``pair`` and align them."""
        return self.align_documents(*read_pair(pair))

    def align_documents(self, src: Document, tgt: Document) -> DocumentResult:
        """The result is named after ``src``; its segments are the source's then the
        target's."""
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
        alignment = BeadAlignment(src_segments, tgt_segments, beads)
        return beads_to_result(src.doc_id, (src.source, tgt.source), langs, alignment)

    def notices(self, langs: Collection[tuple[str, str]]) -> list[str]:
        """Languages an encoder in play was not trained on (``auto`` may have used two)."""
        in_play: dict[str, tuple[Encoder, set[str]]] = {}
        for pair in sorted(langs):
            encoder = self.encoder_for(pair)
            in_play.setdefault(encoder.name, (encoder, set()))[1].update(pair)
        notices = [language_notice(encoder, used) for encoder, used in in_play.values()]
        return [notice for notice in notices if notice]

    def describe_langs(self, langs: Collection[tuple[str, str]]) -> str:
        return pairs_listed(langs)

    def resume_signature(self) -> str:
        """The signature before any language is detected: what a resumed run must share. For
        ``auto``, the encoders it can pick on this installation."""
        s = self.settings
        if s.encoder == AUTO:
            encoder = f"auto({','.join(self._loaded(c).name for c in auto_choices())})"
        else:
            encoder = self.encoder_for(()).name
        langs = [(s.src_lang or "detected", s.tgt_lang or "detected")]
        return self._signature(encoder, langs)

    def signature(self, langs: Collection[tuple[str, str]]) -> str:
        """The signature of the pairs aligned in ``langs``, naming every encoder they used."""
        langs = list(langs)
        names = sorted({self.encoder_for(pair).name for pair in langs} or {self.settings.encoder})
        return self._signature(",".join(names), langs)

    def _signature(self, encoder: str, langs: Iterable[tuple[str, str]]) -> str:
        refine_name = self.refiner.name if self.refiner else None
        s = self.settings
        return pairs_signature(encoder, s.config, langs, s.presplit, refine_name, s.min_score)


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
            "langs": pairs_listed(langs),
            "align": config.describe(),
            **floor,
        }
    )
