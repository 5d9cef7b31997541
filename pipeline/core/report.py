"""`film-news report`: the week's page, one self-contained HTML file (no script, font or image
fetched), readable offline, from the published copy's views.

``week_report`` queries the week (originals only, as the views count them) and ``render_week`` writes
every value through ``html.escape``: titles, names and quotes are text from the web and must never
become markup. ``write_week_report`` is what the command calls.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import duckdb
import polars as pl

from .. import warehouse
from .previews import shorten

TREND_WEEKS = 8

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.summary { color: #555; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { font-weight: 600; } th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
.up { color: #0a7a32; } .down { color: #b3261e; } blockquote { margin: 0; }
.meta { color: #666; font-size: .85rem; } svg { vertical-align: middle; }
"""


def sparkline(values: list[int], width: int = 120, height: int = 24) -> str:
    """An inline SVG line of ``values`` (oldest first), scaled to its own maximum."""
    if not values:
        return ""
    top = max(max(values), 1)
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values))
    label = html.escape(", ".join(str(v) for v in values))
    return (f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="mentions per week: {label}"><polyline fill="none" stroke="#3366cc" stroke-width="2" '
            f'points="{points}"/></svg>')


def _change(value: int) -> str:
    if value > 0:
        return f'<span class="up">+{value}</span>'
    if value < 0:
        return f'<span class="down">{value}</span>'
    return "0"


def _count(number: int, noun: str) -> str:
    """"1 article", "2 articles": ``noun`` is singular and takes an s."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _table(headers: list[str], rows: list[list], empty: str) -> str:
    """An HTML table of cells already escaped; a header starting with "#" is a right-aligned number column."""
    if not rows:
        return f"<p>{empty}</p>"
    numeric = [h.startswith("#") for h in headers]
    head = "".join(f'<th class="n">{h[1:]}</th>' if n else f"<th>{h}</th>" for h, n in zip(headers, numeric))
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if n else f"<td>{c}</td>" for c, n in zip(row, numeric))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_MOVE_LABELS = {"moved": "Release date moved", "delayed": "Release delayed", "moved_up": "Release moved up",
                "greenlit": "Greenlit", "renewed": "Renewed", "cancelled": "Cancelled", "opening_weekend": "Top opening"}
_CURRENCY_SIGNS = {"USD": "$", "GBP": "£", "EUR": "€"}


def money(amount: float, currency: str | None) -> str:
    """"$41.5 million", "£1.2 billion", "CNY 300 million": a figure as the trades write it."""
    sign = _CURRENCY_SIGNS.get(currency or "")
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if amount >= size:
            figure = f"{amount / size:.1f}".removesuffix(".0") + f" {word}"
            break
    else:
        figure = f"{amount:,.0f}"
    return f"{sign}{figure}" if sign else f"{currency} {figure}"


def _when(day: dt.date | None, precision: str | None) -> str:
    if day is None:
        return "no new date"
    return {"year": f"{day:%Y}", "month": f"{day:%B %Y}"}.get(precision or "day", f"{day:%d %B %Y}")


def _move_detail(row: dict) -> str:
    if row["move"] in ("moved", "delayed", "moved_up"):
        return "to " + _when(row["event_date"], row["date_precision"]) if row["event_date"] else "no new date"
    if row["amount"] is not None:
        return money(row["amount"], row["currency"]) + (f", {row['org']}" if row["org"] else "")
    return row["org"] or ""


def render_week(week: dt.date, totals: dict[str, int], titles: pl.DataFrame, trends: dict[str, list[int]],
                speakers: pl.DataFrame, quotes: pl.DataFrame, moves: pl.DataFrame | None = None) -> str:
    """The page for the ISO week starting on ``week`` (a Monday).

    ``titles``: title_entity_id, title, mentions, articles, change_on_previous_week;
    ``trends``: title_entity_id -> mentions per week, oldest first, ending with this week;
    ``speakers``: speaker, statements (direct quotes joined into whole statements), reported_statements, articles;
    ``quotes``: published_date, site, speaker, kind ('direct' for a whole statement, 'indirect'), text, url;
    ``moves``: the week's release date changes, greenlights, renewals and cancellations, and its top
    opening: published_date, move (a status, or opening_weekend), title, event_date, date_precision,
    amount, currency, org, site, url.
    """
    e = html.escape
    last = week + dt.timedelta(days=6)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Film news: week of {week.isoformat()}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Film news, week of {week:%d %B %Y}</h1>",
        f'<p class="summary">{week:%a %d %b} to {last:%a %d %b %Y}: {_count(totals["articles"], "article")}, '
        f'{_count(totals["statements"], "statement")} quoted, {_count(totals["titles"], "title")} mentioned. '
        'Syndicated copies are left out.</p>',
        '<h2 id="titles">Most-mentioned titles</h2>',
    ]
    parts.append(_table(
        ["Title", "#Mentions", "#Articles", "#On the week before", "Last weeks"],
        [[e(row["title"]), row["mentions"], row["articles"], _change(int(row["change_on_previous_week"])),
          sparkline(trends.get(row["title_entity_id"], []))] for row in titles.iter_rows(named=True)],
        "No title was mentioned this week."))
    parts.append('<h2 id="moves">This week\'s moves</h2>')
    move_rows = []
    for row in (moves if moves is not None else pl.DataFrame()).iter_rows(named=True):
        where = e(row["site"] or "unknown outlet")
        if row["url"] and str(row["url"]).startswith(("http://", "https://")):
            where = f'<a href="{e(row["url"], quote=True)}">{where}</a>'
        move_rows.append([e(_MOVE_LABELS.get(row["move"], row["move"])), e(row["title"]), e(_move_detail(row)),
                          f'{where} <span class="meta">{row["published_date"]}</span>'])
    parts.append(_table(["Move", "Title", "Details", "Reported by"], move_rows,
                        "No release date changed and no production was greenlit, renewed or cancelled this week."))
    parts.append('<h2 id="speakers">Most-quoted people</h2>')
    parts.append(_table(
        ["Speaker", "#Quoted statements", "#Reported speech", "#Articles"],
        [[e(row["speaker"]), row["statements"], row["reported_statements"], row["articles"]]
         for row in speakers.iter_rows(named=True)],
        "Nobody was quoted this week."))
    parts.append('<h2 id="quotes">Newest quotes</h2>')
    if quotes.is_empty():
        parts.append("<p>No quotes this week.</p>")
    else:
        parts.append("<table><tbody>")
        for row in quotes.iter_rows(named=True):
            text = shorten(row["text"], 300)
            said = "said" if row["kind"] == "direct" else "reported"
            where = e(row["site"] or "unknown outlet")
            if row["url"] and str(row["url"]).startswith(("http://", "https://")):
                where = f'<a href="{e(row["url"], quote=True)}">{where}</a>'
            parts.append(
                f'<tr><td><blockquote>“{e(text)}”</blockquote>'
                f'<div class="meta">{e(row["speaker"] or "speaker not named")} ({said}), {where}, '
                f'{row["published_date"]}</div></td></tr>')
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


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
        # The newest attributed statements, at most two from one article, so one interview does not fill
        # the list. Direct quotes come whole from `statements` (a quote split around "she said" is one
        # statement, not two of the article's places); a statement of fragments woven into the writer's
        # sentences alone is left out. Reported speech is a statement in one piece.
        """
        with said as (
            select s.article_id, s.start_char, s.speaker, 'direct' as kind, s.text
            from statements s
            where s.speaker is not null and exists (
                select 1 from quotes q where list_contains(s.part_quote_ids, q.quote_id) and not q.is_partial)
            union all
            select q.article_id, q.start_char, q.speaker, q.kind, q.text
            from quotes q
            where q.kind = 'indirect' and q.parent_quote_id is null and q.speaker is not null
        )
        select published_date, site, speaker, kind, text, url from (
            select a.published_date, a.site, said.speaker, said.kind, said.text, a.url, a.article_id, said.start_char,
                   row_number() over (partition by said.article_id order by said.start_char) as nth
            from said join articles a using (article_id)
            where a.duplicate_of is null and a.published_date >= ? and a.published_date < ?)
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
    return render_week(week, totals, titles, trends, speakers, quotes, week_moves(con, week))


def week_moves(con: duckdb.DuckDBPyConnection, week: dt.date) -> pl.DataFrame:
    """The week's release date changes, greenlights, renewals and cancellations (one row per title and
    move, from its first original report that week), then its biggest opening weekend."""
    until = week + dt.timedelta(days=7)
    return warehouse.query_frame(
        con,
        """
        with week_events as (
            select ev.*, a.published_date, a.site, a.url, t.name as title, o.name as org
            from events ev
            join articles a using (article_id)
            join entities t on t.entity_id = ev.title_entity_id
            left join entities o on o.entity_id = ev.org_entity_id
            where a.duplicate_of is null and a.published_date >= ? and a.published_date < ?
        ),
        moves as (
            select published_date, status as move, title, event_date, date_precision, amount, currency, org, site, url,
                   row_number() over (partition by title_entity_id, status order by published_date, article_id, evidence_start) as nth
            from week_events
            where (kind = 'release_date' and status in ('moved', 'delayed', 'moved_up'))
               or (kind = 'production_status' and status in ('greenlit', 'renewed', 'cancelled'))
        ),
        top_opening as (
            select published_date, 'opening_weekend' as move, title, event_date, date_precision, amount, currency, org,
                   site, url, 1 as nth
            from week_events
            where kind = 'box_office' and amount_kind = 'opening_weekend' and currency = 'USD'
            order by amount desc, published_date limit 1
        )
        select published_date, move, title, event_date, date_precision, amount, currency, org, site, url
        from (select *, 0 as section from moves where nth = 1 union all select *, 1 from top_opening)
        order by section, published_date, title
        """,
        [week, until],
    )


class ReportFailed(RuntimeError):
    """The published copy could not be read or the page not written; the message says why."""


def write_week_report(snapshot: Path, output: Path, day: dt.date | None = None) -> tuple[Path, dt.date]:
    """Write the page of the week holding ``day`` (default: the newest week with articles) to ``output``.

    Raises ``NothingToReport`` when no article is dated, ``ReportFailed`` when the copy cannot be
    read or the file not written (a half-written page is never left at ``output``).
    """
    try:
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
    except (duckdb.Error, OSError) as error:
        raise ReportFailed(f"cannot write the report: {str(error).splitlines()[0]}") from error
    return output, week
