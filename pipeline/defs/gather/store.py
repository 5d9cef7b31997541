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
    record_fetched_pages_frame(con, frame)


def record_fetched_pages_frame(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    """Each URL's outcome (one row a URL) replaces the one recorded before."""
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


def archives_landed(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int, int], object]:
    """When each archive's partition landed, by (path, size, mtime_ns) of the archive."""
    return {(path, size, mtime_ns): processed_at for path, size, mtime_ns, processed_at in con.execute(
        "select path, size, mtime_ns, processed_at from internal.processed_archives").fetchall()}


def land_archive_partition(con: duckdb.DuckDBPyConnection, manifest: dict, pages: pl.DataFrame, recorded_at,
                           write_page) -> int:
    """One archive's partition into the warehouse (inside the caller's transaction), keyed by the partition.

    The partition's earlier rows are replaced by its rows now; a URL that another archive or an outlet
    already landed or filtered out keeps that record, as reading archives one after another did. The
    pages kept are handed to ``write_page(relative_path, html)``. Returns how many pages were landed.
    """
    con.execute("delete from internal.fetched_pages where source = ?", [manifest["key"]])
    con.register("incoming_archive_pages", pages.select("url"))
    try:
        decided = {url for (url,) in con.execute(
            "select url from internal.fetched_pages where status in ('landed', 'filtered_out') "
            "and url in (select url from incoming_archive_pages)").fetchall()}
    finally:
        unregister(con, "incoming_archive_pages")
    new = pages.filter(~pl.col("url").is_in(list(decided)))
    record_fetched_pages_frame(con, new.drop("html").with_columns(recorded_at=pl.lit(recorded_at, dtype=pl.Datetime("us"))))
    landed = new.filter(pl.col("status") == "landed")
    for relative_path, html in landed.select("relative_path", "html").iter_rows():
        write_page(relative_path, html)
    con.execute("delete from internal.processed_archives where path = ?", [manifest["path"]])
    con.execute("insert into internal.processed_archives values (?, ?, ?, ?, ?, ?)",
                [manifest["path"], manifest["size"], manifest["mtime_ns"], manifest["pages_kept"], manifest["pages_seen"],
                 recorded_at])
    return landed.height
