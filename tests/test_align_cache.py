"""The embedding cache: hits, another model, a damaged file, wrong-sized vectors, its bound."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from aligner.embed.cache import FILE_NAME, PROBE, CachedEncoder
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
    assert model.encoded == []  # the cache opens (and probes the model) at its first lookup
    cached.encode(["x", "y", "x"])
    cached.encode(["y", "z"])
    assert model.encoded == [PROBE, "x", "y", "z"]


def test_another_model_under_the_same_name_is_refused(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder(seed=0), tmp_path).encode(["a"])
    with pytest.raises(EncoderError, match="different model"):
        CachedEncoder(CountingEncoder(seed=1), tmp_path).encode(["a"])


def test_models_with_different_names_do_not_share_entries(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder("one"), tmp_path).encode(["a"])
    other = CachedEncoder(CountingEncoder("two", seed=5), tmp_path)
    other.encode(["a"])
    assert other.misses == 1


def test_a_file_that_is_not_a_cache_is_rebuilt(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    good = cached.encode(["a", "b"])
    del cached
    path = tmp_path / "fake" / FILE_NAME
    path.write_bytes(b"half a file, torn by a crash on a filesystem without atomic writes")
    again = CachedEncoder(CountingEncoder(), tmp_path)
    assert np.allclose(again.encode(["a", "b"]), good)
    assert again.misses == 2
    assert CachedEncoder(CountingEncoder(), tmp_path).encode(["a"]).shape == (1, 8)


def test_the_files_of_the_old_npz_layout_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "fake"
    folder.mkdir()
    np.savez(folder / "00001.npz", keys=np.zeros(3), vectors=np.zeros((3, 8)))
    (folder / "model.json").write_text('{"name": "fake", "dim": 8}', encoding="utf-8")
    (folder / "notes.txt").write_text("not ours to remove", encoding="utf-8")
    CachedEncoder(CountingEncoder(), tmp_path).encode(["a"])
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(FILE_NAME)) == [
        "notes.txt"
    ]


def test_a_stored_vector_of_the_wrong_size_is_encoded_again(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    good = cached.encode(["a"])
    with sqlite3.connect(cached.path) as db:
        db.execute("UPDATE vectors SET vector = ?", (b"\0" * 12,))
    again = CachedEncoder(CountingEncoder(), tmp_path)
    assert np.allclose(again.encode(["a"]), good)
    assert again.misses == 1


def test_vectors_of_a_cache_from_batched_encoding_are_encoded_again(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path)
    cached.encode(["a", "b"])
    with sqlite3.connect(cached.path) as db:  # as the release that encoded in batches left it
        db.execute("DELETE FROM meta WHERE field = 'vectors'")
        db.execute("UPDATE vectors SET vector = ?", (np.ones(8, dtype=np.float32).tobytes(),))
    again = CachedEncoder(CountingEncoder(), tmp_path)
    assert np.array_equal(again.encode(["a"]), CountingEncoder().encode(["a"]))
    assert again.misses == 1
    assert CachedEncoder(CountingEncoder(), tmp_path).encode(["a"]).tobytes() == (
        CountingEncoder().encode(["a"]).tobytes()
    )


def test_the_cache_keeps_only_the_newest_entries(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path, max_entries=3)
    cached.encode(["a", "b"])
    cached.encode(["c", "d"])
    model = CountingEncoder()
    again = CachedEncoder(model, tmp_path, max_entries=3)
    again.encode(["a", "b", "c", "d"])
    assert model.encoded == [PROBE, "a"]
