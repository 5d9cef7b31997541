"""The full-text index: article text and quotes, searchable from SQL (``search_quotes``,
``search_articles``) and from ``film-news search`` (both in ``core/search.py``)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ... import warehouse
from ...core.search import update_index
from ...dictionary import OWNERS
from ...resources import DuckDBWarehouse
from ..automation import FOLLOWS_UPSTREAM
from ..config import StageConfig


@asset(
    name="search_index",
    deps=["articles", "quotes"],
    group_name="search",
    kinds={"duckdb"},
    owners=OWNERS,
    tags={"layer": "internal"},
    automation_condition=FOLLOWS_UPSTREAM,
    description=(
        "An inverted index of every article's text and every quote (schema `search`), ranked by BM25 "
        "through the table macros `search_quotes(query)` and `search_articles(query)`. Only articles "
        "whose text or quotes changed since they were indexed are indexed again, in one transaction "
        "with their removal from the old index."
    ),
)
def search_index(context: AssetExecutionContext, config: StageConfig, warehouse_db: DuckDBWarehouse) -> MaterializeResult:
    with warehouse_db.connect() as con, warehouse.transaction(con):
        update = update_index(con, warehouse.utc_now(), config.batch_size, config.full_refresh, log=context.log.info)
        stats = warehouse.query_frame(con, "select kind, documents, round(avg_length, 1) as avg_length from search.stats order by kind")
        postings = warehouse.scalar(con, "select count(*) from search.postings")
    return MaterializeResult(metadata={
        "articles_indexed": MetadataValue.int(update.articles_indexed),
        "documents_indexed": MetadataValue.int(update.documents_indexed),
        "postings": MetadataValue.int(int(postings)),
        "documents": MetadataValue.md(warehouse.frame_to_markdown(stats)),
    })
