"""The markup of a JSONL text field: plain text, an HTML fragment or Markdown, given or detected.

Dumps of articles often keep each body as its CMS stored it: HTML (``<p>...</p><figure>
<figcaption>es<br>en</figcaption></figure>``) or Markdown. Read as plain text, the caption pair
above is one line of tags and both languages, and is never found. So a field in markup is read
as the text its page shows, as an HTML or Markdown file is (offsets index that text; a whole
page, as a crawl keeps it, gives its article text without navigation and footers). Detected
per record (``auto``): Markdown when it holds two kinds of Markdown markup (a heading, a link,
an image, bold text, a code fence, a line in emphasis, inline code; Markdown may hold HTML,
which its reader renders too), else HTML when it holds an element a page is written with
(``<p>``, ``<br>``, ``<figcaption>``...), else plain text.
"""

from __future__ import annotations

import re

from aligner.errors import MissingExtraError
from aligner.read.base import Markup
from aligner.read.html import html_text as page_text
from aligner.read.markdown import html_text, markdown_text

_HTML_ELEMENT = re.compile(
    r"</?(?:p|br|div|span|a|img|figure|figcaption|em|strong|b|i|u|h[1-6]|ul|ol|li|table|tr|td|th"
    r"|blockquote|pre|code|section|article|small|sup|sub|hr)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Each kind with what a text must hold for it to match: a text without any of them is not
# searched (most bodies are plain text, and the searches took 3 % of labelling a dump).
_MARKDOWN_KINDS = (
    (("#",), re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)),  # a heading
    (("![",), re.compile(r"!\[[^\]\n]*\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\)")),  # an image
    (("](",), re.compile(r"(?<!!)\[[^\]\n]+\]\((?:[a-z][\w+.-]*:|/|\.|#)[^)\s]*\)")),  # a link
    (("**", "__"), re.compile(r"(\*\*|__)(?=\S)[^\n]+?(?<=\S)\1")),  # bold text
    (("```", "~~~"), re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)),  # a code fence
    (  # a line in emphasis
        ("*", "_"),
        re.compile(r"^[ \t]*([*_])(?=[^\s*_])[^\n]*?(?<=[^\s*_])\1[ \t]*$", re.MULTILINE),
    ),
    (("`",), re.compile(r"`[^`\n]+`")),  # inline code
)
_WHOLE_PAGE = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
_SAMPLE = 20_000
"""Characters looked at to detect the markup: the head of a body shows how it is written."""


def detected(text: str) -> str:
    """``html``, ``markdown`` or ``text``: how ``text`` is written."""
    sample = text[:_SAMPLE]
    if _WHOLE_PAGE.match(sample):
        return "html"
    # Markdown first: it may hold HTML (which its reader renders too), HTML rarely Markdown
    held = (kind for needs, kind in _MARKDOWN_KINDS if any(part in sample for part in needs))
    if sum(1 for kind in held if kind.search(sample)) >= 2:
        return "markdown"
    if _HTML_ELEMENT.search(sample):
        return "html"
    return "text"


def shown_text(text: str, markup: Markup = Markup.AUTO, source: str = "") -> str:
    """The text a reader of ``text`` written in ``markup`` sees (``auto``: ``detected``). HTML,
    a body or a whole page (a crawl's record), is read as an HTML file is (its article text,
    lines as the page lays them out, without navigation and footers) when ``aligner[html]`` is
    installed, else as a fragment (a line per block element, tags dropped)."""
    kind = detected(text) if markup == Markup.AUTO else markup
    if kind == "html":
        try:
            return page_text(text.encode("utf-8"), source) or html_text(text)
        except MissingExtraError:
            return html_text(text)
    if kind == "markdown":
        return markdown_text(text)
    return text
