"""HTML article pages: the main text, extracted with trafilatura, with the figure captions kept.

trafilatura drops ``<figcaption>`` text (and with ``include_images`` keeps only what follows the
last ``<br>``), but captions are where bilingual text lives. So each caption is first turned into
ordinary paragraphs, one per caption line, where it stood; trafilatura then keeps or drops it
with the article around it. Needs ``pip install 'aligner[html]'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from aligner.errors import InputError
from aligner.extras import need
from aligner.read.base import ReadOptions, decode, input_format
from aligner.records import Document


def _captions_as_paragraphs(tree: Any, html: Any) -> None:
    for caption in list(tree.iter("figcaption")):
        for br in caption.iter("br"):
            br.tail = "\n" + (br.tail or "")
        lines = [line.strip() for line in caption.text_content().split("\n") if line.strip()]
        figure = caption.getparent()
        replaced = figure if figure is not None and figure.tag == "figure" else caption
        block = html.Element("div")
        for line in lines:
            paragraph = html.Element("p")
            paragraph.text = line
            block.append(paragraph)
        block.tail = replaced.tail
        replaced.getparent().replace(replaced, block)


def html_text(data: bytes, source: str) -> str:
    """The article text of an HTML page, one paragraph (or caption line) per line; empty when
    the page has none."""
    html = need("lxml.html", "html", "reading HTML")
    trafilatura = need("trafilatura", "html", "reading HTML")
    try:
        # UTF-8 first; otherwise lxml reads the bytes and follows the page's <meta charset>.
        markup: str | bytes = decode(data, source)
    except InputError:
        markup = data
    if not markup.strip():
        return ""
    try:
        tree = html.document_fromstring(markup)
    except (ValueError, html.etree.ParserError) as exc:
        raise InputError(f"{source}: not an HTML page lxml can parse ({exc})") from None
    _captions_as_paragraphs(tree, html)
    text = trafilatura.extract(
        tree, include_comments=False, include_tables=False, deduplicate=False
    )
    return text or ""


@input_format("html", ".html", ".htm")
def read_html(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """An HTML file is one document: its main text and figure captions."""
    text = html_text(stream.read(), source)
    if not text.strip():
        raise InputError(f"{source}: no article text found in the HTML page")
    yield Document(doc_id=doc_id, text=text, source=source)
