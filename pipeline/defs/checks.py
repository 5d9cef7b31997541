"""What the asset checks share: a table validated against its Pandera schema, streamed, and
"these rows must not exist" as a check result with the count and a sample.

The checks themselves live with the assets they check (``ingest/checks.py``, ``nlp/checks.py``);
the SQL models' tests run in each model's own step (``analytics/sql_models.py``).
"""


import pandera.polars as pa
import polars as pl
from dagster import AssetCheckResult, MetadataValue

from ..warehouse import frame_to_markdown, query_frame

# Rows validated per chunk: the check streams the table, it never loads it whole.
CHECK_CHUNK_ROWS = 5000


def table_matches_schema(con, table: str, schema: type[pa.DataFrameModel], check_name: str | None = None) -> AssetCheckResult:
    """Every row of ``table`` passes ``schema``, read in chunks so memory does not grow with the table."""
    failures: list[pl.DataFrame] = []
    rows = 0
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
        asset_key=table,
        check_name=check_name,
        passed=failed.is_empty(),
        metadata={
            "rows_checked": MetadataValue.int(rows),
            "failures": MetadataValue.int(failed.height),
            "failure_sample": MetadataValue.md(frame_to_markdown(failed.head(10))),
        },
    )


def problem_rows_result(con, problems_sql: str, check_name: str | None = None, asset: str | None = None) -> AssetCheckResult:
    """Pass when ``problems_sql`` returns no row; report the count and a sample otherwise."""
    count = query_frame(con, f"select count(*) as n from ({problems_sql})")["n"][0]
    # The sample is read only when there is one to show: a passing test costs one query.
    sample = query_frame(con, f"select * from ({problems_sql}) limit 10") if count else None
    return AssetCheckResult(
        asset_key=asset,
        check_name=check_name,
        passed=int(count) == 0,
        metadata={"problem_rows": MetadataValue.int(int(count)),
                  "sample": MetadataValue.md(frame_to_markdown(sample) if sample is not None else "_no rows_"),
                  "query": MetadataValue.md(f"```sql\n{problems_sql.strip()}\n```")},
    )
