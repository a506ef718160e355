"""Scaling out: documents/s with 1 and 2 local workers and on Dask, the engines' fixed cost, and
peak memory on a large dump.

python bench/scale_bench.py [--out FILE.md] [--documents 2000] [--repeats 2] [--big-mb 200]

The dump is generated from real text: the seed article's paragraphs and the captions-dev
documents (../shared/bench/captions-dev, read now, never copied into the repository) recombined
into articles. Each configuration is a real ``aligner run`` process; its time includes start-up
(imports, worker processes, the model), which is also measured alone on a one-document dump.
Memory is the peak resident size of the whole process tree (workers included), sampled every
50 ms. The large dump is aligned by a stand-in per-document function (one unaligned segment per
line, no language detection or encoder), which keeps every part whose memory could grow with the
dump (reading, the executor's window, the journal, the table writer) and makes hundreds of MB
take minutes instead of hours.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psutil
from _common import REPO, bench_dir, stamp, write_section

SEED = REPO / "seeds" / "000_99d82873baad0043.txt"
CONFIGS = {
    "plain (local, 1 process)": [],
    "local, --jobs 2": ["--jobs", "2"],
    "dask LocalCluster, 1 worker": ["--engine", "dask", "--jobs", "1"],
    "dask LocalCluster, 2 workers": ["--engine", "dask", "--jobs", "2"],
}
SAMPLE_S = 0.05


def articles(bench: Path, count: int, seed: int = 0) -> list[dict[str, str]]:
    """Articles of 2-4 seed paragraphs around one captions-dev document (its captions keep
    their layout), in a seeded random order."""
    rng = random.Random(seed)
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    docs_path = bench / "captions-dev" / "docs.jsonl"
    captions = [
        json.loads(line)["text"]
        for line in docs_path.read_text(encoding="utf-8").split("\n")
        if line
    ]
    out = []
    for number in range(count):
        body = rng.sample(paragraphs, rng.randint(2, 4))
        body.insert(rng.randint(0, len(body)), captions[number % len(captions)])
        out.append({"id": f"a{number:06d}", "text": "\n".join(body)})
    return out


def write_jsonl(path: Path, records: list[dict[str, str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def measured(
    command: list[str], also: Sequence[psutil.Process] = (), tree: Path = REPO
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds and peak RSS (MB) of the process tree of ``command``, with ``also`` (a Dask
    cluster's processes) counted in; ``tree``'s aligner is the one run."""
    start = time.perf_counter()
    # This checkout's aligner, whatever the environment has installed.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):  # a process may end while it is sampled
            for proc in [root, *root.children(recursive=True), *also]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
        peak = max(peak, total)
        time.sleep(SAMPLE_S)
    wall = time.perf_counter() - start
    stdout, stderr = process.communicate()
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{stderr}")
    return wall, peak / 2**20, done


def aligner(*args: object) -> list[str]:
    return [sys.executable, "-m", "aligner", "run", *map(str, args), "--langs", "es,en"]


def scaling(work: Path, bench: Path, documents: int, repeats: int) -> list[str]:
    dump = work / "dump.jsonl"
    size = write_jsonl(dump, articles(bench, documents))
    one = work / "one.jsonl"
    write_jsonl(one, articles(bench, 1))
    small = work / "small.jsonl"
    write_jsonl(small, articles(bench, documents // 4))
    walls: dict[str, list[float]] = {name: [] for name in CONFIGS}
    startups: dict[str, list[float]] = {name: [] for name in CONFIGS}
    peaks: dict[str, float] = dict.fromkeys(CONFIGS, 0.0)
    outputs: dict[str, bytes] = {}
    # Rounds interleave the configurations, so a burst of load from other jobs on a shared
    # machine hits them alike; the best round is the least disturbed.
    for _ in range(repeats):
        for number, (name, extra) in enumerate(CONFIGS.items()):
            startup, _, _ = measured([*aligner(one, "-o", work / "one.csv"), *extra])
            out = work / f"{number}.csv"
            wall, rss, _ = measured([*aligner(dump, "-o", out), *extra])
            walls[name].append(wall)
            startups[name].append(startup)
            peaks[name] = max(peaks[name], rss)
            outputs[name] = out.read_bytes()
    plain = next(iter(CONFIGS))
    rows = []
    for name in CONFIGS:
        best, worst = min(walls[name]), max(walls[name])
        speedup = min(walls[plain]) / best
        same = "yes" if outputs[name] == outputs[plain] else "**no**"
        rows.append(
            f"| {name} | {best:.1f} / {worst:.1f} | {documents / best:.1f} | {speedup:.2f} "
            f"| {min(startups[name]):.1f} | {peaks[name]:,.0f} | {same} |"
        )
    small_wall, small_rss, _ = measured(aligner(small, "-o", work / "small.csv"))
    return [
        f"Dump: {documents:,} articles, {size / 2**20:.1f} MB of JSONL (seed paragraphs and "
        f"captions-dev documents recombined); {repeats} interleaved rounds.",
        "",
        "| configuration | wall s, best / worst | documents/s (best) | vs plain (best) "
        "| start-up s (1 document) | peak RSS MB (all processes) | output identical to plain |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Growth with the dump: the plain run peaked at {small_rss:,.0f} MB on "
        f"{documents // 4:,} articles ({small_wall:.1f} s) against {peaks[plain]:,.0f} MB on "
        f"{documents:,}.",
    ]


def stand_in_run(inputs: list[str], out: str) -> None:
    """Run ``run_dump`` with the stand-in per-document function (see the module docstring)."""
    from aligner import segment
    from aligner.captions import aligner as captions
    from aligner.records import DocumentResult, Segment
    from aligner.run.executors import SequentialExecutor
    from aligner.run.runner import Outputs, run_dump

    def one_segment_per_line(self: captions.CaptionAligner, document: object) -> DocumentResult:
        text = document.text  # type: ignore[attr-defined]
        segments = [
            Segment(document.doc_id, i, start, end, text[start:end], number)  # type: ignore[attr-defined]
            for i, (number, start, end) in enumerate(segment.lines(text))
        ]
        return DocumentResult(document.doc_id, segments, document.source, [], segments)  # type: ignore[attr-defined]

    captions.CaptionAligner.align = one_segment_per_line  # type: ignore[method-assign]
    outputs = Outputs(out, unaligned=Path(out + ".rest.csv"))
    config = captions.RunConfig(langs=("es", "en"))
    summary = run_dump(inputs, outputs, config, SequentialExecutor())
    print(summary.totals.documents, summary.totals.unaligned)


def big_dump(work: Path, bench: Path, megabytes: int) -> list[str]:
    base = articles(bench, 2000, seed=1)
    per_file = max(1, int(2**20 / (sum(len(a["text"]) for a in base) / len(base))))
    many = work / "big-many"
    total = 0
    number = 0
    while total < megabytes * 2**20:
        records = [
            {"id": f"b{number}-{i}", "text": base[(number * per_file + i) % len(base)]["text"]}
            for i in range(per_file)
        ]
        total += write_jsonl(many / f"part-{number:04d}.jsonl", records)
        number += 1
    single = work / "big-single.jsonl"
    with single.open("w", encoding="utf-8") as stream:
        for part in sorted(many.glob("*.jsonl")):
            stream.write(part.read_text(encoding="utf-8"))
    rows = []
    for name, target in [(f"{number} files of about 1 MB", many), ("one file", single)]:
        out = work / f"big-{target.stem}.csv"
        wall, rss, done = measured(
            [sys.executable, __file__, "--stand-in-run", str(target), str(out)]
        )
        docs, segments = done.stdout.split()
        rows.append(f"| {name} | {int(docs):,} | {int(segments):,} | {wall:.0f} | {rss:,.0f} |")
    return [
        f"Large dump: {total / 2**20:.0f} MB of JSONL, the stand-in per-document function "
        "(reading, journal and table writing are the real ones):",
        "",
        "| layout | documents | rows written | wall s | peak RSS MB |",
        "|---|---|---|---|---|",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--bench-dir")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--stand-in-run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stand_in_run:
        stand_in_run([args.stand_in_run[0]], args.stand_in_run[1])
        return
    bench = bench_dir(args.bench_dir)
    command = "python bench/scale_bench.py " + " ".join(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="aligner-scale-") as folder:
        work = Path(folder)
        lines = [
            "## Scaling out (local workers, Dask)",
            "",
            stamp(command),
            "",
            f"Load average at start: {os.getloadavg()[0]:.1f} (other jobs shared these cores; "
            "compare the rows with each other rather than with other sections).",
            "",
            *scaling(work, bench, args.documents, args.repeats),
            "",
            *big_dump(work, bench, args.big_mb),
        ]
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
