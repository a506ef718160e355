"""Promise 2: a bad input is one clear line naming the file (and line) and a non-zero exit, or,
with --skip-bad, is skipped and listed in the bad-input report while the rest of the run
completes. No traceback reaches the user; --debug shows it."""

from __future__ import annotations

import gzip
import json
import os

import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.cli import app
from tests.conftest import SEED, SEED_EN
from tests.reliability.support import run_cli

runner = CliRunner()

# name -> (content, what the one-line error says)
BAD_FILES = {
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt: looks like a binary file"),
    "latin1.txt": ("Canción del año, señor.".encode("latin-1"), "latin1.txt: not valid UTF-8"),
    "broken.jsonl": (
        b'{"id": "ok", "text": "Hola."}\n{"id": "bad", "text": \n',
        "broken.jsonl:2: invalid JSON",
    ),
    "fields.jsonl": (b'{"id": "x", "body": "Hello."}\n', "fields.jsonl:1: no field 'text'"),
    "cut.txt.gz": (gzip.compress(SEED.read_bytes())[:-40], "cut.txt.gz: cannot decompress .gz"),
    "utf16.txt": (
        "Canción del año.\nSong of the year.\n".encode("utf-16"),
        "utf16.txt: looks like UTF-16 text; aligner reads UTF-8: convert it with iconv -f UTF-16",
    ),
    "utf16be.jsonl": (
        '{"id": "a", "text": "Hola."}\n'.encode("utf-16-be"),
        "utf16be.jsonl: looks like UTF-16 text",
    ),
}


def test_closed_standard_streams_are_one_line(tmp_path):
    (tmp_path / "in.txt").write_text(f"{SEED_EN}\n", encoding="utf-8")
    for args, closed, message in [
        (["-", "-o", tmp_path / "out.csv"], "stdin", "-: standard input is closed"),
        ([tmp_path / "in.txt", "-o", "-"], "stdout", "-: standard output is closed"),
    ]:
        stream = {"stdin": 0, "stdout": 1}[closed]
        done = run_cli(
            "run", *args, "--langs", "es,en", timeout=120,
            preexec_fn=lambda stream=stream: os.close(stream),  # as `aligner ... <&-` or `>&-`
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip().splitlines() == [f"error: {message}" + (
            "; write to a file with -o PATH" if closed == "stdout" else ": nothing to read"
        )]  # fmt: skip


def test_a_file_name_with_a_line_break_is_one_entry_of_the_report(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(f"{SEED_EN}\n", encoding="utf-8")
    (tmp_path / "in" / "two\nlines.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = invoke(
        "run", tmp_path / "in", "--langs", "es,en", "-o", tmp_path / "out.csv", "--skip-bad"
    )
    assert result.exit_code == 0, result.output
    report = (tmp_path / "out.csv.bad.txt").read_text(encoding="utf-8")
    entry = f"{tmp_path}/in/two\\nlines.txt: looks like a binary file (NUL bytes), not text"
    assert report == entry + "\n"


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_one_line_naming_it_and_exit_1(tmp_path, name):
    content, message = BAD_FILES[name]
    (tmp_path / name).write_bytes(content)
    result = invoke("run", tmp_path / name, "--langs", "es,en", "-o", tmp_path / "out.csv")
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert message in line and str(tmp_path) in line
    assert not (tmp_path / "out.csv").exists()


def test_missing_path_and_folder_without_usable_files(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "table.csv").write_text("a,b\n")
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    for target, code, message in [
        (tmp_path / "nope.txt", 2, "nope.txt: no such file or folder"),
        (tmp_path / "notes", 1, "notes: no input files in this folder"),
        (tmp_path / "loop-a.txt", 2, "loop-a.txt: a loop of symbolic links"),
        (tmp_path / "dangling.txt", 2, f"dangling.txt: a symbolic link to {tmp_path}/gone.txt,"),
    ]:
        result = invoke("run", target, "--langs", "es,en", "-o", tmp_path / "out.csv")
        assert result.exit_code == code
        [line] = result.stderr.strip().splitlines()
        assert message in line and str(tmp_path) in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Hola.")
    path.chmod(0)
    result = invoke("run", path, "--langs", "es,en")
    assert result.exit_code == 1 and "secret.txt: cannot read" in result.stderr


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    from pathlib import Path

    path = tmp_path / "secret.txt"
    path.write_text("Hola.")
    opener = Path.open

    def refuse(self, *args, **kwargs):  # running as root, a chmod would not stop the read
        if self == path:
            raise PermissionError(13, "Permission denied")
        return opener(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = invoke("run", path, "--langs", "es,en")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}: cannot read (Permission denied)"


def test_skip_bad_skips_and_reports_every_bad_input_and_keeps_the_rest(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    for name, (content, _) in BAD_FILES.items():
        (dump / name).write_bytes(content)
    (dump / "good.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes").mkdir()
    out = tmp_path / "pairs.csv"
    result = invoke(
        "run", dump, tmp_path / "notes", tmp_path / "nope.txt", "--langs", "es,en",
        "-o", out, "--skip-bad",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = (tmp_path / "pairs.csv.bad.txt").read_text(encoding="utf-8").splitlines()
    expected = [message for _, message in BAD_FILES.values()]
    expected += ["notes: no input files in this folder", "nope.txt: no such file or folder"]
    assert len(report) == len(expected)
    for message in expected:
        assert any(message in line for line in report), message
    pairs = pd.read_csv(out)
    assert SEED_EN in set(pairs["tgt_text"])
    # The good first line of broken.jsonl is kept: only the bad line is skipped.
    assert "2 documents" in result.stderr
    assert f"{len(BAD_FILES) + 2} inputs skipped" in result.stderr


def test_skip_bad_with_nothing_usable_fails_clearly(tmp_path):
    (tmp_path / "image.txt").write_bytes(BAD_FILES["image.txt"][0])
    report = tmp_path / "bad.txt"
    result = invoke(
        "run", tmp_path / "image.txt", "--langs", "es,en", "-o", tmp_path / "o.csv",
        "--skip-bad", "--bad-report", report,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no usable input: the only input was skipped" in result.stderr
    assert "image.txt: looks like a binary file" in report.read_text()
    assert not (tmp_path / "o.csv").exists()
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(BAD_FILES["image.txt"][0])
    result = invoke(
        "run", folder, "--langs", "es,en", "-o", tmp_path / "o.csv", "--skip-bad",
        "--bad-report", report,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no usable input: all 2 inputs were skipped" in result.stderr


def test_text_outside_the_languages_and_the_encoder_range_stays_unaligned(tmp_path):
    path = tmp_path / "other.jsonl"
    texts = ["ሰላም ለዓለም። ይህ የአማርኛ ጽሑፍ ነው።", "สวัสดีชาวโลก นี่คือข้อความภาษาไทย", "வணக்கம் உலகம்"]
    path.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts))
    rest = tmp_path / "rest.csv"
    result = invoke(
        "run", path, "--langs", "es,en", "-o", tmp_path / "o.csv", "--unaligned-out", rest
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "o.csv")) == 0
    assert set(pd.read_csv(rest)["doc_id"]) == {"other:1", "other:2", "other:3"}


def test_real_process_prints_one_line_and_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(BAD_FILES["image.txt"][0])
    plain = run_cli("run", path, "--langs", "es,en")
    assert plain.returncode == 1
    assert plain.stderr.strip() == f"error: {path}: looks like a binary file (NUL bytes), not text"
    debug = run_cli("--debug", "run", path, "--langs", "es,en")
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "InputError" in debug.stderr


@pytest.mark.slow
def test_a_10_mb_single_line_is_aligned_in_bounded_time(tmp_path):
    words = SEED.read_text(encoding="utf-8").split()
    line = " ".join(words[i % len(words)] for i in range(1_500_000))[:10_000_000]
    path = tmp_path / "one-line.txt"
    path.write_text(line, encoding="utf-8")
    rest = tmp_path / "rest.csv"
    done = run_cli(
        "run", path, "--langs", "es,en", "-o", tmp_path / "o.csv", "--unaligned-out", rest
    )
    assert done.returncode == 0, done.stderr
    unaligned = pd.read_csv(rest, keep_default_na=False)
    assert unaligned["start"].iloc[0] == 0 and unaligned["end"].iloc[-1] == len(line.rstrip())


def test_report_options_that_contradict_are_usage_errors(tmp_path):
    result = invoke("run", SEED, "--langs", "es,en", "--bad-report", tmp_path / "bad.txt")
    assert result.exit_code == 2 and "--bad-report needs --skip-bad" in result.stderr
    result = invoke("run", SEED, "--langs", "es,en", "--resume")
    assert result.exit_code == 2 and "--resume needs an output file" in result.stderr


def test_skipped_inputs_go_to_stderr_when_the_output_is_stdout(tmp_path):
    (tmp_path / "image.txt").write_bytes(BAD_FILES["image.txt"][0])
    result = invoke("run", SEED, tmp_path / "image.txt", "--langs", "es,en", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert f"skipped: {tmp_path / 'image.txt'}: looks like a binary file" in result.stderr
    assert result.stdout.startswith("doc_id,source,src_lang")


@pytest.mark.parametrize(
    ("command", "inputs"),
    [
        ("run", [SEED, "--langs", "es,en"]),
        ("align", [SEED, SEED, "--src-lang", "es", "--tgt-lang", "en"]),
    ],
)
def test_a_cache_folder_that_cannot_be_made_is_one_line_naming_the_way_out(
    tmp_path, command, inputs
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke(command, *inputs, "--cache-dir", blocker / "cache")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: embedding cache {blocker / 'cache'}")
    assert line.endswith("choose another folder (--cache-dir) or turn the cache off (--no-cache)")
