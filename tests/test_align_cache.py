"""The embedding cache: hits, another model, torn and corrupt entries."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from aligner.embed.cache import PROBE, CachedEncoder
from aligner.errors import EncoderError


class CountingEncoder:
    """A deterministic fake model: the vector is a seeded function of the text and the seed."""

    dim = 8

    def __init__(self, name: str = "fake", seed: int = 0) -> None:
        self.name, self.seed, self.calls = name, seed, 0
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded.extend(texts)
        rows = []
        for text in texts:
            rng = np.random.default_rng([self.seed, *text.encode("utf-8")])
            vector = rng.normal(size=self.dim)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)


def test_second_run_reads_everything_from_disk(tmp_path: Path) -> None:
    first = CachedEncoder(CountingEncoder(), tmp_path)
    expected = first.encode(["a", "b", "a"])
    model = CountingEncoder()
    second = CachedEncoder(model, tmp_path)
    assert np.array_equal(second.encode(["b", "a"]), expected[[1, 0]])
    assert model.encoded == [PROBE]  # only the check that the cache is this model's
    assert second.misses == 0 and second.hits == 2


def test_only_missing_texts_are_encoded_once(tmp_path: Path) -> None:
    model = CountingEncoder()
    cached = CachedEncoder(model, tmp_path)
    model.encoded.clear()
    cached.encode(["x", "y", "x"])
    cached.encode(["y", "z"])
    assert model.encoded == ["x", "y", "z"]


def test_another_model_under_the_same_name_is_refused(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder(seed=0), tmp_path).encode(["a"])
    with pytest.raises(EncoderError, match="different model"):
        CachedEncoder(CountingEncoder(seed=1), tmp_path)


def test_models_with_different_names_do_not_share_entries(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder("one"), tmp_path).encode(["a"])
    other = CachedEncoder(CountingEncoder("two", seed=5), tmp_path)
    other.encode(["a"])
    assert other.misses == 1


def test_a_torn_shard_is_dropped_and_recomputed(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    good = cached.encode(["a", "b"])
    (shard,) = cached.folder.glob("*.npz")
    shard.write_bytes(shard.read_bytes()[:50])  # a crash mid-write on a filesystem without rename
    model = CountingEncoder()
    again = CachedEncoder(model, tmp_path)
    assert np.allclose(again.encode(["a", "b"]), good)
    assert again.misses == 2
    assert zipfile.is_zipfile(shard)  # rewritten whole


def test_a_shard_whose_vectors_do_not_match_its_checksum_is_recomputed(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    good = cached.encode(["a"])
    (shard,) = cached.folder.glob("*.npz")
    with np.load(shard) as data:
        keys, checksum = data["keys"], data["checksum"]
    np.savez(
        shard.with_suffix(""), keys=keys, vectors=np.zeros((1, 8), np.float32), checksum=checksum
    )
    again = CachedEncoder(CountingEncoder(), tmp_path)
    assert np.allclose(again.encode(["a"]), good)
    assert again.misses == 1


def test_leftover_temporary_files_are_ignored(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    (cached.folder / ".abc.tmp").write_bytes(b"half a file")
    assert CachedEncoder(CountingEncoder(), tmp_path).encode(["q"]).shape == (1, 8)
