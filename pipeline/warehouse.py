"""The DuckDB side: table definitions, keyed writes in one transaction, and lookups.

Every write the pipeline makes goes through this module. A materialization
opens one transaction, replaces rows keyed by ``article_id`` (or the file's
path for ingest bookkeeping), and commits once, so a re-run leaves the same
rows and a crash or kill leaves the previous state.
"""

from __future__ import annotations

import contextlib
import errno
import datetime as dt
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from .core.dedupe import DedupeCandidate, precedence
from .core.search import SEARCH_DDL, SEARCH_MACROS, kept_term, terms_of
from .schemas import TABLE_SCHEMAS, create_table_sql

# The contract's tables first (../shared/DATASET_CONTRACT.md), then our own
# bookkeeping. Extra columns are ours and documented in the data dictionary.
# The dataset's tables, from their Pandera schemas (one declaration per table), then what an older
# database needs to reach today's layout.
DDL = "\n".join(create_table_sql(table, schema) for table, schema in TABLE_SCHEMAS.items()) + """
-- Columns added after the first release: a database of the older layout gains them in place.
alter table quotes add column if not exists kind varchar default 'direct';
alter table mentions add column if not exists rule varchar;
"""

# Bookkeeping of the stages (what was read, fetched and extracted, and when) is not for analysts:
# it lives in its own schema, so `.tables`, the data dictionary and `select * from information_schema`
# of the main schema show the dataset only.
INTERNAL_TABLES = ("source_files", "entity_extraction_state", "quote_extraction_state", "fetched_pages", "feed_validators", "processed_archives", "article_lsh_bands")
INTERNAL_DDL = """
create schema if not exists internal;
-- One row per file seen in the landing folder: what it was when last
-- processed, so a nightly run only reads new or changed files.
create table if not exists internal.source_files (
    relative_path varchar primary key,
    source_path   varchar not null,
    size          bigint not null,
    mtime_ns      bigint not null,
    file_sha256   varchar,
    article_id    varchar,
    status        varchar not null,
    processed_at  timestamp not null
);
-- Which version of each article (content_hash) the entity stage last processed, with which model and rules
-- ("MODEL:RULES_HASH": a changed recognizer or lexicon re-extracts the article).
create table if not exists internal.entity_extraction_state (
    article_id   varchar primary key,
    content_hash varchar not null,
    model        varchar not null,
    processed_at timestamp not null
);
-- Which version of each article, and of its entities, the quote stage last processed.
create table if not exists internal.quote_extraction_state (
    article_id    varchar primary key,
    content_hash  varchar not null,
    processed_at  timestamp not null,
    rules_version varchar
);
-- Every URL the sources stage met, with its outcome and the relevance decision.
create table if not exists internal.fetched_pages (
    url               varchar primary key,
    day               date not null,
    source            varchar not null,
    status            varchar not null,
    reason            varchar,
    relevant          boolean,
    relevance_score   double,
    relevance_reasons varchar,
    relative_path     varchar,
    recorded_at       timestamp not null
);
-- Validators of each feed and sitemap as last fetched, for conditional requests.
create table if not exists internal.feed_validators (
    url           varchar primary key,
    etag          varchar,
    last_modified varchar,
    fetched_at    timestamp not null
);
create table if not exists internal.processed_archives (
    path         varchar primary key,
    size         bigint not null,
    mtime_ns     bigint not null,
    pages_kept   integer not null,
    pages_seen   integer not null,
    processed_at timestamp not null
);
-- LSH band hashes of each article's MinHash signature, for finding syndicated copies.
create table if not exists internal.article_lsh_bands (
    article_id varchar not null,
    band       smallint not null,
    band_hash  bigint not null
);
alter table internal.quote_extraction_state add column if not exists rules_version varchar;
create table if not exists internal.warehouse_meta (key varchar primary key, value varchar not null);
"""

ARTICLE_COLUMNS = [
    "article_id", "source_path", "url", "site", "title", "author", "published_date", "language", "text",
    "word_count", "content_hash", "duplicate_of", "ingested_at", "italic_spans",
]
REJECTED_COLUMNS = ["source_path", "stage", "reason", "rejected_at", "file_sha256"]
SOURCE_FILE_COLUMNS = ["relative_path", "source_path", "size", "mtime_ns", "file_sha256", "article_id", "status", "processed_at"]

INGEST_TABLES = ("articles", "rejected_documents", "internal.source_files", "internal.article_lsh_bands")


# A read-only connection must not be a way to write: DuckDB's read_only flag
# protects only the opened file, while ATTACH … (READ_WRITE), COPY … TO,
# EXPORT DATABASE, read_text() and INSTALL/LOAD reach any file the user can.
# With external access off nothing outside the opened file is touched, and the
# locked configuration stops a later SET from switching it back on.
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def connect(database_path: str | Path, read_only: bool = False, lock_timeout: float = 120.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to ``lock_timeout`` seconds while another run holds its lock.

    DuckDB lets one process write a file at a time (and no other process even
    read it meanwhile); runs queue behind each other here instead of failing,
    and readers use the published snapshot (see ``publish_snapshot``). A
    read-only connection is sealed (``READ_ONLY_CONFIG``): it can read the
    opened database and nothing else.
    """
    path = Path(database_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    deadline = started + lock_timeout
    delay, last_said = 0.2, started
    while True:
        try:
            con = duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG) if read_only else duckdb.connect(str(path))
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).casefold():
                raise
            holder = re.search(r"\(PID (\d+)\)", str(error))
            who = f"process {holder.group(1)}" if holder else "another process"
            if time.monotonic() > deadline:
                raise WarehouseLocked(
                    f"{path} is still being written by {who} after {lock_timeout:.0f} s of waiting; "
                    "let that run finish (or stop it) and try again") from None
            if time.monotonic() - last_said >= 5:
                # Say why nothing happens, every few seconds, rather than a silent wait.
                print(f"film-news: waiting for {who} to finish writing {path.name} "
                      f"({time.monotonic() - started:.0f} s of {lock_timeout:.0f} s)", file=sys.stderr, flush=True)
                last_said = time.monotonic()
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    if not read_only:
        _create_or_migrate(con, path)
    return con


# The layout of the tables. Raise it with every change to DDL, and make DDL bring an older
# database up to it in place (``alter table … add column if not exists``).
#   1: the first release   2: quotes.kind, quote_extraction_state.rules_version, warehouse_meta
#   3: the search schema (full-text index) and the search_quotes / search_articles macros
#   4: the stages' bookkeeping (INTERNAL_TABLES, warehouse_meta) moved to the schema internal
#   5: mentions.rule (the typing policy's rule that decided a mention's type)
SCHEMA_VERSION = 5


class WarehouseLocked(RuntimeError):
    """Another process held the warehouse's write lock for longer than we wait."""


class IncompatibleWarehouse(RuntimeError):
    """The database was written by a newer pipeline: its layout is not one this version knows."""


def _create_or_migrate(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Create the tables, or bring an older database to ``SCHEMA_VERSION``, in one transaction."""
    # Layouts before 4 kept their version in main.warehouse_meta.
    meta = "internal.warehouse_meta" if table_exists(con, "internal.warehouse_meta") else (
        "warehouse_meta" if table_exists(con, "warehouse_meta") else None)
    found = con.execute(f"select value from {meta} where key = 'schema_version'").fetchall() if meta else []
    version = int(found[0][0]) if found else None
    if version is not None and version > SCHEMA_VERSION:
        con.close()
        raise IncompatibleWarehouse(
            f"{path} has tables of layout {version}, written by a newer film-news pipeline than this one "
            f"(layout {SCHEMA_VERSION}); upgrade the pipeline, or point --db at another file")
    if version == SCHEMA_VERSION:
        return
    with transaction(con):
        con.execute(DDL)
        con.execute(INTERNAL_DDL)
        # Layouts before 4: the bookkeeping tables move from main to internal, rows and all.
        for table in (*INTERNAL_TABLES, "warehouse_meta"):
            if table_exists(con, table):
                if table == "quote_extraction_state":
                    con.execute("alter table quote_extraction_state add column if not exists rules_version varchar")
                con.execute(f"insert into internal.{table} by name select * from main.{table}")
                con.execute(f"drop table main.{table}")
        con.execute(SEARCH_DDL)
        con.execute(SEARCH_MACROS)
        con.execute("insert or replace into internal.warehouse_meta values ('schema_version', ?)", [str(SCHEMA_VERSION)])


def snapshot_path_for(database_path: str | Path) -> Path:
    """Where readers find the published copy: ``film_news.duckdb`` -> ``film_news.read.duckdb``."""
    path = Path(database_path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


def publish_snapshot(database_path: str | Path) -> Path:
    """Copy the warehouse to the read-only snapshot, atomically.

    The writer checkpoints (so the file holds every committed row and no WAL is
    needed), the file is copied beside the snapshot and renamed over it. A
    rename is atomic: a reader opening the snapshot gets the old file or the
    new one, never a half-written one, and a reader already connected keeps
    reading the old file until it reconnects.
    """
    source = Path(database_path)
    target = snapshot_path_for(source)
    con = connect(source)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con.execute("checkpoint")
        # Copied while the connection (and so the write lock) is held: no run can change the file meanwhile.
        # Staging files of earlier runs that died mid-copy are removed first: under that lock none is in use.
        for stale in target.parent.glob(f".{target.name}.*.tmp"):
            stale.unlink(missing_ok=True)
        shutil.copyfile(source, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    except OSError as error:
        staging.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            free = shutil.disk_usage(target.parent).free
            raise PublishFailed(
                f"publishing the read copy {target} needs {source.stat().st_size / 1e6:.1f} MB free in {target.parent} "
                f"and {free / 1e6:.1f} MB are; free some space and run again (the previous copy is intact, "
                "the warehouse is up to date)") from error
        raise PublishFailed(f"publishing the read copy {target} failed ({error}); the previous copy is intact, "
                            "and the next run tries again") from error
    finally:
        con.close()
    return target


class PublishFailed(RuntimeError):
    """The read copy could not be replaced; the warehouse itself is committed and intact."""


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered frame in a ``finally`` block without hiding why the block failed.

    After a failed statement DuckDB refuses everything in the aborted transaction,
    unregister included ("Current transaction is aborted"); raising that from the
    cleanup would replace the real error (a missing column, a constraint) with it.
    """
    try:
        con.unregister(name)
    except duckdb.Error:
        pass


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
    """Whether ``table`` (or ``schema.table``; the main schema otherwise) exists."""
    schema, _, name = table.rpartition(".")
    return bool(scalar(con, "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema or "main", name]))


def clear_ingest_state(con: duckdb.DuckDBPyConnection) -> None:
    """Full rebuild: forget everything ingested (inside the caller's transaction)."""
    for table in INGEST_TABLES:
        con.execute(f"delete from {table}")


def files_to_process(con: duckdb.DuckDBPyConnection, listing: pl.DataFrame) -> pl.DataFrame:
    """The listed files that are new or whose size or modification time changed.

    Returns the listing's columns plus ``known_sha256``, the hash recorded when
    the file was last processed, so a touched-but-identical file is not re-read,
    and ``known_status`` (landed, rejected, or null for a new file).
    """
    con.register("landing_listing", listing)
    try:
        return query_frame(
            con,
            """
            select l.*, s.file_sha256 as known_sha256, s.status as known_status
            from landing_listing l
            left join internal.source_files s using (relative_path)
            where s.relative_path is null or s.size <> l.size or s.mtime_ns <> l.mtime_ns
            order by l.relative_path
            """,
        )
    finally:
        _unregister(con, "landing_listing")


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
        _unregister(con, "probe_bands")
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
        _unregister(con, "incoming_articles")
        _unregister(con, "incoming_bands")


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
        _unregister(con, "incoming_rejections")


def upsert_source_files(con: duckdb.DuckDBPyConnection, records: pl.DataFrame) -> None:
    """Record what each processed file was; an unchanged file only gets its new stat."""
    if records.is_empty():
        return
    con.register("incoming_files", records.select(SOURCE_FILE_COLUMNS))
    try:
        con.execute(
            """
            update internal.source_files s set size = i.size, mtime_ns = i.mtime_ns, source_path = i.source_path
            from incoming_files i
            where i.status = 'unchanged' and s.relative_path = i.relative_path
            """
        )
        con.execute(
            "delete from internal.source_files where relative_path in "
            "(select relative_path from incoming_files where status <> 'unchanged')"
        )
        con.execute("insert into internal.source_files by name select * from incoming_files where status <> 'unchanged'")
    finally:
        _unregister(con, "incoming_files")


ENTITY_TABLES = ("mentions", "entities", "internal.entity_extraction_state")
MENTION_COLUMNS = ["article_id", "entity_id", "text", "start_char", "end_char", "entity_type", "entity_name", "method", "rule"]


def articles_needing_nlp(con: duckdb.DuckDBPyConnection, version: str, languages: list[str]) -> list[str]:
    """Articles (in a language the model reads) whose mentions or quotes are missing, were read
    from other content, or under another model or rules ``version``."""
    rows = con.execute(
        """
        select a.article_id from articles a
        left join internal.entity_extraction_state e using (article_id)
        left join internal.quote_extraction_state q using (article_id)
        where a.language in (select unnest(?::varchar[]))
          and (e.article_id is null or e.content_hash <> a.content_hash or e.model <> ?
               or q.article_id is null or q.content_hash <> a.content_hash or q.rules_version is distinct from ?)
        order by a.article_id
        """,
        [languages, version, version],
    ).fetchall()
    return [r[0] for r in rows]


def replace_mentions(con: duckdb.DuckDBPyConnection, article_ids: list[str], mentions: pl.DataFrame) -> list[str]:
    """Swap the batch's mentions for the new ones; return every entity_id whose totals may have changed."""
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    con.register("incoming_mentions", mentions.select(MENTION_COLUMNS))
    try:
        affected = {r[0] for r in con.execute(
            "select distinct entity_id from mentions where article_id in (select article_id from batch_articles)"
        ).fetchall()}
        affected |= set(mentions["entity_id"].to_list())
        con.execute("delete from mentions where article_id in (select article_id from batch_articles)")
        con.execute("insert into mentions by name select * from incoming_mentions")
    finally:
        _unregister(con, "batch_articles")
        _unregister(con, "incoming_mentions")
    return sorted(affected)


def refresh_entities(con: duckdb.DuckDBPyConnection, entity_ids: list[str]) -> None:
    """Recompute name, aliases and article_count of the given entities from their mentions.

    Only entities touched by the batch are recomputed, so the cost follows
    the new articles, not the size of the dataset. An entity left with no
    mention is removed.
    """
    if not entity_ids:
        return
    con.register("affected_entities", pl.DataFrame({"entity_id": entity_ids}, schema={"entity_id": pl.String}))
    try:
        con.execute("delete from entities where entity_id in (select entity_id from affected_entities)")
        con.execute(
            """
            insert into entities (entity_id, name, entity_type, aliases, article_count)
            with named as (
                -- the canonical name most articles used; ties go to the longer, then alphabetical, spelling
                select entity_id, entity_name, any_value(entity_type) as entity_type,
                       row_number() over (partition by entity_id
                                          order by count(distinct article_id) desc, length(entity_name) desc, entity_name) as rank
                from mentions
                where entity_id in (select entity_id from affected_entities)
                group by entity_id, entity_name
            ),
            totals as (
                select entity_id, count(distinct article_id)::integer as article_count,
                       list_sort(list_distinct(list(text) || list(entity_name))) as forms
                from mentions
                where entity_id in (select entity_id from affected_entities)
                group by entity_id
            )
            select n.entity_id, n.entity_name, n.entity_type,
                   list_filter(t.forms, lambda f: f <> n.entity_name), t.article_count
            from named n join totals t using (entity_id)
            where n.rank = 1
            """
        )
    finally:
        _unregister(con, "affected_entities")


def mark_entities_processed(con: duckdb.DuckDBPyConnection, article_ids: list[str], model: str, processed_at) -> None:
    con.register("processed_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    try:
        con.execute("delete from internal.entity_extraction_state where article_id in (select article_id from processed_articles)")
        con.execute(
            """
            insert into internal.entity_extraction_state
            select a.article_id, a.content_hash, ?, ? from articles a
            where a.article_id in (select article_id from processed_articles)
            """,
            [model, processed_at],
        )
    finally:
        _unregister(con, "processed_articles")


QUOTE_TABLES = ("quotes", "quote_titles", "internal.quote_extraction_state")


def replace_quotes(con: duckdb.DuckDBPyConnection, article_ids: list[str], quotes: pl.DataFrame, links: pl.DataFrame,
                   processed_at, rules_version: str) -> None:
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    con.register("incoming_quotes", quotes)
    con.register("incoming_links", links)
    try:
        for table in ("quote_titles", "quotes", "internal.quote_extraction_state"):
            con.execute(f"delete from {table} where article_id in (select article_id from batch_articles)")
        con.execute("insert into quotes by name select * from incoming_quotes")
        con.execute("insert into quote_titles by name select * from incoming_links")
        con.execute(
            "insert into internal.quote_extraction_state by name select article_id, content_hash, ? as processed_at, "
            "? as rules_version from articles where article_id in (select article_id from batch_articles)",
            [processed_at, rules_version],
        )
    finally:
        for name in ("batch_articles", "incoming_quotes", "incoming_links"):
            _unregister(con, name)


SEARCH_TABLES = ("search.postings", "search.documents", "search.stats", "search.index_state")


def articles_needing_search_index(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Articles whose text or quotes changed since they were indexed (or never were), and indexed
    articles that are gone."""
    rows = con.execute(
        """
        select a.article_id from articles a
        left join internal.quote_extraction_state q using (article_id)
        left join search.index_state s using (article_id)
        where s.article_id is null or s.content_hash <> a.content_hash
           or s.quotes_processed_at is distinct from q.processed_at
        union
        select s.article_id from search.index_state s anti join articles a using (article_id)
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def reindex_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str], indexed_at) -> int:
    """Replace the index entries of these articles (their text and their quotes); an article that
    no longer exists leaves the index. Returns the number of documents indexed."""
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    try:
        con.execute("delete from search.postings where doc_key in (select doc_key from search.documents "
                    "where article_id in (select article_id from batch_articles))")
        for table in ("search.documents", "search.index_state"):
            con.execute(f"delete from {table} where article_id in (select article_id from batch_articles)")
        con.execute(
            """
            create or replace temp table batch_documents as
            select nextval('search.document_keys') as doc_key, kind, doc_id, article_id, text from (
                select 'article' as kind, article_id as doc_id, article_id, text from articles
                where article_id in (select article_id from batch_articles)
                union all
                select 'quote', quote_id, article_id, text from quotes
                where article_id in (select article_id from batch_articles))
            """
        )
        con.execute(
            f"""
            create or replace temp table batch_words as
            select doc_key, unnest({terms_of('text')}) as term from batch_documents
            """
        )
        con.execute(
            """
            insert into search.documents
            select d.doc_key, d.kind, d.doc_id, d.article_id, count(w.term) filter (where length(w.term) > 1)
            from batch_documents d left join batch_words w using (doc_key)
            group by all
            """
        )
        con.execute(
            f"""
            insert into search.postings
            select term, doc_key, count(*) from batch_words where {kept_term('term')}
            group by all order by term
            """
        )
        con.execute(
            """
            insert into search.index_state
            select a.article_id, a.content_hash, q.processed_at, ?
            from articles a left join internal.quote_extraction_state q using (article_id)
            where a.article_id in (select article_id from batch_articles)
            """,
            [indexed_at],
        )
        indexed = scalar(con, "select count(*) from batch_documents")
        con.execute("drop table batch_words")
        con.execute("drop table batch_documents")
        return int(indexed)
    finally:
        _unregister(con, "batch_articles")


def refresh_search_stats(con: duckdb.DuckDBPyConnection) -> None:
    """Documents and mean length per kind, as BM25 reads them."""
    con.execute("delete from search.stats")
    con.execute("insert into search.stats select kind, count(*), coalesce(avg(length), 0) from search.documents group by kind")


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
        _unregister(con, "incoming_pages")


def feed_validators(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    return {url: (etag, modified) for url, etag, modified in con.execute(
        "select url, etag, last_modified from internal.feed_validators").fetchall()}


def record_feed_validators(con: duckdb.DuckDBPyConnection, validators: dict, fetched_at) -> None:
    for url, (etag, modified) in validators.items():
        con.execute("delete from internal.feed_validators where url = ?", [url])
        con.execute("insert into internal.feed_validators values (?, ?, ?, ?)", [url, etag, modified, fetched_at])


def fetched_urls_for(con: duckdb.DuckDBPyConnection, relative_paths: list[str]) -> dict[str, str]:
    """The URL each fetched page file was gathered from, for files in the landing folder."""
    rows = con.execute(
        "select relative_path, url from internal.fetched_pages where relative_path in (select unnest(?::varchar[]))",
        [relative_paths],
    ).fetchall()
    return dict(rows)


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
