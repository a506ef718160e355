"""How counts read in the messages a user sees: ``1 document``, ``2 documents``."""

from __future__ import annotations


def amount(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless the number is one (``1 pair``, ``0 pairs``)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
