"""The week's page: one self-contained HTML file (no script, font or image fetched), readable offline.

``render_week`` takes plain frames the report's queries return and writes every value through
``html.escape``: titles, names and quotes are text from the web and must never become markup.
"""

from __future__ import annotations

import datetime as dt
import html

import polars as pl

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.summary { color: #555; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
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


def _table(headers: list[str], rows: list[list], empty: str) -> str:
    """An HTML table of cells already escaped; a header starting with "#" is a right-aligned number column."""
    if not rows:
        return f"<p>{empty}</p>"
    numeric = [h.startswith("#") for h in headers]
    head = "".join(f'<th class="n">{h[1:]}</th>' if n else f"<th>{h}</th>" for h, n in zip(headers, numeric))
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if n else f"<td>{c}</td>" for c, n in zip(row, numeric))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_week(week: dt.date, totals: dict[str, int], titles: pl.DataFrame, trends: dict[str, list[int]],
                speakers: pl.DataFrame, quotes: pl.DataFrame) -> str:
    """The page for the ISO week starting on ``week`` (a Monday).

    ``titles``: title_entity_id, title, mentions, articles, change_on_previous_week;
    ``trends``: title_entity_id -> mentions per week, oldest first, ending with this week;
    ``speakers``: speaker, statements (direct quotes joined into whole statements), reported_statements, articles;
    ``quotes``: published_date, site, speaker, kind, text, url.
    """
    e = html.escape
    last = week + dt.timedelta(days=6)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Film news: week of {week.isoformat()}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Film news, week of {week:%d %B %Y}</h1>",
        f'<p class="summary">{week:%a %d %b} to {last:%a %d %b %Y}: {totals["articles"]} articles, '
        f'{totals["statements"]} statements quoted, {totals["titles"]} titles mentioned. Syndicated copies are left out.</p>',
        '<h2 id="titles">Most-mentioned titles</h2>',
    ]
    parts.append(_table(
        ["Title", "#Mentions", "#Articles", "#On the week before", "Last weeks"],
        [[e(row["title"]), row["mentions"], row["articles"], _change(int(row["change_on_previous_week"])),
          sparkline(trends.get(row["title_entity_id"], []))] for row in titles.iter_rows(named=True)],
        "No title was mentioned this week."))
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
            text = row["text"] if len(row["text"]) <= 300 else row["text"][:299] + "…"
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
