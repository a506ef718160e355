"""Speed of ``aligner run`` on dumps that look real: English articles, a share holding a caption.

python bench/dump_speed.py [--out FILE.md] [--size-mb 3] [--shares 0,5,50] [--baseline REV]
                           [--repeat 3] [--floors-only]

Generates JSONL dumps of English articles of 8-15 sentences (consecutive sentences of MAC-Dev's
English side, the Bible's English side in ../shared/bench and the English pages of
bench/real/monolingual, one to three sentences a paragraph, one paragraph a line), about
``--size-mb`` MB each. In a share of the documents (0 %, 5 %, 50 %) a real Spanish caption and its
English translation (captions-dev's gold pairs) sit on two lines of their own at a random
paragraph break. The articles are the same at every share; only the captions differ.

Each dump is run, side by side in one run of this script, through two source trees: the
baseline (``--baseline``, by default main before issue #20, extracted with ``git archive``) and
this checkout. For each it measures, in a fresh process (wall time includes start-up and model
loading): ``aligner run --langs es,en --no-cache`` (documents/s, segments/s, texts embedded per
document, peak RSS, pair recall and precision against the inserted pairs) and the floor: the
same documents read, segmented and labelled (``langid.lines.segment_document``, outsider check
included) and nothing else. Each of these is timed ``--repeat`` times, the trees taking turns,
and the fastest attempt is kept. A predicted pair counts when it is in the document the caption was
inserted into and both texts equal the inserted ones. Deterministic (seed 0).

Every process runs with each tree's modules compiled beforehand (``compileall``, into a bytecode
cache in the temporary folder, ``PYTHONPYCACHEPREFIX``), as an installed package has them: with
``PYTHONDONTWRITEBYTECODE`` set, as on the machine these figures come from, each process would
compile the modules it imports anew (a run 84 of them, about 0.5 billion instructions).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _common import REPO, bench_dir, stamp, write_section

BASELINE = "cd769a4f36ee40c6c449af7a30daba952cbd44e4"
"""main when issue #20 was opened: every segment of every document is embedded."""
LANGS = "es,en"
MIN_SENTENCES, MAX_SENTENCES = 8, 15
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def english_sentences(data: Path) -> list[str]:
    """English sentences in reading order, one source after another."""
    sentences: list[str] = []
    for path in sorted((data / "mac-dev" / "en").iterdir()):
        sentences += path.read_text(encoding="utf-8").splitlines()
    sentences += (data / "bible-en-zh" / "en" / "001").read_text(encoding="utf-8").splitlines()
    for path in sorted((REPO / "bench" / "real" / "monolingual" / "en").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += _SENTENCE_END.split(line)
    return [s.strip() for s in sentences if len(s.split()) >= 3]


def caption_pairs(data: Path) -> list[tuple[str, str]]:
    """(Spanish, English) caption pairs of captions-dev, as written in its dumps."""
    rows = (data / "captions-dev" / "gold_pairs.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    es, en = header.index("es_text"), header.index("en_text")
    return [(fields[es], fields[en]) for fields in (row.split("\t") for row in rows[1:])]


def articles(sentences: list[str], rng: random.Random) -> Iterator[list[str]]:
    """Articles as lists of paragraphs: runs of consecutive sentences, endlessly (the pool read
    again from another place when it runs out)."""
    position = 0
    while True:
        count = rng.randint(MIN_SENTENCES, MAX_SENTENCES)
        if position + count > len(sentences):
            position = rng.randrange(MAX_SENTENCES)
        run = sentences[position : position + count]
        position += count
        paragraphs = []
        while run:
            size = rng.randint(1, 3)
            paragraphs.append(" ".join(run[:size]))
            run = run[size:]
        yield paragraphs


def write_dump(
    path: Path,
    sentences: list[str],
    captions: list[tuple[str, str]],
    share: float,
    size_bytes: int,
) -> list[tuple[str, str, str]]:
    """Write the dump; returns the inserted pairs as (doc_id, Spanish, English)."""
    text_rng, caption_rng = random.Random(0), random.Random(1)
    gold = []
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for number, paragraphs in enumerate(articles(sentences, text_rng)):
            if written >= size_bytes:
                break
            doc_id = f"article-{number:06d}"
            place = caption_rng.randint(0, len(paragraphs))
            if caption_rng.random() < share:
                es, en = caption_rng.choice(captions)
                paragraphs = [*paragraphs[:place], es, en, *paragraphs[place:]]
                gold.append((doc_id, es, en))
            line = json.dumps({"id": doc_id, "text": "\n".join(paragraphs)}, ensure_ascii=False)
            handle.write(line + "\n")
            written += len(line.encode("utf-8")) + 1
    return gold


def source_tree(revision: str, folder: Path) -> Path:
    """The ``aligner`` package of ``revision`` under ``folder`` (``git archive``)."""
    archive = folder / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), revision, "aligner"], check=True
    )
    root = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    return root


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of the measured processes: bytecode read from and written to
    ``pycache``, whatever the caller's environment says."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def compiled(tree: Path, pycache: Path) -> None:
    """Compile ``tree``'s package into ``pycache``, as installing it would."""
    command = [sys.executable, "-m", "compileall", "-q", str(tree / "aligner")]
    subprocess.run(command, env=child_env(pycache), check=True, stdout=subprocess.DEVNULL)


def run_child(mode: str, tree: Path, pycache: Path, *args: str) -> tuple[float, float, float, dict]:
    """Run this script in ``mode`` with ``tree``'s aligner: wall s, CPU s, peak MB and its JSON
    report. CPU time is what the process and its children (the encoder process) used: on a
    machine shared with other work, wall time also counts the waits for a core. The peak is
    the largest sum of the RSS of the process and its children, sampled every 50 ms (a forked
    child's ru_maxrss starts at its parent's size, which is this script's, not the run's)."""
    import psutil

    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        command = [sys.executable, __file__, "--child", mode, str(tree), report.name, *args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env(pycache)
        )
        watched, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):  # it may end while it is sampled
                processes = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in processes))
            time.sleep(0.05)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{stderr}")
        found = json.loads(Path(report.name).read_text(encoding="utf-8"))
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, peak / 2**20, found


def child(mode: str, tree: str, report: str, args: list[str]) -> None:
    """In a fresh process: the floor or a whole run with ``tree``'s aligner, counting the texts
    the encoder embeds; writes a JSON report."""
    sys.path.insert(0, tree)
    import aligner

    assert Path(aligner.__file__).resolve().is_relative_to(Path(tree).resolve()), aligner.__file__
    from aligner.embed.usem3 import USEM3Encoder

    embedded = [0]
    encode = USEM3Encoder.encode

    def counting(self: USEM3Encoder, texts: list[str]):
        embedded[0] += len(texts)
        return encode(self, texts)

    USEM3Encoder.encode = counting  # type: ignore[method-assign]
    try:  # the texts sent to the encoder process, which counts nothing this process sees
        from aligner.run.encoder_process import EncoderProcess

        submit = EncoderProcess.submit

        def counting_submit(self: EncoderProcess, texts: list[str]):
            embedded[0] += len(texts)
            return submit(self, texts)

        EncoderProcess.submit = counting_submit  # type: ignore[method-assign]
    except ImportError:  # the baseline has none
        pass
    found: dict[str, float] = {}
    if mode == "floor":
        from aligner.langid import load_detector
        from aligner.langid.outsiders import OutsiderCheck
        from aligner.read import read_inputs

        try:
            from aligner.langid.lines import segment_document
        except ImportError:  # the baseline, before the package layout of issue 18
            from aligner.pipeline import segment_document  # type: ignore[no-redef]

        langs = tuple(LANGS.split(","))
        detector = load_detector()
        outsiders = OutsiderCheck(detector, langs)
        documents = segments = 0
        for document in read_inputs(args):
            documents += 1
            segments += len(segment_document(document, langs, detector, True, outsiders))
        found = {"documents": documents, "segments": segments}
    else:
        from aligner.cli import app

        try:
            app(["run", *args], standalone_mode=False)
        finally:
            found = {"embedded": embedded[0]}
    Path(report).write_text(json.dumps(found), encoding="utf-8")


def scored(pairs_csv: Path, gold: list[tuple[str, str, str]]) -> tuple[int, int, int]:
    """(pairs found, of them correct, inserted)."""
    from aligner.export import read_table

    table, _ = read_table(pairs_csv)
    expected = {(doc, " ".join(es.split()), " ".join(en.split())) for doc, es, en in gold}
    found = [
        (str(row.doc_id), " ".join(str(row.src_text).split()), " ".join(str(row.tgt_text).split()))
        for row in table.itertuples()
    ]
    return len(found), sum(pair in expected for pair in found), len(expected)


def recall_precision(figures: dict[str, float]) -> tuple[float, float]:
    """Recall and precision of a run's pairs against the inserted ones (nan when undefined)."""
    correct, inserted, found = figures["correct"], figures["inserted"], figures["found"]
    return (
        correct / inserted if inserted else float("nan"),
        correct / found if found else float("nan"),
    )


def rows_of(path: Path) -> list[str]:
    """The table's lines without the signature column (it names the code's settings)."""
    from aligner.export import read_table

    table, _ = read_table(path)
    return table.drop(columns=["signature"], errors="ignore").to_csv(index=False).splitlines()


def measure(
    dump: Path,
    gold: list[tuple[str, str, str]],
    trees: dict[str, Path],
    folder: Path,
    pycache: Path,
    repeat: int,
    floors_only: bool = False,
) -> dict[str, dict[str, float]]:
    """Each tree's floor and run on ``dump``, each the fastest of ``repeat`` (wall time, with
    that attempt's CPU time and peak): on a shared machine the same floor took from 5.1 to
    7.2 s within ten minutes, and the fastest attempt is the one least slowed by other work."""
    figures: dict[str, dict[str, float]] = {name: {} for name in trees}
    ratios: dict[str, list[float]] = {name: [] for name in trees}
    # the trees take turns, each floor next to its run, so that the trees, and a floor and its
    # run, meet the same load on a shared machine
    for _ in range(repeat):
        for name, tree in trees.items():
            floor_wall, cpu, rss, floor = run_child("floor", tree, pycache, str(dump))
            if floor_wall < figures[name].get("floor_s", math.inf):
                figures[name].update(floor_s=floor_wall, floor_cpu=cpu, floor_rss=rss, **floor)
            if floors_only:
                continue
            out, rest = folder / f"{name}.csv", folder / f"{name}-unaligned.csv"
            run_args = [str(dump), "--langs", LANGS, "--no-cache", "-o", str(out)]
            wall, cpu, rss, run = run_child(
                "run", tree, pycache, *run_args, "--unaligned-out", str(rest)
            )
            if wall < figures[name].get("run_s", math.inf):
                figures[name].update(run_s=wall, run_cpu=cpu, run_rss=rss, **run)
            ratios[name].append(wall / floor_wall)
            print(name, dump.name, f"run {wall:.1f} s", file=sys.stderr, flush=True)
    if floors_only:
        return figures
    for name, paired in ratios.items():
        # the fastest run over the fastest floor can pair attempts that met different loads;
        # each run over the floor timed just before it cannot
        figures[name]["paired_ratio"] = statistics.median(paired)
    for name in trees:
        found, correct, inserted = scored(folder / f"{name}.csv", gold)
        figures[name].update(found=found, correct=correct, inserted=inserted)
    names = list(trees)
    if len(names) == 2:
        a, b = names
        same = all(
            rows_of(folder / f"{a}{suffix}.csv") == rows_of(folder / f"{b}{suffix}.csv")
            for suffix in ("", "-unaligned")
        )
        figures[b]["same_tables"] = float(same)
    return figures


def section(
    results: list[tuple[str, float, dict[str, dict[str, float]]]],
    command: str,
    repeat: int,
    title: str = "Dump speed: encode only what can pair",
) -> str:
    lines = [
        f"## {title}",
        "",
        stamp(command),
        "",
        "English articles of 8-15 sentences (MAC-Dev, the Bible, bench/real/monolingual: "
        "English sides only), JSONL; in a share of the documents a real Spanish caption "
        "(captions-dev) and its English translation on two lines at a random paragraph break. "
        "`aligner run --langs es,en --no-cache`, one process, each run in a fresh process (wall "
        "time includes start-up and model loading; the modules' bytecode compiled beforehand, as "
        "installed packages have it); the floor is reading, segmenting and "
        "labelling the same documents (`langid.lines.segment_document`, outsider check included). "
        f"`baseline` is main before issue #20 ({BASELINE[:7]}), `new` this checkout; both are run "
        "side by side here, taking turns; each figure is the fastest of "
        f"{repeat} attempts; run / floor, paired: the median over the attempts of each run's "
        "time over that of the floor timed just before it. CPU time (user + system) in "
        "brackets: the machine is "
        "shared, and wall time also counts waits for a core. Peak RSS: the floor's process; the "
        "run's processes summed (with the encoder process). Pairs: found / correct against the "
        "inserted pairs.",
        "",
        "| dump | code | docs | segments | floor s (CPU) | floor seg/s | run s (CPU) | docs/s "
        "| seg/s | run / floor (CPU) | run / floor, paired | embedded / doc "
        "| peak MB floor, run | pairs found | recall | precision |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for dump, megabytes, figures in results:
        for name, f in figures.items():
            recall, precision = recall_precision(f)
            lines.append(
                f"| {dump} ({megabytes:.1f} MB) | {name} | {f['documents']:,.0f} "
                f"| {f['segments']:,.0f} | {f['floor_s']:.1f} ({f['floor_cpu']:.1f}) "
                f"| {f['segments'] / f['floor_s']:,.0f} | {f['run_s']:.1f} ({f['run_cpu']:.1f}) "
                f"| {f['documents'] / f['run_s']:.1f} | {f['segments'] / f['run_s']:,.0f} "
                f"| {f['run_s'] / f['floor_s']:.2f} ({f['run_cpu'] / f['floor_cpu']:.2f}) "
                f"| {f['paired_ratio']:.2f} | {f['embedded'] / f['documents']:.2f} "
                f"| {f['floor_rss']:.0f}, {f['run_rss']:.0f} | {f['found']:.0f} "
                f"| {recall:.3f} | {precision:.3f} |"
            )
        if len(figures) == 2:
            (a, fa), (b, fb) = figures.items()
            same = "identical" if fb.get("same_tables") else "different"
            notes.append(
                f"- {dump}: {b} runs at {fa['run_s'] / fb['run_s']:.1f}x the documents/s of {a} "
                f"({fa['run_cpu'] / fb['run_cpu']:.1f}x in CPU time); its floor at "
                f"{fa['floor_s'] / fb['floor_s']:.1f}x ({fa['floor_cpu'] / fb['floor_cpu']:.1f}x); "
                f"pair and unaligned tables {same} (signature column aside)."
            )
    return "\n".join([*lines, "", *notes]) + "\n"


def floor_section(
    results: list[tuple[str, float, dict[str, dict[str, float]]]], command: str, repeat: int
) -> str:
    """The floors alone (``--floors-only``): at a size where start-up weighs little."""
    lines = [
        "## Dump speed: the labelling floor alone",
        "",
        stamp(command),
        "",
        "The dumps of the section above at another size; only the floor (reading, segmenting and "
        "labelling, in a fresh process), `baseline` and `new` taking turns, each figure the "
        f"fastest of {repeat} attempts. CPU time (user + system) in brackets.",
        "",
        "| dump | code | docs | segments | floor s (CPU) | floor seg/s | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    notes = []
    for dump, megabytes, figures in results:
        for name, f in figures.items():
            lines.append(
                f"| {dump} ({megabytes:.1f} MB) | {name} | {f['documents']:,.0f} "
                f"| {f['segments']:,.0f} | {f['floor_s']:.1f} ({f['floor_cpu']:.1f}) "
                f"| {f['segments'] / f['floor_s']:,.0f} | {f['floor_rss']:.0f} |"
            )
        if len(figures) == 2:
            (a, fa), (b, fb) = figures.items()
            speed = [
                fx["segments"] / fx[key] for fx in (fb, fa) for key in ("floor_s", "floor_cpu")
            ]
            notes.append(
                f"- {dump}: the floor of {b} runs at {speed[0] / speed[2]:.1f}x the segments/s "
                f"of {a}'s ({speed[1] / speed[3]:.1f}x per CPU second)."
            )
    return "\n".join([*lines, "", *notes]) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--bench-dir")
    parser.add_argument("--size-mb", type=float, default=3.0)
    parser.add_argument("--shares", default="0,5,50", help="per cent of documents with a caption")
    parser.add_argument("--baseline", default=BASELINE, help="git revision; 'none' to skip it")
    parser.add_argument("--keep", help="write the dumps and outputs here instead of a temp dir")
    parser.add_argument(
        "--repeat", type=int, default=3, help="attempts per measurement; the fastest is kept"
    )
    parser.add_argument("--floors-only", action="store_true", help="time the floors, not runs")
    parser.add_argument("--title", help="the section's heading, for a run beside the standard one")
    args = parser.parse_args()
    data = bench_dir(args.bench_dir)
    sentences, captions = english_sentences(data), caption_pairs(data)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        trees = {"new": REPO}
        if args.baseline != "none":
            trees = {"baseline": source_tree(args.baseline, folder), **trees}
        pycache = folder / "pycache"
        for tree in trees.values():
            compiled(tree, pycache)
        results = []
        for share in [float(s) for s in args.shares.split(",")]:
            name = f"{args.size_mb:g}mb-{share:g}pct"
            dump = folder / f"{name}.jsonl"
            gold = write_dump(dump, sentences, captions, share / 100, int(args.size_mb * 2**20))
            megabytes = dump.stat().st_size / 2**20
            figures = measure(dump, gold, trees, folder, pycache, args.repeat, args.floors_only)
            results.append((f"{share:g} % captions", megabytes, figures))
    command = "python bench/dump_speed.py " + shlex.join(sys.argv[1:])
    if args.floors_only:
        text = floor_section(results, command.strip(), args.repeat)
    elif args.title:
        text = section(results, command.strip(), args.repeat, args.title)
    else:
        text = section(results, command.strip(), args.repeat)
    write_section(args.out, text)


if __name__ == "__main__":
    main()
