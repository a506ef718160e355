"""aligner: turn article dumps into a clean parallel corpus.

Importing the package is cheap: no model, torch or pandas is loaded until it is used.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aligner")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
