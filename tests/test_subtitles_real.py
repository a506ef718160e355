"""Subtitles on real excerpts: Pepper&Carrot episode 6 and Marya Morevna episodes 3-4 (Morevna
Project, CC BY 4.0, github.com/morevnaproject-org/subtitles-translation at df5af16; the full
tracks and their source are in bench/real/subtitles/)."""

from __future__ import annotations

import io

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.read.base import ReadOptions
from aligner.read.subtitles import Cue, read_srt
from aligner.subtitles.pairing import SubtitlePairing, pair_cues

# Four cues of Pepper&Carrot episode 6, each a Spanish line then its English line.
PEPPER_BILINGUAL = """\
13
00:00:50,040 --> 00:00:50,870
Debo haber...
I must've...

14
00:00:51,210 --> 00:00:54,000
...me he quedado dormida...
...must've accidentally fallen asleep...

19
00:01:09,640 --> 00:01:10,640
¡Miau!
Meow!

67
00:04:30,400 --> 00:04:31,640
¡Lo... lo siento!...
S-sorry!..
"""


def _pairs(srt: str, encoder, detector) -> list[tuple[str, str]]:
    document = next(read_srt(io.BytesIO(srt.encode()), "cues.srt", "cues", ReadOptions()))
    aligner = CaptionAligner(RunConfig(langs=("es", "en")), ("es", "en"), encoder, detector)
    pairs = aligner.align(document).pairs
    return [(" ".join(s.text for s in p.src), " ".join(s.text for s in p.tgt)) for p in pairs]


def test_every_pair_of_a_bilingual_file_stays_inside_its_cue(encoder, detector):
    # ¡Miau! / Meow! is too short to identify: the file's layout labels it; ¡Lo... lo siento!
    # scores below the threshold with S-sorry!.., and may pair with no other cue's line
    assert _pairs(PEPPER_BILINGUAL, encoder, detector) == [
        ("Debo haber...", "I must've..."),
        ("me he quedado dormida...", "must've accidentally fallen asleep..."),
        ("¡Miau!", "Meow!"),
    ]


def test_the_layout_labels_lines_only_in_a_file_written_in_two_languages():
    from aligner.segment.cues import closed_cues, layout_labels

    bilingual = [["es", "en"], ["es", "en"], ["und", "und"], ["es", "und"], ["en", "und"]]
    assert layout_labels(bilingual, ("es", "en")) == [
        ["es", "en"], ["es", "en"], ["es", "en"], ["es", "en"], ["en", "und"],
    ]  # fmt: skip
    assert closed_cues(bilingual, ("es", "en")) == {0, 1, 2, 3, 4}
    # one track of one language: a two-line cue is a wrapped line, not a translation
    one_language = [["en", "en"], ["en", "und"], ["en"], ["es", "en"]]
    assert layout_labels(one_language, ("es", "en")) == one_language
    assert closed_cues(one_language, ("es", "en")) == {3}


# Five cues of the Spanish and English tracks of Pepper&Carrot episode 6 (the same times).
PEPPER_ES = [
    Cue(33.62, 36.91, ("...¿y por qué veo Komona por la ventana?",)),
    Cue(37.24, 38.24, ("¡¿Komona?!",)),
    Cue(64.88, 68.58, ("¡Carrot! ¡Eres tan mono! ¡Me llevas volando al concurso!",)),
    Cue(69.64, 70.64, ("¡Miau!",)),
    Cue(71.62, 76.04, ("¡Has traído incluso una poción, mi ropa y mi sombrero!",)),
]
PEPPER_EN = [
    Cue(33.62, 36.91, ("...and why can I see Komona through the window?",)),
    Cue(37.24, 38.24, ("Komona?!",)),
    Cue(64.88, 68.58, ("Carrot! It's so cute that you took care of everything!",)),
    Cue(69.64, 70.64, ("Meow!",)),
    Cue(71.62, 76.04, ("You even thought to bring a potion, my clothes, and my hat!",)),
]


def test_a_run_of_two_cues_does_not_take_a_cue_from_its_translation(encoder):
    # before: 6+7 -> 6, 17 -> 17+18 and 18+19 -> 19: a run of two cues overlapped the single
    # cue as fully as its own translation did, and each time a translation was left unaligned
    beads = pair_cues(PEPPER_ES, PEPPER_EN, encoder, SubtitlePairing())
    assert [((s.first, s.last), (t.first, t.last)) for s, t, _ in beads] == [
        ((i, i), (i, i)) for i in range(5)
    ]
