"""Document pairs with missing parts: a real tldr-pages page whose Portuguese translation lags
the English one (tldr-pages, CC BY 4.0; bench/real/partial-docs/README.md)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.align.beads import below_as_nulls, format_beads
from aligner.align.engine import align_sentences
from aligner.cli import app
from aligner.documents.aligner import split_sides
from aligner.records import Bead, Document
from tests.conftest import ROOT

PARTIAL = ROOT / "bench" / "real" / "partial-docs"


def test_a_bead_below_the_floor_leaves_its_sentences_without_counterpart():
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.1), Bead((), (3,)), Bead((2,), (4,), 0.2)]
    assert below_as_nulls(beads, 0.2) == [
        Bead((0,), (0,), 0.9), Bead((1,), ()), Bead((), (1,)), Bead((), (2,)), Bead((), (3,)),
        Bead((2,), (4,), 0.2),
    ]  # fmt: skip


def _sentences(path, lang: str) -> list[str]:
    document = Document(path.stem, path.read_text(encoding="utf-8"), str(path))
    return [s.text for s in split_sides(document, lang, presplit=False)]


def test_the_beads_of_a_lagging_translation_below_the_floor_become_nulls(encoder):
    src = _sentences(PARTIAL / "pt" / "fossil.md", "pt")
    tgt = _sentences(PARTIAL / "en" / "fossil.md", "en")
    beads, _ = align_sentences(src, tgt, encoder.encode)
    # "- Exibe ajuda:" / "- Create a local copy of a remote repository:" scores 0.13, one
    # Portuguese line against seven English ones -0.21, "- Exibe a versão:" / "- Pull
    # changes ..." 0.16: sentences forced together where the translation has nothing
    assert format_beads(below_as_nulls(beads, 0.2)).split() == [
        "[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]", "[4]:[4]", "[5]:[5]", "[6]:[]", "[]:[6]",
        "[7]:[7]", "[]:[8]", "[]:[9]", "[8]:[]", *(f"[]:[{j}]" for j in range(10, 17)),
        "[9]:[17]", "[10]:[]", "[]:[18]", "[11]:[19]",
    ]  # fmt: skip


@pytest.mark.slow
def test_align_min_score_sends_sentences_forced_together_to_the_unaligned_table(tmp_path):
    # fossil's Portuguese page lacks most of the English examples: without a floor, "Exibe
    # ajuda:" was paired with "Create a local copy of a remote repository:" (0.13) and one
    # Portuguese line with seven English ones (-0.21)
    pairs, rest, beads = tmp_path / "pairs.csv", tmp_path / "rest.csv", tmp_path / "beads"
    result = CliRunner().invoke(
        app,
        [
            "align", str(PARTIAL / "pt" / "fossil.md"), str(PARTIAL / "en" / "fossil.md"),
            "--src-lang", "pt", "--tgt-lang", "en", "--min-score", "0.2",
            "-o", str(pairs), "--unaligned-out", str(rest), "--beads-out", str(beads),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(pairs)
    assert table["score"].min() >= 0.2
    assert "min_score:0.2" in table["signature"][0]
    assert (beads / "fossil.md").read_text().split("\n")[6:9] == ["[6]:[]", "[]:[6]", "[7]:[7]"]
    unaligned = pd.read_csv(rest)["text"].tolist()
    # read as Markdown: the list markers are markup, not text
    assert "Exibe ajuda:" in unaligned
    assert "Create a local copy of a remote repository:" in unaligned
    # every sentence ends in a pair or in the unaligned table
    paired = sum(sum(map(int, bead.split("-"))) for bead in table["bead"])
    assert paired + len(unaligned) == 12 + 20
