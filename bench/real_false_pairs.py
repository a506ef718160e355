"""Real input: pairs `aligner run` finds in one-language documents, which hold no translation.

    python bench/real_false_pairs.py [--out FILE.md] [--langs es,en de,en fr,en pt,en]

Data: ``bench/real/monolingual/`` (built by ``bench/build_real.py``: React blog posts in English,
Spanish and French with their bylines, dates and link texts, and pages of the Debian
Administrator's Handbook in five languages, each document in one language; see its README).
Every pair found in them is false. For each ``--langs``, the whole folder goes through the
pipeline (default encoder and detector); the figure is false pairs per 1,000 documents, with
the worst ones.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter

from _common import REPO, stamp, write_section

from aligner.captions.aligner import RunConfig
from aligner.langid.codes import lang_pair
from aligner.read import read_inputs
from aligner.run.runner import align_dump

DATA = REPO / "bench" / "real" / "monolingual"
LANGS = ("es,en", "de,en", "fr,en", "pt,en")
WORST = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out")
    parser.add_argument("--langs", nargs="+", default=list(LANGS))
    args = parser.parse_args()
    folders = sorted(p.name for p in DATA.iterdir() if p.is_dir())
    documents = {lang: len(list((DATA / lang).glob("*.txt"))) for lang in folders}
    total = sum(documents.values())
    lines = [
        "## Real input: one-language dumps",
        "",
        stamp("python bench/real_false_pairs.py"),
        "",
        f"{total} one-language documents (`bench/real/monolingual/`: "
        + ", ".join(f"{n} {lang}" for lang, n in documents.items())
        + "; React blog posts with bylines, dates and link texts, CC-BY-4.0, and pages of the "
        "Debian Administrator's Handbook, GPL-2+ / CC-BY-SA-3.0), all given to `aligner run` "
        "with each `--langs` (default encoder and detector). None holds a translation, so every "
        "pair is false.",
        "",
        "| --langs | documents | false pairs | per 1,000 documents | pairs by document language "
        "| time |",
        "|---|---|---|---|---|---|",
    ]
    worst = []
    with tempfile.TemporaryDirectory() as cache:
        for langs in args.langs:
            start = time.perf_counter()
            config = RunConfig(langs=lang_pair(langs), cache_dir=cache)
            _, results = align_dump(read_inputs([str(DATA)]), config)
            found = []
            for result in results:
                lang = result.source.split("/")[-2] if "/" in result.source else "?"
                found += [(pair, lang) for pair in result.pairs]
            seconds = time.perf_counter() - start
            by_lang = Counter(lang for _, lang in found)
            shown = ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items())) or "-"
            lines.append(
                f"| {langs} | {total} | **{len(found)}** | {1000 * len(found) / total:.1f} "
                f"| {shown} | {seconds:.0f} s |"
            )
            worst += [(pair.score, langs, pair, lang) for pair, lang in found]
    if worst:
        lines += ["", f"The {WORST} best-scored false pairs:", ""]
        for score, langs, pair, lang in sorted(worst, key=lambda w: -w[0])[:WORST]:
            src = " ".join(s.text for s in pair.src)
            tgt = " ".join(s.text for s in pair.tgt)
            lines.append(f"- {langs}, a {lang} document, {score:.2f}: `{src}` <-> `{tgt}`")
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
