"""Promise 6: a run touches no network. The suite refuses ``socket.connect`` in process
(tests/conftest.py); here a real ``aligner`` process, and its worker processes, run with every
way out (connect, DNS lookup, UDP send) replaced by a recorder that fails."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import SEED, SEED_EN
from tests.reliability.support import cli_env, run_cli

GUARD = """
import os, socket

_LOG = os.environ["ALIGNER_NETWORK_LOG"]


def _recorder(what):
    def refuse(*args, **kwargs):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what} {args[1:]!r}\\n")
        raise OSError(f"network access attempted: {what}")
    return refuse


socket.socket.connect = _recorder("connect")
socket.socket.connect_ex = _recorder("connect_ex")
socket.socket.sendto = _recorder("sendto")
socket.getaddrinfo = _recorder("getaddrinfo")
socket.create_connection = _recorder("create_connection")
"""


@pytest.mark.parametrize("extra", [[], ["--jobs", "2"]], ids=["plain", "2 jobs"])
def test_a_run_opens_no_connection(tmp_path, extra):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    env = cli_env(extra_path=guard) | {"ALIGNER_NETWORK_LOG": str(log)}
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)  # nothing may rely on these being set
    out = tmp_path / "pairs.csv"
    done = run_cli("run", SEED, "--langs", "es,en", "-o", out, *extra, env=env)
    assert done.returncode == 0, done.stderr
    assert SEED_EN in set(pd.read_csv(out)["tgt_text"])
    assert not log.exists(), log.read_text()


def test_the_guard_does_catch_a_connection(tmp_path):
    """Without this, a guard that never loaded would pass the test above."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    env = cli_env(extra_path=guard) | {"ALIGNER_NETWORK_LOG": str(log)}
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('pypi.org', 443))\nexcept OSError:\n    pass"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "create_connection" in log.read_text()
