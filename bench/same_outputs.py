"""Reference outputs of aligner's public interfaces, to prove a refactor changes no output.

Run the fixed list of cases below with the code as it is (``python bench/same_outputs.py
REF_DIR``), again after the refactor (``... NEW_DIR``), then ``python bench/same_outputs.py
--compare REF_DIR NEW_DIR``: every file must be byte-identical. The cases only go through the
interfaces a refactor of the package layout must keep: the command line
(``sys.executable -m aligner ...`` in a subprocess, whose stdout, stderr and exit code are kept
as well, since one-line summaries, notes and errors are behaviour too) and the documented
Python API (``import aligner``: ``align_dump``, ``align_documents``, ``align_texts``,
``mine``); no submodule is imported. Inputs are named by absolute paths (the shared benchmark
data, one checkout's real-input data (``MAIN``), and copies made in ``/tmp/same_outputs_inputs/``),
so the ``source`` columns do not depend on which worktree runs the script, and each CLI case
runs inside its own output folder with relative output paths, so nothing depends on OUT_DIR.
Embeddings are never cached (``--no-cache``; the API caches only when given ``cache_dir``), and
``XDG_CACHE_HOME`` points at an empty temporary folder besides. ``OUT_DIR/MANIFEST.txt`` lists
the sha256 of every file (``sha256sum`` format, sorted by path). Two runs of the same code give
identical folders, and no output is normalised: the one run-to-run difference found (the
``run:`` id of ``aligner align`` depends on the inputs' modification times) is removed at the
input, by giving every file in ``/tmp/same_outputs_inputs/`` a fixed mtime (the shared data it
otherwise reads is read-only). Do not run two copies at once: both rebuild that folder. Needs
aligner's usual dependencies, with pyarrow for the Parquet case.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, bench_dir

SHARED = bench_dir()
"""The shared benchmark data (captions-dev, textberg, mac-dev, ...): ``$ALIGNER_BENCH_DIR`` or
../shared/bench."""
MAIN = Path(os.environ.get("ALIGNER_INPUTS_CHECKOUT") or REPO)
"""The checkout whose seeds/, notebooks/data/ and bench/real/ (real-input test data) are read:
``$ALIGNER_INPUTS_CHECKOUT``, else this one. Set it to one checkout for both runs, so that the
``source`` columns do not depend on which worktree runs the script."""
REAL = MAIN / "bench" / "real"
INPUTS = Path("/tmp/same_outputs_inputs")
"""Copies and small made-up inputs, rebuilt at every run at this fixed absolute path."""
INPUTS_MTIME_NS = 1_704_067_200 * 10**9
"""Modification time given to every file in INPUTS (2024-01-01 00:00 UTC): ``aligner align``
identifies a file pair in its journal by path, size and mtime, and the ``run:`` id that ends
the signature of both tables is a digest of the journal, so a fresh copy would change it."""

CAPTIONS = SHARED / "captions-dev"
TEXTBERG = SHARED / "textberg"
SUBTITLES = REAL / "subtitles"
HARBOUR_ES = MAIN / "notebooks" / "data" / "harbour.es.txt"
HARBOUR_EN = MAIN / "notebooks" / "data" / "harbour.en.txt"
CLI_TIMEOUT_S = 300
MANIFEST = "MANIFEST.txt"
NO_CACHE = "--no-cache"


@dataclass(frozen=True)
class Cli:
    """``python -m aligner ARGS`` run in ``OUT_DIR/NAME``; stdout, stderr and exit code kept."""

    name: str
    args: tuple[str, ...]
    stdin: Path | None = None


@dataclass(frozen=True)
class Api:
    """A Python API call that writes its results into ``OUT_DIR/NAME``."""

    name: str
    call: Callable[[Path], None]


def cli(name: str, *args: str | Path, stdin: Path | None = None) -> Cli:
    return Cli(name, tuple(str(a) for a in args), stdin)


def prepare_inputs() -> None:
    """Rebuild INPUTS: small folder pairs copied from the shared data, and bad inputs."""
    if INPUTS.exists():
        shutil.rmtree(INPUTS)
    for doc in ("003", "004", "005"):  # 95, 107 and 36 German sentences
        for lang in ("de", "fr"):
            folder = INPUTS / "textberg" / lang
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(TEXTBERG / lang / doc, folder / doc)
    # two collections for `mine`: two German documents, their French translations and a
    # French document without counterpart (.txt, so that a folder reader takes them)
    for lang, docs in (("de", ("003", "005")), ("fr", ("003", "004", "005"))):
        folder = INPUTS / "mine" / lang
        folder.mkdir(parents=True)
        for doc in docs:
            shutil.copyfile(TEXTBERG / lang / doc, folder / f"{doc}.txt")
    # the partial-docs pairs, copied so that their mtime is fixed (see INPUTS_MTIME_NS)
    for lang in ("pt", "en"):
        shutil.copytree(REAL / "partial-docs" / lang, INPUTS / "partial-docs" / lang)
    # the first verses of the Bible set (en 120 lines, zh 150: the ends need not match)
    bible = INPUTS / "bible"
    bible.mkdir()
    for lang, lines in (("en", 120), ("zh", 150)):
        text = (SHARED / "bible-en-zh" / lang / "001").read_text(encoding="utf-8")
        (bible / f"{lang}.txt").write_text(
            "".join(text.splitlines(keepends=True)[:lines]), encoding="utf-8"
        )
    # the text column of the language-ID set: mixed lines, and every 100th segment
    langid = INPUTS / "langid"
    langid.mkdir()
    for name, step, keep in (("mixed", 1, 60), ("segments", 100, None)):
        rows = (SHARED / "langid" / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
        column = rows[0].split("\t").index("text")
        texts = [row.split("\t")[column] for row in rows[1::step]][:keep]
        (langid / f"{name}.txt").write_text("".join(f"{t}\n" for t in texts), encoding="utf-8")
    bad = INPUTS / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "latin1.txt").write_bytes("El café de la estación está cerrado.\n".encode("latin-1"))
    (bad / "broken.jsonl").write_bytes(
        b'{"id": "ok", "text": "El puerto abre a las ocho. / The port opens at eight."}\n'
        b'{"id": "torn", "text": \n'
    )
    for path in INPUTS.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(INPUTS_MTIME_NS, INPUTS_MTIME_NS))


def cli_cases() -> list[Cli]:
    jsonl = CAPTIONS / "docs.jsonl"
    es_en = ("--langs", "es,en")
    tb = INPUTS / "textberg"
    bad = INPUTS / "bad"
    ep03 = SUBTITLES / "morevna-ep03"
    return [
        # --- aligner run -----------------------------------------------------------------
        cli("run_captions_csv", "run", jsonl, *es_en, NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        cli("run_captions_tmx", "run", jsonl, *es_en, NO_CACHE, "-o", "pairs.tmx",
            "--unaligned-out", "unaligned.csv"),
        cli("run_captions_tsv", "run", jsonl, *es_en, NO_CACHE, "-o", "pairs.tsv",
            "--unaligned-out", "unaligned.tsv"),
        cli("run_captions_jsonl", "run", jsonl, *es_en, NO_CACHE, "-o", "pairs.jsonl",
            "--unaligned-out", "unaligned.jsonl"),
        cli("run_captions_jobs2", "run", jsonl, *es_en, NO_CACHE, "--jobs", "2", "-o",
            "pairs.csv", "--unaligned-out", "unaligned.csv"),
        cli("run_captions_stdout", "run", jsonl, *es_en, NO_CACHE),
        cli("run_captions_stdin", "run", "-", *es_en, NO_CACHE, "-o", "pairs.csv",
            stdin=jsonl),
        cli("run_captions_options", "run", jsonl, *es_en, NO_CACHE, "--min-score", "0.8",
            "--no-split-mixed", "--no-whole-articles", "-o", "pairs.csv"),
        cli("run_captions_filters", "run", jsonl, *es_en, NO_CACHE, "--max-length-ratio",
            "1.3", "--dedupe", "--drop-copies", "--excel-safe", "-o", "pairs.csv"),
        cli("run_captions_txt_inferred", "run", CAPTIONS / "txt", NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        cli("run_seeds", "run", MAIN / "seeds", *es_en, NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        # real caption markup (HTML pages, gzipped); languages inferred (de-en)
        cli("run_real_caption_pages", "run", REAL / "captions" / "pages", NO_CACHE, "-o",
            "pairs.csv", "--unaligned-out", "unaligned.csv"),
        cli("run_real_subtitles_bilingual", "run", SUBTITLES / "morevna-ep03.es-en.srt",
            *es_en, NO_CACHE, "-o", "pairs.csv", "--unaligned-out", "unaligned.csv"),
        cli("run_real_subtitles_bilingual_tsv", "run", SUBTITLES / "morevna-ep04.es-en.srt",
            *es_en, NO_CACHE, "-o", "pairs.tsv"),
        # a folder of document pairs read as one dump (languages inferred: pt-en)
        cli("run_real_partial_docs", "run", REAL / "partial-docs", NO_CACHE, "-o",
            "pairs.csv", "--unaligned-out", "unaligned.csv"),
        # one language only: no pair, and a note that the languages are unsure
        cli("run_real_monolingual_es", "run", REAL / "monolingual" / "es", NO_CACHE, "-o",
            "pairs.csv", "--unaligned-out", "unaligned.csv"),
        # --- aligner align ---------------------------------------------------------------
        *(
            cli(f"align_textberg_{doc}", "align", TEXTBERG / "de" / doc, TEXTBERG / "fr" / doc,
                NO_CACHE, "-o", "pairs.csv", "--beads-out", "beads", "--unaligned-out",
                "unaligned.csv")
            for doc in ("003", "004", "005")
        ),
        cli("align_textberg_005_tsv_stdout", "align", TEXTBERG / "de" / "005",
            TEXTBERG / "fr" / "005", "--src-lang", "de", "--tgt-lang", "fr", "--presplit",
            NO_CACHE, "--format", "tsv"),
        cli("align_macdev_006", "align", SHARED / "mac-dev" / "zh" / "006",
            SHARED / "mac-dev" / "en" / "006", "--presplit", NO_CACHE, "-o", "pairs.csv",
            "--beads-out", "beads", "--unaligned-out", "unaligned.csv"),
        cli("align_bible_en_zh_start", "align", INPUTS / "bible" / "en.txt",
            INPUTS / "bible" / "zh.txt", "--presplit", NO_CACHE, "-o", "pairs.csv",
            "--beads-out", "beads", "--unaligned-out", "unaligned.csv"),
        cli("align_dirs_textberg_jobs2", "align", "--src-dir", tb / "de", "--tgt-dir",
            tb / "fr", "--presplit", "--jobs", "2", NO_CACHE, "-o", "pairs.csv",
            "--beads-out", "beads", "--unaligned-out", "unaligned.csv"),
        cli("align_dirs_real_partial_docs", "align", "--src-dir", INPUTS / "partial-docs" / "pt",
            "--tgt-dir", INPUTS / "partial-docs" / "en", NO_CACHE, "--min-score", "0.2", "-o",
            "pairs.tmx", "--beads-out", "beads", "--unaligned-out", "unaligned.csv"),
        # --- aligner subtitles -----------------------------------------------------------
        cli("subtitles_morevna_ep03", "subtitles", f"{ep03}.es.srt", f"{ep03}.en.srt",
            NO_CACHE, "-o", "pairs.csv", "--unaligned-out", "rest.csv"),
        cli("subtitles_morevna_ep03_tmx", "subtitles", f"{ep03}.es.srt", f"{ep03}.en.srt",
            NO_CACHE, "-o", "pairs.tmx"),
        cli("subtitles_pepper_ep06_langs", "subtitles",
            SUBTITLES / "pepper-and-carrot-ep06.fr.srt",
            SUBTITLES / "pepper-and-carrot-ep06.en.srt", "--langs", "fr,en", NO_CACHE, "-o",
            "pairs.jsonl", "--unaligned-out", "rest.jsonl"),
        # --- aligner mine ----------------------------------------------------------------
        cli("mine_harbour", "mine", HARBOUR_ES, "--tgt", HARBOUR_EN, *es_en, NO_CACHE, "-o",
            "pairs.csv", "--unaligned-out", "unaligned.csv", "--matches-out", "matches.csv"),
        cli("mine_harbour_sentences", "mine", HARBOUR_ES, "--tgt", HARBOUR_EN, *es_en,
            "--sentences", NO_CACHE, "-o", "pairs.tsv", "--unaligned-out", "unaligned.csv"),
        cli("mine_textberg_folders", "mine", INPUTS / "mine" / "de", "--tgt",
            INPUTS / "mine" / "fr", "--langs", "de,fr", NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv", "--matches-out", "matches.csv"),
        # --- aligner detect --------------------------------------------------------------
        cli("detect_split", "detect", CAPTIONS / "txt" / "D001.txt", *es_en, "--split"),
        cli("detect_split_json", "detect", CAPTIONS / "txt" / "D007.txt", *es_en, "--split",
            "--format", "json"),
        cli("detect_langid_mixed", "detect", INPUTS / "langid" / "mixed.txt", *es_en,
            "--split"),
        cli("detect_langid_segments_all_langs", "detect", INPUTS / "langid" / "segments.txt"),
        cli("detect_all_langs", "detect", HARBOUR_ES),
        cli("detect_document", "detect",
            REAL / "doclang" / "javascript-algorithms" / "es-es.md", "--document"),
        cli("detect_list_langs", "detect", "--list-langs"),
        # --- aligner convert (of tables written by the cases above) ----------------------
        cli("convert_csv_to_tmx", "convert", "../run_captions_csv/pairs.csv", "pairs.tmx"),
        cli("convert_csv_to_tsv_filtered", "convert", "../run_captions_csv/pairs.csv",
            "pairs.tsv", "--min-score", "0.9", "--dedupe"),
        cli("convert_csv_to_moses", "convert", "../run_captions_csv/pairs.csv", "corpus.es"),
        cli("convert_csv_to_parquet", "convert", "../run_captions_csv/pairs.csv",
            "pairs.parquet"),
        cli("convert_tmx_to_csv", "convert", "../run_captions_tmx/pairs.tmx", "pairs.csv"),
        cli("convert_subtitles_csv_to_jsonl", "convert", "../subtitles_morevna_ep03/pairs.csv",
            "pairs.jsonl"),
        # --- bad input and usage errors --------------------------------------------------
        cli("bad_missing_file", "run", bad / "missing.txt", *es_en, NO_CACHE, "-o",
            "pairs.csv"),
        cli("bad_empty_file_run", "run", bad / "empty.txt", *es_en, NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        cli("bad_empty_file_align", "align", bad / "empty.txt", TEXTBERG / "fr" / "005",
            "--src-lang", "de", "--tgt-lang", "fr", NO_CACHE, "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        cli("bad_not_utf8", "run", bad / "latin1.txt", *es_en, NO_CACHE, "-o", "pairs.csv"),
        cli("bad_broken_jsonl", "run", bad / "broken.jsonl", *es_en, NO_CACHE, "-o",
            "pairs.csv"),
        cli("bad_skip_bad", "run", bad, *es_en, NO_CACHE, "--skip-bad", "-o", "pairs.csv",
            "--unaligned-out", "unaligned.csv"),
        cli("bad_subtitles_not_srt", "subtitles", bad / "empty.txt", f"{ep03}.en.srt",
            NO_CACHE),
        cli("usage_same_language_twice", "run", bad / "empty.txt", "--langs", "es,ES",
            NO_CACHE),
        cli("usage_unknown_language", "run", bad / "empty.txt", "--langs", "es,xx", NO_CACHE),
        cli("usage_unknown_encoder", "run", MAIN / "seeds", *es_en, "--encoder", "nope",
            NO_CACHE),
        cli("usage_no_inputs", "run"),
        # --- help and version ------------------------------------------------------------
        cli("help", "--help"),
        *(
            cli(f"help_{command}", command, "--help")
            for command in ("run", "align", "mine", "detect", "subtitles", "convert")
        ),
        cli("version", "--version"),
    ]  # fmt: skip


def write_corpus(corpus: object, out: Path, tables: tuple[str, ...]) -> None:
    """Each table with to_csv(index=False), its column types, and the corpus's settings."""
    lines = []
    for table in tables:
        frame = getattr(corpus, table)
        frame.to_csv(out / f"{table}.csv", index=False)
        lines += [f"{table}\t{column}\t{dtype}" for column, dtype in frame.dtypes.items()]
    (out / "dtypes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = [f"threshold\t{corpus.threshold!r}"]
    signature = (corpus.corpus if hasattr(corpus, "corpus") else corpus).signature  # mine's
    meta.append(f"signature\t{signature}")
    (out / "meta.txt").write_text("\n".join(meta) + "\n", encoding="utf-8")


def api_align_dump(out: Path) -> None:
    import aligner

    corpus = aligner.align_dump([CAPTIONS / "docs.jsonl"], langs="es,en")
    write_corpus(corpus, out, ("pairs", "unaligned"))
    corpus.write(out / "written.tmx")
    corpus.write(out / "written.csv", unaligned=out / "written_unaligned.jsonl")


def api_align_dump_inferred(out: Path) -> None:
    import aligner

    corpus = aligner.align_dump([str(CAPTIONS / "txt"), str(MAIN / "seeds")])
    write_corpus(corpus, out, ("pairs", "unaligned"))


def api_align_texts_lists(out: Path) -> None:
    import aligner

    corpus = aligner.align_texts(
        ["Hola.", "¿Qué tal?", "El barco sale del puerto a las ocho de la mañana."],
        ["Hello.", "How are you?", "The boat leaves the harbour at eight in the morning."],
        "es",
        "en",
    )
    write_corpus(corpus, out, ("pairs", "unaligned"))


def api_align_texts_strings(out: Path) -> None:
    import aligner

    es = HARBOUR_ES.read_text(encoding="utf-8")
    en = HARBOUR_EN.read_text(encoding="utf-8")
    write_corpus(aligner.align_texts(es, en), out, ("pairs", "unaligned"))


def api_align_documents(out: Path) -> None:
    import aligner

    corpus = aligner.align_documents(TEXTBERG / "de" / "004", TEXTBERG / "fr" / "004")
    write_corpus(corpus, out, ("pairs", "unaligned"))


def api_align_documents_folders(out: Path) -> None:
    import aligner

    folders = INPUTS / "textberg"
    corpus = aligner.align_documents(
        folders / "de", folders / "fr", src_lang="de", tgt_lang="fr", presplit=True
    )
    write_corpus(corpus, out, ("pairs", "unaligned"))


def api_mine(out: Path) -> None:
    import aligner

    found = aligner.mine([INPUTS / "mine" / "de"], [INPUTS / "mine" / "fr"], "de,fr")
    write_corpus(found, out, ("pairs", "unaligned", "matches"))


def api_mine_sentences(out: Path) -> None:
    import aligner

    found = aligner.mine([HARBOUR_ES], [HARBOUR_EN], ("es", "en"), documents=False)
    write_corpus(found, out, ("pairs", "unaligned", "matches"))


def api_cases() -> list[Api]:
    return [
        Api("api_align_dump", api_align_dump),
        Api("api_align_dump_inferred", api_align_dump_inferred),
        Api("api_align_texts_lists", api_align_texts_lists),
        Api("api_align_texts_strings", api_align_texts_strings),
        Api("api_align_documents", api_align_documents),
        Api("api_align_documents_folders", api_align_documents_folders),
        Api("api_mine", api_mine),
        Api("api_mine_sentences", api_mine_sentences),
    ]


def cli_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache)  # belt and braces: every case says --no-cache too
    env["COLUMNS"] = "120"  # help panels and usage errors are laid out for this width
    env["LINES"] = "50"
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    return env


def run_cli(case: Cli, out: Path, env: dict[str, str]) -> int:
    stdin = case.stdin.open("rb") if case.stdin else subprocess.DEVNULL
    try:
        done = subprocess.run(
            [sys.executable, "-m", "aligner", *case.args],
            cwd=out,
            env=env,
            stdin=stdin,
            capture_output=True,
            timeout=CLI_TIMEOUT_S,
            check=False,
        )
    finally:
        if case.stdin:
            stdin.close()
    (out / "stdout.txt").write_bytes(done.stdout)
    (out / "stderr.txt").write_bytes(done.stderr)
    (out / "exit_code.txt").write_text(f"{done.returncode}\n", encoding="utf-8")
    return done.returncode


def run_api(case: Api, out: Path) -> int:
    """The UserWarnings (the notes the CLI prints) and any exception are written down as
    outputs. Other warnings are not: a ResourceWarning comes when the garbage collector runs
    and names a file inside the worktree (an unclosed model zip of the language detector)."""
    code = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", UserWarning)
        try:
            case.call(out)
        except Exception as error:  # an exception is an output like any other
            code = 1
            (out / "error.txt").write_text(
                "".join(traceback.format_exception_only(error)), encoding="utf-8"
            )
    notes = [f"{w.category.__name__}: {w.message}" for w in caught]
    (out / "warnings.txt").write_text("".join(f"{n}\n" for n in notes), encoding="utf-8")
    return code


def write_manifest(out_dir: Path) -> int:
    lines = []
    for path in sorted(files_under(out_dir)):
        digest = hashlib.sha256((out_dir / path).read_bytes()).hexdigest()
        lines.append(f"{digest}  {path}\n")
    (out_dir / MANIFEST).write_text("".join(lines), encoding="utf-8")
    return len(lines)


def files_under(folder: Path) -> set[str]:
    """Relative POSIX paths of every file under folder, MANIFEST.txt excepted."""
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    found.discard(MANIFEST)
    return found


def produce(out_dir: Path, only: set[str] | None) -> int:
    cases: list[Cli | Api] = [*cli_cases(), *api_cases()]
    names = [case.name for case in cases]
    assert len(set(names)) == len(names), "case names must be unique"
    if only:
        unknown = only - set(names)
        if unknown:
            sys.exit(f"unknown case(s): {', '.join(sorted(unknown))}")
        cases = [case for case in cases if case.name in only]
    if out_dir.exists() and any(out_dir.iterdir()):
        sys.exit(f"{out_dir} exists and is not empty; give a new folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir = out_dir.resolve()
    prepare_inputs()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="same_outputs_cache_") as cache:
        env = cli_env(Path(cache))
        os.environ["XDG_CACHE_HOME"] = cache  # for the API cases, which run in this process
        for case in cases:
            out = out_dir / case.name
            out.mkdir()
            t0 = time.perf_counter()
            code = run_cli(case, out, env) if isinstance(case, Cli) else run_api(case, out)
            print(f"{case.name:40s} exit {code:3d}  {time.perf_counter() - t0:6.1f} s", flush=True)
    count = write_manifest(out_dir)
    elapsed = time.perf_counter() - started
    print(f"{len(cases)} cases, {count} files in {out_dir / MANIFEST}, {elapsed:.0f} s")
    return 0


def first_difference(a: bytes, b: bytes, context: int = 2, limit: int = 14) -> str:
    """Where two files first differ: for text, the line and column, then the first hunk of
    a unified diff, long lines shown around that column; for binary, the first byte."""
    try:
        a_lines = a.decode("utf-8").splitlines(keepends=True)
        b_lines = b.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        at = min(len(a), len(b)) if at is None else at
        return f"    binary: {len(a)} vs {len(b)} bytes, first difference at byte {at}\n"
    row = next(
        (i for i, (x, y) in enumerate(zip(a_lines, b_lines, strict=False)) if x != y),
        min(len(a_lines), len(b_lines)),
    )
    x = a_lines[row] if row < len(a_lines) else ""
    y = b_lines[row] if row < len(b_lines) else ""
    col = next(
        (i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y))
    )
    lines = [f"    first difference: line {row + 1}, column {col + 1}\n"]
    left = max(0, col - 80)
    diff = difflib.unified_diff(a_lines, b_lines, "A", "B", n=context)
    for count, line in enumerate(diff):
        if count >= limit or (line.startswith("@@") and count > 3):
            lines.append("    ...\n")
            break
        text = line.rstrip("\n")
        if len(text) > 200 and not line.startswith("@@"):
            body = text[1:]
            cut = body[left : left + 180]
            text = (
                text[0] + ("..." if left else "") + cut + ("..." if left + 180 < len(body) else "")
            )
        lines.append(f"    {text}\n")
    return "".join(lines)


def compare(a_dir: Path, b_dir: Path) -> int:
    a_files, b_files = files_under(a_dir), files_under(b_dir)
    differ = 0
    for path in sorted(a_files | b_files):
        if path not in b_files or path not in a_files:
            where = a_dir if path in a_files else b_dir
            print(f"ONLY IN {where}: {path}")
            differ += 1
            continue
        a, b = (a_dir / path).read_bytes(), (b_dir / path).read_bytes()
        if a != b:
            differ += 1
            print(f"DIFFERS: {path}")
            print(first_difference(a, b), end="")
    total = len(a_files | b_files)
    print(f"{total} files compared, {differ} differ" + ("" if differ else ": identical"))
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="where the outputs go (new)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    parser.add_argument("--only", help="comma-separated case names (for debugging a case)")
    args = parser.parse_args()
    if args.compare:
        try:
            return compare(*args.compare)
        except BrokenPipeError:  # `--compare A B | head`
            sys.stderr.close()
            return 1
    if args.out_dir is None:
        parser.error("give OUT_DIR, or --compare A B")
    only = set(args.only.split(",")) if args.only else None
    return produce(args.out_dir, only)


if __name__ == "__main__":
    sys.exit(main())
