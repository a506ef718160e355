"""Two subtitle tracks of one video as a document pair: each cue a segment with its time, the
beads of ``subtitles.pairing`` as pairs (``aligner subtitles``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from aligner.documents.inputs import FilePair, pair_key, pair_name
from aligner.embed import DEFAULT_ENCODER, Encoder, choose_encoder, language_notice, load_encoder
from aligner.embed.cache import cached
from aligner.langid import DEFAULT_DETECTOR, load_detector
from aligner.langid.codes import pairs_listed
from aligner.read.subtitles import Cue, read_cues
from aligner.records import DocumentResult, Pair, Segment
from aligner.signature import signature
from aligner.subtitles.pairing import SubtitlePairing, detect_langs, pair_cues

METHOD = "subtitles"


def track_pair(src: Path, tgt: Path) -> FilePair:
    """The two tracks as one input, named after both files."""
    return FilePair(src, tgt, f"{src.stem}|{tgt.stem}")


@dataclass(frozen=True, slots=True)
class SubtitleSettings:
    """Everything a worker needs to pair subtitle tracks (the job of ``run.task``)."""

    encoder: str = DEFAULT_ENCODER
    langs: tuple[str, str] | None = None
    """(source, target); detected per track when None."""
    pairing: SubtitlePairing = field(default_factory=SubtitlePairing)
    cache_dir: str | None = None
    detector: str = DEFAULT_DETECTOR

    def load(self) -> SubtitleAligner:
        return SubtitleAligner(self)

    def key(self, tracks: FilePair) -> str:
        return pair_key(tracks)

    def name(self, tracks: FilePair) -> tuple[str, str]:
        return pair_name(tracks)


def cue_segments(doc_id: str, cues: list[Cue], lang: str) -> list[Segment]:
    """One segment per cue with text, its offsets in the track written one cue per line (a
    cue's lines joined, ``Cue.text``) and its number as index and line."""
    segments, offset = [], 0
    for number, cue in enumerate(cues):
        text = cue.text
        if text:
            segments.append(
                Segment(doc_id, number, offset, offset + len(text), text, number, lang, 0.0,
                        (cue.start, cue.end))
            )  # fmt: skip
        offset += len(text) + 1
    return segments


class SubtitleAligner:
    """The encoder (per language pair, for ``auto``) and detector of one SubtitleSettings."""

    def __init__(self, settings: SubtitleSettings) -> None:
        self.settings = settings
        self._folder = Path(settings.cache_dir) if settings.cache_dir else None
        self._encoders: dict[str, Encoder] = {}
        self.encoder_for(settings.langs or ())  # a bad encoder name fails here

    def encoder_for(self, langs: Collection[str]) -> Encoder:
        spec = choose_encoder(self.settings.encoder, langs)
        if spec not in self._encoders:
            self._encoders[spec] = cached(load_encoder(spec), self._folder)
        return self._encoders[spec]

    def align(self, tracks: FilePair) -> DocumentResult:
        cues = (read_cues(tracks.src), read_cues(tracks.tgt))
        langs = self.settings.langs or detect_langs(
            cues, load_detector(self.settings.detector), (tracks.src, tracks.tgt)
        )
        encoder = self.encoder_for(langs)
        src = cue_segments(tracks.doc_id, cues[0], langs[0])
        tgt = cue_segments(tracks.doc_id, cues[1], langs[1])
        src_at = {s.index: s for s in src}
        tgt_at = {s.index: s for s in tgt}
        pairs = [
            Pair(
                tracks.doc_id,
                tuple(src_at[n] for n in range(s.first, s.last + 1)),
                tuple(tgt_at[n] for n in range(t.first, t.last + 1)),
                score,
                METHOD,
            )
            for s, t, score in pair_cues(*cues, encoder, self.settings.pairing)
        ]
        paired_src = {s.index for pair in pairs for s in pair.src}
        paired_tgt = {t.index for pair in pairs for t in pair.tgt}
        unaligned = [s for s in src if s.index not in paired_src]
        unaligned += [t for t in tgt if t.index not in paired_tgt]
        return DocumentResult(
            doc_id=tracks.doc_id,
            segments=src + tgt,
            source=str(tracks.src),
            pairs=pairs,
            unaligned=unaligned,
            target_source=str(tracks.tgt),
            langs=langs,
        )

    def resume_signature(self) -> str:
        langs = self.settings.langs
        return self.signature([langs] if langs else [("detected", "detected")])

    def signature(self, langs: Collection[tuple[str, str]]) -> str:
        names = sorted({self.encoder_for(pair).name for pair in langs if "detected" not in pair})
        return signature(
            {
                "encoder": ",".join(names) or self.settings.encoder,
                "langs": pairs_listed(langs),
                "subtitles": self.settings.pairing.describe(),
            }
        )

    def notices(self, langs: Collection[tuple[str, str]]) -> list[str]:
        notices = [language_notice(self.encoder_for(pair), pair) for pair in sorted(langs)]
        return [notice for notice in notices if notice]

    def describe_langs(self, langs: Collection[tuple[str, str]]) -> str:
        return pairs_listed(langs)
