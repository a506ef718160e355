"""Atomic outputs: a temporary file beside the target, renamed over it only on success; the
temporary files a killed writer left beside the target go when it is written again."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from aligner.errors import ExportError


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_TEMPORARY = "[.]{name}[.][a-z0-9_]{{8}}[.]tmp"
"""The name of a temporary file beside ``name`` (``mkstemp``'s 8 random characters)."""


def _remove_leftovers(target: Path) -> None:
    """Temporary files a killed writer left beside ``target``: whoever writes ``target`` now
    owns it (a run holds its output's lock), so they can only be litter."""
    pattern = re.compile(_TEMPORARY.format(name=re.escape(target.name)))
    with contextlib.suppress(OSError):
        for leftover in target.parent.iterdir():
            if pattern.fullmatch(leftover.name):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _temporary_beside(target: Path) -> tuple[int, str]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        # mkstemp makes the file private (0600); an output gets the mode any new file would
        os.fchmod(fd, _default_mode())
        return fd, name
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror or exc})") from None


@contextlib.contextmanager
def atomic_outputs(paths: Sequence[str | Path], binary: bool = False) -> Iterator[list[IO[Any]]]:
    """Streams that become ``paths`` together, only when the block ends without error.

    Several files (the two sides of a Moses corpus) are renamed only after all were written,
    so an interrupted run never leaves one side new and the other old or missing.
    """
    targets = [Path(path) for path in paths]
    opened: list[tuple[IO[Any], str]] = []
    try:
        for target in targets:
            fd, temporary = _temporary_beside(target)
            if binary:
                handle: IO[Any] = os.fdopen(fd, "wb")
            else:
                handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            opened.append((handle, temporary))
        yield [handle for handle, _ in opened]
        for handle, _ in opened:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        for (_, temporary), target in zip(opened, targets, strict=True):
            os.replace(temporary, target)
    except BaseException:
        for handle, temporary in opened:
            handle.close()
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_output(path: str | Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A stream that becomes ``path`` only when the block ends without error; ``-`` is
    stdout. The temporary file sits beside the target so the final rename is atomic."""
    if str(path) == "-":
        if sys.stdout is None:
            raise ExportError("-: standard output is closed; write to a file with -o PATH")
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    with atomic_outputs([path], binary=binary) as (handle,):
        yield handle
