"""The read snapshot: what analysts, the UI's readers and `film-news sql` open while runs write."""

import datetime as dt

from dagster import AssetExecutionContext, FreshnessPolicy, MaterializeResult, MetadataValue, asset

from ...dictionary import OWNERS
from ...resources import DuckDBWarehouse
from ..analytics import search, sql_models
from ..automation import FOLLOWS_UPSTREAM
from ..ingest import assets as ingest
from ..nlp import assets as nlp
from . import store

# Every table and model: the copy is published last, so it copies a finished run. (A tuple: the
# defs-folder loader collects module-level lists of assets, and these are defined in their own modules.)
PUBLISHED_ASSETS = (ingest.ingest_articles, nlp.extract_mentions_and_quotes, search.search_index, sql_models.MODELS_ASSET)

# Readers expect last night's news by the start of the European morning: the copy is stale when it
# was not published in the 24 hours before 06:00 UTC (the nightly chain starts at 02:00).
PUBLISHED_BY_MORNING = FreshnessPolicy.cron(deadline_cron="0 6 * * *", lower_bound_delta=dt.timedelta(hours=24))


def build_snapshot_asset(upstream: list[str]):
    @asset(
        name="read_snapshot",
        deps=upstream,
        group_name="publish",
        kinds={"duckdb"},
        owners=OWNERS,
        tags={"layer": "publish"},
        automation_condition=FOLLOWS_UPSTREAM,
        freshness_policy=PUBLISHED_BY_MORNING,
        description=(
            "A read-only copy of the warehouse, replaced atomically at the end of each run "
            "(film_news.read.duckdb next to the database). DuckDB lets no other process open a file "
            "while a run writes it; readers open this copy instead, so a SQL session, the UI and a "
            "running nightly job never block each other, and every read sees one complete run."
        ),
    )
    def read_snapshot(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse) -> MaterializeResult:
        target = store.publish_snapshot(warehouse_db.database_path)
        context.log.info(f"published {target}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(target)),
            "bytes": MetadataValue.int(target.stat().st_size),
        })

    return read_snapshot


read_snapshot = build_snapshot_asset([key.to_user_string() for a in PUBLISHED_ASSETS for key in a.keys])
