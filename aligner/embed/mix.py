"""Several encoders as one: their unit vectors, each scaled by the square root of its weight,
side by side. The cosine of two mixed vectors is then the weighted mean of the encoders'
cosines, so everything downstream (margins, centring, window sums) works unchanged."""

from __future__ import annotations

import numpy as np

from aligner.embed import Encoder, SimilarityScale, defers_loading, similarity_scale


class MixedEncoder:
    def __init__(self, parts: list[tuple[Encoder, float]]) -> None:
        total = sum(weight for _, weight in parts)
        self._parts = [(encoder, np.float32(np.sqrt(weight / total))) for encoder, weight in parts]
        self.dim = sum(encoder.dim for encoder, _ in parts)
        self.name = "+".join(f"{encoder.name}@{weight / total:g}" for encoder, weight in parts)
        known = [getattr(encoder, "languages", None) for encoder, _ in parts]
        # a language any part was trained on is covered; a part that makes no claim, no claim
        self.languages = None if None in known else frozenset().union(*known)
        # a mixed cosine is the weighted mean of the parts' cosines, and so are its anchors
        shares = [(similarity_scale(encoder), weight / total) for encoder, weight in parts]
        self.scale = SimilarityScale(
            unrelated=sum(scale.unrelated * share for scale, share in shares),
            translation=sum(scale.translation * share for scale, share in shares),
        )
        self.deferred = all(defers_loading(encoder) for encoder, _ in parts)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(
            [encoder.encode(texts) * scale for encoder, scale in self._parts], axis=1
        )
