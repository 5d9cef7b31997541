"""The DuckDB side every stage shares: the connection, transactions, the tables' layout and its
migrations, damage handling, and small query helpers.

A materialization opens one transaction (``transaction``), replaces rows keyed by ``article_id``
(or the file's path for ingest bookkeeping), and commits once, so a re-run leaves the same rows and
a crash or kill leaves the previous state. Each stage's own reads and writes live beside its assets,
in ``defs/<domain>/store.py`` (gather, ingest, nlp, publish); the search index's in ``core/search.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
from filelock import FileLock
from filelock import Timeout as FileLockTimeout

from .core.previews import shorten
from .core.search import SEARCH_DDL, SEARCH_MACROS
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
-- processed, so a nightly run only reads new or changed files. A file is its
-- path inside the folder; source_path is what the dataset's rows call it (that
-- path, or the URL of a gathered page), never where the folder is.
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
-- The cleaning that read each file (core.articles.cleaning_version): a changed cleaning reads it again.
alter table internal.source_files add column if not exists cleaning_version varchar;
create table if not exists internal.warehouse_meta (key varchar primary key, value varchar not null);
"""



# A read-only connection must not be a way to write: DuckDB's read_only flag
# protects only the opened file, while ATTACH … (READ_WRITE), COPY … TO,
# EXPORT DATABASE, read_text() and INSTALL/LOAD reach any file the user can.
# With external access off nothing outside the opened file is touched, and the
# locked configuration stops a later SET from switching it back on. External
# access off still lets a statement write into DuckDB's temp directory, which is
# NAME.tmp beside the database by default: COPY … TO and EXPORT DATABASE could fill
# the warehouse's disk through it. With no temp directory there is nowhere to write
# (a query bigger than memory fails instead of spilling; readers' queries are small).
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "temp_directory": "",
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
    with reporting_damage(path):
        return _connect(path, read_only, lock_timeout)


def _connect(path: Path, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
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


class WarehouseBusy(RuntimeError):
    """Another run held the warehouse for longer than this one would wait for it."""


def run_lock_path(database_path: str | Path) -> Path:
    path = Path(database_path)
    return path.with_name(path.name + ".run-lock")


@contextlib.contextmanager
def holding_the_run_lock(database_path: str | Path, wait_seconds: float, who: str) -> Iterator[None]:
    """Hold the warehouse for a whole run: a second run of the same database waits here for the first to
    end (saying whose run it waits for), rather than interleaving its steps with it.

    DuckDB's own lock is taken step by step (``connect``), so two runs would otherwise take turns
    between steps, each doing the other's work, and one would fail after a step's wait. The lock is
    the operating system's (``filelock``): a run that dies, even killed, releases it. ``who`` says
    what holds it (command, process, start time), read by the runs that wait. Taken again by the
    process that holds it, it is held once more (the command line around a run, the run's resource).
    """
    lock_path = run_lock_path(database_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    holder_note = lock_path.with_name(lock_path.name + ".holder")
    # One lock object a path in this process, counting its holds: the command line holds the file
    # around the run, and the run's resource takes it again inside.
    lock = FileLock(lock_path, is_singleton=True)
    outermost = not lock.is_locked
    started = time.monotonic()
    last_said = None
    while True:
        try:
            lock.acquire(timeout=min(5.0, max(wait_seconds, 0.0)))
            break
        except FileLockTimeout:
            waited = time.monotonic() - started
            holder = _read_holder(holder_note)
            if waited >= wait_seconds:
                raise WarehouseBusy(
                    f"{Path(database_path).name} is held by another run ({holder}); waited {waited:.0f} s of "
                    f"{wait_seconds:.0f} s. This run changed nothing: run again when that one has ended "
                    "(or wait longer with --wait SECONDS).") from None
            if last_said is None or time.monotonic() - last_said >= 60:
                # Say why nothing happens: at once, then every minute.
                print(f"film-news: waiting for another run of {Path(database_path).name} to end ({holder}); "
                      f"{waited:.0f} s of {wait_seconds:.0f} s", file=sys.stderr, flush=True)
                last_said = time.monotonic()
    try:
        if outermost:
            holder_note.write_text(who)
        yield
    finally:
        if outermost:
            holder_note.unlink(missing_ok=True)
        lock.release()


def _read_holder(holder_note: Path) -> str:
    try:
        return holder_note.read_text().strip() or "a run that did not say what it is"
    except OSError:
        return "a run that did not say what it is"


# The layout of the tables. Raise it with every change to DDL, and make DDL bring an older
# database up to it in place (``alter table … add column if not exists``).
#   1: the first release   2: quotes.kind, quote_extraction_state.rules_version, warehouse_meta
#   3: the search schema (full-text index) and the search_quotes / search_articles macros
#   4: the stages' bookkeeping (INTERNAL_TABLES, warehouse_meta) moved to the schema internal
#   5: source_path (articles, rejected_documents, internal.source_files) is the page's URL or the
#      file's path inside the landing folder, no longer the absolute path (``_migrate_source_paths``)
#   6: mentions.rule (the typing policy's rule that decided a mention's type)
#   7: events (industry events: box office, release dates, casting, hiring, production, deals, awards)
#   8: internal.source_files.cleaning_version (a changed cleaning re-cleans landed files by itself)
SCHEMA_VERSION = 8


class WarehouseLocked(RuntimeError):
    """Another process held the warehouse's write lock for longer than we wait."""


class IncompatibleWarehouse(RuntimeError):
    """The database was written by a newer pipeline: its layout is not one this version knows."""


class WarehouseDamaged(duckdb.Error):
    """The database file is not a whole DuckDB database: truncated, partly overwritten, a failing disk.

    A ``duckdb.Error``, DuckDB's own report reworded: code that handles DuckDB's errors handles it.
    """


# What DuckDB says when a file is not, or no longer, a whole database: a block whose checksum does
# not match, a file shorter than its own block list says, a header that is not DuckDB's.
_DAMAGE_SIGNS = ("corrupt database file", "could not read enough bytes from file", "not a valid duckdb database file")


def damage_reported_by(error: BaseException | None) -> BaseException | None:
    """DuckDB's report of a damaged file in ``error`` or what it was raised while handling (a rollback
    after a bad block fails in its turn), or None."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, duckdb.Error) and any(sign in str(error).casefold() for sign in _DAMAGE_SIGNS):
            return error
        error = error.__cause__ or error.__context__
    return None


@contextlib.contextmanager
def reporting_damage(database_path: str | Path) -> Iterator[None]:
    """Turn DuckDB's report of a damaged file, raised while the block runs, into ``WarehouseDamaged``
    saying what happened and how to recover; any other error passes through unchanged."""
    try:
        yield
    except duckdb.Error as error:
        damage = damage_reported_by(error)
        if damage is None or isinstance(error, WarehouseDamaged):
            raise
        raise WarehouseDamaged(damage_message(Path(database_path), damage)) from None


def damage_message(path: Path, error: BaseException) -> str:
    said = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if path.stem.endswith(".read"):
        return (f"the read copy {path} is damaged: DuckDB cannot read it as a whole database ({said}). "
                "The next `film-news run` publishes it again from the warehouse.")
    snapshot = snapshot_path_for(path)
    message = (f"the warehouse {path} is damaged: DuckDB cannot read it as a whole database ({said}). "
               "A truncated or partly overwritten file (a copy cut short, a full or failing disk) cannot be "
               "changed safely, so the run stopped there")
    rebuild = f"  mv {path} {path}.damaged\n  film-news run --full-refresh   (with the same --input and --db)"
    if not snapshot.exists():
        return message + f".\nTo recover, set the damaged file aside and rebuild every table from the landing folder:\n{rebuild}"
    return message + (
        f", and the read copy {snapshot}, the state of the last good run, is untouched.\n"
        "To recover, restore the read copy and run again (files landed since it was published are read again):\n"
        f"  cp {snapshot} {path}\n  film-news run\n"
        "or set the damaged file aside and rebuild every table from the landing folder (which URL each "
        f"gathered page came from is not in the files, and is lost that way):\n{rebuild}")


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
        if version is not None and version < 5:
            _migrate_source_paths(con)
        con.execute("insert or replace into internal.warehouse_meta values ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _migrate_source_paths(con: duckdb.DuckDBPyConnection) -> None:
    """Layouts before 5 named each document by its absolute path: rewrite every ``source_path`` to the
    page's URL or the file's path inside the landing folder (``core.articles.document_source_path``).

    A rejection is matched to its file by the absolute path recorded with the file; one recorded
    under an earlier location of the folder (copied or moved before this migration, the case that
    failed ``every_file_accounted_for``) is matched by the longest landing-folder path it ends with,
    and of two rejections of one file the newer is kept.
    """
    con.execute(
        """
        create or replace temp table migrated_paths as
        select s.relative_path, s.source_path as old_path, coalesce(f.url, s.relative_path) as new_path
        from internal.source_files s
        left join (select relative_path, any_value(url) as url from internal.fetched_pages
                   where relative_path is not null group by all) f using (relative_path)
        """
    )
    con.execute(
        """
        create or replace temp table migrated_rejections as
        with exact as (
            select r.source_path as old_path, any_value(m.new_path) as new_path
            from rejected_documents r join migrated_paths m on m.old_path = r.source_path
            group by all
        ),
        moved as (
            select r.source_path as old_path, arg_max(m.new_path, length(m.relative_path)) as new_path
            from rejected_documents r join migrated_paths m on ends_with(r.source_path, '/' || m.relative_path)
            where r.source_path not in (select old_path from exact)
            group by all
        ),
        renamed as (
            select r.* replace (coalesce(e.new_path, m.new_path, r.source_path) as source_path)
            from rejected_documents r
            left join exact e on e.old_path = r.source_path
            left join moved m on m.old_path = r.source_path
        )
        select * from renamed
        qualify row_number() over (partition by source_path order by rejected_at desc) = 1
        """
    )
    con.execute("delete from rejected_documents")
    con.execute("insert into rejected_documents by name select * from migrated_rejections")
    con.execute(
        """
        update articles a set source_path = m.new_path
        from (select s.article_id, any_value(m.new_path) as new_path
              from internal.source_files s join migrated_paths m using (relative_path)
              where s.status = 'landed' and s.article_id is not null group by all) m
        where a.article_id = m.article_id
        """
    )
    con.execute(
        "update internal.source_files s set source_path = m.new_path from migrated_paths m "
        "where s.relative_path = m.relative_path"
    )
    con.execute("drop table migrated_rejections")
    con.execute("drop table migrated_paths")


def snapshot_path_for(database_path: str | Path) -> Path:
    """Where readers find the published copy: ``film_news.duckdb`` -> ``film_news.read.duckdb``."""
    path = Path(database_path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


def read_copy_named_by(path: str | Path) -> Path:
    """The read copy a reader means by ``path``: the warehouse's ``NAME.read.duckdb``, or ``path`` itself
    when it is a read copy (the file the README tells analysts to query)."""
    path = Path(path)
    snapshot = snapshot_path_for(path)
    if not snapshot.exists() and path.stem.endswith(".read") and path.exists():
        return path
    return snapshot



def unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
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


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> pl.DataFrame:
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


def newest_rows_markdown(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], order_by: str, limit: int = 5) -> str:
    frame = query_frame(con, f"select {', '.join(columns)} from {table} order by {order_by} desc limit {int(limit)}")
    return frame_to_markdown(frame)


def frame_to_markdown(frame: pl.DataFrame, max_width: int = 60) -> str:
    if frame.is_empty():
        return "_no rows_"

    def cell(value) -> str:
        return shorten("" if value is None else str(value), max_width).replace("|", "\\|")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.iter_rows():
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def utc_now() -> dt.datetime:
    # Naive UTC: DuckDB TIMESTAMP has no zone, and one clock for every row avoids mixed offsets.
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
