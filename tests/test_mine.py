"""Mining two collections: the exact kNN, the margin and its selections, the calibrated
threshold, document matching, and ``aligner mine`` / ``aligner.mine`` end to end with the real
encoder on sentences written for these tests (German and English, translated by hand)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.mining import knn, margin
from aligner.mining.collections import MineConfig, Miner
from aligner.mining.documents import match_documents
from aligner.mining.sentences import BASELINE, MineSettings, choose
from aligner.records import Document
from aligner.run.executors import SequentialExecutor
from aligner.table import corpus_tables

runner = CliRunner()


def unit_rows(rng: np.random.Generator, rows: int, dim: int = 8) -> np.ndarray:
    vectors = rng.standard_normal((rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def brute_force(src: np.ndarray, tgt: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    similarity = src @ tgt.T
    forward = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    backward = np.argsort(-similarity.T, axis=1, kind="stable")[:, :k]
    return forward, backward


def test_search_finds_the_exact_neighbours_across_tiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knn, "BLOCK", 8)  # several tiles per side on a small input
    rng = np.random.default_rng(1)
    src, tgt = unit_rows(rng, 21), unit_rows(rng, 30)
    tgt[5] = tgt[17]  # a tie: the lower index comes first
    forward, backward = knn.search(src, tgt, 3)
    expected_forward, expected_backward = brute_force(src, tgt, 3)
    assert np.array_equal(forward.ids, expected_forward)
    assert np.array_equal(backward.ids, expected_backward)
    assert np.allclose(forward.scores, np.take_along_axis(src @ tgt.T, expected_forward, 1))


def test_a_side_smaller_than_k_leaves_empty_slots() -> None:
    rng = np.random.default_rng(2)
    forward, backward = knn.search(unit_rows(rng, 3), unit_rows(rng, 2), 4)
    assert forward.ids[:, 2:].tolist() == [[-1, -1]] * 3
    assert backward.ids[:, 3].tolist() == [-1, -1]
    assert np.isneginf(forward.scores[:, 2:]).all()


def test_shards_on_an_executor_give_the_same_neighbours_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(knn, "BLOCK", 8)
    rng = np.random.default_rng(3)
    src, tgt = unit_rows(rng, 19, 16), unit_rows(rng, 45, 16)
    whole = knn.search(src, tgt, 4)
    sharded = knn.sharded_search(src, tgt, 4, SequentialExecutor(), shard_blocks=2)
    for one, other in zip(whole, sharded, strict=True):
        assert np.array_equal(one.ids, other.ids)
        assert np.array_equal(one.scores, other.scores)


def test_a_shard_must_start_on_a_block() -> None:
    rng = np.random.default_rng(4)
    with pytest.raises(ValueError, match="multiple"):
        knn.search(unit_rows(rng, 2), unit_rows(rng, 2), 1, tgt_offset=3)


def neighbours(scores: list[list[float]], ids: list[list[int]]) -> knn.Neighbours:
    return knn.Neighbours(np.array(scores, np.float32), np.array(ids, np.int64))


def test_ratio_margin_divides_by_the_mean_of_both_neighbourhoods() -> None:
    forward = neighbours([[0.9, 0.5], [0.4, 0.3]], [[0, 1], [0, 1]])
    backward = neighbours([[0.9, 0.4], [0.5, 0.3]], [[0, 1], [0, 1]])
    found = margin.candidates(forward, backward)
    pairs = {
        (s, t): m
        for s, t, m in zip(
            found.src.tolist(), found.tgt.tolist(), found.margin.tolist(), strict=True
        )
    }
    # (0, 0): 0.9 / ((mean(0.9, 0.5) + mean(0.9, 0.4)) / 2) = 0.9 / 0.675
    assert pairs[0, 0] == pytest.approx(0.9 / 0.675)
    assert pairs[1, 1] == pytest.approx(0.3 / ((0.35 + 0.4) / 2))
    assert len(pairs) == 4  # each pair once, though both searches found it


def test_selections() -> None:
    # both sources prefer target 0, which prefers source 0; target 1 is far from both
    forward = neighbours([[0.9, 0.2], [0.8, 0.1]], [[0, 1], [0, 1]])
    backward = neighbours([[0.9, 0.8], [0.2, 0.1]], [[0, 1], [0, 1]])
    found = margin.candidates(forward, backward)

    def chosen(selection: str) -> list[tuple[int, int]]:
        at = margin.select(found, found.margin, selection)
        return sorted(zip(found.src[at].tolist(), found.tgt[at].tolist(), strict=True))

    assert chosen("forward") == [(0, 0), (1, 0)]
    assert chosen("backward") == [(0, 0), (0, 1)]
    assert chosen("mutual") == [(0, 0)]
    assert chosen("max-score") == [(0, 0)]
    assert chosen("competitive") == [(0, 0), (1, 1)]
    with pytest.raises(ValueError, match="unknown selection"):
        margin.select(found, found.margin, "best")


def test_one_to_one_takes_the_best_first_and_each_sentence_once() -> None:
    src, tgt = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    chosen = margin.one_to_one(src, tgt, np.array([0.9, 0.8, 0.95, 0.1]))
    assert sorted(zip(src[chosen].tolist(), tgt[chosen].tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_calibrated_threshold_falls_between_translations_and_the_rest() -> None:
    rng = np.random.default_rng(5)
    translations = rng.normal(1.4, 0.05, 300)
    strangers = rng.normal(1.02, 0.02, 200)
    selected = np.concatenate([translations, strangers])
    null = rng.normal(1.02, 0.02, 1000)  # runner-ups of both sides: 500 sentences each
    threshold = margin.calibrated_threshold(selected, null, floor=1.0)
    assert 1.08 < threshold < 1.3


def test_runner_up_is_each_keys_second_best() -> None:
    keys = np.array([0, 0, 0, 1, 2, 2])
    scores = np.array([1.0, 3.0, 2.0, 5.0, 0.5, 0.7])
    assert sorted(margin.runner_up(keys, scores).tolist()) == [0.5, 2.0]


def test_documents_match_one_to_one_on_their_links() -> None:
    # document 0 shares 3 pairs with target 1 and 1 with target 0; document 1 shares 2 with 0
    src_doc, tgt_doc = np.array([0, 0, 0, 0, 1, 1]), np.array([1, 1, 1, 0, 0, 0])
    matches = match_documents(src_doc, tgt_doc, [4, 3], [3, 3])
    assert [(m.src, m.tgt, m.links) for m in matches] == [(0, 1, 3), (1, 0, 2)]
    assert matches[0].score == pytest.approx(6 / 7, abs=1e-4)
    # one link is never a match, and a low share is not either
    assert match_documents(np.array([0]), np.array([0]), [1], [1]) == []
    assert match_documents(src_doc, tgt_doc, [40, 30], [30, 30]) == []


def test_a_single_link_never_takes_a_document_from_its_translation() -> None:
    # one chance pair with a one-sentence page scores higher than the real match's share
    matches = match_documents(np.array([0, 0, 0]), np.array([0, 1, 1]), [3], [1, 9])
    assert [(m.src, m.tgt) for m in matches] == [(0, 1)]


def test_a_translation_split_over_two_documents_is_matched_to_both() -> None:
    # source 0 (6 sentences) has 3 links to each of two 3-sentence targets; source 1 is alone
    src_doc, tgt_doc = np.array([0, 0, 0, 0, 0, 0]), np.array([0, 0, 0, 1, 1, 1])
    matches = match_documents(src_doc, tgt_doc, [6, 2], [3, 3])
    assert [(m.src, m.tgt, m.part) for m in matches] == [(0, 0, False), (0, 1, True)]


# Written for these tests, each English line translating the German one beside it.
NEWS_DE = [
    "Der Stadtrat hat am Montag den neuen Haushalt beschlossen.",
    "Er sieht 12 Millionen Euro für Schulen vor.",
    "Die Opposition kritisierte die hohen Kosten für den Straßenbau.",
    "Die Bürgermeisterin will im Herbst eine neue Bibliothek eröffnen.",
]
NEWS_EN = [
    "The city council adopted the new budget on Monday.",
    "It provides 12 million euros for schools.",
    "The opposition criticised the high cost of road building.",
    "The mayor wants to open a new library in the autumn.",
]
SPORT_DE = [
    "Die Mannschaft gewann das Finale mit drei zu eins.",
    "Der Trainer lobte die Abwehr nach dem Spiel.",
    "Tausende Fans feierten bis spät in die Nacht auf dem Marktplatz.",
]
SPORT_EN = [
    "The team won the final three to one.",
    "The coach praised the defence after the match.",
    "Thousands of fans celebrated on the market square until late at night.",
]
WEATHER_DE = "Am Wochenende wird es in den Bergen kräftig schneien."
WEATHER_EN = "It will snow heavily in the mountains at the weekend."
ALONE_DE = "Meine Großmutter backt jeden Sonntag einen Apfelkuchen."
ALONE_EN = "The museum is closed on public holidays."
FRENCH = "Le musée est fermé les jours fériés et le dimanche matin."


def collections() -> tuple[list[Document], list[Document]]:
    src = [
        Document("news", "\n".join(NEWS_DE), "de/news.txt"),
        Document("sport", "\n".join(SPORT_DE), "de/sport.txt"),
        # a page whose one translated sentence sits in an unrelated page of the other side,
        # with a sentence in a third language and a repeated sentence
        Document(
            "misc",
            "\n".join([WEATHER_DE, ALONE_DE, FRENCH, WEATHER_DE.replace(".", "!")]),
            "de/misc",
        ),
    ]
    tgt = [
        Document("sport-en", "\n".join(SPORT_EN), "en/sport.txt"),
        Document("notes", "\n".join([ALONE_EN, WEATHER_EN]), "en/notes.txt"),
        Document("news-en", "\n".join(NEWS_EN), "en/news.txt"),
    ]
    return src, tgt


@pytest.fixture(scope="module")
def mined(encoder):
    src, tgt = collections()
    return Miner(MineConfig(langs=("de", "en"), encoder="usem3"), encoder=encoder).mine(src, tgt)


def test_documents_are_matched_and_aligned(mined) -> None:
    matched = {(a.doc_id, b.doc_id) for a, b, _ in mined.matches}
    assert matched == {("news", "news-en"), ("sport", "sport-en")}
    pairs, _ = corpus_tables(mined.results)
    documents = pairs[pairs["method"] == "document"]
    assert sorted(zip(documents["src_text"], documents["tgt_text"], strict=True)) == sorted(
        [*zip(NEWS_DE, NEWS_EN, strict=True), *zip(SPORT_DE, SPORT_EN, strict=True)]
    )
    assert set(documents["source"]) == {"de/news.txt | en/news.txt", "de/sport.txt | en/sport.txt"}


def test_the_rest_is_mined_gated_and_deduplicated(mined) -> None:
    pairs, unaligned = corpus_tables(mined.results)
    found = pairs[pairs["method"] == "mined"]
    assert list(zip(found["src_text"], found["tgt_text"], strict=True)) == [
        (WEATHER_DE, WEATHER_EN)
    ]
    assert found["source"].tolist() == ["de/misc | en/notes.txt"]
    assert found["score"].iloc[0] >= mined.mined.threshold
    assert sorted(unaligned["text"]) == sorted(
        [ALONE_DE, FRENCH, WEATHER_DE.replace(".", "!"), ALONE_EN]
    )
    src_counts, tgt_counts = mined.counts
    assert (src_counts.other_language, src_counts.duplicates) == (1, 1)
    assert (tgt_counts.other_language, tgt_counts.duplicates) == (0, 0)


def test_every_segment_is_in_one_pair_or_unaligned(mined) -> None:
    seen: list[tuple[str, int, str]] = []
    for result in mined.results:
        for pair in result.pairs:
            seen += [(s.doc_id, s.index, s.text) for s in (*pair.src, *pair.tgt)]
        seen += [(s.doc_id, s.index, s.text) for s in result.unaligned]
    assert len(seen) == len(set(seen)) == sum(mined.counts[i].segments for i in (0, 1))


def test_split_translation_parts_are_aligned_as_documents(encoder) -> None:
    src = [Document("both", "\n".join([*NEWS_DE, *SPORT_DE]), "de/both.txt")]
    tgt = [
        Document("news-en", "\n".join(NEWS_EN), "en/news.txt"),
        Document("sport-en", "\n".join(SPORT_EN), "en/sport.txt"),
    ]
    found = Miner(MineConfig(langs=("de", "en"), encoder="usem3"), encoder=encoder).mine(src, tgt)
    assert [(b.doc_id, m.part) for _, b, m in found.matches] == [
        ("news-en", False),
        ("sport-en", True),
    ]
    pairs, unaligned = corpus_tables(found.results)
    assert set(pairs["method"]) == {"document"}
    assert sorted(zip(pairs["src_text"], pairs["tgt_text"], strict=True)) == sorted(
        [*zip(NEWS_DE, NEWS_EN, strict=True), *zip(SPORT_DE, SPORT_EN, strict=True)]
    )
    assert unaligned.empty


def test_the_similarity_floor_keeps_a_small_collection_from_pairing_strangers(encoder) -> None:
    src_texts, tgt_texts = [*NEWS_DE, ALONE_DE], [*NEWS_EN, *SPORT_EN]
    src, tgt = encoder.encode(src_texts), encoder.encode(tgt_texts)
    forward, backward = knn.search(src, tgt, 4)

    def pairs(settings: MineSettings) -> list[tuple[int, int]]:
        found = choose(forward, backward, src_texts, tgt_texts, settings)
        return list(zip(found.src.tolist(), found.tgt.tolist(), strict=True))

    translations = [(i, i) for i in range(4)]
    assert pairs(MineSettings()) == translations
    # with seven target sentences, every neighbour is far: the bare margin of the published
    # method pairs the grandmother's apple cake with the football fans
    assert pairs(BASELINE) == [*translations, (4, 6)]


def write_side(folder: Path, documents: list[Document]) -> Path:
    folder.mkdir(parents=True)
    for document in documents:
        (folder / f"{document.doc_id}.txt").write_text(document.text + "\n", encoding="utf-8")
    return folder


def test_cli_writes_pairs_unaligned_and_matches(tmp_path: Path) -> None:
    src, tgt = collections()
    de, en = write_side(tmp_path / "de", src), write_side(tmp_path / "en", tgt)
    out = tmp_path / "pairs.csv"
    result = runner.invoke(
        app,
        ["mine", str(de), "--tgt", str(en), "--langs", "de,en", "-o", str(out),
         "--unaligned-out", str(tmp_path / "rest.csv"), "--matches-out", str(tmp_path / "m.csv"),
         "--encoder", "usem3", "--cache-dir", str(tmp_path / "cache")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(out)
    assert pairs["method"].value_counts().to_dict() == {"document": 7, "mined": 1}
    assert len(pd.read_csv(tmp_path / "rest.csv")) == 4
    matches = pd.read_csv(tmp_path / "m.csv")
    assert sorted(matches["tgt_doc"]) == ["news-en", "sport-en"]
    assert "2 matched; 7 document pairs, 1 mined pairs" in result.output


def test_cli_sentences_only_mines_everything_as_sentences(tmp_path: Path) -> None:
    src, tgt = collections()
    de, en = write_side(tmp_path / "de", src), write_side(tmp_path / "en", tgt)
    result = runner.invoke(
        app,
        ["mine", str(de), "--tgt", str(en), "--langs", "de,en", "--sentences", "-o", "-",
         "--encoder", "usem3", "--no-cache"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ",document," not in result.stdout
    assert result.stdout.count(",mined,") == 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--langs", "de"], "takes two language codes"),
        (["--langs", "de,en", "--selection", "best"], "--selection takes one of"),
    ],
)
def test_cli_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text("Hallo.\n", encoding="utf-8")
    result = runner.invoke(app, ["mine", str(tmp_path / "a.txt"), "--tgt", "-", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_api_mine_returns_the_tables_and_plots_the_scores() -> None:
    import aligner

    src, tgt = collections()
    found = aligner.mine(src, tgt, "de,en", encoder="usem3")
    assert found.pairs["method"].value_counts().to_dict() == {"document": 7, "mined": 1}
    assert len(found.unaligned) == 4
    assert found.matches["tgt_doc"].tolist() == ["news-en", "sport-en"]
    ax = found.plot_scores()
    assert ax.lines[0].get_xdata()[0] == pytest.approx(found.threshold)
