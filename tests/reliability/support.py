"""Shared helpers for the reliability suite: a fast deterministic encoder, a dump generator
from the seed article, and the CLI as a real subprocess running this checkout's code."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.conftest import ROOT, SEED, SEED_EN, SEED_ES

CAPTIONS = [
    (SEED_ES, SEED_EN),
    (
        "EFE - La policía detuvo ayer a tres personas en el puerto de Valencia.",
        "EFE - Police arrested three people yesterday in the port of Valencia.",
    ),
    (
        "Vista aérea de la playa de la Malvarrosa durante el verano.",
        "Aerial view of Malvarrosa beach during the summer.",
    ),
]


class HashEncoder:
    """Deterministic stand-in for a sentence encoder: the same text, the same unit vector.
    Accounting does not depend on what the vectors mean, and this keeps property tests fast."""

    name = "hash-test"
    dim = 32

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            seed = int.from_bytes(
                hashlib.blake2b(text.encode("utf-8", "surrogatepass")).digest()[:8]
            )
            rows.append(np.random.default_rng(seed).standard_normal(self.dim))
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def make_dump(folder: Path, documents: int, repeats: bool = False) -> Path:
    """A JSONL dump of ``documents`` articles: the seed's paragraphs in a rotating order with
    one caption pair (or a lone caption) spliced in, so documents differ but read like news.
    With ``repeats``, every third document holds a second copy of its Spanish caption and every
    fifth a second copy of its English one: a pairing that breaks ties by float noise shows."""
    import json

    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "dump.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(documents):
            start = number % len(paragraphs)
            body = paragraphs[start:] + paragraphs[:start]
            es, en = CAPTIONS[number % len(CAPTIONS)]
            caption = [es, en] if number % 4 else [es]
            if repeats and number % 3 == 0:
                caption = [es, *caption]
            if repeats and number % 5 == 0:
                caption = [*caption, en]
            lines = body[:3] + caption + body[3:6]
            record = {"id": f"doc-{number:05d}", "text": "\n".join(lines)}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def cli_env(extra_path: Path | None = None) -> dict[str, str]:
    """Environment for ``python -m aligner`` that imports this checkout's package first."""
    paths = [str(ROOT)] if extra_path is None else [str(extra_path), str(ROOT)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def aligner_args(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "aligner", *map(str, args)]


def run_cli(
    *args: str | Path, timeout: float = 300, **kwargs: object
) -> subprocess.CompletedProcess:
    return subprocess.run(
        aligner_args(*args),
        cwd=ROOT,
        env=kwargs.pop("env", None) or cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def allow_loopback_only(monkeypatch) -> None:
    """Like the suite's offline guard, but a local Dask cluster may talk to itself over
    127.0.0.1: loopback is not the network."""
    import socket

    connect = socket.socket.connect

    def loopback_only(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            raise OSError(f"network access attempted during a test: {address}")
        return connect(self, address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


def descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (Linux: read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat.rpartition(")")[2].split()  # after the command name, which may hold spaces
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running
