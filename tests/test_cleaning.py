"""Clean text and metadata: what analysts read in articles.text and its columns."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core.cleaning import (
    content_hash,
    count_words,
    detect_language,
    extract_article,
    extract_html_article,
    normalize_text,
    parse_text_article,
)
from pipeline.core.errors import DocumentRejected
from pipeline.core.reading import discover_source_files, read_source_document

from .newsroom import HARBOR_LIGHTS, news_page, text_article, write


def test_html_article_keeps_body_paragraphs_and_drops_site_furniture():
    page = news_page("Harbor Lights Sets March Start in Halifax", HARBOR_LIGHTS, site="The Daily Reel",
                     author="Morgan Pike", published="2026-10-02T10:00:00+00:00",
                     canonical="https://dailyreel.example/film/harbor-lights-march")
    article = extract_html_article(page.encode("utf-8"))
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Northgate Studios has set a March start date")
    assert len(paragraphs) == len(HARBOR_LIGHTS)
    for furniture in ("cookies", "Subscribe", "Related", "All rights reserved", "Box office: the weekend"):
        assert furniture not in article.text
    assert article.title == "Harbor Lights Sets March Start in Halifax"
    assert article.author == "Morgan Pike"
    assert article.published_date == dt.date(2026, 10, 2)
    assert article.site == "The Daily Reel"
    assert article.url == "https://dailyreel.example/film/harbor-lights-march"


def test_quote_marks_are_kept_as_written_curly_and_straight():
    article = extract_html_article(news_page("Harbor Lights", HARBOR_LIGHTS).encode("utf-8"))
    assert "“We’ve rewritten this thing eleven times" in article.text
    assert '"the centerpiece of our 2027 slate"' in article.text


def test_headline_repeated_at_the_top_of_the_body_is_not_body_text():
    paragraphs = ["Harbor Lights Sets March Start", *HARBOR_LIGHTS]
    article = extract_html_article(news_page("Harbor Lights Sets March Start", paragraphs).encode("utf-8"))
    assert article.text.startswith("Northgate Studios")


def test_italic_titles_are_recorded_as_offsets_into_the_text():
    paragraphs = ["Brandt’s previous film, <em>Quiet Water</em>, grossed $64 million worldwide and earned Greta Lund "
                  "her first nomination; <i>Harbor Lights</i> shoots in March.", *HARBOR_LIGHTS[1:]]
    article = extract_html_article(news_page("Northgate slate", paragraphs).encode("utf-8"))
    italics = [article.text[s:e] for s, e in article.italic_spans]
    assert italics == ["Quiet Water", "Harbor Lights"]


def test_byline_furniture_is_cut_from_the_author():
    page = news_page("Harbor Lights", HARBOR_LIGHTS).replace(
        '<meta name="author" content="Morgan Pike">', '<meta name="author" content="Morgan Pike View author archive Get author RSS feed">'
    )
    assert extract_html_article(page.encode("utf-8")).author == "Morgan Pike"


def test_text_file_date_header_gives_the_publication_date_and_is_not_body():
    article = parse_text_article(text_article("2026-10-05", HARBOR_LIGHTS[:3]))
    assert article.published_date == dt.date(2026, 10, 5)
    assert article.text.startswith("Northgate Studios has set")
    assert article.text.count("\n\n") == 2
    assert "date 2026" not in article.text


def test_text_file_header_on_its_own_line_and_hard_wrapped_paragraphs():
    raw = "date 2026-10-05\nNorthgate Studios has set a March start\ndate for Harbor Lights.\n\nBrandt said it was time.\n"
    article = parse_text_article(raw)
    assert article.published_date == dt.date(2026, 10, 5)
    assert article.text == "Northgate Studios has set a March start date for Harbor Lights.\n\nBrandt said it was time."


def test_text_file_with_one_paragraph_per_line():
    article = parse_text_article("First paragraph here.\nSecond paragraph here.\n")
    assert article.published_date is None
    assert article.text == "First paragraph here.\n\nSecond paragraph here."


def test_invalid_date_header_is_rejected_with_the_expected_format():
    with pytest.raises(DocumentRejected) as rejected:
        parse_text_article(" date 2026-13-45 Northgate Studios has set a March start date.")
    assert rejected.value.stage == "extract"
    assert "YYYY-MM-DD" in rejected.value.reason


def test_normalize_text_folds_spaces_and_invisible_characters_and_composes_accents():
    raw = "Cafe\u0301\u00a0 scene\u200b  one\r\n\r\n\r\n  Second\tparagraph  "
    assert normalize_text(raw) == "Café scene one\n\nSecond paragraph"


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Newsletters</title></head><body><nav><a href='/'>Home</a></nav><form><input></form></body></html>",
        "<html><body><script>var x = 1;</script></body></html>",
        "<html><body><h1>Sign up</h1><p>Get our newsletter every morning.</p></body></html>",
    ],
)
def test_page_without_article_text_is_rejected(landing, page):
    write(landing, "page.html", page)
    with pytest.raises(DocumentRejected) as rejected:
        extract_article(read_source_document(discover_source_files(landing)[0]))
    assert rejected.value.stage == "extract"
    assert "article text" in rejected.value.reason


def test_content_hash_ignores_quote_style_case_and_spacing_but_not_words():
    a = "“We’re ready,” Brandt said.\n\nShooting starts in March."
    b = '"We\'re  ready," brandt said. Shooting starts in March.'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a.replace("March", "April"))


def test_word_count_counts_contractions_as_one_word():
    assert count_words("We’ve rewritten it eleven times, Brandt's team said.") == 8


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (" ".join(HARBOR_LIGHTS[:2]), "en"),
        ("Die Dreharbeiten zu dem neuen Film beginnen im März in Hamburg, teilte das Studio am Montag mit. "
         "Die Regisseurin sagte, das Drehbuch sei endlich fertig.", "de"),
        ("Le tournage du nouveau film commencera en mars à Marseille, a annoncé le studio lundi. "
         "La réalisatrice a déclaré que le scénario était enfin prêt.", "fr"),
    ],
)
def test_language_of_the_body_is_identified_offline(text, language):
    assert detect_language(text) == language


def test_a_page_dated_a_little_ahead_of_the_clock_keeps_its_own_date():
    # Scheduled posts and time zones put a page's date after today; a guess from a bare year is worse.
    import datetime as dt

    ahead = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    html = (f'<html><head><meta property="article:published_time" content="{ahead}T04:30:00+00:00">'
            "<title>Gala raises millions</title></head><body><article><h1>Gala raises millions</h1>"
            + "<p>The preservation fund raised $6.5 million at its annual gala on Sunday night, money that will go "
              "toward restoring forty films from the silent era.</p>" * 3 + "</article></body></html>")
    assert extract_html_article(html).published_date.isoformat() == ahead


def test_related_and_read_more_link_paragraphs_are_not_article_text():
    body = ("<p>Granite Peak Pictures has released the first trailer for its disaster epic, shot over three months "
            "near an active volcano in the south of Chile.</p>"
            "<p><strong>Related:</strong> <a href='/x'>The 25 best disaster movies of all time, ranked</a></p>"
            "<p>The director said the crew used real ash in several scenes, and the actors did not enjoy it.</p>"
            "<p><strong>READ MORE:</strong> <a href='/y'>Every volcano movie, ranked</a></p>")
    html = f"<html><head><title>Trailer</title></head><body><article><h1>Trailer</h1>{body}</article></body></html>"
    text = extract_html_article(html).text
    assert "Related" not in text and "READ MORE" not in text and "ranked" not in text
    assert "real ash" in text


def test_a_short_trade_item_keeps_its_paragraphs_and_italics_without_headline_or_byline():
    # Under trafilatura's minimum the balanced settings fall back to one flat paragraph with the
    # headline and byline in it; the item must land as its two paragraphs, titles in italics.
    page = news_page("Release moves up", [
        "Orbit Films has moved up the release of <em>Salt and Ember 2</em> to February 5.",
        "Dana Whitlock won the award for <em>Copper Sky</em> on Sunday.",
    ], author="Morgan Pike")
    article = extract_html_article(page.encode("utf-8"))
    assert article.text.split("\n\n") == [
        "Orbit Films has moved up the release of Salt and Ember 2 to February 5.",
        "Dana Whitlock won the award for Copper Sky on Sunday.",
    ]
    assert [article.text[s:e] for s, e in article.italic_spans] == ["Salt and Ember 2", "Copper Sky"]
