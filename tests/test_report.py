"""`film-news report`: the week's page from the published data, self-contained and safe to open."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.core.report import sparkline

from .harness import film_news, run, write_report
from .newsroom import news_page, text_article, write


def test_the_week_page_shows_titles_with_their_trend_speakers_and_quotes(landing, db_path, tmp_path):
    page, said = write_report(landing, db_path, tmp_path)
    assert "the week of 2026-11-16" in said  # the newest week with articles
    titles = page.split('id="titles"')[1].split('id="speakers"')[0]
    row = next(r for r in titles.split("<tr>") if "Salt and Ember" in r)
    mentions = [int(n) for n in re.findall(r'class="n">(?:<span[^>]*>)?\+?(-?\d+)', row)]
    assert mentions[:2] == [2, 2]  # two mentions in two articles this week
    assert re.search(r'aria-label="mentions per week: 0, 0, 0, 0, 0, 0, 1, 2"', row)
    speakers = page.split('id="speakers"')[1].split('id="quotes"')[0]
    assert "Owen Hale" in speakers and "Ama Boateng" in speakers
    quotes = page.split('id="quotes"')[1]
    assert '<a href="https://reel-ledger.example/salt-sequel">Reel Ledger</a>' in quotes
    # Text from the web stays text.
    assert "<b>coast</b>" not in page and "&lt;b&gt;coast&lt;/b&gt;" in page
    # Nothing to fetch: no script, stylesheet link or remote image.
    assert not re.search(r"<script|<link|<img|src=", page)


def test_an_earlier_week_is_chosen_by_any_of_its_days_and_bad_input_is_refused(landing, db_path, tmp_path):
    page, said = write_report(landing, db_path, tmp_path, "--week", "2026-11-13")
    assert "the week of 2026-11-09" in said and "week of 09 November 2026" in page
    bad = film_news("report", "--db", str(db_path), "--week", "last week")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
    missing = film_news("report", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 2 and "film-news run" in missing.stderr


def test_a_sparkline_scales_to_its_own_top():
    line = sparkline([0, 5, 10], width=100, height=24)
    points = re.search(r'points="([^"]+)"', line).group(1).split()
    assert points[0] == "0.0,22.0" and points[-1] == "100.0,2.0"
    assert sparkline([]) == ""


def newsroom_with_a_quiet_week(landing: Path) -> None:
    """Salt and Ember named once two weeks ago, not at all last week, twice this week; this week an
    interview splits Owen Hale's statement around "said" before Ama Boateng is quoted."""
    write(landing, "a/early.txt", text_article("2026-11-04", [
        "Orbit Films dated its thriller Salt and Ember for the spring.",
    ]))
    write(landing, "b/sequel.html", news_page(
        "Orbit Plans a Sequel",
        ["Orbit Films will make a sequel to the thriller Salt and Ember.",
         "“We owe the audience a second chapter,” producer Owen Hale said. “The script is done.”",
         "“I would start shooting tomorrow,” director Ama Boateng said."],
        site="Reel Ledger", published="2026-11-16T10:00:00+00:00", canonical="https://reel-ledger.example/sequel",
    ))
    write(landing, "c/panel.txt", text_article("2026-11-18", [
        "Director Ama Boateng praised the thriller Salt and Ember at a festival panel.",
    ]))


@pytest.fixture(scope="module")
def quiet_week_page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("quiet_week")
    landing, db_path = folder / "landing", folder / "warehouse" / "film_news.duckdb"
    newsroom_with_a_quiet_week(landing)
    result = run(landing, db_path)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    done = film_news("report", "--db", str(db_path), "--output", str(folder / "week.html"))
    assert done.returncode == 0, done.stderr
    return (folder / "week.html").read_text(encoding="utf-8")


def test_the_change_on_the_week_before_is_the_trend_lines_last_step(quiet_week_page):
    titles = quiet_week_page.split('id="titles"')[1].split('id="speakers"')[0]
    row = next(r for r in titles.split("<tr>") if "Salt and Ember" in r)
    trend = [int(n) for n in re.search(r'aria-label="mentions per week: ([\d, ]+)"', row).group(1).split(", ")]
    assert trend[-3:] == [1, 0, 2]  # a quiet week between two with mentions
    title, mentions, articles, change, _ = (re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row))
    assert int(mentions) == trend[-1] == 2
    assert int(change) == trend[-1] - trend[-2] == 2


def test_the_newest_quotes_are_whole_statements_so_a_split_quote_takes_one_slot(quiet_week_page):
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", quiet_week_page.split('id="quotes"')[1])
    hale = [q for q in quotes if "second chapter" in q or "script is done" in q]
    assert len(hale) == 1 and "second chapter" in hale[0] and "script is done" in hale[0]
    # The statement took one of the article's two places: the next speaker keeps the other.
    assert any("start shooting tomorrow" in q for q in quotes)


def test_counts_are_singular_for_one(quiet_week_page):
    summary = re.search(r'<p class="summary">(.*?)</p>', quiet_week_page).group(1)
    assert "2 articles" in summary and "1 title mentioned" in summary
    assert not re.search(r"\b1 \w+s\b", re.sub(r"<[^>]+>", " ", quiet_week_page.split("<body>")[1]))


def text_align(style: str, tag: str, css_class: str) -> str:
    """The text-align CSS gives a ``<tag class="css_class">``, for a stylesheet of simple selectors
    (``tag``, ``.class``, ``tag.class``): the most specific rule wins, the later one on a tie."""
    chosen, best = "start", (-1, -1)
    for order, (selectors, declarations) in enumerate(re.findall(r"([^{}]+)\{([^}]*)\}", style)):
        align = re.search(r"text-align:\s*([a-z]+)", declarations)
        if not align:
            continue
        for selector in (part.strip() for part in selectors.split(",")):
            name, _, wanted = selector.partition(".")
            assert re.fullmatch(r"[a-z0-9]*", name) and re.fullmatch(r"[a-z0-9-]*", wanted), selector
            if name in ("", tag) and wanted in ("", css_class) and (name or wanted):
                rank = (bool(wanted) * 10 + bool(name), order)
                if rank > best:
                    chosen, best = align.group(1), rank
    return chosen


def test_number_columns_are_right_aligned_header_and_cells_alike(quiet_week_page):
    style = re.search(r"<style>(.*?)</style>", quiet_week_page, re.S).group(1)
    table = quiet_week_page.split('id="titles"')[1].split("</table>")[0]
    headers = re.findall(r"<th( class=\"n\")?>([^<]*)</th>", table)
    cells = re.findall(r"<td( class=\"n\")?>", table.split("<tbody>")[1].split("</tr>")[0])
    assert [h for h, _ in headers] == cells  # each header carries its column's class
    for (numeric, name), cell in zip(headers, cells):
        expected = "right" if numeric else "left"
        assert text_align(style, "th", "n" if numeric else "") == expected, name
        assert text_align(style, "td", "n" if cell else "") == expected, name
