"""``aligner detect`` end to end through the typer app."""

import json

from typer.testing import CliRunner

from aligner.cli import app

runner = CliRunner()
SEED_ES = (
    "Sergei SUPINSKY / AFP - El presidente ucraniano, Volodymyr Zelensky (dcha.), "
    "y el secretario general de la OTAN, Jens Stoltenberg (izda.)"
)
LINES = [SEED_ES, "", "¿Puedo ir? / May I go?", "Kori Schulman", "12:30", "  The dog barks.  "]


def detect(*args, stdin=None):
    return runner.invoke(app, ["detect", *args], input=stdin)


def test_one_row_per_line_with_offsets_into_the_line(tmp_path):
    source = tmp_path / "captions.txt"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = detect(str(source), "--langs", "es,en")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[:4] for row in rows] == [
        ["0", "0", str(len(SEED_ES)), "es"],
        ["2", "0", "22", "es"],
        ["3", "0", "13", "und"],
        ["4", "0", "5", "und"],
        ["5", "2", "16", "en"],
    ]
    assert rows[2][4] == rows[3][4] == "0.0000"
    assert float(rows[0][4]) > 0.99


def test_split_gives_a_row_per_language(tmp_path):
    source = tmp_path / "captions.txt"
    source.write_text("\n".join(LINES), encoding="utf-8")
    result = detect(str(source), "--langs", "es,en", "--split")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert rows[:3] == [
        ["0", "0", str(len(SEED_ES)), "es"],
        ["2", "0", "10", "es"],
        ["2", "13", "22", "en"],
    ]


def test_split_keeps_a_caption_whole_when_its_only_other_language_is_a_place_name(tmp_path):
    # a Vietnamese caption and its English line: "Hanoi" after " - " cut the English line
    vi = "Hành khách đi chuyến tàu đầu tiên trên tuyến Nhổn - Ga Hà Nội."
    en = "Passengers ride the first train on the Nhon - Hanoi Station line."
    source = tmp_path / "vi.txt"
    source.write_text(f"{vi}\n{en}\n", encoding="utf-8")
    result = detect(str(source), "--langs", "vi,en", "--split")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert rows == [["0", "0", str(len(vi)), "vi"], ["1", "0", str(len(en)), "en"]]


def test_json_from_stdin():
    result = detect(
        "-",
        "--langs",
        "es,en",
        "--split",
        "--format",
        "json",
        stdin="EFE - Llueve en Madrid. EFE - It rains in Madrid.\n",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line"], r["start"], r["end"], r["lang"], r["text"]) for r in rows] == [
        (0, 0, 23, "es", "EFE - Llueve en Madrid."),
        (0, 24, 49, "en", "EFE - It rains in Madrid."),
    ]


def test_langdetect_is_selectable():
    result = detect(
        "-",
        "--langs",
        "es,en",
        "--detector",
        "langdetect",
        stdin="El perro come carne todos los días.\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\t")[3] == "es"


def test_missing_file(tmp_path):
    result = detect(str(tmp_path / "nope.txt"))
    assert result.exit_code == 2  # a path that does not exist is a usage error
    assert "nope.txt: no such file or folder" in result.stderr


def test_binary_and_non_utf8_input(tmp_path):
    binary, latin1 = tmp_path / "image.txt", tmp_path / "latin1.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    latin1.write_bytes("Año nuevo\n".encode("latin-1"))
    for path, message in ((binary, "binary"), (latin1, "not valid UTF-8")):
        result = detect(str(path))
        assert result.exit_code == 1
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_split_needs_two_languages():
    result = detect("-", "--split", stdin="hola\n")
    assert result.exit_code == 2
    assert "--split needs the languages to split between" in result.stderr


def test_unknown_language_code_and_detector():
    result = detect("-", "--langs", "es,xx", stdin="hola\n")
    assert result.exit_code == 2
    assert "unknown language code 'xx'" in result.stderr
    result = detect("-", "--detector", "nope", stdin="hola\n")
    assert result.exit_code == 2
    assert "unknown language detector 'nope'" in result.stderr


def test_detect_labels_lines_as_run_does(tmp_path):
    # detect had its own labelling: it gave program code a language, kept a language tag
    # inside the caption and searched a line of any length for a change of language
    code = "tabla = np.zeros((filas, columnas), dtype=np.float32)"
    tagged = "ES: Vista aérea de la playa durante el verano."
    long_line = "El perro ladra en el jardín. " * 80 + "The dog barks in the garden. " * 80
    source = tmp_path / "mixed.txt"
    source.write_text(f"{code}\n{tagged}\n{long_line}\n", encoding="utf-8")
    result = detect(str(source), "--langs", "es,en", "--split")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert rows[:3] == [
        ["0", "0", str(len(code)), "und"],
        ["1", "0", "4", "und"],
        ["1", "4", str(len(tagged)), "es"],
    ]
    assert len(long_line) > 2_000 and rows[3:] == [["2", "0", str(len(long_line) - 1), "es"]]
