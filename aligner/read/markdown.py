"""Markdown (.md, .markdown): the text a reader of the rendered page sees, line for line.

Read as plain text, a translated README hands the aligner its markup: ``C&oacute;mo``,
``[guía](https://…)``, ``**nota**``, ``<img alt="…">``, ``| a | b |``. Those are no evidence of a
language and no part of a translation, yet they ended up in pairs and skewed language ID. So the
file is parsed (CommonMark, with tables and strikethrough, by markdown-it-py) and each block is
written back as its text: entities decoded, link and emphasis markup dropped (the link text
kept), an image by its alt text, inline HTML by its text, a table row as its cells joined by
`` | `` (the separator a bilingual line is split at). Code is kept verbatim. The source's line
structure is kept: a block's soft line breaks stay line breaks (the segmenter unwraps wrapped
paragraphs as in any text), and blocks stay apart by a blank line where the source had one, so
layout (a caption on the line after its translation) still counts. Front matter (``---`` ...
``---``) gives its values, each a paragraph: its ``title:`` and ``description:`` are translated
text. Offsets index this text, as they index the text extracted from HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from typing import BinaryIO

from markdown_it import MarkdownIt
from markdown_it.token import Token

from aligner.read.base import ReadOptions, decode, input_format
from aligner.read.html import BLOCK_TAGS
from aligner.records import Document

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_FRONT_MATTER_ENTRY = re.compile(r"\s*(?:-\s+)?(?:[\w-]+:(?:\s+|$))?(.*)")
_TASK_BOX = re.compile(r"\A\[[ xX]\][ \t]+")
"""A task list item's box (GitHub's ``- [ ] item``), markup like the bullet before it."""
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _HtmlText(HTMLParser):
    """The text of an HTML fragment: entities decoded, a line break around block elements and
    after ``<br>``, an image by its alt text; scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "br" or tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, one line per block, no blank or padded lines."""
    parser = _HtmlText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak" or child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type == "html_inline":
            if re.fullmatch(r"<br\s*/?>", child.content.strip(), re.IGNORECASE):
                parts.append("\n")
            else:
                parts.append(html_text(child.content))
    return "".join(parts)


def _html_block_text(fragment: str) -> str:
    """An HTML block's text, with the Markdown that some sites write inside it (kramdown's
    ``markdown="1"``: links, escapes) rendered too."""
    lines = []
    for line in html_text(fragment).split("\n"):
        parsed = _PARSER.parseInline(line)
        lines.append(_inline_text(parsed[0].children or []) if parsed else line)
    return "\n".join(lines)


def _blocks(tokens: list[Token]) -> Iterator[tuple[int, int, str]]:
    """(first source line, line after the last, text) of each block of the document, in order;
    a table row is one block, its cells joined by `` | ``, and the rows of one table follow one
    another with no line between (the delimiter row under the header is no gap)."""
    row: list[str] = []
    in_row = False
    table_line: int | None = None
    for index, token in enumerate(tokens):
        if token.type == "table_open" and token.map:
            table_line = token.map[0]
        elif token.type == "tr_open":
            row, in_row = [], True
        elif token.type == "inline" and in_row:
            row.append(" ".join(_inline_text(token.children or []).split()))
        elif token.type == "tr_close" and table_line is not None:
            yield table_line, table_line + 1, " | ".join(row)
            table_line += 1
            in_row = False
        elif token.map is None:
            continue
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if index >= 2 and tokens[index - 2].type == "list_item_open":
                text = _TASK_BOX.sub("", text)
            yield token.map[0], token.map[1], text
        elif token.type in ("fence", "code_block"):
            yield token.map[0], token.map[1], token.content
        elif token.type == "html_block":
            yield token.map[0], token.map[1], _html_block_text(token.content)


def _front_matter_values(front: str) -> list[str]:
    """The values of a front matter block (``title: Cómo contribuir`` -> ``Cómo contribuir``),
    entities decoded, quotes dropped: a title and a description are translated text, the keys
    are not."""
    values = []
    for line in front.rstrip("\n").split("\n")[1:-1]:
        match = _FRONT_MATTER_ENTRY.match(line)
        value = unescape(match.group(1) if match else line).strip().strip("\"'").strip()
        if value and value not in ("|", ">", "|-", ">-"):
            values.append(value)
    return values


def markdown_text(source: str) -> str:
    """The text of a Markdown document as its rendered page reads, in the source's lines."""
    front = _FRONT_MATTER.match(source)
    head = _front_matter_values(front.group(0)) if front else []
    body = source[front.end() :] if front else source
    lines: list[str] = ["\n\n".join(head)] if head else []
    last_end: int | None = 0 if head else None
    for start, end, text in _blocks(_PARSER.parse(body)):
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if not text:
            continue
        if last_end is not None:
            lines.append("\n\n" if start > last_end else "\n")
        lines.append(text)
        last_end = end
    return "".join(lines)


@input_format("markdown", ".md", ".markdown")
def read_markdown(
    stream: BinaryIO, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Document]:
    """A Markdown file is one document: its rendered text (``markdown_text``)."""
    yield Document(doc_id=doc_id, text=markdown_text(decode(stream.read(), source)), source=source)
