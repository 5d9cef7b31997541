"""The ``articles`` and ``rejected_documents`` assets: landing-folder files to clean text in DuckDB."""


from functools import partial

import polars as pl
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, multi_asset

from ... import warehouse
from ...core import bounded_extraction
from ...core.articles import (
    REJECTION_FRAME_SCHEMA, article_bands, article_shingles, clean_source_files, cleaning_version, mark_duplicates,
)
from ...core.cleaning import ExtractionSettings
from ...core.dedupe import ShingleCache
from ...core.reading import SourceFile
from ...dictionary import landed_table_spec
from ..automation import FOLLOWS_UPSTREAM
from ..config import StageConfig
from ...resources import DuckDBWarehouse, LandingFolder, NlpSettings
from ...schemas import ArticlesSchema, RejectedDocumentsSchema, split_valid_rows
from . import store

INGEST_GROUP = "ingest"



@multi_asset(
    name="ingest_articles",
    specs=[
        # Gathered pages land in the same folder; the edges show where articles come from.
        landed_table_spec(
            "articles", ArticlesSchema, group=INGEST_GROUP, kinds={"duckdb", "polars", "python"},
            deps=["fetched_pages", "archive_pages"],
            how="Cleaned body text and metadata (trafilatura for HTML, the 'date YYYY-MM-DD' header for text), "
                "language, word count, content hash and duplicate_of for syndicated copies. Only new or changed "
                "files are processed, and every file again when the cleaning changes (its version is recorded per "
                "file); run with full_refresh for a rebuild.",
            automation_condition=FOLLOWS_UPSTREAM,
        ),
        landed_table_spec("rejected_documents", RejectedDocumentsSchema, group=INGEST_GROUP, kinds={"duckdb", "polars"},
                          automation_condition=FOLLOWS_UPSTREAM),
    ],
)
def ingest_articles(
    context: AssetExecutionContext, config: StageConfig, warehouse_db: DuckDBWarehouse, landing_folder: LandingFolder,
    nlp: NlpSettings,
):
    settings = ExtractionSettings()
    version = cleaning_version(settings)
    files = landing_folder.list_files()
    listing = landing_folder.listing_frame(files)
    sources = {f.relative_path: f for f in files}
    ingested_at = warehouse.utc_now()
    totals = {"files_in_landing_folder": listing.height, "files_processed": 0, "articles_landed": 0,
              "documents_rejected": 0, "duplicates_found": 0, "unchanged_files": 0, "emptied_since_landed": 0,
              "recleaned_for_new_cleaning": 0}
    with warehouse_db.connect() as con, warehouse.transaction(con):
        if config.full_refresh:
            context.log.info("full refresh: clearing ingested articles, rejections and file records")
            store.clear_ingest_state(con)
        todo = store.files_to_process(con, listing, version)
        landed_shingles = ShingleCache()  # one per run, bounded
        totals["recleaned_for_new_cleaning"] = int(todo["cleaning_changed"].sum())
        context.log.info(f"{todo.height} of {listing.height} files are new or changed "
                         f"({totals['recleaned_for_new_cleaning']} read again because the cleaning changed)")
        # The NLP pass's workers get ready while these files are read (each is an article to read, at most).
        nlp.prepare_workers(todo.height)
        try:
            for offset in range(0, todo.height, max(1, config.batch_size)):
                chunk = todo.slice(offset, config.batch_size)
                batch = [(sources[path], known) for path, known in chunk.select("relative_path", "known_sha256").iter_rows()]
                landed_before = set(chunk.filter(pl.col("known_status") == "landed")["relative_path"].to_list())
                paths = [source.relative_path for source, _ in batch]
                urls, outlets = store.fetched_urls_for(con, paths), store.fetched_outlets_for(con, paths)
                _ingest_batch(con, batch, ingested_at, settings, version, totals, urls, landed_before, landed_shingles, outlets)
                context.log.info(f"batch of {len(batch)} files written (up to {offset + len(batch)} of {todo.height})")
        finally:
            # The extraction worker holds the language model and trafilatura (~170 MB): freed before the NLP stage.
            bounded_extraction.stop_worker()
        article_rows = warehouse.scalar(con, "select count(*) from articles")
        rejected_rows = warehouse.scalar(con, "select count(*) from rejected_documents")
        articles_preview = warehouse.newest_rows_markdown(
            con, "articles", ["article_id", "published_date", "site", "title", "word_count", "language", "duplicate_of"],
            "ingested_at desc, published_date",
        )
        rejected_preview = warehouse.newest_rows_markdown(
            con, "rejected_documents", ["source_path", "stage", "reason"], "rejected_at desc, source_path"
        )
    yield MaterializeResult(
        asset_key="articles",
        metadata={
            **{key: MetadataValue.int(value) for key, value in totals.items() if isinstance(value, int)},
            # Reported once, on the run that sees the file emptied; the article stays landed.
            "emptied_files": MetadataValue.md("\n".join(f"- {path}" for path in totals.get("emptied_paths", [])) or "none"),
            "dagster/row_count": MetadataValue.int(article_rows),
            "newest_rows": MetadataValue.md(articles_preview),
        },
    )
    yield MaterializeResult(
        asset_key="rejected_documents",
        metadata={
            "rejected_this_run": MetadataValue.int(totals["documents_rejected"]),
            "dagster/row_count": MetadataValue.int(rejected_rows),
            "newest_rows": MetadataValue.md(rejected_preview),
        },
    )


def _ingest_batch(con, batch: list[tuple[SourceFile, str | None]], ingested_at, settings: ExtractionSettings, version: str,
                  totals: dict,
                  source_urls: dict[str, str], landed_before: set[str] = frozenset(),
                  landed_shingles: ShingleCache | None = None, source_outlets: dict[str, str] | None = None) -> None:
    cleaned = clean_source_files(batch, ingested_at, settings, source_urls, landed_before, source_outlets)
    totals["emptied_since_landed"] += len(cleaned.emptied)
    totals.setdefault("emptied_paths", []).extend(cleaned.emptied)
    valid, failures = split_valid_rows(ArticlesSchema, cleaned.articles)
    rejections = cleaned.rejections
    source_files = cleaned.source_files
    if failures:
        failed = cleaned.articles[sorted(failures)].with_row_index("position")
        invalid = pl.DataFrame(
            [
                {
                    "source_path": row["source_path"],
                    "stage": "validate",
                    "reason": f"the cleaned article broke the articles schema: {failures[sorted(failures)[row['position']]]}; "
                              "report this file to the pipeline maintainers",
                    "rejected_at": ingested_at,
                    "file_sha256": None,
                }
                for row in failed.iter_rows(named=True)
            ],
            schema=REJECTION_FRAME_SCHEMA,
        )
        rejections = pl.concat([rejections, invalid])
        invalid_paths = invalid["source_path"].to_list()
        source_files = source_files.with_columns(
            pl.when(pl.col("source_path").is_in(invalid_paths)).then(pl.lit("rejected")).otherwise(pl.col("status")).alias("status"),
            pl.when(pl.col("source_path").is_in(invalid_paths)).then(None).otherwise(pl.col("article_id")).alias("article_id"),
        )
    body_shingles = article_shingles(valid)
    bands = article_bands(valid, body_shingles)
    marked, dedupe = mark_duplicates(valid, bands, partial(store.landed_candidates, con), landed_shingles, body_shingles)
    ArticlesSchema.validate(marked)
    RejectedDocumentsSchema.validate(rejections)
    store.upsert_articles(con, marked, bands)
    store.repoint_duplicates(con, dedupe.repointed_roots)
    store.upsert_rejections(con, rejections)
    store.upsert_source_files(con, source_files, version)
    totals["files_processed"] += len(batch)
    totals["articles_landed"] += marked.height
    totals["documents_rejected"] += rejections.height
    totals["duplicates_found"] += marked["duplicate_of"].is_not_null().sum()
    totals["unchanged_files"] += (source_files["status"] == "unchanged").sum()
