"""Assemble BENCHMARKS.md from the sections the benchmark scripts wrote.

python bench/report.py RESULTS_DIR BENCHMARKS.md
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = """# Benchmarks

Written by `make bench` from the scripts in `bench/` (each section names its command and date).
The data lives in `../shared/bench` and is not part of this repository. Figures are what was
measured on the machine named in each section; nothing here is copied from elsewhere unless a
section says so.
"""


def main() -> None:
    results, target = Path(sys.argv[1]), Path(sys.argv[2])
    sections = [p.read_text(encoding="utf-8").strip() for p in sorted(results.glob("*.md"))]
    target.write_text("\n\n".join([HEADER.strip(), *sections]) + "\n", encoding="utf-8")
    print(f"{target}: {len(sections)} sections")


if __name__ == "__main__":
    main()
