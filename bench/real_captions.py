"""Real input: caption pairs in real caption markup and in one-line-per-paragraph text.

python bench/real_captions.py [--out FILE.md]
No real bilingual caption page with an open licence was found, so the two real parts are put
together (bench/real/captions/README.md): the caption markup of four real pages
(mozilla/readability's test pages: ``<figcaption>`` holding ``<p>`` children, ``<span>``
children, ``<br>``, a Blogger ``tr-caption`` table cell), each caption of a page filled with a
real figure caption of the Debian Administrator's Handbook and its human translation; and the
handbook's own English paragraphs, one per line, with a figure caption and its translation on
two lines of their own (no full stop), with and without blank lines between lines. A predicted
pair counts when both texts equal an inserted caption pair's. Deterministic.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
from _common import stamp, write_section

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.read.base import Markup
from aligner.read.html import html_text
from aligner.read.markup import shown_text
from aligner.records import Document

DATA = Path(__file__).resolve().parent / "real" / "captions"


def _figures() -> list[dict[str, str]]:
    with (DATA / "figures.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _bodies() -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    with (DATA / "body.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            bodies.setdefault(row["file"], []).append(row["en"])
    return bodies


def _fragment(markup: str) -> list[Any]:
    """Elements and text of an HTML fragment, to put inside an element."""
    holder = lxml.html.fragment_fromstring(f"<div>{markup}</div>")
    return [holder.text or "", *holder]


def _fill(element: Any, markup: str) -> None:
    """Replace what ``element`` holds with ``markup``."""
    tail = element.tail
    for child in list(element):
        element.remove(child)
    text, *children = _fragment(markup)
    element.text = text
    for child in children:
        element.append(child)
    element.tail = tail


def _minify(html: bytes) -> bytes:
    """The page with the whitespace between tags removed, as minified pages are served."""
    return re.sub(rb">\s+<", b"><", html)


# A layout: the page, how to find its caption elements, what to write in one (the page's own
# markup around the two captions), the language pair, and whether the page is minified.
Layout = tuple[str, str, Callable[[str, str], str], tuple[str, str], bool]
LAYOUTS: dict[str, Layout] = {
    "`<figcaption>` with two `<p>` (heise, as served)": (
        "heise", "//figcaption",
        lambda a, b: f'\n    <p class="caption">{a}</p>\n    <p class="source">{b}</p>\n',
        ("de", "en"), False,
    ),
    "`<figcaption>` with two `<p>` (heise, minified)": (
        "heise", "//figcaption",
        lambda a, b: f'<p class="caption">{a}</p><p class="source">{b}</p>',
        ("de", "en"), True,
    ),
    "`<figcaption>` with two `<span>`, no space between (nytimes-3)": (
        "nytimes-3", "//figcaption[@itemprop='caption description']",
        lambda a, b: f'<span class="css-8i9d0s e13ogyst0">{a}</span><span '
        f'itemprop="copyrightHolder" class="emkp2hg2 css-1nwzsjy e1z0qqy90">{b}</span>',
        ("fr", "en"), False,
    ),
    "`<figcaption>` with `<br />` (toc-missing)": (
        "toc-missing", "//figcaption",
        lambda a, b: f"\n    {a}<br />\n    <small>{b}</small>\n",
        ("fr", "en"), False,
    ),
    "`<br>` in a `tr-caption` table cell (blogger)": (
        "blogger", "//td[@class='tr-caption']",
        lambda a, b: f"{a}<br />{b}",
        ("fr", "en"), False,
    ),
}  # fmt: skip


def html_documents(
    layout: Layout, figures: list[dict[str, str]], body: Markup | None = None
) -> tuple[list, set]:
    """One document per page filled with the next captions, until every figure was used; with
    ``body``, each page's ``<article>`` element alone (or its ``<body>``), as a CMS keeps an
    article's body in a JSONL dump, read as a JSONL text field written in ``body`` markup is
    (``read.markup``; ``text`` is how it was read before)."""
    page, path, markup, (src, tgt), minified = layout
    source = gzip.decompress((DATA / "pages" / f"{page}.html.gz").read_bytes())
    if minified:
        source = _minify(source)
    documents, gold, used, number = [], set(), 0, 0
    while used < len(figures):
        tree = lxml.html.document_fromstring(source)
        for element in tree.xpath(path)[: len(figures) - used]:  # the rest keep their own
            figure = figures[used]
            _fill(element, markup(figure[src], figure[tgt]))
            gold.add((f"{page}-{number}", figure[src], figure[tgt]))
            used += 1
        doc_id = f"{page}-{number}"
        if body is not None:
            element = (tree.xpath("//article") or tree.xpath("//body"))[0]
            text = shown_text(lxml.html.tostring(element, encoding="unicode"), body)
        else:
            text = html_text(lxml.html.tostring(tree, encoding="utf-8"), doc_id)
        documents.append(Document(doc_id, text, doc_id))
        number += 1
    return documents, gold


def text_documents(
    figures: list[dict[str, str]], bodies: dict[str, list[str]], between: str
) -> tuple[list, set]:
    """One document per figure: the paragraphs of its handbook page, one per line, with the
    French caption and the English one on two lines after the first half of them."""
    documents, gold = [], set()
    for number, figure in enumerate(figures):
        body = bodies.get(figure["file"], [])
        middle = (len(body) + 1) // 2
        lines = [*body[:middle], figure["fr"], figure["en"], *body[middle:]]
        doc_id = f"figure-{number}"
        documents.append(Document(doc_id, between.join(lines) + "\n", doc_id))
        gold.add((doc_id, figure["fr"], figure["en"]))
    return documents, gold


def score(documents: list[Document], gold: set, langs: tuple[str, str]) -> str:
    aligner = CaptionAligner(RunConfig(), langs)
    start = time.perf_counter()
    found = set()
    for document in documents:
        for pair in aligner.align(document).pairs:
            src = " ".join(s.text for s in pair.src)
            tgt = " ".join(s.text for s in pair.tgt)
            found.add((document.doc_id, src, tgt))
    seconds = time.perf_counter() - start
    hits = len(found & gold)
    precision, recall = hits / max(len(found), 1), hits / max(len(gold), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return (
        f"{len(documents)} | {precision:.3f} | {recall:.3f} | **{f1:.3f}** | "
        f"{hits}/{len(found)}/{len(gold)} | {seconds:.1f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    args = parser.parse_args()
    figures, bodies = _figures(), _bodies()
    rows = []
    for name, layout in LAYOUTS.items():
        documents, gold = html_documents(layout, figures)
        rows.append(f"| HTML: {name} | {'-'.join(layout[3])} | {score(documents, gold, layout[3])}")
    for name, layout in LAYOUTS.items():
        if "minified" in name:
            continue
        pair = "-".join(layout[3])
        for markup, read in ((Markup.TEXT, "as plain text (before)"), (Markup.AUTO, "as HTML")):
            documents, gold = html_documents(layout, figures, body=markup)
            rows.append(
                f"| JSONL body, read {read}: {name} | {pair} | {score(documents, gold, layout[3])}"
            )
    for name, between in [
        ("one paragraph per line", "\n"),
        ("one paragraph per line, blank lines between", "\n\n"),
    ]:
        documents, gold = text_documents(figures, bodies, between)
        rows.append(f"| text: {name} | fr-en | {score(documents, gold, ('fr', 'en'))}")
    text = "\n".join(
        [
            "## Real input: caption layouts",
            "",
            stamp("python bench/real_captions.py"),
            "",
            f"{len(figures)} real figure captions of the Debian Administrator's Handbook with "
            "their human French and German translations (no full stop at the end), put into "
            "real caption markup: every caption element of four real pages from "
            "mozilla/readability's test pages (one document per page until every caption "
            "was used once), and into the handbook's own English paragraphs written one per "
            "line (one document per figure, the source caption then its translation on two "
            "lines of their own); and each page's `<article>` element alone (or its `<body>`), "
            "as a CMS keeps an article's body in a JSONL dump, read as a JSONL text field is. "
            "No real bilingual caption page with an open licence was "
            "found; the markup and the texts are each real (`bench/real/captions/README.md`). "
            "`aligner run` pipeline, languages given, default encoder. A pair counts when both "
            "texts equal an inserted caption pair's. Built for this check and never used to "
            "choose a setting.",
            "",
            "| layout | langs | documents | precision | recall | F1 | matched/predicted/gold "
            "| time |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    write_section(args.out, text)


if __name__ == "__main__":
    main()
