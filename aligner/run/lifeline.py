"""Worker processes die with the run that started them, even when it is killed (SIGKILL gives
it no chance to stop them): left behind, each held about 190 MB and the stderr pipe of whoever
waited on the run."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_S = 0.5
"""How often the portable fallback checks the parent: an orphan lives at most this long."""


def die_with_parent(parent: int) -> None:
    """Call in a worker, ``parent`` being the run's pid: on Linux the kernel kills this process
    the moment its parent ends; elsewhere a daemon thread sees the parent gone within POLL_S."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl (another libc): the thread below still watches
    # also the parent may have died before prctl ran, and then no signal comes
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="aligner-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(1)
