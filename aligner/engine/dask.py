"""Dask ``distributed``: a LocalCluster of worker processes, or an existing cluster by scheduler
address. Tasks are plain function calls (``client.submit``); Dask places them, retries them when
a worker dies, and moves the data. Workers need ``aligner`` installed (same version) and load
the encoder once each, on their first task."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from aligner.engine import CORES_ENV, ExecutorBase, cores_per_worker, ordered_map
from aligner.errors import EngineError

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

T = TypeVar("T")
R = TypeVar("R")

BATCH_SIZE = 8
"""Larger than the local pool's: a Dask task costs about a millisecond of scheduling."""
TASKS_AHEAD_PER_WORKER = 4
CONNECT_TIMEOUT_S = 30


class DaskExecutor(ExecutorBase):
    name = "dask"
    batch_size = BATCH_SIZE

    def __init__(self, workers: int = 1, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError(
                "--engine dask needs Dask: pip install 'aligner[dask]' (dask[distributed])"
            ) from None
        self._cluster: LocalCluster | None = None
        try:
            if scheduler:
                self._client: Client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            else:
                with warnings.catch_warnings():
                    # Without a dashboard the scheduler still serves health checks on 8787, and
                    # warns when another cluster holds that port before taking a free one.
                    warnings.filterwarnings("ignore", "Port 8787 is already in use")
                    self._cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        env={CORES_ENV: str(cores_per_worker(workers))},
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = scheduler or "a local cluster"
            raise EngineError(f"cannot start Dask on {where} ({exc})") from None
        self.workers = max(1, len(self._client.scheduler_info()["workers"]))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        from distributed import KilledWorker

        # pure=False: tasks are not deduplicated by their arguments, so Dask does not hash every
        # batch of documents to build a key.
        window = self.workers * TASKS_AHEAD_PER_WORKER
        try:
            yield from ordered_map(
                lambda item: self._client.submit(fn, item, pure=False), items, window
            )
        except KilledWorker as exc:
            raise EngineError(
                f"Dask gave up on a task after the workers running it died ({exc}); check the "
                "workers' memory limit and logs"
            ) from None

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
