"""The formats from the command line: run on HTML and subtitles, convert, subtitles, errors."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.export import read_table
from tests.conftest import ROOT, SEED, SEED_EN, SEED_ES

DATA = ROOT / "tests" / "data"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_run_on_an_html_page_pairs_its_caption(tmp_path):
    out = tmp_path / "pairs.jsonl"
    result = invoke("run", DATA / "article.html", "--langs", "es,en", "-o", out)
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (row["src_text"], row["tgt_text"], row["doc_id"]) == (SEED_ES, SEED_EN, "article")


def test_run_on_bilingual_subtitles_keeps_cue_times(tmp_path):
    out = tmp_path / "pairs.tsv"
    result = invoke("run", DATA / "interview.es-en.srt", "--langs", "es,en", "-o", out)
    assert result.exit_code == 0, result.output
    pairs, _ = read_table(out)
    assert len(pairs) == 4
    assert pairs[["src_time_start", "src_time_end", "tgt_time_start"]].iloc[1].tolist() == [
        4.4, 8.0, 4.4
    ]  # fmt: skip
    assert pairs["tgt_text"].iloc[3] == "Peace at any price would not be peace at all."
    assert "1 document, 9 segments, 4 pairs, 1 unaligned (es-en)" in result.stderr


def test_bilingual_cues_without_punctuation_are_split_and_paired(tmp_path):
    source = tmp_path / "news.srt"
    source.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nEl presidente visita la frontera con sus ministros\n"
        "The president visits the border with his ministers\n",
        encoding="utf-8",
    )
    result = invoke("run", source, "--langs", "es,en", "-o", tmp_path / "pairs.csv")
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(tmp_path / "pairs.csv")
    assert pairs[["src_text", "tgt_text"]].values.tolist() == [
        [
            "El presidente visita la frontera con sus ministros",
            "The president visits the border with his ministers",
        ]
    ]


def test_convert_between_every_table_format_keeps_the_table(tmp_path):
    first = tmp_path / "seed.csv"
    assert invoke("run", SEED, "--langs", "es,en", "-o", first).exit_code == 0
    original, signature = read_table(first)
    previous = first
    for name in ("seed.tmx", "seed.parquet", "seed.jsonl", "seed.tsv", "back.csv"):
        result = invoke("convert", previous, tmp_path / name)
        assert result.exit_code == 0, result.output
        previous = tmp_path / name
    assert (tmp_path / "back.csv").read_bytes() == first.read_bytes()
    result = invoke("convert", first, tmp_path / "corpus.es", "--min-score", "2")
    assert result.exit_code == 0, result.output
    assert "1 pair left out (below the min score)" in result.stderr
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8") == ""
    assert original["src_text"].tolist() == [SEED_ES] and signature


def test_convert_excel_safe_and_dedupe(tmp_path):
    source = tmp_path / "pairs.jsonl"
    row = {"doc_id": "d", "src_lang": "es", "tgt_lang": "en", "src_text": "=1+1",
           "tgt_text": "@two", "score": 0.9, "signature": "aligner:0.1.0|langs:es-en"}  # fmt: skip
    source.write_text((json.dumps(row) + "\n") * 2, encoding="utf-8")
    result = invoke("convert", source, tmp_path / "safe.csv", "--excel-safe", "--dedupe")
    assert result.exit_code == 0, result.output
    safe = pd.read_csv(tmp_path / "safe.csv", encoding="utf-8-sig")
    assert safe[["src_text", "tgt_text"]].values.tolist() == [["'=1+1", "'@two"]]
    assert safe["signature"][0].endswith("|export:dedupe|excel:safe")


def test_subtitles_command_pairs_two_tracks_by_time_and_meaning(tmp_path):
    out, rest = tmp_path / "briefing.csv", tmp_path / "rest.csv"
    result = invoke(
        "subtitles", DATA / "briefing.es.srt", DATA / "briefing.en.srt",
        "-o", out, "--unaligned-out", rest,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(out)
    assert pairs["bead"].tolist() == ["1-1", "1-1", "1-1", "1-1", "1-2"]
    assert pairs["tgt_text"].iloc[-1] == "NATO has ammunition contracts worth 2.4 billion euros."
    assert pairs[["src_time_start", "tgt_time_start", "tgt_time_end"]].iloc[-1].tolist() == [
        17.2, 17.1, 20.1
    ]  # fmt: skip
    assert pd.read_csv(rest)["text"].tolist() == ["¡Gracias!"]
    assert "langs:es-en" in pairs["signature"][0]  # detected, not given
    # one line, however long the output's path (stderr is no terminal here)
    assert f"6 + 6 cues, 5 pairs, 1 unaligned (es-en) -> {out}" in result.stderr.splitlines()
    assert len(f"6 + 6 cues, 5 pairs, 1 unaligned (es-en) -> {out}") > 80


def test_subtitles_command_keeps_its_embeddings_in_the_cache(tmp_path):
    import sqlite3

    from aligner.embed.cache import FILE_NAME

    tracks = [DATA / "briefing.es.srt", DATA / "briefing.en.srt"]
    outputs = []
    for n in range(2):
        out = tmp_path / f"briefing{n}.csv"
        result = invoke("subtitles", *tracks, "-o", out, "--cache-dir", tmp_path / "cache")
        assert result.exit_code == 0, result.output
        outputs.append(pd.read_csv(out))
    [store] = (tmp_path / "cache").glob(f"*/{FILE_NAME}")
    with sqlite3.connect(store) as db:
        # each track's single cues and runs of two: 6 + 5 texts per side
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 22
    pd.testing.assert_frame_equal(outputs[0], outputs[1])
    assert invoke("subtitles", *tracks, "-o", tmp_path / "x.csv", "--no-cache").exit_code == 0


@pytest.mark.parametrize(
    ("name", "content", "args", "code", "message"),
    [
        ("bad.srt", "1\n00:00:0x,000 --> 00:00:02,000\nHola\n", ["run", "--langs", "es,en"], 1,
         "bad.srt:1: not an SRT cue"),
        ("bad.tmx", '<tmx version="1.4"><header/><body><tu>\n</body></tmx>', ["convert"], 1,
         "bad.tmx:2:2: not well-formed XML"),
        ("bad.jsonl", '{"score": 1}\n{"score": \n', ["convert"], 1, "bad.jsonl:2: invalid JSON"),
        ("bad.csv", "doc_id,score\nd,high\n", ["convert"], 1, "column 'score' is not numeric"),
        ("bad.tsv", "src_doc\tscore\nd\t0.9\nd\t0.8\textra\n", ["convert"], 1,
         "Expected 2 fields in line 3, saw 3"),
        ("bad.parquet", "PAR1 not really", ["convert"], 1, "bad.parquet: not a Parquet file"),
        ("bad.warc", "WARC/1.0\r\nnonsense", ["run", "--langs", "es,en"], 1,
         "bad.warc: not a valid WARC record after offset 0"),
        ("page.html", "<html><body></body></html>", ["run", "--langs", "es,en"], 1,
         "page.html: no article text found"),
    ],
)  # fmt: skip
def test_malformed_input_is_one_line_a_nonzero_exit_and_no_output(
    tmp_path, name, content, args, code, message
):
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(*args[:1], source, *(["-o"] if args[0] == "run" else []), out / "pairs.tmx",
                    *args[1:])  # fmt: skip
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_usage_errors_exit_2_before_any_work(tmp_path):
    cases = [
        (["convert", SEED, tmp_path / "x.tmx"], "cannot tell the format from its name"),
        (["convert", SEED, "x.tmx", "--input-format", "moses"], "moses cannot be read back"),
        (["convert", tmp_path / "none.csv", tmp_path / "x.tmx"], "none.csv: no such file"),
        (["run", SEED, "-o", "-", "--format", "parquet"], "parquet cannot be written to stdout"),
        (["run", SEED, "-o", tmp_path / "x.xlsx"], "unknown output extension '.xlsx'"),
        (["run", SEED, "--format", "docx"], "unknown output format 'docx'"),
        (["run", SEED, "--unaligned-out", tmp_path / "rest.tmx"], "tmx holds translation pairs"),
    ]
    for args, message in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr


def test_help_shows_examples_for_the_new_commands():
    assert (
        "aligner convert out/seed-corpus.csv out/seed-corpus.tmx"
        in invoke("convert", "--help").stdout
    )
    assert (
        "aligner subtitles film.es.srt film.en.srt -o film.tmx"
        in invoke("subtitles", "--help").stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["align", "{d}/news.en", "{d}/news.es", "-o", "{d}/news.es"],
         "news.es: is also an input"),
        (["align", "{d}/news.en", "{d}/news.es", "-o", "{d}/news.fr"],
         "Moses files are named news.<language> and could overwrite the input news."),
        (["align", "{d}/news.en", "{d}/news.es", "-o", "{d}/p.csv", "--unaligned-out", "{d}/p.csv"],
         "two outputs name the same file"),
        (["run", "{d}/news.es", "--langs", "es,en", "-o", "{d}/news.es"],
         "news.es: is also an input"),
        (["convert", "{d}/table.csv", "{d}/table.csv"], "table.csv: is also an input"),
        (["align", "{d}/news.en", "{d}/news.es", "-o", "{d}"], "is a folder; name a file"),
    ],
)  # fmt: skip
def test_an_output_that_would_overwrite_an_input_is_refused_before_any_work(
    tmp_path, args, message
):
    (tmp_path / "news.en").write_text("The mayor opened the new bridge.\n", encoding="utf-8")
    (tmp_path / "news.es").write_text("El alcalde inauguró el nuevo puente.\n", encoding="utf-8")
    (tmp_path / "table.csv").write_text("doc_id,text\nd,x\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = invoke(*[a.format(d=tmp_path) for a in args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_align_drop_copies_leaves_out_pairs_of_one_text(tmp_path):
    # shieldfy/API-Security-Checklist READMEs (MIT; tests/data/readme/NOTICE.md): the heading
    # "OAuth" is the same in both, a copy rather than a translation
    readme = DATA / "readme"
    out = tmp_path / "pairs.csv"
    result = invoke(
        "align", readme / "README.es.md", readme / "README.md", "-o", out, "--drop-copies"
    )
    assert result.exit_code == 0, result.output
    assert "1 pair left out (the same text on both sides)" in result.stderr
    pairs = pd.read_csv(out)
    assert len(pairs) == 19 and "OAuth" not in pairs["src_text"].tolist()
    assert pairs["signature"][0].endswith("|export:no-copies")


def test_run_pairs_the_caption_of_a_jsonl_body_written_in_html(tmp_path):
    from tests.test_read_markup import BODY, SHOWN

    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "kiev", "text": BODY}) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["run", str(dump), "--langs", "es,en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table[["src_text", "tgt_text"]].values.tolist() == [SHOWN[1:3]]
