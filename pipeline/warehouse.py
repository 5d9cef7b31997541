"""The DuckDB side: table definitions, keyed writes in one transaction, and lookups.

Every write the pipeline makes goes through this module. A materialization
opens one transaction, replaces rows keyed by ``article_id`` (or the file's
path for ingest bookkeeping), and commits once, so a re-run leaves the same
rows and a crash or kill leaves the previous state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from .core.dedupe import DedupeCandidate, precedence

# The contract's tables first (../shared/DATASET_CONTRACT.md), then our own
# bookkeeping. Extra columns are ours and documented in the data dictionary.
DDL = """
create table if not exists articles (
    article_id     varchar primary key,
    source_path    varchar not null,
    url            varchar,
    site           varchar,
    title          varchar,
    author         varchar,
    published_date date,
    language       varchar not null,
    text           varchar not null,
    word_count     integer not null,
    content_hash   varchar not null,
    duplicate_of   varchar,
    ingested_at    timestamp not null,
    italic_spans   integer[][]
);
create table if not exists rejected_documents (
    source_path  varchar primary key,
    stage        varchar not null,
    reason       varchar not null,
    rejected_at  timestamp not null,
    file_sha256  varchar
);
-- One row per file seen in the landing folder: what it was when last
-- processed, so a nightly run only reads new or changed files.
create table if not exists source_files (
    relative_path varchar primary key,
    source_path   varchar not null,
    size          bigint not null,
    mtime_ns      bigint not null,
    file_sha256   varchar,
    article_id    varchar,
    status        varchar not null,
    processed_at  timestamp not null
);
-- LSH band hashes of each article's MinHash signature, for finding syndicated copies.
create table if not exists article_lsh_bands (
    article_id varchar not null,
    band       smallint not null,
    band_hash  bigint not null
);
"""

ARTICLE_COLUMNS = [
    "article_id", "source_path", "url", "site", "title", "author", "published_date", "language", "text",
    "word_count", "content_hash", "duplicate_of", "ingested_at", "italic_spans",
]
REJECTED_COLUMNS = ["source_path", "stage", "reason", "rejected_at", "file_sha256"]
SOURCE_FILE_COLUMNS = ["relative_path", "source_path", "size", "mtime_ns", "file_sha256", "article_id", "status", "processed_at"]

INGEST_TABLES = ("articles", "rejected_documents", "source_files", "article_lsh_bands")


def connect(database_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(database_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        con.execute(DDL)
    return con


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends, roll back on any exception."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value a query returns.

    fetchall, not fetchone: DuckDB 2.0 refuses further work on a connection
    whose last result was not read to the end.
    """
    return con.execute(sql, params or []).fetchall()[0][0]


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(scalar(con, "select count(*) from information_schema.tables where table_name = ?", [table]))


def clear_ingest_state(con: duckdb.DuckDBPyConnection) -> None:
    """Full rebuild: forget everything ingested (inside the caller's transaction)."""
    for table in INGEST_TABLES:
        con.execute(f"delete from {table}")


def files_to_process(con: duckdb.DuckDBPyConnection, listing: pl.DataFrame) -> pl.DataFrame:
    """The listed files that are new or whose size or modification time changed.

    Returns the listing's columns plus ``known_sha256``, the hash recorded when
    the file was last processed, so a touched-but-identical file is not re-read.
    """
    con.register("landing_listing", listing)
    try:
        return query_frame(
            con,
            """
            select l.*, s.file_sha256 as known_sha256
            from landing_listing l
            left join source_files s using (relative_path)
            where s.relative_path is null or s.size <> l.size or s.mtime_ns <> l.mtime_ns
            order by l.relative_path
            """,
        )
    finally:
        con.unregister("landing_listing")


def landed_candidates(con: duckdb.DuckDBPyConnection, band_rows: pl.DataFrame) -> dict[tuple[int, int], list[DedupeCandidate]]:
    """Landed articles sharing a (band, hash) with any of ``band_rows``, keyed by that pair."""
    if band_rows.is_empty():
        return {}
    con.register("probe_bands", band_rows.unique())
    try:
        rows = con.execute(
            """
            select b.band, b.band_hash, a.article_id, a.text,
                   coalesce(a.duplicate_of, a.article_id) as root_id, r.published_date as root_published
            from probe_bands p
            join article_lsh_bands b on b.band = p.band and b.band_hash = p.band_hash
            join articles a on a.article_id = b.article_id
            left join articles r on r.article_id = coalesce(a.duplicate_of, a.article_id)
            """
        ).fetchall()
    finally:
        con.unregister("probe_bands")
    out: dict[tuple[int, int], list[DedupeCandidate]] = {}
    for band, band_hash, article_id, text, root_id, root_published in rows:
        # Landed roots all rank before this run's articles of the same date (sequence 0).
        candidate = DedupeCandidate(article_id, text, root_id, precedence(root_published, 0, root_id))
        out.setdefault((band, band_hash), []).append(candidate)
    return out


def upsert_articles(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, bands: pl.DataFrame) -> None:
    if articles.is_empty():
        return
    con.register("incoming_articles", articles.select(ARTICLE_COLUMNS))
    con.register("incoming_bands", bands)
    try:
        con.execute("delete from articles where article_id in (select article_id from incoming_articles)")
        con.execute("insert into articles by name select * from incoming_articles")
        con.execute("delete from article_lsh_bands where article_id in (select article_id from incoming_articles)")
        con.execute("insert into article_lsh_bands by name select * from incoming_bands")
        # A re-landed file clears its earlier rejection: the problem was fixed.
        con.execute("delete from rejected_documents where source_path in (select source_path from incoming_articles)")
    finally:
        con.unregister("incoming_articles")
        con.unregister("incoming_bands")


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
        con.unregister("incoming_rejections")


def upsert_source_files(con: duckdb.DuckDBPyConnection, records: pl.DataFrame) -> None:
    """Record what each processed file was; an unchanged file only gets its new stat."""
    if records.is_empty():
        return
    con.register("incoming_files", records.select(SOURCE_FILE_COLUMNS))
    try:
        con.execute(
            """
            update source_files s set size = i.size, mtime_ns = i.mtime_ns, source_path = i.source_path
            from incoming_files i
            where i.status = 'unchanged' and s.relative_path = i.relative_path
            """
        )
        con.execute(
            "delete from source_files where relative_path in "
            "(select relative_path from incoming_files where status <> 'unchanged')"
        )
        con.execute("insert into source_files by name select * from incoming_files where status <> 'unchanged'")
    finally:
        con.unregister("incoming_files")


def newest_rows_markdown(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], order_by: str, limit: int = 5) -> str:
    frame = query_frame(con, f"select {', '.join(columns)} from {table} order by {order_by} desc limit {int(limit)}")
    return frame_to_markdown(frame)


def frame_to_markdown(frame: pl.DataFrame, max_width: int = 60) -> str:
    if frame.is_empty():
        return "_no rows_"

    def cell(value) -> str:
        text = "" if value is None else str(value)
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.iter_rows():
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def utc_now() -> dt.datetime:
    # Naive UTC: DuckDB TIMESTAMP has no zone, and one clock for every row avoids mixed offsets.
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
