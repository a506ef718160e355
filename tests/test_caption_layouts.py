"""Caption pairs in real caption markup and in text with one paragraph per line.

The markup of each figure is a real page's, from mozilla/readability's test pages (Apache-2.0,
github.com/mozilla/readability, commit ab4027a, test/test-pages/NAME/source.html): heise
(``<figcaption>`` holding two ``<p>``), nytimes-3 (two ``<span>`` with nothing between them),
toc-missing (``<br>``), blogger (a ``tr-caption`` table cell), written without the whitespace
between tags, as minified pages are. The words are the Debian Administrator's Handbook's
(debian-handbook.info, GPL-2+ or CC BY-SA 3.0): body paragraphs of its chapter 6 and figure
captions with their French translation, which end without a full stop.
"""

import gzip

from aligner.captions.aligner import CaptionAligner, RunConfig
from aligner.read.html import html_text
from aligner.records import Document
from aligner.segment import blocks, lines
from tests.conftest import ROOT

BODY = [
    "synaptic is a graphical package manager for Debian which features a clean and efficient "
    "graphical interface based on GTK+/GNOME. Its many ready-to-use filters give fast access to "
    "newly available packages, installed packages, upgradable packages, obsolete packages and so "
    "on.",
    "Like dpkg, aptitude keeps a trace of executed actions in its logfile (/var/log/aptitude). "
    "However, since both commands work at a very different level, you cannot find the same "
    "information in their respective logfiles.",
    "Note that this recommendation tracking feature does not apply to upgrades. For instance, if "
    "a new version of gnome recommends a package that it did not recommend formerly, the package "
    "won't be marked for installation.",
]
CAPTIONS = [
    ("Gestionnaire de paquets aptitude", "The aptitude package manager"),
    ("Gestionnaire de paquets synaptic", "synaptic package manager"),
    ("Tableau de bord Webmin", "Webmin dashboard"),
    (
        "Cohabitation de Debian avec OS X, Windows et les systèmes Unix",
        "Coexistence of Debian with OS X, Windows and Unix systems",
    ),
]
FIGURES = [
    # heise
    '<figure class="aufmacherbild"><img src="a.jpeg" /><figcaption><p class="caption">{}</p>'
    '<p class="source">{}</p></figcaption></figure>',
    # nytimes-3
    '<figure><img src="b.jpg"><figcaption itemprop="caption description" class="css-17ai7jg '
    'emkp2hg0"><span class="css-8i9d0s e13ogyst0">{}</span><span itemprop="copyrightHolder" '
    'class="emkp2hg2 css-1nwzsjy e1z0qqy90">{}</span></figcaption></figure>',
    # toc-missing
    '<figure><img src="c.png" /><figcaption>{}<br /><small>{}</small></figcaption></figure>',
    # blogger
    '<table align="center" cellpadding="0" cellspacing="0" class="tr-caption-container"><tbody>'
    '<tr><td style="text-align: center;"><a href="d.png" imageanchor="1"><img border="0" '
    'src="d.png" /></a></td></tr><tr><td class="tr-caption" style="text-align: center;">{}<br>'
    "{}</td></tr></tbody></table>",
]


def _page() -> bytes:
    parts = [f"<p>{BODY[0]}</p>"]
    for figure, caption, body in zip(FIGURES, CAPTIONS, [*BODY[1:], *BODY], strict=False):
        parts += [figure.format(*caption), f"<p>{body}</p>"]
    return f"<html><body><article>{''.join(parts)}</article></body></html>".encode()


def _pairs(aligner: CaptionAligner, text: str) -> list[tuple[str, str]]:
    pairs = aligner.align(Document("page", text, "mem")).pairs
    return [(" ".join(s.text for s in p.src), " ".join(s.text for s in p.tgt)) for p in pairs]


def test_block_elements_and_br_end_caption_lines_in_every_real_layout():
    text = html_text(_page(), "page.html")
    expected = [BODY[0]]
    for caption, body in zip(CAPTIONS, [*BODY[1:], *BODY], strict=False):
        expected += [*caption, body]
    assert text.split("\n") == expected


def test_inline_elements_keep_their_own_spaces_and_never_glue_two_words():
    page = (
        f"<html><body><article><p>{BODY[0]}</p><p>Un <b>paquet</b> <em>source</em>, "
        "<a href='x'>dépôt</a>.</p><div>apt<div>aptitude</div></div>"
        '<figure><figcaption><span class="credit">Credit</span><span>Chang W. Lee</span>'
        f"</figcaption></figure><p>{BODY[1]}</p></article></body></html>"
    )
    assert html_text(page.encode(), "page.html").split("\n") == [
        BODY[0], "Un paquet source, dépôt.", "apt", "aptitude", "Credit", "Chang W. Lee", BODY[1],
    ]  # fmt: skip


def test_caption_pairs_in_html_layouts(encoder, detector):
    aligner = CaptionAligner(RunConfig(), ("fr", "en"), encoder=encoder, detector=detector)
    assert _pairs(aligner, html_text(_page(), "page.html")) == CAPTIONS


def test_unpunctuated_captions_in_text_with_one_paragraph_per_line(encoder, detector):
    aligner = CaptionAligner(RunConfig(), ("fr", "en"), encoder=encoder, detector=detector)
    for between in ("\n", "\n\n"):
        text = between.join([BODY[1], *CAPTIONS[0], BODY[2], *CAPTIONS[1], BODY[0]]) + "\n"
        # no line continues another: the caption lines are not wrapped text
        assert list(blocks(text)) == list(lines(text))
        assert _pairs(aligner, text) == CAPTIONS[:2]


# toc-missing's own highlighted SQL (a span around every token), two of its blocks
HIGHLIGHTED_SQL = [
    '<pre><span class="k">SELECT</span> <span class="n">avg</span><span class="p">(</span>'
    '<span class="n">n</span><span class="p">)</span>\n<span class="k">FROM</span> '
    '<span class="n">stats</span><span class="p">;</span></pre>',
    '<pre><span class="k">SELECT</span>\n   <span class="n">avg</span><span class="p">(</span>'
    '<span class="n">n</span><span class="p">)</span> <span class="o">-</span> '
    '<span class="n">stddev</span><span class="p">(</span><span class="n">n</span>'
    '<span class="p">)</span> <span class="k">AS</span> <span class="n">lower_bound</span>'
    '<span class="p">,</span>\n   <span class="n">avg</span><span class="p">(</span>'
    '<span class="n">entries</span><span class="p">)</span> <span class="k">OVER</span> '
    '<span class="n">status_window</span> <span class="k">as</span> '
    '<span class="n">mean_entries</span><span class="p">,</span></pre>',
]


def _code_page() -> bytes:
    parts = [f"<p>{BODY[0]}</p>", HIGHLIGHTED_SQL[0], FIGURES[2].format(*CAPTIONS[0])]
    parts += [f"<p>{BODY[1]}</p>", HIGHLIGHTED_SQL[1], f"<p>{BODY[2]}</p>"]
    return f"<html><body><article>{''.join(parts)}</article></body></html>".encode()


def test_highlighted_code_reads_as_written():
    lines = html_text(_code_page(), "page.html").split("\n")
    assert lines[1:3] == ["SELECT avg(n)", "FROM stats;"]
    assert lines[-4:-1] == [
        "SELECT",
        "   avg(n) - stddev(n) AS lower_bound,",
        "   avg(entries) OVER status_window as mean_entries,",
    ]


def test_code_lines_are_no_language_and_never_paired(encoder, detector):
    # before, `avg(n) - stddev(n) AS lower_bound,` (labelled fr) was paired with
    # `AVG(entries) OVER status_window as mean_entries,` at 0.80
    aligner = CaptionAligner(RunConfig(), ("fr", "en"), encoder=encoder, detector=detector)
    result = aligner.align(Document("page", html_text(_code_page(), "page.html"), "mem"))
    pairs = [
        (" ".join(s.text for s in p.src), " ".join(s.text for s in p.tgt)) for p in result.pairs
    ]
    assert pairs == CAPTIONS[:1]
    code = [s for s in result.unaligned if "avg(" in s.text]
    assert len(code) == 3 and {s.lang for s in code} == {"und"}


def test_the_lead_picture_in_an_article_header_keeps_its_caption():
    # nytimes-3 (the real page, bench/real/captions/pages) stands its lead picture in the
    # article's <header>, which trafilatura drops with the headline and byline: the caption
    # went with it
    page = gzip.decompress((ROOT / "bench/real/captions/pages/nytimes-3.html.gz").read_bytes())
    read = html_text(page, "nytimes-3.html").split("\n")
    lead = (
        "A Con Edison worker repairing underground cables this month in Flushing, Queens. The "
        "likely source of the problem was water and rock salt that had seeped underground."
    )
    assert read[0] == lead  # the start of the article's body
    assert read.count(lead) == 1


def test_a_picture_in_the_page_header_stays_out_of_the_article():
    # the site's own header (logo, menu) is not the article's: nothing of it is read
    logo = FIGURES[1].format("Logo du site", "Site logo")
    page = (
        f"<html><body><header>{logo}</header><article><p>{BODY[0]}</p><p>{BODY[1]}</p>"
        "</article></body></html>"
    )
    assert html_text(page.encode(), "page.html").split("\n") == [BODY[0], BODY[1]]
