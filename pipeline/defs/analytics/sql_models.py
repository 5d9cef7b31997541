"""One Dagster asset per SQL model in dbt_like_sql/, its tests as asset checks, all built by one step.

Like dagster-dbt's ``@dbt_assets``, the models are the specs of one multi-asset: each model is
its own asset (own lineage, columns, checks; selectable alone, since the multi-asset can be
subset), and one step builds the selected ones in dependency order on one connection, in one
transaction. A run then pays for one step and one connection, not one per model; a model's
tests run right after it is built, on the same connection, so they see exactly that table.
"""

from pathlib import Path

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from ... import warehouse
from ..automation import FOLLOWS_UPSTREAM
from ..checks import problem_rows_result
from ...core.sql_models import SqlModel, build_order, load_models
from ...dictionary import OWNERS, model_markdown, model_types, table_metadata
from ...resources import PROJECT_ROOT, DuckDBWarehouse
from ...schemas import TABLE_SCHEMAS

MODELS_FOLDER = PROJECT_ROOT / "dbt_like_sql"
ANALYTICS_GROUP = "analytics"
# The tables the Python assets land, each under its own asset key.
PIPELINE_TABLES = set(TABLE_SCHEMAS)


def model_spec(model: SqlModel, column_types: dict[str, str] | None = None) -> AssetSpec:
    return AssetSpec(
        model.name,
        deps=model.upstream,
        group_name=ANALYTICS_GROUP,
        kinds={"duckdb", "sql"},
        description=model_markdown(model),
        metadata={"sql_file": MetadataValue.path(str(model.path)),
                  **table_metadata(model.name, model=model, model_column_types=column_types)},
        owners=OWNERS,
        tags={"layer": "analytics"},
        automation_condition=FOLLOWS_UPSTREAM,
    )


def build_model(con, model: SqlModel) -> MaterializeResult:
    """Create or replace the model's view or table, then run its tests on it."""
    existing = con.execute(
        "select case table_type when 'VIEW' then 'view' else 'table' end from information_schema.tables "
        "where table_schema = 'main' and table_name = ?", [model.name]).fetchall()
    for statement in model.create_statements(existing[0][0] if existing else None):
        con.execute(statement)
    rows = warehouse.scalar(con, f"select count(*) from {model.name}")
    preview = warehouse.query_frame(con, f"select * from {model.name} limit 10")
    check_results = [problem_rows_result(con, test.failing_rows_sql, check_name=test.name, asset=model.name)
                     for test in model.tests]
    return MaterializeResult(asset_key=model.name, check_results=check_results, metadata={
        "dagster/row_count": MetadataValue.int(rows),
        "preview": MetadataValue.md(warehouse.frame_to_markdown(preview)),
        "sql": MetadataValue.md(f"```sql\n{model.sql}\n```"),
    })


def sql_models_asset(models: list[SqlModel], column_types: dict[str, dict[str, str]]):
    ordered = build_order(models)

    @multi_asset(
        name="sql_models",
        specs=[model_spec(m, column_types.get(m.name)) for m in ordered],
        check_specs=[AssetCheckSpec(test.name, asset=m.name, description=test.description)
                     for m in ordered for test in m.tests],
        can_subset=True,
    )
    def _build(context: AssetExecutionContext, warehouse_db: DuckDBWarehouse):
        selected = context.selected_asset_keys
        with warehouse_db.connect() as con, warehouse.transaction(con):
            for model in ordered:
                if AssetKey(model.name) in selected:
                    yield build_model(con, model)

    return _build


def build_model_definitions(folder: Path = MODELS_FOLDER):
    models = load_models(folder, PIPELINE_TABLES)
    return models, sql_models_asset(models, model_types(models))


SQL_MODELS, MODELS_ASSET = build_model_definitions()
