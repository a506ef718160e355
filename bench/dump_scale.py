"""A dump at scale: engines, one file or many, and one document on one line.

python bench/dump_scale.py [--out FILE.md] [--size-mb 3] [--share 5] [--files 300]
                           [--engines one,jobs2,dask2] [--one-line-mb 20]

The dump is ``dump_speed.py``'s (English articles, a share of them holding a real captions-dev
Spanish caption and its English translation), at ``--size-mb``. This checkout's ``aligner run
--langs es,en --no-cache`` runs it:

- as one file with each engine: one process, ``--jobs 2`` (local worker processes), and Dask
  on a real cluster the benchmark starts (a scheduler and two single-thread worker processes on
  127.0.0.1, ``--engine dask --scheduler ADDRESS``);
- split into ``--files`` JSONL files in a folder (same documents, same order), one process.

Each run is a fresh process; wall time includes start-up and model loading. Peak RSS is the
largest sum, sampled every 50 ms, over the run's process tree and the Dask cluster's processes.
Every table is compared with the one-process run on one file (the ``signature`` column aside,
and for the folder the ``source`` column, which names each file). ``--one-line-mb`` also runs a
document of that many MB on one line (English sentences joined by spaces): peak RSS and time,
with the floor (reading, segmenting and labelling it) measured alone.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
from _common import REPO, bench_dir, stamp, write_section
from dump_speed import (
    LANGS,
    caption_pairs,
    compiled,
    english_sentences,
    recall_precision,
    run_child,
    scored,
    write_dump,
)
from scale_bench import measured

ENGINES = {
    "one": ("one process", []),
    "jobs2": ("--jobs 2", ["--jobs", "2"]),
    "dask2": ("Dask: scheduler + 2 workers on 127.0.0.1", None),
}
DASK_WORKERS = 2


def split_dump(dump: Path, files: int, folder: Path) -> Path:
    """The dump's lines in ``files`` files (at most one per document) of consecutive documents,
    as even as can be, named in input order."""
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    folder.mkdir(parents=True, exist_ok=True)
    files = min(files, len(lines))
    edges = [round(number * len(lines) / files) for number in range(files + 1)]
    for number, (start, end) in enumerate(itertools.pairwise(edges)):
        part = "".join(lines[start:end])
        (folder / f"part-{number:04d}.jsonl").write_text(part, encoding="utf-8")
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def dask_cluster(workers: int) -> Iterator[tuple[str, list[psutil.Process]]]:
    """A Dask scheduler and ``workers`` worker processes (one thread each) on 127.0.0.1,
    running this checkout's aligner: (address, their processes)."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"

    def spawn(*args: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    processes = [
        spawn("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--no-dashboard"),
        *[
            spawn("distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                  "--no-dashboard")
            for _ in range(workers)
        ],
    ]  # fmt: skip
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, [psutil.Process(p.pid) for p in processes]
    finally:
        for process in processes:
            process.kill()
            process.wait()


def tables_of(out: Path, drop: tuple[str, ...]) -> list[str]:
    """The lines of a run's pair and unaligned tables without the columns ``drop``."""
    from aligner.export import read_table

    lines = []
    for path in (out, unaligned_of(out)):
        table, _ = read_table(path)
        lines += table.drop(columns=list(drop), errors="ignore").to_csv(index=False).splitlines()
    return lines


def unaligned_of(out: Path) -> Path:
    return out.with_name(out.stem + "-unaligned.csv")


def run_dump(
    inputs: Path, engine: str, out: Path, gold: list[tuple[str, str, str]]
) -> dict[str, float]:
    """One ``aligner run`` of ``inputs`` with ``engine``: wall s, peak MB, pairs."""
    rest = unaligned_of(out)
    command = [sys.executable, "-m", "aligner", "run", str(inputs), "--langs", LANGS]
    command += ["--no-cache", "-o", str(out), "--unaligned-out", str(rest)]
    extra = ENGINES[engine][1]
    cluster = dask_cluster(DASK_WORKERS) if extra is None else contextlib.nullcontext(None)
    with cluster as started:
        also: list[psutil.Process] = []
        if started is not None:
            address, also = started
            extra = ["--engine", "dask", "--scheduler", address]
        wall, peak, _ = measured([*command, *extra], also=also)
    found, correct, inserted = scored(out, gold)
    return {"wall": wall, "peak": peak, "found": found, "correct": correct, "inserted": inserted}


def one_line_document(sentences: list[str], megabytes: float, path: Path) -> None:
    text, size, number = [], 0, 0
    while size < megabytes * 2**20:
        sentence = sentences[number % len(sentences)]
        text.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
        number += 1
    path.write_text(" ".join(text) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--bench-dir")
    parser.add_argument("--size-mb", type=float, default=3.0)
    parser.add_argument("--share", type=float, default=5.0, help="per cent with a caption")
    parser.add_argument("--files", type=int, default=300, help="0: no many-file run")
    parser.add_argument("--engines", default="one,jobs2,dask2", help=", ".join(ENGINES))
    parser.add_argument("--one-line-mb", type=float, default=20.0, help="0: none")
    parser.add_argument("--keep", help="write the dumps and outputs here instead of a temp dir")
    args = parser.parse_args()
    data = bench_dir(args.bench_dir)
    sentences = english_sentences(data)
    engines = [e for e in args.engines.split(",") if e]
    if engines[:1] != ["one"]:
        sys.exit("--engines must start with 'one': the other runs are compared with it")
    rows: list[str] = []
    load = os.getloadavg()[0]  # other work on the machine slows the runs that need both cores
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        dump = folder / "dump.jsonl"
        gold = write_dump(dump, sentences, caption_pairs(data), args.share / 100,
                          int(args.size_mb * 2**20))  # fmt: skip
        documents = sum(1 for _ in dump.open(encoding="utf-8"))
        megabytes = dump.stat().st_size / 2**20
        runs = [("one file", dump, engine) for engine in engines]
        if args.files > 1:
            many = split_dump(dump, args.files, folder / "files")
            runs.append((f"{args.files} files", many, "one"))
        reference: dict[tuple[str, ...], list[str]] = {}
        for number, (layout, inputs, engine) in enumerate(runs):
            out = folder / f"run-{number}.csv"
            f = run_dump(inputs, engine, out, gold)
            print(layout, engine, f, file=sys.stderr, flush=True)
            drop = ("signature",) if layout == "one file" else ("signature", "source")
            if not number:
                kinds = [("signature",), ("signature", "source")]
                reference = {kind: tables_of(out, kind) for kind in kinds}
                same = "(reference)"
            else:
                same = "yes" if tables_of(out, drop) == reference[drop] else "**no**"
            recall, precision = recall_precision(f)
            rows.append(
                f"| {layout} | {ENGINES[engine][0]} | {documents:,} | {f['wall']:.1f} "
                f"| {documents / f['wall']:.1f} | {f['peak']:.0f} | {f['found']:.0f} "
                f"| {recall:.3f} | {precision:.3f} | {same} |"
            )
        line_rows = []
        if args.one_line_mb:
            text = folder / "one-line.txt"
            one_line_document(sentences, args.one_line_mb, text)
            size = text.stat().st_size / 2**20
            pycache = folder / "pycache"  # compiled as an installed package has it
            compiled(REPO, pycache)
            floor_s, _, floor_rss, floor = run_child("floor", REPO, pycache, str(text))
            run_args = [str(text), "--langs", LANGS, "--no-cache", "-o", str(folder / "line.csv")]
            run_args += ["--unaligned-out", str(folder / "line-unaligned.csv")]
            run_s, _, run_rss, _ = run_child("run", REPO, pycache, *run_args)
            line_rows.append(
                f"| {size:.1f} MB, one line | {floor['segments']:,} | {floor_s:.1f} "
                f"| {floor_rss:.0f} | {run_s:.1f} | {run_rss:.0f} |"
            )
    command = "python bench/dump_scale.py " + " ".join(sys.argv[1:])
    lines = [
        f"## Dump at scale, {megabytes:.0f} MB: engines, one file or many, one document on one "
        "line",
        "",
        stamp(command.strip()),
        "",
        f"Load average at start: {load:.1f} (compare the rows with each other).",
        "",
        f"The dump of `dump_speed.py` at {megabytes:.1f} MB ({documents:,} documents, "
        f"{args.share:g} % of them with a caption pair), `aligner run --langs es,en --no-cache` "
        "in a fresh process (wall time includes start-up and model loading). Peak RSS: the "
        "largest sum over the run's processes and, for Dask, the scheduler and workers the "
        "benchmark started. Identical: pair and unaligned tables equal to the one-process run "
        "on one file (signature column aside; for the folder also `source`, which names each "
        "file).",
        "",
        "| layout | engine | documents | wall s | documents/s | peak RSS MB | pairs found "
        "| recall | precision | identical |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    if line_rows:
        lines += [
            "",
            "One document on one line (English sentences joined by spaces): the floor is "
            "reading, segmenting and labelling it alone (`langid.lines.segment_document`); the run "
            "is `aligner run --langs es,en --no-cache` with both tables written. Peak RSS of "
            "each process.",
            "",
            "| document | segments | floor s | floor peak MB | run s | run peak MB |",
            "|---|---|---|---|---|---|",
            *line_rows,
        ]
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
