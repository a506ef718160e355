from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.langid.inference import infer_langs
from aligner.read import read_inputs
from aligner.records import Document
from tests.conftest import SEED, SEED_EN, SEED_ES


def align(text, encoder, detector, langs=("es", "en")):
    aligner = CaptionAligner(RunConfig(langs=langs), langs, encoder=encoder, detector=detector)
    return aligner.align(Document("doc", text, "test"))


def test_seed_gives_exactly_the_caption_pair(encoder, detector):
    [document] = read_inputs([str(SEED)])
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=encoder, detector=detector)
    result = aligner.align(document)
    [pair] = result.pairs
    assert (pair.src[0].text, pair.tgt[0].text) == (SEED_ES, SEED_EN)
    assert (pair.src[0].lang, pair.tgt[0].lang, pair.bead) == ("es", "en", "1-1")
    assert len(result.segments) == 23 == 2 * len(result.pairs) + len(result.unaligned)
    assert {s.lang for s in result.unaligned} == {"en"}
    for s in result.segments:
        assert document.text[s.start : s.end] == s.text


def test_mixed_line_is_split_and_paired(encoder, detector):
    text = (
        "La policía detuvo ayer a tres personas en el puerto de Valencia. / "
        "Police arrested three people yesterday in the port of Valencia.\n"
        "The arrests followed a two-year investigation into drug trafficking."
    )
    result = align(text, encoder, detector)
    [pair] = result.pairs
    assert pair.src[0].text == "La policía detuvo ayer a tres personas en el puerto de Valencia."
    assert pair.tgt[0].text == "Police arrested three people yesterday in the port of Valencia."
    assert [s.text for s in result.unaligned] == [
        "The arrests followed a two-year investigation into drug trafficking."
    ]


def test_untranslated_caption_next_to_body_stays_unaligned(encoder, detector):
    text = (
        "EFE - Vista aérea de la playa de la Malvarrosa durante el verano.\n"
        "The city council approved the new budget on Tuesday after a long debate."
    )
    result = align(text, encoder, detector)
    assert result.pairs == []
    assert [s.lang for s in result.unaligned] == ["es", "en"]


def test_languages_are_inferred_with_the_rarer_one_as_source(detector):
    [document] = read_inputs([str(SEED)])
    assert infer_langs([document], detector)[0] == ("es", "en")


def test_inference_counts_both_halves_of_a_bilingual_line(detector):
    # Italian is the rarer language, though every Italian caption shares its line with English
    text = (
        "Venice introduces entry fee for day-trippers\n\n"
        "Turisti in fila per pagare la tassa d'ingresso a Venezia | Tourists queue to pay the "
        "entry fee in Venice\n"
        "Il Canal Grande visto dal ponte di Rialto — The Grand Canal seen from the Rialto Bridge\n"
        "Una gondola attraversa la laguna all'alba\tA gondola crosses the lagoon at dawn\n\n"
        "The city council says the fee of five euros will apply on thirty peak days this year.\n"
    )
    assert infer_langs([Document("venice", text, "test")], detector)[0] == ("it", "en")


def test_inference_weighs_short_japanese_captions_as_their_translations(detector):
    text = (
        "Cherry blossoms bloom early in Tokyo\n\n"
        "東京・上野公園で満開の桜を楽しむ花見客。\n"
        "Visitors enjoy the cherry blossoms in full bloom at Ueno Park in Tokyo.\n"
        "目黒川沿いの桜並木は夜になるとライトアップされる。\n"
        "The rows of cherry trees along the Meguro River are lit up at night.\n"
    )
    assert infer_langs([Document("tokyo", text, "test")], detector)[0] == ("ja", "en")


def test_same_input_gives_the_same_result(encoder, detector):
    [document] = read_inputs([str(SEED)])
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=encoder, detector=detector)
    assert aligner.align(document) == aligner.align(document)


def test_a_hard_wrapped_caption_pair_is_paired_whole(encoder, detector):
    from tests.test_segment import WRAPPED_ES

    result = align(WRAPPED_ES, encoder, detector)
    [pair] = result.pairs
    assert pair.src[0].text == (
        "Vecinos protestan frente al ayuntamiento de Valencia durante la manifestación del sábado."
    )
    assert pair.tgt[0].text == (
        "Residents protest in front of Valencia city hall during Saturday's demonstration."
    )
    assert [s.text for s in result.unaligned] == [
        "El Gobierno aprobó ayer la nueva ley de vivienda tras meses de negociaciones con los "
        "socios parlamentarios.",
        "La norma entrará en vigor en enero y afectará a millones de inquilinos.",
    ]


BILINGUAL_ARTICLE = (
    "El Ayuntamiento de Valencia aprobó ayer el presupuesto para el próximo año. La partida más "
    "importante se destina al transporte público, que recibirá 120 millones de euros.\n"
    "El alcalde defendió las cuentas en el pleno. Las obras comenzarán en marzo.\n"
    "Valencia City Council approved the budget for next year yesterday. The largest item goes "
    "to public transport, which will receive 120 million euros.\n"
    "The mayor defended the accounts in the plenary session.\n"
    "Work will begin in March.\n"
)


def test_a_whole_article_in_each_language_is_aligned_sentence_by_sentence(encoder, detector):
    result = align(BILINGUAL_ARTICLE, encoder, detector)
    assert [(p.src[0].text[:20], p.tgt[0].text[:20], p.bead, p.method) for p in result.pairs] == [
        ("El Ayuntamiento de V", "Valencia City Counci", "1-1", "document"),
        ("La partida más impor", "The largest item goe", "1-1", "document"),
        ("El alcalde defendió ", "The mayor defended t", "1-1", "document"),
        ("Las obras comenzarán", "Work will begin in M", "1-1", "document"),
    ]
    assert result.unaligned == []
    # paired line by line instead, the second paragraph, broken differently, is lost
    aligner = CaptionAligner(
        RunConfig(langs=("es", "en"), whole_articles=False), ("es", "en"), encoder, detector
    )
    paragraphs = aligner.align(Document("doc", BILINGUAL_ARTICLE, "test"))
    assert [p.bead for p in paragraphs.pairs] == ["2-2"]
    assert len(paragraphs.unaligned) == 4


NEWS_DIGEST = (
    "Resumen de noticias\n\n"
    "El Ayuntamiento de Sevilla ha anunciado que la Feria de Abril contará este año con más "
    "casetas públicas. La medida busca que los visitantes sin invitación puedan disfrutar de la "
    "fiesta. Las obras del recinto comenzarán en febrero. El alcalde ha pedido paciencia a los "
    "vecinos por las molestias del tráfico.\n\n"
    "News in brief\n\n"
    "Heavy snow closed several mountain passes in the Pyrenees on Sunday, leaving hundreds of "
    "drivers stranded for hours. Emergency services distributed blankets and hot drinks to "
    "people trapped in their cars. Forecasters expect temperatures to fall further during the "
    "week. Schools in the Aran Valley will remain closed until Wednesday.\n"
)


def test_two_halves_that_do_not_translate_each_other_are_paired_as_captions(encoder, detector):
    # a Spanish story, then an unrelated English one: two halves by language, but aligning
    # them would pair unrelated sentences; only the two headings translate each other
    result = align(NEWS_DIGEST, encoder, detector)
    assert [(p.src[0].text, p.tgt[0].text, p.method) for p in result.pairs] == [
        ("Resumen de noticias", "News in brief", "caption")
    ]
    assert len(result.unaligned) == 8


def test_the_same_picture_credit_does_not_make_two_captions_a_pair(encoder, detector):
    text = (
        "El presidente del Gobierno, Pedro Sánchez, en el Congreso. (Foto: Europa Press)\n"
        "Opposition leader Alberto Núñez Feijóo speaks to reporters outside parliament. "
        "(Photo: Europa Press)\n"
        "Vecinos de Lavapiés protestan por la subida de los alquileres. Foto: Europa Press\n"
        "Residents of Lavapiés protest against rising rents. Photo: Europa Press\n"
    )
    result = align(text, encoder, detector)
    # the credits are in no language and in no pair; the true translation pairs without its
    assert [(p.src[0].text, p.tgt[0].text, p.bead) for p in result.pairs] == [
        (
            "Vecinos de Lavapiés protestan por la subida de los alquileres.",
            "Residents of Lavapiés protest against rising rents.",
            "1-1",
        )
    ]
    assert [s.text for s in result.unaligned if s.lang == "und"] == [
        "(Foto: Europa Press)", "(Photo: Europa Press)", "Foto: Europa Press", "Photo: Europa Press"
    ]  # fmt: skip


def test_language_tags_stay_out_of_the_captions_they_open(encoder, detector):
    text = (
        "ES: Firma del acuerdo en el Ministerio de Trabajo. / "
        "EN: The agreement is signed at the Ministry of Labour.\n"
        "[ES] Vecinos protestan por la subida de los alquileres.\n"
        "[EN] Residents protest against rising rents.\n"
        "US: the tag of a language not in play stays with its text.\n"
    )
    result = align(text, encoder, detector)
    assert [(p.src[0].text, p.tgt[0].text) for p in result.pairs] == [
        (
            "Firma del acuerdo en el Ministerio de Trabajo.",
            "The agreement is signed at the Ministry of Labour.",
        ),
        (
            "Vecinos protestan por la subida de los alquileres.",
            "Residents protest against rising rents.",
        ),
    ]
    assert [(s.text, s.lang) for s in result.unaligned] == [
        ("ES:", "und"), ("EN:", "und"), ("[ES]", "und"), ("[EN]", "und"),
        ("US: the tag of a language not in play stays with its text.", "en"),
    ]  # fmt: skip


def test_a_segment_without_letters_is_in_no_language(detector):
    from aligner.langid.lines import segment_document

    text = "![Vista del puerto](puerto.jpg)\nEl puerto reabrió ayer. 2024.\n— ¡!\n"
    segments = segment_document(Document("d", text, "test"), ("es", "en"), detector)
    assert [(s.text, s.lang) for s in segments] == [
        ("!", "und"), ("[Vista del puerto](puerto.jpg)", "es"), ("El puerto reabrió ayer.", "es"),
        ("2024.", "und"), ("— ¡!", "und"),
    ]  # fmt: skip


def test_chinese_captions_pair_with_their_english_translations(encoder, detector):
    text = (
        "北京市政府周一宣布了新的交通管制措施。 / "
        "Beijing's city government announced new traffic control measures on Monday.\n"
        "数千名游客在上海外滩观看烟花表演。\n"
        "Thousands of tourists watched the fireworks on the Bund in Shanghai.\n"
        "中国国家统计局周二公布的数据显示，十月份居民消费价格指数同比上涨百分之二点一。\n"
    )
    result = align(text, encoder, detector, langs=("zh", "en"))
    assert [(p.src[0].text, p.tgt[0].text) for p in result.pairs] == [
        (
            "北京市政府周一宣布了新的交通管制措施。",
            "Beijing's city government announced new traffic control measures on Monday.",
        ),
        (
            "数千名游客在上海外滩观看烟花表演。",
            "Thousands of tourists watched the fireworks on the Bund in Shanghai.",
        ),
    ]
    assert [s.lang for s in result.unaligned] == ["zh"]


# An English page with its boilerplate, as the issue reports it (share buttons, price and
# bibliographic lines, a handle, a scheme-less URL), and a byline of the React blog (react.dev,
# CC-BY-4.0): it holds no translation, whatever languages are in play.
ENGLISH_PAGE = (
    "Facebook\n"
    "Twitter\n"
    "By Andrew Clark, Dan Abramov, Jan Kassens, Joseph Savona, Josh Story, Lauren Tan\n"
    "Delacorte, 240 pp., $20.99\n"
    "Viking, 391 pp., $18.99\n"
    "twitter.com/zK8QMCzPDf\n"
    "Follow Datoc on Twitter\n"
    "The council approved the new budget on Tuesday after a long debate.\n"
)


def test_a_page_in_one_language_gives_no_pair(encoder, detector):
    for langs in (("de", "en"), ("es", "en"), ("fr", "en"), ("pt", "en")):
        assert align(ENGLISH_PAGE, encoder, detector, langs).pairs == [], langs


def test_navigation_words_of_another_language_give_no_pair(encoder, detector):
    # The Debian Administrator's Handbook, fr-FR, sect.apt-file.html (GPL-2+ / CC-BY-SA-3.0):
    # its navigation, French words that a detector restricted to es,en calls es or en
    text = (
        "Précédent\n\nLe cahier de l'administrateur Debian\n\nSuivant\n\n"
        "Précédent6.3. Commande apt-cache\n\nNiveau supérieur\n\nSommaire\n\n"
        "Suivant6.5. Frontaux : aptitude, synaptic\n"
    )
    assert align(text, encoder, detector).pairs == []


def test_a_caption_full_of_names_keeps_its_language_and_its_pair(encoder, detector):
    text = (
        "Sánchez y Díaz en el Congreso en Madrid el 12 de marzo.\n"
        "Sánchez and Díaz at the Congress in Madrid on March 12.\n"
    )
    [pair] = align(text, encoder, detector).pairs
    assert (pair.src[0].text, pair.src[0].lang) == (
        "Sánchez y Díaz en el Congreso en Madrid el 12 de marzo.",
        "es",
    )
    assert (pair.tgt[0].text, pair.tgt[0].lang) == (
        "Sánchez and Díaz at the Congress in Madrid on March 12.",
        "en",
    )


def test_english_titles_joined_by_french_words_are_no_translation(encoder, detector):
    # react.dev fr blog, React Conf 2024 recap (CC-BY-4.0): a French line and one of English
    # talk titles joined by "par" and "et", which is mixed, not English
    text = (
        "Les équipes React et React Native ont conclu chaque journée par une session de "
        "questions-réponses : React Q&A modérée par Michael Chan React Native Q&A modérée par "
        "Jamon Holmgren\n"
        "Extending React Native beyond Mobile and Desktop Apps par Chris Traganos et Anisha "
        "Malde Spatial computing with React par Michał Pierzchała\n"
    )
    assert align(text, encoder, detector, ("fr", "en")).pairs == []


def test_a_german_caption_of_one_noun_pairs_with_its_translation(encoder, detector):
    # a figure caption of the Debian Administrator's Handbook, de-DE and en (GPL-2+)
    text = (
        "Backups are one of the main responsibilities of any administrator.\n"
        "Datenbanksicherungen\nDatabase backups\n"
        "The database is dumped every night to a file.\n"
    )
    [pair] = align(text, encoder, detector, ("de", "en")).pairs
    assert (pair.src[0].text, pair.tgt[0].text) == ("Datenbanksicherungen", "Database backups")


def test_a_short_title_and_its_translation_still_pair(encoder, detector):
    # debian-reference, en and fr (GPL-2+)
    text = "Back Up Your Existing Data!\nSauvegardez vos données !\n"
    [pair] = align(text, encoder, detector, ("en", "fr")).pairs
    assert (pair.src[0].text, pair.tgt[0].text) == (
        "Back Up Your Existing Data!",
        "Sauvegardez vos données !",
    )


def test_numbers_prices_and_urls_are_cut_neither_into_sentences_nor_into_pieces(detector):
    from aligner.langid.lines import segment_document

    text = (
        "The plan costs 1.4 a month. Schwartz & Wade, $17.99; ages 3-7. "
        "Read more at pic.twitter.com/zK8QMCzPDf now.\n"
        "Press ctrl-z, ctrl-c to stop the co-working session.\n"
    )
    segments = segment_document(Document("doc", text, "test"), ("de", "en"), detector)
    assert [(s.text, s.lang) for s in segments] == [
        ("The plan costs 1.4 a month.", "en"),
        ("Schwartz & Wade, $17.99; ages 3-7.", "en"),
        ("Read more at pic.twitter.com/zK8QMCzPDf now.", "en"),
        ("Press ctrl-z, ctrl-c to stop the co-working session.", "en"),
    ]


class CountingEncoder:
    """The real encoder, keeping the texts it is asked to embed."""

    def __init__(self, encoder):
        self.encoder, self.name, self.dim = encoder, encoder.name, encoder.dim
        self.scale = encoder.scale
        self.texts = []

    def encode(self, texts):
        self.texts += texts
        return self.encoder.encode(texts)


def test_a_document_without_both_languages_is_not_encoded_and_all_its_segments_stay(
    encoder, detector
):
    counting = CountingEncoder(encoder)
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=counting, detector=detector)
    text = (
        "The council approved the new budget on Tuesday after a long debate.\n"
        "Police arrested three people yesterday in the port of Valencia. Two were released.\n"
        "(Photo: EFE)"
    )
    result = aligner.align(Document("doc", text, "test"))
    assert counting.texts == []
    assert result.pairs == []
    assert [(s.text, s.lang) for s in result.unaligned] == [
        ("The council approved the new budget on Tuesday after a long debate.", "en"),
        ("Police arrested three people yesterday in the port of Valencia.", "en"),
        ("Two were released.", "en"),
        ("(Photo: EFE)", "und"),
    ]


def test_a_document_with_both_languages_encodes_its_units_in_them(encoder, detector):
    counting = CountingEncoder(encoder)
    aligner = CaptionAligner(RunConfig(), ("es", "en"), encoder=counting, detector=detector)
    text = (
        "La policía detuvo ayer a tres personas en el puerto de Valencia.\n"
        "Police arrested three people yesterday in the port of Valencia.\n"
        "The arrests followed a two-year investigation into drug trafficking.\n"
        "(Foto: EFE)"
    )
    result = aligner.align(Document("doc", text, "test"))
    assert counting.texts == text.split("\n")[:3]
    [pair] = result.pairs
    assert pair.src[0].text == "La policía detuvo ayer a tres personas en el puerto de Valencia."


class _Counting:
    """The encoder, with the texts it was asked to encode."""

    def __init__(self, encoder):
        self.encoder, self.texts = encoder, []
        self.dim, self.name, self.scale = encoder.dim, encoder.name, encoder.scale
        self.languages = encoder.languages

    def encode(self, texts):
        self.texts += texts
        return self.encoder.encode(texts)


def test_a_document_where_no_pair_can_pass_the_gate_is_not_encoded(encoder, detector):
    body = "The council approved the new budget on Tuesday after a long debate."
    counting = _Counting(encoder)
    # "Taco" is read as Spanish among es,en, but says too little of it to be half of a pair
    result = align(f"{body}\nTaco\n", counting, detector)
    assert [(s.text, s.lang) for s in result.segments] == [(body, "en"), ("Taco", "es")]
    assert result.pairs == [] and counting.texts == []
    caption = "El consejo aprobó el nuevo presupuesto el martes tras un largo debate."
    [pair] = align(f"{caption}\n{body}\nTaco\n", counting, detector).pairs
    assert (pair.src[0].text, pair.tgt[0].text) == (caption, body)
    assert counting.texts == [caption, body, "Taco"]


def test_interface_strings_with_an_optional_ending_pair(encoder, detector):
    # as localisation files write them; "file(s)" was once taken for a call, so for code
    [pair] = align("Datei(en) löschen\nDelete file(s)\n", encoder, detector, ("de", "en")).pairs
    assert (pair.src[0].text, pair.tgt[0].text) == ("Datei(en) löschen", "Delete file(s)")


def test_with_a_cache_the_encoder_is_loaded_only_when_a_document_can_pair(tmp_path, detector):
    langs = ("es", "en")
    aligner = CaptionAligner(RunConfig(langs=langs, cache_dir=str(tmp_path)), langs, None, detector)
    model = aligner.encoder.encoder  # the default encoder behind the cache
    assert aligner.align(Document("page", ENGLISH_PAGE, "test")).pairs == []
    assert "_backend" not in vars(model)  # its weights were never read
    assert len(aligner.align(Document("seed", f"{SEED_ES}\n{SEED_EN}", "test")).pairs) == 1
    assert "_backend" in vars(model)
