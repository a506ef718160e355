"""Promise 4: the same input and options give byte-identical outputs, across runs and across
--jobs 1, --jobs 2 and --engine dask, with a cold, a warm or no embedding cache (languages
inferred, so inference is covered too), on a dump whose documents repeat lines."""

from __future__ import annotations

import pytest

from tests.reliability.support import make_dump, run_cli

RUNS = {
    "jobs 1, cold cache": ["--cache-dir", "{cache}"],
    "jobs 1, warm cache": ["--cache-dir", "{cache}"],
    "jobs 2": ["--jobs", "2", "--no-cache"],
    "dask, 2 workers": ["--engine", "dask", "--jobs", "2", "--no-cache"],
}


def test_outputs_are_byte_identical_across_runs_and_engines(tmp_path):
    pytest.importorskip("distributed")
    dump = make_dump(tmp_path / "in", 24, repeats=True)
    outputs = {}
    for name, options in RUNS.items():
        folder = tmp_path / name.replace(" ", "-").replace(",", "")
        extra = [option.format(cache=tmp_path / "cache") for option in options]
        done = run_cli(
            "run", dump, "-o", folder / "pairs.csv", "--unaligned-out", folder / "rest.csv", *extra
        )
        assert done.returncode == 0, (name, done.stderr)
        outputs[name] = ((folder / "pairs.csv").read_bytes(), (folder / "rest.csv").read_bytes())
    reference = outputs["jobs 1, cold cache"]
    assert reference[0].count(b"\n") > 10  # pairs were found: the comparison means something
    for name, produced in outputs.items():
        assert produced == reference, name
