"""Promise 5: memory stays bounded on a large dump: documents are streamed through the executor
a bounded window at a time, and the tables are written chunk by chunk. (Peak memory on a
generated dump of hundreds of MB is measured by bench/scale_bench.py, not in a timed test.)"""

from __future__ import annotations

import itertools

import pandas as pd

from aligner.engine.pool import ProcessPoolExecutor
from aligner.export import write_table, write_table_chunks
from aligner.pipeline import RunConfig, align_dump
from aligner.records import Document
from aligner.table import table_chunks
from tests.conftest import SEED_EN, SEED_ES


def test_an_endless_dump_is_streamed_through_a_process_pool():
    read = []

    def endless():
        for number in itertools.count():
            read.append(number)
            yield Document(f"d{number}", f"{SEED_ES}\n{SEED_EN}", "endless")

    with ProcessPoolExecutor(2) as executor:
        _, results = align_dump(endless(), RunConfig(langs=("es", "en")), executor=executor)
        first = list(itertools.islice(results, 5))
    assert [r.doc_id for r in first] == [f"d{i}" for i in range(5)]
    assert all(len(r.pairs) == 1 for r in first)
    # At most a window of tasks (2 workers x 2 tasks x 4 documents) is read ahead.
    assert len(read) <= 5 + 16


def test_a_table_written_in_chunks_has_the_bytes_of_the_whole_table(tmp_path):
    rows = [
        {"doc_id": f"d{i}", "text": f'línea, con "comillas"\ny salto {i}', "score": i / 7}
        for i in range(10)
    ]
    whole, chunked, empty = tmp_path / "whole.csv", tmp_path / "chunked.csv", tmp_path / "e.csv"
    write_table(pd.DataFrame(rows), whole, "sig")
    write_table_chunks(table_chunks(rows, ["doc_id", "text", "score"], size=3), chunked, "sig")
    assert chunked.read_bytes() == whole.read_bytes()
    write_table_chunks(table_chunks([], ["doc_id", "text"], size=3), empty, "sig")
    assert empty.read_text() == "doc_id,text,signature\n"
