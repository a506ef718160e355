"""Whole articles in two languages inside one document, through ``aligner run``.

python bench/articles_bench.py [--out FILE.md] [--pairs de-en,en-fr,zh-en]
Each debdocs document pair (built by bench/build_debdocs.py, one sentence per line) becomes one
document: the source edition, then the target edition. The caption pipeline runs on them with
the languages given, once as it ships (the two halves aligned sentence by sentence,
``halves.article_halves``) and once with ``whole_articles`` off (paragraph-style pairing of
units, as before). Pairs map back to gold sentence numbers through their lines (pairs sharing
a line merge into one bead), sentences left unaligned become null beads, and
``../shared/bench/score.py`` scores them (strict P/R/F1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_dir, stamp, write_section

from aligner.captions.aligner import RunConfig
from aligner.records import Document, DocumentResult
from aligner.run.runner import align_dump

DEBDOCS = Path(__file__).resolve().parent / "data" / "debdocs"


def documents(pair: str) -> list[tuple[str, Document, int]]:
    """(name, document, number of source lines) per document pair of ``pair``."""
    folder = DEBDOCS / pair
    if not (folder / "gold").is_dir():
        raise SystemExit(f"{folder}: not built; run python bench/build_debdocs.py")
    out = []
    for gold in sorted((folder / "gold").iterdir()):
        src = (folder / "src" / gold.name).read_text(encoding="utf-8").splitlines()
        tgt = (folder / "tgt" / gold.name).read_text(encoding="utf-8").splitlines()
        text = "\n".join(src + tgt) + "\n"
        out.append((gold.name, Document(gold.name, text, f"{pair}/{gold.name}"), len(src)))
    return out


def beads(result: DocumentResult, src_lines: int) -> list[str]:
    """The result as gold-format beads over sentence (line) numbers of each edition. The
    pipeline splits sentences itself, and a gold line it cut in two may sit in two pairs: pairs
    that share a line become one bead, as the gold, one sentence per line, would have them."""
    found = [
        ({s.line for s in pair.src}, {s.line - src_lines for s in pair.tgt})
        for pair in result.pairs
    ]
    merged: list[tuple[set[int], set[int]]] = []
    for src, tgt in found:
        for other in [m for m in merged if m[0] & src or m[1] & tgt]:
            merged.remove(other)
            src, tgt = src | other[0], tgt | other[1]
        merged.append((src, tgt))
    placed = {line for src, _ in merged for line in src}
    placed |= {line + src_lines for _, tgt in merged for line in tgt}
    lines = [f"{sorted(src)}:{sorted(tgt)}" for src, tgt in merged]
    for line in sorted({s.line for s in result.unaligned} - placed):
        lines.append(f"[{line}]:[]" if line < src_lines else f"[]:[{line - src_lines}]")
    return lines


def run(pair: str, whole_articles: bool, bench: Path) -> tuple[dict, float]:
    langs = (pair.split("-")[0], pair.split("-")[1])
    docs = documents(pair)
    start = time.perf_counter()
    config = RunConfig(langs=langs, whole_articles=whole_articles)
    _, results = align_dump([document for _, document, _ in docs], config)
    results = list(results)
    seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as out:
        for (name, _, src_lines), result in zip(docs, results, strict=True):
            (Path(out) / name).write_text("\n".join(beads(result, src_lines)) + "\n")
        scorer = [sys.executable, str(bench / "score.py"), "--gold", str(DEBDOCS / pair / "gold")]
        scored = subprocess.run(
            [*scorer, "--pred", out, "--json"], capture_output=True, text=True, check=True
        )
    return json.loads(scored.stdout)["strict"], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--pairs", default="de-en,en-fr,zh-en")
    parser.add_argument("--bench-dir")
    args = parser.parse_args()
    bench = bench_dir(args.bench_dir)
    rows = []
    for pair in args.pairs.split(","):
        for label, whole in (("halves aligned (default)", True), ("units paired", False)):
            strict, seconds = run(pair, whole, bench)
            rows.append(
                f"| {pair} | {label} | {strict['p']:.3f} / {strict['r']:.3f} / "
                f"**{strict['f1']:.3f}** | {seconds:.1f} s |"
            )
    text = "\n".join(
        [
            "## Whole articles in two languages in one document (`aligner run`)",
            "",
            stamp("python bench/articles_bench.py"),
            "",
            "Each debdocs document pair (40 per language pair, one sentence per line) joined into "
            "one document, source edition first; `aligner run` with the languages given. "
            "Strict P / R / F1 of the sentence beads against the debdocs gold (sentences left "
            "unaligned count as null beads). `units paired` is the caption pairing, which the "
            "pipeline used for such documents before `halves.article_halves` sent them to the "
            "document aligner (`--no-whole-articles`).",
            "",
            "| pair | pipeline | strict P / R / F1 | time |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )
    write_section(args.out, text)


if __name__ == "__main__":
    main()
