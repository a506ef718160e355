"""Dask ``distributed``: a LocalCluster of worker processes, or an existing cluster by scheduler
address. Tasks are plain function calls (``client.submit``); Dask places them, retries them when
a worker dies, and moves the data. Workers need ``aligner`` installed (same version) and load
the encoder once each, on their first task."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Generic, TypeVar

from aligner.embed import CORES_ENV
from aligner.errors import EngineError
from aligner.run.executors import ExecutorBase, cores_per_worker, ordered_map

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

T = TypeVar("T")
R = TypeVar("R")

BATCH_SIZE = 8
"""Larger than the local pool's: a Dask task costs about a millisecond of scheduling."""
TASKS_AHEAD_PER_WORKER = 4
CONNECT_TIMEOUT_S = 5
"""A scheduler that does not answer in 5 s is not coming: waiting 30 s only delayed the error."""
POLL_S = 0.5
"""How often a run waiting on a task checks that the cluster can still finish it."""
NO_WORKER_S = 5.0
"""How long a run waits with no worker at all (one may be restarting) before giving up."""


class TeardownNoise(logging.Filter):
    """Drops asyncio's "Task exception was never retrieved" for the client's own waiting tasks
    (``distributed``, ``tornado``, cancellations) once the cluster is gone: each timed-out
    ``future.result`` leaves one behind, and their tracebacks, logged when they are collected,
    followed the run's one-line error (about 1 run in 20 after a worker or the scheduler was
    killed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith("Task exception was never retrieved"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        origin = type(error).__module__.split(".")[0]
        return not (origin in ("distributed", "tornado") or isinstance(error, CancelledError))


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
        import dask

        # A lost scheduler is this run's one line, not the tracebacks the client logs while
        # it reconnects; and every connection to it (at start, the run's checks on it) gives
        # up after CONNECT_TIMEOUT_S. Both are settings of this process, as Dask's are.
        logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
        if not any(isinstance(f, TeardownNoise) for f in logging.getLogger("asyncio").filters):
            logging.getLogger("asyncio").addFilter(TeardownNoise())
        dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT_S}s"})
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
        except (OSError, TimeoutError, RuntimeError) as exc:  # RuntimeError: cluster failed
            self.close()
            where = scheduler or "a local cluster"
            raise EngineError(f"cannot start Dask on {where} ({exc})") from None
        self._where = scheduler or "the local cluster"
        self.workers = max(1, len(self._client.scheduler_info()["workers"]))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        from distributed import KilledWorker
        from distributed.client import ClosedClientError

        # pure=False: tasks are not deduplicated by their arguments, so Dask does not hash every
        # batch of documents to build a key.
        window = self.workers * TASKS_AHEAD_PER_WORKER
        try:
            yield from ordered_map(
                lambda item: _Watched(self, self._client.submit(fn, item, pure=False)),
                items,
                window,
            )
        except (ClosedClientError, OSError, CancelledError) as exc:
            # the client closes itself once it cannot reconnect; a task's own OSError is not
            # this, and passes on
            if self._client.status == "running":
                raise
            raise self.lost() from exc
        except KilledWorker as exc:
            raise EngineError(
                f"Dask gave up on a task after the workers running it died ({exc}); check the "
                "workers' memory limit and logs"
            ) from None

    def live_workers(self) -> int:
        """Workers the scheduler knows now (asked, not cached); EngineError when it is gone."""
        try:
            return len(self._client.nthreads())
        except (OSError, TimeoutError, CancelledError):
            raise self.lost() from None

    def lost(self) -> EngineError:
        return EngineError(f"lost the Dask scheduler at {self._where}")

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


class _Watched(Generic[R]):
    """A task's future whose ``result`` gives up, with one line, when the cluster cannot
    finish it: Dask itself waits for ever when every worker is gone, and a lost scheduler
    surfaced as a long traceback."""

    def __init__(self, executor: DaskExecutor, future: Future) -> None:
        self._executor = executor
        self._future = future

    def result(self) -> R:
        alone_since: float | None = None
        while True:
            try:
                return self._future.result(timeout=POLL_S)
            except TimeoutError:
                pass
            if self._executor.live_workers():
                alone_since = None
                continue
            alone_since = alone_since or time.monotonic()
            if time.monotonic() - alone_since > NO_WORKER_S:
                raise EngineError(
                    f"no Dask worker left at {self._executor._where} for {NO_WORKER_S:g} s "
                    "(all died or left); start workers, or run without --engine dask"
                )
