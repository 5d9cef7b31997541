"""The read snapshot: what analysts, the UI's readers and `film-news sql` open while runs write."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from .. import warehouse
from ..resources import DuckDBWarehouse


def build_snapshot_asset(upstream: list[str]):
    @asset(
        name="read_snapshot",
        deps=upstream,
        group_name="publish",
        kinds={"duckdb"},
        description=(
            "A read-only copy of the warehouse, replaced atomically at the end of each run "
            "(film_news.read.duckdb next to the database). DuckDB lets no other process open a file "
            "while a run writes it; readers open this copy instead, so a SQL session, the UI and a "
            "running nightly job never block each other, and every read sees one complete run."
        ),
    )
    def read_snapshot(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse) -> MaterializeResult:
        target = warehouse.publish_snapshot(warehouse_db.database_path)
        context.log.info(f"published {target}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(target)),
            "bytes": MetadataValue.int(target.stat().st_size),
        })

    return read_snapshot
