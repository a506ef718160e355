"""Pairing two monolingual subtitle tracks: time decides between equally similar cues."""

from aligner.read.subtitles import Cue
from aligner.subtitles import SubtitlePairing, pair_cues


def test_repeated_lines_pair_with_the_cue_at_the_same_time(encoder):
    src = [
        Cue(0.0, 1.0, ("Sí.",)),
        Cue(1.2, 3.0, ("¿Vienes mañana a la reunión?",)),
        Cue(3.2, 4.0, ("Sí.",)),
    ]
    tgt = [Cue(0.1, 1.0, ("Yes.",)), Cue(1.3, 3.0, ("Are you coming to the meeting tomorrow?",)),
           Cue(3.3, 4.0, ("Yes.",))]  # fmt: skip
    beads = pair_cues(src, tgt, encoder, SubtitlePairing())
    spans = [((s.first, s.last), (t.first, t.last)) for s, t, _ in beads]
    assert spans == [((0, 0), (0, 0)), ((1, 1), (1, 1)), ((2, 2), (2, 2))]


def test_cues_too_far_apart_are_never_paired(encoder):
    src = [Cue(0.0, 2.0, ("La reunión empieza a las nueve.",))]
    tgt = [Cue(5.0, 7.0, ("The meeting starts at nine.",))]
    assert pair_cues(src, tgt, encoder, SubtitlePairing()) == []
    assert len(pair_cues(src, tgt, encoder, SubtitlePairing(max_gap=4.0))) == 1
