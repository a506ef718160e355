"""Optional dependencies: imported only by the format that needs them, with an install hint.

A user who never reads HTML never pays for trafilatura; one who does gets a one-line error that
names the extra to install instead of a ModuleNotFoundError traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from aligner.errors import MissingExtraError


def need(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or explain which extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs the {module.split('.')[0]} package: pip install 'aligner[{extra}]'"
        ) from None
