"""Real input: where `split_mixed` cuts real lines that hold numbers, hyphens, URLs and paths.

    python bench/real_cuts.py [--out FILE.md]

Data: ``bench/real/cuts/`` (built by ``bench/build_real.py`` from the Debian Administrator's
Handbook, see its README). One-language lines are split among their language and English
(English lines among es,en and de,en): any cut is a false split, and a cut inside a token (both
sides of the cut touch non-space characters, neither of them a separator or a sentence end)
must never happen. Bilingual lines (a sentence, `` / ``, `` | `` or a tab, its English
translation) are exact when the split gives the two pieces at the gold offsets with their
languages.
"""

from __future__ import annotations

import argparse
import csv
import itertools
from collections import Counter
from pathlib import Path

from _common import REPO, stamp, write_section

from aligner.langid import load_detector
from aligner.langid.mixed import Piece, split_mixed

DATA = REPO / "bench" / "real" / "cuts"
MISSES = 6
ENGLISH_PAIRS = (("es", "en"), ("de", "en"))


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        found = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in found:
        row["line"] = row["line"].replace("\\t", "\t")
    return found


def inside_token(line: str, left: Piece, right: Piece) -> bool:
    """Whether the cut between two pieces falls inside a run of non-space characters."""
    return not any(ch.isspace() for ch in line[left.end - 1 : right.start + 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    detector = load_detector()
    one = rows("one-language.tsv")
    split = total = 0
    examples: list[str] = []
    by_lang: Counter[str] = Counter()
    split_by_lang: Counter[str] = Counter()
    inside_by_lang: Counter[str] = Counter()
    for row in one:
        pairs = ENGLISH_PAIRS if row["lang"] == "en" else ((row["lang"], "en"),)
        for pair in pairs:
            pieces = split_mixed(row["line"], pair, detector)
            total += 1
            by_lang[row["lang"]] += 1
            if len(pieces) > 1:
                split += 1
                split_by_lang[row["lang"]] += 1
                if any(inside_token(row["line"], a, b) for a, b in itertools.pairwise(pieces)):
                    inside_by_lang[row["lang"]] += 1
                if len(examples) < 5:
                    shown = " \\| ".join(f"`{row['line'][p.start : p.end]}`" for p in pieces)
                    examples.append(f"- {'-'.join(pair)}: {shown}")
    bilingual = rows("bilingual.tsv")
    exact: Counter[str] = Counter()
    count: Counter[str] = Counter()
    unsplit: Counter[str] = Counter()
    bilingual_inside: Counter[str] = Counter()
    misses: list[str] = []
    for row in bilingual:
        lang = row["pair"].split("-")[0]
        pieces = split_mixed(row["line"], (lang, "en"), detector)
        gold = [(0, int(row["end"]), lang), (int(row["start"]), len(row["line"]), "en")]
        count[row["pair"]] += 1
        unsplit[row["pair"]] += len(pieces) == 1
        bilingual_inside[row["pair"]] += any(
            inside_token(row["line"], a, b) for a, b in itertools.pairwise(pieces)
        )
        if [(p.start, p.end, p.lang) for p in pieces] == gold:
            exact[row["pair"]] += 1
        elif len(misses) < MISSES:
            shown = " \\| ".join(f"`{row['line'][p.start : p.end]}` ({p.lang})" for p in pieces)
            misses.append(f"- {row['pair']}: {shown}")
    lines = [
        "## Real input: cuts",
        "",
        stamp("python bench/real_cuts.py"),
        "",
        f"Real lines from the Debian Administrator's Handbook (`bench/real/cuts/`, "
        f"{Path('bench/build_real.py')}; GPL-2+ / CC-BY-SA-3.0) holding numbers, hyphenated "
        "words, URLs, e-mail addresses, paths or command names, split by `langid.mixed."
        "split_mixed` with the default detector. English lines are split among es,en and de,en.",
        "",
        "| one-language lines | splits | lines cut at all | cut inside a token |",
        "|---|---|---|---|",
    ]
    for lang in sorted(by_lang):
        lines.append(
            f"| {lang} | {by_lang[lang]} | {split_by_lang[lang]} | {inside_by_lang[lang]} |"
        )
    lines.append(f"| **all** | {total} | {split} | **{sum(inside_by_lang.values())}** |")
    lines += [
        "",
        "| `X / en` lines (` / `, ` \\| `, tab) | lines | exact cuts | not split "
        "| cut inside a token |",
        "|---|---|---|---|---|",
    ]
    for pair in sorted(count):
        lines.append(
            f"| {pair} | {count[pair]} | {exact[pair]} ({exact[pair] / count[pair]:.3f}) "
            f"| {unsplit[pair]} | {bilingual_inside[pair]} |"
        )
    total_exact, total_lines = sum(exact.values()), sum(count.values())
    lines.append(
        f"| **all** | {total_lines} | **{total_exact} ({total_exact / total_lines:.3f})** "
        f"| {sum(unsplit.values())} | {sum(bilingual_inside.values())} |"
    )
    if examples:
        lines += ["", "One-language lines split (first five):", "", *examples]
    if misses:
        lines += ["", "Bilingual lines not cut exactly (first six):", "", *misses]
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
