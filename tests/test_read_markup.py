"""A JSONL text field written in HTML or Markdown is read as the text its page shows."""

import json
from pathlib import Path

import pytest

from aligner.read import ReadOptions, read_inputs
from aligner.read.base import Markup
from aligner.read.html import html_text
from aligner.read.markdown import markdown_text
from aligner.read.markup import detected, shown_text
from tests.conftest import SEED

DATA = Path(__file__).parent / "data"
# the article of tests/data/article.html, as a CMS stores its body: no page around it
BODY = (
    "<p>NATO Secretary General Jens Stoltenberg has made a surprise trip to Kiev.</p>"
    '<figure class="main-image"><img src="/images/stoltenberg-zelensky.jpg" alt="">'
    "<figcaption>El presidente ucraniano, Volodymyr Zelensky (dcha.), y el secretario general de "
    "la OTAN, Jens Stoltenberg (izda.)<br>Ukrainian President Volodymyr Zelensky (r.) and NATO "
    "Secretary General Jens Stoltenberg (l.)</figcaption></figure>"
    "<p>The Norwegian politician was optimistic, saying that Ukrainian forces are &quot;gradually"
    "&quot; regaining ground.</p>"
)
SHOWN = [
    "NATO Secretary General Jens Stoltenberg has made a surprise trip to Kiev.",
    "El presidente ucraniano, Volodymyr Zelensky (dcha.), y el secretario general de la OTAN, "
    "Jens Stoltenberg (izda.)",
    "Ukrainian President Volodymyr Zelensky (r.) and NATO Secretary General Jens Stoltenberg (l.)",
    'The Norwegian politician was optimistic, saying that Ukrainian forces are "gradually" '
    "regaining ground.",
]


def test_the_markup_of_real_texts_is_detected():
    assert detected(BODY) == "html"
    assert detected((DATA / "readme" / "rich.es.md").read_text(encoding="utf-8")) == "markdown"
    assert detected((DATA / "readme" / "README.md").read_text(encoding="utf-8")) == "markdown"
    assert detected(SEED.read_text(encoding="utf-8")) == "text"
    # prose that compares or names things in angle brackets or asterisks is still text
    assert detected("Si a < b y c > d, el *total* sube. <<Exclusiva>> El Gobierno.") == "text"


def test_an_html_field_is_read_as_its_lines():
    assert shown_text(BODY).split("\n") == SHOWN
    assert shown_text(BODY, Markup.TEXT) == BODY


def test_a_markdown_field_is_read_as_a_markdown_file_is():
    readme = (DATA / "readme" / "rich.es.md").read_text(encoding="utf-8")
    assert shown_text(readme) == markdown_text(readme)
    assert "[API Rich](" not in shown_text(readme) and "La API Rich facilita" in shown_text(readme)


@pytest.mark.parametrize(("markup", "html"), [(Markup.AUTO, False), (Markup.TEXT, True)])
def test_jsonl_reads_each_record_in_its_markup(tmp_path, markup, html):
    path = tmp_path / "dump.jsonl"
    records = [{"id": "a", "text": BODY}, {"id": "b", "text": "Plain <text> stays."}]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    first, second = read_inputs([str(path)], ReadOptions(markup=markup))
    assert (first.text == BODY) is html
    assert html or first.text.split("\n") == SHOWN
    assert second.text == "Plain <text> stays."


def test_a_whole_page_in_a_field_gives_its_article_text_as_an_html_file_does(tmp_path):
    page = (DATA / "article.html").read_text(encoding="utf-8")
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"id": "p", "text": page}) + "\n", encoding="utf-8")
    [document] = read_inputs([str(path)])
    assert document.text == html_text(page.encode(), "article.html")
    assert "Subscribe to our newsletter" not in document.text  # the page's navigation
