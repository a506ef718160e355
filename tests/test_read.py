import bz2
import gzip
import io
import json

import pytest

from aligner.errors import InputError, InputNotFoundError
from aligner.read import ReadOptions, document_count, read_inputs, read_stdin
from tests.conftest import SEED


def test_a_text_file_is_one_document_with_provenance():
    [doc] = read_inputs([str(SEED)])
    assert doc.doc_id == "000_99d82873baad0043"
    assert doc.source == str(SEED)
    assert doc.text == SEED.read_text(encoding="utf-8")


def test_a_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("Segundo texto.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First text.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored,file", encoding="utf-8")
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"Third text."))
    docs = list(read_inputs([str(tmp_path)]))
    assert [(d.doc_id, d.text) for d in docs] == [
        ("a", "First text."),
        ("b/two", "Segundo texto."),
        ("c", "Third text."),
    ]


def test_jsonl_with_configurable_fields_and_compression(tmp_path):
    lines = [{"key": "x1", "body": "Hola."}, {"body": "Hello."}]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    path = tmp_path / "dump.jsonl.bz2"
    path.write_bytes(bz2.compress(data))
    docs = list(read_inputs([str(path)], ReadOptions(id_field="key", text_field="body")))
    assert [(d.doc_id, d.text, d.source) for d in docs] == [
        ("x1", "Hola.", f"{path}:1"),
        ("dump:2", "Hello.", f"{path}:2"),
    ]


def test_stdin_text_and_gzipped_jsonl():
    [doc] = read_stdin(ReadOptions(), io.BytesIO(b"Uno.\r\nDos."))
    assert (doc.doc_id, doc.text, doc.source) == ("stdin", "Uno.\nDos.", "<stdin>")
    data = gzip.compress(b'{"id": "a", "text": "A."}\n{"id": "b", "text": "B."}\n')
    assert [d.doc_id for d in read_stdin(ReadOptions(), io.BytesIO(data))] == ["a", "b"]


@pytest.mark.parametrize("opening", ["<<Exclusiva>>", "{Nota}"])
def test_stdin_text_that_starts_like_markup_is_text(opening):
    text = f"{opening} El Gobierno aprobó ayer la ley."
    [doc] = read_stdin(ReadOptions(), io.BytesIO(text.encode()))
    assert doc.text == text


def test_stdin_longer_than_the_sniffed_head_is_read_whole():
    records = [{"id": f"d{i}", "text": f"Texto número {i}."} for i in range(500)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    assert len(data) > 4 * 4096
    for stream in (io.BytesIO(data), io.BytesIO(gzip.compress(data))):
        docs = list(read_stdin(ReadOptions(), stream))
        assert [(d.doc_id, d.text) for d in docs] == [(r["id"], r["text"]) for r in records]


def test_jsonl_lines_are_split_at_newlines_only():
    # U+2028 is a line break to str.splitlines but legal, unescaped, inside a JSON string
    data = '{"id": "a", "text": "uno\u2028dos"}\r\n{"id": "b", "text": "tres"}\n'.encode()
    docs = list(read_stdin(ReadOptions(), io.BytesIO(data)))
    assert [(d.doc_id, d.text) for d in docs] == [("a", "uno\u2028dos"), ("b", "tres")]


def test_a_truncated_gzip_dump_keeps_the_records_before_the_cut(tmp_path):
    import random

    rng = random.Random(7)
    words = ["río", "casa", "photo", "caption", "mundo", "press", "año", "village"]
    lines = [
        json.dumps({"id": f"d{i}", "text": " ".join(rng.choices(words, k=30))}) + "\n"
        for i in range(3000)
    ]
    data = gzip.compress("".join(lines).encode())
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    errors: list[InputError] = []
    docs = list(read_inputs([str(path)], ReadOptions(on_bad=errors.append)))
    assert 0 < len(docs) < 3000
    assert [d.doc_id for d in docs] == [f"d{i}" for i in range(len(docs))]
    [error] = errors
    assert str(error).startswith(f"{path}: cannot decompress .gz data")


def test_a_jsonl_line_that_is_not_utf8_is_skipped_alone_with_skip_bad(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "A\xf1o"}\n{"id": "c", "text": "ok"}\n'
    )
    errors: list[InputError] = []
    docs = list(read_inputs([str(path)], ReadOptions(on_bad=errors.append)))
    assert [d.doc_id for d in docs] == ["a", "c"]
    assert [str(e) for e in errors] == [f"{path}:2: not valid UTF-8 (byte 22)"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.txt: looks like a binary file"),
        (
            "latin1.txt",
            "Año de la canción".encode("latin-1"),
            "latin1.txt: not valid UTF-8 (byte 1)",
        ),
        (
            "bad.jsonl",
            b'{"id": 1, "text": "ok"}\n{"id": 2, "text": \n',
            "bad.jsonl:2: invalid JSON",
        ),
        ("nofield.jsonl", b'{"id": 1, "body": "x"}\n', "nofield.jsonl:1: no field 'text'"),
        ("cut.txt.gz", gzip.compress(b"some text" * 100)[:20], "cut.txt.gz: cannot decompress .gz"),
        ("list.jsonl", b'{"text": ["a", "b"]}\n', "list.jsonl:1: a list, not text, in 'text'"),
        (
            "ctrl.jsonl",
            b'{"text": "a\tb"}\n',
            "ctrl.jsonl:1: invalid JSON (Invalid control character, column 12)",
        ),
    ],
)
def test_bad_input_names_the_file_and_place(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        list(read_inputs([str(path)]))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputNotFoundError, match=r"nowhere\.txt: no such file or folder"):
        list(read_inputs([str(tmp_path / "nowhere.txt")]))
    with pytest.raises(InputError, match=r"no input files in this folder \(aligner reads \.htm"):
        list(read_inputs([str(tmp_path)]))


def test_jsonl_nested_fields_and_ids_that_are_not_strings(tmp_path):
    path = tmp_path / "nested.jsonl"
    records = [
        {"meta": {"id": "a-1"}, "body": {"text": "Uno."}},
        {"meta": {"id": {"site": "x", "n": 1}}, "body": {"text": "Dos."}},
        {"meta": {"id": 7}, "body": {"text": "Tres."}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    options = ReadOptions(id_field="meta.id", text_field="body.text")
    documents = list(read_inputs([str(path)], options))
    assert [(d.doc_id, d.text) for d in documents] == [
        ("a-1", "Uno."), ('{"n": 1, "site": "x"}', "Dos."), ("7", "Tres.")
    ]  # fmt: skip


def test_the_document_count_is_known_for_files_of_one_document(tmp_path):
    for name in ("a.txt", "b.md", "sub/c.html", "sub/d.srt.gz", "notes.pdf"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert document_count([str(tmp_path)]) == 4
    assert document_count([str(tmp_path), str(tmp_path / "a.txt")]) == 5
    (tmp_path / "sub" / "e.jsonl").write_bytes(b"")
    assert document_count([str(tmp_path)]) is None  # a JSONL file holds any number
    assert document_count([str(tmp_path / "a.txt"), "-"]) is None
    assert document_count([str(tmp_path / "missing.txt")]) is None
