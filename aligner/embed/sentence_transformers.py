"""Any sentence-transformers model, by local path or by a name already in the local cache.

torch and sentence-transformers are imported here, on first use, never when the CLI starts.
Nothing is downloaded: the hub is switched to offline mode before the import.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from aligner.embed import normalise_rows
from aligner.errors import EncoderError


class SentenceTransformersEncoder:
    def __init__(self, name_or_path: str, batch_size: int = 64) -> None:
        if not name_or_path:
            raise EncoderError("st: needs a model name or a local path, e.g. st:/models/LaBSE")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "st: encoders need sentence-transformers: pip install 'aligner[st]' "
                "(install torch==2.13.0 first for the CPU build)"
            ) from exc
        local = Path(name_or_path).expanduser()
        try:
            self._model = SentenceTransformer(
                str(local) if local.exists() else name_or_path, device="cpu"
            )
        except Exception as exc:  # the library raises many types for "not found offline"
            raise EncoderError(
                f"cannot load sentence-transformers model {name_or_path!r} offline: give a local "
                f"path or a name already in the Hugging Face cache ({type(exc).__name__}: {exc})"
            ) from exc
        self.batch_size = batch_size
        # renamed in sentence-transformers 6; older releases only have the long name
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.name = f"st:{local.name if local.exists() else name_or_path}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise_rows(vectors)
