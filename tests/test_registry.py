"""Plugins through entry points, found by the real importlib.metadata: each test installs a
distribution into its tmp_path (a ``.dist-info`` folder and a module) and puts it on sys.path."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.embed import encoders, load_encoder
from aligner.errors import RegistryError
from aligner.export import read_table, table_readers, writers
from aligner.export.base import EXTENSIONS, format_for
from aligner.langid import detectors, load_detector
from aligner.read import readers
from aligner.read.base import SELF_DECOMPRESSING, SEVERAL_DOCUMENTS, SUFFIXES, format_of
from aligner.registry import Registry
from aligner.run.executors import engines, load_engine
from tests.conftest import SEED, SEED_EN, SEED_ES

runner = CliRunner()
REGISTRIES: list[Registry] = [encoders, detectors, readers, writers, table_readers, engines]

PLUGIN = '''
import hashlib
import re
from pathlib import Path

import numpy as np

from aligner.records import Document


class HashEncoder:
    """Each word hashed into one of 256 dimensions: names and numbers shared by a caption and
    its translation make their vectors close."""

    name = "hash-words"
    dim = 256

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def make_encoder(arg):
    return HashEncoder()


class Plugged:
    def __init__(self, inner):
        self.inner = inner
        self.name = "plugged+" + inner.name
        self.open_languages = inner.open_languages

    def detect(self, text, langs):
        return self.inner.detect(text, langs)


def make_detector():
    from aligner.langid import load_detector

    return Plugged(load_detector("charngram"))


def read_xyz(stream, source, doc_id, options):
    lines = stream.read().decode("utf-8").splitlines()
    text = "\\n".join(line.removeprefix("xyz> ") for line in lines)
    yield Document(doc_id="xyz-" + doc_id, text=text, source=source)


read_xyz.suffixes = (".xyz",)


def write_pairs(frame, path, signature, options):
    rows = [f"{src} ||| {tgt}" for src, tgt in zip(frame["src_text"], frame["tgt_text"])]
    Path(path).write_text("\\n".join([signature, *rows]) + "\\n", encoding="utf-8")
    return [f"{len(rows)} pairs written by the plugin"]


write_pairs.suffixes = (".pairs",)


def read_pairs(path):
    import pandas as pd

    signature, *rows = Path(path).read_text(encoding="utf-8").splitlines()
    sides = [row.split(" ||| ") for row in rows]
    return pd.DataFrame(sides, columns=["src_text", "tgt_text"]), signature


def make_engine(jobs, scheduler):
    from aligner.run.executors import SequentialExecutor

    return SequentialExecutor()


def not_usem3(arg):
    raise AssertionError("a plugin never replaces a built-in")
'''

ENTRY_POINTS = {
    "aligner.encoders": {"hash": "make_encoder", "usem3": "not_usem3"},
    "aligner.detectors": {"plugged": "make_detector"},
    "aligner.readers": {"xyz": "read_xyz"},
    "aligner.writers": {"pairs": "write_pairs", "csv": "not_usem3"},
    "aligner.table_readers": {"pairs": "read_pairs"},
    "aligner.engines": {"inline": "make_engine"},
}

Install = Callable[[str, str, dict[str, dict[str, str]]], Path]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Installs distributions into tmp_path: ``install(dist, module source, {group: {name:
    attribute}})``. The registries and extension tables are restored afterwards, and the
    plugin modules forgotten."""
    for registry in REGISTRIES:
        monkeypatch.setattr(registry, "_factories", dict(registry._factories))
        monkeypatch.setattr(registry, "_from_plugins", dict(registry._from_plugins))
    tables = [SUFFIXES, EXTENSIONS, SELF_DECOMPRESSING, SEVERAL_DOCUMENTS]
    saved = [table.copy() for table in tables]
    modules: list[str] = []

    def install(dist: str, source: str, entry_points: dict[str, dict[str, str]]) -> Path:
        module = dist.replace("-", "_")
        (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
        info = tmp_path / f"{module}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8"
        )
        sections = [
            f"[{group}]\n" + "".join(f"{name} = {module}:{attr}\n" for name, attr in names.items())
            for group, names in entry_points.items()
        ]
        (info / "entry_points.txt").write_text("\n".join(sections), encoding="utf-8")
        modules.append(module)
        if str(tmp_path) not in sys.path:
            monkeypatch.syspath_prepend(str(tmp_path))
        return tmp_path

    yield install
    for table, before in zip(tables, saved, strict=True):
        table.clear()
        table.update(before)  # type: ignore[arg-type]
    for module in modules:
        sys.modules.pop(module, None)


@pytest.fixture
def plugin(install: Install) -> Path:
    return install("aligner-testplug", PLUGIN, ENTRY_POINTS)


def test_each_registry_finds_its_group(plugin):
    expected = {
        encoders: "hash",
        detectors: "plugged",
        readers: "xyz",
        writers: "pairs",
        table_readers: "pairs",
        engines: "inline",
    }
    for registry, name in expected.items():
        assert registry.group in ENTRY_POINTS
        assert name in registry and name in list(registry), registry.group


def test_plugins_load_through_the_public_functions(plugin, tmp_path):
    encoder = load_encoder("hash:ignored")
    assert encoder.name == "hash-words" and encoder.encode(["a b"]).shape == (1, 256)
    assert load_detector("plugged").detect("The cat sleeps on the sofa.", ("es", "en"))[0] == "en"
    assert load_engine("inline").name == "sequential"
    (tmp_path / "t.pairs").write_text("sig\nuno ||| one\n", encoding="utf-8")
    frame, signature = read_table(tmp_path / "t.pairs", "pairs")
    assert signature == "sig" and frame.values.tolist() == [["uno", "one"]]
    # by its extension, which the writer plugin of the same name declares
    assert read_table(tmp_path / "t.pairs")[1] == "sig"


def test_a_built_in_wins_over_a_plugin_of_the_same_name(plugin):
    # resolving built-ins neither imports a plugin nor reads the installed distributions
    assert encoders.get("usem3").__module__ == "aligner.embed"
    assert writers.get("csv").__module__ == "aligner.export.delimited"
    assert format_of("a.jsonl.gz") == "jsonl" and format_for("x.tsv") == "tsv"
    detectors.get("charngram")
    assert "aligner_testplug" not in sys.modules
    assert all(registry._plugins_path != tuple(sys.path) for registry in REGISTRIES)
    # the plugins named usem3 and csv are ignored, not listed
    assert "usem3" in encoders and "usem3" not in encoders.available().partition("plugins:")[2]
    assert "csv" not in writers.available().partition("plugins:")[2]


def test_unknown_names_list_built_ins_and_plugins(plugin):
    with pytest.raises(RegistryError) as error:
        load_encoder("nope")
    assert str(error.value) == (
        "unknown encoder 'nope'. Available names: e5, st, usem3; "
        "plugins: hash (from aligner-testplug 0.1)"
    )
    load_encoder("hash")  # once loaded, it is still listed as a plugin
    with pytest.raises(RegistryError, match=r"plugins: hash \(from aligner-testplug 0.1\)$"):
        load_encoder("nope")
    result = runner.invoke(app, ["run", str(SEED), "--encoder", "nope"])
    assert result.exit_code == 2
    assert "usem3; plugins: hash (from aligner-testplug 0.1)" in result.stderr


def test_aligner_run_reads_encodes_detects_and_writes_through_plugins(plugin, tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (dump / "seed.xyz").write_text(
        "".join(f"xyz> {line}\n" for line in text.splitlines()), encoding="utf-8"
    )
    (dump / "notes.json").write_text("{}", encoding="utf-8")  # no reader takes .json
    out = tmp_path / "corpus.pairs"
    args = ["run", str(dump), "--langs", "es,en", "--no-cache", "-o", str(out)]
    plugged = ["--encoder", "hash", "--detector", "plugged", "--engine", "inline"]
    result = runner.invoke(app, [*args, *plugged])
    assert result.exit_code == 0, result.output
    signature, *rows = out.read_text(encoding="utf-8").splitlines()
    assert rows == [f"{SEED_ES} ||| {SEED_EN}"]  # the reader took the "xyz> " off each line
    assert "encoder:hash-words" in signature and "langid:plugged+charngram" in signature
    assert "1 document," in result.stderr and "1 pairs written by the plugin" in result.stderr


def test_a_broken_plugin_is_one_line_naming_it_and_its_distribution(install):
    broken = "import aligner_no_such_module\n"
    install("aligner-broken", broken, {"aligner.encoders": {"bad": "make"}})
    message = (
        "encoder plugin 'bad' from aligner-broken 0.1 cannot be loaded (aligner_broken:make): "
        "ModuleNotFoundError: No module named 'aligner_no_such_module'"
    )
    with pytest.raises(RegistryError) as error:
        load_encoder("bad")
    assert str(error.value) == message
    result = runner.invoke(app, ["run", str(SEED), "--encoder", "bad"])
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {message}"
    assert "Traceback" not in result.output


def test_two_distributions_offering_one_name_are_refused(install):
    source = "def make(arg):\n    raise AssertionError\n"
    for dist in ("aligner-one", "aligner-two"):
        install(dist, source, {"aligner.encoders": {"same": "make"}})
    with pytest.raises(RegistryError) as error:
        load_encoder("same")
    assert str(error.value) == (
        "encoder plugin 'same' is offered by aligner-one 0.1 and aligner-two 0.1; "
        "uninstall all but one"
    )


def test_a_reader_plugin_declares_its_extensions_and_how_it_reads(install, tmp_path):
    source = textwrap.dedent(
        """
        def read_many(stream, source, doc_id, options):
            return iter(())

        read_many.suffixes = (".many", ".mny")
        read_many.several = True
        read_many.decompresses = True
        """
    )
    install("aligner-many", source, {"aligner.readers": {"many": "read_many"}})
    assert format_of("x.mny.gz") == "many"
    assert "many" in SEVERAL_DOCUMENTS and "many" in SELF_DECOMPRESSING
    assert SUFFIXES[".many"] == "many"
