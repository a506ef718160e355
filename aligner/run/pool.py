"""A local process pool (``--jobs N``): one worker process per core, each loading the encoder
once (``run.task.loaded``)."""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from aligner.embed import CORES_ENV
from aligner.errors import EngineError
from aligner.run.executors import ExecutorBase, cores_per_worker, ordered_map
from aligner.run.lifeline import die_with_parent

T = TypeVar("T")
R = TypeVar("R")

BATCH_SIZE = 4
TASKS_AHEAD_PER_WORKER = 2


def _start_worker(cores: int, parent: int) -> None:
    die_with_parent(parent)
    # Ctrl-C (and a SIGTERM to the group) reaches every process; the parent alone handles it
    # (and shuts the pool down), so the workers do not print a traceback each nor die under
    # a task; they end with the parent in any case.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.environ[CORES_ENV] = str(cores)


class ProcessPoolExecutor(ExecutorBase):
    name = "processes"
    batch_size = BATCH_SIZE

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # "spawn", not "fork": forking a process that already runs threads (BLAS, a Dask
        # client, progress bars) can copy a held lock into the child and hang it.
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(cores_per_worker(workers), os.getpid()),
        )

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        window = self.workers * TASKS_AHEAD_PER_WORKER
        try:
            yield from ordered_map(lambda item: self._pool.submit(fn, item), items, window)
        except concurrent.futures.process.BrokenProcessPool:
            raise EngineError(
                "a worker process died in the middle of a task (killed for memory, or a crash "
                "in native code); rerun with fewer --jobs, or look for the input that causes it"
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
