"""HTML views of aligned documents for Jupyter (pure string building, escaped)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from aligner.records import DocumentResult
from aligner.segment import joined
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd

_COLOURS = ("#cfe8ff", "#ffe3b8", "#d7f5d0", "#f3d1f4", "#fff3a8", "#d9d9ff", "#ffd6d6")
_UNALIGNED = "color:#888;text-decoration:underline dotted"


def document_html(text: str, result: DocumentResult) -> str:
    """The document's text with each pair in its own colour (both sides, numbered) and unaligned
    segments greyed, so what was left out is as visible as what was paired."""
    marks: list[tuple[int, int, str]] = []
    for number, pair in enumerate(result.pairs):
        colour = _COLOURS[number % len(_COLOURS)]
        for segment in (*pair.src, *pair.tgt):
            title = f"pair {number}, score {pair.score:.3f}, {segment.lang}"
            marks.append(
                (segment.start, segment.end, f'<span style="background:{colour}" title="{title}">')
            )
    for segment in result.unaligned:
        title = f"unaligned, {segment.lang} ({segment.lang_score:.2f})"
        marks.append((segment.start, segment.end, f'<span style="{_UNALIGNED}" title="{title}">'))
    pieces, cursor = [], 0
    for start, end, opening in sorted(marks):
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"{opening}{html.escape(text[start:end])}</span>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    body = "".join(pieces).replace("\n", "<br>")
    return (
        f"<div><b>{html.escape(result.doc_id)}</b>: {amount(len(result.pairs), 'pair')}, "
        f"{len(result.unaligned)} unaligned (grey)<div style='font-family:serif;line-height:1.5;"
        f"border:1px solid #ddd;padding:8px;margin-top:4px'>{body}</div></div>"
    )


def pairs_html(pairs: pd.DataFrame, limit: int = 20) -> str:
    columns = ["doc_id", "src_lang", "tgt_lang", "src_text", "tgt_text", "score", "bead"]
    shown = pairs[columns].head(limit)
    more = f"<p>… {len(pairs) - limit} more pairs</p>" if len(pairs) > limit else ""
    return shown.to_html(index=False, escape=True, border=0) + more


def side_by_side_html(result: DocumentResult) -> str:
    """A bead alignment (a document pair, or a document in two halves) bead by bead, source
    beside target; sentences without a counterpart are highlighted so gaps in either
    translation stand out."""
    if result.alignment is None:
        raise ValueError(f"{result.doc_id}: its pairs were not aligned in beads")
    alignment = result.alignment
    rows = []
    for bead in alignment.beads:
        src = joined(alignment.src[i] for i in bead.src)
        tgt = joined(alignment.tgt[j] for j in bead.tgt)
        null = not (bead.src and bead.tgt)
        style = ' style="background:#ffe0e0"' if null else ""
        ids = f"{list(bead.src)}:{list(bead.tgt)}"
        score = "" if null else f"{bead.score:.2f}"
        rows.append(
            f"<tr{style}><td>{ids}</td><td>{html.escape(src)}</td><td>{html.escape(tgt)}</td>"
            f"<td>{score}</td></tr>"
        )
    src_lang, tgt_lang = result.langs or ("", "")
    return (
        f"<p><b>{html.escape(result.doc_id)}</b>: {len(alignment.beads)} beads "
        f"(red: no counterpart)</p><table><tr><th>bead</th><th>{src_lang}</th>"
        f"<th>{tgt_lang}</th><th>score</th></tr>" + "".join(rows) + "</table>"
    )
