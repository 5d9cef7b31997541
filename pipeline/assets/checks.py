"""Asset checks on the landed tables: schema, row accounting and no orphan rows.

All of them block: a failed one stops everything downstream, the published read
copy included, so readers never see a run whose tables broke their schema.

They read DuckDB after a materialization, so they also catch damage done
outside the pipeline (a hand-edited table) when run from the UI.
"""


import pandera.polars as pa
import polars as pl
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from ..schemas import ArticlesSchema, EntitiesSchema, RejectedDocumentsSchema
from ..resources import DuckDBWarehouse
from ..warehouse import frame_to_markdown, query_frame

# Rows validated per chunk: the check streams the table, it never loads it whole.
CHECK_CHUNK_ROWS = 5000


def _validate_table(warehouse_db: DuckDBWarehouse, table: str, schema: type[pa.DataFrameModel]) -> AssetCheckResult:
    failures: list[pl.DataFrame] = []
    rows = 0
    with warehouse_db.connect() as con:
        reader = con.sql(f"select * from {table}").to_arrow_reader(CHECK_CHUNK_ROWS)
        for record_batch in reader:
            chunk = pl.from_arrow(record_batch)
            if isinstance(chunk, pl.Series):
                chunk = chunk.to_frame()
            rows += chunk.height
            try:
                schema.validate(chunk, lazy=True)
            except pa.errors.SchemaErrors as errors:
                failures.append(errors.failure_cases.select("column", "check", pl.col("failure_case").cast(pl.String)))
    failed = pl.concat(failures) if failures else pl.DataFrame()
    return AssetCheckResult(
        passed=failed.is_empty(),
        metadata={
            "rows_checked": MetadataValue.int(rows),
            "failures": MetadataValue.int(failed.height),
            "failure_sample": MetadataValue.md(frame_to_markdown(failed.head(10))),
        },
    )


def rows_must_be_absent(warehouse_db: DuckDBWarehouse, problems_sql: str) -> AssetCheckResult:
    """Pass when ``problems_sql`` returns no row; report the count and a sample otherwise."""
    with warehouse_db.connect() as con:
        return problem_rows_result(con, problems_sql)


def problem_rows_result(con, problems_sql: str, check_name: str | None = None) -> AssetCheckResult:
    """``rows_must_be_absent`` on an open connection (a SQL model's tests run in its own step)."""
    count = query_frame(con, f"select count(*) as n from ({problems_sql})")["n"][0]
    sample = query_frame(con, f"select * from ({problems_sql}) limit 10")
    return AssetCheckResult(
        check_name=check_name,
        passed=int(count) == 0,
        metadata={"problem_rows": MetadataValue.int(int(count)), "sample": MetadataValue.md(frame_to_markdown(sample)),
                  "query": MetadataValue.md(f"```sql\n{problems_sql.strip()}\n```")},
    )


@asset_check(blocking=True, asset="articles", description="Every row of articles passes the ArticlesSchema (Pandera).")
def articles_match_schema(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return _validate_table(warehouse_db, "articles", ArticlesSchema)


@asset_check(blocking=True, asset="rejected_documents", description="Every row of rejected_documents passes the RejectedDocumentsSchema (Pandera).")
def rejected_documents_match_schema(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return _validate_table(warehouse_db, "rejected_documents", RejectedDocumentsSchema)


@asset_check(
    blocking=True,
    asset="articles",
    description="No orphan rows: duplicate_of names an existing article that is itself the original, "
    "and every landed file record points at an existing article.",
)
def articles_have_no_orphans(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return rows_must_be_absent(
        warehouse_db,
        """
            select a.article_id, a.duplicate_of, 'duplicate_of names a missing article or a copy' as problem
            from articles a left join articles o on o.article_id = a.duplicate_of
            where a.duplicate_of is not null and (o.article_id is null or o.duplicate_of is not null)
            union all
            select s.article_id, null, 'landed file record without its article: ' || s.relative_path
            from internal.source_files s left join articles a using (article_id)
            where s.status = 'landed' and a.article_id is null
            """,
    )


@asset_check(
    blocking=True,
    asset="rejected_documents",
    description="Row counts add up: every file seen in the landing folder is either landed in articles or "
    "has a row in rejected_documents, so nothing was dropped silently.",
)
def every_file_accounted_for(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    with warehouse_db.connect() as con:
        counts = query_frame(
            con,
            """
            select
                count(*) as files_seen,
                count(*) filter (where status = 'landed') as files_landed,
                count(*) filter (where status = 'rejected') as files_rejected,
                count(*) filter (where status = 'rejected' and r.source_path is null) as rejected_without_reason,
                (select count(*) from articles) as article_rows,
                (select count(*) from rejected_documents) as rejected_rows
            from internal.source_files s left join rejected_documents r using (source_path)
            """,
        ).row(0, named=True)
    unaccounted = counts["files_seen"] - counts["files_landed"] - counts["files_rejected"]
    passed = unaccounted == 0 and counts["rejected_without_reason"] == 0
    return AssetCheckResult(
        passed=passed,
        severity=AssetCheckSeverity.ERROR,
        metadata={**{key: MetadataValue.int(int(value)) for key, value in counts.items()},
                  "files_unaccounted": MetadataValue.int(int(unaccounted))},
    )


INGEST_CHECKS = [articles_match_schema, rejected_documents_match_schema, articles_have_no_orphans, every_file_accounted_for]


@asset_check(blocking=True, asset="mentions", description="Every mention's offsets slice articles.text to exactly its text.")
def mention_offsets_slice_to_text(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return rows_must_be_absent(
        warehouse_db,
        """
            select m.article_id, m.text, m.start_char, m.end_char,
                   substring(a.text, m.start_char + 1, m.end_char - m.start_char) as in_article
            from mentions m left join articles a using (article_id)
            where a.article_id is null
               or substring(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.text
            """,
    )


@asset_check(blocking=True, asset="entities", description="Every mention's entity exists in entities, and every entity has a mention.")
def mentions_reference_entities(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return rows_must_be_absent(
        warehouse_db,
        """
            select 'mention without entity' as problem, m.entity_id, m.text as detail
            from mentions m left join entities e using (entity_id) where e.entity_id is null
            union all
            select 'entity without mention', e.entity_id, e.name
            from entities e left join mentions m using (entity_id) where m.entity_id is null
            """,
    )


@asset_check(blocking=True, asset="entities", description="Every row of entities passes the EntitiesSchema (Pandera).")
def entities_match_schema(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return _validate_table(warehouse_db, "entities", EntitiesSchema)


ENTITY_CHECKS = [mention_offsets_slice_to_text, mentions_reference_entities, entities_match_schema]


@asset_check(blocking=True, asset="quotes", description="Every quote's offsets slice articles.text to its text, and a nested quote lies inside its parent.")
def quote_offsets_and_nesting(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return rows_must_be_absent(
        warehouse_db,
        """
            select q.quote_id, 'offsets do not slice the article to the quote' as problem
            from quotes q left join articles a using (article_id)
            where a.article_id is null or substring(a.text, q.start_char + 1, q.end_char - q.start_char) <> q.text
            union all
            select q.quote_id, 'nested quote outside its parent (or parent missing)'
            from quotes q left join quotes p on p.quote_id = q.parent_quote_id
            where q.parent_quote_id is not null
              and (p.quote_id is null or q.start_char < p.start_char or q.end_char > p.end_char or p.article_id <> q.article_id)
            """,
    )


@asset_check(blocking=True, asset="quotes", description="Every speaker_entity_id and quote_titles row points at an existing entity and quote.")
def quote_references_exist(warehouse_db: DuckDBWarehouse) -> AssetCheckResult:
    return rows_must_be_absent(
        warehouse_db,
        """
            select q.quote_id, 'speaker entity missing' as problem from quotes q
            left join entities e on e.entity_id = q.speaker_entity_id
            where q.speaker_entity_id is not null and e.entity_id is null
            union all
            select t.quote_id, 'quote_titles row without its quote or title' from quote_titles t
            left join quotes q using (quote_id) left join entities e on e.entity_id = t.title_entity_id
            where q.quote_id is null or e.entity_id is null or e.entity_type <> 'TITLE'
            """,
    )


QUOTE_CHECKS = [quote_offsets_and_nesting, quote_references_exist]
