"""The embedding-cache options shared by the commands that encode text (run, align, subtitles)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

CacheDirOption = Annotated[
    Path | None,
    typer.Option(help="Embedding cache folder. Default: $XDG_CACHE_HOME/aligner/embeddings."),
]
CacheOption = Annotated[
    bool,
    typer.Option(
        help="Keep embeddings on disk between runs (a rerun with other settings skips the "
        "encoding)."
    ),
]


def cache_folder(cache: bool, cache_dir: Path | None) -> Path | None:
    """The folder the cache options name, or None with --no-cache."""
    from aligner.embed.cache import default_cache_dir

    return (cache_dir or default_cache_dir()) if cache else None
