"""The default detector on short segments: real text in, exact language out."""

import pytest

from aligner.langid import DEFAULT_DETECTOR, detectors, known_languages, load_detector
from aligner.langid.neutral import (
    content_words,
    credit_prefix_end,
    credit_suffix_start,
    is_credit,
    words,
)
from aligner.records import UNDETERMINED
from tests.conftest import SEED_EN, SEED_ES

ES_EN = ("es", "en")


@pytest.fixture(scope="module")
def detector():
    return load_detector()


def test_default_is_the_ngram_detector_and_langdetect_stays_selectable():
    assert DEFAULT_DETECTOR == "charngram"
    assert {"charngram", "langdetect"} <= set(detectors)
    assert load_detector("langdetect").name == "langdetect-1.0.9:seed=0"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (SEED_ES, "es"),
        (SEED_EN, "en"),
        ("de la casa", "es"),
        ("y", "es"),
        ("the house", "en"),
        ("sin azúcar", "es"),
        ("para nosotros", "es"),
        ("without sugar", "en"),
        ("Es un perro.", "es"),
        ("I am here.", "en"),
        ("¿Dónde está el baño?", "es"),
        ("Where is the bathroom?", "en"),
        ("El Gobierno aprobó ayer la reforma", "es"),
        ("The Government passed the reform yesterday", "en"),
    ],
)
def test_short_spanish_and_english(detector, text, lang):
    found, score = detector.detect(text, ES_EN)
    assert found == lang
    assert 0.5 < score <= 1.0


@pytest.mark.parametrize(
    ("text", "langs", "lang"),
    [
        ("O menino come a maçã.", ("pt", "es"), "pt"),
        ("El niño come la manzana.", ("pt", "es"), "es"),
        ("Il ragazzo mangia la mela.", ("it", "es"), "it"),
        ("Le garçon mange la pomme.", ("fr", "en"), "fr"),
        ("El noi menja la poma.", ("ca", "es"), "ca"),
        ("Der Junge isst den Apfel.", ("de", "en"), "de"),
        ("Мальчик ест яблоко.", ("ru", "uk"), "ru"),
        ("The boy eats the apple.", (), "en"),
        ("Der Junge isst den Apfel.", (), "de"),
    ],
)
def test_other_languages_and_the_open_set(detector, text, langs, lang):
    assert detector.detect(text, langs)[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12:30",
        "2024",
        "😀🎉",
        "https://example.org/a/b",
        "AFP",
        "Kori Schulman",
        "Volodymyr Zelensky",
        "Sergei SUPINSKY / AFP - ",
        "---",
        "\x00\x01",
    ],
)
def test_neutral_or_empty_text_is_und_and_never_raises(detector, text):
    assert detector.detect(text, ES_EN) == (UNDETERMINED, 0.0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Capitol Hill", "en"), ("President Trump", "en"), ("Presidente Trump", "es")],
)
def test_a_title_with_a_common_word_of_one_language_is_not_a_bare_name(detector, text, lang):
    assert detector.detect(text, ES_EN)[0] == lang


def test_names_can_be_guessed_instead():
    from aligner.langid.charngram import CharNgramDetector

    guessing = CharNgramDetector(und_for_names=False)
    assert guessing.name == "charngram:ngrams-1:names-guessed"
    assert guessing.detect("Kori Schulman", ES_EN)[0] in ES_EN
    assert guessing.detect("12:30", ES_EN) == (UNDETERMINED, 0.0)


def test_capitalised_function_words_are_not_names(detector):
    assert detector.detect("The Great Powers", ES_EN)[0] == "en"
    assert detector.detect("En La Casa", ES_EN)[0] == "es"


def test_languages_the_model_lacks_go_to_py3langid_then_langdetect(detector):
    assert not detector.covers(("gl", "es"))
    assert detector.detect("Onte fun á praia coa miña nai.", ("gl", "es"))[0] == "gl"
    assert detector.detect("Ayer fui a la playa con mi madre.", ("gl", "es"))[0] == "es"
    assert detector.detect("ಕನ್ನಡ ಒಂದು ಭಾಷೆ", ("kn", "en"))[0] == "kn"
    # py3langid has no "zh-cn": langdetect answers.
    assert detector.detect("我是一个学生。", ("zh-cn", "en"))[0] == "zh-cn"


def test_same_answer_twice_and_in_a_fresh_detector(detector):
    texts = ["Soy gay.", "a", "general", "no", "simple", SEED_ES]
    first = [detector.detect(t, ES_EN) for t in texts]
    assert [detector.detect(t, ES_EN) for t in texts] == first
    assert [load_detector().detect(t, ES_EN) for t in texts] == first


def test_word_rows_are_shared_unchangeable_and_the_same_as_computed_afresh(detector):
    from aligner.langid.charngram import CharNgramDetector

    tables = detector.tables(ES_EN)
    tokens = words("Ayer llovió en Madrid, dijo Ana.")
    first = detector.word_scores(tokens, tables)
    with pytest.raises(TypeError):
        first[0][0] = 99.0  # type: ignore[index]
    again = detector.word_scores(tokens, tables)
    assert again == first == CharNgramDetector().word_scores(tokens, tables)
    assert [row == (0.0, 0.0) for row in first] == [w.neutral for w in tokens]


def test_credit_prefix_and_neutral_words():
    assert SEED_ES[: credit_prefix_end(SEED_ES)] == "Sergei SUPINSKY / AFP - "
    assert credit_prefix_end("El presidente - dijo") == 0
    assert content_words(SEED_ES) == [
        "El",
        "presidente",
        "ucraniano",
        "dcha",
        "y",
        "el",
        "secretario",
        "general",
        "de",
        "la",
        "izda",
    ]
    glued = [(w.text, w.neutral) for w in words("¿Puedo ir?May I go to Madrid?")]
    assert glued == [
        ("Puedo", False),
        ("ir", False),
        ("May", False),
        ("I", False),
        ("go", False),
        ("to", False),
        ("Madrid", True),
    ]


def test_known_languages_cover_the_model_py3langid_and_langdetect():
    assert {"es", "en", "pt", "it", "fr", "ca", "gl", "de", "kn", "zh-cn"} <= known_languages()
    assert "xx" not in known_languages()


@pytest.mark.parametrize(
    ("text", "langs", "lang"),
    [
        ("logcheck 程序默认每小时监视日志文件。", ("zh", "en"), "zh"),
        ("请参考systemd-networkd(8)。", ("zh", "en"), "zh"),
        ("Debian 管理员手册", ("zh", "en"), "zh"),
        ("wpa_supplicant Qt 图形界面客户端", ("en", "zh"), "zh"),
        ("Apple released the new 苹果 phone in Beijing on Tuesday.", ("zh", "en"), "en"),
        ("東京タワーの近くで Apple の新製品が発表された。", ("ja", "en"), "ja"),
        ("東京タワーの近くで Apple の新製品が発表された。", (), "ja"),
        ("Debian 管理员手册", (), "zh"),
    ],
)
def test_chinese_and_japanese_borrowing_latin_words_keep_their_language(
    detector, text, langs, lang
):
    # Each character counts as a word against the borrowed Latin ones; the n-grams alone read
    # the first four as English and the last as Spanish.
    assert detector.detect(text, langs)[0] == lang


def test_paths_and_addresses_are_neutral_but_slashed_words_are_not():
    found = words("Sobald /home/rmas/hello.txt und ~/.bashrc an info@example.org gehen, 50 km/h")
    assert [w.text for w in found if not w.neutral] == ["Sobald", "und", "an", "gehen", "km", "h"]


def test_a_picture_credit_is_told_from_prose():
    for credit in ["(Foto: Europa Press)", "Photo : Jeff Pachoud / AFP", "[Imagen: EFE]",
                   "Foto: Agencia de Noticias EFE", "Фото: ТАСС"]:  # fmt: skip
        assert is_credit(credit), credit
    for prose in ["Foto: el presidente en Madrid", "Image: a cat on a mat", "Foto de familia"]:
        assert not is_credit(prose), prose
    caption = "El presidente, en el Congreso (Foto: Europa Press)"
    assert caption[: credit_suffix_start(caption)] == "El presidente, en el Congreso "
    assert credit_suffix_start("Calle Mayor (Main Street)") == len("Calle Mayor (Main Street)")


def test_tokens_no_cut_may_enter():
    from aligner.langid.neutral import spans

    text = (
        "See pic.twitter.com/zK8QMCzPDf, $17.99 or 1.4 a month (ages 3-7) at www.example.org; "
        "run ssh-add -l in ~/.ssh/ or debian/falcot-data.install, @dan_abramov #react $ModLoad "
        "useState python3 index.html info@example.org, GNU/Linux."
    )
    assert [(text[s.start : s.end], s.neutral) for s in spans(text)] == [
        ("pic.twitter.com/zK8QMCzPDf", True),
        ("$17.99", True),
        ("1.4", True),
        ("3-7", True),
        ("www.example.org", True),
        ("ssh-add", False),
        ("-l", True),
        ("~/.ssh/", True),
        ("debian/falcot-data.install", True),
        ("@dan_abramov", True),
        ("#react", True),
        ("$ModLoad", True),
        ("useState", True),
        ("python3", True),
        ("index.html", True),
        ("info@example.org", True),
        ("GNU/Linux", False),
    ]


def test_tokens_are_found_between_spaces_as_in_the_whole_line():
    # each stretch between two spaces that holds a sign is searched alone; inline code may hold
    # spaces, and a www. address followed by a bracket holds no other sign
    from aligner.langid.neutral import spans

    found = {
        text: [(text[s.start : s.end], s.neutral) for s in spans(text)]
        for text in [
            "Run `make test -j 2` then 3.5 km/h",
            "ab 12:30,x@y.org  ~/.bashrc\u00a0v2 co-op",
            "See www.(archive) today",
        ]
    }
    assert found == {
        "Run `make test -j 2` then 3.5 km/h": [
            ("`make test -j 2`", True),
            ("3.5", True),
            ("km/h", False),
        ],
        "ab 12:30,x@y.org  ~/.bashrc\u00a0v2 co-op": [
            ("12:30", True),
            ("x@y.org", True),
            ("~/.bashrc", True),
            ("v2", True),
            ("co-op", False),
        ],
        "See www.(archive) today": [("www.(archive", True)],
    }


def test_the_words_of_recent_texts_are_kept_within_a_character_budget():
    # a 20 MB one-line document is read in blocks of 20,000 characters: a cache of 256 texts
    # held 170 MB of words; a budget in characters keeps the last few, and a text read again
    # in a row is tokenised once
    from aligner.langid.neutral import _RecentTexts

    recent = _RecentTexts(budget=100)
    texts = [f"{n:02d}" + "x" * 38 for n in range(4)]  # 40 characters each
    for text in texts:
        recent.put(text, tuple(words(text)))
    assert [recent.get(t) is not None for t in texts] == [False, False, True, True]
    recent.get(texts[2])  # now the newest: the next text pushes texts[3] out
    recent.put("y" * 40, ())
    assert recent.get(texts[2]) is not None and recent.get(texts[3]) is None
    recent.put("z" * 101, ())  # longer than the whole budget: not kept, nothing pushed out
    assert recent.get("z" * 101) is None and recent.get(texts[2]) is not None


def _read_line_by_line(raw: str) -> tuple[dict[str, float], dict[str, float]]:
    """The model's tables read the plain way: one line at a time."""
    inner, edges = {}, {}
    for line in raw.splitlines():
        fields = line.split("\t")
        if len(fields) == 3:
            edges[fields[0].replace("_", " ")] = -int(fields[1]) / 8.0
        else:
            inner[fields[0]] = -int(fields[1]) / 8.0
    return inner, edges


def test_shipped_tables_are_read_as_line_by_line_and_a_bad_line_is_refused():
    import zipfile
    from importlib import resources

    from aligner.langid.ngrams import _parse, load_table

    data = resources.files("aligner.langid").joinpath("data", "ngrams.zip")
    with data.open("rb") as stream, zipfile.ZipFile(stream) as archive:
        for lang in ("es", "zh", "az"):  # az has no edges
            raw = archive.read(f"{lang}.tsv").decode("utf-8")
            table = load_table(lang)
            assert (table.inner, table.edges) == _read_line_by_line(raw)
            assert len(table.inner) > 1000 and (len(table.edges) > 100) == (lang != "az")
    with pytest.raises(ValueError, match="edges do not follow"):
        _parse("xx", "ab\t1\n_a\t2\te\nbc\t3\n", None)
    with pytest.raises(ValueError, match="not key<TAB>number: 'ab\\\\t1\\\\t2'"):
        _parse("xx", "ab\t1\t2\n", None)
    # a line without its number and one with two balance each other's count of fields
    with pytest.raises(ValueError, match="not key<TAB>number: 'ab'"):
        _parse("xx", "ab\ncd\t1\t2\n", None)


def test_py3langid_answers_as_its_own_classify_does():
    """The backend's product over the features a text holds gives py3langid's answer, and its
    probability within float32 rounding."""
    from aligner.langid.py3langid_backend import _classify, _restricted

    texts = [
        SEED_ES,
        SEED_EN,
        "Der Bundestag hat am Donnerstag über das neue Gesetz abgestimmt.",
        "Le gouvernement a présenté hier son projet de loi de finances.",
        "Правительство представило вчера проект бюджета.",
        "政府昨天公布了新的预算方案。",
        "",
    ]
    for langs in ((), ("en", "es")):
        model = _restricted(langs)
        for text in texts:
            expected_lang, expected_probability = model.classify(text)
            lang, probability = _classify(model, text)
            assert lang == expected_lang
            assert probability == pytest.approx(float(expected_probability), abs=1e-5)
