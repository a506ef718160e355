"""An on-disk cache of sentence embeddings, keyed by encoder and text.

Layout: ``DIR/<encoder name>/model.json`` (name, dimension and the vector of a fixed probe text)
and shard files ``*.npz`` (text hashes, vectors and a checksum of both), one per batch of new
texts. A cache written by another model under the same name is recognised by its probe vector and
refused; a torn or corrupt shard fails its checksum, is removed and its texts are encoded again.
Every file is written to a temporary name and renamed, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import zipfile
from pathlib import Path

import numpy as np

from aligner.embed import Encoder
from aligner.errors import EncoderError, ExportError
from aligner.export.atomic import atomic_output

PROBE = "Cache probe: the quick brown fox jumps over the lazy dog. 1234."
PROBE_TOLERANCE = 1e-3
"""Largest allowed difference per dimension between the stored and a fresh probe vector: BLAS
builds and thread counts change the last digits, another model changes far more."""


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _checksum(keys: np.ndarray, vectors: np.ndarray) -> str:
    return hashlib.sha256(keys.tobytes() + vectors.tobytes()).hexdigest()


class CachedEncoder:
    """An Encoder that looks texts up in the cache first and encodes (and stores) only misses."""

    def __init__(self, encoder: Encoder, root: Path) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.hits = 0
        self.misses = 0
        self.folder = Path(root) / re.sub(r"[^A-Za-z0-9._-]+", "_", encoder.name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._check_model()
        self._index: dict[bytes, np.ndarray] = {}
        for shard in sorted(self.folder.glob("*.npz")):
            self._load(shard)

    def _check_model(self) -> None:
        probe = self.encoder.encode([PROBE])[0]
        meta_path = self.folder / "model.json"
        if meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                stored = np.asarray(meta["probe"], dtype=np.float32)
                same = (
                    meta["name"] == self.name
                    and int(meta["dim"]) == self.dim
                    and stored.shape == probe.shape
                    and float(np.abs(stored - probe).max()) <= PROBE_TOLERANCE
                )
            except (ValueError, KeyError, TypeError):
                same = None  # unreadable metadata: rebuild it below, shards prove themselves
            if same is False:
                raise EncoderError(
                    f"embedding cache {self.folder} was written by a different model than "
                    f"{self.name!r} (probe vectors differ); remove that folder or choose "
                    f"another cache folder"
                )
            if same:
                return
            for shard in self.folder.glob("*.npz"):
                shard.unlink(missing_ok=True)
        meta = {"name": self.name, "dim": self.dim, "probe": [float(v) for v in probe]}
        with atomic_output(meta_path, binary=True) as stream:
            stream.write(json.dumps(meta).encode("utf-8"))

    def _load(self, shard: Path) -> None:
        try:
            with np.load(shard, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
                checksum = str(data["checksum"])
            valid = (
                keys.ndim == 2
                and vectors.shape == (keys.shape[0], self.dim)
                and checksum == _checksum(keys, vectors)
            )
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            valid = False
        if not valid:
            shard.unlink(missing_ok=True)
            return
        for key, vector in zip(keys, vectors, strict=True):
            self._index[key.tobytes()] = vector

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``, from the cache where present; new ones are stored."""
        keys = [_digest(text) for text in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._index:
                missing.setdefault(key, text)
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if missing:
            vectors = np.asarray(self.encoder.encode(list(missing.values())), dtype=np.float32)
            key_array = np.frombuffer(b"".join(missing), dtype=np.uint8).reshape(len(missing), -1)
            self._store(key_array, vectors)
            for key, vector in zip(missing, vectors, strict=True):
                self._index[key] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._index[key] for key in keys])

    def _store(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        name = hashlib.sha256(keys.tobytes()).hexdigest()[:24] + ".npz"
        checksum = np.array(_checksum(keys, vectors))

        # a cache that cannot be written only costs time, never the result; the temporary
        # name never matches "*.npz", so a torn write is never read back
        with (
            contextlib.suppress(OSError, ExportError),
            atomic_output(self.folder / name, binary=True) as stream,
        ):
            np.savez(stream, keys=keys, vectors=vectors, checksum=checksum)
