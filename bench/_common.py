"""Shared bits of the benchmark scripts: where the data is, timing, peak memory, Markdown."""

from __future__ import annotations

import os
import platform
import resource
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def bench_dir(override: str | None = None) -> Path:
    """../shared/bench beside the checkout (never copied into the repository: licences)."""
    path = Path(override or os.environ.get("ALIGNER_BENCH_DIR") or REPO.parent / "shared" / "bench")
    if not path.is_dir():
        sys.exit(f"benchmark data not found at {path}; set ALIGNER_BENCH_DIR")
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"


def stamp(command: str) -> str:
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Command: `{command}` · date: {date} · machine: {machine()}"


def write_section(path: str | None, text: str) -> None:
    print(text)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
