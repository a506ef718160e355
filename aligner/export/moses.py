"""Moses parallel text: two UTF-8 files, line i of one translates line i of the other.

``-o corpus.es`` writes ``corpus.es`` and ``corpus.en`` (the table's languages); ``--format moses
-o corpus`` writes ``corpus.es`` and ``corpus.en`` too. One segment per line, so line breaks and
tabs inside a segment become spaces; a pair with an empty side cannot be a line pair and is left
out. Both files are renamed into place together, after both were written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import UsageError
from aligner.export.atomic import atomic_outputs
from aligner.export.base import (
    LANG_SUFFIX,
    ExportOptions,
    output_format,
    require_file,
    require_pairs,
    table_langs,
)
from aligner.wording import amount

if TYPE_CHECKING:
    import pandas as pd

_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c\x85]+")


def moses_paths(path: str, langs: tuple[str, str]) -> tuple[Path, Path]:
    """The two files: ``path`` minus a language-code extension, plus each language."""
    target = Path(path)
    suffix = target.suffix.lower()
    if LANG_SUFFIX.fullmatch(suffix):
        if suffix[1:] not in langs:
            raise UsageError(
                f"{path}: the extension names neither language of the table "
                f"({'-'.join(langs)}); use -o {target.with_suffix('')}.{langs[0]}"
            )
        target = target.with_suffix("")
    return Path(f"{target}.{langs[0]}"), Path(f"{target}.{langs[1]}")


def one_line(text: str) -> str:
    return _BREAKS.sub(" ", text).strip()


@output_format("moses")
def write_moses(
    frame: pd.DataFrame, path: str, signature: str, options: ExportOptions
) -> list[str]:
    """Two line-aligned text files (see the module docstring)."""
    require_file(path, "moses")
    require_pairs(frame, path, "moses")
    src_path, tgt_path = moses_paths(path, table_langs(frame, signature, path))
    sides = [
        (one_line(s), one_line(t))
        for s, t in zip(frame["src_text"], frame["tgt_text"], strict=True)
    ]
    kept = [(s, t) for s, t in sides if s and t]
    flattened = sum(
        bool(_BREAKS.search(text)) for column in ("src_text", "tgt_text") for text in frame[column]
    )
    with atomic_outputs([src_path, tgt_path]) as (src_file, tgt_file):
        for src, tgt in kept:
            src_file.write(src + "\n")
            tgt_file.write(tgt + "\n")
    notices = [f"wrote {src_path} and {tgt_path} ({len(kept)} lines each)"]
    if flattened:
        held = amount(flattened, "segment")
        notices.append(f"{held} held line breaks or tabs; they became spaces")
    if len(kept) < len(sides):
        notices.append(f"{amount(len(sides) - len(kept), 'pair')} with an empty side left out")
    return notices
