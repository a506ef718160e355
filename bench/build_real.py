"""Build the real-input sets under ``bench/real/`` from openly licensed third-party text.

    python bench/build_real.py --react-en DIR --react-es DIR --react-fr DIR [--debs DIR]

``--react-*`` are git directories of reactjs/react.dev, reactjs/es.react.dev and
reactjs/fr.react.dev (CC-BY-4.0); ``--debs`` holds ``debian-handbook_*.deb`` (GPL-2+ or
CC-BY-SA-3.0; fetched with ``apt-get download`` when missing). Writes, reproducibly (seed 0):

- ``monolingual/<lang>/*.txt``: one-language documents: the React blog posts in English, Spanish
  and French as a reader sees them (title, byline, date, link texts, no code blocks), and pages
  of the Debian Administrator's Handbook in English, Spanish, Portuguese, French and German.
- ``cuts/one-language.tsv``: ``lang<TAB>line``, one-language sentences holding numbers, hyphens,
  URLs, e-mail addresses, paths or code names (from the handbook).
- ``cuts/bilingual.tsv``: ``pair<TAB>separator<TAB>line<TAB>end<TAB>start``: a handbook sentence
  and its English translation joined by `` / ``, `` | `` or a tab; the gold cut is
  ``line[:end]`` | ``line[start:]``.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from build_debdocs import html_paragraphs, pages, sentences  # noqa: E402

OUT = ROOT / "bench" / "real"
HANDBOOK = {"es": "es-ES", "pt": "pt-BR", "fr": "fr-FR", "de": "de-DE", "zh": "zh-CN"}
HANDBOOK_PAGES = 30
PAGE_CHARS = 4_000
POST_CHARS = 12_000
MIN_PARAGRAPHS = 8
BILINGUAL_PER_PAIR = 60
ONE_LANGUAGE_PER_LANG = 80
SEPARATORS = [" / ", " | ", "\t"]
# what the cut sets are about: numbers, hyphenated words, URLs, e-mails, paths, code names
TOKENY = re.compile(r"\d|\w-\w|/|@|\w\.\w|\b[a-z]+[A-Z_]\w*")
LATIN_IN_CJK = re.compile(r"[A-Za-z]{2,}")


def blog_text(markdown: str, lang: str, original: str = "") -> str:
    """A React blog post as the page reads: title, date and (English) byline lines, prose with
    link texts; no code blocks, console blocks (the translations quote the English message
    beside theirs), components or heading anchors."""
    head, _, body = markdown.partition("\n---\n")
    lines = []
    for line in head.splitlines():
        key, _, value = line.partition(":")
        value = value.strip().strip('"')
        if key in {"title", "date"} or (key == "author" and lang == "en"):
            lines.append(f"By {value}" if key == "author" else value)
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    body = re.sub(r"<(Console\w*|Sandpack|Diagram\w*)[^>]*>.*?</\1>", "", body, flags=re.S)
    body = re.sub(r"<div>.*?</div>", "", body, flags=re.S)
    body = re.sub(r"\{/\*.*?\*/\}", "", body)
    body = re.sub(r"</?[A-Z]\w*[^>]*>", "", body)
    body = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"[*_]{1,3}([^*_\n]+)[*_]{1,3}", r"\1", body)
    body = re.sub(r"^#+\s*|^\s*[*-]\s+", "", body, flags=re.M)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body)]
    # a translation leaves some paragraphs (or whole posts) in English: not one-language text
    lines += in_language([p for p in paragraphs if p and p != "-"], lang, original)
    text, size = [], 0
    for line in lines:
        if size + len(line) > POST_CHARS:
            break
        text.append(line)
        size += len(line) + 1
    return "\n\n".join(text) + "\n"


def in_language(paragraphs: list[str], lang: str, original: str = "") -> list[str]:
    """``paragraphs`` of a translation without its leftovers: those found in the ``original``
    it translates, and those with a sentence or a bracketed part of three words or more that
    py3langid (another tool than this project's detector) reads as another language. The
    English originals are kept whole, boilerplate and all."""
    import py3langid

    def kept(paragraph: str) -> bool:
        if lang == "en":
            return True
        if original and paragraph in original:
            return False
        # a translation given in brackets, "Custo total de propriedade (Total cost of ownership)"
        parts = sentences(lang, paragraph) + re.findall(r"\(([^()]+)\)", paragraph)
        return all(len(s.split()) < 3 or py3langid.classify(s)[0] == lang for s in parts)

    return [p for p in paragraphs if kept(p)]


def git_files(git_dir: Path, folder: str) -> list[tuple[str, str]]:
    names = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", "HEAD", folder],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        (
            name,
            subprocess.run(
                ["git", f"--git-dir={git_dir}", "show", f"HEAD:{name}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout,
        )
        for name in names
        if name.endswith(".md") and not name.endswith("index.md")
    ]


def write_blog(git_dir: Path, lang: str, english: dict[str, str]) -> dict[str, str]:
    """Write the blog posts of one language; their texts by path. A translated post that
    keeps fewer than MIN_PARAGRAPHS paragraphs of its own is left out."""
    out = OUT / "monolingual" / lang
    out.mkdir(parents=True, exist_ok=True)
    texts = {}
    for name, markdown in git_files(git_dir, "src/content/blog"):
        text = blog_text(markdown, lang, english.get(name, ""))
        if text.count("\n\n") + 1 < MIN_PARAGRAPHS:
            continue
        stem = "react-blog-" + "-".join(Path(name).with_suffix("").parts[-4:])
        (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        texts[name] = text
    return texts


def handbook_root(debs: Path, tmp: Path) -> Path:
    found = sorted(debs.glob("debian-handbook_*.deb"))
    if not found:
        debs.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", "debian-handbook"], cwd=debs, check=True)
        found = sorted(debs.glob("debian-handbook_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(found[-1]), str(tmp)], check=True)
    return tmp / "usr" / "share" / "doc" / "debian-handbook" / "html"


def write_handbook(html: Path, rng: random.Random) -> None:
    english = sorted(html.glob("en-US/*.html"))
    swaps = {lang: [("/en-US/", f"/{code}/")] for lang, code in HANDBOOK.items()}
    rows = list(pages("debian-handbook", english, swaps, html_paragraphs))
    one_language: list[tuple[str, str]] = []
    bilingual: list[tuple[str, str, str, int, int]] = []
    for lang in HANDBOOK:
        pairs = []
        for row in rows:
            if lang not in row:
                continue
            en, other = sentences("en", row["en"]), sentences(lang, row[lang])
            if len(en) == len(other):
                pairs += [(o, e) for o, e in zip(other, en, strict=True) if o != e]
        pairs = [
            (o, e)
            for o, e in pairs
            if 25 <= len(e) <= 220 and 10 <= len(o) <= 240 and TOKENY.search(e + " " + o)
        ]
        if lang == "zh":  # the Chinese lines that hold Latin names, as in the defect
            pairs = [(o, e) for o, e in pairs if LATIN_IN_CJK.search(o)]
        rng.shuffle(pairs)
        for number, (other, en) in enumerate(pairs[:BILINGUAL_PER_PAIR]):
            separator = SEPARATORS[number % len(SEPARATORS)]
            line = other + separator + en
            bilingual.append((f"{lang}-en", separator, line, len(other), len(other + separator)))
        if lang != "zh":
            rest = pairs[BILINGUAL_PER_PAIR:]
            one_language += [(lang, o) for o, _ in rest[:ONE_LANGUAGE_PER_LANG]]
            if lang == "es":
                one_language += [("en", e) for _, e in rest[-ONE_LANGUAGE_PER_LANG:]]
    cuts = OUT / "cuts"
    cuts.mkdir(parents=True, exist_ok=True)
    with open(cuts / "bilingual.tsv", "w", encoding="utf-8") as out:
        out.write("pair\tseparator\tline\tend\tstart\n")
        for pair, separator, line, end, start in bilingual:
            shown = separator.replace("\t", "\\t")
            out.write(f"{pair}\t{shown}\t{line.replace(chr(9), chr(92) + 't')}\t{end}\t{start}\n")
    with open(cuts / "one-language.tsv", "w", encoding="utf-8") as out:
        out.write("lang\tline\n")
        out.writelines(f"{lang}\t{line}\n" for lang, line in one_language)
    for lang, code in [("en", "en-US")] + [(k, v) for k, v in HANDBOOK.items() if k != "zh"]:
        folder = OUT / "monolingual" / lang
        folder.mkdir(parents=True, exist_ok=True)
        chosen = sorted(html.glob(f"{code}/*.html"))
        rng.shuffle(chosen)
        for page in sorted(chosen[:HANDBOOK_PAGES]):
            # a translation leaves some paragraphs in English: they are not one-language text
            english = html_paragraphs(html / "en-US" / page.name) or [] if lang != "en" else []
            paragraphs = in_language(html_paragraphs(page) or [], lang, "\n".join(english))
            text, size = [], 0
            for paragraph in paragraphs:
                if size + len(paragraph) > PAGE_CHARS:
                    break
                text.append(paragraph)
                size += len(paragraph) + 1
            if text:
                name = f"debian-handbook-{page.stem}.txt"
                (folder / name).write_text("\n\n".join(text) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--react-en", type=Path, required=True)
    parser.add_argument("--react-es", type=Path, required=True)
    parser.add_argument("--react-fr", type=Path, required=True)
    parser.add_argument("--debs", type=Path, default=ROOT / "bench" / "data" / "debdocs" / "debs")
    args = parser.parse_args()
    english = write_blog(args.react_en, "en", {})
    for lang, git_dir in [("es", args.react_es), ("fr", args.react_fr)]:
        print(f"react blog {lang}: {len(write_blog(git_dir, lang, english))} posts")
    with tempfile.TemporaryDirectory() as tmp:
        write_handbook(handbook_root(args.debs, Path(tmp)), random.Random(0))


if __name__ == "__main__":
    main()
