"""Rebuild ``aligner/langid/data/ngrams.zip`` and ``words.zip``, the default detector's model.

Sources, all fetched from PyPI with pip (nothing else is downloaded):

* lingua-language-detector 1.3.5 (the last pure-Python release; Apache-2.0): per language,
  conditional probabilities P(last letter | previous letters) of in-word 1- to 5-grams.
* langdetect 1.0.9 (Apache-2.0, installed with aligner): per language, counts of 1- to 3-grams
  *with* word boundaries (``" de"``, ``"he "``): how words start and end, which lingua lacks.
* wordfreq 3.1.1 (data CC BY-SA 4.0): the most frequent words of each language.

The lingua n-grams are pruned by their joint probability (chain rule over the lower orders) to
keep the file small; log-probabilities are quantised to 1/8 nat. Run::

    pip install brotli msgpack   # build only
    python models/build_langid.py [--wheel LINGUA_WHEEL] [--wordfreq-wheel WORDFREQ_WHEEL]

Without the wheels the script runs ``pip download`` into a temporary folder. The output is
deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path

LINGUA = "lingua-language-detector==1.3.5"
ORDERS = ("unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams")
# n-grams kept per language and order (after pruning by joint probability).
KEEP = {1: 10_000, 2: 2000, 3: 4000, 4: 3000, 5: 2000}
QUANTUM = 8  # log-probabilities are stored as round(-ln p * QUANTUM)
# langdetect's codes where they differ from ISO 639-1 as lingua uses it.
LANGDETECT_CODES = {"no": "nb", "zh-cn": "zh"}
WORDFREQ = "wordfreq==3.1.1"
# wordfreq's codes where they differ from lingua's: Serbo-Croatian (Latin) lists serve both.
WORDFREQ_CODES = {"hr": "sh", "bs": "sh", "tl": "fil"}
OPEN_SET = "open-set.txt"
KEEP_WORDS = 8000
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
DATA = Path(__file__).resolve().parents[1] / "aligner" / "langid" / "data"


def _wheel(requirement: str, path: str | None, workdir: Path) -> Path:
    if path:
        return Path(path)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(workdir),
            requirement,
        ],
        check=True,
    )
    name, version = requirement.split("==")
    return next(workdir.glob(f"{name.replace('-', '_')}-{version}-*.whl"))


def _write(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    # A fixed timestamp keeps the archive byte-for-byte reproducible.
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content, compresslevel=9)


def _read_lingua(wheel: zipfile.ZipFile, lang: str) -> dict[str, float]:
    """Conditional log-probabilities of one language, pruned by joint probability."""
    import brotli

    conditional: dict[str, float] = {}
    present = set(wheel.namelist())
    for name in ORDERS:
        member = f"lingua/language-models/{lang}/{name}.json.br"
        if member not in present:  # Chinese, Japanese: unigrams only
            continue
        table = json.loads(brotli.decompress(wheel.read(member)))["ngrams"]
        for fraction, ngrams in table.items():
            logp = math.log(Fraction(fraction))
            for ngram in ngrams.split(" "):
                conditional[ngram] = logp
    joint: dict[str, float] = {}
    for ngram in sorted(conditional, key=len):
        prefix = joint.get(ngram[:-1], 0.0) if len(ngram) > 1 else 0.0
        joint[ngram] = prefix + conditional[ngram]
    kept: dict[str, float] = {}
    for order, limit in KEEP.items():
        same_order = [g for g in joint if len(g) == order]
        same_order.sort(key=lambda g: (-joint[g], g))
        kept.update((g, conditional[g]) for g in same_order[:limit])
    return kept


def _read_langdetect(lang: str) -> dict[str, float] | None:
    """Word-boundary log-probabilities from langdetect's profile, or None when it has none.

    Keys: ``" c"`` = P(first letter c), ``" cd"`` = P(second letter d | first letter c),
    ``"cd "`` = P(the word ends | it has reached the letters cd), ``" c "`` = P(a one-letter word
    ends | c). Counts pruned from the profile are taken as half the smallest kept count.
    """
    from importlib import resources

    codes = {v: k for k, v in LANGDETECT_CODES.items()}
    profile = resources.files("langdetect") / "profiles" / codes.get(lang, lang)
    if not profile.is_file():
        return None
    freq = {g: c for g, c in json.loads(profile.read_text(encoding="utf-8"))["freq"].items()}
    unseen = min(freq.values()) / 2
    starts = {g: c for g, c in freq.items() if len(g) == 2 and g[0] == " " and g[1] != " "}
    total_starts = sum(starts.values())
    table = {g: math.log(c / total_starts) for g, c in starts.items()}
    for g, count in freq.items():
        if len(g) == 3 and g[0] == " " and " " not in g[1:] and g[:2] in starts:
            table[g] = math.log(count / starts[g[:2]])
    # End of word after a context: one letter (" c") or two ("cd").
    contexts = {g: c for g, c in freq.items() if len(g) == 2 and " " not in g[1:]}
    for context, count in contexts.items():
        ended = freq.get(context + " ", unseen)
        table[context + " "] = math.log(min(ended, count) / count)
    return {g: v for g, v in table.items() if g == g.lower()}


def _read_wordfreq(wheel: zipfile.ZipFile, lang: str) -> dict[str, int] | None:
    """The most frequent words of a language and their frequency in centibels (-100 log10 f),
    or None when wordfreq has no list for it."""
    import msgpack

    names = set(wheel.namelist())
    code = WORDFREQ_CODES.get(lang, lang)
    member = next(
        (
            m
            for m in (f"wordfreq/data/{s}_{code}.msgpack.gz" for s in ("large", "small"))
            if m in names
        ),
        None,
    )
    if member is None:
        return None
    header, *bins = msgpack.loads(gzip.decompress(wheel.read(member)), raw=False)
    assert header["format"] == "cB", header
    kept: dict[str, int] = {}
    for centibels, bin_words in enumerate(bins):
        for word in sorted(bin_words):
            if WORD.fullmatch(word) and len(kept) < KEEP_WORDS:
                kept[word] = centibels
    return kept


def _serialise(inner: dict[str, float], edges: dict[str, float] | None) -> bytes:
    out = io.StringIO()
    for ngram in sorted(inner):
        out.write(f"{ngram}\t{round(-inner[ngram] * QUANTUM)}\n")
    for ngram in sorted(edges or {}):
        out.write(f"{ngram.replace(' ', '_')}\t{round(-edges[ngram] * QUANTUM)}\te\n")
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", help="a downloaded lingua-language-detector 1.3.5 wheel")
    parser.add_argument("--wordfreq-wheel", help="a downloaded wordfreq 3.1.1 wheel")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder")
    parser.add_argument("--langs", help="comma-separated subset, for experiments")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        lingua = zipfile.ZipFile(_wheel(LINGUA, args.wheel, Path(workdir)))
        wordfreq = zipfile.ZipFile(_wheel(WORDFREQ, args.wordfreq_wheel, Path(workdir)))
        langs = sorted(
            {n.split("/")[2] for n in lingua.namelist() if n.startswith("lingua/language-")}
        )
        if args.langs:
            langs = [lang for lang in langs if lang in args.langs.split(",")]
        with (
            zipfile.ZipFile(args.out / "ngrams.zip", "w") as ngrams,
            zipfile.ZipFile(args.out / "words.zip", "w") as words,
        ):
            complete = []
            for lang in langs:
                edges = _read_langdetect(lang)
                _write(ngrams, f"{lang}.tsv", _serialise(_read_lingua(lingua, lang), edges))
                frequent = _read_wordfreq(wordfreq, lang)
                if frequent:
                    lines = "".join(f"{w}\t{cb}\n" for w, cb in frequent.items())
                    _write(words, f"{lang}.tsv", lines.encode("utf-8"))
                if edges and frequent:
                    complete.append(lang)
                print(lang, end=" ", flush=True)
            # Open-set detection compares only languages with every kind of evidence.
            _write(ngrams, OPEN_SET, "".join(f"{lang}\n" for lang in complete).encode())
    for name in ("ngrams.zip", "words.zip"):
        size = (args.out / name).stat().st_size / 1e6
        print(f"\nwrote {args.out / name} ({size:.2f} MB)", end="")
    print()


if __name__ == "__main__":
    main()
