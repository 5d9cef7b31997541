"""Gathering's reads and writes of the warehouse: the URLs already gathered, each page's outcome,
and the feeds' validators for conditional requests (inside the caller's transaction)."""

from __future__ import annotations

import duckdb
import polars as pl

from ...warehouse import scalar, unregister


def url_already_gathered(con: duckdb.DuckDBPyConnection, url: str) -> bool:
    """Landed or filtered out before; rejected URLs are tried again (the failure may have passed)."""
    return bool(scalar(con, "select count(*) from internal.fetched_pages where url = ? and status in ('landed', 'filtered_out')", [url]))


def record_fetched_pages(con: duckdb.DuckDBPyConnection, records: list, recorded_at) -> None:
    if not records:
        return
    frame = pl.DataFrame(
        [{**r.__dict__, "recorded_at": recorded_at} for r in records],
        schema={"url": pl.String, "day": pl.Date, "source": pl.String, "status": pl.String, "reason": pl.String,
                "relevant": pl.Boolean, "relevance_score": pl.Float64, "relevance_reasons": pl.String,
                "relative_path": pl.String, "recorded_at": pl.Datetime("us")},
    ).unique(subset=["url"], keep="last")
    con.register("incoming_pages", frame)
    try:
        con.execute("delete from internal.fetched_pages where url in (select url from incoming_pages)")
        con.execute("insert into internal.fetched_pages by name select * from incoming_pages")
    finally:
        unregister(con, "incoming_pages")


def feed_validators(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    return {url: (etag, modified) for url, etag, modified in con.execute(
        "select url, etag, last_modified from internal.feed_validators").fetchall()}


def record_feed_validators(con: duckdb.DuckDBPyConnection, validators: dict, fetched_at) -> None:
    for url, (etag, modified) in validators.items():
        con.execute("delete from internal.feed_validators where url = ?", [url])
        con.execute("insert into internal.feed_validators values (?, ?, ?, ?)", [url, etag, modified, fetched_at])
