"""Ingest's reads and writes of the warehouse: which landed files changed, the landed articles a new
one may copy, and the keyed writes of articles, rejections and the files' bookkeeping.

Each function works inside the caller's transaction (``warehouse.transaction``) and touches the
ingest tables only, apart from the two lookups of what gathering recorded about each file.
"""

from __future__ import annotations

import duckdb
import polars as pl

from ...core.dedupe import DedupeCandidate, precedence
from ...warehouse import query_frame, unregister


ARTICLE_COLUMNS = [
    "article_id", "source_path", "url", "site", "title", "author", "published_date", "language", "text",
    "word_count", "content_hash", "duplicate_of", "ingested_at", "italic_spans",
]
REJECTED_COLUMNS = ["source_path", "stage", "reason", "rejected_at", "file_sha256"]
SOURCE_FILE_COLUMNS = ["relative_path", "source_path", "size", "mtime_ns", "file_sha256", "article_id", "status", "processed_at"]

INGEST_TABLES = ("articles", "rejected_documents", "internal.source_files", "internal.article_lsh_bands")


def clear_ingest_state(con: duckdb.DuckDBPyConnection) -> None:
    """Full rebuild: forget everything ingested (inside the caller's transaction)."""
    for table in INGEST_TABLES:
        con.execute(f"delete from {table}")


def files_to_process(con: duckdb.DuckDBPyConnection, listing: pl.DataFrame, cleaning_version: str) -> pl.DataFrame:
    """The listed files that are new, whose size or modification time changed, or that were last
    cleaned by another version of the cleaning (``core.articles.cleaning_version``).

    Returns the listing's columns plus ``known_sha256``, the hash recorded when
    the file was last processed, so a touched-but-identical file is not re-read
    (null when the cleaning changed since: the same bytes are cleaned again),
    ``known_status`` (landed, rejected, or null for a new file) and ``cleaning_changed``.
    """
    con.register("landing_listing", listing)
    try:
        return query_frame(
            con,
            """
            select l.*,
                   case when s.cleaning_version is not distinct from $version then s.file_sha256 end as known_sha256,
                   s.status as known_status,
                   s.relative_path is not null and s.cleaning_version is distinct from $version as cleaning_changed
            from landing_listing l
            left join internal.source_files s using (relative_path)
            where s.relative_path is null or s.size <> l.size or s.mtime_ns <> l.mtime_ns
               -- An emptied file has nothing to clean again; its article stays as landed.
               or (s.cleaning_version is distinct from $version and l.size > 0)
            order by l.relative_path
            """,
            {"version": cleaning_version},
        )
    finally:
        unregister(con, "landing_listing")


def landed_candidates(con: duckdb.DuckDBPyConnection, band_rows: pl.DataFrame, limit: int) -> dict[str, list[DedupeCandidate]]:
    """For each new article of ``band_rows`` (article_id, band, band_hash), the landed articles
    sharing a band with it, most shared bands first, at most ``limit``.

    Ranked and cut in SQL, so only the texts of the candidates that will be compared leave the
    database: with boilerplate shared across a site, every article shares a band with thousands
    of others, and fetching all their texts made each batch cost more as the corpus grew.
    """
    if band_rows.is_empty():
        return {}
    con.register("probe_bands", band_rows.select("article_id", "band", "band_hash").unique())
    try:
        rows = con.execute(
            """
            with shared as (
                select p.article_id as probe_id, b.article_id as candidate_id, count(*) as bands
                from probe_bands p
                join internal.article_lsh_bands b on b.band = p.band and b.band_hash = p.band_hash
                where b.article_id <> p.article_id
                group by all
            ),
            ranked as (
                select *, row_number() over (partition by probe_id order by bands desc, candidate_id) as rank
                from shared
            )
            select r.probe_id, a.article_id, a.text,
                   coalesce(a.duplicate_of, a.article_id) as root_id, root.published_date as root_published
            from ranked r
            join articles a on a.article_id = r.candidate_id
            left join articles root on root.article_id = coalesce(a.duplicate_of, a.article_id)
            where r.rank <= ?
            order by r.probe_id, r.rank
            """,
            [limit],
        ).fetchall()
    finally:
        unregister(con, "probe_bands")
    out: dict[str, list[DedupeCandidate]] = {}
    for probe_id, article_id, text, root_id, root_published in rows:
        # Landed roots all rank before this run's articles of the same date (sequence 0).
        out.setdefault(probe_id, []).append(DedupeCandidate(article_id, text, root_id, precedence(root_published, 0, root_id)))
    return out


def upsert_articles(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, bands: pl.DataFrame) -> None:
    if articles.is_empty():
        return
    con.register("incoming_articles", articles.select(ARTICLE_COLUMNS))
    con.register("incoming_bands", bands)
    try:
        con.execute("delete from articles where article_id in (select article_id from incoming_articles)")
        con.execute("insert into articles by name select * from incoming_articles")
        con.execute("delete from internal.article_lsh_bands where article_id in (select article_id from incoming_articles)")
        con.execute("insert into internal.article_lsh_bands by name select * from incoming_bands")
        # A re-landed file clears its earlier rejection: the problem was fixed.
        con.execute("delete from rejected_documents where source_path in (select source_path from incoming_articles)")
    finally:
        unregister(con, "incoming_articles")
        unregister(con, "incoming_bands")


def repoint_duplicates(con: duckdb.DuckDBPyConnection, repointed_roots: dict[str, str]) -> None:
    """An earlier version arrived late: the old root and its copies now point to it."""
    for old_root, new_root in repointed_roots.items():
        con.execute(
            "update articles set duplicate_of = ? where article_id = ? or duplicate_of = ?",
            [new_root, old_root, old_root],
        )


def upsert_rejections(con: duckdb.DuckDBPyConnection, rejections: pl.DataFrame) -> None:
    if rejections.is_empty():
        return
    con.register("incoming_rejections", rejections.select(REJECTED_COLUMNS))
    try:
        con.execute("delete from rejected_documents where source_path in (select source_path from incoming_rejections)")
        con.execute("insert into rejected_documents by name select * from incoming_rejections")
    finally:
        unregister(con, "incoming_rejections")


def upsert_source_files(con: duckdb.DuckDBPyConnection, records: pl.DataFrame, cleaning_version: str) -> None:
    """Record what each processed file was and the cleaning that read it; an unchanged file only
    gets its new stat."""
    if records.is_empty():
        return
    con.register("incoming_files", records.select(SOURCE_FILE_COLUMNS))
    try:
        con.execute(
            """
            update internal.source_files s set size = i.size, mtime_ns = i.mtime_ns, source_path = i.source_path,
                cleaning_version = $version
            from incoming_files i
            where i.status = 'unchanged' and s.relative_path = i.relative_path
            """,
            {"version": cleaning_version},
        )
        con.execute(
            "delete from internal.source_files where relative_path in "
            "(select relative_path from incoming_files where status <> 'unchanged')"
        )
        con.execute("insert into internal.source_files by name select *, $version as cleaning_version "
                    "from incoming_files where status <> 'unchanged'", {"version": cleaning_version})
    finally:
        unregister(con, "incoming_files")


def fetched_urls_for(con: duckdb.DuckDBPyConnection, relative_paths: list[str]) -> dict[str, str]:
    """The URL each fetched page file was gathered from, for files in the landing folder."""
    rows = con.execute(
        "select relative_path, url from internal.fetched_pages where relative_path in (select unnest(?::varchar[]))",
        [relative_paths],
    ).fetchall()
    return dict(rows)


def fetched_outlets_for(con: duckdb.DuckDBPyConnection, relative_paths: list[str]) -> dict[str, str]:
    """The configured outlet each fetched page file was gathered from (pages read from a WARC archive have none)."""
    rows = con.execute(
        "select relative_path, source from internal.fetched_pages f where relative_path in (select unnest(?::varchar[])) "
        "and not exists (select 1 from internal.processed_archives a where a.path = f.source "
        "or ends_with(a.path, '/' || f.source))",
        [relative_paths],
    ).fetchall()
    return dict(rows)
