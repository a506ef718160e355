"""Promise 1: every input segment appears exactly once in the output, paired or unaligned, and its
offsets give its text back (a line break inside a hard-wrapped sentence read as a space); no
letter or digit of a document falls outside every segment (only whitespace and the separator cut
out at a language change, such as `` / ``, may).

Generated documents (hypothesis, derandomized with a fixed budget so CI is deterministic):
arbitrary Unicode, blank lines, very long lines, mixed scripts, only punctuation, only names.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.langid.lines import MIXED_LINE_MAX_CHARS
from aligner.records import Document, DocumentResult
from aligner.run.executors import SequentialExecutor
from aligner.run.runner import Outputs, align_dump, run_dump
from aligner.segment import segment_text
from tests.reliability.support import CAPTIONS, HashEncoder

LANGS = ("es", "en")
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_sentences = [text for pair in CAPTIONS for text in pair]
_line = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=120),  # any Unicode
    st.sampled_from(_sentences),  # real es/en captions
    st.just(""),  # blank lines
    st.text(st.sampled_from(".,;:!?¿¡-–—/|()[]\"'«»…*#"), min_size=1, max_size=40),
    st.sampled_from(["Jens Stoltenberg", "Sergei SUPINSKY / AFP", "EFE", "12:30 1.234,5"]),
    st.lists(
        st.sampled_from(["Привет мир.", "你好，世界。", "مرحبا بالعالم.", "😀🎉", "नमस्ते"])
    ).map(" ".join),  # mixed scripts
    st.integers(1, 30).map(lambda n: " ".join(_sentences * n)),  # long lines
)
documents = st.lists(_line, max_size=12).map("\n".join)


def check_result(text: str, result: DocumentResult) -> None:
    indices = [s.index for s in result.segments]
    assert indices == list(range(len(result.segments)))
    placed = [s.index for pair in result.pairs for s in (*pair.src, *pair.tgt)]
    placed += [s.index for s in result.unaligned]
    assert sorted(placed) == indices, "a segment is missing or placed twice"
    covered = [False] * len(text)
    for s in result.segments:
        assert segment_text(text, s.start, s.end) == s.text  # wrapped lines: a space
        assert s.start < s.end
        covered[s.start : s.end] = [True] * (s.end - s.start)
    lost = [c for c, seen in zip(text, covered, strict=True) if not seen and c.isalnum()]
    assert not lost, f"characters outside every segment: {lost[:20]!r}"


@FUZZ
@given(text=documents)
def test_every_segment_is_placed_exactly_once(text, detector):
    aligner = CaptionAligner(RunConfig(langs=LANGS), LANGS, HashEncoder(), detector)
    check_result(text, aligner.align(Document("doc", text, "fuzz")))


def test_a_line_longer_than_the_mixed_limit_is_still_accounted_for(detector):
    es, en = CAPTIONS[0]
    text = f"{es} / {en}\n" + " ".join([es, en] * (MIXED_LINE_MAX_CHARS // len(es)))
    aligner = CaptionAligner(RunConfig(langs=LANGS), LANGS, HashEncoder(), detector)
    check_result(text, aligner.align(Document("doc", text, "long")))


@settings(FUZZ, max_examples=8)
@given(texts=st.lists(documents, min_size=1, max_size=5))
def test_the_written_tables_account_for_every_segment(texts, detector):
    """The same promise through the journal and the CSV files a user gets."""
    docs = [Document(f"d{i}", text, f"src{i}") for i, text in enumerate(texts)]
    _, results = align_dump(docs, RunConfig(langs=LANGS), encoder=HashEncoder())
    expected = {r.doc_id: len(r.segments) for r in results}
    with tempfile.TemporaryDirectory() as folder:
        out, rest = Path(folder, "pairs.csv"), Path(folder, "rest.csv")
        run_dump_in_process(docs, Outputs(str(out), rest))
        pairs = pd.read_csv(out, keep_default_na=False, dtype=str)
        unaligned = pd.read_csv(rest, keep_default_na=False, dtype=str)
        assert not Path(folder, "pairs.csv.journal").exists()
    placed: dict[str, list[int]] = {doc.doc_id: [] for doc in docs}
    for row in pairs.itertuples():
        placed[row.doc_id] += [int(i) for i in f"{row.src_ids} {row.tgt_ids}".split()]
    text_of = {doc.doc_id: doc.text for doc in docs}
    for row in unaligned.itertuples():
        placed[row.doc_id].append(int(row.segment))
        assert segment_text(text_of[row.doc_id], int(row.start), int(row.end)) == row.text
    assert {d: sorted(ids) for d, ids in placed.items()} == {
        d: list(range(n)) for d, n in expected.items()
    }


def test_thousands_of_tiny_documents_keep_their_order_and_segments(detector):
    words = ["Hola.", "Hello.", "", "¡Sí!", "OK", "·", "Jens", "3", "Sí / Yes"]
    docs = [Document(f"t{i}", words[i % len(words)], "tiny") for i in range(2000)]
    _, results = align_dump(docs, RunConfig(langs=LANGS), encoder=HashEncoder())
    seen = []
    for doc, result in zip(docs, results, strict=True):
        check_result(doc.text, result)
        seen.append(result.doc_id)
    assert seen == [doc.doc_id for doc in docs]


def run_dump_in_process(docs: list[Document], outputs: Outputs) -> None:
    """``run_dump`` on in-memory documents (the readers are tested elsewhere)."""
    import aligner.run.runner as runner

    original = runner.read_inputs
    runner.read_inputs = lambda inputs, options: iter(docs)
    try:
        run_dump([], outputs, RunConfig(langs=LANGS), SequentialExecutor())
    finally:
        runner.read_inputs = original
