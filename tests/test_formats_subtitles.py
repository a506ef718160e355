"""Pairing two monolingual subtitle tracks: time decides between equally similar cues."""

from aligner.read.subtitles import Cue
from aligner.subtitles.pairing import SubtitlePairing, pair_cues


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


SPANISH_TRACK = [
    Cue(1.0, 3.5, ("¿Dónde estabas anoche?",)),
    Cue(4.0, 6.0, ("Estaba en casa de mi hermana.", "Ella está enferma.")),
    Cue(6.5, 8.0, ("No te creo.",)),
    Cue(9.0, 11.0, ("Tienes que confiar en mí, Carlos.",)),
    Cue(12.0, 14.0, ("Está bien, vamos a cenar.",)),
]
ENGLISH_TRACK = [
    Cue(1.0, 3.3, ("Where were you last night?",)),
    Cue(3.9, 5.0, ("I was at my sister's place.",)),
    Cue(5.0, 5.9, ("She's sick.",)),
    Cue(6.4, 7.9, ("I don't believe you.",)),
    Cue(8.0, 8.7, ("(DOOR SLAMS)",)),
    Cue(8.9, 11.0, ("You have to trust me, Carlos.",)),
    Cue(12.1, 14.0, ("Fine, let's go have dinner.",)),
]
EXPECTED = [
    ((0, 0), (0, 0)),
    ((1, 1), (1, 2)),
    ((2, 2), (3, 3)),
    ((3, 3), (5, 5)),
    ((4, 4), (6, 6)),
]


def test_a_track_running_seconds_late_is_paired_as_if_in_time(encoder):
    def shifted(seconds: float) -> list[Cue]:
        return [Cue(c.start + seconds, c.end + seconds, c.lines) for c in ENGLISH_TRACK]

    for seconds in (0.0, 2.2, -4.0):
        beads = pair_cues(SPANISH_TRACK, shifted(seconds), encoder, SubtitlePairing())
        assert [((s.first, s.last), (t.first, t.last)) for s, t, _ in beads] == EXPECTED, seconds
