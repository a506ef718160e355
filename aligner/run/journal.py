"""The run journal: each finished document's rows, appended as the run goes.

The outputs are written from the journal once every document is done (atomically, so an output
file either is complete or is not there), and an interrupted run resumes from it (``--resume``):
documents already in the journal are skipped. The journal is JSON lines: a header naming the
run's signature and how it keeps the unaligned table (``UNALIGNED_FORMS``), then for each
document, in input order, one line per row of its tables (a JSON array: the table's name, then
the row's values, ``aligner.table``) and a closing line (an object) keyed by a hash of the
document's id, source and text. A run writing its unaligned table as plain CSV, as most do,
keeps those rows as the table's own CSV lines instead (``export.csv_lines``), up to
``CSV_CHUNK_ROWS`` per journal line: the table is then copied out of the journal, not rebuilt
row by row (a 30 MB dump has 245,650 unaligned rows). Bounded lines keep memory flat on a
document of any size (a 20 MB document's 140,000 rows as one JSON line had been built, and read
back, whole). A document whose closing line a kill tore or never wrote is cut off when the
journal is resumed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from aligner.errors import ExportError, ResumeError
from aligner.export import csv_lines
from aligner.records import DocumentResult
from aligner.table import pair_rows, unaligned_rows

FORMAT = "aligner-journal/5"
UnalignedForm = Literal["csv", "rows", "none"]
UNALIGNED_FORMS: dict[UnalignedForm, str] = {
    "csv": "as the lines of a plain CSV table",
    "rows": "as rows, for another format or --excel-safe",
    "none": "not at all (no --unaligned-out)",
}
"""How a run keeps its unaligned rows, for the table it writes (``Journal``): how each is said."""
CSV_CHUNK_ROWS = 1000
SYNC_INTERVAL_S = 5.0
"""How often the journal is forced to disk (fsync). A killed process loses nothing the journal
flushed; a crashed machine loses at most this many seconds of work. Syncing every record would
cost a disk round trip per document."""


T = TypeVar("T")
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_DECODE = json.JSONDecoder().decode


@dataclass(slots=True)
class Totals:
    documents: int = 0
    segments: int = 0
    pairs: int = 0
    unaligned: int = 0
    skipped: list[str] = field(default_factory=list)
    """Why each input skipped as unusable after it was tracked (``Journal.skip``) was."""
    langs: set[tuple[str, str]] = field(default_factory=set)
    """The language pairs of the results (``DocumentResult.langs``)."""
    timed: bool = False
    """Whether a result had subtitle cue times (the pairs table then has time columns)."""

    def add(self, record: dict[str, Any]) -> None:
        """Count a document's closing line."""
        if "skipped" in record:
            self.skipped.append(record["skipped"])
            return
        self.documents += 1
        self.segments += record["segments"]
        self.pairs += record["pairs"]
        self.unaligned += record["unaligned"]
        if "langs" in record:
            self.langs.add((record["langs"][0], record["langs"][1]))
        self.timed = self.timed or record.get("timed", False)


class Journal:
    """Use: ``track_inputs`` filters the input stream (it runs lazily, once the run starts),
    ``begin`` opens the journal, ``append`` records each result in input order, ``rows`` and
    ``unaligned_csv`` read a table back for the outputs, ``remove`` deletes the journal when
    they are written."""

    def __init__(self, path: Path, unaligned: UnalignedForm) -> None:
        self.path = path
        self.unaligned = unaligned
        """How the unaligned rows are kept, for the table the run writes (``UNALIGNED_FORMS``);
        a resumed journal must have kept them so."""
        self.totals = Totals()
        self.resumed = 0
        """Inputs found done (or skipped as unusable) in the journal, and not redone."""
        self.owned = False
        """Whether this run started the journal or took it over (``begin``): only then may a
        failure remove it."""
        self._handle: IO[str] | None = None
        self._pending: deque[tuple[str, str]] = deque()  # (key, doc_id) of documents in flight
        self._synced_at = time.monotonic()
        self._content = hashlib.blake2b(digest_size=8)

    @property
    def run_id(self) -> str:
        """A digest of the records so far: the outputs written from this journal carry it in
        their signature, so outputs of different runs side by side (a kill between two renames)
        can be told from a set, while the same inputs and settings still give the same bytes."""
        return self._content.hexdigest()

    def begin(self, signature: str, resume: bool) -> None:
        """Start a new journal, or with ``resume`` continue the one at ``path`` (none there:
        start a new one). A journal of other settings is refused rather than mixed in."""
        if resume and self.path.exists():
            self._reopen(signature)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"{self.path}: cannot write ({exc.strerror or exc})") from None
        self.owned = True
        self._write({"format": FORMAT, "signature": signature, "unaligned": self.unaligned})

    def _reopen(self, signature: str) -> None:
        good = 0  # bytes up to the last closing line; a kill can leave a document unclosed
        read = 0
        unclosed: list[bytes] = []  # the row lines of the document being read
        with self.path.open("rb") as stream:
            for number, raw in enumerate(stream):
                try:
                    record = json.loads(raw)
                except ValueError:
                    record = None
                if not raw.endswith(b"\n") or not isinstance(record, (dict, list)):
                    break
                read += len(raw)
                if number == 0:
                    if not isinstance(record, dict):
                        break
                    if record.get("format") != FORMAT:
                        raise ResumeError(
                            f"{self.path}: not a journal of this version of aligner; rerun "
                            "without --resume to start over"
                        )
                    if record.get("signature") != signature:
                        raise ResumeError(
                            f"{self.path}: journal of a run with other settings "
                            f"({record.get('signature')}); rerun without --resume to start over"
                        )
                    if record.get("unaligned") != self.unaligned:
                        kept = UNALIGNED_FORMS.get(record.get("unaligned"), "otherwise")
                        raise ResumeError(
                            f"{self.path}: the interrupted run kept its unaligned rows {kept}, "
                            f"this one needs them {UNALIGNED_FORMS[self.unaligned]}; rerun with "
                            "its --unaligned-out, or without --resume to start over"
                        )
                    good = read
                    continue
                unclosed.append(raw.rstrip(b"\r\n"))
                if isinstance(record, dict) and "key" in record:
                    self.totals.add(record)
                    for line in unclosed:
                        self._content.update(line)
                    unclosed.clear()
                    good = read
        if good == 0:  # not even the header survived
            self.begin(signature, resume=False)
            return
        self.resumed = self.totals.documents + len(self.totals.skipped)
        with self.path.open("r+b") as stream:
            stream.truncate(good)
        self._handle = self.path.open("a", encoding="utf-8")
        self.owned = True

    def track_inputs(
        self,
        inputs: Iterator[T],
        key: Callable[[T], str],
        name: Callable[[T], tuple[str, str]],
    ) -> Iterator[T]:
        """The inputs still to align (``key``: an input's identity; ``name``: its result's
        doc_id and how to call it in a message): with a resumed journal, the first ones must be
        those it holds, in the same order (they are skipped); otherwise the inputs changed."""
        done = self._keys()
        position = 0
        for item in inputs:
            item_key = key(item)
            doc_id, described = name(item)
            if position < self.resumed:
                expected = next(done)
                position += 1
                if item_key != expected:
                    raise ResumeError(
                        f"{self.path}: document {position} ({described}) is not the one the "
                        "journal holds: the inputs changed since the interrupted run; rerun "
                        "without --resume to start over"
                    )
                continue
            self._pending.append((item_key, doc_id))
            yield item
        if position < self.resumed:
            raise ResumeError(
                f"{self.path}: the journal holds {self.resumed} documents but the inputs have "
                f"only {position}; rerun without --resume to start over"
            )

    def _keys(self) -> Iterator[str]:
        if not self.resumed:
            return
        with self.path.open("r", encoding="utf-8") as stream:
            next(stream)  # header
            found = 0
            for line in stream:
                if found == self.resumed:
                    return
                if line.startswith("{"):  # a closing line
                    found += 1
                    yield json.loads(line)["key"]

    def append(self, result: DocumentResult) -> None:
        key, doc_id = self._pending.popleft()
        if doc_id != result.doc_id:  # results must arrive in input order
            raise RuntimeError(f"result for {result.doc_id!r} arrived in place of {doc_id!r}")
        pairs = 0
        for row in pair_rows(result):
            self._write_row(_ENCODE(["pairs", *row]))
            pairs += 1
        if self.unaligned == "rows":
            for row in unaligned_rows(result):
                self._write_row(_ENCODE(["unaligned", *row]))
        elif self.unaligned == "csv":
            rows = unaligned_rows(result)
            while chunk := csv_lines(islice(rows, CSV_CHUNK_ROWS)):
                self._write_row(_ENCODE(["unaligned-csv", chunk]))
        record: dict[str, Any] = {
            "key": key,
            "segments": len(result.segments),
            "pairs": pairs,
            "unaligned": len(result.unaligned),
        }
        if result.langs is not None:
            record["langs"] = list(result.langs)
        if any(s.time is not None for s in result.segments):
            record["timed"] = True
        self._write(record)
        self.totals.add(record)

    def _write_row(self, line: str) -> None:
        assert self._handle is not None, "begin() first"
        self._handle.write(line + "\n")
        self._content.update(line.encode("utf-8"))

    def skip(self, reason: str) -> None:
        """The next tracked input turned out unusable: recorded (so that a resumed run keeps
        its place and its bad-input report) with no rows."""
        key, _ = self._pending.popleft()
        record = {"key": key, "skipped": reason, "segments": 0, "pairs": 0, "unaligned": 0}
        self._write(record)
        self.totals.add(record)

    def _write(self, record: dict[str, Any]) -> None:
        """A header or closing line, then a flush: a kill loses at most the document being
        written, which a resumed run cuts off and redoes."""
        assert self._handle is not None, "begin() first"
        line = _ENCODE(record)
        self._handle.write(line + "\n")
        if "format" not in record:  # the header names the settings, not the content
            self._content.update(line.encode("utf-8"))
        self._handle.flush()
        if time.monotonic() - self._synced_at >= SYNC_INTERVAL_S:
            self._sync()

    def _sync(self) -> None:
        assert self._handle is not None
        os.fsync(self._handle.fileno())
        self._synced_at = time.monotonic()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.flush()
            self._sync()
            self._handle.close()
            self._handle = None

    def rows(self, table: str) -> Iterator[list[object]]:
        """Every row of ``table`` (``pairs``, or ``unaligned`` kept as rows), in input order, as
        a list of its values (``aligner.table``)."""
        for line in self._lines(table):
            yield _DECODE(line)[1:]

    def unaligned_csv(self) -> Iterator[str]:
        """The unaligned rows kept as CSV lines, in input order, a chunk at a time."""
        for line in self._lines("unaligned-csv"):
            yield _DECODE(line)[1]

    def _lines(self, table: str) -> Iterator[str]:
        # a row line starts as ``append`` writes it: the other table's rows are passed over
        # without being parsed (a run's table is read back once per table)
        start = _ENCODE([table])[:-1] + ","
        with self.path.open("r", encoding="utf-8") as stream:
            next(stream)
            for line in stream:
                if line.startswith(start):
                    yield line

    def discard_if_empty(self) -> None:
        """After a failed run: a journal this run started and that holds no finished document
        is removed (a run failing on its first input leaves nothing behind); the journal of an
        earlier run, which --resume refused or the run never reached, is kept."""
        self.close()
        if self.owned and not self.totals.documents:
            self.remove()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
