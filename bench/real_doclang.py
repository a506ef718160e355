"""Real input: the language of translated documentation, one document at a time.

    python bench/real_doclang.py [--out FILE.md]

Every file of ``bench/real/doclang/`` (excerpts of translated READMEs and docs pages of four
projects, with their English originals; sources and licences in its README.md) is named after
its language (``pt-br.md``, ``zh-tw.md``). For each, the language ``aligner`` takes it to be
in: before, as main did until this change (one detector call over the first 5,000 characters,
``align.inputs.document_language`` at aae7b5e), and after (``langid.document``). Then each
translated document is paired with its project's English one as ``aligner align TRANSLATION
EN.md`` pairs them (``side_languages`` then ``resolve_langs``) and the pair's languages and the
encoder ``--encoder auto`` picks for them are checked, before and after. Nothing was tuned on
these files beyond reading them while building the prose filter.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from _common import REPO, stamp, write_section

from aligner.documents.inputs import FilePair, resolve_langs, side_languages
from aligner.embed import AUTO, choose_encoder
from aligner.embed.usem3 import TRAINED_ON
from aligner.errors import UsageError
from aligner.langid import load_detector
from aligner.langid.codes import normalise_lang
from aligner.langid.document import SCRIPT_LANGUAGES, document_language
from aligner.read import read_inputs
from aligner.records import Document

DATA = REPO / "bench" / "real" / "doclang"
OLD_SAMPLE_CHARS = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    detector = load_detector()
    nameable = detector.open_languages | set(SCRIPT_LANGUAGES.values())
    docs = defaultdict(lambda: [0, 0, 0])  # language: documents, right before, right after
    pairs = defaultdict(lambda: [0, 0, 0, 0, 0])  # + right encoder before, after
    wrong: list[str] = []
    outside: dict[str, list[str]] = defaultdict(list)
    seconds = 0.0
    for project in sorted(p for p in DATA.iterdir() if p.is_dir()):
        english = project / "en.md"
        for path in sorted(project.glob("*.md")):
            lang = _language_of(path)
            text = path.read_text(encoding="utf-8")
            before = detector.detect(text[:OLD_SAMPLE_CHARS], [])[0]
            start = time.perf_counter()
            read = read_text(path)
            after = document_language(read, detector)
            seconds += time.perf_counter() - start
            if lang not in nameable:
                outside[lang].append(f"{project.name}/{path.name}: {after.lang}")
                continue
            counts = docs[lang]
            counts[0] += 1
            counts[1] += before == lang
            counts[2] += after.lang == lang
            if after.lang != lang:
                wrong.append(f"{project.name}/{path.name}: {after.describe()}")
            if path == english:
                continue
            pair_before = (before, detector.detect(english.read_text()[:OLD_SAMPLE_CHARS], [])[0])
            usual, _ = side_languages([FilePair(path, english, path.name)], detector)
            src = Document(path.name, read, str(path))
            tgt = Document(english.name, read_text(english), str(english))
            pair_after = resolve_langs(src, tgt, None, None, detector, usual)
            truth = (lang, "en")
            encoder = choose_encoder(AUTO, truth)
            counts = pairs[lang]
            counts[0] += 1
            counts[1] += pair_before == truth
            counts[2] += pair_after == truth
            counts[3] += choose_encoder(AUTO, pair_before) == encoder
            counts[4] += choose_encoder(AUTO, pair_after) == encoder
    lines = [
        "## Real input: document languages",
        "",
        stamp("python bench/real_doclang.py"),
        "",
        f"{sum(c[0] for c in docs.values())} documents (excerpts of at most 6,000 characters) of "
        "4 projects' translated documentation in bench/real/doclang/ (Textualize/rich READMEs, "
        "trekhleb/javascript-algorithms READMEs, shieldfy/API-Security-Checklist READMEs, "
        "github/opensource.guide's how-to-contribute page). Before: one detector call over the "
        "first 5,000 characters of the file (main at aae7b5e); after: `langid.document` (prose "
        "lines, each voting with its letters) on the text `aligner` reads (Markdown rendered). "
        "Pairs: the translation against its project's English document, languages as "
        "`aligner align` resolves them, and whether `--encoder auto` "
        "then picks the encoder of the true pair (usem3 when both are among its 15 languages).",
        "",
        "| language | usem3 | documents right, before | after | pairs right, before | after "
        "| auto's encoder right, before | after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = [0] * 8
    for lang in sorted(docs):
        d, p = docs[lang], pairs[lang]
        usem3 = "yes" if lang in TRAINED_ON else ""
        lines.append(
            f"| {lang} | {usem3} | {d[1]}/{d[0]} | {d[2]}/{d[0]} | {p[1]}/{p[0]} | {p[2]}/{p[0]} "
            f"| {p[3]}/{p[0]} | {p[4]}/{p[0]} |"
        )
        for i, value in enumerate(d + p):
            total[i] += value
    usem3_docs = [docs[lang] for lang in docs if lang in TRAINED_ON]
    usem3_pairs = [pairs[lang] for lang in docs if lang in TRAINED_ON]
    lines += [
        f"| **all** | | {total[1]}/{total[0]} | {total[2]}/{total[0]} | {total[4]}/{total[3]} "
        f"| {total[5]}/{total[3]} | {total[6]}/{total[3]} | {total[7]}/{total[3]} |",
        f"| **usem3's languages** | | {sum(d[1] for d in usem3_docs)}/"
        f"{sum(d[0] for d in usem3_docs)} | {sum(d[2] for d in usem3_docs)}/"
        f"{sum(d[0] for d in usem3_docs)} | {sum(p[1] for p in usem3_pairs)}/"
        f"{sum(p[0] for p in usem3_pairs)} | {sum(p[2] for p in usem3_pairs)}/"
        f"{sum(p[0] for p in usem3_pairs)} | {sum(p[3] for p in usem3_pairs)}/"
        f"{sum(p[0] for p in usem3_pairs)} | {sum(p[4] for p in usem3_pairs)}/"
        f"{sum(p[0] for p in usem3_pairs)} |",
        "",
        f"usem3's languages without a document here: "
        f"{', '.join(sorted(TRAINED_ON - set(docs))) or 'none'}. "
        f"Time of `langid.document`: {seconds / max(total[0], 1) * 1000:.0f} ms per document.",
        "",
        "Wrong after: " + ("; ".join(wrong) if wrong else "none") + ".",
        "",
        "Languages the default detector cannot name (outside its 40 and not written in a script "
        "of their own), not counted above, with what they were taken for: "
        + "; ".join(f"{lang}: {', '.join(found)}" for lang, found in sorted(outside.items()))
        + ".",
        "",
    ]
    write_section(args.out, "\n".join(lines))


def read_text(path: Path) -> str:
    """The text ``aligner`` reads from ``path`` (Markdown rendered, as ``run`` and ``align``
    read it)."""
    [document] = read_inputs([path])
    return document.text


def _language_of(path: Path) -> str:
    """The language a file is named after (``pt-br.md``: pt), also one no detector knows."""
    try:
        return normalise_lang(path.stem)
    except UsageError:
        return path.stem.split("-")[0]


if __name__ == "__main__":
    main()
