"""Splitting a line that holds two languages: exact offsets on hand-made lines."""

from pathlib import Path

import pytest

from aligner.langid import load_detector, mixed
from aligner.langid.mixed import Piece, split_mixed, switch_cost
from aligner.langid.neutral import words

ES_EN = ("es", "en")
SEED_ES = (
    "Sergei SUPINSKY / AFP - El presidente ucraniano, Volodymyr Zelensky (dcha.), "
    "y el secretario general de la OTAN, Jens Stoltenberg (izda.)"
)


@pytest.fixture(scope="module")
def detector():
    return load_detector()


def pieces(text, detector, langs=ES_EN):
    return [(text[p.start : p.end], p.lang) for p in split_mixed(text, langs, detector)]


@pytest.mark.parametrize("separator", [" / ", " - ", " | ", " – ", " — ", " ", "", "\t"])
def test_each_separator_gives_two_pieces_at_the_exact_offset(detector, separator):
    es, en = "El perro come carne todos los días.", "The dog eats meat every day."
    text = es + separator + en
    found = split_mixed(text, ES_EN, detector)
    assert [(p.start, p.end, p.lang) for p in found] == [
        (0, len(es), "es"),
        (len(es) + len(separator), len(text), "en"),
    ]
    assert all(p.score > 0.99 for p in found)


def test_glued_question_and_english_first(detector):
    assert pieces("¿Puedo ir?May I go?", detector) == [("¿Puedo ir?", "es"), ("May I go?", "en")]
    assert pieces("Where is the station? / ¿Dónde está la estación?", detector) == [
        ("Where is the station?", "en"),
        ("¿Dónde está la estación?", "es"),
    ]


def test_a_separator_without_sentence_punctuation(detector):
    assert pieces(
        "Vista de la ciudad desde el puerto / View of the city from the port", detector
    ) == [
        ("Vista de la ciudad desde el puerto", "es"),
        ("View of the city from the port", "en"),
    ]


@pytest.mark.parametrize("separator", ["\t", " · ", " • "])
def test_a_tab_or_a_dot_separates_two_captions_that_end_on_a_name(detector, separator):
    # without punctuation, the capitalised name before the separator is as good a place to
    # change language as the separator, unless the separator counts as a sentence break
    es, en = "Pescadores descargan merluza en el puerto de Vigo", "Fishermen unload hake at Vigo"
    assert pieces(es + separator + en, detector) == [(es, "es"), (en, "en")]


def test_a_number_before_the_separator_stays_left(detector):
    assert pieces("Llegamos a las 2:30. / We arrived at 2:30.", detector) == [
        ("Llegamos a las 2:30.", "es"),
        ("We arrived at 2:30.", "en"),
    ]


def test_a_repeated_credit_goes_with_its_caption(detector):
    text = "EFE - Los bomberos apagan el fuego. EFE - Firefighters put out the fire."
    assert pieces(text, detector) == [
        ("EFE - Los bomberos apagan el fuego.", "es"),
        ("EFE - Firefighters put out the fire.", "en"),
    ]


def test_the_seed_caption_is_one_spanish_piece(detector):
    assert split_mixed(SEED_ES, ES_EN, detector) == [Piece(0, len(SEED_ES), "es", 1.0)]


@pytest.mark.parametrize(
    "text",
    [
        "El perro come carne. La niña bebe agua.",
        "Tom se fue a casa. María se quedó en la oficina / Pedro volvió tarde.",
        "The dog eats meat. The girl drinks water.",
        "Mike tiene un coche rojo.",
        "Lo dijo el sr. Thompson ayer.",
        'Fuimos al concierto de "Stranger Things" en el estadio.',
        "El nuevo jet privado del presidente llegó ayer.",
    ],
)
def test_one_language_lines_stay_whole(detector, text):
    found = split_mixed(text, ES_EN, detector)
    assert len(found) == 1
    assert found[0].lang == ("en" if text.startswith("The") else "es")


def test_no_split_with_one_candidate_or_one_word(detector):
    text = "El perro come carne. The dog eats meat."
    assert len(split_mixed(text, ("es",), detector)) == 1
    assert split_mixed("Hola", ES_EN, detector) == [
        Piece(0, 4, "es", split_mixed("Hola", ES_EN, detector)[0].score)
    ]
    assert split_mixed("", ES_EN, detector) == [Piece(0, 0, "und", 0.0)]
    assert split_mixed("  12:30  ", ES_EN, detector) == [Piece(2, 7, "und", 0.0)]


def test_a_change_costs_less_at_a_sentence_end_than_mid_sentence():
    def cost(text, index):
        found = words(text)
        return switch_cost(text, found[index - 1], found[index])

    sentence = cost("Hola amigo. Hello friend", 2)
    assert sentence == cost("Hola amigo / hello friend", 2) == cost("¿Vienes?Come", 1)
    assert sentence < cost("Hola amigo, hello friend", 2) < cost("Hola amigo hello friend", 2)
    assert cost("Vino el sr. Smith", 3) == cost("Hola amigo hello friend", 2)


def test_other_detectors_split_too():
    langdetect = load_detector("langdetect")
    text = "El perro come carne todos los días. The dog eats meat every day."
    assert [p.lang for p in split_mixed(text, ES_EN, langdetect)] == ["es", "en"]


def test_same_pieces_twice(detector):
    text = "Ayer llovió en Sevilla. | It rained in Seville yesterday."
    assert split_mixed(text, ES_EN, detector) == split_mixed(text, ES_EN, detector)
    assert pieces(text, detector) == [
        ("Ayer llovió en Sevilla.", "es"),
        ("It rained in Seville yesterday.", "en"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Miles de personas celebran el carnaval en Cádiz (Thousands of people celebrate "
            "carnival in Cádiz)",
            [
                ("Miles de personas celebran el carnaval en Cádiz", "es"),
                ("Thousands of people celebrate carnival in Cádiz", "en"),
            ],
        ),
        (
            "El alcalde visita el mercado central. (The mayor visits the central market.)",
            [
                ("El alcalde visita el mercado central.", "es"),
                ("The mayor visits the central market.", "en"),
            ],
        ),
        (
            "The mayor visits the central market [El alcalde visita el mercado central]",
            [
                ("The mayor visits the central market", "en"),
                ("El alcalde visita el mercado central", "es"),
            ],
        ),
    ],
)
def test_a_translation_in_brackets_is_cut_at_the_bracket_and_loses_it(detector, text, expected):
    assert pieces(text, detector) == expected


def test_an_opening_quote_stays_with_its_sentence(detector):
    assert pieces("El alcalde visita el mercado “The mayor visits the market”", detector) == [
        ("El alcalde visita el mercado", "es"),
        ("“The mayor visits the market”", "en"),
    ]


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        ("Schwartz & Wade, $17.99; ages 3-7", ("de", "en")),
        ("Press ctrl-z, ctrl-c to stop the co-working session.", ("de", "en")),
        ("The plan costs 1.4 a month.", ("de", "en")),
        ("Read more at pic.twitter.com/zK8QMCzPDf now", ("es", "en")),
        # Debian Administrator's Handbook, es-ES (GPL-2+ / CC-BY-SA-3.0)
        ("Respuestas a las preguntas del script migrate_all_online.sh", ("es", "en")),
        # fr.react.dev blog, React 19 upgrade guide (CC-BY-4.0): it was cut at "@testing-"
        (
            "Nous vous conseillons de migrer vos tests vers @testing-library/react ou "
            "@testing-library/react-native.",
            ("fr", "en"),
        ),
    ],
)
def test_a_one_language_line_with_prices_numbers_urls_and_hyphens_stays_whole(
    detector, text, langs
):
    assert [(p.start, p.end) for p in split_mixed(text, langs, detector)] == [(0, len(text))]


# Real lines: a sentence of the Debian Administrator's Handbook (GPL-2+ / CC-BY-SA-3.0) and its
# English original, joined by a separator as bilingual captions are (bench/real/cuts)
HANDBOOK_LINES = [
    (
        "es",
        "Por ejemplo, si desea que el servidor web pueda escuchar en el puerto 8080, deberá "
        "ejecutar semanage port -m -t http_port_t -p tcp 8080.",
        " | ",
        "For instance, if you want the web server to be able to listen on port 8080, you should "
        "run semanage port -m -t http_port_t -p tcp 8080.",
    ),
    (
        "pt",
        "Para aceitar mensagens de log enviadas por outras máquinas, você tem que reconfigurar o "
        'rsyslog: na prática, é suficiente ativar as entradas "ready-for-use entries" em '
        "/etc/rsyslog.conf ($ModLoad imudp e $UDPServerRun 514).",
        " | ",
        "To accept log messages sent by other machines, you must reconfigure rsyslog: in "
        "practice, it is sufficient to activate the ready-for-use entries in /etc/rsyslog.conf "
        "($ModLoad imudp and $UDPServerRun 514).",
    ),
    (
        "pt",
        "executar (simbolizado por x como em “eXecute”).",
        " | ",
        "executing (symbolized by x as in “eXecute”).",
    ),
    (
        "fr",
        "Cela affectait les clés SSH, SSL et les certificats X.509 employés par de nombreuses "
        "applications comme OpenVPN.",
        " / ",
        "This affected SSH keys, SSL keys, and X.509 certificates used by numerous applications, "
        "such as OpenVPN.",
    ),
    (
        "zh",
        "所有剩下要做的，是通过我们之前用来重新构建软件包的相同方法来生成二进制软件包：我们从 "
        "falcot-data-1.0 目录内运行 dpkg-buildpackage -us -uc 命令。",
        " | ",
        "All that is left to do is to generate the binary package, with the same method we used "
        "previously for rebuilding packages: we run the dpkg-buildpackage -us -uc command from "
        "within the falcot-data-1.0 directory.",
    ),
    (
        "es",
        "Conoce ssh y sus herramientas vía ssh-agent, ssh-add, etc.",
        " / ",
        "Know ssh and its tools via ssh-agent, ssh-add, etc.",
    ),
]


@pytest.mark.parametrize(("lang", "first", "separator", "english"), HANDBOOK_LINES)
def test_the_separator_wins_over_command_names_options_and_identifiers(
    detector, lang, first, separator, english
):
    text = first + separator + english
    assert pieces(text, detector, (lang, "en")) == [(first, lang), (english, "en")]


def test_the_full_stop_of_a_number_is_no_sentence_end(detector):
    # it was: "El libro cuesta 17." | "99 The book costs 17.99"
    text = "El libro cuesta 17.99 The book costs 17.99"
    assert pieces(text, detector) == [(text, "es")]
    assert pieces("Solo cuesta 17.99. The book costs 17.99.", detector) == [
        ("Solo cuesta 17.99.", "es"),
        ("The book costs 17.99.", "en"),
    ]


@pytest.mark.parametrize(
    ("langs", "text", "lang"),
    [
        # a place name right after a separator was the sentence-initial word of a Vietnamese
        # piece (0.999): "... on the Nhon" | "Hanoi Station line."
        (("vi", "en"), "Passengers ride the first train on the Nhon - Hanoi Station line.", "en"),
        (("de", "en"), "Merkel in Berlin - Parliament debate.", "en"),
        (("de", "en"), "Scholz in Brüssel - Europe summit.", "en"),
        (("de", "en"), "Workers at the plant - Volkswagen Wolfsburg.", "en"),
        (("de", "en"), "Die Polizei sperrt die Straße - Downing Street.", "de"),
        (("es", "en"), "Supporters wait outside the stadium - Santiago Bernabéu.", "en"),
        (("es", "en"), "Los bomberos trabajan en la zona - Brooklyn Bridge.", "es"),
        (("es", "en"), "Fans celebrate in the streets - Europa League final.", "en"),
        (("fr", "en"), "Protesters march in the city centre - Place de la République.", "en"),
        (("fr", "en"), "La foule attend devant le stade - Wembley Stadium.", "fr"),
        (("pt", "en"), "Flooding in the south - Porto Alegre region.", "en"),
    ],
)
def test_a_one_language_line_with_foreign_names_is_never_cut(detector, langs, text, lang):
    # a capitalised word that is no common word may be a name wherever it stands, and a
    # name (with its links: "de la") says where, not in which language
    assert pieces(text, detector, langs) == [(text, lang)]


@pytest.mark.parametrize(
    ("langs", "text", "expected"),
    [
        # bilingual headings of READMEs and menus: title case says nothing of names
        (("es", "en"), "Preguntas frecuentes / Frequently Asked Questions",
         [("Preguntas frecuentes", "es"), ("Frequently Asked Questions", "en")]),
        (("es", "en"), "Guía de inicio rápido | Quick Start Guide",
         [("Guía de inicio rápido", "es"), ("Quick Start Guide", "en")]),
        (("zh", "en"), "快速开始 / Quick Start", [("快速开始", "zh"), ("Quick Start", "en")]),
        # one capitalised word in another script than the rest of the line
        (("zh", "en"), "安装 / Installation", [("安装", "zh"), ("Installation", "en")]),
        # one capitalised word beside a piece as short, parted by a separator
        (("es", "en"), "Instalación / Installation",
         [("Instalación", "es"), ("Installation", "en")]),
        # a label of the Debian Administrator's Handbook, French and English (GPL-2+)
        (("fr", "en"), "Fichier /etc/sysctl.conf\tThe /etc/sysctl.conf file",
         [("Fichier /etc/sysctl.conf", "fr"), ("The /etc/sysctl.conf file", "en")]),
    ],
)  # fmt: skip
def test_a_heading_in_title_case_is_cut_off_its_translation(detector, langs, text, expected):
    # they stayed whole when every capitalised word that is no common word was taken for a name
    assert pieces(text, detector, langs) == expected


@pytest.mark.parametrize(
    ("langs", "text", "lang"),
    [
        # a one-word name beside a sentence is no heading beside its translation
        (("de", "en"), "Berlin / Parliament debate in the capital.", "en"),
        # two names, each one word, say nothing that would cut them apart
        (("fr", "en"), "Paris / London", "en"),
        (("es", "en"), "Sevilla / Londres", "es"),
        (("de", "en"), "Berlin / München", "de"),
    ],
)
def test_a_one_word_name_beside_a_separator_is_not_cut_off(detector, langs, text, lang):
    assert pieces(text, detector, langs) == [(text, lang)]


def test_names_on_both_sides_do_not_stop_a_real_cut(detector):
    text = "Merkel habla en Berlín ante el Bundestag. / Merkel speaks in Berlin to the Bundestag."
    assert pieces(text, detector) == [
        ("Merkel habla en Berlín ante el Bundestag.", "es"),
        ("Merkel speaks in Berlin to the Bundestag.", "en"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Residents of Lavapiés protest against rising rents. Photo: Europa Press",
        "Opposition leader speaks to reporters outside parliament. (Photo: Europa Press)",
    ],
)
def test_a_closing_picture_credit_says_no_language(detector, text):
    assert pieces(text, detector) == [(text, "en")]


def _real_lines() -> tuple[list[str], list[str]]:
    """Lines in one language (the seed article's, the bilingual interview's subtitle lines) and
    bilingual ones (each Spanish subtitle line joined to its English translation)."""
    root = Path(__file__).resolve().parent.parent
    seed = (root / "seeds" / "000_99d82873baad0043.txt").read_text(encoding="utf-8")
    cues = (Path(__file__).parent / "data" / "interview.es-en.srt").read_text(encoding="utf-8")
    texts = [
        line for line in cues.splitlines() if line and not line[0].isdigit() and "♪" not in line
    ]
    bilingual = [f"{es} / {en}" for es, en in zip(texts[::2], texts[1::2], strict=True)]
    return [line for line in seed.splitlines() if line.strip()] + texts, bilingual


def test_a_line_where_no_change_pays_gets_the_pieces_of_the_full_pass(detector, monkeypatch):
    one_language, bilingual = _real_lines()
    lines = one_language + bilingual
    taken = {line for line in lines if mixed._no_change_pays(words(line), ES_EN, detector)}
    quick = [split_mixed(line, ES_EN, detector) for line in lines]
    monkeypatch.setattr(mixed, "_no_change_pays", lambda *_: False)
    full = [split_mixed(line, ES_EN, detector) for line in lines]
    assert quick == full
    cut = [line for line, found in zip(lines, full, strict=True) if len(found) > 1]
    assert cut == bilingual and not taken & set(bilingual)
    # most one-language lines never reach the Viterbi pass
    assert len(taken) >= 0.6 * len(one_language)
