"""Caption pairing in other language pairs: synthetic caption dumps built from debdocs.

python bench/captions_langs_bench.py [--out FILE.md] [--pairs de-en,zh-en,...]
captions-dev is Spanish/English only. For each debdocs document pair (built by
bench/build_debdocs.py; real human translations), this builds one article the way captions-dev
lays them out: six body lines in the target language, two caption pairs taken from the gold 1-1
beads (one source-first at the top, one target-first at the end), and one untranslated source
sentence among the body lines as a trap. The caption pipeline runs with the languages given and
the default encoder (``auto``); a predicted pair counts when both texts equal a gold caption
pair's. Deterministic (seed 0).
"""

from __future__ import annotations

import argparse
import ast
import random
import time
from pathlib import Path

from _common import stamp, write_section

from aligner.captions.aligner import RunConfig
from aligner.embed import DEFAULT_ENCODER, choose_encoder
from aligner.records import Document
from aligner.run.runner import align_dump

DEBDOCS = Path(__file__).resolve().parent / "data" / "debdocs"
PAIRS = "de-en,de-fr,en-fr,zh-en,cs-en,sv-en,hu-en"
BODY_LINES = 6


def usable(text: str, low: int, high: int) -> bool:
    return low <= len(text) <= high and not text.endswith(":")


def article(src: list[str], tgt: list[str], gold: str, rng: random.Random) -> tuple | None:
    """(text, gold pairs) for one document pair, or None when it is too small."""
    beads = [tuple(ast.literal_eval(side) for side in line.split(":")) for line in gold.split("\n")]
    captions = [
        (src[s[0]], tgt[t[0]])
        for s, t in beads
        if len(s) == 1 and len(t) == 1 and usable(src[s[0]], 25, 200) and usable(tgt[t[0]], 20, 250)
    ]
    if len(captions) < 3:
        return None
    first, second, trap = rng.sample(captions, 3)
    taken = {first[1], second[1], trap[1]}
    body = [line for line in tgt if usable(line, 60, 2000) and line not in taken]
    if len(body) < BODY_LINES:
        return None
    start = rng.randrange(len(body) - BODY_LINES + 1)
    body = body[start : start + BODY_LINES]
    lines = [first[0], first[1], *body[:3], trap[0], *body[3:], second[1], second[0]]
    return "\n".join(lines) + "\n", {first, second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--pairs", default=PAIRS)
    args = parser.parse_args()
    rows = []
    for pair in args.pairs.split(","):
        folder = DEBDOCS / pair
        if not (folder / "gold").is_dir():
            raise SystemExit(f"{folder}: not built; run python bench/build_debdocs.py")
        rng = random.Random(0)
        documents, gold = [], set()
        for path in sorted((folder / "gold").iterdir()):
            src = (folder / "src" / path.name).read_text(encoding="utf-8").splitlines()
            tgt = (folder / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
            built = article(src, tgt, path.read_text(encoding="utf-8").strip(), rng)
            if built:
                documents.append(Document(path.name, built[0], f"{pair}/{path.name}"))
                gold |= {(path.name, *caption) for caption in built[1]}
        langs = (pair.split("-")[0], pair.split("-")[1])
        start = time.perf_counter()
        _, results = align_dump(documents, RunConfig(langs=langs))
        found = {
            (r.doc_id, " ".join(s.text for s in p.src), " ".join(s.text for s in p.tgt))
            for r in results
            for p in r.pairs
        }
        seconds = time.perf_counter() - start
        hits = len(found & gold)
        precision, recall = hits / max(len(found), 1), hits / max(len(gold), 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        encoder = choose_encoder(DEFAULT_ENCODER, langs)
        rows.append(
            f"| {pair} | {encoder} | {len(documents)} | {precision:.3f} | {recall:.3f} | "
            f"**{f1:.3f}** | {hits}/{len(found)}/{len(gold)} | {seconds:.1f} s |"
        )
    text = "\n".join(
        [
            "## Caption pairing in other language pairs (synthetic, from debdocs)",
            "",
            stamp("python bench/captions_langs_bench.py"),
            "",
            "One article per debdocs document pair: six body lines in the target language, two "
            "caption pairs from the gold 1-1 beads (source first at the top, target first at "
            "the end) and one untranslated source sentence among the body lines "
            "(`bench/captions_langs_bench.py`, seed 0). `aligner run` pipeline, languages "
            "given, default encoder (`auto`, shown). A pair counts when both texts equal a "
            "gold caption pair's. Technical prose, built by this project, never used to choose "
            "a setting. Some lines of the German and French manuals are English their "
            "translators left as it was: `langid.outsiders` labels such a line `en`, so it is "
            "no caption of the pair, and a gold pair made of one counts as missed (de-fr: 1 of "
            "80). With that check, credits kept out of captions and the halves check, all added "
            "on 2026-11-26, de-fr went from 0.907 to 0.899 and en-fr from 0.844 to 0.870.",
            "",
            "| pair | encoder | articles | precision | recall | F1 | matched/predicted/gold "
            "| time |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    write_section(args.out, text)


if __name__ == "__main__":
    main()
