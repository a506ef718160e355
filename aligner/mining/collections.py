"""Mine two collections of documents: segment and gate both sides, dedupe, embed, match
documents, align the matched pairs, then mine sentences among what is left.

``Miner.mine`` returns the same records as ``run`` and ``align`` (one DocumentResult per
matched document pair, per pair of documents that mined sentence pairs join, and per document
for what stayed unaligned): every segment of both sides is in exactly one pair or unaligned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aligner import segment
from aligner.align.beads import bead_pairs
from aligner.align.engine import AlignConfig, align_sentences
from aligner.embed import (
    DEFAULT_ENCODER,
    EMBED_MAX_CHARS,
    Encoder,
    load_encoder,
    similarity_scale,
)
from aligner.embed.cache import cached
from aligner.langid import DEFAULT_DETECTOR, LanguageDetector, load_detector
from aligner.langid.lines import segment_document
from aligner.langid.outsiders import OutsiderCheck
from aligner.mining.documents import MIN_SCORE, DocumentMatch, match_documents
from aligner.mining.sentences import Mined, MineSettings, mine_vectors
from aligner.records import Document, DocumentResult, Pair, Segment
from aligner.run.executors import Executor
from aligner.signature import signature

METHOD = "mined"
"""The method of a pair found by sentence mining (document pairs keep ``document``)."""


@dataclass(frozen=True, slots=True)
class MineConfig:
    langs: tuple[str, str]
    encoder: str = DEFAULT_ENCODER
    detector: str = DEFAULT_DETECTOR
    sentences: MineSettings = field(default_factory=MineSettings)
    documents: bool = True
    """Match documents first and align the matched pairs; False: sentence mining only."""
    min_document_score: float = MIN_SCORE
    cache_dir: str | None = None


@dataclass(frozen=True, slots=True)
class SideCounts:
    segments: int = 0
    other_language: int = 0
    """Segments not in the side's language (another language, or none): not mined."""
    duplicates: int = 0
    """Segments whose normalised text an earlier segment of the side already has: not mined."""


@dataclass(slots=True)
class MineOutcome:
    results: list[DocumentResult]
    matches: list[tuple[Document, Document, DocumentMatch]]
    mined: Mined
    """The sentence-mining step (its threshold and the distribution it cut)."""
    counts: tuple[SideCounts, SideCounts]
    signature: str


_NOT_WORD = re.compile(r"[\W_]+")


def dedupe_key(text: str) -> str:
    """Near-identical sentences share a key: case, punctuation and spacing do not count."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


@dataclass(slots=True)
class _Side:
    documents: list[Document]
    segments: list[list[Segment]]
    mined: list[tuple[int, int]]
    """(document, segment) of each sentence that is mined: in the side's language, first of
    its text."""
    counts: SideCounts

    def segment(self, key: tuple[int, int]) -> Segment:
        document, index = key
        return self.segments[document][index]  # a segment's index is its position

    def texts(self) -> list[str]:
        return [self.segment(key).text for key in self.mined]


class Miner:
    """The loaded encoder and detector of one configuration."""

    def __init__(self, config: MineConfig, encoder: Encoder | None = None) -> None:
        self.config = config
        folder = Path(config.cache_dir) if config.cache_dir else None
        self.encoder = cached(encoder or load_encoder(config.encoder, config.langs), folder)
        self.detector: LanguageDetector = load_detector(config.detector)
        self.outsiders = OutsiderCheck(self.detector, config.langs)
        self.scale = similarity_scale(self.encoder)

    @property
    def signature(self) -> str:
        return signature(
            {
                "encoder": self.encoder.name,
                "langid": self.detector.name,
                "outsiders": self.outsiders.name,
                "splitter": segment.SPLITTER,
                "langs": "-".join(self.config.langs),
                "mine": self.config.sentences.describe(),
                "documents": (
                    f"min={self.config.min_document_score:g},{AlignConfig().describe()}"
                    if self.config.documents
                    else "no"
                ),
            }
        )

    def _side(self, documents: Sequence[Document], lang: str) -> _Side:
        segments = [
            segment_document(d, self.config.langs, self.detector, True, self.outsiders)
            for d in documents
        ]
        mined: list[tuple[int, int]] = []
        seen: set[str] = set()
        other = duplicates = 0
        for d, found in enumerate(segments):
            for piece in found:
                if piece.lang != lang:
                    other += 1
                    continue
                key = dedupe_key(piece.text)
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
                mined.append((d, piece.index))
        total = sum(len(found) for found in segments)
        return _Side(list(documents), segments, mined, SideCounts(total, other, duplicates))

    def _vectors(self, side: _Side) -> np.ndarray:
        texts = [text[:EMBED_MAX_CHARS] for text in side.texts()]
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return self.encoder.encode(texts)

    def mine(
        self,
        src: Sequence[Document],
        tgt: Sequence[Document],
        executor: Executor | None = None,
    ) -> MineOutcome:
        """Pairs between two collections; see the module docstring."""
        sides = self._side(src, self.config.langs[0]), self._side(tgt, self.config.langs[1])
        vectors = self._vectors(sides[0]), self._vectors(sides[1])
        texts = [side.texts() for side in sides]
        settings = self.config.sentences
        pairs: dict[tuple[int, int], list[Pair]] = defaultdict(list)
        paired: tuple[set[tuple[int, int]], set[tuple[int, int]]] = (set(), set())
        matches: list[tuple[Document, Document, DocumentMatch]] = []
        if self.config.documents:
            first = mine_vectors(*vectors, *texts, settings, executor, self.scale)
            src_doc = np.array([sides[0].mined[i][0] for i in first.src.tolist()], dtype=np.int64)
            tgt_doc = np.array([sides[1].mined[j][0] for j in first.tgt.tolist()], dtype=np.int64)
            sizes = [np.bincount([d for d, _ in side.mined], minlength=len(side.documents))
                     for side in sides]  # fmt: skip
            found = match_documents(
                src_doc, tgt_doc, sizes[0].tolist(), sizes[1].tolist(),
                self.config.min_document_score,
            )  # fmt: skip
            # the parts of a split translation are aligned with what the 1-1 match left
            for match in sorted(found, key=lambda m: m.part):
                matches.append((src[match.src], tgt[match.tgt], match))
                for pair in self._align_pair(sides, match, paired):
                    pairs[match.src, match.tgt].append(pair)
                    paired[0].update((match.src, s.index) for s in pair.src)
                    paired[1].update((match.tgt, s.index) for s in pair.tgt)
            matches.sort(key=lambda m: (m[2].src, m[2].part, m[2].tgt))
        # sentence mining for what the document pairs did not cover
        left = [
            [at for at, key in enumerate(side.mined) if key not in done]
            for side, done in zip(sides, paired, strict=True)
        ]
        mined = mine_vectors(
            vectors[0][left[0]], vectors[1][left[1]],
            [texts[0][at] for at in left[0]], [texts[1][at] for at in left[1]],
            settings, executor, self.scale,
        )  # fmt: skip
        for i, j, score in zip(mined.src.tolist(), mined.tgt.tolist(), mined.score.tolist(),
                               strict=True):  # fmt: skip
            a_key, b_key = sides[0].mined[left[0][i]], sides[1].mined[left[1][j]]
            a, b = sides[0].segment(a_key), sides[1].segment(b_key)
            pairs[a_key[0], b_key[0]].append(Pair(src[a_key[0]].doc_id, (a,), (b,), score, METHOD))
            paired[0].add(a_key)
            paired[1].add(b_key)
        return MineOutcome(
            self._results(sides, pairs, paired), matches, mined,
            (sides[0].counts, sides[1].counts), self.signature,
        )  # fmt: skip

    def _align_pair(
        self,
        sides: tuple[_Side, _Side],
        match: DocumentMatch,
        paired: tuple[set[tuple[int, int]], set[tuple[int, int]]],
    ) -> list[Pair]:
        """A matched document pair's beads over its sentences in their side's language that no
        earlier match paired, in order."""
        src, tgt = (
            [s for s in side.segments[d] if s.lang == lang and (d, s.index) not in done]
            for side, d, lang, done in zip(
                sides, (match.src, match.tgt), self.config.langs, paired, strict=True
            )
        )
        beads, _ = align_sentences(
            [s.text for s in src], [s.text for s in tgt], self.encoder.encode
        )
        return bead_pairs(sides[0].documents[match.src].doc_id, src, tgt, beads)

    @staticmethod
    def _results(
        sides: tuple[_Side, _Side],
        pairs: dict[tuple[int, int], list[Pair]],
        paired: tuple[set[tuple[int, int]], set[tuple[int, int]]],
    ) -> list[DocumentResult]:
        results = []
        for (sd, td), found in sorted(pairs.items()):
            a, b = sides[0].documents[sd], sides[1].documents[td]
            found.sort(key=lambda p: (p.src[0].index, p.tgt[0].index))
            results.append(
                DocumentResult(
                    doc_id=a.doc_id,
                    segments=[s for p in found for s in (*p.src, *p.tgt)],
                    source=a.source,
                    pairs=found,
                    target_source=b.source,
                )
            )
        for side, done in zip(sides, paired, strict=True):
            for d, (document, found) in enumerate(zip(side.documents, side.segments, strict=True)):
                rest = [s for s in found if (d, s.index) not in done]
                if rest:
                    results.append(
                        DocumentResult(document.doc_id, rest, document.source, unaligned=rest)
                    )
        return results
