"""Benchmark short-segment language ID and mixed-line splitting against the anchors.

Usage: python bench/langid_bench.py [--out bench/results/langid.md] [--data DIR] [--no-open]

Data: ``segments.tsv`` and ``mixed.tsv`` (see the README beside them), read from ``--data``,
``$ALIGNER_BENCH_DIR/langid`` or ``../shared/bench/langid`` next to the repository. The data is
a test set: nothing in ``aligner`` is trained or tuned on it. Anchors that are not installed
(``lingua-language-detector``, ``eld``) are skipped and said so.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.langid.ngrams import unload  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "langid"
PAIR = ("es", "en")
BUCKETS = (("1-3", 1, 3), ("4-7", 4, 7), ("8-15", 8, 15), ("16+", 16, 10_000))
SEPARATOR_CHARS = " /|-–—"
# Timing on a shared 2-core VM varies by up to ±50 %: the best of a few cold passes is steadier.
SPEED_PASSES = 3
SECTION = "## Language ID and mixed-line splitting"

Detect = Callable[[str, Sequence[str]], str]
Split = Callable[[str], int | None]


@dataclass
class Row:
    lang: str
    text: str
    source: str

    @property
    def is_name(self) -> bool:
        return self.source.endswith(":propn")

    @property
    def is_pud_window(self) -> bool:
        return ":tok" in self.source and not self.is_name

    @property
    def words(self) -> int:
        return len(self.text.split())


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# --- detectors ------------------------------------------------------------------------------


def ours(name: str) -> Callable[[], Detect]:
    def make() -> Detect:
        from aligner.langid import load_detector

        detector = load_detector(name)
        return lambda text, langs: detector.detect(text, langs)[0]

    return make


def names_guessed() -> Detect:
    from aligner.langid.charngram import CharNgramDetector

    detector = CharNgramDetector(und_for_names=False)
    return lambda text, langs: detector.detect(text, langs)[0]


def langdetect_factory(langs: Sequence[str]) -> Detect:
    """langdetect on the raw text, seed 0, restricted by a prior that is zero elsewhere."""
    from langdetect import DetectorFactory, detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detector_factory.init_factory()
    factory = detector_factory._factory

    def detect(text: str, _langs: Sequence[str]) -> str:
        detector = factory.create()
        if langs:
            detector.set_prior_map(dict.fromkeys(langs, 1.0))
        detector.append(text)
        try:
            guesses = detector.get_probabilities()
        except LangDetectException:
            return "und"
        return guesses[0].lang if guesses else "und"

    return detect


def py3langid_factory(langs: Sequence[str]) -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    detector = LanguageIdentifier.from_pickled_model(MODEL_FILE)
    if langs:
        detector.set_languages(list(langs))

    def detect(text: str, _langs: Sequence[str]) -> str:
        return str(detector.classify(text)[0])

    return detect


def lingua_factory(langs: Sequence[str]) -> Detect:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if langs:
        codes = [getattr(IsoCode639_1, code.upper()) for code in langs]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    detector = builder.build()

    def detect(text: str, _langs: Sequence[str]) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "und"

    return detect


def eld_factory(langs: Sequence[str]) -> Detect:
    from eld import LanguageDetector

    detector = LanguageDetector()
    if langs:
        detector.dynamic_lang_subset(list(langs))

    def detect(text: str, _langs: Sequence[str]) -> str:
        return detector.detect(text).language or "und"

    return detect


def anchors() -> dict[str, Callable[[Sequence[str]], Detect]]:
    """Name -> factory(langs); ours are restricted per call, the anchors at build time."""
    found: dict[str, Callable[[Sequence[str]], Detect]] = {
        "charngram (ours, default)": lambda langs: ours("charngram")(),
        "charngram, names guessed (und_for_names=False)": lambda langs: names_guessed(),
        "langdetect backend (ours: masked, seeded)": lambda langs: ours("langdetect")(),
        "langdetect 1.0.9 seeded, raw text": langdetect_factory,
    }
    for module, label, factory in (
        ("lingua", "lingua 2.1.1 high accuracy", lingua_factory),
        ("eld", "eld 1.0.6", eld_factory),
        ("py3langid", "py3langid 0.3.0", py3langid_factory),
    ):
        try:
            __import__(module)
        except ImportError:
            print(f"skipped {label}: not installed", file=sys.stderr)
            continue
        found[label] = factory
    return found


# --- segments -------------------------------------------------------------------------------


def percent(hits: int, total: int) -> str:
    return f"{100 * hits / total:.1f}" if total else "–"


def accuracy(detect: Detect, rows: Sequence[Row], langs: Sequence[str]) -> tuple[int, int]:
    hits = sum(detect(r.text, langs) == r.lang for r in rows)
    return hits, len(rows)


def segment_table(
    data: list[Row], factories: dict[str, Callable[[Sequence[str]], Detect]], open_set: bool
) -> list[str]:
    """Accuracy on the es+en rows, names apart (as in the data README), and on all 8 languages
    open-set; the timed pass is the first, restricted one, on a fresh detector."""
    pair_rows = [r for r in data if r.lang in PAIR]
    sentences = [r for r in pair_rows if not r.is_name]
    names = [r for r in pair_rows if r.is_name]
    short = [r for r in sentences if r.words <= 3]
    pud_short = [r for r in short if r.is_pud_window]
    all_sentences = [r for r in data if not r.is_name]
    header = (
        "| detector | es+en [es,en] | 1-3 w | PUD 1-3 w | 4-7 w | 8-15 w | 16+ w "
        "| names: right (und) | seg/s [es,en] | es+en open | all 8 open |"
    )
    lines = [header, "|" + "---|" * 11]
    for label, factory in factories.items():
        elapsed = []
        for _ in range(SPEED_PASSES):
            unload()  # every detector of ours starts cold, as in a fresh process
            restricted = factory(PAIR)
            started = time.perf_counter()
            predictions = [restricted(r.text, PAIR) for r in pair_rows]
            elapsed.append(time.perf_counter() - started)
        by_text = {r.text: p for r, p in zip(pair_rows, predictions, strict=True)}

        def score(rows: Sequence[Row], by_text: dict[str, str] = by_text) -> str:
            return percent(sum(by_text[r.text] == r.lang for r in rows), len(rows))

        cells = [label, score(sentences), score(short), score(pud_short)]
        for _, low, high in BUCKETS[1:]:
            cells.append(score([r for r in sentences if low <= r.words <= high]))
        und = sum(by_text[r.text] == "und" for r in names)
        cells.append(f"{score(names)} ({und})")
        cells.append(f"{len(pair_rows) / min(elapsed):,.0f}")
        if open_set:
            opened = factory(())
            cells.append(percent(*accuracy(opened, sentences, ())))
            cells.append(percent(*accuracy(opened, all_sentences, ())))
        else:
            cells += ["–", "–"]
        lines.append("| " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr)
    counts = (
        f"n: es+en {len(sentences)} (names excluded), 1-3 w {len(short)}, PUD 1-3 w "
        f"{len(pud_short)}, names {len(names)}, all 8 languages {len(all_sentences)}. "
        f"seg/s: best of {SPEED_PASSES} cold passes over the 4,852 es+en rows, names included."
    )
    return [*lines, "", counts]


def pair_table(
    data: list[Row], factories: dict[str, Callable[[Sequence[str]], Detect]]
) -> list[str]:
    """Accuracy restricted to each pair of bench languages other than es+en, on 1-7 words."""
    langs = sorted({r.lang for r in data})
    pairs = [(a, b) for i, a in enumerate(langs) for b in langs[i + 1 :] if {a, b} != set(PAIR)]
    pairs = [p for p in pairs if "es" in p or "en" in p or "pt" in p]
    header = "| detector | " + " | ".join("+".join(p) for p in pairs) + " |"
    lines = [header, "|" + "---|" * (len(pairs) + 1)]
    for label, factory in factories.items():
        cells = [label]
        for pair in pairs:
            try:
                detect = factory(pair)
            except (AttributeError, ValueError, KeyError):
                cells.append("n/a")
                continue
            rows = [r for r in data if r.lang in pair and not r.is_name and r.words <= 7]
            cells.append(percent(*accuracy(detect, rows, pair)))
        lines.append("| " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr)
    return lines


# --- splitting ------------------------------------------------------------------------------


def snap(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in SEPARATOR_CHARS:
        offset += 1
    return offset


def split_scores(rows: list[dict[str, str]], split: Split) -> list[str]:
    mixed = [r for r in rows if int(r["split_offset"]) >= 0]
    controls = [r for r in rows if int(r["split_offset"]) < 0]
    strict = exact = near = token = missed = 0
    for row in mixed:
        text, gold = row["text"], int(row["split_offset"])
        predicted = split(text)
        if predicted is None:
            missed += 1
            continue
        low, high = sorted((predicted, gold))
        strict += snap(text, predicted) == gold
        exact += not re.search(r"\w", text[low:high])
        near += abs(snap(text, predicted) - gold) <= 3
        token += len(re.findall(r"\w+", text[low:high])) <= 1
    false_splits = sum(split(r["text"]) is not None for r in controls)
    n = len(mixed)
    return [
        percent(strict, n),
        percent(exact, n),
        percent(near, n),
        percent(token, n),
        percent(missed, n),
        f"{false_splits}/{len(controls)}",
    ]


def our_splitter(name: str) -> Split:
    from aligner.langid import load_detector
    from aligner.langid.mixed import split_mixed

    detector = load_detector(name)

    def split(text: str) -> int | None:
        pieces = [p for p in split_mixed(text, PAIR, detector) if p.lang != "und"]
        changes = [b.start for a, b in itertools.pairwise(pieces) if a.lang != b.lang]
        return changes[0] if changes else None

    return split


def lingua_splitter() -> Split:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_iso_codes_639_1(
        IsoCode639_1.ES, IsoCode639_1.EN
    ).build()

    def split(text: str) -> int | None:
        results = detector.detect_multiple_languages_of(text)
        for a, b in itertools.pairwise(results):
            if a.language != b.language:
                return b.start_index
        return None

    return split


def mixed_table(rows: list[dict[str, str]]) -> list[str]:
    splitters: dict[str, Callable[[], Split]] = {
        "split_mixed + charngram (ours, default)": lambda: our_splitter("charngram"),
        "split_mixed + langdetect (ours)": lambda: our_splitter("langdetect"),
    }
    try:
        import lingua  # noqa: F401

        splitters["lingua detect_multiple_languages_of"] = lingua_splitter
    except ImportError:
        print("skipped lingua splitting: not installed", file=sys.stderr)
    lines = [
        "| method | strict | exact | ±3 chars | ≤1 token | no split found | false splits |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, make in splitters.items():
        lines.append("| " + " | ".join([label, *split_scores(rows, make())]) + " |")
        print(lines[-1], file=sys.stderr)
    return lines


# --- start-up -------------------------------------------------------------------------------


def startup_seconds(code: str) -> float:
    """Wall time, in a fresh interpreter, of importing and making the first call."""
    script = f"import time; t = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(done.stdout.strip().splitlines()[-1])


def startup_table() -> list[str]:
    probes = {
        "charngram (ours) [es,en]": "from aligner.langid import load_detector\n"
        "load_detector('charngram').detect('hola', ['es', 'en'])",
        "charngram (ours) open set, 40 languages": "from aligner.langid import load_detector\n"
        "load_detector('charngram').detect('hola', [])",
        "langdetect (ours) [es,en]": "from aligner.langid import load_detector\n"
        "load_detector('langdetect').detect('hola que tal', ['es', 'en'])",
    }
    try:
        import lingua  # noqa: F401

        probes["lingua 2.1.1 [es,en]"] = (
            "from lingua import IsoCode639_1 as I, LanguageDetectorBuilder as B\n"
            "B.from_iso_codes_639_1(I.ES, I.EN).build().detect_language_of('hola')"
        )
    except ImportError:
        pass
    lines = ["| detector | import + first call, s |", "|---|---|"]
    for label, code in probes.items():
        lines.append(f"| {label} | {startup_seconds(code):.2f} |")
    return lines


# --- report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "langid.md")
    parser.add_argument("--no-open", action="store_true", help="skip the open-set columns")
    args = parser.parse_args()
    # $ALIGNER_BENCH_DIR names the shared bench folder, as for every other benchmark
    bench = os.environ.get("ALIGNER_BENCH_DIR")
    data_dir = args.data or (Path(bench) / "langid" if bench else DEFAULT_DATA)
    segments = [Row(r["lang"], r["text"], r["source"]) for r in read_tsv(data_dir / "segments.tsv")]
    mixed = read_tsv(data_dir / "mixed.tsv")
    factories = anchors()

    command = "python bench/langid_bench.py" + (" --no-open" if args.no_open else "")
    today = datetime.date.today().isoformat()
    body = [
        SECTION,
        "",
        f"`{command}` on {today}; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, one thread. Data: `shared/bench/langid/` (test set only; "
        "nothing is trained or tuned on it). Accuracy in %; `[es,en]` = restricted to Spanish "
        "and English; `open` = all the detector's languages (ours: the 40 of its open set); "
        "`names (und)` = accuracy on the name-only rows and, in brackets, how many got `und`.",
        "",
        *segment_table(segments, factories, open_set=not args.no_open),
        "",
        "Restricted to other pairs (1-7-word segments of the two languages, names excluded). "
        "Neither lingua (n/a) nor eld (answers the other language) knows Galician; ours hands "
        "candidate sets with `gl` to py3langid. py3langid was trained with Tatoeba (data "
        "README), so its figures here are optimistic.",
        "",
        *pair_table(segments, factories),
        "",
        "Splitting the 560 mixed es/en lines (scoring as in the data README) and false splits "
        "on the 120 one-language controls:",
        "",
        *mixed_table(mixed),
        "",
        "Start-up, fresh interpreter:",
        "",
        *startup_table(),
        "",
    ]
    text = "\n".join(body)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
