"""Input formats on real content: HTML pages, WARC crawls, SRT and WebVTT subtitles."""

import gzip
import io

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from aligner.errors import InputError, MissingExtraError
from aligner.read import ReadOptions, read_inputs, read_stdin
from aligner.read.subtitles import Cue, TimedDocument, read_cues
from tests.conftest import ROOT, SEED_EN, SEED_ES

DATA = ROOT / "tests" / "data"
BOILERPLATE = ["Subscribe", "Most read", "rights reserved", "cookies", "Compartir", "comentarios",
               "Great article", "WordPress", "Inicio"]  # fmt: skip


def test_html_keeps_the_article_and_its_bilingual_caption_and_drops_the_page_chrome():
    [doc] = read_inputs([str(DATA / "article.html")])
    lines = doc.text.split("\n")
    assert doc.doc_id == "article" and doc.source == str(DATA / "article.html")
    assert lines.index(SEED_ES) + 1 == lines.index(SEED_EN)  # caption lines, in order
    assert lines[0] == 'Stoltenberg in Kiev says Ukrainian forces are "gradually" gaining ground'
    assert not [b for b in BOILERPLATE if b in doc.text]


def test_html_caption_on_one_line_stays_one_mixed_line():
    [doc] = read_inputs([str(DATA / "blog-post.html")])
    assert f"{SEED_ES} / {SEED_EN}" in doc.text.split("\n")
    assert not [b for b in BOILERPLATE if b in doc.text]


def test_html_in_folders_and_in_other_encodings(tmp_path):
    page = "<html><head><meta charset='iso-8859-1'></head><body><article><p>{}</p></article>"
    text = "La canción del año, según los críticos, es una balada sobre el mar y la memoria."
    (tmp_path / "latin.htm").write_bytes(page.format(text).encode("latin-1"))
    (tmp_path / "a.html.gz").write_bytes(gzip.compress((DATA / "article.html").read_bytes()))
    docs = list(read_inputs([str(tmp_path)]))
    assert [d.doc_id for d in docs] == ["a", "latin"]
    assert docs[1].text == text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no article text found"),
        (b"<html><body><script>var page = 1;</script></body></html>", "no article text found"),
    ],
)
def test_html_without_text_is_an_error(tmp_path, content, message):
    path = tmp_path / "page.html"
    path.write_bytes(content)
    with pytest.raises(InputError, match=f"page.html: .*{message}"):
        list(read_inputs([str(path)]))


def write_warc(path, compress):
    """A crawl of the two test pages, with a request and an image record between them."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        for uri, payload, content_type in [
            ("https://example.org/stoltenberg", (DATA / "article.html").read_bytes(), "text/html"),
            ("https://example.org/photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
            ("https://example.org/blog", (DATA / "blog-post.html").read_bytes(), "text/html"),
        ]:
            request = io.BytesIO(f"GET {uri} HTTP/1.1\r\n\r\n".encode())
            writer.write_record(writer.create_warc_record(uri, "request", payload=request))
            # warcio updates the headers object it is given: one per record.
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(payload), http_headers=headers
                )
            )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_are_documents_addressed_by_uri_and_offset(tmp_path, name):
    path = tmp_path / name
    write_warc(path, compress=name.endswith(".gz"))
    docs = list(read_inputs([str(path)]))
    assert [d.doc_id for d in docs] == [
        "https://example.org/stoltenberg",
        "https://example.org/blog",
    ]
    assert SEED_EN in docs[0].text and f"{SEED_ES} / {SEED_EN}" in docs[1].text
    for doc in docs:  # the offset is where a reader seeks to get the record back
        offset = int(doc.source.rsplit(":", 1)[1])
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == doc.doc_id
    assert [d.doc_id for d in read_inputs([str(tmp_path)])] == [d.doc_id for d in docs]


def test_malformed_warc_names_the_file_and_offset(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, compress=False)
    data = path.read_bytes()
    second = data.index(b"WARC/1", 10)
    path.write_bytes(data[:second] + b"GARBAGE not a record\r\n\r\n" + data[second + 6 :])
    with pytest.raises(InputError, match=r"crawl\.warc: not a valid WARC record after offset \d+"):
        list(read_inputs([str(path)]))
    (tmp_path / "empty.warc").write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.warc: no WARC records"):
        list(read_inputs([str(tmp_path / "empty.warc")]))


@pytest.mark.parametrize("name", ["interview.es-en.srt", "interview.es-en.vtt"])
def test_bilingual_subtitles_are_one_line_per_cue_with_times(name):
    [doc] = read_inputs([str(DATA / name)])
    assert isinstance(doc, TimedDocument)
    lines = doc.text.split("\n")
    assert lines[0] == (
        "El secretario general de la OTAN ha viajado por sorpresa a Kiev. "
        "The NATO Secretary General has made a surprise trip to Kiev."
    )
    assert lines[1].startswith("Cada metro")  # <i> and <v Speaker> markup removed
    assert len(lines) == len(doc.cues)
    assert doc.cues[0] == Cue(
        1.0,
        4.2,
        (
            "El secretario general de la OTAN ha viajado por sorpresa a Kiev.",
            "The NATO Secretary General has made a surprise trip to Kiev.",
        ),
    )
    assert doc.cues[-1].start == 14.5 and doc.cues[-1].end == 18.75


def test_a_line_break_without_punctuation_stays_a_place_to_cut():
    cue = Cue(0.0, 2.0, ("El presidente visita la frontera", "The president visits the border"))
    assert cue.inline == "El presidente visita la frontera / The president visits the border"
    assert cue.text == "El presidente visita la frontera The president visits the border"
    assert Cue(0.0, 2.0, ("¿Vienes?", "Are you coming?")).inline == "¿Vienes? Are you coming?"


def test_monolingual_tracks_read_as_cues():
    cues = read_cues(DATA / "briefing.en.srt")
    assert [c.text for c in cues[-2:]] == [
        "NATO has ammunition contracts",
        "worth 2.4 billion euros.",
    ]
    assert (cues[0].start, cues[0].end) == (1.3, 4.1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nHola.\n\n2\n00:00:0x,000 --> 00:00:03,000\nAdiós\n",
            "bad.srt:5: not an SRT cue",
        ),
        ("text.srt", "Just a text file\nwith no cues\n", "text.srt:1: not an SRT cue"),
        ("empty.srt", "", "empty.srt: no subtitle cues"),
        (
            "bad.vtt",
            "WEBVTT\n\n00:01.000 --> 00:02.000\nHola\n\n00:0x.000 --> 00:06.000\nAdiós\n",
            "bad.vtt:6: not a WebVTT cue timing",
        ),
        ("noheader.vtt", "00:01.000 --> 00:02.000\nHola\n", "noheader.vtt:1: not a WebVTT file"),
    ],
)
def test_malformed_subtitles_name_the_file_and_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(read_inputs([str(path)]))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_stdin_recognises_webvtt_and_html():
    vtt = (DATA / "interview.es-en.vtt").read_bytes()
    [doc] = read_stdin(ReadOptions(), io.BytesIO(gzip.compress(vtt)))
    assert isinstance(doc, TimedDocument) and doc.source == "<stdin>"
    [page] = read_stdin(ReadOptions(), io.BytesIO((DATA / "article.html").read_bytes()))
    assert SEED_ES in page.text.split("\n")


def test_a_missing_extra_is_named(tmp_path, monkeypatch):
    import importlib

    real_import = importlib.import_module

    def without_trafilatura(name, *args):
        if name == "trafilatura":
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_trafilatura)
    with pytest.raises(MissingExtraError) as error:
        list(read_inputs([str(DATA / "article.html")]))
    assert str(error.value) == (
        "reading HTML needs the trafilatura package: pip install 'aligner[html]'"
    )
