"""`film-news report`: the week's page from the published data, self-contained and safe to open."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline.core.report import sparkline

from .newsroom import news_page, text_article, write
from .test_assets import run
from .test_cli import film_news


def newsroom_weeks(landing: Path) -> None:
    """Salt and Ember named in one article the week before and in two this week; a quote with markup in it."""
    write(landing, "a/early.txt", text_article("2026-11-11", [
        "Orbit Films dated its thriller Salt and Ember for the spring.",
        "“We are nearly there,” producer Owen Hale said.",
    ]))
    write(landing, "b/this-week-1.html", news_page(
        "Salt and Ember Sequel Confirmed",
        ["Orbit Films will make a sequel to the thriller Salt and Ember, producer Owen Hale said on Monday.",
         "“We owe the audience a second chapter,” Hale said. “The script is done.”"],
        site="Reel Ledger", published="2026-11-16T10:00:00+00:00", canonical="https://reel-ledger.example/salt-sequel",
    ))
    write(landing, "c/this-week-2.txt", text_article("2026-11-18", [
        "Director Ama Boateng praised the thriller Salt and Ember at a festival panel.",
        "“It changed how I think about the <b>coast</b>,” Boateng said.",
    ]))


def write_report(landing: Path, db_path: Path, tmp_path: Path, *extra: str) -> tuple[str, str]:
    newsroom_weeks(landing)
    assert run(landing, db_path).success
    output = tmp_path / "week.html"
    done = film_news("report", "--db", str(db_path), "--output", str(output), *extra)
    assert done.returncode == 0, done.stderr
    return output.read_text(encoding="utf-8"), done.stdout


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
