"""Promise 5: memory stays bounded on a large dump: documents are streamed through the executor
a bounded window at a time, and the tables are written chunk by chunk. (Peak memory on a
generated dump of hundreds of MB is measured by bench/scale_bench.py, not in a timed test.)"""

from __future__ import annotations

import itertools

import pandas as pd

from aligner.captions.aligner import RunConfig
from aligner.export import (
    ExportOptions,
    csv_lines,
    write_table,
    write_table_lines,
    write_table_rows,
)
from aligner.records import Document
from aligner.run.pool import ProcessPoolExecutor
from aligner.run.runner import align_dump
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


def test_a_table_written_row_by_row_has_the_bytes_pandas_writes_for_the_whole_table(tmp_path):
    rows = [
        {"doc_id": f"d{i}", "text": f'línea, con "comillas"\ny salto {i}', "score": i / 7, "n": i}
        for i in range(10)
    ] + [{"doc_id": "=1+1", "text": "", "score": 0.1 + 0.2, "n": -1}]
    # the signature is quoted once for the whole table: one that needs quoting, and an empty one
    signatures = ["sig", 'aligner:0.1|langs:es,en|note:"a, b"', ""]
    for options in (ExportOptions(), ExportOptions(excel_safe=True)):
        for signature in signatures:
            for table in (rows, [{"text": ""}, {"text": "x"}]):  # a row of one empty cell too
                names = list(table[0])
                whole, by_row = tmp_path / "whole.csv", tmp_path / "by_row.csv"
                write_table(pd.DataFrame(table), whole, signature, options=options)
                values = iter([tuple(row[name] for name in names) for row in table])
                write_table_rows(values, names, by_row, signature, options=options)
                assert by_row.read_bytes() == whole.read_bytes()
    empty = tmp_path / "empty.csv"
    write_table_rows([], ["doc_id", "text"], empty, "sig")
    assert empty.read_text() == "doc_id,text,signature\n"


def test_a_table_copied_from_csv_lines_has_the_bytes_pandas_writes_for_the_whole_table(tmp_path):
    # the journal keeps a run's unaligned rows as CSV lines with a slot for the signature; texts
    # that read like that slot, or end a quoted cell before a line break, stay texts
    texts = ['a,"\n"\nb', '\n"', ',"\n"\n', "x\n", '"', "plain", "", 'end"\n', "é ,\t'='"]
    rows = [(f"d{i}", i, text, i / 3) for i, text in enumerate(texts)]
    names = ["doc_id", "segment", "text", "lang_score"]
    for signature in ["sig", 'aligner:0.1|langs:es,en|note:"a, b"', "", "\n"]:
        whole, copied = tmp_path / "whole.csv", tmp_path / "copied.csv"
        write_table(pd.DataFrame(rows, columns=names), whole, signature)
        chunks = [csv_lines(rows[:4]), csv_lines(rows[4:4]), csv_lines(rows[4:])]
        write_table_lines(chunks, names, copied, signature)
        assert copied.read_bytes() == whole.read_bytes()
        assert pd.read_csv(copied, keep_default_na=False)["text"].tolist() == texts
    write_table_lines([], names, copied, "sig")
    assert copied.read_text() == "doc_id,segment,text,lang_score,signature\n"
