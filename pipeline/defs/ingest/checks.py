"""The checks of what ingest lands, in one step on one connection: each article and rejection
matches its schema, no orphan rows, and every file seen is landed or rejected with a reason.

All of them block: a failed one stops everything downstream, the published read copy included,
so readers never see a run whose tables broke their schema. They read DuckDB after a
materialization, so run from the UI they also catch damage done outside the pipeline.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, multi_asset_check

from ...resources import DuckDBWarehouse
from ...schemas import ArticlesSchema, RejectedDocumentsSchema
from ...warehouse import frame_to_markdown, query_frame
from ..checks import problem_rows_result, table_matches_schema

ORPHAN_ARTICLES_SQL = """
            select a.article_id, a.duplicate_of, 'duplicate_of names a missing article or a copy' as problem
            from articles a left join articles o on o.article_id = a.duplicate_of
            where a.duplicate_of is not null and (o.article_id is null or o.duplicate_of is not null)
            union all
            select s.article_id, null, 'landed file record without its article: ' || s.relative_path
            from internal.source_files s left join articles a using (article_id)
            where s.status = 'landed' and a.article_id is null
            """

FILE_ACCOUNTING_SQL = """
    select
        count(*) as files_seen,
        count(*) filter (where status = 'landed') as files_landed,
        count(*) filter (where status = 'rejected') as files_rejected,
        count(*) filter (where status = 'rejected' and r.source_path is null) as rejected_without_reason,
        (select count(*) from articles) as article_rows,
        (select count(*) from rejected_documents) as rejected_rows
    from internal.source_files s left join rejected_documents r using (source_path)
"""

# A file and its rejection share source_path, the page's URL or the path inside the landing folder
# (never the folder's own location: a copied or moved folder holds the same documents).
UNACCOUNTED_FILES_SQL = """
    select s.relative_path, s.status, 'no row in rejected_documents for ' || s.source_path as problem
    from internal.source_files s left join rejected_documents r using (source_path)
    where s.status not in ('landed', 'rejected') or (s.status = 'rejected' and r.source_path is null)
    order by s.relative_path
    limit 10
"""


@multi_asset_check(
    name="ingest_checks",
    specs=[
        AssetCheckSpec("articles_match_schema", asset="articles", blocking=True,
                       description="Every row of articles passes the ArticlesSchema (Pandera)."),
        AssetCheckSpec("articles_have_no_orphans", asset="articles", blocking=True,
                       description="No orphan rows: duplicate_of names an existing article that is itself the original, and every landed file record points at an existing article."),
        AssetCheckSpec("rejected_documents_match_schema", asset="rejected_documents", blocking=True,
                       description="Every row of rejected_documents passes the RejectedDocumentsSchema (Pandera)."),
        AssetCheckSpec("every_file_accounted_for", asset="rejected_documents", blocking=True,
                       description="Row counts add up: every file seen in the landing folder is either landed in articles or has a row in rejected_documents, so nothing was dropped silently."),
    ],
)
def ingest_checks(warehouse_db: DuckDBWarehouse):
    with warehouse_db.connect() as con:
        yield table_matches_schema(con, "articles", ArticlesSchema, "articles_match_schema")
        yield problem_rows_result(con, ORPHAN_ARTICLES_SQL, check_name="articles_have_no_orphans", asset="articles")
        yield table_matches_schema(con, "rejected_documents", RejectedDocumentsSchema, "rejected_documents_match_schema")
        counts = query_frame(con, FILE_ACCOUNTING_SQL).row(0, named=True)
        unaccounted = counts["files_seen"] - counts["files_landed"] - counts["files_rejected"]
        failed = unaccounted != 0 or counts["rejected_without_reason"] != 0
        sample = frame_to_markdown(query_frame(con, UNACCOUNTED_FILES_SQL)) if failed else "_no rows_"
    yield AssetCheckResult(
        asset_key="rejected_documents",
        check_name="every_file_accounted_for",
        passed=not failed,
        severity=AssetCheckSeverity.ERROR,
        metadata={**{key: MetadataValue.int(int(value)) for key, value in counts.items()},
                  "files_unaccounted": MetadataValue.int(int(unaccounted)),
                  "sample": MetadataValue.md(sample)},
    )
