"""Merge the sections the benchmark scripts wrote into BENCHMARKS.md.

python bench/report.py BENCHMARKS.md SECTION.md [SECTION.md ...]

Each section file holds one or more sections, each opened by a ``## `` heading. A section
replaces the one of BENCHMARKS.md with the same heading, where it stands; a new heading is
added at the end. Every other section is kept as it is, notes included: a benchmark rerun alone
(one script, or ``make bench-large``) updates its own sections and loses nothing else.
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


def split_sections(text: str) -> tuple[str, dict[str, str]]:
    """``(preamble, {heading: section})`` of a markdown text, in order, cut at each ``## ``
    line; a section runs to the next one."""
    preamble: list[str] = []
    sections: dict[str, list[str]] = {}
    current = preamble
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line.strip()
            if heading in sections:
                raise SystemExit(f"two sections are headed {heading!r}")
            current = sections[heading] = []
        current.append(line)
    return "\n".join(preamble).strip(), {h: "\n".join(s).strip() for h, s in sections.items()}


def merged(report: str, updates: list[str]) -> str:
    """``report`` with the sections of ``updates`` in place of those with the same heading."""
    preamble, sections = split_sections(report)
    for update in updates:
        stray, found = split_sections(update)
        if stray or not found:
            raise SystemExit(f"a section file must start with a '## ' heading: {update[:60]!r}")
        sections.update(found)
    return "\n\n".join([preamble or HEADER.strip(), *sections.values()]) + "\n"


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    target = Path(sys.argv[1])
    report = target.read_text(encoding="utf-8") if target.exists() else ""
    updates = [Path(name).read_text(encoding="utf-8") for name in sys.argv[2:]]
    target.write_text(merged(report, updates), encoding="utf-8")
    print(f"{target}: {len(updates)} section files merged")


if __name__ == "__main__":
    main()
