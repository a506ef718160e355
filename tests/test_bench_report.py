"""bench/report.py: a rerun benchmark's sections replace their own in BENCHMARKS.md, and
every other section, notes included, stays."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[1] / "bench" / "report.py"


def _report_module():
    spec = importlib.util.spec_from_file_location("bench_report", REPORT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_rerun_section_replaces_its_own_and_keeps_the_others(tmp_path, monkeypatch):
    report = _report_module()
    benchmarks = tmp_path / "BENCHMARKS.md"
    benchmarks.write_text(
        "# Benchmarks\n\nIntro.\n\n## Speed\n\n| a |\n|---|\n| 1 |\n\n- A note written by hand.\n\n"
        "## Accuracy\n\n| f1 |\n|---|\n| 0.9 |\n\n### Detail\n\nKept.\n",
        encoding="utf-8",
    )
    speed = tmp_path / "61-speed.md"
    speed.write_text("## Speed\n\n| a |\n|---|\n| 2 |\n", encoding="utf-8")
    fresh = tmp_path / "80-new.md"
    fresh.write_text("## Memory\n\n| MB |\n|---|\n| 300 |\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["report.py", str(benchmarks), str(speed), str(fresh)])
    report.main()
    assert benchmarks.read_text(encoding="utf-8") == (
        "# Benchmarks\n\nIntro.\n\n## Speed\n\n| a |\n|---|\n| 2 |\n\n"
        "## Accuracy\n\n| f1 |\n|---|\n| 0.9 |\n\n### Detail\n\nKept.\n\n"
        "## Memory\n\n| MB |\n|---|\n| 300 |\n"
    )


def test_a_section_file_without_a_heading_is_refused():
    report = _report_module()
    with pytest.raises(SystemExit, match="must start with a '## ' heading"):
        report.merged("# Benchmarks\n\n## Speed\n\nx\n", ["| a |\n|---|\n| 1 |\n"])
