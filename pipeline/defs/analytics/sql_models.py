"""One Dagster asset per SQL model in dbt_like_sql/, its tests as asset checks.

A model's tests run in the step that builds it, on the same connection: one
step per model instead of one per test, so a run with nothing new spends
little time in checks, and a test sees exactly the table just built.
"""

from pathlib import Path

from dagster import AssetCheckSpec, AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ... import warehouse
from ..automation import FOLLOWS_UPSTREAM
from ..checks import problem_rows_result
from ...core.sql_models import SqlModel, load_models
from ...dictionary import OWNERS, model_markdown, model_types, table_metadata
from ...resources import PROJECT_ROOT, DuckDBWarehouse
from ...schemas import TABLE_SCHEMAS

MODELS_FOLDER = PROJECT_ROOT / "dbt_like_sql"
ANALYTICS_GROUP = "analytics"
# The tables the Python assets land, each under its own asset key.
PIPELINE_TABLES = set(TABLE_SCHEMAS)


def model_asset(model: SqlModel, column_types: dict[str, str] | None = None):
    @asset(
        name=model.name,
        deps=model.upstream,
        group_name=ANALYTICS_GROUP,
        kinds={"duckdb", "sql"},
        description=model_markdown(model),
        metadata={"sql_file": MetadataValue.path(str(model.path)),
                  **table_metadata(model.name, model=model, model_column_types=column_types)},
        owners=OWNERS,
        tags={"layer": "analytics"},
        automation_condition=FOLLOWS_UPSTREAM,
        check_specs=[AssetCheckSpec(test.name, asset=model.name, description=test.description) for test in model.tests],
    )
    def _materialize(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse) -> MaterializeResult:
        with warehouse_db.connect() as con, warehouse.transaction(con):
            existing = con.execute(
                "select case table_type when 'VIEW' then 'view' else 'table' end from information_schema.tables "
                "where table_name = ?", [model.name]).fetchall()
            for statement in model.create_statements(existing[0][0] if existing else None):
                con.execute(statement)
            rows = warehouse.scalar(con, f"select count(*) from {model.name}")
            preview = warehouse.query_frame(con, f"select * from {model.name} limit 10")
            check_results = [problem_rows_result(con, test.failing_rows_sql, check_name=test.name) for test in model.tests]
        return MaterializeResult(check_results=check_results, metadata={
            "dagster/row_count": MetadataValue.int(rows),
            "preview": MetadataValue.md(warehouse.frame_to_markdown(preview)),
            "sql": MetadataValue.md(f"```sql\n{model.sql}\n```"),
        })

    return _materialize


def build_model_definitions(folder: Path = MODELS_FOLDER):
    models = load_models(folder, PIPELINE_TABLES)
    types = model_types(models)
    return models, [model_asset(m, types.get(m.name)) for m in models]


SQL_MODELS, MODEL_ASSETS = build_model_definitions()
