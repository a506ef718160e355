"""One run per output: the first run to start on an output holds a lock beside it
(``OUTPUT.lock``, holding its pid) until its outputs are written; a second run on the same
output stops at once and names the holder. Before, two runs interleaved their records in one
journal and both failed. The lock is ``flock``: the system releases it when its holder dies, so a
killed run leaves a stale file that the next run simply takes over. Where ``flock`` does not
exist (Windows), runs are not locked."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from aligner.errors import ExportError, OutputBusyError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"


@contextlib.contextmanager
def output_lock(output: str) -> Iterator[None]:
    """Hold ``output``'s lock for the block; OutputBusyError when another run holds it."""
    if fcntl is None:
        yield
        return
    path = Path(output + LOCK_SUFFIX)
    fd = _acquire(path, output)
    try:
        yield
    finally:
        # removed while still held, so no run can take a file that is about to vanish
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _acquire(path: Path, output: str) -> int:
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"another run (pid {holder})" if holder.isdigit() else "another run"
            raise OutputBusyError(
                f"{output}: {who} is writing this output (lock {path}); wait for it to end "
                "or choose another -o"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file its last holder removed between our open and our lock
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)
