"""Executors: one per engine behind the same ``map``; the same rows whichever runs them."""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import Future

import pytest

from aligner.captions.aligner import RunConfig
from aligner.errors import EngineError, RegistryError, UsageError
from aligner.run.executors import SequentialExecutor, load_engine, ordered_map
from aligner.run.runner import Outputs, align_dump, run_dump
from tests.conftest import ROOT
from tests.reliability.support import allow_loopback_only, make_dump

LANGS = ("es", "en")


@pytest.fixture(autouse=True)
def _offline(monkeypatch):  # overrides the suite's guard for this module
    allow_loopback_only(monkeypatch)


def test_ordered_map_keeps_input_order_and_reads_only_a_window_ahead():
    consumed = []

    def items():
        for number in itertools.count():
            consumed.append(number)
            yield number

    def submit(item):
        future = Future()
        future.set_result(item * 10)
        return future

    results = ordered_map(submit, items(), window=3)
    assert [next(results) for _ in range(4)] == [0, 10, 20, 30]
    assert len(consumed) <= 4 + 3


def test_engines_are_picked_by_name():
    with load_engine("local", 1) as executor:
        assert isinstance(executor, SequentialExecutor)
    with load_engine("local", 2) as executor:
        assert executor.name == "processes"
    with pytest.raises(RegistryError, match="Available names: dask, local"):
        load_engine("spark")
    with pytest.raises(UsageError, match="--scheduler needs --engine dask"):
        load_engine("local", 1, "tcp://127.0.0.1:8786")


def test_dask_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(EngineError, match=r"pip install 'aligner\[dask\]'"):
        load_engine("dask", 2)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


def _outputs(folder):
    return Outputs(str(folder / "pairs.csv"), unaligned=folder / "rest.csv")


def _run(folder, dump, executor):
    run_dump([str(dump)], _outputs(folder), RunConfig(langs=LANGS), executor)
    return (folder / "pairs.csv").read_bytes(), (folder / "rest.csv").read_bytes()


def test_process_pool_and_dask_cluster_write_the_local_run_bytes(tmp_path, cluster):
    from aligner.run.dask import DaskExecutor
    from aligner.run.pool import ProcessPoolExecutor

    dump = make_dump(tmp_path / "in", 20)
    (tmp_path / "seq").mkdir()
    reference = _run(tmp_path / "seq", dump, SequentialExecutor())
    assert reference[0].count(b"\n") > 10
    for name, executor in [
        ("pool", ProcessPoolExecutor(2)),
        ("dask", DaskExecutor(scheduler=cluster.scheduler_address)),
    ]:
        (tmp_path / name).mkdir()
        with executor:
            assert _run(tmp_path / name, dump, executor) == reference, name


def test_document_pairs_on_a_dask_cluster_write_the_local_run_bytes(tmp_path, cluster):
    from aligner.documents.aligner import PairSettings
    from aligner.documents.inputs import FilePair
    from aligner.run.dask import DaskExecutor
    from aligner.run.runner import run_pairs
    from tests.test_align_cli import write_pair

    names = [f"{letter}.txt" for letter in "abcdef"]
    for name in names:
        write_pair(tmp_path / "in", name)
    pairs = [FilePair(tmp_path / "in" / "de" / n, tmp_path / "in" / "fr" / n, n) for n in names]
    settings = PairSettings(src_lang="de", tgt_lang="fr", presplit=True)
    written = []
    for name, executor in [
        ("seq", SequentialExecutor()),
        ("dask", DaskExecutor(scheduler=cluster.scheduler_address)),
    ]:
        with executor:
            run_pairs(pairs, Outputs(str(tmp_path / f"{name}.csv")), settings, executor)
        written.append((tmp_path / f"{name}.csv").read_bytes())
    assert written[0] == written[1] and written[0].count(b"\n") == 1 + 6 * 4


def test_dask_workers_run_this_code_and_load_the_encoder_once_each(tmp_path, cluster):
    from distributed import Client

    from aligner.run.dask import DaskExecutor

    dump = make_dump(tmp_path / "in", 24)
    with DaskExecutor(scheduler=cluster.scheduler_address) as executor:
        _, results = align_dump(
            __import__("aligner.read").read.read_inputs([str(dump)]),
            RunConfig(langs=LANGS),
            executor=executor,
        )
        assert len(list(results)) == 24
    with Client(cluster.scheduler_address) as client:
        files = client.run(lambda: __import__("aligner").__file__)
        loaded = client.run(
            lambda: sum(
                type(job).__name__ == "CaptionJob"
                for job in __import__("aligner.run.task").run.task._LOADED
            )
        )
    assert all(path.startswith(str(ROOT)) for path in files.values()), files
    # 24 documents in 3 tasks of 8 over 2 workers: each worker built one aligner at most.
    assert sum(loaded.values()) <= 2 and max(loaded.values()) == 1


def _die(batch):
    import os

    os._exit(1)  # a worker killed mid-task (out of memory, a crash in native code)


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")  # the module's cluster has it
def test_a_task_that_keeps_killing_workers_is_one_clear_error():
    dask = pytest.importorskip("dask")
    from distributed import LocalCluster

    from aligner.run.dask import DaskExecutor

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None
        ) as local,
        DaskExecutor(scheduler=local.scheduler_address) as executor,
        pytest.raises(EngineError, match="Dask gave up on a task after the workers running it"),
    ):
        list(executor.map(_die, [[1]]))


def test_a_worker_process_that_dies_is_one_clear_error():
    from aligner.run.pool import ProcessPoolExecutor

    with (
        ProcessPoolExecutor(1) as executor,
        pytest.raises(EngineError, match="a worker process died in the middle of a task"),
    ):
        list(executor.map(_die, [[1]]))


def test_an_unreachable_scheduler_is_one_clear_error(monkeypatch):
    pytest.importorskip("distributed")
    import aligner.run.dask as dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(EngineError, match=r"cannot start Dask on tcp://127\.0\.0\.1:1 "):
        dask_engine.DaskExecutor(scheduler="tcp://127.0.0.1:1")


def _e5_threads(batch):
    from aligner.embed import load_encoder

    return load_encoder("e5").threads


def test_each_pool_worker_gives_e5_its_share_of_the_cores(monkeypatch):
    from aligner.run.executors import cores_per_worker
    from aligner.run.pool import ProcessPoolExecutor

    # the parent computes the share, from the cores it may run on
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(8)), raising=False)
    with ProcessPoolExecutor(4) as executor:
        assert list(executor.map(_e5_threads, [[1], [2]])) == [2, 2] == [cores_per_worker(4)] * 2
