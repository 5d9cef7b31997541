"""One Dagster asset per SQL model in dbt_like_sql/, its tests as one asset check, all built by one step.

Like dagster-dbt's ``@dbt_assets``, the models are the specs of one multi-asset: each model is
its own asset (own lineage, columns, checks; selectable alone, since the multi-asset can be
subset), and one step builds the selected ones in dependency order on one connection, in one
transaction. A run then pays for one step and one connection, not one per model; a model's
tests run right after it is built, on the same connection, so they see exactly that table.

A model's tests (its YAML file's) are one asset check, ``yaml_tests``, evaluated by one query that
counts every test's problem rows: the check fails naming the failed tests, with each test's count
and a sample of its rows in the check's metadata. One check a test cost three events apiece in
Dagster's event log (planned, output, evaluation: 450 of the 583 of a run with nothing new, 3.6
of its 9.4 CPU s); one check a model stores 42.
"""

from pathlib import Path

from dagster import (
    AssetCheckResult, AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, MetadataValue,
    multi_asset,
)

from ... import warehouse
from ..automation import FOLLOWS_UPSTREAM
from ...core.sql_models import SqlModel, build_order, load_models
from ...dictionary import OWNERS, model_markdown, model_types, table_metadata
from ...resources import PROJECT_ROOT, DuckDBWarehouse
from ...schemas import TABLE_SCHEMAS

MODELS_FOLDER = PROJECT_ROOT / "dbt_like_sql"
ANALYTICS_GROUP = "analytics"
# The tables the Python assets land, each under its own asset key.
PIPELINE_TABLES = set(TABLE_SCHEMAS)
# The name of each model's one check: the tests its YAML file declares.
TESTS_CHECK = "yaml_tests"
# Failed tests whose sample rows the check's metadata shows, and rows shown of each.
SAMPLED_FAILED_TESTS = 5
SAMPLE_ROWS = 10


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


def tests_check_spec(model: SqlModel) -> AssetCheckSpec:
    """The model's tests as one check; its definition lists each test, what it asserts and its query."""
    listing = "\n".join(f"| {test.name} | {test.description} | `{' '.join(test.failing_rows_sql.split())}` |"
                        for test in model.tests)
    return AssetCheckSpec(
        TESTS_CHECK, asset=model.name,
        description=f"The {len(model.tests)} tests of {model.path.with_suffix('.yml').name} (each names the rows "
                    f"that break it; the check fails if any test finds one): "
                    + "; ".join(test.description for test in model.tests) + ".",
        metadata={"tests": MetadataValue.md("| test | asserts | rows that break it |\n|---|---|---|\n" + listing)},
    )


def run_model_tests(con, model: SqlModel) -> AssetCheckResult:
    """Every test of the model in one query (each test's problem rows counted); a sample of the rows of
    each failed test, read only when one failed."""
    counted = ", ".join(f"(select count(*) from ({test.failing_rows_sql})) as t{i}" for i, test in enumerate(model.tests))
    counts = [int(n) for n in con.execute(f"select {counted}").fetchall()[0]]
    by_test = dict(zip((test.name for test in model.tests), counts))
    failed = [(test, n) for test, n in zip(model.tests, counts) if n]
    samples = []
    for test, n in failed[:SAMPLED_FAILED_TESTS]:
        rows = warehouse.query_frame(con, f"select * from ({test.failing_rows_sql}) limit {SAMPLE_ROWS}")
        samples.append(f"**{test.name}** ({n} row{'s' if n != 1 else ''}): {test.description}\n\n"
                       f"{warehouse.frame_to_markdown(rows)}\n\n```sql\n{test.failing_rows_sql.strip()}\n```")
    if failed:
        outcome = (f"{len(failed)} of {len(model.tests)} tests failed: "
                   + ", ".join(f"{test.name} ({n} row{'s' if n != 1 else ''})" for test, n in failed))
    else:
        outcome = f"all {len(model.tests)} tests passed"
    return AssetCheckResult(
        asset_key=model.name,
        check_name=TESTS_CHECK,
        passed=not failed,
        description=outcome,
        metadata={
            "failed_tests": MetadataValue.text(", ".join(test.name for test, _ in failed) or "none"),
            "tests_run": MetadataValue.int(len(model.tests)),
            "tests_failed": MetadataValue.int(len(failed)),
            "problem_rows": MetadataValue.int(sum(counts)),
            "problem_rows_by_test": MetadataValue.json(by_test),
            "sample": MetadataValue.md("\n\n".join(samples) if samples else "_no rows_"),
        },
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
    return MaterializeResult(
        asset_key=model.name, check_results=[run_model_tests(con, model)] if model.tests else [],
        metadata={
            "dagster/row_count": MetadataValue.int(rows),
            "preview": MetadataValue.md(warehouse.frame_to_markdown(preview)),
            "sql": MetadataValue.md(f"```sql\n{model.sql}\n```"),
        })


def sql_models_asset(models: list[SqlModel], column_types: dict[str, dict[str, str]]):
    ordered = build_order(models)

    @multi_asset(
        name="sql_models",
        specs=[model_spec(m, column_types.get(m.name)) for m in ordered],
        check_specs=[tests_check_spec(m) for m in ordered if m.tests],
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
