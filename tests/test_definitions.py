"""The code location the UI, the daemon and the nightly schedule load."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey, DefaultSensorStatus, Definitions, build_sensor_context, DagsterInstance

from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, SOURCE_ASSETS, build_resources, defs
from pipeline.resources import LandingFolder
from pipeline.defs.jobs import landing_folder_sensor

from .newsroom import HARBOR_LIGHTS, news_page, write

PROJECT = Path(__file__).resolve().parents[1]


def test_definitions_load_with_assets_groups_kinds_and_descriptions():
    Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    for key in (AssetKey("articles"), AssetKey("rejected_documents")):
        node = graph.get(key)
        assert node.group_name == "ingest"
        assert "duckdb" in node.kinds
        assert node.description
    check_names = {key.name for key in graph.asset_check_keys}
    assert {"articles_match_schema", "rejected_documents_match_schema", "articles_have_no_orphans",
            "every_file_accounted_for"} <= check_names


def test_workspace_yaml_loads_the_code_location():
    # The same loader `dagster dev -w workspace.yaml` uses, in a fresh interpreter.
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", str(PROJECT / "workspace.yaml")],
        capture_output=True, text=True, cwd=PROJECT, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dg_check_defs_passes_on_the_project():
    # `dg check defs` loads pipeline/defs/ as `dg dev` and the UI do, in a fresh interpreter.
    dg = Path(sys.executable).parent / "dg"
    done = subprocess.run([str(dg), "check", "defs"], capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_definitions_are_loaded_by_domain_from_the_defs_folder():
    domains = {Path(module).parent.name for module in (
        asset.op.compute_fn.decorated_fn.__module__.replace(".", "/") + ".py" for asset in [*SOURCE_ASSETS, *ALL_ASSETS])}
    assert {"gather", "ingest", "nlp", "analytics", "publish"} <= domains
    # Each definition once, whichever module names it.
    assert len({key for asset in ALL_ASSETS for key in asset.keys}) == sum(len(asset.keys) for asset in ALL_ASSETS)
    assert {key.name for check in ALL_CHECKS for key in check.check_keys} >= {"articles_match_schema", "entities_match_schema"}
    graph = defs.resolve_asset_graph()
    articles = graph.get(AssetKey("articles"))
    assert articles.owners and articles.tags.get("layer") == "landed"
    assert articles.metadata["dagster/table_name"] == "film_news.main.articles"
    assert [c.name for c in articles.metadata["dagster/column_schema"].columns][:2] == ["article_id", "source_path"]
    assert graph.get(AssetKey("read_snapshot")).freshness_policy is not None


def test_sensor_requests_a_run_for_new_files_once(landing):
    assert landing_folder_sensor.default_status == DefaultSensorStatus.STOPPED
    write(landing, "harbor.html", news_page("Harbor Lights", HARBOR_LIGHTS))
    resources = {"landing_folder": LandingFolder(path=str(landing))}
    with DagsterInstance.ephemeral() as instance:
        first = landing_folder_sensor(build_sensor_context(instance=instance, resources=resources))
        assert first.run_key.startswith("landing-")
        cursor = first.run_key.removeprefix("landing-")
        unchanged = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor, resources=resources))
        assert not hasattr(unchanged, "run_key")
        write(landing, "second.txt", " date 2026-10-09 " + " ".join(HARBOR_LIGHTS))
        again = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor, resources=resources))
        assert again.run_key != first.run_key


def test_resources_default_to_the_project_data_folder(monkeypatch):
    monkeypatch.delenv("FILM_NEWS_DB", raising=False)
    monkeypatch.delenv("FILM_NEWS_LANDING", raising=False)
    resources = build_resources()
    assert Path(resources["warehouse_db"].database_path) == PROJECT / "data" / "film_news.duckdb"
    assert Path(resources["landing_folder"].path) == PROJECT / "data" / "raw"
    monkeypatch.setenv("FILM_NEWS_DB", "/srv/news.duckdb")
    # Set, it is Dagster's EnvVar: resolved when a run starts, shown as its source in the UI.
    from dagster import EnvVar

    configured = build_resources()["warehouse_db"].database_path
    assert isinstance(configured, EnvVar) and configured.get_value() == "/srv/news.duckdb"


def test_each_table_is_declared_once_by_its_schema(tmp_path):
    """The DuckDB table, its Pandera schema and the UI's Columns agree, because the first and
    the last are made from the second: a column added to a schema reaches all three."""
    from pipeline import warehouse
    from pipeline.schemas import TABLE_SCHEMAS

    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        graph = defs.resolve_asset_graph()
        for table, schema in TABLE_SCHEMAS.items():
            declared = schema.to_schema().columns
            found = con.execute("select column_name, is_nullable = 'YES' from information_schema.columns "
                                "where table_schema = 'main' and table_name = ? order by ordinal_position", [table]).fetchall()
            assert found == [(name, column.nullable) for name, column in declared.items()], table
            keys = {row[0] for row in con.execute(
                "select unnest(constraint_column_names) from duckdb_constraints() "
                "where table_name = ? and constraint_type = 'PRIMARY KEY'", [table]).fetchall()}
            assert keys == {name for name, column in declared.items() if column.unique}, table
            shown = graph.get(AssetKey(table)).metadata["dagster/column_schema"].columns
            assert [c.name for c in shown] == list(declared), table
    finally:
        con.close()


def test_the_readme_states_no_count_of_checks_or_tests_the_definitions_contradict():
    """Every model test added changes the number of checks (issue 22.6: the README said 51 checks and
    42 SQL tests when the UI showed 92): a count the README states is the definitions' own."""
    from pipeline.definitions import SQL_MODELS

    all_checks = len(defs.resolve_asset_graph().asset_check_keys)
    model_tests = sum(len(model.tests) for model in SQL_MODELS)
    landed_checks = all_checks - model_tests
    readme = " ".join((PROJECT / "README.md").read_text(encoding="utf-8").split())
    stated = [(int(number.replace(",", "")), phrase) for number, phrase in re.findall(
        r"\b(\d[\d,]*) ((?:asset )?checks(?: of the landed tables)?|(?:SQL )?(?:model )?tests)\b", readme)]
    stated += [(int(number), "tests") for number in re.findall(r"SQL models' (\d+) tests", readme)]
    for number, phrase in stated:
        actual = landed_checks if phrase.endswith("landed tables") else model_tests if "tests" in phrase else all_checks
        assert number == actual, f"README.md says {number} {phrase}; the definitions have {actual}"
