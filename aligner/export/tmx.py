"""TMX 1.4b, Level 1 (plain text in ``<seg>``), for CAT tools (OmegaT, Okapi, Trados).

One ``<tu>`` per pair with a ``<tuv xml:lang>`` per side; every other column of the table is a
``<prop type="x-COLUMN">`` so that ``aligner convert`` reads the table back whole. The header
carries the signature (``<prop type="x-aligner-signature">``) and no creation date, so reruns are
byte-identical. Written with the standard library's ElementTree, which does the escaping;
characters XML 1.0 forbids (control characters in scraped text) are removed first and counted,
because ElementTree would write them and leave a file no parser accepts; one that stood between
two words (a form feed at a page break) becomes a space, so the words stay apart.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from aligner import __version__
from aligner.errors import InputError
from aligner.export.atomic import atomic_output
from aligner.export.base import (
    ExportOptions,
    language_pairs,
    output_format,
    require_pairs,
    restore_types,
    table_langs,
    table_readers,
)
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SIGNATURE_PROP = "x-aligner-signature"
ALL_LANGUAGES = "*all*"
"""The header's ``srclang`` when the units have different source languages (TMX 1.4b)."""
_SIDES = {"src_text": "src_lang", "tgt_text": "tgt_lang"}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+")


class _Sanitizer:
    """Removes characters XML 1.0 cannot hold and counts them."""

    def __init__(self) -> None:
        self.removed = 0

    def __call__(self, text: object) -> str:
        return _NOT_XML.sub(self._replace, str(text))

    def _replace(self, found: re.Match[str]) -> str:
        self.removed += len(found.group())
        text, start, end = found.string, found.start(), found.end()
        between_words = start > 0 and end < len(text)
        if between_words and not (text[start - 1].isspace() or text[end].isspace()):
            return " "
        return ""


def _header(srclang: str, signature: str) -> ET.Element:
    header = ET.Element(
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": srclang,
            "datatype": "plaintext",
        },
    )
    ET.SubElement(header, "prop", type=SIGNATURE_PROP).text = signature
    return header


def _unit(number: int, row: dict[str, object], clean: _Sanitizer, own_srclang: bool) -> ET.Element:
    unit = ET.Element("tu", tuid=str(number))
    if own_srclang:  # the header says *all*: each unit names its source language
        unit.set("srclang", clean(row["src_lang"]))
    for column, value in row.items():
        if column not in _SIDES and column not in _SIDES.values():
            ET.SubElement(unit, "prop", type=f"x-{column}").text = clean(value)
    for text_column, lang_column in _SIDES.items():
        variant = ET.SubElement(unit, "tuv", {XML_LANG: clean(row[lang_column])})
        ET.SubElement(variant, "seg").text = clean(row[text_column])
    return unit


@output_format("tmx", ".tmx")
def write_tmx(frame: pd.DataFrame, path: str, signature: str, options: ExportOptions) -> list[str]:
    """A TMX 1.4b document, streamed one ``<tu>`` at a time."""
    require_pairs(frame, path, "tmx")
    sources = {src for src, _ in language_pairs(frame)}
    if len(sources) > 1:
        srclang = ALL_LANGUAGES
    else:
        srclang = sources.pop() if sources else table_langs(frame, signature, path)[0]
    clean = _Sanitizer()
    with atomic_output(path) as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n')
        stream.write(ET.tostring(_header(clean(srclang), clean(signature)), encoding="unicode"))
        stream.write("\n<body>\n")
        for number, row in enumerate(frame.to_dict("records"), start=1):
            unit = _unit(number, row, clean, srclang == ALL_LANGUAGES)
            stream.write(ET.tostring(unit, encoding="unicode") + "\n")
        stream.write("</body>\n</tmx>\n")
    if clean.removed:
        removed, were = amount(clean.removed, "character"), "was" if clean.removed == 1 else "were"
        return [f"{removed} that XML does not allow {were} removed from the TMX"]
    return []


def _props(element: ET.Element) -> dict[str, str]:
    return {
        prop.get("type", "").removeprefix("x-"): prop.text or "" for prop in element.findall("prop")
    }


def _row(unit: ET.Element, number: int, path: Path) -> dict[str, str]:
    variants = unit.findall("tuv")
    if len(variants) != 2:
        raise InputError(
            f"{path}: <tu> number {number} has {len(variants)} <tuv>; aligner reads pairs"
        )
    row = _props(unit)
    for (text_column, lang_column), variant in zip(_SIDES.items(), variants, strict=True):
        segment = variant.find("seg")
        row[lang_column] = variant.get(XML_LANG) or variant.get("lang") or ""
        row[text_column] = "".join(segment.itertext()) if segment is not None else ""
    return row


@table_readers.register("tmx")
def read_tmx(path: Path) -> tuple[pd.DataFrame, str]:
    """A TMX file: one row per ``<tu>`` with two ``<tuv>``; the ``x-`` props written by aligner
    become columns again. A TMX from another tool gives its texts and languages. Units are
    parsed one at a time and then dropped, so a large memory does not build a large tree."""
    import pandas as pd

    signature, rows, seen = "", [], set()
    try:
        for event, element in ET.iterparse(path, events=("start", "end")):
            seen.add(element.tag)
            if event == "start" and len(seen) == 1 and element.tag != "tmx":
                raise InputError(f"{path}: not a TMX document (the root is <{element.tag}>)")
            if event == "end" and element.tag == "header":
                signature = _props(element).get("aligner-signature", "")
            elif event == "end" and element.tag == "tu":
                rows.append(_row(element, len(rows) + 1, path))
                element.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(f"{path}:{line}:{column}: not well-formed XML ({exc.msg})") from None
    if not {"header", "body"} <= seen:
        raise InputError(f"{path}: not a TMX document (no <header> and <body>)")
    return restore_types(pd.DataFrame(rows), path), signature
