"""aligner: turn article dumps into a clean parallel corpus.

Importing the package is cheap: no model, torch or pandas is loaded until it is used.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aligner")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["Corpus", "__version__", "align_documents", "align_dump", "align_texts", "mine"]


def __getattr__(name: str) -> object:
    # The public API is imported on first use, so `import aligner` (and the CLI) stays fast.
    if name in ("Corpus", "align_documents", "align_dump", "align_texts"):
        from aligner.notebook import api

        return getattr(api, name)
    if name == "mine":
        from aligner.notebook.mine import mine

        return mine
    raise AttributeError(f"module 'aligner' has no attribute {name!r}")
