"""`film-news report`: the week's page, from the published copy's views (see core/report.py for the page)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from . import warehouse
from .core.report import render_week

TREND_WEEKS = 8


class NothingToReport(RuntimeError):
    """The published copy has no dated article to report on."""


def latest_week(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The Monday of the newest week that has a dated original article."""
    newest = warehouse.scalar(con, "select max(published_date) from articles where duplicate_of is null")
    if newest is None:
        raise NothingToReport("no article in the published data has a publication date; run `film-news run` on dated articles")
    return monday_of(newest)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_report(con: duckdb.DuckDBPyConnection, week: dt.date, top: int = 10, newest: int = 15) -> str:
    """The HTML page of the ISO week starting on ``week``: originals only, as the views count them."""
    until = week + dt.timedelta(days=7)
    titles = warehouse.query_frame(
        con,
        "select title_entity_id, title, mentions, articles, change_on_previous_week from title_mentions_weekly "
        "where week = ? order by mentions desc, title limit ?",
        [week, top],
    )
    trend_rows = warehouse.query_frame(
        con,
        "select title_entity_id, week, mentions from title_mentions_weekly "
        "where title_entity_id in (select unnest(?::varchar[])) and week > ? and week <= ?",
        [titles["title_entity_id"].to_list(), week - dt.timedelta(weeks=TREND_WEEKS), week],
    )
    weeks = [week - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    by_title: dict[str, dict[dt.date, int]] = {}
    for title_id, day, mentions in trend_rows.iter_rows():
        by_title.setdefault(title_id, {})[day] = int(mentions)
    trends = {title_id: [counts.get(w, 0) for w in weeks] for title_id, counts in by_title.items()}
    speakers = warehouse.query_frame(
        con,
        """
        with week_statements as (
            select speaker_entity_id, count(*) as statements from statements
            where not is_syndicated_copy and published_date >= ? and published_date < ? and speaker_entity_id is not null
            group by speaker_entity_id
        )
        select * from (
        select e.name as speaker, coalesce(any_value(w.statements), 0) as statements,
               count(*) filter (where q.kind = 'indirect') as reported_statements,
               count(distinct q.article_id) as articles
        from quotes q
        join articles a using (article_id)
        join entities e on e.entity_id = q.speaker_entity_id
        left join week_statements w on w.speaker_entity_id = q.speaker_entity_id
        where a.duplicate_of is null and a.published_date >= ? and a.published_date < ?
        group by e.entity_id, e.name)
        order by statements + reported_statements desc, statements desc, speaker limit ?
        """,
        [week, until, week, until, top],
    )
    quotes = warehouse.query_frame(
        con,
        # The newest attributed quotes, at most two from one article, so one interview does not fill the list.
        """
        select published_date, site, speaker, kind, text, url from (
            select a.published_date, a.site, q.speaker, q.kind, q.text, a.url, a.article_id, q.start_char,
                   row_number() over (partition by q.article_id order by q.start_char) as nth
            from quotes q join articles a using (article_id)
            where a.duplicate_of is null and a.published_date >= ? and a.published_date < ?
              and q.parent_quote_id is null and q.speaker is not null and (q.kind = 'indirect' or not q.is_partial))
        where nth <= 2
        order by published_date desc, article_id, start_char limit ?
        """,
        [week, until, newest],
    )
    totals = {
        "articles": warehouse.scalar(con, "select count(*) from articles where duplicate_of is null "
                                          "and published_date >= ? and published_date < ?", [week, until]),
        "statements": warehouse.scalar(con, "select count(*) from statements where not is_syndicated_copy "
                                            "and published_date >= ? and published_date < ?", [week, until]),
        "titles": warehouse.scalar(con, "select count(*) from title_mentions_weekly where week = ?", [week]),
    }
    return render_week(week, totals, titles, trends, speakers, quotes)


def write_week_report(snapshot: Path, output: Path, day: dt.date | None = None) -> tuple[Path, dt.date]:
    """Write the page of the week holding ``day`` (default: the newest week with articles) to ``output``."""
    con = warehouse.connect(snapshot, read_only=True, lock_timeout=0)
    try:
        week = monday_of(day) if day else latest_week(con)
        page = week_report(con, week)
    finally:
        con.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.tmp")
    staging.write_text(page, encoding="utf-8")
    staging.replace(output)
    return output, week
