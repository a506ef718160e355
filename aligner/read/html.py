"""HTML article pages: the main text, extracted with trafilatura, with the figure captions kept.

trafilatura drops ``<figcaption>`` text (and with ``include_images`` keeps only what follows the
last ``<br>``), but captions are where bilingual text lives. So each caption is first turned into
ordinary paragraphs, one per caption line, where it stood; trafilatura then keeps or drops it
with the article around it (an article's lead picture, in its header, is moved into its body
first). Tables are read the same way, one paragraph per cell line. Lines
break where the page lays its text out in blocks (``_line_structure``), so two paragraphs of a
caption are never read as one run of words. Needs ``pip install 'aligner[html]'``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any, BinaryIO

from aligner.dependencies import need
from aligner.errors import InputError
from aligner.read.base import ReadOptions, decode, input_format
from aligner.records import Document

# Elements a browser lays out as blocks of their own: their text is never on one line with the
# text around them.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose text is laid out exactly as written, spaces included.
PREFORMATTED_TAGS = ("pre", "code", "samp", "kbd", "textarea")


def _preformatted_as_text(tree: Any) -> None:
    """Code highlighting wraps every token in an element (``<span>avg</span><span>(</span>``),
    and trafilatura writes a space between elements (``avg ( n)``): a preformatted element keeps
    its text exactly as written, without the elements inside it."""
    for element in list(tree.iter(*PREFORMATTED_TAGS)):
        if len(element) and not any(a.tag in PREFORMATTED_TAGS for a in element.iterancestors()):
            text = element.text_content()
            for child in list(element):
                element.remove(child)
            element.text = text


def _glued(left: str, right: str) -> bool:
    """Whether ``left`` and ``right`` written one after the other would run two words together:
    neither side has a space at the seam, the right does not open with punctuation that clings
    to what precedes it (``,`` ``)``), and the seam is not between two Chinese or Japanese
    characters, which take no space."""
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return False
    if unicodedata.category(right[0]) in ("Po", "Pe", "Pf"):
        return False
    return not all(unicodedata.east_asian_width(ch) in "WF" for ch in (left[-1], right[0]))


def _line_structure(tree: Any) -> None:
    """Make the text's line breaks those of the page as laid out: a line break before and after
    every block element and after every ``<br>``, a space between two inline elements that
    would otherwise run two words together (``<span>A</span><span>B</span>``); text inside an
    inline element keeps its own spaces."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        tag = element.tag.lower()
        if tag == "br" or tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
        if tag in BLOCK_TAGS:
            before = element.getprevious()
            if before is not None:
                before.tail = (before.tail or "") + "\n"
            elif element.getparent() is not None:
                parent = element.getparent()
                parent.text = (parent.text or "") + "\n"
            continue
        after = element.getnext()
        if (
            not element.tail
            and after is not None
            and isinstance(after.tag, str)
            and after.tag.lower() not in BLOCK_TAGS
            and after.tag.lower() != "br"
            and _glued(element.text_content(), after.text_content())
        ):
            element.tail = " "


def _caption_parts(element: Any) -> list[Any]:
    """The parts of a caption that are lines of their own: a caption made only of elements (no
    text of its own between them, as in ``<span>es</span><span>en</span>``) holds one part per
    element, a lone wrapper element is looked into, anything else is one part."""
    children = [child for child in element if isinstance(child.tag, str)]
    own_text = (element.text or "").strip() or any((c.tail or "").strip() for c in element)
    if own_text or not children:
        return [element]
    if len(children) == 1:
        return _caption_parts(children[0])
    return children


def _part_lines(element: Any) -> list[str]:
    """The non-blank lines of ``element``'s parts (``_caption_parts``), whitespace trimmed."""
    return [
        line.strip()
        for part in _caption_parts(element)
        for line in part.text_content().split("\n")
        if line.strip()
    ]


def _replace_with_paragraphs(replaced: Any, lines: list[str], html: Any) -> None:
    """Put one ``<p>`` per line where ``replaced`` stood, which trafilatura keeps or drops with
    the article around it."""
    block = html.Element("div")
    for line in lines:
        paragraph = html.Element("p")
        paragraph.text = line
        block.append(paragraph)
    block.tail = replaced.tail
    replaced.getparent().replace(replaced, block)


def _lead_figures_into_body(tree: Any) -> None:
    """An article's lead picture stands in its ``<header>`` (beside the headline and byline),
    which trafilatura drops as page furniture, and its caption with it; the figure is moved
    to the start of the article's body, before its first paragraph after the header. A
    header outside an ``<article>`` is the page's, whose pictures are not the article's."""
    for header in list(tree.iter("header")):
        article = next(header.iterancestors("article"), None)
        if article is None:
            continue
        first = _first_paragraph_after(article, header)
        if first is None:
            continue
        for figure in list(header.iter("figure")):
            _detach_keeping_tail(figure)
            first.addprevious(figure)


def _first_paragraph_after(article: Any, header: Any) -> Any | None:
    """The first ``<p>`` of ``article`` after ``header`` and outside it, in document order."""
    inside = set(header.iter())
    passed = False
    for element in article.iter():
        passed = passed or element is header
        if passed and element.tag == "p" and element not in inside:
            return element
    return None


def _detach_keeping_tail(element: Any) -> None:
    """Remove ``element`` from its parent, leaving the text that followed it in place (lxml
    moves an element with its tail)."""
    tail, element.tail = element.tail, None
    if tail:
        before = element.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + tail
        else:
            parent = element.getparent()
            parent.text = (parent.text or "") + tail
    element.getparent().remove(element)


def _captions_as_paragraphs(tree: Any, html: Any) -> None:
    for caption in list(tree.iter("figcaption")):
        figure = caption.getparent()
        replaced = figure if figure is not None and figure.tag == "figure" else caption
        _replace_with_paragraphs(replaced, _part_lines(caption), html)


def _tables_as_paragraphs(tree: Any, html: Any) -> None:
    """trafilatura without its table output writes a table's cells on the line of the paragraph
    before it, separated by spaces; a caption under a picture in a layout table, or a text and
    its translation side by side, are lines of their own, one per cell line, in row order."""
    for table in list(tree.iter("table")):
        if table.getparent() is None or any(t is not table for t in table.iterancestors("table")):
            continue  # a nested table is read with the table that holds it
        cells = [c for c in table.iter("td", "th") if next(c.iterancestors("table")) is table]
        lines = [line for cell in cells for line in _part_lines(cell)]
        _replace_with_paragraphs(table, lines, html)


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
    _preformatted_as_text(tree)
    _line_structure(tree)
    _lead_figures_into_body(tree)
    _captions_as_paragraphs(tree, html)
    _tables_as_paragraphs(tree, html)
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
