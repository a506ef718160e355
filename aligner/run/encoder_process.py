"""Encoding in a second process while this one labels the next documents.

In a one-process run, labelling (pure Python) and encoding (numpy) take turns on one core while
the other idles; a thread cannot share the work, because labelling holds the GIL and the
encoder's many small products wait for it. ``EncoderProcess`` runs the run's encoder in one
child process instead: ``submit(texts)`` returns at once with a future of the vectors, and the
runner keeps labelling the documents ahead (``run.task.align_all``). The child builds its
encoder from the same settings (``embed.cache.load_cached_encoder``), so its vectors, and the
run's output, are the ones this process would compute. It is started at the first ``submit``:
a dump in which no document can pair never starts it.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

import numpy as np

from aligner.embed import CORES_ENV, Encoder, defers_loading, similarity_scale, usable_cores
from aligner.errors import EncoderError
from aligner.run.lifeline import die_with_parent

_ENCODER: Encoder | None = None
"""The child's encoder, built by its first task (an error there reaches the caller as that
task's exception, where one in the pool's initializer would only break the pool)."""


def _start_child(parent: int) -> None:
    die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the run handles it and shuts the child down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.environ[CORES_ENV] = "1"  # the other core labels


def _encode(build: Callable[[], Encoder], texts: list[str]) -> np.ndarray:
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = build()
    return _ENCODER.encode(texts)


CHILD_DIED = (
    "the encoder process died (killed for memory, or a crash in native code); rerun with "
    "--no-encoder-process to encode in the run's own process"
)


@dataclass(frozen=True, slots=True)
class ChildVectors:
    """The future of one ``submit``, whose ``result()`` says in one line when the child died."""

    future: concurrent.futures.Future[np.ndarray]

    def done(self) -> bool:
        return self.future.done()

    def result(self) -> np.ndarray:
        try:
            return self.future.result()
        except concurrent.futures.process.BrokenProcessPool:
            raise EncoderError(CHILD_DIED) from None


class EncoderProcess:
    """An Encoder whose encoding runs in a child process; ``local`` (same settings, built here
    without reading its weights: ``defers_loading``) gives its name, dimension, languages and
    scale, and ``build`` (picklable) builds the child's own."""

    deferred = True

    def __init__(self, local: Encoder, build: Callable[[], Encoder]) -> None:
        self.name = local.name
        self.dim = local.dim
        self.languages = getattr(local, "languages", None)
        self.scale = similarity_scale(local)
        self._build = build
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def submit(self, texts: list[str]) -> ChildVectors:
        if self._pool is None:
            # "spawn", not "fork": this process may already run threads (BLAS, progress bars)
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_child,
                initargs=(os.getpid(),),
            )
        try:
            return ChildVectors(self._pool.submit(_encode, self._build, texts))
        except concurrent.futures.process.BrokenProcessPool:
            raise EncoderError(CHILD_DIED) from None

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.submit(texts).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


MIN_DUMP_BYTES = 1_000_000
"""Smaller dumps are encoded in the run's own process: the encoder process takes about a second to
start and read its weights (0.9-1.4 s to its first vectors), more than it saves on a dump of a
few hundred articles (the seed article: 2.2 s in one process, 2.9 s with the encoder process)."""


def worth_a_process(encoder: Encoder, dump_bytes: int | None) -> bool:
    """Whether a one-process run should encode in an ``EncoderProcess``: there is a second core
    to run it on, the dump is large enough to repay its start (``dump_bytes``: None for one of
    unknown size, such as stdin), and ``encoder`` read no weights here (a model loaded at
    build, an st: model, would be held twice)."""
    return (
        usable_cores() >= 2
        and (dump_bytes is None or dump_bytes >= MIN_DUMP_BYTES)
        and defers_loading(encoder)
    )
