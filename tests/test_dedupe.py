"""Syndicated copies: found when re-published with changes, never confused with other stories."""

from __future__ import annotations

import datetime as dt

from pipeline.core.cleaning import extract_html_article
from pipeline.core.dedupe import DedupeCandidate, assign_duplicates, fingerprints, precedence, shingles, is_same_story

from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page


def body(headline, paragraphs, **kwargs) -> str:
    return extract_html_article(news_page(headline, paragraphs, **kwargs).encode("utf-8")).text


ORIGINAL = body("Harbor Lights Sets March Start in Halifax", HARBOR_LIGHTS, site="The Daily Reel")
# The wire copy: another site's boilerplate, a new headline, the fifth paragraph cut.
COPY = body("Northgate's 'Harbor Lights' Finally Rolls in March", HARBOR_LIGHTS[:4] + HARBOR_LIGHTS[5:],
            site="Screen Wire", author="Wire Staff", variant=1)
INTERVIEW = body("Celia Brandt Won't Talk About Harbor Lights (Mostly)", HARBOR_LIGHTS_INTERVIEW, site="Cinema Quarterly")

NO_LANDED = lambda bands: []  # noqa: E731


def test_copy_with_new_headline_boilerplate_and_a_cut_paragraph_is_the_same_story():
    assert is_same_story(fingerprints(shingles(ORIGINAL)), fingerprints(shingles(COPY)))


def test_another_article_about_the_same_film_is_not_a_copy():
    assert not is_same_story(fingerprints(shingles(ORIGINAL)), fingerprints(shingles(INTERVIEW)))


def test_copy_points_at_the_earliest_version_in_one_batch():
    result = assign_duplicates(
        [("copy", dt.date(2026, 10, 3), COPY), ("original", dt.date(2026, 10, 2), ORIGINAL), ("interview", dt.date(2026, 10, 1), INTERVIEW)],
        NO_LANDED,
    )
    assert result.duplicate_of == {"original": None, "copy": "original", "interview": None}


def test_copy_of_a_landed_article_points_at_its_root_not_at_another_copy():
    landed = [DedupeCandidate("copy-1", COPY, root_id="original", root_rank=precedence(dt.date(2026, 10, 2), 0, "original"))]
    result = assign_duplicates([("copy-2", dt.date(2026, 10, 5), ORIGINAL)], lambda bands: landed)
    assert result.duplicate_of == {"copy-2": "original"}
    assert result.repointed_roots == {}


def test_earlier_version_arriving_late_becomes_the_root_and_repoints_the_cluster():
    landed = [DedupeCandidate("copy", COPY, root_id="copy", root_rank=precedence(dt.date(2026, 10, 3), 0, "copy"))]
    result = assign_duplicates([("original", dt.date(2026, 10, 2), ORIGINAL)], lambda bands: landed)
    assert result.duplicate_of == {"original": None}
    assert result.repointed_roots == {"copy": "original"}


def test_undated_copy_never_outranks_a_dated_original():
    result = assign_duplicates([("undated", None, COPY), ("dated", dt.date(2026, 10, 2), ORIGINAL)], NO_LANDED)
    assert result.duplicate_of == {"dated": None, "undated": "dated"}


def test_very_short_texts_are_only_duplicates_when_identical():
    assert not is_same_story(fingerprints(shingles("Brandt said the film shoots in March.")), fingerprints(shingles("Brandt said the film shoots in May.")))
    assert is_same_story(fingerprints(shingles("Brandt said the film shoots in March.")), fingerprints(shingles("Brandt said the film shoots in March.")))
