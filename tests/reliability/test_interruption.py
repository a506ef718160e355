"""Promise 3: kill the process at any moment and no partial output is left looking complete;
rerunning finishes the job, and --resume skips the documents already done (journal)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from aligner.captions.aligner import RunConfig
from aligner.errors import InterruptedRun, ResumeError
from aligner.run.executors import SequentialExecutor
from aligner.run.runner import Outputs, run_dump
from tests.conftest import ROOT, SEED_EN, SEED_ES
from tests.reliability.support import (
    aligner_args,
    alive,
    cli_env,
    descendants,
    make_dump,
    run_cli,
)

DOCUMENTS = 48


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dump")
    path = make_dump(folder, DOCUMENTS)
    reference = folder / "reference.csv"
    done = run_cli(
        "run", path, "--langs", "es,en", "-o", reference, "--unaligned-out", folder / "ref-rest.csv"
    )
    assert done.returncode == 0, done.stderr
    return path, reference.read_bytes(), (folder / "ref-rest.csv").read_bytes()


def journal_records(path: Path) -> int:
    """Documents the journal holds: their closing lines (rows are arrays, with no field)."""
    try:
        return path.read_bytes().count(b'{"key": ')
    except FileNotFoundError:
        return -1


def run_args(dump_path: Path, out: Path, *extra: object) -> tuple[object, ...]:
    """The one run every test interrupts: pairs to ``out``, unaligned beside it."""
    return ("run", dump_path, "--langs", "es,en", "-o", out, "--unaligned-out",
            out.with_name("rest.csv"), *extra)  # fmt: skip


def start(dump_path: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        aligner_args(*run_args(dump_path, out, *extra)),
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_until(process: subprocess.Popen, ready, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while process.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.01)


def stop(process: subprocess.Popen, sig: int) -> tuple[str, str]:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        return process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):  # pool workers orphaned by SIGKILL go too
            os.killpg(process.pid, signal.SIGKILL)


def assert_nothing_looks_complete(out: Path, reference: bytes) -> None:
    if out.exists():  # only if the run had really finished before the kill
        assert out.read_bytes() == reference
    visible = {p.name for p in out.parent.iterdir() if not p.name.startswith(".")}
    assert visible <= {"pairs.csv", "rest.csv", "pairs.csv.journal", "pairs.csv.lock"}


# (name, condition to kill at, extra options)
KILL_POINTS = [
    ("at start", lambda out: True, []),
    (
        "after the first documents",
        lambda out: journal_records(out.with_name("pairs.csv.journal")) >= 3,
        [],
    ),
    (
        "half way",
        lambda out: journal_records(out.with_name("pairs.csv.journal")) >= DOCUMENTS // 2,
        [],
    ),
    (
        "while writing outputs",
        lambda out: any(p.name.endswith(".tmp") for p in out.parent.iterdir()),
        [],
    ),
    (
        "half way, 2 jobs",
        lambda out: journal_records(out.with_name("pairs.csv.journal")) >= DOCUMENTS // 2,
        ["--jobs", "2"],
    ),
]


@pytest.mark.parametrize(("point", "ready", "extra"), KILL_POINTS, ids=[p[0] for p in KILL_POINTS])
def test_sigkill_then_resume_gives_the_reference_output(tmp_path, dump, point, ready, extra):
    dump_path, reference, reference_rest = dump
    out = tmp_path / "pairs.csv"
    process = start(dump_path, out, *extra)
    wait_until(process, lambda: ready(out))
    stop(process, signal.SIGKILL)
    # counted after the kill: the run may have ended (and removed its journal) in between
    done_before = journal_records(out.with_name("pairs.csv.journal"))
    assert_nothing_looks_complete(out, reference)
    resumed = run_cli(*run_args(dump_path, out, "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == reference
    assert (tmp_path / "rest.csv").read_bytes() == reference_rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv", "rest.csv"]  # no litter
    if done_before > 0:
        assert "resumed from the journal" in resumed.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_die_with_a_killed_parent_and_release_its_pipes(tmp_path, dump):
    dump_path, _, _ = dump
    out = tmp_path / "pairs.csv"
    process = start(dump_path, out, "--jobs", "2")
    workers: set[int] = set()

    def working() -> bool:  # both workers and the resource tracker started
        workers.update(descendants(process.pid))
        return len(workers) >= 3 and journal_records(out.with_name("pairs.csv.journal")) >= 1

    wait_until(process, working)
    assert process.poll() is None, process.communicate()
    os.kill(process.pid, signal.SIGKILL)  # the parent alone: no group signal reaches the workers
    started = time.monotonic()
    process.communicate(timeout=10)  # every holder of its stderr pipe has ended
    while alive(workers) and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert not alive(workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_killed_workers_are_one_line_naming_the_journal(tmp_path, dump):
    dump_path, _, _ = dump
    out = tmp_path / "pairs.csv"
    journal = out.with_name("pairs.csv.journal")
    process = start(dump_path, out, "--jobs", "2")
    wait_until(
        process, lambda: journal_records(journal) >= 3 and len(descendants(process.pid)) >= 3
    )
    for worker in descendants(process.pid):  # as the kernel's out-of-memory killer would
        with contextlib.suppress(OSError):
            if b"resource_tracker" not in Path(f"/proc/{worker}/cmdline").read_bytes():
                os.kill(worker, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the run finished before the workers were killed")
    assert process.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    [line] = lines
    assert line.startswith("error: a worker process died in the middle of a task")
    assert line.endswith(
        f"; finished documents are kept in {journal}, rerun with --resume to continue"
    )
    assert not out.exists() and journal_records(journal) >= 3  # resumed as after Ctrl-C


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated (SIGTERM)")],
    ids=["ctrl-c", "sigterm"],
)
def test_ctrl_c_or_sigterm_is_one_line_keeps_the_journal_and_resume_finishes(
    tmp_path, dump, sig, code, said
):
    dump_path, reference, _ = dump
    out = tmp_path / "pairs.csv"
    journal = out.with_name("pairs.csv.journal")
    process = start(dump_path, out, "--jobs", "2")
    wait_until(process, lambda: journal_records(journal) >= 3)
    _, stderr = stop(process, sig)  # the whole group, as a terminal's Ctrl-C or a shutdown
    if process.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        f"error: {said}; no output was written; finished documents are kept in {journal}, "
        "rerun with --resume to continue"
    ]
    assert not out.exists() and journal_records(journal) >= 3
    if sig == signal.SIGINT:  # the same journal either way: resumed once
        resumed = run_cli(*run_args(dump_path, out, "--resume"))
        assert resumed.returncode == 0 and out.read_bytes() == reference


def test_a_second_run_on_the_same_output_stops_at_once_naming_the_first(tmp_path, dump):
    dump_path, reference, reference_rest = dump
    out = tmp_path / "pairs.csv"
    # The first run reads stdin from a pipe kept open, so it provably holds the output while
    # the second starts: a run on a file could finish first on a busy machine.
    first = subprocess.Popen(
        aligner_args(*run_args("-", out)),
        cwd=ROOT,
        env=cli_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    lock = out.with_name("pairs.csv.lock")
    wait_until(first, lambda: lock.exists() and lock.read_text().strip() == str(first.pid))
    assert first.poll() is None
    second = run_cli(*run_args(dump_path, out), timeout=60)
    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == [
        f"error: {out}: another run (pid {first.pid}) is writing this output (lock {out}.lock); "
        "wait for it to end or choose another -o"
    ]
    first.communicate(dump_path.read_bytes(), timeout=240)
    assert first.returncode == 0
    # the same rows as the reference run on the file; only the source column says <stdin>
    columns = ["doc_id", "src_text", "tgt_text", "score"]
    written = pd.read_csv(out, keep_default_na=False)[columns]
    expected = pd.read_csv(io.BytesIO(reference), keep_default_na=False)[columns]
    assert written.equals(expected)
    assert len((tmp_path / "rest.csv").read_bytes().splitlines()) == len(
        reference_rest.splitlines()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv", "rest.csv"]


def test_a_plain_rerun_also_finishes_the_job(tmp_path, dump):
    dump_path, reference, _ = dump
    out = tmp_path / "pairs.csv"
    process = start(dump_path, out)
    wait_until(process, lambda: journal_records(out.with_name("pairs.csv.journal")) >= 3)
    stop(process, signal.SIGKILL)
    again = run_cli(*run_args(dump_path, out))
    assert again.returncode == 0 and out.read_bytes() == reference
    assert "resumed" not in again.stderr


# The journal's own checks, in process.


def _run(tmp_path, docs_path, resume=True, langs=("es", "en"), rest="rest.csv"):
    outputs = Outputs(str(tmp_path / "pairs.csv"), unaligned=rest and tmp_path / rest)
    return run_dump(
        [str(docs_path)], outputs, RunConfig(langs=langs), SequentialExecutor(), resume=resume
    )


def test_the_outputs_of_one_run_carry_its_id_and_an_interrupt_between_them_says_so(
    tmp_path, monkeypatch
):
    import aligner.run.runner

    dump_path = make_dump(tmp_path / "in", 6)
    outputs = Outputs(str(tmp_path / "pairs.csv"), unaligned=tmp_path / "rest.csv")
    config = RunConfig(langs=("es", "en"))
    run_dump([str(dump_path)], outputs, config, SequentialExecutor())
    first = _run_ids(tmp_path)
    assert len(first) == 1  # the pairs and the unaligned table name the same run
    make_dump(tmp_path / "in", 5)  # other inputs: another run, another id
    write_table = aligner.run.runner.write_table_lines  # a CSV unaligned table

    def interrupted_at_the_second_table(chunks, columns, target, signature):
        if str(target).endswith("rest.csv"):
            raise KeyboardInterrupt  # Ctrl-C after the pairs table was renamed
        return write_table(chunks, columns, target, signature)

    monkeypatch.setattr(aligner.run.runner, "write_table_lines", interrupted_at_the_second_table)
    with pytest.raises(InterruptedRun) as stopped:
        run_dump([str(dump_path)], outputs, config, SequentialExecutor())
    journal = tmp_path / "pairs.csv.journal"
    assert str(stopped.value) == (
        f"interrupted while writing the outputs: {tmp_path / 'pairs.csv'} written, not the "
        f"others; finished documents are kept in {journal}, rerun with --resume to write them all"
    )
    assert len(_run_ids(tmp_path)) == 2 and journal.exists()  # a torn set, and it shows
    monkeypatch.undo()
    run_dump([str(dump_path)], outputs, config, SequentialExecutor(), resume=True)
    assert len(_run_ids(tmp_path)) == 1 and not journal.exists()


def _run_ids(folder: Path) -> set[str]:
    signatures = set()
    for name in ("pairs.csv", "rest.csv"):
        signatures |= set(pd.read_csv(folder / name)["signature"])
    return {signature.rpartition("|run:")[2] for signature in signatures}


def test_a_torn_last_record_is_cut_and_redone(tmp_path):
    dump_path = make_dump(tmp_path / "in", 6)
    _run(tmp_path, dump_path, resume=False)
    reference = (tmp_path / "pairs.csv").read_bytes()
    journal = tmp_path / "pairs.csv.journal"
    # A journal as a kill leaves it: run again but keep the journal, then tear the closing
    # line of the fourth document, after its rows
    lines = _journal_of(tmp_path, dump_path)
    fourth = _closing_lines(lines)[3]
    assert fourth > _closing_lines(lines)[2] + 1  # the document has rows before its closing line
    torn = "".join(lines[:fourth]) + lines[fourth][: len(lines[fourth]) // 2]
    journal.write_text(torn, encoding="utf-8")
    summary = _run(tmp_path, dump_path)
    assert summary.resumed == 3 and summary.totals.documents == 6
    assert (tmp_path / "pairs.csv").read_bytes() == reference


def _closing_lines(lines: list[str]) -> list[int]:
    """Indices of the journal lines that close a document."""
    return [i for i, line in enumerate(lines) if i and line.startswith('{"key": ')]


def _journal_of(tmp_path, dump_path, rest="rest.csv") -> list[str]:
    """The journal lines a complete run writes (the run removes its journal at the end)."""
    from aligner.run.journal import Journal

    kept: list[str] = []
    original = Journal.remove
    Journal.remove = lambda self: kept.extend(
        self.path.read_text(encoding="utf-8").splitlines(keepends=True)
    )
    try:
        _run(tmp_path / "copy", dump_path, resume=False, rest=rest)
    finally:
        Journal.remove = original
    return kept


def test_resume_refuses_a_journal_of_other_settings_or_other_inputs(tmp_path):
    dump_path = make_dump(tmp_path / "in", 6)
    lines = _journal_of(tmp_path, dump_path)
    journal = tmp_path / "pairs.csv.journal"
    journal.write_text("".join(lines[:3]), encoding="utf-8")
    with pytest.raises(ResumeError, match="other settings"):
        _run(tmp_path, dump_path, langs=("en", "es"))
    # the refused journal is the earlier run's work: kept for a resume with the right settings
    assert journal.read_text(encoding="utf-8") == "".join(lines[:3])
    header = json.loads(lines[0])
    record = json.loads(lines[_closing_lines(lines)[0]])
    record["key"] = "0" * 32  # as if the first document had changed since
    journal.write_text(json.dumps(header) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ResumeError, match="inputs changed"):
        _run(tmp_path, dump_path)
    journal.write_text("".join(lines[:3]), encoding="utf-8")
    with pytest.raises(ResumeError) as other_table:  # the journal holds no rows for a TSV
        _run(tmp_path, dump_path, rest="rest.tsv")
    assert str(other_table.value) == (
        f"{journal}: the interrupted run kept its unaligned rows as the lines of a plain CSV "
        "table, this one needs them as rows, for another format or --excel-safe; rerun with "
        "its --unaligned-out, or without --resume to start over"
    )
    assert journal.read_text(encoding="utf-8") == "".join(lines[:3])  # kept, as above
    journal.write_text("".join(lines), encoding="utf-8")
    dump_lines = dump_path.read_text(encoding="utf-8").splitlines(keepends=True)
    dump_path.write_text("".join(dump_lines[:2]), encoding="utf-8")  # the dump lost documents
    with pytest.raises(ResumeError, match="holds 6 documents but the inputs have only 2"):
        _run(tmp_path, dump_path)


@pytest.mark.parametrize(
    ("rest", "row_start"),
    [
        ("rest.csv", '["unaligned-csv", "key,'),
        ("rest.jsonl", '["unaligned", "key"'),
        (None, '["pairs", "key"'),  # no unaligned table: its rows are not kept
    ],
    ids=["csv lines", "rows", "none"],
)
def test_rows_holding_the_word_key_are_not_taken_for_closing_lines(tmp_path, rest, row_start):
    # a row is a JSON array of its values (or of CSV lines): a document id or a text "key" is a
    # value, not the closing line's field
    dump_path = tmp_path / "in" / "dump.jsonl"
    dump_path.parent.mkdir()
    texts = [f"key\n{SEED_ES}\n{SEED_EN}", "key", f"{SEED_ES}\n{SEED_EN}\nkey"]
    dump_path.write_text(
        "".join(json.dumps({"id": ["key", "other", "third"][i], "text": t}) + "\n"
                for i, t in enumerate(texts)),
        encoding="utf-8",
    )  # fmt: skip
    _run(tmp_path, dump_path, resume=False, rest=rest)
    reference = (tmp_path / "pairs.csv").read_bytes()
    reference_rest = rest and (tmp_path / rest).read_bytes()
    assert reference.count(b"\nkey,") == 1  # the first document's pair
    lines = _journal_of(tmp_path, dump_path, rest)
    closing = _closing_lines(lines)
    assert len(closing) == 3 and any(line.startswith(row_start) for line in lines)
    assert rest or not any(line.startswith('["unaligned') for line in lines)
    journal = tmp_path / "pairs.csv.journal"
    journal.write_text("".join(lines[: closing[1] + 1]), encoding="utf-8")
    summary = _run(tmp_path, dump_path, rest=rest)
    assert summary.resumed == 2 and summary.totals.documents == 3
    assert (tmp_path / "pairs.csv").read_bytes() == reference
    assert not rest or (tmp_path / rest).read_bytes() == reference_rest
