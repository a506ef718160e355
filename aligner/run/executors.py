"""Executors: how the per-document function is mapped over a dump.

An executor is anything with ``map(fn, items)`` that yields ``fn(item)`` in input order, keeping
only a bounded number of items in flight (a dump never has to fit in memory), plus a
``batch_size`` (documents per task) and ``close``. Scheduling, retries and data movement are the
engine's job; these adapters only submit tasks and collect results. Engines are registered by
name, like encoders and writers: ``local`` (in this process, or a process pool with ``jobs > 1``)
and ``dask`` (a ``distributed`` cluster, local or at a scheduler address).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Protocol, Self, TypeVar

from aligner.embed import usable_cores
from aligner.registry import Registry

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_ENGINE = "local"


def cores_per_worker(workers: int) -> int:
    return max(1, usable_cores() // workers)


class Executor(Protocol):
    name: str
    batch_size: int
    """Documents per task: enough to make a task's overhead small next to its work."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(item)`` for each item, in input order, lazily."""
        ...

    def close(self) -> None:
        """Release workers; safe to call twice."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class _Future(Protocol[R]):  # concurrent.futures.Future and distributed.Future alike
    def result(self) -> R: ...


def ordered_map(submit: Callable[[T], _Future[R]], items: Iterable[T], window: int) -> Iterator[R]:
    """Submit items as results are taken, at most ``window`` ahead, and yield results in input
    order. The window bounds memory; the engine decides where and when each task runs."""
    pending: deque[_Future[R]] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class ExecutorBase:
    """Context-manager plumbing shared by the executors."""

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class SequentialExecutor(ExecutorBase):
    """Runs every task in this process, one after the other: the plain local run."""

    name = "sequential"
    batch_size = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(fn, items)


engines: Registry[Executor] = Registry("engine", "aligner.engines")


# Factories take (jobs, scheduler address or None).
@engines.register("local")
def _local(jobs: int, scheduler: str | None) -> Executor:
    from aligner.errors import UsageError

    if scheduler:
        raise UsageError("--scheduler needs --engine dask")
    if jobs <= 1:
        return SequentialExecutor()
    from aligner.run.pool import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs)


@engines.register("dask")
def _dask(jobs: int, scheduler: str | None) -> Executor:
    from aligner.run.dask import DaskExecutor

    return DaskExecutor(workers=jobs, scheduler=scheduler)


def load_engine(
    name: str = DEFAULT_ENGINE, jobs: int = 1, scheduler: str | None = None
) -> Executor:
    """The executor for ``--engine NAME --jobs N [--scheduler ADDRESS]``."""
    return engines.get(name)(jobs, scheduler)
