"""The one task every executor maps, whatever is aligned: a batch of inputs through the
aligner of a ``Job``, loaded once per process.

A ``Job`` is small and picklable (settings, languages): an executor ships it with each task
instead of the loaded models, and each worker process builds its ``Aligner`` from it on first
use (``loaded``). Captions (``captions.aligner``), document pairs (``documents.aligner``) and
subtitle tracks (``subtitles.aligner``) are three jobs run by the same loop (``run.runner``).
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

from aligner.errors import InputError
from aligner.records import DocumentResult
from aligner.run.executors import Executor, SequentialExecutor

Item = TypeVar("Item")
Item_contra = TypeVar("Item_contra", contravariant=True)

LOOKAHEAD_INPUTS = 1_024
LOOKAHEAD_CHARS = 4_000_000
"""At most this many inputs, and inputs of this many characters, started ahead of the oldest
one still waiting for its encoding (``started_in_order``): the encoder process takes about 1.5 s
to start and read its weights, in which this process labels some 600 news articles; 4 million
characters of labelled documents hold a few tens of MB."""


class Started(Protocol):
    """An input whose alignment was started (``start``); ``result()`` finishes it."""

    size: int
    """Characters it holds (to bound what is held at once)."""

    def done(self) -> bool:
        """Whether ``result()`` would not wait (for the encoder)."""
        ...

    def result(self) -> DocumentResult: ...


class Aligner(Protocol[Item_contra]):
    """Loaded parts (encoder, detector) that align one input at a time."""

    def align(self, item: Item_contra) -> DocumentResult: ...

    def resume_signature(self) -> str:
        """What an interrupted run must share to be resumed: the settings, before any input's
        languages are known."""
        ...

    def signature(self, langs: Collection[tuple[str, str]]) -> str:
        """The signature of the outputs, once the results' languages (``langs``) are known."""
        ...

    def notices(self, langs: Collection[tuple[str, str]]) -> list[str]:
        """What the user should know about the run (languages an encoder was not trained on)."""
        ...

    def describe_langs(self, langs: Collection[tuple[str, str]]) -> str:
        """The languages of the run, for its summary line."""
        ...


class StagedAligner(Aligner[Item_contra], Protocol[Item_contra]):
    """An aligner that can start an input and finish it later (its encoding runs elsewhere
    meanwhile: ``run.encoder_process``); ``align(item)`` is ``start(item).result()``."""

    def start(self, item: Item_contra) -> Started: ...


class Job(Hashable, Protocol[Item]):
    """The picklable description of an aligner; equal jobs share one loaded aligner."""

    def load(self) -> Aligner[Item]: ...

    def key(self, item: Item) -> str:
        """An input's identity, for a resumed run to check it is the one the journal holds."""
        ...

    def name(self, item: Item) -> tuple[str, str]:
        """The doc_id of an input's result and how to call the input in a message."""
        ...


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read, skipped (``skip_bad``) instead of stopping the run."""

    reason: str


Outcome = DocumentResult | Skipped

_LOADED: dict[Hashable, Aligner[object]] = {}
_LOADED_LOCK = threading.Lock()  # a Dask worker may run several tasks in threads


def loaded(job: Job[Item]) -> Aligner[Item]:
    """This process's aligner for ``job``, loaded on first use: a worker loads the encoder
    once, not once per document or per task."""
    with _LOADED_LOCK:
        if job not in _LOADED:
            _LOADED[job] = job.load()  # type: ignore[assignment]
        return _LOADED[job]  # type: ignore[return-value]


def preload(job: Job[Item], aligner: Aligner[Item]) -> None:
    """Tasks run in this process (the sequential executor) use ``aligner``, already loaded
    here (with an encoder the caller may have injected)."""
    with _LOADED_LOCK:
        _LOADED[job] = aligner  # type: ignore[assignment]


def align_batch(job: Job[Item], skip_bad: bool, batch: list[Item]) -> list[Outcome]:
    """The task every executor maps: align a batch of inputs with this process's aligner; with
    ``skip_bad`` an input that cannot be read becomes a ``Skipped``."""
    aligner = loaded(job)
    outcomes: list[Outcome] = []
    for item in batch:
        try:
            outcomes.append(aligner.align(item))
        except InputError as error:
            if not skip_bad:
                raise
            outcomes.append(Skipped(str(error)))
    return outcomes


@dataclass(frozen=True, slots=True)
class _Ended:
    """An input that ended as it was started: skipped, or aligned at once."""

    outcome: Outcome
    size: int = 0

    def done(self) -> bool:
        return True

    def result(self) -> Outcome:
        return self.outcome


def started_in_order(
    start: Callable[[Item], Started | _Ended], items: Iterable[Item]
) -> Iterator[Outcome]:
    """``start(item).result()`` for each item, in input order, finishing an input as soon as
    its encoding is done and meanwhile starting the next ones (up to LOOKAHEAD_INPUTS and
    LOOKAHEAD_CHARS): this process labels while the encoder process encodes."""
    pending: deque[Started | _Ended] = deque()
    held = 0
    for item in items:
        started = start(item)
        pending.append(started)
        held += started.size
        while pending and (
            pending[0].done() or len(pending) >= LOOKAHEAD_INPUTS or held >= LOOKAHEAD_CHARS
        ):
            oldest = pending.popleft()
            held -= oldest.size
            yield oldest.result()
    while pending:
        yield pending.popleft().result()


def _start(aligner: StagedAligner[Item], skip_bad: bool, item: Item) -> Started | _Ended:
    try:
        return aligner.start(item)
    except InputError as error:
        if not skip_bad:
            raise
        return _Ended(Skipped(str(error)))


def align_all(
    job: Job[Item],
    items: Iterable[Item],
    executor: Executor | None = None,
    skip_bad: bool = False,
) -> Iterator[Outcome]:
    """A lazy stream of outcomes, one per input, in input order whatever the executor
    (sequential when None). In this process, an aligner that can ``start`` inputs starts the
    next ones while the oldest waits for its encoding (``started_in_order``)."""
    executor = executor or SequentialExecutor()
    aligner = loaded(job) if isinstance(executor, SequentialExecutor) else None
    if aligner is not None and hasattr(aligner, "start"):
        staged = cast(StagedAligner[Item], aligner)
        start = functools.partial(_start, staged, skip_bad)
        yield from started_in_order(start, items)
        return
    task = functools.partial(align_batch, job, skip_bad)
    stream = iter(items)
    batches = iter(lambda: list(itertools.islice(stream, executor.batch_size)), [])
    for batch in executor.map(task, batches):
        yield from batch
